//! Focus follows an editor that opens: into its text area, and back to what
//! opened it (the Edit button) when it closes, so typed text never goes nowhere.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Moves the focus into the text area `area` when `open` turns true, and back
/// to the element that had it when `open` turns false again.
#[hook]
pub fn use_editor_focus(open: bool, area: &'static str) {
    let opener = use_mut_ref(|| None::<web_sys::HtmlElement>);
    use_effect_with(open, move |&open| {
        if open {
            *opener.borrow_mut() = crate::browser::active_element()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            crate::browser::focus_id(area);
        } else if let Some(e) = opener.borrow_mut().take() {
            if e.is_connected() {
                let _ = e.focus();
            }
        }
    });
}
