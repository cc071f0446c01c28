//! Why a build stopped: the message as Docker words it, who words it, and for
//! BuildKit where in the Dockerfile (the line, and the lines around it that it
//! prints above the error).

use std::fmt;

/// Who words a build error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// BuildKit's solver: `failed to solve: …`; the classic builder prints
    /// the rest alone.
    Solve,
    /// Any other message, printed as it is.
    Other,
}

/// A build error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    pub kind: ErrorKind,
    /// The Dockerfile line BuildKit points at.
    pub line: Option<usize>,
    /// That line and the lines around it, as BuildKit prints them.
    pub snippet: Option<String>,
    pub message: String,
}

const SOLVE: &str = "failed to solve: ";

impl BuildError {
    /// BuildKit's error at a Dockerfile line, shown with its snippet.
    pub(crate) fn at(line: usize, snippet: String, message: impl fmt::Display) -> BuildError {
        BuildError {
            line: Some(line),
            snippet: Some(snippet),
            ..BuildError::solve(message)
        }
    }

    /// BuildKit's solver's error: `failed to solve: …`.
    pub(crate) fn solve(message: impl fmt::Display) -> BuildError {
        BuildError {
            kind: ErrorKind::Solve,
            line: None,
            snippet: None,
            message: message.to_string(),
        }
    }

    /// Any other message, printed as it is.
    pub(crate) fn other(message: impl fmt::Display) -> BuildError {
        BuildError {
            kind: ErrorKind::Other,
            ..BuildError::solve(message)
        }
    }

    /// A build refused before its first step: by BuildKit's solver, or by
    /// the daemon under the classic builder.
    pub(crate) fn refused(legacy: bool, message: impl fmt::Display) -> BuildError {
        if legacy {
            BuildError::other(format!("Error response from daemon: {message}"))
        } else {
            BuildError::solve(message)
        }
    }

    /// The whole message, as `docker build` prints it after `ERROR: `.
    pub fn text(&self) -> String {
        match self.kind {
            ErrorKind::Solve => format!("{SOLVE}{}", self.message),
            ErrorKind::Other => self.message.clone(),
        }
    }
}

/// Why the Dockerfile could not be read: the solver's error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum DockerfileError {
    Missing(String),
    /// Over [`super::MAX_DOCKERFILE`]: refused whole rather than cut.
    TooLarge {
        name: String,
        bytes: u64,
    },
}

impl fmt::Display for DockerfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("failed to read dockerfile: ")?;
        match self {
            DockerfileError::Missing(name) => write!(f, "open {name}: no such file or directory"),
            DockerfileError::TooLarge { name, bytes } => write!(
                f,
                "{name} is {bytes} bytes, more than the {} MiB Layerlab reads",
                super::MAX_DOCKERFILE >> 20
            ),
        }
    }
}
