//! Reading the merged view: a path resolved component by component, top-down
//! through the upper layer and the lower stack (whiteouts and opaque
//! directories hide what is below; at most [`MAX_SYMLINKS`] links
//! followed), `stat`, `read`, listings and walks in one pass.

use super::{node_of, Follow, Merged, Node, Stat, MAX_SYMLINKS};
use crate::content::Content;
use crate::diff::Entry;
use crate::error::{Errno, FsError};
use crate::event::{Event, Source};
use crate::path::{check_length, check_name, FsPath};

impl Merged {
    /// Whether an upper ancestor of `p` hides the lower layers at `p`.
    pub(super) fn lower_hidden_at(&self, p: &FsPath) -> bool {
        p.ancestors().any(|a| match self.upper.get(&a) {
            Some(Entry::Dir { opaque, .. }) => *opaque,
            Some(_) => true,
            None => false,
        })
    }

    /// Whether lower layers can show children of the visible directory `dir`.
    pub(super) fn lower_open_below(&self, dir: &FsPath) -> bool {
        dir.is_root()
            || match self.upper.get(dir) {
                Some(Entry::Dir { opaque, .. }) => !opaque && !self.lower_hidden_at(dir),
                Some(_) => false,
                None => !self.lower_hidden_at(dir),
            }
    }

    /// Whether the read-only layers provide something at `p` that the upper layer would
    /// have to hide with a whiteout.
    pub(super) fn in_lower(&self, p: &FsPath) -> bool {
        !p.is_root() && !self.lower_hidden_at(p) && self.lower.get(p).is_some()
    }

    /// The visible object `p` inside a directory whose lower layers are visible
    /// (`dir_open`), where it comes from, and whether lower layers are visible inside it.
    pub(super) fn child(&self, dir_open: bool, p: &FsPath) -> Option<(Node, Source, bool)> {
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
    pub(super) fn lookup(&self, p: &FsPath) -> Option<(Node, Source)> {
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
    pub(super) fn walk_path(
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
        // The last directory, looked up in its parent (never again from the root).
        let (cur, _) = dirs.pop().unwrap_or((FsPath::root(), true));
        let found = match dirs.last() {
            Some((_, open)) if !cur.is_root() => self.child(*open, &cur).map(|(n, s, _)| (n, s)),
            _ => self.lookup(&cur),
        };
        Ok((cur, found))
    }

    pub(super) fn resolve(&self, path: &str, follow: Follow) -> Result<FsPath, FsError> {
        self.resolve_found(path, follow).map(|(p, _)| p)
    }

    pub(super) fn resolve_found(
        &self,
        path: &str,
        follow: Follow,
    ) -> Result<(FsPath, Option<(Node, Source)>), FsError> {
        // Without `create`, walking changes nothing; a clone of the view is O(1).
        let mut view = self.clone();
        view.walk_path(path, follow, None)
    }

    pub(super) fn existing(
        &self,
        path: &str,
        follow: Follow,
    ) -> Result<(FsPath, Node, Source), FsError> {
        let (p, found) = self.resolve_found(path, follow)?;
        let (node, source) = found.ok_or_else(|| FsError::new(Errno::NotFound, path))?;
        Ok((p, node, source))
    }

    /// Resolves where a new entry would go; fails if something is already there.
    pub(super) fn vacant(&self, path: &str) -> Result<FsPath, FsError> {
        match self.resolve_found(path, Follow::No)? {
            (_, Some(_)) => Err(FsError::new(Errno::AlreadyExists, path)),
            (p, None) => Ok(p),
        }
    }

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
}
