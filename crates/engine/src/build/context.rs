//! The build context: the files of a directory on the host, less what
//! `.dockerignore` excludes, and how COPY and ADD pick sources from it.

use crate::content::Content;
use crate::digest::{Digest, Hasher};
use crate::error::Errno;
use crate::merged::{Merged, Node};
use crate::shell::glob_match;
use std::fmt;

/// Why a context cannot be read or a source selected, as Docker words it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContextError {
    /// The context directory could not be looked up.
    NotFound {
        dir: String,
        errno: Errno,
    },
    NotADirectory(String),
    /// A `.dockerignore` line that is `!` alone.
    BareExclusion,
    /// A COPY source, cleaned, that is not in the context.
    NoSource(String),
}

impl fmt::Display for ContextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContextError::NotFound { dir, errno } => write!(
                f,
                "unable to prepare context: path \"{dir}\" not found ({})",
                errno.message()
            ),
            ContextError::NotADirectory(dir) => write!(
                f,
                "unable to prepare context: path \"{dir}\" is not a directory"
            ),
            ContextError::BareExclusion => f.write_str("illegal exclusion pattern: \"!\""),
            ContextError::NoSource(src) => write!(f, "\"/{src}\": not found"),
        }
    }
}

/// One file, directory or symlink of the context, by its path relative to the root.
#[derive(Clone, Debug)]
pub struct Entry {
    pub path: String,
    pub node: Node,
}

#[derive(Clone, Debug, Default)]
pub struct Context {
    pub entries: Vec<Entry>,
}

impl Context {
    /// Every object below `dir` in `fs`.
    pub fn from_dir(fs: &Merged, dir: &str) -> Result<Context, ContextError> {
        let root = fs.stat(dir).map_err(|e| ContextError::NotFound {
            dir: dir.to_owned(),
            errno: e.errno,
        })?;
        if !matches!(root.node, Node::Dir { .. }) {
            return Err(ContextError::NotADirectory(dir.to_owned()));
        }
        // One walk of the tree: a deep project costs its entries, not a
        // lookup of each from the root (the app reads the context often).
        let skip = if root.path.is_root() {
            1
        } else {
            root.path.to_string().len() + 1
        };
        let mut entries: Vec<Entry> = fs
            .walk_below(&root.path)
            .into_iter()
            .map(|s| Entry {
                path: s.path.to_string().get(skip..).unwrap_or("").to_owned(),
                node: s.node,
            })
            .collect();
        crate::sort::sort_by(&mut entries, |a, b| a.path.cmp(&b.path));
        Ok(Context { entries })
    }

    /// A file's content, if the context has it (the Dockerfile is read this way).
    pub fn file(&self, path: &str) -> Option<&Content> {
        let path = clean(path);
        self.entries
            .iter()
            .find(|e| e.path == path)
            .and_then(|e| match &e.node {
                Node::File { content, .. } => Some(content),
                _ => None,
            })
    }

    /// Removes what `.dockerignore` excludes (the Dockerfile and `.dockerignore` stay).
    pub fn apply_ignore(&mut self, ignore: &str, dockerfile: &str) -> Result<(), ContextError> {
        let rules = parse_ignore(ignore)?;
        if rules.is_empty() {
            return Ok(());
        }
        let keep = [clean(dockerfile), ".dockerignore".to_owned()];
        let mut out = excluded_each(&rules, &self.entries).into_iter();
        self.entries
            .retain(|e| out.next() == Some(false) || keep.contains(&e.path));
        Ok(())
    }

    /// Bytes the client sends (`transferring context: 1.23kB`).
    pub fn size(&self) -> u64 {
        self.entries.iter().map(|e| e.node.size()).sum()
    }

    /// Bytes of the context as a tar stream (what the legacy builder's client
    /// sends): a 512-byte header per entry, data padded to 512, two end blocks.
    pub fn tar_size(&self) -> u64 {
        let data: u64 = self
            .entries
            .iter()
            .map(|e| 512 + e.node.size().div_ceil(512) * 512)
            .sum();
        data + 1024
    }

    /// The entries a COPY source selects: a file, a directory (its contents),
    /// or a wildcard's matches. Paths are clamped to the context root.
    pub fn select(&self, source: &str) -> Result<Vec<&Entry>, ContextError> {
        let src = clean(source);
        if src.is_empty() {
            return Ok(self
                .entries
                .iter()
                .filter(|e| !e.path.contains('/'))
                .collect());
        }
        if src.contains(['*', '?', '[']) {
            let depth = src.matches('/').count();
            return Ok(self
                .entries
                .iter()
                .filter(|e| e.path.matches('/').count() == depth && path_match(&src, &e.path))
                .collect());
        }
        match self.entries.iter().find(|e| e.path == src) {
            None => Err(ContextError::NoSource(src)),
            Some(e) => Ok(vec![e]),
        }
    }

    /// Everything below `dir` (relative), depth-first.
    pub fn below<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries
            .iter()
            .filter(move |e| dir.is_empty() || e.path.starts_with(&format!("{dir}/")))
    }

    /// BuildKit's content checksum of what `sources` select: names, modes and
    /// bytes, never modification times (touching a file keeps the cache).
    pub fn checksum(&self, sources: &[String]) -> Result<Digest, ContextError> {
        let mut h = Hasher::new();
        for s in sources {
            for e in self.select(s)? {
                let items: Vec<&Entry> = if matches!(e.node, Node::Dir { .. }) {
                    std::iter::once(e).chain(self.below(&e.path)).collect()
                } else {
                    vec![e]
                };
                for item in items {
                    let meta = item.node.meta();
                    h.update(
                        format!(
                            "{}\0{:o}\0{}\0{}\0",
                            item.path,
                            meta.mode,
                            meta.uid,
                            item.node.size()
                        )
                        .as_bytes(),
                    );
                    match &item.node {
                        Node::File { content, .. } => content.for_each_chunk(|c| h.update(c)),
                        Node::Symlink { target, .. } => h.update(target.as_bytes()),
                        Node::Dir { .. } => {}
                    }
                }
            }
        }
        Ok(h.finish())
    }
}

/// A source path relative to the context root: no leading `/` or `./`, `..` clamped.
pub fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Component-wise glob match (`*` never crosses `/`).
fn path_match(pattern: &str, path: &str) -> bool {
    let p: Vec<&str> = pattern.split('/').collect();
    let t: Vec<&str> = path.split('/').collect();
    p.len() == t.len() && p.iter().zip(&t).all(|(p, t)| glob_match(p, t))
}

struct Rule {
    parts: Vec<String>,
    exclude: bool,
}

fn parse_ignore(text: &str) -> Result<Vec<Rule>, ContextError> {
    let mut rules = Vec::new();
    for line in text.trim_start_matches('\u{feff}').lines() {
        if line.starts_with('#') {
            continue;
        }
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (exclude, pat) = match line.strip_prefix('!') {
            Some(p) => (false, p.trim()),
            None => (true, line),
        };
        if pat.is_empty() {
            return Err(ContextError::BareExclusion);
        }
        let cleaned = clean(pat);
        if cleaned.is_empty() {
            continue;
        }
        rules.push(Rule {
            parts: cleaned.split('/').map(str::to_owned).collect(),
            exclude,
        });
    }
    Ok(rules)
}

/// The last matching rule wins; a rule matching a parent directory covers its
/// contents (each prefix tested: what [`excluded_each`] must agree with).
#[cfg(test)]
fn excluded(rules: &[Rule], path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let mut out = false;
    for r in rules {
        let hit = (1..=parts.len()).any(|n| match_parts(&r.parts, &parts[..n]));
        if hit {
            out = r.exclude;
        }
    }
    out
}

/// [`excluded`] for each entry, in the context's order (a directory before
/// its contents): an entry inherits the rules that hit its parent and tests
/// each rule once against itself, so a 2,000-deep context costs its entries,
/// not each prefix of each.
fn excluded_each(rules: &[Rule], entries: &[Entry]) -> Vec<bool> {
    // The directories above the entry, outermost first, with the rules that hit them.
    let mut above: Vec<(&str, Vec<bool>)> = Vec::new();
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let path = e.path.as_str();
        let inside = |dir: &str| {
            path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'
        };
        while above.last().is_some_and(|(dir, _)| !inside(dir)) {
            above.pop();
        }
        let parts: Vec<&str> = path.split('/').collect();
        let parent = path.rsplit_once('/').map(|(p, _)| p);
        let hit: Vec<bool> = match above.last() {
            Some((dir, hits)) if parent == Some(*dir) => rules
                .iter()
                .zip(hits)
                .map(|(r, above)| *above || match_parts(&r.parts, &parts))
                .collect(),
            // No parent met: every prefix is tested.
            _ => rules
                .iter()
                .map(|r| (1..=parts.len()).any(|n| match_parts(&r.parts, &parts[..n])))
                .collect(),
        };
        out.push(last_hit(rules, &hit));
        above.push((path, hit));
    }
    out
}

/// Whether the last rule that hits excludes.
fn last_hit(rules: &[Rule], hit: &[bool]) -> bool {
    rules
        .iter()
        .zip(hit)
        .rev()
        .find(|(_, h)| **h)
        .is_some_and(|(r, _)| r.exclude)
}

fn match_parts(pat: &[String], path: &[&str]) -> bool {
    match pat.first() {
        None => path.is_empty(),
        Some(p) if p == "**" => (0..=path.len()).any(|i| match_parts(&pat[1..], &path[i..])),
        Some(p) => !path.is_empty() && glob_match(p, path[0]) && match_parts(&pat[1..], &path[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerignore_rules_apply_in_order_and_cover_directories() {
        let rules =
            parse_ignore("# comment\n*.pyc\n**/secret\nbuild\n!build/keep.txt\n").expect("parses");
        let cases = [
            ("app.pyc", true),
            ("src/app.pyc", false),
            ("a/b/secret", true),
            ("secret", true),
            ("build/out.o", true),
            ("build/keep.txt", false),
            ("app.py", false),
        ];
        for (path, want) in cases {
            assert_eq!(excluded(&rules, path), want, "{path}");
        }
        // Entry by entry, parents first, the same answers.
        let mut paths: Vec<&str> = cases.iter().map(|(p, _)| *p).collect();
        paths.extend(["a", "a/b", "build", "src", "x/build/y", "x", "x/build"]);
        paths.sort_unstable();
        let entries: Vec<Entry> = paths
            .iter()
            .map(|p| Entry {
                path: (*p).to_owned(),
                node: Node::Dir {
                    meta: crate::diff::Meta::new(0o755, 0),
                },
            })
            .collect();
        let each: Vec<bool> = paths.iter().map(|p| excluded(&rules, p)).collect();
        assert_eq!(excluded_each(&rules, &entries), each);
        assert_eq!(
            parse_ignore("!\n").err().map(|e| e.to_string()).as_deref(),
            Some("illegal exclusion pattern: \"!\"")
        );
    }

    #[test]
    fn sources_are_clamped_to_the_context_root() {
        for (input, want) in [
            ("../x", "x"),
            ("/a/./b/", "a/b"),
            (".", ""),
            ("a/../../b", "b"),
        ] {
            assert_eq!(clean(input), want, "{input}");
        }
    }
}
