//! `du` (`-s`, `-a`, `-h`): 4 KiB blocks summed over one walk of the merged
//! tree; each directory holds one block, and without `-s` every directory's
//! total is printed, innermost first, as du's post-order walk prints them
//! (with `-a`, every file too, before its directory).

use super::operands::options;
use crate::content::Content;
use crate::merged::Node;
use crate::shell::Run;

pub(super) fn du(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, mut ops) = options(args);
    if ops.is_empty() {
        ops.push(".".into());
    }
    if flags.contains('s') && flags.contains('a') {
        r.stderr(
            "du: cannot both summarize and show all entries\nTry 'du --help' for more information.",
        );
        return 1;
    }
    let mut status = 0;
    for op in ops {
        let abs = r.abs(&op);
        let top = match r.fs.lstat(&abs) {
            Ok(s) => s,
            Err(e) => {
                let why = e.errno.message();
                r.stderr(if r.busybox {
                    format!("du: {op}: {why}")
                } else {
                    format!("du: cannot access '{op}': {why}")
                });
                status = 1;
                continue;
            }
        };
        // Blocks of 4 KiB, summed without overflow (a file of 2^64-1 bytes
        // still shows as the largest total, not as 0); a directory holds one.
        let blocks = |node: &Node| match node {
            Node::Dir { .. } => 4096,
            n => n.size().div_ceil(4096).saturating_mul(4096),
        };
        let show = |total: u64| {
            if flags.contains('h') {
                human(total)
            } else {
                (total / 1024).to_string()
            }
        };
        // Every directory's total, innermost first, as du walks (post-order);
        // with -s only the operand's. The walk is depth-first, so the
        // directories still open form one chain from the operand down.
        let (summary, all) = (flags.contains('s'), flags.contains('a'));
        let mut open: Vec<(crate::path::FsPath, u64)> = vec![(top.path.clone(), blocks(&top.node))];
        let mut lines = Vec::new();
        // An entry below the operand, named as the operand names it.
        let line = |path: &crate::path::FsPath, total: u64| {
            let below = path.rebase(&top.path, &crate::path::FsPath::root());
            format!(
                "{}\t{}/{}\n",
                show(total),
                op.trim_end_matches('/'),
                below.as_relative()
            )
        };
        let close = |open: &mut Vec<(crate::path::FsPath, u64)>, lines: &mut Vec<String>| {
            if let Some((path, total)) = open.pop() {
                if let Some(parent) = open.last_mut() {
                    parent.1 = parent.1.saturating_add(total);
                    if !summary {
                        lines.push(line(&path, total));
                    }
                } else {
                    lines.push(format!("{}\t{op}\n", show(total)));
                }
            }
        };
        if matches!(top.node, Node::Dir { .. }) {
            for s in r.fs.walk_below(&top.path) {
                while open.len() > 1 && !open.last().is_some_and(|(p, _)| s.path.is_below(p)) {
                    close(&mut open, &mut lines);
                }
                if matches!(s.node, Node::Dir { .. }) {
                    open.push((s.path.clone(), blocks(&s.node)));
                } else if let Some(dir) = open.last_mut() {
                    let own = blocks(&s.node);
                    dir.1 = dir.1.saturating_add(own);
                    if all {
                        lines.push(line(&s.path, own));
                    }
                }
            }
        }
        while !open.is_empty() {
            close(&mut open, &mut lines);
        }
        for line in lines {
            r.stdout(line);
        }
    }
    status
}

/// `du -h` style: 1024-based, rounded up, with one decimal below 10.
fn human(n: u64) -> String {
    let units = ["K", "M", "G", "T"];
    let n = u128::from(n);
    let mut div = 1024u128;
    let mut i = 0;
    while n >= div * 1024 && i < units.len() - 1 {
        div *= 1024;
        i += 1;
    }
    let tenths = (n * 10).div_ceil(div);
    if tenths < 100 {
        format!("{}.{}{}", tenths / 10, tenths % 10, units[i])
    } else {
        format!("{}{}", n.div_ceil(div), units[i])
    }
}
