//! The Dockerfile cut into stages before any step runs: the global ARGs,
//! each stage's instructions, and which stages the target needs.

use super::{steps, vars, BuildOptions};
use crate::dockerfile::{Args, Instruction, Keyword};
use crate::map::Map;
use std::fmt;

/// Why a Dockerfile has nothing to build, as BuildKit words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum PlanError {
    NoStages,
    /// `--target` names no stage.
    NoTarget(String),
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::NoStages => f.write_str("dockerfile contains no stages to build"),
            PlanError::NoTarget(t) => write!(f, "target stage \"{t}\" could not be found"),
        }
    }
}

/// The Dockerfile cut into stages, and which of them the target needs.
pub(super) struct Plan<'a> {
    pub(super) global_args: Map<String, String>,
    pub(super) stages: Vec<Vec<&'a Instruction>>,
    pub(super) counts: Vec<usize>,
    pub(super) needed: Vec<usize>,
}

impl<'a> Plan<'a> {
    pub(super) fn new(
        instructions: &'a [Instruction],
        opts: &BuildOptions,
    ) -> Result<Plan<'a>, PlanError> {
        let mut global_args = Map::new();
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
            return Err(PlanError::NoStages);
        }
        let names: Vec<Option<String>> = stages.iter().map(|s| stage_name(s[0])).collect();
        let target = match &opts.target {
            Some(t) => names
                .iter()
                .position(|n| n.as_deref() == Some(t.to_ascii_lowercase().as_str()))
                .ok_or_else(|| PlanError::NoTarget(t.clone()))?,
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
            needed: (0..stages.len())
                .filter(|s| opts.legacy || needed[*s])
                .collect(),
            stages,
        })
    }
}

/// Whether a FROM names `scratch`.
pub(crate) fn is_scratch(from: &Instruction, args: &Map<String, String>) -> bool {
    match &from.args {
        Args::Words(w) => w
            .first()
            .and_then(|b| vars::expand(b, args).ok())
            .is_some_and(|b| b.eq_ignore_ascii_case("scratch")),
        _ => false,
    }
}

pub(crate) fn stage_name(from: &Instruction) -> Option<String> {
    match &from.args {
        Args::Words(w) if w.len() == 3 => Some(w[2].to_ascii_lowercase()),
        _ => None,
    }
}
