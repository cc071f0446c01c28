//! The Docker host: images and their tags, containers, the layer store, and
//! the logical clock. Every operation returns its result and its events.

use crate::changes::{self, Change};
use crate::clock::EPOCH;
use crate::diff::{Diff, Entry, Meta};
use crate::digest::{chain_ids, Digest};
use crate::event::Event;
use crate::image::{History, Image, ImageConfig};
use crate::layer::{Layer, LayerId};
use crate::map::{Map, Set};
use crate::merged::Merged;
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
    InvalidReference(String),
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
    InvalidChange(String),
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

/// A container's life, as `docker ps` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    Created,
    Running { since: u64 },
    Exited { code: i32, at: u64 },
}

#[derive(Clone, Debug)]
pub struct Container {
    /// 64 hex digits.
    pub id: String,
    pub name: String,
    pub image: Digest,
    /// The reference it was created with, as `docker ps` shows under IMAGE.
    pub image_ref: String,
    pub created: u64,
    pub state: State,
    /// The main process: entrypoint followed by command (`Path` and `Args`).
    pub command: Vec<String>,
    /// The container's own `Config.Entrypoint` and `Config.Cmd` (what
    /// `docker commit` gives the new image).
    pub entrypoint: Option<Vec<String>>,
    pub cmd: Option<Vec<String>>,
    pub fs: Merged,
    /// Created with `-i`: its standard input stays open, so a shell waits on it.
    pub open_stdin: bool,
    /// What its main process wrote, as `docker logs` shows it: (on stderr, line).
    pub log: Vec<(bool, String)>,
}

impl Container {
    pub fn short_id(&self) -> &str {
        &self.id[..12]
    }

    /// `SizeRw`: the writable layer's bytes.
    pub fn size_rw(&self) -> u64 {
        self.fs.size_rw()
    }

    /// The `Command` `docker ps` lists: the path, then the arguments, those
    /// with a space in single quotes (moby's `daemon/list.go`).
    pub fn command_line(&self) -> String {
        let mut words = self.command.iter();
        let mut line = words.next().cloned().unwrap_or_default();
        for arg in words {
            line.push(' ');
            if arg.contains(' ') {
                line.push_str(&format!("'{arg}'"));
            } else {
                line.push_str(arg);
            }
        }
        line
    }
}

/// What `docker commit -m MESSAGE -a AUTHOR -c CHANGE…` says about the new image.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommitOptions {
    /// The history entry's `created_by`: the container's command, joined with spaces.
    pub created_by: String,
    pub message: String,
    pub author: String,
    /// Dockerfile instructions to apply to the config (`--change`).
    pub changes: Vec<String>,
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

const ADJECTIVES: [&str; 16] = [
    "admiring", "brave", "clever", "eager", "focused", "gifted", "happy", "jolly", "keen",
    "loving", "nifty", "quirky", "relaxed", "sharp", "stoic", "vibrant",
];
const SURNAMES: [&str; 16] = [
    "babbage", "curie", "darwin", "einstein", "feynman", "hopper", "hypatia", "lovelace",
    "meitner", "noether", "pasteur", "ritchie", "tesla", "turing", "wozniak", "yonath",
];

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

    /// [`Host::add_image`] for an image created at `created` (Unix seconds), as a pulled one.
    pub fn add_image_at(
        &mut self,
        config: ImageConfig,
        layers: Vec<Rc<Layer>>,
        tag: Option<&Reference>,
        created: u64,
    ) -> Outcome<Digest> {
        let mut events = Vec::new();
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
        let image = Image::with_chain_ids(config, stored, chains, self.init_layer.clone(), created);
        let id = image.id.clone();
        if !self.images.contains_key(&id) {
            self.images.insert(id.clone(), Rc::new(image));
            events.push(HostEvent::ImageCreated { id: id.clone() });
        }
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
        let diff_ids: Vec<Digest> = layers.iter().map(|l| l.diff_id().clone()).collect();
        let chains = chain_ids(&diff_ids);
        let mut stored = Vec::with_capacity(layers.len());
        for (layer, chain) in layers.into_iter().zip(chains.iter().cloned()) {
            if let Some(existing) = self.layers.get(&chain) {
                events.push(HostEvent::LayerReused {
                    layer: existing.id,
                    chain_id: chain,
                });
                stored.push(existing.clone());
            } else {
                events.push(HostEvent::LayerCreated {
                    layer: layer.id,
                    diff_id: layer.diff_id().clone(),
                    size: layer.size(),
                });
                self.layers.insert(chain, layer.clone());
                stored.push(layer);
            }
        }
        let image = Image::with_config_json(
            config,
            config_json,
            stored,
            chains,
            self.init_layer.clone(),
            created,
        );
        let id = image.id.clone();
        if !self.images.contains_key(&id) {
            self.images.insert(id.clone(), Rc::new(image));
            events.push(HostEvent::ImageCreated { id: id.clone() });
        }
        Outcome { value: id, events }
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

    /// The ID of a container the legacy builder runs a step in, derived from
    /// state like every other container ID.
    pub fn build_container_id(&mut self, image: Option<&Digest>, cmd: &str) -> String {
        let seq = self.next_container;
        self.next_container += 1;
        let parent = image.map_or("", Digest::as_str);
        Digest::of(format!("build container {seq} {parent} {cmd}").as_bytes())
            .hex()
            .to_owned()
    }

    /// A step container the legacy builder leaves behind when its command failed:
    /// `Exited (N)` in `docker ps -a`, its writable layer as the command left it.
    pub fn add_failed_build_container(
        &mut self,
        id: String,
        image: &Digest,
        command: Vec<String>,
        upper: Diff,
        code: i32,
    ) -> Vec<HostEvent> {
        let Some(img) = self.images.get(image).cloned() else {
            return Vec::new();
        };
        let name = self.generated_name(&id);
        self.names.insert(name.clone());
        let now = self.now();
        self.containers.push(Container {
            id: id.clone(),
            name: name.clone(),
            image: image.clone(),
            image_ref: image.short().to_owned(),
            created: now,
            state: State::Exited { code, at: now },
            entrypoint: None,
            cmd: Some(command.clone()),
            command,
            fs: Merged::with_upper(img.lower().clone(), upper),
            open_stdin: false,
            log: Vec::new(),
        });
        vec![HostEvent::ContainerCreated {
            id,
            name,
            image: image.clone(),
        }]
    }

    /// The IMAGE `docker ps` shows for a container: the reference it was
    /// created with while that still names its image, else the image's short ID.
    pub fn image_shown(&self, c: &Container) -> String {
        match self.image(&c.image_ref) {
            Ok(i) if i.id == c.image => c.image_ref.clone(),
            _ => c.image.short().to_owned(),
        }
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

    pub fn containers(&self) -> &[Container] {
        &self.containers
    }

    fn container_index(&self, name_or_id: &str) -> Result<usize, HostError> {
        let wanted = name_or_id.trim_start_matches('/');
        if let Some(i) = self
            .containers
            .iter()
            .position(|c| c.name == wanted || c.id == wanted)
        {
            return Ok(i);
        }
        let mut by_prefix = self
            .containers
            .iter()
            .enumerate()
            .filter(|(_, c)| !wanted.is_empty() && c.id.starts_with(wanted));
        match (by_prefix.next(), by_prefix.next()) {
            (Some((i, _)), None) => Ok(i),
            _ => Err(HostError::NoSuchContainer(name_or_id.to_owned())),
        }
    }

    pub fn container(&self, name_or_id: &str) -> Result<&Container, HostError> {
        self.container_index(name_or_id)
            .map(|i| &self.containers[i])
    }

    pub fn container_mut(&mut self, name_or_id: &str) -> Result<&mut Container, HostError> {
        let now = self.now();
        let i = self.container_index(name_or_id)?;
        let c = &mut self.containers[i];
        c.fs.set_time(now);
        Ok(c)
    }

    /// A container's file system, stamped with the current time.
    pub fn fs(&mut self, name_or_id: &str) -> Result<&mut Merged, HostError> {
        self.container_mut(name_or_id).map(|c| &mut c.fs)
    }

    /// `docker create`: the image's layers plus the init layer plus a new, empty
    /// writable layer. Costs O(1) whatever the image's size.
    pub fn create_container(
        &mut self,
        image_ref: &str,
        name: Option<&str>,
    ) -> Result<Outcome<String>, HostError> {
        self.create_container_with(image_ref, name, None)
    }

    /// `docker create IMAGE [COMMAND]`: like [`Host::create_container`], with the
    /// image's `Cmd` replaced when a command is given.
    pub fn create_container_with(
        &mut self,
        image_ref: &str,
        name: Option<&str>,
        cmd: Option<Vec<String>>,
    ) -> Result<Outcome<String>, HostError> {
        let image = self.image(image_ref)?.clone();
        let seq = self.next_container;
        let id =
            Digest::of(format!("container {seq} {} {}", image.id, name.unwrap_or("")).as_bytes())
                .hex()
                .to_owned();
        let name = match name {
            Some(n) => {
                let valid = n.len() >= 2
                    && n.starts_with(|c: char| c.is_ascii_alphanumeric())
                    && n.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
                if !valid {
                    return Err(HostError::InvalidName(n.to_owned()));
                }
                if let Some(other) = self.containers.iter().find(|c| c.name == n) {
                    return Err(HostError::NameInUse {
                        name: n.to_owned(),
                        id: other.id.clone(),
                    });
                }
                n.to_owned()
            }
            None => self.generated_name(&id),
        };
        self.next_container += 1;
        self.names.insert(name.clone());
        let mut fs = Merged::new(image.lower().clone());
        fs.set_time(self.now());
        // Docker bind-mounts these over the init layer's empty files.
        for path in ["/etc/hosts", "/etc/hostname", "/etc/resolv.conf"] {
            fs.bind(path);
        }
        let entrypoint = image.config.config.entrypoint.clone();
        let cmd = cmd.or_else(|| image.config.config.cmd.clone());
        self.containers.push(Container {
            id: id.clone(),
            name: name.clone(),
            image: image.id.clone(),
            image_ref: image_ref.to_owned(),
            created: self.now(),
            state: State::Created,
            command: {
                let mut argv = entrypoint.clone().unwrap_or_default();
                argv.extend(cmd.clone().unwrap_or_default());
                argv
            },
            entrypoint,
            cmd,
            fs,
            open_stdin: false,
            log: Vec::new(),
        });
        let events = vec![HostEvent::ContainerCreated {
            id: id.clone(),
            name,
            image: image.id.clone(),
        }];
        Ok(Outcome { value: id, events })
    }

    /// A Docker-style `adjective_surname`, derived from the container's ID; on a
    /// clash a number is appended, as Docker's name generator does on retry.
    fn generated_name(&self, id: &str) -> String {
        let n = u64::from_str_radix(&id[..12], 16).unwrap_or(0);
        let base = format!(
            "{}_{}",
            ADJECTIVES[(n % 16) as usize],
            SURNAMES[(n / 16 % 16) as usize]
        );
        if !self.names.contains(&base) {
            return base;
        }
        (1..)
            .map(|k| format!("{base}{k}"))
            .find(|name| !self.names.contains(name))
            .unwrap_or(base)
    }

    /// Starts a container's main process. It runs only if its program exists in
    /// the container's file system, found through the image's `PATH`; otherwise
    /// the container stays `Created` and the error reads as Docker's.
    pub fn start_container(&mut self, name_or_id: &str) -> Result<(), HostError> {
        let now = self.now();
        let i = self.container_index(name_or_id)?;
        let path = self
            .images
            .get(&self.containers[i].image)
            .and_then(|img| {
                img.config
                    .config
                    .env
                    .iter()
                    .find_map(|e| e.strip_prefix("PATH=").map(str::to_owned))
            })
            .unwrap_or_else(|| {
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_owned()
            });
        let c = &mut self.containers[i];
        if matches!(c.state, State::Running { .. }) {
            return Ok(());
        }
        let Some(program) = c.command.first().cloned() else {
            return Err(HostError::StartFailed("no command specified".into()));
        };
        let found = |fs: &Merged, p: &str| {
            fs.stat(p)
                .is_ok_and(|s| matches!(s.node, crate::merged::Node::File { .. }))
        };
        let exists = if program.contains('/') {
            found(&c.fs, &program)
        } else {
            path.split(':')
                .any(|dir| found(&c.fs, &format!("{dir}/{program}")))
        };
        if !exists {
            let what = if program.contains('/') {
                "no such file or directory"
            } else {
                "executable file not found in $PATH"
            };
            return Err(HostError::StartFailed(format!(
                "exec: \"{program}\": {what}"
            )));
        }
        // A shell command whose own program is missing exits at once with 127, as `sh` would.
        if program.ends_with("sh") && c.command.get(1).map(String::as_str) == Some("-c") {
            let first = c
                .command
                .get(2)
                .and_then(|s| s.split_whitespace().next())
                .unwrap_or("")
                .to_owned();
            let ok = first.is_empty()
                || first.contains('/') && found(&c.fs, &first)
                || path
                    .split(':')
                    .any(|dir| found(&c.fs, &format!("{dir}/{first}")));
            if !ok {
                c.state = State::Exited { code: 127, at: now };
                return Ok(());
            }
        }
        c.state = State::Running { since: now };
        Ok(())
    }

    /// `docker stop`: the main process ends (exit status 0, as after SIGTERM).
    pub fn stop_container(&mut self, name_or_id: &str) -> Result<(), HostError> {
        let now = self.now();
        let i = self.container_index(name_or_id)?;
        let c = &mut self.containers[i];
        if let State::Running { .. } = c.state {
            c.state = State::Exited { code: 0, at: now };
        }
        Ok(())
    }

    /// `docker rm [-f]`: the writable layer goes with the container.
    pub fn remove_container(
        &mut self,
        name_or_id: &str,
        force: bool,
    ) -> Result<Outcome<String>, HostError> {
        let i = self.container_index(name_or_id)?;
        if matches!(self.containers[i].state, State::Running { .. }) && !force {
            return Err(HostError::ContainerRunning(self.containers[i].name.clone()));
        }
        let c = self.containers.remove(i);
        self.names.remove(&c.name);
        if !self.images.contains_key(&c.image) {
            // The last user of a deleted image's layers lets them go.
            let unused: Vec<Digest> = (self.layers.keys())
                .filter(|chain| !self.layer_in_use(chain))
                .cloned()
                .collect();
            for chain in unused {
                self.layers.remove(&chain);
            }
        }
        let events = vec![HostEvent::ContainerRemoved {
            id: c.id.clone(),
            name: c.name.clone(),
        }];
        Ok(Outcome {
            value: c.id,
            events,
        })
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
    fn delete_conflict(&self, id: &Digest, tags: bool, stopped: bool) -> Option<DeleteConflict> {
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
    fn delete_unless_conflict(
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

    /// Whether an image or a container (even one whose image was deleted,
    /// which keeps its layers mounted) stands on the layer `chain`.
    fn layer_in_use(&self, chain: &Digest) -> bool {
        self.images.values().any(|i| i.chain_ids().contains(chain))
            || self.layers.get(chain).is_some_and(|l| {
                self.containers
                    .iter()
                    .any(|c| c.fs.lower().layers().iter().any(|x| x.id == l.id))
            })
    }

    /// Deletes one image and the layers only it used; returns its parent.
    fn delete_image(&mut self, id: &Digest, events: &mut Vec<HostEvent>) -> Option<Digest> {
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

    /// `docker diff`: the container's changes against its image (and init layer).
    pub fn diff(&self, name_or_id: &str) -> Result<Vec<Change>, HostError> {
        let c = self.container(name_or_id)?;
        Ok(changes::changes(&c.fs))
    }

    /// `docker commit`: the writable layer becomes a new read-only layer on top of
    /// the container's image. An unchanged container gives an `empty_layer` entry.
    pub fn commit(
        &mut self,
        name_or_id: &str,
        options: &CommitOptions,
        tag: Option<&Reference>,
    ) -> Result<Outcome<Digest>, HostError> {
        let c = self.container(name_or_id)?.clone();
        let parent = self
            .images
            .get(&c.image)
            .cloned()
            .ok_or_else(|| HostError::NoSuchImage(c.image.to_string()))?;
        let mut config = parent.config.clone();
        // The container's command becomes the image's, unless a change sets
        // one; an ENTRYPOINT change drops the CMD no change gave (moby's
        // `merge` in daemon/commit.go).
        config.config.entrypoint = None;
        config.config.cmd = None;
        for line in &options.changes {
            crate::change::apply_change(&mut config.config, line)
                .map_err(HostError::InvalidChange)?;
        }
        let run = &mut config.config;
        if run.entrypoint.as_ref().is_none_or(Vec::is_empty) {
            if run.cmd.as_ref().is_none_or(Vec::is_empty) {
                run.cmd = c.cmd.clone();
            }
            if run.entrypoint.is_none() {
                run.entrypoint = c.entrypoint.clone();
            }
        }
        let (created_by, comment, author) =
            (&options.created_by, &options.message, &options.author);
        config.created = crate::clock::rfc3339(self.now());
        if !author.is_empty() {
            config.author = author.to_owned();
        }
        let upper = c.fs.upper_unmounted();
        let empty = upper.is_empty();
        let mut history = History::new(self.now(), created_by, comment, empty);
        history.author = author.to_owned();
        config.history.push(history);
        let mut layers = parent.layers.clone();
        if !empty {
            layers.push(self.new_layer(upper));
        }
        let mut outcome = self.add_image(config, layers, tag);
        if let Some(image) = self.images.get_mut(&outcome.value) {
            if let Some(image) = Rc::get_mut(image) {
                image.parent = Some(parent.id.clone());
            }
        }
        outcome
            .events
            .retain(|e| !matches!(e, HostEvent::LayerReused { .. }));
        Ok(outcome)
    }

    /// SIZE and virtual size of a container, as `docker ps -s` shows them.
    pub fn sizes(&self, name_or_id: &str) -> Result<(u64, u64), HostError> {
        let c = self.container(name_or_id)?;
        let image = self.images.get(&c.image).map(|i| i.size()).unwrap_or(0);
        Ok((c.size_rw(), image.saturating_add(c.size_rw())))
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

    /// Whether the layer store has a layer with this ChainID.
    pub fn has_layer(&self, chain_id: &Digest) -> bool {
        self.layers.contains_key(chain_id)
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

    /// The image tagged `reference`s, for `repositories.json`.
    pub fn tag_list(&self) -> Vec<(&Reference, &Digest)> {
        self.tags.iter().collect()
    }

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

/// A total of sizes that saturates rather than wrap.
fn sum(sizes: impl Iterator<Item = u64>) -> u64 {
    sizes.fold(0, u64::saturating_add)
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
