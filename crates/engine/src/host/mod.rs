//! The Docker host: images and their tags, containers, the layer store, and
//! the logical clock. Every operation returns its result and its events.
//!
//! This file holds `Host` itself, its events and errors, the clock and the
//! init layer; each of the daemon's stores has a file: `images` (images,
//! tags, repo digests, removal), `layers` (the layer store by ChainID),
//! `containers` (create, start, stop, remove, diff, commit), and `disk` is
//! the accounting of what they use (`docker ps -s`, `docker system df`).

mod containers;
mod disk;
mod images;
mod layers;

pub use containers::{CommitOptions, Container, State};
pub use disk::{DiskUsage, ImageUsage, SystemDf};
pub use images::TextImageError;

use crate::clock::EPOCH;
use crate::diff::{Diff, Entry, Meta};
use crate::digest::Digest;
use crate::event::Event;
use crate::image::Image;
use crate::layer::{Layer, LayerId};
use crate::map::{Map, Set};
use crate::path::FsPath;
use crate::reference::Reference;
use std::fmt;
use std::rc::Rc;

/// A result with the events that produced it.
#[derive(Debug)]
pub struct Outcome<T> {
    pub value: T,
    pub events: Vec<HostEvent>,
}

/// What happened on the host, beyond file operations inside a container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostEvent {
    /// A file operation inside a container.
    Fs {
        container: String,
        event: Event,
    },
    LayerCreated {
        layer: LayerId,
        diff_id: Digest,
        size: u64,
    },
    /// A layer already in the store (same ChainID) was reused.
    LayerReused {
        layer: LayerId,
        chain_id: Digest,
    },
    LayerDeleted {
        layer: LayerId,
        chain_id: Digest,
    },
    ImageCreated {
        id: Digest,
    },
    ImageTagged {
        id: Digest,
        reference: String,
    },
    ImageUntagged {
        id: Digest,
        reference: String,
    },
    ImageDeleted {
        id: Digest,
    },
    ContainerCreated {
        id: String,
        name: String,
        image: Digest,
    },
    ContainerRemoved {
        id: String,
        name: String,
    },
}

/// Why an image cannot be deleted, and whether a container uses it.
struct DeleteConflict {
    used: bool,
    error: HostError,
}

/// A failure as Docker's daemon words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostError {
    NoSuchContainer(String),
    NoSuchImage(String),
    InvalidReference(crate::reference::InvalidReference),
    NameInUse {
        name: String,
        id: String,
    },
    InvalidName(String),
    ImageInUse {
        reference: String,
        container: String,
        image: String,
    },
    ContainerRunning(String),
    /// The main process could not start (`exec: "python": executable file not found in $PATH`).
    StartFailed(String),
    /// A `docker commit --change` line that cannot apply.
    InvalidChange(crate::change::ChangeError),
    /// `docker rmi` of an image that cannot go (`hard`: not even forced).
    DeleteConflict {
        id: String,
        hard: bool,
        message: String,
    },
    Fs(crate::error::FsError),
}

impl fmt::Display for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HostError::NoSuchContainer(c) => write!(f, "Error response from daemon: No such container: {c}"),
            HostError::NoSuchImage(i) => write!(f, "Error response from daemon: No such image: {i}"),
            HostError::InvalidReference(m) => write!(f, "{m}"),
            HostError::NameInUse { name, id } => write!(
                f,
                "Error response from daemon: Conflict. The container name \"/{name}\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name."
            ),
            HostError::InvalidName(n) => write!(
                f,
                "Error response from daemon: Invalid container name ({n}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
            ),
            HostError::ImageInUse { reference, container, image } => write!(
                f,
                "Error response from daemon: conflict: unable to remove repository reference \"{reference}\" (must force) - container {container} is using its referenced image {image}"
            ),
            HostError::ContainerRunning(name) => write!(
                f,
                "Error response from daemon: cannot remove container \"/{name}\": container is running: stop the container before removing or force remove"
            ),
            HostError::InvalidChange(m) => write!(f, "Error response from daemon: {m}"),
            HostError::DeleteConflict { id, hard, message } => write!(
                f,
                "Error response from daemon: conflict: unable to delete {id} ({}) - {message}",
                if *hard { "cannot be forced" } else { "must be forced" }
            ),
            HostError::StartFailed(m) => write!(
                f,
                "Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: {m}: unknown"
            ),
            HostError::Fs(e) => write!(f, "{e}"),
        }
    }
}

impl From<crate::error::FsError> for HostError {
    fn from(e: crate::error::FsError) -> Self {
        HostError::Fs(e)
    }
}

#[derive(Clone, Debug)]
pub struct Host {
    /// Logical seconds since [`EPOCH`].
    clock: u64,
    next_layer: u64,
    next_container: u64,
    images: Map<Digest, Rc<Image>>,
    tags: Map<Reference, Digest>,
    containers: Vec<Container>,
    /// Container names in use.
    names: Set<String>,
    /// `RepoDigests` of each image: `repository@sha256:<manifest digest>`.
    repo_digests: Map<Digest, Set<String>>,
    /// Every layer by ChainID: images with the same bottom layers share them.
    layers: Map<Digest, Rc<Layer>>,
    init_layer: Rc<Layer>,
    /// Layers BuildKit's cache records hold: `docker rmi` keeps them (no
    /// `Deleted:` line for them) until `docker builder prune` lets them go.
    /// Each with the ChainIDs it holds: its own and its parents'.
    cache_held: Vec<(LayerId, Vec<Digest>)>,
}

impl Default for Host {
    fn default() -> Self {
        Host::new()
    }
}

impl Host {
    pub fn new() -> Self {
        Host {
            clock: 0,
            next_layer: 1,
            next_container: 1,
            images: Map::new(),
            tags: Map::new(),
            containers: Vec::new(),
            names: Set::new(),
            repo_digests: Map::new(),
            layers: Map::new(),
            cache_held: Vec::new(),
            init_layer: Rc::new(Layer::new(LayerId(0), init_layer_diff(EPOCH))),
        }
    }

    /// The current logical time, as Unix seconds.
    pub fn now(&self) -> u64 {
        EPOCH + self.clock
    }

    /// Moves the logical clock forward.
    pub fn advance(&mut self, seconds: u64) {
        self.clock += seconds;
    }

    /// An empty image store for another storage driver: the same clock and
    /// ID counters (so IDs never repeat), no images, containers or layers.
    pub fn empty_store(&self) -> Host {
        Host {
            clock: self.clock,
            next_layer: self.next_layer,
            next_container: self.next_container,
            init_layer: self.init_layer.clone(),
            ..Host::new()
        }
    }

    /// Takes up where `other` (the store in use until now) left off: its
    /// clock and ID counters, when they are ahead.
    pub fn continue_from(&mut self, other: &Host) {
        self.clock = self.clock.max(other.clock);
        self.next_layer = self.next_layer.max(other.next_layer);
        self.next_container = self.next_container.max(other.next_container);
    }

    /// The layer Docker adds below every container's writable layer (`<id>-init`).
    pub fn init_layer(&self) -> &Rc<Layer> {
        &self.init_layer
    }
}

/// What `initlayer.Setup` creates: `/dev/pts`, `/dev/shm`, `/proc`, `/sys`, empty
/// `/.dockerenv`, `/etc/resolv.conf`, `/etc/hosts`, `/etc/hostname`, `/dev/console`,
/// and `/etc/mtab -> /proc/mounts`.
fn init_layer_diff(mtime: u64) -> Diff {
    let mut d = Diff::new();
    let dir = |mode| Entry::Dir {
        meta: Meta::new(mode, mtime),
        opaque: false,
    };
    for (p, mode) in [
        ("dev", 0o755),
        ("dev/pts", 0o755),
        ("dev/shm", 0o755),
        ("etc", 0o755),
        ("proc", 0o755),
        ("sys", 0o755),
    ] {
        if let Ok(path) = FsPath::lexical(p) {
            d.put(path, dir(mode));
        }
    }
    for p in [
        ".dockerenv",
        "etc/resolv.conf",
        "etc/hosts",
        "etc/hostname",
        "dev/console",
    ] {
        if let Ok(path) = FsPath::lexical(p) {
            d.put_file(
                path,
                Meta::new(0o755, mtime),
                crate::content::Content::empty(),
            );
        }
    }
    if let Ok(path) = FsPath::lexical("etc/mtab") {
        d.put(
            path,
            Entry::Symlink {
                meta: Meta::new(0o777, mtime),
                target: "/proc/mounts".into(),
            },
        );
    }
    d
}
