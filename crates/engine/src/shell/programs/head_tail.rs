//! `head` and `tail`: lines (`-n`) or bytes (`-c`) from the start or the end.

use super::operands::{inputs, parse_size, text_of};
use crate::content::Content;
use crate::note::{self, NoteKey};
use crate::shell::Run;

pub(super) fn head_tail(r: &mut Run, prog: &str, args: &[String], stdin: Content) -> i32 {
    let mut n: usize = 10;
    // `-c N`: bytes, not lines (taken from the content, so described files too).
    let mut bytes: Option<u64> = None;
    let mut follow = false;
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "-c" || (a.starts_with("-c") && a.len() > 2) {
            let v = match a.strip_prefix("-c").filter(|v| !v.is_empty()) {
                Some(v) => Some(v.to_owned()),
                None => it.next().cloned(),
            };
            match v.as_deref().map(|v| parse_size(v.trim_start_matches('+'))) {
                Some(Some(c)) => bytes = Some(c),
                _ => {
                    let v = v.unwrap_or_default();
                    r.stderr(format!("{prog}: invalid number of bytes: '{v}'"));
                    return 1;
                }
            }
        } else if prog == "tail" && matches!(a.as_str(), "-f" | "-F" | "--follow") {
            follow = true;
        } else if a == "-n" {
            n = it
                .next()
                .and_then(|v| v.trim_start_matches('+').parse().ok())
                .unwrap_or(10);
        } else if let Some(v) = a.strip_prefix("-n") {
            n = v.parse().unwrap_or(10);
        } else if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
            n = a[1..].parse().unwrap_or(10);
        } else {
            files.push(a.clone());
        }
    }
    let (ins, status) = inputs(r, prog, &files, &stdin, true);
    let several = ins.len() > 1;
    for (i, (name, c)) in ins.into_iter().enumerate() {
        if several {
            r.stdout(format!("{}==> {name} <==\n", if i > 0 { "\n" } else { "" }));
        }
        if let Some(b) = bytes {
            let len = c.len();
            let part = if prog == "head" {
                c.slice(0, b)
            } else {
                c.slice(len.saturating_sub(b), len)
            };
            r.stdout_content(part);
            continue;
        }
        let Some(text) = text_of(r, prog, &name, &c) else {
            continue;
        };
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let picked = if prog == "head" {
            &lines[..n.min(lines.len())]
        } else {
            &lines[lines.len().saturating_sub(n)..]
        };
        r.stdout(picked.concat());
    }
    // Following would never end: the file's end is shown, then tail stops.
    if follow {
        r.stderr(format!("tail: {}", note::text(NoteKey::TailFollow, &[])));
    }
    status
}
