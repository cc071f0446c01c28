//! GNU make, enough for teaching: variables (`=`, `:=`, `?=`, `+=`), rules
//! with prerequisites, `.PHONY`, automatic variables (`$@ $< $^`), recipes
//! run line by line through the shell (`@` silences, `-` ignores errors),
//! `-C DIR`, `-f FILE`, and GNU make's own messages.

use super::Run;
use crate::map::{Map, Set};
use crate::merged::Node;

struct Rule {
    prereqs: Vec<String>,
    recipe: Vec<(usize, String)>,
}

#[derive(Default)]
struct Makefile {
    name: String,
    vars: Map<String, String>,
    rules: Map<String, Rule>,
    order: Vec<String>,
    phony: Set<String>,
}

pub(super) fn make(r: &mut Run, args: &[String]) -> i32 {
    let mut dir = None;
    let mut file = None;
    let mut silent = false;
    let mut dry = false;
    let mut targets = Vec::new();
    let mut overrides = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-C" => dir = it.next().cloned(),
            "-f" => file = it.next().cloned(),
            "-s" | "--silent" => silent = true,
            "-n" | "--dry-run" => dry = true,
            a if a.starts_with("-j") || a == "-k" => {}
            a if a.starts_with('-') => {
                r.stderr(format!(
                    "make: invalid option -- '{}'",
                    a.trim_start_matches('-')
                ));
                return 2;
            }
            a if a.contains('=') => overrides.push(a.to_owned()),
            a => targets.push(a.to_owned()),
        }
    }
    let saved_cwd = r.sh.cwd.clone();
    if let Some(d) = &dir {
        let abs = r.abs(d);
        if !matches!(r.fs.stat(&abs).map(|s| s.node), Ok(Node::Dir { .. })) {
            r.stderr(format!("make: *** {d}: No such file or directory.  Stop."));
            return 2;
        }
        r.sh.cwd = r.fs.stat(&abs).map(|s| s.path.to_string()).unwrap_or(abs);
        r.stdout(format!("make: Entering directory '{}'\n", r.sh.cwd));
    }
    let status = run_make(r, file, &targets, &overrides, silent, dry);
    if dir.is_some() {
        r.stdout(format!("make: Leaving directory '{}'\n", r.sh.cwd));
    }
    r.sh.cwd = saved_cwd;
    status
}

fn run_make(
    r: &mut Run,
    file: Option<String>,
    targets: &[String],
    overrides: &[String],
    silent: bool,
    dry: bool,
) -> i32 {
    let candidates = match &file {
        Some(f) => vec![f.clone()],
        None => vec!["GNUmakefile".into(), "makefile".into(), "Makefile".into()],
    };
    let found = candidates
        .iter()
        .find_map(|c| r.read_file(c).ok().map(|content| (c.clone(), content)));
    let mut mk = match found {
        Some((name, content)) => {
            let text = String::from_utf8_lossy(&content.head(1 << 20)).into_owned();
            match parse(&name, &text) {
                Ok(mk) => mk,
                Err(e) => {
                    r.stderr(e.to_string());
                    return 2;
                }
            }
        }
        None if file.is_some() => {
            let f = file.unwrap_or_default();
            r.stderr(format!("make: {f}: No such file or directory"));
            r.stderr(format!("make: *** No rule to make target '{f}'.  Stop."));
            return 2;
        }
        None => {
            if targets.is_empty() {
                r.stderr("make: *** No targets specified and no makefile found.  Stop.");
                return 2;
            }
            Makefile::default()
        }
    };
    for o in overrides {
        if let Some((k, v)) = o.split_once('=') {
            mk.vars.insert(k.to_owned(), v.to_owned());
        }
    }
    let goals: Vec<String> = if targets.is_empty() {
        match mk.order.iter().find(|t| !t.starts_with('.')) {
            Some(t) => vec![t.clone()],
            None => {
                r.stderr("make: *** No targets.  Stop.");
                return 2;
            }
        }
    } else {
        targets.to_vec()
    };
    let mut ctx = Ctx {
        mk: &mk,
        silent,
        dry,
        done: Set::new(),
        ran: false,
    };
    for goal in &goals {
        ctx.ran = false;
        if let Err(status) = ctx.update(r, goal, None, 0) {
            return status;
        }
        if !ctx.ran {
            let has_recipe = mk
                .rules
                .get(goal)
                .is_some_and(|rule| !rule.recipe.is_empty());
            if has_recipe && !mk.phony.contains(goal) {
                r.stdout(format!("make: '{goal}' is up to date.\n"));
            } else {
                r.stdout(format!("make: Nothing to be done for '{goal}'.\n"));
            }
        }
    }
    0
}

fn parse(name: &str, text: &str) -> Result<Makefile, MakeError> {
    let mut mk = Makefile {
        name: name.to_owned(),
        ..Makefile::default()
    };
    let mut current: Vec<String> = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((n, raw)) = lines.next() {
        let lineno = n + 1;
        let mut line = raw.to_owned();
        while line.ends_with('\\') {
            line.pop();
            match lines.next() {
                Some((_, next)) => {
                    line.push(' ');
                    line.push_str(next.trim_start());
                }
                None => break,
            }
        }
        if let Some(recipe) = line.strip_prefix('\t') {
            if current.is_empty() {
                if recipe.trim().is_empty() || recipe.trim_start().starts_with('#') {
                    continue;
                }
                return Err(MakeError::RecipeFirst {
                    file: name.to_owned(),
                    line: lineno,
                });
            }
            for t in &current {
                if let Some(rule) = mk.rules.get_mut(t) {
                    rule.recipe.push((lineno, recipe.to_owned()));
                }
            }
            continue;
        }
        let body = line.split('#').next().unwrap_or("").trim_end();
        if body.trim().is_empty() {
            continue;
        }
        if let Some((k, op, v)) = assignment(body) {
            let value = v.trim().to_owned();
            let value = if op == ":=" || op == "::=" {
                expand(&mk.vars, &value, None)?
            } else {
                value
            };
            match op {
                "?=" => {
                    mk.vars.entry(k).or_insert(value);
                }
                "+=" => {
                    let e = mk.vars.entry(k).or_default();
                    if !e.is_empty() {
                        e.push(' ');
                    }
                    e.push_str(&value);
                }
                _ => {
                    mk.vars.insert(k, value);
                }
            }
            current.clear();
            continue;
        }
        let Some((targets, rest)) = body.split_once(':') else {
            return Err(MakeError::MissingSeparator {
                file: name.to_owned(),
                line: lineno,
                spaces: raw.starts_with(' '),
            });
        };
        let (prereqs, inline) = match rest.split_once(';') {
            Some((p, c)) => (p, Some(c.trim().to_owned())),
            None => (rest, None),
        };
        let targets: Vec<String> = expand(&mk.vars, targets, None)?
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        let prereqs: Vec<String> = expand(&mk.vars, prereqs, None)?
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        if targets.iter().any(|t| t == ".PHONY") {
            mk.phony.extend(prereqs);
            current.clear();
            continue;
        }
        for t in &targets {
            if !mk.rules.contains_key(t) {
                mk.order.push(t.clone());
            }
            let rule = mk.rules.entry(t.clone()).or_insert(Rule {
                prereqs: Vec::new(),
                recipe: Vec::new(),
            });
            rule.prereqs.extend(prereqs.iter().cloned());
            if let Some(c) = &inline {
                rule.recipe.push((lineno, c.clone()));
            }
        }
        current = targets;
    }
    Ok(mk)
}

fn assignment(line: &str) -> Option<(String, &'static str, &str)> {
    for op in ["::=", ":=", "?=", "+=", "="] {
        if let Some(i) = line.find(op) {
            let name = line[..i].trim();
            // `a: b=c` is a rule with a target-specific variable; not an assignment here.
            if name.is_empty() || name.contains([':', ' ', '\t']) {
                continue;
            }
            return Some((name.to_owned(), op, &line[i + op.len()..]));
        }
    }
    None
}

/// The longest text one expansion may make: `B = $(A)$(A)` over thirty
/// variables would otherwise double to gigabytes.
const MAX_EXPANSION: usize = 1 << 20;

/// `$(VAR)`, `${VAR}`, `$@`, `$<`, `$^`, `$$`; `$(MAKE)` is `make` unless set.
/// A variable that refers to itself, or a text over [`MAX_EXPANSION`], stops
/// make with its message.
fn expand(
    vars: &Map<String, String>,
    text: &str,
    auto: Option<(&str, &[String])>,
) -> Result<String, MakeError> {
    let mut out = String::new();
    expand_into(vars, text, auto, &mut Vec::new(), &mut out)?;
    Ok(out)
}

fn expand_into(
    vars: &Map<String, String>,
    text: &str,
    auto: Option<(&str, &[String])>,
    expanding: &mut Vec<String>,
    out: &mut String,
) -> Result<(), MakeError> {
    if out.len() > MAX_EXPANSION {
        return Err(MakeError::TooLarge);
    }
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('$') => out.push('$'),
            Some(open @ ('(' | '{')) => {
                let close = if open == '(' { ')' } else { '}' };
                let mut name = String::new();
                for c in chars.by_ref() {
                    if c == close {
                        break;
                    }
                    name.push(c);
                }
                let name = name.trim();
                if expanding.iter().any(|n| n == name) {
                    return Err(MakeError::Recursive(name.to_owned()));
                }
                match vars.get(name) {
                    Some(v) => {
                        expanding.push(name.to_owned());
                        expand_into(vars, v, auto, expanding, out)?;
                        expanding.pop();
                    }
                    None if name == "MAKE" => out.push_str("make"),
                    None => {}
                }
            }
            Some('@') => out.push_str(auto.map_or("", |a| a.0)),
            Some('<') => out.push_str(auto.and_then(|a| a.1.first()).map_or("", String::as_str)),
            Some('^') => out.push_str(&auto.map_or(String::new(), |a| a.1.join(" "))),
            Some(c) => {
                if let Some(v) = vars.get(&c.to_string()) {
                    out.push_str(v);
                }
            }
            None => {}
        }
    }
    Ok(())
}

struct Ctx<'m> {
    mk: &'m Makefile,
    silent: bool,
    dry: bool,
    done: Set<String>,
    ran: bool,
}

impl Ctx<'_> {
    fn mtime(r: &Run, target: &str) -> Option<u64> {
        r.fs.stat(&r.abs(target)).ok().map(|s| s.node.meta().mtime)
    }

    fn update(
        &mut self,
        r: &mut Run,
        target: &str,
        needed_by: Option<&str>,
        depth: usize,
    ) -> Result<(), i32> {
        if self.done.contains(target) || depth > 64 {
            return Ok(());
        }
        let step = r.budget.step();
        if !r.spend(step) {
            return Err(super::STOPPED);
        }
        self.done.insert(target.to_owned());
        let Some(rule) = self.mk.rules.get(target) else {
            if Self::mtime(r, target).is_some() {
                return Ok(());
            }
            match needed_by {
                Some(by) => r.stderr(format!(
                    "make: *** No rule to make target '{target}', needed by '{by}'.  Stop."
                )),
                None => r.stderr(format!(
                    "make: *** No rule to make target '{target}'.  Stop."
                )),
            }
            return Err(2);
        };
        for p in &rule.prereqs {
            self.update(r, p, Some(target), depth + 1)?;
        }
        let own = Self::mtime(r, target);
        let newer = rule.prereqs.iter().any(|p| match (Self::mtime(r, p), own) {
            (Some(pm), Some(tm)) => pm > tm,
            _ => true,
        });
        let needed = self.mk.phony.contains(target) || own.is_none() || newer;
        if !needed || rule.recipe.is_empty() {
            return Ok(());
        }
        for (lineno, line) in &rule.recipe {
            let mut cmd = match expand(&self.mk.vars, line, Some((target, &rule.prereqs))) {
                Ok(cmd) => cmd,
                Err(e) => {
                    r.stderr(e.to_string());
                    return Err(2);
                }
            };
            let mut echo = !self.silent;
            let mut ignore = false;
            loop {
                let t = cmd.trim_start();
                if let Some(rest) = t.strip_prefix('@') {
                    echo = false;
                    cmd = rest.to_owned();
                } else if let Some(rest) = t.strip_prefix('-') {
                    ignore = true;
                    cmd = rest.to_owned();
                } else {
                    cmd = t.to_owned();
                    break;
                }
            }
            if echo || self.dry {
                r.stdout(format!("{cmd}\n"));
            }
            self.ran = true;
            if self.dry {
                continue;
            }
            let status = r.sh_c(
                "/bin/sh",
                &["-c".to_owned(), cmd.clone()],
                crate::content::Content::empty(),
            );
            if status != 0 {
                let name = &self.mk.name;
                if ignore {
                    r.stderr(format!(
                        "make: [{name}:{lineno}: {target}] Error {status} (ignored)"
                    ));
                } else {
                    r.stderr(format!(
                        "make: *** [{name}:{lineno}: {target}] Error {status}"
                    ));
                    return Err(2);
                }
            }
        }
        Ok(())
    }
}

/// Why make stopped before running a recipe, as GNU make words it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum MakeError {
    /// A tab-indented line before any rule.
    RecipeFirst { file: String, line: usize },
    /// A line that is neither a rule nor an assignment; `spaces` when it
    /// starts with spaces (a recipe indented without a tab).
    MissingSeparator {
        file: String,
        line: usize,
        spaces: bool,
    },
    /// A variable whose value names itself.
    Recursive(String),
    /// An expansion past [`MAX_EXPANSION`].
    TooLarge,
}

impl std::fmt::Display for MakeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MakeError::RecipeFirst { file, line } => {
                write!(
                    f,
                    "{file}:{line}: *** recipe commences before first target.  Stop."
                )
            }
            MakeError::MissingSeparator { file, line, spaces } => {
                let hint = if *spaces {
                    " (did you mean TAB instead of 8 spaces?)"
                } else {
                    ""
                };
                write!(f, "{file}:{line}: *** missing separator{hint}.  Stop.")
            }
            MakeError::Recursive(name) => write!(
                f,
                "make: *** Recursive variable '{name}' references itself (eventually).  Stop."
            ),
            MakeError::TooLarge => {
                let mib = (MAX_EXPANSION >> 20).to_string();
                let why = crate::note::text(crate::note::NoteKey::MakeTooLarge, &[&mib]);
                write!(f, "make: *** {why}")
            }
        }
    }
}
