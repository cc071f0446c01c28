//! What can be wrong with an image archive, each case with the fields its
//! message needs. Digest failures use umoci's words (`verified reader digest
//! mismatch`, `diffid mismatch`, `size mismatch`) and name the blob or layer.

use crate::digest::Digest;
use std::fmt;

/// Why an archive could not be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImportError {
    /// A block that should be a tar header is not one (wrong checksum).
    NotTar { at: u64 },
    /// A tar header field could not be read.
    BadTarHeader { at: u64, what: &'static str },
    /// The data stopped inside `what`, `at` bytes in.
    Truncated { at: u64, what: &'static str },
    /// A gzip layer is damaged: gzip's own words (`checksum error`, `unexpected EOF`).
    Gzip { blob: String, problem: &'static str },
    /// A layer whose tar is damaged or cut short (`problem` says how and where).
    DamagedLayer { blob: String, problem: String },
    /// A zstd layer that cannot be read: damaged, or over a limit (a window
    /// too large to hold, a zstd bomb).
    Zstd { blob: String, problem: String },
    /// More than a limit allows (a tar bomb, a huge JSON file).
    TooLarge { what: &'static str, limit: u64 },
    /// A layer entry whose name leaves the root (`../etc/passwd`), or a hard
    /// link whose target does.
    PathEscapes { blob: String, path: String },
    /// An entry below a symlink or a file of the same layer (`link/passwd`
    /// where `link -> /etc`): unpacking it would write outside its directory.
    ThroughLink {
        blob: String,
        path: String,
        link: String,
    },
    /// A name the file system cannot hold (too long, a NUL byte).
    BadPath { blob: String, path: String },
    /// A hard link to a name this layer does not have.
    HardLinkTarget {
        blob: String,
        path: String,
        target: String,
    },
    /// A blob whose bytes do not hash to its name or descriptor.
    DigestMismatch {
        blob: String,
        expected: Digest,
        actual: Digest,
    },
    /// A blob whose length is not its descriptor's.
    SizeMismatch {
        blob: String,
        expected: u64,
        actual: u64,
    },
    /// A layer whose uncompressed tar does not hash to the config's `rootfs.diff_ids[index]`.
    DiffIdMismatch {
        index: usize,
        blob: String,
        expected: Digest,
        actual: Digest,
    },
    /// A config named by its digest (the image ID) that hashes to another.
    ConfigDigestMismatch {
        path: String,
        expected: Digest,
        actual: Digest,
    },
    /// The manifest lists a different number of layers than the config's DiffIDs.
    LayerCount {
        config: String,
        layers: usize,
        diff_ids: usize,
    },
    /// A file the manifest or index names is not in the archive.
    Missing { path: String, named_by: String },
    /// A JSON file that does not parse or lacks a field.
    BadJson { path: String, problem: String },
    /// A blob used as a layer that is not a tar (nor gzip or zstd of one).
    NotALayer { blob: String },
    /// The archive has neither `manifest.json` nor `index.json`.
    NotAnImage,
    /// Bytes were fed after [`super::Importer::finish`] or after an error.
    Finished,
    /// A member hashed outside the importer had no digest at the finish
    /// (the caller stopped hashing: a worker failed or was stopped).
    DigestNotGiven { blob: String },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ImportError::*;
        match self {
            NotTar { at: 0 } => write!(f, "not a tar archive: the file does not start with a tar header (an image archive is what `docker save` writes)"),
            NotTar { at } => write!(f, "damaged tar archive: the header at byte {at} has a wrong checksum"),
            BadTarHeader { at, what } => write!(f, "damaged tar archive: the header at byte {at} has an unreadable {what}"),
            Truncated { at, what } => write!(f, "unexpected end of file: the archive stops at byte {at}, inside {what}"),
            Gzip { blob, problem } => write!(f, "{blob}: gzip: {problem}"),
            DamagedLayer { blob, problem } => write!(f, "{blob}: damaged layer: {problem}"),
            Zstd { blob, problem } => write!(f, "{blob}: zstd: {problem}"),
            TooLarge { what, limit } => write!(f, "refusing {what}: more than the limit of {limit}"),
            PathEscapes { blob, path } => write!(f, "{blob}: entry {path:?} escapes the root directory"),
            ThroughLink { blob, path, link } => write!(f, "{blob}: entry {path:?} lies below {link:?}, which is not a directory"),
            BadPath { blob, path } => write!(f, "{blob}: entry {path:?} is not a valid file name"),
            HardLinkTarget { blob, path, target } => write!(f, "{blob}: hard link {path:?} points to {target:?}, which is not earlier in the layer"),
            DigestMismatch { blob, expected, actual } => write!(f, "{blob}: verified reader digest mismatch: expected {expected}, got {actual}"),
            SizeMismatch { blob, expected, actual } => write!(f, "{blob}: size mismatch: the descriptor says {expected} bytes, the blob has {actual}"),
            DiffIdMismatch { index, blob, expected, actual } => write!(f, "layer {index} ({blob}): diffid mismatch: the config says {expected}, the uncompressed layer is {actual}"),
            ConfigDigestMismatch { path, expected, actual } => write!(f, "{path}: config digest mismatch: named {expected}, its content is {actual}"),
            LayerCount { config, layers, diff_ids } => write!(f, "{config}: the manifest lists {layers} layers but the config has {diff_ids} diff_ids"),
            Missing { path, named_by } => write!(f, "{path}: named by {named_by} but not in the archive"),
            BadJson { path, problem } => write!(f, "{path}: {problem}"),
            NotALayer { blob } => write!(f, "{blob}: used as a layer but it is not a tar archive"),
            NotAnImage => write!(f, "not an image archive: it has neither manifest.json nor index.json (is it a `docker export` of a container? use `docker import` for that)"),
            Finished => write!(f, "the import has already ended"),
            DigestNotGiven { blob } => write!(f, "{blob}: its SHA-256 was not computed, so its digest cannot be checked"),
        }
    }
}

impl std::error::Error for ImportError {}
