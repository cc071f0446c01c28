//! FROM: a stage's base, from an earlier stage, `scratch`, the image store or
//! the registry, and BuildKit's `load metadata` vertices for the bases.

use super::steps::Builder;
use super::{key, vars, BuildError, Stage, Step};
use crate::digest::Digest;
use crate::dockerfile::{Args, Instruction, Keyword};
use crate::image::ImageConfig;
use crate::layer::Layer;
use crate::reference::Reference;
use std::rc::Rc;

impl Builder<'_> {
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

    pub(super) fn from(
        &mut self,
        i: &Instruction,
        index: usize,
        total: usize,
    ) -> Result<Stage, BuildError> {
        let Args::Words(words) = &i.args else {
            return Err(BuildError::other(
                "FROM requires either one or three arguments",
            ));
        };
        let raw = words.first().cloned().unwrap_or_default();
        let base =
            vars::expand(&raw, &self.global_args).map_err(|e| self.err_at(i.start_line, e))?;
        if base.is_empty() {
            return Err(self.err_at(
                i.start_line,
                format!("base name ({raw}) should not be blank"),
            ));
        }
        let mut name = super::stage_name(i);
        let prefix = self.stage_prefix(name.as_deref(), index);
        let lower = base.to_ascii_lowercase();
        if let Some(stage) = self.local_base(&lower, &mut name, index) {
            return Ok(stage);
        }
        let reference = Reference::parse(&base).map_err(|e| self.err_at(i.start_line, e))?;
        if self.opts.legacy {
            return self.legacy_from(&base, name, index);
        }
        let shown = format!("docker.io/{}:{}", reference.remote_path(), reference.tag);
        let n = (!self.metadata.contains(&shown)).then(|| {
            self.progress
                .vertex(&format!("[internal] load metadata for {shown}"))
        });
        let (layers, config, id) = self.base_image(&base, &reference, &shown, n)?;
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
        if let Some(top) = layers.last() {
            let now = self.host.now();
            self.cache.base(top.id, now);
        }
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

    /// The base image's layers, config and ID: stored already, or served by
    /// the registry (pulled as the build goes). `n` is the metadata vertex.
    fn base_image(
        &mut self,
        base: &str,
        reference: &Reference,
        shown: &str,
        n: Option<usize>,
    ) -> Result<(Vec<Rc<Layer>>, ImageConfig, Digest), BuildError> {
        Ok(match self.host.image(base) {
            Ok(image) => (image.layers.clone(), image.config.clone(), image.id.clone()),
            Err(_) => match self.registry.get(reference) {
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
                    return Err(BuildError::solve(format!(
                        "{base}: failed to resolve source metadata for {shown}: {shown}: not found"
                    )));
                }
            },
        })
    }

    /// A base that is no image: an earlier stage by name, or `scratch`; it
    /// takes the stage's name.
    /// `Err` gives the stage's name back when the base is an image.
    fn local_base(
        &mut self,
        lower: &str,
        name: &mut Option<String>,
        index: usize,
    ) -> Option<Stage> {
        if let Some(prev) = self
            .stages
            .iter()
            .find(|s| s.name.as_deref() == Some(lower))
        {
            let mut s = prev.clone();
            s.name = name.take();
            s.index = index;
            if self.opts.legacy {
                let id = s.image.as_ref().map_or("", Digest::short);
                self.progress.say(format!(" ---> {id}"));
            }
            return Some(s);
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
            return Some(Stage {
                name: name.take(),
                index,
                layers: Vec::new(),
                config,
                key: key(&["scratch"]),
                args: Vec::new(),
                image: None,
            });
        }
        None
    }
}
