//! The terminal's logic, free of the DOM: what a line produces on screen,
//! history navigation and Tab completion. The component only draws this.

use layerlab_engine::command::subcommands::{self, Operands};
use layerlab_engine::command::{Session, Transcript};
use layerlab_engine::shell::incomplete;

/// One line on the terminal screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScreenLine {
    /// What the user typed, after the prompt.
    Input(String),
    /// What the user typed into a container's shell, after its prompt
    /// (`root@3f2a9c81d0b7:/# `).
    InContainer {
        prompt: String,
        text: String,
    },
    /// A continuation line (after `> `), as in a heredoc.
    More(String),
    Output(String),
    Error(String),
    /// Layerlab's own words (the `help` text): drawn in the learner's language.
    Said(crate::i18n::Msg),
}

/// The terminal's state: the screen, the command history (for ↑/↓), and the
/// log of every line submitted (what autosave replays).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Console {
    pub screen: Vec<ScreenLine>,
    pub history: Vec<String>,
    pub log: Vec<String>,
    /// Lines typed so far of a command that needs more (an open heredoc or quote).
    pub pending: Option<String>,
    /// The last command run and what it did (its output lines left out: they
    /// are on the screen). The activity pane draws its events.
    pub last: Option<(String, Transcript)>,
}

/// A session and its terminal: everything the commands change.
pub struct Workspace {
    pub session: Session,
    pub console: Console,
    /// Lines taken back by undo, the most recent last (what redo runs again).
    pub undone: Vec<String>,
    /// The whole log of a timeline left when a new line was typed after
    /// stepping back: [`Workspace::bring_back`] returns to it.
    pub set_aside: Option<Vec<String>>,
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace {
            session: Session::new(),
            console: Console::default(),
            undone: Vec::new(),
            set_aside: None,
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
        self.console.submit(&mut self.session, line);
    }

    /// Goes back to the timeline set aside; the one left is set aside in turn.
    pub fn bring_back(&mut self) -> bool {
        let Some(lines) = self.set_aside.take() else {
            return false;
        };
        let now = self.console.log.clone();
        let history = std::mem::take(&mut self.console.history);
        *self = Workspace::replay(&lines);
        self.console.history = history;
        self.set_aside = Some(now);
        true
    }

    /// Takes the last command back: the engine is deterministic, so replaying
    /// the others from a fresh session gives exactly the state before it.
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

    /// Moves along the timeline to just after the `k`-th command: back by
    /// replaying the first `k` (the rest can be redone), forward by redoing.
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
        let history = std::mem::take(&mut self.console.history);
        let set_aside = self.set_aside.take();
        *self = Workspace::replay(&log);
        self.console.history = history;
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
        self.console.submit(&mut self.session, &line);
        self.console.history = history;
        true
    }

    /// The project's Dockerfile as it is on the host now, if there is one.
    pub fn project_dockerfile(&self) -> Option<String> {
        let path = format!("{}/Dockerfile", layerlab_engine::command::PROJECT_DIR);
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
        let path = format!("{}/Dockerfile", layerlab_engine::command::PROJECT_DIR);
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

/// How many screen lines the terminal draws at most: the newest ones. After
/// thousands of commands a whole transcript would make every redraw slow;
/// the log keeps every command (Download scenario writes it).
pub const SHOWN: usize = 400;

/// The screen lines to draw, and how many earlier ones are left out.
pub fn shown(screen: &[ScreenLine]) -> (usize, &[ScreenLine]) {
    let hidden = screen.len().saturating_sub(SHOWN);
    (hidden, &screen[hidden..])
}

/// Built-in lines the terminal handles itself.
pub const BUILTINS: [&str; 2] = ["clear", "help"];

impl Console {
    /// Runs a line: `clear`, `help`, or a command for the session. A line that
    /// leaves a heredoc or a quote open waits for the next ones, as a shell's
    /// `> ` prompt does; the whole command then runs, and is logged, as one.
    pub fn submit(&mut self, session: &mut Session, line: &str) {
        let line = line.trim_end_matches(['\r', '\n']);
        let text = match self.pending.take() {
            Some(before) => {
                self.screen.push(ScreenLine::More(line.to_owned()));
                format!("{before}\n{line}")
            }
            None => {
                let line = line.trim();
                if line.is_empty() {
                    return;
                }
                let mut lines = line.lines();
                let first = lines.next().unwrap_or_default().to_owned();
                self.screen.push(match session.prompt() {
                    Some(prompt) => ScreenLine::InContainer {
                        prompt,
                        text: first,
                    },
                    None => ScreenLine::Input(first),
                });
                self.screen
                    .extend(lines.map(|l| ScreenLine::More(l.to_owned())));
                line.to_owned()
            }
        };
        if incomplete(&text) {
            self.pending = Some(text);
            return;
        }
        self.log.push(text.clone());
        if self.history.last() != Some(&text) {
            self.history.push(text.clone());
        }
        match text.as_str() {
            "clear" => self.screen.clear(),
            "help" => {
                self.screen
                    .push(ScreenLine::Said(crate::i18n::Msg::TerminalHelp));
                self.screen
                    .push(ScreenLine::Said(crate::i18n::Msg::TerminalExamples));
            }
            _ => {
                let mut t = session.run(&text);
                // Standard error is marked as an error only when the command
                // failed: BuildKit and `docker pull` write progress there.
                for l in std::mem::take(&mut t.lines) {
                    self.screen.push(if l.stderr && t.status != 0 {
                        ScreenLine::Error(l.text)
                    } else {
                        ScreenLine::Output(l.text)
                    });
                }
                self.last = Some((text, t));
            }
        }
    }

    /// The history entry `back` steps before the end (1 = the last command).
    pub fn recall(&self, back: usize) -> Option<&str> {
        self.history
            .len()
            .checked_sub(back)
            .and_then(|i| self.history.get(i))
            .map(String::as_str)
    }
}

/// The command lines behind the terminal's buttons, for the current state:
/// (button text, command line). Names of new containers never clash.
pub fn quick_actions(session: &Session) -> Vec<(String, String)> {
    let taken = |n: &str| session.host.containers().iter().any(|c| c.name == n);
    let next = (1..)
        .map(|i| format!("web{i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| "web".into());
    let mut actions = vec![
        (
            "docker pull ubuntu:15.04".to_owned(),
            "docker pull ubuntu:15.04".to_owned(),
        ),
        (
            format!("docker run -d --name {next} nginx"),
            format!("docker run -d --name {next} nginx"),
        ),
        ("docker ps -s".to_owned(), "docker ps -s".to_owned()),
        (
            "docker images --digests".to_owned(),
            "docker images --digests".to_owned(),
        ),
        (
            "docker system df -v".to_owned(),
            "docker system df -v".to_owned(),
        ),
    ];
    if session.host.image("app").is_ok() {
        actions.push((
            "docker history app".to_owned(),
            "docker history app".to_owned(),
        ));
        let name = (1..)
            .map(|i| format!("app{i}"))
            .find(|n| !taken(n))
            .unwrap_or_else(|| "app".into());
        let line = format!("docker run -d --name {name} app sleep 1d");
        actions.push((line.clone(), line));
    }
    if let Some(last) = session.host.containers().last() {
        actions.push((
            format!("docker diff {}", last.name),
            format!("docker diff {}", last.name),
        ));
        // A repository name is lower case.
        let line = format!(
            "docker commit {} {}:committed",
            last.name,
            last.name.to_ascii_lowercase()
        );
        actions.push((line.clone(), line));
        actions.push((
            format!("docker rm -f {}", last.name),
            format!("docker rm -f {}", last.name),
        ));
    }
    actions
}

/// Completes the last word of `line`: `docker`, then a subcommand, then what that
/// subcommand takes (container names, or local and registry image references). Returns the completed line when exactly one
/// candidate fits, or the longest common prefix of several.
pub fn complete(session: &Session, line: &str) -> Option<String> {
    let words: Vec<&str> = line.split(' ').collect();
    let last = *words.last()?;
    let candidates: Vec<String> = match words.len() {
        1 => std::iter::once("docker")
            .chain(BUILTINS)
            .map(str::to_owned)
            .collect(),
        2 if words[0] == "docker" => subcommands::listed().map(|(n, _)| n.to_owned()).collect(),
        _ if words[0] == "docker" => {
            let containers = || {
                session
                    .host
                    .containers()
                    .iter()
                    .map(|c| c.name.clone())
                    .collect::<Vec<_>>()
            };
            let mut images: Vec<String> = session
                .host
                .images()
                .flat_map(|i| session.host.tags_of(&i.id))
                .map(|r| r.to_string())
                .collect();
            let operands = subcommands::named(words[1]).map(|c| c.operands);
            let mut c = match operands.unwrap_or(Operands::Nothing) {
                Operands::Containers => containers(),
                Operands::PullableImages => {
                    images.extend(session.registry.references().map(|r| r.to_string()));
                    images
                }
                Operands::Images => images,
                Operands::ImagesAndContainers => {
                    images.extend(containers());
                    images
                }
                Operands::Nothing => Vec::new(),
            };
            layerlab_engine::sort::sort(&mut c);
            c.dedup();
            c
        }
        _ => Vec::new(),
    };
    let fits: Vec<&String> = candidates.iter().filter(|c| c.starts_with(last)).collect();
    let completed = match fits.as_slice() {
        [] => return None,
        [one] => format!("{one} "),
        many => {
            let first = many[0].as_str();
            let common = many.iter().fold(first.len(), |n, c| {
                first
                    .bytes()
                    .zip(c.bytes())
                    .take(n)
                    .take_while(|(a, b)| a == b)
                    .count()
            });
            first[..common].to_owned()
        }
    };
    if completed.trim_end() == last && fits.len() > 1 {
        return None;
    }
    let head = &line[..line.len() - last.len()];
    Some(format!("{head}{completed}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_completes_commands_subcommands_and_names() {
        let mut s = Session::new();
        s.run("docker create --name webserver busybox");
        s.run("docker create --name webdb busybox");
        let cases = [
            ("doc", Some("docker ")),
            ("docker p", None),
            ("docker hi", Some("docker history ")),
            ("docker sta", Some("docker start ")),
            ("docker rm w", Some("docker rm web")),
            ("docker pu", None),
            ("docker pul", Some("docker pull ")),
            ("docker pus", Some("docker push ")),
            ("docker rm webs", Some("docker rm webserver ")),
            ("docker pull ubu", Some("docker pull ubuntu:15.04 ")),
            ("docker zz", None),
            ("cl", Some("clear ")),
        ];
        for (line, want) in cases {
            assert_eq!(complete(&s, line).as_deref(), want, "{line}");
        }
    }

    #[test]
    fn buttons_offer_commands_whose_names_never_clash() {
        let mut s = Session::new();
        let run = |s: &Session| {
            quick_actions(s)
                .into_iter()
                .find(|(_, l)| l.contains(" run "))
                .map(|(_, l)| l)
        };
        assert_eq!(run(&s).as_deref(), Some("docker run -d --name web1 nginx"));
        s.run("docker run -d --name web1 nginx");
        assert_eq!(run(&s).as_deref(), Some("docker run -d --name web2 nginx"));
        assert!(quick_actions(&s)
            .iter()
            .any(|(_, l)| l == "docker rm -f web1"));
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
    fn the_console_keeps_history_and_clears() {
        let mut s = Session::new();
        let mut c = Console::default();
        c.submit(&mut s, "docker ps");
        c.submit(&mut s, "docker ps");
        c.submit(&mut s, "docker nope");
        assert_eq!(c.history, ["docker ps", "docker nope"]);
        assert_eq!(c.recall(1), Some("docker nope"));
        assert_eq!(c.recall(3), None);
        assert!(c
            .screen
            .iter()
            .any(|l| matches!(l, ScreenLine::Error(e) if e.contains("unknown command"))));
        c.submit(&mut s, "clear");
        assert!(c.screen.is_empty());
        assert_eq!(c.log, ["docker ps", "docker ps", "docker nope", "clear"]);
    }

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
    fn a_heredoc_waits_for_its_end_and_runs_as_one_command() {
        let mut s = Session::new();
        let mut c = Console::default();
        c.submit(&mut s, "cat > notes.txt <<EOF");
        assert!(c.pending.is_some());
        c.submit(&mut s, "layers are read-only");
        c.submit(&mut s, "EOF");
        assert!(c.pending.is_none());
        c.submit(&mut s, "cat notes.txt");
        assert_eq!(
            c.log,
            [
                "cat > notes.txt <<EOF\nlayers are read-only\nEOF",
                "cat notes.txt"
            ]
        );
        assert_eq!(
            c.screen,
            [
                ScreenLine::Input("cat > notes.txt <<EOF".into()),
                ScreenLine::More("layers are read-only".into()),
                ScreenLine::More("EOF".into()),
                ScreenLine::Input("cat notes.txt".into()),
                ScreenLine::Output("layers are read-only".into()),
            ]
        );
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
}
