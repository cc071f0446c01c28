//! The layer store: every layer by ChainID, so images with the same bottom
//! layers share them, and the layer ids handed out.

use super::{Host, HostEvent};
use crate::diff::Diff;
use crate::digest::{chain_ids, Digest};
use crate::layer::{Layer, LayerId};
use crate::map::Map;
use std::rc::Rc;

impl Host {
    /// Layer ids below `next` are taken (the registry's teaching images have them).
    pub fn reserve_layer_ids(&mut self, next: u64) {
        self.next_layer = self.next_layer.max(next);
    }

    /// A new read-only layer from a diff (not yet in the store).
    pub fn new_layer(&mut self, diff: Diff) -> Rc<Layer> {
        let id = LayerId(self.next_layer);
        self.next_layer += 1;
        Rc::new(Layer::new(id, diff))
    }

    /// Whether the layer store has a layer with this ChainID.
    pub fn has_layer(&self, chain_id: &Digest) -> bool {
        self.layers.contains_key(chain_id)
    }

    /// The stored layer with this ChainID: one an image, a container or the
    /// build cache holds (what `docker load` and `docker pull` look up).
    pub fn layer_by_chain(&self, chain_id: &Digest) -> Option<Rc<Layer>> {
        self.layers.get(chain_id).cloned()
    }

    /// Every stored layer by ChainID, with its parent's ChainID, bottom layers first.
    pub fn stored_layers(&self) -> Vec<(Digest, Rc<Layer>, Option<Digest>)> {
        let mut seen: Map<Digest, (Rc<Layer>, Option<Digest>, usize)> = Map::new();
        for image in self.images.values() {
            let chains = image.chain_ids();
            for (i, (layer, chain)) in image.layers.iter().zip(chains).enumerate() {
                let parent = i.checked_sub(1).and_then(|j| chains.get(j)).cloned();
                seen.entry(chain.clone())
                    .or_insert((layer.clone(), parent, i));
            }
        }
        let mut out: Vec<_> = seen
            .into_iter()
            .map(|(c, (l, p, depth))| (depth, c, l, p))
            .collect();
        crate::sort::sort_by_key(&mut out, |a| (a.0, a.2.id));
        out.into_iter().map(|(_, c, l, p)| (c, l, p)).collect()
    }

    /// Whether an image or a container (even one whose image was deleted,
    /// which keeps its layers mounted) stands on the layer `chain`.
    pub(super) fn layer_in_use(&self, chain: &Digest) -> bool {
        self.images.values().any(|i| i.chain_ids().contains(chain))
            || self.cache_held.iter().any(|(_, held)| held.contains(chain))
            || self.layers.get(chain).is_some_and(|l| {
                self.containers
                    .iter()
                    .any(|c| c.fs.lower().layers().iter().any(|x| x.id == l.id))
            })
    }

    /// The layers BuildKit's cache records hold now; a stored layer that
    /// nothing uses any more (its image removed, its record pruned) goes.
    /// A held layer holds its parents too, as a layer store's chain does.
    pub fn hold_for_cache(&mut self, held: Vec<LayerId>) -> Vec<super::HostEvent> {
        let before = std::mem::take(&mut self.cache_held);
        for id in held {
            let chains = before
                .iter()
                .find(|(l, _)| *l == id)
                .map(|(_, c)| c.clone())
                .or_else(|| {
                    self.images.values().find_map(|image| {
                        let k = image.layers.iter().position(|l| l.id == id)?;
                        Some(image.chain_ids().get(..=k)?.to_vec())
                    })
                });
            if let Some(chains) = chains {
                self.cache_held.push((id, chains));
            }
        }
        let gone: Vec<Digest> = self
            .layers
            .iter()
            .map(|(chain, _)| chain.clone())
            .filter(|chain| !self.layer_in_use(chain))
            .collect();
        let mut events = Vec::new();
        for chain in gone {
            if let Some(layer) = self.layers.remove(&chain) {
                events.push(super::HostEvent::LayerDeleted {
                    layer: layer.id,
                    chain_id: chain,
                });
            }
        }
        events
    }

    /// Stores an image's layers (bottom first) by ChainID: a layer whose
    /// ChainID is stored already is that one, reused. The layers as stored,
    /// and their ChainIDs.
    pub(super) fn store_layers(
        &mut self,
        layers: Vec<Rc<Layer>>,
        events: &mut Vec<HostEvent>,
    ) -> (Vec<Rc<Layer>>, Vec<Digest>) {
        let diff_ids: Vec<Digest> = layers.iter().map(|l| l.diff_id().clone()).collect();
        let chains = chain_ids(&diff_ids);
        let mut stored = Vec::with_capacity(layers.len());
        for (layer, chain) in layers.into_iter().zip(chains.iter().cloned()) {
            match self.layers.get(&chain) {
                Some(existing) => {
                    events.push(HostEvent::LayerReused {
                        layer: existing.id,
                        chain_id: chain,
                    });
                    stored.push(existing.clone());
                }
                None => {
                    events.push(HostEvent::LayerCreated {
                        layer: layer.id,
                        diff_id: layer.diff_id().clone(),
                        size: layer.size(),
                    });
                    self.layers.insert(chain, layer.clone());
                    stored.push(layer);
                }
            }
        }
        (stored, chains)
    }
}
