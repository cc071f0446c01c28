//! Archives a user makes or unpacks: tar files (USTAR, PAX and GNU long
//! names read; USTAR with PAX written) and gzip. Members keep their content
//! as [`Content`], so a described 100 MB file goes in and out of a tar
//! without its bytes being made.

use crate::content::Content;
use crate::diff::Meta;
use crate::error::FsError;
use crate::event::Event;
use crate::merged::{Merged, Node, Resolver, WriteMode, DIR_MODE};
use crate::note::{self, NoteKey};
use crate::tar::{write_header, Header, TypeFlag};

const BLOCK: u64 = 512;

/// What a member is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    File(Content),
    Dir,
    Symlink(String),
    /// A hard link to an earlier member's name.
    HardLink(String),
}

/// One archive member: its path as stored (relative, no leading `./`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub kind: Kind,
    pub meta: Meta,
}

/// How an archive is compressed, judged by its first bytes as tar and
/// BuildKit judge it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Bzip2,
    Xz,
    Zstd,
}

pub fn compression(data: &Content) -> Compression {
    let head = data.head(6);
    match head.as_slice() {
        [0x1f, 0x8b, ..] => Compression::Gzip,
        [b'B', b'Z', b'h', ..] => Compression::Bzip2,
        [0xfd, b'7', b'z', b'X', b'Z', 0x00] => Compression::Xz,
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Compression::Zstd,
        _ => Compression::None,
    }
}

/// Why an archive could not be read or written, in GNU tar's and gzip's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArchiveError {
    /// gzip data that inflates past [`MAX_INFLATE`].
    GunzipTooLarge,
    /// gzip data that does not inflate.
    GzipInvalid,
    /// Data past [`MAX_INFLATE`] to compress.
    GzipTooLarge,
    /// A compression Layerlab does not inflate.
    Compressed(Compression),
    /// No tar header where the archive starts.
    NotTar,
    /// A header whose checksum is wrong after the first.
    BadHeader,
    InvalidSize,
    /// A member longer than what is left.
    UnexpectedEof,
}

impl std::fmt::Display for ArchiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArchiveError::GunzipTooLarge => {
                write!(f, "gzip: {}", note::text(NoteKey::GunzipTooLarge, &[]))
            }
            ArchiveError::GzipInvalid => {
                f.write_str("gzip: invalid compressed data--format violated")
            }
            ArchiveError::GzipTooLarge => {
                write!(f, "gzip: {}", note::text(NoteKey::GzipTooLarge, &[]))
            }
            ArchiveError::Compressed(kind) => {
                f.write_str(&note::text(NoteKey::ArchiveKind, &[&format!("{kind:?}")]))
            }
            ArchiveError::NotTar => f.write_str("This does not look like a tar archive"),
            ArchiveError::BadHeader => f.write_str("Skipping to next header"),
            ArchiveError::InvalidSize => f.write_str("Archive contains an invalid size"),
            ArchiveError::UnexpectedEof => f.write_str("Unexpected EOF in archive"),
        }
    }
}

/// Larger compressed archives are refused rather than inflated in memory.
pub const MAX_INFLATE: u64 = 256 << 20;

/// The tar inside `data`, decompressed when it is gzip.
pub fn decompress(data: &Content) -> Result<Content, ArchiveError> {
    match compression(data) {
        Compression::None => Ok(data.clone()),
        Compression::Gzip => match crate::gzip::gunzip(&data.to_vec(), MAX_INFLATE as usize) {
            Ok(out) => Ok(Content::bytes(out)),
            Err(crate::gzip::GzError::TooLarge) => Err(ArchiveError::GunzipTooLarge),
            Err(crate::gzip::GzError::Invalid) => Err(ArchiveError::GzipInvalid),
        },
        other => Err(ArchiveError::Compressed(other)),
    }
}

/// gzip of `data` (refused above [`MAX_INFLATE`]).
pub fn gzip(data: &Content) -> Result<Content, ArchiveError> {
    if data.len() > MAX_INFLATE {
        return Err(ArchiveError::GzipTooLarge);
    }
    let mut out = Vec::new();
    let mut gz = crate::gzip::GzWriter::new(6, |b: &[u8]| out.extend_from_slice(b));
    data.for_each_chunk(|c| gz.write(c));
    gz.finish();
    Ok(Content::bytes(out))
}

/// Whether `data` starts with a valid tar header (how ADD decides to unpack).
pub fn is_tar(data: &Content) -> bool {
    let block = data.head(BLOCK as usize);
    block.len() == BLOCK as usize && checksum_ok(&block)
}

fn checksum_ok(b: &[u8]) -> bool {
    let Some(stored) = octal(&b[148..156]) else {
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
    stored == sum && b.iter().any(|&x| x != 0)
}

fn octal(field: &[u8]) -> Option<u64> {
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

/// A NUL-terminated header field as text.
pub(crate) fn text(field: &[u8]) -> String {
    let end = field.iter().position(|&c| c == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

/// Every member of the tar `data`, in order.
pub fn read(data: &Content) -> Result<Vec<Member>, ArchiveError> {
    let mut members = Vec::new();
    let mut at = 0u64;
    let (mut long_name, mut long_link): (Option<String>, Option<String>) = (None, None);
    let mut pax_size = None;
    if !data.is_empty() && data.len() < BLOCK {
        return Err(ArchiveError::NotTar);
    }
    while at + BLOCK <= data.len() {
        let block = data.slice(at, at + BLOCK).to_vec();
        if block.iter().all(|&b| b == 0) {
            break;
        }
        if !checksum_ok(&block) {
            return Err(if members.is_empty() {
                ArchiveError::NotTar
            } else {
                ArchiveError::BadHeader
            });
        }
        let size = pax_size
            .take()
            .or_else(|| octal(&block[124..136]))
            .ok_or(ArchiveError::InvalidSize)?;
        let body = data.slice(at + BLOCK, at + BLOCK + size);
        if body.len() < size {
            return Err(ArchiveError::UnexpectedEof);
        }
        at += BLOCK + size.div_ceil(BLOCK) * BLOCK;
        let flag = block[156];
        match flag {
            b'x' => {
                for (k, v) in pax_records(&body.to_vec()) {
                    match k.as_str() {
                        "path" => long_name = Some(v),
                        "linkpath" => long_link = Some(v),
                        "size" => pax_size = v.parse().ok(),
                        _ => {}
                    }
                }
                continue;
            }
            b'g' => continue,
            b'L' => {
                long_name = Some(text(&body.to_vec()));
                continue;
            }
            b'K' => {
                long_link = Some(text(&body.to_vec()));
                continue;
            }
            _ => {}
        }
        let mut name = long_name.take().unwrap_or_else(|| {
            let prefix = text(&block[345..500]);
            let short = text(&block[..100]);
            if prefix.is_empty() || &block[257..262] != b"ustar" {
                short
            } else {
                format!("{prefix}/{short}")
            }
        });
        let link = long_link.take().unwrap_or_else(|| text(&block[157..257]));
        let meta = Meta {
            mode: octal(&block[100..108]).unwrap_or(0o644) as u32 & 0o7777,
            uid: octal(&block[108..116]).unwrap_or(0) as u32,
            gid: octal(&block[116..124]).unwrap_or(0) as u32,
            mtime: octal(&block[136..148]).unwrap_or(0),
        };
        let kind = match flag {
            b'5' => Kind::Dir,
            b'2' => Kind::Symlink(link),
            b'1' => Kind::HardLink(clean_name(&link)),
            b'0' | 0 | b'7' if name.ends_with('/') => Kind::Dir,
            b'0' | 0 | b'7' => Kind::File(body),
            _ => continue,
        };
        name = clean_name(&name);
        if name.is_empty() {
            continue;
        }
        members.push(Member { name, kind, meta });
    }
    Ok(members)
}

/// `./a/b/` → `a/b`; leading slashes are dropped as GNU tar drops them.
pub fn clean_name(name: &str) -> String {
    // Already clean but for a directory's one trailing slash: as it is.
    let trimmed = name.strip_suffix('/').unwrap_or(name);
    let plain = !trimmed.is_empty()
        && !trimmed.starts_with('/')
        && !trimmed.ends_with('/')
        && !trimmed.contains("//")
        && trimmed != "."
        && !trimmed.starts_with("./")
        && !trimmed.ends_with("/.")
        && !trimmed.contains("/./");
    if plain {
        return trimmed.to_owned();
    }
    clean_parts(name)
}

/// [`clean_name`] component by component.
fn clean_parts(name: &str) -> String {
    name.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// A pax extended header's `len key=value\n` records.
pub(crate) fn pax_records(body: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    let mut out = Vec::new();
    let mut rest: &str = &text;
    while let Some((len, after)) = rest.split_once(' ') {
        let Ok(n) = len.parse::<usize>() else { break };
        let record_len = n.saturating_sub(len.len() + 1);
        let Some(record) = after.get(..record_len) else {
            break;
        };
        if let Some((k, v)) = record.trim_end_matches('\n').split_once('=') {
            out.push((k.to_owned(), v.to_owned()));
        }
        rest = &after[record_len..];
    }
    out
}

/// A tar of `members`, ending with two zero blocks. File contents are shared,
/// not copied.
pub fn write(members: &[Member]) -> Content {
    // Headers gather in one buffer; file contents are shared; all joined once.
    let mut parts = Vec::new();
    let mut typed = Vec::new();
    for m in members {
        let (flag, size, link, name) = match &m.kind {
            Kind::File(c) => (TypeFlag::Regular, c.len(), "", m.name.clone()),
            Kind::Dir => (TypeFlag::Dir, 0, "", format!("{}/", m.name)),
            Kind::Symlink(t) => (TypeFlag::Symlink, 0, t.as_str(), m.name.clone()),
            Kind::HardLink(t) => (TypeFlag::HardLink, 0, t.as_str(), m.name.clone()),
        };
        write_header(
            &mut |b| typed.extend_from_slice(b),
            &Header {
                name,
                flag,
                meta: m.meta,
                size,
                link,
            },
        );
        if let Kind::File(c) = &m.kind {
            parts.push(Content::bytes(std::mem::take(&mut typed)));
            parts.push(c.clone());
            let rem = c.len() % BLOCK;
            if rem != 0 {
                typed.resize((BLOCK - rem) as usize, 0);
            }
        }
    }
    typed.resize(typed.len() + 2 * BLOCK as usize, 0);
    parts.push(Content::bytes(typed));
    Content::join(parts)
}

/// The members for `name` (a file, or a directory and everything below it)
/// read from `fs` at `abs`, in sorted order.
///
/// One walk of the tree (paths order depth-first, each directory's entries by
/// name), so a 2,000-deep tree costs its entries, not a lookup of each from the root.
pub fn collect(fs: &Merged, abs: &str, name: &str) -> Result<Vec<Member>, FsError> {
    let top = fs.lstat(abs)?;
    let below = match top.node {
        Node::Dir { .. } => fs.walk_below(&top.path),
        _ => Vec::new(),
    };
    let prefix = top.path.to_string();
    let skip = if top.path.is_root() {
        1
    } else {
        prefix.len() + 1
    };
    let mut out = Vec::new();
    for (path, node) in std::iter::once((String::new(), top.node))
        .chain(below.into_iter().map(|s| (s.path.to_string(), s.node)))
    {
        let rel = path.get(skip..).unwrap_or("");
        let name = match (name.is_empty(), rel.is_empty()) {
            (_, true) => name.to_owned(),
            (true, false) => rel.to_owned(),
            (false, false) => format!("{name}/{rel}"),
        };
        let (kind, meta) = match node {
            Node::Dir { meta } => (Kind::Dir, meta),
            Node::File { meta, content } => (Kind::File(content), meta),
            Node::Symlink { meta, target } => (Kind::Symlink(target), meta),
        };
        if !name.is_empty() {
            out.push(Member { name, kind, meta });
        }
    }
    Ok(out)
}

/// Unpacks `members` below the directory `dir` of `fs`, as `tar -x` run by
/// root does: owners and modes kept, existing files replaced.
pub fn extract(fs: &mut Merged, dir: &str, members: &[Member]) -> Result<Vec<Event>, FsError> {
    let mut events = Vec::new();
    let base = dir.trim_end_matches('/');
    // Each member is reached from its parent's resolution: a deep tree costs its members.
    let mut res = Resolver::new();
    for m in members {
        let path = format!("{base}/{}", m.name);
        if let Some((parent, _)) = path.rsplit_once('/') {
            if !parent.is_empty() {
                events.extend(fs.mkdir_all_with(&mut res, parent, DIR_MODE)?);
            }
        }
        match &m.kind {
            Kind::Dir => events.extend(fs.mkdir_all_with(&mut res, &path, DIR_MODE)?),
            Kind::File(c) => {
                if matches!(
                    fs.lstat_with(&mut res, &path).map(|s| s.node),
                    Ok(Node::Symlink { .. })
                ) {
                    events.extend(fs.unlink(&path)?);
                    res.clear();
                }
                events.extend(fs.write_content_with(
                    &mut res,
                    &path,
                    c.clone(),
                    WriteMode::Truncate,
                )?);
            }
            Kind::Symlink(target) => {
                res.clear();
                if fs.lstat(&path).is_ok() {
                    events.extend(fs.unlink(&path)?);
                }
                events.extend(fs.symlink(target, &path)?);
            }
            Kind::HardLink(target) => {
                res.clear();
                if fs.lstat(&path).is_ok() {
                    events.extend(fs.unlink(&path)?);
                }
                events.extend(fs.link(&format!("{base}/{target}"), &path)?);
            }
        }
        if !matches!(m.kind, Kind::Symlink(_) | Kind::HardLink(_)) {
            events.extend(fs.chmod_with(&mut res, &path, m.meta.mode)?);
            events.extend(fs.chown_with(&mut res, &path, (m.meta.uid, m.meta.gid), false)?);
        }
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, content: Content) -> Member {
        Member {
            name: name.into(),
            kind: Kind::File(content),
            meta: Meta::new(0o644, 1_700_000_000),
        }
    }

    #[test]
    fn members_survive_a_round_trip_through_tar_and_gzip() {
        let long = format!("{}/deep.txt", "d".repeat(120));
        let members = vec![
            Member {
                name: "app".into(),
                kind: Kind::Dir,
                meta: Meta::new(0o755, 1_700_000_000),
            },
            file("app/hello.txt", Content::bytes("hello\n")),
            file("app/big.bin", Content::described(100 << 20, 7)),
            file(&long, Content::bytes("x")),
            Member {
                name: "app/link".into(),
                kind: Kind::Symlink("hello.txt".into()),
                meta: Meta::new(0o777, 1_700_000_000),
            },
        ];
        let tar = write(&members);
        assert!(is_tar(&tar));
        assert_eq!(compression(&tar), Compression::None);
        assert_eq!(read(&tar).unwrap(), members);
        let small: Vec<Member> = members
            .iter()
            .filter(|m| m.name != "app/big.bin")
            .cloned()
            .collect();
        let gz = gzip(&write(&small)).unwrap();
        assert_eq!(compression(&gz), Compression::Gzip);
        assert_eq!(read(&decompress(&gz).unwrap()).unwrap(), small);
    }

    #[test]
    fn clean_names_read_at_once_are_those_read_part_by_part() {
        for name in [
            "a", "a/", "a/b", "a/b/", "/a", "./a", "a/./b", "a//b", "a/.", ".", "./", "/", "",
            "..", "a/../b", "a/b//", ".a/b.", "a/.b/",
        ] {
            assert_eq!(clean_name(name), clean_parts(name), "{name:?}");
        }
    }

    #[test]
    fn what_is_not_a_tar_is_said_so() {
        for data in [
            &b"hello"[..],
            &[0u8; 1024][..],
            &[b'B', b'Z', b'h', b'9'][..],
        ] {
            let c = Content::bytes(data.to_vec());
            assert!(!is_tar(&c));
        }
        assert!(read(&Content::bytes(vec![7u8; 600])).is_err());
        assert!(decompress(&Content::bytes(b"BZh91AY".to_vec())).is_err());
        assert!(decompress(&Content::bytes(vec![0x1f, 0x8b, 0, 0])).is_err());
    }
}
