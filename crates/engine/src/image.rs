//! Images: a config (JSON, whose SHA-256 is the image ID) and an ordered list
//! of layers, one per non-empty history entry.

use crate::clock;
use crate::digest::{chain_ids, Digest};
use crate::layer::Layer;
use crate::lower::Lower;
use crate::map::Map;
use serde::Serialize;
use std::rc::Rc;

fn is_false(b: &bool) -> bool {
    !*b
}

/// The `{}` Docker writes as the value of each exposed port and volume.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Empty {}

/// `config` in an image config: what a container of this image starts with.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RunConfig {
    #[serde(rename = "User", skip_serializing_if = "String::is_empty")]
    pub user: String,
    #[serde(rename = "ExposedPorts", skip_serializing_if = "Map::is_empty")]
    pub exposed_ports: Map<String, Empty>,
    #[serde(rename = "Env", skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    #[serde(rename = "Entrypoint", skip_serializing_if = "Option::is_none")]
    pub entrypoint: Option<Vec<String>>,
    #[serde(rename = "Cmd", skip_serializing_if = "Option::is_none")]
    pub cmd: Option<Vec<String>>,
    #[serde(rename = "Volumes", skip_serializing_if = "Map::is_empty")]
    pub volumes: Map<String, Empty>,
    #[serde(rename = "WorkingDir", skip_serializing_if = "String::is_empty")]
    pub working_dir: String,
    #[serde(rename = "Labels", skip_serializing_if = "Map::is_empty")]
    pub labels: Map<String, String>,
    #[serde(rename = "StopSignal", skip_serializing_if = "String::is_empty")]
    pub stop_signal: String,
    #[serde(rename = "ArgsEscaped", skip_serializing_if = "is_false")]
    pub args_escaped: bool,
    #[serde(rename = "Healthcheck", skip_serializing_if = "Option::is_none")]
    pub healthcheck: Option<crate::health::HealthConfig>,
    #[serde(rename = "OnBuild", skip_serializing_if = "Vec::is_empty")]
    pub on_build: Vec<String>,
    #[serde(rename = "Shell", skip_serializing_if = "Vec::is_empty")]
    pub shell: Vec<String>,
}

/// One `history` entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct History {
    pub created: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub created_by: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub author: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub comment: String,
    #[serde(skip_serializing_if = "is_false")]
    pub empty_layer: bool,
}

impl History {
    /// What made the layer, as `docker history` shows it: the command, or
    /// where there is none (`docker import` leaves "Imported from -"), the comment.
    pub fn made_by(&self) -> &str {
        if self.created_by.is_empty() {
            &self.comment
        } else {
            &self.created_by
        }
    }

    /// An entry at logical time `unix_seconds`.
    pub fn new(
        unix_seconds: u64,
        created_by: impl Into<String>,
        comment: impl Into<String>,
        empty_layer: bool,
    ) -> Self {
        History {
            created: clock::rfc3339(unix_seconds),
            created_by: created_by.into(),
            author: String::new(),
            comment: comment.into(),
            empty_layer,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RootFs {
    #[serde(rename = "type")]
    pub kind: String,
    pub diff_ids: Vec<Digest>,
}

/// The image config (`application/vnd.oci.image.config.v1+json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImageConfig {
    pub architecture: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub author: String,
    pub config: RunConfig,
    pub created: String,
    pub history: Vec<History>,
    pub os: String,
    pub rootfs: RootFs,
}

impl ImageConfig {
    /// An empty linux/amd64 config, as `FROM scratch` starts.
    pub fn scratch(unix_seconds: u64) -> Self {
        ImageConfig {
            architecture: "amd64".into(),
            author: String::new(),
            config: RunConfig {
                env: vec![
                    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
                ],
                ..RunConfig::default()
            },
            created: clock::rfc3339(unix_seconds),
            history: Vec::new(),
            os: "linux".into(),
            rootfs: RootFs {
                kind: "layers".into(),
                diff_ids: Vec::new(),
            },
        }
    }
}

/// An image: its config, its layers (bottom first) and, once asked for, the lower
/// stack its containers mount (image layers + the shared init layer).
#[derive(Debug)]
pub struct Image {
    pub id: Digest,
    pub config: ImageConfig,
    /// The exact config bytes whose digest is `id`.
    pub config_json: String,
    pub layers: Vec<Rc<Layer>>,
    /// ChainIDs of the layers, bottom first, computed once.
    chain_ids: Vec<Digest>,
    /// The image this one was committed or built from, when it exists locally.
    pub parent: Option<Digest>,
    /// Logical creation time (Unix seconds).
    pub created: u64,
    pub(crate) lower: Rc<Lower>,
}

impl Image {
    /// Builds an image from its layers; fills `rootfs.diff_ids` and computes the ID.
    pub fn new(config: ImageConfig, layers: Vec<Rc<Layer>>, init: Rc<Layer>, created: u64) -> Self {
        let diff_ids: Vec<Digest> = layers.iter().map(|l| l.diff_id().clone()).collect();
        let chains = chain_ids(&diff_ids);
        Image::with_chain_ids(config, layers, chains, init, created)
    }

    /// [`Image::new`] for a caller that has the layers' ChainIDs already.
    pub(crate) fn with_chain_ids(
        mut config: ImageConfig,
        layers: Vec<Rc<Layer>>,
        chain_ids: Vec<Digest>,
        init: Rc<Layer>,
        created: u64,
    ) -> Self {
        debug_assert_eq!(chain_ids.len(), layers.len());
        config.rootfs.diff_ids = layers.iter().map(|l| l.diff_id().clone()).collect();
        let config_json = serde_json::to_string(&config).unwrap_or_default();
        Image::with_config_json(config, config_json, layers, chain_ids, init, created)
    }

    /// An image read from an archive: its config's exact bytes are kept, so
    /// the image ID stays the digest of what was read.
    pub(crate) fn with_config_json(
        config: ImageConfig,
        config_json: String,
        layers: Vec<Rc<Layer>>,
        chain_ids: Vec<Digest>,
        init: Rc<Layer>,
        created: u64,
    ) -> Self {
        let id = Digest::of(config_json.as_bytes());
        let mut stack = layers.clone();
        stack.push(init);
        Image {
            id,
            config,
            config_json,
            lower: Rc::new(Lower::new(stack)),
            layers,
            chain_ids,
            parent: None,
            created,
        }
    }

    /// ChainIDs of the layers, bottom first.
    pub fn chain_ids(&self) -> &[Digest] {
        &self.chain_ids
    }

    /// What `docker images` shows: the sum of the layers' sizes.
    pub fn size(&self) -> u64 {
        self.layers
            .iter()
            .fold(0u64, |n, l| n.saturating_add(l.size()))
    }

    /// The stack a container of this image mounts below its writable layer.
    pub fn lower(&self) -> &Rc<Lower> {
        &self.lower
    }
}
