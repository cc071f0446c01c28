//! The inspector: a layer's own diff and digests, or a container's merged
//! files with the layer each comes from. File actions type their command
//! into the terminal (`docker exec …`), so the learner sees what they stand for.

use super::file_editor::file_editor;
use crate::hooks::use_lang;
use crate::i18n::{kind_word, t, Lang, Msg};
use crate::shared::Shared;
use crate::state::Action;
use crate::view::inspect::{
    action, change_class, change_icon, container_dir, layer_view, Change, DirView, LayerView,
    Selected,
};
use crate::workspace::Workspace;
use layerlab_engine::diff::Kind;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub workspace: Shared<Workspace>,
    pub selected: Option<Selected>,
    /// Choosing what to look at, and the file actions' command lines, go to
    /// the app's state.
    pub on_action: Callback<Action>,
}

fn change_word(c: Change) -> Msg {
    match c {
        Change::Added => Msg::ChangeAdded,
        Change::Changed => Msg::ChangeChanged,
        Change::Whiteout => Msg::ChangeWhiteout,
        Change::Opaque => Msg::ChangeOpaque,
    }
}

// Drawn only once something is chosen: kept out of line, so a first visit
// (nothing chosen) does not load it (see the split in ARCHITECTURE.md).
#[inline(never)]
fn layer_html(lang: Lang, v: &LayerView) -> Html {
    let rows = v.entries.iter().map(|e| {
        html! {
            <tr class={change_class(e.change)}>
                <td><span aria-hidden="true" class="icon">{ change_icon(e.change) }</span>{ " " }{ t(lang, change_word(e.change)) }</td>
                <td class="mono">{ &e.path }</td>
                <td>{ e.kind.map(|k| kind_word(lang, k)).unwrap_or_default() }</td>
                <td class="num">{ &e.size }</td>
            </tr>
        }
    });
    html! {
        <>
            <h3>{ t(lang, Msg::InspectLayer) }{ ": " }<span class="mono">{ &v.name }</span></h3>
            <dl class="digests">
                <dt>{ t(lang, Msg::InspectDiffId) }</dt><dd class="mono">{ &v.diff_id }</dd>
                <dt>{ t(lang, Msg::InspectChainId) }</dt><dd class="mono">{ &v.chain_id }</dd>
                <dt>{ t(lang, Msg::InspectCacheId) }</dt><dd class="mono">{ &v.cache_id }</dd>
                <dt>{ t(lang, Msg::InspectUsedBy) }</dt><dd class="mono">{ v.images.join(", ") }</dd>
            </dl>
            <div class="table-scroll">
                <table class="sizes files">
                    <caption>{ t(lang, Msg::InspectOwnDiff) }</caption>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
            if v.more > 0 {
                <p class="hint">{ format!("… {} {}", v.more, t(lang, Msg::InspectMore)) }</p>
            }
        </>
    }
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let lang = use_lang();
    // The file being edited and its text.
    let editing = use_state(|| None::<(String, String)>);
    crate::hooks::use_editor_focus(editing.is_some(), "file-text");
    // A new selection brings the inspector into view (it may be chosen from
    // the storage table below it).
    let pane = use_node_ref();
    {
        let pane = pane.clone();
        // What is looked at, not where in it (moving between directories stays put).
        let what = props.selected.as_ref().map(|s| match s {
            Selected::Layer(id) => format!("layer {}", id.0),
            Selected::Container { id, .. } => format!("container {id}"),
        });
        use_effect_with(what, move |what| {
            if let (Some(_), Some(el)) = (what, pane.cast::<web_sys::Element>()) {
                crate::browser::reveal(&el);
            }
        });
    }
    let ws = &props.workspace;
    let close = props.on_action.reform(|_: MouseEvent| Action::Select(None));
    let body = match &props.selected {
        None => html! { <p class="hint">{ t(lang, Msg::InspectorHint) }</p> },
        Some(Selected::Layer(id)) => match layer_view(&ws.session, *id) {
            Some(v) => layer_html(lang, &v),
            None => html! { <p class="hint">{ t(lang, Msg::InspectorGone) }</p> },
        },
        Some(Selected::Container { id, dir }) => match container_dir(&ws.session, id, dir) {
            Ok(v) => container_html(lang, props, id, &v, &editing),
            Err(_) => html! { <p class="hint">{ t(lang, Msg::InspectorGone) }</p> },
        },
    };
    html! {
        <section class="pane inspector-pane" id="inspector-pane" aria-labelledby="inspector-heading" ref={pane}>
            <div class="pane-head">
                <h2 id="inspector-heading">{ t(lang, Msg::InspectorHeading) }</h2>
                if props.selected.is_some() {
                    <button type="button" class="action" id="inspector-close" onclick={close} aria-label={t(lang, Msg::InspectorClose)} title={t(lang, Msg::InspectorClose)}>
                        <span aria-hidden="true">{ "×" }</span>
                    </button>
                }
            </div>
            { body }
        </section>
    }
}

#[inline(never)]
fn container_html(
    lang: Lang,
    props: &InspectorProps,
    id: &str,
    v: &DirView,
    editing: &UseStateHandle<Option<(String, String)>>,
) -> Html {
    // Runs a command line as if typed.
    let run = |line: String| {
        props
            .on_action
            .reform(move |_: MouseEvent| Action::Submit(line.clone()))
    };
    let open = |dir: String| {
        let id = id.to_owned();
        props.on_action.reform(move |_: MouseEvent| {
            Action::Select(Some(Selected::Container {
                id: id.clone(),
                dir: dir.clone(),
            }))
        })
    };
    let name = &v.container;
    let rows = v.rows.iter().map(|r| {
        let is_dir = r.kind == Kind::Dir;
        if r.deleted {
            return html! {
                <tr class="upper deleted">
                    <td class="mono"><del>{ &r.name }</del></td>
                    <td class="num">{ &r.size }</td>
                    <td class="from"><strong><span aria-hidden="true">{ "⊘ " }</span>{ t(lang, Msg::StageWhiteout) }</strong>{ format!(" ({})", r.from) }</td>
                    <td class="file-actions"></td>
                </tr>
            };
        }
        let label = if is_dir {
            html! { <button type="button" class="link" onclick={open(r.path.clone())}>{ format!("{}/", r.name) }</button> }
        } else {
            html! { <span>{ &r.name }</span> }
        };
        let from = if r.upper {
            html! { <strong><span aria-hidden="true">{ "✎ " }</span>{ t(lang, Msg::StageWritable) }</strong> }
        } else {
            html! { <span>{ &r.from }</span> }
        };
        let edit = r.text.clone().map(|text| {
            let editing = editing.clone();
            let path = r.path.clone();
            let onclick = Callback::from(move |_: MouseEvent| editing.set(Some((path.clone(), text.clone()))));
            html! { <button type="button" class="action" {onclick} disabled={!v.running}>{ t(lang, Msg::InspectEdit) }</button> }
        });
        let file = r.kind == Kind::File;
        html! {
            <tr class={classes!(r.upper.then_some("upper"))}>
                <td class="mono">{ label }</td>
                <td class="num">{ &r.size }</td>
                <td class="from">{ from }</td>
                <td class="file-actions">
                    if file {
                        <button type="button" class="action" onclick={run(action::read(name, &r.path))} disabled={!v.running}>{ t(lang, Msg::InspectRead) }</button>
                        { for edit }
                        <button type="button" class="action" onclick={run(action::append_byte(name, &r.path))} disabled={!v.running}>{ t(lang, Msg::InspectAppend) }</button>
                    }
                    <button type="button" class="action" onclick={run(action::delete(name, &r.path, is_dir))} disabled={!v.running}>{ t(lang, Msg::InspectDelete) }</button>
                </td>
            </tr>
        }
    });
    let on_save = {
        let name = name.clone();
        props
            .on_action
            .reform(move |(path, text): (String, String)| {
                Action::Submit(action::save(&name, &path, &text))
            })
    };
    let editor = file_editor(
        lang,
        ("file-text", "file-save"),
        editing,
        Msg::InspectSave,
        &on_save,
    );
    html! {
        <>
            <h3>{ t(lang, Msg::InspectContainer).replace("{name}", name) }{ crate::i18n::colon(lang) }<span class="mono">{ &v.dir }</span></h3>
            if !v.running {
                <p class="hint">{ t(lang, Msg::InspectNotRunning) }</p>
            }
            if let Some(up) = &v.parent {
                <button type="button" class="action" id="dir-up" onclick={open(up.clone())}>
                    <span aria-hidden="true">{ "↑ " }</span>{ t(lang, Msg::InspectUp) }
                </button>
            }
            { editor }
            <div class="table-scroll">
                <table class="sizes files">
                    <thead><tr>
                        <th>{ t(lang, Msg::InspectName) }</th>
                        <th class="num">{ t(lang, Msg::InspectSize) }</th>
                        <th>{ t(lang, Msg::InspectFrom) }</th>
                        <th>{ t(lang, Msg::InspectActions) }</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </>
    }
}
