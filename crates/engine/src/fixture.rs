//! Layers and trees written as text, for tests and for the teaching images.
//!
//! One entry per line; `---` starts the next layer (bottom layer first):
//!
//! ```text
//! d /etc 755              a directory
//! o /var/cache 755        an opaque directory
//! f /etc/hostname 644 box a file; the rest of the line is its content (`\n` for newlines)
//! F /usr/lib/libc.so 644 1722784   a described file of that many bytes
//! l /bin/sh busybox       a symlink
//! h /bin/ls /bin/busybox  a hard link to a file earlier in the same layer
//! w /tmp/old              a whiteout
//! ```
//!
//! Missing parent directories are added (mode 755). Owners are root; times are `mtime`.

use crate::content::{splitmix64, Content};
use crate::diff::{Diff, Entry, Meta};
use crate::event::{Event, Source};
use crate::merged::{Node, Stat};
use crate::path::FsPath;
use std::fmt::{self, Write as _};

/// A fixture line that does not read: its number (from 1), its text and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixtureError {
    pub line: usize,
    pub text: String,
    pub why: Why,
}

/// What is wrong with a fixture line.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Why {
    MissingPath,
    /// A path or link target the file system refuses.
    BadPath(crate::error::FsError),
    MissingMode,
    ModeNotOctal,
    MissingSize,
    BadSize,
    MissingLinkTarget,
    /// `h` whose target is not a file earlier in the same layer.
    LinkNotFile,
    UnknownKind,
}

impl fmt::Display for FixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match &self.why {
            Why::MissingPath => "missing path".to_owned(),
            Why::BadPath(e) => e.to_string(),
            Why::MissingMode => "missing mode".to_owned(),
            Why::ModeNotOctal => "mode is not octal".to_owned(),
            Why::MissingSize => "missing size".to_owned(),
            Why::BadSize => "bad size".to_owned(),
            Why::MissingLinkTarget => "missing link target".to_owned(),
            Why::LinkNotFile => "hard link target is not a file earlier in this layer".to_owned(),
            Why::UnknownKind => "unknown entry kind (use d, o, f, F, l, h or w)".to_owned(),
        };
        write!(f, "line {}: {why}: {:?}", self.line, self.text)
    }
}

/// Parses layers, bottom first. Errors name the line.
pub fn parse_layers(text: &str, mtime: u64) -> Result<Vec<Diff>, FixtureError> {
    let mut layers = vec![Diff::new()];
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let at = |why: Why| FixtureError {
            line: n + 1,
            text: raw.to_owned(),
            why,
        };
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line == "---" {
            layers.push(Diff::new());
            continue;
        }
        let mut words = line.splitn(4, ' ');
        let kind = words.next().unwrap_or_default();
        let path = FsPath::lexical(words.next().ok_or_else(|| at(Why::MissingPath))?)
            .map_err(|e| at(Why::BadPath(e)))?;
        let arg = words.next();
        let rest = words.next();
        let mode = |s: Option<&str>| -> Result<u32, FixtureError> {
            u32::from_str_radix(s.ok_or_else(|| at(Why::MissingMode))?, 8)
                .map_err(|_| at(Why::ModeNotOctal))
        };
        let Some(diff) = layers.last_mut() else {
            // `layers` starts with one layer and only grows.
            continue;
        };
        add_parents(diff, &path, mtime);
        match kind {
            "d" | "o" => diff.put(
                path,
                Entry::Dir {
                    meta: Meta::new(mode(arg)?, mtime),
                    opaque: kind == "o",
                },
            ),
            "f" => {
                let content = rest.unwrap_or("").replace("\\n", "\n");
                diff.put_file(path, Meta::new(mode(arg)?, mtime), Content::bytes(content));
            }
            "F" => {
                let size: u64 = rest
                    .ok_or_else(|| at(Why::MissingSize))?
                    .trim()
                    .parse()
                    .map_err(|_| at(Why::BadSize))?;
                let seed = seed_for(&path.as_relative());
                diff.put_file(
                    path,
                    Meta::new(mode(arg)?, mtime),
                    Content::described(size, seed),
                );
            }
            "l" => {
                let target = [arg, rest]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                diff.put(
                    path,
                    Entry::Symlink {
                        meta: Meta::new(0o777, mtime),
                        target,
                    },
                );
            }
            "h" => {
                let target = FsPath::lexical(arg.ok_or_else(|| at(Why::MissingLinkTarget))?)
                    .map_err(|e| at(Why::BadPath(e)))?;
                match diff.get(&target).cloned() {
                    Some(e @ Entry::File { .. }) => diff.put(path, e),
                    _ => return Err(at(Why::LinkNotFile)),
                }
            }
            "w" => diff.put(path, Entry::Whiteout),
            _ => return Err(at(Why::UnknownKind)),
        }
    }
    Ok(layers)
}

/// A stable seed for a described file, from its path.
pub fn seed_for(path: &str) -> u64 {
    path.bytes()
        .fold(0x243F_6A88_85A3_08D3, |h, b| splitmix64(h ^ u64::from(b)))
        | 1
}

fn add_parents(diff: &mut Diff, path: &FsPath, mtime: u64) {
    for a in path.ancestors() {
        if diff.get(&a).is_none() {
            diff.put(
                a,
                Entry::Dir {
                    meta: Meta::new(0o755, mtime),
                    opaque: false,
                },
            );
        }
    }
}

fn content_text(content: &Content) -> String {
    if content.is_described() || content.len() > 64 {
        format!("<{} bytes>", content.len())
    } else {
        format!("{:?}", String::from_utf8_lossy(&content.to_vec()))
    }
}

/// One line per entry of a diff, as a fixture would write it (plus owners when not root).
pub fn render_diff(diff: &Diff) -> String {
    let mut out = String::new();
    for (path, entry) in diff.entries() {
        let _ = match entry {
            Entry::Dir { meta, opaque } => writeln!(
                out,
                "{} {path} {:o}",
                if *opaque { 'o' } else { 'd' },
                meta.mode
            ),
            Entry::File { ino } => match diff.inode(*ino) {
                Some(i) => {
                    let links = diff.link_count(*ino);
                    let shared = if links > 1 {
                        format!(" (inode {ino}, {links} links)")
                    } else {
                        String::new()
                    };
                    writeln!(
                        out,
                        "f {path} {:o} {}{shared}",
                        i.meta.mode,
                        content_text(&i.content)
                    )
                }
                None => writeln!(out, "? {path}"),
            },
            Entry::Symlink { target, .. } => writeln!(out, "l {path} {target}"),
            Entry::Whiteout => writeln!(out, "w {path}"),
        };
    }
    out
}

fn source_text(source: Source) -> String {
    match source {
        Source::Upper => "upper".to_owned(),
        Source::Lower(id) => format!("L{}", id.0),
    }
}

/// The merged tree, one line per visible object, with the layer it comes from.
pub fn render_tree(stats: &[Stat]) -> String {
    let mut out = String::new();
    for s in stats {
        let src = source_text(s.source);
        let _ = match &s.node {
            Node::Dir { meta } => writeln!(out, "d {} {:o} [{src}]", s.path, meta.mode),
            Node::File { meta, content } => {
                writeln!(
                    out,
                    "f {} {:o} {} [{src}]",
                    s.path,
                    meta.mode,
                    content_text(content)
                )
            }
            Node::Symlink { target, .. } => writeln!(out, "l {} -> {target} [{src}]", s.path),
        };
    }
    out
}

/// Events, one per line.
pub fn render_events(events: &[Event]) -> String {
    events.iter().map(|e| format!("{e}\n")).collect()
}
