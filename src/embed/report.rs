//! What the embed tells its parent page after a command: read from the
//! workspace, the same facts the terminal and "What happened" show.

use super::message::Ran;
use crate::console::ScreenLine;
use crate::i18n::Lang;
use crate::workspace::Workspace;

/// How much of a workspace's log and screen the parent page was already told of.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Seen {
    pub log: usize,
    pub screen: usize,
}

impl Seen {
    pub fn now(ws: &Workspace) -> Seen {
        Seen {
            log: ws.console.log.len(),
            screen: ws.console.screen.len(),
        }
    }
}

/// The command that ran since `seen`, if one did; a command still waiting for
/// lines (an open heredoc or quote) is reported as not complete.
pub fn ran_since(ws: &Workspace, seen: Seen, lang: Lang) -> Option<Ran> {
    let console = &ws.console;
    let grew = console.log.len() > seen.log;
    if !grew {
        return console
            .pending
            .as_ref()
            .filter(|_| console.screen.len() > seen.screen)
            .map(|text| Ran {
                command: text.clone(),
                status: None,
                output: Vec::new(),
                items: Vec::new(),
            });
    }
    let command = console.log.last()?.clone();
    let output = console
        .screen
        .get(seen.screen..)
        .unwrap_or_default()
        .iter()
        .filter_map(|l| match l {
            ScreenLine::Output(t) | ScreenLine::Error(t) | ScreenLine::Note { text: t, .. } => {
                Some(t.clone())
            }
            _ => None,
        })
        .collect();
    // `clear` and `help` are the terminal's own: they leave `last` as it was.
    let (status, items) = match &console.last {
        Some((line, t)) if *line == command => (
            t.status,
            crate::view::activity::activity(&ws.session, lang, t),
        ),
        _ => (0, Vec::new()),
    };
    Some(Ran {
        command,
        status: Some(status),
        output,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_command_reports_its_own_output_status_and_events() {
        // (line, status, output holds, event kinds hold)
        let cases: [(&str, Option<i32>, &str, &[&str]); 5] = [
            (
                "docker pull nginx",
                Some(0),
                "Pull complete",
                &["downloaded", "manifest"],
            ),
            ("docker ps -s", Some(0), "CONTAINER ID", &[]),
            (
                "docker rm nosuch",
                Some(1),
                "No such container: nosuch",
                &[],
            ),
            ("help", Some(0), "", &[]),
            ("cat > /tmp/x <<'EOF'", None, "", &[]),
        ];
        let mut ws = Workspace::default();
        for (line, status, output, kinds) in cases {
            let seen = Seen::now(&ws);
            ws.submit(line);
            let ran = ran_since(&ws, seen, Lang::En).expect(line);
            assert_eq!(ran.status, status, "{line}");
            assert!(
                ran.output.join("\n").contains(output),
                "{line}: {:?}",
                ran.output
            );
            let got: Vec<&str> = ran
                .items
                .iter()
                .map(|i| super::super::message::kind(i.what))
                .collect();
            for k in kinds {
                assert!(got.contains(k), "{line}: {got:?}");
            }
        }
        // Nothing ran: nothing to report.
        assert_eq!(ran_since(&ws, Seen::now(&ws), Lang::En), None);
    }
}
