//! The Dockerfile parser on arbitrary text: never panics, spans in bounds.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parsed = layerlab_engine::dockerfile::parse(text);
    let lines = text.split('\n').count().max(1);
    for d in &parsed.diagnostics {
        assert!(d.line >= 1 && d.line <= lines, "{d:?}");
    }
    let _ = layerlab_engine::dockerfile::render(text, &parsed.diagnostics);
});
