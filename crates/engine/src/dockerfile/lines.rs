//! From text to logical lines: BOM and CRLF, parser directives, comments, line
//! continuation exactly as BuildKit joins lines, and heredoc bodies.

use super::diagnostic::{Diagnostic, Hint};

const MAX_LINE: usize = 65_535;

/// Parser directives from the top of the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directives {
    pub syntax: Option<String>,
    /// `\` (the default) or a backtick.
    pub escape: char,
    pub check: Option<String>,
}

impl Default for Directives {
    fn default() -> Self {
        Directives {
            syntax: None,
            escape: '\\',
            check: None,
        }
    }
}

/// One instruction's text, joined from its physical lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logical {
    pub text: String,
    /// 1-based physical lines the instruction spans (heredoc bodies included).
    pub start_line: usize,
    pub end_line: usize,
    /// Characters of leading whitespace removed from the first line.
    pub indent: usize,
    pub heredocs: Vec<Heredoc>,
    pub escape: char,
}

/// `# key=value` at the top of the file, BuildKit's directive form.
fn directive(line: &str) -> Option<(String, String)> {
    let body = line.trim_start().strip_prefix('#')?.trim_start();
    let (key, value) = body.split_once('=')?;
    let key = key.trim_end();
    let value = value.trim();
    let valid_key = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric());
    (valid_key && !value.is_empty()).then(|| (key.to_ascii_lowercase(), value.to_owned()))
}

/// If `line` continues on the next line, the line without its escape token.
pub(super) fn continued(line: &str, escape: char) -> Option<&str> {
    let trimmed = line.trim_end_matches([' ', '\t']);
    let before = trimmed.strip_suffix(escape)?;
    if before.ends_with(escape) {
        return None;
    }
    Some(before)
}

/// A heredoc attached to RUN, COPY or ADD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heredoc {
    pub name: String,
    pub body: String,
    /// Unquoted delimiter: variables are expanded in the body.
    pub expand: bool,
    /// `<<-`: leading tabs were stripped.
    pub chomp: bool,
}

/// Heredoc markers (`<<EOF`, `<<-EOF`, `<<'EOF'`) in an instruction that can have them.
pub(super) fn heredoc_markers(text: &str) -> Vec<(String, bool, bool)> {
    let mut words = text.split_whitespace();
    let keyword = words.next().unwrap_or("").to_ascii_lowercase();
    if !matches!(keyword.as_str(), "run" | "copy" | "add") {
        return Vec::new();
    }
    let rest: Vec<&str> = words.collect();
    if rest
        .iter()
        .find(|w| !w.starts_with("--"))
        .is_some_and(|w| w.starts_with('['))
    {
        return Vec::new();
    }
    let mut found = Vec::new();
    for w in rest {
        let w = w.trim_start_matches(|c: char| c.is_ascii_digit());
        let Some(after) = w.strip_prefix("<<") else {
            continue;
        };
        let (chomp, delim) = match after.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, after),
        };
        if delim.is_empty() || delim.contains('<') {
            continue;
        }
        let quoted = delim.contains(['\'', '"']);
        let name: String = delim.chars().filter(|c| *c != '\'' && *c != '"').collect();
        if !name.is_empty() {
            found.push((name, chomp, !quoted));
        }
    }
    found
}

/// The parser directives (`syntax`, `escape`, `check`): only at the very top,
/// before any other line. Returns them and the index of the first line after.
fn directives(physical: &[&str], diagnostics: &mut Vec<Diagnostic>) -> (Directives, usize) {
    let mut directives = Directives::default();
    let mut i = 0;

    let mut seen: Vec<String> = Vec::new();
    while i < physical.len() {
        let Some((key, value)) = directive(physical[i]) else {
            break;
        };
        if !matches!(key.as_str(), "syntax" | "escape" | "check") {
            break;
        }
        if seen.contains(&key) {
            diagnostics.push(Diagnostic::error(
                i + 1,
                1,
                physical[i].chars().count(),
                format!("only one {key} parser directive can be used"),
            ));
        }
        match key.as_str() {
            "escape" if value == "\\" || value == "`" => {
                directives.escape = value.chars().next().unwrap_or('\\')
            }
            "escape" => diagnostics.push(
                Diagnostic::error(
                    i + 1,
                    1,
                    physical[i].chars().count(),
                    format!("invalid escape token '{value}' does not match ` or \\"),
                )
                .with_hint(Hint::EscapeToken),
            ),
            "syntax" => directives.syntax = value.split_whitespace().next().map(str::to_owned),
            _ => directives.check = Some(value),
        }
        seen.push(key);
        i += 1;
    }
    (directives, i)
}

/// Splits `text` into directives and logical lines, recording problems in `diagnostics`.
pub fn logical_lines(text: &str, diagnostics: &mut Vec<Diagnostic>) -> (Directives, Vec<Logical>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let physical: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let (directives, mut i) = directives(&physical, diagnostics);

    let esc = directives.escape;
    let mut out = Vec::new();
    while i < physical.len() {
        let first = physical[i];
        if first.len() > MAX_LINE {
            diagnostics.push(Diagnostic::error(
                i + 1,
                1,
                1,
                format!("dockerfile line greater than max allowed size of {MAX_LINE}"),
            ));
            i += 1;
            continue;
        }
        let trimmed = first.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            i += 1;
            continue;
        }
        let start_line = i + 1;
        let indent = first.chars().count() - trimmed.chars().count();
        let mut joined = String::new();
        let mut line = trimmed;
        loop {
            match continued(line, esc) {
                Some(head) => {
                    joined.push_str(head);
                    i += 1;
                    // Comment lines inside a continuation are dropped; empty ones are a warning.
                    loop {
                        match physical.get(i) {
                            Some(next) if next.trim_start().starts_with('#') => i += 1,
                            Some(next) if next.trim().is_empty() && i + 1 < physical.len() => {
                                diagnostics.push(
                                    Diagnostic::warning(i + 1, 1, 1, "Empty continuation line")
                                        .with_hint(Hint::EmptyContinuation),
                                );
                                i += 1;
                            }
                            _ => break,
                        }
                    }
                    match physical.get(i) {
                        Some(next) => line = next,
                        None => break,
                    }
                }
                None => {
                    joined.push_str(line);
                    i += 1;
                    break;
                }
            }
        }
        let mut end_line = i.max(start_line);
        let mut heredocs = Vec::new();
        for (name, chomp, expand) in heredoc_markers(&joined) {
            let mut body = String::new();
            let mut closed = false;
            while i < physical.len() {
                let l = physical[i];
                i += 1;
                let compared = if chomp { l.trim_start_matches('\t') } else { l };
                if compared == name {
                    closed = true;
                    break;
                }
                body.push_str(if chomp { compared } else { l });
                body.push('\n');
            }
            end_line = i;
            if !closed {
                diagnostics.push(
                    Diagnostic::error(
                        start_line,
                        indent + 1,
                        trimmed.chars().count(),
                        "unterminated heredoc",
                    )
                    .with_hint(Hint::EndHeredoc(name.clone())),
                );
            }
            heredocs.push(Heredoc {
                name,
                body,
                expand,
                chomp,
            });
        }
        out.push(Logical {
            text: joined,
            start_line,
            end_line,
            indent,
            heredocs,
            escape: esc,
        });
    }
    (directives, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<String> {
        let mut d = Vec::new();
        logical_lines(src, &mut d)
            .1
            .into_iter()
            .map(|l| l.text)
            .collect()
    }

    #[test]
    fn lines_join_as_buildkit_joins_them() {
        let cases: &[(&str, &[&str])] = &[
            ("RUN a && \\\n    b", &["RUN a &&     b"]),
            ("RUN echo foo\\\nbar", &["RUN echo foobar"]),
            ("RUN a \\  \n  b", &["RUN a   b"]),
            ("RUN a \\\n# comment\n  b", &["RUN a   b"]),
            (
                "RUN echo '# not a comment'",
                &["RUN echo '# not a comment'"],
            ),
            ("  FROM x\r\n\r\nRUN y\\\\", &["FROM x", "RUN y\\\\"]),
            ("\u{feff}FROM x\nRUN a \\", &["FROM x", "RUN a "]),
        ];
        for (src, want) in cases {
            assert_eq!(
                texts(src),
                want.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                "{src:?}"
            );
        }
    }

    #[test]
    fn directives_are_read_only_at_the_top() {
        let mut d = Vec::new();
        let (dir, lines) = logical_lines(
            "# syntax=docker/dockerfile:1\n#escape=`\nFROM x\nRUN a `\n b\n# escape=\\",
            &mut d,
        );
        assert_eq!(dir.syntax.as_deref(), Some("docker/dockerfile:1"));
        assert_eq!(dir.escape, '`');
        assert_eq!(lines[1].text, "RUN a  b");
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn heredocs_keep_their_bodies() {
        let mut d = Vec::new();
        let (_, lines) = logical_lines("FROM x\nRUN <<EOF\necho hi\n  echo there\nEOF\nCOPY <<-'CONF' /etc/x\n\tkey=$v\n\tCONF\n", &mut d);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].heredocs[0].body, "echo hi\n  echo there\n");
        assert_eq!((lines[1].start_line, lines[1].end_line), (2, 5));
        let conf = &lines[2].heredocs[0];
        assert_eq!(
            (
                conf.name.as_str(),
                conf.body.as_str(),
                conf.expand,
                conf.chomp
            ),
            ("CONF", "key=$v\n", false, true)
        );
        let mut d = Vec::new();
        logical_lines("FROM x\nRUN <<EOF\necho never closed\n", &mut d);
        assert_eq!(
            d.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(),
            ["unterminated heredoc"]
        );
    }
}
