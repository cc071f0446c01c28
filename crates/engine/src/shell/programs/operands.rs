//! What the programs share: `-abc` options and operands, the inputs a
//! filter reads (files or stdin), GNU's `missing operand` message, one
//! file-system operation applied per path, and sizes as `dd`, `truncate` and
//! `head -c` read them.

use crate::content::Content;
use crate::merged::{Merged, Node, Stat};
use crate::shell::Run;

/// Splits `-abc` style options from operands; `--` ends options.
pub(super) fn options(args: &[String]) -> (String, Vec<String>) {
    let mut flags = String::new();
    let mut operands = Vec::new();
    let mut done = false;
    for a in args {
        if !done && a == "--" {
            done = true;
        } else if !done && a.starts_with('-') && a.len() > 1 && !a.starts_with("--") {
            flags.push_str(&a[1..]);
        } else if !done && a.starts_with("--") {
            flags.push_str(match a.as_str() {
                "--recursive" => "r",
                "--force" => "f",
                "--parents" => "p",
                "--all" => "a",
                "--symbolic" => "s",
                "--archive" => "a",
                "--quiet" | "--silent" => "q",
                _ => "",
            });
        } else {
            operands.push(a.clone());
        }
    }
    (flags, operands)
}

pub(super) fn missing_operand(r: &mut Run, prog: &str) -> i32 {
    r.stderr(format!("{prog}: missing operand"));
    r.stderr(format!("Try '{prog} --help' for more information."));
    1
}

/// Inputs: the named files, or stdin when none (or `-`).
pub(super) fn inputs(
    r: &mut Run,
    prog: &str,
    files: &[String],
    stdin: &Content,
    open_msg: bool,
) -> (Vec<(String, Content)>, i32) {
    if files.is_empty() {
        return (vec![("-".into(), stdin.clone())], 0);
    }
    let mut out = Vec::new();
    let mut status = 0;
    for f in files {
        if f == "-" {
            out.push((f.clone(), stdin.clone()));
            continue;
        }
        match r.read_file(f) {
            Ok(c) => out.push((f.clone(), c)),
            Err(e) if r.busybox => {
                r.stderr(match prog {
                    "cat"
                        if e == crate::shell::FileError::Errno(
                            crate::error::Errno::IsADirectory,
                        ) =>
                    {
                        format!("cat: read error: {e}")
                    }
                    "cat" => format!("cat: can't open '{f}': {e}"),
                    _ => format!("{prog}: {f}: {e}"),
                });
                status = 1;
            }
            Err(e) => {
                if open_msg {
                    r.stderr(format!("{prog}: cannot open '{f}' for reading: {e}"));
                } else {
                    r.stderr(format!("{prog}: {f}: {e}"));
                }
                status = 1;
            }
        }
    }
    (out, status)
}

/// Text of a content, refusing to materialise huge described files.
pub(super) fn text_of(r: &mut Run, prog: &str, name: &str, c: &Content) -> Option<String> {
    if c.len() > 8 << 20 {
        r.stderr(format!(
            "{prog}: {name}: a {} byte file is described, not stored, in this simulator; {prog} reads files up to 8 MiB",
            c.len()
        ));
        return None;
    }
    Some(String::from_utf8_lossy(&c.to_vec()).into_owned())
}

/// Applies a file-system operation to each path, reporting failures as
/// `PROG: WHAT 'PATH': REASON` (status 1) and keeping the events of the others.
pub(super) fn each_path(
    r: &mut Run,
    prog: &str,
    what: &str,
    paths: Vec<String>,
    op: impl Fn(&mut Merged, &str) -> Result<Vec<crate::event::Event>, crate::error::FsError>,
) -> i32 {
    if paths.is_empty() {
        return missing_operand(r, prog);
    }
    let mut status = 0;
    for p in paths {
        let abs = r.abs(&p);
        match op(r.fs, &abs) {
            Ok(ev) => r.events.extend(ev),
            Err(e) => {
                let why = e.errno.message();
                r.stderr(match prog {
                    _ if !r.busybox => format!("{prog}: {what} '{p}': {why}"),
                    "mkdir" => format!("mkdir: can't create directory '{p}': {why}"),
                    "rmdir" => format!("rmdir: '{p}': {why}"),
                    _ => format!("{prog}: {p}: {why}"),
                });
                status = 1;
            }
        }
    }
    status
}

pub(super) fn is_dir(r: &Run, abs: &str) -> bool {
    matches!(
        r.fs.stat(abs),
        Ok(Stat {
            node: Node::Dir { .. },
            ..
        })
    )
}

/// `10M`, `1G`, `4k`, `512`: binary multiples as dd and truncate read them.
pub(super) fn parse_size(v: &str) -> Option<u64> {
    let (num, mult) = match v.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&v[..i], &v[i..]),
        None => (v, ""),
    };
    let n: u64 = num.parse().ok()?;
    let m = match mult {
        "" | "c" => 1,
        "k" | "K" | "KiB" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        "T" | "TiB" => 1 << 40,
        "P" | "PiB" => 1 << 50,
        "E" | "EiB" => 1 << 60,
        "kB" | "KB" => 1000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        "TB" => 1_000_000_000_000,
        _ => return None,
    };
    n.checked_mul(m)
}
