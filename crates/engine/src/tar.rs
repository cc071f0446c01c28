//! Layer tars, byte for byte and deterministic: entries in depth-first path
//! order, USTAR headers (with PAX records only where USTAR cannot say it),
//! times from the logical clock, no user or group names, whiteouts as
//! `.wh.<name>`, opaque directories as `<dir>/.wh..wh..opq` right after the
//! directory, and hard links as link entries to the first name. The tar ends
//! with two zero blocks, so an empty layer is 1024 zero bytes, as Docker's.

use crate::content::Content;
use crate::diff::{Diff, Entry, Ino, Meta};
use std::collections::BTreeMap;

pub const WHITEOUT_PREFIX: &str = ".wh.";
pub const OPAQUE_MARKER: &str = ".wh..wh..opq";

const BLOCK: usize = 512;

/// A tar entry's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeFlag {
    Regular,
    HardLink,
    Symlink,
    Dir,
}

impl TypeFlag {
    fn byte(self) -> u8 {
        match self {
            TypeFlag::Regular => b'0',
            TypeFlag::HardLink => b'1',
            TypeFlag::Symlink => b'2',
            TypeFlag::Dir => b'5',
        }
    }
}

/// One header, before encoding.
pub struct Header<'a> {
    pub name: String,
    pub flag: TypeFlag,
    pub meta: Meta,
    pub size: u64,
    pub link: &'a str,
}

/// Streams the tar of `diff` into `sink`.
pub fn write_diff(diff: &Diff, sink: &mut dyn FnMut(&[u8])) {
    write_pieces(diff, &mut |piece| match piece {
        Piece::Bytes(b) => sink(b),
        Piece::File(c) => c.for_each_chunk(|chunk| sink(chunk)),
    });
}

/// The tar of `diff` as [`Content`]: the same bytes as [`write_diff`], with
/// file contents shared rather than made (a described 100 MB file stays O(1)).
pub fn diff_content(diff: &Diff) -> Content {
    let mut out = Content::empty();
    let mut pending: Vec<u8> = Vec::new();
    write_pieces(diff, &mut |piece| match piece {
        Piece::Bytes(b) => pending.extend_from_slice(b),
        Piece::File(c) => {
            out = out.appended(&std::mem::take(&mut pending)).concat(c);
        }
    });
    out.appended(&pending)
}

/// The length of `diff`'s tar, without its file contents: O(entries).
pub fn diff_len(diff: &Diff) -> u64 {
    let mut len = 0u64;
    write_pieces(diff, &mut |piece| {
        let n = match piece {
            Piece::Bytes(b) => b.len() as u64,
            Piece::File(c) => c.len(),
        };
        len = len.saturating_add(n);
    });
    len
}

/// The tar of `diff` as a list of parts, in order: the header and padding
/// bytes between two files gathered as one typed part, each file's content
/// shared. Unlike [`diff_content`], it never joins or compacts contents, so
/// it costs O(entries) however many files and bytes the layer holds.
pub fn diff_parts(diff: &Diff) -> Vec<Content> {
    let mut parts = Vec::new();
    let mut pending: Vec<u8> = Vec::new();
    write_pieces(diff, &mut |piece| match piece {
        Piece::Bytes(b) => pending.extend_from_slice(b),
        Piece::File(c) => {
            if !pending.is_empty() {
                parts.push(Content::bytes(std::mem::take(&mut pending)));
            }
            if !c.is_empty() {
                parts.push(c.clone());
            }
        }
    });
    parts.push(Content::bytes(pending));
    parts
}

/// A piece of a layer tar: header or padding bytes, or a file's content.
enum Piece<'a> {
    Bytes(&'a [u8]),
    File(&'a Content),
}

fn write_pieces(diff: &Diff, out: &mut dyn FnMut(Piece<'_>)) {
    let mut first_name: BTreeMap<Ino, String> = BTreeMap::new();
    for (path, entry) in diff.entries() {
        let rel = &path.as_relative();
        match entry {
            Entry::Dir { meta, opaque } => {
                write_header(
                    &mut |b| out(Piece::Bytes(b)),
                    &Header {
                        name: format!("{rel}/"),
                        flag: TypeFlag::Dir,
                        meta: *meta,
                        size: 0,
                        link: "",
                    },
                );
                if *opaque {
                    let marker = Meta {
                        mode: meta.mode & 0o777,
                        ..*meta
                    };
                    let name = format!("{rel}/{OPAQUE_MARKER}");
                    write_header(
                        &mut |b| out(Piece::Bytes(b)),
                        &Header {
                            name,
                            flag: TypeFlag::Regular,
                            meta: marker,
                            size: 0,
                            link: "",
                        },
                    );
                }
            }
            Entry::File { ino } => {
                let Some(inode) = diff.inode(*ino) else {
                    continue;
                };
                if let Some(first) = first_name.get(ino) {
                    let h = Header {
                        name: rel.to_owned(),
                        flag: TypeFlag::HardLink,
                        meta: inode.meta,
                        size: 0,
                        link: first,
                    };
                    write_header(&mut |b| out(Piece::Bytes(b)), &h);
                } else {
                    first_name.insert(*ino, rel.to_owned());
                    let size = inode.content.len();
                    write_header(
                        &mut |b| out(Piece::Bytes(b)),
                        &Header {
                            name: rel.to_owned(),
                            flag: TypeFlag::Regular,
                            meta: inode.meta,
                            size,
                            link: "",
                        },
                    );
                    out(Piece::File(&inode.content));
                    pad(&mut |b| out(Piece::Bytes(b)), size);
                }
            }
            Entry::Symlink { meta, target } => {
                write_header(
                    &mut |b| out(Piece::Bytes(b)),
                    &Header {
                        name: rel.to_owned(),
                        flag: TypeFlag::Symlink,
                        meta: *meta,
                        size: 0,
                        link: target,
                    },
                );
            }
            Entry::Whiteout => {
                let parent = path.parent();
                let name = if parent.is_root() {
                    format!("{WHITEOUT_PREFIX}{}", path.name())
                } else {
                    format!("{}/{WHITEOUT_PREFIX}{}", parent.as_relative(), path.name())
                };
                let meta = Meta {
                    mode: 0o600,
                    uid: 0,
                    gid: 0,
                    mtime: 0,
                };
                write_header(
                    &mut |b| out(Piece::Bytes(b)),
                    &Header {
                        name,
                        flag: TypeFlag::Regular,
                        meta,
                        size: 0,
                        link: "",
                    },
                );
            }
        }
    }
    out(Piece::Bytes(&[0u8; 2 * BLOCK]));
}

fn pad(sink: &mut dyn FnMut(&[u8]), size: u64) {
    let rem = (size % BLOCK as u64) as usize;
    if rem != 0 {
        sink(&[0u8; BLOCK][..BLOCK - rem]);
    }
}

/// Writes `value` as zero-padded octal into `field`, leaving its last byte NUL.
fn octal(field: &mut [u8], value: u64) -> bool {
    let digits = field.len() - 1;
    let text = format!("{value:0digits$o}");
    if text.len() > digits {
        return false;
    }
    field[..digits].copy_from_slice(text.as_bytes());
    field[digits] = 0;
    true
}

/// USTAR's name/prefix split, as Go's `archive/tar` does it (`splitUSTARPath`).
fn split_ustar(name: &str) -> Option<(&str, &str)> {
    if name.len() <= 100 {
        return name.is_ascii().then_some(("", name));
    }
    if !name.is_ascii() {
        return None;
    }
    let mut length = name.len();
    if length > 156 {
        length = 156;
    } else if name.ends_with('/') {
        length -= 1;
    }
    let i = name[..length].rfind('/')?;
    let suffix = name.len() - i - 1;
    if i == 0 || suffix > 100 || suffix == 0 || i > 155 {
        return None;
    }
    Some((&name[..i], &name[i + 1..]))
}

/// The name of a PAX header block: `<dir>/PaxHeaders.0/<file>`, ASCII, at most 100 bytes.
fn pax_name(name: &str) -> String {
    let (dir, file) = match name.rfind('/') {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name),
    };
    let joined = format!("{dir}PaxHeaders.0/{file}");
    let mut ascii: String = if joined.is_ascii() {
        joined
    } else {
        joined.chars().filter(char::is_ascii).collect()
    };
    let ascii_trimmed = ascii.trim_end_matches('/').len();
    ascii.truncate(ascii_trimmed.min(100));
    ascii
}

fn pax_record(key: &str, value: &str) -> String {
    let body = format!(" {key}={value}\n");
    let mut len = body.len() + 1;
    loop {
        let total = len.to_string().len() + body.len();
        if total == len {
            return format!("{len}{body}");
        }
        len = total;
    }
}

pub fn write_header(sink: &mut dyn FnMut(&[u8]), h: &Header<'_>) {
    let mut records = String::new();
    let split = split_ustar(&h.name);
    if split.is_none() {
        records.push_str(&pax_record("path", &h.name));
    }
    if h.link.len() > 100 || !h.link.is_ascii() {
        records.push_str(&pax_record("linkpath", h.link));
    }
    if h.size >= 1 << 33 {
        records.push_str(&pax_record("size", &h.size.to_string()));
    }
    if !records.is_empty() {
        let pax_name = pax_name(&h.name);
        let pax = Header {
            name: pax_name,
            flag: TypeFlag::Regular,
            meta: h.meta,
            size: records.len() as u64,
            link: "",
        };
        let mut block = encode(&pax, ("", &pax.name), b'x');
        finish_checksum(&mut block);
        sink(&block);
        sink(records.as_bytes());
        pad(sink, records.len() as u64);
    }
    let (prefix, name) = split.unwrap_or(("", ""));
    let mut block = encode(h, (prefix, name), h.flag.byte());
    finish_checksum(&mut block);
    sink(&block);
}

fn encode(h: &Header<'_>, (prefix, name): (&str, &str), flag: u8) -> [u8; BLOCK] {
    let mut b = [0u8; BLOCK];
    let cut = |s: &str, n: usize| -> Vec<u8> { s.bytes().filter(u8::is_ascii).take(n).collect() };
    let n = cut(name, 100);
    b[..n.len()].copy_from_slice(&n);
    octal(&mut b[100..108], u64::from(h.meta.mode & 0o7777));
    if !octal(&mut b[108..116], u64::from(h.meta.uid)) {
        octal(&mut b[108..116], 0);
    }
    if !octal(&mut b[116..124], u64::from(h.meta.gid)) {
        octal(&mut b[116..124], 0);
    }
    if !octal(&mut b[124..136], h.size) {
        octal(&mut b[124..136], 0);
    }
    octal(&mut b[136..148], h.meta.mtime);
    b[156] = flag;
    let l = cut(h.link, 100);
    b[157..157 + l.len()].copy_from_slice(&l);
    b[257..263].copy_from_slice(b"ustar\0");
    b[263..265].copy_from_slice(b"00");
    octal(&mut b[329..337], 0);
    octal(&mut b[337..345], 0);
    let p = cut(prefix, 155);
    b[345..345 + p.len()].copy_from_slice(&p);
    b
}

fn finish_checksum(b: &mut [u8; BLOCK]) {
    b[148..156].copy_from_slice(b"        ");
    let sum: u64 = b.iter().map(|&x| u64::from(x)).sum();
    let text = format!("{sum:06o}");
    b[148..154].copy_from_slice(&text.as_bytes()[text.len() - 6..]);
    b[154] = 0;
    b[155] = b' ';
}
