//! The wasm build keeps one data segment per static object, so that
//! `cargo xtask dist` can move the objects only the rest of the code uses out
//! of the first load along with that code (`xtask/src/split_data.rs`).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bin=layerlab-web=--no-merge-data-segments");
    }
}
