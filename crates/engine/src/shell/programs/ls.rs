//! `ls` (`-l`, `-a`, `-d`) and the `drwxr-xr-x` text of a mode, which `tar -tv`
//! prints too.

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
    let long = flags.contains('l');
    let all = flags.contains('a') || flags.contains('A');
    let dir_only = flags.contains('d');
    if ops.is_empty() {
        ops.push(".".into());
    }
    let mut status = 0;
    let mut files: Vec<(String, Stat)> = Vec::new();
    let mut dirs: Vec<(String, Vec<Stat>)> = Vec::new();
    for op in &ops {
        let abs = r.abs(op);
        match r.fs.lstat(&abs) {
            Err(e) => {
                r.stderr(format!("ls: cannot access '{op}': {}", e.errno.message()));
                status = 2;
            }
            Ok(s) if dir_only || !is_dir(r, &abs) => files.push((op.clone(), s)),
            Ok(_) => {
                let mut entries = r.fs.read_dir(&abs).unwrap_or_default();
                if !all {
                    entries.retain(|e| !e.path.name().starts_with('.'));
                }
                dirs.push((op.clone(), entries));
            }
        }
    }
    let show = |r: &mut Run, items: Vec<(String, Stat)>| {
        if long {
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
        } else {
            let names: Vec<String> = items.into_iter().map(|(n, _)| n).collect();
            let line = names.join("  ");
            if line.len() <= 80 && !flags.contains('1') {
                if !line.is_empty() {
                    r.stdout(format!("{line}\n"));
                }
            } else {
                for n in names {
                    r.stdout(format!("{n}\n"));
                }
            }
        }
    };
    let several = files.len() + dirs.len() > 1;
    let had_files = !files.is_empty();
    show(r, files);
    for (i, (name, entries)) in dirs.into_iter().enumerate() {
        if several {
            if i > 0 || had_files {
                r.stdout("\n");
            }
            r.stdout(format!("{name}:\n"));
        }
        if long {
            let blocks: u64 = entries
                .iter()
                .map(|e| e.node.size().div_ceil(4096) * 4)
                .sum();
            r.stdout(format!("total {blocks}\n"));
        }
        let items = entries
            .into_iter()
            .map(|e| (e.path.name().to_owned(), e))
            .collect();
        show(r, items);
    }
    status
}
