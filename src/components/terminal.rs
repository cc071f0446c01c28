//! The terminal: type `docker …` lines, see Docker's output. History with ↑/↓,
//! Tab completion, `clear` and `help`.

use crate::console::{complete, quick_actions, ScreenLine};
use crate::hooks::use_lang;
use crate::i18n::{t, Lang, Msg};
use crate::shared::Shared;
use crate::state::Action;
use crate::workspace::Workspace;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    pub workspace: Shared<Workspace>,
    /// Lines run, undo and redo go to the app's state.
    pub on_action: Callback<Action>,
    /// While a command waits for its layers' digests: bytes hashed, of how
    /// many, and, when it may be cancelled, the line typed (given back then).
    #[prop_or_default]
    pub hashing: Option<(u64, u64, Option<String>)>,
    /// While saved work is replayed in slices: how far (a line typed
    /// meanwhile stays typed until it is there).
    #[prop_or_default]
    pub restoring: Option<crate::replay::Progress>,
}

#[function_component(Terminal)]
pub fn terminal(props: &TerminalProps) -> Html {
    let lang = use_lang();
    let input = use_state(String::new);
    // How far back in history ↑ has gone (0: editing a new line).
    let back = use_state(|| 0usize);
    let screen_ref = use_node_ref();
    // Waiting for the rest of the code (`Some(None)`), or why it failed.
    let rest = use_state(|| None::<Option<String>>);

    {
        let screen_ref = screen_ref.clone();
        // The screen opens on its newest line (its column runs bottom-up, in
        // the stylesheet) and returns there after each command, once the
        // frame lays it out.
        use_effect_with(props.workspace.clone(), move |_| {
            crate::browser::before_next_frame(move || {
                if let Some(el) = screen_ref.cast::<web_sys::Element>() {
                    el.set_scroll_top(el.scroll_height());
                }
            });
        });
    }

    let oninput = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(el) = e.target_dyn_into::<HtmlInputElement>() {
                input.set(el.value());
            }
        })
    };

    let onkeydown = on_key(&input, &back, &rest, props);

    let ws = &props.workspace;
    let buttons = quick_actions(&ws.session).into_iter().map(|(label, line)| {
        let onclick = props
            .on_action
            .reform(move |_: MouseEvent| Action::Submit(line.clone()));
        html! { <button type="button" class="action" {onclick}>{ label }</button> }
    });
    let undo_redo = |undo: bool| {
        let action = if undo { Action::Undo } else { Action::Redo };
        props.on_action.reform(move |_: MouseEvent| action.clone())
    };
    let lines = screen_html(lang, &ws.console.screen);

    html! {
        <section class="pane terminal-pane" id="terminal-pane" aria-labelledby="terminal-heading">
            <h2 id="terminal-heading">{ t(lang, Msg::TerminalHeading) }</h2>
            <div class="screen" ref={screen_ref} role="log" aria-live="polite" aria-label={t(lang, Msg::TerminalOutput)} tabindex="0">
                <div class="transcript">
                    if ws.console.screen.is_empty() {
                        <div class="line hint">{ t(lang, Msg::TerminalHint) }</div>
                    }
                    { for lines.into_iter() }
                </div>
            </div>
            <div class="actions" role="group" aria-label={t(lang, Msg::TerminalActions)}>
                <button type="button" id="undo" class="action undo" onclick={undo_redo(true)} disabled={ws.console.log.is_empty()}>
                    <span aria-hidden="true">{ "↶ " }</span>{ t(lang, Msg::Undo) }
                </button>
                <button type="button" id="redo" class="action undo" onclick={undo_redo(false)} disabled={ws.undone.is_empty()}>
                    <span aria-hidden="true">{ "↷ " }</span>{ t(lang, Msg::Redo) }
                </button>
                { for buttons }
            </div>
            <label class="command">
                <span class="prompt" aria-hidden="true">{
                    if ws.console.pending.is_some() {
                        ">".to_owned()
                    } else {
                        ws.session.prompt().map_or_else(|| "$".to_owned(), |p| p.trim_end().to_owned())
                    }
                }</span>
                <span class="visually-hidden">{
                    t(lang, if ws.session.prompt().is_some() { Msg::TerminalInputContainer } else { Msg::TerminalInput })
                }</span>
                <input id="command" type="text" spellcheck="false" autocomplete="off" autocapitalize="off"
                    value={(*input).clone()} {oninput} {onkeydown} />
            </label>
            if let Some((done, total, line)) = &props.hashing {
                { hashing_html(lang, *done, *total, line.clone(), &input, &props.on_action) }
            }
            if let Some(progress) = props.restoring {
                { restoring_html(lang, progress, &input, &props.on_action) }
            }
            if let Some(state) = &*rest {
                <p class={classes!("notice", "rest", state.is_none().then_some("opened"))} role="status">{
                    match state {
                        None => t(lang, Msg::RestLoading).to_owned(),
                        Some(why) => format!("{} {why}", t(lang, Msg::RestFailed)),
                    }
                }</p>
            }
        </section>
    }
}

/// The progress of the digests a command waits for, with Cancel (which
/// leaves the state as before the command and gives the typed line back).
#[inline(never)]
fn hashing_html(
    lang: Lang,
    done: u64,
    total: u64,
    line: Option<String>,
    input: &UseStateHandle<String>,
    on_action: &Callback<Action>,
) -> Html {
    // In the units Docker prints sizes in (210MB for 200 MiB), as the stage does.
    let size = |n: u64| layerlab_engine::size::human_size_with_precision(n as f64, 3);
    let onclick = {
        let (input, on_action) = (input.clone(), on_action.clone());
        let line = line.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(line) = &line {
                if input.is_empty() {
                    input.set(line.clone());
                }
            }
            on_action.emit(Action::CancelHashing);
        })
    };
    html! {
        <p class="notice opened hashing" role="status">
            { format!("{}{}{} / {} ", t(lang, Msg::HashingLayers), crate::i18n::colon(lang), size(done), size(total)) }
            <progress max={total.to_string()} value={done.to_string()}></progress>
            { " " }
            if line.is_some() {
                <button type="button" class="cancel-hashing" {onclick}>{ t(lang, Msg::HashingCancel) }</button>
            }
        </p>
    }
}

/// How far the saved work's replay is, and the digests a command of it waits for.
#[inline(never)]
fn restoring_html(
    lang: Lang,
    progress: crate::replay::Progress,
    input: &UseStateHandle<String>,
    on_action: &Callback<Action>,
) -> Html {
    let (done, total) = progress.lines;
    html! {
        <>
            <p class="notice opened restoring" role="status">
                { format!("{}{}{done} / {total} ", t(lang, Msg::RestoringCommands), crate::i18n::colon(lang)) }
                <progress max={total.to_string()} value={done.to_string()}></progress>
            </p>
            if let Some((done, total)) = progress.hashing {
                { hashing_html(lang, done, total, None, input, on_action) }
            }
        </>
    }
}

/// The screen's newest lines; consecutive output lines share one element (a
/// long transcript draws fast).
fn screen_html(lang: Lang, screen: &[ScreenLine]) -> Vec<Html> {
    let mut lines: Vec<Html> = Vec::new();
    let mut out = String::new();
    let flush = |out: &mut String, lines: &mut Vec<Html>| {
        if !out.is_empty() {
            out.pop();
            lines.push(html! { <div class="line out">{ std::mem::take(out) }</div> });
        }
    };
    let (hidden, screen) = crate::console::shown(screen);
    if hidden > 0 {
        lines.push(html! { <div class="line hint hidden-lines">{ format!("{hidden} {}", t(lang, Msg::ScreenHidden)) }</div> });
    }
    for l in screen {
        if let ScreenLine::Output(text) = l {
            out.push_str(text);
            out.push('\n');
            continue;
        }
        flush(&mut out, &mut lines);
        lines.push(match l {
            ScreenLine::Input(text) => html! { <div class="line input"><span class="prompt" aria-hidden="true">{"$ "}</span>{ text }</div> },
            ScreenLine::InContainer { prompt, text } => html! { <div class="line input in-container"><span class="prompt" aria-hidden="true">{ prompt.clone() }</span>{ text }</div> },
            ScreenLine::More(text) => html! { <div class="line input"><span class="prompt" aria-hidden="true">{"> "}</span>{ text }</div> },
            ScreenLine::Error(text) => html! { <div class="line err">{ text }</div> },
            ScreenLine::Said(msg) => html! { <div class="line out">{ t(lang, *msg) }</div> },
            ScreenLine::Note { text, error, note } => {
                let (at, note) = &**note;
                let said = format!("{}{}", text.get(..*at).unwrap_or_default(), crate::i18n::note(lang, note));
                html! { <div class={classes!("line", "note", if *error { "err" } else { "out" })}>{ said }</div> }
            }
            ScreenLine::Output(_) => Html::default(),
        });
    }
    flush(&mut out, &mut lines);
    lines
}

/// Enter runs the line (once the rest of the code is there: a split build's
/// second file is awaited, not fetched synchronously, and the line stays
/// typed); ↑/↓ walk the history; Tab completes.
fn on_key(
    input: &UseStateHandle<String>,
    back: &UseStateHandle<usize>,
    rest: &UseStateHandle<Option<Option<String>>>,
    props: &TerminalProps,
) -> Callback<KeyboardEvent> {
    let (input, back, rest) = (input.clone(), back.clone(), rest.clone());
    let (workspace, on_action) = (props.workspace.clone(), props.on_action.clone());
    let waiting = props.hashing.is_some() || props.restoring.is_some();
    Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
        "Enter" => {
            e.prevent_default();
            // A command waits for its digests: the next line stays typed.
            if waiting {
                return;
            }
            // The rest of the code (a split build's second file) is
            // awaited, not fetched synchronously; the line stays typed.
            if !crate::split::ready() {
                if *rest != Some(None) {
                    rest.set(Some(None));
                    let (line, input, back, rest, on_action) = (
                        (*input).clone(),
                        input.clone(),
                        back.clone(),
                        rest.clone(),
                        on_action.clone(),
                    );
                    yew::platform::spawn_local(async move {
                        match crate::split::load().await {
                            Ok(()) => {
                                rest.set(None);
                                on_action.emit(Action::Submit(line));
                                input.set(String::new());
                                back.set(0);
                            }
                            Err(why) => rest.set(Some(Some(why))),
                        }
                    });
                }
                return;
            }
            on_action.emit(Action::Submit((*input).clone()));
            input.set(String::new());
            back.set(0);
        }
        "ArrowUp" => {
            e.prevent_default();
            let recalled = workspace.console.recall(*back + 1).map(str::to_owned);
            if let Some(line) = recalled {
                input.set(line);
                back.set(*back + 1);
            }
        }
        "ArrowDown" => {
            e.prevent_default();
            if *back > 1 {
                let recalled = workspace.console.recall(*back - 1).map(str::to_owned);
                if let Some(line) = recalled {
                    input.set(line);
                }
                back.set(*back - 1);
            } else {
                input.set(String::new());
                back.set(0);
            }
        }
        "Tab" if !input.is_empty() => {
            let done = complete(&workspace.session, &input);
            if let Some(done) = done {
                e.prevent_default();
                input.set(done);
            }
        }
        _ => {}
    })
}
