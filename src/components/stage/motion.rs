//! What the last command did that the stage shows moving, from the
//! engine's events.

use crate::view::stage::{ContainerBox, HeldFile, Stage as Picture};
use layerlab_engine::command::Transcript;
use layerlab_engine::event::{Event, Source};
use layerlab_engine::host::HostEvent;
use layerlab_engine::layer::LayerId;

/// What the last command did that the stage shows moving.
#[derive(Default)]
pub(super) struct Motion {
    /// (container, path, the layer it came from) of each file copied up.
    pub(super) copied: Vec<(String, String, LayerId)>,
    /// (container, path) of each whiteout made.
    pub(super) whiteouts: Vec<(String, String)>,
    /// (container, layer) of each read served by a read-only layer.
    pub(super) reads: Vec<(String, LayerId)>,
    /// Layers made, in order.
    pub(super) layers: Vec<LayerId>,
    /// Layers a build took from its cache (`CACHED`).
    pub(super) cached: Vec<LayerId>,
    /// Containers made.
    pub(super) containers: Vec<String>,
    /// The container whose writable layer a commit turned into a layer.
    pub(super) committed: Option<String>,
    /// The container whose files changed.
    pub(super) changed: Option<String>,
}

pub(super) fn motion(
    session: &layerlab_engine::command::Session,
    line: &str,
    ran: &Transcript,
) -> Motion {
    let mut m = Motion::default();
    if let Some(c) = ran.files_of().map(str::to_owned) {
        let c = &c;
        for e in ran.file_events() {
            match e {
                Event::CopyUp {
                    path, from, kind, ..
                } if *kind != layerlab_engine::diff::Kind::Dir => {
                    m.copied.push((c.clone(), path.to_string(), *from))
                }
                Event::Whiteout { path } => m.whiteouts.push((c.clone(), path.to_string())),
                Event::Read {
                    from: Source::Lower(id),
                    ..
                } if !m.reads.iter().any(|(_, l)| l == id) => m.reads.push((c.clone(), *id)),
                _ => {}
            }
        }
        m.changed = Some(c.clone());
    }
    m.cached = ran
        .build_steps()
        .filter(|s| s.cached)
        .filter_map(|s| s.layer)
        .collect();
    for e in ran.host_events() {
        match e {
            HostEvent::LayerCreated { layer, .. } => m.layers.push(*layer),
            HostEvent::ContainerCreated { id, .. } => m.containers.push(id.clone()),
            _ => {}
        }
    }
    // A commit's one new layer comes out of the container it was made from.
    let words: Vec<&str> = line.split_whitespace().collect();
    let commit = matches!(
        words.as_slice(),
        ["docker", "commit", ..] | ["docker", "container", "commit", ..]
    );
    if commit && m.layers.len() == 1 {
        m.committed = words
            .iter()
            .skip(2)
            .filter(|w| !w.starts_with('-'))
            .find_map(|w| session.host.container(w).ok())
            .map(|c| c.id.clone());
    }
    m
}

/// The rows a writable layer shows: what the last command touched first.
pub(super) fn rows<'a>(
    stage: &Picture,
    c: &'a ContainerBox,
    m: &Motion,
) -> (Vec<&'a HeldFile>, usize) {
    let touched = |f: &HeldFile| {
        m.copied
            .iter()
            .any(|(id, p, _)| *id == c.id && *p == f.path)
            || m.whiteouts
                .iter()
                .any(|(id, p)| *id == c.id && *p == f.path)
    };
    let mut files: Vec<&HeldFile> = c.files.iter().filter(|f| touched(f)).collect();
    files.extend(c.files.iter().filter(|f| !touched(f)));
    let more = files.len().saturating_sub(stage.rows());
    files.truncate(stage.rows());
    (files, more)
}
