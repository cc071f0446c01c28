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
    /// A line that ends with Layerlab's own note (`text` is the English the
    /// engine wrote): drawn with the note in the learner's language.
    Note {
        text: String,
        error: bool,
        note: Box<(usize, layerlab_engine::note::Note)>,
    },
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
                    let error = l.stderr && t.status != 0;
                    if let Some(note) = l.note {
                        self.screen.push(ScreenLine::Note {
                            text: l.text,
                            error,
                            note,
                        });
                        continue;
                    }
                    self.screen.push(if error {
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
}
