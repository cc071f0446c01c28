//! `docker build` over the host's file system: the context is a directory the
//! host shell can edit (`cat > Dockerfile <<EOF`), by default `/root/app`.

use super::flags::Parsed;
use super::flags::{bool_flag, list_flag, value_flag};
use super::{Cmd, Session, Transcript};
use crate::build::{self, BuildOptions, Context};
use crate::reference::Reference;

pub(super) const BUILD: Cmd = Cmd {
    flags: &[
        value_flag(Some('t'), "tag"),
        value_flag(Some('f'), "file"),
        bool_flag(None, "no-cache"),
        value_flag(None, "target"),
        list_flag(None, "build-arg"),
        bool_flag(Some('q'), "quiet"),
        value_flag(None, "progress"),
    ],
    options: &[
        ("--build-arg list", "Set build-time variables"),
        (
            "-f, --file string",
            "Name of the Dockerfile (default: \"PATH/Dockerfile\")",
        ),
        ("--no-cache", "Do not use cache when building the image"),
        ("--progress string", "Set type of progress output (plain)"),
        (
            "-q, --quiet",
            "Suppress the build output and print image ID on success",
        ),
        (
            "-t, --tag list",
            "Name and optionally a tag (format: \"name:tag\")",
        ),
        ("--target string", "Set the target build stage to build"),
    ],
    ..Cmd::new(
        "build",
        "docker buildx build [OPTIONS] PATH | URL | -",
        "Start a build",
    )
};

/// `docker build`; `legacy` when the line starts with `DOCKER_BUILDKIT=0`.
pub fn build(s: &mut Session, p: Parsed, mut t: Transcript, legacy: bool) -> Transcript {
    let [path] = p.args.as_slice() else {
        return t.fail(
            1,
            "ERROR: docker buildx build requires 1 argument\nSee 'docker buildx build --help'.\n\nUsage:  docker buildx build [OPTIONS] PATH | URL | -\n\nStart a build",
        );
    };
    let tag = match p.value("tag") {
        Some(text) => match Reference::parse(text) {
            Ok(r) => Some(r),
            Err(e) => return t.fail(1, format!("ERROR: invalid tag \"{text}\": {}", e.reason())),
        },
        None => None,
    };
    let dir = s.shell_path(path);
    let context = match Context::from_dir(&s.host_fs, &dir) {
        Ok(c) => c,
        Err(e) => return t.fail(1, format!("ERROR: {e}")),
    };
    let mut build_args = crate::map::Map::new();
    for a in p.values("build-arg") {
        let (k, v) = a.split_once('=').unwrap_or((a, ""));
        build_args.insert(k.to_owned(), v.to_owned());
    }
    let opts = BuildOptions {
        dockerfile: p.value("file").unwrap_or("Dockerfile").to_owned(),
        tag_named: p
            .value("tag")
            .is_some_and(|t| t.rsplit('/').next().is_some_and(|last| last.contains(':'))),
        tag,
        no_cache: p.has("no-cache"),
        target: p.value("target").map(str::to_owned),
        build_args,
        legacy,
        budget: s.budget.clone(),
        context_dir: dir.clone(),
    };
    if legacy {
        t.err(
            "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.",
        );
        t.err("            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0");
        t.err("            environment-variable.");
        t.err("");
    }
    let built = build::build(
        &mut s.host,
        &s.registry,
        &mut s.build_cache,
        &context,
        &opts,
    );
    let quiet = p.has("quiet");
    if quiet && built.status == 0 {
        if let Some(id) = &built.image {
            t.out(id.to_string());
        }
    } else if legacy {
        // The legacy builder's steps are on stdout, its error on stderr.
        for l in &built.lines {
            t.out(l.clone());
        }
    } else {
        // BuildKit writes its progress to stderr.
        for l in &built.lines {
            t.err(l.clone());
        }
    }
    if let Some(e) = &built.error {
        t.err(e.clone());
    }
    t.status = built.status;
    t.host(built.events);
    let held = s.build_cache.held_layers();
    t.host(s.host.hold_for_cache(held));
    t.steps(built.steps);
    t
}
