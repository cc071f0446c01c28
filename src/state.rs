//! The app's state and everything that changes it: one value, replaced
//! whole for each [`Action`] (yew's `Reducible`, as in its `function_todomvc`
//! example). The workspace inside is a snapshot behind `Rc`: an action that
//! runs a command makes a new one, and a pane redraws when the snapshot it
//! shows was replaced. Nothing here touches the page, so every arm is tested
//! natively, as data.

use crate::i18n::Lang;
use crate::lessons::{setup_log, steps_done, Lesson};
use crate::persist::{self, Saved};
use crate::scenario::Refused;
use crate::shared::Shared;
use crate::view::inspect::Selected;
use crate::workspace::Workspace;
use layerlab_engine::hashing::{self, HashJob};
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;

/// What plays on its own, one step after another: the timeline (redoing
/// what was undone) or the lesson's solution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Play {
    Timeline,
    Lesson,
}

/// What was on show before a scenario file was opened, to bring back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Before {
    pub log: Vec<String>,
    pub lesson: Option<usize>,
    /// The opened scenario's length: once a command ran after it, bringing
    /// back would drop that command, so the offer goes.
    pub len: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub lang: Lang,
    pub workspace: Shared<Workspace>,
    /// The editor's text.
    pub dockerfile: String,
    /// The project's Dockerfile as last seen on the host: when a command (or
    /// a lesson's reset) changes the file, the editor shows the new text.
    pub on_disk: Option<String>,
    /// The lesson followed (an index into `LESSONS`), `None` in the sandbox.
    pub lesson: Option<usize>,
    /// Ids of the lessons whose goal was reached.
    pub done: Vec<String>,
    /// Whether the lesson's goal is reached in the workspace on show.
    pub reached: bool,
    /// The sandbox's lines, kept while a lesson is followed.
    pub sandbox: Option<Vec<String>>,
    /// Each lesson's lines as the learner left it, by lesson id.
    pub kept: Vec<(String, Vec<String>)>,
    /// Presenter mode: large type, no editing chrome, the lesson's solution
    /// stepped through with the keyboard.
    pub presenter: bool,
    pub playing: Option<Play>,
    /// After a scenario file was opened (or refused): what was there before.
    pub opened: Option<Result<Before, Refused>>,
    /// Whether "What happened" has shown all of the last command's items
    /// (playing waits for it before the next step).
    pub settled: bool,
    /// The build step "What happened" shows, lit up in the editor, and
    /// whether it failed.
    pub build_line: Option<(usize, bool)>,
    /// What the inspector shows.
    pub selected: Option<Selected>,
    /// Animation and playback speed, in percent.
    pub speed: u32,
    /// The permalink last made, shown for copying.
    pub shared: Option<String>,
    /// The `<iframe>` snippet last made ("Copy embed code"), shown for copying.
    pub embed_code: Option<String>,
    /// Whether an action whose layer tars would take long to hash is put
    /// off (see [`Hashing`]); the browser app does, the embed and native
    /// runs hash inline.
    pub defer_hashing: bool,
    /// An action put off while the tars it needs are hashed in slices.
    pub hashing: Option<Hashing>,
    /// Saved work being replayed in slices (`replay`): how far it is. The
    /// workspace on show is not the learner's until it ends.
    pub restoring: Option<crate::replay::Progress>,
    /// Actions that change the workspace, taken while saved work is
    /// restored (or while one waits for its digests after it): run in order
    /// once it is there, never dropped.
    pub queued: Vec<Action>,
    /// The pane a narrow screen shows (its tab bar's choice).
    pub tab: Tab,
    /// The stage changed while another tab was shown: its tab says so
    /// until it is chosen.
    pub stage_news: bool,
}

/// The panes a screen narrower than the wide layout shows one at a time,
/// chosen in the tab bar at its foot; a wide screen shows them all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    Stage,
    /// The start: nothing is on the stage before a command is typed.
    #[default]
    Terminal,
    Lesson,
    Dockerfile,
    /// The inspector, disk usage, storage, import and sharing.
    More,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Stage,
        Tab::Terminal,
        Tab::Lesson,
        Tab::Dockerfile,
        Tab::More,
    ];

    /// Its name in the page's classes and ids (`tab-stage`).
    pub fn name(self) -> &'static str {
        match self {
            Tab::Stage => "stage",
            Tab::Terminal => "terminal",
            Tab::Lesson => "lesson",
            Tab::Dockerfile => "dockerfile",
            Tab::More => "more",
        }
    }
}

/// Bytes of layer tars one action may hash inline in the browser: about
/// 40 ms at the wasm build's SHA-256 speed (see ARCHITECTURE.md).
pub const HASH_INLINE: u64 = 4 << 20;

/// An action put off because it would hash more than [`HASH_INLINE`] bytes
/// of tars the engine had not hashed yet: the state stays as it was, the
/// tars are hashed a slice at a time between frames (`hooks::use_hashing`),
/// and then the action runs again, finding every digest in the engine's memo.
#[derive(Clone, Debug)]
pub struct Hashing {
    pub action: Box<Action>,
    /// The tars left to hash; the first one is under way.
    pub jobs: Rc<RefCell<Vec<HashJob>>>,
    /// Bytes of all the jobs, for the progress shown.
    pub total: u64,
    /// How many times the action was put off before.
    pub rounds: u32,
}

/// An action put off this many times runs with its hashing inline: every
/// run finds all of its tars at once, so a second round is already rare.
pub(crate) const MAX_ROUNDS: u32 = 3;

impl PartialEq for Hashing {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.jobs, &other.jobs)
    }
}

impl Hashing {
    /// Bytes hashed so far, and of how many.
    pub fn progress(&self) -> (u64, u64) {
        let jobs = self.jobs.borrow();
        let left: u64 = jobs.iter().map(|j| j.total() - j.done()).sum();
        (self.total.saturating_sub(left), self.total)
    }

    /// The line typed, when the action is one.
    pub fn line(&self) -> Option<&str> {
        match &*self.action {
            Action::Submit(line) => Some(line),
            _ => None,
        }
    }

    /// Hashes up to `bytes` more; true when every tar is hashed (and its
    /// DiffID is in the engine's memo).
    pub fn step(&self, bytes: u64) -> bool {
        let mut jobs = self.jobs.borrow_mut();
        let Some(job) = jobs.first_mut() else {
            return true;
        };
        if job.step(bytes) {
            let done = jobs.remove(0);
            done.finish();
        }
        jobs.is_empty()
    }
}

/// Everything the learner (or a timer) does to the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Lang(Lang),
    /// The editor's text changed.
    Edit(String),
    /// The Build button: save the editor's text into the project and build it.
    Build,
    /// A line typed (or typed by a button) into the terminal.
    Submit(String),
    Undo,
    Redo,
    /// The timeline moves to just after the `k`-th command.
    Seek(usize),
    /// Back to the timeline set aside by typing after stepping back.
    BringBack,
    /// A workspace made outside the reducer takes the place of the one on
    /// show (images imported into its host).
    Replace(Shared<Workspace>),
    /// A lesson chosen, or the sandbox (`None`).
    Choose(Option<usize>),
    /// The lesson starts again from its setup.
    Reset,
    /// The lesson's next solution line (`true`), or the last one taken back.
    Step(bool),
    /// The solution plays line by line.
    ShowSolution,
    /// Plays or pauses the lesson's solution (presenter mode's Space).
    PlayLesson,
    /// Plays or pauses the timeline.
    PlayTimeline,
    /// What plays takes its next step.
    Advance,
    Presenter,
    /// A scenario file replayed, with its lesson.
    Open {
        workspace: Shared<Workspace>,
        lesson: Option<usize>,
    },
    /// A file that is not a scenario.
    Refused(Refused),
    /// What was there before the scenario comes back.
    BringBackOpened,
    Settled(bool),
    BuildLine(Option<(usize, bool)>),
    Select(Option<Selected>),
    Speed(u32),
    Shared(Option<String>),
    EmbedCode(Option<String>),
    /// The tars an action waited for are hashed: it runs now.
    Hashed,
    /// How far the saved work's replay in slices is (`boot`, `replay`).
    Restoring(crate::replay::Progress),
    /// The saved work, replayed: it takes the place of the empty workspace,
    /// then the actions queued meanwhile run.
    Restored(Shared<Workspace>),
    /// The learner gave up waiting: the action put off is dropped.
    CancelHashing,
    /// The saved work or link the page opens with, once all of the code is
    /// here (a split build's first paint replays nothing: `boot::boot`).
    Reopened(Box<AppState>),
    /// A tab chosen in the narrow screen's tab bar.
    Tab(Tab),
}

impl AppState {
    /// The state a workspace starts in, in the sandbox.
    pub fn new(lang: Lang, workspace: Shared<Workspace>) -> AppState {
        let mut s = AppState {
            lang,
            on_disk: workspace.project_dockerfile(),
            workspace,
            dockerfile: crate::TUTORIAL_DOCKERFILE.to_owned(),
            lesson: None,
            done: Vec::new(),
            reached: false,
            sandbox: None,
            kept: Vec::new(),
            presenter: false,
            playing: None,
            opened: None,
            settled: true,
            build_line: None,
            selected: None,
            speed: 100,
            shared: None,
            embed_code: None,
            defer_hashing: false,
            hashing: None,
            tab: Tab::default(),
            stage_news: false,
            restoring: None,
            queued: Vec::new(),
        };
        s.follow_lesson();
        s
    }

    /// The state restored from saved work.
    pub fn restored(lang: Lang, workspace: Shared<Workspace>, saved: &Saved) -> AppState {
        let mut s = AppState {
            dockerfile: saved.dockerfile.clone(),
            lesson: saved.lesson.as_deref().and_then(Lesson::by_id),
            done: saved.done.clone(),
            sandbox: saved.sandbox.clone(),
            kept: saved.lessons.clone(),
            ..AppState::new(lang, workspace)
        };
        s.follow_lesson();
        s
    }

    /// The lesson followed.
    pub fn lesson(&self) -> Option<&'static Lesson> {
        Lesson::at(self.lesson)
    }

    /// The presenter's place: the lesson's solution lines the log holds after
    /// its setup (so moving the timeline by hand moves it too).
    pub fn step(&self) -> usize {
        self.lesson()
            .map_or(0, |l| steps_done(l, &self.workspace.console.log))
    }

    /// Everything autosave keeps.
    pub fn saved(&self) -> Saved {
        Saved {
            version: persist::VERSION,
            lang: self.lang.code().to_owned(),
            dockerfile: self.dockerfile.clone(),
            commands: self.workspace.console.log.clone(),
            lesson: self.lesson().map(|l| l.id.to_owned()),
            done: self.done.clone(),
            sandbox: self.sandbox.clone(),
            step: self.step(),
            lessons: self.kept.clone(),
        }
    }

    /// What a permalink carries: the state on show, not the learner's progress.
    pub fn link(&self) -> Saved {
        Saved {
            done: Vec::new(),
            sandbox: None,
            lessons: Vec::new(),
            ..self.saved()
        }
    }

    /// The scenario offered to bring back, while no command ran after it.
    pub fn opened_on_show(&self) -> Option<&Result<Before, Refused>> {
        self.opened.as_ref().filter(|r| match r {
            Ok(b) => self.workspace.console.log.len() == b.len,
            Err(_) => true,
        })
    }

    /// Applies one action. With `defer_hashing`, an action that would hash
    /// more than [`HASH_INLINE`] bytes of new tars runs on a copy first: if
    /// it does, the copy is thrown away and the action waits in `hashing`.
    pub fn apply(&mut self, action: Action) {
        self.apply_one(action);
        self.run_queued();
    }

    /// Runs the queued actions, in order, while nothing waits.
    fn run_queued(&mut self) {
        while self.restoring.is_none() && self.hashing.is_none() && !self.queued.is_empty() {
            let next = self.queued.remove(0);
            self.apply_one(next);
        }
    }

    fn apply_one(&mut self, action: Action) {
        match action {
            Action::Reopened(state) => {
                // The tab chosen meanwhile stays chosen.
                let tab = self.tab;
                *self = *state;
                self.tab = tab;
                return;
            }
            Action::Restored(workspace) => {
                // The editor keeps the saved text, as a start that replayed at once does.
                self.restoring = None;
                self.on_disk = workspace.project_dockerfile();
                self.restart_with(workspace);
                self.follow_lesson();
                return;
            }
            _ if self.restoring.is_some() => {
                match action {
                    Action::Restoring(p) => self.restoring = Some(p),
                    _ if action.keeps_workspace() => self.apply_now(action),
                    _ => self.queued.push(action),
                }
                return;
            }
            Action::Hashed => {
                if let Some(h) = self.hashing.take() {
                    let rounds = h.rounds + 1;
                    if rounds >= MAX_ROUNDS {
                        self.apply_now(*h.action);
                    } else {
                        self.apply_one(*h.action);
                        if let Some(again) = &mut self.hashing {
                            again.rounds = rounds;
                        }
                    }
                }
                return;
            }
            Action::CancelHashing => {
                // Only the action on show goes; what was queued behind it runs.
                self.hashing = None;
                return;
            }
            _ if self.hashing.is_some() => {
                // One action waits at a time; what changes no workspace goes
                // on; after a restore, what was queued stays queued.
                if action.keeps_workspace() {
                    self.apply_now(action);
                } else if !self.queued.is_empty() {
                    self.queued.push(action);
                }
                return;
            }
            _ if !self.defer_hashing || action.keeps_workspace() => {
                self.apply_now(action);
                return;
            }
            _ => {}
        }
        let mut next = self.clone();
        let ((), jobs) = hashing::deferring(HASH_INLINE, || next.apply_now(action.clone()));
        if jobs.is_empty() {
            *self = next;
        } else {
            self.put_off(action, jobs);
        }
    }

    /// Puts `action` off until `jobs` are hashed.
    #[inline(never)]
    pub fn put_off(&mut self, action: Action, jobs: Vec<HashJob>) {
        let total = jobs.iter().map(HashJob::total).sum();
        self.hashing = Some(Hashing {
            action: Box::new(action),
            jobs: Rc::new(RefCell::new(jobs)),
            total,
            rounds: 0,
        });
    }

    #[inline(never)]
    fn apply_now(&mut self, action: Action) {
        let before = self.workspace.clone();
        match action {
            Action::Lang(l) => self.lang = l,
            Action::Edit(text) => self.dockerfile = text,
            Action::Build => {
                let text = self.dockerfile.clone();
                self.change(|w| w.build(&text));
                // Built from the editor's tab, the layers are watched on the stage's.
                if self.tab == Tab::Dockerfile {
                    self.tab = Tab::Stage;
                }
            }
            Action::Submit(line) => self.change(|w| w.submit(&line)),
            Action::Undo => self.change_if(Workspace::undo),
            Action::Redo => self.change_if(Workspace::redo),
            Action::Seek(k) => self.change_if(|w| w.seek(k)),
            Action::BringBack => self.change_if(Workspace::bring_back),
            Action::Replace(w) => self.workspace = w,
            Action::Choose(choice) => self.choose(choice),
            Action::Reset => {
                if let Some(l) = self.lesson() {
                    self.restart(Workspace::replay(&setup_log(l)));
                }
            }
            Action::Step(forward) => self.step_or_go_on(forward),
            Action::ShowSolution => {
                self.step_lesson(true);
                self.playing = Some(Play::Lesson);
            }
            Action::PlayLesson => self.toggle(Play::Lesson, true),
            Action::PlayTimeline => {
                let (now, total) = self.workspace.position();
                self.toggle(Play::Timeline, now < total);
            }
            Action::Advance => self.advance(),
            Action::Presenter => {
                self.presenter = !self.presenter;
                self.stop(Play::Lesson);
            }
            Action::Open { workspace, lesson } => {
                let was = Before {
                    log: self.workspace.console.log.clone(),
                    lesson: self.lesson,
                    len: workspace.console.log.len(),
                };
                self.lesson = lesson;
                self.restart_with(workspace);
                self.opened = Some(Ok(was));
            }
            Action::Refused(why) => self.opened = Some(Err(why)),
            Action::BringBackOpened => {
                if let Some(Ok(b)) = self.opened.take() {
                    self.lesson = b.lesson;
                    self.restart(Workspace::replay(&b.log));
                }
            }
            Action::Settled(s) => self.settled = s,
            Action::BuildLine(l) => self.build_line = l,
            Action::Select(s) => {
                // On a narrow screen a container's files are browsed under
                // More: tapped on the stage, it opens there rather than out
                // of sight. (A layer opens in place on the stage itself.)
                if matches!(s, Some(Selected::Container { .. })) && self.tab == Tab::Stage {
                    self.tab = Tab::More;
                }
                self.selected = s;
            }
            Action::Speed(s) => self.speed = s,
            Action::Tab(tab) => self.tab = tab,
            Action::Shared(url) => self.shared = url,
            Action::EmbedCode(code) => self.embed_code = code,
            Action::Hashed
            | Action::CancelHashing
            | Action::Restoring(_)
            | Action::Restored(_)
            | Action::Reopened(_) => {}
        }
        if self.workspace != before {
            self.follow_disk();
            self.note_stage_news(&before);
        }
        if self.tab == Tab::Stage {
            self.stage_news = false;
        }
        self.follow_lesson();
    }

    /// Marks the stage's tab when what the stage draws changed out of sight.
    fn note_stage_news(&mut self, before: &Workspace) {
        use crate::view::stage::stage_model;
        if self.tab != Tab::Stage
            && !self.stage_news
            && stage_model(&self.workspace.session) != stage_model(&before.session)
        {
            self.stage_news = true;
        }
    }

    /// Runs `f` on a copy of the workspace, which then takes its place.
    fn change(&mut self, f: impl FnOnce(&mut Workspace)) {
        let mut next = (*self.workspace).clone();
        f(&mut next);
        self.workspace = Shared::new(next);
    }

    /// As `change`, keeping the workspace when `f` says nothing moved.
    fn change_if(&mut self, f: impl FnOnce(&mut Workspace) -> bool) {
        let mut next = (*self.workspace).clone();
        if f(&mut next) {
            self.workspace = Shared::new(next);
        }
    }

    /// Puts a new workspace in place: the lesson's steps start again, nothing plays.
    fn restart(&mut self, next: Workspace) {
        self.restart_with(Shared::new(next));
    }

    fn restart_with(&mut self, next: Shared<Workspace>) {
        self.workspace = next;
        self.playing = None;
    }

    fn stop(&mut self, what: Play) {
        if self.playing == Some(what) {
            self.playing = None;
        }
    }

    /// Plays `what`, or pauses it if it plays; `can` says whether it has a step left.
    fn toggle(&mut self, what: Play, can: bool) {
        if self.playing == Some(what) {
            self.playing = None;
        } else if can {
            self.playing = Some(what);
        }
    }

    /// Choosing a lesson starts it in a fresh workspace (or in the one it was
    /// left in), keeping the sandbox's lines; going back to the sandbox replays them.
    fn choose(&mut self, choice: Option<usize>) {
        if choice == self.lesson {
            return;
        }
        let log = self.workspace.console.log.clone();
        // The lesson left keeps its lines, to come back to.
        if let Some(l) = self.lesson() {
            self.kept.retain(|(id, _)| id != l.id);
            self.kept.push((l.id.to_owned(), log.clone()));
        }
        let next = match Lesson::at(choice) {
            Some(l) => {
                if self.lesson.is_none() {
                    self.sandbox = Some(log);
                }
                match self.kept.iter().find(|(id, _)| id == l.id) {
                    Some((_, lines)) => Workspace::replay(lines),
                    None => Workspace::replay(&setup_log(l)),
                }
            }
            None => Workspace::replay(&self.sandbox.take().unwrap_or_default()),
        };
        self.lesson = choice;
        self.restart(next);
    }

    /// → runs the next line of the lesson's solution, ← takes the last back.
    /// Presenter mode's → and ←: a step of the lesson; once its solution has
    /// run and its goal is reached, → goes on to the next lesson (the sandbox
    /// after the last), as the success moment's button does.
    fn step_or_go_on(&mut self, forward: bool) {
        let done = self
            .lesson()
            .is_some_and(|l| self.step() >= l.solution.len());
        if forward && done && self.reached {
            let next = self
                .lesson
                .map(|i| i + 1)
                .filter(|&i| i < crate::lessons::LESSONS.len());
            self.choose(next);
        } else {
            self.step_lesson(forward);
        }
    }

    fn step_lesson(&mut self, forward: bool) {
        let Some(l) = self.lesson() else {
            return;
        };
        let step = self.step();
        if forward {
            match l.solution.get(step) {
                Some(line) => self.change(|w| w.submit(line)),
                None => self.stop(Play::Lesson),
            }
        } else if step > 0 {
            self.change_if(Workspace::undo);
        }
    }

    /// One step of what plays: the timeline redoes a command (and stops at
    /// its end), the lesson runs its next solution line.
    fn advance(&mut self) {
        match self.playing {
            Some(Play::Timeline) => {
                let mut next = (*self.workspace).clone();
                let moved = next.redo();
                if moved {
                    self.workspace = Shared::new(next);
                }
                if !moved || self.workspace.undone.is_empty() {
                    self.playing = None;
                }
            }
            Some(Play::Lesson) => self.step_lesson(true),
            None => {}
        }
    }

    /// When a command changed the project's Dockerfile, the editor shows it.
    fn follow_disk(&mut self) {
        let now = self.workspace.project_dockerfile();
        if now != self.on_disk {
            if let Some(text) = &now {
                self.dockerfile = text.clone();
            }
            self.on_disk = now;
        }
    }

    /// A reached goal is remembered as progress.
    fn follow_lesson(&mut self) {
        self.reached = self
            .lesson()
            .is_some_and(|l| (l.check)(&self.workspace.session));
        if let (Some(l), true) = (self.lesson(), self.reached) {
            if !self.done.iter().any(|d| d == l.id) {
                self.done.push(l.id.to_owned());
            }
        }
    }
}

impl Action {
    /// Whether the action leaves the workspace alone (so hashes nothing).
    fn keeps_workspace(&self) -> bool {
        matches!(
            self,
            Action::Lang(_)
                | Action::Edit(_)
                | Action::Settled(_)
                | Action::BuildLine(_)
                | Action::Select(_)
                | Action::Speed(_)
                | Action::Shared(_)
                | Action::EmbedCode(_)
                | Action::Refused(_)
                | Action::Presenter
                | Action::Tab(_)
                | Action::Restoring(_)
        )
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests;
