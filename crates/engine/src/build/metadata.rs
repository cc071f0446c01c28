//! The instructions that change a stage's config rather than its files (ENV,
//! LABEL, ARG, CMD, ENTRYPOINT, EXPOSE, VOLUME, USER, STOPSIGNAL, SHELL,
//! MAINTAINER, ONBUILD, HEALTHCHECK), and WORKDIR, which also makes its
//! directory on a layer.

use super::context::clean;
use super::steps::{go_list, shell, working_dir, Builder, Failed, Texts};
use super::vars::{self, VarError};
use super::{key, BuildError, Stage};
use crate::dockerfile::{Args, Instruction, Keyword};
use crate::image::RunConfig;
use crate::merged::DIR_MODE;

/// An instruction's arguments as one text.
fn args_text(i: &Instruction) -> String {
    match &i.args {
        Args::Shell(s) => s.clone(),
        Args::Json(v) | Args::Words(v) => v.join(" "),
        Args::Pairs(p) => p
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

impl Builder<'_> {
    /// WORKDIR: the directory made on a layer of its own (none for `/` under
    /// BuildKit), and the config's working directory.
    pub(super) fn workdir(
        &mut self,
        stage: &mut Stage,
        i: &Instruction,
        label: &str,
    ) -> Result<(), BuildError> {
        let vars = self.vars(stage);
        let expand = |s: &str| vars::expand(s, &vars);
        let at = |e: VarError| self.err_at(i.start_line, e);
        let rest = args_text(i);
        let dir = expand(rest.trim()).map_err(at)?;
        let cwd = working_dir(&stage.config.config);
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
                    .map_err(Failed::from)
            })
            .map_err(|f| BuildError::other(f.msg))?;
        }
        Ok(())
    }

    /// The instructions that change only the config: a history entry (an
    /// intermediate image under the legacy builder), never a layer.
    pub(super) fn metadata(
        &mut self,
        stage: &mut Stage,
        i: &Instruction,
        label: &str,
        kw: Keyword,
    ) -> Result<(), BuildError> {
        let vars = self.vars(stage);
        let expand = |s: &str| vars::expand(s, &vars);
        let at = |e: VarError| self.err_at(i.start_line, e);
        let rest = args_text(i);
        let mut legacy_text = None;
        let cfg = &mut stage.config.config;
        let created_by = match kw {
            Keyword::Env | Keyword::Label => {
                let Args::Pairs(pairs) = &i.args else {
                    return Ok(());
                };
                env_or_label(stage, kw, pairs, &expand).map_err(at)?
            }
            Keyword::Arg => {
                let Args::Words(words) = &i.args else {
                    return Ok(());
                };
                self.arg(stage, words, &expand).map_err(at)?
            }
            Keyword::Cmd | Keyword::Entrypoint => cmd_or_entrypoint(cfg, kw, &i.args, &rest),
            Keyword::Expose => {
                let Args::Words(words) = &i.args else {
                    return Ok(());
                };
                let (shown, legacy) = expose(cfg, words, &expand).map_err(at)?;
                legacy_text = Some(legacy);
                shown
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
                let check = crate::health::healthcheck(i, &rest)
                    .map_err(|e| self.err_at(i.start_line, e))?;
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

    /// ARG: each variable's value (a `--build-arg`, the default, a global
    /// ARG) in the stage's arguments, which key later steps.
    fn arg(
        &self,
        stage: &mut Stage,
        words: &[String],
        expand: &dyn Fn(&str) -> Result<String, VarError>,
    ) -> Result<String, VarError> {
        let mut shown = Vec::new();
        for w in words {
            let (k, default) = match w.split_once('=') {
                Some((k, v)) => (k.to_owned(), Some(expand(v)?)),
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
        Ok(format!("ARG {}", shown.join(" ")))
    }
}

/// ENV and LABEL: each pair expanded into the config; ENV also keys later
/// steps.
fn env_or_label(
    stage: &mut Stage,
    kw: Keyword,
    pairs: &[(String, String)],
    expand: &dyn Fn(&str) -> Result<String, VarError>,
) -> Result<String, VarError> {
    let cfg = &mut stage.config.config;
    let mut shown = Vec::new();
    for (k, v) in pairs {
        let (k, v) = (expand(k)?, expand(v)?);
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
    Ok(format!("{} {}", kw.name(), shown.join(" ")))
}

/// CMD and ENTRYPOINT: the exec form as given, the shell form through the
/// stage's shell; ENTRYPOINT clears CMD.
fn cmd_or_entrypoint(cfg: &mut RunConfig, kw: Keyword, args: &Args, rest: &str) -> String {
    let list = match args {
        Args::Json(v) => v.clone(),
        _ => {
            let mut sh = shell(cfg);
            sh.push(rest.to_owned());
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
    if !matches!(args, Args::Json(_)) {
        cfg.args_escaped = true;
    }
    shown
}

/// EXPOSE: ports (`/tcp` unless given) into the config; BuildKit's text lists
/// them sorted, the classic builder's the words as written, sorted.
fn expose(
    cfg: &mut RunConfig,
    words: &[String],
    expand: &dyn Fn(&str) -> Result<String, VarError>,
) -> Result<(String, String), VarError> {
    let mut ports: Vec<String> = Vec::new();
    for w in words {
        for p in expand(w)?.split_whitespace() {
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
    let mut words = words.to_vec();
    crate::sort::sort(&mut words);
    Ok((
        format!("EXPOSE [{}]", ports.join(" ")),
        format!("EXPOSE {}", words.join(" ")),
    ))
}
