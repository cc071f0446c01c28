//! `docker diff`: a container's changes against its image plus init layer.
//!
//! As Docker compares the two trees: a path only in the container is `A` (and
//! so is everything under an added directory), a path only in the image is `D`
//! (a deleted directory alone, not its contents), a path in both whose mode,
//! owner, or — for non-directories — size or modification time differs is `C`,
//! and every ancestor of a change is `C` too. Sorted by path.

use crate::diff::Entry;
use crate::map::{Map, Set};
use crate::merged::{Merged, Node, Resolver, Stat};
use crate::path::FsPath;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Added,
    Changed,
    Deleted,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    pub path: FsPath,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let k = match self.kind {
            ChangeKind::Added => 'A',
            ChangeKind::Changed => 'C',
            ChangeKind::Deleted => 'D',
        };
        write!(f, "{k} {}", self.path)
    }
}

fn differs(old: &Stat, new: &Stat) -> bool {
    let (a, b) = (old.node.meta(), new.node.meta());
    if old.node.kind() != new.node.kind() || a.mode != b.mode || a.uid != b.uid || a.gid != b.gid {
        return true;
    }
    match (&old.node, &new.node) {
        (Node::Dir { .. }, Node::Dir { .. }) => false,
        (Node::Symlink { target: x, .. }, Node::Symlink { target: y, .. }) => {
            x != y || a.mtime != b.mtime
        }
        _ => old.node.size() != new.node.size() || a.mtime != b.mtime,
    }
}

/// The changes in `container` relative to the stack below its writable layer.
pub fn changes(container: &Merged) -> Vec<Change> {
    let image = Merged::new(container.lower().clone());
    // Candidates come in path order, so each is looked up from its parent's
    // resolution: a deep tree costs its entries.
    let (mut in_image, mut in_container) = (Resolver::new(), Resolver::new());
    let stat = |view: &Merged, res: &mut Resolver, p: &FsPath| view.lstat_path_with(res, p);

    let mut candidates: Set<FsPath> = Set::new();
    for (p, e) in container.upper().entries() {
        // What is written to a bind-mounted file is not the container's change.
        if container.mounts().contains(p) {
            continue;
        }
        candidates.insert(p.clone());
        if matches!(e, Entry::Dir { opaque: true, .. }) {
            candidates.extend(
                image
                    .walk()
                    .into_iter()
                    .map(|s| s.path)
                    .filter(|q| q.is_below(p)),
            );
        }
    }

    let mut found: Map<FsPath, ChangeKind> = Map::new();
    // The last deletion: what lies below it follows it in path order.
    let mut deleted: Option<FsPath> = None;
    for p in candidates {
        if deleted.as_ref().is_some_and(|q| p.is_below(q)) {
            continue;
        }
        let kind = match (
            stat(&image, &mut in_image, &p),
            stat(container, &mut in_container, &p),
        ) {
            (None, Some(_)) => ChangeKind::Added,
            (Some(_), None) => ChangeKind::Deleted,
            (Some(old), Some(new)) if differs(&old, &new) => ChangeKind::Changed,
            _ => continue,
        };
        if kind == ChangeKind::Deleted {
            deleted = Some(p.clone());
        }
        found.insert(p, kind);
    }
    // Every ancestor of a change is changed: climb from each until one is known.
    let mut ancestors: Set<FsPath> = Set::new();
    for p in found.keys() {
        let mut a = p.parent();
        while !a.is_root() && !found.contains_key(&a) && !ancestors.contains(&a) {
            let up = a.parent();
            ancestors.insert(a);
            a = up;
        }
    }
    for a in ancestors {
        found.entry(a).or_insert(ChangeKind::Changed);
    }
    found
        .into_iter()
        .map(|(path, kind)| Change { kind, path })
        .collect()
}
