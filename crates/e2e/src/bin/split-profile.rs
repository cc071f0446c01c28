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

/// Waits for the page to be drawn and on screen, then a little longer: what
/// runs after the first paint and before the rest is here (the loader's
/// start, frames the panes measure in) is first-load code too, and on a
/// busy machine the paint comes well after the ready mark.
fn ready(b: &Browser) -> Result<(), String> {
    b.wait_for_entry("layerlab:ready")?;
    b.wait_for_entry("first-contentful-paint")?;
    std::thread::sleep(std::time::Duration::from_millis(500));
    Ok(())
}

fn run() -> Result<(), String> {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or("usage: split-profile <instrumented dist directory>")?;
    let server = Server::start(dir, PREFIX)?;
    let mut b = Browser::start(1280, 720)?;
    b.hold_fetches_of("held_rest.wasm")?;
    let tutorial = tutorial_commands();
    let mut ran = BTreeSet::new();
    let origin = server.url("");
    let origin = origin.trim_end_matches('/');
    // No saved work: storage is cleared while no page of the origin is open
    // (a page still starting would save again, and the next load would then
    // be a returning learner's).
    let open_fresh = |b: &mut Browser, url: &str| -> Result<(), String> {
        b.goto("about:blank")?;
        b.cdp(
            "Storage.clearDataForOrigin",
            json!({"origin": origin, "storageTypes": "local_storage"}),
        )?;
        b.goto(url)?;
        ready(b)?;
        if b.find_all(".notice.restoring")?.is_empty() {
            Ok(())
        } else {
            Err(format!("{url} found saved work where none should be"))
        }
    };
    for lang in ["en", "zh"] {
        let url = server.url(&format!("{PREFIX}?lang={lang}"));
        open_fresh(&mut b, &url)?;
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
        open_fresh(&mut b, &format!("{url}&present=1"))?;
        collect(&b, &mut ran)?;
    }
    // An embed in a tutorial's frame, drawn empty: its start and the page's
    // messages wait for the rest of the code.
    for lang in ["en", "zh"] {
        open_fresh(
            &mut b,
            &server.url(&format!("{PREFIX}index.html?embed=1&lang={lang}")),
        )?;
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
