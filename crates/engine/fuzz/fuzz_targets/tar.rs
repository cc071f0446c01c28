//! Archives from arbitrary bytes: reading, decompressing and unpacking.
#![no_main]
use layerlab_engine::archive;
use layerlab_engine::content::Content;
use layerlab_engine::lower::Lower;
use layerlab_engine::merged::Merged;
use libfuzzer_sys::fuzz_target;
use std::rc::Rc;

fuzz_target!(|bytes: &[u8]| {
    let data = Content::bytes(bytes.to_vec());
    let Ok(tar) = archive::decompress(&data) else {
        return;
    };
    if let Ok(members) = archive::read(&tar) {
        let mut fs = Merged::new(Rc::new(Lower::new(Vec::new())));
        let _ = archive::extract(&mut fs, "/x", &members);
        let again = archive::read(&archive::write(&members)).expect("what we write reads back");
        assert_eq!(again.len(), members.len());
    }
});
