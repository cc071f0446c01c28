//! A layer tar summarised as it streams into a [`Diff`]: every entry's path,
//! mode, owner, size, link target, whiteout and opaque marker, and for each
//! regular file an identity (the SHA-256 of its bytes). File bytes are not
//! kept, except those of small text files ([`SMALL_TEXT`]), so that `cat
//! /etc/os-release` works in a container of an imported image; a larger file
//! becomes described content of its real size, seeded by its identity (the
//! same bytes give the same seed).

use super::error::ImportError;
use super::tar_stream::{EntryKind, TarEvent, TarHeader, TarStream};
use super::Limits;
use crate::content::Content;
use crate::diff::{Diff, Entry, Ino, Meta};
use crate::digest::{Digest, Hasher};
use crate::path::FsPath;
use crate::tar::{OPAQUE_MARKER, WHITEOUT_PREFIX};
use std::collections::BTreeMap;

/// Files up to this size whose bytes are UTF-8 text without NUL keep their bytes.
pub const SMALL_TEXT: u64 = 64 * 1024;

/// A regular file being read.
struct Open {
    path: FsPath,
    meta: Meta,
    size: u64,
    /// Its content's identity: XXH64, not SHA-256 (the blob's and the
    /// DiffID's digests already verify the bytes; this only tells contents
    /// apart, at a tenth of the cost).
    hasher: twox_hash::XxHash64,
    /// Its bytes while it may still be small text.
    bytes: Option<Vec<u8>>,
}

/// What a layer tar read so far holds.
pub struct LayerTar {
    blob: String,
    stream: TarStream,
    /// `None` for an uncompressed layer blob, whose digest is its DiffID
    /// (the blob's own hasher gives it: one SHA-256 pass instead of two).
    diff_id: Option<Hasher>,
    uncompressed: u64,
    pub(super) diff: Diff,
    names: BTreeMap<FsPath, Ino>,
    open: Option<Open>,
}

/// A finished layer's summary.
#[derive(Clone, Debug)]
pub struct LayerSummary {
    pub diff: Diff,
    /// SHA-256 of the uncompressed tar.
    pub diff_id: Digest,
    /// The uncompressed tar's length.
    pub tar_size: u64,
    pub entries: u64,
}

/// Counts shared by every layer of one import, checked against [`Limits`].
#[derive(Clone, Copy, Debug, Default)]
pub struct Totals {
    pub entries: u64,
    pub file_bytes: u64,
    pub tar_bytes: u64,
}

impl LayerTar {
    pub fn new(blob: &str) -> Self {
        LayerTar {
            blob: blob.to_owned(),
            stream: TarStream::new(),
            diff_id: Some(Hasher::new()),
            uncompressed: 0,
            diff: Diff::new(),
            names: BTreeMap::new(),
            open: None,
        }
    }

    /// A layer read straight from its blob: its DiffID is the blob's digest,
    /// given to [`LayerTar::finish_as`] by whoever hashes the blob.
    pub fn uncompressed(blob: &str) -> Self {
        LayerTar {
            diff_id: None,
            ..LayerTar::new(blob)
        }
    }

    /// Reads the next uncompressed bytes of the layer.
    pub fn feed(
        &mut self,
        data: &[u8],
        totals: &mut Totals,
        limits: &Limits,
    ) -> Result<(), ImportError> {
        if let Some(h) = &mut self.diff_id {
            h.update(data);
        }
        self.uncompressed += data.len() as u64;
        totals.tar_bytes += data.len() as u64;
        if totals.tar_bytes > limits.max_tar_bytes {
            return Err(ImportError::TooLarge {
                what: "layers this large uncompressed (bytes)",
                limit: limits.max_tar_bytes,
            });
        }
        let blob_name = self.blob.clone();
        let LayerTar {
            blob,
            stream,
            diff,
            names,
            open,
            ..
        } = self;
        stream
            .feed(data, &mut |event| match event {
                TarEvent::Header(h) => {
                    totals.entries += 1;
                    if totals.entries > limits.max_entries {
                        return Err(ImportError::TooLarge {
                            what: "this many layer entries",
                            limit: limits.max_entries,
                        });
                    }
                    if h.kind == EntryKind::File {
                        totals.file_bytes += h.size;
                        if totals.file_bytes > limits.max_file_bytes {
                            return Err(ImportError::TooLarge {
                                what: "files this large in total (bytes)",
                                limit: limits.max_file_bytes,
                            });
                        }
                    }
                    entry(blob, diff, names, open, h)
                }
                TarEvent::Data(d) => {
                    if let Some(o) = open {
                        std::hash::Hasher::write(&mut o.hasher, d);
                        if let Some(b) = &mut o.bytes {
                            b.extend_from_slice(d);
                        }
                    }
                    Ok(())
                }
                TarEvent::End => {
                    if let Some(o) = open.take() {
                        close(diff, names, o);
                    }
                    Ok(())
                }
            })
            .map_err(|e| damaged(e, &blob_name))
    }

    /// Ends the layer: the tar must not stop inside an entry.
    /// (A layer made by [`LayerTar::uncompressed`] ends with `finish_as`.)
    pub fn finish(mut self) -> Result<LayerSummary, ImportError> {
        let hasher = self.diff_id.take().unwrap_or_default();
        self.finish_as(hasher.finish())
    }

    /// Ends the layer whose uncompressed tar hashes to `diff_id`.
    pub fn finish_as(self, diff_id: Digest) -> Result<LayerSummary, ImportError> {
        self.stream.finish().map_err(|e| damaged(e, &self.blob))?;
        Ok(LayerSummary {
            entries: self.stream.entries(),
            diff: self.diff,
            diff_id,
            tar_size: self.uncompressed,
        })
    }
}

/// A tar reader's error inside a layer, named after the layer.
fn damaged(e: ImportError, blob: &str) -> ImportError {
    let problem = match e {
        ImportError::NotTar { at } => {
            format!("the tar header at byte {at} (uncompressed) has a wrong checksum")
        }
        ImportError::BadTarHeader { at, what } => {
            format!("the tar header at byte {at} (uncompressed) has an unreadable {what}")
        }
        ImportError::Truncated { at, what } => {
            format!("the tar stops at byte {at} (uncompressed), inside {what}")
        }
        other => return other,
    };
    ImportError::DamagedLayer {
        blob: blob.to_owned(),
        problem,
    }
}

/// `./usr/bin/` → `usr/bin`; `None` when a `..` component would leave the root.
fn clean(name: &str) -> Option<String> {
    let mut parts = Vec::new();
    for c in name.split('/') {
        match c {
            "" | "." => {}
            ".." => return None,
            c => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

fn fs_path(blob: &str, name: &str) -> Result<Option<FsPath>, ImportError> {
    let escapes = || ImportError::PathEscapes {
        blob: blob.to_owned(),
        path: name.to_owned(),
    };
    let rel = clean(name).ok_or_else(escapes)?;
    if rel.is_empty() {
        return Ok(None);
    }
    FsPath::lexical(&format!("/{rel}"))
        .map(Some)
        .map_err(|_| ImportError::BadPath {
            blob: blob.to_owned(),
            path: name.to_owned(),
        })
}

fn entry(
    blob: &str,
    diff: &mut Diff,
    names: &mut BTreeMap<FsPath, Ino>,
    open: &mut Option<Open>,
    h: TarHeader,
) -> Result<(), ImportError> {
    let Some(path) = fs_path(blob, &h.name)? else {
        return Ok(());
    };
    for a in path.ancestors() {
        if matches!(
            diff.get(&a),
            Some(Entry::Symlink { .. } | Entry::File { .. })
        ) {
            return Err(ImportError::ThroughLink {
                blob: blob.to_owned(),
                path: h.name,
                link: a.as_relative(),
            });
        }
    }
    let name = path.name().to_owned();
    if name == OPAQUE_MARKER {
        let dir = path.parent();
        if dir.is_root() {
            return Ok(());
        }
        let meta = match diff.get(&dir) {
            Some(Entry::Dir { meta, .. }) => *meta,
            _ => Meta::new(0o755, h.meta.mtime),
        };
        diff.put(dir, Entry::Dir { meta, opaque: true });
        return Ok(());
    }
    if let Some(hidden) = name.strip_prefix(WHITEOUT_PREFIX) {
        if hidden.is_empty() || hidden == "." || hidden == ".." {
            return Err(ImportError::BadPath {
                blob: blob.to_owned(),
                path: h.name,
            });
        }
        names.remove(&path);
        diff.put(path.parent().join(hidden), Entry::Whiteout);
        return Ok(());
    }
    names.remove(&path);
    match h.kind {
        EntryKind::Dir => {
            let opaque = matches!(diff.get(&path), Some(Entry::Dir { opaque: true, .. }));
            if !matches!(diff.get(&path), Some(Entry::Dir { .. })) {
                diff.remove_descendants(&path);
            }
            diff.put(
                path,
                Entry::Dir {
                    meta: h.meta,
                    opaque,
                },
            );
        }
        EntryKind::Symlink(target) => diff.put(
            path,
            Entry::Symlink {
                meta: h.meta,
                target,
            },
        ),
        EntryKind::HardLink(target) => {
            let Some(to) = fs_path(blob, &target)? else {
                return Err(ImportError::HardLinkTarget {
                    blob: blob.to_owned(),
                    path: h.name,
                    target,
                });
            };
            let Some(&ino) = names.get(&to) else {
                return Err(ImportError::HardLinkTarget {
                    blob: blob.to_owned(),
                    path: h.name,
                    target,
                });
            };
            diff.put(path.clone(), Entry::File { ino });
            names.insert(path, ino);
        }
        EntryKind::File => {
            *open = Some(Open {
                path,
                meta: h.meta,
                size: h.size,
                hasher: twox_hash::XxHash64::with_seed(0),
                bytes: (h.size <= SMALL_TEXT).then(|| Vec::with_capacity(h.size as usize)),
            });
        }
        // Devices and FIFOs have no place in the simulated file systems.
        EntryKind::Other(_) => {}
    }
    Ok(())
}

fn close(diff: &mut Diff, names: &mut BTreeMap<FsPath, Ino>, o: Open) {
    let identity = std::hash::Hasher::finish(&o.hasher);
    let text = o
        .bytes
        .filter(|b| !b.contains(&0) && std::str::from_utf8(b).is_ok());
    let content = match text {
        Some(b) => Content::bytes(b),
        // A described file's seed is its identity (never 0, the all-zero stream).
        None => Content::described(o.size, identity.max(1)),
    };
    let ino = diff.put_file(o.path.clone(), o.meta, content);
    names.insert(o.path, ino);
}
