//! What an operation did, step by step: the app animates these and never
//! re-derives them. Each names the layer involved.

use crate::diff::Kind;
use crate::layer::LayerId;
use crate::path::FsPath;
use std::fmt;

/// Where an entry came from: the container's writable layer or a read-only layer below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    Upper,
    Lower(LayerId),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Upper => f.write_str("writable layer"),
            Source::Lower(id) => write!(f, "{id}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A read was served by `from`; nothing was copied.
    Read {
        path: FsPath,
        from: Source,
        bytes: u64,
    },
    /// The whole object was copied from a read-only layer into the writable layer
    /// (directories: their metadata only, never their contents).
    CopyUp {
        path: FsPath,
        from: LayerId,
        kind: Kind,
        bytes: u64,
    },
    /// An entry was created in the writable layer.
    Created {
        path: FsPath,
        kind: Kind,
        bytes: u64,
    },
    /// A file's bytes changed in the writable layer; `bytes` is its new size.
    Written { path: FsPath, bytes: u64 },
    /// Mode, owner or time changed in the writable layer.
    MetadataChanged { path: FsPath },
    /// A whiteout now hides what the read-only layers have at `path`.
    Whiteout { path: FsPath },
    /// `path` is a new opaque directory: lower layers' children of it are hidden.
    OpaqueDir { path: FsPath },
    /// An entry that existed only in the writable layer was removed (no whiteout needed).
    Removed { path: FsPath },
    /// An entry moved within the writable layer.
    Renamed { from: FsPath, to: FsPath },
    /// `path` became another name of `target`'s inode.
    HardLinked { path: FsPath, target: FsPath },
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::Read { path, from, bytes } => write!(f, "read {path} ({bytes} B) from {from}"),
            Event::CopyUp {
                path,
                from,
                kind: Kind::Dir,
                ..
            } => write!(f, "copy-up dir {path} from {from} (metadata only)"),
            Event::CopyUp {
                path, from, bytes, ..
            } => write!(f, "copy-up {path} from {from}: {bytes} B"),
            Event::Created { path, kind, bytes } => {
                write!(f, "create {} {path} ({bytes} B)", kind.name())
            }
            Event::Written { path, bytes } => write!(f, "write {path}: now {bytes} B"),
            Event::MetadataChanged { path } => write!(f, "metadata {path}"),
            Event::Whiteout { path } => write!(f, "whiteout {path}"),
            Event::OpaqueDir { path } => write!(f, "opaque dir {path}"),
            Event::Removed { path } => write!(f, "remove {path} (writable layer only)"),
            Event::Renamed { from, to } => write!(f, "rename {from} -> {to}"),
            Event::HardLinked { path, target } => write!(f, "hard link {path} -> {target}"),
        }
    }
}
