//! The root of embed mode (`?embed=1`): the stage and the terminal (and the
//! editor with `editor=1`) sized for a tutorial's `<iframe>`, saved under the
//! embed's own key, driven by the parent page through `postMessage`
//! (`crate::embed::message`), with a link that opens the state in the full app.

use crate::boot::{Keeper, Local, Store};
use crate::browser;
use crate::components::{DockerfileEditor, Stage, Terminal, WorkNotice};
use crate::console::Workspace;
use crate::embed::runner::{Job, Runner};
use crate::embed::{full_app_url, storage_key, Options};
use crate::i18n::{t, Lang, Msg};
use crate::persist::{self, Saved};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// What the embed starts from, read once.
struct Setup {
    options: Options,
    lang: Lang,
    workspace: Rc<RefCell<Workspace>>,
    keeper: Rc<RefCell<Keeper>>,
    /// Its own saved work was restored: the address's start is not replayed.
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
    let workspace = saved
        .as_ref()
        .map_or_else(Workspace::default, |s| Workspace::replay(&s.commands));
    browser::mark("layerlab:restored");
    Setup {
        options,
        lang,
        workspace: Rc::new(RefCell::new(workspace)),
        keeper: Rc::new(RefCell::new(Keeper::embedded(
            key,
            raw.filter(|_| saved.is_some()),
        ))),
        restored: saved.is_some(),
    }
}

#[function_component(Embedded)]
pub fn embedded() -> Html {
    let setup = use_memo((), |_| setup());
    let lang = setup.lang;
    let workspace = setup.workspace.clone();
    let revision = use_mut_ref(|| 0u64);
    let redraw = use_force_update();
    let status = use_state(|| None::<String>);
    let dockerfile = use_state(|| {
        workspace
            .borrow()
            .project_dockerfile()
            .unwrap_or_else(|| crate::TUTORIAL_DOCKERFILE.to_owned())
    });
    let changed = {
        let (revision, redraw) = (revision.clone(), redraw.clone());
        Callback::from(move |()| {
            *revision.borrow_mut() += 1;
            redraw.force_update();
        })
    };
    let runner = use_memo((), {
        let (workspace, status, changed) = (workspace.clone(), status.clone(), changed.clone());
        let options = setup.options.clone();
        move |_| {
            let status = Callback::from(move |s| status.set(s));
            Runner::new(options, lang, workspace, status, changed)
        }
    });
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
    let rev = *revision.borrow();
    // Saved under the embed's own key after every change.
    let saved = {
        let ws = workspace.borrow();
        Saved {
            version: persist::VERSION,
            lang: lang.code().to_owned(),
            dockerfile: (*dockerfile).clone(),
            commands: ws.console.log.clone(),
            lesson: setup
                .options
                .start
                .lesson_lines()
                .map(|(_, id)| id.to_owned()),
            done: Vec::new(),
            sandbox: None,
            step: 0,
            lessons: Vec::new(),
        }
    };
    {
        let (keeper, workspace, saved) = (setup.keeper.clone(), workspace.clone(), saved.clone());
        use_effect_with((rev, (*dockerfile).clone()), move |_| {
            let on_disk = workspace.borrow().project_dockerfile();
            keeper
                .borrow_mut()
                .save(&mut Local, &saved, on_disk.as_deref());
        });
    }
    {
        // A command or a reset that rewrote the project's Dockerfile shows in
        // the editor; text typed but not built stays while the file is as it was.
        let (workspace, dockerfile) = (workspace.clone(), dockerfile.clone());
        let on_disk = use_mut_ref(|| workspace.borrow().project_dockerfile());
        use_effect_with(rev, move |_| {
            let now = workspace.borrow().project_dockerfile();
            if now != *on_disk.borrow() {
                if let Some(text) = &now {
                    dockerfile.set(text.clone());
                }
                *on_disk.borrow_mut() = now;
            }
        });
    }
    // The link's address holds the state compressed: it is made when the
    // reader reaches for the link (pointer, touch or focus come before the
    // click), not at every command — and the compressor is not first-load code.
    let to_full_app = {
        let saved = saved.clone();
        Callback::from(move |e: Event| {
            if let Some(link) = e.target_dyn_into::<web_sys::HtmlAnchorElement>() {
                link.set_href(&full_app_url(
                    &browser::pathname(),
                    &persist::to_fragment(&saved),
                ));
            }
        })
    };
    // The terminal's own commands are reported too, as the reader types them.
    let on_terminal = {
        let (runner, changed) = ((*runner).clone(), changed.clone());
        Callback::from(move |()| {
            runner.report(None);
            changed.emit(());
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
    let on_build = {
        let (runner, dockerfile) = ((*runner).clone(), dockerfile.clone());
        Callback::from(move |()| {
            runner.workspace.borrow_mut().build(&dockerfile);
            runner.report(None);
            changed.emit(());
        })
    };
    let on_edit = {
        let dockerfile = dockerfile.clone();
        Callback::from(move |text: String| dockerfile.set(text))
    };
    html! {
        <div class={classes!("embed", setup.options.editor.then_some("with-editor"))} role="region" aria-label={t(lang, Msg::EmbedRegion)}>
            <Stage {lang} workspace={workspace.clone()} revision={rev} on_select={Callback::noop()} />
            <Terminal {lang} workspace={workspace.clone()} revision={rev} on_change={on_terminal} />
            if setup.options.editor {
                <DockerfileEditor {lang} text={(*dockerfile).clone()} {on_edit} {on_build} />
            }
            <WorkNotice {lang} keeper={setup.keeper.clone()} on_download={Callback::noop()} />
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
    }
}
