//! `docker load`: the images of an import join a [`Host`], their layers
//! shared by ChainID with those already stored, their configs kept byte for
//! byte (so the image ID is Docker's), their tags applied.

use super::{Imported, ImportedImage};
use crate::diff::{Diff, Entry, Meta};
use crate::digest::Digest;
use crate::host::{Host, Outcome};
use crate::layer::Layer;
use crate::path::FsPath;
use crate::reference::Reference;
use std::collections::BTreeSet;
use std::rc::Rc;

/// One image loaded, as `docker load` reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    pub id: Digest,
    pub tags: Vec<Reference>,
    /// Tags that pointed at another image before, with that image's ID.
    pub moved: Vec<(Reference, Digest)>,
}

impl Loaded {
    /// `docker load`'s lines for this image: `Loaded image: busybox:latest`
    /// per tag, or `Loaded image ID: sha256:…` when it has none.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .moved
            .iter()
            .map(|(t, old)| {
                format!(
                    "The image {t} already exists, renaming the old one with ID {old} to empty string"
                )
            })
            .collect();
        if self.tags.is_empty() {
            lines.push(format!("Loaded image ID: {}", self.id));
        } else {
            lines.extend(self.tags.iter().map(|t| format!("Loaded image: {t}")));
        }
        lines
    }
}

/// Adds every image of `imported` to `host`.
pub fn load(host: &mut Host, imported: &Imported) -> Outcome<Vec<Loaded>> {
    let mut events = Vec::new();
    let mut loaded = Vec::new();
    for image in &imported.images {
        let out = load_image(host, image);
        events.extend(out.events);
        loaded.push(out.value);
    }
    Outcome {
        value: loaded,
        events,
    }
}

fn load_image(host: &mut Host, image: &ImportedImage) -> Outcome<Loaded> {
    let mut layers = Vec::with_capacity(image.layers.len());
    let mut dirs: BTreeSet<FsPath> = BTreeSet::new();
    for (layer, chain) in image.layers.iter().zip(&image.chain_ids) {
        let diff = with_parents(&layer.summary.diff, &mut dirs);
        // The layer store by ChainID, build cache's layers included.
        match host.layer_by_chain(chain) {
            Some(existing) => layers.push(existing),
            None => {
                let new: Rc<Layer> = host.new_layer(diff);
                new.seed_diff_id(layer.summary.diff_id.clone());
                layers.push(new);
            }
        }
    }
    let created = parse_rfc3339(&image.config.created).unwrap_or_else(|| host.now());
    let mut out = host.add_loaded_image(
        image.config.clone(),
        image.config_json.clone(),
        layers,
        created,
    );
    let mut tags = Vec::new();
    let mut moved = Vec::new();
    for t in &image.tags {
        if let Ok(r) = Reference::parse(t) {
            if let Ok(old) = host.image(&r.to_string()) {
                if old.id != out.value {
                    moved.push((r.clone(), old.id.clone()));
                }
            }
            out.events.extend(host.tag(&out.value, &r));
            tags.push(r);
        }
    }
    Outcome {
        value: Loaded {
            id: out.value,
            tags,
            moved,
        },
        events: out.events,
    }
}

/// `diff` plus the directories its entries need that neither it nor a layer
/// below has (a tar may leave them out; the kernel would make them 0755).
fn with_parents(diff: &Diff, dirs: &mut BTreeSet<FsPath>) -> Diff {
    let mut missing = BTreeSet::new();
    for (path, entry) in diff.entries() {
        for a in path.ancestors() {
            if !dirs.contains(&a) && diff.get(&a).is_none() {
                missing.insert(a);
            }
        }
        if entry.is_dir() {
            dirs.insert(path.clone());
        }
    }
    if missing.is_empty() {
        return diff.clone();
    }
    let mut out = diff.clone();
    for a in missing {
        dirs.insert(a.clone());
        out.put(
            a,
            Entry::Dir {
                meta: Meta::new(0o755, 0),
                opaque: false,
            },
        );
    }
    out
}

/// `2024-01-02T03:04:05.123456789Z` (or with an offset) to Unix seconds.
pub fn parse_rfc3339(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &text[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        rest = &frac[n..];
    }
    let offset = match rest {
        "Z" | "z" | "" => 0,
        _ => {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            let h = rest.get(1..3)?.parse::<i64>().ok()?;
            let mi = rest.get(4..6)?.parse::<i64>().ok()?;
            sign * (h * 3600 + mi * 60)
        }
    };
    // Days from civil (Howard Hinnant's algorithm).
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hh * 3600 + mm * 60 + ss - offset;
    u64::try_from(secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_reads_what_configs_write() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339(&crate::clock::rfc3339(1_767_225_605)),
            Some(1_767_225_605)
        );
        assert_eq!(
            parse_rfc3339("2024-02-29T12:00:00.123456789+01:00"),
            Some(1_709_204_400)
        );
        assert_eq!(parse_rfc3339("yesterday"), None);
    }
}
