//! Replaying command lines without holding the page: saved work on a reload,
//! a permalink, a scenario file. [`Replay`] runs the lines a piece at a time
//! (the caller says when a slice is over), each under the hashing deferral
//! the reducer uses (`state::HASH_INLINE`): a line that leaves large layer
//! tars unhashed is run again from the snapshot before it once they are
//! hashed, a piece at a time as well. The workspace it ends with is the one
//! [`Workspace::replay`] gives: same log, screen, digests and events.
//!
//! DOM-free, tested natively; [`in_slices`] drives it between frames.

use crate::state::{HASH_INLINE, MAX_ROUNDS};
use crate::workspace::Workspace;
use layerlab_engine::hashing::{self, HashJob};

/// Bytes of a tar hashed at a time (the slice's clock is read between pieces).
const PIECE: u64 = 256 << 10;

/// A replay under way.
pub struct Replay {
    workspace: Workspace,
    lines: Vec<String>,
    /// The next line to run.
    next: usize,
    /// The tars the last command left, hashed before it runs again.
    jobs: Vec<HashJob>,
    /// How many times the last command was run with tars left.
    rounds: u32,
    /// Its tars are hashed: it runs again, at the start of a slice.
    again: bool,
}

/// How far a replay is: lines run, of how many; bytes of tars hashed, of how
/// many, while a command waits for them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub lines: (usize, usize),
    pub hashing: Option<(u64, u64)>,
}

impl Replay {
    pub fn new(lines: Vec<String>) -> Replay {
        Replay {
            workspace: Workspace::default(),
            lines,
            next: 0,
            jobs: Vec::new(),
            rounds: 0,
            again: false,
        }
    }

    pub fn progress(&self) -> Progress {
        let hashing = (!self.jobs.is_empty()).then(|| {
            self.jobs.iter().fold((0, 0), |(done, total), j| {
                (done + j.done(), total + j.total())
            })
        });
        Progress {
            lines: (self.next, self.lines.len()),
            hashing,
        }
    }

    /// Works while `more()` says so (asked after each line or piece of a
    /// tar); true once every line has run. A command whose tars are hashed
    /// runs again at the start of the next call, not at the end of this one.
    pub fn step(&mut self, mut more: impl FnMut() -> bool) -> bool {
        loop {
            if std::mem::take(&mut self.again) {
                self.run_again();
            } else if let Some(job) = self.jobs.first_mut() {
                if job.step(PIECE) {
                    self.jobs.remove(0).finish();
                    if self.jobs.is_empty() {
                        self.again = true;
                        return false;
                    }
                }
            } else if let Some(line) = self.lines.get(self.next) {
                let before = self.workspace.console.log.len();
                let w = &mut self.workspace;
                let ((), jobs) = hashing::deferring(HASH_INLINE, || w.submit(line));
                self.next += 1;
                // Only a line that ran a command can have asked for a digest.
                if !jobs.is_empty() && self.workspace.console.log.len() > before {
                    self.jobs = jobs;
                    self.rounds = 1;
                }
            } else {
                return true;
            }
            if !more() {
                return false;
            }
        }
    }

    /// The last command again, now that its tars are hashed; after
    /// `MAX_ROUNDS` with tars left, the rest is hashed inline.
    fn run_again(&mut self) {
        let w = &mut self.workspace;
        if self.rounds >= MAX_ROUNDS {
            w.rerun_last();
            return;
        }
        let ((), jobs) = hashing::deferring(HASH_INLINE, || w.rerun_last());
        if !jobs.is_empty() {
            self.jobs = jobs;
            self.rounds += 1;
        }
    }

    /// The workspace replayed so far (all of it once [`Replay::step`] said so).
    pub fn finish(self) -> Workspace {
        self.workspace
    }
}

/// How long one slice of a replay runs.
pub const SLICE_MS: f64 = 30.0;

/// Runs `replay` in slices of [`SLICE_MS`], letting the page draw and answer
/// between them, and tells `progress` after each slice. The rest of a split
/// build's code is awaited first: a line that needs it would otherwise load
/// it at once, in the middle of a slice.
pub async fn in_slices(mut replay: Replay, progress: impl Fn(Progress)) -> Workspace {
    if !crate::split::ready() {
        let _ = crate::split::load().await;
    }
    loop {
        let start = crate::browser::now();
        if replay.step(|| crate::browser::now() - start < SLICE_MS) {
            return replay.finish();
        }
        progress(replay.progress());
        crate::browser::yield_to_page().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replays `lines` a line or a piece at a time (as slices would), with
    /// large tars hashed in pieces, and returns the workspace and how many
    /// steps it took.
    fn replay_one_piece_at_a_time(lines: &[&str]) -> (Workspace, usize) {
        let mut r = Replay::new(lines.iter().map(|l| (*l).to_owned()).collect());
        let mut steps = 1;
        while !r.step(|| false) {
            steps += 1;
        }
        (r.finish(), steps)
    }

    #[test]
    fn a_replay_in_pieces_ends_where_a_whole_replay_does() {
        // (lines, whether a tar past HASH_INLINE is hashed in pieces)
        let cases: [(&[&str], bool); 3] = [
            (&["docker pull busybox", "docker images", "echo hi"], false),
            (
                &[
                    "cat > Dockerfile <<'EOF'\nFROM busybox\nRUN dd if=/dev/zero of=/big bs=1M count=8\nEOF",
                    "docker build -t big .",
                    "docker images --digests",
                    "docker history big",
                    "docker inspect -f '{{.RootFS.Layers}}' big",
                ],
                true,
            ),
            (
                &[
                    "dd if=/dev/urandom of=blob bs=1M count=6",
                    "printf 'FROM busybox\\nCOPY blob /\\n' > Dockerfile",
                    "docker build -q .",
                    "docker build -q .",
                ],
                true,
            ),
        ];
        for (lines, hashed) in cases {
            let owned: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
            let whole = Workspace::replay(&owned);
            let (sliced, steps) = replay_one_piece_at_a_time(lines);
            assert_eq!(sliced.console, whole.console, "{lines:?}");
            assert_eq!(sliced.console.log, owned, "{lines:?}");
            // More steps than lines: pieces of a tar were hashed between them.
            assert_eq!(steps > lines.len() + 1, hashed, "{lines:?}: {steps} steps");
        }
    }
}
