//! The one table of `docker` subcommands: what runs each, its line in
//! `docker --help` (the summary of its own `--help`, where it has one), and
//! what Tab completes after it. Dispatch, `docker --help` and the app's
//! completion all read it; `docker container …` and `docker image …` name
//! the same subcommands by their group's words.

use super::{archive, build, containers, images, inspect, system, Cmd, Session, Transcript};

/// Runs a subcommand on its arguments; the flag says `DOCKER_BUILDKIT=0`.
type Run = fn(&mut Session, &[String], Transcript, bool) -> Transcript;

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
    pub(super) run: Run,
}

impl Subcommand {
    /// A subcommand with a `--help` of its own: its name and summary are its.
    const fn of(cmd: &'static Cmd, operands: Operands, run: Run) -> Subcommand {
        Subcommand {
            name: cmd.name,
            summary: Some(cmd.what),
            operands,
            run,
        }
    }

    /// A group of subcommands (`docker builder`, `docker system`).
    const fn group(name: &'static str, summary: &'static str, run: Run) -> Subcommand {
        Subcommand {
            name,
            summary: Some(summary),
            operands: Operands::Nothing,
            run,
        }
    }

    /// Not in `docker --help`'s list.
    const fn unlisted(name: &'static str, operands: Operands, run: Run) -> Subcommand {
        Subcommand {
            name,
            summary: None,
            operands,
            run,
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
    Subcommand::of(&containers::COMMIT, Operands::Containers, |s, a, t, _| {
        containers::commit(s, a, t)
    }),
    Subcommand::of(
        &containers::CREATE,
        Operands::PullableImages,
        |s, a, t, _| containers::create(s, a, t, false),
    ),
    Subcommand::of(&containers::DIFF, Operands::Containers, |s, a, t, _| {
        containers::diff(s, a, t)
    }),
    Subcommand::of(&images::HISTORY, Operands::Images, |s, a, t, _| {
        images::history(s, a, t)
    }),
    Subcommand::of(&images::IMAGES, Operands::Nothing, |s, a, t, _| {
        images::images(s, a, t)
    }),
    Subcommand::of(&system::INFO, Operands::Nothing, |s, a, t, _| {
        system::info(s, a, t)
    }),
    Subcommand::of(
        &inspect::INSPECT,
        Operands::ImagesAndContainers,
        |s, a, t, _| inspect::inspect(s, a, t),
    ),
    Subcommand::of(&archive::LOAD, Operands::Nothing, |s, a, t, _| {
        archive::load(s, a, t)
    }),
    Subcommand::of(&containers::LOGS, Operands::Containers, |s, a, t, _| {
        containers::logs(s, a, t)
    }),
    Subcommand::of(&containers::PS, Operands::Nothing, |s, a, t, _| {
        containers::ps(s, a, t)
    }),
    Subcommand::of(&images::PULL, Operands::PullableImages, |s, a, t, _| {
        images::pull(s, a, t)
    }),
    Subcommand::of(&images::PUSH, Operands::Nothing, |s, a, t, _| {
        images::push(s, a, t)
    }),
    Subcommand::of(&containers::RM, Operands::Containers, |s, a, t, _| {
        containers::rm(s, a, t)
    }),
    Subcommand::of(&images::RMI, Operands::Images, |s, a, t, _| {
        images::rmi(s, a, t)
    }),
    Subcommand::of(&containers::RUN, Operands::PullableImages, |s, a, t, _| {
        containers::create(s, a, t, true)
    }),
    Subcommand::of(&archive::SAVE, Operands::Nothing, |s, a, t, _| {
        archive::save(s, a, t)
    }),
    Subcommand::of(&containers::START, Operands::Containers, |s, a, t, _| {
        containers::start(s, a, t)
    }),
    Subcommand::of(&containers::STOP, Operands::Containers, |s, a, t, _| {
        containers::stop(s, a, t)
    }),
    Subcommand::group("system", "Manage Docker (system df)", |s, a, t, _| {
        system::system(s, a, t)
    }),
    Subcommand::of(&images::TAG, Operands::Images, |s, a, t, _| {
        images::tag(s, a, t)
    }),
    Subcommand::of(&system::VERSION_CMD, Operands::Nothing, |s, a, t, _| {
        system::version(s, a, t)
    }),
    Subcommand::unlisted("exec", Operands::Nothing, |s, a, t, _| {
        containers::exec(s, a, t)
    }),
    Subcommand::unlisted("container", Operands::Nothing, |s, a, t, legacy| {
        group(s, a, t, legacy, &CONTAINER)
    }),
    Subcommand::unlisted("image", Operands::Nothing, |s, a, t, legacy| {
        group(s, a, t, legacy, &IMAGE)
    }),
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
        Some(c) => (c.run)(s, &args[1..], t, legacy),
        None => super::group_usage(t, g.usage, args),
    }
}

/// `docker builder prune`: BuildKit's cache emptied.
fn builder(s: &mut Session, args: &[String], t: Transcript) -> Transcript {
    match args.first().map(String::as_str) {
        Some("prune") => {
            let n = s.build_cache.len();
            s.build_cache.clear();
            let mut t = t;
            t.out(format!("Total:\t{n} cache entries removed"));
            t
        }
        _ => super::group_usage(
            t,
            "Usage:  docker builder COMMAND\n\nManage builds (docker builder prune)",
            args,
        ),
    }
}
