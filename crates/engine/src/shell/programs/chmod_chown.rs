//! `chmod` (octal or symbolic modes) and `chown` (`USER[:GROUP]`), each with
//! `-R` walking the merged tree once.

use super::accounts::account_id;
use super::operands::{missing_operand, options};
use crate::content::Content;
use crate::error::{Errno, FsError};
use crate::event::Event;
use crate::merged::{Node, Stat};
use crate::shell::Run;

/// `chmod` modes: octal, or symbolic (`+x`, `u+rw`, `go-w`, `a=r`).
fn parse_mode(spec: &str, old: u32) -> Option<u32> {
    if let Ok(m) = u32::from_str_radix(spec, 8) {
        return (m <= 0o7777).then_some(m);
    }
    let mut mode = old;
    for clause in spec.split(',') {
        let at = clause.find(['+', '-', '='])?;
        let (who, rest) = clause.split_at(at);
        let op = rest.chars().next()?;
        let mut mask = 0;
        for w in if who.is_empty() {
            "a".chars()
        } else {
            who.chars()
        } {
            mask |= match w {
                'u' => 0o700,
                'g' => 0o070,
                'o' => 0o007,
                'a' => 0o777,
                _ => return None,
            };
        }
        let mut bits = 0;
        for p in rest[1..].chars() {
            bits |= match p {
                'r' => 0o444,
                'w' => 0o222,
                'x' => 0o111,
                _ => return None,
            };
        }
        let bits = bits & mask;
        mode = match op {
            '+' => mode | bits,
            '-' => mode & !bits,
            _ => (mode & !mask) | bits,
        };
    }
    Some(mode)
}

pub(super) fn chmod(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (mut flags, mut ops) = (String::new(), Vec::new());
    for a in args {
        // `-x` is a mode, not a flag, once the flags are read.
        if a == "-R" {
            flags.push('R');
        } else {
            ops.push(a.clone());
        }
    }
    if ops.len() < 2 {
        return missing_operand(r, "chmod");
    }
    let spec = ops.remove(0);
    change_each(
        r,
        "chmod",
        "permissions",
        ops,
        flags.contains('R'),
        |r, f, t| {
            let Some(mode) = parse_mode(&spec, t.node.meta().mode) else {
                r.stderr(format!("chmod: invalid mode: '{spec}'"));
                return None;
            };
            Some(match t.node {
                // A link found below follows to its target, by path.
                Node::Symlink { .. } => r.fs.chmod(&t.path.to_string(), mode),
                _ => {
                    r.fs.change_meta_found(t, |m| m.mode = mode & 0o7777)
                        .ok_or_else(|| FsError::new(Errno::NotFound, f))
                }
            })
        },
    )
}

/// A path (symlinks followed), and with `-R` everything below it, depth-first,
/// each directory before what it holds. One walk: linear in the entries
/// however deep the tree, where looking each up from the root is not.
fn targets(r: &Run, abs: &str, recursive: bool) -> Result<Vec<Stat>, FsError> {
    let top = r.fs.stat(abs)?;
    let below = match top.node {
        Node::Dir { .. } if recursive => r.fs.walk_below(&top.path),
        _ => Vec::new(),
    };
    let mut t = vec![top];
    t.extend(below);
    Ok(t)
}

pub(super) fn chown(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, mut ops) = options(args);
    if ops.len() < 2 {
        return missing_operand(r, "chown");
    }
    let spec = ops.remove(0);
    let (user, group) = match spec.split_once([':', '.']) {
        Some((u, g)) => (u.to_owned(), Some(g.to_owned())),
        None => (spec.clone(), None),
    };
    let Some(uid) = account_id(r.fs, "/etc/passwd", &user) else {
        r.stderr(format!("chown: invalid user: '{spec}'"));
        return 1;
    };
    let gid = match group.as_deref() {
        Some("") => uid,
        Some(g) => match account_id(r.fs, "/etc/group", g) {
            Some(g) => g,
            None => {
                r.stderr(format!("chown: invalid group: '{spec}'"));
                return 1;
            }
        },
        None => match r.fs.stat("/") {
            Ok(_) => u32::MAX,
            Err(_) => 0,
        },
    };
    change_each(
        r,
        "chown",
        "ownership",
        ops,
        flags.contains('R'),
        |r, f, t| {
            let g = if gid == u32::MAX {
                t.node.meta().gid
            } else {
                gid
            };
            Some(match t.node {
                Node::Symlink { .. } => {
                    r.fs.chown(&t.path.to_string(), uid, g, !flags.contains('h'))
                }
                _ => {
                    r.fs.change_meta_found(t, |m| {
                        m.uid = uid;
                        m.gid = g;
                    })
                    .ok_or_else(|| FsError::new(Errno::NotFound, f))
                }
            })
        },
    )
}

/// Changes each operand, and with `-R` everything below it, in GNU's words
/// (`PROG: cannot access 'F'`, `PROG: changing WHAT of 'F'`, status 1).
/// `change` giving `None` stops the program with status 1 (an invalid mode).
fn change_each(
    r: &mut Run,
    prog: &str,
    what: &str,
    ops: Vec<String>,
    recursive: bool,
    change: impl Fn(&mut Run, &str, &Stat) -> Option<Result<Vec<Event>, FsError>>,
) -> i32 {
    let mut status = 0;
    for f in ops {
        let abs = r.abs(&f);
        let found = match targets(r, &abs, recursive) {
            Ok(found) => found,
            Err(e) => {
                let why = e.errno.message();
                r.stderr(if r.busybox {
                    format!("{prog}: {f}: {why}")
                } else {
                    format!("{prog}: cannot access '{f}': {why}")
                });
                status = 1;
                continue;
            }
        };
        for t in found {
            let Some(changed) = change(r, &f, &t) else {
                return 1;
            };
            match changed {
                Ok(ev) => r.events.extend(ev),
                Err(e) => {
                    r.stderr(format!(
                        "{prog}: changing {what} of '{f}': {}",
                        e.errno.message()
                    ));
                    status = 1;
                }
            }
        }
    }
    status
}
