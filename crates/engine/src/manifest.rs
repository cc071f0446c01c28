//! What a registry serves: compressed layer blobs and the image manifest.
//!
//! A layer's *blob* is its tar in gzip framing (stored deflate blocks, so it is fast
//! in the browser; real registries compress harder) with a deterministic header
//! (no name, no time). The blob digest names it in the manifest and in `docker
//! pull`'s progress lines; the DiffID names the uncompressed tar in the config.
//! The manifest digest is what `docker pull` prints as `Digest:` — it is not the
//! image ID, which is the digest of the config.

use crate::digest::Digest;
use crate::image::Image;
use crate::layer::Layer;
use serde::Serialize;

pub const MANIFEST_V2: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const CONFIG_V1: &str = "application/vnd.docker.container.image.v1+json";
pub const LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";

/// A content descriptor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Descriptor {
    #[serde(rename = "mediaType")]
    pub media_type: &'static str,
    pub size: u64,
    pub digest: Digest,
}

/// An image manifest (Docker schema 2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Manifest {
    #[serde(rename = "schemaVersion")]
    pub schema_version: u32,
    #[serde(rename = "mediaType")]
    pub media_type: &'static str,
    pub config: Descriptor,
    pub layers: Vec<Descriptor>,
}

impl Manifest {
    pub fn of(image: &Image) -> Manifest {
        Manifest {
            schema_version: 2,
            media_type: MANIFEST_V2,
            config: Descriptor {
                media_type: CONFIG_V1,
                size: image.config_json.len() as u64,
                digest: image.id.clone(),
            },
            layers: image
                .layers
                .iter()
                .map(|l| {
                    let (digest, size) = blob(l);
                    Descriptor {
                        media_type: LAYER_GZIP,
                        size,
                        digest,
                    }
                })
                .collect(),
        }
    }

    /// The exact bytes a registry serves.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The manifest digest: what `docker pull` prints and `RepoDigests` hold.
    pub fn digest(&self) -> Digest {
        Digest::of(self.to_json().as_bytes())
    }
}

/// The digest and size of a layer's gzip blob, streamed (no copy of the tar
/// is kept), computed once. Inside [`crate::hashing::deferring`], a large
/// blob not computed yet answers a placeholder (never kept), and the
/// operation's result is to be thrown away.
pub fn blob(layer: &Layer) -> (Digest, u64) {
    if let Some(known) = layer.blob_cache().get() {
        return known.clone();
    }
    match crate::hashing::blob(&layer.diff) {
        Some(blob) => layer.blob_cache().get_or_init(|| blob).clone(),
        None => (crate::hashing::placeholder(&layer.diff), 0),
    }
}
