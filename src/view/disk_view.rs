//! The storage-driver view: where each layer lives under `/var/lib/docker`,
//! next to the names the CLI shows for it. Since Docker 1.10 the directory is a
//! cache ID that matches neither the DiffID nor the ChainID.

use crate::view::inspect::Selected;
use crate::view::stage::hue;
use layerlab_engine::command::Session;
use layerlab_engine::size::human_size_with_precision;
use layerlab_engine::storage::{
    cache_id, layer_dir, layer_link, mount_id, outline, DiskNode, Driver, ROOT,
};

/// One layer's row.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerRow {
    /// The image tags using this layer, or the container it belongs to.
    pub owner: String,
    pub chain_id: String,
    pub diff_id: String,
    /// The driver's directory for it.
    pub directory: String,
    /// overlay2's short link to that directory (`l/…`), for image layers.
    pub link: String,
    pub size: String,
    pub hue: Option<u16>,
    /// What the inspector shows for this row: the layer, or the container.
    pub select: Selected,
}

/// Rows for every stored layer (bottom layers first), then each container's init and writable layers.
pub fn layer_rows(session: &Session, driver: Driver) -> Vec<LayerRow> {
    let host = &session.host;
    let mut rows: Vec<LayerRow> = host
        .stored_layers()
        .into_iter()
        .map(|(chain, layer, _)| {
            let owners: Vec<String> = host
                .images()
                .filter(|i| i.chain_ids().contains(&chain))
                .flat_map(|i| {
                    host.tags_of(&i.id)
                        .into_iter()
                        .map(|r| r.to_string())
                        .collect::<Vec<_>>()
                })
                .collect();
            let cache = cache_id(&chain);
            LayerRow {
                owner: owners.join(", "),
                chain_id: chain.short().to_owned(),
                diff_id: layer.diff_id().short().to_owned(),
                directory: layer_dir(driver, &cache),
                link: layer_link(driver, &cache).unwrap_or_default(),
                size: human_size_with_precision(layer.size() as f64, 3),
                hue: Some(hue(&chain)),
                select: Selected::Layer(layer.id),
            }
        })
        .collect();
    for c in host.containers() {
        let mid = mount_id(&c.id);
        for (suffix, what, size) in [("-init", "init", 0), ("", "writable", c.size_rw())] {
            rows.push(LayerRow {
                owner: format!("{} ({what})", c.name),
                chain_id: String::new(),
                diff_id: String::new(),
                directory: layer_dir(driver, &format!("{mid}{suffix}")),
                link: String::new(),
                size: human_size_with_precision(size as f64, 3),
                hue: None,
                select: Selected::Container {
                    id: c.id.clone(),
                    dir: "/".into(),
                },
            });
        }
    }
    rows
}

/// `ls`-style lines of the driver's own directory (one level) and, for overlay2,
/// the `l/` links — what `ls -l /var/lib/docker/<driver>` would show.
pub fn top_level_listing(session: &Session, driver: Driver) -> Vec<String> {
    let home = format!("{ROOT}/{}", driver.name());
    let entries = outline(&session.host, driver);
    let depth = |p: &str| p.matches('/').count();
    let base = depth(&home);
    entries
        .iter()
        .filter(|e| e.path.starts_with(&format!("{home}/")))
        .filter(|e| {
            depth(&e.path) == base + 1
                || (driver == Driver::Overlay2 && e.path.starts_with(&format!("{home}/l/")))
        })
        .map(|e| {
            let name = e.path.trim_start_matches(&format!("{home}/"));
            match &e.node {
                DiskNode::Symlink(t) => format!("{name} -> {t}"),
                DiskNode::Dir => format!("{name}/"),
                _ => name.to_owned(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_named_by_cache_ids_not_by_digests() {
        let mut s = Session::new();
        s.run("docker pull ubuntu:15.04");
        s.run("docker create --name box ubuntu:15.04");
        let rows = layer_rows(&s, Driver::Overlay2);
        assert_eq!(rows.len(), 4 + 2);
        for r in rows.iter().filter(|r| !r.chain_id.is_empty()) {
            assert!(r.directory.starts_with("/var/lib/docker/overlay2/"));
            assert!(
                !r.directory.contains(&r.chain_id) && !r.directory.contains(&r.diff_id),
                "{r:?}"
            );
            assert_eq!(r.owner, "ubuntu:15.04");
        }
        assert_eq!(rows[5].owner, "box (writable)");
        let listing = top_level_listing(&s, Driver::Overlay2);
        assert!(listing.iter().any(|l| l == "l/"));
        assert_eq!(listing.iter().filter(|l| l.contains(" -> ../")).count(), 6);
        // Each image layer's link is the one overlay2's l/ holds for its directory.
        for r in rows.iter().filter(|r| !r.chain_id.is_empty()) {
            let cache = r.directory.trim_end_matches("/diff").rsplit('/').next();
            let line = format!("{} -> ../{}/diff", r.link, cache.unwrap_or_default());
            assert_eq!(r.link.len(), "l/".len() + 26, "{r:?}");
            assert!(listing.contains(&line), "{line} not in {listing:?}");
        }
        assert!(rows
            .iter()
            .filter(|r| r.chain_id.is_empty())
            .all(|r| r.link.is_empty()));
        assert!(layer_rows(&s, Driver::Aufs)
            .iter()
            .all(|r| r.link.is_empty()));
        assert!(layer_rows(&s, Driver::Aufs)[0]
            .directory
            .starts_with("/var/lib/docker/aufs/diff/"));
    }
}
