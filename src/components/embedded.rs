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
    /// The rest of the reader's work, when it did not replay within the
    /// first slice (the runner replays it in slices).
    waiting: RefCell<Option<crate::replay::Replay>>,
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
    let start = browser::now();
    let (workspace, waiting) = match &saved {
        Some(s) => crate::boot::replayed(&s.commands, || {
            browser::now() - start < crate::boot::FIRST_SLICE_MS
        }),
        None => (Workspace::default(), None),
    };
    let state = match &saved {
        Some(s) => AppState::restored(lang, Shared::new(workspace), s),
        None => AppState::new(lang, Shared::new(workspace)),
    };
    // Commands wait for large digests rather than hash them at once.
    let state = AppState {
        defer_hashing: true,
        restoring: waiting.as_ref().map(crate::replay::Replay::progress),
        ..state
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
        waiting: RefCell::new(waiting),
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
        let waiting = setup.waiting.borrow_mut().take();
        use_effect_with((), move |_| {
            for entry in &runner.options.refused {
                browser::warn(&format!("{} {entry}", t(lang, Msg::EmbedBadOrigin)));
            }
            let listening = runner.clone();
            let listener = browser::on_message(move |posted| listening.push(Job::Posted(posted)));
            // The reader's own work, when it came back, is not replaced by the start.
            if let Some(replay) = waiting {
                runner.push(Job::Restore(Box::new(replay)));
            } else if restored {
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
            // In order with the page's requests, after what waits for its digests.
            crate::split::when_ready(move || runner.push(Job::Act { action, ran }));
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
    let hashing = shown.hashing.as_ref().map(|h| {
        let (done, total) = h.progress();
        (done, total, None)
    });
    html! {
        <ContextProvider<Lang> context={lang}>
        <div class={classes!("embed", setup.options.editor.then_some("with-editor"))} role="region" aria-label={t(lang, Msg::EmbedRegion)}>
            <Stage workspace={ws.clone()} speed={shown.speed} on_action={on_action.clone()} />
            <Terminal workspace={ws} on_action={on_action.clone()} hashing={hashing} restoring={shown.restoring} />
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
