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
//! Every operation returns the [`Event`](crate::event::Event)s it caused, or an errno-named error.
//!
//! `lookup` reads the merged view, `write` copies up and writes,
//! `remove_rename` removes (whiteouts) and renames (EXDEV); this file holds
//! `Merged` itself, its bind mounts and the watch `daemon` relies on.

mod lookup;
mod remove_rename;
mod resolver;
mod write;

pub use resolver::Resolver;

use crate::content::Content;
use crate::diff::{Diff, Entry, Inode, Kind, Meta};
use crate::error::{Errno, FsError};
use crate::event::Source;
use crate::lower::Lower;
use crate::path::FsPath;
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

    // ----- reading -----------------------------------------------------------------

    // ----- copy-up -------------------------------------------------------------------

    // ----- creating and writing ------------------------------------------------------

    // ----- metadata ----------------------------------------------------------------------

    // ----- removing -----------------------------------------------------------------------

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
