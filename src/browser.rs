//! The page around the app: URL query, browser languages, `<html lang>`, title,
//! performance marks and frames. Every call degrades to a no-op outside a browser.

use crate::i18n::Lang;

fn window() -> Option<web_sys::Window> {
    // Natively (the app's logic under `cargo test`) there is no page.
    if cfg!(target_arch = "wasm32") {
        web_sys::window()
    } else {
        None
    }
}

/// The value of `name` in the page's query string.
pub fn query_param(name: &str) -> Option<String> {
    let search = window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// The browser's preferred languages, most preferred first.
pub fn preferred_languages() -> Vec<String> {
    let Some(nav) = window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let mut tags: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if tags.is_empty() {
        tags.extend(nav.language());
    }
    tags
}

/// The language to start in (see [`Lang::choose`]).
pub fn initial_language() -> Lang {
    Lang::choose(query_param("lang").as_deref(), &preferred_languages())
}

/// Marks the document with the current language, so screen readers and fonts follow it.
pub fn set_document_language(lang: Lang) {
    if let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        // Setting it, even to the same value, makes the browser restyle the
        // whole page.
        if root.get_attribute("lang").as_deref() != Some(lang.tag()) {
            let _ = root.set_attribute("lang", lang.tag());
        }
    }
}

/// Records a named moment (`performance.mark`) that benchmarks and tests read.
pub fn mark(name: &str) {
    if let Some(perf) = window().and_then(|w| w.performance()) {
        let _ = perf.mark(name);
    }
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// Reads a value from the browser's local storage.
pub fn stored(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Writes a value to local storage; `false` if the browser refused (full, or disabled).
pub fn store(key: &str, value: &str) -> bool {
    storage().is_some_and(|s| s.set_item(key, value).is_ok())
}

/// The page's URL fragment without `#`, if there is one.
pub fn location_hash() -> Option<String> {
    let hash = window()?.location().hash().ok()?;
    let hash = hash.trim_start_matches('#');
    (!hash.is_empty()).then(|| hash.to_owned())
}

/// Puts `fragment` in the address bar (no reload, no new history entry) and returns the full URL.
pub fn set_location_hash(fragment: &str) -> Option<String> {
    let w = window()?;
    let history = w.history().ok()?;
    history
        .replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("#{fragment}")),
        )
        .ok()?;
    w.location().href().ok()
}

/// Calls `f` with every key pressed anywhere in the page, whatever has the
/// focus, until the returned listener is dropped.
pub fn on_any_key(
    f: impl Fn(&web_sys::KeyboardEvent) + 'static,
) -> Option<gloo_events::EventListener> {
    use wasm_bindgen::JsCast;
    let document = window()?.document()?;
    // Not passive: a presenter key's default (Space scrolling) is prevented.
    let options = gloo_events::EventListenerOptions::enable_prevent_default();
    Some(gloo_events::EventListener::new_with_options(
        &document,
        "keydown",
        options,
        move |e| {
            if let Some(key) = e.dyn_ref::<web_sys::KeyboardEvent>() {
                f(key);
            }
        },
    ))
}

/// Asks the browser to show the page full screen (a user gesture must start it).
pub fn request_fullscreen() {
    if let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.request_fullscreen();
    }
}

/// Moves the keyboard focus to the element with `id`.
pub fn focus_id(id: &str) {
    use wasm_bindgen::JsCast;
    let element = window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(e) = element {
        let _ = e.focus();
    }
}

/// The element that has the keyboard focus, if any.
pub fn active_element() -> Option<web_sys::Element> {
    window()?.document()?.active_element()
}

/// Whether the learner asked the system for less motion (`prefers-reduced-motion`).
pub fn prefers_reduced_motion() -> bool {
    window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// Offers `text` as a file named `name` to save (a download).
pub fn download(name: &str, text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(document) = window().and_then(|w| w.document()) else {
        return false;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let link = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(link) = &link {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    // The download has started well before the URL is let go.
    yew::platform::spawn_local(async move {
        yew::platform::time::sleep(std::time::Duration::from_secs(10)).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    link.is_some()
}

/// The bytes of a file the learner picked (`<input type="file">`).
pub async fn read_file(file: web_sys::File) -> Option<Vec<u8>> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Scrolls `element` into view only as far as needed (`block: nearest`).
pub fn reveal(element: &web_sys::Element) {
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    element.scroll_into_view_with_scroll_into_view_options(&options);
}

/// Runs `f` just before the browser next lays out and draws the page. Sizes
/// read there cost no extra layout: the frame needs that layout anyway
/// (read from an effect, they force one of their own first).
pub fn before_next_frame(f: impl FnOnce() + 'static) {
    use wasm_bindgen::JsCast;
    match window() {
        Some(w) => {
            let callback = wasm_bindgen::closure::Closure::once_into_js(f);
            let _ = w.request_animation_frame(callback.unchecked_ref());
        }
        None => f(),
    }
}

/// Removes a value from local storage.
pub fn unstore(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Set once the app has panicked: nothing is saved after that.
static CRASHED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Records that the app panicked (called from the panic hook).
pub fn set_crashed() {
    CRASHED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether the app has panicked or trapped (the page shows the crash message).
pub fn crashed() -> bool {
    #[cfg(target_arch = "wasm32")]
    if guard_stopped() {
        return true;
    }
    CRASHED.load(std::sync::atomic::Ordering::Relaxed)
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(module = "/static/guard.js")]
extern "C" {
    fn guard_watch();
    fn guard_show(detail: &str);
    fn guard_stopped() -> bool;
}

/// Shows the page-level message of a crash, with `detail` and a Reload button.
pub fn show_crash(detail: &str) {
    #[cfg(target_arch = "wasm32")]
    guard_show(detail);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = detail;
}

/// Shows the crash message for every trap the page reports (`error`,
/// `unhandledrejection`), panics or not.
pub fn watch_for_crashes() {
    #[cfg(target_arch = "wasm32")]
    guard_watch();
}

/// Reloads the page, without the permalink in its address (the autosave
/// is what comes back).
pub fn reload_own_work() {
    clear_location_hash();
    if let Some(w) = window() {
        let _ = w.location().reload();
    }
}

/// Takes the permalink out of the address (no reload): once the learner
/// works on a link's state, a reload restores their autosave.
pub fn clear_location_hash() {
    let Some(w) = window() else {
        return;
    };
    if location_hash().is_none() {
        return;
    }
    let location = w.location();
    if let (Ok(path), Ok(search), Ok(history)) =
        (location.pathname(), location.search(), w.history())
    {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
}

/// Calls `f(key, new value)` whenever another tab of this origin changes
/// local storage (the `storage` event), until the listener is dropped.
pub fn on_storage_elsewhere(
    f: impl Fn(Option<String>, Option<String>) + 'static,
) -> Option<gloo_events::EventListener> {
    let w = window()?;
    Some(gloo_events::EventListener::new(&w, "storage", move |e| {
        let read = |name: &str| {
            js_sys::Reflect::get(e, &wasm_bindgen::JsValue::from_str(name))
                .ok()
                .and_then(|v| v.as_string())
        };
        f(read("key"), read("newValue"));
    }))
}
