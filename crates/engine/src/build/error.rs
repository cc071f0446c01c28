//! Why a build stopped: the message as Docker words it, who words it, and for
//! BuildKit where in the Dockerfile (the line, and the lines around it that it
//! prints above the error).

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
    pub(crate) fn at(line: usize, snippet: String, message: impl Into<String>) -> BuildError {
        BuildError {
            kind: ErrorKind::Solve,
            line: Some(line),
            snippet: Some(snippet),
            message: message.into(),
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

/// A message as Docker words it: `failed to solve: …` is the solver's.
impl From<String> for BuildError {
    fn from(text: String) -> BuildError {
        let (kind, message) = match text.strip_prefix(SOLVE) {
            Some(rest) => (ErrorKind::Solve, rest.to_owned()),
            None => (ErrorKind::Other, text),
        };
        BuildError {
            kind,
            line: None,
            snippet: None,
            message,
        }
    }
}

impl From<&str> for BuildError {
    fn from(text: &str) -> BuildError {
        BuildError::from(text.to_owned())
    }
}
