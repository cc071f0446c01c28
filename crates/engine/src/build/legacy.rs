//! The classic builder (`DOCKER_BUILDKIT=0`): every instruction commits an
//! intermediate image whose `parent` is the previous one, a layer only when
//! files changed, `#(nop)` history and `Step N/M` output. Its cache is the
//! image store itself: a child of the current image with the same last
//! history entry and run config.

use super::steps::{Builder, Failed, Texts};
use super::{key, BuildError, Stage, Step};
use crate::diff::Diff;
use crate::dockerfile::Instruction;
use crate::image::History;
use crate::layer::Layer;
use crate::merged::Merged;
use std::rc::Rc;

impl Builder<'_> {
    /// `Step 3/4 : RUN make /app`
    pub(super) fn legacy_label(&mut self, i: &Instruction) -> String {
        self.step += 1;
        format!("Step {}/{} : {}", self.step, self.total, i.original)
    }

    /// The legacy builder's FROM: the base image must be in the image store, so
    /// a missing one is pulled (and tagged) as `docker pull` would.
    pub(super) fn legacy_from(
        &mut self,
        base: &str,
        name: Option<String>,
        index: usize,
    ) -> Result<Stage, BuildError> {
        if self.host.image(base).is_err() {
            let pull = self
                .registry
                .pull(self.host, base)
                .map_err(BuildError::other)?;
            // The pull prints its progress but not the tag or reference lines.
            let shown = pull.lines.len().saturating_sub(1);
            for line in pull.lines.iter().take(shown) {
                if !line.starts_with("Using default tag") {
                    self.progress.say(line.clone());
                }
            }
            self.events.extend(pull.events);
        }
        let image = self.host.image(base).map_err(BuildError::other)?.clone();
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
    pub(super) fn probe(&self, stage: &Stage, created_by: &str) -> Option<Rc<crate::image::Image>> {
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
    pub(super) fn commit_step(
        &mut self,
        stage: &mut Stage,
        created_by: &str,
        layer: Option<Rc<Layer>>,
    ) {
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
    pub(super) fn adopt(&mut self, stage: &mut Stage, image: &crate::image::Image) {
        self.progress.say(" ---> Using cache");
        stage.layers = image.layers.clone();
        stage.config = image.config.clone();
        stage.image = Some(image.id.clone());
    }

    /// A metadata step of the legacy builder: a container is created and
    /// committed without running anything; no layer.
    pub(super) fn legacy_metadata(
        &mut self,
        stage: &mut Stage,
        i: &Instruction,
        label: &str,
        text: &str,
    ) {
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

    /// The legacy builder's RUN, COPY, ADD and WORKDIR: `Using cache` when the
    /// image store has the step's image, else the step runs (in a container
    /// for RUN and WORKDIR) and is committed; an unchanged file system gives
    /// no layer. A failed RUN leaves its container behind, `Exited`.
    pub(super) fn legacy_layer_step(
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
}
