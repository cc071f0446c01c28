//! Removing and renaming: deleting a lower entry leaves a whiteout (one for a
//! whole tree), an upper-only entry just goes; renaming a directory that
//! exists below fails with EXDEV, as overlayfs without `redirect_dir`; `mv`
//! falls back to copy and delete, and `cp -a` copies trees.

use super::{Follow, Merged, Node};
use crate::diff::{Entry, Kind};
use crate::error::{Errno, FsError};
use crate::event::Event;
use crate::path::FsPath;

impl Merged {
    /// Removes `p` and everything below it: a whiteout if the read-only layers have
    /// something there, otherwise a plain removal from the upper layer.
    pub(super) fn remove_path(&mut self, p: &FsPath, events: &mut Vec<Event>) {
        let hide = self.in_lower(p);
        if hide {
            self.copy_up_parents(p, events);
        }
        self.upper.remove_descendants(p);
        self.upper.remove(p);
        if hide {
            self.upper.put(p.clone(), Entry::Whiteout);
            events.push(Event::Whiteout { path: p.clone() });
        } else {
            events.push(Event::Removed { path: p.clone() });
        }
    }

    /// `rm FILE` (`unlink`).
    pub fn unlink(&mut self, path: &str) -> Result<Vec<Event>, FsError> {
        let (p, node, _) = self.existing(path, Follow::No)?;
        self.busy(&p, path)?;
        if matches!(node, Node::Dir { .. }) {
            return Err(FsError::new(Errno::IsADirectory, path));
        }
        let mut events = Vec::new();
        self.remove_path(&p, &mut events);
        Ok(events)
    }

    /// `rmdir`: only an empty directory.
    pub fn rmdir(&mut self, path: &str) -> Result<Vec<Event>, FsError> {
        let (p, node, _) = self.existing(path, Follow::No)?;
        if !matches!(node, Node::Dir { .. }) {
            return Err(FsError::new(Errno::NotADirectory, path));
        }
        if p.is_root() {
            return Err(FsError::new(Errno::Busy, path));
        }
        if !self.read_dir(p.to_string().as_str())?.is_empty() {
            return Err(FsError::new(Errno::DirectoryNotEmpty, path));
        }
        let mut events = Vec::new();
        self.remove_path(&p, &mut events);
        Ok(events)
    }

    /// `rm -r`: a file, or a directory with everything in it. A lower directory
    /// tree leaves one whiteout, not one per file.
    pub fn remove_tree(&mut self, path: &str) -> Result<Vec<Event>, FsError> {
        let (p, _, _) = self.existing(path, Follow::No)?;
        self.busy(&p, path)?;
        if p.is_root() {
            return Err(FsError::new(Errno::Busy, path));
        }
        let mut events = Vec::new();
        self.remove_path(&p, &mut events);
        Ok(events)
    }

    /// `rename(2)`. A directory that exists in a read-only layer cannot move
    /// (EXDEV); `mv` then copies and deletes instead, see [`Merged::move_path`].
    pub fn rename(&mut self, from: &str, to: &str) -> Result<Vec<Event>, FsError> {
        let (src, node, _) = self.existing(from, Follow::No)?;
        let dst = self.resolve(to, Follow::No)?;
        self.busy(&src, from)?;
        self.busy(&dst, to)?;
        if src == dst {
            return Ok(Vec::new());
        }
        if src.is_root() || dst.is_root() {
            return Err(FsError::new(
                Errno::Busy,
                if src.is_root() { from } else { to },
            ));
        }
        if dst.is_below(&src) {
            return Err(FsError::new(Errno::InvalidArgument, to));
        }
        let target = self.lookup(&dst).map(|(n, _)| n);
        let src_is_dir = matches!(node, Node::Dir { .. });
        match (&target, src_is_dir) {
            (Some(Node::Dir { .. }), false) => return Err(FsError::new(Errno::IsADirectory, to)),
            (Some(n), true) if !matches!(n, Node::Dir { .. }) => {
                return Err(FsError::new(Errno::NotADirectory, to))
            }
            (Some(Node::Dir { .. }), true) if !self.read_dir(&dst.to_string())?.is_empty() => {
                return Err(FsError::new(Errno::DirectoryNotEmpty, to))
            }
            _ => {}
        }
        let src_opaque = matches!(self.upper.get(&src), Some(Entry::Dir { opaque: true, .. }));
        if src_is_dir && self.in_lower(&src) && !src_opaque {
            return Err(FsError::new(Errno::CrossDevice, from));
        }

        let mut events = Vec::new();
        self.copy_up(&src, &mut events);
        self.copy_up_parents(&dst, &mut events);
        let dst_hides_lower = self.in_lower(&dst);
        // The kernel also makes a directory opaque when it moves into a
        // directory that merges lower layers (`ovl_rename`: a pure upper
        // directory gets the opaque mark there), so nothing from below can
        // ever show through it at its new place.
        let parent = dst.parent();
        let into_merged = if parent.is_root() {
            !self.lower.layers().is_empty()
        } else {
            self.in_lower(&parent) && self.lower_open_below(&parent)
        };
        let goes_opaque = src_is_dir && (dst_hides_lower || into_merged);
        // Clear the destination (an empty directory or a file is replaced).
        self.upper.remove_descendants(&dst);
        self.upper.remove(&dst);
        // Move the upper subtree: new names first, so inodes stay referenced.
        let moved: Vec<(FsPath, Entry)> = std::iter::once(&src)
            .filter_map(|p| self.upper.get(p).map(|e| (p.clone(), e.clone())))
            .chain(
                self.upper
                    .descendants(&src)
                    .map(|(p, e)| (p.clone(), e.clone())),
            )
            .collect();
        for (p, mut e) in moved {
            let q = p.rebase(&src, &dst);
            if q == dst && goes_opaque {
                if let Entry::Dir { opaque, .. } = &mut e {
                    *opaque = true;
                }
            }
            self.upper.put(q, e);
        }
        let src_hides_lower = self.in_lower(&src);
        self.upper.remove_descendants(&src);
        self.upper.remove(&src);
        events.push(Event::Renamed {
            from: src.clone(),
            to: dst.clone(),
        });
        if goes_opaque {
            events.push(Event::OpaqueDir { path: dst });
        }
        if src_hides_lower {
            self.upper.put(src.clone(), Entry::Whiteout);
            events.push(Event::Whiteout { path: src });
        }
        Ok(events)
    }

    /// What `mv` does: `rename`, and on EXDEV a full copy followed by a delete,
    /// which leaves a whiteout for the source and a complete copy at the target.
    pub fn move_path(&mut self, from: &str, to: &str) -> Result<Vec<Event>, FsError> {
        match self.rename(from, to) {
            Err(e) if e.errno == Errno::CrossDevice => {
                // rename(2) already refused every conflict but an empty directory at `to`.
                let mut events = match self.lstat(to) {
                    Ok(_) => self.remove_tree(to)?,
                    Err(_) => Vec::new(),
                };
                events.extend(self.copy_tree(from, to)?);
                events.extend(self.remove_tree(from)?);
                Ok(events)
            }
            other => other,
        }
    }

    /// `cp -a FROM TO`: copies a tree (FROM must exist, TO must not).
    pub fn copy_tree(&mut self, from: &str, to: &str) -> Result<Vec<Event>, FsError> {
        let (src, node, _) = self.existing(from, Follow::No)?;
        let dst = self.vacant(to)?;
        if dst.is_below(&src) {
            return Err(FsError::new(Errno::InvalidArgument, to));
        }
        let mut items = vec![(src.clone(), node)];
        if matches!(items[0].1, Node::Dir { .. }) {
            items.extend(self.walk_below(&src).into_iter().map(|s| (s.path, s.node)));
        }
        let mut events = Vec::new();
        self.copy_up_parents(&dst, &mut events);
        for (p, node) in items {
            let q = p.rebase(&src, &dst);
            let over_whiteout = matches!(self.upper.get(&q), Some(Entry::Whiteout));
            let kind = node.kind();
            let bytes = node.size();
            match node {
                Node::Dir { meta } => self.upper.put(
                    q.clone(),
                    Entry::Dir {
                        meta,
                        opaque: over_whiteout,
                    },
                ),
                Node::File { meta, content } => {
                    self.upper.put_file(q.clone(), meta, content);
                }
                Node::Symlink { meta, target } => {
                    self.upper.put(q.clone(), Entry::Symlink { meta, target })
                }
            }
            events.push(Event::Created {
                path: q.clone(),
                kind,
                bytes,
            });
            if over_whiteout && kind == Kind::Dir {
                events.push(Event::OpaqueDir { path: q });
            }
        }
        Ok(events)
    }
}
