//! A small editor for one file's text, with Save and Cancel, drawn from the
//! `(path, text)` being edited. The inspector (a container's file) and the
//! build context (a host file) both use it; Save hands the path and text to
//! them, and they type the command that writes it. A function, not a
//! component: a component of its own costs the browser build more than it saves.

use crate::i18n::{t, Lang, Msg};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// What is being edited: the file's path and its text so far.
pub type Editing = UseStateHandle<Option<(String, String)>>;

/// The editor for `editing`'s file, if one is being edited. `ids` are the text
/// area's and the Save button's.
pub fn file_editor(
    lang: Lang,
    ids: (&'static str, &'static str),
    editing: &Editing,
    save_label: Msg,
    on_save: &Callback<(String, String)>,
) -> Html {
    let Some((path, text)) = editing.as_ref() else {
        return Html::default();
    };
    let oninput = {
        let (editing, path) = (editing.clone(), path.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target_dyn_into::<HtmlTextAreaElement>() {
                editing.set(Some((path.clone(), area.value())));
            }
        })
    };
    let save = {
        let (editing, on_save, file) = (
            editing.clone(),
            on_save.clone(),
            (path.clone(), text.clone()),
        );
        Callback::from(move |_: MouseEvent| {
            on_save.emit(file.clone());
            editing.set(None);
        })
    };
    let cancel = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(None))
    };
    html! {
        <div class="file-editor">
            <label>
                <span>{ t(lang, Msg::InspectEditing) }{ " " }<span class="mono">{ path }</span></span>
                <textarea id={ids.0} spellcheck="false" value={text.clone()} {oninput} rows="6" />
            </label>
            <div class="lesson-actions">
                <button type="button" id={ids.1} onclick={save}>{ t(lang, save_label) }</button>
                <button type="button" onclick={cancel}>{ t(lang, Msg::InspectCancel) }</button>
            </div>
        </div>
    }
}
