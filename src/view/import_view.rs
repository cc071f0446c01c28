//! What the analysis pane shows of an imported image archive, as plain
//! values (DOM-free, tested natively): per layer its instruction, size,
//! files added, changed and removed, DiffID and ChainID; the image's IDs,
//! total size, efficiency and wasted bytes (each copy explained by layer);
//! and one layer's own changes as a list sortable by size.
//!
//! Every figure comes from the engine (`import`, `efficiency`): this module
//! only arranges it.

use layerlab_engine::diff::Entry;
use layerlab_engine::efficiency::Fate;
use layerlab_engine::import::{Imported, ImportedImage};
use layerlab_engine::path::FsPath;
use layerlab_engine::size::human_size_with_precision;
use std::collections::BTreeSet;

/// One layer's row.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerRow {
    pub instruction: String,
    pub size: u64,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub diff_id: String,
    pub chain_id: String,
}

/// A stored copy that the image never shows, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WastedCopyRow {
    /// The layer holding the copy (0 is the bottom layer).
    pub layer: usize,
    pub bytes: u64,
    pub deleted: bool,
    /// The layer that overwrote or deleted it.
    pub by: usize,
}

/// Every wasted copy of one path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WastedRow {
    pub path: String,
    pub bytes: u64,
    pub copies: Vec<WastedCopyRow>,
    /// The layer whose copy the image shows, if the file survives.
    pub kept_in: Option<usize>,
}

/// What a layer does to one path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Added,
    Changed,
    Removed,
}

impl Change {
    /// `docker diff`'s letter.
    pub fn letter(self) -> &'static str {
        match self {
            Change::Added => "A",
            Change::Changed => "C",
            Change::Removed => "D",
        }
    }
}

/// One file, symlink or deletion in a layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRow {
    pub path: String,
    pub bytes: u64,
    pub change: Change,
}

/// How a layer's files are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    Path,
    LargestFirst,
}

/// One imported image, as the pane shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageReport {
    /// Its tags, or its short ID when it has none.
    pub name: String,
    pub id: String,
    pub manifest_digest: Option<String>,
    pub format: &'static str,
    pub layers: Vec<LayerRow>,
    /// Bytes stored in all layers.
    pub total_size: u64,
    /// Bytes of the final file system.
    pub final_size: u64,
    pub wasted_bytes: u64,
    pub efficiency: f64,
    pub user_wasted_percent: f64,
    /// Largest waste first.
    pub wasted: Vec<WastedRow>,
    /// Each layer's own changes, in path order.
    pub files: Vec<Vec<FileRow>>,
}

/// The reports of every image in an archive.
pub fn reports(imported: &Imported) -> Vec<ImageReport> {
    imported
        .images
        .iter()
        .map(|i| report(i, imported.format.name()))
        .collect()
}

fn report(image: &ImportedImage, format: &'static str) -> ImageReport {
    let a = image.efficiency();
    let layers = a
        .layers
        .iter()
        .zip(&image.diff_ids)
        .zip(&image.chain_ids)
        .map(|((l, diff_id), chain_id)| LayerRow {
            instruction: l.instruction.clone(),
            size: l.size,
            added: l.added,
            changed: l.changed,
            removed: l.removed,
            diff_id: diff_id.to_string(),
            chain_id: chain_id.to_string(),
        })
        .collect();
    let wasted = a
        .wasted
        .iter()
        .map(|w| WastedRow {
            path: w.path.clone(),
            bytes: w.bytes,
            copies: w
                .copies
                .iter()
                .map(|c| WastedCopyRow {
                    layer: c.layer,
                    bytes: c.bytes,
                    deleted: c.fate == Fate::Deleted,
                    by: c.by,
                })
                .collect(),
            kept_in: w.kept_in,
        })
        .collect();
    let name = if image.tags.is_empty() {
        image.id.short().to_owned()
    } else {
        image.tags.join(", ")
    };
    ImageReport {
        name,
        id: image.id.to_string(),
        manifest_digest: image.manifest_digest.as_ref().map(ToString::to_string),
        format,
        layers,
        total_size: a.total_size,
        final_size: a.final_size,
        wasted_bytes: a.wasted_bytes,
        efficiency: a.efficiency,
        user_wasted_percent: a.user_wasted_percent,
        wasted,
        files: layer_files(image),
    }
}

/// Each layer's files, symlinks and deletions, judged against the layers
/// below it: a path none of them shows is added, one they show is changed,
/// a whiteout of a shown path removes it.
fn layer_files(image: &ImportedImage) -> Vec<Vec<FileRow>> {
    let mut shown: BTreeSet<FsPath> = BTreeSet::new();
    let mut all = Vec::new();
    for layer in &image.layers {
        let diff = &layer.summary.diff;
        let mut rows = Vec::new();
        let mut gone = Vec::new();
        let mut new = Vec::new();
        for (path, entry) in diff.entries() {
            let bytes = match entry {
                Entry::File { ino } => diff.inode(*ino).map_or(0, |i| i.content.len()),
                _ => 0,
            };
            match entry {
                Entry::Whiteout => {
                    let below: Vec<FsPath> = shown
                        .range(path.clone()..)
                        .take_while(|p| p.starts_with(path))
                        .cloned()
                        .collect();
                    if !below.is_empty() {
                        rows.push(FileRow {
                            path: path.to_string(),
                            bytes: 0,
                            change: Change::Removed,
                        });
                    }
                    gone.extend(below);
                }
                Entry::Dir { .. } => {}
                Entry::File { .. } | Entry::Symlink { .. } => {
                    let change = if shown.contains(path) {
                        Change::Changed
                    } else {
                        Change::Added
                    };
                    rows.push(FileRow {
                        path: path.to_string(),
                        bytes,
                        change,
                    });
                    new.push(path.clone());
                }
            }
        }
        for p in gone {
            shown.remove(&p);
        }
        shown.extend(new);
        all.push(rows);
    }
    all
}

/// `rows` in the order asked for (largest first keeps path order among equals).
pub fn sorted(rows: &[FileRow], order: Order) -> Vec<&FileRow> {
    let mut out: Vec<&FileRow> = rows.iter().collect();
    if order == Order::LargestFirst {
        layerlab_engine::sort::sort_by(&mut out, |a, b| b.bytes.cmp(&a.bytes));
    }
    out
}

/// Docker's human size (`1.23MB`).
pub fn size(bytes: u64) -> String {
    human_size_with_precision(bytes as f64, 3)
}

/// Bytes per second from bytes read in `ms` milliseconds (`4.2MB/s`).
pub fn rate(bytes: u64, ms: f64) -> String {
    if ms <= 0.0 {
        return "…".to_owned();
    }
    format!("{}/s", size((bytes as f64 * 1000.0 / ms) as u64))
}

/// A ratio as a percentage with one decimal (`87.5%`).
pub fn percent(ratio: f64) -> String {
    format!("{:.1}%", ratio * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use layerlab_engine::import::{Importer, Progress};

    fn import(bytes: &[u8]) -> Imported {
        let mut importer = Importer::new();
        for slice in bytes.chunks(4096) {
            importer.feed(slice).expect("feeds");
        }
        importer.finish().expect("imports")
    }

    #[test]
    fn a_saved_image_is_reported_layer_by_layer_with_its_ids() {
        let imported = import(include_bytes!(
            "../../crates/engine/tests/images/multi-stage.tar"
        ));
        let all = reports(&imported);
        assert!(!all.is_empty());
        for r in &all {
            assert_eq!(r.layers.len(), r.files.len());
            assert!(r.id.starts_with("sha256:"));
            for l in &r.layers {
                assert!(l.diff_id.starts_with("sha256:") && l.chain_id.starts_with("sha256:"));
            }
            // Each layer's listed changes agree with the engine's counts.
            for (l, files) in r.layers.iter().zip(&r.files) {
                let count = |c| files.iter().filter(|f| f.change == c).count();
                assert_eq!(
                    (count(Change::Added), count(Change::Changed)),
                    (l.added, l.changed),
                    "{}",
                    l.instruction
                );
            }
            assert_eq!(r.total_size, r.final_size + r.wasted_bytes);
            let sum: u64 = r.layers.iter().map(|l| l.size).sum();
            assert_eq!(sum, r.total_size);
        }
    }

    #[test]
    fn files_sort_by_size_largest_first_keeping_path_order_among_equals() {
        let row = |path: &str, bytes| FileRow {
            path: path.into(),
            bytes,
            change: Change::Added,
        };
        let rows = [row("/a", 1), row("/b", 9), row("/c", 1)];
        let order: Vec<&str> = sorted(&rows, Order::LargestFirst)
            .iter()
            .map(|r| r.path.as_str())
            .collect();
        assert_eq!(order, ["/b", "/a", "/c"]);
        assert_eq!(sorted(&rows, Order::Path)[0].path, "/a");
    }

    #[test]
    fn rates_and_percentages_read_as_docker_writes_sizes() {
        assert_eq!(rate(2_000_000, 1000.0), "2MB/s");
        assert_eq!(rate(5, 0.0), "…");
        assert_eq!(percent(0.875), "87.5%");
    }

    #[test]
    fn an_imported_image_runs_a_container_whose_edits_copy_up() {
        // An archive from a session's `docker save`, loaded into another
        // session's host as the importer pane does.
        let mut from = layerlab_engine::command::Session::new();
        for line in ["docker pull alpine", "docker tag alpine lab/alpine:1"] {
            assert_eq!(from.run(line).status, 0, "{line}");
        }
        let tar = layerlab_engine::save::save(&from.host, &["lab/alpine:1".into()], 0)
            .expect("saves")
            .to_vec();
        let imported = import(&tar);
        let mut to = layerlab_engine::command::Session::new();
        layerlab_engine::import::load(&mut to.host, &imported);
        for line in [
            "docker run -d --name c1 lab/alpine:1 sleep 1d",
            "docker exec c1 sh -c 'echo x >> /etc/passwd'",
        ] {
            let t = to.run(line);
            assert_eq!(t.status, 0, "{line}: {}", t.text());
        }
        let diff = to.run("docker diff c1").text();
        assert!(diff.contains("C /etc/passwd"), "{diff}");
        // Half an archive is refused with the importer's words.
        let mut cut = Importer::new();
        let said = cut
            .feed(&tar[..tar.len() / 2])
            .and_then(|_| cut.finish().map(|_| Progress::default()))
            .expect_err("half an archive is refused")
            .to_string();
        assert!(said.contains("unexpected end of file"), "{said}");
    }
}
