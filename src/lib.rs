//! Layerlab's web app: a yew front end over `layerlab_engine`.
//!
//! # Layout
//! - `app`: the root component: it holds the state, dispatches actions and
//!   provides the language.
//! - `state`: `AppState` and the `Action`s that change it (yew's `Reducible`),
//!   DOM-free, its arms tested as data.
//! - `workspace`: a session and its terminal, with a snapshot per command for
//!   undo, redo and the timeline.
//! - `shared`: `Shared<T>`, an `Rc` that compares by identity (props of snapshots).
//! - `hooks/`: autosave, the one playback loop, presenter keys, the language.
//! - `view/`: view models, what each pane shows, computed from the state:
//!   `activity` (what the last command did, item by item, from the engine's
//!   transcript), `timeline` (its ticks and caption), `stage` (image stacks,
//!   containers), `inspect` (a layer's diff and digests, a container's files
//!   and the file actions' command lines), `disk_view` (where each layer lives
//!   under /var/lib/docker), `import_view` (an imported archive's analysis),
//!   and presenter mode's caption.
//! - `components/`: one component per file (the stage's in a folder), each
//!   with its own `Props`; they render view models and dispatch actions.
//! - `boot`: where the app starts from (autosave or link), and what keeps the
//!   learner's own work safe (held links and scenarios, failed saves, other
//!   tabs, crashes).
//! - `console`: the terminal's logic (screen, history, Tab completion), DOM-free.
//! - `embed`: embed mode (`?embed=1`): its options, storage key, `postMessage`
//!   API and the worker that answers it.
//! - `drawing`: large, redrawn-whole pieces of the page (the stage's SVG, the
//!   table of layers on disk) written as one JSON text and made in one call.
//! - `scenario`: scenario files (the CLI's format) to download and open.
//! - `persist`: autosave to the browser's storage, versioned, never silently dropped.
//! - `highlight`: the Dockerfile editor's classes for the engine's pieces of each line.
//! - `i18n`: every user-facing string, in English and Simplified Chinese.
//! - `split`: the page's side of the release build's split into the first
//!   load's code and the rest (fetched once the page is drawn).
//! - `memcmp`: the browser build's `memcmp`, a word at a time (paths
//!   compare as byte strings, and a deep tree's share long prefixes).
//! - `browser`: the few calls into the page (URL, navigator, `<html lang>`,
//!   performance marks); nothing else touches web-sys directly.

pub mod app;
pub mod archive_reading;
pub mod boot;
pub mod browser;
pub mod components;
pub mod console;
pub mod digest_workers;
pub mod drawing;
pub mod embed;
pub mod highlight;
pub mod hooks;
pub mod i18n;
pub mod lessons;
pub mod memcmp;
pub mod persist;
pub mod punctuation;
pub mod replay;
pub mod scenario;
pub mod shared;
pub mod split;
pub mod state;
pub mod view;
pub mod workspace;

/// The Dockerfile of the source tutorial, shown when the app opens.
pub const TUTORIAL_DOCKERFILE: &str =
    "FROM ubuntu:15.04\nCOPY . /app\nRUN make /app\nCMD python /app/app.py\n";

/// The size of the app's wasm memory in bytes: `cargo xtask bench` adds it to
/// the JS heap for its memory figure (`window.wasmBindings.wasm_memory_bytes()`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0.0, |b| f64::from(b.byte_length()))
}
