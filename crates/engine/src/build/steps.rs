//! What each instruction does to a stage: RUN through the shell, COPY and ADD
//! from the context or another stage, WORKDIR, and the metadata instructions
//! that only change the config and the history.

use super::context::{clean, Context, Entry};
use super::{key, vars, BuildCache, BuildOptions, Cached, Progress, Stage, Step};
use crate::content::Content;
use crate::diff::Diff;
use crate::digest::Digest;
use crate::dockerfile::{Args, Instruction, Keyword};
use crate::host::{Host, HostEvent};
use crate::image::{History, ImageConfig};
use crate::layer::Layer;
use crate::lower::Lower;
use crate::map::Map;
use crate::merged::{Merged, Node, WriteMode, DIR_MODE};
use crate::reference::Reference;
use crate::registry::Registry;
use crate::shell::{account_id, Shell};
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
}

/// How a step that makes a layer is recorded in history: BuildKit's text, the
/// legacy builder's, and whether the legacy builder runs it in a container.
struct Texts {
    buildkit: String,
    legacy: String,
    container: bool,
    /// RUN's command, kept by the container a failed legacy RUN leaves behind.
    argv: Vec<String>,
}

/// A step's work that failed: the message, the exit status and the output so far.
pub(crate) struct Failed {
    msg: String,
    status: i32,
    output: Vec<String>,
}

impl From<String> for Failed {
    fn from(msg: String) -> Failed {
        Failed {
            msg,
            status: 1,
            output: Vec::new(),
        }
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
fn go_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| crate::table::go_quote(s)).collect();
    format!("[{}]", quoted.join(" "))
}

impl Builder<'_> {
    fn err_at(&self, line: usize, msg: &str) -> String {
        if self.opts.legacy {
            return msg.to_owned();
        }
        format!(
            "{}\0failed to solve: {msg}",
            super::source_snippet(&self.dockerfile, &self.source, line)
        )
    }

    /// Builds one stage.
    pub fn stage(
        &mut self,
        instructions: &[&Instruction],
        index: usize,
        total: usize,
    ) -> Result<Stage, String> {
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
                return Err(format!("failed to solve: {why}"));
            }
            self.instruction(&mut stage, i, &label)?;
            if self.opts.legacy {
                let id = stage.image.as_ref().map_or("", Digest::short);
                self.progress.say(format!(" ---> {id}"));
            }
        }
        Ok(stage)
    }

    /// `Step 3/4 : RUN make /app`
    fn legacy_label(&mut self, i: &Instruction) -> String {
        self.step += 1;
        format!("Step {}/{} : {}", self.step, self.total, i.original)
    }

    fn vars(&self, stage: &Stage) -> Map<String, String> {
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
    fn stage_prefix(&self, name: Option<&str>, index: usize) -> String {
        match name {
            Some(n) => format!("{n} "),
            None if self.stage_count > 1 => format!("stage-{index} "),
            None => String::new(),
        }
    }

    /// BuildKit's vertices after the Dockerfile's: `load metadata` for each
    /// base image the stages name, once each, in order; it resolves them all
    /// before it reads `.dockerignore`. A base it cannot find is left for its
    /// FROM to report.
    pub fn load_metadata(&mut self, instructions: &[Instruction]) {
        let mut stage_names: Vec<String> = Vec::new();
        for i in instructions
            .iter()
            .filter(|i| i.keyword == Some(Keyword::From))
        {
            let Args::Words(words) = &i.args else {
                continue;
            };
            let raw = words.first().cloned().unwrap_or_default();
            let Ok(base) = vars::expand(&raw, &self.global_args) else {
                continue;
            };
            let lower = base.to_ascii_lowercase();
            let local = lower == "scratch" || stage_names.contains(&lower);
            stage_names.extend(super::stage_name(i));
            let Ok(reference) = Reference::parse(&base) else {
                continue;
            };
            let shown = format!("docker.io/{}:{}", reference.remote_path(), reference.tag);
            let found = self.host.image(&base).is_ok() || self.registry.get(&reference).is_some();
            if local || !found || self.metadata.contains(&shown) {
                continue;
            }
            let n = self
                .progress
                .vertex(&format!("[internal] load metadata for {shown}"));
            self.progress.line(n, "DONE 0.1s");
            self.metadata.push(shown);
        }
    }

    fn from(&mut self, i: &Instruction, index: usize, total: usize) -> Result<Stage, String> {
        let Args::Words(words) = &i.args else {
            return Err("FROM requires either one or three arguments".into());
        };
        let raw = words.first().cloned().unwrap_or_default();
        let base =
            vars::expand(&raw, &self.global_args).map_err(|e| self.err_at(i.start_line, &e))?;
        if base.is_empty() {
            return Err(self.err_at(
                i.start_line,
                &format!("base name ({raw}) should not be blank"),
            ));
        }
        let name = super::stage_name(i);
        let prefix = self.stage_prefix(name.as_deref(), index);
        let lower = base.to_ascii_lowercase();
        if let Some(prev) = self
            .stages
            .iter()
            .find(|s| s.name.as_deref() == Some(lower.as_str()))
        {
            let mut s = prev.clone();
            s.name = name;
            s.index = index;
            if self.opts.legacy {
                let id = s.image.as_ref().map_or("", Digest::short);
                self.progress.say(format!(" ---> {id}"));
            }
            return Ok(s);
        }
        if lower == "scratch" {
            let mut config = ImageConfig::scratch(self.host.now());
            // BuildKit sets `/`; the legacy builder leaves it empty.
            if !self.opts.legacy {
                config.config.working_dir = "/".into();
            }
            if self.opts.legacy {
                self.progress.say(" ---> ");
            }
            return Ok(Stage {
                name,
                index,
                layers: Vec::new(),
                config,
                key: key(&["scratch"]),
                args: Vec::new(),
                image: None,
            });
        }
        let reference = Reference::parse(&base).map_err(|e| self.err_at(i.start_line, &e.0))?;
        if self.opts.legacy {
            return self.legacy_from(&base, name, index);
        }
        let shown = format!("docker.io/{}:{}", reference.remote_path(), reference.tag);
        let n = (!self.metadata.contains(&shown)).then(|| {
            self.progress
                .vertex(&format!("[internal] load metadata for {shown}"))
        });
        let (layers, config, id) = match self.host.image(&base) {
            Ok(image) => (image.layers.clone(), image.config.clone(), image.id.clone()),
            Err(_) => match self.registry.get(&reference) {
                Some(served) => {
                    let id = crate::image::Image::new(
                        served.config.clone(),
                        served.layers.clone(),
                        self.host.init_layer().clone(),
                        served.created,
                    )
                    .id;
                    (served.layers.clone(), served.config.clone(), id)
                }
                None => {
                    if let Some(n) = n {
                        self.progress.line(n, &format!("ERROR: {shown}: not found"));
                    }
                    return Err(format!(
                        "failed to solve: {base}: failed to resolve source metadata for {shown}: {shown}: not found"
                    ));
                }
            },
        };
        if let Some(n) = n {
            self.progress.line(n, "DONE 0.1s");
        }
        let label = format!("[{prefix}1/{total}] FROM {shown}");
        // Two stages FROM one image are one vertex of BuildKit's, shown once.
        let from_key = key(&["FROM", id.as_str()]);
        if self.shown_bases.contains(&from_key) {
            self.steps.push(Step {
                line: i.start_line,
                label,
                cached: true,
                layer: None,
                size: 0,
                output: Vec::new(),
                failed: None,
            });
            return Ok(Stage {
                name,
                index,
                layers,
                config,
                key: from_key,
                args: Vec::new(),
                image: None,
            });
        }
        self.shown_bases.push(from_key.clone());
        let v = self.progress.vertex(&label);
        // BuildKit reports the base CACHED when its layers are already stored.
        let diff_ids: Vec<Digest> = layers.iter().map(|l| l.diff_id().clone()).collect();
        let cached = crate::digest::chain_ids(&diff_ids)
            .iter()
            .all(|c| self.host.has_layer(c));
        // A base already in the image store is DONE at once, not CACHED;
        // one an earlier build resolved shows CACHED if a step of this
        // build runs (decided once the steps are known).
        if self.cache.bases.contains(&from_key) {
            self.from_lines.push((self.progress.lines.len(), v));
        } else {
            self.cache.bases.push(from_key);
        }
        self.progress
            .line(v, if cached { "DONE 0.0s" } else { "DONE 0.1s" });
        self.steps.push(Step {
            line: i.start_line,
            label,
            cached,
            layer: None,
            size: 0,
            output: Vec::new(),
            failed: None,
        });
        Ok(Stage {
            name,
            index,
            layers,
            config,
            key: key(&["FROM", id.as_str()]),
            args: Vec::new(),
            image: None,
        })
    }

    /// The legacy builder's FROM: the base image must be in the image store, so
    /// a missing one is pulled (and tagged) as `docker pull` would.
    fn legacy_from(
        &mut self,
        base: &str,
        name: Option<String>,
        index: usize,
    ) -> Result<Stage, String> {
        if self.host.image(base).is_err() {
            let pull = self.registry.pull(self.host, base)?;
            // The pull prints its progress but not the tag or reference lines.
            let shown = pull.lines.len().saturating_sub(1);
            for line in pull.lines.iter().take(shown) {
                if !line.starts_with("Using default tag") {
                    self.progress.say(line.clone());
                }
            }
            self.events.extend(pull.events);
        }
        let image = self.host.image(base).map_err(|e| e.to_string())?.clone();
        self.progress.say(format!(" ---> {}", image.id.short()));
        Ok(Stage {
            name,
            index,
            layers: image.layers.clone(),
            config: image.config.clone(),
            key: key(&["FROM", image.id.as_str()]),
            args: Vec::new(),
            image: Some(image.id.clone()),
        })
    }

    /// The legacy builder's cache: a child of the current image whose last
    /// history entry and run config are what this step would make.
    fn probe(&self, stage: &Stage, created_by: &str) -> Option<Rc<crate::image::Image>> {
        if self.opts.no_cache {
            return None;
        }
        self.host
            .images()
            .find(|img| {
                img.parent == stage.image
                    && img.config.history.last().map(|h| h.created_by.as_str()) == Some(created_by)
                    && img.config.config == stage.config.config
            })
            .cloned()
    }

    /// The legacy builder commits every step as an image whose parent is the
    /// previous step's; a layer only when the step changed files.
    fn commit_step(&mut self, stage: &mut Stage, created_by: &str, layer: Option<Rc<Layer>>) {
        let mut h = History::new(self.host.now(), created_by, "", layer.is_none());
        h.author = String::new();
        stage.config.history.push(h);
        if let Some(layer) = layer {
            stage.layers.push(layer);
        }
        let mut config = stage.config.clone();
        config.created = crate::clock::rfc3339(self.host.now());
        let outcome = self.host.add_image(config, stage.layers.clone(), None);
        self.host.set_parent(&outcome.value, stage.image.clone());
        self.events.extend(outcome.events);
        stage.image = Some(outcome.value);
    }

    /// Takes a cached step's image as the new state.
    fn adopt(&mut self, stage: &mut Stage, image: &crate::image::Image) {
        self.progress.say(" ---> Using cache");
        stage.layers = image.layers.clone();
        stage.config = image.config.clone();
        stage.image = Some(image.id.clone());
    }

    /// A metadata step of the legacy builder: a container is created and
    /// committed without running anything; no layer.
    fn legacy_metadata(&mut self, stage: &mut Stage, i: &Instruction, label: &str, text: &str) {
        let shell = self.shell_of(stage).join(" ");
        let created_by = format!("{shell} #(nop)  {text}");
        let cached = match self.probe(stage, &created_by) {
            Some(image) => {
                self.adopt(stage, &image);
                true
            }
            None => {
                let cid = self
                    .host
                    .build_container_id(stage.image.as_ref(), &created_by);
                self.progress
                    .say(format!(" ---> Running in {}", &cid[..12]));
                self.progress.say(format!(
                    " ---> Removed intermediate container {}",
                    &cid[..12]
                ));
                self.commit_step(stage, &created_by, None);
                false
            }
        };
        self.steps.push(Step {
            line: i.start_line,
            label: label.to_owned(),
            cached,
            layer: None,
            size: 0,
            output: Vec::new(),
            failed: None,
        });
    }

    fn shell_of(&self, stage: &Stage) -> Vec<String> {
        if stage.config.config.shell.is_empty() {
            vec!["/bin/sh".to_owned(), "-c".to_owned()]
        } else {
            stage.config.config.shell.clone()
        }
    }

    /// BuildKit's history entry; an entry without a layer is left undated
    /// until the export dates it ([`super::BuildCache::date_history`]).
    fn history(&mut self, stage: &mut Stage, created_by: String, empty: bool) {
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

    fn instruction(
        &mut self,
        stage: &mut Stage,
        i: &Instruction,
        label: &str,
    ) -> Result<(), String> {
        let Some(kw) = i.keyword else { return Ok(()) };
        let vars = self.vars(stage);
        let expand = |s: &str| vars::expand(s, &vars);
        let at = |e: String| self.err_at(i.start_line, &e);
        let rest = match &i.args {
            Args::Shell(s) => s.clone(),
            Args::Json(v) | Args::Words(v) => v.join(" "),
            Args::Pairs(p) => p
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" "),
        };
        match kw {
            Keyword::Run => return self.run(stage, i, label),
            Keyword::Copy | Keyword::Add => return self.copy(stage, i, label, kw),
            Keyword::Workdir => {
                let dir = expand(rest.trim()).map_err(at)?;
                let cwd = if stage.config.config.working_dir.is_empty() {
                    "/".to_owned()
                } else {
                    stage.config.config.working_dir.clone()
                };
                let abs = if dir.starts_with('/') {
                    format!("/{}", clean(&dir))
                } else {
                    format!("/{}", clean(&format!("{cwd}/{dir}")))
                };
                stage.config.config.working_dir = abs.clone();
                if abs != "/" || self.opts.legacy {
                    let step_key = key(&[stage.key.as_str(), "WORKDIR", &abs]);
                    let texts = Texts {
                        buildkit: format!("WORKDIR {abs}"),
                        legacy: format!("{} #(nop) WORKDIR {abs}", self.shell_of(stage).join(" ")),
                        container: true,
                        argv: Vec::new(),
                    };
                    self.layer_step(stage, i, label, step_key, texts, |fs| {
                        fs.mkdir_all(&abs, DIR_MODE)
                            .map(|_| Vec::new())
                            .map_err(|e| Failed::from(e.to_string()))
                    })
                    .map_err(|f| f.msg)?;
                }
                return Ok(());
            }
            _ => {}
        }
        let mut legacy_text = None;
        let cfg = &mut stage.config.config;
        let created_by = match kw {
            Keyword::Env | Keyword::Label => {
                let Args::Pairs(pairs) = &i.args else {
                    return Ok(());
                };
                let mut shown = Vec::new();
                for (k, v) in pairs {
                    let (k, v) = (expand(k).map_err(at)?, expand(v).map_err(at)?);
                    shown.push(format!("{k}={v}"));
                    if kw == Keyword::Env {
                        cfg.env
                            .retain(|e| e.split_once('=').map_or(e.as_str(), |(n, _)| n) != k);
                        cfg.env.push(format!("{k}={v}"));
                    } else {
                        cfg.labels.insert(k, v);
                    }
                }
                if kw == Keyword::Env {
                    stage.key = key(&[stage.key.as_str(), "ENV", &shown.join(" ")]);
                }
                format!("{} {}", kw.name(), shown.join(" "))
            }
            Keyword::Arg => {
                let Args::Words(words) = &i.args else {
                    return Ok(());
                };
                let mut shown = Vec::new();
                for w in words {
                    let (k, default) = match w.split_once('=') {
                        Some((k, v)) => (k.to_owned(), Some(expand(v).map_err(at)?)),
                        None => (w.clone(), None),
                    };
                    let value = self
                        .opts
                        .build_args
                        .get(&k)
                        .cloned()
                        .or(default.clone())
                        .or_else(|| self.global_args.get(&k).cloned())
                        .unwrap_or_default();
                    stage.args.retain(|(n, _)| n != &k);
                    stage.args.push((k.clone(), value.clone()));
                    shown.push(match default {
                        Some(d) => format!("{k}={d}"),
                        None => k,
                    });
                }
                stage.key = key(&[
                    stage.key.as_str(),
                    "ARG",
                    &stage
                        .args
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join("\0"),
                ]);
                format!("ARG {}", shown.join(" "))
            }
            Keyword::Cmd | Keyword::Entrypoint => {
                let list = match &i.args {
                    Args::Json(v) => v.clone(),
                    _ => {
                        let mut sh = if cfg.shell.is_empty() {
                            vec!["/bin/sh".to_owned(), "-c".to_owned()]
                        } else {
                            cfg.shell.clone()
                        };
                        sh.push(rest.clone());
                        sh
                    }
                };
                let shown = format!("{} {}", kw.name(), go_list(&list));
                if kw == Keyword::Cmd {
                    cfg.cmd = Some(list);
                } else {
                    cfg.entrypoint = Some(list);
                    cfg.cmd = None;
                }
                if !matches!(i.args, Args::Json(_)) {
                    cfg.args_escaped = true;
                }
                shown
            }
            Keyword::Expose => {
                let Args::Words(words) = &i.args else {
                    return Ok(());
                };
                let mut ports: Vec<String> = Vec::new();
                for w in words {
                    for p in expand(w).map_err(at)?.split_whitespace() {
                        let p = if p.contains('/') {
                            p.to_owned()
                        } else {
                            format!("{p}/tcp")
                        };
                        cfg.exposed_ports.insert(p.clone(), Default::default());
                        ports.push(p);
                    }
                }
                crate::sort::sort(&mut ports);
                let mut words = words.clone();
                crate::sort::sort(&mut words);
                legacy_text = Some(format!("EXPOSE {}", words.join(" ")));
                format!("EXPOSE [{}]", ports.join(" "))
            }
            Keyword::Volume => {
                let list = match &i.args {
                    Args::Json(v) | Args::Words(v) => v.clone(),
                    _ => Vec::new(),
                };
                for v in &list {
                    cfg.volumes
                        .insert(expand(v).map_err(at)?, Default::default());
                }
                format!("VOLUME [{}]", list.join(" "))
            }
            Keyword::User => {
                cfg.user = expand(rest.trim()).map_err(at)?;
                stage.key = key(&[stage.key.as_str(), "USER", &cfg.user]);
                format!("USER {}", cfg.user)
            }
            Keyword::Stopsignal => {
                cfg.stop_signal = expand(rest.trim()).map_err(at)?;
                format!("STOPSIGNAL {}", cfg.stop_signal)
            }
            Keyword::Shell => {
                if let Args::Json(v) = &i.args {
                    cfg.shell = v.clone();
                }
                stage.key = key(&[stage.key.as_str(), "SHELL", &cfg.shell.join("\0")]);
                format!("SHELL {}", go_list(&cfg.shell).replace('"', ""))
            }
            Keyword::Maintainer => {
                stage.config.author = rest.trim().to_owned();
                format!("MAINTAINER {}", rest.trim())
            }
            Keyword::Onbuild => {
                cfg.on_build.push(rest.trim().to_owned());
                if !self.opts.legacy {
                    // BuildKit writes no history entry for ONBUILD.
                    return Ok(());
                }
                format!("ONBUILD {}", rest.trim())
            }
            Keyword::Healthcheck => {
                let check = super::health::healthcheck(i, &rest).map_err(at)?;
                cfg.healthcheck = Some(check.clone());
                let shown = check.shown();
                legacy_text = Some(format!("HEALTHCHECK &{shown}"));
                format!("HEALTHCHECK {shown}")
            }
            Keyword::From | Keyword::Run | Keyword::Copy | Keyword::Add | Keyword::Workdir => {
                return Ok(())
            }
        };
        if self.opts.legacy {
            let text = legacy_text.unwrap_or(created_by);
            self.legacy_metadata(stage, i, label, &text);
        } else {
            self.history(stage, created_by, true);
        }
        Ok(())
    }

    /// A step that makes a layer: from the cache when its key is known, else by
    /// running `work` on a writable layer over the stage's layers.
    fn layer_step(
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
                let diff: Diff = fs.into_upper();
                let layer = self.host.new_layer(diff);
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

    /// A writable layer over the stage's layers, stamped with the host's time.
    fn step_fs(&self, stage: &Stage) -> Merged {
        let mut fs = Merged::new(Rc::new(Lower::new(stage.layers.clone())));
        fs.set_time(self.host.now());
        fs
    }

    /// The legacy builder's RUN, COPY, ADD and WORKDIR: `Using cache` when the
    /// image store has the step's image, else the step runs (in a container
    /// for RUN and WORKDIR) and is committed; an unchanged file system gives
    /// no layer. A failed RUN leaves its container behind, `Exited`.
    fn legacy_layer_step(
        &mut self,
        stage: &mut Stage,
        i: &Instruction,
        label: &str,
        texts: Texts,
        work: impl FnOnce(&mut Merged) -> Result<Vec<String>, Failed>,
    ) -> Result<(), Failed> {
        let mut step = Step::failed(i.start_line, label, 0);
        step.failed = None;
        if let Some(image) = self.probe(stage, &texts.legacy) {
            self.adopt(stage, &image);
            step.cached = true;
            if !image.config.history.last().is_some_and(|h| h.empty_layer) {
                step.layer = image.layers.last().map(|l| l.id);
                step.size = image.layers.last().map_or(0, |l| l.size());
            }
            self.steps.push(step);
            return Ok(());
        }
        let cid = texts.container.then(|| {
            self.host
                .build_container_id(stage.image.as_ref(), &texts.legacy)
        });
        if let Some(c) = &cid {
            self.progress.say(format!(" ---> Running in {}", &c[..12]));
        }
        let mut fs = self.step_fs(stage);
        let output = match work(&mut fs) {
            Ok(o) => o,
            Err(f) => {
                for line in &f.output {
                    self.progress.say(line.clone());
                }
                if let (Some(c), Some(image)) = (cid, &stage.image) {
                    let events = self.host.add_failed_build_container(
                        c,
                        image,
                        texts.argv,
                        fs.into_upper(),
                        f.status,
                    );
                    self.events.extend(events);
                }
                step.failed = Some(f.status);
                step.output = f.output.clone();
                self.steps.push(step);
                return Err(f);
            }
        };
        for line in &output {
            self.progress.say(line.clone());
        }
        if let Some(c) = &cid {
            self.progress
                .say(format!(" ---> Removed intermediate container {}", &c[..12]));
        }
        let diff: Diff = fs.into_upper();
        let layer = (!diff.is_empty()).then(|| self.host.new_layer(diff));
        step.layer = layer.as_ref().map(|l| l.id);
        step.size = layer.as_ref().map_or(0, |l| l.size());
        step.output = output;
        self.steps.push(step);
        self.commit_step(stage, &texts.legacy, layer);
        Ok(())
    }

    fn run(&mut self, stage: &mut Stage, i: &Instruction, label: &str) -> Result<(), String> {
        let cfg = &stage.config.config;
        let shell = if cfg.shell.is_empty() {
            vec!["/bin/sh".to_owned(), "-c".to_owned()]
        } else {
            cfg.shell.clone()
        };
        let mut script = match &i.args {
            Args::Json(v) => v
                .iter()
                .map(|a| crate::table::go_quote(a))
                .collect::<Vec<_>>()
                .join(" "),
            Args::Shell(s) => s.clone(),
            Args::Words(w) => w.join(" "),
            Args::Pairs(_) => String::new(),
        };
        for h in &i.heredocs {
            // `RUN <<EOF`: the body is the script.
            if script.trim() == format!("<<{}", h.name) || script.trim() == format!("<<-{}", h.name)
            {
                script = h.body.clone();
            }
        }
        let argv = match &i.args {
            Args::Json(v) => v.clone(),
            _ => [shell.clone(), vec![script.clone()]].concat(),
        };
        let shown_cmd = argv.join(" ");
        let args_prefix = if stage.args.is_empty() {
            String::new()
        } else {
            format!(
                "|{} {} ",
                stage.args.len(),
                stage
                    .args
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        };
        let created_by = format!("RUN {args_prefix}{shown_cmd} # buildkit");
        // The legacy builder shows the build args that have values, sorted.
        let mut legacy_args: Vec<String> = stage
            .args
            .iter()
            .filter(|(k, v)| !v.is_empty() || self.opts.build_args.contains_key(k))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        crate::sort::sort(&mut legacy_args);
        let legacy = if legacy_args.is_empty() {
            shown_cmd.clone()
        } else {
            format!(
                "|{} {} {shown_cmd}",
                legacy_args.len(),
                legacy_args.join(" ")
            )
        };
        let mut env: Vec<String> = stage.args.iter().map(|(k, v)| format!("{k}={v}")).collect();
        env.extend(cfg.env.iter().cloned());
        let cwd = if cfg.working_dir.is_empty() {
            "/".to_owned()
        } else {
            cfg.working_dir.clone()
        };
        let step_key = key(&[
            stage.key.as_str(),
            "RUN",
            &argv.join("\0"),
            &env.join("\0"),
            &cwd,
            &cfg.user,
        ]);
        let shell_path = shell[0].clone();
        let texts = Texts {
            buildkit: created_by,
            legacy,
            container: true,
            argv: argv.clone(),
        };
        let legacy_mode = self.opts.legacy;
        let budget = self.opts.budget.clone();
        let result = self.layer_step(stage, i, label, step_key, texts, |fs| {
            if !matches!(fs.stat(&shell_path).map(|s| s.node), Ok(Node::File { .. })) {
                let msg = if legacy_mode {
                    format!("failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{shell_path}\": stat {shell_path}: no such file or directory: unknown")
                } else {
                    format!("process \"{shown_cmd}\" did not complete successfully: runc run failed: unable to start container process: exec: \"{shell_path}\": stat {shell_path}: no such file or directory")
                };
                return Err(Failed { msg, status: 127, output: Vec::new() });
            }
            let mut sh = Shell::new(&shell_path, &env, &cwd);
            let ran = sh.run_within(fs, &script, Content::empty(), &budget);
            let lines: Vec<String> = ran.lines().into_iter().map(|(_, l)| l).collect();
            if ran.status != 0 {
                let msg = if legacy_mode {
                    format!("The command '{shown_cmd}' returned a non-zero code: {}", ran.status)
                } else {
                    format!("process \"{shown_cmd}\" did not complete successfully: exit code: {}", ran.status)
                };
                return Err(Failed { msg, status: ran.status, output: lines });
            }
            Ok(lines)
        });
        let Err(f) = result else { return Ok(()) };
        if legacy_mode {
            return Err(f.msg);
        }
        let v = self.progress.next - 1;
        for (k, l) in f.output.iter().enumerate() {
            self.progress
                .line(v, &format!("0.{:03} {l}", 100 + k % 900));
        }
        self.progress.line(v, &format!("ERROR: {}", f.msg));
        let mut box_lines = vec!["------".to_owned(), format!(" > {label}:")];
        box_lines.extend(
            f.output
                .iter()
                .enumerate()
                .map(|(k, l)| format!("0.{:03} {l}", 100 + k % 900)),
        );
        box_lines.push("------".into());
        self.progress.lines.extend(box_lines);
        Err(self.err_at(i.start_line, &f.msg))
    }

    fn copy(
        &mut self,
        stage: &mut Stage,
        i: &Instruction,
        label: &str,
        kw: Keyword,
    ) -> Result<(), String> {
        let vars = self.vars(stage);
        let (df, src, line) = (self.dockerfile.clone(), self.source.clone(), i.start_line);
        let snippet = super::source_snippet(&df, &src, line);
        let at = |e: String| format!("{snippet}\0failed to solve: {e}");
        let mut words = match &i.args {
            Args::Json(v) | Args::Words(v) => v.clone(),
            _ => Vec::new(),
        };
        let Some(dest_raw) = words.pop() else {
            return Ok(());
        };
        let dest = vars::expand(&dest_raw, &vars).map_err(at)?;
        let mut sources = Vec::new();
        for w in &words {
            sources.push(vars::expand(w, &vars).map_err(at)?);
        }
        let flag = |name: &str| {
            i.flags
                .iter()
                .find(|f| f.name == name)
                .and_then(|f| f.value.clone())
        };
        let chown = match flag("chown") {
            Some(c) => Some(vars::expand(&c, &vars).map_err(at)?),
            None => None,
        };
        if self.opts.legacy {
            if flag("chmod").is_some() {
                return Err("the --chmod option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled".into());
            }
            if sources.len() > 1 && !dest.ends_with('/') {
                return Err(format!("When using {} with more than one source file, the destination must be a directory and end with a /", kw.name()));
            }
        }
        let chmod = match flag("chmod") {
            Some(m) => match u32::from_str_radix(&m, 8) {
                Ok(v) if v <= 0o7777 => Some(v),
                _ => return Err(at(format!("invalid chmod parameter: '{m}'. it should be octal string and between 0 and 07777"))),
            },
            None => None,
        };
        for s in &sources {
            if s.starts_with("http://") || s.starts_with("https://") || s.starts_with("git@") {
                if kw == Keyword::Copy {
                    return Err(at("source can't be a URL for COPY".into()));
                }
                return Err(at(format!(
                    "ADD {s}: Layerlab's simulated host has no network. Put the file in the build context and COPY it instead"
                )));
            }
        }
        // Heredoc sources become files of the context.
        let mut ctx_store;
        let mut from_ctx: &Context = self.context;
        if !i.heredocs.is_empty() {
            ctx_store = self.context.clone();
            for h in &i.heredocs {
                let body = if h.expand {
                    vars::expand(&h.body, &vars).unwrap_or_else(|_| h.body.clone())
                } else {
                    h.body.clone()
                };
                let tag = format!("<<{}", h.name);
                for s in sources
                    .iter_mut()
                    .filter(|s| **s == tag || **s == format!("<<-{}", h.name))
                {
                    *s = h.name.clone();
                }
                ctx_store.entries.retain(|e| e.path != h.name);
                ctx_store.entries.push(Entry {
                    path: h.name.clone(),
                    node: Node::File {
                        meta: crate::diff::Meta::new(0o644, self.host.now()),
                        content: Content::bytes(body),
                    },
                });
            }
            from_ctx = &ctx_store;
        }
        let source_ctx;
        let from = flag("from");
        if let Some(f) = &from {
            let lower = f.to_ascii_lowercase();
            let fs_layers = if let Some(s) = self.stages.iter().find(|s| {
                s.name.as_deref() == Some(lower.as_str()) || lower.parse::<usize>() == Ok(s.index)
            }) {
                s.layers.clone()
            } else if let Ok(img) = self.host.image(f) {
                img.layers.clone()
            } else if let Some(served) =
                Reference::parse(f).ok().and_then(|r| self.registry.get(&r))
            {
                served.layers.clone()
            } else {
                return Err(at(format!(
                    "{f}: failed to resolve source metadata for docker.io/library/{f}: not found"
                )));
            };
            let fs = Merged::new(Rc::new(Lower::new(fs_layers)));
            source_ctx = Context::from_dir(&fs, "/").map_err(at)?;
            from_ctx = &source_ctx;
        } else if !self.context_sent {
            self.context_sent = true;
            let n = self.progress.vertex("[internal] load build context");
            let size = crate::size::human_size(self.context.size() as f64);
            self.progress
                .line(n, &format!("transferring context: {size} done"));
            self.progress.line(n, "DONE 0.0s");
        }
        let checksum = match from_ctx.checksum(&sources) {
            Ok(c) => c,
            Err(_) if self.opts.legacy => {
                let missing = sources
                    .iter()
                    .find(|s| from_ctx.select(s).is_err())
                    .map_or("", String::as_str);
                self.steps.push(Step::failed(i.start_line, label, 1));
                return Err(format!(
                    "{} failed: file not found in build context or excluded by .dockerignore: stat {missing}: file does not exist",
                    kw.name()
                ));
            }
            Err(e) => {
                let id = key(&[&self.source, &e]).hex()[..25].to_owned();
                let v = self.progress.vertex(label);
                self.progress.line(
                    v,
                    &format!("ERROR: failed to calculate checksum of ref {id}: {e}"),
                );
                if !self.opts.legacy {
                    // BuildKit's box around the step that failed.
                    let boxed = [
                        "------".to_owned(),
                        format!(" > {label}:"),
                        "------".to_owned(),
                    ];
                    self.progress.lines.extend(boxed);
                }
                self.steps.push(Step::failed(i.start_line, label, 1));
                return Err(at(format!(
                    "failed to compute cache key: failed to calculate checksum of ref {id}: {e}"
                )));
            }
        };
        let cwd = if stage.config.config.working_dir.is_empty() {
            "/".to_owned()
        } else {
            stage.config.config.working_dir.clone()
        };
        let dest_abs = if dest.starts_with('/') {
            dest.clone()
        } else {
            format!("{}/{dest}", cwd.trim_end_matches('/'))
        };
        let into_dir =
            dest.ends_with('/') || sources.len() > 1 || dest == "." || dest.ends_with("/.");
        let mut shown_flags = String::new();
        if let Some(c) = &chown {
            shown_flags.push_str(&format!("--chown={c} "));
        }
        if let Some(m) = flag("chmod") {
            shown_flags.push_str(&format!("--chmod={m} "));
        }
        let created_by = format!(
            "{} {shown_flags}{} {dest} # buildkit",
            kw.name(),
            sources.join(" ")
        );
        let step_key = key(&[
            stage.key.as_str(),
            kw.name(),
            &sources.join("\0"),
            &dest_abs,
            &format!(
                "{}\0{}\0{}",
                chown.as_deref().unwrap_or(""),
                chmod.map(|m| m.to_string()).unwrap_or_default(),
                from.as_deref().unwrap_or("")
            ),
            checksum.as_str(),
        ]);
        // The legacy builder names the sources by a content hash.
        let hash_kind = match sources.as_slice() {
            [one] if !one.contains(['*', '?', '[']) => {
                let is_dir = clean(one).is_empty()
                    || from_ctx
                        .select(one)
                        .is_ok_and(|e| e.iter().any(|e| matches!(e.node, Node::Dir { .. })));
                if is_dir {
                    "dir"
                } else {
                    "file"
                }
            }
            _ => "multi",
        };
        let legacy_chown = chown
            .as_ref()
            .map_or(String::new(), |c| format!("--chown={c} "));
        let texts = Texts {
            buildkit: created_by,
            legacy: format!(
                "{} #(nop) {} {legacy_chown}{hash_kind}:{} in {dest} ",
                self.shell_of(stage).join(" "),
                kw.name(),
                checksum.hex()
            ),
            container: false,
            argv: Vec::new(),
        };
        let ctx = from_ctx.clone();
        // ADD unpacks local archives from the context (not from another stage).
        let unpack =
            kw == Keyword::Add && from.is_none() && flag("unpack").as_deref() != Some("false");
        let now = self.host.now();
        self.layer_step(stage, i, label, step_key, texts, |fs| {
            let (uid, gid) = owner(fs, chown.as_deref());
            for s in &sources {
                let selected = ctx.select(s)?;
                let root = clean(s).is_empty();
                for e in selected {
                    let (base, items): (String, Vec<&Entry>) = if root {
                        (String::new(), ctx.entries.iter().collect())
                    } else if matches!(e.node, Node::Dir { .. }) {
                        (e.path.clone(), ctx.below(&e.path).collect())
                    } else {
                        if let (true, Node::File { content, .. }) = (unpack, &e.node) {
                            if let Some(members) = unpacked(content)? {
                                fs.mkdir_all(&dest_abs, DIR_MODE)
                                    .map_err(|e| e.to_string())?;
                                crate::archive::extract(fs, &dest_abs, &members)
                                    .map_err(|e| e.to_string())?;
                                continue;
                            }
                        }
                        let name = e.path.rsplit('/').next().unwrap_or(&e.path).to_owned();
                        let exists_dir =
                            matches!(fs.stat(&dest_abs).map(|s| s.node), Ok(Node::Dir { .. }));
                        let target = if into_dir || exists_dir {
                            format!("{}/{name}", dest_abs.trim_end_matches('/'))
                        } else {
                            dest_abs.clone()
                        };
                        put(fs, &target, &e.node, chmod, (uid, gid), now)?;
                        continue;
                    };
                    fs.mkdir_all(&dest_abs, DIR_MODE)
                        .map_err(|e| e.to_string())?;
                    for item in items {
                        let rel = if base.is_empty() {
                            item.path.clone()
                        } else {
                            item.path[base.len() + 1..].to_owned()
                        };
                        put(
                            fs,
                            &format!("{}/{rel}", dest_abs.trim_end_matches('/')),
                            &item.node,
                            chmod,
                            (uid, gid),
                            now,
                        )?;
                    }
                    if root {
                        break;
                    }
                }
            }
            Ok(Vec::new())
        })
        .map_err(|f| f.msg)
    }
}

/// The members of a context file ADD unpacks: a tar, plain or gzip, judged by
/// its bytes; `None` for any other file, which ADD copies as it is.
fn unpacked(content: &Content) -> Result<Option<Vec<crate::archive::Member>>, String> {
    use crate::archive::{compression, decompress, is_tar, read, Compression};
    match compression(content) {
        Compression::None if is_tar(content) => read(content).map(Some),
        Compression::None => Ok(None),
        Compression::Gzip => match decompress(content) {
            Ok(tar) if is_tar(&tar) => read(&tar).map(Some),
            _ => Ok(None),
        },
        other => Err(format!(
            "ADD of a {other:?} archive: Layerlab unpacks tar and tar.gz only; make it with tar -czf"
        )),
    }
}

/// `--chown=user[:group]` as numbers, names looked up in the image's files
/// (an unknown name is 0 here).
fn owner(fs: &Merged, spec: Option<&str>) -> (u32, u32) {
    let Some(spec) = spec else { return (0, 0) };
    let id = |file: &str, name: &str| account_id(fs, file, name).unwrap_or(0);
    match spec.split_once(':') {
        Some((u, g)) => (id("/etc/passwd", u), id("/etc/group", g)),
        None => {
            let u = id("/etc/passwd", spec);
            (u, u)
        }
    }
}

/// Writes one context object at `target`, creating parent directories
/// (stamped `now`). The object keeps its source's modification time, as
/// BuildKit's copy does, so the layer's tar and its DiffID are Docker's.
fn put(
    fs: &mut Merged,
    target: &str,
    node: &Node,
    chmod: Option<u32>,
    (uid, gid): (u32, u32),
    now: u64,
) -> Result<(), String> {
    if let Some((parent, _)) = target.rsplit_once('/') {
        if !parent.is_empty() {
            fs.mkdir_all(parent, DIR_MODE).map_err(|e| e.to_string())?;
        }
    }
    fs.set_time(node.meta().mtime);
    let written = put_stamped(fs, target, node, chmod, (uid, gid));
    fs.set_time(now);
    written
}

fn put_stamped(
    fs: &mut Merged,
    target: &str,
    node: &Node,
    chmod: Option<u32>,
    (uid, gid): (u32, u32),
) -> Result<(), String> {
    let mode = chmod.unwrap_or(node.meta().mode);
    match node {
        Node::Dir { .. } => {
            fs.mkdir_all(target, DIR_MODE).map_err(|e| e.to_string())?;
        }
        Node::File { content, .. } => {
            if matches!(fs.lstat(target).map(|s| s.node), Ok(Node::Dir { .. })) {
                return Err(format!("cannot copy to non-directory: {target}"));
            }
            fs.write_content(target, content.clone(), WriteMode::Truncate)
                .map_err(|e| e.to_string())?;
        }
        Node::Symlink { target: t, .. } => {
            let _ = fs.unlink(target);
            fs.symlink(t, target).map_err(|e| e.to_string())?;
        }
    }
    if !matches!(node, Node::Symlink { .. }) {
        fs.chmod(target, mode).ok();
    }
    if uid != 0 || gid != 0 {
        fs.chown(target, uid, gid, false).ok();
    }
    Ok(())
}
