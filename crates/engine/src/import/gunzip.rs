//! gzip undone as it streams: slices of a compressed layer go in, slices of
//! its tar come out. Each member's CRC-32 and length are checked against its
//! trailer; members may follow one another (Go's reader accepts that too).

use super::error::ImportError;
use crate::gzip::Crc32;
use miniz_oxide::inflate::stream::InflateState;
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

const OUT_BUF: usize = 32 * 1024;

/// A gzip error; the reader of the blob names it ([`super::Importer`]).
fn gz(problem: &'static str) -> ImportError {
    ImportError::Gzip {
        blob: String::new(),
        problem,
    }
}
/// The longest gzip header read (names and comments included).
const MAX_HEADER: usize = 64 * 1024;

enum State {
    /// Collecting a member's header.
    Header(Vec<u8>),
    Body,
    /// Collecting a member's 8-byte trailer.
    Trailer(Vec<u8>),
    /// Between members: the stream may end here.
    Between,
}

/// The decoder's state between slices.
pub struct Gunzip {
    state: State,
    inflate: Box<InflateState>,
    buf: Vec<u8>,
    crc: Crc32,
    len: u64,
}

impl Default for Gunzip {
    fn default() -> Self {
        Gunzip::new()
    }
}

impl Gunzip {
    pub fn new() -> Self {
        Gunzip {
            state: State::Header(Vec::new()),
            inflate: InflateState::new_boxed(DataFormat::Raw),
            buf: vec![0; OUT_BUF],
            crc: Crc32::default(),
            len: 0,
        }
    }

    /// Inflates `data`, giving the output to `sink` piece by piece.
    pub fn feed(
        &mut self,
        mut data: &[u8],
        sink: &mut dyn FnMut(&[u8]) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        while !data.is_empty() {
            match &mut self.state {
                State::Between => {
                    self.state = State::Header(Vec::new());
                }
                State::Header(head) => {
                    let before = head.len();
                    let take = data.len().min(MAX_HEADER - before);
                    head.extend_from_slice(&data[..take]);
                    match header_len(head)? {
                        Some(n) => {
                            let used = n - before;
                            data = &data[used..];
                            self.state = State::Body;
                            self.inflate = InflateState::new_boxed(DataFormat::Raw);
                            self.crc = Crc32::default();
                            self.len = 0;
                        }
                        None if head.len() >= MAX_HEADER => {
                            return Err(gz("header too long"));
                        }
                        None => data = &data[take..],
                    }
                }
                State::Body => loop {
                    let r = miniz_oxide::inflate::stream::inflate(
                        &mut self.inflate,
                        data,
                        &mut self.buf,
                        MZFlush::None,
                    );
                    data = &data[r.bytes_consumed..];
                    let out = &self.buf[..r.bytes_written];
                    self.crc.update(out);
                    self.len += out.len() as u64;
                    if !out.is_empty() {
                        sink(out)?;
                    }
                    match r.status {
                        Ok(MZStatus::StreamEnd) => {
                            self.state = State::Trailer(Vec::with_capacity(8));
                            break;
                        }
                        Ok(_) | Err(MZError::Buf) => {
                            let more_output = r.bytes_written == self.buf.len();
                            if data.is_empty() && !more_output {
                                break;
                            }
                            if r.bytes_consumed == 0 && r.bytes_written == 0 {
                                return Err(gz("invalid compressed data"));
                            }
                        }
                        Err(_) => return Err(gz("invalid compressed data")),
                    }
                },
                State::Trailer(t) => {
                    let take = (8 - t.len()).min(data.len());
                    t.extend_from_slice(&data[..take]);
                    data = &data[take..];
                    if t.len() == 8 {
                        let crc = u32::from_le_bytes([t[0], t[1], t[2], t[3]]);
                        let len = u32::from_le_bytes([t[4], t[5], t[6], t[7]]);
                        if crc != self.crc.value() {
                            return Err(gz("checksum error"));
                        }
                        if len != self.len as u32 {
                            return Err(gz("length error"));
                        }
                        self.state = State::Between;
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks that the stream ended after a whole member.
    pub fn finish(&self) -> Result<(), ImportError> {
        match self.state {
            State::Between => Ok(()),
            _ => Err(gz("unexpected EOF")),
        }
    }
}

/// The length of the gzip header at the start of `h`, once it is all there.
fn header_len(h: &[u8]) -> Result<Option<usize>, ImportError> {
    const FHCRC: u8 = 2;
    const FEXTRA: u8 = 4;
    const FNAME: u8 = 8;
    const FCOMMENT: u8 = 16;
    for (i, want) in [0x1f, 0x8b, 8].iter().enumerate() {
        match h.get(i) {
            Some(b) if b != want => return Err(gz("invalid header")),
            None => return Ok(None),
            _ => {}
        }
    }
    if h.len() < 10 {
        return Ok(None);
    }
    let flags = h[3];
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let Some(len) = h.get(at..at + 2) else {
            return Ok(None);
        };
        at += 2 + usize::from(u16::from_le_bytes([len[0], len[1]]));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let Some(rest) = h.get(at..) else {
                return Ok(None);
            };
            match rest.iter().position(|&b| b == 0) {
                Some(n) => at += n + 1,
                None => return Ok(None),
            }
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    Ok((h.len() >= at).then_some(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compress(data: &[u8], level: u8) -> Vec<u8> {
        let mut out = Vec::new();
        let mut w = crate::gzip::GzWriter::new(level, |b: &[u8]| out.extend_from_slice(b));
        w.write(data);
        w.finish();
        out
    }

    fn gunzip_in_slices(data: &[u8], step: usize) -> Result<Vec<u8>, ImportError> {
        let mut g = Gunzip::new();
        let mut out = Vec::new();
        for chunk in data.chunks(step) {
            g.feed(chunk, &mut |b| {
                out.extend_from_slice(b);
                Ok(())
            })?;
        }
        g.finish()?;
        Ok(out)
    }

    #[test]
    fn inflates_whatever_the_slice_size() {
        let text = b"FROM busybox\nRUN echo hi\n".repeat(9000);
        for level in [0, 6] {
            let blob = compress(&text, level);
            for step in [1, 3, 100, 4096, blob.len()] {
                assert_eq!(
                    gunzip_in_slices(&blob, step).unwrap(),
                    text,
                    "{level} {step}"
                );
            }
        }
        let mut two = compress(b"one ", 6);
        two.extend(compress(b"two", 6));
        assert_eq!(gunzip_in_slices(&two, 5).unwrap(), b"one two");
    }

    #[test]
    fn damage_is_named() {
        let blob = compress(&b"hello layers ".repeat(100), 6);
        let mut crc = blob.clone();
        let n = crc.len();
        crc[n - 8] ^= 1;
        assert_eq!(gunzip_in_slices(&crc, 64), Err(gz("checksum error")));
        assert_eq!(
            gunzip_in_slices(&blob[..blob.len() - 3], 64),
            Err(gz("unexpected EOF"))
        );
        assert_eq!(
            gunzip_in_slices(b"\x1f\x8b\x09rest-of-it", 64),
            Err(gz("invalid header"))
        );
    }
}
