//! `/var/lib/docker` as a storage driver lays it out, derived from the host's
//! state: overlay2 (the default), aufs (the tutorial's), and vfs (no
//! copy-on-write at all: every layer a full copy).
//!
//! Since Docker 1.10 images are named by their config digest and layers by
//! ChainID, but the driver's directories use *cache IDs* that look random and
//! match no digest. Here cache IDs derive from state (no random numbers) and
//! visibly differ from every digest the CLI shows: that is the lesson.

use crate::content::Content;
use crate::diff::{Diff, Entry};
use crate::digest::Digest;
use crate::host::Host;
use crate::layer::{Layer, LayerId};
use crate::lower::Lower;
use crate::merged::{Merged, Node};
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

pub const ROOT: &str = "/var/lib/docker";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Driver {
    Overlay2,
    Aufs,
    Vfs,
}

impl Driver {
    pub const ALL: [Driver; 3] = [Driver::Overlay2, Driver::Aufs, Driver::Vfs];

    pub fn name(self) -> &'static str {
        match self {
            Driver::Overlay2 => "overlay2",
            Driver::Aufs => "aufs",
            Driver::Vfs => "vfs",
        }
    }

    pub fn parse(name: &str) -> Option<Driver> {
        Driver::ALL.into_iter().find(|d| d.name() == name)
    }
}

impl fmt::Display for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One object under `/var/lib/docker`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiskNode {
    Dir,
    File(Content),
    Symlink(String),
    /// An overlay whiteout: a character device 0/0.
    Whiteout,
}

/// An entry, and the engine layer whose data it holds, if any (for linking the view to the diagram).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskEntry {
    pub path: String,
    pub node: DiskNode,
    pub layer: Option<LayerId>,
}

/// The driver's directory name for a stored layer: 64 hex digits that match no digest.
pub fn cache_id(chain: &Digest) -> String {
    Digest::of(format!("cache-id {chain}").as_bytes())
        .hex()
        .to_owned()
}

/// overlay2's short link name: 26 characters of base32.
pub fn link_id(cache_id: &str) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let d = Digest::of(format!("link {cache_id}").as_bytes());
    d.hex()
        .bytes()
        .take(26)
        .map(|b| ALPHABET[(b as usize * 7) % 32] as char)
        .collect()
}

/// A container's mount ID (its writable layer's directory; `<id>-init` for the init layer).
pub fn mount_id(container_id: &str) -> String {
    Digest::of(format!("mount-id {container_id}").as_bytes())
        .hex()
        .to_owned()
}

struct Tree {
    entries: BTreeMap<String, (DiskNode, Option<LayerId>)>,
    /// Only the layers' directories, not the files in them (see [`outline`]).
    shallow: bool,
}

impl Tree {
    /// `path` and its parents, as directories where nothing is yet.
    fn dir(&mut self, path: &str) {
        let path = path.trim_end_matches('/');
        // Most entries land in a directory already there: one lookup.
        if path.is_empty() || self.entries.contains_key(path) {
            return;
        }
        if let Some((parent, _)) = path.rsplit_once('/') {
            self.dir(parent);
        }
        self.entries.insert(path.to_owned(), (DiskNode::Dir, None));
    }
    fn file(&mut self, path: &str, text: impl Into<Vec<u8>>) {
        self.put(path, DiskNode::File(Content::bytes(text)), None);
    }
    fn put(&mut self, path: &str, node: DiskNode, layer: Option<LayerId>) {
        if let Some((parent, _)) = path.rsplit_once('/') {
            self.dir(parent);
        }
        self.entries.insert(path.to_owned(), (node, layer));
    }
    /// The text of a file already in the tree.
    fn text(&self, path: &str) -> Option<String> {
        match self.entries.get(path) {
            Some((DiskNode::File(c), _)) => Some(String::from_utf8_lossy(&c.to_vec()).into_owned()),
            _ => None,
        }
    }

    /// A layer's own files below `dir`, in the driver's native form.
    fn diff(&mut self, dir: &str, diff: &Diff, layer: LayerId, aufs: bool) {
        self.put(dir, DiskNode::Dir, Some(layer));
        if self.shallow {
            return;
        }
        for (p, e) in diff.entries() {
            let at = format!("{dir}{p}");
            let node = match e {
                Entry::Dir { .. } => DiskNode::Dir,
                Entry::File { ino } => DiskNode::File(
                    diff.inode(*ino)
                        .map(|i| i.content.clone())
                        .unwrap_or_default(),
                ),
                Entry::Symlink { target, .. } => DiskNode::Symlink(target.clone()),
                Entry::Whiteout if aufs => {
                    let name = format!(
                        "{dir}{}/.wh.{}",
                        p.parent().to_string().trim_end_matches('/'),
                        p.name()
                    );
                    self.put(&name, DiskNode::File(Content::empty()), Some(layer));
                    continue;
                }
                Entry::Whiteout => DiskNode::Whiteout,
            };
            self.put(&at, node, Some(layer));
            if aufs && matches!(e, Entry::Dir { opaque: true, .. }) {
                self.put(
                    &format!("{at}/.wh..wh..opq"),
                    DiskNode::File(Content::empty()),
                    Some(layer),
                );
            }
        }
    }
    /// A full copy of a stack's merged tree below `dir` (vfs).
    fn full_copy(
        &mut self,
        dir: &str,
        layers: Vec<Rc<Layer>>,
        upper: Option<&Diff>,
        layer: LayerId,
    ) {
        self.put(dir, DiskNode::Dir, Some(layer));
        if self.shallow {
            return;
        }
        let lower = Rc::new(Lower::new(layers));
        let view = match upper {
            Some(u) => Merged::with_upper(lower, u.clone()),
            None => Merged::new(lower),
        };
        for s in view.walk() {
            let node = match s.node {
                Node::Dir { .. } => DiskNode::Dir,
                Node::File { content, .. } => DiskNode::File(content),
                Node::Symlink { target, .. } => DiskNode::Symlink(target),
            };
            self.put(&format!("{dir}{}", s.path), node, Some(layer));
        }
    }
}

/// Everything under `/var/lib/docker` for `driver`, sorted by path.
pub fn layout(host: &Host, driver: Driver) -> Vec<DiskEntry> {
    lay_out(host, driver, false)
}

/// [`layout`] without the files inside the layers' directories: what listing
/// the driver's directories needs, at a fraction of the cost.
pub fn outline(host: &Host, driver: Driver) -> Vec<DiskEntry> {
    lay_out(host, driver, true)
}

fn lay_out(host: &Host, driver: Driver, shallow: bool) -> Vec<DiskEntry> {
    let mut t = Tree {
        entries: BTreeMap::new(),
        shallow,
    };
    let d = driver.name();
    let home = format!("{ROOT}/{d}");
    t.dir(&home);
    let db = format!("{ROOT}/image/{d}");
    t.dir(&format!("{db}/layerdb/sha256"));
    t.dir(&format!("{db}/imagedb/content/sha256"));
    t.dir(&format!("{ROOT}/containers"));

    let stored = host.stored_layers();
    let mut cache_of: crate::map::Map<Digest, String> = crate::map::Map::new();
    let mut stack_of: crate::map::Map<Digest, Vec<Rc<Layer>>> = crate::map::Map::new();
    let has_child: Vec<&Digest> = stored.iter().filter_map(|(_, _, p)| p.as_ref()).collect();
    // The top layer of every container's image: containers stand on it.
    let under_containers: Vec<Digest> = host
        .containers()
        .iter()
        .filter_map(|c| host.image(c.image.as_str()).ok())
        .filter_map(|i| i.chain_ids().last().cloned())
        .collect();
    for (chain, layer, parent) in &stored {
        let cid = cache_id(chain);
        let mut stack = parent
            .as_ref()
            .and_then(|p| stack_of.get(p))
            .cloned()
            .unwrap_or_default();
        stack.push(layer.clone());
        stack_of.insert(chain.clone(), stack.clone());
        let ldb = format!("{db}/layerdb/sha256/{}", chain.hex());
        t.file(&format!("{ldb}/diff"), layer.diff_id().to_string());
        t.file(&format!("{ldb}/cache-id"), cid.clone());
        t.file(&format!("{ldb}/size"), layer.size().to_string());
        if let Some(p) = parent {
            t.file(&format!("{ldb}/parent"), p.to_string());
        }
        let parent_cache = parent.as_ref().and_then(|p| cache_of.get(p)).cloned();
        match driver {
            Driver::Overlay2 => {
                let committed = has_child.contains(&chain) || under_containers.contains(chain);
                overlay2_layer(
                    &mut t,
                    &home,
                    &cid,
                    layer.id,
                    &layer.diff,
                    parent_cache.as_deref(),
                    committed,
                );
            }
            Driver::Aufs => aufs_layer(
                &mut t,
                &home,
                &cid,
                layer.id,
                &layer.diff,
                parent_cache.as_deref(),
            ),
            Driver::Vfs => t.full_copy(&format!("{home}/dir/{cid}"), stack, None, layer.id),
        }
        cache_of.insert(chain.clone(), cid);
    }

    image_db(&mut t, host, &db);

    containers(&mut t, host, driver, &home, &db, &cache_of, &stack_of);
    t.entries
        .into_iter()
        .map(|(path, (node, layer))| DiskEntry {
            path,
            node,
            layer: layer.filter(|l| l.0 != u64::MAX),
        })
        .collect()
}

/// The image store's own files: each image's config and parent, and the
/// tags in `repositories.json`.
fn image_db(t: &mut Tree, host: &Host, db: &str) {
    for image in host.images() {
        t.file(
            &format!("{db}/imagedb/content/sha256/{}", image.id.hex()),
            image.config_json.clone(),
        );
        if let Some(parent) = &image.parent {
            t.file(
                &format!("{db}/imagedb/metadata/sha256/{}/parent", image.id.hex()),
                parent.to_string(),
            );
        }
    }
    let mut repos: crate::map::Map<String, crate::map::Map<String, String>> =
        crate::map::Map::new();
    for (r, id) in host.tag_list() {
        repos
            .entry(r.repository.clone())
            .or_default()
            .insert(r.to_string(), id.to_string());
    }
    // Written as the daemon writes it: keys sorted, no spaces.
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut json = String::from("{\"Repositories\":{");
    for (i, (repo, tags)) in repos.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&quote(repo));
        json.push_str(":{");
        for (j, (tag, id)) in tags.iter().enumerate() {
            if j > 0 {
                json.push(',');
            }
            json.push_str(&format!("{}:{}", quote(tag), quote(id)));
        }
        json.push('}');
    }
    json.push_str("}}");
    t.file(&format!("{db}/repositories.json"), json);
}

/// Each container's mount ids, and its init and writable layers in the
/// driver's directory, on its image's top layer.
fn containers(
    t: &mut Tree,
    host: &Host,
    driver: Driver,
    home: &str,
    db: &str,
    cache_of: &crate::map::Map<Digest, String>,
    stack_of: &crate::map::Map<Digest, Vec<Rc<Layer>>>,
) {
    let init = host.init_layer().clone();
    for c in host.containers() {
        let mid = mount_id(&c.id);
        let init_id = format!("{mid}-init");
        let top = host
            .image(c.image.as_str())
            .ok()
            .and_then(|i| i.chain_ids().last().cloned());
        let image_cache = top.as_ref().and_then(|t| cache_of.get(t)).cloned();
        let mounts = format!("{db}/layerdb/mounts/{}", c.id);
        t.file(&format!("{mounts}/mount-id"), mid.clone());
        t.file(&format!("{mounts}/init-id"), init_id.clone());
        if let Some(top) = &top {
            t.file(&format!("{mounts}/parent"), top.to_string());
        }
        t.file(
            &format!("{ROOT}/containers/{}/hostname", c.id),
            format!("{}\n", c.short_id()),
        );
        let upper = c.fs.upper();
        match driver {
            Driver::Overlay2 => {
                overlay2_layer(
                    t,
                    home,
                    &init_id,
                    init.id,
                    &init.diff,
                    image_cache.as_deref(),
                    true,
                );
                overlay2_layer(
                    t,
                    home,
                    &mid,
                    LayerId(u64::MAX),
                    upper,
                    Some(&init_id),
                    false,
                );
            }
            Driver::Aufs => {
                aufs_layer(
                    t,
                    home,
                    &init_id,
                    init.id,
                    &init.diff,
                    image_cache.as_deref(),
                );
                aufs_layer(t, home, &mid, LayerId(u64::MAX), upper, Some(&init_id));
            }
            Driver::Vfs => {
                let mut stack = top
                    .as_ref()
                    .and_then(|t| stack_of.get(t))
                    .cloned()
                    .unwrap_or_default();
                stack.push(init.clone());
                t.full_copy(
                    &format!("{home}/dir/{init_id}"),
                    stack.clone(),
                    None,
                    init.id,
                );
                t.full_copy(
                    &format!("{home}/dir/{mid}"),
                    stack,
                    Some(upper),
                    LayerId(u64::MAX),
                );
            }
        }
    }
}

fn overlay2_layer(
    t: &mut Tree,
    home: &str,
    id: &str,
    layer: LayerId,
    diff: &Diff,
    parent: Option<&str>,
    committed: bool,
) {
    let dir = format!("{home}/{id}");
    t.diff(&format!("{dir}/diff"), diff, layer, false);
    let link = link_id(id);
    t.file(&format!("{dir}/link"), link.clone());
    t.put(
        &format!("{home}/l/{link}"),
        DiskNode::Symlink(format!("../{id}/diff")),
        Some(layer),
    );
    if let Some(parent) = parent {
        // As overlay2 does, read the parent's own `link` and `lower` files.
        let parent_link = t
            .text(&format!("{home}/{parent}/link"))
            .unwrap_or_else(|| link_id(parent));
        let parent_lower = t
            .text(&format!("{home}/{parent}/lower"))
            .map(|l| format!(":{l}"))
            .unwrap_or_default();
        t.file(
            &format!("{dir}/lower"),
            format!("l/{parent_link}{parent_lower}"),
        );
        t.dir(&format!("{dir}/work"));
    }
    if committed {
        t.file(&format!("{dir}/committed"), "");
    }
}

fn aufs_layer(
    t: &mut Tree,
    home: &str,
    id: &str,
    layer: LayerId,
    diff: &Diff,
    parent: Option<&str>,
) {
    t.diff(&format!("{home}/diff/{id}"), diff, layer, true);
    let ancestors = parent
        .map(|p| {
            let above = t.text(&format!("{home}/layers/{p}")).unwrap_or_default();
            format!("{p}\n{above}")
        })
        .unwrap_or_default();
    t.file(&format!("{home}/layers/{id}"), ancestors);
    t.dir(&format!("{home}/mnt/{id}"));
}

/// The directory where `driver` keeps the files of the layer named `id` (a
/// cache ID, a mount ID or `<mount ID>-init`): overlay2's `<id>/diff`, aufs's
/// `diff/<id>`, vfs's `dir/<id>` (a full copy), as [`layout`] writes them.
pub fn layer_dir(driver: Driver, id: &str) -> String {
    match driver {
        Driver::Overlay2 => format!("{ROOT}/overlay2/{id}/diff"),
        Driver::Aufs => format!("{ROOT}/aufs/diff/{id}"),
        Driver::Vfs => format!("{ROOT}/vfs/dir/{id}"),
    }
}

/// overlay2's short link to a layer's directory, relative to its home
/// (`l/<link ID>`), which keeps the mount options under a page; other
/// drivers have none.
pub fn layer_link(driver: Driver, id: &str) -> Option<String> {
    (driver == Driver::Overlay2).then(|| format!("l/{}", link_id(id)))
}
