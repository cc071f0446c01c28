//! Image archives from arbitrary bytes, fed in slices of arbitrary sizes:
//! the importer returns an image or an error, never panics or hangs; an
//! image it accepts loads into a host with its config's digest as its ID.
//! Hashed outside (as the CLI's thread and the browser's workers do, from
//! the spans it names), the same bytes give the same import or error.
#![no_main]
use layerlab_engine::digest::Hasher;
use layerlab_engine::host::Host;
use layerlab_engine::import::{self, Importer, Limits};
use layerlab_engine::map::Map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Some((&step, data)) = bytes.split_first() else {
        return;
    };
    let step = usize::from(step).max(1) * 7;
    let inline = import_in(data, step, false);
    let outside = import_in(data, step, true);
    assert_eq!(inline, outside);
});

/// The import's image IDs and DiffIDs, or its error, in words.
fn import_in(data: &[u8], step: usize, hashed_outside: bool) -> Result<Vec<String>, String> {
    let mut importer = if hashed_outside {
        Importer::hashing_outside(Limits::default())
    } else {
        Importer::new()
    };
    let mut digests = Map::new();
    for chunk in data.chunks(step) {
        importer.feed(chunk).map_err(|e| e.to_string())?;
        for span in importer.take_spans() {
            // A span past the end of the bytes has no digest, as a short read gives none.
            let end = span.offset.saturating_add(span.size);
            if let Some(bytes) = data.get(span.offset as usize..end as usize) {
                let mut h = Hasher::new();
                h.update(bytes);
                digests.insert(span.offset, h.finish());
            }
        }
    }
    let imported = importer.finish_with(&digests).map_err(|e| e.to_string())?;
    let mut host = Host::new();
    let loaded = import::load(&mut host, &imported);
    let mut out = Vec::new();
    for (image, l) in imported.images.iter().zip(&loaded.value) {
        assert_eq!(image.id, l.id);
        let diff_ids: Vec<String> = image.layers.iter().map(|l| l.summary.diff_id.to_string()).collect();
        out.push(format!("{} {diff_ids:?}", image.id));
    }
    Ok(out)
}
