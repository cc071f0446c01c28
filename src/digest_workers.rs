//! The page's side of import hashing. The page reads the archive once, in
//! slices; each slice is parsed here and then transferred (not copied) to a
//! web worker (`src/bin/digest_worker.rs`) that computes the SHA-256 of the
//! members it overlaps. Hashing is most of an import's work, and reading
//! the `File` is a large part of the rest: this way an import costs one
//! read and about one parse, with the hashing beside it.
//!
//! Any member the workers did not hash (none could start here, one failed)
//! is hashed on the page at the end, from the file: the import never
//! depends on the workers.

use layerlab_engine::digest::{Digest, Hasher};
use layerlab_engine::import::Span;
use layerlab_engine::map::Map;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

/// The script that starts a worker, beside index.html.
const BOOT: &str = "./digest-worker-boot.js";
/// Workers at most: a member is hashed by one worker, and images have few
/// large layers.
const MAX_WORKERS: u32 = 4;
/// Bytes handed to the workers and not yet hashed, at most: beyond this the
/// page waits, so a slow worker cannot make the page hold the whole file.
const AHEAD: f64 = 64.0 * 1024.0 * 1024.0;
/// A worker that has not answered for this long while the page waits is
/// taken as stuck; the page hashes its members. A slice takes it well
/// under a second even on a slow phone.
const STUCK_MS: f64 = 10_000.0;
/// Bytes read per slice when the page hashes a member itself.
const SLICE: f64 = 4.0 * 1024.0 * 1024.0;

/// What the workers have answered.
#[derive(Default)]
struct Answers {
    digests: Map<u64, Digest>,
    /// Each worker's load, by its index in `DigestWorkers::workers`.
    loads: Vec<Load>,
    /// When the last answer came (`Date.now()`), to tell a stuck worker.
    last: f64,
    /// Wakes a wait when an answer comes.
    wake: Option<js_sys::Function>,
}

/// What one worker has been given and not yet answered.
#[derive(Clone, Copy, Default)]
struct Load {
    /// Bytes handed over and not yet hashed.
    ahead: f64,
    /// Members given and not yet answered.
    unanswered: usize,
    /// Failed: given nothing more, waited for no longer.
    failed: bool,
}

/// A member being hashed by a worker.
struct Open {
    end: u64,
    worker: usize,
}

pub struct DigestWorkers {
    file: web_sys::File,
    workers: Vec<web_sys::Worker>,
    next: usize,
    open: Vec<Open>,
    /// Every span given, for the page to hash those the workers did not.
    spans: Vec<Span>,
    answers: Rc<RefCell<Answers>>,
    _listeners: Vec<Closure<dyn Fn(web_sys::MessageEvent)>>,
    _error_listeners: Vec<Closure<dyn Fn(web_sys::Event)>>,
}

impl DigestWorkers {
    /// Workers for the members of `file`: one fewer than the machine's cores
    /// (the page parses on one), at least one. None start where workers
    /// cannot; then the page hashes everything itself.
    pub fn start(file: web_sys::File) -> Self {
        let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
        let count = (cores as u32).saturating_sub(1).clamp(1, MAX_WORKERS);
        let answers = Rc::new(RefCell::new(Answers {
            last: js_sys::Date::now(),
            ..Answers::default()
        }));
        let mut pool = DigestWorkers {
            file,
            workers: Vec::new(),
            next: 0,
            open: Vec::new(),
            spans: Vec::new(),
            answers: answers.clone(),
            _listeners: Vec::new(),
            _error_listeners: Vec::new(),
        };
        for i in 0..count as usize {
            let Ok(worker) = web_sys::Worker::new(BOOT) else {
                break;
            };
            answers.borrow_mut().loads.push(Load::default());
            let on_answer = {
                let answers = answers.clone();
                Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                    let answer = js_sys::Array::from(&e.data());
                    let mut a = answers.borrow_mut();
                    let number = answer.get(1).as_f64().unwrap_or(0.0);
                    a.last = js_sys::Date::now();
                    let digest = answer.get(2).as_string().and_then(|d| Digest::parse(&d));
                    let load = &mut a.loads[i];
                    match answer.get(0).as_string().as_deref() {
                        Some("digest") => load.unanswered = load.unanswered.saturating_sub(1),
                        Some("hashed") => load.ahead = (load.ahead - number).max(0.0),
                        // `["failed", why]`: its wasm did not start.
                        _ => load.failed = true,
                    }
                    // Only a digest answer carries one (`null` when the worker could not read it).
                    if let Some(d) = digest {
                        a.digests.insert(number as u64, d);
                    }
                    wake(&mut a);
                })
            };
            // A worker that fails stops being waited for; the page hashes its members.
            let on_error = {
                let answers = answers.clone();
                Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
                    let mut a = answers.borrow_mut();
                    a.loads[i].failed = true;
                    wake(&mut a);
                })
            };
            worker.set_onmessage(Some(on_answer.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            pool.workers.push(worker);
            pool._listeners.push(on_answer);
            pool._error_listeners.push(on_error);
        }
        pool
    }

    /// Members the importer has just begun: each goes to a working worker,
    /// in turn, before any of its bytes.
    pub fn hash(&mut self, spans: Vec<Span>) {
        for span in spans {
            let n = self.workers.len();
            let working = (0..n)
                .map(|k| (self.next + k) % n)
                .find(|&i| !self.answers.borrow().loads[i].failed);
            if let Some(i) = working {
                let message = js_sys::Array::of3(
                    &"span".into(),
                    &JsValue::from_f64(span.offset as f64),
                    &JsValue::from_f64(span.size as f64),
                );
                if self.workers[i].post_message(&message).is_ok() {
                    self.answers.borrow_mut().loads[i].unanswered += 1;
                    self.open.push(Open {
                        end: span.offset + span.size,
                        worker: i,
                    });
                }
                self.next = i + 1;
            }
            self.spans.push(span);
        }
    }

    /// The archive's bytes from `at`, already parsed: handed to each worker
    /// hashing a member they overlap (transferred to the last, copied for
    /// any other), then waits while the workers are too far behind.
    pub async fn give(&mut self, at: u64, bytes: js_sys::ArrayBuffer, stopped: &impl Fn() -> bool) {
        let end = at + u64::from(bytes.byte_length());
        let mut takers: Vec<usize> = self
            .open
            .iter()
            .filter(|o| o.end > at && !self.answers.borrow().loads[o.worker].failed)
            .map(|o| o.worker)
            .collect();
        takers.sort_unstable();
        takers.dedup();
        if let Some((&last, others)) = takers.split_last() {
            for &i in others {
                self.post_bytes(i, at, &bytes.slice(0), false);
            }
            self.post_bytes(last, at, &bytes, true);
        }
        self.open.retain(|o| o.end > end);
        while !stopped() && self.waiting(|l| l.ahead > AHEAD) {
            wait_for_answer(&self.answers).await;
        }
    }

    /// Whether a working worker's load is in the state `behind` names; a
    /// worker silent for [`STUCK_MS`] while waited for counts as failed.
    fn waiting(&self, behind: impl Fn(&Load) -> bool) -> bool {
        let mut a = self.answers.borrow_mut();
        let stuck = js_sys::Date::now() - a.last > STUCK_MS;
        let mut any = false;
        for load in a.loads.iter_mut().filter(|l| !l.failed && behind(l)) {
            if stuck {
                load.failed = true;
            } else {
                any = true;
            }
        }
        any
    }

    fn post_bytes(&self, worker: usize, at: u64, bytes: &js_sys::ArrayBuffer, transfer: bool) {
        let length = f64::from(bytes.byte_length());
        let message = js_sys::Array::of3(&"bytes".into(), &JsValue::from_f64(at as f64), bytes);
        let sent = if transfer {
            let moved = js_sys::Array::of1(bytes);
            self.workers[worker].post_message_with_transfer(&message, &moved)
        } else {
            self.workers[worker].post_message(&message)
        };
        if sent.is_ok() {
            self.answers.borrow_mut().loads[worker].ahead += length;
        }
    }

    /// Every member's digest, once the workers have answered, and whether
    /// they gave them all; the page hashes whatever they did not. `stopped`
    /// is asked between waits: a cancelled import stops waiting (dropping
    /// the pool ends the workers).
    pub async fn digests(&self, stopped: &impl Fn() -> bool) -> Option<(Map<u64, Digest>, bool)> {
        // A member whose bytes did not all come (the file is cut short) is
        // never answered: the importer names the cut, nobody waits for it.
        {
            let mut a = self.answers.borrow_mut();
            for o in &self.open {
                let load = &mut a.loads[o.worker];
                load.unanswered = load.unanswered.saturating_sub(1);
            }
        }
        while self.waiting(|l| l.unanswered > 0) {
            wait_for_answer(&self.answers).await;
            if stopped() {
                return None;
            }
        }
        let mut digests = std::mem::take(&mut self.answers.borrow_mut().digests);
        let size = self.file.size() as u64;
        let whole = |s: &&Span| s.offset + s.size <= size;
        let by_workers = self
            .spans
            .iter()
            .filter(whole)
            .all(|s| digests.contains_key(&s.offset));
        for span in self.spans.iter().filter(whole) {
            if digests.contains_key(&span.offset) {
                continue;
            }
            if let Some(d) = hash_here(&self.file, span, stopped).await {
                digests.insert(span.offset, d);
            }
            if stopped() {
                return None;
            }
        }
        Some((digests, by_workers))
    }
}

impl Drop for DigestWorkers {
    fn drop(&mut self) {
        for w in &self.workers {
            w.terminate();
        }
    }
}

fn wake(a: &mut Answers) {
    if let Some(f) = a.wake.take() {
        let _ = f.call0(&JsValue::NULL);
    }
}

/// Until an answer comes, or 100 ms pass (so that Cancel is seen).
async fn wait_for_answer(answers: &Rc<RefCell<Answers>>) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
        }
        answers.borrow_mut().wake = Some(resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A member hashed on the page, a slice per await.
async fn hash_here(
    file: &web_sys::File,
    span: &Span,
    stopped: &impl Fn() -> bool,
) -> Option<Digest> {
    let mut h = Hasher::new();
    let mut bytes = Vec::new();
    let (mut at, end) = (span.offset as f64, (span.offset + span.size) as f64);
    while at < end {
        let to = (at + SLICE).min(end);
        let piece = file.slice_with_f64_and_f64(at, to).ok()?;
        let buffer = wasm_bindgen_futures::JsFuture::from(piece.array_buffer())
            .await
            .ok()?;
        if stopped() {
            return None;
        }
        let array = js_sys::Uint8Array::new(&buffer);
        if array.length() == 0 {
            return None;
        }
        bytes.resize(array.length() as usize, 0);
        array.copy_to(&mut bytes);
        h.update(&bytes);
        at += f64::from(array.length());
    }
    Some(h.finish())
}
