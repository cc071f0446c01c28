//! What one image layer changes in the layers below it, entry by entry, as a
//! learner should see it: added, changed (the whole object is in this layer
//! again, however little of it changed), whiteout, opaque directory.
//!
//! A layer's diff does not say which of its entries are new: that depends on
//! the layers below it, so an entry is judged against the merged index of the
//! stack under it. A path whose topmost entry below is a whiteout is not
//! there, so it is added again. (`writable` judges a container's writable
//! layer the same way, against its image.)

use crate::diff::{Entry, Kind};
use crate::layer::Layer;
use crate::lower::Lower;
use crate::path::FsPath;
use std::rc::Rc;

/// How a layer's entry changes what the layers below it show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Added,
    Changed,
    /// A character device 0/0 that hides what lower layers have here.
    Whiteout,
    /// A directory whose lower children are hidden.
    Opaque,
}

/// One entry of a layer's diff, classified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerChange {
    pub path: FsPath,
    pub change: Change,
    /// What it is; `None` for a whiteout.
    pub kind: Option<Kind>,
    /// A file's or a symlink's size; `None` for directories and whiteouts.
    pub bytes: Option<u64>,
}

/// A layer with the stack below it, ready to classify its entries.
pub struct LayerDiff {
    layer: Rc<Layer>,
    below: Lower,
}

impl LayerDiff {
    /// The layer at `k` of an image's `layers` (bottom first), judged against
    /// the layers under it; `None` past the top.
    pub fn of(layers: &[Rc<Layer>], k: usize) -> Option<LayerDiff> {
        Some(LayerDiff {
            layer: layers.get(k)?.clone(),
            below: Lower::new(layers[..k].to_vec()),
        })
    }

    /// How many entries the layer's diff has.
    pub fn len(&self) -> usize {
        self.layer.diff.len()
    }

    pub fn is_empty(&self) -> bool {
        self.layer.diff.is_empty()
    }

    /// Its entries in path order, classified; lazily, since a base layer has
    /// thousands and a view may show only the first few.
    pub fn changes(&self) -> impl Iterator<Item = LayerChange> + '_ {
        let diff = &self.layer.diff;
        diff.entries().map(move |(path, entry)| {
            let there = self
                .below
                .get(path)
                .is_some_and(|(_, e, _)| !matches!(e, Entry::Whiteout));
            let new = if there {
                Change::Changed
            } else {
                Change::Added
            };
            let (change, kind, bytes) = match entry {
                Entry::Whiteout => (Change::Whiteout, None, None),
                Entry::Dir { opaque: true, .. } => (Change::Opaque, Some(Kind::Dir), None),
                Entry::Dir { .. } => (new, Some(Kind::Dir), None),
                Entry::File { ino } => (
                    new,
                    Some(Kind::File),
                    diff.inode(*ino).map(|i| i.content.len()),
                ),
                Entry::Symlink { target, .. } => {
                    (new, Some(Kind::Symlink), Some(target.len() as u64))
                }
            };
            LayerChange {
                path: path.clone(),
                change,
                kind,
                bytes,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::parse_layers;
    use crate::layer::LayerId;

    /// The top layer of `fixture`'s stack, classified, one entry a line.
    fn check(fixture: &str, want: &[&str]) {
        let layers: Vec<Rc<Layer>> = parse_layers(fixture, 0)
            .expect("fixture")
            .into_iter()
            .enumerate()
            .map(|(i, d)| Rc::new(Layer::new(LayerId(i as u64 + 1), d)))
            .collect();
        let top = LayerDiff::of(&layers, layers.len() - 1).expect("top");
        let got: Vec<String> = top
            .changes()
            .map(|c| format!("{:?} {} {:?} {:?}", c.change, c.path, c.kind, c.bytes))
            .collect();
        assert_eq!(got, want, "{fixture}");
        assert_eq!(top.len(), want.len());
    }

    #[test]
    fn a_layer_is_judged_against_the_layers_below_it() {
        let base = "
d /etc 755
f /etc/passwd 644 root
F /bin/ls 755 1000
l /bin/sh busybox
d /var/cache 755
f /var/cache/a 644 a
---
";
        check(
            &format!("{base}d /etc 755\nf /etc/passwd 644 root:x\nf /etc/motd 644 hi"),
            &[
                "Changed /etc Some(Dir) None",
                "Added /etc/motd Some(File) Some(2)",
                "Changed /etc/passwd Some(File) Some(6)",
            ],
        );
        check(
            &format!("{base}w /bin/ls\nl /bin/sh dash\no /var/cache 755"),
            &[
                "Changed /bin Some(Dir) None",
                "Whiteout /bin/ls None None",
                "Changed /bin/sh Some(Symlink) Some(4)",
                "Changed /var Some(Dir) None",
                "Opaque /var/cache Some(Dir) None",
            ],
        );
        // What a whiteout below removed is added again.
        check(
            &format!("{base}w /etc/passwd\n---\nf /etc/passwd 644 new"),
            &[
                "Changed /etc Some(Dir) None",
                "Added /etc/passwd Some(File) Some(3)",
            ],
        );
        // The bottom layer adds everything.
        check("f /a 644 a", &["Added /a Some(File) Some(1)"]);
    }
}
