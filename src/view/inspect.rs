//! What the inspector shows, from the engine's state: a layer's own diff
//! (added, changed, whiteout, opaque) with its digests, and a container's
//! merged file tree, each entry with the layer it comes from. The file actions
//! are command lines, typed into the terminal like every other action.

use crate::view::activity::layer_name;
use layerlab_engine::command::Session;
use layerlab_engine::diff::{Entry, Kind};
use layerlab_engine::event::Source;
use layerlab_engine::layer::LayerId;
pub use layerlab_engine::layer_diff::Change;
use layerlab_engine::layer_diff::LayerDiff;
use layerlab_engine::merged::Node;
use layerlab_engine::size::human_size_with_precision;
use layerlab_engine::storage::cache_id;

/// Entries listed at most (a base image's layer has thousands).
pub const MOST: usize = 200;
/// Files up to this size with text content can be edited in place.
pub const EDITABLE: u64 = 16 * 1024;

/// What the inspector looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selected {
    Layer(LayerId),
    /// A container (full ID) and the directory shown.
    Container {
        id: String,
        dir: String,
    },
}

/// A change's class on the page: hidden entries (whiteouts, opaque directories) stand out.
pub fn change_class(change: Change) -> &'static str {
    match change {
        Change::Added | Change::Changed => "change",
        Change::Whiteout | Change::Opaque => "change hides",
    }
}

pub fn change_icon(change: Change) -> &'static str {
    match change {
        Change::Added => "+",
        Change::Changed => "✎",
        Change::Whiteout => "⊘",
        Change::Opaque => "▦",
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerEntry {
    pub path: String,
    pub change: Change,
    /// What it is; `None` for a whiteout.
    pub kind: Option<Kind>,
    pub size: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerView {
    /// The instruction that made it, and its size.
    pub name: String,
    pub diff_id: String,
    pub chain_id: String,
    /// The storage driver's directory name for it.
    pub cache_id: String,
    /// The images that use it.
    pub images: Vec<String>,
    pub entries: Vec<LayerEntry>,
    /// Entries left out after [`MOST`].
    pub more: usize,
}

fn size(bytes: u64) -> String {
    human_size_with_precision(bytes as f64, 3)
}

fn image_name(session: &Session, id: &layerlab_engine::digest::Digest) -> String {
    session
        .host
        .tags_of(id)
        .first()
        .map(|r| r.to_string())
        .unwrap_or_else(|| id.short().to_owned())
}

/// A layer's own diff, judged against the layers below it in an image that uses it.
pub fn layer_view(session: &Session, id: LayerId) -> Option<LayerView> {
    let mut found = None;
    let mut images = Vec::new();
    for image in session.host.images() {
        if let Some(k) = image.layers.iter().position(|l| l.id == id) {
            images.push(image_name(session, &image.id));
            found.get_or_insert((image.clone(), k));
        }
    }
    let (image, k) = found?;
    let layer = image.layers.get(k)?;
    let chain = image.chain_ids().get(k)?.clone();
    let diff = LayerDiff::of(&image.layers, k)?;
    let entries: Vec<LayerEntry> = diff
        .changes()
        .take(MOST)
        .map(|c| LayerEntry {
            path: c.path.to_string(),
            change: c.change,
            kind: c.kind,
            size: c.bytes.map(size).unwrap_or_default(),
        })
        .collect();
    let count = diff.len();
    Some(LayerView {
        name: layer_name(session, id),
        diff_id: layer.diff_id().to_string(),
        chain_id: chain.to_string(),
        cache_id: cache_id(&chain),
        images,
        more: count - entries.len(),
        entries,
    })
}

/// One entry of a container's directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRow {
    pub name: String,
    pub path: String,
    pub kind: Kind,
    pub size: String,
    /// The layer it comes from, as the learner knows it.
    pub from: String,
    /// In the container's writable layer.
    pub upper: bool,
    /// A small text file's content, which can be edited in place.
    pub text: Option<String>,
    /// Deleted: a whiteout in the writable layer hides what a read-only layer has here.
    pub deleted: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirView {
    pub container: String,
    pub running: bool,
    pub dir: String,
    pub parent: Option<String>,
    pub rows: Vec<FileRow>,
}

/// A directory of a container's merged tree.
pub fn container_dir(session: &Session, id: &str, dir: &str) -> Result<DirView, String> {
    let c = session.host.container(id).map_err(|e| e.to_string())?;
    let stats = c.fs.read_dir(dir).map_err(|e| e.to_string())?;
    let rows = stats
        .into_iter()
        .map(|st| {
            let path = st.path.to_string();
            let name = path.rsplit('/').next().unwrap_or_default().to_owned();
            let text = match &st.node {
                Node::File { content, .. }
                    if content.len() <= EDITABLE && !content.is_described() =>
                {
                    String::from_utf8(content.to_vec()).ok()
                }
                _ => None,
            };
            let (from, upper) = match st.source {
                Source::Upper => ("writable layer".to_owned(), true),
                Source::Lower(layer) => (layer_name(session, layer), false),
            };
            FileRow {
                name,
                kind: st.node.kind(),
                size: size(st.node.size()),
                from,
                upper,
                text,
                path,
                deleted: false,
            }
        })
        .collect::<Vec<_>>();
    // What a whiteout hides is shown as deleted, not silently left out.
    let mut rows = rows;
    let here = dir.trim_end_matches('/');
    for h in layerlab_engine::writable::held(&c.fs) {
        let parent = h.path.parent().to_string();
        if h.origin != layerlab_engine::writable::Origin::Whiteout
            || parent.trim_end_matches('/') != here
        {
            continue;
        }
        let hidden =
            c.fs.lower()
                .get(&h.path)
                .map(|(layer, e, d)| (layer, e.clone(), d));
        let Some((layer, entry, diff)) = hidden else {
            continue;
        };
        let (kind, bytes) = match entry {
            Entry::Dir { .. } => (Kind::Dir, 0),
            Entry::File { ino } => (Kind::File, diff.inode(ino).map_or(0, |i| i.content.len())),
            _ => (Kind::Symlink, 0),
        };
        rows.push(FileRow {
            name: h.path.name().to_owned(),
            path: h.path.to_string(),
            kind,
            size: size(bytes),
            from: layer_name(session, layer),
            upper: true,
            text: None,
            deleted: true,
        });
    }
    layerlab_engine::sort::sort_by_key(&mut rows, |r| r.name.clone());
    let parent = (dir != "/").then(|| match dir.trim_end_matches('/').rsplit_once('/') {
        Some(("", _)) | None => "/".to_owned(),
        Some((up, _)) => up.to_owned(),
    });
    Ok(DirView {
        container: c.name.clone(),
        running: matches!(c.state, layerlab_engine::host::State::Running { .. }),
        dir: dir.to_owned(),
        parent,
        rows,
    })
}

/// One file of the build context (the project's directory on the host).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextFile {
    /// Its path from the project directory (`app.py`, `src/m.py`).
    pub name: String,
    pub path: String,
    pub size: String,
    /// A small text file's content, which can be edited in place.
    pub text: Option<String>,
}

/// The files of the build context, depth-first, without the Dockerfile (it has its own editor).
pub fn context_files(session: &Session) -> Vec<ContextFile> {
    let root = layerlab_engine::command::PROJECT_DIR;
    let mut out = Vec::new();
    // One walk of the project (never a listing of each directory from the
    // root): a 2,000-deep tree costs its entries.
    let below = match session.host_fs.stat(root) {
        Ok(top) if matches!(top.node, Node::Dir { .. }) => session.host_fs.walk_below(&top.path),
        _ => Vec::new(),
    };
    {
        for st in below {
            let path = st.path.to_string();
            match &st.node {
                Node::Dir { .. } => {}
                Node::File { content, .. } => {
                    let name = path
                        .strip_prefix(root)
                        .unwrap_or(&path)
                        .trim_start_matches('/')
                        .to_owned();
                    if name == "Dockerfile" {
                        continue;
                    }
                    let text = (content.len() <= EDITABLE && !content.is_described())
                        .then(|| String::from_utf8(content.to_vec()).ok())
                        .flatten();
                    out.push(ContextFile {
                        name,
                        size: size(content.len()),
                        text,
                        path,
                    });
                }
                Node::Symlink { .. } => {}
            }
        }
    }
    layerlab_engine::sort::sort_by_key(&mut out, |f| f.name.clone());
    out
}

/// `text` quoted for `sh` (as is when nothing in it is special).
pub fn sh_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+@%:,=".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// The command lines behind the file actions, as a learner would type them.
pub mod action {
    use super::sh_quote;

    /// `text` ending with a newline, and a heredoc delimiter none of its lines is.
    fn heredoc(text: &str) -> (String, String) {
        let mut text = text.to_owned();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        let mut delim = "EOF".to_owned();
        while text.lines().any(|l| l == delim) {
            delim.push('_');
        }
        (text, delim)
    }

    /// Saves `text` as the file: `cat` writes its input, given as a heredoc to `docker exec -i`.
    pub fn save(container: &str, path: &str, text: &str) -> String {
        let (text, delim) = heredoc(text);
        let script = sh_quote(&format!("cat > {}", sh_quote(path)));
        format!("docker exec -i {container} sh -c {script} <<'{delim}'\n{text}{delim}")
    }

    /// Saves `text` as a file of the host (the build context).
    pub fn save_on_host(path: &str, text: &str) -> String {
        let (text, delim) = heredoc(text);
        format!("cat > {} <<'{delim}'\n{text}{delim}", sh_quote(path))
    }

    /// Creates an empty file on the host, and its directory if needed.
    pub fn new_on_host(path: &str) -> String {
        match path.rsplit_once('/') {
            Some((dir, _)) if !dir.is_empty() && dir != layerlab_engine::command::PROJECT_DIR => {
                format!("mkdir -p {} && touch {}", sh_quote(dir), sh_quote(path))
            }
            _ => format!("touch {}", sh_quote(path)),
        }
    }

    /// Removes a file of the host.
    pub fn delete_on_host(path: &str) -> String {
        format!("rm {}", sh_quote(path))
    }

    /// Adds one byte (a newline) at the end: enough for a whole copy-up.
    pub fn append_byte(container: &str, path: &str) -> String {
        let script = sh_quote(&format!("echo >> {}", sh_quote(path)));
        format!("docker exec {container} sh -c {script}")
    }

    /// Reads the file (`wc -c` reads it all and prints only its size).
    pub fn read(container: &str, path: &str) -> String {
        format!("docker exec {container} wc -c {}", sh_quote(path))
    }

    pub fn delete(container: &str, path: &str, dir: bool) -> String {
        let flag = if dir { "-r " } else { "" };
        format!("docker exec {container} rm {flag}{}", sh_quote(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    fn workspace(lines: &[&str]) -> Workspace {
        Workspace::replay(&lines.iter().map(|l| l.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn a_layer_shows_its_own_changes_against_the_layers_below() {
        let w = workspace(&[
            "docker pull busybox",
            "cat > Dockerfile <<'EOF'\nFROM busybox\nRUN mkdir /data && echo hi >> /etc/passwd && rm /bin/ls\nEOF",
            "docker build -t app .",
        ]);
        let image = w.session.host.image("app").expect("app");
        let top = image.layers.last().expect("layer").id;
        let view = layer_view(&w.session, top).expect("view");
        let changes: Vec<(&str, Change)> = view
            .entries
            .iter()
            .map(|e| (e.path.as_str(), e.change))
            .collect();
        assert_eq!(
            changes,
            [
                ("/bin", Change::Changed),
                ("/bin/ls", Change::Whiteout),
                ("/data", Change::Added),
                ("/etc", Change::Changed),
                ("/etc/passwd", Change::Changed),
            ]
        );
        assert!(view.name.starts_with("RUN "), "{}", view.name);
        assert_eq!(view.images, ["app:latest"]);
        assert_eq!(view.cache_id.len(), 64);
        assert!(
            !view.chain_id.contains(&view.cache_id),
            "the directory is not the ChainID"
        );
        let base = image.layers[0].id;
        let view = layer_view(&w.session, base).expect("base");
        assert!(view.entries.iter().all(|e| e.change == Change::Added));
        assert_eq!(view.images, ["app:latest", "busybox:latest"]);
    }

    #[test]
    fn a_container_dir_names_where_each_entry_comes_from() {
        let mut w = workspace(&["docker run -d --name box busybox sleep 1d"]);
        let id = w.session.host.container("box").expect("box").id.clone();
        w.submit(&action::append_byte("box", "/etc/passwd"));
        w.submit(&action::save("box", "/etc/motd", "hello\n"));
        let view = container_dir(&w.session, &id, "/etc").expect("dir");
        let row = |name: &str| view.rows.iter().find(|r| r.name == name).expect(name);
        assert!(row("passwd").upper, "copied up");
        assert_eq!(row("motd").text.as_deref(), Some("hello\n"));
        assert_eq!(view.parent.as_deref(), Some("/"));
        let bin = container_dir(&w.session, &id, "/bin").expect("dir");
        let ls = bin.rows.iter().find(|r| r.name == "ls").expect("ls");
        assert!(!ls.upper);
        assert!(ls.from.starts_with("ADD "), "{}", ls.from);
        w.submit(&action::delete("box", "/bin/ls", false));
        let bin = container_dir(&w.session, &id, "/bin").expect("dir");
        let ls = bin
            .rows
            .iter()
            .find(|r| r.name == "ls")
            .expect("ls, marked");
        assert!(
            ls.deleted && ls.upper,
            "deleted by a whiteout, and shown so"
        );
        assert!(ls.from.starts_with("ADD "), "hiding {}", ls.from);
        assert!(
            container_dir(&w.session, &id, "/bin/busybox").is_err(),
            "a file is no directory"
        );
    }

    #[test]
    fn the_build_context_lists_the_projects_files_and_follows_the_terminal() {
        let mut w = workspace(&[]);
        let names = |w: &Workspace| {
            context_files(&w.session)
                .into_iter()
                .map(|f| f.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&w), [".dockerignore", "Makefile", "app.py"]);
        w.submit(&action::new_on_host("/root/app/src/m.py"));
        w.submit(&action::delete_on_host("/root/app/Makefile"));
        assert_eq!(names(&w), [".dockerignore", "app.py", "src/m.py"]);
        w.submit(&action::save_on_host("/root/app/app.py", "print(2)"));
        let app = context_files(&w.session)
            .into_iter()
            .find(|f| f.name == "app.py")
            .expect("app.py");
        assert_eq!(app.text.as_deref(), Some("print(2)\n"));
    }

    #[test]
    fn file_actions_are_command_lines_that_survive_odd_names() {
        let cases = [
            (
                action::read("web", "/app/app.py"),
                "docker exec web wc -c /app/app.py",
            ),
            (
                action::append_byte("web", "/big"),
                "docker exec web sh -c 'echo >> /big'",
            ),
            (
                action::delete("web", "/a b", false),
                "docker exec web rm '/a b'",
            ),
            (
                action::delete("web", "/etc", true),
                "docker exec web rm -r /etc",
            ),
            (
                action::append_byte("web", "/it's"),
                "docker exec web sh -c 'echo >> '\\''/it'\\''\\'\\'''\\''s'\\'''",
            ),
            (
                action::save("web", "/f", "a\nEOF\nb"),
                "docker exec -i web sh -c 'cat > /f' <<'EOF_'\na\nEOF\nb\nEOF_",
            ),
        ];
        for (got, want) in &cases {
            assert_eq!(got, want);
        }
        let host = [
            (
                action::save_on_host("/root/app/app.py", "x"),
                "cat > /root/app/app.py <<'EOF'\nx\nEOF",
            ),
            (
                action::new_on_host("/root/app/notes.txt"),
                "touch /root/app/notes.txt",
            ),
            (
                action::new_on_host("/root/app/src/m.py"),
                "mkdir -p /root/app/src && touch /root/app/src/m.py",
            ),
            (
                action::delete_on_host("/root/app/my file"),
                "rm '/root/app/my file'",
            ),
        ];
        for (got, want) in &host {
            assert_eq!(got, want);
        }
        // And they do what they say, even for the odd name.
        let mut w = workspace(&["docker run -d --name web busybox sleep 1d"]);
        w.submit(&action::save("web", "/it's", "x"));
        w.submit(&action::append_byte("web", "/it's"));
        let c = w.session.host.container("web").expect("web");
        assert_eq!(
            c.fs.read("/it's").map(|(c, _)| c.to_vec()),
            Ok(b"x\n\n".to_vec())
        );
    }
}
