//! The command language: what a learner types in the terminal, what lessons and
//! scenario files replay, and what the `layerlab` CLI runs. A [`Session`] holds
//! the host and the registry; [`Session::run`] takes one line and returns a
//! [`Transcript`]: the output lines exactly as Docker prints them, the exit
//! status, and the events for the app to animate.
//!
//! One file per group of `docker` subcommands: `containers` (create, run,
//! start, stop, rm, ps, diff, commit), `images` (pull, images, rmi, tag,
//! history), `inspect`, `system` (system df, info, version); `subcommands`
//! is the one table of them that dispatch, `docker --help` and completion read.

mod archive;
mod build;
mod containers;
pub mod daemon;
pub mod flags;
mod images;
mod inspect;
pub mod process;
pub mod subcommands;
mod system;
pub mod template;
mod transcript;
pub mod words;

pub use transcript::{Happening, Line, Transcript};

use crate::budget::{Budget, Limits, LIMITS};
use crate::build::BuildCache;
use crate::host::Host;
use crate::layer::Layer;
use crate::lower::Lower;
use crate::merged::Merged;
use crate::note::NoteKey;
use crate::path::FsPath;
use crate::registry::Registry;
use crate::shell::Shell;
use crate::storage::Driver;
use std::rc::Rc;

/// A simulated Docker host with its registry. A clone is a snapshot that
/// shares every layer with the original (they are immutable, behind `Rc`).
#[derive(Clone)]
pub struct Session {
    pub host: Host,
    pub registry: Registry,
    pub driver: Driver,
    /// The machine's own files (not Docker's): the build context lives here.
    pub host_fs: Merged,
    /// The shell that runs every line that is not a `docker` command.
    pub shell: Shell,
    pub build_cache: BuildCache,
    /// A terminal inside a container (`docker run -it`, `docker exec -it`).
    pub attached: Option<process::Attached>,
    /// The host's own layers (its programs and the project), below its changes.
    pub host_layers: Vec<Rc<Layer>>,
    /// Whether `/var/lib/docker` in `host_fs` shows the daemon's current state.
    pub storage_synced: bool,
    /// Stores of storage drivers the daemon ran with before (still on disk).
    pub stopped_stores: Vec<(Driver, Host, BuildCache)>,
    /// `systemctl stop docker`, or a restart that failed, stops the daemon.
    pub daemon_running: bool,
    /// A heredoc given to the docker command being run, for `-i` to read.
    pub stdin: Option<String>,
    /// What one line may do (tests make them smaller).
    pub limits: Limits,
    /// The work left to the line being run: every shell, make and build it
    /// starts counts against it.
    pub budget: Budget,
}

/// The commands of a scenario file: one per line, `#` comments and blank lines
/// skipped, except that a command left open (a heredoc, a quote, a trailing
/// `&&`) takes the following lines, exactly as a shell reads a script.
///
/// Linear in the text: a heredoc's body lines are added without reading the
/// command again, which happens only at its delimiter line.
pub fn scenario_commands(text: &str) -> Vec<String> {
    use crate::shell::syntax::{waiting, Waiting};
    let mut commands = Vec::new();
    let mut pending: Option<(String, Waiting)> = None;
    for raw in text.lines() {
        let command = match pending.take() {
            Some((mut before, wait)) => {
                before.push('\n');
                before.push_str(raw);
                if let Waiting::Delimiter(d) = &wait {
                    if raw.trim_start_matches('\t') != d {
                        pending = Some((before, wait));
                        continue;
                    }
                }
                before
            }
            None => {
                let line = raw.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                line.to_owned()
            }
        };
        match waiting(&command) {
            Waiting::Complete => commands.push(command),
            wait => pending = Some((command, wait)),
        }
    }
    commands.extend(pending.map(|(c, _)| c));
    commands
}

/// Where the learner's project lives on the simulated host, and what is in it.
pub const PROJECT_DIR: &str = "/root/app";

/// The project's files: the tutorial's Dockerfile and its build context.
pub const PROJECT: &str = "
f /root/app/Dockerfile 644 FROM ubuntu:15.04\\nCOPY . /app\\nRUN make /app\\nCMD python /app/app.py\\n
f /root/app/app.py 644 print(\"Hello from a Docker container\")\\n
f /root/app/Makefile 644 all: app.pyc\\n\\napp.pyc: app.py\\n\\tpython -m py_compile app.py\\n
f /root/app/.dockerignore 644 *.pyc\\n.git\\n
";

/// The host's programs (its shell finds them on `PATH`).
const HOST_PROGRAMS: &str = "ls cat echo cp mv rm mkdir rmdir touch chmod chown ln pwd sleep true false head tail wc tee env test [ dd truncate du printf grep sed which tar";

/// The host's own layers: its programs, `/etc/docker`, and the project.
fn host_layers() -> Vec<Rc<Layer>> {
    let mut text = String::from(
        "d /root 700\nd /tmp 1777\nd /etc/docker 755\nf /etc/passwd 644 root:x:0:0:root:/root:/bin/bash\\n\nf /etc/group 644 root:x:0:\\ndocker:x:999:\\n\nF /bin/bash 755 1265648\nl /bin/sh bash\n",
    );
    for p in HOST_PROGRAMS.split(' ') {
        text.push_str(&format!(
            "F /usr/bin/{p} 755 {}\n",
            30_000 + p.len() as u64 * 977
        ));
    }
    text.push_str(&PROJECT.replace("\\t", "\t"));
    // The text above is fixed; a test checks it parses.
    let diffs = crate::fixture::parse_layers(&text, crate::clock::EPOCH).unwrap_or_default();
    diffs
        .into_iter()
        .enumerate()
        .map(|(i, d)| Rc::new(Layer::new(crate::layer::LayerId(u64::MAX - i as u64), d)))
        .collect()
}

/// A command group (`docker image`, `docker builder` …) without a known
/// subcommand: its usage, on stdout with status 0 when help was asked for.
pub(super) fn group_usage(mut t: Transcript, usage: &str, args: &[String]) -> Transcript {
    match args.first().map(String::as_str) {
        Some("--help" | "-h") => {
            for l in usage.lines() {
                t.out(l);
            }
            t
        }
        _ => t.fail(1, usage),
    }
}

/// Whether `line` is one simple command with literal words: no pipe, list,
/// redirection or expansion around it (quoted text may hold any character).
fn single_command(line: &str) -> bool {
    matches!(lone_command(line), Some((_, None)))
}

/// A line that is one command of plain words, perhaps with a heredoc for its
/// standard input (`docker exec -i web sh -c 'cat > f' <<'EOF'`): its words
/// and that input. `None` for pipes, lists, other redirections or expansions.
fn lone_command(line: &str) -> Option<(Vec<String>, Option<String>)> {
    use crate::shell::syntax::{parse, Part, RedirOp};
    let list = parse(line).ok()?;
    let [only] = list.as_slice() else {
        return None;
    };
    let [command] = only.first.commands.as_slice() else {
        return None;
    };
    if !only.rest.is_empty() || only.first.bang {
        return None;
    }
    let stdin = match command.redirs.as_slice() {
        [] => None,
        // The body is taken as written: a quoted delimiter, or nothing to expand.
        [r] => match &r.op {
            RedirOp::Here { body, expand }
                if r.fd == 0 && (!expand || !body.contains(['$', '`', '\\'])) =>
            {
                Some(body.clone())
            }
            _ => return None,
        },
        _ => return None,
    };
    let literal = |w: &crate::shell::syntax::Word| {
        w.iter()
            .map(|p| match p {
                Part::Lit { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Option<String>>()
    };
    // `DOCKER_BUILDKIT=0 docker build …`: the variables come first, as words.
    let mut words = Vec::new();
    for (name, value) in &command.assigns {
        words.push(format!("{name}={}", literal(value)?));
    }
    for w in &command.words {
        words.push(literal(w)?);
    }
    Some((words, stdin))
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

impl Session {
    pub fn new() -> Self {
        let mut host = Host::new();
        let registry = Registry::teaching(&mut host);
        let mut shell = Shell::new("sh", &[], PROJECT_DIR);
        shell.vars.insert("HOSTNAME".into(), "layerlab".into());
        // The host's terminal: `ls` prints columns.
        shell.tty = true;
        let layers = host_layers();
        Session {
            host,
            registry,
            driver: Driver::Overlay2,
            host_fs: Merged::new(Rc::new(Lower::new(layers.clone()))),
            shell,
            build_cache: BuildCache::default(),
            attached: None,
            host_layers: layers,
            storage_synced: false,
            stopped_stores: Vec::new(),
            daemon_running: true,
            stdin: None,
            limits: LIMITS,
            budget: Budget::new(LIMITS),
        }
    }

    /// The prompt of a terminal attached to a container's shell
    /// (`root@3f2a9c81d0b7:/# `); `None` on the host.
    pub fn prompt(&self) -> Option<String> {
        self.attached.as_ref().map(process::Attached::prompt)
    }

    /// An absolute path on the host for `p`, relative to the shell's directory.
    pub fn shell_path(&self, p: &str) -> String {
        if p.starts_with('/') {
            p.to_owned()
        } else {
            format!("{}/{p}", self.shell.cwd.trim_end_matches('/'))
        }
    }

    /// A line that is not a `docker` command: the host's shell runs it.
    fn host_shell(&mut self, line: &str) -> Transcript {
        self.host_fs.set_time(self.host.now());
        // `/var/lib/docker` is rebuilt only for a line that goes there: the line
        // runs on a watched copy of the shell and its files first, and runs again
        // on the rebuilt ones if it looked (a copy costs O(1): layers are shared).
        let stdin = crate::content::Content::empty();
        let ran = if self.storage_synced {
            self.shell
                .run_within(&mut self.host_fs, line, stdin, &self.budget)
        } else {
            let (mut fs, mut shell) = (self.host_fs.clone(), self.shell.clone());
            fs.watch(FsPath::lexical(crate::storage::ROOT).unwrap_or_else(|_| FsPath::root()));
            // The trial counts on a copy of the budget: a line run again starts afresh.
            let trial = self.budget.fork();
            let ran = shell.run_within(&mut fs, line, stdin.clone(), &trial);
            if fs.unwatch() {
                daemon::sync_storage(self);
                self.host_fs.set_time(self.host.now());
                self.shell
                    .run_within(&mut self.host_fs, line, stdin, &self.budget)
            } else {
                (self.host_fs, self.shell, self.budget) = (fs, shell, trial);
                ran
            }
        };
        let mut t = Transcript::default();
        t.shell_output(&ran);
        t.status = ran.status;
        t
    }

    /// Runs a scenario's command and renders it as a transcript shows it: the
    /// prompt (a container's shell's inside one), the command with its
    /// continuation lines after `> `, then the output.
    pub fn run_shown(&mut self, command: &str) -> (String, Transcript) {
        let prompt = self.prompt().unwrap_or_else(|| "$ ".to_owned());
        let t = self.run(command);
        let shown = command.replace('\n', "\n> ");
        (format!("{prompt}{shown}\n{}", t.text()), t)
    }

    /// Runs one line. Every line advances the logical clock by one second.
    pub fn run(&mut self, line: &str) -> Transcript {
        self.budget = Budget::new(self.limits);
        let t = if self.attached.is_some() {
            self.storage_synced = false;
            process::attached_line(self, line)
        } else {
            self.dispatch(line)
        };
        self.host.advance(1);
        t
    }

    fn dispatch(&mut self, line: &str) -> Transcript {
        let t = Transcript::default();
        let words = match words::split(line) {
            Ok(w) => w,
            Err(_) => return self.host_shell(line),
        };
        // `DOCKER_BUILDKIT=0 docker build …`: variables before the command.
        let assigns = words
            .iter()
            .take_while(|w| w.contains('=') && !w.starts_with('=') && !w.starts_with('-'))
            .count();
        let Some(first) = words.get(assigns) else {
            return self.host_shell(line);
        };
        if let Some(action) = daemon::service_action(&words[assigns..]) {
            if single_command(line) {
                return daemon::service(self, action);
            }
        }
        if first != "docker" {
            return self.host_shell(line);
        }
        if !self.daemon_running {
            return t.fail(
                1,
                "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
            );
        }
        self.storage_synced = false;
        let words = match lone_command(line) {
            Some((words, None)) => words,
            // A heredoc feeds the command's input (read with `-i`).
            Some((words, Some(body))) if words.get(assigns).is_some_and(|w| w == "docker") => {
                self.stdin = Some(body);
                words
            }
            // `docker save … > FILE`, `docker load < FILE`.
            _ if archive::redirected(line).is_some() => {
                archive::redirected(line).unwrap_or_default()
            }
            _ => return t.fail(2, crate::note::text(NoteKey::DockerAlone, &[])),
        };
        let t = self.docker(&words, assigns, t);
        self.stdin = None;
        t
    }

    /// Runs `docker …` (after `assigns` variables) given as words.
    fn docker(&mut self, words: &[String], assigns: usize, t: Transcript) -> Transcript {
        let legacy = words[..assigns].iter().any(|w| w == "DOCKER_BUILDKIT=0");
        let rest = &words[assigns + 1..];
        let Some(sub) = rest.first() else {
            return usage(t);
        };
        let args = &rest[1..];
        match sub.as_str() {
            "--help" | "-h" | "help" => usage(t),
            "--version" | "-v" => system::version_short(t),
            name => match subcommands::named(name) {
                Some(c) => c.run(self, args, t, legacy),
                None => t.fail(
                    1,
                    format!("docker: unknown command: docker {name}\n\nRun 'docker --help' for more information"),
                ),
            },
        }
    }
}

fn usage(mut t: Transcript) -> Transcript {
    t.out("Usage:  docker [OPTIONS] COMMAND");
    t.out("");
    t.out("A self-sufficient runtime for containers (simulated by Layerlab)");
    t.out("");
    t.out("Commands:");
    for (name, what) in subcommands::listed() {
        t.out(format!("  {name:<11} {what}"));
    }
    t.out("");
    t.out("Run 'docker COMMAND --help' for more information on a command.");
    t
}

/// A subcommand's interface: usage line, summary, flags and their help text.
pub(crate) struct Cmd {
    pub name: &'static str,
    pub usage: &'static str,
    pub what: &'static str,
    pub flags: &'static [flags::Flag],
    /// `--help`'s option lines: (flag, description).
    pub options: &'static [(&'static str, &'static str)],
    /// Flags stop at the first positional argument (commands that run a program).
    pub stop_at_first_arg: bool,
    /// The exit status of a usage error: 125 for `run` and `create`, 1 elsewhere.
    pub usage_status: i32,
}

impl Cmd {
    pub const fn new(name: &'static str, usage: &'static str, what: &'static str) -> Cmd {
        Cmd {
            name,
            usage,
            what,
            flags: &[],
            options: &[],
            stop_at_first_arg: false,
            usage_status: 1,
        }
    }

    /// Reads the flags. `Err` holds the finished transcript: the help text, or the
    /// flag error followed by the usage line, as the docker 28 CLI prints it.
    pub fn parse(
        &self,
        args: &[String],
        t: Transcript,
    ) -> Result<(flags::Parsed, Transcript), Transcript> {
        let mut spec = self.flags.to_vec();
        spec.push(flags::bool_flag(None, "help"));
        match flags::parse(&spec, args, self.stop_at_first_arg) {
            // The docker 28 CLI: the usage line, and status 125 for any flag error.
            Err(e) => Err(t.fail(
                125,
                format!(
                    "{e}\n\nUsage:  {}\n\nRun 'docker {} --help' for more information",
                    self.usage, self.name
                ),
            )),
            Ok(p) if p.has("help") => Err(self.help(t)),
            Ok(p) => Ok((p, t)),
        }
    }

    /// Reads the flags and runs `then` on them; the help text or a flag error
    /// is the whole transcript.
    pub fn run(
        &self,
        s: &mut Session,
        args: &[String],
        t: Transcript,
        then: impl FnOnce(&mut Session, flags::Parsed, Transcript) -> Transcript,
    ) -> Transcript {
        match self.parse(args, t) {
            Ok((p, t)) => then(s, p, t),
            Err(t) => t,
        }
    }

    fn help(&self, mut t: Transcript) -> Transcript {
        t.out(format!("Usage:  {}", self.usage));
        t.out("");
        t.out(self.what);
        if !self.options.is_empty() {
            t.out("");
            t.out("Options:");
            for (flag, desc) in self.options {
                t.out(format!("  {flag:<22} {desc}"));
            }
        }
        t
    }

    /// The complaint about the number of arguments, as the docker 28 CLI
    /// words it: `docker: 'docker info' accepts no arguments`, the usage line
    /// and where to read more.
    pub fn no_args(&self, t: Transcript) -> Transcript {
        self.arguments_error(t, "accepts no arguments")
    }

    /// `docker: 'docker rm' requires at least 1 argument`, and so on.
    pub fn needs(&self, t: Transcript, how_many: &str) -> Transcript {
        let plural = if how_many.ends_with(" 1") { "" } else { "s" };
        self.arguments_error(t, &format!("requires {how_many} argument{plural}"))
    }

    fn arguments_error(&self, t: Transcript, what: &str) -> Transcript {
        t.fail(
            self.usage_status,
            format!(
                "docker: 'docker {}' {what}\n\nUsage:  {}\n\nSee 'docker {} --help' for more information",
                self.name, self.usage, self.name
            ),
        )
    }
}
