//! The image store and its tags: images by ID, references to IDs, repo
//! digests, parents (the classic builder's chains), and removal with
//! Docker's conflicts (an image a container uses, one with children, one
//! tagged in several repositories).

use super::{DeleteConflict, Host, HostError, HostEvent, Outcome, State};
use crate::digest::Digest;
use crate::fixture::FixtureError;
use crate::image::{Image, ImageConfig};
use crate::layer::Layer;
use crate::reference::{InvalidReference, Reference};
use std::rc::Rc;

/// Why [`Host::add_text_image`] made no image: its text or its tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextImageError {
    Layers(FixtureError),
    Tag(InvalidReference),
}

impl std::fmt::Display for TextImageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TextImageError::Layers(e) => write!(f, "{e}"),
            TextImageError::Tag(e) => write!(f, "{e}"),
        }
    }
}

impl Host {
    /// Registers an image built from `layers` (bottom first). Layers whose ChainID is
    /// already stored are reused, so images share their common bottom layers.
    pub fn add_image(
        &mut self,
        config: ImageConfig,
        layers: Vec<Rc<Layer>>,
        tag: Option<&Reference>,
    ) -> Outcome<Digest> {
        // Docker lists an image as created when its config says (a cached
        // rebuild's is the cached layer's time).
        let at = crate::clock::unix_from_rfc3339(&config.created).unwrap_or_else(|| self.now());
        self.add_image_at(config, layers, tag, at)
    }

    /// An image of `text`'s layers ([`crate::fixture`]'s format), tagged
    /// `tag`, each layer's history `ADD rootfs.tar /` as BuildKit writes it:
    /// the image that engine and browser tests build from text.
    pub fn add_text_image(&mut self, tag: &str, text: &str) -> Result<Digest, TextImageError> {
        let diffs =
            crate::fixture::parse_layers(text, self.now()).map_err(TextImageError::Layers)?;
        let layers: Vec<_> = diffs.into_iter().map(|d| self.new_layer(d)).collect();
        let mut config = ImageConfig::scratch(self.now());
        for _ in &layers {
            config.history.push(crate::image::History::new(
                self.now(),
                "ADD rootfs.tar / # buildkit",
                "buildkit.dockerfile.v0",
                false,
            ));
        }
        let reference = Reference::parse(tag).map_err(TextImageError::Tag)?;
        Ok(self.add_image(config, layers, Some(&reference)).value)
    }

    /// [`Host::add_image`] for an image created at `created` (Unix seconds), as a pulled one.
    pub fn add_image_at(
        &mut self,
        config: ImageConfig,
        layers: Vec<Rc<Layer>>,
        tag: Option<&Reference>,
        created: u64,
    ) -> Outcome<Digest> {
        let mut events = Vec::new();
        let (stored, chains) = self.store_layers(layers, &mut events);
        let image = Image::with_chain_ids(config, stored, chains, self.init_layer.clone(), created);
        let id = self.insert_image(image, &mut events);
        if let Some(reference) = tag {
            events.extend(self.tag(&id, reference));
        }
        Outcome { value: id, events }
    }

    /// Registers an image read from an archive (`docker load`): `config_json`
    /// is kept byte for byte, its digest being the image ID, and layers are
    /// shared by ChainID as [`Host::add_image_at`] shares them.
    pub fn add_loaded_image(
        &mut self,
        config: ImageConfig,
        config_json: String,
        layers: Vec<Rc<Layer>>,
        created: u64,
    ) -> Outcome<Digest> {
        let mut events = Vec::new();
        let (stored, chains) = self.store_layers(layers, &mut events);
        let image = Image::with_config_json(
            config,
            config_json,
            stored,
            chains,
            self.init_layer.clone(),
            created,
        );
        let id = self.insert_image(image, &mut events);
        Outcome { value: id, events }
    }

    /// Adds an image to the store unless it is there already; its ID.
    fn insert_image(&mut self, image: Image, events: &mut Vec<HostEvent>) -> Digest {
        let id = image.id.clone();
        if !self.images.contains_key(&id) {
            self.images.insert(id.clone(), Rc::new(image));
            events.push(HostEvent::ImageCreated { id: id.clone() });
        }
        id
    }

    /// Points `reference` at an image (moving it if it pointed elsewhere).
    pub fn tag(&mut self, id: &Digest, reference: &Reference) -> Vec<HostEvent> {
        let mut events = Vec::new();
        if let Some(old) = self.tags.insert(reference.clone(), id.clone()) {
            if &old == id {
                return events;
            }
            events.push(HostEvent::ImageUntagged {
                id: old,
                reference: reference.to_string(),
            });
        }
        events.push(HostEvent::ImageTagged {
            id: id.clone(),
            reference: reference.to_string(),
        });
        events
    }

    pub fn images(&self) -> impl Iterator<Item = &Rc<Image>> {
        self.images.values()
    }

    /// Sets the local parent link of an image that was just added (legacy
    /// builds and commits keep one; pulled and BuildKit images have none).
    pub fn set_parent(&mut self, id: &Digest, parent: Option<Digest>) {
        if let Some(image) = self.images.get_mut(id).and_then(Rc::get_mut) {
            image.parent = parent;
        }
    }

    /// Whether another local image names this one as its parent.
    pub fn has_children(&self, id: &Digest) -> bool {
        self.images.values().any(|i| i.parent.as_ref() == Some(id))
    }

    /// Whether an image is intermediate, as the legacy builder leaves them:
    /// untagged, and the parent of another (`docker images` lists it only
    /// with `-a`).
    pub fn is_intermediate(&self, id: &Digest) -> bool {
        self.tags_of(id).is_empty() && self.has_children(id)
    }

    /// Tags of an image, sorted.
    pub fn tags_of(&self, id: &Digest) -> Vec<&Reference> {
        self.tags
            .iter()
            .filter(|(_, i)| *i == id)
            .map(|(r, _)| r)
            .collect()
    }

    /// Finds an image by reference (`nginx`, `nginx:latest`), full ID or unique ID prefix.
    pub fn image(&self, text: &str) -> Result<&Rc<Image>, HostError> {
        if let Ok(reference) = Reference::parse(text) {
            if let Some(id) = self.tags.get(&reference) {
                if let Some(image) = self.images.get(id) {
                    return Ok(image);
                }
            }
        }
        let hex = text.strip_prefix("sha256:").unwrap_or(text);
        if hex.len() >= 4 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let mut found = self.images.values().filter(|i| i.id.hex().starts_with(hex));
            if let (Some(one), None) = (found.next(), found.next()) {
                return Ok(one);
            }
        }
        // The daemon names what it looked for in full: `nosuch:latest`.
        let shown = Reference::parse(text).map_or_else(|_| text.to_owned(), |r| r.to_string());
        Err(HostError::NoSuchImage(shown))
    }

    /// `docker rmi [-f]`, by moby's rules (`daemon/images/image_delete.go`).
    /// By reference: untags, refusing to untag the last tag of an image a
    /// container uses unless forced; the image goes once no tag is left,
    /// unless a running container uses it. By ID: refused when several
    /// repositories name the image or a stopped container uses it, unless
    /// forced; never while a running container uses it or images are built
    /// on it. Untagged parents nothing else needs go too.
    pub fn remove_image(&mut self, text: &str, force: bool) -> Result<Outcome<()>, HostError> {
        let id = self.image(text)?.id.clone();
        let by_tag = Reference::parse(text)
            .ok()
            .filter(|r| self.tags.get(r) == Some(&id));
        let single = self.tags_of(&id).len() <= 1;
        let mut events = Vec::new();
        let quiet = match by_tag {
            Some(r) => {
                if !force && single {
                    if let Some(c) = self.containers.iter().find(|c| c.image == id) {
                        return Err(HostError::ImageInUse {
                            reference: text.to_owned(),
                            container: c.short_id().to_owned(),
                            image: id.short().to_owned(),
                        });
                    }
                }
                self.tags.remove(&r);
                events.push(HostEvent::ImageUntagged {
                    id: id.clone(),
                    reference: r.to_string(),
                });
                if !self.tags_of(&id).is_empty() {
                    return Ok(Outcome { value: (), events });
                }
                true
            }
            None => {
                if single {
                    let stopped_too = !force;
                    if let Some(conflict) = self.delete_conflict(&id, false, stopped_too) {
                        return Err(conflict.error);
                    }
                    for r in self.tags_of(&id).into_iter().cloned().collect::<Vec<_>>() {
                        self.tags.remove(&r);
                        events.push(HostEvent::ImageUntagged {
                            id: id.clone(),
                            reference: r.to_string(),
                        });
                    }
                }
                false
            }
        };
        self.delete_unless_conflict(&id, force, quiet, &mut events)?;
        Ok(Outcome { value: (), events })
    }

    /// Why `id` cannot be deleted, if it cannot: images built on it or a
    /// running container (never forced), other tags or a stopped container
    /// (`soft`, unless forced).
    pub(super) fn delete_conflict(
        &self,
        id: &Digest,
        tags: bool,
        stopped: bool,
    ) -> Option<DeleteConflict> {
        let conflict = |hard: bool, used: bool, message: String| DeleteConflict {
            used,
            error: HostError::DeleteConflict {
                id: id.short().to_owned(),
                hard,
                message,
            },
        };
        if self.has_children(id) {
            return Some(conflict(
                true,
                false,
                "image has dependent child images".into(),
            ));
        }
        let using = |running: bool| {
            self.containers
                .iter()
                .find(|c| &c.image == id && matches!(c.state, State::Running { .. }) == running)
        };
        if let Some(c) = using(true) {
            let message = format!("image is being used by running container {}", c.short_id());
            return Some(conflict(true, true, message));
        }
        if tags && !self.tags_of(id).is_empty() {
            let message = "image is referenced in multiple repositories".to_owned();
            return Some(conflict(false, false, message));
        }
        if stopped {
            if let Some(c) = using(false) {
                let message = format!("image is being used by stopped container {}", c.short_id());
                return Some(conflict(false, true, message));
            }
        }
        None
    }

    /// moby's `imageDeleteHelper`: deletes `id` (its tags first) unless a
    /// conflict stands, then prunes its parent quietly. `quiet` ignores a
    /// conflict unless the image is dangling and unused.
    pub(super) fn delete_unless_conflict(
        &mut self,
        id: &Digest,
        force: bool,
        quiet: bool,
        events: &mut Vec<HostEvent>,
    ) -> Result<(), HostError> {
        if let Some(conflict) = self.delete_conflict(id, !force, !force) {
            let dangling = self.tags_of(id).is_empty() && !self.has_children(id);
            if quiet && (!dangling || conflict.used) {
                return Ok(());
            }
            return Err(conflict.error);
        }
        for r in self.tags_of(id).into_iter().cloned().collect::<Vec<_>>() {
            self.tags.remove(&r);
            events.push(HostEvent::ImageUntagged {
                id: id.clone(),
                reference: r.to_string(),
            });
        }
        match self.delete_image(id, events) {
            Some(parent) if self.images.contains_key(&parent) => {
                self.delete_unless_conflict(&parent, false, true, events)
            }
            _ => Ok(()),
        }
    }

    /// Deletes one image and the layers only it used; returns its parent.
    pub(super) fn delete_image(
        &mut self,
        id: &Digest,
        events: &mut Vec<HostEvent>,
    ) -> Option<Digest> {
        let image = self.images.remove(id)?;
        self.repo_digests.remove(id);
        events.push(HostEvent::ImageDeleted { id: id.clone() });
        let (chains, parent) = (image.chain_ids().to_vec(), image.parent.clone());
        drop(image);
        // A layer goes when no image left uses it (the registry and the build
        // cache may still hold it: they are not the daemon's layer store).
        for chain in chains.into_iter().rev() {
            if !self.layer_in_use(&chain) {
                if let Some(layer) = self.layers.remove(&chain) {
                    events.push(HostEvent::LayerDeleted {
                        layer: layer.id,
                        chain_id: chain,
                    });
                }
            }
        }
        parent
    }

    /// Records where an image came from (`nginx@sha256:…`), as `RepoDigests` shows.
    pub fn add_repo_digest(&mut self, id: &Digest, repo_digest: &str) {
        self.repo_digests
            .entry(id.clone())
            .or_default()
            .insert(repo_digest.to_owned());
    }

    /// An image's `RepoDigests`, sorted.
    pub fn repo_digests(&self, id: &Digest) -> Vec<&str> {
        self.repo_digests
            .get(id)
            .map(|s| s.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The image tagged `reference`s, for `repositories.json`.
    pub fn tag_list(&self) -> Vec<(&Reference, &Digest)> {
        self.tags.iter().collect()
    }
}
