//! `truncate -s SIZE`: a file made or cut to a size, its new bytes zeros.

use super::operands::{missing_operand, parse_size};
use crate::content::Content;
use crate::shell::Run;

pub(super) fn truncate(r: &mut Run, args: &[String], _: Content) -> i32 {
    let mut size = None;
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "-s" {
            size = it.next().cloned();
        } else if let Some(v) = a.strip_prefix("--size=") {
            size = Some(v.to_owned());
        } else {
            files.push(a.clone());
        }
    }
    let len = match size.as_deref().map(parse_size) {
        Some(Some(len)) => len,
        Some(None) => {
            let v = size.unwrap_or_default();
            r.stderr(format!("truncate: Invalid number: '{v}'"));
            return 1;
        }
        None => {
            r.stderr("truncate: you must specify either '--size' or '--reference'");
            return 1;
        }
    };
    if files.is_empty() {
        return missing_operand(r, "truncate");
    }
    let mut status = 0;
    for f in files {
        // Past the budget's largest file, as past ext4's: EFBIG, at once.
        if len > r.budget.limits().written {
            r.stderr(format!(
                "truncate: failed to truncate '{f}' at {len} bytes: File too large"
            ));
            status = 1;
            continue;
        }
        let grown = len.saturating_sub(r.fs.stat(&r.abs(&f)).map_or(0, |s| s.node.size()));
        let cost = r.budget.written(grown);
        if !r.spend(cost) {
            return crate::shell::STOPPED;
        }
        let abs = r.abs(&f);
        match r.fs.truncate(&abs, len) {
            Ok(ev) => r.events.extend(ev),
            Err(e) => {
                r.stderr(format!(
                    "truncate: cannot open '{f}' for writing: {}",
                    e.errno.message()
                ));
                status = 1;
            }
        }
    }
    status
}
