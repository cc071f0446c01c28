//! A POSIX `sh` subset over a union file system, for RUN steps, `docker exec`
//! and the host terminal. Failures are data: every run returns an exit status
//! and its output (stdout and stderr chunks in order), never an `Err` or a panic.
//!
//! - `syntax`: words, quoting, operators, redirections, heredocs → a `List`.
//! - `expand`: parameters (`$V`, `${V:-x}` …), command substitution, field
//!   splitting and globbing.
//! - `programs/`: the programs (cat, ls, cp, sed, tar …), one file per program
//!   or family, found through `PATH` in the file system, so an image without
//!   `/bin/ls` has no `ls`.
//! - `make`: GNU make over the `Makefile` in the file system.
//! - `packages`: apt-get, apk and pip with a small catalog of packages.
//!
//! - `arith`: arithmetic expansion, `$((…))`, in checked 64-bit integers.
//!
//! Not simulated (each says so when used): compound commands (`if`, `for`,
//! `while`, `case`, subshells), functions, background jobs, and running
//! programs other than the ones above (they are found, and exit 0 with a notice).

mod arith;
mod builtins;
mod complaints;
mod error;
mod expand;
mod make;
mod packages;
mod programs;
mod redirect;
mod sleeps;
pub mod syntax;

use crate::budget::{Budget, Exceeded};
use crate::content::Content;
use crate::event::Event;
use crate::map::{Map, Set};
use crate::merged::{Merged, Node};
use crate::note::NoteKey;
use builtins::BUILTINS;
use syntax::{AndOr, Join, Pipeline, RedirOp, Simple, SyntaxError};

pub use error::{ExpandError, FileError};
pub(crate) use expand::{matches as glob_match, strip};
pub(crate) use programs::account_id;
pub use syntax::incomplete;

/// Output in the order it was written, each chunk from stdout or stderr.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub stderr: bool,
    pub data: Content,
}

/// What running a script did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ran {
    pub status: i32,
    pub output: Vec<Chunk>,
    pub events: Vec<Event>,
    /// The script ran `exit`: an interactive shell ends here.
    pub exited: bool,
    /// The script reached a long `sleep` (see [`Shell::long_sleep`]) and is still running.
    pub waiting: bool,
}

impl Ran {
    /// The output as text lines, each marked stderr or not (for transcripts).
    /// Very long output keeps its first lines and says how much was left out.
    pub fn lines(&self) -> Vec<(bool, String)> {
        const MAX: usize = 2000;
        let mut lines = Vec::new();
        for chunk in &self.output {
            let text = String::from_utf8_lossy(&chunk.data.head(1 << 20)).into_owned();
            for l in text.lines() {
                lines.push((chunk.stderr, l.to_owned()));
            }
        }
        if lines.len() > MAX {
            let more = lines.len() - MAX;
            lines.truncate(MAX);
            let more = more.to_string();
            lines.push((true, crate::note::text(NoteKey::MoreLines, &[&more])));
        }
        lines
    }
}

/// The shell's own state: variables, the working directory, `$?`, `set -e`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shell {
    pub vars: Map<String, String>,
    pub exported: Set<String>,
    pub cwd: String,
    pub status: i32,
    pub errexit: bool,
    /// `$0`, the prefix of the shell's own messages (`/bin/sh: 1: foo: not found`).
    pub name: String,
    /// Its output goes to a terminal (the host's, `docker run -t`, `docker exec -t`):
    /// `ls` prints columns there and one name per line anywhere else.
    pub tty: bool,
    /// A `sleep` of at least this many seconds (or `tail -f`) does not end: the
    /// script stops there and [`Ran::waiting`] says its process keeps running
    /// (a container's main process). `None`: every sleep returns at once.
    pub long_sleep: Option<u64>,
}

/// The exit status of a line stopped by its budget.
pub const STOPPED: i32 = 2;

/// The `PATH` of an image without one.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

impl Shell {
    /// A shell with `env` (`NAME=value` lines, all exported) in `cwd`.
    pub fn new(name: &str, env: &[String], cwd: &str) -> Shell {
        let mut sh = Shell {
            vars: Map::new(),
            exported: Set::new(),
            cwd: if cwd.is_empty() {
                "/".into()
            } else {
                cwd.into()
            },
            status: 0,
            errexit: false,
            name: name.into(),
            tty: false,
            long_sleep: None,
        };
        for e in env {
            let (k, v) = e.split_once('=').unwrap_or((e, ""));
            sh.vars.insert(k.into(), v.into());
            sh.exported.insert(k.into());
        }
        sh.vars
            .entry("PATH".into())
            .or_insert_with(|| DEFAULT_PATH.into());
        // Children find programs as this shell does (`sh -c ls`).
        sh.exported.insert("PATH".into());
        sh.vars
            .entry("HOME".into())
            .or_insert_with(|| "/root".into());
        sh
    }

    /// Runs `script` on `fs`. The exit status is also left in `$?`.
    pub fn run(&mut self, fs: &mut Merged, script: &str) -> Ran {
        self.run_with_input(fs, script, Content::empty())
    }

    /// Runs `script` on `fs` with `stdin` as its standard input, within a budget of its own.
    pub fn run_with_input(&mut self, fs: &mut Merged, script: &str, stdin: Content) -> Ran {
        self.run_within(fs, script, stdin, &Budget::default())
    }

    /// Runs `script` counting its work against `budget`, which the command
    /// line that started it shares with everything else it runs.
    pub fn run_within(
        &mut self,
        fs: &mut Merged,
        script: &str,
        stdin: Content,
        budget: &Budget,
    ) -> Ran {
        let busybox_sh = is_busybox(fs, &resolve(fs, &self.vars, &self.name));
        let mut run = Run {
            sh: self,
            fs,
            out: Vec::new(),
            events: Vec::new(),
            budget: budget.clone(),
            depth: 0,
            exit: None,
            stop_note: None,
            line: 1,
            busybox_sh,
            busybox: false,
            waiting: false,
        };
        let status = run.script(script, stdin);
        let exited = run.exit.is_some() && !run.waiting;
        let waiting = run.waiting;
        if let Some(note) = run.stop_note.take() {
            run.out.push(Chunk {
                stderr: true,
                data: Content::bytes(note),
            });
        }
        let (out, events) = (run.out, run.events);
        self.status = status;
        Ran {
            status,
            output: out,
            events,
            exited,
            waiting,
        }
    }

    /// The exported variables as `NAME=value`, sorted (what `env` prints).
    pub fn environ(&self) -> Vec<String> {
        self.exported
            .iter()
            .filter_map(|k| self.vars.get(k).map(|v| format!("{k}={v}")))
            .collect()
    }
}

/// One run in progress: the shell, its file system, and what it has written.
pub(crate) struct Run<'s, 'f> {
    pub sh: &'s mut Shell,
    pub fs: &'f mut Merged,
    pub out: Vec<Chunk>,
    pub events: Vec<Event>,
    /// The work this command line may still do.
    pub budget: Budget,
    /// Nesting of `sh -c`, `$(…)` and make, bounded against runaway recursion.
    depth: usize,
    /// Set by `exit`: stop the script with this status.
    exit: Option<i32>,
    /// Why the budget stopped the line, to print last.
    stop_note: Option<String>,
    line: usize,
    /// The shell is busybox's `sh` (ash): its messages are ash's.
    pub busybox_sh: bool,
    /// The program running now is a busybox applet: its messages are busybox's.
    pub busybox: bool,
    /// A long sleep stopped the script (see [`Shell::long_sleep`]).
    waiting: bool,
}

impl Run<'_, '_> {
    pub fn stdout(&mut self, data: impl Into<Vec<u8>>) {
        self.produce(false, Content::bytes(data));
    }

    pub fn stdout_content(&mut self, data: Content) {
        self.produce(false, data);
    }

    /// One line on stderr (a newline is added).
    pub fn stderr(&mut self, line: impl Into<String>) {
        let mut l = line.into();
        l.push('\n');
        self.produce(true, Content::bytes(l));
    }

    /// New output, counted against the budget once, where it is made: typed
    /// bytes are held in memory, described ones cost nothing.
    fn produce(&mut self, stderr: bool, data: Content) {
        let cost = if data.is_described() { 0 } else { data.len() };
        if self.spend(self.budget.bytes(cost)) {
            self.chunk(stderr, data);
        }
    }

    fn chunk(&mut self, stderr: bool, data: Content) {
        if data.is_empty() {
            return;
        }
        match self.out.last_mut() {
            Some(last)
                if last.stderr == stderr && last.data.len() < 1 << 16 && !data.is_described() =>
            {
                last.data = last.data.concat(&data);
            }
            _ => self.out.push(Chunk { stderr, data }),
        }
    }

    /// Whether the line ran out of budget; says so, once, as the shell's error.
    pub fn stopped(&mut self) -> bool {
        let Some(why) = self.budget.exceeded() else {
            return false;
        };
        if self.budget.report().is_some() {
            // Shown after everything else, past any redirection: this is the
            // one line the learner must see.
            self.stop_note = Some(format!("{}: {}: {why}\n", self.sh.name, self.line));
        }
        true
    }

    /// Counts work against the budget: `false` (and the line stops) past it.
    pub fn spend(&mut self, cost: Result<(), Exceeded>) -> bool {
        cost.is_ok() || !self.stopped()
    }

    /// An absolute path for `p`, relative to the working directory.
    pub fn abs(&self, p: &str) -> String {
        if p.starts_with('/') {
            p.to_owned()
        } else if self.sh.cwd.ends_with('/') {
            format!("{}{p}", self.sh.cwd)
        } else {
            format!("{}/{p}", self.sh.cwd)
        }
    }

    pub fn var(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.sh.status.to_string()),
            "$" => Some("1".into()),
            "0" => Some(self.sh.name.clone()),
            "#" => Some("0".into()),
            _ => self.sh.vars.get(name).cloned(),
        }
    }

    fn script(&mut self, script: &str, stdin: Content) -> i32 {
        let depth = self.budget.limits().depth;
        if self.depth > depth {
            self.budget.exceed(Exceeded::Depth(depth));
        }
        if self.stopped() {
            return STOPPED;
        }
        let list = match syntax::parse(script) {
            Ok(list) => list,
            Err(e) => {
                let msg = match &e {
                    SyntaxError::HereDocument { .. } => e.message(),
                    _ if self.busybox_sh => {
                        let m = e.message();
                        let mut c = m.chars();
                        let first = c.next().map(|f| f.to_lowercase().to_string());
                        format!("syntax error: {}{}", first.unwrap_or_default(), c.as_str())
                    }
                    _ => format!("Syntax error: {}", e.message()),
                };
                self.shell_error(&msg);
                return 2;
            }
        };
        self.depth += 1;
        let mut status = 0;
        for and_or in &list {
            self.line = and_or.line;
            status = self.and_or(and_or, stdin.clone());
            self.sh.status = status;
            if self.exit.is_some() || (self.sh.errexit && status != 0) {
                break;
            }
            if self.stopped() {
                status = STOPPED;
                break;
            }
        }
        self.depth -= 1;
        self.exit.unwrap_or(status)
    }

    fn and_or(&mut self, a: &AndOr, stdin: Content) -> i32 {
        let mut status = self.pipeline(&a.first, stdin.clone());
        for (join, p) in &a.rest {
            if self.exit.is_some() || self.stopped() {
                break;
            }
            self.sh.status = status;
            let go = match join {
                Join::And => status == 0,
                Join::Or => status != 0,
            };
            if go {
                status = self.pipeline(p, stdin.clone());
            }
        }
        status
    }

    fn pipeline(&mut self, p: &Pipeline, stdin: Content) -> i32 {
        let mut input = stdin;
        let mut status = 0;
        let n = p.commands.len();
        for (i, cmd) in p.commands.iter().enumerate() {
            if i + 1 < n {
                let saved = std::mem::take(&mut self.out);
                status = self.simple(cmd, input);
                let produced = std::mem::replace(&mut self.out, saved);
                let mut piped = Content::empty();
                for c in produced {
                    if c.stderr {
                        self.chunk(true, c.data);
                    } else {
                        piped = piped.concat(&c.data);
                    }
                }
                input = piped;
            } else {
                status = self.simple(cmd, input.clone());
            }
            if self.exit.is_some() || self.stopped() {
                break;
            }
        }
        if p.bang {
            i32::from(status == 0)
        } else {
            status
        }
    }

    fn simple(&mut self, cmd: &Simple, stdin: Content) -> i32 {
        let step = self.budget.step();
        if !self.spend(step) {
            return STOPPED;
        }
        let mut words = Vec::new();
        for w in &cmd.words {
            match self.expand_word(w) {
                Ok(fields) => words.extend(fields),
                Err(e) => {
                    self.expand_error(&e);
                    return 2;
                }
            }
        }
        let mut assigns = Vec::new();
        for (name, w) in &cmd.assigns {
            match self.expand_single(w) {
                Ok(v) => assigns.push((name.clone(), v)),
                Err(e) => {
                    self.expand_error(&e);
                    return 2;
                }
            }
        }
        if words.is_empty() {
            for (k, v) in assigns {
                self.sh.vars.insert(k, v);
            }
            return self.redirect_only(&cmd.redirs);
        }
        // Redirections: output collected, then routed.
        let saved = std::mem::take(&mut self.out);
        let mut input = stdin;
        let mut targets: Vec<(u8, RedirOp, String)> = Vec::new();
        for r in &cmd.redirs {
            match self.prepare_redirect(r) {
                Ok((op, target)) => {
                    if let RedirOp::Read = op {
                        match self.read_file(&target) {
                            Ok(c) => input = c,
                            Err(e) => {
                                self.out = saved;
                                return self.redirect_error(false, &target, e);
                            }
                        }
                    } else if let RedirOp::Here { body, .. } = &op {
                        input = Content::bytes(body.clone());
                    } else {
                        targets.push((r.fd, op, target));
                    }
                }
                Err(e) => {
                    self.out = saved;
                    self.expand_error(&e);
                    return 2;
                }
            }
        }
        // Temporary assignments before a command apply to it alone.
        let before: Vec<(String, Option<String>, bool)> = assigns
            .iter()
            .map(|(k, _)| {
                (
                    k.clone(),
                    self.sh.vars.get(k).cloned(),
                    self.sh.exported.contains(k),
                )
            })
            .collect();
        for (k, v) in &assigns {
            self.sh.vars.insert(k.clone(), v.clone());
            self.sh.exported.insert(k.clone());
        }
        let status = self.command(&words, input);
        let special = matches!(words[0].as_str(), "export" | "unset" | "set" | "cd");
        if !special {
            for (k, v, exported) in before {
                match v {
                    Some(v) => self.sh.vars.insert(k.clone(), v),
                    None => self.sh.vars.remove(&k),
                };
                if !exported {
                    self.sh.exported.remove(&k);
                }
            }
        }
        let produced = std::mem::replace(&mut self.out, saved);
        match self.route(produced, &targets) {
            Ok(()) => status,
            Err((target, reason)) => self.redirect_error(true, &target, reason),
        }
    }

    /// Where `name` is found: a builtin, a file on `PATH`, or nowhere.
    pub fn lookup(&self, name: &str) -> Option<String> {
        if BUILTINS.contains(&name) {
            return Some(name.to_owned());
        }
        if name.contains('/') {
            let abs = self.abs(name);
            return matches!(self.fs.stat(&abs), Ok(s) if matches!(s.node, Node::File { .. }))
                .then_some(abs);
        }
        let path = self.var("PATH").unwrap_or_default();
        path.split(':').filter(|d| !d.is_empty()).find_map(|dir| {
            let full = format!("{}/{name}", dir.trim_end_matches('/'));
            matches!(self.fs.stat(&full), Ok(s) if matches!(s.node, Node::File { .. }))
                .then_some(full)
        })
    }

    fn command(&mut self, words: &[String], stdin: Content) -> i32 {
        // (See [`simulates`] for the programs this runs.)
        let name = words[0].as_str();
        let args = &words[1..];
        if BUILTINS.contains(&name) {
            return self.builtin(name, args);
        }
        // busybox's sh runs its own applets even when PATH has no link to them.
        let found = self.lookup(name).or_else(|| {
            (self.busybox_sh && !name.contains('/') && programs::program_named(name).is_some())
                .then(|| "/bin/busybox".to_owned())
        });
        let Some(found) = found else {
            self.busybox = false;
            if self.sh.name.rsplit('/').next() == Some("bash") {
                self.stderr(format!("bash: {name}: command not found"));
            } else {
                self.shell_error(&format!("{name}: not found"));
            }
            return 127;
        };
        let program = name.rsplit('/').next().unwrap_or(name);
        self.busybox = is_busybox(self.fs, &found);
        if self.blocks(program, args) {
            // The process is still running: nothing after it runs yet.
            self.waiting = true;
            self.exit = Some(0);
            return 0;
        }
        if matches!(program, "sh" | "dash" | "bash" | "ash") {
            return self.sh_c(program, args, stdin);
        }
        if program == "make" {
            return make::make(self, args);
        }
        if let Some(status) = packages::run(self, program, args) {
            return status;
        }
        match programs::run(self, program, args, stdin) {
            Some(status) => status,
            None => {
                self.stderr(crate::note::text(NoteKey::ProgramNotSimulated, &[&found]));
                0
            }
        }
    }

    /// `sh -c SCRIPT` (or `sh FILE`), in a child shell with the exported variables.
    pub(super) fn sh_c(&mut self, program: &str, args: &[String], stdin: Content) -> i32 {
        let script = match args {
            [c, script, ..] if c == "-c" => script.clone(),
            [c] if c == "-c" => {
                self.stderr(format!("{program}: 0: -c requires an argument"));
                return 2;
            }
            [file, ..] => match self.read_file(file) {
                Ok(c) => String::from_utf8_lossy(&c.head(1 << 20)).into_owned(),
                Err(e) => {
                    self.stderr(format!("{program}: 0: cannot open {file}: {e}"));
                    return 2;
                }
            },
            [] => String::from_utf8_lossy(&stdin.head(1 << 20)).into_owned(),
        };
        let mut child = self.sh.clone();
        child.vars.retain(|k, _| self.sh.exported.contains(k));
        child.errexit = false;
        child.name = program.to_owned();
        let saved_line = self.line;
        let found = self.lookup(program).unwrap_or_default();
        let child_busybox = is_busybox(self.fs, &found);
        let parent_busybox = std::mem::replace(&mut self.busybox_sh, child_busybox);
        let parent = std::mem::replace(self.sh, child);
        let status = self.script(&script, Content::empty());
        *self.sh = parent;
        self.busybox_sh = parent_busybox;
        if !self.waiting {
            self.exit = None;
        }
        self.line = saved_line;
        status
    }

    /// Runs a script in this shell (make's recipes, `$(…)`), keeping its state.
    pub fn nested(&mut self, script: &str) -> i32 {
        let saved_line = self.line;
        let status = self.script(script, Content::empty());
        self.line = saved_line;
        status
    }
}

/// Where `name` (a program the shell would run) is on `fs`: itself when it
/// has a `/`, else the first match on `PATH`.
fn resolve(fs: &Merged, vars: &Map<String, String>, name: &str) -> String {
    if name.contains('/') {
        return name.to_owned();
    }
    let path = vars.get("PATH").map(String::as_str).unwrap_or(DEFAULT_PATH);
    path.split(':')
        .filter(|d| !d.is_empty())
        .map(|d| format!("{}/{name}", d.trim_end_matches('/')))
        .find(|p| fs.stat(p).is_ok())
        .unwrap_or_default()
}

/// Whether the program at `path` is busybox: the file `busybox` itself, or a
/// link (through any chain of symlinks) to it, as in busybox images.
pub(crate) fn is_busybox(fs: &Merged, path: &str) -> bool {
    let mut at = path.to_owned();
    for _ in 0..8 {
        if at.rsplit('/').next() == Some("busybox") {
            return true;
        }
        match fs.lstat(&at).map(|s| s.node) {
            Ok(Node::Symlink { target, .. }) => {
                at = if target.starts_with('/') {
                    target
                } else {
                    let dir = at.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                    format!("{dir}/{target}")
                };
            }
            _ => return false,
        }
    }
    false
}

/// Whether the shell runs `program` (a name or a path) itself: its builtins,
/// the shells, make, the package managers and the utilities. Anything else
/// that exists in an image (nginx, python) is a program Layerlab does not run.
pub fn simulates(program: &str) -> bool {
    let name = program.rsplit('/').next().unwrap_or(program);
    BUILTINS.contains(&name)
        || matches!(
            name,
            "sh" | "dash" | "bash" | "ash" | "make" | "apt-get" | "apt" | "apk" | "pip" | "pip3"
        )
        || programs::program_named(name).is_some()
}

#[cfg(test)]
mod tests;
