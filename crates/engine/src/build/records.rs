//! BuildKit's cache records, as `docker system df [-v]` counts them and
//! `docker builder prune` removes them. A BuildKit build keeps:
//!
//! - a `source.local` record for each thing the client sent from the build's
//!   directory: the Dockerfile, the `.dockerignore` (0 bytes when there is
//!   none) and, when a COPY or ADD read it, the context (the bytes of the files
//!   those instructions selected). Each is one record per directory, reused
//!   by the next build there (it holds what was sent last);
//! - a `regular` record for each snapshot: the base image's (0 bytes) and
//!   each layer a step made (RUN, COPY, ADD, WORKDIR), of the layer's size.
//!
//! A regular record is *shared* while an image uses its layer; `system df`
//! counts only what is not shared. A record's USAGE counts the builds that
//! loaded it: a source on every build, a snapshot when a step runs on top of
//! it, and the build's result when its last step came from the cache.
//! `builder prune` removes what is not shared, `-a` everything (and with it
//! the cache of steps), and lets go of the layers they held (`docker rmi`
//! keeps a layer a record holds). The legacy builder keeps none.

use super::BuildCache;
use crate::digest::Hasher;
use crate::layer::LayerId;

/// What a record holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    /// Files the client sent (`source.local`).
    Local,
    /// A snapshot (`regular`).
    Regular,
}

impl RecordKind {
    /// The CACHE TYPE column.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Local => "source.local",
            RecordKind::Regular => "regular",
        }
    }
}

/// One cache record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// 25 characters of `[a-z0-9]`, as BuildKit's IDs (derived from what the
    /// record is of, so the same inputs give the same ID).
    pub id: String,
    pub kind: RecordKind,
    pub size: u64,
    pub created: u64,
    pub last_used: u64,
    pub usage: u32,
    /// A snapshot's layer: the record is shared while an image uses it.
    pub layer: Option<LayerId>,
    /// A snapshot an image was exported with (a stage's own is not).
    exported: bool,
    /// The build that last used it.
    last_build: u64,
    key: String,
}

impl Record {
    /// Mutable records (the sources, and snapshots no image was exported
    /// with) are marked `*` in `builder prune`'s list.
    pub fn mutable(&self) -> bool {
        self.kind == RecordKind::Local || !self.exported
    }

    /// One more use, at most one per build.
    fn use_in(&mut self, build: u64, now: u64) {
        if self.last_build != build {
            self.usage += 1;
            self.last_build = build;
        }
        self.last_used = now;
    }
}

fn record_id(key: &str) -> String {
    const ALPHABET: &[u8; 36] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut h = Hasher::new();
    h.update(b"buildkit cache record\0");
    h.update(key.as_bytes());
    let d = h.finish();
    let hex = d.hex().as_bytes();
    (0..25)
        .map(|i| {
            let byte = std::str::from_utf8(&hex[2 * i..2 * i + 2])
                .ok()
                .and_then(|b| u8::from_str_radix(b, 16).ok())
                .unwrap_or(0);
            char::from(ALPHABET[usize::from(byte) % ALPHABET.len()])
        })
        .collect()
}

impl BuildCache {
    /// The layers the records hold (see [`crate::host::Host::hold_for_cache`]).
    pub fn held_layers(&self) -> Vec<LayerId> {
        self.records.iter().filter_map(|r| r.layer).collect()
    }

    /// The records, oldest first.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    fn find(&mut self, key: &str) -> Option<&mut Record> {
        self.records.iter_mut().find(|r| r.key == key)
    }

    fn add(&mut self, key: String, kind: RecordKind, size: u64, layer: Option<LayerId>, now: u64) {
        self.records.push(Record {
            id: record_id(&key),
            kind,
            size,
            created: now,
            last_used: now,
            usage: 1,
            layer,
            exported: false,
            last_build: self.build,
            key,
        });
    }

    /// A build starts.
    pub(crate) fn begin(&mut self) {
        self.build += 1;
    }

    /// An image was exported with `layers`.
    pub(crate) fn exported(&mut self, layers: &[std::rc::Rc<crate::layer::Layer>]) {
        for r in &mut self.records {
            if r.layer.is_some_and(|l| layers.iter().any(|x| x.id == l)) {
                r.exported = true;
            }
        }
    }

    /// A source the client sent from `dir` (`dockerfile`, `dockerignore` or
    /// `context`): a new record, or one more use of the one there, which
    /// now holds what was sent this time.
    pub(crate) fn sent(&mut self, what: &str, dir: &str, size: u64, now: u64) {
        let key = format!("source {what} {dir}");
        let build = self.build;
        match self.find(&key) {
            Some(r) => {
                r.use_in(build, now);
                r.size = size;
            }
            None => self.add(key, RecordKind::Local, size, None, now),
        }
    }

    /// The snapshot of a base image, whose top layer is `layer`.
    pub(crate) fn base(&mut self, layer: LayerId, now: u64) {
        let key = format!("layer {}", layer.0);
        if self.find(&key).is_none() {
            self.add(key, RecordKind::Regular, 0, Some(layer), now);
            if let Some(r) = self.records.last_mut() {
                // Counted when a step runs on it.
                r.usage = 0;
                r.last_build = 0;
            }
        }
    }

    /// The snapshot a step made.
    pub(crate) fn made(&mut self, layer: LayerId, size: u64, now: u64) {
        let key = format!("layer {}", layer.0);
        let build = self.build;
        match self.find(&key) {
            Some(r) => r.use_in(build, now),
            None => self.add(key, RecordKind::Regular, size, Some(layer), now),
        }
    }

    /// A build loaded the snapshot of `layer` (to run a step on it, or as its result).
    pub(crate) fn used(&mut self, layer: LayerId, now: u64) {
        let build = self.build;
        if let Some(r) = self.find(&format!("layer {}", layer.0)) {
            r.use_in(build, now);
        }
    }

    /// `docker builder prune [-a]`: removes the records no image shares
    /// (every record with `all`) and the cached steps whose layers go with
    /// them; returns what it removed.
    pub fn prune(&mut self, all: bool, shared: impl Fn(LayerId) -> bool) -> Vec<Record> {
        let keep = |r: &Record| !all && r.layer.is_some_and(&shared);
        let (kept, removed): (Vec<Record>, Vec<Record>) = std::mem::take(&mut self.records)
            .into_iter()
            .partition(keep);
        self.records = kept;
        if all {
            self.steps.clear();
            self.bases.clear();
        } else {
            self.steps.retain(|_, c| shared(c.layer.id));
        }
        removed
    }
}
