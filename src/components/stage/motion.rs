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
    /// Each layer a build's COPY or ADD made, and the paths of the largest
    /// files it copied in (how many more there were).
    pub(super) copies: Vec<(LayerId, Vec<String>, usize)>,
    /// Containers removed (`docker rm`): they leave the stage.
    pub(super) removed: Vec<String>,
    /// Layers deleted (`docker rmi`): their slabs leave.
    pub(super) deleted: Vec<LayerId>,
    /// Short IDs of the images deleted: their labels leave.
    pub(super) images_deleted: Vec<String>,
}

/// Files of a COPY layer that fly in from the build context.
const COPIED_SHOWN: usize = 4;

impl Motion {
    /// Whether something the state no longer holds leaves the stage.
    pub(super) fn leaves(&self) -> bool {
        !self.removed.is_empty() || !self.deleted.is_empty() || !self.images_deleted.is_empty()
    }
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
    // A COPY or ADD step's layer holds what it copied from the build context.
    for step in ran.build_steps().filter(|s| !s.cached) {
        let copies = step
            .label
            .split_whitespace()
            .any(|w| w == "COPY" || w == "ADD");
        if let (Some(layer), true) = (step.layer, copies) {
            let (files, more) = crate::view::stage::largest_files(session, layer, COPIED_SHOWN);
            let paths = files.into_iter().map(|(path, _)| path).collect();
            m.copies.push((layer, paths, more));
        }
    }
    for e in ran.host_events() {
        match e {
            HostEvent::LayerCreated { layer, .. } => m.layers.push(*layer),
            HostEvent::ContainerCreated { id, .. } => m.containers.push(id.clone()),
            HostEvent::ContainerRemoved { id, .. } => m.removed.push(id.clone()),
            HostEvent::LayerDeleted { layer, .. } => m.deleted.push(*layer),
            HostEvent::ImageDeleted { id } => m.images_deleted.push(id.short().to_owned()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    /// The motion of the last of `lines`, run as the terminal runs them.
    fn motion_after(lines: &[&str]) -> Motion {
        let lines: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        let w = Workspace::replay(&lines);
        let (line, ran) = w.console.last.as_ref().expect("a command ran");
        motion(&w.session, line, ran)
    }

    #[test]
    fn a_copy_step_brings_its_files_and_rm_and_rmi_take_things_away() {
        let built = motion_after(&["docker build -t app ."]);
        let copied: Vec<&String> = built.copies.iter().flat_map(|(_, p, _)| p).collect();
        assert!(
            copied.iter().any(|p| p.as_str() == "/app/app.py"),
            "the COPY step's files: {copied:?}"
        );
        assert_eq!(
            built.copies.len(),
            1,
            "one COPY in the tutorial's Dockerfile"
        );
        assert!(!built.leaves());

        let rm = motion_after(&[
            "docker run -d --name c1 busybox sleep 1d",
            "docker rm -f c1",
        ]);
        assert_eq!(rm.removed.len(), 1);
        assert!(rm.leaves() && rm.deleted.is_empty());

        let rmi = motion_after(&["docker pull busybox", "docker rmi busybox"]);
        assert_eq!((rmi.deleted.len(), rmi.images_deleted.len()), (1, 1));
    }
}
