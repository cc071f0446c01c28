//! Paths inside a layer or a container's file system.
//!
//! An [`FsPath`] is absolute and already resolved (no `.`, `..` or empty
//! components). Paths order component by component (`/a` < `/a/b` < `/a.b`),
//! which is the order of a depth-first walk, so a directory's descendants follow
//! it contiguously. To make that order a plain byte comparison, components are
//! stored separated by NUL (which no name may contain), without a leading
//! separator; the root is `""`.

use crate::error::{Errno, FsError};
use std::fmt;

/// Linux's limit on one path component (`NAME_MAX`).
pub const NAME_MAX: usize = 255;
/// Linux's limit on a whole path (`PATH_MAX`, including the terminating NUL).
pub const PATH_MAX: usize = 4096;

/// The stored separator: sorts below every byte a name can contain.
const SEP: char = '\0';

#[derive(Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct FsPath(String);

impl FsPath {
    pub fn root() -> Self {
        FsPath(String::new())
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// Builds a path from a slash-separated string, lexically: `.` and empty
    /// components are dropped and `..` goes up (never above `/`). For paths that
    /// may cross symlinks, resolve through a file system view instead.
    pub fn lexical(path: &str) -> Result<Self, FsError> {
        check_length(path)?;
        if let Some(clean) = Self::already_clean(path) {
            return Ok(clean);
        }
        let mut parts: Vec<&str> = Vec::new();
        for c in path.split('/') {
            match c {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                name => {
                    check_name(name, path)?;
                    parts.push(name);
                }
            }
        }
        Ok(FsPath(parts.join("\0")))
    }

    /// The common case, in one pass over the bytes: an absolute path with no
    /// `.`, `..` or empty component, whose names are all valid.
    fn already_clean(path: &str) -> Option<Self> {
        let rest = path.strip_prefix('/')?;
        if rest.is_empty() {
            return Some(FsPath::root());
        }
        let plain = |name: &[u8]| !matches!(name, b"" | b"." | b"..") && name.len() <= NAME_MAX;
        let mut bytes = rest.as_bytes().to_vec();
        let mut start = 0;
        for (i, byte) in bytes.iter_mut().enumerate() {
            match *byte {
                0 => return None,
                b'/' => {
                    if !plain(&rest.as_bytes()[start..i]) {
                        return None;
                    }
                    *byte = SEP as u8;
                    start = i + 1;
                }
                _ => {}
            }
        }
        if !plain(&rest.as_bytes()[start..]) {
            return None;
        }
        // Only ASCII `/` became ASCII NUL: still UTF-8.
        String::from_utf8(bytes).ok().map(FsPath)
    }

    /// The child `name` of this directory path. `name` must be one valid component.
    pub fn join(&self, name: &str) -> FsPath {
        if self.0.is_empty() {
            FsPath(name.to_owned())
        } else {
            FsPath(format!("{}{SEP}{name}", self.0))
        }
    }

    /// The parent directory; the root's parent is the root.
    pub fn parent(&self) -> FsPath {
        match self.0.rfind(SEP) {
            Some(i) => FsPath(self.0[..i].to_owned()),
            None => FsPath::root(),
        }
    }

    /// The length of the path as text (`/a/b` is 4).
    pub fn text_len(&self) -> usize {
        self.0.len() + 1
    }

    /// The last component (`""` for the root).
    pub fn name(&self) -> &str {
        match self.0.rfind(SEP) {
            Some(i) => &self.0[i + 1..],
            None => &self.0,
        }
    }

    /// The path without its leading slash, as tar entries name it (`etc/hosts`).
    pub fn as_relative(&self) -> String {
        self.0.replace(SEP, "/")
    }

    pub fn components(&self) -> impl Iterator<Item = &str> {
        self.0.split(SEP).filter(|c| !c.is_empty())
    }

    /// Proper ancestors, outermost first, excluding the root: `/a/b/c` gives `/a`, `/a/b`.
    pub fn ancestors(&self) -> impl Iterator<Item = FsPath> + '_ {
        self.0
            .match_indices(SEP)
            .map(|(i, _)| FsPath(self.0[..i].to_owned()))
    }

    /// Whether `self` is `other` or lies below it.
    pub fn starts_with(&self, other: &FsPath) -> bool {
        other.0.is_empty()
            || self.0 == other.0
            || (self.0.starts_with(&other.0) && self.0.as_bytes().get(other.0.len()) == Some(&0))
    }

    /// Whether `self` lies strictly below `dir`.
    pub fn is_below(&self, dir: &FsPath) -> bool {
        self != dir && self.starts_with(dir)
    }

    /// How many components deep the path is (the root is 0).
    pub fn depth(&self) -> usize {
        self.components().count()
    }

    /// `self` with the prefix `from` replaced by `to` (for renames). `self` must start with `from`.
    pub fn rebase(&self, from: &FsPath, to: &FsPath) -> FsPath {
        let rest = self.0[from.0.len()..].trim_start_matches(SEP);
        if rest.is_empty() {
            to.clone()
        } else if to.is_root() {
            FsPath(rest.to_owned())
        } else {
            FsPath(format!("{}{SEP}{rest}", to.0))
        }
    }
}

pub(crate) fn check_name(name: &str, whole: &str) -> Result<(), FsError> {
    if name.len() > NAME_MAX {
        return Err(FsError::new(Errno::NameTooLong, whole));
    }
    if name.contains('\0') {
        return Err(FsError::new(Errno::InvalidArgument, whole));
    }
    Ok(())
}

pub(crate) fn check_length(path: &str) -> Result<(), FsError> {
    if path.len() >= PATH_MAX {
        return Err(FsError::new(Errno::NameTooLong, path));
    }
    Ok(())
}

impl fmt::Display for FsPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "/{}", self.0.replace(SEP, "/"))
    }
}

impl fmt::Debug for FsPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> FsPath {
        FsPath::lexical(s).expect("valid path")
    }

    #[test]
    fn lexical_paths_normalise_and_never_leave_the_root() {
        let cases = [
            ("/", "/"),
            ("", "/"),
            ("/etc//hosts", "/etc/hosts"),
            ("etc/./hosts/", "/etc/hosts"),
            ("/../../etc", "/etc"),
            ("/a/b/../c", "/a/c"),
            (
                "/usr/lib/x86_64-linux-gnu/libc.so.6",
                "/usr/lib/x86_64-linux-gnu/libc.so.6",
            ),
            ("/é/ü", "/é/ü"),
            ("/a/.", "/a"),
            ("/a/..", "/"),
            ("/.hidden/..x", "/.hidden/..x"),
        ];
        for (input, want) in cases {
            assert_eq!(p(input).to_string(), want, "{input}");
        }
    }

    #[test]
    fn overlong_names_and_paths_are_refused() {
        let long_name = "x".repeat(256);
        assert_eq!(
            FsPath::lexical(&format!("/{long_name}")).unwrap_err().errno,
            Errno::NameTooLong
        );
        assert!(FsPath::lexical(&"x".repeat(255)).is_ok());
        assert!(FsPath::lexical(&format!("/a/{long_name}/b")).is_err());
        assert_eq!(
            FsPath::lexical("/a/b\0c").unwrap_err().errno,
            Errno::InvalidArgument
        );
        let long_path = "/a".repeat(2048);
        assert_eq!(
            FsPath::lexical(&long_path).unwrap_err().errno,
            Errno::NameTooLong
        );
    }

    #[test]
    fn order_is_a_depth_first_walk() {
        let mut v = [
            p("/a.b"),
            p("/a/b"),
            p("/a"),
            p("/a/b/c"),
            p("/a/c"),
            p("/"),
        ];
        v.sort();
        let shown: Vec<String> = v.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["/", "/a", "/a/b", "/a/b/c", "/a/c", "/a.b"]);
    }

    #[test]
    fn parents_names_ancestors_and_rebase() {
        let x = p("/usr/lib/x.so");
        assert_eq!(x.parent(), p("/usr/lib"));
        assert_eq!(x.name(), "x.so");
        assert_eq!(
            x.ancestors().map(|a| a.to_string()).collect::<Vec<_>>(),
            ["/usr", "/usr/lib"]
        );
        assert!(x.starts_with(&p("/usr")) && !x.starts_with(&p("/us")));
        assert_eq!(x.rebase(&p("/usr"), &p("/opt")), p("/opt/lib/x.so"));
        assert_eq!(p("/").parent(), p("/"));
    }
}
