//! Command lines (docker and shell) typed into one session, one per line.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if text.len() > 4096 {
        return;
    }
    let mut session = layerlab_engine::command::Session::new();
    for line in text.lines().take(16) {
        let t = session.run(line);
        let _ = t.text();
    }
});
