//! `docker system df`, `info`, `version`.

use super::flags::bool_flag;
use super::flags::Parsed;
use super::{Cmd, Session, Transcript};
use crate::size::{human_size, human_size_with_precision};
use crate::table::render;

pub(super) const DF: Cmd = Cmd {
    flags: &[bool_flag(Some('v'), "verbose")],
    options: &[("-v, --verbose", "Show detailed information on space usage")],
    ..Cmd::new(
        "system df",
        "docker system df [OPTIONS]",
        "Show docker disk usage",
    )
};

pub const VERSION: &str = "28.2.2";

pub fn version_short(mut t: Transcript) -> Transcript {
    t.out(format!("Docker version {VERSION}, build layerlab"));
    t
}

pub(super) const VERSION_CMD: Cmd = Cmd::new(
    "version",
    "docker version [OPTIONS]",
    "Show the Docker version information",
);
pub(super) const INFO: Cmd = Cmd::new(
    "info",
    "docker info [OPTIONS]",
    "Display system-wide information",
);

pub fn version(_s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    if !p.args.is_empty() {
        return VERSION_CMD.no_args(t);
    }
    for l in [
        "Client:".to_owned(),
        format!(" Version:           {VERSION}"),
        " API version:       1.50".into(),
        " OS/Arch:           linux/amd64".into(),
        "".into(),
        "Server: Layerlab (a simulated Docker Engine)".into(),
        " Engine:".into(),
        format!("  Version:          {VERSION}"),
        "  API version:      1.50 (minimum version 1.24)".into(),
        "  OS/Arch:          linux/amd64".into(),
    ] {
        t.out(l);
    }
    t
}

pub fn info(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    if !p.args.is_empty() {
        return INFO.no_args(t);
    }
    let containers = s.host.containers();
    let running = containers
        .iter()
        .filter(|c| matches!(c.state, crate::host::State::Running { .. }))
        .count();
    let lines = vec![
        "Server:".to_owned(),
        format!(" Containers: {}", containers.len()),
        format!("  Running: {running}"),
        "  Paused: 0".into(),
        format!("  Stopped: {}", containers.len() - running),
        format!(" Images: {}", s.host.images().count()),
        format!(" Server Version: {VERSION}"),
        format!(" Storage Driver: {}", s.driver),
        " Docker Root Dir: /var/lib/docker".into(),
    ];
    for l in lines {
        t.out(l);
    }
    t
}

pub fn system(s: &mut Session, args: &[String], t: Transcript) -> Transcript {
    match args.first().map(String::as_str) {
        Some("df") => DF.run(s, &args[1..], t, df),
        _ => super::group_usage(
            t,
            "Usage:  docker system COMMAND\n\nManage Docker\n\nCommands:\n  df          Show docker disk usage",
            args,
        ),
    }
}

fn pct(part: u64, total: u64) -> String {
    match (part * 100).checked_div(total) {
        Some(p) => format!("{} ({p}%)", human_size(part as f64)),
        None => human_size(part as f64),
    }
}

/// Whether an image uses `layer`: its build cache record is shared.
pub(super) fn shared(s: &Session, layer: crate::layer::LayerId) -> bool {
    s.host
        .images()
        .any(|i| i.layers.iter().any(|l| l.id == layer))
}

/// The bytes of the build cache's records that no image shares.
fn cache_size(s: &Session) -> u64 {
    s.build_cache
        .records()
        .iter()
        .filter(|r| !r.layer.is_some_and(|l| shared(s, l)))
        .map(|r| r.size)
        .sum()
}

/// `docker system df`'s table: images, containers, the volumes Layerlab
/// does not simulate, and BuildKit's cache records.
fn summary_rows(df: &crate::host::SystemDf, s: &Session) -> Vec<Vec<String>> {
    let cache = human_size(cache_size(s) as f64);
    vec![
        ["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"]
            .map(str::to_owned)
            .to_vec(),
        vec![
            "Images".into(),
            df.images_total.to_string(),
            df.images_active.to_string(),
            human_size(df.images_size as f64),
            pct(df.images_reclaimable, df.images_size),
        ],
        vec![
            "Containers".into(),
            df.containers_total.to_string(),
            df.containers_active.to_string(),
            human_size(df.containers_size as f64),
            pct(df.containers_reclaimable, df.containers_size),
        ],
        ["Local Volumes", "0", "0", "0B", "0B"]
            .map(str::to_owned)
            .to_vec(),
        vec![
            "Build Cache".into(),
            s.build_cache.records().len().to_string(),
            "0".into(),
            cache.clone(),
            cache,
        ],
    ]
}

fn df(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    let df = s.host.system_df();
    if !p.has("verbose") {
        let rows = summary_rows(&df, s);
        for l in render(&rows) {
            t.out(l);
        }
        return t;
    }
    t.out("Images space usage:");
    t.out("");
    let rows = image_rows(s, &df);
    for l in render(&rows) {
        t.out(l);
    }
    t.out("");
    t.out("Containers space usage:");
    t.out("");
    let rows = container_rows(s);
    for l in render(&rows) {
        t.out(l);
    }
    t.out("");
    t.out("Local Volumes space usage:");
    t.out("");
    t.out("VOLUME NAME   LINKS     SIZE");
    t.out("");
    t.out(format!(
        "Build cache usage: {}",
        human_size(cache_size(s) as f64)
    ));
    t.out("");
    let rows = cache_rows(s);
    for l in render(&rows) {
        t.out(l);
    }
    t
}

/// `system df -v`'s images table, newest first as `docker images` lists them.
fn image_rows(s: &Session, df: &crate::host::SystemDf) -> Vec<Vec<String>> {
    let now = s.host.now();
    let mut rows = vec![[
        "REPOSITORY",
        "TAG",
        "IMAGE ID",
        "CREATED",
        "SIZE",
        "SHARED SIZE",
        "UNIQUE SIZE",
        "CONTAINERS",
    ]
    .map(str::to_owned)
    .to_vec()];
    // Newest first, as `docker images` lists them.
    let mut per_image: Vec<_> = df.per_image.iter().collect();
    crate::sort::sort_by_key(&mut per_image, |u| {
        std::cmp::Reverse(s.host.image(u.id.as_str()).map_or(now, |i| i.created))
    });
    for u in per_image {
        let created = s
            .host
            .image(u.id.as_str())
            .map(|i| i.created)
            .unwrap_or(now);
        let tags = s.host.tags_of(&u.id);
        let (repo, tag) = tags
            .first()
            .map(|r| (r.repository.clone(), r.tag.clone()))
            .unwrap_or(("<none>".into(), "<none>".into()));
        rows.push(vec![
            repo,
            tag,
            u.id.short().to_owned(),
            format!(
                "{} ago",
                crate::clock::human_duration(now.saturating_sub(created))
            ),
            human_size_with_precision(u.size as f64, 3),
            human_size(u.shared as f64),
            human_size(u.unique as f64),
            u.containers.to_string(),
        ]);
    }
    rows
}

/// `system df -v`'s containers table, newest first.
fn container_rows(s: &Session) -> Vec<Vec<String>> {
    let now = s.host.now();
    let mut rows = vec![[
        "CONTAINER ID",
        "IMAGE",
        "COMMAND",
        "LOCAL VOLUMES",
        "SIZE",
        "CREATED",
        "STATUS",
        "NAMES",
    ]
    .map(str::to_owned)
    .to_vec()];
    for c in s.host.containers().iter().rev() {
        let status = super::containers::status_text(&c.state, now);
        rows.push(vec![
            c.short_id().to_owned(),
            s.host.image_shown(c),
            crate::table::go_quote(&crate::table::ellipsis(&c.command_line(), 20)),
            "0".into(),
            human_size_with_precision(c.size_rw() as f64, 3),
            format!(
                "{} ago",
                crate::clock::human_duration(now.saturating_sub(c.created))
            ),
            status,
            c.name.clone(),
        ]);
    }
    rows
}

/// `system df -v`'s build cache table.
fn cache_rows(s: &Session) -> Vec<Vec<String>> {
    let now = s.host.now();
    let mut rows = vec![[
        "CACHE ID",
        "CACHE TYPE",
        "SIZE",
        "CREATED",
        "LAST USED",
        "USAGE",
        "SHARED",
    ]
    .map(str::to_owned)
    .to_vec()];
    let ago = |at: u64| {
        format!(
            "{} ago",
            crate::clock::human_duration(now.saturating_sub(at))
        )
    };
    for r in s.build_cache.records() {
        rows.push(vec![
            r.id[..12].to_owned(),
            r.kind.as_str().to_owned(),
            human_size(r.size as f64),
            ago(r.created),
            ago(r.last_used),
            r.usage.to_string(),
            r.layer.is_some_and(|l| shared(s, l)).to_string(),
        ]);
    }
    rows
}

/// `docker builder prune [-a] [-f]` (buildx's): the records it removed, each
/// with `*` when mutable, and their total. buildx lines them up with tabs,
/// the header with the first record, each later record on its own.
pub(super) fn builder_prune(s: &mut Session, args: &[String], mut t: Transcript) -> Transcript {
    let all = args
        .iter()
        .any(|a| a == "--all" || (a.starts_with('-') && !a.starts_with("--") && a.contains('a')));
    let images: Vec<crate::layer::LayerId> = s
        .host
        .images()
        .flat_map(|i| i.layers.iter().map(|l| l.id))
        .collect();
    let removed = s.build_cache.prune(all, |l| images.contains(&l));
    let held = s.build_cache.held_layers();
    t.host(s.host.hold_for_cache(held));
    let now = s.host.now();
    let mut block = Vec::new();
    for (k, r) in removed.iter().enumerate() {
        let id = if r.mutable() {
            format!("{}*", r.id)
        } else {
            r.id.clone()
        };
        let row = vec![
            format!("{id:<40}"),
            "true ".to_owned(),
            format!("{:<10}", human_size(r.size as f64)),
            format!(
                "{} ago",
                crate::clock::human_duration(now.saturating_sub(r.last_used))
            ),
        ];
        if k == 0 {
            block.push(
                ["ID", "RECLAIMABLE", "SIZE", "LAST ACCESSED"]
                    .map(str::to_owned)
                    .to_vec(),
            );
        }
        block.push(row);
        for l in tab_aligned(&block) {
            t.out(l);
        }
        block.clear();
    }
    let total: u64 = removed.iter().map(|r| r.size).sum();
    t.out(format!("Total:\t{}", human_size(total as f64)));
    t
}

/// Go's tabwriter padding with tabs (min width 1, tab width 8, padding 1):
/// each cell but the last is followed by the tabs that reach its column's
/// width, rounded up to a multiple of 8.
fn tab_aligned(rows: &[Vec<String>]) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            let w = rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
                + 1;
            w.div_ceil(8) * 8
        })
        .collect();
    rows.iter()
        .map(|r| {
            let mut line = String::new();
            for (c, cell) in r.iter().enumerate() {
                line.push_str(cell);
                if c + 1 < r.len() {
                    let gap = widths[c] - cell.chars().count();
                    line.push_str(&"\t".repeat(gap.div_ceil(8)));
                }
            }
            line
        })
        .collect()
}
