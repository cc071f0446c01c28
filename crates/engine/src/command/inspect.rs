//! `docker inspect`: images and containers as JSON, with the fields the lessons
//! use — `Id`, `RepoTags`, `RepoDigests` (the manifest digest, not the ID),
//! `RootFS.Layers`, `GraphDriver.Data`, `Config`, and `SizeRw`/`SizeRootFs` with `-s`.

use super::flags::Parsed;
use super::flags::{bool_flag, value_flag};
use super::{Cmd, Session, Transcript};
use crate::clock::rfc3339;
use crate::host::State;
use crate::image::Image;
use crate::storage::{cache_id, mount_id, Driver, ROOT};
use serde::Serialize;

pub(super) const INSPECT: Cmd = Cmd {
    flags: &[
        bool_flag(Some('s'), "size"),
        value_flag(None, "type"),
        value_flag(Some('f'), "format"),
    ],
    options: &[
        (
            "-s, --size",
            "Display total file sizes if the type is container",
        ),
        (
            "--type string",
            "Only inspect objects of the given type (image, container)",
        ),
    ],
    ..Cmd::new(
        "inspect",
        "docker inspect [OPTIONS] NAME|ID [NAME|ID...]",
        "Return low-level information on Docker objects",
    )
};

/// The directories overlay2 mounts for a stack of layers (top first), as `GraphDriver.Data` lists them.
fn lower_dirs(image: &Image) -> String {
    image
        .chain_ids()
        .iter()
        .rev()
        .map(|c| format!("{ROOT}/overlay2/{}/diff", cache_id(c)))
        .collect::<Vec<_>>()
        .join(":")
}

/// `GraphDriver`: overlay2's directories (other drivers report none here).
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct GraphDriver {
    data: Option<OverlayDirs>,
    name: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct OverlayDirs {
    #[serde(skip_serializing_if = "Option::is_none")]
    lower_dir: Option<String>,
    merged_dir: String,
    upper_dir: String,
    work_dir: String,
}

impl OverlayDirs {
    fn at(dir: &str, lower_dir: Option<String>) -> OverlayDirs {
        OverlayDirs {
            lower_dir,
            merged_dir: format!("{ROOT}/overlay2/{dir}/merged"),
            upper_dir: format!("{ROOT}/overlay2/{dir}/diff"),
            work_dir: format!("{ROOT}/overlay2/{dir}/work"),
        }
    }
}

#[derive(Serialize)]
struct RootFs<'a> {
    #[serde(rename = "Type")]
    kind: &'static str,
    #[serde(rename = "Layers")]
    layers: &'a [crate::digest::Digest],
}

/// `docker image inspect`, fields in Docker's order.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ImageInspect<'a> {
    id: &'a str,
    repo_tags: Vec<String>,
    repo_digests: Vec<&'a str>,
    parent: String,
    comment: String,
    created: &'a str,
    author: &'a str,
    config: &'a crate::image::RunConfig,
    architecture: &'a str,
    os: &'a str,
    size: u64,
    graph_driver: GraphDriver,
    #[serde(rename = "RootFS")]
    root_fs: RootFs<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ContainerState {
    status: &'static str,
    running: bool,
    exit_code: i32,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ContainerConfig<'a> {
    cmd: Option<&'a [String]>,
    image: &'a str,
    entrypoint: Option<&'a [String]>,
}

/// `docker container inspect`, fields in Docker's order.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ContainerInspect<'a> {
    id: &'a str,
    created: String,
    path: String,
    args: &'a [String],
    state: ContainerState,
    image: &'a str,
    name: String,
    driver: &'static str,
    graph_driver: GraphDriver,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_rw: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_root_fs: Option<u64>,
    config: ContainerConfig<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Inspected<'a> {
    Image(ImageInspect<'a>),
    Container(ContainerInspect<'a>),
}

fn image_json<'a>(s: &'a Session, image: &'a Image) -> ImageInspect<'a> {
    let top = image.chain_ids().last().map(cache_id).unwrap_or_default();
    let data = (s.driver == Driver::Overlay2).then(|| {
        let lower = lower_dirs(image);
        OverlayDirs::at(&top, lower.split_once(':').map(|(_, rest)| rest.to_owned()))
    });
    ImageInspect {
        id: image.id.as_str(),
        repo_tags: s
            .host
            .tags_of(&image.id)
            .iter()
            .map(|r| r.to_string())
            .collect(),
        repo_digests: s.host.repo_digests(&image.id),
        parent: image
            .parent
            .as_ref()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        comment: image
            .config
            .history
            .last()
            .map(|h| h.comment.clone())
            .unwrap_or_default(),
        created: &image.config.created,
        author: &image.config.author,
        config: &image.config.config,
        architecture: &image.config.architecture,
        os: &image.config.os,
        size: image.size(),
        graph_driver: GraphDriver {
            data,
            name: s.driver.name(),
        },
        root_fs: RootFs {
            kind: "layers",
            layers: &image.config.rootfs.diff_ids,
        },
    }
}

fn container_json<'a>(s: &'a Session, name: &str, size: bool) -> Option<ContainerInspect<'a>> {
    let c = s.host.container(name).ok()?;
    let image = s.host.image(c.image.as_str()).ok()?;
    let mid = mount_id(&c.id);
    let (status, running, exit_code) = match c.state {
        State::Created => ("created", false, 0),
        State::Running { .. } => ("running", true, 0),
        State::Exited { code, .. } => ("exited", false, code),
    };
    let data = (s.driver == Driver::Overlay2).then(|| {
        OverlayDirs::at(
            &mid,
            Some(format!(
                "{ROOT}/overlay2/{mid}-init/diff:{}",
                lower_dirs(image)
            )),
        )
    });
    Some(ContainerInspect {
        id: &c.id,
        created: rfc3339(c.created),
        path: c.command.first().cloned().unwrap_or_default(),
        args: c.command.get(1..).unwrap_or_default(),
        state: ContainerState {
            status,
            running,
            exit_code,
        },
        image: c.image.as_str(),
        name: format!("/{}", c.name),
        driver: s.driver.name(),
        graph_driver: GraphDriver {
            data,
            name: s.driver.name(),
        },
        size_rw: size.then(|| c.size_rw()),
        size_root_fs: size.then(|| image.size() + c.size_rw()),
        config: ContainerConfig {
            cmd: c.cmd.as_deref(),
            image: &c.image_ref,
            entrypoint: c.entrypoint.as_deref(),
        },
    })
}

/// `docker image inspect` and `docker container inspect`: `inspect` limited to one type.
pub fn inspect_typed(s: &mut Session, kind: &str, args: &[String], t: Transcript) -> Transcript {
    let mut with_type = vec!["--type".to_owned(), kind.to_owned()];
    with_type.extend(args.iter().cloned());
    INSPECT.run(s, &with_type, t, inspect)
}

pub fn inspect(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    if p.args.is_empty() {
        return INSPECT.needs(t, "at least 1");
    }
    let kind = p.value("type").unwrap_or("");
    if !matches!(kind, "" | "image" | "container") {
        return t.fail(1, format!("\"{kind}\" is not a valid value for --type"));
    }
    let session: &Session = s;
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for name in &p.args {
        let container = (kind != "image")
            .then(|| container_json(session, name, p.has("size")))
            .flatten()
            .map(Inspected::Container);
        let found = container.or_else(|| {
            (kind != "container")
                .then(|| {
                    session
                        .host
                        .image(name)
                        .ok()
                        .map(|i| Inspected::Image(image_json(session, i)))
                })
                .flatten()
        });
        match found {
            Some(v) => out.push(v),
            None => missing.push(name.clone()),
        }
    }
    if let Some(format) = p.value("format") {
        for v in &out {
            let mut value = serde_json::to_value(v).unwrap_or_default();
            // Docker's Config has these keys even when empty (the image's own
            // JSON leaves them out).
            if let Some(config) = value.get_mut("Config").and_then(|c| c.as_object_mut()) {
                use super::template::typed_nil;
                for (key, empty) in [
                    ("User", serde_json::json!("")),
                    ("Env", typed_nil(false)),
                    ("Cmd", typed_nil(false)),
                    ("Volumes", typed_nil(true)),
                    ("WorkingDir", serde_json::json!("")),
                    ("Entrypoint", typed_nil(false)),
                    ("OnBuild", typed_nil(false)),
                    ("Labels", typed_nil(true)),
                ] {
                    let slot = config.entry(key).or_insert(serde_json::Value::Null);
                    if slot.is_null() {
                        *slot = empty;
                    }
                }
            }
            match super::template::render(format, &value) {
                // The CLI ends each object's text with a newline.
                Ok(text) => {
                    for l in format!("{text}\n").lines() {
                        t.out(l);
                    }
                }
                Err(e) => {
                    // A template that fails as it runs: the CLI ends its
                    // (empty) output first; one that does not parse runs not.
                    if e.1 != 64 {
                        t.out("");
                    }
                    return t.fail(e.1, e.0);
                }
            }
        }
        if out.is_empty() && !missing.is_empty() {
            t.out("");
        }
        for m in missing {
            t.err(missing_object(kind, &m));
            t.status = 1;
        }
        return t;
    }
    // Docker indents with four spaces.
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    if out.serialize(&mut ser).is_ok() {
        for l in String::from_utf8_lossy(&buf).lines() {
            t.out(l);
        }
    }
    for m in missing {
        t.err(missing_object(kind, &m));
        t.status = 1;
    }
    t
}

/// What the CLI says of a name it did not find: with `--type`, the daemon's
/// own error for that kind of object.
fn missing_object(kind: &str, name: &str) -> String {
    match kind {
        "image" => crate::host::HostError::NoSuchImage(
            crate::reference::Reference::parse(name)
                .map_or_else(|_| name.to_owned(), |r| r.to_string()),
        )
        .to_string(),
        "container" => crate::host::HostError::NoSuchContainer(name.to_owned()).to_string(),
        _ => format!("Error: No such object: {name}"),
    }
}
