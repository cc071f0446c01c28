//! A container's processes: the main process `docker run` and `docker start`
//! begin, the ones `docker exec` adds, and a terminal attached to a shell in a
//! container (`-it`) until `exit`.
//!
//! Programs the shell simulates (sh, ls, cat, echo, apt-get …) really run on
//! the container's file system, so their output shows and their writes go
//! through copy-on-write; a container whose main process is one of them exits
//! with its status. Other programs (nginx, python) are not run: such a
//! container stays `Up`, as a server would.

use super::{Session, Transcript};
use crate::host::State;
use crate::merged::Node;
use crate::note::NoteKey;
use crate::shell::{simulates, Shell};

/// A terminal attached to a shell inside a container.
#[derive(Clone, Debug)]
pub struct Attached {
    /// The container's full ID.
    pub container: String,
    pub shell: Shell,
    /// From `docker exec`: leaving the shell leaves the container running.
    pub exec: bool,
    style: Prompt,
}

/// How the shell draws its prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Prompt {
    /// bash: `root@3f2a9c81d0b7:/# `
    Bash,
    /// busybox sh: `/ # `
    Busybox,
    /// dash: `# `
    Dash,
}

impl Attached {
    pub fn prompt(&self) -> String {
        let cwd = &self.shell.cwd;
        match self.style {
            Prompt::Bash => {
                let home = self.shell.vars.get("HOME").cloned().unwrap_or_default();
                let shown = match cwd.strip_prefix(&home) {
                    Some(rest)
                        if !home.is_empty() && (rest.is_empty() || rest.starts_with('/')) =>
                    {
                        format!("~{rest}")
                    }
                    _ => cwd.clone(),
                };
                format!("root@{}:{shown}# ", &self.container[..12])
            }
            Prompt::Busybox => format!("{cwd} # "),
            Prompt::Dash => "# ".into(),
        }
    }
}

/// A program name is a shell with no script: it reads commands from its input.
fn is_bare_shell(argv: &[String]) -> bool {
    let name = argv
        .first()
        .map(|p| p.rsplit('/').next().unwrap_or(p))
        .unwrap_or("");
    matches!(name, "sh" | "bash" | "dash" | "ash") && argv.len() == 1
}

/// The script a shell runs for `argv`: `sh -c SCRIPT` as it is, anything
/// else quoted word by word (exec form runs no shell, so nothing expands).
fn script_of(argv: &[String]) -> String {
    let name = argv
        .first()
        .map(|p| p.rsplit('/').next().unwrap_or(p))
        .unwrap_or("");
    if matches!(name, "sh" | "bash" | "dash" | "ash")
        && argv.get(1).map(String::as_str) == Some("-c")
    {
        return argv.get(2).cloned().unwrap_or_default();
    }
    quoted(argv)
}

/// `argv` as one shell command, each word quoted.
fn quoted(argv: &[String]) -> String {
    argv.iter()
        .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A shell for container `id`, with the image's environment and working
/// directory, `HOSTNAME` set to the short ID.
fn shell_for(s: &mut Session, id: &str, program: &str) -> Option<(Shell, Prompt)> {
    let c = s.host.container(id).ok()?;
    let image = s.host.image(c.image.as_str()).ok()?;
    let run = &image.config.config;
    let mut env = run.env.clone();
    env.push(format!("HOSTNAME={}", &c.id[..12]));
    let cwd = if run.working_dir.is_empty() {
        "/"
    } else {
        run.working_dir.as_str()
    };
    let mut shell = Shell::new(program, &env, cwd);
    shell.vars.insert("TERM".into(), "xterm".into());
    let path = shell.vars.get("PATH").cloned().unwrap_or_default();
    let full = if program.contains('/') {
        program.to_owned()
    } else {
        path.split(':')
            .map(|d| format!("{}/{program}", d.trim_end_matches('/')))
            .find(|p| c.fs.stat(p).is_ok())
            .unwrap_or_default()
    };
    let busybox = matches!(c.fs.lstat(&full).map(|s| s.node), Ok(Node::Symlink { target, .. }) if target.ends_with("busybox"))
        || full.ends_with("busybox");
    let name = program.rsplit('/').next().unwrap_or(program);
    let style = if name == "bash" {
        Prompt::Bash
    } else if busybox {
        Prompt::Busybox
    } else {
        Prompt::Dash
    };
    Some((shell, style))
}

/// Runs `script` in container `id` with `shell`, its output into `t`.
/// Runs `script` in the container; with `interactive` (`-i`), the command
/// line's heredoc, if any, is its standard input.
fn run_in(
    s: &mut Session,
    id: &str,
    shell: &mut Shell,
    script: &str,
    interactive: bool,
    t: &mut Transcript,
) -> (i32, bool) {
    let stdin = s.stdin.take().filter(|_| interactive).unwrap_or_default();
    let now = s.host.now();
    let Ok(fs) = s.host.fs(id) else {
        return (1, false);
    };
    fs.set_time(now);
    let stdin = crate::content::Content::bytes(stdin);
    let ran = shell.run_within(fs, script, stdin, &s.budget);
    t.shell_output(&ran);
    t.files(id, ran.events);
    (ran.status, ran.waiting)
}

/// What `docker run` (or `start`) does once the main process is up: a bare
/// shell with `-it` takes the terminal; a simulated program runs and the
/// container exits with its status (its output shown when attached); any other
/// program keeps the container `Up`. Returns the exit status once it ended.
pub fn main_process(
    s: &mut Session,
    id: &str,
    attach: bool,
    interactive: bool,
    tty: bool,
    t: &mut Transcript,
) -> Option<i32> {
    let Ok(c) = s.host.container(id) else {
        return None;
    };
    let argv = c.command.clone();
    let program = argv.first().cloned().unwrap_or_default();
    if is_bare_shell(&argv) {
        if interactive && attach {
            if let Some((mut shell, style)) = shell_for(s, id, &program) {
                shell.tty = true;
                s.attached = Some(Attached {
                    container: id.to_owned(),
                    shell,
                    exec: false,
                    style,
                });
                return None;
            }
        }
        if stdin_open(s, id) {
            // Its input stays open: the shell waits for `docker attach`.
            return None;
        }
        // No input to read: the shell ends at once, as `docker run ubuntu` does.
        exited(s, id, 0);
        return Some(0);
    }
    if serves(s, id, &argv).is_some() {
        return None;
    }
    // `sh -c SCRIPT` is that shell, named as the command names it (`sh: x: not found`).
    let shell_name = if script_of(&argv) != quoted(&argv) {
        program.as_str()
    } else {
        "/bin/sh"
    };
    let (mut shell, _) = shell_for(s, id, shell_name)?;
    shell.tty = tty;
    // A detached process keeps running through any sleep; one in the
    // foreground through a long one (a short one just returns).
    shell.long_sleep = Some(if attach { FOREGROUND_SLEEP } else { 0 });
    let mut out = Transcript::default();
    let ran = run_in(s, id, &mut shell, &script_of(&argv), interactive, &mut out);
    if let Ok(c) = s.host.container_mut(id) {
        c.log
            .extend(out.lines.iter().map(|l| (l.stderr, l.text.clone())));
    }
    if out.files_of().is_some() {
        t.files(id, out.file_events().cloned().collect::<Vec<_>>());
    }
    if attach {
        t.lines.extend(out.lines);
    }
    let (status, waiting) = ran;
    if waiting {
        return None;
    }
    exited(s, id, status);
    Some(status)
}

/// The longest `sleep` (in seconds) a process in the foreground just
/// finishes; a longer one keeps its container `Up`.
const FOREGROUND_SLEEP: u64 = 60;

/// The program a main process starts that the shell does not simulate
/// (nginx, `sh -c 'python /app/app.py'`), when the container has it: such a
/// container stays `Up`. A program it lacks is left to the shell, which says
/// `not found` and exits 127, as Docker's container would.
pub(super) fn serves(s: &Session, id: &str, argv: &[String]) -> Option<String> {
    let name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_owned();
    let program = argv.first().map(|p| name(p)).unwrap_or_default();
    if !simulates(&program) {
        return Some(program);
    }
    let shell_form = matches!(program.as_str(), "sh" | "bash" | "dash" | "ash")
        && argv.get(1).map(String::as_str) == Some("-c");
    let script = argv.get(2).filter(|_| shell_form)?;
    let mut words = script.split_whitespace();
    let first = match words.next()? {
        "exec" => words.next()?,
        w => w,
    };
    if simulates(first)
        || !first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
    {
        return None;
    }
    let c = s.host.container(id).ok()?;
    let path = s
        .host
        .image(c.image.as_str())
        .ok()?
        .config
        .config
        .env
        .iter()
        .find_map(|e| e.strip_prefix("PATH="))
        .unwrap_or("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .to_owned();
    let found = if first.contains('/') {
        c.fs.stat(first).is_ok()
    } else {
        path.split(':').any(|d| {
            c.fs.stat(&format!("{}/{first}", d.trim_end_matches('/')))
                .is_ok()
        })
    };
    found.then(|| name(first))
}

fn stdin_open(s: &Session, id: &str) -> bool {
    s.host.container(id).is_ok_and(|c| c.open_stdin)
}

fn exited(s: &mut Session, id: &str, code: i32) {
    let at = s.host.now();
    if let Ok(c) = s.host.container_mut(id) {
        c.state = State::Exited { code, at };
    }
}

/// `docker exec`'s options.
#[derive(Clone, Debug, Default)]
pub struct ExecOptions {
    pub interactive: bool,
    pub detach: bool,
    /// `-t`: a terminal, where `ls` prints columns.
    pub tty: bool,
    pub workdir: Option<String>,
    /// `-e NAME=value`
    pub env: Vec<String>,
}

/// `docker exec [-i] [-t] [-d] [-w DIR] [-e K=V] CONTAINER COMMAND [ARG...]`.
pub fn exec(
    s: &mut Session,
    id: &str,
    argv: &[String],
    o: &ExecOptions,
    t: &mut Transcript,
) -> i32 {
    let program = argv.first().cloned().unwrap_or_default();
    let Some((mut shell, style)) = shell_for(s, id, &program) else {
        return 1;
    };
    if let Some(dir) = &o.workdir {
        shell.cwd = dir.clone();
    }
    shell.tty = o.tty || is_bare_shell(argv);
    for e in &o.env {
        let (k, v) = e.split_once('=').unwrap_or((e, ""));
        shell.vars.insert(k.to_owned(), v.to_owned());
    }
    let found = {
        let path = shell.vars.get("PATH").cloned().unwrap_or_default();
        let fs = match s.host.container(id) {
            Ok(c) => &c.fs,
            Err(_) => return 1,
        };
        let is_file = |p: &str| matches!(fs.stat(p).map(|s| s.node), Ok(Node::File { .. }));
        if program.contains('/') {
            is_file(&program)
        } else {
            path.split(':')
                .any(|d| is_file(&format!("{}/{program}", d.trim_end_matches('/'))))
        }
    };
    if !found {
        let what = if program.contains('/') {
            "no such file or directory"
        } else {
            "executable file not found in $PATH"
        };
        t.err(format!("OCI runtime exec failed: exec failed: unable to start container process: exec: \"{program}\": {what}: unknown"));
        return 126;
    }
    if is_bare_shell(argv) {
        if o.interactive && !o.detach {
            s.attached = Some(Attached {
                container: id.to_owned(),
                shell,
                exec: true,
                style,
            });
        }
        return 0;
    }
    if !simulates(&program) {
        t.err(crate::note::text(NoteKey::ExecNotRun, &[&program]));
        return 0;
    }
    if o.detach {
        // Runs in the background: `docker exec -d` waits for nothing.
        run_in(
            s,
            id,
            &mut shell,
            &script_of(argv),
            o.interactive,
            &mut Transcript::default(),
        );
        return 0;
    }
    run_in(s, id, &mut shell, &script_of(argv), o.interactive, t).0
}

/// A line typed while attached: the container's shell runs it; `exit` leaves.
pub fn attached_line(s: &mut Session, line: &str) -> Transcript {
    let mut t = Transcript::default();
    let Some(mut a) = s.attached.take() else {
        return t;
    };
    if s.host.container(&a.container).is_err() {
        return t;
    }
    let now = s.host.now();
    let Ok(fs) = s.host.fs(&a.container) else {
        return t;
    };
    fs.set_time(now);
    let ran = a
        .shell
        .run_within(fs, line, crate::content::Content::empty(), &s.budget);
    t.shell_output(&ran);
    t.status = ran.status;
    t.files(&a.container, ran.events);
    if ran.exited {
        if !a.exec {
            exited(s, &a.container, ran.status);
        }
    } else {
        s.attached = Some(a);
    }
    t
}
