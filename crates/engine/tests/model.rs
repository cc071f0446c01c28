//! Property test: random lower layers and random operation sequences on a
//! container, checked against a flat reference model of the merged view.
//!
//! The model knows nothing of layers: it starts from the layers applied one by
//! one as a tar consumer applies them (whiteouts delete, opaque directories
//! empty, directories merge), then performs each operation with plain POSIX
//! meaning. After every step the container's merged tree must equal the model.
//!
//! One overlayfs rule the model has to know: without `redirect_dir`, renaming
//! a directory that comes from a lower layer fails with EXDEV, and `mv` then
//! copies it, so its files get new inodes (hard links to them from outside
//! break). The kernel differential test checks that rule against the kernel.

mod common;

use common::{build_stack, layer, op, run, Op};
use layerlab_engine::diff::{Diff, Entry};
use layerlab_engine::layer::{Layer, LayerId};
use layerlab_engine::lower::Lower;
use layerlab_engine::merged::{Merged, Node};
use layerlab_engine::path::FsPath;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq, Eq)]
enum M {
    Dir(u32),
    File(u64),
}

/// The merged view as a flat map: path → directory (mode) or file (inode).
#[derive(Clone, Debug, Default)]
struct Model {
    tree: BTreeMap<FsPath, M>,
    inodes: BTreeMap<u64, (u32, Vec<u8>)>,
    next: u64,
    /// Every path of the lower layers' merged view (they never change).
    lower: std::collections::BTreeSet<FsPath>,
    /// Directories made in the container (mkdir, or a move): renaming them
    /// is a real rename even where a lower layer had the path.
    fresh: std::collections::BTreeSet<FsPath>,
}

impl Model {
    fn get(&self, p: &FsPath) -> Option<&M> {
        if p.is_root() {
            return Some(&M::Dir(0o755));
        }
        self.tree.get(p)
    }
    fn is_dir(&self, p: &FsPath) -> bool {
        matches!(self.get(p), Some(M::Dir(_)))
    }
    fn remove_tree(&mut self, p: &FsPath) {
        self.tree.retain(|q, _| !q.starts_with(p));
        self.fresh.retain(|q| !q.starts_with(p));
    }
    fn children(&self, p: &FsPath) -> usize {
        self.tree
            .keys()
            .filter(|q| q.is_below(p) && q.depth() == p.depth() + 1)
            .count()
    }
    fn new_file(&mut self, mode: u32, data: Vec<u8>) -> u64 {
        self.next += 1;
        self.inodes.insert(self.next, (mode, data));
        self.next
    }
    /// Applies one layer as a tar consumer does.
    fn apply(&mut self, diff: &Diff) {
        for (p, e) in diff.entries() {
            match e {
                Entry::Whiteout => self.remove_tree(p),
                Entry::Dir { meta, opaque } => {
                    if *opaque {
                        self.tree.retain(|q, _| !q.is_below(p));
                    }
                    if !self.is_dir(p) {
                        self.remove_tree(p);
                    }
                    self.tree.insert(p.clone(), M::Dir(meta.mode));
                }
                Entry::File { ino } => {
                    self.remove_tree(p);
                    let i = diff.inode(*ino).expect("inode");
                    let f = self.new_file(i.meta.mode, i.content.to_vec());
                    self.tree.insert(p.clone(), M::File(f));
                }
                Entry::Symlink { .. } => unreachable!("no symlinks generated"),
            }
        }
    }
    fn render(&self) -> Vec<String> {
        self.tree
            .iter()
            .map(|(p, m)| match m {
                M::Dir(mode) => format!("d {p} {mode:o}"),
                M::File(i) => {
                    let (mode, data) = &self.inodes[i];
                    format!("f {p} {mode:o} {data:?}")
                }
            })
            .collect()
    }
}

fn render_merged(m: &Merged) -> Vec<String> {
    m.walk()
        .into_iter()
        .map(|s| match s.node {
            Node::Dir { meta } => format!("d {} {:o}", s.path, meta.mode),
            Node::File { meta, content } => {
                format!("f {} {:o} {:?}", s.path, meta.mode, content.to_vec())
            }
            Node::Symlink { target, .. } => format!("l {} {target}", s.path),
        })
        .collect()
}

/// Applies `op` to the model with POSIX meaning; `false` when the call must fail.
fn apply(model: &mut Model, op: &Op) -> bool {
    let parent_ok = |m: &Model, p: &FsPath| m.is_dir(&p.parent());
    match op {
        Op::Write(p, b) | Op::Append(p, b) => {
            if !parent_ok(model, p) || model.is_dir(p) {
                return false;
            }
            match model.get(p).cloned() {
                Some(M::File(i)) => {
                    let data = &mut model.inodes.get_mut(&i).expect("inode").1;
                    if matches!(op, Op::Write(..)) {
                        data.clear();
                    }
                    data.push(*b);
                }
                _ => {
                    let f = model.new_file(0o644, vec![*b]);
                    model.tree.insert(p.clone(), M::File(f));
                }
            }
            true
        }
        Op::Unlink(p) => match model.get(p) {
            Some(M::File(_)) => {
                model.tree.remove(p);
                true
            }
            _ => false,
        },
        Op::Rmdir(p) => {
            if !model.is_dir(p) || model.children(p) > 0 {
                return false;
            }
            model.remove_tree(p);
            true
        }
        Op::RemoveTree(p) => {
            if model.get(p).is_none() {
                return false;
            }
            model.remove_tree(p);
            true
        }
        Op::Mkdir(p) => {
            if !parent_ok(model, p) || model.get(p).is_some() {
                return false;
            }
            model.tree.insert(p.clone(), M::Dir(0o755));
            model.fresh.insert(p.clone());
            true
        }
        Op::Move(a, b) => rename(model, a, b),
        Op::Chmod(p, mode) => match model.get(p).cloned() {
            Some(M::Dir(_)) => {
                model.tree.insert(p.clone(), M::Dir(*mode));
                true
            }
            Some(M::File(i)) => {
                model.inodes.get_mut(&i).expect("inode").0 = *mode;
                true
            }
            None => false,
        },
        Op::Link(a, b) => match model.get(a).cloned() {
            Some(M::File(i)) if parent_ok(model, b) && model.get(b).is_none() => {
                model.tree.insert(b.clone(), M::File(i));
                true
            }
            _ => false,
        },
    }
}

/// `rename(2)` in the model; `false` when it must fail.
fn rename(model: &mut Model, a: &FsPath, b: &FsPath) -> bool {
    let parent_ok = |m: &Model, p: &FsPath| m.is_dir(&p.parent());
    let Some(src) = model.get(a).cloned() else {
        return false;
    };
    if a == b {
        return true;
    }
    if b.is_below(a) || !parent_ok(model, b) {
        return false;
    }
    match (model.get(b), &src) {
        (Some(M::Dir(_)), M::File(_)) => return false,
        (Some(M::File(_)), M::Dir(_)) => return false,
        (Some(M::Dir(_)), M::Dir(_)) if model.children(b) > 0 => return false,
        _ => {}
    }
    // A directory from a lower layer is copied (EXDEV, then mv's copy).
    let copied = matches!(src, M::Dir(_)) && model.lower.contains(a) && !model.fresh.contains(a);
    model.remove_tree(b);
    let fresh: Vec<FsPath> = model
        .fresh
        .iter()
        .filter(|q| q.starts_with(a))
        .map(|q| q.rebase(a, b))
        .collect();
    let moved: Vec<(FsPath, M)> = model
        .tree
        .iter()
        .filter(|(q, _)| q.starts_with(a))
        .map(|(q, m)| (q.rebase(a, b), m.clone()))
        .collect();
    model.remove_tree(a);
    for (q, m) in moved {
        let m = match m {
            M::File(i) if copied => {
                let (mode, data) = model.inodes[&i].clone();
                M::File(model.new_file(mode, data))
            }
            M::Dir(_) if copied => {
                model.fresh.insert(q.clone());
                m
            }
            m => m,
        };
        model.tree.insert(q, m);
    }
    model.fresh.extend(fresh);
    true
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn merged_view_matches_a_flat_model(layers in prop::collection::vec(layer(), 1..4), ops in prop::collection::vec(op(), 0..25)) {
        let diffs: Vec<Diff> = build_stack(&layers);
        let mut model = Model::default();
        for d in &diffs {
            model.apply(d);
        }
        model.lower = model.tree.keys().cloned().collect();
        let stack = diffs.into_iter().enumerate().map(|(i, d)| Rc::new(Layer::new(LayerId(i as u64 + 1), d))).collect();
        let mut m = Merged::new(Rc::new(Lower::new(stack)));
        prop_assert_eq!(render_merged(&m), model.render(), "lower layers merged differently");
        for op in &ops {
            let want = apply(&mut model, op);
            let got = run(&mut m, op);
            prop_assert_eq!(got.is_ok(), want, "{:?} gave {:?}", op, got);
            prop_assert_eq!(render_merged(&m), model.render(), "after {:?}", op);
        }
    }
}

/// Found by the property test: a hard link into a lower directory, then a move
/// of that directory (EXDEV, so a copy), then a write through the new path.
/// The link outside keeps the old content, as on the kernel's overlayfs.
#[test]
fn a_link_out_of_a_lower_directory_that_moves_keeps_the_old_content() {
    use common::Gen;
    let p = |s: &str| FsPath::lexical(s).expect("path");
    let layers = vec![vec![Gen::File(p("/a/b"), 0), Gen::File(p("/c/a"), 0)]];
    let stack = build_stack(&layers)
        .into_iter()
        .enumerate()
        .map(|(i, d)| Rc::new(Layer::new(LayerId(i as u64 + 1), d)))
        .collect();
    let mut m = Merged::new(Rc::new(Lower::new(stack)));
    for op in [
        Op::Link(p("/a/b"), p("/b")),
        Op::Move(p("/a"), p("/c/c")),
        Op::Write(p("/c/c/b"), 7),
    ] {
        run(&mut m, &op).expect("runs");
    }
    let read = |m: &Merged, path: &str| m.read(path).map(|(c, _)| c.to_vec()).expect("reads");
    assert_eq!(read(&m, "/b"), [0, 0, 0]);
    assert_eq!(read(&m, "/c/c/b"), [7]);
}
