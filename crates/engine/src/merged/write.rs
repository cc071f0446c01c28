//! Copy-up and the operations that write: the first write, truncate or
//! metadata change copies the whole object up (after its missing parent
//! directories); files, directories (opaque where a whiteout stood), links,
//! and metadata.

use super::{Follow, Merged, Node, Stat, WriteMode, FILE_MODE};
use crate::content::Content;
use crate::diff::{Entry, Kind, Meta};
use crate::error::{Errno, FsError};
use crate::event::{Event, Source};
use crate::layer::LayerId;
use crate::path::FsPath;

impl Merged {
    /// Makes sure every ancestor directory of `p` exists in the upper layer
    /// (metadata only, copied from the layer that shows it). An upper entry's
    /// parents are always in the upper layer, so the search stops at the first one.
    pub(super) fn copy_up_parents(&mut self, p: &FsPath, events: &mut Vec<Event>) {
        let mut missing = Vec::new();
        let mut a = p.parent();
        while !a.is_root() && self.upper.get(&a).is_none() {
            let up = a.parent();
            missing.push(a);
            a = up;
        }
        for a in missing.into_iter().rev() {
            if let Some((Node::Dir { meta }, Source::Lower(id))) = self.lookup(&a) {
                self.upper.put(
                    a.clone(),
                    Entry::Dir {
                        meta,
                        opaque: false,
                    },
                );
                events.push(Event::CopyUp {
                    path: a,
                    from: id,
                    kind: Kind::Dir,
                    bytes: 0,
                });
            }
        }
    }

    /// Copies `p` (already resolved, visible) up into the upper layer, whole, if it is not there yet.
    pub(super) fn copy_up(&mut self, p: &FsPath, events: &mut Vec<Event>) {
        let Some((node, Source::Lower(id))) = self.lookup(p) else {
            return;
        };
        self.copy_up_found(p, node, id, events);
    }

    /// Copies up `node`, found at `p` in lower layer `id`.
    pub(super) fn copy_up_found(
        &mut self,
        p: &FsPath,
        node: Node,
        id: LayerId,
        events: &mut Vec<Event>,
    ) {
        self.copy_up_parents(p, events);
        let bytes = node.size();
        let kind = node.kind();
        match node {
            Node::Dir { meta } => self.upper.put(
                p.clone(),
                Entry::Dir {
                    meta,
                    opaque: false,
                },
            ),
            Node::File { meta, content } => {
                self.upper.put_file(p.clone(), meta, content);
            }
            Node::Symlink { meta, target } => {
                self.upper.put(p.clone(), Entry::Symlink { meta, target })
            }
        }
        events.push(Event::CopyUp {
            path: p.clone(),
            from: id,
            kind,
            bytes,
        });
    }

    pub(super) fn upper_ino(&self, p: &FsPath) -> Option<u64> {
        match self.upper.get(p) {
            Some(Entry::File { ino }) => Some(*ino),
            _ => None,
        }
    }

    /// Writes `data` to a file (`>` or `>>`), creating it if missing. A file from a
    /// read-only layer is first copied up whole, however small the write.
    pub fn write(
        &mut self,
        path: &str,
        data: &[u8],
        mode: WriteMode,
    ) -> Result<Vec<Event>, FsError> {
        self.write_content(path, Content::bytes(data), mode)
    }

    /// Like [`Merged::write`] with any content (for example a described 100 MB file).
    pub fn write_content(
        &mut self,
        path: &str,
        data: Content,
        mode: WriteMode,
    ) -> Result<Vec<Event>, FsError> {
        let (p, found) = self.resolve_found(path, Follow::Yes)?;
        self.write_found(p, found, path, data, mode)
    }

    /// Writes `data` at `p`, resolved from `path`, where `found` is.
    pub(super) fn write_found(
        &mut self,
        p: FsPath,
        found: Option<(Node, Source)>,
        path: &str,
        data: Content,
        mode: WriteMode,
    ) -> Result<Vec<Event>, FsError> {
        let mut events = Vec::new();
        match found {
            Some((Node::Dir { .. }, _)) => return Err(FsError::new(Errno::IsADirectory, path)),
            Some((Node::Symlink { .. }, _)) => return Err(FsError::new(Errno::NotFound, path)),
            Some((Node::File { .. }, _)) => {
                // A bind-mounted file is written where it is mounted from:
                // nothing is copied up into the container's layer.
                if self.mounts.contains(&p) {
                    self.copy_up(&p, &mut Vec::new());
                } else {
                    self.copy_up(&p, &mut events);
                }
                let now = self.now;
                let ino = self
                    .upper_ino(&p)
                    .ok_or_else(|| FsError::new(Errno::NotFound, path))?;
                let mut size = 0;
                self.upper.update_inode(ino, |inode| {
                    inode.content = match mode {
                        WriteMode::Truncate => data,
                        WriteMode::Append => inode.content.concat(&data),
                    };
                    inode.meta.mtime = now;
                    size = inode.content.len();
                });
                events.push(Event::Written {
                    path: p,
                    bytes: size,
                });
            }
            None => {
                self.copy_up_parents(&p, &mut events);
                let bytes = data.len();
                self.upper
                    .put_file(p.clone(), Meta::new(FILE_MODE, self.now), data);
                events.push(Event::Created {
                    path: p,
                    kind: Kind::File,
                    bytes,
                });
            }
        }
        Ok(events)
    }

    /// `truncate -s LEN`: sets a file's size, creating it if missing.
    pub fn truncate(&mut self, path: &str, len: u64) -> Result<Vec<Event>, FsError> {
        let p = self.resolve(path, Follow::Yes)?;
        match self.lookup(&p) {
            Some((Node::File { content, .. }, _)) => {
                let mut events = Vec::new();
                self.copy_up(&p, &mut events);
                let ino = self
                    .upper_ino(&p)
                    .ok_or_else(|| FsError::new(Errno::NotFound, path))?;
                let now = self.now;
                self.upper.update_inode(ino, |i| {
                    i.content = content.truncated(len);
                    i.meta.mtime = now;
                });
                events.push(Event::Written {
                    path: p,
                    bytes: len,
                });
                Ok(events)
            }
            Some((Node::Dir { .. }, _)) => Err(FsError::new(Errno::IsADirectory, path)),
            _ => self.write_content(path, Content::zeros(len), WriteMode::Truncate),
        }
    }

    /// Makes directory `p` (nothing visible there, parent a directory) in the upper
    /// layer; returns whether it is opaque (made where a whiteout stood).
    pub(super) fn make_dir(&mut self, p: &FsPath, mode: u32, events: &mut Vec<Event>) -> bool {
        self.copy_up_parents(p, events);
        let over_whiteout = matches!(self.upper.get(p), Some(Entry::Whiteout));
        self.upper.put(
            p.clone(),
            Entry::Dir {
                meta: Meta::new(mode, self.now),
                opaque: over_whiteout,
            },
        );
        events.push(Event::Created {
            path: p.clone(),
            kind: Kind::Dir,
            bytes: 0,
        });
        if over_whiteout {
            events.push(Event::OpaqueDir { path: p.clone() });
        }
        over_whiteout
    }

    /// `mkdir`: a directory where nothing is visible. Made where a whiteout stands,
    /// it is opaque, so the deleted directory's old contents stay hidden.
    pub fn mkdir(&mut self, path: &str, mode: u32) -> Result<Vec<Event>, FsError> {
        let p = self.vacant(path)?;
        if p.is_root() {
            return Err(FsError::new(Errno::AlreadyExists, path));
        }
        let mut events = Vec::new();
        self.make_dir(&p, mode, &mut events);
        Ok(events)
    }

    /// `mkdir -p`: every missing directory along `path`, in one walk.
    pub fn mkdir_all(&mut self, path: &str, mode: u32) -> Result<Vec<Event>, FsError> {
        let mut events = Vec::new();
        match self.walk_path(path, Follow::Yes, Some((mode, &mut events)))? {
            (_, Some((Node::Dir { .. }, _))) => Ok(events),
            _ => Err(FsError::new(Errno::NotADirectory, path)),
        }
    }

    /// `ln -s TARGET PATH`.
    pub fn symlink(&mut self, target: &str, path: &str) -> Result<Vec<Event>, FsError> {
        let p = self.vacant(path)?;
        let mut events = Vec::new();
        self.copy_up_parents(&p, &mut events);
        let bytes = target.len() as u64;
        self.upper.put(
            p.clone(),
            Entry::Symlink {
                meta: Meta::new(0o777, self.now),
                target: target.to_owned(),
            },
        );
        events.push(Event::Created {
            path: p,
            kind: Kind::Symlink,
            bytes,
        });
        Ok(events)
    }

    /// `ln TARGET PATH`: a second name for a file. A lower file is copied up first.
    pub fn link(&mut self, target: &str, path: &str) -> Result<Vec<Event>, FsError> {
        let (t, node, _) = self.existing(target, Follow::No)?;
        if matches!(node, Node::Dir { .. }) {
            return Err(FsError::new(Errno::NotPermitted, target));
        }
        let p = self.vacant(path)?;
        let mut events = Vec::new();
        self.copy_up(&t, &mut events);
        self.copy_up_parents(&p, &mut events);
        let entry = self
            .upper
            .get(&t)
            .cloned()
            .ok_or_else(|| FsError::new(Errno::NotFound, target))?;
        self.upper.put(p.clone(), entry);
        events.push(Event::HardLinked { path: p, target: t });
        Ok(events)
    }

    pub(super) fn change_meta(
        &mut self,
        path: &str,
        follow: Follow,
        change: impl Fn(&mut Meta),
    ) -> Result<Vec<Event>, FsError> {
        let (p, node, source) = self.existing(path, follow)?;
        self.change_meta_found(
            &Stat {
                path: p,
                node,
                source,
            },
            change,
        )
        .ok_or_else(|| FsError::new(Errno::NotFound, path))
    }

    /// `chmod`/`chown` of an object a walk found (`chmod -R`): its path is not
    /// resolved again, and its parents were copied up before it, so a deep
    /// tree costs its entries. `None` if `s` is not there.
    pub fn change_meta_found(
        &mut self,
        s: &Stat,
        change: impl Fn(&mut Meta),
    ) -> Option<Vec<Event>> {
        let p = s.path.clone();
        let mut events = Vec::new();
        if p.is_root() {
            change(&mut self.root_meta);
        } else {
            if let Source::Lower(id) = s.source {
                if self.upper.get(&p).is_none() {
                    self.copy_up_found(&p, s.node.clone(), id, &mut events);
                }
            }
            match self.upper.get(&p).cloned() {
                Some(Entry::File { ino }) => self.upper.update_inode(ino, |i| change(&mut i.meta)),
                Some(Entry::Dir { mut meta, opaque }) => {
                    change(&mut meta);
                    self.upper.put(p.clone(), Entry::Dir { meta, opaque });
                }
                Some(Entry::Symlink { mut meta, target }) => {
                    change(&mut meta);
                    self.upper.put(p.clone(), Entry::Symlink { meta, target });
                }
                _ => return None,
            }
        }
        events.push(Event::MetadataChanged { path: p });
        Some(events)
    }

    /// `chmod`: copies a lower file up whole (data too), then changes its mode.
    pub fn chmod(&mut self, path: &str, mode: u32) -> Result<Vec<Event>, FsError> {
        self.change_meta(path, Follow::Yes, |m| m.mode = mode & 0o7777)
    }

    /// `chown` (or `chown -h` with `follow = false`).
    pub fn chown(
        &mut self,
        path: &str,
        uid: u32,
        gid: u32,
        follow: bool,
    ) -> Result<Vec<Event>, FsError> {
        let f = if follow { Follow::Yes } else { Follow::No };
        self.change_meta(path, f, |m| {
            m.uid = uid;
            m.gid = gid;
        })
    }

    /// `touch`: creates an empty file, or sets the modification time (a copy-up).
    pub fn touch(&mut self, path: &str) -> Result<Vec<Event>, FsError> {
        let p = self.resolve(path, Follow::Yes)?;
        if self.lookup(&p).is_none() {
            return self.write(path, b"", WriteMode::Append);
        }
        let now = self.now;
        self.change_meta(path, Follow::Yes, |m| m.mtime = now)
    }
}
