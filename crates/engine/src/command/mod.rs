//! The command language: what a learner types in the terminal, what lessons and
//! scenario files replay, and what the `layerlab` CLI runs. A [`Session`] holds
//! the host and the registry; [`Session::run`] takes one line and returns a
//! [`Transcript`]: the output lines exactly as Docker prints them, the exit
//! status, and the events for the app to animate.
//!
//! One file per group of `docker` subcommands: `containers` (create, run,
//! start, stop, rm, ps, diff, commit), `images` (pull, images, rmi, tag,
//! history), `inspect`, `system` (system df, info, version).

mod containers;
pub mod flags;
mod images;
mod inspect;
mod system;
pub mod words;

use crate::host::{Host, HostEvent};
use crate::registry::{LayerPull, Registry};
use crate::storage::Driver;

/// One line of output, and whether it went to standard error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub stderr: bool,
}

/// What one command line did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transcript {
    pub lines: Vec<Line>,
    /// The exit status, as `$?` would show it.
    pub status: i32,
    pub events: Vec<HostEvent>,
    /// Per-layer detail of a `docker pull`, for progress animations.
    pub pulled: Vec<LayerPull>,
}

impl Transcript {
    pub fn out(&mut self, text: impl Into<String>) {
        self.lines.push(Line {
            text: text.into(),
            stderr: false,
        });
    }

    pub fn err(&mut self, text: impl Into<String>) {
        self.lines.push(Line {
            text: text.into(),
            stderr: true,
        });
    }

    /// Fails with a message on standard error and exit status `status`.
    pub fn fail(mut self, status: i32, text: impl Into<String>) -> Self {
        for l in text.into().lines() {
            self.err(l);
        }
        self.status = status;
        self
    }

    /// All lines as the terminal shows them.
    pub fn text(&self) -> String {
        self.lines.iter().map(|l| format!("{}\n", l.text)).collect()
    }
}

/// A simulated Docker host with its registry.
pub struct Session {
    pub host: Host,
    pub registry: Registry,
    pub driver: Driver,
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

/// The subcommands, with a one-line summary each (for `docker --help` and completion).
pub const SUBCOMMANDS: &[(&str, &str)] = &[
    ("commit", "Create a new image from a container's changes"),
    ("create", "Create a new container"),
    (
        "diff",
        "Inspect changes to files or directories on a container's filesystem",
    ),
    ("history", "Show the history of an image"),
    ("images", "List images"),
    ("info", "Display system-wide information"),
    ("inspect", "Return low-level information on Docker objects"),
    ("ps", "List containers"),
    ("pull", "Download an image from a registry"),
    ("rm", "Remove one or more containers"),
    ("rmi", "Remove one or more images"),
    ("run", "Create and run a new container from an image"),
    ("start", "Start one or more stopped containers"),
    ("stop", "Stop one or more running containers"),
    ("system", "Manage Docker (system df)"),
    (
        "tag",
        "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
    ),
    ("version", "Show the Docker version information"),
];

impl Session {
    pub fn new() -> Self {
        let mut host = Host::new();
        let registry = Registry::teaching(&mut host);
        Session {
            host,
            registry,
            driver: Driver::Overlay2,
        }
    }

    /// Runs one line. Every line advances the logical clock by one second.
    pub fn run(&mut self, line: &str) -> Transcript {
        let t = self.dispatch(line);
        self.host.advance(1);
        t
    }

    fn dispatch(&mut self, line: &str) -> Transcript {
        let t = Transcript::default();
        let words = match words::split(line) {
            Ok(w) => w,
            Err(e) => return t.fail(2, format!("sh: 1: {e}")),
        };
        let Some(first) = words.first() else { return t };
        if first != "docker" {
            return t.fail(
                127,
                format!("{first}: command not found here yet; this terminal runs docker commands (try 'docker --help')"),
            );
        }
        let rest = &words[1..];
        let Some(sub) = rest.first() else {
            return usage(t);
        };
        let args = &rest[1..];
        match sub.as_str() {
            "--help" | "-h" | "help" => usage(t),
            "--version" | "-v" => system::version_short(t),
            "ps" => containers::ps(self, args, t),
            "container" => match args.first().map(String::as_str) {
                Some("ls" | "list" | "ps") => containers::ps(self, &args[1..], t),
                Some("create") => containers::create(self, &args[1..], t, false),
                Some("run") => containers::create(self, &args[1..], t, true),
                Some("rm") => containers::rm(self, &args[1..], t),
                Some("diff") => containers::diff(self, &args[1..], t),
                Some("commit") => containers::commit(self, &args[1..], t),
                Some("start") => containers::start(self, &args[1..], t),
                Some("stop") => containers::stop(self, &args[1..], t),
                Some("inspect") => inspect::inspect_typed(self, "container", &args[1..], t),
                _ => t.fail(1, "Usage:  docker container COMMAND\n\nManage containers"),
            },
            "create" => containers::create(self, args, t, false),
            "run" => containers::create(self, args, t, true),
            "start" => containers::start(self, args, t),
            "stop" => containers::stop(self, args, t),
            "rm" => containers::rm(self, args, t),
            "diff" => containers::diff(self, args, t),
            "commit" => containers::commit(self, args, t),
            "pull" => images::pull(self, args, t),
            "images" => images::images(self, args, t),
            "image" => match args.first().map(String::as_str) {
                Some("ls" | "list") => images::images(self, &args[1..], t),
                Some("pull") => images::pull(self, &args[1..], t),
                Some("rm") => images::rmi(self, &args[1..], t),
                Some("tag") => images::tag(self, &args[1..], t),
                Some("history") => images::history(self, &args[1..], t),
                Some("inspect") => inspect::inspect_typed(self, "image", &args[1..], t),
                _ => t.fail(1, "Usage:  docker image COMMAND\n\nManage images"),
            },
            "rmi" => images::rmi(self, args, t),
            "tag" => images::tag(self, args, t),
            "history" => images::history(self, args, t),
            "inspect" => inspect::inspect(self, args, t),
            "system" => system::system(self, args, t),
            "info" => system::info(self, args, t),
            "version" => system::version(self, args, t),
            other => t.fail(
                1,
                format!("docker: unknown command: docker {other}\n\nRun 'docker --help' for more information"),
            ),
        }
    }
}

fn usage(mut t: Transcript) -> Transcript {
    t.out("Usage:  docker [OPTIONS] COMMAND");
    t.out("");
    t.out("A self-sufficient runtime for containers (simulated by Layerlab)");
    t.out("");
    t.out("Commands:");
    for (name, what) in SUBCOMMANDS {
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
    /// flag error followed by `See 'docker X --help'.` as the docker CLI prints it.
    pub fn parse(
        &self,
        args: &[String],
        t: Transcript,
    ) -> Result<(flags::Parsed, Transcript), Transcript> {
        let mut spec = self.flags.to_vec();
        spec.push(flags::bool_flag(None, "help"));
        match flags::parse(&spec, args, self.stop_at_first_arg) {
            Err(e) => Err(t.fail(
                self.usage_status,
                format!("{e}\nSee 'docker {} --help'.", self.name),
            )),
            Ok(p) if p.has("help") => Err(self.help(t)),
            Ok(p) => Ok((p, t)),
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

    /// The complaint about the number of arguments, e.g. `"docker rm" requires at least 1 argument.`
    pub fn needs(&self, t: Transcript, how_many: &str) -> Transcript {
        let plural = if how_many.ends_with(" 1") { "" } else { "s" };
        t.fail(
            self.usage_status,
            format!(
                "\"docker {}\" requires {how_many} argument{plural}.\nSee 'docker {} --help'.\n\nUsage:  {}\n\n{}",
                self.name, self.name, self.usage, self.what
            ),
        )
    }
}
