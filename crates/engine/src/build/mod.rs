//! `docker build` with BuildKit's rules: stages, only the stages the target
//! needs, a layer for every RUN, COPY, ADD and WORKDIR (even an empty one),
//! history entries for metadata instructions, the build cache with BuildKit's
//! keys, and output in BuildKit's plain progress style.
//!
//! - `context`: the build context, `.dockerignore`, COPY source selection and
//!   the content checksum that keys COPY's cache.
//! - `vars`: builder-side variable substitution.
//! - `steps`: the `Builder` that runs a stage's instructions and a step that
//!   makes a layer (from the cache or by running it); `from`, `run`, `copy`
//!   (COPY and ADD) and `metadata` (WORKDIR and the config-only instructions)
//!   hold what each instruction does; `legacy` is the classic builder.

mod context;
mod copy;
mod error;
mod from;
mod legacy;
mod metadata;
mod plan;
mod records;
mod run;
mod steps;
pub mod vars;

pub use crate::health::HealthConfig;
pub use context::{Context, ContextError};
use error::DockerfileError;
pub use error::{BuildError, ErrorKind};
pub use records::{Record, RecordKind};

pub(crate) use plan::{is_scratch, stage_name};
use plan::{Plan, PlanError};

use crate::digest::{Digest, Hasher};
use crate::dockerfile;
use crate::host::{Host, HostEvent};
use crate::image::ImageConfig;
use crate::layer::{Layer, LayerId};
use crate::map::Map;
use crate::reference::Reference;
use crate::registry::Registry;
use std::rc::Rc;

/// How to build.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The Dockerfile's path in the context (`-f`).
    pub dockerfile: String,
    pub tag: Option<Reference>,
    /// Whether `-t` named the tag (`app:v1`), not only the repository: BuildKit
    /// 0.13's `naming to` prints the name as given, less `docker.io/library/`.
    pub tag_named: bool,
    pub no_cache: bool,
    pub target: Option<String>,
    pub build_args: Map<String, String>,
    /// The legacy builder (`DOCKER_BUILDKIT=0`): every instruction commits an
    /// intermediate image, output in `Step N/M` style, the image store is the cache.
    pub legacy: bool,
    /// The work the `docker build` line may do: RUN steps count against it.
    pub budget: crate::budget::Budget,
    /// The build's directory on the host: BuildKit keeps one record of each
    /// source (Dockerfile, `.dockerignore`, context) sent from it.
    pub context_dir: String,
}

/// BuildKit's cache: step keys to the layer the step produced.
#[derive(Clone, Debug, Default)]
pub struct BuildCache {
    steps: Map<Digest, Cached>,
    /// The FROM steps builds have resolved.
    pub(crate) bases: Vec<Digest>,
    /// The records `system df` counts and `builder prune` removes.
    records: Vec<Record>,
    /// Builds so far: a record counts one use per build.
    build: u64,
}

#[derive(Clone, Debug)]
struct Cached {
    layer: Rc<Layer>,
    /// When the step first made it: BuildKit's `buildkit/createdat`, which
    /// dates the layer's history entry in every build that reuses it.
    created: u64,
}

impl BuildCache {
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// When a build step made `layer`, if one did.
    fn created(&self, layer: crate::layer::LayerId) -> Option<u64> {
        self.steps
            .values()
            .find(|c| c.layer.id == layer)
            .map(|c| c.created)
    }

    /// Dates an image's history as BuildKit's exporter does: an entry of a
    /// layer a build step made takes the time the step first made it (a
    /// cached layer keeps its time, so a fully cached rebuild gives the same
    /// image ID); an entry the Dockerfile left undated takes the time of the
    /// entry before it, or, before the first layer a step made, that layer's
    /// time. The image's `created` is its last entry's.
    fn date_history(&self, config: &mut crate::image::ImageConfig, layers: &[Rc<Layer>]) {
        let mut layer_times = Vec::new();
        let mut next = 0;
        for h in &config.history {
            if !h.empty_layer {
                layer_times.push(layers.get(next).and_then(|l| self.created(l.id)));
                next += 1;
            }
        }
        let first_new = layer_times.iter().flatten().next().copied();
        let mut previous: Option<String> = None;
        let mut seen_new = false;
        let mut next = 0;
        for h in &mut config.history {
            if !h.empty_layer {
                if let Some(Some(t)) = layer_times.get(next) {
                    h.created = crate::clock::rfc3339(*t);
                    seen_new = true;
                }
                next += 1;
            } else if h.created.is_empty() {
                h.created = match (seen_new, first_new, &previous) {
                    (false, Some(t), _) => crate::clock::rfc3339(t),
                    (_, _, Some(p)) => p.clone(),
                    (_, Some(t), None) => crate::clock::rfc3339(t),
                    (_, None, None) => config.created.clone(),
                };
            }
            previous = Some(h.created.clone());
        }
        if let Some(last) = previous {
            config.created = last;
        }
    }
}

/// What one step did, for the app to animate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The Dockerfile line the instruction starts on (1-based).
    pub line: usize,
    /// `[2/3] COPY . /app`
    pub label: String,
    pub cached: bool,
    /// The layer it produced (reused on a cache hit); `None` for metadata.
    pub layer: Option<LayerId>,
    pub size: u64,
    /// RUN's output lines.
    pub output: Vec<String>,
    /// Failed with this exit status.
    pub failed: Option<i32>,
}

impl Step {
    /// A step that failed before it made a layer.
    pub(crate) fn failed(line: usize, label: &str, status: i32) -> Step {
        Step {
            line,
            label: label.to_owned(),
            cached: false,
            layer: None,
            size: 0,
            output: Vec::new(),
            failed: Some(status),
        }
    }
}

/// The result of a build: output lines as `docker build` prints them, the
/// steps, the image (when it succeeded) and the host's events.
#[derive(Clone, Debug, Default)]
pub struct Built {
    pub lines: Vec<String>,
    pub steps: Vec<Step>,
    pub image: Option<Digest>,
    pub events: Vec<HostEvent>,
    pub status: i32,
    /// The legacy builder's error (it goes to stderr; its `lines` to stdout).
    pub error: Option<String>,
}

/// One stage being built.
#[derive(Clone)]
pub(crate) struct Stage {
    pub name: Option<String>,
    pub index: usize,
    pub layers: Vec<Rc<Layer>>,
    pub config: ImageConfig,
    /// The cache key of the state so far.
    pub key: Digest,
    /// ARGs declared in this stage with their values, in order.
    pub args: Vec<(String, String)>,
    /// Legacy builder: the image the last step committed (the next step's parent).
    pub image: Option<Digest>,
}

/// The plain-progress printer: numbered vertices, times from a logical clock.
pub(crate) struct Progress {
    pub lines: Vec<String>,
    next: usize,
    /// The legacy builder prints no vertices, only [`Progress::say`] lines.
    pub legacy: bool,
}

impl Progress {
    fn new(legacy: bool) -> Progress {
        let first = if legacy {
            Vec::new()
        } else {
            vec!["#0 building with \"default\" instance using docker driver".into()]
        };
        Progress {
            lines: first,
            next: 1,
            legacy,
        }
    }

    /// A plain output line (the legacy builder's output).
    pub fn say(&mut self, text: impl Into<String>) {
        self.lines.push(text.into());
    }

    fn vertex(&mut self, title: &str) -> usize {
        if self.legacy {
            return 0;
        }
        let n = self.next;
        self.next += 1;
        self.lines.push(String::new());
        self.lines.push(format!("#{n} {title}"));
        n
    }

    pub fn line(&mut self, n: usize, text: &str) {
        if self.legacy {
            return;
        }
        self.lines.push(format!("#{n} {text}"));
    }
}

pub(crate) fn key(parts: &[&str]) -> Digest {
    let mut h = Hasher::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update(b"\0");
    }
    h.finish()
}

/// The largest Dockerfile a build reads.
pub const MAX_DOCKERFILE: u64 = 1 << 20;

/// Builds the Dockerfile in `context` on `host`.
pub fn build(
    host: &mut Host,
    registry: &Registry,
    cache: &mut BuildCache,
    context: &Context,
    opts: &BuildOptions,
) -> Built {
    let mut p = Progress::new(opts.legacy);
    let name = if opts.dockerfile.is_empty() {
        "Dockerfile".to_owned()
    } else {
        opts.dockerfile.clone()
    };
    let mut out = Built::default();
    let text = match read_dockerfile(context, &name, &mut p) {
        Ok(text) => text,
        Err(e) => return fail(out, p, BuildError::solve(e)),
    };
    let mut ctx = context.clone();
    let ignore = ctx
        .file(".dockerignore")
        .map(|c| String::from_utf8_lossy(&c.to_vec()).into_owned());
    if let Some(ignore) = &ignore {
        if let Err(e) = ctx.apply_ignore(ignore, &name) {
            return fail(out, p, BuildError::solve(e));
        }
    }
    if !opts.legacy {
        let now = host.now();
        cache.begin();
        cache.sent("dockerfile", &opts.context_dir, text.len() as u64, now);
        let ignored = ignore.as_ref().map_or(0, |i| i.len() as u64);
        cache.sent("dockerignore", &opts.context_dir, ignored, now);
    }
    if opts.legacy {
        let sent = crate::size::human_size_with_precision(ctx.tar_size() as f64, 4);
        p.say(format!("Sending build context to Docker daemon {sent:>8}"));
    }
    let parsed = dockerfile::parse(&text);
    if let Some(err) = parse_error(&parsed, &name, &text, opts) {
        return fail(out, p, err);
    }
    let plan = match Plan::new(&parsed.instructions, opts) {
        Ok(plan) => plan,
        Err(e) => return fail(out, p, BuildError::refused(opts.legacy, e)),
    };
    let total = parsed.instructions.len();
    let mut builder = steps::Builder {
        host,
        registry,
        cache,
        context: &ctx,
        opts,
        progress: p,
        steps: Vec::new(),
        stages: Vec::new(),
        global_args: plan.global_args.clone(),
        dockerfile: name.clone(),
        source: text.clone(),
        context_sent: false,
        step: 0,
        total,
        events: Vec::new(),
        metadata: Vec::new(),
        stage_count: plan.stages.len(),
        from_lines: Vec::new(),
        shown_bases: Vec::new(),
        context_files: crate::map::Set::new(),
        run_mounts: false,
    };
    if !opts.legacy {
        // BuildKit resolves every base image before it reads .dockerignore.
        builder.load_metadata(&parsed.instructions);
    }
    builder.load_dockerignore(&parsed.instructions, ignore.as_deref());
    let mut final_stage = None;
    for &si in &plan.needed {
        match builder.stage(&plan.stages[si], si, plan.counts[si]) {
            Ok(stage) => {
                final_stage = Some(stage.clone());
                builder.stages.push(stage);
            }
            Err(err) => {
                builder.record_context();
                return stage_failed(out, builder, err);
            }
        }
    }
    builder.record_context();
    let Some(stage) = final_stage else {
        let steps::Builder { progress, .. } = builder;
        return fail(out, progress, BuildError::solve(PlanError::NoStages));
    };
    let steps::Builder {
        host,
        mut progress,
        steps,
        events,
        cache,
        from_lines,
        ..
    } = builder;
    mark_bases_cached(&mut progress, &steps, from_lines);
    // The result is loaded from the cache when its last step came from there.
    if let Some(top) = stage.layers.last() {
        if !opts.legacy && !steps.iter().any(|s| !s.cached && s.layer == Some(top.id)) {
            cache.used(top.id, host.now());
        }
    }
    out.steps = steps;
    out.events = events;
    if opts.legacy {
        return legacy_finish(out, progress, host, stage.image, opts.tag.as_ref());
    }
    buildkit_finish(out, progress, host, cache, &stage, opts)
}

/// The Dockerfile's first parse error, as BuildKit reports it, at its line.
fn parse_error(
    parsed: &dockerfile::Dockerfile,
    name: &str,
    text: &str,
    opts: &BuildOptions,
) -> Option<BuildError> {
    let d = parsed
        .diagnostics
        .iter()
        .find(|d| d.severity == dockerfile::Severity::Error)?;
    let err = BuildError::refused(
        opts.legacy,
        format!("dockerfile parse error on line {}: {}", d.line, d.message),
    );
    Some(BuildError {
        line: Some(d.line),
        snippet: Some(source_snippet(name, text, d.line)),
        ..err
    })
}

/// A stage that failed: its steps and events so far, and the error.
fn stage_failed(mut out: Built, builder: steps::Builder, err: BuildError) -> Built {
    let legacy = builder.opts.legacy;
    let steps::Builder {
        mut progress,
        steps,
        events,
        from_lines,
        ..
    } = builder;
    mark_bases_cached(&mut progress, &steps, from_lines);
    // The legacy `docker build` exits with the failed command's status.
    let status = steps.last().and_then(|s| s.failed).filter(|_| legacy);
    out.steps = steps;
    out.events = events;
    let mut out = fail(out, progress, err);
    out.status = status.unwrap_or(1);
    out
}

/// The build definition: the Dockerfile's text, with its vertex; a missing
/// one, or one over [`MAX_DOCKERFILE`], fails the build.
fn read_dockerfile(
    context: &Context,
    name: &str,
    p: &mut Progress,
) -> Result<String, DockerfileError> {
    let n = p.vertex(&format!("[internal] load build definition from {name}"));
    let Some(file) = context.file(name) else {
        p.line(n, "transferring dockerfile: 2B done");
        p.line(n, "DONE 0.0s");
        return Err(DockerfileError::Missing(name.to_owned()));
    };
    // Refused whole rather than cut: a build without its last lines would succeed wrongly.
    if file.len() > MAX_DOCKERFILE {
        p.line(
            n,
            &format!(
                "transferring dockerfile: {} done",
                transfer_size(name, file.len())
            ),
        );
        p.line(n, "DONE 0.0s");
        return Err(DockerfileError::TooLarge {
            name: name.to_owned(),
            bytes: file.len(),
        });
    }
    let text = String::from_utf8_lossy(&file.to_vec()).into_owned();
    p.line(
        n,
        &format!(
            "transferring dockerfile: {} done",
            transfer_size(name, text.len() as u64)
        ),
    );
    p.line(n, "DONE 0.0s");
    Ok(text)
}

/// BuildKit's export: the last stage's image, dated, its history dated from
/// the cache, tagged.
fn buildkit_finish(
    mut out: Built,
    mut progress: Progress,
    host: &mut Host,
    cache: &mut BuildCache,
    stage: &Stage,
    opts: &BuildOptions,
) -> Built {
    let n = progress.vertex("exporting to image");
    progress.line(n, "exporting layers 0.1s done");
    let mut config = stage.config.clone();
    config.created = crate::clock::rfc3339(host.now());
    cache.date_history(&mut config, &stage.layers);
    let outcome = host.add_image(config, stage.layers.clone(), opts.tag.as_ref());
    cache.exported(&stage.layers);
    progress.line(n, &format!("writing image {} done", outcome.value));
    if let Some(tag) = &opts.tag {
        progress.line(
            n,
            &if opts.tag_named {
                format!("naming to docker.io/{}:{} done", tag.remote_path(), tag.tag)
            } else {
                format!("naming to docker.io/{} done", tag.remote_path())
            },
        );
    }
    progress.line(n, "DONE 0.1s");
    out.lines = progress.lines;
    out.image = Some(outcome.value);
    out.events.extend(outcome.events);
    out
}

/// `Successfully built` and `Successfully tagged`: the last step's image is the result.
fn legacy_finish(
    mut out: Built,
    mut p: Progress,
    host: &mut Host,
    image: Option<Digest>,
    tag: Option<&Reference>,
) -> Built {
    let Some(id) = image else {
        return fail(
            out,
            p,
            BuildError::other("No image was generated. Is your Dockerfile empty?"),
        );
    };
    p.say(format!("Successfully built {}", id.short()));
    if let Some(tag) = tag {
        out.events.extend(host.tag(&id, tag));
        p.say(format!("Successfully tagged {tag}"));
    }
    out.lines = p.lines;
    out.image = Some(id);
    out
}

/// Ends the output with the error, BuildKit's snippet of the Dockerfile first.
fn fail(mut out: Built, mut p: Progress, err: BuildError) -> Built {
    out.status = 1;
    if p.legacy {
        // The classic builder prints the solver's message alone.
        out.error = Some(err.message);
        out.lines = p.lines;
        return out;
    }
    let msg = err.text();
    if let Some(s) = err.snippet {
        p.lines.extend(s.lines().map(str::to_owned));
    }
    p.lines.push(format!("ERROR: {msg}"));
    out.lines = p.lines;
    out
}

/// `Dockerfile:3` and the lines around it, the failing one marked `>>>`.
pub(crate) fn source_snippet(name: &str, text: &str, line: usize) -> String {
    // Split as BuildKit does: a final newline leaves an empty last line.
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    let from = line.saturating_sub(3).max(1);
    let to = (line + 2).min(lines.len());
    let mut s = format!("{name}:{line}\n--------------------\n");
    for n in from..=to {
        let mark = if n == line { ">>> " } else { "    " };
        s.push_str(&format!(
            "{n:>4} | {mark}{}\n",
            lines.get(n - 1).unwrap_or(&"")
        ));
    }
    s.push_str("--------------------\n");
    s
}

/// What BuildKit's file sync reports sending for one file: its bytes, plus
/// its stat record and packet framing (fsutil's protobufs, whose varints grow
/// with the size): a 13-byte `Dockerfile` is `50B`. Measured on Docker 26.
fn transfer_size(name: &str, size: u64) -> String {
    let varint = |v: u64| u64::from((64 - v.max(1).leading_zeros()).div_ceil(7));
    let total = size + 25 + name.len() as u64 + 2 * varint(size);
    crate::size::human_size(total as f64)
}

/// BuildKit shows a base an earlier build resolved as CACHED when a step of
/// this build runs (or fails), DONE when every step is cached.
fn mark_bases_cached(progress: &mut Progress, steps: &[Step], from_lines: Vec<(usize, usize)>) {
    let ran = steps
        .iter()
        .any(|s| !s.cached && (s.layer.is_some() || s.failed.is_some()));
    if ran {
        for (line, v) in from_lines {
            if let Some(l) = progress.lines.get_mut(line) {
                *l = format!("#{v} CACHED");
            }
        }
    }
}
