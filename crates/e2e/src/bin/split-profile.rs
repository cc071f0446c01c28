//! The profiling run of `cargo xtask dist`'s split: loads an instrumented
//! release build (the directory given) the way a learner's first visits do, and
//! prints the index of every function that ran, one per line.
//!
//! The page names a rest of the code whose fetch this run holds forever, so it
//! runs as the split build's page does before the rest is here: what waits for
//! the rest (a returning learner's replay, the embed's start, a command) does
//! not run. The loads, in English and in Chinese: a fresh app, a reload with
//! saved work (the page draws itself, saying it restores), a link, and
//! presenter mode; last, the embed (`?embed=1`). Each load waits a little
//! after the page is drawn, so the first moments after the draw need nothing
//! from the rest either.

use layerlab_e2e::{store_autosave, tutorial_commands, Browser, Server, PREFIX};
use serde_json::json;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// The marks set so far in this page's instance (see `xtask/src/split.rs`).
const READ_MARKS: &str = "const e = window.wasmBindings.module_exports();
    return Object.keys(e)
        .filter(k => k.startsWith('__layerlab_ran') && e[k].value)
        .map(k => Number(k.slice('__layerlab_ran'.length)));";

fn main() {
    if let Err(e) = run() {
        eprintln!("split-profile: {e}");
        std::process::exit(1);
    }
}

/// Waits for the page to be drawn, then a little longer.
fn ready(b: &Browser) -> Result<(), String> {
    b.wait_for_entry("layerlab:ready")?;
    std::thread::sleep(std::time::Duration::from_millis(300));
    Ok(())
}

fn run() -> Result<(), String> {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: split-profile <instrumented dist directory>")?;
    let server = Server::start(dir, PREFIX)?;
    let mut b = Browser::start(1280, 720)?;
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": "const f = window.fetch; window.fetch = (u, o) =>
            String(u).endsWith('held_rest.wasm') ? new Promise(() => {}) : f(u, o);"}),
    )?;
    let tutorial = tutorial_commands();
    let mut ran = BTreeSet::new();
    for lang in ["en", "zh"] {
        let url = server.url(&format!("{PREFIX}?lang={lang}"));
        b.goto(&url)?;
        b.execute("localStorage.clear();", vec![])?;
        b.goto(&url)?;
        ready(&b)?;
        collect(&b, &mut ran)?;
        // Saved work, then a link (its text is read once the rest is here).
        store_autosave(&b, &tutorial, lang)?;
        for page in [url.clone(), format!("{url}#v1.link")] {
            b.goto("about:blank")?;
            b.goto(&page)?;
            ready(&b)?;
            b.wait_for(".notice.restoring")?;
            collect(&b, &mut ran)?;
        }
        // Presenter mode, as a teacher opens it.
        b.execute("localStorage.clear();", vec![])?;
        b.goto(&format!("{url}&present=1"))?;
        ready(&b)?;
        collect(&b, &mut ran)?;
        b.execute("localStorage.clear();", vec![])?;
    }
    // An embed in a tutorial's frame, drawn empty: its start and the page's
    // messages wait for the rest of the code.
    for lang in ["en", "zh"] {
        b.execute("localStorage.clear();", vec![])?;
        b.goto("about:blank")?;
        b.goto(&server.url(&format!("{PREFIX}index.html?embed=1&lang={lang}")))?;
        ready(&b)?;
        collect(&b, &mut ran)?;
    }
    for i in ran {
        println!("{i}");
    }
    Ok(())
}

fn collect(b: &Browser, ran: &mut BTreeSet<u64>) -> Result<(), String> {
    let marks = b.execute(READ_MARKS, vec![])?;
    let marks = marks
        .as_array()
        .ok_or("the page has no marks: is this an instrumented build?")?;
    ran.extend(marks.iter().filter_map(|v| v.as_u64()));
    Ok(())
}
