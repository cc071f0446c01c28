//! What the stage draws, taken from the engine's state: each local image once,
//! as a stack of its read-only layers (bottom first, with empty-layer history
//! entries as thin slabs), and the containers standing on it, each with its own
//! writable layer. Layers keep one colour wherever they appear (by ChainID), so
//! layers shared between images are visibly the same.

use layerlab_engine::command::Session;
use layerlab_engine::digest::Digest;
use layerlab_engine::host::State;
use layerlab_engine::layer::LayerId;
use layerlab_engine::size::human_size_with_precision;

#[derive(Clone, Debug, PartialEq)]
pub struct Slab {
    /// `created_by` of the history entry, shortened.
    pub label: String,
    /// Docker's size text (`0B` for metadata-only entries).
    pub size: String,
    /// Short DiffID (empty for metadata-only entries).
    pub digest: String,
    /// Metadata-only history entry: no layer.
    pub empty: bool,
    /// A hue from the ChainID ([`hue`]), so a layer has the same colour in every image and on disk.
    pub hue: u16,
    /// How many local images use this layer (by ChainID).
    pub shared_by: usize,
    /// The engine's layer (none for metadata-only entries).
    pub layer: Option<LayerId>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ContainerBox {
    /// The full ID.
    pub id: String,
    pub name: String,
    pub size: String,
    pub running: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImageStack {
    pub name: String,
    pub id: String,
    pub size: String,
    /// Bottom first.
    pub slabs: Vec<Slab>,
    pub containers: Vec<ContainerBox>,
}

/// How many hues layers are coloured with (`.hue-0` … `.hue-23` in the
/// stylesheet, 15° apart).
pub const HUES: u32 = 24;

/// A layer's hue, one of [`HUES`], from its ChainID.
pub fn hue(chain: &Digest) -> u16 {
    let h = u32::from_str_radix(&chain.hex()[..6], 16).unwrap_or(0);
    (h % HUES) as u16
}

/// The class that colours a layer with its hue (the stylesheet sets `--hue`).
pub fn hue_class(hue: u16) -> String {
    format!("hue-{hue}")
}

pub fn shorten(by: &str) -> String {
    let by = by
        .strip_prefix("/bin/sh -c #(nop) ")
        .or_else(|| by.strip_prefix("/bin/sh -c "))
        .unwrap_or(by);
    let by = by.trim_end_matches(" # buildkit").trim();
    layerlab_engine::table::ellipsis(by, 27)
}

/// The stage's content for the current state of `session`.
pub fn stage_model(session: &Session) -> Vec<ImageStack> {
    let host = &session.host;
    let mut images: Vec<_> = host.images().collect();
    layerlab_engine::sort::sort_by_key(&mut images, |i| (i.created, i.id.clone()));
    let mut users: layerlab_engine::map::Map<Digest, usize> = Default::default();
    for image in &images {
        for chain in image.chain_ids() {
            *users.entry(chain.clone()).or_default() += 1;
        }
    }
    images
        .iter()
        .map(|image| {
            let mut layers = image.layers.iter().zip(image.chain_ids());
            let slabs = image
                .config
                .history
                .iter()
                .filter_map(|h| {
                    if h.empty_layer {
                        return Some(Slab {
                            label: shorten(&h.created_by),
                            size: "0B".into(),
                            digest: String::new(),
                            empty: true,
                            hue: 0,
                            shared_by: 0,
                            layer: None,
                        });
                    }
                    let (layer, chain) = layers.next()?;
                    Some(Slab {
                        label: shorten(&h.created_by),
                        size: human_size_with_precision(layer.size() as f64, 3),
                        digest: layer.diff_id().short().to_owned(),
                        empty: false,
                        hue: hue(chain),
                        shared_by: users.get(chain).copied().unwrap_or(1),
                        layer: Some(layer.id),
                    })
                })
                .collect();
            let containers = host
                .containers()
                .iter()
                .filter(|c| c.image == image.id)
                .map(|c| ContainerBox {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    size: human_size_with_precision(c.size_rw() as f64, 3),
                    running: matches!(c.state, State::Running { .. }),
                })
                .collect();
            let name = host
                .tags_of(&image.id)
                .first()
                .map(|r| r.to_string())
                .unwrap_or_else(|| "<none>".into());
            ImageStack {
                name,
                id: image.id.short().to_owned(),
                size: human_size_with_precision(image.size() as f64, 3),
                slabs,
                containers,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_stand_on_one_stack_per_image_and_shared_layers_are_marked() {
        let mut s = Session::new();
        for line in [
            "docker pull nginx",
            "docker pull python:3-slim",
            "docker run -d --name web1 nginx",
            "docker run -d --name web2 nginx",
        ] {
            s.run(line);
        }
        let stage = stage_model(&s);
        assert_eq!(stage.len(), 2, "each image drawn once");
        let nginx = stage
            .iter()
            .find(|i| i.name == "nginx:latest")
            .expect("nginx");
        assert_eq!(
            nginx
                .containers
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>(),
            ["web1", "web2"]
        );
        assert_eq!(nginx.slabs.iter().filter(|s| !s.empty).count(), 6);
        assert_eq!(nginx.size, "109MB");
        let python = stage
            .iter()
            .find(|i| i.name == "python:3-slim")
            .expect("python");
        assert_eq!(
            nginx.slabs[0].shared_by, 2,
            "the Debian layer is used by both images"
        );
        assert_eq!(
            nginx.slabs[0].hue, python.slabs[0].hue,
            "one colour per layer"
        );
        let css = include_str!("../static/style.css");
        for h in 0..HUES {
            assert!(
                css.contains(&format!(".hue-{h} {{")),
                "no .hue-{h} in the stylesheet"
            );
        }
        assert!(
            nginx.slabs.iter().any(|s| s.empty && s.size == "0B"),
            "metadata entries as thin 0B slabs"
        );
    }
}
