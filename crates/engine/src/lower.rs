//! The lower layers of a union mount: a read-only stack with a merged index.
//!
//! The index maps every path visible through the stack to the topmost layer
//! that provides it, applying whiteouts and opaque directories. It is built
//! once, on first use, and shared by every container of the image, so creating
//! a container costs O(1) and a lookup costs one map search, however many
//! layers there are.

use crate::diff::{Diff, Entry};
use crate::layer::{Layer, LayerId};
use crate::path::FsPath;
use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::ops::Bound;
use std::rc::Rc;

#[derive(Debug)]
pub struct Lower {
    /// Bottom first.
    layers: Vec<Rc<Layer>>,
    index: OnceCell<BTreeMap<FsPath, u32>>,
}

impl Lower {
    pub fn new(layers: Vec<Rc<Layer>>) -> Self {
        Lower {
            layers,
            index: OnceCell::new(),
        }
    }

    /// The layers, bottom first.
    pub fn layers(&self) -> &[Rc<Layer>] {
        &self.layers
    }

    fn index(&self) -> &BTreeMap<FsPath, u32> {
        self.index.get_or_init(|| build_index(&self.layers))
    }

    /// The visible entry at `path`, the layer that provides it, and that layer's diff.
    pub fn get(&self, path: &FsPath) -> Option<(LayerId, &Entry, &Diff)> {
        let &i = self.index().get(path)?;
        let layer = self.layers.get(i as usize)?;
        layer.diff.get(path).map(|e| (layer.id, e, &layer.diff))
    }

    /// Visible paths strictly below `dir`, depth-first.
    pub fn descendants<'a>(&'a self, dir: &'a FsPath) -> impl Iterator<Item = &'a FsPath> + 'a {
        self.index()
            .range::<FsPath, _>((after(dir), Bound::Unbounded))
            .map(|(p, _)| p)
            .take_while(move |p| p.is_below(dir))
    }

    /// Visible direct children of `dir`.
    pub fn children<'a>(&'a self, dir: &'a FsPath) -> impl Iterator<Item = &'a FsPath> + 'a {
        let depth = dir.depth() + 1;
        self.descendants(dir).filter(move |p| p.depth() == depth)
    }

    /// Cumulative size of the stack (what `docker images` shows for an image).
    pub fn size(&self) -> u64 {
        self.layers.iter().map(|l| l.size()).sum()
    }
}

/// Where the paths below `dir` start in the index (descendants sort right after it).
fn after(dir: &FsPath) -> Bound<&FsPath> {
    if dir.is_root() {
        Bound::Unbounded
    } else {
        Bound::Excluded(dir)
    }
}

fn remove_below(index: &mut BTreeMap<FsPath, u32>, dir: &FsPath) {
    let doomed: Vec<FsPath> = index
        .range::<FsPath, _>((after(dir), Bound::Unbounded))
        .map(|(p, _)| p.clone())
        .take_while(|p| p.is_below(dir))
        .collect();
    for p in doomed {
        index.remove(&p);
    }
}

/// Applies the layers bottom to top, as a consumer of layer tars would.
fn build_index(layers: &[Rc<Layer>]) -> BTreeMap<FsPath, u32> {
    let mut index: BTreeMap<FsPath, u32> = BTreeMap::new();
    for (i, layer) in layers.iter().enumerate() {
        // Hiding first: a layer's own entries under its opaque directories stay.
        for (path, entry) in layer.diff.entries() {
            match entry {
                Entry::Whiteout => {
                    remove_below(&mut index, path);
                    index.remove(path);
                }
                Entry::Dir { opaque: true, .. } | Entry::File { .. } | Entry::Symlink { .. } => {
                    remove_below(&mut index, path)
                }
                Entry::Dir { opaque: false, .. } => {
                    // A directory over a lower non-directory replaces it; nothing lies below a file.
                }
            }
        }
        for (path, entry) in layer.diff.entries() {
            if !matches!(entry, Entry::Whiteout) {
                index.insert(path.clone(), i as u32);
            }
        }
    }
    index
}
