//! `du` (`-h`): 4 KiB blocks summed over one walk of the merged tree.

use super::operands::options;
use crate::content::Content;
use crate::merged::Node;
use crate::shell::Run;

pub(super) fn du(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, mut ops) = options(args);
    if ops.is_empty() {
        ops.push(".".into());
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
        // still shows as the largest total, not as 0).
        let blocks = |size: u64| size.div_ceil(4096).saturating_mul(4096);
        let mut total = blocks(top.node.size());
        if matches!(top.node, Node::Dir { .. }) {
            for s in r.fs.walk_below(&top.path) {
                let dir = if matches!(s.node, Node::Dir { .. }) {
                    4096
                } else {
                    0
                };
                total = total
                    .saturating_add(blocks(s.node.size()))
                    .saturating_add(dir);
            }
        }
        let shown = if flags.contains('h') {
            human(total)
        } else {
            (total / 1024).to_string()
        };
        r.stdout(format!("{shown}\t{op}\n"));
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
