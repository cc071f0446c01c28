//! `ls` (`-l`, `-a`, `-A`, `-d`, `-R`, `-1`, `-C`; columns only on a terminal)
//! and the `drwxr-xr-x` text of a mode, which `tar -tv` prints too.

use super::accounts::account_name;
use super::operands::{is_dir, options};
use crate::content::Content;
use crate::merged::{Node, Stat};
use crate::shell::Run;

fn mode_string(node: &Node) -> String {
    let kind = match node {
        Node::Dir { .. } => 'd',
        Node::File { .. } => '-',
        Node::Symlink { .. } => 'l',
    };
    mode_text(kind, node.meta().mode)
}

/// `drwxr-xr-x` from a type letter and permission bits.
pub(super) fn mode_text(kind: char, mode: u32) -> String {
    let mut s = String::from(kind);
    for (i, c) in "rwxrwxrwx".chars().enumerate() {
        s.push(if mode & (0o400 >> i) != 0 { c } else { '-' });
    }
    if mode & 0o1000 != 0 {
        s.pop();
        s.push(if mode & 1 != 0 { 't' } else { 'T' });
    }
    s
}

pub(super) fn ls(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, mut ops) = options(args);
    let o = Listing {
        long: flags.contains('l'),
        dots: flags.contains('a'),
        hidden: flags.contains('a') || flags.contains('A'),
        dir_only: flags.contains('d'),
        recursive: flags.contains('R') && !flags.contains('d'),
        // Columns on a terminal (or with -C), one name per line anywhere else.
        columns: (r.sh.tty || flags.contains('C')) && !flags.contains('1'),
    };
    if ops.is_empty() {
        ops.push(".".into());
    }
    let mut status = 0;
    let mut files: Vec<(String, Stat)> = Vec::new();
    let mut dirs: Vec<(String, String)> = Vec::new();
    for op in &ops {
        let abs = r.abs(op);
        match r.fs.lstat(&abs) {
            Err(e) if r.busybox => {
                r.stderr(format!("ls: {op}: {}", e.errno.message()));
                status = 1;
            }
            Err(e) => {
                r.stderr(format!("ls: cannot access '{op}': {}", e.errno.message()));
                status = 2;
            }
            Ok(s) if o.dir_only || !is_dir(r, &abs) => files.push((op.clone(), s)),
            Ok(_) => dirs.push((op.clone(), abs)),
        }
    }
    let several = files.len() + dirs.len() > 1 || o.recursive;
    let mut printed = !files.is_empty();
    o.show(r, files);
    // Directories in the order given; with -R each one's subdirectories follow it.
    let mut queue: std::collections::VecDeque<(String, String)> = dirs.into();
    while let Some((name, abs)) = queue.pop_front() {
        if r.stopped() {
            break;
        }
        let mut entries = r.fs.read_dir(&abs).unwrap_or_default();
        if !o.hidden {
            entries.retain(|e| !e.path.name().starts_with('.'));
        }
        let mut items: Vec<(String, Stat)> = Vec::new();
        if o.dots {
            for (dot, at) in [(".", abs.clone()), ("..", parent_of(&abs))] {
                if let Ok(s) = r.fs.stat(&at) {
                    items.push((dot.to_owned(), s));
                }
            }
        }
        if o.recursive {
            let subdirs: Vec<(String, String)> = entries
                .iter()
                .filter(|e| matches!(e.node, Node::Dir { .. }))
                .map(|e| {
                    let shown = format!("{}/{}", name.trim_end_matches('/'), e.path.name());
                    (shown, e.path.to_string())
                })
                .collect();
            for (k, d) in subdirs.into_iter().enumerate() {
                queue.insert(k, d);
            }
        }
        items.extend(entries.into_iter().map(|e| (e.path.name().to_owned(), e)));
        if several {
            if printed {
                r.stdout("\n");
            }
            r.stdout(format!("{name}:\n"));
        }
        printed = true;
        if o.long {
            let blocks: u64 = items.iter().map(|(_, e)| blocks_of(&e.node)).sum();
            r.stdout(format!("total {blocks}\n"));
        }
        o.show(r, items);
    }
    status
}

/// How `ls` was asked to list.
struct Listing {
    long: bool,
    /// `-a`: `.` and `..` too.
    dots: bool,
    /// `-a` or `-A`: names starting with a dot.
    hidden: bool,
    dir_only: bool,
    recursive: bool,
    columns: bool,
}

/// The 1 KiB blocks `ls -l`'s `total` counts for a node (4 KiB allocations).
fn blocks_of(node: &Node) -> u64 {
    match node {
        Node::Dir { .. } => 4,
        Node::Symlink { .. } => 0,
        Node::File { .. } => node.size().div_ceil(4096) * 4,
    }
}

fn parent_of(abs: &str) -> String {
    match abs.trim_end_matches('/').rsplit_once('/') {
        Some(("", _)) | None => "/".to_owned(),
        Some((dir, _)) => dir.to_owned(),
    }
}

impl Listing {
    fn show(&self, r: &mut Run, items: Vec<(String, Stat)>) {
        if self.long {
            let width = items
                .iter()
                .map(|(_, s)| s.node.size().to_string().len())
                .max()
                .unwrap_or(1);
            for (name, s) in items {
                let meta = s.node.meta();
                let size = if matches!(s.node, Node::Dir { .. }) {
                    4096
                } else {
                    s.node.size()
                };
                let link = match &s.node {
                    Node::Symlink { target, .. } => format!(" -> {target}"),
                    _ => String::new(),
                };
                r.stdout(format!(
                    "{} 1 {} {} {size:>width$} {} {name}{link}\n",
                    mode_string(&s.node),
                    account_name(r.fs, "/etc/passwd", meta.uid),
                    account_name(r.fs, "/etc/group", meta.gid),
                    crate::clock::ls_date(meta.mtime),
                    width = width.max(4),
                ));
            }
            return;
        }
        let names: Vec<String> = items.into_iter().map(|(n, _)| n).collect();
        let line = names.join("  ");
        if self.columns && line.len() <= 80 {
            if !line.is_empty() {
                r.stdout(format!("{line}\n"));
            }
        } else {
            for n in names {
                r.stdout(format!("{n}\n"));
            }
        }
    }
}
