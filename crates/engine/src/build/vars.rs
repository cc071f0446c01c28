//! Builder-side variable substitution (`$NAME`, `${NAME}`, `${NAME:-word}`,
//! `${NAME:+word}`, `${NAME-word}`, `${NAME+word}`), as BuildKit applies it to
//! COPY, ADD, ENV, LABEL, WORKDIR, USER, VOLUME, STOPSIGNAL, ARG, EXPOSE and FROM.
//! Quotes are removed; `\$` keeps a literal dollar.

use crate::map::Map;
use std::fmt;

/// A word that does not expand: BuildKit's `failed to process "WORD": …`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarError {
    pub word: String,
    pub why: Why,
}

/// What is wrong in the word.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Why {
    /// `${` with no `}`.
    MissingBrace,
    /// `${}` or `${` before a character that starts no name.
    BadSubstitution,
    /// `${NAME:?}` of an empty or unset variable.
    Empty(String),
    /// `${NAME?}` of an unset variable.
    Unset(String),
    /// `${NAME:?message}`: the name and the message as written.
    Message { name: String, message: String },
    /// `${NAME:x}`: the modifier's first character.
    Modifier(char),
    /// A word inside `${…}` that does not expand.
    Inner(Box<VarError>),
}

impl fmt::Display for VarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to process \"{}\": ", self.word)?;
        match &self.why {
            Why::MissingBrace => f.write_str("syntax error: missing '}'"),
            Why::BadSubstitution => f.write_str("syntax error: bad substitution"),
            Why::Empty(name) => write!(f, "{name}: is not allowed to be empty"),
            Why::Unset(name) => write!(f, "{name}: is not allowed to be unset"),
            Why::Message { name, message } => write!(f, "{name}: {message}"),
            Why::Modifier(c) => write!(f, "unsupported modifier ({c}) in substitution"),
            Why::Inner(e) => write!(f, "{e}"),
        }
    }
}

impl From<VarError> for Why {
    fn from(e: VarError) -> Why {
        Why::Inner(Box::new(e))
    }
}

/// Expands `word` with `vars`. Errors are worded as BuildKit words them.
pub fn expand(word: &str, vars: &Map<String, String>) -> Result<String, VarError> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut single = false;
    let mut double = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '\\' if !single && i + 1 < chars.len() => {
                let next = chars[i + 1];
                if !double || matches!(next, '"' | '$' | '\\') {
                    out.push(next);
                } else {
                    out.push('\\');
                    out.push(next);
                }
                i += 1;
            }
            '$' if !single => {
                let (value, used) = variable(&chars[i + 1..], vars).map_err(|why| VarError {
                    word: word.to_owned(),
                    why,
                })?;
                match value {
                    Some(v) => out.push_str(&v),
                    None => out.push('$'),
                }
                i += used;
            }
            c => out.push(c),
        }
        i += 1;
    }
    Ok(out)
}

/// An instruction as BuildKit names its step: variables expanded, quotes
/// kept, `\$` a literal dollar (`RUN echo "$E" \$E` shows `RUN echo "env" $E`).
/// A text it cannot expand is shown as written.
pub fn expand_shown(text: &str, vars: &Map<String, String>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let (mut single, mut double) = (false, false);
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' if !double => {
                single = !single;
                out.push(c);
            }
            '"' if !single => {
                double = !double;
                out.push(c);
            }
            '\\' if !single && i + 1 < chars.len() => {
                let next = chars[i + 1];
                if !matches!(next, '$' | '\\' | '"') || (!double && next == '"') {
                    out.push('\\');
                }
                out.push(next);
                i += 1;
            }
            '$' if !single => match variable(&chars[i + 1..], vars) {
                Ok((value, used)) => {
                    match value {
                        Some(v) => out.push_str(&v),
                        None => out.push('$'),
                    }
                    i += used;
                }
                Err(_) => return text.to_owned(),
            },
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// The value after a `$` and how many characters it used (`None`: a literal `$`).
fn variable(rest: &[char], vars: &Map<String, String>) -> Result<(Option<String>, usize), Why> {
    let name_len = |s: &[char]| {
        s.iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
            .count()
    };
    match rest.first() {
        Some('{') => {
            let body = &rest[1..];
            let Some(end) = body.iter().position(|c| *c == '}') else {
                return Err(Why::MissingBrace);
            };
            let inner: String = body[..end].iter().collect();
            let n = name_len(&body[..end]);
            if n == 0 {
                return Err(Why::BadSubstitution);
            }
            let name = &inner[..n];
            let op = &inner[n..];
            let value = vars.get(name);
            let set = value.is_some();
            let nonempty = value.is_some_and(|v| !v.is_empty());
            let v = value.cloned().unwrap_or_default();
            let result = if op.is_empty() {
                v
            } else if let Some(w) = op.strip_prefix(":-") {
                if nonempty {
                    v
                } else {
                    expand(w, vars)?
                }
            } else if let Some(w) = op.strip_prefix(":+") {
                if nonempty {
                    expand(w, vars)?
                } else {
                    String::new()
                }
            } else if let Some(w) = op.strip_prefix('-') {
                if set {
                    v
                } else {
                    expand(w, vars)?
                }
            } else if let Some(w) = op.strip_prefix('+') {
                if set {
                    expand(w, vars)?
                } else {
                    String::new()
                }
            } else if let Some(w) = op.strip_prefix(":?").or_else(|| op.strip_prefix('?')) {
                let strict = op.starts_with(':');
                if (strict && nonempty) || (!strict && set) {
                    v
                } else if w.is_empty() && strict {
                    return Err(Why::Empty(name.to_owned()));
                } else if w.is_empty() {
                    return Err(Why::Unset(name.to_owned()));
                } else {
                    return Err(Why::Message {
                        name: name.to_owned(),
                        message: w.to_owned(),
                    });
                }
            } else if let Some(p) = ["##", "%%", "#", "%"]
                .into_iter()
                .find(|p| op.starts_with(p))
            {
                let pattern = expand(&op[p.len()..], vars)?;
                crate::shell::strip(&v, &pattern, p)
            } else {
                return Err(Why::Modifier(op.chars().next().unwrap_or(' ')));
            };
            Ok((Some(result), end + 2))
        }
        Some(c) if c.is_ascii_alphabetic() || *c == '_' => {
            let n = name_len(rest);
            let name: String = rest[..n].iter().collect();
            Ok((Some(vars.get(&name).cloned().unwrap_or_default()), n))
        }
        _ => Ok((None, 0)),
    }
}

#[cfg(test)]
mod tests {
    use super::expand;
    use crate::map::Map;

    #[test]
    fn forms_expand_as_buildkit_expands_them() {
        let vars: Map<String, String> = [("A", "1"), ("E", "")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let cases = [
            ("$A", "1"),
            ("${A}x", "1x"),
            ("$B", ""),
            ("${B:-d}", "d"),
            ("${E:-d}", "d"),
            ("${E-d}", ""),
            ("${A:+y}", "y"),
            ("${E+y}", "y"),
            ("'$A'", "$A"),
            ("\"$A\"", "1"),
            ("\\$A", "$A"),
            ("a$", "a$"),
            ("/app/${A}/x", "/app/1/x"),
            ("${A%1}", ""),
        ];
        for (input, want) in cases {
            assert_eq!(expand(input, &vars).as_deref(), Ok(want), "{input}");
        }
        for (input, want) in [
            ("${", "failed to process \"${\": syntax error: missing '}'"),
            (
                "${}",
                "failed to process \"${}\": syntax error: bad substitution",
            ),
            (
                "${B:?}",
                "failed to process \"${B:?}\": B: is not allowed to be empty",
            ),
            (
                "${A:x}",
                "failed to process \"${A:x}\": unsupported modifier (:) in substitution",
            ),
        ] {
            let got = expand(input, &vars).map_err(|e| e.to_string());
            assert_eq!(got, Err(want.to_owned()), "{input}");
        }
    }
}
