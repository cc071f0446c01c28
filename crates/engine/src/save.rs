//! `docker save`: images as Docker 25+ writes them, an OCI image layout
//! (`index.json`, `oci-layout`, `blobs/sha256/…`) plus the older
//! `manifest.json` and `repositories`, in one tar. Layers are uncompressed
//! tars (their digest is their DiffID), each written once however many images
//! share it; file contents are shared, not made, until the tar is read.
//!
//! A layer read from an archive keeps its recorded DiffID, but the engine
//! holds its large files as described content, so the tar written for it has
//! another digest: such an image is saved with its config's `diff_ids`
//! rewritten, and so under another image ID.

use crate::archive::{self, Kind, Member};
use crate::content::Content;
use crate::diff::Meta;
use crate::digest::{Digest, Hasher};
use crate::host::{Host, HostError};
use crate::image::Image;
use crate::map::Map;
use crate::reference::Reference;
use crate::tar;
use serde::Serialize;
use std::rc::Rc;

pub const INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const LAYER: &str = "application/vnd.oci.image.layer.v1.tar";

#[derive(Serialize)]
struct Descriptor<'a> {
    #[serde(rename = "mediaType")]
    media_type: &'a str,
    digest: &'a Digest,
    size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    annotations: Option<Annotations>,
}

#[derive(Serialize)]
struct Annotations {
    #[serde(rename = "io.containerd.image.name")]
    name: String,
    #[serde(rename = "org.opencontainers.image.ref.name")]
    ref_name: String,
}

#[derive(Serialize)]
struct OciManifest<'a> {
    #[serde(rename = "schemaVersion")]
    schema_version: u32,
    #[serde(rename = "mediaType")]
    media_type: &'a str,
    config: Descriptor<'a>,
    layers: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
struct Index<'a> {
    #[serde(rename = "schemaVersion")]
    schema_version: u32,
    #[serde(rename = "mediaType")]
    media_type: &'a str,
    manifests: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
struct LayerSource<'a> {
    #[serde(rename = "mediaType")]
    media_type: &'a str,
    size: u64,
    digest: &'a Digest,
}

#[derive(Serialize)]
struct ManifestEntry<'a> {
    #[serde(rename = "Config")]
    config: String,
    #[serde(rename = "RepoTags")]
    repo_tags: Vec<String>,
    #[serde(rename = "Layers")]
    layers: Vec<String>,
    #[serde(rename = "LayerSources")]
    layer_sources: Map<&'a Digest, LayerSource<'a>>,
}

/// `docker.io/library/busybox:latest` for `busybox:latest`, as containerd names images.
pub fn full_name(r: &Reference) -> String {
    let first = r.repository.split('/').next().unwrap_or("");
    let domain = r.repository.contains('/')
        && (first.contains('.') || first.contains(':') || first == "localhost");
    if domain {
        r.to_string()
    } else if r.repository.contains('/') {
        format!("docker.io/{r}")
    } else {
        format!("docker.io/library/{r}")
    }
}

/// One image to save: what was asked for (a tag or an ID) and the image.
struct Saved {
    image: Rc<Image>,
    tags: Vec<Reference>,
}

/// A layer's tar and its digest (its DiffID when the engine made the layer).
fn layer_blob(layer: &crate::layer::Layer) -> (Content, Digest) {
    let content = tar::diff_content(&layer.diff);
    let digest = if layer.has_recorded_diff_id() {
        let mut h = Hasher::new();
        content.for_each_chunk(|c| h.update(c));
        h.finish()
    } else {
        layer.diff_id().clone()
    };
    (content, digest)
}

/// The tar `docker save NAMES…` writes, its member times at `now`.
pub fn save(host: &Host, names: &[String], now: u64) -> Result<Content, HostError> {
    let saved = saved_images(host, names)?;
    let mut blobs: Map<Digest, Content> = Map::new();
    let mut index = Vec::new();
    let mut manifest_json = Vec::new();
    let mut repositories: Map<String, Map<String, String>> = Map::new();
    let mut pieces = Vec::new();
    for s in &saved {
        let mut layer_digests = Vec::new();
        let mut sizes = Vec::new();
        for layer in &s.image.layers {
            let (content, digest) = layer_blob(layer);
            sizes.push(content.len());
            blobs.insert(digest.clone(), content);
            layer_digests.push(digest);
        }
        let recorded: Vec<&Digest> = s.image.layers.iter().map(|l| l.diff_id()).collect();
        let config_json = if layer_digests.iter().collect::<Vec<_>>() == recorded {
            s.image.config_json.clone()
        } else {
            rewrite_diff_ids(&s.image.config_json, &layer_digests)
        };
        let config_digest = Digest::of(config_json.as_bytes());
        blobs.insert(config_digest.clone(), Content::bytes(config_json.clone()));
        pieces.push((
            config_digest,
            config_json.len() as u64,
            layer_digests,
            sizes,
            s.tags.clone(),
        ));
    }
    for (config_digest, config_size, layer_digests, sizes, tags) in &pieces {
        let manifest = OciManifest {
            schema_version: 2,
            media_type: MANIFEST,
            config: Descriptor {
                media_type: CONFIG,
                digest: config_digest,
                size: *config_size,
                annotations: None,
            },
            layers: layer_digests
                .iter()
                .zip(sizes)
                .map(|(d, &size)| Descriptor {
                    media_type: LAYER,
                    digest: d,
                    size,
                    annotations: None,
                })
                .collect(),
        };
        let manifest = serde_json::to_string(&manifest).unwrap_or_default();
        let manifest_digest = Digest::of(manifest.as_bytes());
        let manifest_size = manifest.len() as u64;
        blobs.insert(manifest_digest.clone(), Content::bytes(manifest));
        let annotated: Vec<Option<Annotations>> = if tags.is_empty() {
            vec![None]
        } else {
            tags.iter()
                .map(|t| {
                    Some(Annotations {
                        name: full_name(t),
                        ref_name: t.tag.clone(),
                    })
                })
                .collect()
        };
        for annotations in annotated {
            index.push((manifest_digest.clone(), manifest_size, annotations));
        }
        let mut layer_sources = Map::new();
        for (d, &size) in layer_digests.iter().zip(sizes) {
            layer_sources.insert(
                d,
                LayerSource {
                    media_type: LAYER,
                    size,
                    digest: d,
                },
            );
        }
        manifest_json.push(ManifestEntry {
            config: format!("blobs/sha256/{}", config_digest.hex()),
            repo_tags: tags.iter().map(ToString::to_string).collect(),
            layers: layer_digests
                .iter()
                .map(|d| format!("blobs/sha256/{}", d.hex()))
                .collect(),
            layer_sources,
        });
        if let Some(top) = layer_digests.last() {
            for t in tags {
                repositories
                    .entry(t.repository.clone())
                    .or_default()
                    .insert(t.tag.clone(), top.hex().to_owned());
            }
        }
    }
    // Docker writes these two with Go's json.Encoder, which ends them with a newline.
    Ok(write_layout(
        &blobs,
        index_json(&index),
        json(&manifest_json).appended(b"\n"),
        json(&repositories).appended(b"\n"),
        now,
    ))
}

/// The images to save, each once, with the tags that named it.
fn saved_images(host: &Host, names: &[String]) -> Result<Vec<Saved>, HostError> {
    let mut saved: Vec<Saved> = Vec::new();
    for name in names {
        let image = host.image(name)?.clone();
        let tag = Reference::parse(name)
            .ok()
            .filter(|r| host.tags_of(&image.id).contains(&r));
        let at = match saved.iter().position(|s| s.image.id == image.id) {
            Some(i) => i,
            None => {
                saved.push(Saved {
                    image,
                    tags: Vec::new(),
                });
                saved.len() - 1
            }
        };
        if let Some(t) = tag {
            if !saved[at].tags.contains(&t) {
                saved[at].tags.push(t);
            }
        }
    }
    Ok(saved)
}

/// The OCI layout as a tar: the blobs, `index.json`, `manifest.json`,
/// `oci-layout` and `repositories`.
fn write_layout(
    blobs: &Map<Digest, Content>,
    index: Content,
    manifest_json: Content,
    repositories: Content,
    now: u64,
) -> Content {
    let dir = |name: &str| Member {
        name: name.to_owned(),
        kind: Kind::Dir,
        meta: Meta::new(0o755, now),
    };
    let file = |name: &str, content: Content, mtime: u64| Member {
        name: name.to_owned(),
        kind: Kind::File(content),
        meta: Meta::new(0o644, mtime),
    };
    let mut members = vec![dir("blobs"), dir("blobs/sha256")];
    for (digest, content) in blobs.iter() {
        members.push(file(
            &format!("blobs/sha256/{}", digest.hex()),
            content.clone(),
            now,
        ));
    }
    members.push(file("index.json", index, now));
    members.push(file("manifest.json", manifest_json, 0));
    members.push(file(
        "oci-layout",
        Content::bytes(r#"{"imageLayoutVersion": "1.0.0"}"#),
        0,
    ));
    members.push(file("repositories", repositories, 0));
    archive::write(&members)
}

/// `index.json`: a descriptor of each manifest, once per tag that names it.
fn index_json(index: &[(Digest, u64, Option<Annotations>)]) -> Content {
    let index = Index {
        schema_version: 2,
        media_type: INDEX,
        manifests: index
            .iter()
            .map(|(d, size, a)| Descriptor {
                media_type: MANIFEST,
                digest: d,
                size: *size,
                annotations: a.as_ref().map(|a| Annotations {
                    name: a.name.clone(),
                    ref_name: a.ref_name.clone(),
                }),
            })
            .collect(),
    };
    json(&index)
}

fn json<T: Serialize>(v: &T) -> Content {
    Content::bytes(serde_json::to_string(v).unwrap_or_default())
}

/// The config with `rootfs.diff_ids` set to `diff_ids`.
fn rewrite_diff_ids(config_json: &str, diff_ids: &[Digest]) -> String {
    let Ok(mut v) = serde_json::from_str::<serde_json::Value>(config_json) else {
        return config_json.to_owned();
    };
    if let Some(rootfs) = v.get_mut("rootfs").and_then(|r| r.as_object_mut()) {
        rootfs.insert(
            "diff_ids".into(),
            serde_json::Value::Array(
                diff_ids
                    .iter()
                    .map(|d| serde_json::Value::String(d.to_string()))
                    .collect(),
            ),
        );
    }
    serde_json::to_string(&v).unwrap_or_default()
}
