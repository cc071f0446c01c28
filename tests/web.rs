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
        },
    )
    .render();
    settle().await;
    let english = text_of(&root, ".tagline");
    assert!(english.contains("copy-on-write"), "{english}");

    let zh_button: HtmlElement = root
        .query_selector("button[data-lang='zh']")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
        .expect("the 中文 button");
    zh_button.click();
    settle().await;

    assert!(text_of(&root, ".tagline").contains("写时复制"));
    assert_eq!(
        zh_button.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    let lang = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"));
    assert_eq!(lang.as_deref(), Some("zh-CN"));
}
