//! Differential test against the real kernel: the same lower layers and the
//! same operations on a real overlayfs mount (as Docker mounts it: `index=off`,
//! no `redirect_dir`, no `metacopy`) and on the engine. The writable layers
//! must match: paths, types, modes, sizes, contents, hard links, whiteouts and
//! opaque markers. Needs root and overlayfs; prints `SKIP: <why>` otherwise.

mod common;

use common::{build_stack, layer, op, run, sh, Op};
use layerlab_engine::diff::{Diff, Entry};
use layerlab_engine::layer::{Layer, LayerId};
use layerlab_engine::lower::Lower;
use layerlab_engine::merged::Merged;
use layerlab_engine::path::FsPath;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

static SEQ: AtomicU64 = AtomicU64::new(0);

/// A temporary overlay mount: lower dirs, upper, work, merged.
struct Mount {
    root: PathBuf,
}

impl Mount {
    fn merged(&self) -> PathBuf {
        self.root.join("merged")
    }
    fn upper(&self) -> PathBuf {
        self.root.join("upper")
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg(self.merged())
            .stderr(std::process::Stdio::null())
            .status();
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// Writes a layer diff as an overlayfs lower directory (whiteouts as 0/0 character
/// devices, opaque directories with `trusted.overlay.opaque=y`).
fn materialize(diff: &Diff, dir: &Path) -> Result<(), String> {
    fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let mut first: BTreeMap<u64, PathBuf> = BTreeMap::new();
    for (p, e) in diff.entries() {
        let target = dir.join(p.as_relative());
        match e {
            Entry::Dir { meta, opaque } => {
                fs::create_dir_all(&target).map_err(|e| e.to_string())?;
                fs::set_permissions(&target, fs::Permissions::from_mode(meta.mode))
                    .map_err(|e| e.to_string())?;
                if *opaque {
                    sh(&format!(
                        "setfattr -n trusted.overlay.opaque -v y '{}'",
                        target.display()
                    ))?;
                }
            }
            Entry::File { ino } => {
                if let Some(f) = first.get(ino) {
                    fs::hard_link(f, &target).map_err(|e| e.to_string())?;
                    continue;
                }
                let inode = diff.inode(*ino).ok_or("missing inode")?;
                fs::write(&target, inode.content.to_vec()).map_err(|e| e.to_string())?;
                fs::set_permissions(&target, fs::Permissions::from_mode(inode.meta.mode))
                    .map_err(|e| e.to_string())?;
                first.insert(*ino, target);
            }
            Entry::Symlink { target: t, .. } => {
                std::os::unix::fs::symlink(t, &target).map_err(|e| e.to_string())?
            }
            Entry::Whiteout => {
                sh(&format!("mknod '{}' c 0 0", target.display()))?;
            }
        }
    }
    Ok(())
}

fn mount(diffs: &[Diff]) -> Result<Mount, String> {
    let root = std::env::temp_dir().join(format!(
        "layerlab-ovl-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::SeqCst)
    ));
    let m = Mount { root };
    for d in ["upper", "work", "merged"] {
        fs::create_dir_all(m.root.join(d)).map_err(|e| e.to_string())?;
    }
    let mut lowers = Vec::new();
    for (i, d) in diffs.iter().enumerate() {
        let dir = m.root.join(format!("l{i}"));
        materialize(d, &dir)?;
        lowers.push(dir.display().to_string());
    }
    lowers.reverse(); // overlayfs lists the top layer first
    sh(&format!(
        "mount -t overlay overlay -o index=off,lowerdir={},upperdir={},workdir={} {}",
        lowers.join(":"),
        m.upper().display(),
        m.root.join("work").display(),
        m.merged().display()
    ))?;
    Ok(m)
}

/// Why the kernel cannot be asked here, if it cannot.
fn unavailable() -> Option<String> {
    if !Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
    {
        return Some("not running as root, so overlayfs cannot be mounted".into());
    }
    if !Command::new("setfattr")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return Some("setfattr is missing (apt-get install attr)".into());
    }
    if let Err(e) = mount(&[Diff::new()]) {
        return Some(format!("overlayfs mount is not permitted here: {e}"));
    }
    None
}

fn errno(e: std::io::Error) -> i32 {
    e.raw_os_error().unwrap_or(-1)
}

fn copy_all(from: &Path, to: &Path) -> std::io::Result<()> {
    let meta = fs::symlink_metadata(from)?;
    if meta.is_dir() {
        fs::create_dir(to)?;
        for e in fs::read_dir(from)? {
            let e = e?;
            copy_all(&e.path(), &to.join(e.file_name()))?;
        }
        fs::set_permissions(to, meta.permissions())
    } else {
        fs::copy(from, to)?;
        fs::set_permissions(to, meta.permissions())
    }
}

/// The same operation on the real mount, as the shell's tools would do it.
fn run_kernel(root: &Path, op: &Op) -> Result<(), i32> {
    let at = |p: &FsPath| root.join(p.as_relative());
    let r = match op {
        Op::Write(p, b) | Op::Append(p, b) => fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(matches!(op, Op::Append(..)))
            .truncate(matches!(op, Op::Write(..)))
            .open(at(p))
            .and_then(|mut f| f.write_all(&[*b])),
        Op::Unlink(p) => match fs::symlink_metadata(at(p)) {
            Ok(m) if m.is_dir() => Err(std::io::Error::from_raw_os_error(21)),
            _ => fs::remove_file(at(p)),
        },
        Op::Rmdir(p) => fs::remove_dir(at(p)),
        Op::RemoveTree(p) => match fs::symlink_metadata(at(p)) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(at(p)),
            Ok(_) => fs::remove_file(at(p)),
            Err(e) => Err(e),
        },
        Op::Mkdir(p) => fs::create_dir(at(p)),
        Op::Move(a, b) => match fs::rename(at(a), at(b)) {
            Err(e) if e.raw_os_error() == Some(18) => {
                // EXDEV: what mv does — copy, then delete.
                if fs::symlink_metadata(at(b)).is_ok() {
                    let _ = fs::remove_dir(at(b));
                }
                copy_all(&at(a), &at(b)).and_then(|_| fs::remove_dir_all(at(a)))
            }
            other => other,
        },
        Op::Chmod(p, mode) => fs::set_permissions(at(p), fs::Permissions::from_mode(*mode)),
        Op::Link(a, b) => match fs::symlink_metadata(at(a)) {
            Ok(m) if m.is_dir() => Err(std::io::Error::from_raw_os_error(1)),
            _ => fs::hard_link(at(a), at(b)),
        },
    };
    r.map_err(errno)
}

/// The upper directory as text: one line per entry, with type, mode, size, content,
/// link count, whiteout and opaque markers.
fn list_upper_dir(dir: &Path) -> Result<String, String> {
    let script = r#"
import os, stat, sys
root = sys.argv[1]
for base, dirs, files in os.walk(root):
    dirs.sort()
    for name in sorted(dirs + files):
        p = os.path.join(base, name)
        rel = "/" + os.path.relpath(p, root)
        st = os.lstat(p)
        if stat.S_ISDIR(st.st_mode):
            try:
                opq = os.getxattr(p, "trusted.overlay.opaque") == b"y"
            except OSError:
                opq = False
            print(("o" if opq else "d"), rel, oct(stat.S_IMODE(st.st_mode)))
        elif stat.S_ISCHR(st.st_mode) and st.st_rdev == 0:
            print("w", rel)
        elif stat.S_ISLNK(st.st_mode):
            print("l", rel, os.readlink(p))
        else:
            print("f", rel, oct(stat.S_IMODE(st.st_mode)), list(open(p, "rb").read()), "links=%d" % st.st_nlink)
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(dir)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let mut lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    Ok(lines.join("\n"))
}

fn list_upper_diff(diff: &Diff) -> String {
    let mut lines: Vec<String> = diff
        .entries()
        .map(|(p, e)| match e {
            Entry::Dir { meta, opaque } => {
                format!("{} {p} 0o{:o}", if *opaque { "o" } else { "d" }, meta.mode)
            }
            Entry::File { ino } => {
                let i = diff.inode(*ino).expect("inode");
                format!(
                    "f {p} 0o{:o} {:?} links={}",
                    i.meta.mode,
                    i.content.to_vec(),
                    diff.link_count(*ino)
                )
            }
            Entry::Symlink { target, .. } => format!("l {p} {target}"),
            Entry::Whiteout => format!("w {p}"),
        })
        .collect();
    lines.sort();
    lines.join("\n")
}

/// Runs one case on both sides; `Err` describes the first difference.
fn compare(diffs: Vec<Diff>, ops: &[Op]) -> Result<(), String> {
    let mnt = mount(&diffs)?;
    let stack = diffs
        .into_iter()
        .enumerate()
        .map(|(i, d)| Rc::new(Layer::new(LayerId(i as u64 + 1), d)))
        .collect();
    let mut engine = Merged::new(Rc::new(Lower::new(stack)));
    for (n, op) in ops.iter().enumerate() {
        let kernel = run_kernel(&mnt.merged(), op);
        let ours = run(&mut engine, op);
        if kernel.is_ok() != ours.is_ok() {
            return Err(format!(
                "step {n} {op:?}: kernel {kernel:?}, engine {ours:?}"
            ));
        }
    }
    sh(&format!("umount {}", mnt.merged().display()))?;
    let (kernel, ours) = (
        list_upper_dir(&mnt.upper())?,
        list_upper_diff(engine.upper()),
    );
    if kernel != ours {
        return Err(format!(
            "upper layers differ after {ops:?}\n--- kernel\n{kernel}\n--- engine\n{ours}"
        ));
    }
    Ok(())
}

fn p(s: &str) -> FsPath {
    FsPath::lexical(s).expect("path")
}

#[test]
fn kernel_overlayfs_agrees_with_the_engine() {
    if let Some(why) = unavailable() {
        println!("SKIP: {why}");
        return;
    }
    use common::Gen::{Dir, File, Whiteout};
    // The observations of the oracles reference, §1, then random sequences.
    let lower = vec![
        vec![Dir(p("/d"), false), File(p("/d/x"), 1), File(p("/f"), 2)],
        vec![File(p("/d/y"), 3), Whiteout(p("/g"))],
    ];
    let fixed: Vec<Vec<Op>> = vec![
        vec![Op::Append(p("/f"), 9)],
        vec![Op::Chmod(p("/f"), 0o600)],
        vec![Op::Unlink(p("/f"))],
        vec![Op::RemoveTree(p("/d"))],
        vec![
            Op::RemoveTree(p("/d")),
            Op::Mkdir(p("/d")),
            Op::Write(p("/d/new"), 1),
        ],
        vec![Op::Move(p("/d"), p("/d2"))],
        vec![Op::Link(p("/f"), p("/f2"))],
        vec![Op::Move(p("/f"), p("/g"))],
        vec![Op::Mkdir(p("/new"))],
        vec![Op::Mkdir(p("/g"))],
        // A new directory moved into one that merges lower layers goes opaque,
        // at the top as further down (a case the random search found).
        vec![Op::Mkdir(p("/c")), Op::Move(p("/c"), p("/d/a"))],
        vec![Op::Mkdir(p("/c")), Op::Move(p("/c"), p("/e"))],
        vec![
            Op::Mkdir(p("/c")),
            Op::Mkdir(p("/c/k")),
            Op::Move(p("/c/k"), p("/c/m")),
        ],
    ];
    for ops in fixed {
        let diffs = build_stack(&lower);
        if let Err(e) = compare(diffs, &ops) {
            panic!("{e}");
        }
    }

    // LAYERLAB_KERNEL_CASES=2000 searches harder.
    let cases = std::env::var("LAYERLAB_KERNEL_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        prop::collection::vec(layer(), 1..4),
        prop::collection::vec(op(), 0..12),
    );
    let result = runner.run(&strategy, |(layers, ops)| {
        let diffs = build_stack(&layers);
        compare(diffs, &ops).map_err(TestCaseError::fail)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
