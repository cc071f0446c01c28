//! Hashing large layer tars without one long pause: a memo of DiffIDs keyed
//! by what a tar is made of, and hash jobs that take a tar a slice at a time.
//!
//! A layer's DiffID is the SHA-256 of its tar, and a `RUN dd … count=256`
//! makes a 256 MiB tar: seconds of hashing in a browser. Natively that is
//! done inline, as it always was. A caller that must not block (the app) runs
//! an operation inside [`deferring`]: a DiffID whose tar is larger than the
//! threshold left, and not in the memo, is then not hashed; the layer
//! answers a placeholder, the tar is returned as a [`HashJob`], and the
//! caller throws the operation's result away. It runs each job in slices
//! ([`HashJob::step`]) between frames, and [`HashJob::finish`] puts the
//! digest in the memo; the operation then runs again and finds every DiffID
//! there. Output, digests and events are those of inline hashing: the memo
//! only answers what hashing would.
//!
//! The memo's key, the *fingerprint*, is the SHA-256 of the tar's
//! description ([`Content::describe`]): headers and typed bytes as they are,
//! described file contents by their seed, offset and length, so computing it
//! costs the tar's headers and typed bytes, not its described gigabytes.
//! The memo lives as long as the thread; a digest in it is the digest of
//! that content whatever asked, so what is remembered changes no result.

use crate::content::Content;
use crate::diff::Diff;
use crate::digest::{Digest, Hasher};
use crate::tar;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// The key of a tar in the memo: SHA-256 of its description.
pub type Fingerprint = [u8; 32];

/// The memo holds at most this many digests; past it, it starts again.
const MEMO_LIMIT: usize = 4096;

#[derive(Default)]
struct Memo {
    digests: BTreeMap<Fingerprint, Digest>,
}

/// An operation run under [`deferring`]: how much it may still hash inline,
/// and the tars it left.
struct Deferral {
    left: u64,
    pending: Vec<HashJob>,
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
    static DEFERRAL: RefCell<Option<Deferral>> = const { RefCell::new(None) };
}

/// Runs `f`, hashing inline at most `threshold` bytes of layer tars that are
/// not in the memo; every tar past that is left as a [`HashJob`] and its
/// layer answers a placeholder DiffID, so when jobs come back, `f`'s result
/// is not the real one and must be thrown away. Nested calls run `f` under
/// the outer call's deferral.
pub fn deferring<R>(threshold: u64, f: impl FnOnce() -> R) -> (R, Vec<HashJob>) {
    let outer = DEFERRAL.with(|d| d.borrow().is_some());
    if outer {
        return (f(), Vec::new());
    }
    DEFERRAL.with(|d| {
        *d.borrow_mut() = Some(Deferral {
            left: threshold,
            pending: Vec::new(),
        })
    });
    let value = f();
    let jobs = DEFERRAL
        .with(|d| d.borrow_mut().take())
        .map_or_else(Vec::new, |d| d.pending);
    (value, jobs)
}

/// The DiffID of `diff`'s tar: from the memo, hashed inline, or `None` when
/// an operation under [`deferring`] leaves it as a job.
pub(crate) fn diff_id(diff: &Diff) -> Option<Digest> {
    let fits = DEFERRAL.with(|d| {
        let mut d = d.borrow_mut();
        let Some(d) = d.as_mut() else { return true };
        let len = tar::diff_len(diff);
        if len <= d.left {
            d.left -= len;
            true
        } else {
            false
        }
    });
    if fits {
        let mut hasher = Hasher::new();
        tar::write_diff(diff, &mut |chunk: &[u8]| hasher.update(chunk));
        return Some(hasher.finish());
    }
    deferred(diff)
}

/// A tar too large to hash inline now: its DiffID from the memo, or a job.
#[inline(never)]
fn deferred(diff: &Diff) -> Option<Digest> {
    let tar = Tar::of(diff);
    let fingerprint = fingerprint(&tar);
    if let Some(known) = remembered(&fingerprint) {
        return Some(known);
    }
    DEFERRAL.with(|d| {
        if let Some(d) = d.borrow_mut().as_mut() {
            if !d.pending.iter().any(|j| j.fingerprint == fingerprint) {
                d.pending.push(HashJob::new(fingerprint, tar));
            }
        }
    });
    None
}

/// What a layer answers for a DiffID left as a job: a digest no tar has
/// (it is of the fingerprint's own bytes under a distinct prefix), one per
/// tar, so layers stay apart in the run that is thrown away.
pub(crate) fn placeholder(diff: &Diff) -> Digest {
    let mut h = Hasher::new();
    h.update(b"layerlab: DiffID not yet hashed\n");
    h.update(&fingerprint(&Tar::of(diff)));
    h.finish()
}

/// A layer's tar as [`tar::diff_parts`] gives it, with its length.
struct Tar {
    parts: Vec<Content>,
    len: u64,
}

impl Tar {
    fn of(diff: &Diff) -> Self {
        let parts = tar::diff_parts(diff);
        let len = parts.iter().fold(0u64, |n, p| n.saturating_add(p.len()));
        Tar { parts, len }
    }
}

/// The fingerprint of a tar (see the module's text): its parts described
/// one after another (each piece of a description says its own length, so
/// the joined descriptions stay unambiguous).
fn fingerprint(tar: &Tar) -> Fingerprint {
    let mut h = sha2::Sha256::default();
    for part in &tar.parts {
        part.describe(|b| sha2::Digest::update(&mut h, b));
    }
    sha2::Digest::finalize(h).into()
}

fn remembered(fingerprint: &Fingerprint) -> Option<Digest> {
    MEMO.with(|m| m.borrow().digests.get(fingerprint).cloned())
}

fn remember(fingerprint: Fingerprint, digest: Digest) {
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.digests.len() >= MEMO_LIMIT {
            m.digests.clear();
        }
        m.digests.insert(fingerprint, digest);
    });
}

/// One tar to hash, a slice at a time, pulled as it goes: it holds the tar
/// as its parts (file contents shared, described ones never made whole), the
/// hash so far, the part it is in and how far into it.
pub struct HashJob {
    fingerprint: Fingerprint,
    tar: Tar,
    hasher: Hasher,
    done: u64,
    part: usize,
    within: u64,
}

impl std::fmt::Debug for HashJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HashJob({} of {} bytes)", self.done, self.tar.len)
    }
}

impl HashJob {
    fn new(fingerprint: Fingerprint, tar: Tar) -> Self {
        HashJob {
            fingerprint,
            tar,
            hasher: Hasher::new(),
            done: 0,
            part: 0,
            within: 0,
        }
    }

    /// The job of `diff`'s tar, hashed from its start (tests and benchmarks).
    pub fn of(diff: &Diff) -> Self {
        let tar = Tar::of(diff);
        HashJob::new(fingerprint(&tar), tar)
    }

    /// The tar's length.
    pub fn total(&self) -> u64 {
        self.tar.len
    }

    /// Bytes hashed so far.
    pub fn done(&self) -> u64 {
        self.done
    }

    /// Hashes up to `bytes` more of the tar (at least one byte); true when
    /// all of it is hashed.
    pub fn step(&mut self, bytes: u64) -> bool {
        let mut left = bytes.max(1);
        while left > 0 {
            let Some(part) = self.tar.parts.get(self.part) else {
                break;
            };
            let to = self.within.saturating_add(left).min(part.len());
            let hasher = &mut self.hasher;
            if self.within == 0 && to == part.len() {
                part.for_each_chunk(|chunk| hasher.update(chunk));
            } else {
                part.slice(self.within, to)
                    .for_each_chunk(|chunk| hasher.update(chunk));
            }
            left -= to - self.within;
            self.done += to - self.within;
            if to == part.len() {
                self.part += 1;
                self.within = 0;
            } else {
                self.within = to;
            }
        }
        self.done == self.tar.len
    }

    /// Hashes what is left, remembers the DiffID and returns it.
    pub fn finish(mut self) -> Digest {
        self.step(u64::MAX);
        let digest = self.hasher.finish();
        remember(self.fingerprint, digest.clone());
        digest
    }
}
