//! How well an image uses its bytes, layer by layer: what each layer adds,
//! changes and removes, and which bytes are stored but never seen.
//!
//! The rules, in the image's own terms:
//! - A layer's size is its regular files' bytes, each inode once (what Docker
//!   counts for an image; symlinks and whiteouts weigh nothing).
//! - A copy of a file is *wasted* when a later layer overwrites or deletes it
//!   (a whiteout of it or of a directory above it, or an opaque directory
//!   above it): N copies of a path waste the N−1 below the one that is seen,
//!   and a file deleted in the end wastes every copy.
//! - The efficiency score is the bytes seen in the final file system over the
//!   bytes stored in all layers (1 when both are 0), so stored = seen + wasted.
//! - The user wasted percent is wasted bytes over the bytes of every layer but
//!   the first (the base image), as dive reports it.
//!
//! dive differs on purpose in two places: it counts the surviving copy of a
//! repeated path as wasted too, and never counts deleted files.

use crate::diff::{Diff, Entry};
use crate::path::FsPath;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One layer to analyse: its diff and the instruction that made it.
pub struct LayerInput<'a> {
    pub diff: &'a Diff,
    pub instruction: String,
}

/// What one layer does.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LayerReport {
    pub index: usize,
    pub instruction: String,
    pub size: u64,
    /// Files and symlinks that no layer below has.
    pub added: usize,
    /// Files and symlinks that replace one from below.
    pub changed: usize,
    /// Files and symlinks below that this layer deletes.
    pub removed: usize,
}

/// Why a copy is wasted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Fate {
    Overwritten,
    Deleted,
}

/// A stored copy of a file that the final image never shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WastedCopy {
    /// The layer holding the copy.
    pub layer: usize,
    pub bytes: u64,
    pub fate: Fate,
    /// The layer that overwrote or deleted it.
    pub by: usize,
}

/// Every wasted copy of one path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Wasted {
    pub path: String,
    pub bytes: u64,
    pub copies: Vec<WastedCopy>,
    /// The layer whose copy the image shows, if the file survives.
    pub kept_in: Option<usize>,
}

/// The whole analysis.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    pub layers: Vec<LayerReport>,
    /// Bytes stored in all layers.
    pub total_size: u64,
    /// Bytes of the final file system.
    pub final_size: u64,
    pub wasted_bytes: u64,
    pub efficiency: f64,
    pub user_wasted_percent: f64,
    /// Largest waste first.
    pub wasted: Vec<Wasted>,
}

/// A visible file: the layer it comes from and the bytes charged to it.
#[derive(Clone, Copy)]
struct Visible {
    layer: usize,
    bytes: u64,
}

fn charge(
    wasted: &mut BTreeMap<FsPath, Vec<WastedCopy>>,
    path: &FsPath,
    v: Visible,
    fate: Fate,
    by: usize,
) {
    wasted.entry(path.clone()).or_default().push(WastedCopy {
        layer: v.layer,
        bytes: v.bytes,
        fate,
        by,
    });
}

/// Removes `dir`'s visible descendants (and `dir` itself when `with_self`),
/// charging them as deleted by layer `by`; returns how many there were.
fn delete_below(
    visible: &mut BTreeMap<FsPath, Visible>,
    wasted: &mut BTreeMap<FsPath, Vec<WastedCopy>>,
    dir: &FsPath,
    with_self: bool,
    keep: &BTreeSet<FsPath>,
    by: usize,
) -> usize {
    let doomed: Vec<FsPath> = visible
        .range(dir.clone()..)
        .take_while(|(p, _)| p.starts_with(dir))
        .filter(|(p, _)| (with_self || *p != dir) && !keep.contains(*p))
        .map(|(p, _)| p.clone())
        .collect();
    for p in &doomed {
        if let Some(v) = visible.remove(p) {
            charge(wasted, p, v, Fate::Deleted, by);
        }
    }
    doomed.len()
}

/// Analyses `layers`, bottom first.
pub fn analyse(layers: &[LayerInput<'_>]) -> Analysis {
    let mut visible: BTreeMap<FsPath, Visible> = BTreeMap::new();
    let mut wasted: BTreeMap<FsPath, Vec<WastedCopy>> = BTreeMap::new();
    let mut reports = Vec::new();
    let mut total = 0u64;
    let mut first = 0u64;
    for (index, input) in layers.iter().enumerate() {
        let diff = input.diff;
        let mut report = LayerReport {
            index,
            instruction: input.instruction.clone(),
            ..LayerReport::default()
        };
        // Paths this layer itself puts (an opaque directory keeps these).
        let own: BTreeSet<FsPath> = diff
            .entries()
            .filter(|(_, e)| !matches!(e, Entry::Whiteout))
            .map(|(p, _)| p.clone())
            .collect();
        let mut seen_inodes = BTreeSet::new();
        for (path, entry) in diff.entries() {
            match entry {
                Entry::Whiteout => {
                    report.removed +=
                        delete_below(&mut visible, &mut wasted, path, true, &own, index);
                }
                Entry::Dir { opaque, .. } => {
                    // A directory replaces a file of the same name.
                    if let Some(v) = visible.remove(path) {
                        charge(&mut wasted, path, v, Fate::Overwritten, index);
                        report.changed += 1;
                    }
                    if *opaque {
                        report.removed +=
                            delete_below(&mut visible, &mut wasted, path, false, &own, index);
                    }
                }
                Entry::File { .. } | Entry::Symlink { .. } => {
                    let bytes = match entry {
                        Entry::File { ino } if seen_inodes.insert(*ino) => {
                            diff.inode(*ino).map_or(0, |i| i.content.len())
                        }
                        _ => 0,
                    };
                    report.size += bytes;
                    // A file replaces a directory of the same name and all below it.
                    delete_below(&mut visible, &mut wasted, path, false, &own, index);
                    match visible.insert(
                        path.clone(),
                        Visible {
                            layer: index,
                            bytes,
                        },
                    ) {
                        Some(old) => {
                            charge(&mut wasted, path, old, Fate::Overwritten, index);
                            report.changed += 1;
                        }
                        None => report.added += 1,
                    }
                }
            }
        }
        total += report.size;
        if index == 0 {
            first = report.size;
        }
        reports.push(report);
    }
    let final_size: u64 = visible.values().map(|v| v.bytes).sum();
    let mut list: Vec<Wasted> = wasted
        .into_iter()
        .map(|(path, copies)| Wasted {
            path: path.to_string(),
            bytes: copies.iter().map(|c| c.bytes).sum(),
            kept_in: visible.get(&path).map(|v| v.layer),
            copies,
        })
        .filter(|w| w.bytes > 0)
        .collect();
    crate::sort::sort_by(&mut list, |a, b| {
        b.bytes.cmp(&a.bytes).then(a.path.cmp(&b.path))
    });
    let wasted_bytes: u64 = list.iter().map(|w| w.bytes).sum();
    let efficiency = if total == 0 {
        1.0
    } else {
        final_size as f64 / total as f64
    };
    let user = total - first;
    let user_wasted_percent = if user == 0 {
        0.0
    } else {
        wasted_bytes as f64 / user as f64
    };
    Analysis {
        layers: reports,
        total_size: total,
        final_size,
        wasted_bytes,
        efficiency,
        user_wasted_percent,
        wasted: list,
    }
}

/// The instruction of each layer, from a config's history: the entries that
/// are not `empty_layer`, in order, their comment where they have no command
/// (empty when the counts disagree).
pub fn instructions(history: &[crate::image::History], layers: usize) -> Vec<String> {
    let made: Vec<String> = history
        .iter()
        .filter(|h| !h.empty_layer)
        .map(|h| h.made_by().to_owned())
        .collect();
    if made.len() == layers {
        made
    } else {
        vec![String::new(); layers]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::parse_layers;

    #[test]
    fn each_layer_is_named_by_its_history_entry() {
        // (history as created_by, comment, empty_layer; layers; names)
        type Case = (
            &'static [(&'static str, &'static str, bool)],
            usize,
            &'static [&'static str],
        );
        let cases: [Case; 4] = [
            (
                &[
                    ("", "Imported from -", false),
                    ("CMD [\"bash\"]", "", true),
                    ("COPY a /", "buildkit.dockerfile.v0", false),
                ],
                2,
                &["Imported from -", "COPY a /"],
            ),
            (&[("RUN x", "", false)], 1, &["RUN x"]),
            (&[("", "", false)], 1, &[""]),
            (&[("RUN x", "", false)], 2, &["", ""]),
        ];
        for (history, layers, want) in cases {
            let history: Vec<crate::image::History> = history
                .iter()
                .map(
                    |&(created_by, comment, empty_layer)| crate::image::History {
                        created: String::new(),
                        created_by: created_by.into(),
                        author: String::new(),
                        comment: comment.into(),
                        empty_layer,
                    },
                )
                .collect();
            assert_eq!(instructions(&history, layers), want, "{history:?}");
        }
    }

    fn check(text: &str) -> Analysis {
        let diffs = parse_layers(text, 0).expect("fixture");
        let inputs: Vec<LayerInput<'_>> = diffs
            .iter()
            .enumerate()
            .map(|(i, d)| LayerInput {
                diff: d,
                instruction: format!("step {i}"),
            })
            .collect();
        analyse(&inputs)
    }

    #[test]
    fn three_copies_waste_two_and_a_deleted_file_wastes_all() {
        let a = check(
            "F /big 644 1000\nF /keep 644 10\n---\nF /big 644 1000\nF /gone 644 50\n---\nF /big 644 1000\nw /gone\n",
        );
        assert_eq!(a.total_size, 3060);
        assert_eq!(a.final_size, 1010);
        assert_eq!(a.wasted_bytes, 2050);
        assert_eq!(a.wasted[0].path, "/big");
        assert_eq!(a.wasted[0].copies.len(), 2);
        assert_eq!(a.wasted[0].kept_in, Some(2));
        assert_eq!(a.wasted[1].path, "/gone");
        assert_eq!(a.wasted[1].copies[0].fate, Fate::Deleted);
        assert_eq!(a.wasted[1].kept_in, None);
        assert_eq!(a.layers[2].removed, 1);
        assert_eq!(a.layers[2].changed, 1);
        assert!((a.efficiency - 1010.0 / 3060.0).abs() < 1e-12);
        assert!((a.user_wasted_percent - 2050.0 / 2050.0).abs() < 1e-12);
    }

    #[test]
    fn an_opaque_directory_or_a_deleted_directory_wastes_what_it_hides() {
        let a = check(
            "F /app/a 644 100\nF /app/b 644 200\nF /data/x 644 7\n---\no /app 755\nF /app/a 644 100\nw /data\n",
        );
        assert_eq!(a.wasted_bytes, 307);
        assert_eq!(a.final_size, 100);
        assert_eq!(a.layers[1].removed, 2);
        assert_eq!(a.layers[1].changed, 1);
        let paths: Vec<&str> = a.wasted.iter().map(|w| w.path.as_str()).collect();
        assert_eq!(paths, ["/app/b", "/app/a", "/data/x"]);
    }
}
