//! A diff: what one layer changes relative to the layers below it.
//!
//! Entries are directories, regular files (through an inode table, so hard
//! links share one inode), symlinks, whiteouts (`.wh.<name>` in a layer tar:
//! "this path is deleted below") and opaque directories (`.wh..wh..opq`: "hide
//! every lower child of this directory"). A diff shares its maps through `Rc`:
//! cloning one is O(1), and changing a clone copies the maps once.

use crate::content::Content;
use crate::path::FsPath;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Permission bits, owner and modification time (logical seconds since the Unix epoch).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Meta {
    /// The low 12 bits of `st_mode` (permissions, setuid, setgid, sticky).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub mtime: u64,
}

impl Meta {
    pub fn new(mode: u32, mtime: u64) -> Self {
        Meta {
            mode: mode & 0o7777,
            uid: 0,
            gid: 0,
            mtime,
        }
    }
}

/// An inode number, unique within one diff.
pub type Ino = u64;

/// A regular file's inode: metadata and content, shared by all its hard links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inode {
    pub meta: Meta,
    pub content: Content,
}

/// One path's entry in a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    Dir {
        meta: Meta,
        opaque: bool,
    },
    File {
        ino: Ino,
    },
    Symlink {
        meta: Meta,
        target: String,
    },
    /// This path is deleted: whatever lower layers have here is hidden.
    Whiteout,
}

impl Entry {
    pub fn is_dir(&self) -> bool {
        matches!(self, Entry::Dir { .. })
    }
}

/// The kind of a file-system object, as `ls -l` and `docker diff` see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    File,
    Dir,
    Symlink,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::File => "file",
            Kind::Dir => "dir",
            Kind::Symlink => "symlink",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    entries: Rc<BTreeMap<FsPath, Entry>>,
    inodes: Rc<BTreeMap<Ino, Inode>>,
    next_ino: Ino,
}

impl Diff {
    pub fn new() -> Self {
        Diff::default()
    }

    pub fn get(&self, path: &FsPath) -> Option<&Entry> {
        self.entries.get(path)
    }

    pub fn inode(&self, ino: Ino) -> Option<&Inode> {
        self.inodes.get(&ino)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry, in depth-first path order.
    pub fn entries(&self) -> impl Iterator<Item = (&FsPath, &Entry)> {
        self.entries.iter()
    }

    /// `dir`'s descendants in this diff, in depth-first order (the root's are every entry).
    pub fn descendants<'a>(
        &'a self,
        dir: &'a FsPath,
    ) -> impl Iterator<Item = (&'a FsPath, &'a Entry)> + 'a {
        use std::ops::Bound;
        let start = if dir.is_root() {
            Bound::Unbounded
        } else {
            Bound::Excluded(dir.clone())
        };
        self.entries
            .range((start, Bound::Unbounded))
            .take_while(move |(p, _)| p.is_below(dir))
    }

    /// `dir`'s direct children in this diff.
    pub fn children<'a>(
        &'a self,
        dir: &'a FsPath,
    ) -> impl Iterator<Item = (&'a FsPath, &'a Entry)> + 'a {
        let depth = dir.depth() + 1;
        self.descendants(dir)
            .filter(move |(p, _)| p.depth() == depth)
    }

    /// Sets `path` to `entry`, dropping any inode no longer referenced.
    pub fn put(&mut self, path: FsPath, entry: Entry) {
        let old = Rc::make_mut(&mut self.entries).insert(path, entry);
        self.release(old);
    }

    /// Removes `path` (not its descendants), returning what was there.
    pub fn remove(&mut self, path: &FsPath) -> Option<Entry> {
        let old = Rc::make_mut(&mut self.entries).remove(path);
        self.release(old.clone());
        old
    }

    /// Removes every entry strictly below `dir`.
    pub fn remove_descendants(&mut self, dir: &FsPath) {
        let doomed: Vec<FsPath> = self.descendants(dir).map(|(p, _)| p.clone()).collect();
        for p in doomed {
            self.remove(&p);
        }
    }

    /// Adds a new inode and returns its number.
    pub fn add_inode(&mut self, inode: Inode) -> Ino {
        self.next_ino += 1;
        let ino = self.next_ino;
        Rc::make_mut(&mut self.inodes).insert(ino, inode);
        ino
    }

    /// Changes an inode in place (every hard link sees the change).
    pub fn update_inode(&mut self, ino: Ino, change: impl FnOnce(&mut Inode)) {
        if let Some(inode) = Rc::make_mut(&mut self.inodes).get_mut(&ino) {
            change(inode);
        }
    }

    /// Adds a regular file with a fresh inode.
    pub fn put_file(&mut self, path: FsPath, meta: Meta, content: Content) -> Ino {
        let ino = self.add_inode(Inode { meta, content });
        self.put(path, Entry::File { ino });
        ino
    }

    fn release(&mut self, old: Option<Entry>) {
        if let Some(Entry::File { ino }) = old {
            let still_linked = self
                .entries
                .values()
                .any(|e| matches!(e, Entry::File { ino: i } if *i == ino));
            if !still_linked {
                Rc::make_mut(&mut self.inodes).remove(&ino);
            }
        }
    }

    /// How many paths name inode `ino` here.
    pub fn link_count(&self, ino: Ino) -> usize {
        self.entries
            .values()
            .filter(|e| matches!(e, Entry::File { ino: i } if *i == ino))
            .count()
    }

    /// Bytes as Docker counts a layer directory (`directory.Size`): the size of
    /// every regular file, each inode once, plus each symlink's target length.
    /// Saturates at `u64::MAX` rather than wrap (sizes are shown, never trusted).
    pub fn size(&self) -> u64 {
        let files = self
            .inodes
            .values()
            .fold(0u64, |n, i| n.saturating_add(i.content.len()));
        let links = self.entries.values().fold(0u64, |n, e| match e {
            Entry::Symlink { target, .. } => n.saturating_add(target.len() as u64),
            _ => n,
        });
        files.saturating_add(links)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_past_2_to_the_64_saturate_rather_than_wrap() {
        let mut d = Diff::new();
        for (i, size) in [u64::MAX / 2, u64::MAX / 2, 3].iter().enumerate() {
            let p = FsPath::lexical(&format!("/f{i}")).expect("path");
            d.put_file(p, Meta::new(0o644, 0), Content::described(*size, 1));
        }
        assert_eq!(d.size(), u64::MAX);
        assert_eq!(
            crate::size::human_size_with_precision(d.size() as f64, 3),
            "18.4EB"
        );
    }
}
