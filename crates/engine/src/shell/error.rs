//! The shell's errors as data: why a word did not expand, why a file a
//! command names could not be read or written. Each displays as dash words
//! it; busybox's ash words some its own way, from the same facts.

use super::arith::ArithError;
use super::syntax::SyntaxError;
use crate::budget::Exceeded;
use crate::error::Errno;
use std::fmt;

/// Why a file a command reads or writes failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileError {
    /// The file system's answer (a write past the budget is `FileTooLarge`).
    Errno(Errno),
    /// `/dev/zero`, `/dev/urandom`, `/dev/random`: only `dd` reads them.
    EndlessDevice,
}

impl FileError {
    /// Whether the file (or a directory on its way) does not exist.
    pub fn is_missing(self) -> bool {
        self == FileError::Errno(Errno::NotFound)
    }
}

impl From<Errno> for FileError {
    fn from(errno: Errno) -> FileError {
        FileError::Errno(errno)
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Errno(e) => f.write_str(e.message()),
            FileError::EndlessDevice => {
                f.write_str("reading endless devices is only simulated by dd")
            }
        }
    }
}

/// Why a word could not be expanded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpandError {
    /// A `${V:-word}` word or heredoc body that does not parse.
    Syntax(SyntaxError),
    /// `$(( ))` that does not evaluate; `expr` as written.
    Arith { error: ArithError, expr: String },
    /// `${V:?word}` of an unset (or, with `:`, empty) variable: `word`
    /// expanded, empty for the shell's own words.
    Unset { name: String, word: String },
    /// `${…}` with an operator sh does not know: the text inside the braces.
    BadSubstitution(String),
    /// The expansion passed the line's byte budget.
    Stopped(Exceeded),
}

impl ExpandError {
    /// busybox ash's wording of an arithmetic error, which names no expression.
    pub(super) fn busybox_arith(&self) -> Option<&'static str> {
        match self {
            ExpandError::Arith {
                error: ArithError::DivisionByZero,
                ..
            } => Some("divide by zero"),
            ExpandError::Arith { .. } => Some("arithmetic syntax error"),
            _ => None,
        }
    }
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpandError::Syntax(e) => f.write_str(&e.message()),
            ExpandError::Arith { error, expr } => f.write_str(&error.message(expr)),
            ExpandError::Unset { name, word } if word.is_empty() => {
                write!(f, "{name}: parameter not set")
            }
            ExpandError::Unset { name, word } => write!(f, "{name}: {word}"),
            ExpandError::BadSubstitution(inner) => write!(f, "${{{inner}}}: Bad substitution"),
            ExpandError::Stopped(why) => write!(f, "{why}"),
        }
    }
}
