//! Instructions: the keyword, `--flags`, and each instruction's arguments, with
//! BuildKit's errors for each shape it refuses.

use super::diagnostic::{Diagnostic, Hint};
use super::lines::{Heredoc, Logical};

/// The Dockerfile instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    From,
    Run,
    Cmd,
    Label,
    Maintainer,
    Expose,
    Env,
    Add,
    Copy,
    Entrypoint,
    Volume,
    User,
    Workdir,
    Arg,
    Onbuild,
    Stopsignal,
    Healthcheck,
    Shell,
}

impl Keyword {
    pub const ALL: [Keyword; 18] = [
        Keyword::From,
        Keyword::Run,
        Keyword::Cmd,
        Keyword::Label,
        Keyword::Maintainer,
        Keyword::Expose,
        Keyword::Env,
        Keyword::Add,
        Keyword::Copy,
        Keyword::Entrypoint,
        Keyword::Volume,
        Keyword::User,
        Keyword::Workdir,
        Keyword::Arg,
        Keyword::Onbuild,
        Keyword::Stopsignal,
        Keyword::Healthcheck,
        Keyword::Shell,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Keyword::From => "FROM",
            Keyword::Run => "RUN",
            Keyword::Cmd => "CMD",
            Keyword::Label => "LABEL",
            Keyword::Maintainer => "MAINTAINER",
            Keyword::Expose => "EXPOSE",
            Keyword::Env => "ENV",
            Keyword::Add => "ADD",
            Keyword::Copy => "COPY",
            Keyword::Entrypoint => "ENTRYPOINT",
            Keyword::Volume => "VOLUME",
            Keyword::User => "USER",
            Keyword::Workdir => "WORKDIR",
            Keyword::Arg => "ARG",
            Keyword::Onbuild => "ONBUILD",
            Keyword::Stopsignal => "STOPSIGNAL",
            Keyword::Healthcheck => "HEALTHCHECK",
            Keyword::Shell => "SHELL",
        }
    }

    pub fn parse(word: &str) -> Option<Keyword> {
        Keyword::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(word))
    }

    /// Flags BuildKit accepts on this instruction.
    fn flags(self) -> &'static [&'static str] {
        match self {
            Keyword::From => &["platform"],
            Keyword::Run => &["mount", "network", "security", "device"],
            Keyword::Copy => &["from", "chown", "chmod", "link", "parents", "exclude"],
            Keyword::Add => &[
                "chown",
                "chmod",
                "link",
                "keep-git-dir",
                "checksum",
                "unpack",
                "exclude",
            ],
            Keyword::Healthcheck => &[
                "interval",
                "timeout",
                "start-period",
                "start-interval",
                "retries",
            ],
            _ => &[],
        }
    }
}

/// A `--name[=value]` flag before the arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
}

/// An instruction's arguments, in the form its parser gives them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Args {
    /// Exec (JSON) form: `["python", "app.py"]`.
    Json(Vec<String>),
    /// Shell form: the text, handed to the shell as is.
    Shell(String),
    /// Whitespace-separated words (FROM, EXPOSE, ARG, COPY/ADD/VOLUME in shell form).
    Words(Vec<String>),
    /// `name=value` pairs (ENV, LABEL).
    Pairs(Vec<(String, String)>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// `None` for a word that is no instruction (kept so the editor can point at it).
    pub keyword: Option<Keyword>,
    /// The instruction word as written.
    pub word: String,
    pub flags: Vec<Flag>,
    pub args: Args,
    pub heredocs: Vec<Heredoc>,
    /// The joined text of the instruction, continuation removed.
    pub original: String,
    pub start_line: usize,
    pub end_line: usize,
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// BuildKit's suggestion for an unknown word: the instruction within distance 2, cased like the input.
fn suggestion(word: &str) -> Option<String> {
    let upper = word.to_ascii_uppercase();
    let best = Keyword::ALL
        .into_iter()
        .map(|k| (levenshtein(&upper, k.name()), k))
        .filter(|(d, _)| *d < 3)
        .min_by_key(|(d, _)| *d)?;
    let name = best.1.name();
    Some(if word.chars().all(|c| !c.is_ascii_uppercase()) {
        name.to_ascii_lowercase()
    } else {
        name.to_owned()
    })
}

/// ENV or LABEL pairs that do not read, as BuildKit words it; `what` is
/// the instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PairsError {
    /// The legacy form with a key and no value.
    NoValue {
        what: String,
    },
    /// A word of the `k=v` form without `=`.
    NoEquals(String),
    BlankName {
        what: String,
    },
}

impl std::fmt::Display for PairsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PairsError::NoValue { what } => write!(f, "{what} must have two arguments"),
            PairsError::NoEquals(word) => write!(
                f,
                "Syntax error - can't find = in \"{word}\". Must be of the form: name=value"
            ),
            PairsError::BlankName { what } => write!(f, "{what} names can not be blank"),
        }
    }
}

/// A JSON array that holds something other than strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct NotStrings;

impl std::fmt::Display for NotStrings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("when using JSON array syntax, arrays must be comprised of strings only")
    }
}

/// `k=v k2="v 2"` pairs, or the legacy `KEY value with spaces` (ENV, LABEL,
/// and `docker commit --change`).
pub(crate) fn pairs(what: &str, rest: &str) -> Result<Vec<(String, String)>, PairsError> {
    let first = rest.split_whitespace().next().unwrap_or("");
    if !first.contains('=') {
        let (k, v) = rest
            .split_once(char::is_whitespace)
            .ok_or_else(|| PairsError::NoValue {
                what: what.to_owned(),
            })?;
        return Ok(vec![(k.to_owned(), v.trim().to_owned())]);
    }
    let mut out = Vec::new();
    for word in split_quoted(rest) {
        let (k, v) = word
            .split_once('=')
            .ok_or_else(|| PairsError::NoEquals(word.clone()))?;
        if k.is_empty() {
            return Err(PairsError::BlankName {
                what: what.to_owned(),
            });
        }
        out.push((k.to_owned(), v.to_owned()));
    }
    Ok(out)
}

/// Splits on whitespace outside quotes, removing the quotes.
fn split_quoted(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut in_word = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (Some(q), c) if c == q => quote = None,
            (_, '\\') => {
                if let Some(n) = chars.next() {
                    word.push(n);
                }
                in_word = true;
            }
            (_, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// JSON array of strings, the silent fallback to shell form on bad JSON, and
/// BuildKit's error for an array holding something else.
pub(crate) fn maybe_json(rest: &str) -> Result<Option<Vec<String>>, NotStrings> {
    let t = rest.trim_start();
    if !t.starts_with('[') {
        return Ok(None);
    }
    if let Ok(strings) = serde_json::from_str::<Vec<String>>(t) {
        return Ok(Some(strings));
    }
    // Valid JSON, but an array of something else: BuildKit's error.
    match serde_json::from_str::<Vec<serde::de::IgnoredAny>>(t) {
        Ok(_) => Err(NotStrings),
        Err(_) => Ok(None),
    }
}

/// Reads one logical line as an instruction, recording its problems.
pub fn read(line: Logical, diagnostics: &mut Vec<Diagnostic>) -> Option<Instruction> {
    let text = line.text.trim();
    let (word, rest) = match text.find(|c: char| c.is_whitespace()) {
        Some(i) => (&text[..i], text[i..].trim_start()),
        None => (text, ""),
    };
    let column = line.indent + 1;
    let at = |msg: String, width: usize| Diagnostic::error(line.start_line, column, width, msg);
    let keyword = Keyword::parse(word);
    let Some(kw) = keyword else {
        let mut message = format!("unknown instruction: {word}");
        if let Some(s) = suggestion(word) {
            message.push_str(&format!(" (did you mean {s}?)"));
        }
        diagnostics.push(at(message, word.chars().count()).with_hint(Hint::InstructionWord));
        return Some(Instruction {
            keyword: None,
            word: word.to_owned(),
            flags: Vec::new(),
            args: Args::Shell(rest.to_owned()),
            heredocs: line.heredocs,
            original: text.to_owned(),
            start_line: line.start_line,
            end_line: line.end_line,
        });
    };
    let name = kw.name();

    // Leading --flags.
    let mut rest = rest;
    let flags = read_flags(
        kw,
        &mut rest,
        &|msg| at(msg, word.chars().count()),
        diagnostics,
    );

    let fail = |diagnostics: &mut Vec<Diagnostic>, msg: String| {
        diagnostics.push(at(msg, word.chars().count()))
    };
    let args = match kw {
        Keyword::Run | Keyword::Cmd | Keyword::Entrypoint | Keyword::Shell => {
            match maybe_json(rest) {
                Ok(Some(list)) => Args::Json(list),
                Ok(None) => {
                    if kw == Keyword::Shell {
                        fail(
                            diagnostics,
                            "SHELL requires the arguments to be in JSON form".into(),
                        );
                    }
                    Args::Shell(rest.to_owned())
                }
                Err(e) => {
                    fail(diagnostics, e.to_string());
                    Args::Shell(rest.to_owned())
                }
            }
        }
        Keyword::Add | Keyword::Copy | Keyword::Volume => match maybe_json(rest) {
            Ok(Some(list)) => Args::Json(list),
            Ok(None) => Args::Words(rest.split_whitespace().map(str::to_owned).collect()),
            Err(e) => {
                fail(diagnostics, e.to_string());
                Args::Words(Vec::new())
            }
        },
        Keyword::Env | Keyword::Label => match pairs(name, rest) {
            Ok(p) => Args::Pairs(p),
            Err(e) => {
                fail(diagnostics, e.to_string());
                Args::Pairs(Vec::new())
            }
        },
        Keyword::From | Keyword::Expose | Keyword::Arg => {
            Args::Words(rest.split_whitespace().map(str::to_owned).collect())
        }
        _ => Args::Shell(rest.to_owned()),
    };

    // Arity and shape, as BuildKit words it.
    check_arity(kw, &args, line.heredocs.len(), &mut |msg| {
        fail(diagnostics, msg)
    });

    Some(Instruction {
        keyword,
        word: word.to_owned(),
        flags,
        args,
        heredocs: line.heredocs,
        original: text.to_owned(),
        start_line: line.start_line,
        end_line: line.end_line,
    })
}

/// An instruction's leading `--flags`, each checked against the ones its
/// keyword takes; `rest` is left at its arguments.
fn read_flags(
    kw: Keyword,
    rest: &mut &str,
    at: &dyn Fn(String) -> Diagnostic,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Flag> {
    let name = kw.name();
    let mut flags = Vec::new();
    while let Some(flag) = rest.strip_prefix("--") {
        let end = flag.find(char::is_whitespace).unwrap_or(flag.len());
        let (body, tail) = flag.split_at(end);
        *rest = tail.trim_start();
        if body.is_empty() {
            break;
        }
        let (fname, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v.trim_matches('"').to_owned())),
            None => (body, None),
        };
        if !kw.flags().contains(&fname) {
            diagnostics.push(at(format!("unknown flag: {fname}")).with_hint(
                if kw.flags().is_empty() {
                    Hint::NoFlags(name)
                } else {
                    Hint::Flags(name, kw.flags())
                },
            ));
        } else if flags.iter().any(|f: &Flag| f.name == fname) {
            diagnostics.push(at(format!("duplicate flag specified: {fname}")));
        }
        flags.push(Flag {
            name: fname.to_owned(),
            value,
        });
    }
    flags
}

/// The number and shape of an instruction's arguments, as BuildKit words
/// its complaints.
fn check_arity(kw: Keyword, args: &Args, heredocs: usize, fail: &mut dyn FnMut(String)) {
    let name = kw.name();
    let count = match args {
        Args::Json(v) | Args::Words(v) => v.len(),
        Args::Pairs(p) => p.len(),
        Args::Shell(s) => usize::from(!s.trim().is_empty()),
    } + heredocs;
    match kw {
        Keyword::From => {
            if let Args::Words(w) = args {
                let as_ok = w.len() == 1 || (w.len() == 3 && w[1].eq_ignore_ascii_case("as"));
                if !as_ok {
                    fail("FROM requires either one or three arguments".into());
                } else if w.len() == 3 {
                    let stage = w[2].to_ascii_lowercase();
                    let valid = stage.starts_with(|c: char| c.is_ascii_lowercase())
                        && stage.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c));
                    if !valid {
                        fail(format!("invalid name for build stage: \"{}\", name can't start with a number or contain symbols", w[2]));
                    }
                }
            }
        }
        Keyword::Copy | Keyword::Add if count < 2 => fail(
            format!("{name} requires at least two arguments, but only one was provided. Destination could not be determined"),
        ),
        Keyword::Workdir | Keyword::User | Keyword::Stopsignal | Keyword::Maintainer if count != 1 => {
            fail(format!("{name} requires exactly one argument"))
        }
        Keyword::Env | Keyword::Label => {}
        _ if count == 0 => fail(format!("{name} requires at least one argument")),
        _ => {}
    }
}

/// File-level rules: something to build, and FROM before anything but ARG.
pub fn check_order(instructions: &[Instruction], source: &str, diagnostics: &mut Vec<Diagnostic>) {
    if instructions.is_empty() {
        let only_comments = source.lines().any(|l| !l.trim().is_empty());
        let msg = if only_comments {
            "file with no instructions"
        } else {
            "the Dockerfile cannot be empty"
        };
        diagnostics.push(Diagnostic::error(1, 1, 1, msg).with_hint(Hint::StartWithFrom));
        return;
    }
    for i in instructions {
        match i.keyword {
            Some(Keyword::From) => return,
            Some(Keyword::Arg) | None => {}
            Some(_) => {
                diagnostics.push(
                    Diagnostic::error(
                        i.start_line,
                        1,
                        i.word.chars().count(),
                        "no build stage in current context",
                    )
                    .with_hint(Hint::FromFirst),
                );
                return;
            }
        }
    }
}
