//! Where each thing stands on the stage: slabs in columns (a branch beside
//! its parent), image tags on their tips, containers above them.

use crate::view::stage::{ContainerBox, Stage as Picture};

pub(super) const SLAB_W: i32 = 260;
pub(super) const SLAB_H: i32 = 28;
/// An image's label on its tip: a name line, and its configuration below.
pub(super) const TAG_H: i32 = 36;
pub(super) const COL_GAP: i32 = 44;
pub(super) const BOX_GAP: i32 = 10;
/// A container box without its file rows.
pub(super) const BOX_HEAD: i32 = 46;
pub(super) const ROW_H: i32 = 17;
/// How far containers stand above their image's tip.
pub(super) const LIFT: i32 = 26;
pub(super) const PAD: i32 = 14;
/// The drawing is never smaller than this, so a small one is not blown up.
pub(super) const MIN_W: i32 = 420;
pub(super) const MIN_H: i32 = 240;

/// Where each thing stands: a column, and an elevation above the baseline.
#[derive(Default)]
pub(super) struct Layout {
    /// Per slab: (column, elevation of its bottom).
    pub(super) slabs: Vec<(usize, i32)>,
    /// Per image: (column, elevation of its tag's bottom).
    pub(super) tags: Vec<(usize, i32)>,
    /// Per container group (by image): (column, elevation of its bottom).
    pub(super) groups: Vec<Option<(usize, i32)>>,
    /// Per column: its width.
    pub(super) widths: Vec<i32>,
}

pub(super) fn tags_on(stage: &Picture, slab: usize) -> i32 {
    stage.images.iter().filter(|i| i.tip == Some(slab)).count() as i32 * TAG_H
}

pub(super) fn box_height(stage: &Picture, c: &ContainerBox) -> i32 {
    // An empty writable layer says so in a row, but for a projector.
    let fewest = usize::from(!stage.compact);
    let rows = c.files.len().clamp(fewest, stage.rows() + 1) as i32;
    BOX_HEAD + rows * ROW_H + 4
}

/// Containers of image `image`, in rows of [`Picture::per_row`]: the group's (width, height).
pub(super) fn group_size(stage: &Picture, image: usize) -> Option<(i32, i32)> {
    let boxes: Vec<&ContainerBox> = stage
        .containers
        .iter()
        .filter(|c| c.image == image)
        .collect();
    if boxes.is_empty() {
        return None;
    }
    let across = boxes.len().min(stage.per_row()) as i32;
    let height = boxes
        .chunks(stage.per_row())
        .map(|row| row.iter().map(|c| box_height(stage, c)).max().unwrap_or(0) + BOX_GAP)
        .sum();
    Some((across * stage.box_w() + (across - 1) * BOX_GAP, height))
}

/// Columns go left to right as they are needed: a slab continues its parent's
/// column unless something already stands there (the parent's containers
/// first, then its first child); anything else branches into a new column.
pub(super) fn lay_out(stage: &Picture) -> Layout {
    let mut l = Layout::default();
    let mut taken = vec![false; stage.slabs.len()];
    let new_column = |l: &mut Layout, width: i32| {
        l.widths.push(width);
        l.widths.len() - 1
    };
    // Containers keep their image's column: reserve it before any child.
    let has_group: Vec<bool> = (0..stage.images.len())
        .map(|i| group_size(stage, i).is_some())
        .collect();
    for (i, image) in stage.images.iter().enumerate() {
        if let (Some(tip), true) = (image.tip, has_group[i]) {
            taken[tip] = true;
        }
    }
    let top = |l: &Layout, s: usize| l.slabs[s].1 + SLAB_H + tags_on(stage, s);
    for slab in &stage.slabs {
        let place = match slab.parent {
            Some(p) if !taken[p] => {
                taken[p] = true;
                (l.slabs[p].0, top(&l, p))
            }
            Some(p) => (new_column(&mut l, SLAB_W), top(&l, p)),
            None => (new_column(&mut l, SLAB_W), 0),
        };
        l.slabs.push(place);
    }
    for (i, image) in stage.images.iter().enumerate() {
        let tag = match image.tip {
            Some(tip) => {
                let below = stage.images[..i]
                    .iter()
                    .filter(|o| o.tip == Some(tip))
                    .count() as i32;
                (l.slabs[tip].0, l.slabs[tip].1 + SLAB_H + below * TAG_H)
            }
            None => (new_column(&mut l, SLAB_W), 0),
        };
        l.tags.push(tag);
    }
    let mut group_of_tip: Vec<Option<usize>> = vec![None; stage.slabs.len()];
    for (i, image) in stage.images.iter().enumerate() {
        let Some((width, _)) = group_size(stage, i) else {
            l.groups.push(None);
            continue;
        };
        let base = match image.tip {
            Some(tip) => top(&l, tip),
            None => l.tags[i].1 + TAG_H,
        } + LIFT;
        // The first image on a tip stands in its column; another (a retag
        // with other settings) branches beside it.
        let column = match image.tip {
            Some(tip) if group_of_tip[tip].is_none() => {
                group_of_tip[tip] = Some(i);
                l.tags[i].0
            }
            None => l.tags[i].0,
            Some(_) => new_column(&mut l, width),
        };
        l.widths[column] = l.widths[column].max(width);
        l.groups.push(Some((column, base)));
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::stage::stage_model;
    use layerlab_engine::command::Session;

    fn laid(lines: &[&str]) -> (Picture, Layout) {
        let mut s = Session::new();
        for line in lines {
            s.run(line);
        }
        let stage = stage_model(&s);
        let l = lay_out(&stage);
        (stage, l)
    }

    #[test]
    fn a_branch_grows_beside_its_parent_and_containers_keep_their_column() {
        let (stage, l) = laid(&[
            "docker run -d --name c1 busybox sleep 1d",
            "docker exec c1 sh -c 'echo x >> /etc/passwd'",
            "docker commit c1 mine",
        ]);
        // busybox's layer, then the commit's: a branch, since c1 stands on busybox.
        assert_eq!(l.slabs.len(), 2);
        assert_ne!(l.slabs[1].0, l.slabs[0].0, "the commit branches off");
        assert_eq!(
            l.slabs[1].1,
            SLAB_H + TAG_H,
            "it grows from the top of busybox's tip"
        );
        assert_eq!(
            l.groups[0].map(|g| g.0),
            Some(l.slabs[0].0),
            "c1 stays on busybox"
        );
        assert_eq!(stage.containers.len(), 1);
    }

    #[test]
    fn a_chain_without_containers_continues_in_its_column() {
        let (_, l) = laid(&["docker pull nginx"]);
        assert!(l.slabs.iter().all(|(c, _)| *c == 0), "one column");
        let elevations: Vec<i32> = l.slabs.iter().map(|(_, e)| *e).collect();
        assert!(elevations.windows(2).all(|w| w[1] == w[0] + SLAB_H));
    }
}
