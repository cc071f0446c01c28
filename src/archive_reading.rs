//! Reading an image archive from a `File` in the page: in slices (never
//! whole), a few read ahead so the parse never waits for the browser, each
//! parsed here while web workers hash the members (`digest_workers`), with
//! the page's own hashing as the fallback. The "Open an image" pane drives
//! it and draws its progress; the browser tests drive it with no workers.

use crate::digest_workers::DigestWorkers;
use layerlab_engine::import::{ImportError, Imported, Importer, Limits};
use std::collections::VecDeque;
use wasm_bindgen::JsCast;

/// Bytes read per slice when the page also hashes: a slice is hashed and
/// parsed in a few milliseconds, well under a long task.
const SLICE: f64 = 1024.0 * 1024.0;
/// Bytes read per slice while the workers hash: the page only parses, and
/// Chrome reads a `File` half again as fast in slices of a few MiB.
const SLICE_PARSED_ONLY: f64 = 4.0 * 1024.0 * 1024.0;
/// Bytes parsed at a time within a slice.
const PIECE: usize = 1024 * 1024;
/// The longest the page parses before it lets the browser draw and answer
/// input (a long task is 50 ms).
const TURN_MS: f64 = 30.0;
/// Slices asked of the browser before they are needed.
const READS_AHEAD: usize = 6;

/// Why a read did not give an import.
#[derive(Debug)]
pub enum ReadFailure {
    /// `stopped` said so (Cancel, or a newer import).
    Stopped,
    /// The browser could not read the file (it moved, or permission went).
    Unreadable,
    /// The archive was refused: the importer's words.
    Refused(ImportError),
}

/// Who hashed the members, for the benchmark and tests (a performance mark):
/// the page means the importer itself (a compressed archive) or the fallback.
pub const MARK_WORKERS: &str = "layerlab:import-hashed-by-workers";
pub const MARK_PAGE: &str = "layerlab:import-hashed-by-page";

/// Imports `file`. `progress` hears the bytes read so far after each slice;
/// `stopped` is asked after every await.
pub async fn read_archive(
    file: &web_sys::File,
    mut progress: impl FnMut(u64),
    stopped: impl Fn() -> bool,
) -> Result<Imported, ReadFailure> {
    let total = file.size();
    let mut importer = Importer::hashing_outside(Limits::default());
    // Started with the first member to hash: a compressed archive has none
    // (the importer hashes it) and needs no workers.
    let mut workers: Option<DigestWorkers> = None;
    let mut reads = VecDeque::new();
    let mut asked = 0.0;
    let mut bytes = Vec::new();
    let mut turn = crate::browser::now();
    loop {
        while reads.len() < READS_AHEAD && asked < total {
            let size = if importer.hashes_outside() {
                SLICE_PARSED_ONLY
            } else {
                SLICE
            };
            let end = (asked + size).min(total);
            let slice = file
                .slice_with_f64_and_f64(asked, end)
                .map_err(|_| ReadFailure::Unreadable)?;
            reads.push_back((
                asked,
                wasm_bindgen_futures::JsFuture::from(slice.array_buffer()),
            ));
            asked = end;
        }
        let Some((at, read)) = reads.pop_front() else {
            break;
        };
        let buffer = read.await;
        if stopped() {
            return Err(ReadFailure::Stopped);
        }
        let buffer: js_sys::ArrayBuffer = buffer
            .map_err(|_| ReadFailure::Unreadable)?
            .unchecked_into();
        let array = js_sys::Uint8Array::new(&buffer);
        bytes.resize(array.length() as usize, 0);
        array.copy_to(&mut bytes);
        // A slice of many small files takes longest: it is parsed a piece at
        // a time, and the page gets a turn whenever a task would run long.
        for piece in bytes.chunks(PIECE) {
            importer.feed(piece).map_err(ReadFailure::Refused)?;
            if crate::browser::now() - turn > TURN_MS {
                crate::browser::yield_to_page().await;
                if stopped() {
                    return Err(ReadFailure::Stopped);
                }
                turn = crate::browser::now();
            }
        }
        let spans = importer.take_spans();
        if !spans.is_empty() {
            let workers = workers.get_or_insert_with(|| DigestWorkers::start(file.clone()));
            workers.hash(spans);
        }
        if let Some(workers) = &mut workers {
            workers.give(at as u64, buffer, &stopped).await;
        }
        if stopped() {
            return Err(ReadFailure::Stopped);
        }
        progress(at as u64 + bytes.len() as u64);
    }
    let (digests, by_workers) = match &workers {
        Some(w) => w.digests(&stopped).await.ok_or(ReadFailure::Stopped)?,
        None => (Default::default(), false),
    };
    crate::browser::mark(if by_workers { MARK_WORKERS } else { MARK_PAGE });
    importer.finish_with(&digests).map_err(ReadFailure::Refused)
}
