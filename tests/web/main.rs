//! Browser tests: the app rendered into a real page in headless Chromium
//! (`wasm-pack test --headless --chrome`).
#![cfg(target_arch = "wasm32")]

use layerlab::app::{App, AppProps};
use layerlab::i18n::Lang;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element to render into.
fn mount() -> Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    root
}

/// Lets yew run its scheduled renders.
async fn settle() {
    yew::platform::time::sleep(Duration::ZERO).await;
}

/// Lets yew render until `done` holds, giving up after about two seconds (a
/// busy machine may need more than one turn of the event loop).
async fn until(done: impl Fn() -> bool) -> bool {
    for _ in 0..200 {
        if done() {
            return true;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    done()
}

fn text_of(root: &Element, css: &str) -> String {
    root.query_selector(css)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn shell_shows_title_and_the_tutorial_dockerfile() {
    let root = mount();
    yew::Renderer::<App>::with_root_and_props(
        root.clone(),
        AppProps {
            lang: Some(Lang::En),
            autosave: false,
        },
    )
    .render();
    settle().await;

    assert_eq!(text_of(&root, "h1"), "Layerlab");
    let editor = root
        .query_selector("#dockerfile")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
        .expect("the Dockerfile editor");
    assert_eq!(editor.value(), layerlab::TUTORIAL_DOCKERFILE);
    assert_eq!(
        root.query_selector_all(".gutter li")
            .map(|l| l.length())
            .unwrap_or(0),
        4
    );
}

#[wasm_bindgen_test]
async fn language_switch_translates_the_page_and_marks_the_pressed_button() {
    let root = mount();
    yew::Renderer::<App>::with_root_and_props(
        root.clone(),
        AppProps {
            lang: Some(Lang::En),
            autosave: false,
        },
    )
    .render();
    assert!(
        until(|| !text_of(&root, ".tagline").is_empty()).await,
        "the shell renders"
    );
    let english = text_of(&root, ".tagline");
    assert!(english.contains("copy-on-write"), "{english}");

    let zh_button: HtmlElement = root
        .query_selector("button[data-lang='zh']")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
        .expect("the 中文 button");
    zh_button.click();
    assert!(
        until(|| text_of(&root, ".tagline").contains("写时复制")).await,
        "the tagline turns Chinese"
    );
    assert_eq!(
        zh_button.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    // `<html lang>` is set by an effect, after the text has changed.
    let lang = || {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("lang"))
    };
    assert!(
        until(|| lang().as_deref() == Some("zh-CN")).await,
        "<html lang> is {:?}",
        lang()
    );
}

include!("../../crates/engine/tests/fixtures/determinism.rs");

/// The engine in wasm gives the same digests as natively: the scenario of the
/// engine's `digests_of_the_determinism_scenario` test, over the same fixture
/// (`crates/engine/tests/fixtures/`).
#[wasm_bindgen_test]
fn engine_digests_in_the_browser_match_the_native_build() {
    assert_eq!(
        determinism_digests(),
        include_str!("../../crates/engine/tests/fixtures/determinism.digests")
    );
}

/// The tutorial's scenario gives, in the browser, byte for byte the transcript
/// the native CLI gives (its golden file is checked by the CLI's tests).
#[wasm_bindgen_test]
fn the_tutorial_scenario_transcript_matches_the_native_cli() {
    use layerlab_engine::command::{scenario_commands, Session};
    let text = include_str!("../../crates/cli/scenarios/tutorial.txt");
    let golden = include_str!("../../crates/cli/scenarios/tutorial.transcript");
    let mut session = Session::new();
    let mut transcript = String::new();
    for command in scenario_commands(text) {
        transcript.push_str(&session.run_shown(&command).0);
    }
    if transcript != golden {
        let at = transcript
            .lines()
            .zip(golden.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "browser and native transcripts differ at line {}:\n  browser: {:?}\n  native:  {:?}",
            at + 1,
            transcript.lines().nth(at),
            golden.lines().nth(at)
        );
    }
}

mod archive_reading;
mod components;
