//! The build context: the project's files on the host (what `COPY . /app`
//! sends), to edit, add and remove. Every change is a command typed into the
//! terminal (`cat > … <<'EOF'`, `touch`, `rm`), so the log replays it.

use super::file_editor::file_editor;
use crate::hooks::use_lang;
use crate::i18n::{t, Msg};
use crate::shared::Shared;
use crate::state::Action;
use crate::view::inspect::{action, context_files};
use crate::workspace::Workspace;
use layerlab_engine::command::PROJECT_DIR;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ContextFilesProps {
    pub workspace: Shared<Workspace>,
    /// Every change is a command line for the app's state to run.
    pub on_action: Callback<Action>,
}

/// Whether `name` is a path inside the project a learner can create.
fn acceptable(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.ends_with('/')
        && name
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
        && !name.chars().any(char::is_control)
}

#[function_component(ContextFiles)]
pub fn context_files_pane(props: &ContextFilesProps) -> Html {
    let lang = use_lang();
    let editing = use_state(|| None::<(String, String)>);
    crate::hooks::use_editor_focus(editing.is_some(), "context-text");
    let new_name = use_state(String::new);
    let problem = use_state(|| false);
    let files = context_files(&props.workspace.session);

    let submit = {
        let on_action = props.on_action.clone();
        move |line: String| on_action.emit(Action::Submit(line))
    };
    let rows = files.iter().map(|f| {
        let delete = {
            let (submit, line) = (submit.clone(), action::delete_on_host(&f.path));
            Callback::from(move |_: MouseEvent| submit(line.clone()))
        };
        let edit = f.text.clone().map(|text| {
            let (editing, path) = (editing.clone(), f.path.clone());
            let onclick = Callback::from(move |_: MouseEvent| editing.set(Some((path.clone(), text.clone()))));
            html! { <button type="button" class="action" {onclick} aria-label={format!("{} {}", t(lang, Msg::InspectEdit), f.name)}>{ t(lang, Msg::InspectEdit) }</button> }
        });
        html! {
            <li>
                <span class="mono name">{ &f.name }</span>
                <span class="num">{ &f.size }</span>
                { for edit }
                <button type="button" class="action" onclick={delete} aria-label={format!("{} {}", t(lang, Msg::InspectDelete), f.name)}>{ t(lang, Msg::InspectDelete) }</button>
            </li>
        }
    });
    let on_save = {
        let submit = submit.clone();
        Callback::from(move |(path, text): (String, String)| {
            submit(action::save_on_host(&path, &text))
        })
    };
    let editor = file_editor(
        lang,
        ("context-text", "context-save"),
        &editing,
        Msg::ContextSave,
        &on_save,
    );
    let on_name = {
        let (new_name, problem) = (new_name.clone(), problem.clone());
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e.target_dyn_into::<HtmlInputElement>() {
                new_name.set(input.value());
                problem.set(false);
            }
        })
    };
    let on_add = {
        let (new_name, problem, editing, submit) = (
            new_name.clone(),
            problem.clone(),
            editing.clone(),
            submit.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let name = new_name.trim().to_owned();
            if !acceptable(&name) {
                problem.set(true);
                return;
            }
            let path = format!("{PROJECT_DIR}/{name}");
            submit(action::new_on_host(&path));
            editing.set(Some((path, String::new())));
            new_name.set(String::new());
        })
    };
    html! {
        <details class="context" open=true>
            <summary>{ format!("{}{}", t(lang, Msg::ContextHeading), crate::i18n::parenthesised(lang, &files.len().to_string())) }</summary>
            <p class="hint">{ t(lang, Msg::ContextHint) }</p>
            <ul class="context-files">{ for rows }</ul>
            { editor }
            <form class="context-new" onsubmit={on_add}>
                <label>
                    <span>{ t(lang, Msg::ContextNewLabel) }</span>
                    <input id="context-new" type="text" spellcheck="false" autocomplete="off" value={(*new_name).clone()} oninput={on_name}
                        aria-invalid={problem.then_some("true")} aria-describedby="context-problem" />
                </label>
                <button type="submit" class="action">{ t(lang, Msg::ContextAdd) }</button>
                <span id="context-problem" class="problem" role="alert">{ if *problem { t(lang, Msg::ContextBadName) } else { "" } }</span>
            </form>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::acceptable;

    #[test]
    fn new_file_names_stay_inside_the_project() {
        let cases = [
            ("notes.txt", true),
            ("src/main.py", true),
            (".env", true),
            ("", false),
            ("/etc/passwd", false),
            ("../outside", false),
            ("src/../../x", false),
            ("dir/", false),
            ("a//b", false),
            ("bad\nname", false),
        ];
        for (name, ok) in cases {
            assert_eq!(acceptable(name), ok, "{name:?}");
        }
    }
}
