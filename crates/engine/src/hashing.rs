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
//!
//! A layer's compressed blob (`docker push`, [`crate::manifest::blob`]) goes
//! the same way: its digest and size are those of the tar in gzip framing,
//! so a large one is left as a job of its own kind ([`blob`]), streamed
//! through the gzip writer a slice at a time, and memoised by the same
//! fingerprint in a map of its own.

use crate::content::Content;
use crate::diff::Diff;
use crate::digest::{Digest, Hasher};
use crate::gzip::GzWriter;
use crate::tar;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// The key of a tar in the memo: SHA-256 of its description.
pub type Fingerprint = [u8; 32];

/// The memo holds at most this many digests; past it, it starts again.
const MEMO_LIMIT: usize = 4096;

#[derive(Default)]
struct Memo {
    digests: BTreeMap<Fingerprint, Digest>,
    /// Compressed blobs' digests and sizes, by their tar's fingerprint.
    blobs: BTreeMap<Fingerprint, (Digest, u64)>,
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

/// Whether `diff`'s tar may be hashed inline now (always, outside
/// [`deferring`]); if so, it counts against what is left.
fn fits(diff: &Diff) -> bool {
    DEFERRAL.with(|d| {
        let mut d = d.borrow_mut();
        let Some(d) = d.as_mut() else { return true };
        let len = tar::diff_len(diff);
        if len <= d.left {
            d.left -= len;
            true
        } else {
            false
        }
    })
}

/// The DiffID of `diff`'s tar: from the memo, hashed inline, or `None` when
/// an operation under [`deferring`] leaves it as a job.
pub(crate) fn diff_id(diff: &Diff) -> Option<Digest> {
    if fits(diff) {
        let mut hasher = Hasher::new();
        tar::write_diff(diff, &mut |chunk: &[u8]| hasher.update(chunk));
        return Some(hasher.finish());
    }
    deferred(diff, Kind::DiffId).map(|(digest, _)| digest)
}

/// The digest and size of `diff`'s compressed blob (the tar in gzip
/// framing, stored blocks): from the memo, computed inline, or `None` when
/// an operation under [`deferring`] leaves it as a job.
pub(crate) fn blob(diff: &Diff) -> Option<(Digest, u64)> {
    if fits(diff) {
        let sum = Rc::new(RefCell::new(BlobSum::default()));
        let mut gz = BlobSum::writer(&sum);
        tar::write_diff(diff, &mut |chunk: &[u8]| gz.write(chunk));
        gz.finish();
        return Some(BlobSum::take(&sum));
    }
    deferred(diff, Kind::Blob)
}

/// A tar too large to hash inline now: its digest (and size, for a blob)
/// from the memo, or a job.
#[inline(never)]
fn deferred(diff: &Diff, kind: Kind) -> Option<(Digest, u64)> {
    let tar = Tar::of(diff);
    let fingerprint = fingerprint(&tar);
    if let Some(known) = remembered(&fingerprint, kind) {
        return Some(known);
    }
    DEFERRAL.with(|d| {
        if let Some(d) = d.borrow_mut().as_mut() {
            let same = |j: &HashJob| j.fingerprint == fingerprint && j.kind() == kind;
            if !d.pending.iter().any(same) {
                d.pending.push(HashJob::new(fingerprint, tar, kind));
            }
        }
    });
    None
}

/// What a job computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// The tar's SHA-256: the layer's DiffID.
    DiffId,
    /// The SHA-256 and length of the tar in gzip framing: the blob a registry serves.
    Blob,
}

/// The compressed blob's digest and size, summed as the gzip writer gives its bytes.
#[derive(Default)]
struct BlobSum {
    hasher: Hasher,
    len: u64,
}

/// The gzip writer of a blob, at level 0 (stored blocks), as registries get it here.
type BlobWriter = GzWriter<Box<dyn FnMut(&[u8])>>;

impl BlobSum {
    fn writer(sum: &Rc<RefCell<BlobSum>>) -> BlobWriter {
        let sum = Rc::clone(sum);
        GzWriter::new(
            0,
            Box::new(move |b: &[u8]| {
                let mut sum = sum.borrow_mut();
                sum.hasher.update(b);
                sum.len += b.len() as u64;
            }),
        )
    }

    fn take(sum: &Rc<RefCell<BlobSum>>) -> (Digest, u64) {
        let sum = std::mem::take(&mut *sum.borrow_mut());
        (sum.hasher.finish(), sum.len)
    }
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

fn remembered(fingerprint: &Fingerprint, kind: Kind) -> Option<(Digest, u64)> {
    MEMO.with(|m| {
        let m = m.borrow();
        match kind {
            Kind::DiffId => m.digests.get(fingerprint).map(|d| (d.clone(), 0)),
            Kind::Blob => m.blobs.get(fingerprint).cloned(),
        }
    })
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

fn remember_blob(fingerprint: Fingerprint, blob: (Digest, u64)) {
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.blobs.len() >= MEMO_LIMIT {
            m.blobs.clear();
        }
        m.blobs.insert(fingerprint, blob);
    });
}

/// Where a job's bytes go: a DiffID's hasher, or a blob's gzip writer.
enum Sink {
    DiffId(Hasher),
    Blob(BlobWriter, Rc<RefCell<BlobSum>>),
}

/// One tar to hash, a slice at a time, pulled as it goes: it holds the tar
/// as its parts (file contents shared, described ones never made whole), the
/// hash so far (of the tar, or of its blob), the part it is in and how far into it.
pub struct HashJob {
    fingerprint: Fingerprint,
    tar: Tar,
    sink: Sink,
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
    fn new(fingerprint: Fingerprint, tar: Tar, kind: Kind) -> Self {
        let sink = match kind {
            Kind::DiffId => Sink::DiffId(Hasher::new()),
            Kind::Blob => {
                let sum = Rc::new(RefCell::new(BlobSum::default()));
                Sink::Blob(BlobSum::writer(&sum), sum)
            }
        };
        HashJob {
            fingerprint,
            tar,
            sink,
            done: 0,
            part: 0,
            within: 0,
        }
    }

    fn kind(&self) -> Kind {
        match self.sink {
            Sink::DiffId(_) => Kind::DiffId,
            Sink::Blob(..) => Kind::Blob,
        }
    }

    /// The job of `diff`'s tar, hashed from its start (tests and benchmarks).
    pub fn of(diff: &Diff) -> Self {
        let tar = Tar::of(diff);
        HashJob::new(fingerprint(&tar), tar, Kind::DiffId)
    }

    /// The job of `diff`'s compressed blob, from its start (tests).
    pub fn blob_of(diff: &Diff) -> Self {
        let tar = Tar::of(diff);
        HashJob::new(fingerprint(&tar), tar, Kind::Blob)
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
            let sink = &mut self.sink;
            let feed = |chunk: &[u8]| match sink {
                Sink::DiffId(hasher) => hasher.update(chunk),
                Sink::Blob(gz, _) => gz.write(chunk),
            };
            if self.within == 0 && to == part.len() {
                part.for_each_chunk(feed);
            } else {
                part.slice(self.within, to).for_each_chunk(feed);
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

    /// Hashes what is left, remembers the digest (a DiffID, or a blob's
    /// digest with its size) and returns it.
    pub fn finish(mut self) -> Digest {
        self.step(u64::MAX);
        match self.sink {
            Sink::DiffId(hasher) => {
                let digest = hasher.finish();
                remember(self.fingerprint, digest.clone());
                digest
            }
            Sink::Blob(gz, sum) => {
                gz.finish();
                let blob = BlobSum::take(&sum);
                remember_blob(self.fingerprint, blob.clone());
                blob.0
            }
        }
    }
}
