//! The SHA-256 of an archive's members, computed on a second thread while
//! the importer reads the file on the first. Hashing is most of an import's
//! work (SHA-256 runs at about 2 GB/s, parsing and XXH64 at about 3), so
//! splitting it off about halves an import on two cores. The thread reads
//! each member's bytes from the file itself (`read_at`): from the page
//! cache, which is cheaper than handing slices across.

use layerlab_engine::digest::{Digest, Hasher};
use layerlab_engine::import::Span;
use layerlab_engine::map::Map;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;

/// Bytes read per `read_at`.
const PIECE: usize = 1 << 20;

/// The hashing thread: give it spans as the importer finds them, then
/// [`SpanHashing::digests`].
pub struct SpanHashing {
    spans: Option<Sender<Span>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Map<u64, Digest>>>,
}

impl SpanHashing {
    pub fn start(file: File) -> Self {
        let (tx, rx) = channel::<Span>();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut digests = Map::new();
            let mut buf = vec![0u8; PIECE];
            for span in rx {
                if stopped.load(Ordering::Relaxed) {
                    break;
                }
                if let Some(d) = hash(&file, &span, &mut buf) {
                    digests.insert(span.offset, d);
                }
            }
            digests
        });
        SpanHashing {
            spans: Some(tx),
            stop,
            thread: Some(thread),
        }
    }

    pub fn add(&self, spans: Vec<Span>) {
        if let Some(tx) = &self.spans {
            for s in spans {
                // A send fails only if the thread is gone; `digests` then
                // lacks the span and the importer names the member.
                let _ = tx.send(s);
            }
        }
    }

    /// Every span's digest, once all are hashed. A span the file could not
    /// give whole (it was cut short or changed) has none: the importer
    /// reports the archive's own problem first, or names the member.
    pub fn digests(mut self) -> Map<u64, Digest> {
        self.spans = None;
        self.thread
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for SpanHashing {
    /// An import that failed stops the hashing at the next span.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn hash(file: &File, span: &Span, buf: &mut [u8]) -> Option<Digest> {
    let mut h = Hasher::new();
    let mut at = span.offset;
    let end = span.offset.checked_add(span.size)?;
    while at < end {
        let want = ((end - at) as usize).min(buf.len());
        let n = file.read_at(&mut buf[..want], at).ok()?;
        if n == 0 {
            return None;
        }
        h.update(&buf[..n]);
        at += n as u64;
    }
    Some(h.finish())
}
