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

/// The page's clock (`performance.now()`, in milliseconds), or 0 without one.
pub fn now() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Lets the page draw and answer input before going on (a `setTimeout(0)`).
pub async fn yield_to_page() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let later = window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .ok()
        });
        if later.is_none() {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
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

/// The page's document, for listeners on the whole page.
pub fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// The element that has the keyboard focus, if any.
pub fn active_element() -> Option<web_sys::Element> {
    document()?.active_element()
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
    let blob = gloo_file::Blob::new_with_options(text, Some("text/plain;charset=utf-8"));
    // Revoked when dropped.
    let url = gloo_file::ObjectUrl::from(blob);
    let link = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(link) = &link {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    // The click starts the download; some browsers read the URL a little
    // later, so it is let go a second after, not at once.
    gloo_timers::callback::Timeout::new(1_000, move || drop(url)).forget();
    link.is_some()
}

/// The bytes of a file the learner picked (`<input type="file">`).
pub async fn read_file(file: web_sys::File) -> Option<Vec<u8>> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Clicks the element with this id as the user would (a file input opens
/// its picker, within the click that asked for it).
pub fn click(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        el.click();
    }
}

/// Scrolls `element` into view only as far as needed (`block: nearest`).
pub fn reveal(element: &web_sys::Element) {
    reveal_at(element, web_sys::ScrollLogicalPosition::Nearest);
}

/// Scrolls `element` into view, placed at `block` (`Center`, `Nearest`…).
pub fn reveal_at(element: &web_sys::Element, block: web_sys::ScrollLogicalPosition) {
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(block);
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

/// This page's origin (`https://host[:port]`), empty outside a browser.
pub fn own_origin() -> String {
    window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// This page's path (`/index.html`).
pub fn pathname() -> String {
    window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// This page's query, with its `?`.
pub fn search() -> String {
    window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The address of the page that opened or embeds this one, as the browser tells it.
pub fn referrer() -> String {
    window()
        .and_then(|w| w.document())
        .map(|d| d.referrer())
        .unwrap_or_default()
}

/// Which frame of its parent page this is: the `<iframe>`'s name, or its
/// place among the page's frames (`#2`).
pub fn frame_name() -> String {
    let Some(w) = window() else {
        return String::new();
    };
    match w.name() {
        Ok(name) if !name.is_empty() => name,
        _ => {
            let Ok(Some(parent)) = w.parent() else {
                return String::new();
            };
            // Reading a frame of another origin's page is allowed: it is a WindowProxy.
            let me = wasm_bindgen::JsValue::from(w);
            (0..parent.length())
                .find(|&i| {
                    js_sys::Reflect::get_u32(&parent, i).is_ok_and(|f| js_sys::Object::is(&f, &me))
                })
                .map(|i| format!("#{i}"))
                .unwrap_or_default()
        }
    }
}

/// A message posted to this window.
pub struct Posted {
    pub origin: String,
    /// Sent by the page that embeds this one (its `window.parent`).
    pub from_parent: bool,
    /// Its data as JSON text (`None` when it is not JSON, a `Blob` say).
    pub data: Option<String>,
}

/// Calls `f` with every message posted to this window, until the listener is dropped.
pub fn on_message(f: impl Fn(Posted) + 'static) -> Option<gloo_events::EventListener> {
    use wasm_bindgen::JsCast;
    let w = window()?;
    // A page that is not in a frame is its own parent: nothing it hears is
    // from a parent, and it tells no one (else it would answer itself).
    let parent = w
        .parent()
        .ok()
        .flatten()
        .filter(|p| !js_sys::Object::is(p, &w));
    Some(gloo_events::EventListener::new(&w, "message", move |e| {
        let Some(e) = e.dyn_ref::<web_sys::MessageEvent>() else {
            return;
        };
        let from_parent = match (e.source(), &parent) {
            (Some(source), Some(parent)) => js_sys::Object::is(&source, parent),
            _ => false,
        };
        f(Posted {
            origin: e.origin(),
            from_parent,
            data: js_sys::JSON::stringify(&e.data())
                .ok()
                .and_then(|s| s.as_string()),
        });
    }))
}

/// Posts `json` to the page that embeds this one, if its origin is `origin`
/// (the browser drops it otherwise).
pub fn post_to_parent(json: &str, origin: &str) {
    let Some(w) = window() else {
        return;
    };
    let Some(parent) = w
        .parent()
        .ok()
        .flatten()
        .filter(|p| !js_sys::Object::is(p, &w))
    else {
        return;
    };
    if let Ok(value) = js_sys::JSON::parse(json) {
        let _ = parent.post_message(&value, origin);
    }
}

/// Writes a warning to the browser's console, for the embedding page's developer.
pub fn warn(text: &str) {
    if window().is_some() {
        web_sys::console::warn_1(&wasm_bindgen::JsValue::from_str(text));
    }
}

/// `url` resolved against this page, if it is on this page's own origin.
pub fn same_origin_url(url: &str) -> Option<String> {
    let w = window()?;
    let base = w.location().href().ok()?;
    let resolved = web_sys::Url::new_with_base(url, &base).ok()?;
    (resolved.origin() == w.location().origin().ok()?).then(|| resolved.href())
}

/// Fetches `url`'s text (the Content-Security-Policy keeps it to our origin).
pub async fn fetch_text(url: &str) -> Result<String, String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let w = window().ok_or("no page")?;
    let said = |e: wasm_bindgen::JsValue| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "network error".to_owned())
    };
    let response: web_sys::Response = JsFuture::from(w.fetch_with_str(url))
        .await
        .map_err(said)?
        .dyn_into()
        .map_err(said)?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = JsFuture::from(response.text().map_err(said)?)
        .await
        .map_err(said)?;
    Ok(text.as_string().unwrap_or_default())
}

/// Puts `text` on the clipboard where the browser allows it (a secure page,
/// after a click); it is also shown selected, to copy by hand.
pub fn copy_text(text: &str) {
    if let Some(w) = window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// The file chosen in a file input's `change` event; the input is cleared,
/// so choosing the same file again is a change too.
pub fn picked_file(e: &yew::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input = e.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files().and_then(|f| f.get(0));
    input.set_value("");
    file
}
