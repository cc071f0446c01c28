//! The root of embed mode (`?embed=1`): the stage and the terminal (and the
//! editor with `editor=1`) sized for a tutorial's `<iframe>`, saved under the
//! embed's own key, driven by the parent page through `postMessage`
//! (`embed::runner`), with a link that opens the state in the full app.

use crate::boot::{Keeper, Local, Store};
use crate::browser;
use crate::components::{DockerfileEditor, Stage, Terminal, WorkNotice};
use crate::embed::runner::{Job, Runner};
use crate::embed::{full_app_url, storage_key, Options};
use crate::hooks::use_autosave;
use crate::i18n::{t, Lang, Msg};
use crate::persist;
use crate::shared::Shared;
use crate::state::{Action, AppState};
use crate::workspace::Workspace;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// What the embed starts from, read once.
struct Setup {
    options: Options,
    /// The reader's own work under the embed's key, or an empty state (the
    /// address's start then replaces it).
    state: Rc<AppState>,
    keeper: Shared<RefCell<Keeper>>,
    restored: bool,
}

fn setup() -> Setup {
    browser::mark("layerlab:boot");
    let options = Options::read(
        browser::query_param,
        &browser::own_origin(),
        browser::location_hash(),
    );
    let key = storage_key(
        &browser::referrer(),
        &browser::frame_name(),
        &browser::search(),
    );
    let raw = Local.get(&key);
    let saved = raw.as_deref().and_then(|r| persist::load(r).ok());
    let lang = Lang::choose(
        browser::query_param("lang")
            .or_else(|| saved.as_ref().map(|s| s.lang.clone()))
            .as_deref(),
        &browser::preferred_languages(),
    );
    let state = match &saved {
        Some(s) => AppState::restored(lang, Shared::new(Workspace::replay(&s.commands)), s),
        None => AppState::new(lang, Shared::new(Workspace::default())),
    };
    browser::mark("layerlab:restored");
    Setup {
        options,
        state: Rc::new(state),
        keeper: Shared::new(RefCell::new(Keeper::embedded(
            key,
            raw.filter(|_| saved.is_some()),
        ))),
        restored: saved.is_some(),
    }
}

#[function_component(Embedded)]
pub fn embedded() -> Html {
    let setup = use_memo((), |_| setup());
    let shown = use_state(|| setup.state.clone());
    let status = use_state(|| None::<String>);
    let runner = use_memo((), {
        let (shown, status, setup) = (shown.clone(), status.clone(), setup.clone());
        move |_| {
            let status = Callback::from(move |s| status.set(s));
            let show = Callback::from(move |s| shown.set(s));
            Runner::new(setup.options.clone(), setup.state.clone(), status, show)
        }
    });
    let lang = shown.lang;
    {
        let (runner, restored) = ((*runner).clone(), setup.restored);
        use_effect_with((), move |_| {
            for entry in &runner.options.refused {
                browser::warn(&format!("{} {entry}", t(lang, Msg::EmbedBadOrigin)));
            }
            let listening = runner.clone();
            let listener = browser::on_message(move |posted| listening.push(Job::Posted(posted)));
            // The reader's own work, when it came back, is not replaced by the start.
            if restored {
                runner.announce();
            } else {
                runner.push(Job::Start {
                    first: true,
                    reply_to: None,
                });
            }
            browser::mark("layerlab:ready");
            crate::split::prefetch();
            move || drop(listener)
        });
    }
    use_autosave(true, setup.keeper.clone(), &shown);
    // The panes' actions change the state through the runner, and a command
    // the reader typed is reported to the page as one the page sent would be.
    let on_action = {
        let runner = (*runner).clone();
        Callback::from(move |action: Action| {
            let ran = matches!(
                action,
                Action::Submit(_) | Action::Build | Action::Undo | Action::Redo
            );
            let runner = runner.clone();
            crate::split::when_ready(move || {
                runner.act(action);
                if ran {
                    runner.report(None);
                }
            });
        })
    };
    // The link's address holds the state compressed: it is made when the
    // reader reaches for the link (pointer, touch or focus come before the
    // click), not at every command — and the compressor is not first-load code.
    let to_full_app = {
        let runner = (*runner).clone();
        Callback::from(move |e: Event| {
            if let Some(link) = e.target_dyn_into::<web_sys::HtmlAnchorElement>() {
                let fragment = persist::to_fragment(&runner.state().link());
                link.set_href(&full_app_url(&browser::pathname(), &fragment));
            }
        })
    };
    let on_reset = {
        let runner = (*runner).clone();
        Callback::from(move |_: MouseEvent| {
            runner.push(Job::Start {
                first: false,
                reply_to: None,
            })
        })
    };
    let ws = shown.workspace.clone();
    html! {
        <ContextProvider<Lang> context={lang}>
        <div class={classes!("embed", setup.options.editor.then_some("with-editor"))} role="region" aria-label={t(lang, Msg::EmbedRegion)}>
            <Stage workspace={ws.clone()} speed={shown.speed} on_action={on_action.clone()} />
            <Terminal workspace={ws} on_action={on_action.clone()} />
            if setup.options.editor {
                <DockerfileEditor text={shown.dockerfile.clone()} {on_action} step={shown.build_line} />
            }
            <WorkNotice keeper={setup.keeper.clone()} on_download={Callback::noop()} />
            <footer class="embed-bar">
                <button type="button" id="embed-reset" onclick={on_reset}>
                    <span aria-hidden="true">{ "↺ " }</span>{ t(lang, Msg::EmbedReset) }
                </button>
                if let Some(said) = &*status {
                    <span class="embed-status" role="status">{ said.clone() }</span>
                }
                <a id="open-full" href={full_app_url(&browser::pathname(), "")} target="_blank" rel="noopener"
                    onfocus={to_full_app.reform(Event::from)} onpointerenter={to_full_app.reform(Event::from)}
                    onpointerdown={to_full_app.reform(Event::from)}>
                    { t(lang, Msg::EmbedOpenFull) }<span aria-hidden="true">{ " ↗" }</span>
                </a>
            </footer>
        </div>
        </ContextProvider<Lang>>
    }
}
