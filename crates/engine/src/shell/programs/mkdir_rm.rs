//! `touch`, `mkdir` (`-p`), `rm` (`-r`, `-f`, and GNU's refusal of `/`) and
//! `rmdir`: making and removing names, each failure in GNU's words.

use super::operands::{each_path, missing_operand, options};
use crate::content::Content;
use crate::merged::{Node, DIR_MODE};
use crate::shell::Run;

pub(super) fn touch(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (_, files) = options(args);
    each_path(r, "touch", "cannot touch", files, |fs, p| fs.touch(p))
}

pub(super) fn mkdir(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, dirs) = options(args);
    let parents = flags.contains('p');
    each_path(r, "mkdir", "cannot create directory", dirs, |fs, p| {
        if parents {
            fs.mkdir_all(p, DIR_MODE)
        } else {
            fs.mkdir(p, DIR_MODE)
        }
    })
}

pub(super) fn rm(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, files) = options(args);
    let recursive = flags.contains(['r', 'R']);
    let force = flags.contains('f');
    if files.is_empty() && !force {
        return missing_operand(r, "rm");
    }
    let mut status = 0;
    for f in files {
        let abs = r.abs(&f);
        if recursive && r.fs.lstat(&abs).is_ok_and(|s| s.path.is_root()) {
            r.stderr("rm: it is dangerous to operate recursively on '/'");
            r.stderr("rm: use --no-preserve-root to override this failsafe");
            status = 1;
            continue;
        }
        let res = match r.fs.lstat(&abs) {
            Ok(s) if matches!(s.node, Node::Dir { .. }) && !recursive => {
                r.stderr(if r.busybox {
                    format!("rm: '{f}' is a directory")
                } else {
                    format!("rm: cannot remove '{f}': Is a directory")
                });
                status = 1;
                continue;
            }
            Ok(_) => r.fs.remove_tree(&abs),
            Err(e) => Err(e),
        };
        match res {
            Ok(ev) => r.events.extend(ev),
            Err(_) if force => {}
            Err(e) => {
                let why = e.errno.message();
                r.stderr(if r.busybox {
                    format!("rm: can't remove '{f}': {why}")
                } else {
                    format!("rm: cannot remove '{f}': {why}")
                });
                status = 1;
            }
        }
    }
    status
}

pub(super) fn rmdir(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (_, dirs) = options(args);
    each_path(r, "rmdir", "failed to remove", dirs, |fs, p| fs.rmdir(p))
}
