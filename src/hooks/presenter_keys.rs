//! Presenter mode's keys: → runs the lesson's next step, ← takes it back,
//! Space plays or pauses, F goes full screen. They work right after load and
//! whatever has the focus (on the lesson picker, → runs a step rather than
//! choosing the next lesson), but never while typing in a text field.

use crate::browser;
use crate::state::Action;
use yew::prelude::*;

/// Whether the key was typed into a text field.
fn typing(e: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| match el.tag_name().as_str() {
            "TEXTAREA" => true,
            "INPUT" => !matches!(
                el.get_attribute("type").as_deref(),
                Some("range" | "checkbox" | "radio" | "button")
            ),
            _ => false,
        })
}

#[hook]
pub fn use_presenter_keys(presenter: bool, on_action: Callback<Action>) {
    use_effect_with(presenter, move |&presenter| {
        let listener = presenter.then(|| {
            browser::on_any_key(move |e: &web_sys::KeyboardEvent| {
                if e.ctrl_key() || e.meta_key() || e.alt_key() || typing(e) {
                    return;
                }
                match e.key().as_str() {
                    "ArrowRight" => on_action.emit(Action::Step(true)),
                    "ArrowLeft" => on_action.emit(Action::Step(false)),
                    " " => on_action.emit(Action::PlayLesson),
                    "f" | "F" => browser::request_fullscreen(),
                    _ => return,
                }
                e.prevent_default();
            })
        });
        move || drop(listener)
    });
}
