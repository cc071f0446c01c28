//! The app's state and everything that changes it: one value, replaced
//! whole for each [`Action`] (yew's `Reducible`, as in its `function_todomvc`
//! example). The workspace inside is a snapshot behind `Rc`: an action that
//! runs a command makes a new one, and a pane redraws when the snapshot it
//! shows was replaced. Nothing here touches the page, so every arm is tested
//! natively, as data.

use crate::i18n::Lang;
use crate::inspect::Selected;
use crate::lessons::{setup_log, steps_done, Lesson, LESSONS};
use crate::persist::{self, Saved};
use crate::scenario::Refused;
use crate::shared::Shared;
use crate::workspace::Workspace;
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
        self.lesson.and_then(|i| LESSONS.get(i))
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

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        let before = self.workspace.clone();
        match action {
            Action::Lang(l) => self.lang = l,
            Action::Edit(text) => self.dockerfile = text,
            Action::Build => {
                let text = self.dockerfile.clone();
                self.change(|w| w.build(&text));
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
            Action::Step(forward) => self.step_lesson(forward),
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
            Action::Select(s) => self.selected = s,
            Action::Speed(s) => self.speed = s,
            Action::Shared(url) => self.shared = url,
        }
        if self.workspace != before {
            self.follow_disk();
        }
        self.follow_lesson();
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
        let next = match choice.and_then(|i| LESSONS.get(i)) {
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
mod tests {
    use super::*;

    fn lines(l: &[&str]) -> Vec<String> {
        l.iter().map(|s| (*s).to_owned()).collect()
    }

    fn sandbox(l: &[&str]) -> AppState {
        AppState::new(Lang::En, Shared::new(Workspace::replay(&lines(l))))
    }

    fn lesson(id: &str) -> usize {
        Lesson::by_id(id).expect("a lesson")
    }

    /// What a test looks at, one line: the log, the timeline, the lesson,
    /// what plays, and the rest that differs from a fresh state.
    fn summary(s: &AppState) -> String {
        let w = &s.workspace;
        let (now, total) = w.position();
        let mut out = format!("log {:?} at {now}/{total}", w.console.log);
        if let Some(l) = s.lesson() {
            out += &format!(" lesson {} step {}", l.id, s.step());
        }
        if s.reached {
            out += " reached";
        }
        if !s.done.is_empty() {
            out += &format!(" done {:?}", s.done);
        }
        if let Some(sb) = &s.sandbox {
            out += &format!(" sandbox {sb:?}");
        }
        if !s.kept.is_empty() {
            let ids: Vec<&str> = s.kept.iter().map(|(id, _)| id.as_str()).collect();
            out += &format!(" kept {ids:?}");
        }
        if let Some(p) = s.playing {
            out += &format!(" playing {p:?}");
        }
        if w.set_aside.is_some() {
            out += " set-aside";
        }
        if s.presenter {
            out += " presenter";
        }
        match &s.opened {
            Some(Ok(b)) => out += &format!(" opened(before {:?})", b.log),
            Some(Err(why)) => out += &format!(" refused {why:?}"),
            None => {}
        }
        out
    }

    /// Runs `actions` from `start` and compares the summary with `want`.
    fn check(start: AppState, actions: Vec<Action>, want: &str) {
        let mut s = Rc::new(start);
        for a in actions.clone() {
            s = s.reduce(a);
        }
        assert_eq!(summary(&s), want, "after {actions:?}");
    }

    #[test]
    fn the_timeline_steps_plays_and_sets_aside() {
        let three = || sandbox(&["docker pull busybox", "docker images", "docker ps"]);
        let cases = vec![
            (
                three(),
                vec![Action::Undo],
                r#"log ["docker pull busybox", "docker images"] at 2/3"#,
            ),
            (
                three(),
                vec![Action::Undo, Action::Redo],
                r#"log ["docker pull busybox", "docker images", "docker ps"] at 3/3"#,
            ),
            (three(), vec![Action::Seek(0)], "log [] at 0/3"),
            (
                three(),
                vec![Action::Seek(1), Action::Seek(9)],
                r#"log ["docker pull busybox", "docker images", "docker ps"] at 3/3"#,
            ),
            // Playing needs a step left; it redoes one per step, and stops at the end.
            (
                three(),
                vec![Action::PlayTimeline],
                r#"log ["docker pull busybox", "docker images", "docker ps"] at 3/3"#,
            ),
            (
                three(),
                vec![Action::Seek(1), Action::PlayTimeline],
                r#"log ["docker pull busybox"] at 1/3 playing Timeline"#,
            ),
            (
                three(),
                vec![Action::Seek(1), Action::PlayTimeline, Action::Advance],
                r#"log ["docker pull busybox", "docker images"] at 2/3 playing Timeline"#,
            ),
            (
                three(),
                vec![
                    Action::Seek(1),
                    Action::PlayTimeline,
                    Action::Advance,
                    Action::Advance,
                ],
                r#"log ["docker pull busybox", "docker images", "docker ps"] at 3/3"#,
            ),
            (
                three(),
                vec![Action::Seek(1), Action::PlayTimeline, Action::PlayTimeline],
                r#"log ["docker pull busybox"] at 1/3"#,
            ),
            // A new line after stepping back sets the rest aside, to bring back.
            (
                three(),
                vec![Action::Seek(1), Action::Submit("docker ps -a".into())],
                r#"log ["docker pull busybox", "docker ps -a"] at 2/2 set-aside"#,
            ),
            (
                three(),
                vec![
                    Action::Seek(1),
                    Action::Submit("docker ps -a".into()),
                    Action::BringBack,
                ],
                r#"log ["docker pull busybox", "docker images", "docker ps"] at 3/3 set-aside"#,
            ),
        ];
        for (start, actions, want) in cases {
            check(start, actions, want);
        }
    }

    #[test]
    fn lessons_keep_their_work_and_the_sandbox_its_own() {
        let layers = lesson("layers");
        let setup = setup_log(&LESSONS[layers]);
        let first = LESSONS[layers].solution[0].trim().to_owned();
        let at = |step: usize| {
            let mut log = setup.clone();
            log.extend(
                LESSONS[layers].solution[..step]
                    .iter()
                    .map(|l| l.trim().to_owned()),
            );
            log
        };
        let cases = vec![
            (
                sandbox(&["docker ps"]),
                vec![Action::Choose(Some(layers))],
                format!(
                    r#"log {:?} at {n}/{n} lesson layers step 0 sandbox ["docker ps"]"#,
                    setup,
                    n = setup.len()
                ),
            ),
            (
                sandbox(&["docker ps"]),
                vec![
                    Action::Choose(Some(layers)),
                    Action::Step(true),
                    Action::Choose(None),
                ],
                r#"log ["docker ps"] at 1/1 kept ["layers"]"#.to_owned(),
            ),
            (
                sandbox(&["docker ps"]),
                vec![
                    Action::Choose(Some(layers)),
                    Action::Step(true),
                    Action::Choose(None),
                    Action::Choose(Some(layers)),
                ],
                format!(
                    r#"log {:?} at {n}/{n} lesson layers step 1 sandbox ["docker ps"] kept ["layers"]"#,
                    at(1),
                    n = setup.len() + 1
                ),
            ),
            (
                sandbox(&[]),
                vec![
                    Action::Choose(Some(layers)),
                    Action::Submit(first.clone()),
                    Action::Reset,
                ],
                format!(
                    r#"log {:?} at {n}/{n} lesson layers step 0 sandbox []"#,
                    setup,
                    n = setup.len()
                ),
            ),
            (
                sandbox(&[]),
                vec![
                    Action::Choose(Some(layers)),
                    Action::Step(true),
                    Action::Step(false),
                ],
                format!(
                    r#"log {:?} at {n}/{m} lesson layers step 0 sandbox []"#,
                    setup,
                    n = setup.len(),
                    m = setup.len() + 1
                ),
            ),
        ];
        for (start, actions, want) in cases {
            check(start, actions, &want);
        }
    }

    #[test]
    fn a_solution_plays_to_its_end_and_the_goal_is_remembered() {
        let layers = lesson("layers");
        let steps = LESSONS[layers].solution.len();
        let mut actions = vec![Action::Choose(Some(layers)), Action::ShowSolution];
        actions.extend(std::iter::repeat_n(Action::Advance, steps));
        let mut s = Rc::new(sandbox(&[]));
        for a in actions {
            s = s.reduce(a);
        }
        assert_eq!((s.step(), s.playing, s.reached), (steps, None, true));
        assert_eq!(s.done, ["layers"]);
        // Presenter mode stops the lesson playing; the goal stays reached.
        let s = Rc::new(AppState {
            playing: Some(Play::Lesson),
            ..(*s).clone()
        })
        .reduce(Action::Presenter);
        assert_eq!((s.presenter, s.playing, s.reached), (true, None, true));
    }

    #[test]
    fn an_opened_scenario_can_be_brought_back_until_a_command_runs() {
        let opened = || Action::Open {
            workspace: Shared::new(Workspace::replay(&lines(&["docker images"]))),
            lesson: None,
        };
        let cases = vec![
            (
                vec![opened()],
                r#"log ["docker images"] at 1/1 opened(before ["docker ps"])"#,
            ),
            (
                vec![opened(), Action::BringBackOpened],
                r#"log ["docker ps"] at 1/1"#,
            ),
            (
                vec![Action::Refused(Refused::NotText)],
                r#"log ["docker ps"] at 1/1 refused NotText"#,
            ),
        ];
        for (actions, want) in cases {
            check(sandbox(&["docker ps"]), actions, want);
        }
        let s = Rc::new(sandbox(&["docker ps"])).reduce(opened());
        assert!(s.opened_on_show().is_some());
        let s = s.reduce(Action::Submit("docker ps".into()));
        assert!(s.opened_on_show().is_none(), "a command ran after it");
    }

    #[test]
    fn the_editor_follows_the_project_dockerfile_and_saves_what_builds() {
        let s = Rc::new(sandbox(&[])).reduce(Action::Submit(
            "cat > /root/app/Dockerfile <<'EOF'\nFROM busybox\nEOF".into(),
        ));
        assert_eq!(s.dockerfile, "FROM busybox\n");
        let s = s
            .reduce(Action::Edit("FROM busybox\nRUN echo hi > /hi\n".into()))
            .reduce(Action::Build);
        assert_eq!(s.workspace.console.log.len(), 3);
        assert_eq!(s.dockerfile, "FROM busybox\nRUN echo hi > /hi\n");
        assert!(s.workspace.session.host.image("app").is_ok());
    }

    #[test]
    fn a_link_carries_the_state_on_show_and_autosave_the_progress() {
        let layers = lesson("layers");
        let s = Rc::new(sandbox(&["docker ps"]))
            .reduce(Action::Choose(Some(layers)))
            .reduce(Action::Step(true));
        let saved = s.saved();
        assert_eq!((saved.lesson.as_deref(), saved.step), (Some("layers"), 1));
        assert_eq!(saved.sandbox, Some(lines(&["docker ps"])));
        let link = s.link();
        assert_eq!((link.sandbox, link.done.len(), link.step), (None, 0, 1));
        assert_eq!(link.commands, saved.commands);
    }

    #[test]
    fn an_action_that_changes_nothing_keeps_the_state() {
        let s = Rc::new(sandbox(&["docker ps"]));
        for a in [
            Action::Settled(true),
            Action::Redo,
            Action::Seek(1),
            Action::Choose(None),
        ] {
            assert!(Rc::ptr_eq(&s, &s.clone().reduce(a.clone())), "{a:?}");
        }
    }
}
