//! COPY and ADD: sources from the context (heredocs added to it), another
//! stage or an image; the content checksum keys the step; ADD unpacks local
//! tar archives; `--chown` names are read from the image's own files.

use super::context::{clean, Context, ContextError, Entry};
use super::error::CopyError;
use super::steps::{working_dir, Builder, Texts};
use super::{key, vars, BuildError, Stage, Step};
use crate::archive::Compression;
use crate::content::Content;
use crate::dockerfile::{Args, Instruction, Keyword};
use crate::lower::Lower;
use crate::map::Map;
use crate::merged::{Merged, Node, Resolver, WriteMode, DIR_MODE};
use crate::reference::Reference;
use crate::shell::account_id;
use std::rc::Rc;

impl Builder<'_> {
    pub(super) fn copy(
        &mut self,
        stage: &mut Stage,
        i: &Instruction,
        label: &str,
        kw: Keyword,
    ) -> Result<(), BuildError> {
        let vars = self.vars(stage);
        let (df, src, line) = (self.dockerfile.clone(), self.source.clone(), i.start_line);
        let snippet = super::source_snippet(&df, &src, line);
        let at = |e: CopyError| BuildError::at(line, snippet.clone(), e);
        let mut words = match &i.args {
            Args::Json(v) | Args::Words(v) => v.clone(),
            _ => Vec::new(),
        };
        let Some(dest_raw) = words.pop() else {
            return Ok(());
        };
        let expand =
            |w: &str| vars::expand(w, &vars).map_err(|e| BuildError::at(line, snippet.clone(), e));
        let dest = expand(&dest_raw)?;
        let mut sources = Vec::new();
        for w in &words {
            sources.push(expand(w)?);
        }
        let flag = |name: &str| {
            i.flags
                .iter()
                .find(|f| f.name == name)
                .and_then(|f| f.value.clone())
        };
        let chown = match flag("chown") {
            Some(c) => Some(expand(&c)?),
            None => None,
        };
        if self.opts.legacy {
            legacy_refusals(kw, flag("chmod").is_some(), &sources, &dest)
                .map_err(BuildError::other)?;
        }
        let chmod = match flag("chmod") {
            Some(m) => Some(octal_mode(&m).map_err(at)?),
            None => None,
        };
        refuse_urls(kw, &sources).map_err(at)?;
        // Heredoc sources become files of the context.
        let ctx_store = self.heredoc_context(i, &vars, &mut sources);
        let mut from_ctx: &Context = ctx_store.as_ref().unwrap_or(self.context);
        let source_ctx;
        let from = flag("from");
        if let Some(f) = &from {
            source_ctx = self.other_context(f).map_err(at)?;
            from_ctx = &source_ctx;
        } else {
            self.send_context();
        }
        if from.is_none() && ctx_store.is_none() {
            self.note_context_files(&sources);
        }
        let checksum = match from_ctx.checksum(&sources) {
            Ok(c) => c,
            Err(e) => return Err(self.checksum_failed(i, label, kw, &sources, from_ctx, &e)),
        };
        let cwd = working_dir(&stage.config.config);
        let dest_abs = if dest.starts_with('/') {
            dest.clone()
        } else {
            format!("{}/{dest}", cwd.trim_end_matches('/'))
        };
        let into_dir =
            dest.ends_with('/') || sources.len() > 1 || dest == "." || dest.ends_with("/.");
        let created_by = buildkit_text(kw, chown.as_deref(), flag("chmod"), &sources, &dest);
        let step_key = key(&[
            stage.key.as_str(),
            kw.name(),
            &sources.join("\0"),
            &dest_abs,
            &format!(
                "{}\0{}\0{}",
                chown.as_deref().unwrap_or(""),
                chmod.map(|m| m.to_string()).unwrap_or_default(),
                from.as_deref().unwrap_or("")
            ),
            checksum.as_str(),
        ]);
        // The legacy builder names the sources by a content hash.
        let hash_kind = hash_kind(&sources, from_ctx);
        let legacy_chown = chown
            .as_ref()
            .map_or(String::new(), |c| format!("--chown={c} "));
        let texts = Texts {
            buildkit: created_by,
            legacy: format!(
                "{} #(nop) {} {legacy_chown}{hash_kind}:{} in {dest} ",
                self.shell_of(stage).join(" "),
                kw.name(),
                checksum.hex()
            ),
            container: false,
            argv: Vec::new(),
        };
        let ctx = from_ctx.clone();
        // ADD unpacks local archives from the context (not from another stage).
        let unpack =
            kw == Keyword::Add && from.is_none() && flag("unpack").as_deref() != Some("false");
        let placement = Placement {
            dest_abs,
            into_dir,
            unpack,
            chmod,
            chown,
            now: self.host.now(),
        };
        self.layer_step(stage, i, label, step_key, texts, |fs| {
            copy_sources(fs, &ctx, &sources, &placement)?;
            Ok(Vec::new())
        })
        .map_err(|f| BuildError::other(f.msg))
    }

    /// BuildKit's `load build context` vertex, once per build.
    fn send_context(&mut self) {
        if self.context_sent {
            return;
        }
        self.context_sent = true;
        let n = self.progress.vertex("[internal] load build context");
        let size = crate::size::human_size(self.context.size() as f64);
        self.progress
            .line(n, &format!("transferring context: {size} done"));
        self.progress.line(n, "DONE 0.0s");
    }

    /// Remembers the context's files that `sources` select (a directory's
    /// with everything below it): BuildKit's cache records count them.
    fn note_context_files(&mut self, sources: &[String]) {
        for s in sources {
            for e in self.context.select(s).unwrap_or_default() {
                self.context_files.insert(e.path.clone());
                if matches!(e.node, crate::merged::Node::Dir { .. }) {
                    for below in self.context.below(&e.path) {
                        self.context_files.insert(below.path.clone());
                    }
                }
            }
        }
    }

    /// `--from`'s files: an earlier stage's (by name or index), an image's in
    /// the store, or one the registry serves.
    fn other_context(&self, f: &str) -> Result<Context, CopyError> {
        let lower = f.to_ascii_lowercase();
        let fs_layers = if let Some(s) = self.stages.iter().find(|s| {
            s.name.as_deref() == Some(lower.as_str()) || lower.parse::<usize>() == Ok(s.index)
        }) {
            s.layers.clone()
        } else if let Ok(img) = self.host.image(f) {
            img.layers.clone()
        } else if let Some(served) = Reference::parse(f).ok().and_then(|r| self.registry.get(&r)) {
            served.layers.clone()
        } else {
            return Err(CopyError::UnknownFrom(f.to_owned()));
        };
        let fs = Merged::new(Rc::new(Lower::new(fs_layers)));
        Ok(Context::from_dir(&fs, "/")?)
    }

    /// The context with COPY's heredocs added as files, their names standing
    /// for them among the sources; `None` without heredocs.
    fn heredoc_context(
        &self,
        i: &Instruction,
        vars: &Map<String, String>,
        sources: &mut [String],
    ) -> Option<Context> {
        if i.heredocs.is_empty() {
            return None;
        }
        let mut ctx_store = self.context.clone();
        for h in &i.heredocs {
            let body = if h.expand {
                vars::expand(&h.body, vars).unwrap_or_else(|_| h.body.clone())
            } else {
                h.body.clone()
            };
            let tag = format!("<<{}", h.name);
            for s in sources
                .iter_mut()
                .filter(|s| **s == tag || **s == format!("<<-{}", h.name))
            {
                *s = h.name.clone();
            }
            ctx_store.entries.retain(|e| e.path != h.name);
            ctx_store.entries.push(Entry {
                path: h.name.clone(),
                node: Node::File {
                    meta: crate::diff::Meta::new(0o644, self.host.now()),
                    content: Content::bytes(body),
                },
            });
        }
        Some(ctx_store)
    }

    /// A COPY whose sources cannot be read: the classic builder's `file not
    /// found`, or BuildKit's checksum error on the step's vertex.
    fn checksum_failed(
        &mut self,
        i: &Instruction,
        label: &str,
        kw: Keyword,
        sources: &[String],
        from_ctx: &Context,
        e: &ContextError,
    ) -> BuildError {
        if self.opts.legacy {
            let missing = sources
                .iter()
                .find(|s| from_ctx.select(s).is_err())
                .map_or("", String::as_str);
            self.steps.push(Step::failed(i.start_line, label, 1));
            return BuildError::other(format!(
                "{} failed: file not found in build context or excluded by .dockerignore: stat {missing}: file does not exist",
                kw.name()
            ));
        }
        let id = key(&[&self.source, &e.to_string()]).hex()[..25].to_owned();
        let v = self.progress.vertex(label);
        self.progress.line(
            v,
            &format!("ERROR: failed to calculate checksum of ref {id}: {e}"),
        );
        if !self.opts.legacy {
            // BuildKit's box around the step that failed.
            let boxed = [
                "------".to_owned(),
                format!(" > {label}:"),
                "------".to_owned(),
            ];
            self.progress.lines.extend(boxed);
        }
        self.steps.push(Step::failed(i.start_line, label, 1));
        self.err_at(
            i.start_line,
            format!("failed to compute cache key: failed to calculate checksum of ref {id}: {e}"),
        )
    }
}

/// What the classic builder refuses before it looks at any file: `--chmod`,
/// and several sources into a destination without `/`.
fn legacy_refusals(
    kw: Keyword,
    chmod: bool,
    sources: &[String],
    dest: &str,
) -> Result<(), CopyError> {
    if chmod {
        return Err(CopyError::ChmodNeedsBuildKit);
    }
    if sources.len() > 1 && !dest.ends_with('/') {
        return Err(CopyError::ManySources(kw));
    }
    Ok(())
}

/// `--chmod`'s octal mode, up to 07777.
fn octal_mode(m: &str) -> Result<u32, CopyError> {
    match u32::from_str_radix(m, 8) {
        Ok(v) if v <= 0o7777 => Ok(v),
        _ => Err(CopyError::BadChmod(m.to_owned())),
    }
}

/// URLs and git sources: COPY refuses them, and ADD cannot fetch them on a
/// host without network.
fn refuse_urls(kw: Keyword, sources: &[String]) -> Result<(), CopyError> {
    for s in sources {
        if s.starts_with("http://") || s.starts_with("https://") || s.starts_with("git@") {
            if kw == Keyword::Copy {
                return Err(CopyError::UrlForCopy);
            }
            return Err(CopyError::AddNoNetwork(s.clone()));
        }
    }
    Ok(())
}

/// COPY's history entry as BuildKit writes it: the flags, the sources and
/// the destination as given.
fn buildkit_text(
    kw: Keyword,
    chown: Option<&str>,
    chmod: Option<String>,
    sources: &[String],
    dest: &str,
) -> String {
    let mut shown_flags = String::new();
    if let Some(c) = chown {
        shown_flags.push_str(&format!("--chown={c} "));
    }
    if let Some(m) = chmod {
        shown_flags.push_str(&format!("--chmod={m} "));
    }
    format!(
        "{} {shown_flags}{} {dest} # buildkit",
        kw.name(),
        sources.join(" ")
    )
}

/// How the classic builder names COPY's sources in history, before their
/// content hash: one directory, one file, or several.
fn hash_kind(sources: &[String], from_ctx: &Context) -> &'static str {
    match sources {
        [one] if !one.contains(['*', '?', '[']) => {
            let is_dir = clean(one).is_empty()
                || from_ctx
                    .select(one)
                    .is_ok_and(|e| e.iter().any(|e| matches!(e.node, Node::Dir { .. })));
            if is_dir {
                "dir"
            } else {
                "file"
            }
        }
        _ => "multi",
    }
}

/// Where and how COPY writes what it selected.
struct Placement {
    dest_abs: String,
    /// Whether the destination is a directory (`/` at its end, several
    /// sources, `.`) whether or not it exists yet.
    into_dir: bool,
    /// ADD of a local archive: its members, not the archive.
    unpack: bool,
    chmod: Option<u32>,
    chown: Option<String>,
    now: u64,
}

/// COPY's work on the step's writable layer: each source's selection
/// written under the destination.
fn copy_sources(
    fs: &mut Merged,
    ctx: &Context,
    sources: &[String],
    p: &Placement,
) -> Result<(), CopyError> {
    let (dest_abs, into_dir, unpack, chmod, now) =
        (&p.dest_abs, p.into_dir, p.unpack, p.chmod, p.now);
    let (uid, gid) = owner(fs, p.chown.as_deref());
    // Each object is reached from its parent's resolution: a deep tree costs its entries.
    let mut res = Resolver::new();
    for s in sources {
        let selected = ctx.select(s)?;
        let root = clean(s).is_empty();
        for e in selected {
            let (base, items): (String, Vec<&Entry>) = if root {
                (String::new(), ctx.entries.iter().collect())
            } else if matches!(e.node, Node::Dir { .. }) {
                (e.path.clone(), ctx.below(&e.path).collect())
            } else {
                if let (true, Node::File { content, .. }) = (unpack, &e.node) {
                    if let Some(members) = unpacked(content)? {
                        fs.mkdir_all(dest_abs, DIR_MODE)?;
                        crate::archive::extract(fs, dest_abs, &members)?;
                        res.clear();
                        continue;
                    }
                }
                let name = e.path.rsplit('/').next().unwrap_or(&e.path).to_owned();
                let exists_dir = matches!(fs.stat(dest_abs).map(|s| s.node), Ok(Node::Dir { .. }));
                let target = if into_dir || exists_dir {
                    format!("{}/{name}", dest_abs.trim_end_matches('/'))
                } else {
                    dest_abs.clone()
                };
                put(fs, &mut res, &target, &e.node, chmod, (uid, gid), now)?;
                continue;
            };
            fs.mkdir_all(dest_abs, DIR_MODE)?;
            for item in items {
                let rel = if base.is_empty() {
                    item.path.clone()
                } else {
                    item.path[base.len() + 1..].to_owned()
                };
                put(
                    fs,
                    &mut res,
                    &format!("{}/{rel}", dest_abs.trim_end_matches('/')),
                    &item.node,
                    chmod,
                    (uid, gid),
                    now,
                )?;
            }
            if root {
                break;
            }
        }
    }
    Ok(())
}

/// The members of a context file ADD unpacks: a tar, plain or gzip, judged by
/// its bytes; `None` for any other file, which ADD copies as it is.
fn unpacked(content: &Content) -> Result<Option<Vec<crate::archive::Member>>, CopyError> {
    use crate::archive::{compression, decompress, is_tar, read};
    Ok(match compression(content) {
        Compression::None if is_tar(content) => Some(read(content)?),
        Compression::None => None,
        Compression::Gzip => match decompress(content) {
            Ok(tar) if is_tar(&tar) => Some(read(&tar)?),
            _ => None,
        },
        other => return Err(CopyError::AddCompressed(other)),
    })
}

/// `--chown=user[:group]` as numbers, names looked up in the image's files
/// (an unknown name is 0 here).
fn owner(fs: &Merged, spec: Option<&str>) -> (u32, u32) {
    let Some(spec) = spec else { return (0, 0) };
    let id = |file: &str, name: &str| account_id(fs, file, name).unwrap_or(0);
    match spec.split_once(':') {
        Some((u, g)) => (id("/etc/passwd", u), id("/etc/group", g)),
        None => {
            let u = id("/etc/passwd", spec);
            (u, u)
        }
    }
}

/// Writes one context object at `target`, creating parent directories
/// (stamped `now`). The object keeps its source's modification time, as
/// BuildKit's copy does, so the layer's tar and its DiffID are Docker's.
fn put(
    fs: &mut Merged,
    res: &mut Resolver,
    target: &str,
    node: &Node,
    chmod: Option<u32>,
    (uid, gid): (u32, u32),
    now: u64,
) -> Result<(), CopyError> {
    if let Some((parent, _)) = target.rsplit_once('/') {
        if !parent.is_empty() {
            fs.mkdir_all_with(res, parent, DIR_MODE)?;
        }
    }
    fs.set_time(node.meta().mtime);
    let written = put_stamped(fs, res, target, node, chmod, (uid, gid));
    fs.set_time(now);
    written
}

fn put_stamped(
    fs: &mut Merged,
    res: &mut Resolver,
    target: &str,
    node: &Node,
    chmod: Option<u32>,
    (uid, gid): (u32, u32),
) -> Result<(), CopyError> {
    let mode = chmod.unwrap_or(node.meta().mode);
    match node {
        Node::Dir { .. } => {
            fs.mkdir_all_with(res, target, DIR_MODE)?;
        }
        Node::File { content, .. } => {
            if matches!(
                fs.lstat_with(res, target).map(|s| s.node),
                Ok(Node::Dir { .. })
            ) {
                return Err(CopyError::OntoDirectory(target.to_owned()));
            }
            fs.write_content_with(res, target, content.clone(), WriteMode::Truncate)?;
        }
        Node::Symlink { target: t, .. } => {
            res.clear();
            let _ = fs.unlink(target);
            fs.symlink(t, target)?;
        }
    }
    if !matches!(node, Node::Symlink { .. }) {
        fs.chmod_with(res, target, mode).ok();
    }
    if uid != 0 || gid != 0 {
        fs.chown_with(res, target, (uid, gid), false).ok();
    }
    Ok(())
}
