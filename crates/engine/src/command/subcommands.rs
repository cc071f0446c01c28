//! The one table of `docker` subcommands: what runs each, its line in
//! `docker --help` (the summary of its own `--help`, where it has one), and
//! what Tab completes after it. Dispatch, `docker --help` and the app's
//! completion all read it; `docker container …` and `docker image …` name
//! the same subcommands by their group's words.

use super::flags::Parsed;
use super::{archive, build, containers, images, inspect, system, Cmd, Session, Transcript};

/// Runs a subcommand once its `Cmd` has read the flags; the last argument
/// says `DOCKER_BUILDKIT=0`.
type Parsing = fn(&mut Session, Parsed, Transcript, bool) -> Transcript;

/// Runs a group on its words (`docker system df`, `docker image ls`).
type Words = fn(&mut Session, &[String], Transcript, bool) -> Transcript;

/// How a subcommand runs.
enum Runs {
    /// Its `Cmd` reads the flags (or prints its help, or the flag error).
    Flags(&'static Cmd, Parsing),
    Words(Words),
}

/// What a subcommand's operands name, for completion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operands {
    Nothing,
    Containers,
    /// Images on the host.
    Images,
    /// Images on the host or in the registry (what can be pulled).
    PullableImages,
    ImagesAndContainers,
}

/// One `docker` subcommand.
pub struct Subcommand {
    pub name: &'static str,
    /// Its line in `docker --help`; `None` for those Docker's help lists
    /// under management commands, which Layerlab's does not show.
    pub summary: Option<&'static str>,
    pub operands: Operands,
    runs: Runs,
}

impl Subcommand {
    /// A subcommand with a `--help` of its own: its name and summary are its.
    const fn of(cmd: &'static Cmd, operands: Operands, run: Parsing) -> Subcommand {
        Subcommand {
            name: cmd.name,
            summary: Some(cmd.what),
            operands,
            runs: Runs::Flags(cmd, run),
        }
    }

    /// A group of subcommands (`docker builder`, `docker system`).
    const fn group(name: &'static str, summary: &'static str, run: Words) -> Subcommand {
        Subcommand {
            name,
            summary: Some(summary),
            operands: Operands::Nothing,
            runs: Runs::Words(run),
        }
    }

    /// Not in `docker --help`'s list.
    const fn unlisted(name: &'static str, run: Runs) -> Subcommand {
        Subcommand {
            name,
            summary: None,
            operands: Operands::Nothing,
            runs: run,
        }
    }

    /// Runs `docker NAME ARGS…`; `legacy` is `DOCKER_BUILDKIT=0`.
    pub(super) fn run(
        &self,
        s: &mut Session,
        args: &[String],
        t: Transcript,
        legacy: bool,
    ) -> Transcript {
        match self.runs {
            Runs::Flags(cmd, run) => cmd.run(s, args, t, |s, p, t| run(s, p, t, legacy)),
            Runs::Words(run) => run(s, args, t, legacy),
        }
    }
}

/// Every subcommand, in `docker --help`'s order.
pub const SUBCOMMANDS: &[Subcommand] = &[
    // `docker --help` says what BuildKit's `docker build --help` does not.
    Subcommand {
        summary: Some("Build an image from a Dockerfile"),
        ..Subcommand::of(&build::BUILD, Operands::Nothing, build::build)
    },
    Subcommand::group(
        "builder",
        "Manage builds (docker builder prune)",
        |s, args, t, _| builder(s, args, t),
    ),
    Subcommand::of(&containers::COMMIT, Operands::Containers, |s, p, t, _| {
        containers::commit(s, p, t)
    }),
    Subcommand::of(
        &containers::CREATE,
        Operands::PullableImages,
        |s, p, t, _| containers::create(s, p, t, false),
    ),
    Subcommand::of(&containers::DIFF, Operands::Containers, |s, p, t, _| {
        containers::diff(s, p, t)
    }),
    Subcommand {
        summary: Some("Execute a command in a running container"),
        operands: Operands::Containers,
        ..Subcommand::unlisted(
            "exec",
            Runs::Flags(&containers::EXEC, |s, p, t, _| containers::exec(s, p, t)),
        )
    },
    Subcommand::of(&images::HISTORY, Operands::Images, |s, p, t, _| {
        images::history(s, p, t)
    }),
    Subcommand::of(&images::IMAGES, Operands::Nothing, |s, p, t, _| {
        images::images(s, p, t)
    }),
    Subcommand::of(&system::INFO, Operands::Nothing, |s, p, t, _| {
        system::info(s, p, t)
    }),
    Subcommand::of(
        &inspect::INSPECT,
        Operands::ImagesAndContainers,
        |s, p, t, _| inspect::inspect(s, p, t),
    ),
    Subcommand::of(&archive::LOAD, Operands::Nothing, |s, p, t, _| {
        archive::load(s, p, t)
    }),
    Subcommand::of(&containers::LOGS, Operands::Containers, |s, p, t, _| {
        containers::logs(s, p, t)
    }),
    Subcommand::of(&containers::PS, Operands::Nothing, |s, p, t, _| {
        containers::ps(s, p, t)
    }),
    Subcommand::of(&images::PULL, Operands::PullableImages, |s, p, t, _| {
        images::pull(s, p, t)
    }),
    Subcommand::of(&images::PUSH, Operands::Nothing, |s, p, t, _| {
        images::push(s, p, t)
    }),
    Subcommand::of(&containers::RM, Operands::Containers, |s, p, t, _| {
        containers::rm(s, p, t)
    }),
    Subcommand::of(&images::RMI, Operands::Images, |s, p, t, _| {
        images::rmi(s, p, t)
    }),
    Subcommand::of(&containers::RUN, Operands::PullableImages, |s, p, t, _| {
        containers::create(s, p, t, true)
    }),
    Subcommand::of(&archive::SAVE, Operands::Nothing, |s, p, t, _| {
        archive::save(s, p, t)
    }),
    Subcommand::of(&containers::START, Operands::Containers, |s, p, t, _| {
        containers::start(s, p, t)
    }),
    Subcommand::of(&containers::STOP, Operands::Containers, |s, p, t, _| {
        containers::stop(s, p, t)
    }),
    Subcommand::group("system", "Manage Docker (system df)", |s, args, t, _| {
        system::system(s, args, t)
    }),
    Subcommand::of(&images::TAG, Operands::Images, |s, p, t, _| {
        images::tag(s, p, t)
    }),
    Subcommand::of(&system::VERSION_CMD, Operands::Nothing, |s, p, t, _| {
        system::version(s, p, t)
    }),
    Subcommand::unlisted(
        "container",
        Runs::Words(|s, args, t, legacy| group(s, args, t, legacy, &CONTAINER)),
    ),
    Subcommand::unlisted(
        "image",
        Runs::Words(|s, args, t, legacy| group(s, args, t, legacy, &IMAGE)),
    ),
];

/// The subcommand called `name`.
pub fn named(name: &str) -> Option<&'static Subcommand> {
    SUBCOMMANDS.iter().find(|c| c.name == name)
}

/// The subcommands `docker --help` lists, with their summaries.
pub fn listed() -> impl Iterator<Item = (&'static str, &'static str)> {
    SUBCOMMANDS
        .iter()
        .filter_map(|c| c.summary.map(|what| (c.name, what)))
}

/// A management command: its words, each naming a subcommand of the table,
/// and the kind `inspect` looks up.
struct Group {
    usage: &'static str,
    words: &'static [(&'static str, &'static str)],
    inspects: &'static str,
}

const CONTAINER: Group = Group {
    usage: "Usage:  docker container COMMAND\n\nManage containers",
    words: &[
        ("ls", "ps"),
        ("list", "ps"),
        ("ps", "ps"),
        ("create", "create"),
        ("run", "run"),
        ("rm", "rm"),
        ("diff", "diff"),
        ("commit", "commit"),
        ("start", "start"),
        ("stop", "stop"),
    ],
    inspects: "container",
};

const IMAGE: Group = Group {
    usage: "Usage:  docker image COMMAND\n\nManage images",
    words: &[
        ("ls", "images"),
        ("list", "images"),
        ("pull", "pull"),
        ("push", "push"),
        ("rm", "rmi"),
        ("tag", "tag"),
        ("history", "history"),
        ("save", "save"),
        ("load", "load"),
    ],
    inspects: "image",
};

/// `docker container WORD …` and `docker image WORD …`.
fn group(s: &mut Session, args: &[String], t: Transcript, legacy: bool, g: &Group) -> Transcript {
    let word = args.first().map(String::as_str);
    if word == Some("inspect") {
        return inspect::inspect_typed(s, g.inspects, &args[1..], t);
    }
    let found = g.words.iter().find(|(w, _)| Some(*w) == word);
    match found.and_then(|(_, name)| named(name)) {
        Some(c) => c.run(s, &args[1..], t, legacy),
        None => super::group_usage(t, g.usage, args),
    }
}

/// `docker builder prune`: BuildKit's cache emptied.
fn builder(s: &mut Session, args: &[String], t: Transcript) -> Transcript {
    match args.first().map(String::as_str) {
        Some("prune") => super::system::builder_prune(s, &args[1..], t),
        _ => super::group_usage(
            t,
            "Usage:  docker builder COMMAND\n\nManage builds (docker builder prune)",
            args,
        ),
    }
}
