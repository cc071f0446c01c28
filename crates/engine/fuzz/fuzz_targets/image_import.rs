//! Image archives from arbitrary bytes, fed in slices of arbitrary sizes:
//! the importer returns an image or an error, never panics or hangs; an
//! image it accepts loads into a host with its config's digest as its ID.
#![no_main]
use layerlab_engine::host::Host;
use layerlab_engine::import::{self, Importer};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Some((&step, data)) = bytes.split_first() else {
        return;
    };
    let step = usize::from(step).max(1) * 7;
    let mut importer = Importer::new();
    for chunk in data.chunks(step) {
        if importer.feed(chunk).is_err() {
            return;
        }
    }
    if let Ok(imported) = importer.finish() {
        let mut host = Host::new();
        let loaded = import::load(&mut host, &imported);
        for (image, l) in imported.images.iter().zip(&loaded.value) {
            assert_eq!(image.id, l.id);
        }
    }
});
