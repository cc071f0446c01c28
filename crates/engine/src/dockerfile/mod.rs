//! Dockerfiles, read as BuildKit reads them. Parsing never fails: it returns
//! every instruction it could read plus every diagnostic, each with a line and
//! column, BuildKit's wording where BuildKit has one, and a hint for learners.
//!
//! - `lines`: physical lines, parser directives, continuation, comments, heredocs.
//! - `instruction`: instruction words, flags, and each instruction's arguments.
//! - `tokens`: the pieces of each physical line, for an editor's colouring.
//! - `diagnostic`: diagnostics and their rendering with the source line and a caret.

mod diagnostic;
mod instruction;
mod lines;
mod tokens;

pub use diagnostic::{render, Diagnostic, Hint, Severity};
pub(crate) use instruction::{maybe_json, pairs};
pub use instruction::{Args, Flag, Instruction, Keyword, PairsError};
pub use lines::{Directives, Heredoc};
pub use tokens::{tokens, Pieces, Token};

/// A parsed Dockerfile: what could be read, and what is wrong with it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dockerfile {
    pub directives: Directives,
    pub instructions: Vec<Instruction>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Dockerfile {
    /// Whether any diagnostic is an error (warnings do not stop a build).
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Parses `text`. Never fails and never panics.
pub fn parse(text: &str) -> Dockerfile {
    let mut diagnostics = Vec::new();
    let (directives, logical) = lines::logical_lines(text, &mut diagnostics);
    let mut instructions = Vec::new();
    for line in logical {
        if let Some(i) = instruction::read(line, &mut diagnostics) {
            instructions.push(i);
        }
    }
    instruction::check_order(&instructions, text, &mut diagnostics);
    crate::sort::sort_by_key(&mut diagnostics, |d| (d.line, d.column));
    Dockerfile {
        directives,
        instructions,
        diagnostics,
    }
}
