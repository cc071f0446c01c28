//! Property test: random lower layers and random operation sequences on a
//! container, checked against a flat reference model of the merged view.
//!
//! The model knows nothing of layers: it starts from the layers applied one by
//! one as a tar consumer applies them (whiteouts delete, opaque directories
//! empty, directories merge), then performs each operation with plain POSIX
//! meaning. After every step the container's merged tree must equal the model.

use layerlab_engine::content::Content;
use layerlab_engine::diff::{Diff, Entry, Meta};
use layerlab_engine::error::Errno;
use layerlab_engine::layer::{Layer, LayerId};
use layerlab_engine::lower::Lower;
use layerlab_engine::merged::{Merged, Node, WriteMode};
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

#[derive(Clone, Debug)]
enum Op {
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

fn path() -> impl Strategy<Value = FsPath> {
    prop::collection::vec(prop::sample::select(vec!["a", "b", "c"]), 1..=3)
        .prop_map(|parts| FsPath::lexical(&parts.join("/")).expect("valid"))
}

fn op() -> impl Strategy<Value = Op> {
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
enum Gen {
    Dir(FsPath, bool),
    File(FsPath, u8),
    Whiteout(FsPath),
}

fn layer() -> impl Strategy<Value = Vec<Gen>> {
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
fn build(entries: &[Gen]) -> Diff {
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

fn run(m: &mut Merged, op: &Op) -> Result<(), Errno> {
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn merged_view_matches_a_flat_model(layers in prop::collection::vec(layer(), 1..4), ops in prop::collection::vec(op(), 0..25)) {
        let diffs: Vec<Diff> = layers.iter().map(|l| build(l)).collect();
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
