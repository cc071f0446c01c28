//! Layers: immutable diffs, shared through `Rc` by every image and container
//! that uses them and freed when the last one lets go.

use crate::diff::Diff;
use crate::digest::Digest;
use crate::hashing;
use std::cell::{Cell, OnceCell};
use std::fmt;

/// A layer's identity inside the engine (for events and the UI). Docker's own
/// names for it are its DiffID, ChainID and the storage driver's cache ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LayerId(pub u64);

impl fmt::Display for LayerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "layer {}", self.0)
    }
}

/// A read-only layer.
#[derive(Debug)]
pub struct Layer {
    pub id: LayerId,
    pub diff: Diff,
    diff_id: OnceCell<Digest>,
    /// What [`Layer::diff_id`] answers while its tar waits to be hashed
    /// (see [`hashing`]); never kept as the DiffID.
    placeholder: OnceCell<Digest>,
    blob: OnceCell<(Digest, u64)>,
    size: OnceCell<u64>,
    /// Whether the DiffID was read from an archive rather than computed.
    recorded: Cell<bool>,
}

impl Layer {
    pub fn new(id: LayerId, diff: Diff) -> Self {
        Layer {
            id,
            diff,
            diff_id: OnceCell::new(),
            placeholder: OnceCell::new(),
            blob: OnceCell::new(),
            size: OnceCell::new(),
            recorded: Cell::new(false),
        }
    }

    /// The layer's size as Docker counts it (see [`Diff::size`]), computed once:
    /// a layer never changes.
    pub fn size(&self) -> u64 {
        *self.size.get_or_init(|| self.diff.size())
    }

    /// `sha256` of the layer's uncompressed tar, computed once. Inside
    /// [`hashing::deferring`], a large tar not yet hashed answers a
    /// placeholder instead, and the operation's result is to be thrown away.
    pub fn diff_id(&self) -> &Digest {
        if let Some(known) = self.diff_id.get() {
            return known;
        }
        match hashing::diff_id(&self.diff) {
            Some(digest) => self.diff_id.get_or_init(|| digest),
            None => self
                .placeholder
                .get_or_init(|| hashing::placeholder(&self.diff)),
        }
    }

    /// Supplies digests already known for this exact content (the teaching images'
    /// memo, checked against fresh computation by a test). Ignored once computed.
    pub fn seed(&self, diff_id: Digest, blob: (Digest, u64)) {
        let _ = self.diff_id.set(diff_id);
        let _ = self.blob.set(blob);
    }

    /// Supplies the DiffID of a layer read from an archive, whose tar as the
    /// engine would write it differs from the original. Ignored once computed.
    pub fn seed_diff_id(&self, diff_id: Digest) {
        if self.diff_id.set(diff_id).is_ok() {
            self.recorded.set(true);
        }
    }

    /// Whether the DiffID is the one an archive gave ([`Layer::seed_diff_id`]):
    /// the tar the engine writes for this layer then hashes to another.
    pub fn has_recorded_diff_id(&self) -> bool {
        self.recorded.get()
    }

    /// Where [`crate::manifest::blob`] keeps the compressed blob's digest and size.
    pub(crate) fn blob_cache(&self) -> &OnceCell<(Digest, u64)> {
        &self.blob
    }

    /// Whether the layer's tar is the empty tar (no entries at all).
    pub fn is_empty(&self) -> bool {
        self.diff.is_empty()
    }
}
