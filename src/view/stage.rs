//! What the stage draws, taken from the engine's state: the layer store as it
//! really is — one slab per layer (by ChainID), however many images use it —
//! with images as labels on the tip of their chain, so an image built or
//! committed from another grows from the shared slab like a branch. Each
//! container stands on its image's tip with its own writable layer and what
//! that layer holds. Metadata-only history entries (CMD, ENV …) make no layer:
//! they are shown as the image's configuration.

use layerlab_engine::command::Session;
use layerlab_engine::digest::Digest;
use layerlab_engine::host::State;
use layerlab_engine::layer::LayerId;
use layerlab_engine::size::human_size_with_precision;
use layerlab_engine::writable::{held, Origin};

/// One read-only layer of the store, drawn once.
#[derive(Clone, Debug, PartialEq)]
pub struct Slab {
    pub layer: LayerId,
    pub chain: Digest,
    /// The slab it stands on (an index into [`Stage::slabs`]).
    pub parent: Option<usize>,
    /// `created_by` of the history entry that made it, shortened.
    pub label: String,
    /// Docker's size text.
    pub size: String,
    /// Short DiffID.
    pub digest: String,
    /// A hue from the ChainID ([`hue`]), the same on the stage and on disk.
    pub hue: u16,
    /// How many local images use this layer.
    pub used_by: usize,
}

/// An image: a label on the tip of its chain.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageTag {
    /// Its tags (several when they name one image, as `docker tag` makes
    /// them), or `<none>`.
    pub name: String,
    pub id: String,
    pub size: String,
    /// The slab its chain ends with (`None`: an image with no layer at all).
    pub tip: Option<usize>,
    /// Its metadata-only history entries (no layer), shortened, oldest first.
    pub config: Vec<String>,
}

/// One entry of a writable layer.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldFile {
    pub path: String,
    /// The last component of the path.
    pub name: String,
    pub origin: Origin,
    pub size: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ContainerBox {
    /// The full ID.
    pub id: String,
    pub name: String,
    /// SIZE: the writable layer's bytes, as `docker ps -s` shows them.
    pub size: String,
    pub running: bool,
    /// `Up`, `Exited (N)` or `Created`: Docker's own words.
    pub state: String,
    /// The image it runs (an index into [`Stage::images`]).
    pub image: usize,
    /// What its writable layer holds.
    pub files: Vec<HeldFile>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stage {
    /// Parents before children.
    pub slabs: Vec<Slab>,
    /// Oldest first.
    pub images: Vec<ImageTag>,
    pub containers: Vec<ContainerBox>,
    /// Drawn for a projector (presenter mode): narrower groups of containers,
    /// fewer file rows, so the whole picture fits beside the caption.
    pub compact: bool,
}

impl Stage {
    /// Containers side by side before the next row.
    pub fn per_row(&self) -> usize {
        if self.compact {
            2
        } else {
            4
        }
    }

    /// A container box's width: two side by side are one slab wide on a projector.
    pub fn box_w(&self) -> i32 {
        if self.compact {
            125
        } else {
            176
        }
    }

    /// File rows a writable layer lists before "+ N more".
    pub fn rows(&self) -> usize {
        if self.compact {
            2
        } else {
            4
        }
    }

    pub fn is_empty(&self) -> bool {
        self.images.is_empty() && self.containers.is_empty()
    }

    /// The slab that holds `layer`.
    pub fn slab_of(&self, layer: LayerId) -> Option<usize> {
        self.slabs.iter().position(|s| s.layer == layer)
    }
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

fn size(bytes: u64) -> String {
    human_size_with_precision(bytes as f64, 3)
}

/// Docker's word for a container's state, without the time `docker ps` adds.
pub fn state_word(state: &State) -> String {
    match state {
        State::Created => "Created".into(),
        State::Running { .. } => "Up".into(),
        State::Exited { code, .. } => format!("Exited ({code})"),
    }
}

/// A layer's own files, largest first: the first `n` as (path, size), and
/// how many more it holds.
pub fn largest_files(session: &Session, id: LayerId, n: usize) -> (Vec<(String, String)>, usize) {
    let layer = session
        .host
        .images()
        .flat_map(|i| i.layers.iter())
        .find(|l| l.id == id);
    let Some(layer) = layer else {
        return (Vec::new(), 0);
    };
    let mut files: Vec<(u64, String)> = layer
        .diff
        .entries()
        .filter_map(|(path, e)| match e {
            layerlab_engine::diff::Entry::File { ino } => layer
                .diff
                .inode(*ino)
                .map(|i| (i.content.len(), path.to_string())),
            _ => None,
        })
        .collect();
    layerlab_engine::sort::sort_by_key(&mut files, |(bytes, path)| {
        (u64::MAX - bytes, path.clone())
    });
    let more = files.len().saturating_sub(n);
    let shown = files
        .into_iter()
        .take(n)
        .map(|(bytes, path)| (path, size(bytes)))
        .collect();
    (shown, more)
}

/// The stage's content for the current state of `session`.
pub fn stage_model(session: &Session) -> Stage {
    let host = &session.host;
    let mut images: Vec<_> = host.images().collect();
    layerlab_engine::sort::sort_by_key(&mut images, |i| (i.created, i.id.clone()));
    let mut stage = Stage::default();
    // Each ChainID's slab: one lookup per layer, however many images.
    let mut slab_of_chain: layerlab_engine::map::Map<Digest, usize> = Default::default();
    // The legacy builder's intermediate images are hidden, as `docker
    // images` hides them: their layers are their child's, drawn with it.
    images.retain(|i| {
        !host.is_intermediate(&i.id) || host.containers().iter().any(|c| c.image == i.id)
    });
    for image in &images {
        let made_by = image.config.history.iter().filter(|h| !h.empty_layer);
        let mut parent = None;
        for ((layer, chain), h) in image.layers.iter().zip(image.chain_ids()).zip(made_by) {
            let at = match slab_of_chain.get(chain) {
                Some(&at) => at,
                None => {
                    slab_of_chain.insert(chain.clone(), stage.slabs.len());
                    stage.slabs.push(Slab {
                        layer: layer.id,
                        chain: chain.clone(),
                        parent,
                        label: shorten(h.made_by()),
                        size: size(layer.size()),
                        digest: layer.diff_id().short().to_owned(),
                        hue: hue(chain),
                        used_by: 0,
                    });
                    stage.slabs.len() - 1
                }
            };
            stage.slabs[at].used_by += 1;
            parent = Some(at);
        }
        let tags: Vec<String> = host
            .tags_of(&image.id)
            .iter()
            .map(|r| r.to_string())
            .collect();
        let name = if tags.is_empty() {
            "<none>".into()
        } else {
            tags.join(", ")
        };
        stage.images.push(ImageTag {
            name,
            id: image.id.short().to_owned(),
            size: size(image.size()),
            tip: parent,
            config: image
                .config
                .history
                .iter()
                .filter(|h| h.empty_layer)
                .map(|h| shorten(h.made_by()))
                .collect(),
        });
    }
    for c in host.containers() {
        let Some(image) = images.iter().position(|i| i.id == c.image) else {
            continue;
        };
        let files = held(&c.fs)
            .into_iter()
            .map(|h| HeldFile {
                // A trailing slash tells a new directory from a new file.
                name: if h.dir {
                    format!("{}/", h.path.name())
                } else {
                    h.path.name().to_owned()
                },
                path: h.path.to_string(),
                origin: h.origin,
                size: size(h.bytes),
            })
            .collect();
        stage.containers.push(ContainerBox {
            id: c.id.clone(),
            name: c.name.clone(),
            size: size(c.size_rw()),
            running: matches!(c.state, State::Running { .. }),
            state: state_word(&c.state),
            image,
            files,
        });
    }
    stage
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage_after(lines: &[&str]) -> Stage {
        let mut s = Session::new();
        for line in lines {
            s.run(line);
        }
        stage_model(&s)
    }

    #[test]
    fn a_layer_shared_by_images_is_one_slab_and_images_are_labels_on_tips() {
        let stage = stage_after(&[
            "docker pull nginx",
            "docker pull python:3-slim",
            "docker run -d --name web1 nginx",
            "docker run -d --name web2 nginx",
        ]);
        assert_eq!(stage.images.len(), 2);
        let chains: Vec<&Digest> = stage.slabs.iter().map(|s| &s.chain).collect();
        let mut unique = chains.clone();
        unique.dedup();
        assert_eq!(chains.len(), unique.len(), "one slab per ChainID");
        let debian = &stage.slabs[0];
        assert_eq!(debian.used_by, 2, "the Debian layer is used by both images");
        assert!(
            stage
                .slabs
                .iter()
                .filter(|s| s.parent == Some(0))
                .count()
                .eq(&2),
            "both images grow from the shared bottom layer"
        );
        let nginx = &stage.images[0];
        assert_eq!(
            (nginx.name.as_str(), nginx.size.as_str()),
            ("nginx:latest", "109MB")
        );
        assert!(
            nginx.config.iter().any(|c| c.starts_with("CMD")),
            "{:?}",
            nginx.config
        );
        let names: Vec<(&str, &str)> = stage
            .containers
            .iter()
            .map(|c| (c.name.as_str(), c.state.as_str()))
            .collect();
        assert_eq!(names, [("web1", "Up"), ("web2", "Up")]);
        let css = include_str!("../../static/style.css");
        for h in 0..HUES {
            assert!(
                css.contains(&format!(".hue-{h} {{")),
                "no .hue-{h} in the stylesheet"
            );
        }
    }

    #[test]
    fn a_commit_grows_one_slab_from_the_image_it_came_from() {
        let stage = stage_after(&[
            "docker run --name c1 busybox sh -c 'echo x >> /etc/passwd; rm /etc/mtab'",
            "docker commit c1 mine",
        ]);
        assert_eq!(
            stage.slabs.len(),
            2,
            "busybox's layer once, the commit's once"
        );
        assert_eq!(stage.slabs[1].parent, Some(0));
        assert_eq!(stage.images[1].tip, Some(1));
        let c1 = &stage.containers[0];
        assert_eq!(c1.state, "Exited (0)");
        let held: Vec<(&str, Origin)> = c1
            .files
            .iter()
            .map(|f| (f.name.as_str(), f.origin))
            .collect();
        assert!(
            held.contains(&(
                "passwd",
                Origin::CopiedUp {
                    from: stage.slabs[0].layer
                }
            )),
            "{held:?}"
        );
        assert!(held.contains(&("mtab", Origin::Whiteout)), "{held:?}");
    }

    #[test]
    fn the_legacy_builders_intermediate_images_are_hidden_as_docker_images_hides_them() {
        let stage = stage_after(&["DOCKER_BUILDKIT=0 docker build -t app ."]);
        let names: Vec<&str> = stage.images.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["ubuntu:15.04", "app:latest"]);
        // One run on an intermediate image by its ID brings it back.
        let mut s = Session::new();
        s.run("DOCKER_BUILDKIT=0 docker build -t app .");
        let hidden = s
            .host
            .images()
            .find(|i| s.host.tags_of(&i.id).is_empty())
            .map(|i| i.id.short().to_owned())
            .expect("an intermediate image");
        let stage = stage_after(&[
            "DOCKER_BUILDKIT=0 docker build -t app .",
            &format!("docker run -d --name mid {hidden} sleep 1d"),
        ]);
        assert!(stage.images.iter().any(|i| i.name == "<none>"));
        assert_eq!(stage.containers.len(), 1);
    }

    #[test]
    fn an_image_with_several_tags_is_labelled_with_all_of_them() {
        let stage = stage_after(&["docker pull busybox", "docker tag busybox big"]);
        let names: Vec<&str> = stage.images.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["big:latest, busybox:latest"]);
    }
}
