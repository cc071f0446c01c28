//! gzip (RFC 1952) around miniz_oxide's DEFLATE: the 10-byte header, the
//! CRC-32 and length trailer, a streaming writer for layer blobs, and a reader
//! that checks what it inflates. Raw DEFLATE for the app's links is here too.
//!
//! The writer gives the bytes `flate2`'s `GzBuilder` gives (a test holds it to
//! that), so blob digests do not depend on which of the two made them.

use miniz_oxide::deflate::core::CompressorOxide;
use miniz_oxide::inflate::stream::InflateState;
use miniz_oxide::{DataFormat, MZFlush, MZStatus};
use std::sync::OnceLock;

/// What a gzip reader can find wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GzError {
    /// Not gzip, a damaged stream, or a trailer that does not match.
    Invalid,
    /// More than the caller's limit once inflated.
    TooLarge,
}

/// CRC-32 as gzip uses it (reflected polynomial 0xEDB88320), eight bytes at a
/// step. The tables are made on first use, so the binary carries none.
#[derive(Clone, Copy, Debug, Default)]
pub struct Crc32(u32);

fn tables() -> &'static [[u32; 256]; 8] {
    static TABLES: OnceLock<Box<[[u32; 256]; 8]>> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = Box::new([[0u32; 256]; 8]);
        for n in 0..256 {
            let mut c = n as u32;
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            t[0][n] = c;
        }
        for n in 0..256 {
            for k in 1..8 {
                let prev = t[k - 1][n];
                t[k][n] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            }
        }
        t
    })
}

impl Crc32 {
    pub fn update(&mut self, data: &[u8]) {
        let t = tables();
        let mut c = !self.0;
        let mut chunks = data.chunks_exact(8);
        for b in &mut chunks {
            let lo = c ^ u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            c = t[7][(lo & 0xff) as usize]
                ^ t[6][((lo >> 8) & 0xff) as usize]
                ^ t[5][((lo >> 16) & 0xff) as usize]
                ^ t[4][(lo >> 24) as usize]
                ^ t[3][b[4] as usize]
                ^ t[2][b[5] as usize]
                ^ t[1][b[6] as usize]
                ^ t[0][b[7] as usize];
        }
        for &b in chunks.remainder() {
            c = (c >> 8) ^ t[0][((c ^ u32::from(b)) & 0xff) as usize];
        }
        self.0 = !c;
    }

    pub fn value(&self) -> u32 {
        self.0
    }
}

fn compressor(level: u8) -> Box<CompressorOxide> {
    let mut c: Box<CompressorOxide> = Box::default();
    c.set_format_and_level(DataFormat::Raw, level);
    c
}

/// Where the compressor writes before the sink takes it.
const OUT_BUF: usize = 32 * 1024;

/// Runs `input` through the compressor via `out`, handing each piece of output
/// to `sink`; with `Finish`, until the stream is closed.
fn pump(
    c: &mut CompressorOxide,
    out: &mut [u8],
    mut input: &[u8],
    flush: MZFlush,
    sink: &mut dyn FnMut(&[u8]),
) {
    loop {
        let r = miniz_oxide::deflate::stream::deflate(c, input, out, flush);
        sink(&out[..r.bytes_written]);
        input = &input[r.bytes_consumed..];
        let ended = matches!(r.status, Ok(MZStatus::StreamEnd));
        let stuck = r.status.is_err() || (r.bytes_consumed == 0 && r.bytes_written == 0);
        if ended || stuck || (flush == MZFlush::None && input.is_empty()) {
            return;
        }
    }
}

/// A gzip stream written piece by piece to `sink`: the header at once, then
/// DEFLATE at `level` (0 stores, 6 is gzip's default, 9 the best), then the
/// trailer on [`GzWriter::finish`]. The header has no name and no time, and
/// names no operating system (255), so the same bytes give the same stream.
pub struct GzWriter<F: FnMut(&[u8])> {
    sink: F,
    body: Body,
    crc: Crc32,
    len: u64,
}

/// How the data is put in the stream.
enum Body {
    /// Level 0: stored blocks, cut where miniz_oxide cuts them (layer blobs
    /// are this; copying is all it takes).
    Stored(Vec<u8>),
    Deflate(Box<CompressorOxide>, Vec<u8>),
}

/// The length of every stored block but the last, as miniz_oxide writes them.
const STORED_BLOCK: usize = 31_745;

/// A stored block: BFINAL, BTYPE 00 and the padding to a byte, LEN, NLEN, the data.
fn stored_block(last: bool, data: &[u8], sink: &mut dyn FnMut(&[u8])) {
    let len = data.len() as u16;
    let l = len.to_le_bytes();
    let n = (!len).to_le_bytes();
    sink(&[u8::from(last), l[0], l[1], n[0], n[1]]);
    sink(data);
}

impl<F: FnMut(&[u8])> GzWriter<F> {
    pub fn new(level: u8, mut sink: F) -> Self {
        // XFL: 2 for the slowest compression, 4 for the fastest (and stored).
        let xfl = match level {
            9.. => 2,
            0 | 1 => 4,
            _ => 0,
        };
        sink(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255]);
        let body = if level == 0 {
            Body::Stored(Vec::with_capacity(STORED_BLOCK))
        } else {
            Body::Deflate(compressor(level), vec![0; OUT_BUF])
        };
        GzWriter {
            sink,
            body,
            crc: Crc32::default(),
            len: 0,
        }
    }

    pub fn write(&mut self, mut data: &[u8]) {
        self.crc.update(data);
        self.len += data.len() as u64;
        match &mut self.body {
            Body::Stored(pending) => {
                // A full block is never the last: the last one comes on finish.
                while !data.is_empty() {
                    let take = (STORED_BLOCK - pending.len()).min(data.len());
                    pending.extend_from_slice(&data[..take]);
                    data = &data[take..];
                    if pending.len() == STORED_BLOCK {
                        stored_block(false, pending, &mut self.sink);
                        pending.clear();
                    }
                }
            }
            Body::Deflate(c, out) => pump(c, out, data, MZFlush::None, &mut self.sink),
        }
    }

    /// Closes the stream.
    pub fn finish(mut self) {
        match &mut self.body {
            Body::Stored(pending) => stored_block(true, pending, &mut self.sink),
            Body::Deflate(c, out) => pump(c, out, &[], MZFlush::Finish, &mut self.sink),
        }
        (self.sink)(&self.crc.value().to_le_bytes());
        // ISIZE: the length modulo 2^32, as RFC 1952 has it.
        (self.sink)(&(self.len as u32).to_le_bytes());
    }
}

/// Inflates raw DEFLATE from `input`, at most `limit` bytes of output; returns
/// the output and how much input the stream took.
fn inflate(input: &[u8], limit: usize) -> Result<(Vec<u8>, usize), GzError> {
    let mut state = InflateState::new_boxed(DataFormat::Raw);
    let mut out = Vec::new();
    let mut buf = vec![0u8; OUT_BUF];
    let mut at = 0;
    loop {
        let r = miniz_oxide::inflate::stream::inflate(
            &mut state,
            &input[at..],
            &mut buf,
            MZFlush::None,
        );
        at += r.bytes_consumed;
        out.extend_from_slice(&buf[..r.bytes_written]);
        if out.len() > limit {
            return Err(GzError::TooLarge);
        }
        match r.status {
            Ok(MZStatus::StreamEnd) => return Ok((out, at)),
            Ok(_) if r.bytes_consumed > 0 || r.bytes_written > 0 => {}
            _ => return Err(GzError::Invalid),
        }
    }
}

/// Raw DEFLATE of `data` (the app's links).
pub fn deflate_raw(data: &[u8], level: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = vec![0; OUT_BUF];
    pump(
        &mut compressor(level),
        &mut buf,
        data,
        MZFlush::Finish,
        &mut |b| out.extend_from_slice(b),
    );
    out
}

/// Raw DEFLATE undone, refused past `limit` bytes.
pub fn inflate_raw(data: &[u8], limit: usize) -> Result<Vec<u8>, GzError> {
    inflate(data, limit).map(|(out, _)| out)
}

/// The first member of the gzip stream `data`, checked against its CRC-32 and
/// length, refused past `limit` bytes.
pub fn gunzip(data: &[u8], limit: usize) -> Result<Vec<u8>, GzError> {
    const FHCRC: u8 = 2;
    const FEXTRA: u8 = 4;
    const FNAME: u8 = 8;
    const FCOMMENT: u8 = 16;
    let bad = GzError::Invalid;
    let [0x1f, 0x8b, 8, flags, ..] = *data else {
        return Err(bad);
    };
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let len = data.get(at..at + 2).ok_or(bad)?;
        at += 2 + usize::from(u16::from_le_bytes([len[0], len[1]]));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let rest = data.get(at..).ok_or(bad)?;
            at += rest.iter().position(|&b| b == 0).ok_or(bad)? + 1;
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    let (out, used) = inflate(data.get(at..).ok_or(bad)?, limit)?;
    let trailer = data.get(at + used..at + used + 8).ok_or(bad)?;
    let mut crc = Crc32::default();
    crc.update(&out);
    let want_crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    let want_len = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
    if crc.value() != want_crc || out.len() as u32 != want_len {
        return Err(bad);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// Inputs: empty, short text, repetitive text, and bytes with no pattern.
    fn inputs() -> Vec<Vec<u8>> {
        let mut noise = Vec::new();
        let mut x: u32 = 1;
        for _ in 0..200_000 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            noise.push((x >> 16) as u8);
        }
        // Around the stored blocks' length, exactly on it and on twice it.
        let edges = [31_744, 31_745, 31_746, 63_490].map(|n| noise[..n].to_vec());
        let mut all = vec![
            Vec::new(),
            b"hello, layers\n".to_vec(),
            b"FROM ubuntu:15.04\nCOPY . /app\n".repeat(5_000),
            noise,
        ];
        all.extend(edges);
        all
    }

    fn flate2_gzip(data: &[u8], level: u32) -> Vec<u8> {
        let mut w = flate2::GzBuilder::new()
            .operating_system(255)
            .write(Vec::new(), flate2::Compression::new(level));
        for piece in data.chunks(10_000) {
            w.write_all(piece).expect("write");
        }
        w.finish().expect("finish")
    }

    #[test]
    fn the_writer_gives_flate2s_bytes_at_every_level_used() {
        for data in inputs() {
            for level in [0u8, 6, 9] {
                let mut ours = Vec::new();
                let mut w = GzWriter::new(level, |b: &[u8]| ours.extend_from_slice(b));
                // Pieces of another size than flate2's: the stream must not depend on them.
                for piece in data.chunks(7_777) {
                    w.write(piece);
                }
                w.finish();
                assert_eq!(
                    ours,
                    flate2_gzip(&data, level.into()),
                    "level {level}, {} bytes",
                    data.len()
                );
            }
        }
    }

    #[test]
    fn the_reader_takes_what_flate2_writes_and_refuses_damage() {
        for data in inputs() {
            let gz = flate2_gzip(&data, 6);
            assert_eq!(gunzip(&gz, usize::MAX), Ok(data.clone()));
            // The CRC-32 is checked: flip a bit of it.
            let mut damaged = gz.clone();
            let n = damaged.len();
            damaged[n - 8] ^= 1;
            assert_eq!(gunzip(&damaged, usize::MAX), Err(GzError::Invalid));
            // Cut short.
            assert_eq!(gunzip(&gz[..n - 4], usize::MAX), Err(GzError::Invalid));
            if data.len() > 100 {
                assert_eq!(gunzip(&gz, 100), Err(GzError::TooLarge));
            }
        }
        // Header fields (name, comment, extra) are skipped.
        let mut w = flate2::GzBuilder::new()
            .filename("app.tar")
            .comment("made by hand")
            .extra(vec![1, 2, 3])
            .write(Vec::new(), flate2::Compression::default());
        w.write_all(b"payload").expect("write");
        let gz = w.finish().expect("finish");
        assert_eq!(gunzip(&gz, 1 << 20), Ok(b"payload".to_vec()));
        assert_eq!(gunzip(b"not gzip at all", 1 << 20), Err(GzError::Invalid));
    }

    #[test]
    fn raw_deflate_round_trips_and_reads_flate2s() {
        for data in inputs() {
            assert_eq!(
                inflate_raw(&deflate_raw(&data, 9), usize::MAX),
                Ok(data.clone())
            );
            let mut theirs = Vec::new();
            flate2::read::DeflateEncoder::new(&data[..], flate2::Compression::best())
                .read_to_end(&mut theirs)
                .expect("deflate");
            assert_eq!(inflate_raw(&theirs, usize::MAX), Ok(data.clone()));
        }
    }

    #[test]
    fn crc32_matches_the_check_value() {
        // The standard check value of CRC-32 over "123456789".
        let mut c = Crc32::default();
        c.update(b"1234");
        c.update(b"56789");
        assert_eq!(c.value(), 0xCBF4_3926);
    }
}
