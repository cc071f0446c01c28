//! The workspace: a session and its terminal, everything the commands
//! change, and the timeline that undo, redo and the slider move along.
//!
//! After every command it keeps a snapshot of the session and the screen (a
//! `Session` clone shares every layer through `Rc`, so a snapshot costs the
//! small maps around them), and stepping back restores one instead of
//! replaying the log from a fresh session. A restored snapshot is exactly
//! what replaying would give, since the engine is deterministic; what no
//! command line made (an imported image) marks the snapshots taken after it
//! as not replayable, and stepping back rebuilds those from the last one
//! before it, so the import is left out as a replay leaves it out.

use crate::console::{Console, ScreenLine};
use layerlab_engine::command::{Session, Transcript, PROJECT_DIR};
use layerlab_engine::import::{self, Imported};
use std::rc::Rc;

/// What the log's first commands leave behind (the log itself is a prefix
/// of the current one, and the history is kept whatever the timeline does).
struct Snapshot {
    session: Session,
    screen: Vec<ScreenLine>,
    last: Option<(String, Transcript)>,
}

impl Snapshot {
    fn of(session: &Session, console: &Console) -> Rc<Snapshot> {
        Rc::new(Snapshot {
            session: session.clone(),
            screen: console.screen.clone(),
            last: console.last.clone(),
        })
    }
}

/// A session and its terminal: everything the commands change. Cloning it
/// is cheap enough to make a new one per command (the app's state holds it
/// behind `Rc` and replaces it whole).
#[derive(Clone)]
pub struct Workspace {
    pub session: Session,
    pub console: Console,
    /// Lines taken back by undo, the most recent last (what redo runs again).
    pub undone: Vec<String>,
    /// The whole log of a timeline left when a new line was typed after
    /// stepping back: [`Workspace::bring_back`] returns to it.
    pub set_aside: Option<Vec<String>>,
    /// `after[k]`: the state after the log's first `k` commands (`after[0]`
    /// is a fresh session); one more than the log's length.
    after: Vec<Rc<Snapshot>>,
    /// How many commands had run when something that is not a command line
    /// changed the session: the snapshots after it are not what a replay gives.
    diverged: Option<usize>,
}

impl Default for Workspace {
    fn default() -> Self {
        let session = Session::new();
        let console = Console::default();
        Workspace {
            after: vec![Snapshot::of(&session, &console)],
            session,
            console,
            undone: Vec::new(),
            set_aside: None,
            diverged: None,
        }
    }
}

impl Workspace {
    /// A workspace rebuilt by replaying `lines` in a fresh session.
    pub fn replay(lines: &[String]) -> Self {
        let mut w = Workspace::default();
        for l in lines {
            w.submit(l);
        }
        w
    }

    /// Runs a line the learner typed. The next undone line typed again is
    /// redone; any other line starts a new timeline, and the one left is set
    /// aside whole, never dropped.
    pub fn submit(&mut self, line: &str) {
        if self.console.pending.is_none() && !self.undone.is_empty() {
            if self.undone.last().map(String::as_str) == Some(line.trim()) {
                self.undone.pop();
            } else {
                let mut whole = self.console.log.clone();
                whole.extend(self.undone.drain(..).rev());
                self.set_aside = Some(whole);
            }
        }
        self.run(line);
    }

    /// Runs a line in the terminal, and keeps a snapshot once a whole command ran.
    fn run(&mut self, line: &str) {
        let before = self.console.log.len();
        self.console.submit(&mut self.session, line);
        if self.console.log.len() > before {
            self.after.truncate(before + 1);
            self.after.push(Snapshot::of(&self.session, &self.console));
        }
    }

    /// Puts the workspace where replaying `lines` in a fresh session would:
    /// from the latest snapshot they share with the log, running the rest.
    /// The history stays as it is.
    fn restore(&mut self, lines: &[String]) {
        let shared = self
            .console
            .log
            .iter()
            .zip(lines)
            .take_while(|(a, b)| a == b)
            .count();
        let base = self.diverged.take().map_or(shared, |d| d.min(shared));
        let snapshot = Rc::clone(&self.after[base]);
        self.after.truncate(base + 1);
        self.session = snapshot.session.clone();
        self.console.screen = snapshot.screen.clone();
        self.console.last = snapshot.last.clone();
        self.console.log.truncate(base);
        self.console.pending = None;
        let history = std::mem::take(&mut self.console.history);
        for l in &lines[base..] {
            self.run(l);
        }
        self.console.history = history;
    }

    /// Runs the last command again from the snapshot before it (its first
    /// run's result thrown away, the history as it is): what a replay does
    /// once the tars the first run left unhashed are in the engine's memo.
    pub fn rerun_last(&mut self) {
        let Some(last) = self.console.log.len().checked_sub(1) else {
            return;
        };
        let log = self.console.log.clone();
        self.diverged = Some(self.diverged.map_or(last, |d| d.min(last)));
        self.restore(&log);
    }

    /// Goes back to the timeline set aside; the one left is set aside in turn.
    pub fn bring_back(&mut self) -> bool {
        let Some(lines) = self.set_aside.take() else {
            return false;
        };
        let now = self.console.log.clone();
        self.undone.clear();
        self.restore(&lines);
        self.set_aside = Some(now);
        true
    }

    /// Takes the last command back: the state before it is the snapshot
    /// taken then.
    pub fn undo(&mut self) -> bool {
        let (now, _) = self.position();
        now > 0 && self.seek(now - 1)
    }

    /// The timeline: how many commands have run, out of how many can be
    /// (the undone ones can run again).
    pub fn position(&self) -> (usize, usize) {
        let now = self.console.log.len();
        (now, now + self.undone.len())
    }

    /// Moves along the timeline to just after the `k`-th command: back to
    /// the snapshot taken then (the rest can be redone), forward by redoing.
    pub fn seek(&mut self, k: usize) -> bool {
        let (now, total) = self.position();
        let k = k.min(total);
        if k > now {
            while self.console.log.len() < k && self.redo() {}
            return true;
        }
        if k == now {
            return false;
        }
        let mut log = self.console.log.clone();
        let later = log.split_off(k);
        let mut undone = std::mem::take(&mut self.undone);
        undone.extend(later.into_iter().rev());
        let set_aside = self.set_aside.take();
        self.restore(&log);
        self.undone = undone;
        self.set_aside = set_aside;
        true
    }

    /// Runs the last undone command again.
    pub fn redo(&mut self) -> bool {
        let Some(line) = self.undone.pop() else {
            return false;
        };
        // The line is in the history already.
        let history = std::mem::take(&mut self.console.history);
        self.run(&line);
        self.console.history = history;
        true
    }

    /// Loads an imported archive's images into the host, with `docker
    /// load`'s lines. No command line made them: autosave, links and the
    /// timeline, which all go by the log, leave them out.
    pub fn load(&mut self, imported: &Imported) -> Vec<String> {
        self.diverged.get_or_insert(self.console.log.len());
        let loaded = import::load(&mut self.session.host, imported);
        loaded.value.iter().flat_map(|l| l.lines()).collect()
    }

    /// The project's Dockerfile as it is on the host now, if there is one.
    pub fn project_dockerfile(&self) -> Option<String> {
        let path = format!("{PROJECT_DIR}/Dockerfile");
        self.session
            .host_fs
            .read(&path)
            .ok()
            .map(|(c, _)| String::from_utf8_lossy(&c.head(1 << 20)).into_owned())
    }

    /// The Build button: saves the editor's text as the project's Dockerfile
    /// (typed as a heredoc, so the terminal shows how the file got there) when
    /// it changed, then runs `docker build -t app .`.
    pub fn build(&mut self, dockerfile: &str) {
        let path = format!("{PROJECT_DIR}/Dockerfile");
        let on_disk = self
            .session
            .host_fs
            .read(&path)
            .map(|(c, _)| c.to_vec())
            .unwrap_or_default();
        let mut text = dockerfile.to_owned();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        if on_disk != text.as_bytes() {
            let mut delim = "EOF".to_owned();
            while text.lines().any(|l| l == delim) {
                delim.push('_');
            }
            self.submit(&format!("cat > {path} <<'{delim}'\n{text}{delim}"));
        }
        self.submit("docker build -t app .");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::{quick_actions, shown, SHOWN};

    #[test]
    fn replaying_the_log_rebuilds_the_same_workspace() {
        let mut w = Workspace::default();
        for l in [
            "docker pull busybox",
            "docker run -d --name box busybox sleep 9",
            "docker ps",
            "clear",
            "docker ps -a",
        ] {
            w.submit(l);
        }
        let again = Workspace::replay(&w.console.log);
        assert_eq!(again.console, w.console);
        assert_eq!(again.session.host.containers().len(), 1);
        assert_eq!(again.session.host.now(), w.session.host.now());
    }

    #[test]
    fn lines_typed_in_a_container_show_its_prompt_and_replay() {
        let mut w = Workspace::default();
        w.submit("docker run -it --name box busybox");
        w.submit("echo inside > /note");
        w.submit("exit");
        w.submit("docker diff box");
        let typed: Vec<&ScreenLine> = w
            .console
            .screen
            .iter()
            .filter(|l| matches!(l, ScreenLine::InContainer { .. }))
            .collect();
        assert_eq!(
            typed,
            [
                &ScreenLine::InContainer {
                    prompt: "/ # ".into(),
                    text: "echo inside > /note".into()
                },
                &ScreenLine::InContainer {
                    prompt: "/ # ".into(),
                    text: "exit".into()
                },
            ]
        );
        assert_eq!(
            w.console.screen.last(),
            Some(&ScreenLine::Output("A /note".into()))
        );
        assert_eq!(w.session.prompt(), None);
        let again = Workspace::replay(&w.console.log);
        assert_eq!(again.console, w.console);
    }

    #[test]
    fn undo_and_redo_walk_the_command_log() {
        let mut w = Workspace::default();
        w.submit("docker pull busybox");
        w.submit("docker run -d --name box busybox sleep 60");
        let after = w.session.host.containers().len();
        assert!(w.undo());
        assert_eq!(w.session.host.containers().len(), after - 1);
        assert_eq!(w.console.log, ["docker pull busybox"]);
        assert!(w.redo());
        assert_eq!(w.session.host.containers().len(), after);
        assert!(!w.redo(), "nothing left to redo");
        assert!(w.undo() && w.undo() && !w.undo());
        assert!(w.session.host.image("busybox").is_err());
        w.submit("docker images");
        assert!(!w.redo(), "a new command clears what could be redone");
    }

    #[test]
    fn typing_after_stepping_back_sets_the_later_lines_aside_to_bring_back() {
        let lines = [
            "docker pull busybox",
            "docker images",
            "docker ps",
            "docker ps -a",
        ];
        let mut w = Workspace::replay(&lines.map(String::from));
        w.seek(1);
        // The next undone line typed again is a redo: nothing is set aside.
        w.submit("docker images");
        assert_eq!((w.position(), w.set_aside.is_none()), ((2, 4), true));
        w.submit("docker run -d --name box busybox sleep 9");
        assert_eq!(w.position(), (3, 3));
        assert_eq!(w.set_aside.as_deref(), Some(&lines.map(String::from)[..]));
        assert!(w.bring_back());
        assert_eq!(w.console.log, lines);
        assert!(w.session.host.containers().is_empty());
        assert_eq!(
            w.set_aside.as_ref().map(|l| l.len()),
            Some(3),
            "the new timeline is set aside in turn"
        );
        assert!(w.bring_back());
        assert_eq!(w.session.host.containers().len(), 1);
    }

    #[test]
    fn the_timeline_seeks_back_and_forth_through_the_log() {
        let lines = [
            "docker pull busybox",
            "docker run -d --name one busybox sleep 60",
            "docker run -d --name two busybox sleep 60",
            "docker rm -f one",
        ];
        let mut w = Workspace::replay(&lines.map(String::from));
        let end = w.session.host.containers().len();
        assert_eq!(w.position(), (4, 4));
        // (seek to, commands run, containers there)
        let cases = [
            (1, 1, 0),
            (3, 3, 2),
            (0, 0, 0),
            (4, 4, end),
            (2, 2, 1),
            (9, 4, end),
        ];
        for (to, run, containers) in cases {
            w.seek(to);
            assert_eq!(w.position(), (run, 4), "seek to {to}");
            assert_eq!(
                w.session.host.containers().len(),
                containers,
                "seek to {to}"
            );
            assert_eq!(w.console.log, lines[..run], "seek to {to}");
            let last = w.console.last.as_ref().map(|(line, _)| line.as_str());
            assert_eq!(last, run.checked_sub(1).map(|k| lines[k]), "seek to {to}");
        }
        assert_eq!(w.console.history.len(), 4, "history survives seeking");
    }

    #[test]
    fn the_build_button_saves_the_dockerfile_only_when_it_changed() {
        let mut w = Workspace::default();
        w.build(crate::TUTORIAL_DOCKERFILE);
        assert_eq!(w.console.log, ["docker build -t app ."]);
        assert!(w.session.host.image("app").is_ok());
        w.build("FROM busybox\nRUN echo hi > /hi\n");
        assert_eq!(w.console.log.len(), 3);
        assert!(w.console.log[1].starts_with("cat > /root/app/Dockerfile <<'EOF'\nFROM busybox"));
        let again = Workspace::replay(&w.console.log);
        assert_eq!(again.console, w.console);
        assert_eq!(
            again.session.host.image("app").map(|i| i.id.clone()),
            w.session.host.image("app").map(|i| i.id.clone())
        );
    }

    #[test]
    fn stepping_back_restores_what_replaying_gives() {
        let lines = [
            "docker pull busybox",
            "docker run -d --name box busybox sleep 60",
            "clear",
            "docker exec box sh -c 'echo hi > /hi'",
            "docker commit box boxed",
            "docker ps -s",
        ]
        .map(String::from);
        let mut w = Workspace::replay(&lines);
        for k in (0..=lines.len()).rev() {
            w.seek(k);
            let again = Workspace::replay(&lines[..k]);
            assert_eq!(w.console.screen, again.console.screen, "at {k}");
            assert_eq!(w.console.last, again.console.last, "at {k}");
            assert_eq!(w.session.host.now(), again.session.host.now(), "at {k}");
            let ids = |w: &Workspace| {
                w.session
                    .host
                    .images()
                    .map(|i| i.id.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(ids(&w), ids(&again), "at {k}");
        }
    }

    #[test]
    fn stepping_back_leaves_out_an_import_as_a_replay_would() {
        let mut importer = layerlab_engine::import::Importer::new();
        importer
            .feed(include_bytes!(
                "../crates/engine/tests/images/multi-stage.tar"
            ))
            .expect("feeds");
        let imported = importer.finish().expect("imports");
        let images = |w: &Workspace| w.session.host.images().count();
        let mut w = Workspace::replay(&["docker pull busybox".to_owned()]);
        let before = images(&w);
        assert!(!w.load(&imported).is_empty(), "docker load's lines");
        assert!(images(&w) > before);
        w.submit("docker images");
        w.submit("docker ps");
        // (undo, images there): the snapshot taken after the import holds it,
        // but a replay of the log would not.
        assert!(w.undo());
        assert_eq!(w.console.log, ["docker pull busybox", "docker images"]);
        assert_eq!(images(&w), before);
        assert!(w.redo());
        assert_eq!(images(&w), before);
    }

    #[test]
    fn the_screen_draws_only_its_newest_lines() {
        let mut w = Workspace::default();
        for i in 0..(SHOWN + 10) {
            w.submit(&format!("echo {i}"));
        }
        let (hidden, lines) = shown(&w.console.screen);
        assert_eq!(lines.len(), SHOWN);
        assert_eq!(hidden, 2 * (SHOWN + 10) - SHOWN);
        assert_eq!(
            lines.last(),
            Some(&ScreenLine::Output(format!("{}", SHOWN + 9)))
        );
        assert_eq!(w.console.log.len(), SHOWN + 10, "the log keeps every line");
        assert_eq!(shown(&w.console.screen[..3]), (0, &w.console.screen[..3]));
    }

    #[test]
    fn every_button_types_a_command_that_succeeds_where_it_is_offered() {
        let states: [&[&str]; 3] = [
            &[],
            &["docker run -d --name web1 nginx"],
            &[
                "docker build -t app .",
                "docker run -d --name App-1 app sleep 1d",
            ],
        ];
        for lines in states {
            let log: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            let offered = quick_actions(&Workspace::replay(&log).session);
            for (_, line) in offered {
                let mut w = Workspace::replay(&log);
                w.submit(&line);
                let status = w.console.last.as_ref().map(|(_, t)| t.status);
                assert_eq!(
                    status,
                    Some(0),
                    "{line} after {lines:?}: {:?}",
                    w.console.screen.last()
                );
            }
        }
    }
}
