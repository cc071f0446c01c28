//! A container's file system: the read-only lower stack, merged with one
//! writable upper layer, with the kernel overlayfs's copy-on-write rules as
//! Docker mounts it (no `redirect_dir`, no `metacopy`, `index=off`):
//!
//! - lookups go top-down; a whiteout hides what is below; an opaque directory
//!   hides every lower child;
//! - the first write, truncate or metadata change copies the whole object up,
//!   after creating its missing parent directories in the upper layer;
//! - deleting a lower entry leaves a whiteout (one for a whole tree);
//!   deleting an upper-only entry just removes it;
//! - a directory made where a whiteout stood is opaque;
//! - renaming a directory that exists below fails with EXDEV;
//! - a hard link to a lower file copies it up first (copy-up breaks links).
//!
//! Every operation returns the [`Event`]s it caused, or an errno-named error.

use crate::content::Content;
use crate::diff::{Diff, Entry, Inode, Kind, Meta};
use crate::error::{Errno, FsError};
use crate::event::{Event, Source};
use crate::layer::LayerId;
use crate::lower::Lower;
use crate::path::{check_length, check_name, FsPath};
use std::rc::Rc;

/// Linux's limit on symbolic links followed while resolving one path.
pub const MAX_SYMLINKS: usize = 40;

/// Mode bits of what `touch`, `>` and `mkdir` create (umask 022 applied).
pub const FILE_MODE: u32 = 0o644;
pub const DIR_MODE: u32 = 0o755;

/// A snapshot of one visible object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Dir { meta: Meta },
    File { meta: Meta, content: Content },
    Symlink { meta: Meta, target: String },
}

impl Node {
    pub fn kind(&self) -> Kind {
        match self {
            Node::Dir { .. } => Kind::Dir,
            Node::File { .. } => Kind::File,
            Node::Symlink { .. } => Kind::Symlink,
        }
    }

    pub fn meta(&self) -> Meta {
        match self {
            Node::Dir { meta } | Node::File { meta, .. } | Node::Symlink { meta, .. } => *meta,
        }
    }

    /// `st_size`: a file's bytes, a symlink's target length, 0 for directories here.
    pub fn size(&self) -> u64 {
        match self {
            Node::Dir { .. } => 0,
            Node::File { content, .. } => content.len(),
            Node::Symlink { target, .. } => target.len() as u64,
        }
    }
}

/// What `stat` reports, plus which layer the object comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stat {
    pub path: FsPath,
    pub node: Node,
    pub source: Source,
}

fn node_of(entry: &Entry, diff: &Diff) -> Option<Node> {
    Some(match entry {
        Entry::Dir { meta, .. } => Node::Dir { meta: *meta },
        Entry::File { ino } => {
            let Inode { meta, content } = diff.inode(*ino)?.clone();
            Node::File { meta, content }
        }
        Entry::Symlink { meta, target } => Node::Symlink {
            meta: *meta,
            target: target.clone(),
        },
        Entry::Whiteout => return None,
    })
}

/// Whether the path after resolution must follow a symlink in its last component.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Follow {
    Yes,
    No,
}

/// How a write changes a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteMode {
    /// `>`: replace the content.
    Truncate,
    /// `>>`: add at the end.
    Append,
}

#[derive(Clone, Debug)]
pub struct Merged {
    lower: Rc<Lower>,
    upper: Diff,
    /// The logical time stamped on what this view creates or changes.
    now: u64,
    root_meta: Meta,
    watch: Option<Watch>,
    /// Files bind-mounted over the view (a container's `/etc/hosts`,
    /// `/etc/hostname`, `/etc/resolv.conf`): what is written to them lives
    /// outside the writable layer, and they cannot be removed or renamed.
    mounts: Vec<FsPath>,
}

/// A directory whose use someone wants to hear of: any look at it, at something
/// in it, or at a directory on its way (`Session` rebuilds `/var/lib/docker`
/// only for a shell line that goes there). Clones of the view share `seen`.
#[derive(Clone, Debug)]
struct Watch {
    dir: FsPath,
    seen: Rc<std::cell::Cell<bool>>,
}

impl Merged {
    pub fn new(lower: Rc<Lower>) -> Self {
        Merged {
            lower,
            upper: Diff::new(),
            now: 0,
            root_meta: Meta::new(DIR_MODE, 0),
            watch: None,
            mounts: Vec::new(),
        }
    }

    /// Bind-mounts a file over `path` (see [`Merged::mounts`]).
    pub fn bind(&mut self, path: &str) {
        if let Ok(p) = FsPath::lexical(path.trim_start_matches('/')) {
            self.mounts.push(p);
        }
    }

    /// The bind-mounted paths.
    pub fn mounts(&self) -> &[FsPath] {
        &self.mounts
    }

    /// The writable layer as Docker sees it: without what was written to
    /// bind-mounted files, which lives outside it.
    pub fn upper_unmounted(&self) -> Diff {
        let mut upper = self.upper.clone();
        for m in &self.mounts {
            upper.remove(m);
        }
        upper
    }

    fn busy(&self, p: &FsPath, path: &str) -> Result<(), FsError> {
        if self.mounts.contains(p) {
            return Err(FsError::new(Errno::Busy, path));
        }
        Ok(())
    }

    /// A view with an existing upper layer (for example one being built by a RUN step).
    pub fn with_upper(lower: Rc<Lower>, upper: Diff) -> Self {
        Merged {
            upper,
            ..Merged::new(lower)
        }
    }

    /// From now on, notes every use of `dir`, of what is in it, and of the
    /// directories on its way: every path looked up ([`Merged::child`]), every
    /// directory listed (listing `/` shows whether `/var` is there), every walk.
    pub fn watch(&mut self, dir: FsPath) {
        self.watch = Some(Watch {
            dir,
            seen: Rc::default(),
        });
    }

    /// Stops watching, and says whether the watched directory was used.
    pub fn unwatch(&mut self) -> bool {
        self.watch.take().is_some_and(|w| w.seen.get())
    }

    fn note(&self, p: &FsPath) {
        if let Some(w) = &self.watch {
            if p.starts_with(&w.dir) || w.dir.starts_with(p) {
                w.seen.set(true);
            }
        }
    }

    pub fn set_time(&mut self, now: u64) {
        self.now = now;
    }

    pub fn lower(&self) -> &Rc<Lower> {
        &self.lower
    }

    /// The writable layer's diff.
    pub fn upper(&self) -> &Diff {
        &self.upper
    }

    pub fn into_upper(self) -> Diff {
        self.upper
    }

    // ----- lookup and resolution -------------------------------------------------

    /// Whether an upper ancestor of `p` hides the lower layers at `p`.
    fn lower_hidden_at(&self, p: &FsPath) -> bool {
        p.ancestors().any(|a| match self.upper.get(&a) {
            Some(Entry::Dir { opaque, .. }) => *opaque,
            Some(_) => true,
            None => false,
        })
    }

    /// Whether lower layers can show children of the visible directory `dir`.
    fn lower_open_below(&self, dir: &FsPath) -> bool {
        dir.is_root()
            || match self.upper.get(dir) {
                Some(Entry::Dir { opaque, .. }) => !opaque && !self.lower_hidden_at(dir),
                Some(_) => false,
                None => !self.lower_hidden_at(dir),
            }
    }

    /// Whether the read-only layers provide something at `p` that the upper layer would
    /// have to hide with a whiteout.
    fn in_lower(&self, p: &FsPath) -> bool {
        !p.is_root() && !self.lower_hidden_at(p) && self.lower.get(p).is_some()
    }

    /// The visible object `p` inside a directory whose lower layers are visible
    /// (`dir_open`), where it comes from, and whether lower layers are visible inside it.
    fn child(&self, dir_open: bool, p: &FsPath) -> Option<(Node, Source, bool)> {
        self.note(p);
        match self.upper.get(p) {
            Some(Entry::Whiteout) => None,
            Some(e) => {
                let open = matches!(e, Entry::Dir { opaque: false, .. }) && dir_open;
                node_of(e, &self.upper).map(|n| (n, Source::Upper, open))
            }
            None if dir_open => {
                let (id, e, diff) = self.lower.get(p)?;
                node_of(e, diff).map(|n| (n, Source::Lower(id), true))
            }
            None => None,
        }
    }

    /// The visible object at exactly `p` (no symlinks followed), and where it comes from.
    fn lookup(&self, p: &FsPath) -> Option<(Node, Source)> {
        if p.is_root() {
            return Some((
                Node::Dir {
                    meta: self.root_meta,
                },
                Source::Upper,
            ));
        }
        self.child(!self.lower_hidden_at(p), p)
            .map(|(n, s, _)| (n, s))
    }

    /// Resolves `path` (absolute; `.` and `..` allowed) to the object it names,
    /// following symlinks in every component and, with `Follow::Yes`, in the last.
    /// The last component may be missing (its parent then exists and is a directory).
    /// With `create`, missing directories along the way are made (`mkdir -p`).
    /// Each component costs one lookup, whatever the depth.
    fn walk_path(
        &mut self,
        path: &str,
        follow: Follow,
        mut create: Option<(u32, &mut Vec<Event>)>,
    ) -> Result<(FsPath, Option<(Node, Source)>), FsError> {
        check_length(path)?;
        let err = |errno| FsError::new(errno, path);
        let mut pending: Vec<String> = path
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .rev()
            .map(str::to_owned)
            .collect();
        // The directories walked so far, root first, with their lower visibility.
        let mut dirs: Vec<(FsPath, bool)> = vec![(FsPath::root(), true)];
        let mut hops = 0;
        while let Some(c) = pending.pop() {
            if c == ".." {
                if dirs.len() > 1 {
                    dirs.pop();
                }
                continue;
            }
            check_name(&c, path)?;
            let (cur, open) = dirs.last().cloned().unwrap_or((FsPath::root(), true));
            let next = cur.join(&c);
            let last = pending.is_empty();
            match self.child(open, &next) {
                None if last && create.is_none() => return Ok((next, None)),
                None => match create.as_mut() {
                    Some((mode, events)) => {
                        let opaque = self.make_dir(&next, *mode, events);
                        dirs.push((next, open && !opaque));
                    }
                    None => return Err(err(Errno::NotFound)),
                },
                Some((Node::Symlink { target, .. }, _, _)) if !last || follow == Follow::Yes => {
                    hops += 1;
                    if hops > MAX_SYMLINKS {
                        return Err(err(Errno::TooManySymlinks));
                    }
                    if target.starts_with('/') {
                        dirs.truncate(1);
                    }
                    pending.extend(
                        target
                            .split('/')
                            .filter(|c| !c.is_empty() && *c != ".")
                            .rev()
                            .map(str::to_owned),
                    );
                }
                Some((node @ Node::Dir { .. }, source, inner_open)) => {
                    if last && create.is_none() {
                        return Ok((next, Some((node, source))));
                    }
                    dirs.push((next, inner_open));
                }
                Some((node, source, _)) if last && create.is_none() => {
                    return Ok((next, Some((node, source))))
                }
                Some(_) if last => return Err(err(Errno::AlreadyExists)),
                Some(_) => return Err(err(Errno::NotADirectory)),
            }
        }
        let (cur, _) = dirs.pop().unwrap_or((FsPath::root(), true));
        let found = self.lookup(&cur);
        Ok((cur, found))
    }

    fn resolve(&self, path: &str, follow: Follow) -> Result<FsPath, FsError> {
        self.resolve_found(path, follow).map(|(p, _)| p)
    }

    fn resolve_found(
        &self,
        path: &str,
        follow: Follow,
    ) -> Result<(FsPath, Option<(Node, Source)>), FsError> {
        // Without `create`, walking changes nothing; a clone of the view is O(1).
        let mut view = self.clone();
        view.walk_path(path, follow, None)
    }

    fn existing(&self, path: &str, follow: Follow) -> Result<(FsPath, Node, Source), FsError> {
        let p = self.resolve(path, follow)?;
        let (node, source) = self
            .lookup(&p)
            .ok_or_else(|| FsError::new(Errno::NotFound, path))?;
        Ok((p, node, source))
    }

    /// Resolves where a new entry would go; fails if something is already there.
    fn vacant(&self, path: &str) -> Result<FsPath, FsError> {
        match self.resolve_found(path, Follow::No)? {
            (_, Some(_)) => Err(FsError::new(Errno::AlreadyExists, path)),
            (p, None) => Ok(p),
        }
    }

    // ----- reading -----------------------------------------------------------------

    /// `stat`: follows symlinks.
    pub fn stat(&self, path: &str) -> Result<Stat, FsError> {
        let (path, node, source) = self.existing(path, Follow::Yes)?;
        Ok(Stat { path, node, source })
    }

    /// `lstat`: does not follow a symlink in the last component.
    pub fn lstat(&self, path: &str) -> Result<Stat, FsError> {
        let (path, node, source) = self.existing(path, Follow::No)?;
        Ok(Stat { path, node, source })
    }

    /// Reads a file. Copies nothing: the event names the layer that served it.
    pub fn read(&self, path: &str) -> Result<(Content, Vec<Event>), FsError> {
        let (p, node, source) = self.existing(path, Follow::Yes)?;
        match node {
            Node::File { content, .. } => {
                let bytes = content.len();
                Ok((
                    content,
                    vec![Event::Read {
                        path: p,
                        from: source,
                        bytes,
                    }],
                ))
            }
            Node::Dir { .. } => Err(FsError::new(Errno::IsADirectory, path)),
            Node::Symlink { .. } => Err(FsError::new(Errno::NotFound, path)),
        }
    }

    /// The entries of a directory, merged across layers, sorted by name.
    pub fn read_dir(&self, path: &str) -> Result<Vec<Stat>, FsError> {
        let (dir, node, _) = self.existing(path, Follow::Yes)?;
        if !matches!(node, Node::Dir { .. }) {
            return Err(FsError::new(Errno::NotADirectory, path));
        }
        // A listing shows names, even of what it then does not look up.
        self.note(&dir);
        let mut names: Vec<FsPath> = self.upper.children(&dir).map(|(p, _)| p.clone()).collect();
        if self.lower_open_below(&dir) {
            names.extend(self.lower.children(&dir).cloned());
        }
        crate::sort::sort(&mut names);
        names.dedup();
        Ok(names
            .into_iter()
            .filter_map(|p| {
                self.lookup(&p).map(|(node, source)| Stat {
                    path: p,
                    node,
                    source,
                })
            })
            .collect())
    }

    /// Every visible object below the root, depth-first (the merged tree), in one
    /// pass over the upper layer and the lower index together.
    pub fn walk(&self) -> Vec<Stat> {
        self.walk_below(&FsPath::root())
    }

    /// Every visible object below directory `dir` (resolved, as a [`Stat`]
    /// gives it), depth-first, in one pass: `dir` is looked up once, never
    /// each entry from the root, so a 2,000-deep tree costs its entries.
    pub fn walk_below(&self, dir: &FsPath) -> Vec<Stat> {
        self.note(dir);
        let mut paths: Vec<&FsPath> = self.upper.descendants(dir).map(|(p, _)| p).collect();
        let open = self.lower_open_below(dir);
        if open {
            paths.extend(self.lower.descendants(dir));
        }
        crate::sort::sort(&mut paths);
        paths.dedup();
        let mut out = Vec::new();
        // Below this upper path, lower entries are hidden.
        let mut hidden: Option<&FsPath> = (!open).then_some(dir);
        for p in paths {
            if hidden.is_some_and(|h| !p.is_below(h)) {
                hidden = None;
            }
            match self.upper.get(p) {
                Some(Entry::Whiteout) => {
                    hidden.get_or_insert(p);
                }
                Some(e) => {
                    if !matches!(e, Entry::Dir { opaque: false, .. }) {
                        hidden.get_or_insert(p);
                    }
                    if let Some(node) = node_of(e, &self.upper) {
                        out.push(Stat {
                            path: p.clone(),
                            node,
                            source: Source::Upper,
                        });
                    }
                }
                None if hidden.is_none() => {
                    if let Some((id, e, diff)) = self.lower.get(p) {
                        if let Some(node) = node_of(e, diff) {
                            out.push(Stat {
                                path: p.clone(),
                                node,
                                source: Source::Lower(id),
                            });
                        }
                    }
                }
                None => {}
            }
        }
        out
    }

    // ----- copy-up -------------------------------------------------------------------

    /// Makes sure every ancestor directory of `p` exists in the upper layer
    /// (metadata only, copied from the layer that shows it). An upper entry's
    /// parents are always in the upper layer, so the search stops at the first one.
    fn copy_up_parents(&mut self, p: &FsPath, events: &mut Vec<Event>) {
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
    fn copy_up(&mut self, p: &FsPath, events: &mut Vec<Event>) {
        let Some((node, Source::Lower(id))) = self.lookup(p) else {
            return;
        };
        self.copy_up_found(p, node, id, events);
    }

    /// Copies up `node`, found at `p` in lower layer `id`.
    fn copy_up_found(&mut self, p: &FsPath, node: Node, id: LayerId, events: &mut Vec<Event>) {
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

    fn upper_ino(&self, p: &FsPath) -> Option<u64> {
        match self.upper.get(p) {
            Some(Entry::File { ino }) => Some(*ino),
            _ => None,
        }
    }

    // ----- creating and writing ------------------------------------------------------

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
        let p = self.resolve(path, Follow::Yes)?;
        let mut events = Vec::new();
        match self.lookup(&p) {
            Some((Node::Dir { .. }, _)) => return Err(FsError::new(Errno::IsADirectory, path)),
            Some((Node::Symlink { .. }, _)) => return Err(FsError::new(Errno::NotFound, path)),
            Some((Node::File { .. }, _)) => {
                self.copy_up(&p, &mut events);
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
    fn make_dir(&mut self, p: &FsPath, mode: u32, events: &mut Vec<Event>) -> bool {
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

    // ----- metadata ----------------------------------------------------------------------

    fn change_meta(
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

    // ----- removing -----------------------------------------------------------------------

    /// Removes `p` and everything below it: a whiteout if the read-only layers have
    /// something there, otherwise a plain removal from the upper layer.
    fn remove_path(&mut self, p: &FsPath, events: &mut Vec<Event>) {
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

    /// The writable layer's size as `docker ps -s` counts it (bind-mounted
    /// files are not in it).
    pub fn size_rw(&self) -> u64 {
        if self.mounts.is_empty() {
            self.upper.size()
        } else {
            self.upper_unmounted().size()
        }
    }
}
