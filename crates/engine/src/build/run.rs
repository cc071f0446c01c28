//! RUN: the script through the simulated shell on a fresh writable layer,
//! keyed by the command, the environment, the working directory and the
//! user; a failure as BuildKit boxes it or as the classic builder words it.

use super::error::StepError;
use super::steps::{shell, working_dir, Builder, Failed, Texts};
use super::{key, BuildError, Stage};
use crate::content::Content;
use crate::dockerfile::{Args, Instruction};
use crate::merged::Node;
use crate::shell::Shell;

impl Builder<'_> {
    pub(super) fn run(
        &mut self,
        stage: &mut Stage,
        i: &Instruction,
        label: &str,
    ) -> Result<(), BuildError> {
        let cfg = &stage.config.config;
        let shell = shell(cfg);
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
        let (created_by, legacy) = self.history_texts(stage, &shown_cmd);
        let mut env: Vec<String> = stage.args.iter().map(|(k, v)| format!("{k}={v}")).collect();
        env.extend(cfg.env.iter().cloned());
        let cwd = working_dir(cfg);
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
        self.run_mounts = true;
        let result = self.layer_step(stage, i, label, step_key, texts, |fs| {
            if !matches!(fs.stat(&shell_path).map(|s| s.node), Ok(Node::File { .. })) {
                let msg = StepError::NoShell {
                    shell: shell_path.clone(),
                    cmd: shown_cmd.clone(),
                    legacy: legacy_mode,
                };
                return Err(Failed {
                    msg,
                    status: 127,
                    output: Vec::new(),
                });
            }
            let mut sh = Shell::new(&shell_path, &env, &cwd);
            let ran = sh.run_within(fs, &script, Content::empty(), &budget);
            let lines: Vec<String> = ran.lines().into_iter().map(|(_, l)| l).collect();
            if ran.status != 0 {
                let msg = StepError::Exit {
                    cmd: shown_cmd.clone(),
                    status: ran.status,
                    legacy: legacy_mode,
                };
                return Err(Failed {
                    msg,
                    status: ran.status,
                    output: lines,
                });
            }
            Ok(lines)
        });
        self.run_mounts = false;
        let Err(f) = result else { return Ok(()) };
        if legacy_mode {
            return Err(BuildError::other(f.msg));
        }
        Err(self.run_failed(i, label, &f))
    }

    /// RUN's history entry: BuildKit's (with every build arg) and the
    /// classic builder's (the build args that have values, sorted).
    fn history_texts(&self, stage: &Stage, shown_cmd: &str) -> (String, String) {
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
            shown_cmd.to_owned()
        } else {
            format!(
                "|{} {} {shown_cmd}",
                legacy_args.len(),
                legacy_args.join(" ")
            )
        };
        (created_by, legacy)
    }

    /// A failed RUN in BuildKit's output: its output and error on its
    /// vertex, then the box that repeats them under the step's name.
    fn run_failed(&mut self, i: &Instruction, label: &str, f: &Failed) -> BuildError {
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
        self.err_at(i.start_line, &f.msg)
    }
}
