//! Scenario files: the command log as the `layerlab` CLI reads it (one
//! command per line, `#` comments, a heredoc or an open quote takes the lines
//! that follow), with the lesson in a `# lesson:` comment. Downloading writes
//! one; opening one replays it in a fresh workspace.

use crate::console::BUILTINS;
use crate::i18n::Msg;
use crate::lessons::Lesson;
use layerlab_engine::command::scenario_commands;

/// The largest file opened (a scenario is a few kilobytes).
pub const MAX_BYTES: usize = 1 << 20;
/// What a downloaded scenario is called.
pub const FILE_NAME: &str = "layerlab-scenario.txt";

const LESSON: &str = "# lesson: ";

/// A scenario read from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    pub commands: Vec<String>,
    /// The lesson's index, from its `# lesson:` comment.
    pub lesson: Option<usize>,
}

/// Why a file is not a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    TooLarge,
    NotText,
    NoCommands,
}

impl Refused {
    pub fn message(self) -> Msg {
        match self {
            Refused::TooLarge => Msg::ScenarioTooLarge,
            Refused::NotText => Msg::ScenarioNotText,
            Refused::NoCommands => Msg::ScenarioEmpty,
        }
    }
}

/// The scenario file for a command log (the terminal's own `clear` and `help` left out).
pub fn to_text(log: &[String], lesson: Option<&str>) -> String {
    let mut text = String::from(
        "# Layerlab scenario: open it in Layerlab, or replay it with `layerlab run FILE`.\n",
    );
    if let Some(id) = lesson {
        text.push_str(&format!("{LESSON}{id}\n"));
    }
    for line in log.iter().filter(|l| !BUILTINS.contains(&l.as_str())) {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// Reads a scenario file's bytes.
pub fn from_bytes(bytes: &[u8]) -> Result<Opened, Refused> {
    if bytes.len() > MAX_BYTES {
        return Err(Refused::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Refused::NotText)?;
    if text.contains('\0') {
        return Err(Refused::NotText);
    }
    let lesson = text
        .lines()
        .find_map(|l| l.trim().strip_prefix(LESSON.trim_end()))
        .and_then(|id| Lesson::by_id(id.trim()));
    let commands = scenario_commands(text);
    if commands.is_empty() {
        return Err(Refused::NoCommands);
    }
    Ok(Opened { commands, lesson })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lessons::LESSONS;
    use crate::workspace::Workspace;

    #[test]
    fn a_downloaded_scenario_opens_to_the_same_state() {
        let mut w = Workspace::default();
        for line in [
            "docker pull busybox",
            "clear",
            "cat > Dockerfile <<'EOF'\nFROM busybox\n# not a comment of the file\nRUN echo hi > /hi\nEOF",
            "docker build -t app .",
            "docker run -d --name web app sleep 1d",
            "echo 'a quote\nover two lines'",
        ] {
            w.submit(line);
        }
        let lesson = LESSONS[2].id;
        let text = to_text(&w.console.log, Some(lesson));
        assert!(
            !text.contains("\nclear\n"),
            "the terminal's own clear is left out"
        );
        let opened = from_bytes(text.as_bytes()).expect("opens");
        assert_eq!(opened.lesson, Some(2));
        let again = Workspace::replay(&opened.commands);
        let id = |w: &Workspace| w.session.host.image("app").map(|i| i.id.clone()).ok();
        assert!(id(&w).is_some());
        assert_eq!(id(&again), id(&w));
        assert_eq!(again.session.host.containers().len(), 1);
        assert_eq!(opened.commands.len(), w.console.log.len() - 1);
    }

    #[test]
    fn files_that_are_no_scenario_are_refused_with_a_reason() {
        let cases: [(&[u8], Refused); 4] = [
            (b"", Refused::NoCommands),
            (b"# only a comment\n\n", Refused::NoCommands),
            (b"\x89PNG\r\n\x1a\n\0\0", Refused::NotText),
            (b"docker ps\0", Refused::NotText),
        ];
        for (bytes, want) in cases {
            assert_eq!(from_bytes(bytes), Err(want), "{bytes:?}");
        }
        let big = vec![b'#'; MAX_BYTES + 1];
        assert_eq!(from_bytes(&big), Err(Refused::TooLarge));
        let unknown = from_bytes(b"# lesson: no-such-lesson\ndocker ps\n").expect("opens");
        assert_eq!(unknown.lesson, None, "an unknown lesson opens the sandbox");
    }
}
