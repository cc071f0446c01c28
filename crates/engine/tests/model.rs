//! Property test: random lower layers and random operation sequences on a
//! container, checked against a flat reference model of the merged view.
//!
//! The model knows nothing of layers: it starts from the layers applied one by
//! one as a tar consumer applies them (whiteouts delete, opaque directories
//! empty, directories merge), then performs each operation with plain POSIX
//! meaning. After every step the container's merged tree must equal the model.

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
            model.tree.remove(p);
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
            true
        }
        Op::Move(a, b) => {
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
            model.remove_tree(b);
            let moved: Vec<(FsPath, M)> = model
                .tree
                .iter()
                .filter(|(q, _)| q.starts_with(a))
                .map(|(q, m)| (q.rebase(a, b), m.clone()))
                .collect();
            model.remove_tree(a);
            model.tree.extend(moved);
            true
        }
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn merged_view_matches_a_flat_model(layers in prop::collection::vec(layer(), 1..4), ops in prop::collection::vec(op(), 0..25)) {
        let diffs: Vec<Diff> = build_stack(&layers);
        let mut model = Model::default();
        for d in &diffs {
            model.apply(d);
        }
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
