//! `docker build` with BuildKit's rules: stages, only the stages the target
//! needs, a layer for every RUN, COPY, ADD and WORKDIR (even an empty one),
//! history entries for metadata instructions, the build cache with BuildKit's
//! keys, and output in BuildKit's plain progress style.
//!
//! - `context`: the build context, `.dockerignore`, COPY source selection and
//!   the content checksum that keys COPY's cache.
//! - `vars`: builder-side variable substitution.
//! - `steps`: what each instruction does to a stage.

mod context;
mod steps;
pub mod vars;

pub use context::Context;

use crate::digest::{Digest, Hasher};
use crate::dockerfile::{self, Args, Instruction, Keyword};
use crate::host::{Host, HostEvent};
use crate::image::ImageConfig;
use crate::layer::{Layer, LayerId};
use crate::reference::Reference;
use crate::registry::Registry;
use std::collections::BTreeMap;
use std::rc::Rc;

/// How to build.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The Dockerfile's path in the context (`-f`).
    pub dockerfile: String,
    pub tag: Option<Reference>,
    pub no_cache: bool,
    pub target: Option<String>,
    pub build_args: BTreeMap<String, String>,
}

/// BuildKit's cache: step keys to the layer the step produced.
#[derive(Clone, Debug, Default)]
pub struct BuildCache {
    steps: BTreeMap<Digest, Cached>,
}

#[derive(Clone, Debug)]
struct Cached {
    layer: Rc<Layer>,
}

impl BuildCache {
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// `docker builder prune`.
    pub fn clear(&mut self) {
        self.steps.clear();
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
}

/// The plain-progress printer: numbered vertices, times from a logical clock.
pub(crate) struct Progress {
    pub lines: Vec<String>,
    next: usize,
}

impl Progress {
    fn vertex(&mut self, title: &str) -> usize {
        let n = self.next;
        self.next += 1;
        self.lines.push(String::new());
        self.lines.push(format!("#{n} {title}"));
        n
    }

    pub fn line(&mut self, n: usize, text: &str) {
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

/// Builds the Dockerfile in `context` on `host`.
pub fn build(
    host: &mut Host,
    registry: &Registry,
    cache: &mut BuildCache,
    context: &Context,
    opts: &BuildOptions,
) -> Built {
    let mut p = Progress {
        lines: vec!["#0 building with \"default\" instance using docker driver".into()],
        next: 1,
    };
    let name = if opts.dockerfile.is_empty() {
        "Dockerfile".to_owned()
    } else {
        opts.dockerfile.clone()
    };
    let mut out = Built::default();
    let n = p.vertex(&format!("[internal] load build definition from {name}"));
    let Some(text) = context
        .file(&name)
        .map(|c| String::from_utf8_lossy(&c.head(1 << 20)).into_owned())
    else {
        p.line(n, "transferring dockerfile: 2B done");
        p.line(n, "DONE 0.0s");
        return fail(out, p, None, &format!("failed to solve: failed to read dockerfile: open {name}: no such file or directory"));
    };
    p.line(n, &format!("transferring dockerfile: {}B done", text.len()));
    p.line(n, "DONE 0.0s");
    let parsed = dockerfile::parse(&text);
    if let Some(d) = parsed
        .diagnostics
        .iter()
        .find(|d| d.severity == dockerfile::Severity::Error)
    {
        let snippet = source_snippet(&name, &text, d.line);
        return fail(
            out,
            p,
            Some(snippet),
            &format!(
                "failed to solve: dockerfile parse error on line {}: {}",
                d.line, d.message
            ),
        );
    }
    let plan = match Plan::new(&parsed.instructions, opts) {
        Ok(plan) => plan,
        Err(msg) => return fail(out, p, None, &format!("failed to solve: {msg}")),
    };
    let mut ctx = context.clone();
    let ignore = ctx
        .file(".dockerignore")
        .map(|c| String::from_utf8_lossy(&c.to_vec()).into_owned());
    let n = p.vertex("[internal] load .dockerignore");
    p.line(
        n,
        &format!(
            "transferring context: {}B done",
            ignore.as_ref().map_or(2, String::len)
        ),
    );
    p.line(n, "DONE 0.0s");
    if let Some(ignore) = &ignore {
        if let Err(e) = ctx.apply_ignore(ignore, &name) {
            return fail(out, p, None, &format!("failed to solve: {e}"));
        }
    }
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
    };
    let mut final_stage = None;
    for &si in &plan.needed {
        match builder.stage(&plan.stages[si], si, plan.counts[si]) {
            Ok(stage) => {
                final_stage = Some(stage.clone());
                builder.stages.push(stage);
            }
            Err(msg) => {
                let steps::Builder {
                    progress, steps, ..
                } = builder;
                out.steps = steps;
                return fail(out, progress, None, &msg);
            }
        }
    }
    let Some(stage) = final_stage else {
        let steps::Builder { progress, .. } = builder;
        return fail(
            out,
            progress,
            None,
            "failed to solve: dockerfile contains no stages to build",
        );
    };
    let steps::Builder {
        host,
        mut progress,
        steps,
        ..
    } = builder;
    out.steps = steps;
    let n = progress.vertex("exporting to image");
    progress.line(n, "exporting layers 0.1s done");
    let mut config = stage.config.clone();
    config.created = crate::clock::rfc3339(host.now());
    let outcome = host.add_image(config, stage.layers.clone(), opts.tag.as_ref());
    progress.line(n, &format!("writing image {} done", outcome.value));
    if let Some(tag) = &opts.tag {
        progress.line(
            n,
            &format!("naming to docker.io/{}:{} done", tag.remote_path(), tag.tag),
        );
    }
    progress.line(n, "DONE 0.1s");
    out.lines = progress.lines;
    out.image = Some(outcome.value);
    out.events = outcome.events;
    out
}

/// Ends the output with the error; a message `SNIPPET\0TEXT` prints the snippet first.
fn fail(mut out: Built, mut p: Progress, snippet: Option<String>, msg: &str) -> Built {
    let (snippet, msg) = match msg.split_once('\0') {
        Some((s, m)) => (Some(s.to_owned()), m),
        None => (snippet, msg),
    };
    if let Some(s) = snippet {
        p.lines.extend(s.lines().map(str::to_owned));
    }
    p.lines.push(format!("ERROR: {msg}"));
    out.lines = p.lines;
    out.status = 1;
    out
}

/// `Dockerfile:3` and the lines around it, the failing one marked `>>>`.
pub(crate) fn source_snippet(name: &str, text: &str, line: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
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

/// The Dockerfile cut into stages, and which of them the target needs.
struct Plan<'a> {
    global_args: BTreeMap<String, String>,
    stages: Vec<Vec<&'a Instruction>>,
    counts: Vec<usize>,
    needed: Vec<usize>,
}

impl<'a> Plan<'a> {
    fn new(instructions: &'a [Instruction], opts: &BuildOptions) -> Result<Plan<'a>, String> {
        let mut global_args = BTreeMap::new();
        let mut stages: Vec<Vec<&Instruction>> = Vec::new();
        for i in instructions {
            match i.keyword {
                Some(Keyword::From) => stages.push(vec![i]),
                Some(Keyword::Arg) if stages.is_empty() => {
                    if let Args::Words(words) = &i.args {
                        for w in words {
                            let (k, v) = w.split_once('=').unwrap_or((w, ""));
                            let v = opts
                                .build_args
                                .get(k)
                                .cloned()
                                .unwrap_or_else(|| v.to_owned());
                            global_args.insert(k.to_owned(), v);
                        }
                    }
                }
                _ => {
                    if let Some(s) = stages.last_mut() {
                        s.push(i);
                    }
                }
            }
        }
        if stages.is_empty() {
            return Err("dockerfile contains no stages to build".into());
        }
        let names: Vec<Option<String>> = stages.iter().map(|s| stage_name(s[0])).collect();
        let target = match &opts.target {
            Some(t) => names
                .iter()
                .position(|n| n.as_deref() == Some(t.to_ascii_lowercase().as_str()))
                .ok_or_else(|| format!("target stage \"{t}\" could not be found"))?,
            None => stages.len() - 1,
        };
        // Stages the target needs: FROM <stage> and COPY --from=<stage>.
        let mut needed = vec![false; stages.len()];
        let mut todo = vec![target];
        while let Some(s) = todo.pop() {
            if needed[s] {
                continue;
            }
            needed[s] = true;
            for i in &stages[s] {
                let dep = match i.keyword {
                    Some(Keyword::From) => match &i.args {
                        Args::Words(w) => w.first().cloned(),
                        _ => None,
                    },
                    Some(Keyword::Copy | Keyword::Add) => i
                        .flags
                        .iter()
                        .find(|f| f.name == "from")
                        .and_then(|f| f.value.clone()),
                    _ => None,
                };
                if let Some(dep) = dep {
                    let lower = dep.to_ascii_lowercase();
                    let found = names[..s]
                        .iter()
                        .position(|n| n.as_deref() == Some(lower.as_str()))
                        .or_else(|| lower.parse::<usize>().ok().filter(|n| *n < s));
                    if let Some(d) = found {
                        todo.push(d);
                    }
                }
            }
        }
        let counts = stages
            .iter()
            .map(|s| s.iter().filter(|i| steps::is_vertex(i)).count())
            .collect();
        Ok(Plan {
            global_args,
            counts,
            needed: (0..stages.len()).filter(|s| needed[*s]).collect(),
            stages,
        })
    }
}

pub(crate) fn stage_name(from: &Instruction) -> Option<String> {
    match &from.args {
        Args::Words(w) if w.len() == 3 => Some(w[2].to_ascii_lowercase()),
        _ => None,
    }
}
