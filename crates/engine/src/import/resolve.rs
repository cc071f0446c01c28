//! Which members are images, configs and layers, read from `manifest.json`
//! (docker save, both layouts) or `index.json` (OCI layouts), with every
//! digest checked: a blob under `blobs/sha256/` must hash to its name, a
//! descriptor's size must be its blob's, each layer's uncompressed tar must
//! hash to the config's `rootfs.diff_ids` entry, and a config named by its
//! digest must hash to it.

use super::error::ImportError;
use super::{Blob, BlobKind, Compression, LayerSummary};
use crate::digest::{chain_ids, Digest};
use crate::image::{History, ImageConfig, RunConfig};
use crate::map::Map;
use serde_json::Value;

/// The layout an archive was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Docker 25+'s `docker save`: an OCI layout plus `manifest.json`.
    DockerOci,
    /// Docker before 25: `<id>/layer.tar`, `<id>.json`, `manifest.json`.
    DockerLegacy,
    /// An OCI image layout in a tar (skopeo, buildah, umoci).
    Oci,
    Unknown,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::DockerOci => "docker save (OCI layout)",
            Format::DockerLegacy => "docker save (legacy layout)",
            Format::Oci => "OCI image layout",
            Format::Unknown => "unknown",
        }
    }
}

/// One layer of an imported image.
#[derive(Clone, Debug)]
pub struct ImportedLayer {
    /// The member it was read from (`blobs/sha256/…` or `<id>/layer.tar`).
    pub blob: String,
    pub blob_digest: Digest,
    pub blob_size: u64,
    pub compression: Compression,
    pub summary: LayerSummary,
}

/// One image found in an archive.
#[derive(Clone, Debug)]
pub struct ImportedImage {
    /// The config's digest: the image ID.
    pub id: Digest,
    /// The config's exact bytes.
    pub config_json: String,
    pub config: ImageConfig,
    pub layers: Vec<ImportedLayer>,
    pub diff_ids: Vec<Digest>,
    pub chain_ids: Vec<Digest>,
    /// Tags as written in the archive (`busybox:latest`).
    pub tags: Vec<String>,
    /// The manifest's digest, when the archive has the manifest.
    pub manifest_digest: Option<Digest>,
}

pub fn format(blobs: &Map<String, Blob>) -> Format {
    let oci = blobs.contains_key("index.json");
    match (blobs.contains_key("manifest.json"), oci) {
        (true, true) => Format::DockerOci,
        (true, false) => Format::DockerLegacy,
        (false, true) => Format::Oci,
        (false, false) => Format::Unknown,
    }
}

fn bad(path: &str, problem: impl Into<String>) -> ImportError {
    ImportError::BadJson {
        path: path.to_owned(),
        problem: problem.into(),
    }
}

fn json(blobs: &Map<String, Blob>, path: &str, named_by: &str) -> Result<Value, ImportError> {
    let blob = blobs.get(path).ok_or_else(|| ImportError::Missing {
        path: path.to_owned(),
        named_by: named_by.to_owned(),
    })?;
    match &blob.kind {
        BlobKind::Data(bytes) => {
            serde_json::from_slice(bytes).map_err(|e| bad(path, format!("invalid JSON: {e}")))
        }
        _ => Err(bad(path, "not a JSON document")),
    }
}

fn blob_path(digest: &str) -> Option<String> {
    let d = Digest::parse(digest)?;
    Some(format!("blobs/sha256/{}", d.hex()))
}

pub fn resolve(blobs: &Map<String, Blob>) -> Result<Vec<ImportedImage>, ImportError> {
    check_blob_names(blobs)?;
    if blobs.contains_key("manifest.json") {
        docker_manifest(blobs)
    } else if blobs.contains_key("index.json") {
        oci_index(blobs)
    } else {
        Err(ImportError::NotAnImage)
    }
}

/// Every `blobs/sha256/<hex>` must hash to `<hex>`.
fn check_blob_names(blobs: &Map<String, Blob>) -> Result<(), ImportError> {
    for (name, blob) in blobs.iter() {
        if let Some(hex) = name.strip_prefix("blobs/sha256/") {
            let expected = Digest::parse(&format!("sha256:{hex}")).ok_or_else(|| {
                bad(
                    name,
                    "a blob's name must be the 64 hex digits of its SHA-256",
                )
            })?;
            if expected != blob.digest {
                return Err(ImportError::DigestMismatch {
                    blob: name.clone(),
                    expected,
                    actual: blob.digest.clone(),
                });
            }
        }
    }
    Ok(())
}

/// `manifest.json`: `[{"Config": …, "RepoTags": […], "Layers": […]}]`.
fn docker_manifest(blobs: &Map<String, Blob>) -> Result<Vec<ImportedImage>, ImportError> {
    let path = "manifest.json";
    let doc = json(blobs, path, "docker save")?;
    let entries = doc
        .as_array()
        .ok_or_else(|| bad(path, "expected an array"))?;
    // Docker 25+ also writes index.json: its manifests give each image's manifest digest.
    let manifests = if blobs.contains_key("index.json") {
        oci_manifests(blobs)?
    } else {
        Vec::new()
    };
    let mut images = Vec::new();
    for e in entries {
        let config = e
            .get("Config")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(path, "an entry has no Config"))?;
        let tags = e
            .get("RepoTags")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let mut layers = Vec::new();
        for l in e
            .get("Layers")
            .and_then(Value::as_array)
            .ok_or_else(|| bad(path, "an entry has no Layers"))?
        {
            let l = l
                .as_str()
                .ok_or_else(|| bad(path, "a layer is not a path"))?;
            layers.push((l.to_owned(), None));
        }
        let mut image = image(blobs, config, path, &layers, tags)?;
        image.manifest_digest = manifests
            .iter()
            .find(|m| m.config == image.id)
            .map(|m| m.digest.clone());
        images.push(image);
    }
    Ok(images)
}

/// A manifest found through `index.json`.
struct OciManifest {
    digest: Digest,
    config: Digest,
    layers: Vec<(String, Option<u64>)>,
    tags: Vec<String>,
}

/// Checks a descriptor against its blob and returns the blob's path.
fn descriptor(blobs: &Map<String, Blob>, d: &Value, named_by: &str) -> Result<String, ImportError> {
    let digest = d
        .get("digest")
        .and_then(Value::as_str)
        .ok_or_else(|| bad(named_by, "a descriptor has no digest"))?;
    let path =
        blob_path(digest).ok_or_else(|| bad(named_by, format!("unsupported digest {digest:?}")))?;
    let blob = blobs.get(&path).ok_or_else(|| ImportError::Missing {
        path: path.clone(),
        named_by: named_by.to_owned(),
    })?;
    if let Some(size) = d.get("size").and_then(Value::as_u64) {
        if size != blob.size {
            return Err(ImportError::SizeMismatch {
                blob: path,
                expected: size,
                actual: blob.size,
            });
        }
    }
    Ok(path)
}

fn media_type(d: &Value) -> &str {
    d.get("mediaType").and_then(Value::as_str).unwrap_or("")
}

/// The image manifests `index.json` leads to (through nested indexes),
/// leaving out attestations and platforms whose blobs are not in the archive.
fn oci_manifests(blobs: &Map<String, Blob>) -> Result<Vec<OciManifest>, ImportError> {
    let mut out = Vec::new();
    let mut todo: Vec<(String, Vec<String>, usize)> = vec![("index.json".into(), Vec::new(), 0)];
    while let Some((path, tags, depth)) = todo.pop() {
        if depth > 4 {
            return Err(bad(&path, "indexes nested too deep"));
        }
        let doc = json(blobs, &path, "index.json")?;
        let list = doc
            .get("manifests")
            .and_then(Value::as_array)
            .ok_or_else(|| bad(&path, "expected a manifests list"))?;
        for d in list {
            let mut tags = tags.clone();
            if let Some(a) = d.get("annotations") {
                let full = a.get("io.containerd.image.name").and_then(Value::as_str);
                let short = a
                    .get("org.opencontainers.image.ref.name")
                    .and_then(Value::as_str);
                match (full, short) {
                    (Some(n), _) => tags.push(n.to_owned()),
                    (None, Some(n)) if n.contains(':') => tags.push(n.to_owned()),
                    _ => {}
                }
            }
            let attestation = d
                .get("annotations")
                .and_then(|a| a.get("vnd.docker.reference.type"))
                .is_some();
            let digest = d.get("digest").and_then(Value::as_str).unwrap_or("");
            let exists = blob_path(digest).is_some_and(|p| blobs.contains_key(&p));
            if attestation || (depth > 0 && !exists) {
                continue;
            }
            let child = descriptor(blobs, d, &path)?;
            let mt = media_type(d);
            if mt.contains("index") || mt.contains("manifest.list") {
                todo.push((child, tags, depth + 1));
                continue;
            }
            let m = json(blobs, &child, &path)?;
            if m.get("manifests").is_some() {
                todo.push((child, tags, depth + 1));
                continue;
            }
            let config = m
                .get("config")
                .ok_or_else(|| bad(&child, "a manifest has no config"))?;
            descriptor(blobs, config, &child)?;
            let config_digest = config
                .get("digest")
                .and_then(Value::as_str)
                .and_then(Digest::parse)
                .ok_or_else(|| bad(&child, "the config descriptor has no digest"))?;
            let mut layers = Vec::new();
            for l in m
                .get("layers")
                .and_then(Value::as_array)
                .ok_or_else(|| bad(&child, "a manifest has no layers"))?
            {
                let p = descriptor(blobs, l, &child)?;
                layers.push((p, l.get("size").and_then(Value::as_u64)));
            }
            out.push(OciManifest {
                digest: blobs
                    .get(&child)
                    .map(|b| b.digest.clone())
                    .unwrap_or_else(|| config_digest.clone()),
                config: config_digest,
                layers,
                tags,
            });
        }
    }
    Ok(out)
}

fn oci_index(blobs: &Map<String, Blob>) -> Result<Vec<ImportedImage>, ImportError> {
    let mut images = Vec::new();
    for m in oci_manifests(blobs)? {
        let config = format!("blobs/sha256/{}", m.config.hex());
        let mut image = image(blobs, &config, "index.json", &m.layers, m.tags)?;
        image.manifest_digest = Some(m.digest);
        images.push(image);
    }
    if images.is_empty() {
        return Err(bad("index.json", "no image manifest in the index"));
    }
    Ok(images)
}

fn image(
    blobs: &Map<String, Blob>,
    config_path: &str,
    named_by: &str,
    layer_paths: &[(String, Option<u64>)],
    tags: Vec<String>,
) -> Result<ImportedImage, ImportError> {
    let blob = blobs.get(config_path).ok_or_else(|| ImportError::Missing {
        path: config_path.to_owned(),
        named_by: named_by.to_owned(),
    })?;
    let BlobKind::Data(bytes) = &blob.kind else {
        return Err(bad(config_path, "the config is not a JSON document"));
    };
    let id = blob.digest.clone();
    // The older layout names the config `<image ID>.json`.
    if let Some(hex) = config_path.strip_suffix(".json") {
        if let Some(expected) = Digest::parse(&format!("sha256:{hex}")) {
            if expected != id {
                return Err(ImportError::ConfigDigestMismatch {
                    path: config_path.to_owned(),
                    expected,
                    actual: id,
                });
            }
        }
    }
    let config_json = String::from_utf8(bytes.clone())
        .map_err(|_| bad(config_path, "the config is not UTF-8"))?;
    let value: Value = serde_json::from_str(&config_json)
        .map_err(|e| bad(config_path, format!("invalid JSON: {e}")))?;
    let config = image_config(&value, config_path)?;
    let diff_ids = config.rootfs.diff_ids.clone();
    if diff_ids.len() != layer_paths.len() {
        return Err(ImportError::LayerCount {
            config: config_path.to_owned(),
            layers: layer_paths.len(),
            diff_ids: diff_ids.len(),
        });
    }
    let mut layers = Vec::new();
    for (index, ((path, _), expected)) in layer_paths.iter().zip(&diff_ids).enumerate() {
        let blob = blobs.get(path).ok_or_else(|| ImportError::Missing {
            path: path.clone(),
            named_by: named_by.to_owned(),
        })?;
        let (summary, compression) = match &blob.kind {
            BlobKind::Layer {
                summary,
                compression,
            } => (summary.clone(), *compression),
            _ => return Err(ImportError::NotALayer { blob: path.clone() }),
        };
        if &summary.diff_id != expected {
            return Err(ImportError::DiffIdMismatch {
                index,
                blob: path.clone(),
                expected: expected.clone(),
                actual: summary.diff_id.clone(),
            });
        }
        layers.push(ImportedLayer {
            blob: path.clone(),
            blob_digest: blob.digest.clone(),
            blob_size: blob.size,
            compression,
            summary,
        });
    }
    let chain_ids = chain_ids(&diff_ids);
    Ok(ImportedImage {
        id,
        config_json,
        config,
        layers,
        diff_ids,
        chain_ids,
        tags,
        manifest_digest: None,
    })
}

fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    v.and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    })
}

fn string(v: Option<&Value>) -> String {
    v.and_then(Value::as_str).unwrap_or("").to_owned()
}

fn keys(v: Option<&Value>) -> Map<String, crate::image::Empty> {
    let mut m = Map::new();
    if let Some(o) = v.and_then(Value::as_object) {
        for k in o.keys() {
            m.insert(k.clone(), crate::image::Empty {});
        }
    }
    m
}

/// The fields of a config the engine models (the exact bytes are kept apart).
pub fn image_config(v: &Value, path: &str) -> Result<ImageConfig, ImportError> {
    let rootfs = v
        .get("rootfs")
        .ok_or_else(|| bad(path, "the config has no rootfs"))?;
    let mut diff_ids = Vec::new();
    for d in rootfs
        .get("diff_ids")
        .and_then(Value::as_array)
        .ok_or_else(|| bad(path, "the config has no rootfs.diff_ids"))?
    {
        let text = d.as_str().unwrap_or("");
        diff_ids.push(
            Digest::parse(text).ok_or_else(|| bad(path, format!("invalid diff_id {text:?}")))?,
        );
    }
    let c = v.get("config");
    let field = |name: &str| c.and_then(|c| c.get(name));
    let mut labels = Map::new();
    if let Some(o) = field("Labels").and_then(Value::as_object) {
        for (k, val) in o {
            labels.insert(k.clone(), val.as_str().unwrap_or("").to_owned());
        }
    }
    let run = RunConfig {
        user: string(field("User")),
        exposed_ports: keys(field("ExposedPorts")),
        env: strings(field("Env")).unwrap_or_default(),
        entrypoint: strings(field("Entrypoint")),
        cmd: strings(field("Cmd")),
        volumes: keys(field("Volumes")),
        working_dir: string(field("WorkingDir")),
        labels,
        stop_signal: string(field("StopSignal")),
        args_escaped: field("ArgsEscaped")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        healthcheck: None,
        on_build: strings(field("OnBuild")).unwrap_or_default(),
        shell: strings(field("Shell")).unwrap_or_default(),
    };
    let history = v
        .get("history")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|h| History {
                    created: string(h.get("created")),
                    created_by: string(h.get("created_by")),
                    author: string(h.get("author")),
                    comment: string(h.get("comment")),
                    empty_layer: h
                        .get("empty_layer")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(ImageConfig {
        architecture: string(v.get("architecture")),
        author: string(v.get("author")),
        config: run,
        created: string(v.get("created")),
        history,
        os: string(v.get("os")),
        rootfs: crate::image::RootFs {
            kind: string(rootfs.get("type")),
            diff_ids,
        },
    })
}
