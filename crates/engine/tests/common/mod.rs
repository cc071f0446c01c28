//! Operation sequences and random layers shared by the property tests.
#![allow(dead_code)]

use layerlab_engine::content::Content;
use layerlab_engine::diff::{Diff, Entry, Meta};
use layerlab_engine::error::Errno;
use layerlab_engine::merged::{Merged, WriteMode};
use layerlab_engine::path::FsPath;
use proptest::prelude::*;

#[derive(Clone, Debug)]
pub enum Op {
    Write(FsPath, u8),
    Append(FsPath, u8),
    Unlink(FsPath),
    Rmdir(FsPath),
    RemoveTree(FsPath),
    Mkdir(FsPath),
    Move(FsPath, FsPath),
    Chmod(FsPath, u32),
    Link(FsPath, FsPath),
}

pub fn path() -> impl Strategy<Value = FsPath> {
    prop::collection::vec(prop::sample::select(vec!["a", "b", "c"]), 1..=3)
        .prop_map(|parts| FsPath::lexical(&parts.join("/")).expect("valid"))
}

pub fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (path(), any::<u8>()).prop_map(|(p, b)| Op::Write(p, b)),
        (path(), any::<u8>()).prop_map(|(p, b)| Op::Append(p, b)),
        path().prop_map(Op::Unlink),
        path().prop_map(Op::Rmdir),
        path().prop_map(Op::RemoveTree),
        path().prop_map(Op::Mkdir),
        (path(), path()).prop_map(|(a, b)| Op::Move(a, b)),
        (path(), prop::sample::select(vec![0o600u32, 0o755])).prop_map(|(p, m)| Op::Chmod(p, m)),
        (path(), path()).prop_map(|(a, b)| Op::Link(a, b)),
    ]
}

#[derive(Clone, Debug)]
pub enum Gen {
    Dir(FsPath, bool),
    File(FsPath, u8),
    Whiteout(FsPath),
}

pub fn layer() -> impl Strategy<Value = Vec<Gen>> {
    prop::collection::vec(
        prop_oneof![
            (path(), any::<bool>()).prop_map(|(p, o)| Gen::Dir(p, o)),
            (path(), any::<u8>()).prop_map(|(p, b)| Gen::File(p, b)),
            path().prop_map(Gen::Whiteout),
        ],
        0..8,
    )
}

/// A layer diff from generated entries: parents are directories; later entries win.
pub fn build(entries: &[Gen]) -> Diff {
    let mut d = Diff::new();
    for g in entries {
        let p = match g {
            Gen::Dir(p, _) | Gen::File(p, _) | Gen::Whiteout(p) => p,
        };
        // An entry replaces whatever this layer had at or below its path.
        d.remove_descendants(p);
        for a in p.ancestors() {
            if !matches!(d.get(&a), Some(Entry::Dir { .. })) {
                d.remove_descendants(&a);
                d.put(
                    a,
                    Entry::Dir {
                        meta: Meta::new(0o755, 1),
                        opaque: false,
                    },
                );
            }
        }
        match g {
            Gen::Dir(p, opaque) => d.put(
                p.clone(),
                Entry::Dir {
                    meta: Meta::new(0o700, 1),
                    opaque: *opaque,
                },
            ),
            Gen::File(p, b) => {
                d.put_file(p.clone(), Meta::new(0o644, 1), Content::bytes(vec![*b; 3]));
            }
            Gen::Whiteout(p) => d.put(p.clone(), Entry::Whiteout),
        }
    }
    d
}

/// Runs `op` on the engine.
pub fn run(m: &mut Merged, op: &Op) -> Result<(), Errno> {
    let s = |p: &FsPath| p.to_string();
    let r = match op {
        Op::Write(p, b) => m.write(&s(p), &[*b], WriteMode::Truncate),
        Op::Append(p, b) => m.write(&s(p), &[*b], WriteMode::Append),
        Op::Unlink(p) => m.unlink(&s(p)),
        Op::Rmdir(p) => m.rmdir(&s(p)),
        Op::RemoveTree(p) => m.remove_tree(&s(p)),
        Op::Mkdir(p) => m.mkdir(&s(p), 0o755),
        Op::Move(a, b) => m.move_path(&s(a), &s(b)),
        Op::Chmod(p, mode) => m.chmod(&s(p), *mode),
        Op::Link(a, b) => m.link(&s(a), &s(b)),
    };
    r.map(|_| ()).map_err(|e| e.errno)
}

/// Layer diffs from generated entries, bottom first. A whiteout that would hide
/// nothing is dropped: Docker never writes one, and the kernel shows such a
/// stray device as an unreadable entry.
pub fn build_stack(layers: &[Vec<Gen>]) -> Vec<Diff> {
    use layerlab_engine::layer::{Layer, LayerId};
    use layerlab_engine::lower::Lower;
    use std::rc::Rc;
    let mut stack: Vec<Rc<Layer>> = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        let mut diff = build(l);
        let below = Lower::new(stack.clone());
        let stray: Vec<FsPath> = diff
            .entries()
            .filter(|(p, e)| matches!(e, Entry::Whiteout) && below.get(p).is_none())
            .map(|(p, _)| p.clone())
            .collect();
        for p in stray {
            diff.remove(&p);
        }
        stack.push(Rc::new(Layer::new(LayerId(i as u64 + 1), diff)));
    }
    stack.iter().map(|l| l.diff.clone()).collect()
}

/// Runs `cmd` with `sh -c`; its standard output, or the command and its error.
pub fn sh(cmd: &str) -> Result<String, String> {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "`{cmd}`: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}
