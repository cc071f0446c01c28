//! zstd undone as it streams, like [`super::gunzip`]: slices of a compressed
//! layer go in, slices of its tar come out.
//!
//! The frame and block headers are read here and each block is handed to
//! ruzstd whole (a block is at most 128 KiB), so the decoder never sees more
//! than one block at a time and keeps only its window. Two bounds keep a
//! hostile frame from costing more than a gzip one could: a frame whose
//! window exceeds [`Unzstd::new`]'s `max_window` is refused before anything
//! is allocated for it, and so is output beyond `max_ratio` times the input
//! (plus 16 MiB), which stops a zstd bomb (4 bytes of RLE block make 128 KiB)
//! long before it is read. Frames may follow one another, skippable frames
//! are skipped, and each frame's checksum is checked when it has one.

use super::error::ImportError;
use ruzstd::io::Read;
use ruzstd::{BlockDecodingStrategy, FrameDecoder};

const MAGIC: u32 = 0xFD2F_B528;
const OUT_BUF: usize = 32 * 1024;
const MAX_BLOCK: u64 = 128 * 1024;
/// Output allowed beyond `max_ratio` times the input.
const RATIO_FLOOR: u64 = 16 << 20;

/// A zstd error; the reader of the blob names it ([`super::Importer`]).
fn zs(problem: impl Into<String>) -> ImportError {
    ImportError::Zstd {
        blob: String::new(),
        problem: problem.into(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Collecting a frame's header (or a skippable frame's first 8 bytes).
    Header,
    /// Skipping what is left of a skippable frame.
    Skip(u64),
    /// Collecting a block: its 3-byte header, its content and, after the
    /// last block, the frame's checksum.
    Block,
    /// Between frames: the stream may end here.
    Between,
}

/// The decoder's state between slices.
pub struct Unzstd {
    state: State,
    /// The header or block being collected (at most 128 KiB and a few bytes).
    pending: Vec<u8>,
    decoder: FrameDecoder,
    checksum: bool,
    max_window: u64,
    max_ratio: u64,
    bytes_in: u64,
    bytes_out: u64,
    buf: Vec<u8>,
}

impl Unzstd {
    /// A decoder that refuses windows over `max_window` bytes and output over
    /// `max_ratio` times its input (plus 16 MiB).
    pub fn new(max_window: u64, max_ratio: u64) -> Self {
        Unzstd {
            state: State::Header,
            pending: Vec::new(),
            decoder: FrameDecoder::new(),
            checksum: false,
            max_window,
            max_ratio,
            bytes_in: 0,
            bytes_out: 0,
            buf: vec![0; OUT_BUF],
        }
    }

    /// Decompresses `data`, giving the output to `sink` piece by piece.
    pub fn feed(
        &mut self,
        mut data: &[u8],
        sink: &mut dyn FnMut(&[u8]) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        self.bytes_in += data.len() as u64;
        loop {
            if let State::Skip(left) = self.state {
                let take = left.min(data.len() as u64);
                data = &data[take as usize..];
                self.state = if left == take {
                    State::Between
                } else {
                    State::Skip(left - take)
                };
                if data.is_empty() {
                    return Ok(());
                }
                continue;
            }
            if self.state == State::Between {
                if data.is_empty() {
                    return Ok(());
                }
                self.state = State::Header;
            }
            let need = self.need()?;
            if self.pending.len() < need {
                if data.is_empty() {
                    return Ok(());
                }
                let take = (need - self.pending.len()).min(data.len());
                self.pending.extend_from_slice(&data[..take]);
                data = &data[take..];
                continue;
            }
            match self.state {
                State::Header => self.frame_header()?,
                _ => self.block(sink)?,
            }
            self.pending.clear();
        }
    }

    /// Checks that the stream ended after a whole frame.
    pub fn finish(&self) -> Result<(), ImportError> {
        match self.state {
            State::Between => Ok(()),
            State::Header if self.bytes_in == 0 => Err(zs("empty input")),
            _ => Err(zs("unexpected end of data (the stream is cut short)")),
        }
    }

    /// How many bytes `pending` must hold before the current step can run
    /// (it grows as the first bytes tell the length).
    fn need(&self) -> Result<usize, ImportError> {
        let p = &self.pending;
        Ok(match self.state {
            State::Header => {
                if p.len() < 5 {
                    return Ok(5);
                }
                let magic = u32::from_le_bytes([p[0], p[1], p[2], p[3]]);
                if magic & 0xFFFF_FFF0 == 0x184D_2A50 {
                    8
                } else if magic != MAGIC {
                    return Err(zs("unknown frame descriptor (not zstd data)"));
                } else {
                    header_len(p[4])
                }
            }
            State::Block => {
                if p.len() < 3 {
                    return Ok(3);
                }
                let h = u32::from_le_bytes([p[0], p[1], p[2], 0]);
                let last = h & 1 == 1;
                let size = u64::from(h >> 3);
                let content = match (h >> 1) & 3 {
                    0 | 2 if size > MAX_BLOCK => {
                        return Err(zs(format!(
                            "a block of {size} bytes, more than zstd's 131072"
                        )))
                    }
                    0 | 2 => size as usize,
                    1 => 1,
                    _ => return Err(zs("a block of the reserved type (corrupted data)")),
                };
                3 + content + if last && self.checksum { 4 } else { 0 }
            }
            State::Skip(_) | State::Between => 0,
        })
    }

    /// Reads a complete frame header in `pending`: checks its window and
    /// starts the frame, or starts skipping a skippable frame.
    fn frame_header(&mut self) -> Result<(), ImportError> {
        let p = &self.pending;
        let magic = u32::from_le_bytes([p[0], p[1], p[2], p[3]]);
        if magic != MAGIC {
            let len = u32::from_le_bytes([p[4], p[5], p[6], p[7]]);
            self.state = if len == 0 {
                State::Between
            } else {
                State::Skip(u64::from(len))
            };
            return Ok(());
        }
        let d = p[4];
        if d & 0x08 != 0 {
            return Err(zs("a frame header with its reserved bit set"));
        }
        let single = d & 0x20 != 0;
        let dict_bytes = [0, 1, 2, 4][usize::from(d & 3)];
        let mut at = 5;
        let window_descriptor = (!single).then(|| {
            at += 1;
            p[5]
        });
        let dict = le(&p[at..at + dict_bytes]);
        at += dict_bytes;
        if dict != 0 {
            return Err(zs(
                "a frame that needs a dictionary (image layers do not use one)",
            ));
        }
        let fcs = match (d >> 6, single) {
            (0, false) => None,
            (0, true) => Some(le(&p[at..at + 1])),
            (1, _) => Some(le(&p[at..at + 2]) + 256),
            (2, _) => Some(le(&p[at..at + 4])),
            _ => Some(le(&p[at..at + 8])),
        };
        let window = match window_descriptor {
            Some(w) => {
                let base = 1u64 << (10 + (w >> 3));
                base + base / 8 * u64::from(w & 7)
            }
            None => fcs.unwrap_or(0),
        };
        if window > self.max_window {
            return Err(zs(format!(
                "a window of {} bytes, more than the {} this reader keeps in memory",
                window, self.max_window
            )));
        }
        self.checksum = d & 0x04 != 0;
        self.decoder = FrameDecoder::new();
        self.decoder
            .init(&mut &p[..])
            .map_err(|_| zs("a frame header that cannot be read (corrupted data)"))?;
        self.state = State::Block;
        Ok(())
    }

    /// Decodes the one block in `pending` and gives its output to `sink`.
    fn block(
        &mut self,
        sink: &mut dyn FnMut(&[u8]) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let finished = self
            .decoder
            .decode_blocks(&mut &self.pending[..], BlockDecodingStrategy::UptoBlocks(1))
            // The decoder's own error names its internals, not the archive's
            // problem (and its texts would load with every page).
            .map_err(|_| zs("corrupted data (a block that cannot be decoded)"))?;
        loop {
            let n = self
                .decoder
                .read(&mut self.buf)
                .map_err(|_| zs("corrupted data (a block that cannot be decoded)"))?;
            if n == 0 {
                break;
            }
            self.bytes_out += n as u64;
            if self.bytes_out > RATIO_FLOOR + self.bytes_in.saturating_mul(self.max_ratio) {
                return Err(zs(format!(
                    "it expands more than {} times (a zstd bomb?); refusing it",
                    self.max_ratio
                )));
            }
            sink(&self.buf[..n])?;
        }
        if finished {
            if self.checksum
                && self.decoder.get_checksum_from_data() != self.decoder.get_calculated_checksum()
            {
                return Err(zs("checksum mismatch"));
            }
            self.state = State::Between;
        }
        Ok(())
    }
}

/// The length of a frame header whose descriptor byte is `d`.
fn header_len(d: u8) -> usize {
    let single = d & 0x20 != 0;
    let fcs = match d >> 6 {
        0 => usize::from(single),
        1 => 2,
        2 => 4,
        _ => 8,
    };
    5 + usize::from(!single) + [0, 1, 2, 4][usize::from(d & 3)] + fcs
}

/// A little-endian number of up to 8 bytes.
fn le(b: &[u8]) -> u64 {
    b.iter().rev().fold(0, |n, &x| n << 8 | u64::from(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two frames written by the `zstd` CLI (1.5.4, `-19 --check`: the
    /// first from a pipe, so with a window and no size; the second from a
    /// file, one segment) with a skippable frame between them; together they
    /// hold `seq 1 50000`.
    const SEQ: &[u8] = include_bytes!("../../tests/images/seq-50000.zst");

    fn seq() -> Vec<u8> {
        (1..=50_000)
            .map(|n| format!("{n}\n"))
            .collect::<String>()
            .into_bytes()
    }

    fn unzstd_in_slices(data: &[u8], step: usize) -> Result<Vec<u8>, ImportError> {
        let mut z = Unzstd::new(32 << 20, 1024);
        let mut out = Vec::new();
        for chunk in data.chunks(step) {
            z.feed(chunk, &mut |b| {
                out.extend_from_slice(b);
                Ok(())
            })?;
        }
        z.finish()?;
        Ok(out)
    }

    #[test]
    fn decompresses_whatever_the_slice_size() {
        for step in [1, 7, 4096, 131_075, SEQ.len()] {
            assert!(unzstd_in_slices(SEQ, step).unwrap() == seq(), "{step}");
        }
    }

    #[test]
    fn damage_is_named() {
        let cut = unzstd_in_slices(&SEQ[..SEQ.len() - 3], 4096);
        assert_eq!(
            cut,
            Err(zs("unexpected end of data (the stream is cut short)"))
        );
        let mut sum = SEQ.to_vec();
        let n = sum.len();
        sum[n - 1] ^= 1;
        assert_eq!(unzstd_in_slices(&sum, 4096), Err(zs("checksum mismatch")));
        assert_eq!(
            unzstd_in_slices(b"\x1f\x8b\x08\x00rest", 64),
            Err(zs("unknown frame descriptor (not zstd data)"))
        );
    }
}
