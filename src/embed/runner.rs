//! The embed's worker: its start and the parent page's messages, one at a
//! time and in order, each told back to the page (`message::Reply`). It holds
//! the embed's state and changes it with the app's own reducer
//! (`state::Action`), so a command typed in the embed, sent by the page or
//! typed in the full app does the same; the component draws what it shows.
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
use crate::shared::Shared;
use crate::state::{Action, AppState};
use crate::workspace::Workspace;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
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
                Some(Job::Start { first, reply_to }) => {
                    let made = match &self.options.start {
                        Start::Scenario(url) => {
                            // Fetching and replaying need the rest of a split build.
                            if !crate::split::ready() {
                                let _ = crate::split::load().await;
                            }
                            self.fetch_scenario(url).await
                        }
                        _ => self.make_start(),
                    };
                    self.settle(made, first, reply_to.as_ref());
                }
                Some(Job::Posted(posted)) => {
                    // Reading a request needs code a split build loads after the draw.
                    if crate::split::ready() || crate::split::load().await.is_ok() {
                        self.receive(posted);
                    }
                }
            }
        }
        self.busy.set(false);
    }

    /// A start that needs nothing fetched: empty, a permalink's, a lesson's.
    #[inline(never)]
    fn make_start(&self) -> Result<AppState, String> {
        match &self.options.start {
            Start::Link(fragment) => persist::from_fragment(fragment)
                .map(|saved| {
                    let ws = Shared::new(Workspace::replay(&saved.commands));
                    AppState::restored(self.lang, ws, &saved)
                })
                .map_err(|why| crate::boot::explain(self.lang, &why)),
            Start::Lesson { index, .. } => {
                let lines = self.options.start.lesson_lines().unwrap_or_default();
                Ok(AppState {
                    lesson: Some(*index),
                    ..self.fresh(Workspace::replay(&lines))
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
    }

    #[inline(never)]
    fn scenario(&self, bytes: &[u8]) -> Result<AppState, String> {
        crate::scenario::from_bytes(bytes)
            .map(|opened| self.fresh(Workspace::replay(&opened.commands)))
            .map_err(|why| t(self.lang, why.message()).to_owned())
    }

    /// Puts a start (or a load) on show and says so.
    #[inline(never)]
    fn settle(&self, made: Result<AppState, String>, first: bool, to: To) {
        match made {
            Ok(next) => {
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
    fn receive(&self, posted: browser::Posted) {
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
            Ok(request) => self.answer(request, posted.origin),
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

    fn answer(&self, request: Request, origin: String) {
        match request {
            Request::Run { id, command } => {
                let to = (id, origin);
                // Typed line by line, as if pasted: a heredoc waits for its end.
                let lines: Vec<&str> = command.split('\n').collect();
                for (i, line) in lines.iter().enumerate() {
                    let before = self.commands();
                    self.act(Action::Submit((*line).to_owned()));
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
                let made = self.scenario(scenario.as_bytes());
                self.settle(made, false, Some(&(id, origin)));
            }
        }
    }
}
