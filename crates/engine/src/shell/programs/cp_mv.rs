//! `cp` (`-r`, `-a`), `mv` and `ln` (`-s`, `-f`): a source lands inside the
//! destination when that is a directory.

use super::operands::{is_dir, missing_operand, options};
use crate::content::Content;
use crate::merged::{Node, WriteMode};
use crate::shell::Run;

/// The destination of `cp`/`mv`/`ln` for one source: inside DEST if it is a directory.
fn destination(r: &Run, src: &str, dest: &str) -> String {
    let abs = r.abs(dest);
    if is_dir(r, &abs) {
        let name = src.trim_end_matches('/').rsplit('/').next().unwrap_or(src);
        format!("{}/{name}", abs.trim_end_matches('/'))
    } else {
        abs
    }
}

pub(super) fn cp(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, mut ops) = options(args);
    let recursive = flags.contains(['r', 'R', 'a']);
    if ops.len() < 2 {
        return missing_operand(r, "cp");
    }
    let dest = ops.pop().unwrap_or_default();
    if ops.len() > 1 && !is_dir(r, &r.abs(&dest)) {
        r.stderr(format!("cp: target '{dest}' is not a directory"));
        return 1;
    }
    let mut status = 0;
    for src in ops {
        let abs_src = r.abs(&src);
        let stat = match r.fs.stat(&abs_src) {
            Ok(s) => s,
            Err(e) => {
                let why = e.errno.message();
                r.stderr(if r.busybox {
                    format!("cp: can't stat '{src}': {why}")
                } else {
                    format!("cp: cannot stat '{src}': {why}")
                });
                status = 1;
                continue;
            }
        };
        let to = destination(r, &src, &dest);
        let res = match stat.node {
            Node::Dir { .. } if !recursive => {
                r.stderr(if r.busybox {
                    format!("cp: omitting directory '{src}'")
                } else {
                    format!("cp: -r not specified; omitting directory '{src}'")
                });
                status = 1;
                continue;
            }
            Node::Dir { .. } => {
                if r.fs.lstat(&to).is_ok() {
                    // Merge into an existing directory: copy each child.
                    let children = r.fs.read_dir(&abs_src).unwrap_or_default();
                    let mut all = Ok(Vec::new());
                    for c in children {
                        let child = c.path.to_string();
                        let target = format!("{to}/{}", c.path.name());
                        let _ = r.fs.remove_tree(&target);
                        match r.fs.copy_tree(&child, &target) {
                            Ok(ev) => r.events.extend(ev),
                            Err(e) => all = Err(e),
                        }
                    }
                    all
                } else {
                    r.fs.copy_tree(&abs_src, &to)
                }
            }
            Node::File { content, meta } => {
                let res = r.fs.write_content(&to, content, WriteMode::Truncate);
                if res.is_ok() && flags.contains(['a', 'p']) {
                    let _ = r.fs.chmod(&to, meta.mode);
                }
                res
            }
            Node::Symlink { .. } => r.fs.copy_tree(&abs_src, &to),
        };
        match res {
            Ok(ev) => r.events.extend(ev),
            Err(e) => {
                let why = e.errno.message();
                r.stderr(if r.busybox {
                    let shown = if to == r.abs(&dest) {
                        dest.clone()
                    } else {
                        let name = to.rsplit('/').next().unwrap_or_default();
                        format!("{}/{name}", dest.trim_end_matches('/'))
                    };
                    format!("cp: can't create '{shown}': {why}")
                } else {
                    format!("cp: cannot create regular file '{dest}': {why}")
                });
                status = 1;
            }
        }
    }
    status
}

pub(super) fn mv(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (_, mut ops) = options(args);
    if ops.len() < 2 {
        return missing_operand(r, "mv");
    }
    let dest = ops.pop().unwrap_or_default();
    let mut status = 0;
    for src in ops {
        let abs_src = r.abs(&src);
        if let Err(e) = r.fs.lstat(&abs_src) {
            let why = e.errno.message();
            r.stderr(if r.busybox {
                format!("mv: can't rename '{src}': {why}")
            } else {
                format!("mv: cannot stat '{src}': {why}")
            });
            status = 1;
            continue;
        }
        let to = destination(r, &src, &dest);
        match r.fs.move_path(&abs_src, &to) {
            Ok(ev) => r.events.extend(ev),
            Err(e) => {
                let why = e.errno.message();
                r.stderr(if r.busybox {
                    format!("mv: can't rename '{src}': {why}")
                } else {
                    format!("mv: cannot move '{src}' to '{dest}': {why}")
                });
                status = 1;
            }
        }
    }
    status
}

pub(super) fn ln(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, ops) = options(args);
    let (target, link) = match ops.as_slice() {
        [t, l] => (t.clone(), l.clone()),
        [t] => (t.clone(), t.rsplit('/').next().unwrap_or(t).to_owned()),
        _ => return missing_operand(r, "ln"),
    };
    let to = destination(r, &target, &link);
    if flags.contains('f') {
        let _ = r.fs.unlink(&to);
    }
    let res = if flags.contains('s') {
        r.fs.symlink(&target, &to)
    } else {
        r.fs.link(&r.abs(&target), &to)
    };
    match res {
        Ok(ev) => {
            r.events.extend(ev);
            0
        }
        Err(e) => {
            let kind = if flags.contains('s') {
                "symbolic link"
            } else {
                "hard link"
            };
            let why = e.errno.message();
            r.stderr(if r.busybox {
                format!("ln: {link}: {why}")
            } else {
                format!("ln: failed to create {kind} '{link}': {why}")
            });
            1
        }
    }
}
