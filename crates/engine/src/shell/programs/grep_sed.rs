//! `grep` (fixed strings and the few patterns learners type) and `sed`
//! (`s/…/…/g`, `-i` in place): the text filters of a Dockerfile's RUN lines.

use super::operands::{inputs, options, text_of};
use crate::content::Content;
use crate::merged::WriteMode;
use crate::shell::Run;

pub(super) fn grep(r: &mut Run, args: &[String], stdin: Content) -> i32 {
    let (flags, mut ops) = options(args);
    if ops.is_empty() {
        r.stderr("Usage: grep [OPTION]... PATTERNS [FILE]...");
        return 2;
    }
    let pattern = ops.remove(0);
    let (ins, status) = inputs(r, "grep", &ops, &stdin, false);
    let several = ins.len() > 1;
    let (invert, icase, count, quiet) = (
        flags.contains('v'),
        flags.contains('i'),
        flags.contains('c'),
        flags.contains('q'),
    );
    let needle = if icase {
        pattern.to_ascii_lowercase()
    } else {
        pattern.clone()
    };
    let mut found = false;
    for (name, c) in ins {
        let Some(text) = text_of(r, "grep", &name, &c) else {
            continue;
        };
        let mut n = 0;
        for line in text.lines() {
            let hay = if icase {
                line.to_ascii_lowercase()
            } else {
                line.to_owned()
            };
            let hit = if flags.contains('E') {
                needle.split('|').any(|alt| matches_simple(alt, &hay))
            } else {
                needle.split("\\|").any(|alt| matches_simple(alt, &hay))
            };
            if hit != invert {
                n += 1;
                found = true;
                if !count && !quiet {
                    let prefix = if several {
                        format!("{name}:")
                    } else {
                        String::new()
                    };
                    r.stdout(format!("{prefix}{line}\n"));
                }
            }
        }
        if count {
            let prefix = if several {
                format!("{name}:")
            } else {
                String::new()
            };
            r.stdout(format!("{prefix}{n}\n"));
        }
    }
    if status != 0 {
        2
    } else if found {
        0
    } else {
        1
    }
}

/// A small regular-expression subset: `^`, `$`, `.`, `.*`, literal text.
fn matches_simple(pattern: &str, line: &str) -> bool {
    let anchored_start = pattern.starts_with('^');
    let p = pattern.trim_start_matches('^');
    let anchored_end = p.ends_with('$') && !p.ends_with("\\$");
    let p = if anchored_end { &p[..p.len() - 1] } else { p };
    let glob: String = p
        .replace("\\.", "\u{1}")
        .replace(".*", "*")
        .replace('.', "?")
        .replace('\u{1}', "\\.");
    let glob = format!(
        "{}{glob}{}",
        if anchored_start { "" } else { "*" },
        if anchored_end { "" } else { "*" }
    );
    crate::shell::expand::matches(&glob, line)
}

pub(super) fn sed(r: &mut Run, args: &[String], stdin: Content) -> i32 {
    let mut in_place = false;
    let mut scripts = Vec::new();
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-i" => in_place = true,
            "-e" => scripts.extend(it.next().cloned()),
            "-n" | "-E" | "-r" => {}
            _ if scripts.is_empty() && !a.starts_with('-') => scripts.push(a.clone()),
            _ => files.push(a.clone()),
        }
    }
    let mut subs = Vec::new();
    for s in &scripts {
        match parse_subst(s) {
            Some(x) => subs.push(x),
            None => {
                r.stderr(format!(
                    "sed: -e expression #1, char {}: only s/OLD/NEW/[g] is simulated",
                    s.len()
                ));
                return 1;
            }
        }
    }
    // Each `s///g` may multiply the text: it is counted as it grows, and
    // made no further than the budget allows (`None`).
    let room = r.budget.bytes_left();
    let apply = |text: &str| -> Option<String> {
        let mut out = String::new();
        for line in text.split_inclusive('\n') {
            let (body, nl) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
            let mut body = body.to_owned();
            for (old, new, global) in &subs {
                if old.is_empty() {
                    continue;
                }
                // One ASCII byte (the common `s/a/…/g`) is counted and replaced as a byte.
                let byte = match old.as_bytes() {
                    [b] if b.is_ascii() => Some(*b),
                    _ => None,
                };
                let times = match (*global, byte) {
                    (false, _) => 1,
                    (true, Some(b)) => body.bytes().filter(|c| *c == b).count(),
                    (true, None) => body.matches(old.as_str()).count(),
                };
                let grown = (body.len() as u64)
                    .saturating_add((new.len() as u64).saturating_mul(times as u64));
                if grown.saturating_add(out.len() as u64) > room {
                    return None;
                }
                body = if let (true, Some(b)) = (*global, byte) {
                    body.replace(char::from(b), new)
                } else if *global {
                    body.replace(old.as_str(), new)
                } else {
                    body.replacen(old.as_str(), new, 1)
                };
            }
            out.push_str(&body);
            out.push_str(nl);
        }
        Some(out)
    };
    let (ins, status) = inputs(r, "sed", &files, &stdin, false);
    for (name, c) in ins {
        let Some(text) = text_of(r, "sed", &name, &c) else {
            continue;
        };
        let Some(out) = apply(&text) else {
            let limit = r.budget.limits().bytes;
            r.budget.exceed(crate::budget::Exceeded::Bytes(limit));
            r.stopped();
            return crate::shell::STOPPED;
        };
        if in_place && name != "-" {
            if out != text {
                if let Err(e) = r.write_file(&name, Content::bytes(out), WriteMode::Truncate) {
                    r.stderr(format!("sed: couldn't edit {name}: {e}"));
                    return 4;
                }
            } else {
                // sed -i rewrites the file even when nothing changed: a copy-up.
                let _ = r.write_file(&name, c, WriteMode::Truncate);
            }
        } else {
            r.stdout(out);
        }
    }
    status
}

/// `s/old/new/[g]` with any delimiter; `old` is literal text here.
fn parse_subst(s: &str) -> Option<(String, String, bool)> {
    let mut chars = s.chars();
    if chars.next()? != 's' {
        return None;
    }
    let delim = chars.next()?;
    let rest: String = chars.collect();
    let parts: Vec<&str> = rest.split(delim).collect();
    if parts.len() != 3 {
        return None;
    }
    let flags = parts[2];
    Some((
        parts[0].replace("\\.", "."),
        parts[1].to_owned(),
        flags.contains('g'),
    ))
}
