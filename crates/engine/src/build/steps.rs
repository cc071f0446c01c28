//! What each instruction does to a stage: RUN through the shell, COPY and ADD
//! from the context or another stage, WORKDIR, and the metadata instructions
//! that only change the config and the history.

use super::context::Context;
use super::error::{CopyError, StepError};
use super::{vars, BuildCache, BuildError, BuildOptions, Cached, Progress, Stage, Step};
use crate::diff::Diff;
use crate::digest::Digest;
use crate::dockerfile::{Instruction, Keyword};
use crate::host::{Host, HostEvent};
use crate::image::{History, RunConfig};
use crate::lower::Lower;
use crate::map::Map;
use crate::merged::Merged;
use crate::registry::Registry;
use std::rc::Rc;

pub(crate) struct Builder<'a> {
    pub host: &'a mut Host,
    pub registry: &'a Registry,
    pub cache: &'a mut BuildCache,
    pub context: &'a Context,
    pub opts: &'a BuildOptions,
    pub progress: Progress,
    pub steps: Vec<Step>,
    pub stages: Vec<Stage>,
    pub global_args: Map<String, String>,
    pub dockerfile: String,
    pub source: String,
    pub context_sent: bool,
    /// Legacy builder: the step number so far and the Dockerfile's instruction count.
    pub step: usize,
    pub total: usize,
    /// Host events of the steps (legacy intermediate images, pulled bases).
    pub events: Vec<HostEvent>,
    /// The base images whose `load metadata` vertex is already shown.
    pub metadata: Vec<String>,
    /// How many stages the Dockerfile has.
    pub stage_count: usize,
    /// FROM steps of a base an earlier build resolved: their status line
    /// and vertex.
    pub from_lines: Vec<(usize, usize)>,
    /// The FROM vertices this build shows (one per base image).
    pub shown_bases: Vec<Digest>,
    /// The context's files COPY and ADD selected: what the client sent.
    pub context_files: crate::map::Set<String>,
    /// The step being made is a RUN: BuildKit bind-mounts `/etc/hosts` and
    /// `/etc/resolv.conf` into its container.
    pub run_mounts: bool,
}

/// How a step that makes a layer is recorded in history: BuildKit's text, the
/// legacy builder's, and whether the legacy builder runs it in a container.
pub(super) struct Texts {
    pub buildkit: String,
    pub legacy: String,
    pub container: bool,
    /// RUN's command, kept by the container a failed legacy RUN leaves behind.
    pub argv: Vec<String>,
}

/// A step's work that failed: why, the exit status and the output so far.
pub(crate) struct Failed {
    pub msg: StepError,
    pub status: i32,
    pub output: Vec<String>,
}

impl From<StepError> for Failed {
    fn from(msg: StepError) -> Failed {
        Failed {
            msg,
            status: 1,
            output: Vec::new(),
        }
    }
}

impl From<CopyError> for Failed {
    fn from(e: CopyError) -> Failed {
        Failed::from(StepError::Copy(e))
    }
}

impl From<crate::error::FsError> for Failed {
    fn from(e: crate::error::FsError) -> Failed {
        Failed::from(StepError::Fs(e))
    }
}

/// Instructions that are build steps (vertices) in BuildKit's output.
pub(crate) fn is_vertex(i: &Instruction) -> bool {
    matches!(
        i.keyword,
        Some(Keyword::From | Keyword::Run | Keyword::Copy | Keyword::Add | Keyword::Workdir)
    )
}

/// Go's `%q` of a string list, as BuildKit writes CMD and friends in history.
pub(super) fn go_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| crate::table::go_quote(s)).collect();
    format!("[{}]", quoted.join(" "))
}

impl Builder<'_> {
    pub(super) fn err_at(&self, line: usize, msg: impl std::fmt::Display) -> BuildError {
        if self.opts.legacy {
            return BuildError::other(msg);
        }
        BuildError::at(
            line,
            super::source_snippet(&self.dockerfile, &self.source, line),
            msg,
        )
    }

    /// The `.dockerignore` vertex, after the bases' metadata; the classic
    /// builder counts global ARGs as steps, shown before the first FROM.
    pub(super) fn load_dockerignore(&mut self, instructions: &[Instruction], ignore: Option<&str>) {
        let n = self.progress.vertex("[internal] load .dockerignore");
        let sent = match ignore {
            Some(text) => super::transfer_size(".dockerignore", text.len() as u64),
            None => "2B".to_owned(),
        };
        self.progress
            .line(n, &format!("transferring context: {sent} done"));
        self.progress.line(n, "DONE 0.0s");
        // The legacy builder counts global ARGs as steps.
        if self.opts.legacy {
            for i in instructions
                .iter()
                .take_while(|i| i.keyword == Some(Keyword::Arg))
            {
                self.step += 1;
                let line = format!("Step {}/{} : {}", self.step, self.total, i.original);
                self.progress.say(line);
            }
        }
    }

    /// Builds one stage.
    pub fn stage(
        &mut self,
        instructions: &[&Instruction],
        index: usize,
        total: usize,
    ) -> Result<Stage, BuildError> {
        let from = instructions[0];
        if self.opts.legacy {
            let label = self.legacy_label(from);
            self.progress.say(label);
        }
        // FROM scratch is no step of BuildKit's: `[1/1] COPY …`.
        let scratch = !self.opts.legacy && super::is_scratch(from, &self.global_args);
        let total = total - usize::from(scratch);
        let mut stage = self.from(from, index, total)?;
        let mut n = usize::from(!scratch);
        for i in &instructions[1..] {
            if is_vertex(i) {
                n += 1;
            }
            let label = if self.opts.legacy {
                let label = self.legacy_label(i);
                self.progress.say(label.clone());
                label
            } else {
                // BuildKit names a step with the stage's variables expanded.
                let vars = self.vars(&stage);
                format!(
                    "[{}{n}/{total}] {}",
                    self.stage_prefix(stage.name.as_deref(), index),
                    vars::expand_shown(&i.original, &vars)
                )
            };
            if let Err(why) = self.opts.budget.step() {
                return Err(BuildError::solve(why));
            }
            self.instruction(&mut stage, i, &label)?;
            if self.opts.legacy {
                let id = stage.image.as_ref().map_or("", Digest::short);
                self.progress.say(format!(" ---> {id}"));
            }
        }
        Ok(stage)
    }

    pub(super) fn vars(&self, stage: &Stage) -> Map<String, String> {
        let mut v = Map::new();
        for (k, val) in &stage.args {
            v.insert(k.clone(), val.clone());
        }
        for e in &stage.config.config.env {
            let (k, val) = e.split_once('=').unwrap_or((e, ""));
            v.insert(k.to_owned(), val.to_owned());
        }
        v
    }

    /// A step's stage in its name: the stage's own name, or `stage-N` for an
    /// unnamed stage of a Dockerfile with several.
    pub(super) fn stage_prefix(&self, name: Option<&str>, index: usize) -> String {
        match name {
            Some(n) => format!("{n} "),
            None if self.stage_count > 1 => format!("stage-{index} "),
            None => String::new(),
        }
    }

    pub(super) fn shell_of(&self, stage: &Stage) -> Vec<String> {
        shell(&stage.config.config)
    }

    /// BuildKit's history entry; an entry without a layer is left undated
    /// until the export dates it ([`super::BuildCache::date_history`]).
    pub(super) fn history(&mut self, stage: &mut Stage, created_by: String, empty: bool) {
        let mut h = History::new(
            self.host.now(),
            &created_by,
            "buildkit.dockerfile.v0",
            empty,
        );
        if empty {
            h.created = String::new();
        }
        h.author = String::new();
        stage.config.history.push(h);
    }

    pub(super) fn instruction(
        &mut self,
        stage: &mut Stage,
        i: &Instruction,
        label: &str,
    ) -> Result<(), BuildError> {
        let Some(kw) = i.keyword else { return Ok(()) };
        match kw {
            Keyword::Run => self.run(stage, i, label),
            Keyword::Copy | Keyword::Add => self.copy(stage, i, label, kw),
            Keyword::Workdir => self.workdir(stage, i, label),
            _ => self.metadata(stage, i, label, kw),
        }
    }

    /// A step that makes a layer: from the cache when its key is known, else by
    /// running `work` on a writable layer over the stage's layers.
    pub(super) fn layer_step(
        &mut self,
        stage: &mut Stage,
        i: &Instruction,
        label: &str,
        step_key: Digest,
        texts: Texts,
        work: impl FnOnce(&mut Merged) -> Result<Vec<String>, Failed>,
    ) -> Result<(), Failed> {
        if self.opts.legacy {
            return self.legacy_layer_step(stage, i, label, texts, work);
        }
        let v = self.progress.vertex(label);
        let hit = if self.opts.no_cache {
            None
        } else {
            self.cache.steps.get(&step_key).cloned()
        };
        let (layer, cached, output) = match hit {
            Some(c) => {
                self.progress.line(v, "CACHED");
                (c.layer, true, Vec::new())
            }
            None => {
                let mut fs = self.step_fs(stage);
                let output = match work(&mut fs) {
                    Ok(o) => o,
                    Err(f) => {
                        let mut step = Step::failed(i.start_line, label, f.status);
                        step.output = f.output.clone();
                        self.steps.push(step);
                        return Err(f);
                    }
                };
                for (k, line) in output.iter().enumerate() {
                    self.progress
                        .line(v, &format!("{}.{:03} {line}", k / 1000, 100 + k % 900));
                }
                // What a RUN wrote to its bind-mounted files is not in the layer.
                let diff: Diff = if fs.mounts().is_empty() {
                    fs.into_upper()
                } else {
                    fs.upper_unmounted()
                };
                let layer = self.host.new_layer(diff);
                let now = self.host.now();
                if let Some(parent) = stage.layers.last() {
                    self.cache.used(parent.id, now);
                }
                self.cache.made(layer.id, layer.size(), now);
                self.cache.steps.insert(
                    step_key.clone(),
                    Cached {
                        layer: layer.clone(),
                        created: self.host.now(),
                    },
                );
                // A logical duration: 0.1 s plus 1 s per 100 MB, in tenths.
                let tenths = 1 + (layer.size() + 5_000_000) / 10_000_000;
                self.progress
                    .line(v, &format!("DONE {}.{}s", tenths / 10, tenths % 10));
                (layer, false, output)
            }
        };
        self.steps.push(Step {
            line: i.start_line,
            label: label.to_owned(),
            cached,
            layer: Some(layer.id),
            size: layer.size(),
            output,
            failed: None,
        });
        stage.layers.push(layer);
        stage.key = step_key;
        self.history(stage, texts.buildkit, false);
        Ok(())
    }

    /// The context's record, once COPY or ADD read from it: the bytes of the
    /// files they selected.
    pub(super) fn record_context(&mut self) {
        if self.opts.legacy || !self.context_sent {
            return;
        }
        let size: u64 = self
            .context
            .entries
            .iter()
            .filter(|e| self.context_files.contains(&e.path))
            .map(|e| e.node.size())
            .sum();
        let now = self.host.now();
        self.cache
            .sent("context", &self.opts.context_dir, size, now);
    }

    /// A writable layer over the stage's layers, stamped with the host's time.
    pub(super) fn step_fs(&self, stage: &Stage) -> Merged {
        let mut layers = stage.layers.clone();
        let mut mounted = Vec::new();
        if self.run_mounts {
            // Files a RUN sees and its layer never holds: a stub layer under
            // the writable one, bind-mounted so they cannot be removed.
            let below = Merged::new(Rc::new(Lower::new(layers.clone())));
            if let Ok(etc) = below.stat("/etc") {
                if matches!(etc.node, crate::merged::Node::Dir { .. }) {
                    let mut stub = Diff::new();
                    for name in ["hosts", "resolv.conf"] {
                        let path = format!("/etc/{name}");
                        if below.lstat(&path).is_err() {
                            if let Ok(p) = crate::path::FsPath::lexical(&path[1..]) {
                                let meta = crate::diff::Meta::new(0o644, self.host.now());
                                stub.put_file(p, meta, crate::content::Content::empty());
                            }
                        }
                        mounted.push(path);
                    }
                    if let Ok(p) = crate::path::FsPath::lexical("etc") {
                        stub.put(
                            p,
                            crate::diff::Entry::Dir {
                                meta: etc.node.meta(),
                                opaque: false,
                            },
                        );
                    }
                    layers.push(Rc::new(crate::layer::Layer::new(
                        crate::layer::LayerId(u64::MAX),
                        stub,
                    )));
                }
            }
        }
        let mut fs = Merged::new(Rc::new(Lower::new(layers)));
        for m in &mounted {
            fs.bind(m);
        }
        fs.set_time(self.host.now());
        fs
    }
}

/// The shell RUN and the shell forms of CMD and ENTRYPOINT go through:
/// SHELL's, else `/bin/sh -c`.
pub(super) fn shell(cfg: &RunConfig) -> Vec<String> {
    if cfg.shell.is_empty() {
        vec!["/bin/sh".to_owned(), "-c".to_owned()]
    } else {
        cfg.shell.clone()
    }
}

/// The working directory steps run in: WORKDIR's, else `/`.
pub(super) fn working_dir(cfg: &RunConfig) -> String {
    if cfg.working_dir.is_empty() {
        "/".to_owned()
    } else {
        cfg.working_dir.clone()
    }
}
