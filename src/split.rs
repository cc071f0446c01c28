//! The first load's code and the rest: the page's side of `cargo xtask dist`'s
//! split (`xtask/src/split.rs`). The release build's first wasm file holds only
//! the functions that drawing the page runs; the others are stubs that call
//! through the function table into a second file, which `static/split.js`
//! fetches once the page is drawn, or loads at once if a stub runs first.
//! Development builds are not split, and these calls do nothing there.

#[cfg(target_arch = "wasm32")]
mod imp {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    #[wasm_bindgen(module = "/static/split.js")]
    extern "C" {
        fn split_init(exports: JsValue);
        fn split_prefetch();
        fn split_ready() -> bool;
        fn split_load() -> js_sys::Promise;
        fn split_pending() -> Option<js_sys::Promise>;
        fn split_linked() -> js_sys::Promise;
        /// The stubs call this import directly (the split finds it by name).
        #[wasm_bindgen(js_name = layerlabLoadRest)]
        fn load_rest();
    }

    pub fn init() {
        split_init(wasm_bindgen::exports());
    }

    pub fn prefetch() {
        split_prefetch();
    }

    pub fn ready() -> bool {
        split_ready()
    }

    /// Whether a load of the rest is under way.
    pub fn has_pending() -> bool {
        split_pending().is_some()
    }

    /// Waits for the load under way, if there is one (its failure included).
    pub async fn pending() {
        if let Some(p) = split_pending() {
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        }
    }

    pub async fn load() -> Result<(), String> {
        settled(split_load()).await
    }

    /// Waits for the rest to be linked, without starting its load.
    pub async fn linked() -> Result<(), String> {
        settled(split_linked()).await
    }

    async fn settled(p: js_sys::Promise) -> Result<(), String> {
        wasm_bindgen_futures::JsFuture::from(p)
            .await
            .map(drop)
            .map_err(|e| {
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .or_else(|| e.as_string())
                    .unwrap_or_default()
            })
    }

    /// Loads the rest of the code now. Exported so that the loader's import
    /// stays in the module: only the stubs the split writes call it otherwise.
    #[wasm_bindgen]
    pub fn load_rest_now() {
        load_rest();
    }

    /// This instance's exports: the build's profiling run reads its marks here.
    #[wasm_bindgen]
    pub fn module_exports() -> JsValue {
        wasm_bindgen::exports()
    }
}

/// Hands the module's exports to the loader: the second file links to them.
pub fn init() {
    #[cfg(target_arch = "wasm32")]
    imp::init();
}

/// Fetches the rest of the code in the background, once the first frame is on screen.
pub fn prefetch() {
    #[cfg(target_arch = "wasm32")]
    {
        imp::prefetch();
        // What `when_ready` runs while the rest is on its way, run once here:
        // the first load's profile comes from a build that is never split,
        // where that path is otherwise never taken, and its code must not be
        // left in the rest that it waits for.
        let _ = imp::has_pending();
        after_pending(|| ());
    }
}

/// Whether all of the code is here (always natively and in development builds).
pub fn ready() -> bool {
    #[cfg(target_arch = "wasm32")]
    return imp::ready();
    #[cfg(not(target_arch = "wasm32"))]
    true
}

/// Runs `then` now if all of the code is here or none of it is on its way
/// (while the page draws itself, before the rest is fetched, everything that
/// runs was in the first load's profile), else once the load under way has
/// ended: what the learner does meanwhile waits for it without blocking the
/// page, in the order it was done (the loader's promise resolves its waiters
/// first come, first served). If the rest could not be loaded, `then` runs
/// anyway, and the first function it reaches that is not here tries once
/// more, synchronously, then reports the failure on the page.
pub fn when_ready(then: impl FnOnce() + 'static) {
    #[cfg(target_arch = "wasm32")]
    if !ready() && imp::has_pending() {
        after_pending(then);
        return;
    }
    then();
}

#[cfg(target_arch = "wasm32")]
fn after_pending(then: impl FnOnce() + 'static) {
    yew::platform::spawn_local(async move {
        imp::pending().await;
        then();
    });
}

/// Runs `then` once all of the code is here (at once when it already is),
/// with the error if its load failed; starts no load. Every start calls it
/// (`App`), so that its code up to the wait is in the first load's profile;
/// what `then` does runs after the wait, from the rest.
pub fn after_linked(then: Box<dyn FnOnce(Result<(), String>)>) {
    #[cfg(target_arch = "wasm32")]
    yew::platform::spawn_local(async move { then(imp::linked().await) });
    #[cfg(not(target_arch = "wasm32"))]
    then(Ok(()));
}

/// Loads the rest of the code without blocking the page; the error says what failed.
pub async fn load() -> Result<(), String> {
    #[cfg(target_arch = "wasm32")]
    return imp::load().await;
    #[cfg(not(target_arch = "wasm32"))]
    Ok(())
}
