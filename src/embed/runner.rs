//! The embed's worker: its start and the parent page's messages, one at a
//! time and in order, each told back to the page (`message::Reply`). It holds
//! the embed's state and changes it with the app's own reducer
//! (`state::Action`), so a command typed in the embed, sent by the page or
//! typed in the full app does the same; the component draws what it shows.
//!
//! Commands run under the app's hashing deferral (`defer_hashing`): one
//! that leaves large layer tars waits while the runner hashes them a slice
//! per turn of the event loop, and the next job waits behind it. Starts and
//! the reader's own work are replayed in slices (`replay`).
//!
//! A message is read only once the rest of a split build's code is here: the
//! first load carries what drawing the embed and an empty start run, and no
//! more. The paths that run only later (a scenario's fetch, a request) are
//! functions of their own, never inlined into the loop, so they stay in the rest.

use super::message::{self, Reply, Request};
use super::report::{ran_since, Seen};
use super::{Options, Start};
use crate::browser;
use crate::i18n::{t, Lang, Msg};
use crate::persist;
use crate::replay::{self, Replay};
use crate::shared::Shared;
use crate::state::{Action, AppState};
use crate::workspace::Workspace;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use yew::functional::Reducible;
use yew::Callback;

/// Work for the embed, done in order.
pub enum Job {
    /// The address's start: at load (`first`: `layerlab:ready` after), from
    /// "Start again" (`layerlab:state` to every allowed origin), or asked by
    /// a `layerlab:reset` (the reply goes to `reply_to`: its id and origin).
    Start {
        first: bool,
        reply_to: Option<(Value, String)>,
    },
    /// A message posted to the embed.
    Posted(browser::Posted),
    /// An action of the embed's panes (`ran`: the parent is told what ran).
    Act { action: Action, ran: bool },
    /// The rest of the reader's own work, replayed in slices; then
    /// `layerlab:ready`.
    Restore(Box<Replay>),
}

/// Who is told of a change: a request's origin (with its id), or every allowed origin.
type To<'a> = Option<&'a (Value, String)>;

#[derive(Clone)]
pub struct Runner {
    pub options: Rc<Options>,
    pub lang: Lang,
    /// The state on show, changed only through [`Runner::act`] and starts.
    state: Rc<RefCell<Rc<AppState>>>,
    jobs: Rc<RefCell<VecDeque<Job>>>,
    busy: Rc<Cell<bool>>,
    /// How much of the workspace the parent page was told of.
    seen: Rc<Cell<Seen>>,
    /// Loading, or why the start failed: shown in the embed's bar.
    status: Callback<Option<String>>,
    /// The state changed: the panes redraw, the work is saved.
    show: Callback<Rc<AppState>>,
}

impl Runner {
    pub fn new(
        options: Options,
        state: Rc<AppState>,
        status: Callback<Option<String>>,
        show: Callback<Rc<AppState>>,
    ) -> Runner {
        let seen = Seen::now(&state.workspace);
        Runner {
            options: Rc::new(options),
            lang: state.lang,
            state: Rc::new(RefCell::new(state)),
            jobs: Rc::default(),
            busy: Rc::default(),
            seen: Rc::new(Cell::new(seen)),
            status,
            show,
        }
    }

    /// Changes the state as the app's reducer does, and shows it.
    pub fn act(&self, action: Action) {
        let now = self.state.borrow().clone();
        let next = now.reduce(action);
        *self.state.borrow_mut() = next.clone();
        self.show.emit(next);
    }

    /// The state on show now (read when needed, not copied at each draw).
    pub fn state(&self) -> Rc<AppState> {
        self.state.borrow().clone()
    }

    /// The number of commands the state's log holds.
    fn commands(&self) -> usize {
        self.state.borrow().workspace.console.log.len()
    }

    /// A new state for `workspace`, in the embed's language.
    fn fresh(&self, workspace: Workspace) -> AppState {
        AppState::new(self.lang, Shared::new(workspace))
    }

    /// `lines` replayed in a fresh workspace, in slices.
    async fn replayed(&self, lines: Vec<String>) -> Workspace {
        replay::in_slices(Replay::new(lines), |_| ()).await
    }

    /// Hashes what the last action waits for, a slice per turn of the event
    /// loop (its progress on show), then runs it.
    async fn hashed(&self) {
        loop {
            let Some(h) = self.state.borrow().hashing.clone() else {
                return;
            };
            // The page draws (and answers) before each slice.
            browser::yield_to_page().await;
            let start = browser::now();
            let mut done = false;
            while !done && browser::now() - start < crate::hooks::TURN_MS {
                done = h.step(crate::hooks::PIECE);
            }
            if done {
                self.act(Action::Hashed);
            } else {
                self.show.emit(self.state());
            }
        }
    }

    pub fn push(&self, job: Job) {
        self.jobs.borrow_mut().push_back(job);
        if !self.busy.replace(true) {
            yew::platform::spawn_local(self.clone().drain());
        }
    }

    async fn drain(self) {
        loop {
            let job = self.jobs.borrow_mut().pop_front();
            match job {
                None => break,
                // An empty start on load: the workspace is empty already (and
                // dropping a session's whole state is not first-load code).
                Some(Job::Start {
                    first: true,
                    reply_to: None,
                }) if self.options.start == Start::Fresh => self.announce(),
                // Each other job is a future of its own, behind a pointer:
                // its code stays out of this loop's, so what a first draw
                // never runs stays out of the first load.
                Some(job) => self.work(job).await,
            }
        }
        self.busy.set(false);
    }

    /// The future that does `job`.
    #[inline(never)]
    fn work(&self, job: Job) -> Pin<Box<dyn Future<Output = ()> + '_>> {
        match job {
            Job::Start { first, reply_to } => Box::pin(async move {
                let made = match &self.options.start {
                    Start::Scenario(url) => {
                        // Fetching and replaying need the rest of a split build.
                        if !crate::split::ready() {
                            let _ = crate::split::load().await;
                        }
                        self.fetch_scenario(url).await
                    }
                    _ => self.make_start().await,
                };
                self.settle(made, first, reply_to.as_ref());
            }),
            Job::Posted(posted) => Box::pin(async move {
                // Reading a request needs code a split build loads after the draw.
                if crate::split::ready() || crate::split::load().await.is_ok() {
                    self.receive(posted).await;
                }
            }),
            Job::Act { action, ran } => Box::pin(async move {
                self.act(action);
                self.hashed().await;
                if ran {
                    self.report(None);
                }
            }),
            Job::Restore(replay) => Box::pin(self.restore(*replay)),
        }
    }

    /// The rest of the reader's own work, replayed; then the page is told
    /// the embed is ready (the work is not reported as new commands).
    #[inline(never)]
    async fn restore(&self, replay: Replay) {
        let progress = |p| self.act(Action::Restoring(p));
        let workspace = replay::in_slices(replay, progress).await;
        self.seen.set(Seen::now(&workspace));
        self.act(Action::Restored(Shared::new(workspace)));
        self.announce();
    }

    /// A start that needs nothing fetched: empty, a permalink's, a lesson's.
    #[inline(never)]
    async fn make_start(&self) -> Result<AppState, String> {
        match &self.options.start {
            Start::Link(fragment) => match persist::from_fragment(fragment) {
                Ok(saved) => {
                    let ws = Shared::new(self.replayed(saved.commands.clone()).await);
                    Ok(AppState::restored(self.lang, ws, &saved))
                }
                Err(why) => Err(crate::boot::explain(self.lang, &why)),
            },
            Start::Lesson { index, .. } => {
                let lines = self.options.start.lesson_lines().unwrap_or_default();
                Ok(AppState {
                    lesson: Some(*index),
                    ..self.fresh(self.replayed(lines).await)
                })
            }
            Start::Fresh | Start::Scenario(_) => Ok(self.fresh(Workspace::default())),
        }
    }

    /// A scenario file on the embed's own origin, replayed.
    async fn fetch_scenario(&self, url: &str) -> Result<AppState, String> {
        let Some(url) = browser::same_origin_url(url) else {
            let why = t(self.lang, Msg::EmbedScenarioElsewhere);
            return Err(format!("{why} ({url})"));
        };
        self.status
            .emit(Some(t(self.lang, Msg::EmbedLoading).to_owned()));
        let text = browser::fetch_text(&url).await;
        self.scenario(text.map_err(|why| format!("{why} ({url})"))?.as_bytes())
            .await
    }

    #[inline(never)]
    async fn scenario(&self, bytes: &[u8]) -> Result<AppState, String> {
        match crate::scenario::from_bytes(bytes) {
            Ok(opened) => Ok(self.fresh(self.replayed(opened.commands).await)),
            Err(why) => Err(t(self.lang, why.message()).to_owned()),
        }
    }

    /// Puts a start (or a load) on show and says so.
    #[inline(never)]
    fn settle(&self, made: Result<AppState, String>, first: bool, to: To) {
        match made {
            Ok(next) => {
                let next = AppState {
                    defer_hashing: true,
                    ..next
                };
                let commands = next.workspace.console.log.len();
                self.seen.set(Seen::now(&next.workspace));
                let next = Rc::new(next);
                *self.state.borrow_mut() = next.clone();
                self.status.emit(None);
                self.show.emit(next);
                let said = match to {
                    Some((id, _)) => Reply::State { id, commands },
                    None if first => Reply::ready(self.lang),
                    None => Reply::State {
                        id: &Value::Null,
                        commands,
                    },
                };
                self.tell(&said, to);
            }
            Err(why) => {
                let said = format!("{} {why}", t(self.lang, Msg::EmbedScenarioFailed));
                browser::warn(&said);
                self.status.emit(Some(said.clone()));
                let id = to.map_or(&Value::Null, |(id, _)| id);
                self.tell(&Reply::Error { id, error: &said }, to);
                if first {
                    self.announce();
                }
            }
        }
    }

    /// `layerlab:ready`, to every allowed origin.
    pub fn announce(&self) {
        self.tell(&Reply::ready(self.lang), None);
    }

    /// Posts `reply` to the requester, or to every allowed origin (the browser
    /// delivers it to the one that is the parent's).
    fn tell(&self, reply: &Reply, to: To) {
        let json = reply.to_json();
        match to {
            Some((_, origin)) => browser::post_to_parent(&json, origin),
            None => {
                for origin in &self.options.origins {
                    browser::post_to_parent(&json, origin);
                }
            }
        }
    }

    /// Tells the parent what ran since the last report (`id` is the request's,
    /// or `null` for a command the reader typed).
    pub fn report(&self, to: To) {
        let state = self.state.borrow().clone();
        if let Some(ran) = ran_since(&state.workspace, self.seen.get(), self.lang) {
            let id = to.map_or(&Value::Null, |(id, _)| id);
            self.tell(&Reply::result(id, &ran, self.lang), to);
        }
        self.seen.set(Seen::now(&state.workspace));
    }

    /// A message posted to the embed: a request from the parent page at an
    /// allowed origin runs; anything else is ignored and said in the console.
    #[inline(never)]
    async fn receive(&self, posted: browser::Posted) {
        let lang = self.lang;
        let ignored = |why: String| {
            browser::warn(&format!("{} {why}", t(lang, Msg::EmbedIgnored)));
        };
        if !posted.from_parent {
            return ignored(t(lang, Msg::EmbedNotParent).to_owned());
        }
        if !self.options.allows(&posted.origin) {
            let origin = posted.origin;
            return ignored(format!("{} {origin}", t(lang, Msg::EmbedOtherOrigin)));
        }
        let data = posted
            .data
            .as_deref()
            .and_then(|d| serde_json::from_str::<Value>(d).ok())
            .unwrap_or(Value::Null);
        match message::read(&data) {
            Ok(request) => self.answer(request, posted.origin).await,
            Err(why) => {
                let said = why.describe(lang);
                ignored(said.clone());
                if why != message::Refused::NotOurs {
                    let to = (data.get("id").cloned().unwrap_or_default(), posted.origin);
                    self.tell(
                        &Reply::Error {
                            id: &to.0,
                            error: &said,
                        },
                        Some(&to),
                    );
                }
            }
        }
    }

    async fn answer(&self, request: Request, origin: String) {
        match request {
            Request::Run { id, command } => {
                let to = (id, origin);
                // Typed line by line, as if pasted: a heredoc waits for its end.
                let lines: Vec<&str> = command.split('\n').collect();
                for (i, line) in lines.iter().enumerate() {
                    let before = self.commands();
                    self.act(Action::Submit((*line).to_owned()));
                    self.hashed().await;
                    if self.commands() > before || i + 1 == lines.len() {
                        self.report(Some(&to));
                    }
                }
            }
            Request::Ping { .. } => {
                self.tell(&Reply::ready(self.lang), Some(&(Value::Null, origin)))
            }
            Request::Reset { id } => self.push(Job::Start {
                first: false,
                reply_to: Some((id, origin)),
            }),
            Request::Load { id, scenario } => {
                let made = self.scenario(scenario.as_bytes()).await;
                self.settle(made, false, Some(&(id, origin)));
            }
        }
    }
}
