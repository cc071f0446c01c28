//! The root of embed mode (`?embed=1`): the stage and the terminal (and the
//! editor with `editor=1`) sized for a tutorial's `<iframe>`, saved under the
//! embed's own key, driven by the parent page through `postMessage`
//! (`crate::embed::message`), with a link that opens the state in the full app.

use crate::boot::{Keeper, Local, Store};
use crate::browser;
use crate::components::{DockerfileEditor, Stage, Terminal, WorkNotice};
use crate::console::Workspace;
use crate::embed::message::{self, Request};
use crate::embed::report::{ran_since, Seen};
use crate::embed::{full_app_url, storage_key, Options, Start};
use crate::i18n::{t, Lang, Msg};
use crate::persist::{self, Saved};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
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

/// Work for the embed, done in order: its start, then the parent's requests.
enum Job {
    /// The address's start: on load (`first`, then `layerlab:ready`), or "Start again".
    Start {
        first: bool,
    },
    Request {
        request: Request,
        origin: String,
    },
}

/// Runs jobs one after another (a request waits for the start, and for the
/// rest of the code in a split build), and tells the parent page what ran.
#[derive(Clone)]
struct Runner {
    options: Rc<Options>,
    lang: Lang,
    workspace: Rc<RefCell<Workspace>>,
    jobs: Rc<RefCell<VecDeque<Job>>>,
    busy: Rc<Cell<bool>>,
    seen: Rc<Cell<Seen>>,
    /// Loading or failure, shown in the embed's bar.
    status: UseStateHandle<Option<String>>,
    changed: Callback<()>,
}

impl Runner {
    fn push(&self, job: Job) {
        self.jobs.borrow_mut().push_back(job);
        if self.busy.replace(true) {
            return;
        }
        let runner = self.clone();
        yew::platform::spawn_local(async move {
            loop {
                let job = runner.jobs.borrow_mut().pop_front();
                match job {
                    Some(job) => runner.run(job).await,
                    None => break,
                }
            }
            runner.busy.set(false);
        });
    }

    async fn run(&self, job: Job) {
        match job {
            Job::Start { first } => {
                self.start(&Value::Null, None).await;
                let commands = self.workspace.borrow().console.log.len();
                let said = if first {
                    message::ready(&Value::Null, self.lang)
                } else {
                    message::state(&Value::Null, commands)
                };
                for origin in &self.options.origins {
                    browser::post_to_parent(&said.to_string(), origin);
                }
            }
            Job::Request { request, origin } => {
                if !crate::split::ready() {
                    if let Err(why) = crate::split::load().await {
                        let reply = message::error(request.id(), &why);
                        browser::post_to_parent(&reply.to_string(), &origin);
                        return;
                    }
                }
                match request {
                    Request::Run { id, command } => {
                        // Typed line by line, as if pasted: a heredoc waits for its end.
                        let lines: Vec<&str> = command.split('\n').collect();
                        for (i, line) in lines.iter().enumerate() {
                            let seen = Seen::now(&self.workspace.borrow());
                            self.workspace.borrow_mut().submit(line);
                            let done = self.workspace.borrow().console.log.len() > seen.log;
                            if done || i + 1 == lines.len() {
                                self.report(&id, seen, Some(&origin));
                            }
                        }
                        self.changed.emit(());
                    }
                    Request::Ping { id } => {
                        let ready = message::ready(&id, self.lang).to_string();
                        browser::post_to_parent(&ready, &origin);
                    }
                    Request::Reset { id } => self.start(&id, Some(&origin)).await,
                    Request::Load { id, scenario } => {
                        self.replace(scenario.as_bytes(), &id, Some(&origin))
                    }
                }
            }
        }
    }

    /// Back to the address's start (a permalink, a scenario, a lesson step, or empty).
    async fn start(&self, id: &Value, origin: Option<&str>) {
        match &self.options.start {
            Start::Fresh => self.put(Workspace::default(), id, origin),
            Start::Link(fragment) => match persist::from_fragment(fragment) {
                Ok(saved) => self.put(Workspace::replay(&saved.commands), id, origin),
                Err(why) => self.failed(&crate::boot::explain(self.lang, &why), id, origin),
            },
            Start::Lesson { .. } => {
                let lines = self.options.start.lesson_lines().map(|(l, _)| l);
                self.put(Workspace::replay(&lines.unwrap_or_default()), id, origin);
            }
            Start::Scenario(url) => {
                let Some(url) = browser::same_origin_url(url) else {
                    let why = t(self.lang, Msg::EmbedScenarioElsewhere);
                    return self.failed(&format!("{why} ({url})"), id, origin);
                };
                self.status
                    .set(Some(t(self.lang, Msg::EmbedLoading).to_owned()));
                match browser::fetch_text(&url).await {
                    Ok(text) => self.replace(text.as_bytes(), id, origin),
                    Err(why) => self.failed(&format!("{why} ({url})"), id, origin),
                }
            }
        }
    }

    /// A scenario file's text replayed in a fresh workspace.
    fn replace(&self, bytes: &[u8], id: &Value, origin: Option<&str>) {
        match crate::scenario::from_bytes(bytes) {
            Ok(opened) => self.put(Workspace::replay(&opened.commands), id, origin),
            Err(why) => self.failed(t(self.lang, why.message()), id, origin),
        }
    }

    fn put(&self, next: Workspace, id: &Value, origin: Option<&str>) {
        let commands = next.console.log.len();
        self.seen.set(Seen::now(&next));
        *self.workspace.borrow_mut() = next;
        self.status.set(None);
        self.changed.emit(());
        if let Some(origin) = origin {
            browser::post_to_parent(&message::state(id, commands).to_string(), origin);
        }
    }

    fn failed(&self, why: &str, id: &Value, origin: Option<&str>) {
        let said = format!("{} {why}", t(self.lang, Msg::EmbedScenarioFailed));
        browser::warn(&said);
        self.status.set(Some(said.clone()));
        if let Some(origin) = origin {
            browser::post_to_parent(&message::error(id, &said).to_string(), origin);
        }
    }

    /// Tells the parent what ran since `seen`: the requester, or every allowed
    /// origin for a command the reader typed (the browser delivers to the one
    /// that is the parent's).
    fn report(&self, id: &Value, seen: Seen, origin: Option<&str>) {
        let ws = self.workspace.borrow();
        let now = Seen::now(&ws);
        if let Some(ran) = ran_since(&ws, seen, self.lang) {
            let reply = message::result(id, &ran, self.lang).to_string();
            match origin {
                Some(origin) => browser::post_to_parent(&reply, origin),
                None => {
                    for origin in &self.options.origins {
                        browser::post_to_parent(&reply, origin);
                    }
                }
            }
        }
        self.seen.set(now);
    }

    /// A message posted to the embed: a request from the parent page at an
    /// allowed origin runs; anything else is ignored and said in the console.
    fn receive(&self, posted: browser::Posted) {
        let lang = self.lang;
        let ignored = |why: String| {
            browser::warn(&format!("{} {why}", t(lang, Msg::EmbedIgnored)));
        };
        if !posted.from_parent {
            return ignored(t(lang, Msg::EmbedNotParent).to_owned());
        }
        if !self.options.allows(&posted.origin) {
            return ignored(format!(
                "{} {}",
                t(lang, Msg::EmbedOtherOrigin),
                posted.origin
            ));
        }
        let data = posted
            .data
            .as_deref()
            .and_then(|d| serde_json::from_str::<Value>(d).ok())
            .unwrap_or(Value::Null);
        match message::read(&data) {
            Ok(request) => self.push(Job::Request {
                request,
                origin: posted.origin,
            }),
            Err(why) => {
                let said = why.describe(lang);
                ignored(said.clone());
                if why != message::Refused::NotOurs {
                    let reply = message::error(data.get("id").unwrap_or(&Value::Null), &said);
                    browser::post_to_parent(&reply.to_string(), &posted.origin);
                }
            }
        }
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
            let seen = Seen::now(&workspace.borrow());
            Runner {
                seen: Rc::new(Cell::new(seen)),
                options: Rc::new(options),
                lang,
                workspace,
                jobs: Rc::default(),
                busy: Rc::default(),
                status,
                changed,
            }
        }
    });
    {
        let (runner, restored) = ((*runner).clone(), setup.restored);
        use_effect_with((), move |_| {
            for entry in &runner.options.refused {
                browser::warn(&format!("{} {entry}", t(lang, Msg::EmbedBadOrigin)));
            }
            let listening = runner.clone();
            let listener = browser::on_message(move |posted| listening.receive(posted));
            if restored {
                // The reader's own work is back: the start is not replayed.
                for origin in &runner.options.origins {
                    browser::post_to_parent(
                        &message::ready(&Value::Null, lang).to_string(),
                        origin,
                    );
                }
            } else {
                runner.push(Job::Start { first: true });
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
    let full_app = use_memo(rev, {
        let saved = saved.clone();
        move |_| full_app_url(&browser::pathname(), &persist::to_fragment(&saved))
    });
    // The terminal's own commands are reported too, as the reader types them.
    let on_terminal = {
        let (runner, changed) = ((*runner).clone(), changed.clone());
        Callback::from(move |()| {
            runner.report(&Value::Null, runner.seen.get(), None);
            changed.emit(());
        })
    };
    let on_reset = {
        let runner = (*runner).clone();
        Callback::from(move |_: MouseEvent| runner.push(Job::Start { first: false }))
    };
    let on_build = {
        let (runner, dockerfile) = ((*runner).clone(), dockerfile.clone());
        Callback::from(move |()| {
            let seen = runner.seen.get();
            runner.workspace.borrow_mut().build(&dockerfile);
            runner.report(&Value::Null, seen, None);
            runner.changed.emit(());
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
                <a id="open-full" href={(*full_app).clone()} target="_blank" rel="noopener">
                    { t(lang, Msg::EmbedOpenFull) }<span aria-hidden="true">{ " ↗" }</span>
                </a>
            </footer>
        </div>
    }
}
