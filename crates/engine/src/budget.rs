//! The work budget of one command line. Whatever a learner types (or a
//! permalink carries) must end promptly and leave the session usable, in the
//! browser as natively, so the engine counts the work a line starts — every
//! shell, make, RUN step, `docker run … sh -c` and `docker exec` it leads to —
//! and stops the line when a count passes its limit.
//!
//! The counts are work done, never time: the engine reads no clock, so a line
//! stops at the same point on every machine and in wasm.
//!
//! Architecture invariant: running out of budget is data, not a panic — the
//! shell prints [`Exceeded`]'s message as its own error and exits non-zero; the
//! next line starts with a full budget.

use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

/// How much one command line may do. A real lesson stays far below each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Commands run: each simple command of every shell, each make recipe line,
    /// each build instruction.
    pub steps: u64,
    /// Bytes produced and held in memory: output, typed file contents, and the
    /// text programs like `sed` make.
    pub bytes: u64,
    /// Bytes written to files, typed or described. A file may not grow beyond
    /// it either: the write fails with `File too large` (EFBIG). Every byte of
    /// a layer is hashed for its DiffID, so this bounds a build's hashing too.
    pub written: u64,
    /// How deep `sh -c`, `sh FILE`, `$( )` and make may nest.
    pub depth: usize,
}

/// The limits every session uses.
///
/// The tutorial's longest line runs a few dozen commands and writes a few
/// megabytes; the lessons' `dd` writes 2 MB. Each limit is sized so that
/// reaching it costs about a second in the browser: 16 MiB of text for `sed`
/// to make, 256 MiB of files for a build to hash (SHA-256 in wasm runs at
/// some 100–300 MB/s).
pub const LIMITS: Limits = Limits {
    steps: 10_000,
    bytes: 16 << 20,
    written: 256 << 20,
    depth: 16,
};

/// Which limit a line passed, with the limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Exceeded {
    Steps(u64),
    Bytes(u64),
    Written(u64),
    Depth(usize),
}

impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::note::{text, NoteKey};
        let line = match self {
            Exceeded::Steps(n) => text(NoteKey::StoppedSteps, &[&n.to_string()]),
            Exceeded::Bytes(n) => text(NoteKey::StoppedBytes, &[&bytes(*n)]),
            Exceeded::Written(n) => text(NoteKey::StoppedWritten, &[&bytes(*n)]),
            Exceeded::Depth(n) => text(NoteKey::StoppedDepth, &[&n.to_string()]),
        };
        f.write_str(&line)
    }
}

/// `64 MiB`, `1 GiB`, `4096 bytes`: a limit as a person reads it.
fn bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 30 && n % (1 << 30) == 0 => format!("{} GiB", n >> 30),
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}

/// The meter of one command line, shared by everything the line starts: a
/// clone counts against the same allowance.
#[derive(Clone, Debug)]
pub struct Budget {
    limits: Limits,
    spent: Rc<Meter>,
}

/// What a line has spent (for tests and fuzzing).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spent {
    pub steps: u64,
    pub bytes: u64,
    pub written: u64,
}

#[derive(Debug, Default)]
struct Meter {
    steps: Cell<u64>,
    bytes: Cell<u64>,
    written: Cell<u64>,
    exceeded: Cell<Option<Exceeded>>,
    /// Whether the stop has been reported: a nested shell says it once.
    reported: Cell<bool>,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(LIMITS)
    }
}

impl Budget {
    pub fn new(limits: Limits) -> Budget {
        Budget {
            limits,
            spent: Rc::default(),
        }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// An independent meter with what this one has spent so far.
    pub fn fork(&self) -> Budget {
        let s = &self.spent;
        Budget {
            limits: self.limits,
            spent: Rc::new(Meter {
                steps: Cell::new(s.steps.get()),
                bytes: Cell::new(s.bytes.get()),
                written: Cell::new(s.written.get()),
                exceeded: Cell::new(s.exceeded.get()),
                reported: Cell::new(s.reported.get()),
            }),
        }
    }

    /// What the line has spent so far.
    pub fn spent(&self) -> Spent {
        let s = &self.spent;
        Spent {
            steps: s.steps.get(),
            bytes: s.bytes.get(),
            written: s.written.get(),
        }
    }

    /// Why the line stopped, once it has.
    pub fn exceeded(&self) -> Option<Exceeded> {
        self.spent.exceeded.get()
    }

    /// Stops the line (the first reason is kept).
    pub fn exceed(&self, why: Exceeded) -> Exceeded {
        let first = self.spent.exceeded.get().unwrap_or(why);
        self.spent.exceeded.set(Some(first));
        first
    }

    /// The reason to report, the first time it is asked for.
    pub fn report(&self) -> Option<Exceeded> {
        let why = self.exceeded()?;
        (!self.spent.reported.replace(true)).then_some(why)
    }

    fn add(&self, counter: &Cell<u64>, n: u64, limit: u64, why: Exceeded) -> Result<(), Exceeded> {
        if let Some(e) = self.exceeded() {
            return Err(e);
        }
        let total = counter.get().saturating_add(n);
        counter.set(total);
        if total > limit {
            return Err(self.exceed(why));
        }
        Ok(())
    }

    /// One more command.
    pub fn step(&self) -> Result<(), Exceeded> {
        let l = self.limits.steps;
        self.add(&self.spent.steps, 1, l, Exceeded::Steps(l))
    }

    /// `n` more bytes produced or held.
    pub fn bytes(&self, n: u64) -> Result<(), Exceeded> {
        let l = self.limits.bytes;
        self.add(&self.spent.bytes, n, l, Exceeded::Bytes(l))
    }

    /// How many more bytes may be produced.
    pub fn bytes_left(&self) -> u64 {
        self.limits.bytes.saturating_sub(self.spent.bytes.get())
    }

    /// `n` more bytes written to files.
    pub fn written(&self, n: u64) -> Result<(), Exceeded> {
        let l = self.limits.written;
        self.add(&self.spent.written, n, l, Exceeded::Written(l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_count_passes_at_its_limit_and_stops_one_past_it() {
        let b = Budget::new(Limits { steps: 2, ..LIMITS });
        assert_eq!((b.step(), b.step()), (Ok(()), Ok(())));
        assert_eq!(b.step(), Err(Exceeded::Steps(2)));
        // Stopped is stopped, whatever is counted next; reported once.
        assert_eq!(b.bytes(1), Err(Exceeded::Steps(2)));
        assert_eq!((b.report(), b.report()), (Some(Exceeded::Steps(2)), None));
        let b = Budget::new(LIMITS);
        assert_eq!(b.bytes(16 << 20), Ok(()));
        assert_eq!(b.bytes(1), Err(Exceeded::Bytes(16 << 20)));
        assert_eq!(
            Exceeded::Written(256 << 20).to_string(),
            "stopped: this command wrote more than 256 MiB to files — Layerlab bounds the work of one command"
        );
    }
}
