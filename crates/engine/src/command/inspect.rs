//! `docker inspect`: images and containers as JSON, with the fields the lessons
//! use — `Id`, `RepoTags`, `RepoDigests` (the manifest digest, not the ID),
//! `RootFS.Layers`, `GraphDriver.Data`, `Config`, and `SizeRw`/`SizeRootFs` with `-s`.

use super::flags::{bool_flag, value_flag};
use super::{Cmd, Session, Transcript};
use crate::clock::rfc3339;
use crate::host::State;
use crate::image::Image;
use crate::storage::{cache_id, mount_id, Driver, ROOT};
use serde_json::{json, Value};

const INSPECT: Cmd = Cmd {
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

fn graph_driver(driver: Driver, data: Value) -> Value {
    json!({ "Data": data, "Name": driver.name() })
}

fn image_json(s: &Session, image: &Image) -> Value {
    let top = image.chain_ids().last().map(cache_id).unwrap_or_default();
    let data = if s.driver == Driver::Overlay2 {
        json!({
            "LowerDir": image.chain_ids().len().checked_sub(1).map(|_| {
                let all = lower_dirs(image);
                all.split_once(':').map(|(_, rest)| rest.to_owned()).unwrap_or_default()
            }),
            "MergedDir": format!("{ROOT}/overlay2/{top}/merged"),
            "UpperDir": format!("{ROOT}/overlay2/{top}/diff"),
            "WorkDir": format!("{ROOT}/overlay2/{top}/work"),
        })
    } else {
        Value::Null
    };
    json!({
        "Id": image.id.as_str(),
        "RepoTags": s.host.tags_of(&image.id).iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "RepoDigests": s.host.repo_digests(&image.id),
        "Parent": image.parent.as_ref().map(|p| p.to_string()).unwrap_or_default(),
        "Comment": image.config.history.last().map(|h| h.comment.clone()).unwrap_or_default(),
        "Created": image.config.created,
        "Author": image.config.author,
        "Config": image.config.config,
        "Architecture": image.config.architecture,
        "Os": image.config.os,
        "Size": image.size(),
        "GraphDriver": graph_driver(s.driver, data),
        "RootFS": { "Type": "layers", "Layers": image.config.rootfs.diff_ids },
    })
}

fn container_json(s: &Session, name: &str, size: bool) -> Option<Value> {
    let c = s.host.container(name).ok()?;
    let image = s.host.image(c.image.as_str()).ok()?;
    let mid = mount_id(&c.id);
    let (status, running, code) = match c.state {
        State::Created => ("created", false, 0),
        State::Running { .. } => ("running", true, 0),
        State::Exited { code, .. } => ("exited", false, code),
    };
    let data = if s.driver == Driver::Overlay2 {
        json!({
            "LowerDir": format!("{ROOT}/overlay2/{mid}-init/diff:{}", lower_dirs(image)),
            "MergedDir": format!("{ROOT}/overlay2/{mid}/merged"),
            "UpperDir": format!("{ROOT}/overlay2/{mid}/diff"),
            "WorkDir": format!("{ROOT}/overlay2/{mid}/work"),
        })
    } else {
        Value::Null
    };
    let mut v = json!({
        "Id": c.id,
        "Created": rfc3339(c.created),
        "Path": c.command.first().cloned().unwrap_or_default(),
        "Args": c.command.iter().skip(1).cloned().collect::<Vec<_>>(),
        "State": { "Status": status, "Running": running, "ExitCode": code },
        "Image": c.image.as_str(),
        "Name": format!("/{}", c.name),
        "Driver": s.driver.name(),
        "GraphDriver": graph_driver(s.driver, data),
        "Config": { "Image": c.image_ref, "Cmd": c.command },
    });
    if size {
        v["SizeRw"] = json!(c.size_rw());
        v["SizeRootFs"] = json!(image.size() + c.size_rw());
    }
    Some(v)
}

/// `docker image inspect` and `docker container inspect`: `inspect` limited to one type.
pub fn inspect_typed(s: &mut Session, kind: &str, args: &[String], t: Transcript) -> Transcript {
    let mut with_type = vec!["--type".to_owned(), kind.to_owned()];
    with_type.extend(args.iter().cloned());
    inspect(s, &with_type, t)
}

pub fn inspect(s: &mut Session, args: &[String], t: Transcript) -> Transcript {
    let (p, mut t) = match INSPECT.parse(args, t) {
        Ok(x) => x,
        Err(t) => return t,
    };
    if p.args.is_empty() {
        return INSPECT.needs(t, "at least 1");
    }
    if p.has("format") {
        return t.fail(1, "Layerlab's docker inspect prints the whole JSON; --format templates are not simulated.");
    }
    let kind = p.value("type").unwrap_or("");
    if !matches!(kind, "" | "image" | "container") {
        return t.fail(1, format!("\"{kind}\" is not a valid value for --type"));
    }
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for name in &p.args {
        let container = (kind != "image")
            .then(|| container_json(s, name, p.has("size")))
            .flatten();
        let found = container.or_else(|| {
            (kind != "container")
                .then(|| s.host.image(name).ok().map(|i| image_json(s, i)))
                .flatten()
        });
        match found {
            Some(v) => out.push(v),
            None => missing.push(name.clone()),
        }
    }
    // Docker indents with four spaces.
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    if serde::Serialize::serialize(&Value::Array(out), &mut ser).is_ok() {
        for l in String::from_utf8_lossy(&buf).lines() {
            t.out(l);
        }
    }
    for m in missing {
        t.err(format!("Error: No such object: {m}"));
        t.status = 1;
    }
    t
}
