//! Diagnostics, and rendering them as text with the source line and a caret.

use std::fmt::Write as _;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// Layerlab's advice on a diagnostic. The app shows it in the learner's language;
/// [`Hint::en`] is the English text the CLI prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hint {
    /// Every line starts with an instruction word.
    InstructionWord,
    /// `INSTRUCTION` takes no flags.
    NoFlags(&'static str),
    /// `INSTRUCTION` accepts these flags.
    Flags(&'static str, &'static [&'static str]),
    /// The escape directive takes `\` or a backtick.
    EscapeToken,
    /// Remove the blank line inside a continuation.
    EmptyContinuation,
    /// End heredoc NAME with a line holding only NAME.
    EndHeredoc(String),
    /// An empty Dockerfile: start with FROM.
    StartWithFrom,
    /// Only ARG may come before the first FROM.
    FromFirst,
}

impl Hint {
    pub fn en(&self) -> String {
        match self {
            Hint::InstructionWord => "an instruction starts each line: FROM, RUN, COPY, CMD …".into(),
            Hint::NoFlags(kw) => format!("{kw} takes no flags"),
            Hint::Flags(kw, flags) => format!("{kw} accepts --{}", flags.join(", --")),
            Hint::EscapeToken => "the escape directive takes a backslash or a backtick".into(),
            Hint::EmptyContinuation => {
                "remove the blank line, or end the instruction before it; empty continuation lines will become errors".into()
            }
            Hint::EndHeredoc(name) => format!("end the heredoc with a line that holds only {name}"),
            Hint::StartWithFrom => "start with a base image, for example: FROM ubuntu:15.04".into(),
            Hint::FromFirst => "every stage starts with FROM; only ARG may come before the first FROM".into(),
        }
    }
}

/// One problem in a Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// 1-based line where the problem starts.
    pub line: usize,
    /// 1-based column (in characters) where the caret goes.
    pub column: usize,
    /// How many characters the caret underlines (at least 1).
    pub width: usize,
    /// BuildKit's wording where BuildKit has one.
    pub message: String,
    /// What to do about it, for learners.
    pub hint: Option<Hint>,
}

impl Diagnostic {
    pub fn error(line: usize, column: usize, width: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            line,
            column,
            width: width.max(1),
            message: message.into(),
            hint: None,
        }
    }

    pub fn warning(line: usize, column: usize, width: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(line, column, width, message)
        }
    }

    pub fn with_hint(mut self, hint: Hint) -> Self {
        self.hint = Some(hint);
        self
    }
}

/// Renders diagnostics against `source` as a terminal would show them:
///
/// ```text
/// error: unknown instruction: RUNN (did you mean RUN?)
///  --> Dockerfile:3:1
///   |
/// 3 | RUNN make /app
///   | ^^^^
///   = hint: …
/// ```
pub fn render(source: &str, diagnostics: &[Diagnostic]) -> String {
    let lines: Vec<&str> = source
        .trim_start_matches('\u{feff}')
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .collect();
    let mut out = String::new();
    for d in diagnostics {
        let label = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let number = d.line.to_string();
        let pad = " ".repeat(number.len());
        let _ = writeln!(out, "{label}: {}", d.message);
        let _ = writeln!(out, "{pad}--> Dockerfile:{}:{}", d.line, d.column);
        if let Some(text) = d.line.checked_sub(1).and_then(|i| lines.get(i)) {
            let shown: String = text.chars().take(200).collect();
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{number} | {shown}");
            let caret = format!(
                "{}{}",
                " ".repeat(d.column.saturating_sub(1)),
                "^".repeat(d.width)
            );
            let _ = writeln!(out, "{pad} | {caret}");
        }
        if let Some(h) = &d.hint {
            let _ = writeln!(out, "{pad} = hint: {}", h.en());
        }
    }
    out
}
