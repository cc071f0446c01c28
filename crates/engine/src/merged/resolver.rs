//! Many paths of one tree, each resolved from its parent's resolution: what
//! `tar -x`, a build's COPY and `docker diff` use, so that a 2,000-deep tree
//! costs its entries, not a walk from the root for each one (which the path
//! lengths make cubic).
//!
//! A [`Resolver`] remembers, for each directory it met (by its lexical path),
//! where it resolved to and whether lower layers show inside it. A path whose
//! parent is remembered costs one lookup. Anything unusual — a symlink met on
//! the way or in the last component, a `..`, a name or path too long, a
//! missing parent — goes the ordinary way (a walk from the root), so results
//! and errors are exactly those of `lstat`, `mkdir -p`, `>`, `chmod` and `chown`.

use super::{Merged, Node, Stat, WriteMode};
use crate::content::Content;
use crate::error::{Errno, FsError};
use crate::event::Event;
use crate::map::Map;
use crate::path::{FsPath, PATH_MAX};

/// Directories already met in one view: lexical path → (resolved path,
/// whether lower layers show inside), or the errno of any path below one that
/// is missing or not a directory. Forget it ([`Resolver::clear`]) after
/// anything that could change how a directory resolves (a symlink made or
/// removed, an entry unlinked).
/// Where a directory resolved and whether lower layers show inside it, or
/// the errno of any path through it.
type Found = Result<(FsPath, bool), Errno>;

#[derive(Debug, Default)]
pub struct Resolver {
    dirs: Map<FsPath, Found>,
    /// The last path read as a lexical path (one object is often asked for
    /// several times running: made, then its mode, then its owner).
    last: Option<(String, Option<FsPath>)>,
    /// The directory asked for last (a walk asks for the same parent
    /// again and again): found without a search among long keys.
    recent: Option<(FsPath, Found)>,
}

/// What a resolver knows of a place.
enum Known {
    /// Resolved, and whether lower layers show inside.
    At(FsPath, bool),
    /// Every path through it fails with this errno.
    Fails(Errno),
    /// Only the walk from the root can tell (a symlink on the way).
    Ask,
}

impl Resolver {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn clear(&mut self) {
        self.dirs.clear();
        self.recent = None;
    }

    /// [`Resolver::plain`], remembering the last answer.
    fn lexical(&mut self, path: &str) -> Option<FsPath> {
        match &self.last {
            Some((s, p)) if s == path => p.clone(),
            _ => {
                let p = Self::plain(path);
                self.last = Some((path.to_owned(), p.clone()));
                p
            }
        }
    }

    /// The lexical path of `path` when the quick way applies to it.
    fn plain(path: &str) -> Option<FsPath> {
        let dot_dot = || path.contains("/..") && path.split('/').any(|c| c == "..");
        if path.len() >= PATH_MAX || !path.starts_with('/') || dot_dot() {
            return None;
        }
        FsPath::lexical(path).ok().filter(|p| !p.is_root())
    }

    /// The directory at lexical `dir` of `fs`: resolved, and whether lower
    /// layers show inside it.
    fn dir(&mut self, fs: &Merged, dir: &FsPath) -> Known {
        let known = |found: &Found| match found {
            Ok((p, open)) => Known::At(p.clone(), *open),
            Err(e) => Known::Fails(*e),
        };
        if dir.is_root() {
            return Known::At(FsPath::root(), true);
        }
        if let Some((_, found)) = self.recent.as_ref().filter(|(d, _)| d == dir) {
            return known(found);
        }
        if let Some(found) = self.dirs.get(dir) {
            self.recent = Some((dir.clone(), found.clone()));
            return known(found);
        }
        // Up to the nearest directory met, then down one lookup a level.
        let mut chain = vec![dir.clone()];
        loop {
            let up = chain.last().map(FsPath::parent).unwrap_or_default();
            if up.is_root() || self.dirs.contains_key(&up) {
                break;
            }
            chain.push(up);
        }
        let up = chain.last().map(FsPath::parent).unwrap_or_default();
        let mut at = match self.dirs.get(&up) {
            Some(found) => known(found),
            None => Known::At(FsPath::root(), true),
        };
        while let Some(lexical) = chain.pop() {
            let found = match at {
                Known::Ask => return Known::Ask,
                Known::Fails(e) => Err(e),
                Known::At(parent, open) => {
                    let next = parent.join(lexical.name());
                    match fs.child(open, &next) {
                        None => Err(Errno::NotFound),
                        Some((Node::Dir { .. }, _, inner_open)) => Ok((next, inner_open)),
                        Some((Node::Symlink { .. }, _, _)) => return Known::Ask,
                        Some(_) => Err(Errno::NotADirectory),
                    }
                }
            };
            at = known(&found);
            if chain.is_empty() {
                self.recent = Some((lexical.clone(), found.clone()));
            }
            self.dirs.insert(lexical, found);
        }
        at
    }

    fn remember(&mut self, lexical: FsPath, found: Found) {
        if self.recent.as_ref().is_some_and(|(d, _)| *d == lexical) {
            self.recent = None;
        }
        self.dirs.insert(lexical, found);
    }

    /// Forgets `lexical` and what lies below it (met only through it).
    fn forget(&mut self, lexical: &FsPath) {
        if self
            .recent
            .as_ref()
            .is_some_and(|(d, _)| d.starts_with(lexical))
        {
            self.recent = None;
        }
        if self.dirs.contains_key(lexical) {
            self.dirs.retain(|k, _| !k.starts_with(lexical));
        }
    }

    /// Where lexical `p` resolves if its parent is a directory.
    fn place(&mut self, fs: &Merged, p: &FsPath) -> Known {
        match self.dir(fs, &p.parent()) {
            Known::At(parent, open) => Known::At(parent.join(p.name()), open),
            other => other,
        }
    }

    /// Where the quick way puts `path`: its resolved place if its parent is a
    /// directory; `None` where the walk from the root must answer.
    fn quick(&mut self, fs: &Merged, path: &str) -> Option<Result<(FsPath, bool), FsError>> {
        let p = self.lexical(path)?;
        match self.place(fs, &p) {
            Known::At(p, open) => Some(Ok((p, open))),
            Known::Fails(e) => Some(Err(FsError::new(e, path))),
            Known::Ask => None,
        }
    }
}

impl Merged {
    /// `lstat(path)`, with `res` remembering the directories on the way.
    pub fn lstat_with(&self, res: &mut Resolver, path: &str) -> Result<Stat, FsError> {
        let Some(quick) = res.quick(self, path) else {
            return self.lstat(path);
        };
        let (p, open) = quick?;
        match self.child(open, &p) {
            Some((node, source, _)) => Ok(Stat {
                path: p,
                node,
                source,
            }),
            None => Err(FsError::new(Errno::NotFound, path)),
        }
    }

    /// `lstat` of the lexical path `p` (as a walk of the tree lists it), with
    /// `res` remembering the directories on the way; `None` if nothing is there.
    pub fn lstat_path_with(&self, res: &mut Resolver, p: &FsPath) -> Option<Stat> {
        if p.is_root() || p.text_len() >= PATH_MAX {
            return self.lstat(&p.to_string()).ok();
        }
        match res.place(self, p) {
            Known::At(p, open) => self.child(open, &p).map(|(node, source, _)| Stat {
                path: p,
                node,
                source,
            }),
            Known::Fails(_) => None,
            Known::Ask => self.lstat(&p.to_string()).ok(),
        }
    }

    /// The object `stat(path)` would find when `path` names no symlink, with
    /// `res` remembering the directories on the way; `None` where `stat` must
    /// follow a link (or fail).
    fn stat_plain(&self, res: &mut Resolver, path: &str) -> Option<Stat> {
        let (p, open) = res.quick(self, path)?.ok()?;
        match self.child(open, &p)? {
            (Node::Symlink { .. }, _, _) => None,
            (node, source, _) => Some(Stat {
                path: p,
                node,
                source,
            }),
        }
    }

    /// `mkdir -p path`, with `res` remembering the directories on the way.
    pub fn mkdir_all_with(
        &mut self,
        res: &mut Resolver,
        path: &str,
        mode: u32,
    ) -> Result<Vec<Event>, FsError> {
        let quick = match res.quick(self, path) {
            Some(Ok(found)) => res.lexical(path).map(|lexical| (lexical, found)),
            _ => None,
        };
        let mut events = Vec::new();
        if let Some((lexical, (p, open))) = quick {
            match self.child(open, &p) {
                None => {
                    let opaque = self.make_dir(&p, mode, &mut events);
                    res.remember(lexical, Ok((p, open && !opaque)));
                    return Ok(events);
                }
                Some((Node::Dir { .. }, _, inner_open)) => {
                    res.remember(lexical, Ok((p, inner_open)));
                    return Ok(events);
                }
                Some(_) => {}
            }
        }
        // Directories may appear where the resolver knew of none.
        res.clear();
        self.mkdir_all(path, mode)
    }

    /// `> path` (or `>>`) with `data`, with `res` remembering the directories on the way.
    pub fn write_content_with(
        &mut self,
        res: &mut Resolver,
        path: &str,
        data: Content,
        mode: WriteMode,
    ) -> Result<Vec<Event>, FsError> {
        let Some(Ok((p, open))) = res.quick(self, path) else {
            return self.write_content(path, data, mode);
        };
        match self.child(open, &p) {
            Some((Node::Symlink { .. }, _, _)) => self.write_content(path, data, mode),
            None => {
                // What was missing is a file now.
                if let Some(lexical) = res.lexical(path) {
                    res.forget(&lexical);
                }
                self.write_found(p, None, path, data, mode)
            }
            found => self.write_found(p, found.map(|(n, s, _)| (n, s)), path, data, mode),
        }
    }

    /// `chmod` with `res` remembering the directories on the way.
    pub fn chmod_with(
        &mut self,
        res: &mut Resolver,
        path: &str,
        mode: u32,
    ) -> Result<Vec<Event>, FsError> {
        match self.stat_plain(res, path) {
            Some(s) => self
                .change_meta_found(&s, |m| m.mode = mode & 0o7777)
                .ok_or_else(|| FsError::new(Errno::NotFound, path)),
            None => self.chmod(path, mode),
        }
    }

    /// `chown` (`chown -h` with `follow = false`) with `res` remembering the
    /// directories on the way.
    pub fn chown_with(
        &mut self,
        res: &mut Resolver,
        path: &str,
        (uid, gid): (u32, u32),
        follow: bool,
    ) -> Result<Vec<Event>, FsError> {
        let found = if follow {
            self.stat_plain(res, path)
        } else {
            self.lstat_with(res, path).ok()
        };
        match found {
            Some(s) => self
                .change_meta_found(&s, |m| {
                    m.uid = uid;
                    m.gid = gid;
                })
                .ok_or_else(|| FsError::new(Errno::NotFound, path)),
            None => self.chown(path, uid, gid, follow),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Diff;
    use crate::layer::{Layer, LayerId};
    use crate::lower::Lower;
    use std::rc::Rc;

    /// Every quick answer equals the ordinary one, through symlinks, `..`,
    /// missing parents, files in the way and dangling links.
    #[test]
    fn a_resolver_answers_as_a_walk_from_the_root_does() {
        // A lower layer, and an upper one with a whiteout and an opaque directory.
        let mut below = Merged::with_upper(Rc::new(Lower::new(Vec::new())), Diff::new());
        below.mkdir_all("/a/b/c", 0o755).unwrap();
        below.mkdir_all("/o/p/q", 0o755).unwrap();
        below.mkdir_all("/w/v", 0o755).unwrap();
        below.write("/a/b/f", b"x", WriteMode::Truncate).unwrap();
        let layer = Layer::new(LayerId(1), below.into_upper());
        let mut fs = Merged::new(Rc::new(Lower::new(vec![Rc::new(layer)])));
        fs.symlink("/a/b", "/l").unwrap();
        fs.symlink("c", "/a/b/lc").unwrap();
        fs.symlink("/nowhere", "/dangling").unwrap();
        fs.remove_tree("/o/p").unwrap();
        fs.mkdir("/o/p", 0o755).unwrap();
        fs.remove_tree("/w").unwrap();
        let paths = [
            "/",
            "/a",
            "/a/b",
            "/a/b/c",
            "/a/b/f",
            "/a/b/f/x",
            "/l",
            "/l/c",
            "/l/f",
            "/a/b/lc",
            "/a/b/lc/z",
            "/l/lc",
            "/a/../a/b",
            "/missing",
            "/missing/x",
            "/dangling",
            "/dangling/x",
            "/a//b/./c",
            "/l/c/new",
            "/a/b/c/new",
            "/o/p",
            "/o/p/q",
            "/o/p/q/r",
            "/w",
            "/w/v",
            "/w/v/u",
        ];
        // A resolver that has already met every path (and one that has met none).
        let warm = |fs: &Merged, on: bool| {
            let mut res = Resolver::new();
            for p in paths.iter().filter(|_| on) {
                assert_eq!(fs.lstat_with(&mut res, p), fs.lstat(p), "lstat {p}");
            }
            res
        };
        for (p, on) in paths.iter().flat_map(|p| [(p, true), (p, false)]) {
            let (mut a, mut b) = (fs.clone(), fs.clone());
            assert_eq!(
                a.mkdir_all_with(&mut warm(&fs, on), p, 0o700),
                b.mkdir_all(p, 0o700),
                "mkdir -p {p}"
            );
            assert_eq!(a.upper(), b.upper(), "mkdir -p {p}");
            let (mut a, mut b) = (fs.clone(), fs.clone());
            assert_eq!(
                a.write_content_with(
                    &mut warm(&fs, on),
                    p,
                    Content::bytes("y"),
                    WriteMode::Append
                ),
                b.write_content(p, Content::bytes("y"), WriteMode::Append),
                "> {p}"
            );
            assert_eq!(a.upper(), b.upper(), "> {p}");
            let (mut a, mut b) = (fs.clone(), fs.clone());
            assert_eq!(
                a.chmod_with(&mut warm(&fs, on), p, 0o700),
                b.chmod(p, 0o700),
                "chmod {p}"
            );
            assert_eq!(a.upper(), b.upper(), "chmod {p}");
            for follow in [true, false] {
                let (mut a, mut b) = (fs.clone(), fs.clone());
                assert_eq!(
                    a.chown_with(&mut warm(&fs, on), p, (7, 8), follow),
                    b.chown(p, 7, 8, follow),
                    "chown {p}"
                );
                assert_eq!(a.upper(), b.upper(), "chown {p}");
            }
        }

        // One resolver through a run of changes: every answer stays the walk's.
        for order in [paths.to_vec(), paths.iter().rev().copied().collect()] {
            let (mut a, mut b) = (fs.clone(), fs.clone());
            let mut res = Resolver::new();
            for p in &order {
                let file = format!("{p}/f2");
                for q in [*p, file.as_str()] {
                    assert_eq!(a.lstat_with(&mut res, q), b.lstat(q), "lstat {q}");
                    assert_eq!(
                        a.write_content_with(&mut res, q, Content::bytes("z"), WriteMode::Append),
                        b.write_content(q, Content::bytes("z"), WriteMode::Append),
                        "> {q}"
                    );
                    assert_eq!(a.mkdir_all_with(&mut res, q, 0o700), b.mkdir_all(q, 0o700));
                    assert_eq!(
                        a.chmod_with(&mut res, q, 0o711),
                        b.chmod(q, 0o711),
                        "chmod {q}"
                    );
                    assert_eq!(a.upper(), b.upper(), "{q}");
                }
            }
        }
    }
}
