//! The daemon's disk accounting: `docker ps -s`'s sizes, the disk really
//! used (each shared layer counted once), and `docker system df` with its
//! per-image shared and unique bytes.

use super::{Container, Host, State};
use crate::digest::Digest;
use crate::map::{Map, Set};

impl Host {
    /// `(SIZE, virtual)` of every container, in creation order (`docker ps -s`).
    pub fn ps_sizes(&self) -> Vec<(u64, u64)> {
        let mut image_sizes: Map<&Digest, u64> = Map::new();
        self.containers
            .iter()
            .map(|c| {
                let image = *image_sizes
                    .entry(&c.image)
                    .or_insert_with(|| self.images.get(&c.image).map(|i| i.size()).unwrap_or(0));
                (c.size_rw(), image + c.size_rw())
            })
            .collect()
    }

    /// The disk really used by all containers: every distinct image layer they
    /// stand on once, plus each writable layer. For N containers of one image this
    /// is Σ size + (virtual − size).
    pub fn disk_usage(&self) -> DiskUsage {
        let mut chains: Set<Digest> = Set::new();
        let mut image_layers = 0;
        let mut writable = 0;
        let mut naive = 0;
        for c in &self.containers {
            let Some(image) = self.images.get(&c.image) else {
                continue;
            };
            for (layer, chain) in image.layers.iter().zip(image.chain_ids()) {
                if chains.insert(chain.clone()) {
                    image_layers = layer.size().saturating_add(image_layers);
                }
            }
            writable = c.size_rw().saturating_add(writable);
            naive = image
                .size()
                .saturating_add(c.size_rw())
                .saturating_add(naive);
        }
        DiskUsage {
            image_layers,
            writable,
            total: image_layers.saturating_add(writable),
            naive_virtual_sum: naive,
        }
    }

    /// The numbers of `docker system df` (and `-v`).
    pub fn system_df(&self) -> SystemDf {
        let mut users: Map<Digest, usize> = Map::new();
        for image in self.images.values() {
            for chain in image.chain_ids() {
                *users.entry(chain.clone()).or_default() += 1;
            }
        }
        let mut all_layers: Map<Digest, u64> = Map::new();
        let mut per_image = Vec::new();
        // The CLI's RECLAIMABLE: the total less what in-use images hold
        // alone (their shared layers count as reclaimable).
        let mut used = 0u64;
        let mut active = 0;
        for image in self.images.values() {
            let containers = self
                .containers
                .iter()
                .filter(|c| c.image == image.id)
                .count();
            let mut shared = 0;
            for (layer, chain) in image.layers.iter().zip(image.chain_ids()) {
                if users.get(chain).copied().unwrap_or(0) > 1 {
                    shared = layer.size().saturating_add(shared);
                }
                all_layers.insert(chain.clone(), layer.size());
            }
            let size = image.size();
            if containers != 0 {
                used = used.saturating_add(size.saturating_sub(shared));
                active += 1;
            }
            per_image.push(ImageUsage {
                id: image.id.clone(),
                size,
                shared,
                unique: size.saturating_sub(shared),
                containers,
            });
        }
        let running = |c: &&Container| matches!(c.state, State::Running { .. });
        SystemDf {
            images_total: self.images.len(),
            images_active: active,
            images_size: sum(all_layers.values().copied()),
            images_reclaimable: sum(all_layers.values().copied()).saturating_sub(used),
            containers_total: self.containers.len(),
            containers_active: self.containers.iter().filter(running).count(),
            containers_size: sum(self.containers.iter().map(Container::size_rw)),
            containers_reclaimable: sum(self
                .containers
                .iter()
                .filter(|c| !running(c))
                .map(Container::size_rw)),
            per_image,
        }
    }
}

/// Disk used by containers, counted as Docker does: each shared layer once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiskUsage {
    /// Bytes of the distinct image layers the containers stand on.
    pub image_layers: u64,
    /// Σ SIZE: every container's writable layer.
    pub writable: u64,
    /// What is really on disk: `image_layers + writable`.
    pub total: u64,
    /// Σ virtual: what adding up `docker ps -s` virtual sizes would (wrongly) suggest.
    pub naive_virtual_sum: u64,
}

/// One row of `docker system df -v`'s images section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageUsage {
    pub id: Digest,
    pub size: u64,
    pub shared: u64,
    pub unique: u64,
    pub containers: usize,
}

/// The numbers behind `docker system df`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SystemDf {
    pub images_total: usize,
    pub images_active: usize,
    pub images_size: u64,
    pub images_reclaimable: u64,
    pub containers_total: usize,
    pub containers_active: usize,
    pub containers_size: u64,
    pub containers_reclaimable: u64,
    pub per_image: Vec<ImageUsage>,
}

/// A total of sizes that saturates rather than wrap.
fn sum(sizes: impl Iterator<Item = u64>) -> u64 {
    sizes.fold(0, u64::saturating_add)
}
