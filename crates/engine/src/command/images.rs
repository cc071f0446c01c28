//! `docker pull`, `images`, `rmi`, `tag`, `history`.

use super::flags::bool_flag;
use super::flags::Parsed;
use super::{Cmd, Session, Transcript};
use crate::clock::human_duration;
use crate::host::HostEvent;
use crate::reference::Reference;
use crate::registry::RegistryError;
use crate::size::human_size_with_precision;
use crate::table::{ellipsis, render};

pub(super) const PULL: Cmd = Cmd {
    flags: &[bool_flag(Some('q'), "quiet")],
    options: &[("-q, --quiet", "Suppress verbose output")],
    ..Cmd::new(
        "pull",
        "docker pull [OPTIONS] NAME[:TAG|@DIGEST]",
        "Download an image from a registry",
    )
};

pub(super) const IMAGES: Cmd = Cmd {
    flags: &[
        bool_flag(Some('a'), "all"),
        bool_flag(Some('q'), "quiet"),
        bool_flag(None, "digests"),
        bool_flag(None, "no-trunc"),
    ],
    options: &[
        ("-a, --all", "Show all images"),
        ("--digests", "Show digests"),
        ("--no-trunc", "Don't truncate output"),
        ("-q, --quiet", "Only show image IDs"),
    ],
    ..Cmd::new(
        "images",
        "docker images [OPTIONS] [REPOSITORY[:TAG]]",
        "List images",
    )
};

pub(super) const RMI: Cmd = Cmd {
    flags: &[bool_flag(Some('f'), "force")],
    options: &[("-f, --force", "Force removal of the image")],
    ..Cmd::new(
        "rmi",
        "docker rmi [OPTIONS] IMAGE [IMAGE...]",
        "Remove one or more images",
    )
};

pub(super) const TAG: Cmd = Cmd::new(
    "tag",
    "docker tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
    "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE",
);

pub(super) const HISTORY: Cmd = Cmd {
    flags: &[bool_flag(None, "no-trunc"), bool_flag(Some('q'), "quiet")],
    options: &[
        ("--no-trunc", "Don't truncate output"),
        ("-q, --quiet", "Only show image IDs"),
    ],
    ..Cmd::new(
        "history",
        "docker history [OPTIONS] IMAGE",
        "Show the history of an image",
    )
};

pub(super) const PUSH: Cmd = Cmd::new(
    "push",
    "docker push [OPTIONS] NAME[:TAG]",
    "Upload an image to a registry",
);

/// `docker push` to Layerlab's registry (no login needed).
pub fn push(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    let [name] = p.args.as_slice() else {
        return PUSH.needs(t, "exactly 1");
    };
    match s.registry.push(&mut s.host, name) {
        Ok(push) => {
            for l in push.lines {
                t.out(l);
            }
            t
        }
        Err(e) => {
            if let RegistryError::PushDenied { prepared } = &e {
                for l in prepared {
                    t.out(l.clone());
                }
            }
            t.fail(1, e.to_string())
        }
    }
}

pub fn pull(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    let [name] = p.args.as_slice() else {
        return PULL.needs(t, "exactly 1");
    };
    match s.registry.pull(&mut s.host, name) {
        Ok(pull) => {
            if p.has("quiet") {
                if let Some(last) = pull.lines.last() {
                    t.out(last.clone());
                }
            } else {
                for l in &pull.lines {
                    t.out(l.clone());
                }
            }
            t.host(pull.events);
            t.pulled(pull.layers);
            t.manifest = Some(Box::new(pull.manifest));
            t
        }
        Err(e) => t.fail(1, e.to_string()),
    }
}

/// `docker images`: the classic table (the layout `--format table`, `--digests`
/// and every docker before v29 print), newest image first.
pub fn images(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    let now = s.host.now();
    let mut header: Vec<String> = vec!["REPOSITORY".into(), "TAG".into()];
    if p.has("digests") {
        header.push("DIGEST".into());
    }
    header.extend(["IMAGE ID", "CREATED", "SIZE"].map(str::to_owned));
    let mut rows = vec![header];
    let mut images: Vec<_> = s.host.images().collect();
    crate::sort::sort_by_key(&mut images, |i| {
        std::cmp::Reverse((i.created, i.id.clone()))
    });
    let filter = p
        .args
        .first()
        .and_then(|f| Reference::parse(f).ok().map(|r| (r, f.contains(':'))));
    for image in images {
        // Intermediate images only with `-a`.
        if !p.has("all") && s.host.is_intermediate(&image.id) {
            continue;
        }
        let id = if p.has("no-trunc") {
            image.id.to_string()
        } else {
            image.id.short().to_owned()
        };
        let digest = s
            .host
            .repo_digests(&image.id)
            .first()
            .and_then(|d| d.split_once('@'))
            .map(|(_, d)| d.to_owned());
        let mut names: Vec<(String, String)> = s
            .host
            .tags_of(&image.id)
            .into_iter()
            .map(|r| (r.repository.clone(), r.tag.clone()))
            .collect();
        if names.is_empty() {
            names.push(("<none>".into(), "<none>".into()));
        }
        for (repo, tag) in names {
            if let Some((f, with_tag)) = &filter {
                if f.repository != repo || (*with_tag && f.tag != tag) {
                    continue;
                }
            }
            // `-q` prints the ID of every row the table would have.
            if p.has("quiet") {
                t.out(id.clone());
                continue;
            }
            let mut row = vec![repo, tag];
            if p.has("digests") {
                row.push(digest.clone().unwrap_or_else(|| "<none>".into()));
            }
            row.push(id.clone());
            row.push(format!(
                "{} ago",
                human_duration(now.saturating_sub(image.created))
            ));
            row.push(human_size_with_precision(image.size() as f64, 3));
            rows.push(row);
        }
    }
    if !p.has("quiet") {
        for line in render(&rows) {
            t.out(line);
        }
    }
    t
}

pub fn rmi(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    if p.args.is_empty() {
        return RMI.needs(t, "at least 1");
    }
    for name in &p.args {
        match s.host.remove_image(name, p.has("force")) {
            Ok(o) => {
                for e in &o.events {
                    match e {
                        HostEvent::ImageUntagged { reference, .. } => {
                            t.out(format!("Untagged: {reference}"))
                        }
                        HostEvent::ImageDeleted { id } => t.out(format!("Deleted: {id}")),
                        HostEvent::LayerDeleted { chain_id, .. } => {
                            t.out(format!("Deleted: {chain_id}"))
                        }
                        _ => {}
                    }
                }
                t.host(o.events);
            }
            Err(e) => {
                t.err(e.to_string());
                t.status = 1;
            }
        }
    }
    t
}

pub fn tag(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    let [source, target] = p.args.as_slice() else {
        return TAG.needs(t, "exactly 2");
    };
    let target = match Reference::parse(target) {
        Ok(r) => r,
        Err(e) => {
            return t.fail(
                1,
                format!("Error parsing reference: {target:?} is not a valid repository/tag: {e}"),
            )
        }
    };
    let id = match s.host.image(source) {
        Ok(i) => i.id.clone(),
        Err(e) => return t.fail(1, e.to_string()),
    };
    t.host(s.host.tag(&id, &target));
    t
}

pub fn history(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    let [name] = p.args.as_slice() else {
        return HISTORY.needs(t, "exactly 1");
    };
    let image = match s.host.image(name) {
        Ok(i) => i.clone(),
        Err(e) => return t.fail(1, e.to_string()),
    };
    let now = s.host.now();
    let mut rows = vec![["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"]
        .map(str::to_owned)
        .to_vec()];
    let mut layers = image.layers.iter().rev();
    // Rows name images while a local parent chain lasts (legacy builds, commits).
    let mut chain = Some(image.id.clone());
    for h in image.config.history.iter().rev() {
        let size = if h.empty_layer {
            0
        } else {
            layers.next().map(|l| l.size()).unwrap_or(0)
        };
        let id = match chain.take() {
            Some(id) => {
                chain = s
                    .host
                    .image(id.as_str())
                    .ok()
                    .and_then(|i| i.parent.clone());
                if p.has("no-trunc") {
                    id.to_string()
                } else {
                    id.short().to_owned()
                }
            }
            None => "<missing>".into(),
        };
        let by = h.created_by.replace('\t', " ");
        let by = if p.has("no-trunc") {
            by
        } else {
            ellipsis(&by, 45)
        };
        let created = crate::clock::unix_from_rfc3339(&h.created)
            .map(|c| format!("{} ago", human_duration(now.saturating_sub(c))))
            .unwrap_or_else(|| "N/A".into());
        rows.push(vec![
            id,
            created,
            by,
            human_size_with_precision(size as f64, 3),
            h.comment.clone(),
        ]);
    }
    if p.has("quiet") {
        for r in rows.iter().skip(1) {
            t.out(r[0].clone());
        }
        return t;
    }
    for line in render(&rows) {
        t.out(line);
    }
    t
}
