//! Hashing throughput in the browser, printed for the record (a figure, not
//! a bound: `wasm-pack test --headless --chrome -- --test hash_speed`, with
//! `--release` for the optimised build). The floor is `sha2` hashing a
//! buffer; beside it, a layer's DiffID over described and zero contents, as
//! a `RUN dd` makes them, hashed in slices as the app does.
#![cfg(target_arch = "wasm32")]

use layerlab_engine::content::Content;
use layerlab_engine::diff::{Diff, Meta};
use layerlab_engine::digest::Hasher;
use layerlab_engine::hashing::HashJob;
use layerlab_engine::path::FsPath;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const SIZE: u64 = 64 << 20;

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn report(what: &str, bytes: u64, ms: f64) {
    let mbs = bytes as f64 / (1 << 20) as f64 / (ms / 1000.0);
    console_log!("{what}: {bytes} bytes in {ms:.0} ms, {mbs:.0} MiB/s");
}

fn layer_of(content: Content) -> Diff {
    let mut d = Diff::new();
    d.put_file(
        FsPath::lexical("/big").expect("path"),
        Meta::new(0o644, 0),
        content,
    );
    d
}

/// The best of three runs of `f` in ms (the first also lets V8 tier the code up).
fn best(mut f: impl FnMut()) -> f64 {
    (0..3)
        .map(|_| {
            let start = now();
            f();
            now() - start
        })
        .fold(f64::MAX, f64::min)
}

#[wasm_bindgen_test]
fn sha256_throughput_floor_and_described_content() {
    let buf: Vec<u8> = (0..1 << 20).map(|i: u32| (i % 251) as u8).collect();
    let mut floor = None;
    let ms = best(|| {
        let mut h = Hasher::new();
        for _ in 0..SIZE >> 20 {
            h.update(&buf);
        }
        floor = Some(h.finish());
    });
    report("floor: sha2 over a 1 MiB buffer", SIZE, ms);

    for (what, content) in [
        ("described content (seeded)", Content::described(SIZE, 7)),
        ("zeros (dd if=/dev/zero)", Content::zeros(SIZE)),
    ] {
        let diff = layer_of(content);
        let mut digest = None;
        let ms = best(|| {
            let mut job = HashJob::of(&diff);
            while !job.step(2 << 20) {}
            digest = Some(job.finish());
        });
        report(&format!("DiffID of {what}, 2 MiB slices"), SIZE, ms);
        assert_ne!(digest, floor);
    }
}
