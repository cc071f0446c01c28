//! A push-based tar reader: bytes go in as they arrive, in slices of any
//! size, and entries come out as a header, its data in pieces, and its end.
//! Nothing is buffered beyond one header block and the bodies of PAX and GNU
//! long-name records (bounded), so a multi-gigabyte tar streams in O(1) memory.

use super::error::ImportError;
use crate::archive::{pax_records, text};
use crate::diff::Meta;

const BLOCK: usize = 512;
/// The largest PAX or GNU long-name record body read.
const MAX_RECORD: u64 = 1 << 20;

/// What a tar entry is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink(String),
    HardLink(String),
    /// Character and block devices, FIFOs and other types: kept as their flag.
    Other(u8),
}

/// One entry's header, with PAX and GNU long names applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TarHeader {
    /// The name as stored (not yet cleaned).
    pub name: String,
    pub kind: EntryKind,
    pub meta: Meta,
    pub size: u64,
    /// Where the entry's data starts in the stream (bytes from its start).
    pub data_at: u64,
}

/// What [`TarStream::feed`] reports.
pub enum TarEvent<'a> {
    Header(TarHeader),
    Data(&'a [u8]),
    End,
}

enum State {
    /// Collecting a header block.
    Header,
    /// `left` data bytes of the current entry, then `pad` padding bytes.
    Data { left: u64, pad: u64 },
    /// The body of a PAX (`x`), global PAX (`g`) or GNU long (`L`, `K`) record.
    Record { flag: u8, left: u64, pad: u64 },
    /// After the end-of-archive block: the rest is ignored.
    Ended,
}

/// The reader's state between slices.
pub struct TarStream {
    state: State,
    block: Vec<u8>,
    record: Vec<u8>,
    long_name: Option<String>,
    long_link: Option<String>,
    pax_size: Option<u64>,
    /// Bytes read so far (for error messages).
    offset: u64,
    entries: u64,
}

impl Default for TarStream {
    fn default() -> Self {
        TarStream::new()
    }
}

impl TarStream {
    pub fn new() -> Self {
        TarStream {
            state: State::Header,
            block: Vec::with_capacity(BLOCK),
            record: Vec::new(),
            long_name: None,
            long_link: None,
            pax_size: None,
            offset: 0,
            entries: 0,
        }
    }

    /// How many entries have been read.
    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// Whether the end-of-archive block was read.
    pub fn ended(&self) -> bool {
        matches!(self.state, State::Ended)
    }

    /// Reads `data`, reporting each header, data piece and entry end to `sink`.
    pub fn feed(
        &mut self,
        mut data: &[u8],
        sink: &mut dyn FnMut(TarEvent<'_>) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        while !data.is_empty() {
            match &mut self.state {
                State::Ended => return Ok(()),
                State::Header => {
                    let take = (BLOCK - self.block.len()).min(data.len());
                    self.block.extend_from_slice(&data[..take]);
                    data = &data[take..];
                    self.offset += take as u64;
                    if self.block.len() == BLOCK {
                        let block = std::mem::take(&mut self.block);
                        self.header(&block, sink)?;
                        self.block = block;
                        self.block.clear();
                    }
                }
                State::Data { left, pad } => {
                    if *left > 0 {
                        let take = (*left).min(data.len() as u64) as usize;
                        *left -= take as u64;
                        let done = *left == 0 && *pad == 0;
                        self.offset += take as u64;
                        sink(TarEvent::Data(&data[..take]))?;
                        data = &data[take..];
                        if done {
                            self.state = State::Header;
                            sink(TarEvent::End)?;
                        }
                    } else {
                        let take = (*pad).min(data.len() as u64) as usize;
                        *pad -= take as u64;
                        data = &data[take..];
                        self.offset += take as u64;
                        if *pad == 0 {
                            self.state = State::Header;
                            sink(TarEvent::End)?;
                        }
                    }
                }
                State::Record { flag, left, pad } => {
                    let flag = *flag;
                    if *left > 0 {
                        let take = (*left).min(data.len() as u64) as usize;
                        *left -= take as u64;
                        self.record.extend_from_slice(&data[..take]);
                        data = &data[take..];
                        self.offset += take as u64;
                    } else {
                        let take = (*pad).min(data.len() as u64) as usize;
                        *pad -= take as u64;
                        data = &data[take..];
                        self.offset += take as u64;
                    }
                    if let State::Record {
                        left: 0, pad: 0, ..
                    } = self.state
                    {
                        self.state = State::Header;
                        self.apply_record(flag);
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks that the tar did not stop inside an entry.
    pub fn finish(&self) -> Result<(), ImportError> {
        match self.state {
            State::Header if self.block.is_empty() => Ok(()),
            State::Ended => Ok(()),
            _ => Err(ImportError::Truncated {
                at: self.offset,
                what: "a tar entry",
            }),
        }
    }

    fn header(
        &mut self,
        b: &[u8],
        sink: &mut dyn FnMut(TarEvent<'_>) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        if b.iter().all(|&x| x == 0) {
            self.state = State::Ended;
            return Ok(());
        }
        if !checksum_ok(b) {
            return Err(ImportError::NotTar {
                at: self.offset - BLOCK as u64,
            });
        }
        let bad = |what: &'static str| ImportError::BadTarHeader {
            at: self.offset - BLOCK as u64,
            what,
        };
        let flag = b[156];
        let size = match self.pax_size.take() {
            Some(s) => s,
            None => numeric(&b[124..136]).ok_or_else(|| bad("size"))?,
        };
        let pad = (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64;
        if matches!(flag, b'x' | b'g' | b'L' | b'K') {
            if size > MAX_RECORD {
                return Err(ImportError::TooLarge {
                    what: "a tar extended header",
                    limit: MAX_RECORD,
                });
            }
            self.record.clear();
            self.state = State::Record {
                flag,
                left: size,
                pad,
            };
            if size == 0 {
                self.state = State::Header;
                self.apply_record(flag);
            }
            return Ok(());
        }
        let name = self.long_name.take().unwrap_or_else(|| {
            let prefix = text(&b[345..500]);
            let short = text(&b[..100]);
            if prefix.is_empty() || &b[257..262] != b"ustar" {
                short
            } else {
                format!("{prefix}/{short}")
            }
        });
        let link = self.long_link.take().unwrap_or_else(|| text(&b[157..257]));
        let meta = Meta {
            mode: numeric(&b[100..108]).unwrap_or(0o644) as u32 & 0o7777,
            uid: numeric(&b[108..116]).unwrap_or(0) as u32,
            gid: numeric(&b[116..124]).unwrap_or(0) as u32,
            mtime: numeric(&b[136..148]).unwrap_or(0),
        };
        let kind = match flag {
            b'5' => EntryKind::Dir,
            b'2' => EntryKind::Symlink(link),
            b'1' => EntryKind::HardLink(link),
            b'0' | 0 | b'7' if name.ends_with('/') => EntryKind::Dir,
            b'0' | 0 | b'7' => EntryKind::File,
            other => EntryKind::Other(other),
        };
        // Only regular files carry data; other types' size field is ignored, as Go's tar does.
        let size = if kind == EntryKind::File { size } else { 0 };
        let pad = if size == 0 { 0 } else { pad };
        self.entries += 1;
        sink(TarEvent::Header(TarHeader {
            name,
            kind,
            meta,
            size,
            data_at: self.offset,
        }))?;
        if size == 0 {
            sink(TarEvent::End)?;
        } else {
            self.state = State::Data { left: size, pad };
        }
        Ok(())
    }

    fn apply_record(&mut self, flag: u8) {
        let body = std::mem::take(&mut self.record);
        match flag {
            b'x' => {
                for (k, v) in pax_records(&body) {
                    match k.as_str() {
                        "path" => self.long_name = Some(v),
                        "linkpath" => self.long_link = Some(v),
                        "size" => self.pax_size = v.parse().ok(),
                        _ => {}
                    }
                }
            }
            b'L' => self.long_name = Some(text(&body)),
            b'K' => self.long_link = Some(text(&body)),
            _ => {}
        }
    }
}

/// Whether `b` is a tar header block with a correct checksum.
pub fn checksum_ok(b: &[u8]) -> bool {
    if b.len() != BLOCK {
        return false;
    }
    let Some(stored) = numeric(&b[148..156]) else {
        return false;
    };
    let sum: u64 = b
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            if (148..156).contains(&i) {
                32
            } else {
                u64::from(x)
            }
        })
        .sum();
    stored == sum
}

/// An octal field, or GNU's base-256 form (first byte with its top bit set).
fn numeric(field: &[u8]) -> Option<u64> {
    if let Some(&first) = field.first() {
        if first & 0x80 != 0 {
            let mut v: u64 = u64::from(first & 0x7f);
            for &x in &field[1..] {
                v = v.checked_mul(256)?.checked_add(u64::from(x))?;
            }
            return Some(v);
        }
    }
    let text: String = field
        .iter()
        .take_while(|&&c| c != 0)
        .map(|&c| c as char)
        .collect();
    let text = text.trim();
    if text.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(text, 8).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::{self, Kind, Member};
    use crate::content::Content;

    fn read_in_slices(tar: &[u8], step: usize) -> Vec<(String, u64, usize)> {
        let mut stream = TarStream::new();
        let mut out: Vec<(String, u64, usize)> = Vec::new();
        for chunk in tar.chunks(step) {
            stream
                .feed(chunk, &mut |e| {
                    match e {
                        TarEvent::Header(h) => out.push((h.name, h.size, 0)),
                        TarEvent::Data(d) => out.last_mut().expect("header first").2 += d.len(),
                        TarEvent::End => {}
                    }
                    Ok(())
                })
                .expect("valid tar");
        }
        stream.finish().expect("complete");
        out
    }

    #[test]
    fn entries_are_the_same_whatever_the_slice_size() {
        let long = format!("{}/deep.txt", "d".repeat(150));
        let members = vec![
            Member {
                name: "a".into(),
                kind: Kind::Dir,
                meta: Meta::new(0o755, 1),
            },
            Member {
                name: "a/f".into(),
                kind: Kind::File(Content::bytes(vec![7u8; 1000])),
                meta: Meta::new(0o644, 1),
            },
            Member {
                name: long.clone(),
                kind: Kind::File(Content::bytes("x")),
                meta: Meta::new(0o644, 1),
            },
        ];
        let tar = archive::write(&members).to_vec();
        let whole = read_in_slices(&tar, tar.len());
        assert_eq!(
            whole,
            vec![
                ("a/".to_owned(), 0, 0),
                ("a/f".to_owned(), 1000, 1000),
                (long, 1, 1)
            ]
        );
        for step in [1, 7, 511, 512, 513, 4096] {
            assert_eq!(read_in_slices(&tar, step), whole, "slices of {step}");
        }
    }

    #[test]
    fn a_tar_cut_inside_an_entry_is_truncated() {
        let members = vec![Member {
            name: "f".into(),
            kind: Kind::File(Content::bytes(vec![1u8; 600])),
            meta: Meta::new(0o644, 1),
        }];
        let tar = archive::write(&members).to_vec();
        let mut stream = TarStream::new();
        stream
            .feed(&tar[..700], &mut |_| Ok(()))
            .expect("fine so far");
        assert!(matches!(
            stream.finish(),
            Err(ImportError::Truncated { .. })
        ));
    }
}
