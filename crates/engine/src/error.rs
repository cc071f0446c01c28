//! File-system errors, named after errno, each carrying the path it concerns.

use std::fmt;

/// The kernel error a file-system operation fails with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Errno {
    /// ENOENT
    NotFound,
    /// ENOTDIR
    NotADirectory,
    /// EISDIR
    IsADirectory,
    /// EEXIST
    AlreadyExists,
    /// ENOTEMPTY
    DirectoryNotEmpty,
    /// ENAMETOOLONG
    NameTooLong,
    /// ELOOP: more than 40 symbolic links while resolving a path.
    TooManySymlinks,
    /// EXDEV: renaming a directory that comes from a lower layer.
    CrossDevice,
    /// EROFS: writing to an image's read-only layers.
    ReadOnly,
    /// EINVAL, e.g. moving a directory into itself.
    InvalidArgument,
    /// EPERM, e.g. a hard link to a directory.
    NotPermitted,
    /// EBUSY, e.g. removing or renaming the root.
    Busy,
    /// EFBIG: a file past the largest size the simulation holds.
    FileTooLarge,
}

impl Errno {
    /// The message `strerror` gives, as shells print it.
    pub fn message(self) -> &'static str {
        match self {
            Errno::NotFound => "No such file or directory",
            Errno::NotADirectory => "Not a directory",
            Errno::IsADirectory => "Is a directory",
            Errno::AlreadyExists => "File exists",
            Errno::DirectoryNotEmpty => "Directory not empty",
            Errno::NameTooLong => "File name too long",
            Errno::TooManySymlinks => "Too many levels of symbolic links",
            Errno::CrossDevice => "Invalid cross-device link",
            Errno::ReadOnly => "Read-only file system",
            Errno::InvalidArgument => "Invalid argument",
            Errno::NotPermitted => "Operation not permitted",
            Errno::Busy => "Device or resource busy",
            Errno::FileTooLarge => "File too large",
        }
    }

    /// The C name, e.g. `ENOENT`.
    pub fn name(self) -> &'static str {
        match self {
            Errno::NotFound => "ENOENT",
            Errno::NotADirectory => "ENOTDIR",
            Errno::IsADirectory => "EISDIR",
            Errno::AlreadyExists => "EEXIST",
            Errno::DirectoryNotEmpty => "ENOTEMPTY",
            Errno::NameTooLong => "ENAMETOOLONG",
            Errno::TooManySymlinks => "ELOOP",
            Errno::CrossDevice => "EXDEV",
            Errno::ReadOnly => "EROFS",
            Errno::InvalidArgument => "EINVAL",
            Errno::NotPermitted => "EPERM",
            Errno::Busy => "EBUSY",
            Errno::FileTooLarge => "EFBIG",
        }
    }
}

/// A failed file-system operation: what went wrong, and on which path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FsError {
    pub errno: Errno,
    /// The path as the caller gave it (or the component where resolution stopped).
    pub path: String,
}

impl FsError {
    pub fn new(errno: Errno, path: impl Into<String>) -> Self {
        FsError {
            errno,
            path: path.into(),
        }
    }
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.len() > 200 {
            let mut cut = 200;
            while !self.path.is_char_boundary(cut) {
                cut -= 1;
            }
            format!("{}…", &self.path[..cut])
        } else {
            self.path.clone()
        };
        write!(f, "{path}: {}", self.errno.message())
    }
}

impl std::error::Error for FsError {}
