//! Why a build stopped: the message as Docker words it, who words it, and for
//! BuildKit where in the Dockerfile (the line, and the lines around it that it
//! prints above the error).

use super::context::ContextError;
use crate::archive::{ArchiveError, Compression};
use crate::dockerfile::Keyword;
use crate::error::FsError;
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

/// Why a COPY or ADD stops, as Docker words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CopyError {
    /// `--chmod` under the classic builder.
    ChmodNeedsBuildKit,
    /// The classic builder: several sources into a destination without `/`.
    ManySources(Keyword),
    /// `--chmod` that is not an octal mode up to 07777.
    BadChmod(String),
    UrlForCopy,
    /// ADD of a URL: Layerlab's host has no network.
    AddNoNetwork(String),
    /// `--from` that names no stage, image or served image.
    UnknownFrom(String),
    /// ADD of an archive compressed in a way Layerlab does not inflate.
    AddCompressed(Compression),
    Archive(ArchiveError),
    Context(ContextError),
    Fs(FsError),
    /// A file copied onto a directory.
    OntoDirectory(String),
}

impl fmt::Display for CopyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::note::{text, NoteKey};
        match self {
            CopyError::ChmodNeedsBuildKit => f.write_str(
                "the --chmod option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled",
            ),
            CopyError::ManySources(kw) => write!(
                f,
                "When using {} with more than one source file, the destination must be a directory and end with a /",
                kw.name()
            ),
            CopyError::BadChmod(m) => write!(
                f,
                "invalid chmod parameter: '{m}'. it should be octal string and between 0 and 07777"
            ),
            CopyError::UrlForCopy => f.write_str("source can't be a URL for COPY"),
            CopyError::AddNoNetwork(s) => {
                write!(f, "ADD {s}: {}", text(NoteKey::AddNoNetwork, &[]))
            }
            CopyError::UnknownFrom(from) => write!(
                f,
                "{from}: failed to resolve source metadata for docker.io/library/{from}: not found"
            ),
            CopyError::AddCompressed(kind) => write!(
                f,
                "ADD of a {kind:?} archive: {}",
                text(NoteKey::AddArchiveKind, &[])
            ),
            CopyError::Archive(e) => write!(f, "{e}"),
            CopyError::Context(e) => write!(f, "{e}"),
            CopyError::Fs(e) => write!(f, "{e}"),
            CopyError::OntoDirectory(target) => {
                write!(f, "cannot copy to non-directory: {target}")
            }
        }
    }
}

impl From<ArchiveError> for CopyError {
    fn from(e: ArchiveError) -> CopyError {
        CopyError::Archive(e)
    }
}

impl From<ContextError> for CopyError {
    fn from(e: ContextError) -> CopyError {
        CopyError::Context(e)
    }
}

impl From<FsError> for CopyError {
    fn from(e: FsError) -> CopyError {
        CopyError::Fs(e)
    }
}

/// Why a step's work on its writable layer failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum StepError {
    /// RUN's shell is not a file in the image; `cmd` as the step shows it.
    NoShell {
        shell: String,
        cmd: String,
        legacy: bool,
    },
    /// RUN's command exited with `status`.
    Exit {
        cmd: String,
        status: i32,
        legacy: bool,
    },
    Copy(CopyError),
    /// WORKDIR could not make its directory.
    Fs(FsError),
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::NoShell {
                shell,
                legacy: true,
                ..
            } => write!(
                f,
                "failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{shell}\": stat {shell}: no such file or directory: unknown"
            ),
            StepError::NoShell { shell, cmd, .. } => write!(
                f,
                "process \"{cmd}\" did not complete successfully: runc run failed: unable to start container process: exec: \"{shell}\": stat {shell}: no such file or directory"
            ),
            StepError::Exit {
                cmd,
                status,
                legacy: true,
            } => write!(f, "The command '{cmd}' returned a non-zero code: {status}"),
            StepError::Exit { cmd, status, .. } => write!(
                f,
                "process \"{cmd}\" did not complete successfully: exit code: {status}"
            ),
            StepError::Copy(e) => write!(f, "{e}"),
            StepError::Fs(e) => write!(f, "{e}"),
        }
    }
}
