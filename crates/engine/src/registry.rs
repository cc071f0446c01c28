//! A simulated registry serving the teaching images as real manifests, configs
//! and blobs, and `docker pull` as the daemon performs it: layers one by one,
//! `Already exists` for the bottom layers the host already has (by ChainID),
//! then the manifest digest — which is not the image ID.

use crate::catalog;
use crate::digest::{chain_ids, Digest};
use crate::host::{Host, HostEvent};
use crate::image::{Image, ImageConfig};
use crate::layer::{Layer, LayerId};
use crate::manifest::{blob, Manifest};
use crate::map::Map;
use crate::reference::Reference;
use std::cell::OnceCell;
use std::rc::Rc;

/// One image in the registry.
#[derive(Clone)]
pub struct Served {
    pub config: ImageConfig,
    pub layers: Vec<Rc<Layer>>,
    pub created: u64,
    pub note: String,
    manifest: std::cell::OnceCell<(Manifest, Digest)>,
}

impl Served {
    /// The manifest and its digest, computed once (it needs every layer's blob digest).
    pub fn manifest(&self, host: &Host) -> &(Manifest, Digest) {
        self.manifest.get_or_init(|| {
            let image = Image::new(
                self.config.clone(),
                self.layers.clone(),
                host.init_layer().clone(),
                self.created,
            );
            let m = Manifest::of(&image);
            let d = m.digest();
            (m, d)
        })
    }
}

/// Docker's progress states for one layer, in order.
pub const PROGRESS: [&str; 7] = [
    "Pulling fs layer",
    "Waiting",
    "Downloading",
    "Verifying Checksum",
    "Download complete",
    "Extracting",
    "Pull complete",
];

/// What happened to one layer during a pull.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerPull {
    /// First 12 hex digits of the blob digest, as the progress lines show.
    pub short: String,
    pub blob: Digest,
    pub size: u64,
    /// `false`: `Already exists`; `true`: downloaded through every [`PROGRESS`] state.
    pub downloaded: bool,
}

/// The result of a pull: the printed lines and per-layer detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pull {
    pub lines: Vec<String>,
    pub layers: Vec<LayerPull>,
    /// The manifest's digest (`Digest:`), which is not the image ID.
    pub manifest: Digest,
    pub image: Digest,
    pub events: Vec<HostEvent>,
}

/// A reference to pull: by tag, or by manifest digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wanted {
    Tag {
        reference: Reference,
        explicit: bool,
    },
    Digest {
        repository: String,
        digest: Digest,
    },
}

/// Why a pull or a push fails; each prints as the daemon words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegistryError {
    /// The name is not a reference (`invalid reference format`, and its kin).
    InvalidReference(crate::reference::InvalidReference),
    /// The repository is there but not this tag or digest (`name:tag` or `name@digest`).
    ManifestUnknown(String),
    /// No such repository, or, as Docker Hub puts it, no access to it.
    AccessDenied(String),
    /// `docker push` of a name no local image has (the repository, as shown).
    NotLocal(String),
    /// `docker push` to an official `library/` repository: the layers it
    /// prepared (their lines), then the refusal.
    PushDenied { prepared: Vec<String> },
}

impl std::fmt::Display for RegistryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RegistryError::InvalidReference(why) => write!(f, "{why}"),
            RegistryError::ManifestUnknown(name) => write!(
                f,
                "Error response from daemon: manifest for {name} not found: manifest unknown: manifest unknown"
            ),
            RegistryError::AccessDenied(repository) => write!(
                f,
                "Error response from daemon: pull access denied for {repository}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"
            ),
            RegistryError::NotLocal(repository) => write!(
                f,
                "An image does not exist locally with the tag: {repository}"
            ),
            RegistryError::PushDenied { .. } => {
                f.write_str("denied: requested access to the resource is denied")
            }
        }
    }
}

/// Reads `name[:tag]` or `name@sha256:…`.
pub fn parse_wanted(text: &str) -> Result<Wanted, RegistryError> {
    let format = || RegistryError::InvalidReference(crate::reference::InvalidReference::Format);
    if let Some((name, digest)) = text.split_once('@') {
        let digest = Digest::parse(digest).ok_or_else(format)?;
        let r = Reference::parse(name).map_err(RegistryError::InvalidReference)?;
        if name.contains(':') && !name.contains('/') {
            return Err(format());
        }
        return Ok(Wanted::Digest {
            repository: r.repository,
            digest,
        });
    }
    let reference = Reference::parse(text).map_err(RegistryError::InvalidReference)?;
    let explicit = text
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains(':'));
    Ok(Wanted::Tag {
        reference,
        explicit,
    })
}

/// Cloned with the session it belongs to: an app keeps a session per command
/// for undo and the timeline.
#[derive(Clone)]
pub struct Registry {
    images: Map<Reference, Listing>,
}

/// Layer ids set aside for each teaching image (none has more layers).
pub const TEACHING_LAYER_IDS: u64 = 64;

/// One repository tag: a teaching image is read from its text only when it is
/// first asked for (most sessions pull a few), with layer ids fixed in advance
/// so that the order of pulls changes nothing.
#[derive(Clone)]
struct Listing {
    served: OnceCell<Option<Served>>,
    /// A teaching image not read yet: its reference and its first layer id.
    teaching: Option<(&'static str, u64)>,
}

impl Listing {
    fn served(&self) -> Option<&Served> {
        self.served
            .get_or_init(|| self.teaching.and_then(|(r, first)| read_teaching(r, first)))
            .as_ref()
    }
}

fn read_teaching(reference: &str, first_id: u64) -> Option<Served> {
    let t = catalog::teaching_image(reference)?;
    let layers = t
        .layers
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let layer = Rc::new(Layer::new(LayerId(first_id + i as u64), d));
            if let Some((diff_id, blob)) = catalog::memo(reference, i) {
                layer.seed(diff_id, blob);
            }
            layer
        })
        .collect();
    Some(Served {
        config: t.config,
        layers,
        created: t.created,
        note: t.note,
        manifest: Default::default(),
    })
}

impl Registry {
    /// The teaching images, with layer ids the host sets aside for them.
    pub fn teaching(host: &mut Host) -> Registry {
        let mut images = Map::new();
        let mut first_id = 1;
        for r in catalog::REFERENCES {
            if let Ok(reference) = Reference::parse(r) {
                images.insert(
                    reference,
                    Listing {
                        served: OnceCell::new(),
                        teaching: Some((r, first_id)),
                    },
                );
            }
            first_id += TEACHING_LAYER_IDS;
        }
        host.reserve_layer_ids(first_id);
        Registry { images }
    }

    pub fn get(&self, reference: &Reference) -> Option<&Served> {
        self.images.get(reference).and_then(Listing::served)
    }

    pub fn references(&self) -> impl Iterator<Item = &Reference> {
        self.images.keys()
    }

    /// Every image served, with its reference.
    fn served(&self) -> impl Iterator<Item = (&Reference, &Served)> {
        self.images
            .iter()
            .filter_map(|(r, l)| l.served().map(|s| (r, s)))
    }

    fn find(&self, host: &Host, wanted: &Wanted) -> Result<(&Reference, &Served), RegistryError> {
        match wanted {
            Wanted::Tag { reference, .. } => match self
                .images
                .get_key_value(reference)
                .and_then(|(r, l)| l.served().map(|s| (r, s)))
            {
                Some(found) => Ok(found),
                None if self
                    .images
                    .keys()
                    .any(|r| r.repository == reference.repository) =>
                {
                    Err(RegistryError::ManifestUnknown(reference.to_string()))
                }
                None => Err(RegistryError::AccessDenied(reference.repository.clone())),
            },
            Wanted::Digest { repository, digest } => self
                .served()
                .filter(|(r, _)| &r.repository == repository)
                .find(|(_, s)| &s.manifest(host).1 == digest)
                .ok_or_else(|| {
                    if self.images.keys().any(|r| &r.repository == repository) {
                        RegistryError::ManifestUnknown(format!("{repository}@{digest}"))
                    } else {
                        RegistryError::AccessDenied(repository.clone())
                    }
                }),
        }
    }

    /// `docker pull`.
    pub fn pull(&self, host: &mut Host, text: &str) -> Result<Pull, RegistryError> {
        let wanted = parse_wanted(text)?;
        let (reference, served) = self.find(host, &wanted)?;
        let (manifest_digest, blobs) = {
            let (m, d) = served.manifest(host);
            (d.clone(), m.layers.clone())
        };
        let mut lines = Vec::new();
        let (label, shown) = match &wanted {
            Wanted::Tag {
                reference,
                explicit,
            } => {
                if !explicit {
                    lines.push("Using default tag: latest".to_owned());
                }
                (reference.tag.clone(), reference.to_string())
            }
            Wanted::Digest { repository, digest } => {
                (digest.to_string(), format!("{repository}@{digest}"))
            }
        };
        lines.push(format!("{label}: Pulling from {}", reference.remote_path()));

        let diff_ids: Vec<Digest> = served.layers.iter().map(|l| l.diff_id().clone()).collect();
        let chains = chain_ids(&diff_ids);
        let image_exists = {
            let image = Image::new(
                served.config.clone(),
                served.layers.clone(),
                host.init_layer().clone(),
                served.created,
            );
            host.image(image.id.as_str()).is_ok()
        };
        let mut layers = Vec::new();
        if !image_exists {
            // `Already exists` only for the bottom-most run of layers the host has.
            let mut bottom_run = true;
            for (descriptor, chain) in blobs.iter().zip(&chains) {
                // The layer store by ChainID: a layer an image, a container or
                // the build cache still holds is there, as `docker load` finds it.
                bottom_run = bottom_run && host.has_layer(chain);
                let short = descriptor.digest.short().to_owned();
                let status = if bottom_run {
                    "Already exists"
                } else {
                    "Pull complete"
                };
                // A terminal shows one progress line per ID: a blob that
                // occurs twice (the empty layer, say) is one line.
                if !layers.iter().any(|l: &LayerPull| l.short == short) {
                    lines.push(format!("{short}: {status}"));
                }
                layers.push(LayerPull {
                    short,
                    blob: descriptor.digest.clone(),
                    size: descriptor.size,
                    downloaded: !bottom_run,
                });
            }
        }
        let tag = match &wanted {
            Wanted::Tag { reference, .. } => Some(reference.clone()),
            Wanted::Digest { .. } => None,
        };
        let outcome = host.add_image_at(
            served.config.clone(),
            served.layers.clone(),
            tag.as_ref(),
            served.created,
        );
        host.add_repo_digest(
            &outcome.value,
            &format!("{}@{manifest_digest}", reference.repository),
        );
        lines.push(format!("Digest: {manifest_digest}"));
        let status = if image_exists
            && !outcome
                .events
                .iter()
                .any(|e| matches!(e, HostEvent::ImageTagged { .. }))
        {
            format!("Status: Image is up to date for {shown}")
        } else {
            format!("Status: Downloaded newer image for {shown}")
        };
        lines.push(status);
        lines.push(format!("docker.io/{}", qualified(&shown, reference)));
        Ok(Pull {
            lines,
            layers,
            manifest: manifest_digest.clone(),
            image: outcome.value,
            events: outcome.events,
        })
    }
}

fn qualified(shown: &str, reference: &Reference) -> String {
    if reference.repository.contains('/') {
        shown.to_owned()
    } else {
        format!("library/{shown}")
    }
}

/// The result of a push: the printed lines and the manifest digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Push {
    pub lines: Vec<String>,
    pub digest: Digest,
}

impl Registry {
    /// `docker push`: the local image goes up layer by layer (top first). A
    /// blob the repository has is `Layer already exists`, one another
    /// repository has is mounted from it; official `library/` repositories
    /// refuse, as Docker Hub does. Layerlab's registry needs no login.
    pub fn push(&mut self, host: &mut Host, text: &str) -> Result<Push, RegistryError> {
        let reference = Reference::parse(text).map_err(RegistryError::InvalidReference)?;
        let mut lines = Vec::new();
        if !text
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains(':'))
        {
            lines.push("Using default tag: latest".to_owned());
        }
        let image = match host.image(&reference.to_string()) {
            Ok(i) if host.tags_of(&i.id).contains(&&reference) => i.clone(),
            _ => return Err(RegistryError::NotLocal(reference.repository.clone())),
        };
        let path = reference.remote_path();
        lines.push(format!("The push refers to repository [docker.io/{path}]"));
        if path.starts_with("library/") {
            for l in image.layers.iter().rev() {
                let line = format!("{}: Preparing", &l.diff_id().hex()[..12]);
                if !lines.contains(&line) {
                    lines.push(line);
                }
            }
            return Err(RegistryError::PushDenied { prepared: lines });
        }
        for l in image.layers.iter().rev() {
            // The same layer has the same blob: a repository holding it has the blob.
            let holder = self
                .served()
                .filter(|(_, s)| s.layers.iter().any(|x| x.diff_id() == l.diff_id()))
                .min_by_key(|(r, _)| r.repository != reference.repository);
            let state = match holder {
                Some((r, _)) if r.repository == reference.repository => {
                    "Layer already exists".into()
                }
                Some((r, _)) => format!("Mounted from {}", r.remote_path()),
                None => "Pushed".into(),
            };
            let line = format!("{}: {state}", &l.diff_id().hex()[..12]);
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        let served = Served {
            config: image.config.clone(),
            layers: image.layers.clone(),
            created: image.created,
            note: "Pushed from this host.".into(),
            manifest: Default::default(),
        };
        let (size, digest) = {
            let (m, d) = served.manifest(host);
            (m.to_json().len(), d.clone())
        };
        self.images.insert(
            reference.clone(),
            Listing {
                served: OnceCell::from(Some(served)),
                teaching: None,
            },
        );
        host.add_repo_digest(&image.id, &format!("{}@{digest}", reference.repository));
        lines.push(format!("{}: digest: {digest} size: {size}", reference.tag));
        Ok(Push { lines, digest })
    }
}

/// The size of every layer blob, for progress bars.
pub fn blob_sizes(layers: &[Rc<Layer>]) -> Vec<u64> {
    layers.iter().map(|l| blob(l).1).collect()
}
