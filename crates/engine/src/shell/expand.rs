//! Word expansion as `sh` does it, in order: parameters and command
//! substitution, field splitting of unquoted results, pathname globbing of
//! unquoted `*`, `?` and `[…]`, and quote removal.

use super::error::ExpandError;
use super::syntax::{self, Part, Word};
use super::Run;
use crate::merged::Node;

/// A field being built: its text, and a pattern where quoted glob characters
/// are escaped so they match only themselves.
#[derive(Default)]
struct Field {
    text: String,
    pattern: String,
    glob: bool,
    /// A quoted part was seen: the field exists even if empty (`""`).
    real: bool,
}

impl Field {
    fn push(&mut self, s: &str, quoted: bool) {
        self.text.push_str(s);
        for c in s.chars() {
            if matches!(c, '*' | '?' | '[' | ']' | '\\') && quoted {
                self.pattern.push('\\');
            } else if matches!(c, '*' | '?' | '[') {
                self.glob = true;
            }
            self.pattern.push(c);
        }
    }
}

impl Run<'_, '_> {
    /// A word's fields after splitting and globbing.
    pub(super) fn expand_word(&mut self, word: &Word) -> Result<Vec<String>, ExpandError> {
        let mut fields: Vec<Field> = Vec::new();
        let mut cur = Field::default();
        for part in word {
            let (value, quoted) = match part {
                Part::Lit { text, quoted } => {
                    cur.real |= *quoted;
                    cur.push(text, *quoted);
                    continue;
                }
                Part::Param {
                    name,
                    op,
                    word,
                    quoted,
                } => (self.param(name, op, word)?, *quoted),
                Part::Command { script, quoted } => (self.substitute(script)?, *quoted),
            };
            self.hold(&value)?;
            if quoted {
                cur.real = true;
                cur.push(&value, true);
                continue;
            }
            // Unquoted: each blank or newline ends a field.
            let mut pieces = value.split([' ', '\t', '\n']);
            if let Some(first) = pieces.next() {
                cur.push(first, false);
            }
            for piece in pieces {
                if cur.real || !cur.text.is_empty() {
                    fields.push(std::mem::take(&mut cur));
                }
                cur.push(piece, false);
            }
        }
        if cur.real || !cur.text.is_empty() {
            fields.push(cur);
        }
        let mut out = Vec::new();
        for f in fields {
            if f.glob {
                let matches = self.glob(&f.pattern);
                if !matches.is_empty() {
                    out.extend(matches);
                    continue;
                }
            }
            out.push(f.text);
        }
        Ok(out)
    }

    /// A word as one string: no splitting, no globbing (assignments, redirection targets).
    pub(super) fn expand_single(&mut self, word: &Word) -> Result<String, ExpandError> {
        let mut s = String::new();
        for part in word {
            match part {
                Part::Lit { text, .. } => s.push_str(text),
                Part::Param { name, op, word, .. } => {
                    let value = self.param(name, op, word)?;
                    self.hold(&value)?;
                    s.push_str(&value);
                }
                Part::Command { script, .. } => {
                    let value = self.substitute(script)?;
                    self.hold(&value)?;
                    s.push_str(&value);
                }
            }
        }
        Ok(s)
    }

    /// Counts an expansion's text against the budget (`x=$x$x` doubles it
    /// each time): past it, the line stops and the error is the stop itself.
    fn hold(&mut self, value: &str) -> Result<(), ExpandError> {
        self.budget
            .bytes(value.len() as u64)
            .map_err(ExpandError::Stopped)
    }

    /// An unquoted heredoc body or a `${V:-word}` word, expanded.
    pub(super) fn expand_text(&mut self, text: &str) -> Result<String, ExpandError> {
        let word = syntax::parse_text(text).map_err(ExpandError::Syntax)?;
        self.expand_single(&word)
    }

    fn param(&mut self, name: &str, op: &str, word: &str) -> Result<String, ExpandError> {
        let value = self.var(name);
        let set = value.is_some();
        let nonempty = value.as_deref().is_some_and(|v| !v.is_empty());
        let v = value.clone().unwrap_or_default();
        Ok(match op {
            "" => v,
            ":-" => {
                if nonempty {
                    v
                } else {
                    self.expand_text(word)?
                }
            }
            "-" => {
                if set {
                    v
                } else {
                    self.expand_text(word)?
                }
            }
            ":=" | "=" => {
                if (op == ":=" && nonempty) || (op == "=" && set) {
                    v
                } else {
                    let w = self.expand_text(word)?;
                    self.sh.vars.insert(name.to_owned(), w.clone());
                    w
                }
            }
            ":+" => {
                if nonempty {
                    self.expand_text(word)?
                } else {
                    String::new()
                }
            }
            "+" => {
                if set {
                    self.expand_text(word)?
                } else {
                    String::new()
                }
            }
            ":?" | "?" => {
                if (op == ":?" && nonempty) || (op == "?" && set) {
                    v
                } else {
                    return Err(ExpandError::Unset {
                        name: name.to_owned(),
                        word: self.expand_text(word)?,
                    });
                }
            }
            "#" if word.is_empty() => v.chars().count().to_string(),
            "#" | "##" | "%" | "%%" => {
                let pat = self.expand_text(word)?;
                strip(&v, &pat, op)
            }
            _ => return Err(ExpandError::BadSubstitution(format!("{name}{op}{word}"))),
        })
    }

    /// `$(…)`: the script's stdout, trailing newlines removed; stderr passes
    /// through. `$((…))` (read as `$(` around `(…)`) is arithmetic.
    fn substitute(&mut self, script: &str) -> Result<String, ExpandError> {
        if let Some(expr) = script.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
            let expanded = self.expand_text(expr)?;
            let var = |name: &str| self.var(name);
            return super::arith::eval(&expanded, &var)
                .map(|n| n.to_string())
                .map_err(|error| ExpandError::Arith {
                    error,
                    expr: expr.trim().to_owned(),
                });
        }
        let saved = std::mem::take(&mut self.out);
        let status = self.nested(script);
        let produced = std::mem::replace(&mut self.out, saved);
        let mut text = String::new();
        for c in produced {
            if c.stderr {
                self.out.push(c);
            } else {
                text.push_str(&String::from_utf8_lossy(&c.data.head(1 << 20)));
            }
        }
        self.sh.status = status;
        Ok(text.trim_end_matches('\n').to_owned())
    }

    /// Paths matching `pattern`, sorted; none when nothing matches.
    fn glob(&mut self, pattern: &str) -> Vec<String> {
        let absolute = pattern.starts_with('/');
        let base = if absolute {
            "/".to_owned()
        } else {
            self.sh.cwd.clone()
        };
        let mut found: Vec<(String, String)> = vec![(base, String::new())];
        let parts: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
        for (i, part) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            let mut next = Vec::new();
            for (dir, shown) in &found {
                let join = |name: &str| {
                    let full = if dir.ends_with('/') {
                        format!("{dir}{name}")
                    } else {
                        format!("{dir}/{name}")
                    };
                    let shown = if shown.is_empty() {
                        if absolute {
                            format!("/{name}")
                        } else {
                            name.to_owned()
                        }
                    } else {
                        format!("{shown}/{name}")
                    };
                    (full, shown)
                };
                if !has_magic(part) {
                    let lit = unescape(part);
                    let (full, shown) = join(&lit);
                    if self.fs.lstat(&full).is_ok() {
                        next.push((full, shown));
                    }
                    continue;
                }
                let Ok(entries) = self.fs.read_dir(dir) else {
                    continue;
                };
                for e in entries {
                    let name = e.path.name().to_owned();
                    if name.starts_with('.') && !part.starts_with('.') {
                        continue;
                    }
                    if !matches(part, &name) {
                        continue;
                    }
                    if !last
                        && !matches!(
                            self.fs.stat(&join(&name).0).map(|s| s.node),
                            Ok(Node::Dir { .. })
                        )
                    {
                        continue;
                    }
                    next.push(join(&name));
                }
            }
            found = next;
        }
        let mut out: Vec<String> = found.into_iter().map(|(_, shown)| shown).collect();
        crate::sort::sort(&mut out);
        out
    }
}

fn has_magic(p: &str) -> bool {
    let mut esc = false;
    for c in p.chars() {
        if esc {
            esc = false;
        } else if c == '\\' {
            esc = true;
        } else if matches!(c, '*' | '?' | '[') {
            return true;
        }
    }
    false
}

fn unescape(p: &str) -> String {
    let mut out = String::new();
    let mut esc = false;
    for c in p.chars() {
        if !esc && c == '\\' {
            esc = true;
            continue;
        }
        esc = false;
        out.push(c);
    }
    out
}

/// Shell pattern matching: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`, `\` escapes.
pub(crate) fn matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
                continue;
            }
            Some('?') => Some(1),
            Some('[') => match class(&p[pi..], t[ti]) {
                Some((true, len)) => Some(len),
                _ => None,
            },
            Some('\\') if p.get(pi + 1) == Some(&t[ti]) => Some(2),
            Some(c) if *c == t[ti] && *c != '\\' => Some(1),
            _ => None,
        };
        match step {
            Some(n) => {
                pi += n;
                ti += 1;
            }
            None => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Whether `c` is in the bracket expression at the start of `p`, and its length.
fn class(p: &[char], c: char) -> Option<(bool, usize)> {
    let mut i = 1;
    let negate = matches!(p.get(1), Some('!' | '^'));
    if negate {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    while let Some(&x) = p.get(i) {
        if x == ']' && !first {
            return Some((hit != negate, i + 1));
        }
        first = false;
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|e| *e != ']') {
            if (x..=p[i + 2]).contains(&c) {
                hit = true;
            }
            i += 3;
        } else {
            hit |= x == c;
            i += 1;
        }
    }
    None
}

/// `${v#p}`, `${v##p}`, `${v%p}`, `${v%%p}`.
pub(crate) fn strip(v: &str, pat: &str, op: &str) -> String {
    let idx: Vec<usize> = v
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(v.len()))
        .collect();
    match op {
        "#" => idx
            .iter()
            .find(|&&i| matches(pat, &v[..i]))
            .map(|&i| v[i..].to_owned()),
        "##" => idx
            .iter()
            .rev()
            .find(|&&i| matches(pat, &v[..i]))
            .map(|&i| v[i..].to_owned()),
        "%" => idx
            .iter()
            .rev()
            .find(|&&i| matches(pat, &v[i..]))
            .map(|&i| v[..i].to_owned()),
        _ => idx
            .iter()
            .find(|&&i| matches(pat, &v[i..]))
            .map(|&i| v[..i].to_owned()),
    }
    .unwrap_or_else(|| v.to_owned())
}
