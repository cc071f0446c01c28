//! COPY and ADD: sources from the context (heredocs added to it), another
//! stage or an image; the content checksum keys the step; ADD unpacks local
//! tar archives; `--chown` names are read from the image's own files.

use super::context::{clean, Context, Entry};
use super::steps::{Builder, Texts};
use super::{key, vars, Stage, Step};
use crate::content::Content;
use crate::dockerfile::{Args, Instruction, Keyword};
use crate::lower::Lower;
use crate::merged::{Merged, Node, WriteMode, DIR_MODE};
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
    ) -> Result<(), String> {
        let vars = self.vars(stage);
        let (df, src, line) = (self.dockerfile.clone(), self.source.clone(), i.start_line);
        let snippet = super::source_snippet(&df, &src, line);
        let at = |e: String| format!("{snippet}\0failed to solve: {e}");
        let mut words = match &i.args {
            Args::Json(v) | Args::Words(v) => v.clone(),
            _ => Vec::new(),
        };
        let Some(dest_raw) = words.pop() else {
            return Ok(());
        };
        let dest = vars::expand(&dest_raw, &vars).map_err(at)?;
        let mut sources = Vec::new();
        for w in &words {
            sources.push(vars::expand(w, &vars).map_err(at)?);
        }
        let flag = |name: &str| {
            i.flags
                .iter()
                .find(|f| f.name == name)
                .and_then(|f| f.value.clone())
        };
        let chown = match flag("chown") {
            Some(c) => Some(vars::expand(&c, &vars).map_err(at)?),
            None => None,
        };
        if self.opts.legacy {
            if flag("chmod").is_some() {
                return Err("the --chmod option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled".into());
            }
            if sources.len() > 1 && !dest.ends_with('/') {
                return Err(format!("When using {} with more than one source file, the destination must be a directory and end with a /", kw.name()));
            }
        }
        let chmod = match flag("chmod") {
            Some(m) => match u32::from_str_radix(&m, 8) {
                Ok(v) if v <= 0o7777 => Some(v),
                _ => return Err(at(format!("invalid chmod parameter: '{m}'. it should be octal string and between 0 and 07777"))),
            },
            None => None,
        };
        for s in &sources {
            if s.starts_with("http://") || s.starts_with("https://") || s.starts_with("git@") {
                if kw == Keyword::Copy {
                    return Err(at("source can't be a URL for COPY".into()));
                }
                return Err(at(format!(
                    "ADD {s}: Layerlab's simulated host has no network. Put the file in the build context and COPY it instead"
                )));
            }
        }
        // Heredoc sources become files of the context.
        let mut ctx_store;
        let mut from_ctx: &Context = self.context;
        if !i.heredocs.is_empty() {
            ctx_store = self.context.clone();
            for h in &i.heredocs {
                let body = if h.expand {
                    vars::expand(&h.body, &vars).unwrap_or_else(|_| h.body.clone())
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
            from_ctx = &ctx_store;
        }
        let source_ctx;
        let from = flag("from");
        if let Some(f) = &from {
            let lower = f.to_ascii_lowercase();
            let fs_layers = if let Some(s) = self.stages.iter().find(|s| {
                s.name.as_deref() == Some(lower.as_str()) || lower.parse::<usize>() == Ok(s.index)
            }) {
                s.layers.clone()
            } else if let Ok(img) = self.host.image(f) {
                img.layers.clone()
            } else if let Some(served) =
                Reference::parse(f).ok().and_then(|r| self.registry.get(&r))
            {
                served.layers.clone()
            } else {
                return Err(at(format!(
                    "{f}: failed to resolve source metadata for docker.io/library/{f}: not found"
                )));
            };
            let fs = Merged::new(Rc::new(Lower::new(fs_layers)));
            source_ctx = Context::from_dir(&fs, "/").map_err(at)?;
            from_ctx = &source_ctx;
        } else if !self.context_sent {
            self.context_sent = true;
            let n = self.progress.vertex("[internal] load build context");
            let size = crate::size::human_size(self.context.size() as f64);
            self.progress
                .line(n, &format!("transferring context: {size} done"));
            self.progress.line(n, "DONE 0.0s");
        }
        let checksum = match from_ctx.checksum(&sources) {
            Ok(c) => c,
            Err(_) if self.opts.legacy => {
                let missing = sources
                    .iter()
                    .find(|s| from_ctx.select(s).is_err())
                    .map_or("", String::as_str);
                self.steps.push(Step::failed(i.start_line, label, 1));
                return Err(format!(
                    "{} failed: file not found in build context or excluded by .dockerignore: stat {missing}: file does not exist",
                    kw.name()
                ));
            }
            Err(e) => {
                let id = key(&[&self.source, &e]).hex()[..25].to_owned();
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
                return Err(at(format!(
                    "failed to compute cache key: failed to calculate checksum of ref {id}: {e}"
                )));
            }
        };
        let cwd = if stage.config.config.working_dir.is_empty() {
            "/".to_owned()
        } else {
            stage.config.config.working_dir.clone()
        };
        let dest_abs = if dest.starts_with('/') {
            dest.clone()
        } else {
            format!("{}/{dest}", cwd.trim_end_matches('/'))
        };
        let into_dir =
            dest.ends_with('/') || sources.len() > 1 || dest == "." || dest.ends_with("/.");
        let mut shown_flags = String::new();
        if let Some(c) = &chown {
            shown_flags.push_str(&format!("--chown={c} "));
        }
        if let Some(m) = flag("chmod") {
            shown_flags.push_str(&format!("--chmod={m} "));
        }
        let created_by = format!(
            "{} {shown_flags}{} {dest} # buildkit",
            kw.name(),
            sources.join(" ")
        );
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
        let hash_kind = match sources.as_slice() {
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
        };
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
        let now = self.host.now();
        self.layer_step(stage, i, label, step_key, texts, |fs| {
            let (uid, gid) = owner(fs, chown.as_deref());
            for s in &sources {
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
                                fs.mkdir_all(&dest_abs, DIR_MODE)
                                    .map_err(|e| e.to_string())?;
                                crate::archive::extract(fs, &dest_abs, &members)
                                    .map_err(|e| e.to_string())?;
                                continue;
                            }
                        }
                        let name = e.path.rsplit('/').next().unwrap_or(&e.path).to_owned();
                        let exists_dir =
                            matches!(fs.stat(&dest_abs).map(|s| s.node), Ok(Node::Dir { .. }));
                        let target = if into_dir || exists_dir {
                            format!("{}/{name}", dest_abs.trim_end_matches('/'))
                        } else {
                            dest_abs.clone()
                        };
                        put(fs, &target, &e.node, chmod, (uid, gid), now)?;
                        continue;
                    };
                    fs.mkdir_all(&dest_abs, DIR_MODE)
                        .map_err(|e| e.to_string())?;
                    for item in items {
                        let rel = if base.is_empty() {
                            item.path.clone()
                        } else {
                            item.path[base.len() + 1..].to_owned()
                        };
                        put(
                            fs,
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
            Ok(Vec::new())
        })
        .map_err(|f| f.msg)
    }
}

/// The members of a context file ADD unpacks: a tar, plain or gzip, judged by
/// its bytes; `None` for any other file, which ADD copies as it is.
fn unpacked(content: &Content) -> Result<Option<Vec<crate::archive::Member>>, String> {
    use crate::archive::{compression, decompress, is_tar, read, Compression};
    match compression(content) {
        Compression::None if is_tar(content) => read(content).map(Some),
        Compression::None => Ok(None),
        Compression::Gzip => match decompress(content) {
            Ok(tar) if is_tar(&tar) => read(&tar).map(Some),
            _ => Ok(None),
        },
        other => Err(format!(
            "ADD of a {other:?} archive: Layerlab unpacks tar and tar.gz only; make it with tar -czf"
        )),
    }
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
    target: &str,
    node: &Node,
    chmod: Option<u32>,
    (uid, gid): (u32, u32),
    now: u64,
) -> Result<(), String> {
    if let Some((parent, _)) = target.rsplit_once('/') {
        if !parent.is_empty() {
            fs.mkdir_all(parent, DIR_MODE).map_err(|e| e.to_string())?;
        }
    }
    fs.set_time(node.meta().mtime);
    let written = put_stamped(fs, target, node, chmod, (uid, gid));
    fs.set_time(now);
    written
}

fn put_stamped(
    fs: &mut Merged,
    target: &str,
    node: &Node,
    chmod: Option<u32>,
    (uid, gid): (u32, u32),
) -> Result<(), String> {
    let mode = chmod.unwrap_or(node.meta().mode);
    match node {
        Node::Dir { .. } => {
            fs.mkdir_all(target, DIR_MODE).map_err(|e| e.to_string())?;
        }
        Node::File { content, .. } => {
            if matches!(fs.lstat(target).map(|s| s.node), Ok(Node::Dir { .. })) {
                return Err(format!("cannot copy to non-directory: {target}"));
            }
            fs.write_content(target, content.clone(), WriteMode::Truncate)
                .map_err(|e| e.to_string())?;
        }
        Node::Symlink { target: t, .. } => {
            let _ = fs.unlink(target);
            fs.symlink(t, target).map_err(|e| e.to_string())?;
        }
    }
    if !matches!(node, Node::Symlink { .. }) {
        fs.chmod(target, mode).ok();
    }
    if uid != 0 || gid != 0 {
        fs.chown(target, uid, gid, false).ok();
    }
    Ok(())
}
