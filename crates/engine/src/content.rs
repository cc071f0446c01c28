//! File contents: real bytes, or *described* bytes generated on demand.
//!
//! A [`Content`] is a short list of pieces shared through `Rc`. Cloning it (a
//! copy-up) costs O(pieces), never O(bytes): a 100 MB described library copies
//! up in constant time and memory, while its size stays exact and its bytes can
//! still be produced, deterministically, for tars and digests.

use std::rc::Rc;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    /// Bytes the user wrote.
    Bytes(Rc<[u8]>),
    /// `len` bytes of the generated stream `seed`, starting at `offset`.
    Generated { seed: u64, offset: u64, len: u64 },
}

impl Piece {
    fn len(&self) -> u64 {
        match self {
            Piece::Bytes(b) => b.len() as u64,
            Piece::Generated { len, .. } => *len,
        }
    }

    /// The sub-range `[from, to)` of this piece.
    fn slice(&self, from: u64, to: u64) -> Piece {
        match self {
            Piece::Bytes(b) => Piece::Bytes(Rc::from(&b[from as usize..to as usize])),
            Piece::Generated { seed, offset, .. } => Piece::Generated {
                seed: *seed,
                offset: offset + from,
                len: to - from,
            },
        }
    }
}

/// The bytes of a regular file.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Content {
    pieces: Rc<[Piece]>,
    size: u64,
}

impl Content {
    pub fn empty() -> Self {
        Content::default()
    }

    pub fn bytes(data: impl Into<Vec<u8>>) -> Self {
        let data: Vec<u8> = data.into();
        let size = data.len() as u64;
        if size == 0 {
            return Content::empty();
        }
        Content {
            pieces: Rc::from(vec![Piece::Bytes(Rc::from(data))]),
            size,
        }
    }

    /// `size` bytes generated from `seed`: a large file that costs O(1) memory.
    pub fn described(size: u64, seed: u64) -> Self {
        if size == 0 {
            return Content::empty();
        }
        Content {
            pieces: Rc::from(vec![Piece::Generated {
                seed,
                offset: 0,
                len: size,
            }]),
            size,
        }
    }

    pub fn len(&self) -> u64 {
        self.size
    }

    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    /// Whether any part of the content is generated rather than typed.
    pub fn is_described(&self) -> bool {
        self.pieces
            .iter()
            .any(|p| matches!(p, Piece::Generated { .. }))
    }

    fn from_pieces(pieces: Vec<Piece>) -> Self {
        let pieces: Vec<Piece> = pieces.into_iter().filter(|p| p.len() > 0).collect();
        let pieces = if pieces.len() > MAX_PIECES {
            compact(pieces)
        } else {
            pieces
        };
        let size = pieces.iter().map(Piece::len).sum();
        Content {
            pieces: Rc::from(pieces),
            size,
        }
    }

    /// The first `len` bytes, extended with zero bytes if `len` is larger (as `truncate` does).
    pub fn truncated(&self, len: u64) -> Self {
        if len >= self.size {
            let mut pieces = self.pieces.to_vec();
            pieces.push(zero_piece(len - self.size));
            return Content::from_pieces(pieces);
        }
        let mut pieces = Vec::new();
        let mut at = 0;
        for p in self.pieces.iter() {
            if at >= len {
                break;
            }
            let take = p.len().min(len - at);
            pieces.push(p.slice(0, take));
            at += take;
        }
        Content::from_pieces(pieces)
    }

    /// This content followed by `data`.
    pub fn appended(&self, data: &[u8]) -> Self {
        let mut pieces = self.pieces.to_vec();
        pieces.push(Piece::Bytes(Rc::from(data)));
        Content::from_pieces(pieces)
    }

    /// The contents one after another, compacted once (where a `concat` for
    /// each would compact the growing whole each time).
    pub fn join(parts: impl IntoIterator<Item = Content>) -> Self {
        let pieces = parts
            .into_iter()
            .flat_map(|c| c.pieces.iter().cloned().collect::<Vec<_>>())
            .collect();
        Content::from_pieces(pieces)
    }

    /// This content followed by `other`.
    pub fn concat(&self, other: &Content) -> Self {
        let mut pieces = self.pieces.to_vec();
        pieces.extend(other.pieces.iter().cloned());
        Content::from_pieces(pieces)
    }

    /// The bytes `[from, to)` (clamped to the content), sharing its pieces.
    pub fn slice(&self, from: u64, to: u64) -> Self {
        let to = to.min(self.size);
        let mut pieces = Vec::new();
        let mut at = 0;
        for p in self.pieces.iter() {
            let (start, end) = (at, at + p.len());
            at = end;
            if end <= from || start >= to {
                continue;
            }
            pieces.push(p.slice(from.max(start) - start, to.min(end) - start));
        }
        Content::from_pieces(pieces)
    }

    /// Feeds every byte, in order, to `sink`, in chunks of at most 64 KiB.
    pub fn for_each_chunk(&self, mut sink: impl FnMut(&[u8])) {
        // Generated bytes pass through one buffer, no larger than they need:
        // most files are small and held as bytes, and need none.
        let mut buf = Vec::new();
        for p in self.pieces.iter() {
            match p {
                Piece::Bytes(b) => sink(b),
                Piece::Generated { seed, offset, len } => {
                    let want = (*len).min(64 * 1024) as usize;
                    if buf.len() < want {
                        buf.resize(want, 0);
                    }
                    // Zeros (`dd if=/dev/zero`, `truncate`) are made once per piece.
                    let zeros = *seed == ZERO_SEED;
                    if zeros {
                        buf.fill(0);
                    }
                    let mut done = 0;
                    while done < *len {
                        let n = (len - done).min(buf.len() as u64) as usize;
                        if !zeros {
                            generate(*seed, offset + done, &mut buf[..n]);
                        }
                        sink(&buf[..n]);
                        done += n as u64;
                    }
                }
            }
        }
    }

    /// What the content is made of, as an unambiguous byte string: each typed
    /// piece by its length and bytes, each generated one by its seed, offset
    /// and length. Two contents with the same description have the same bytes,
    /// and describing a described file costs O(1) whatever its size.
    pub fn describe(&self, mut sink: impl FnMut(&[u8])) {
        for p in self.pieces.iter() {
            match p {
                Piece::Bytes(b) => {
                    sink(&[0]);
                    sink(&(b.len() as u64).to_le_bytes());
                    sink(b);
                }
                Piece::Generated { seed, offset, len } => {
                    sink(&[1]);
                    sink(&seed.to_le_bytes());
                    sink(&offset.to_le_bytes());
                    sink(&len.to_le_bytes());
                }
            }
        }
    }

    /// All bytes in memory. For display of small files; large ones should stream.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.size.min(1 << 20) as usize);
        self.for_each_chunk(|c| out.extend_from_slice(c));
        out
    }

    /// Up to `limit` leading bytes.
    pub fn head(&self, limit: usize) -> Vec<u8> {
        self.truncated(self.size.min(limit as u64)).to_vec()
    }
}

/// Above this many pieces a content is compacted, so that a file doubled line
/// by line (`cat f f > g`) does not double its pieces too.
const MAX_PIECES: usize = 64;

/// Typed pieces are gathered into pieces of up to 64 KiB, short generated ones
/// (up to 4 KiB) made into bytes, and contiguous generated ones joined: the
/// count then stays near size / 32 KiB plus the long generated pieces.
fn compact(pieces: Vec<Piece>) -> Vec<Piece> {
    const GATHER: usize = 64 * 1024;
    let mut out: Vec<Piece> = Vec::new();
    let mut pending: Vec<u8> = Vec::new();
    for p in pieces {
        match p {
            Piece::Generated { seed, offset, len } if len <= 4096 => {
                let mut buf = vec![0; len as usize];
                generate(seed, offset, &mut buf);
                gather(&mut out, &mut pending, &buf, GATHER);
            }
            Piece::Bytes(b) => gather(&mut out, &mut pending, &b, GATHER),
            Piece::Generated { seed, offset, len } => {
                if !pending.is_empty() {
                    out.push(Piece::Bytes(Rc::from(std::mem::take(&mut pending))));
                }
                match out.last_mut() {
                    Some(Piece::Generated {
                        seed: s,
                        offset: o,
                        len: l,
                    }) if *s == seed && *o + *l == offset => *l += len,
                    _ => out.push(Piece::Generated { seed, offset, len }),
                }
            }
        }
    }
    if !pending.is_empty() {
        out.push(Piece::Bytes(Rc::from(pending)));
    }
    out
}

/// Adds `bytes` to the typed piece being gathered, starting a new one when it would pass `limit`.
fn gather(out: &mut Vec<Piece>, pending: &mut Vec<u8>, bytes: &[u8], limit: usize) {
    if !pending.is_empty() && pending.len() + bytes.len() > limit {
        out.push(Piece::Bytes(Rc::from(std::mem::take(pending))));
    }
    pending.extend_from_slice(bytes);
}

/// The seed whose stream is all zero bytes.
pub const ZERO_SEED: u64 = 0;

/// `n` zero bytes, described (`truncate -s` and `dd if=/dev/zero` cost no memory).
fn zero_piece(n: u64) -> Piece {
    Piece::Generated {
        seed: ZERO_SEED,
        offset: 0,
        len: n,
    }
}

impl Content {
    /// `n` zero bytes, described.
    pub fn zeros(n: u64) -> Self {
        Content::from_pieces(vec![zero_piece(n)])
    }
}

/// The byte at position `i` of stream `seed` comes from block `i / 8` of a
/// SplitMix64 sequence; seed 0 is all zeros. Whole blocks are written as
/// words, so generating costs a small part of hashing what it makes.
fn generate(seed: u64, offset: u64, out: &mut [u8]) {
    if seed == ZERO_SEED {
        out.fill(0);
        return;
    }
    let block = |b: u64| splitmix64(seed ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15)).to_le_bytes();
    // An unaligned start takes the tail of its block.
    let start = (offset % 8) as usize;
    let head = if start == 0 {
        0
    } else {
        (8 - start).min(out.len())
    };
    let (first, out) = out.split_at_mut(head);
    if head > 0 {
        first.copy_from_slice(&block(offset / 8)[start..start + head]);
    }
    let mut b = (offset + head as u64) / 8;
    let mut words = out.chunks_exact_mut(8);
    for w in &mut words {
        w.copy_from_slice(&block(b));
        b += 1;
    }
    let rest = words.into_remainder();
    let n = rest.len();
    if n > 0 {
        rest.copy_from_slice(&block(b)[..n]);
    }
}

/// SplitMix64's output function: a fast, well-mixed hash of `x`.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn described_content_is_exact_in_size_and_stable_in_bytes() {
        let big = Content::described(100_000_000, 7);
        assert_eq!(big.len(), 100_000_000);
        assert!(big.is_described());
        let a = big.head(20);
        assert_eq!(a, Content::described(100_000_000, 7).head(20));
        assert_ne!(a, Content::described(100_000_000, 8).head(20));
    }

    #[test]
    fn slicing_a_generated_stream_gives_the_same_bytes_as_generating_it_whole() {
        let whole = Content::described(1000, 42).to_vec();
        let head = Content::described(1000, 42).truncated(13).to_vec();
        assert_eq!(&whole[..13], &head[..]);
        let mut tail = [0u8; 20];
        generate(42, 985, &mut tail[..15]);
        assert_eq!(&whole[985..], &tail[..15]);
    }

    #[test]
    fn appending_and_truncating_edit_like_a_file() {
        let c = Content::bytes("hello").appended(b" world");
        assert_eq!(c.to_vec(), b"hello world");
        assert_eq!(c.truncated(5).to_vec(), b"hello");
        assert_eq!(c.truncated(13).to_vec(), b"hello world\0\0");
        assert_eq!(Content::zeros(3).to_vec(), [0, 0, 0]);
        assert!(Content::bytes("").is_empty());
    }

    #[test]
    fn chunks_carry_every_byte_in_order_and_none_is_over_64_kib() {
        // A short generated piece first, then held bytes, then a long one.
        let c = Content::described(10, 3)
            .concat(&Content::bytes("middle"))
            .concat(&Content::described(200_000, 4));
        let mut whole = Vec::new();
        let mut largest = 0;
        c.for_each_chunk(|chunk| {
            largest = largest.max(chunk.len());
            whole.extend_from_slice(chunk);
        });
        let mut expected = Content::described(10, 3).to_vec();
        expected.extend_from_slice(b"middle");
        expected.extend(Content::described(200_000, 4).to_vec());
        assert_eq!(whole, expected);
        assert_eq!(largest, 64 * 1024);
    }

    #[test]
    fn doubling_a_file_keeps_its_pieces_few_and_its_bytes_the_same() {
        let mut c = Content::bytes("ab").concat(&Content::described(3, 9));
        let mut expected = c.to_vec();
        for _ in 0..16 {
            c = c.concat(&c);
            expected = [expected.clone(), expected].concat();
        }
        assert_eq!(c.len(), 5 << 16);
        assert!(c.pieces.len() <= MAX_PIECES, "{} pieces", c.pieces.len());
        assert_eq!(c.to_vec(), expected);
    }

    #[test]
    fn appending_one_byte_to_a_large_file_costs_no_copy_of_it() {
        let big = Content::described(100 << 20, 1);
        let grown = big.appended(b"!");
        assert_eq!(grown.len(), (100 << 20) + 1);
        assert_eq!(grown.pieces.len(), 2);
    }
}
