//! The stage: an SVG picture of the host, scaled to its pane. Each layer of
//! the store is one slab, drawn once; an image is a label on the tip of its
//! chain, and an image that grows from another's layers branches off to the
//! right, as in a commit graph. Containers stand on their image's tip, each
//! with its writable layer and what it holds. The last command's events move
//! on it: a copied-up file travels from its layer into the writable layer,
//! a whiteout drops in, new layers and containers rise into place. A text
//! version follows for screen readers.

use crate::components::scaled;
use crate::drawing::{self, use_choices, Drawing, SELECT};
use crate::i18n::{colon, comma, t, Lang, Msg};
use crate::inspect::Selected;
use crate::shared::Shared;
use crate::stage::{hue_class, stage_model, ContainerBox, HeldFile, Stage as Picture};
use crate::state::Action;
use crate::workspace::Workspace;
use layerlab_engine::command::Transcript;
use layerlab_engine::event::{Event, Source};
use layerlab_engine::host::HostEvent;
use layerlab_engine::layer::LayerId;
use layerlab_engine::writable::Origin;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StageProps {
    pub workspace: Shared<Workspace>,
    /// Animation speed, in percent.
    #[prop_or(100)]
    pub speed: u32,
    /// Presenter mode: drawn to fit beside the caption on a projector.
    #[prop_or_default]
    pub compact: bool,
    /// Clicking (or Enter on) a layer or a container shows it in the inspector.
    pub on_action: Callback<Action>,
}

const SLAB_W: i32 = 260;
const SLAB_H: i32 = 28;
/// An image's label on its tip: a name line, and its configuration below.
const TAG_H: i32 = 36;
const COL_GAP: i32 = 44;
const BOX_GAP: i32 = 10;
/// A container box without its file rows.
const BOX_HEAD: i32 = 46;
const ROW_H: i32 = 17;
/// How far containers stand above their image's tip.
const LIFT: i32 = 26;
const PAD: i32 = 14;
/// The drawing is never smaller than this, so a small one is not blown up.
const MIN_W: i32 = 420;
const MIN_H: i32 = 240;
/// Files listed when a layer is opened in place.
const OPEN_FILES: usize = 5;

/// Motion at normal speed, in milliseconds.
const TRAVEL_MS: u64 = 1400;
const STAGGER_MS: u64 = 450;
const RISE_MS: u64 = 700;

/// Where each thing stands: a column, and an elevation above the baseline.
#[derive(Default)]
struct Layout {
    /// Per slab: (column, elevation of its bottom).
    slabs: Vec<(usize, i32)>,
    /// Per image: (column, elevation of its tag's bottom).
    tags: Vec<(usize, i32)>,
    /// Per container group (by image): (column, elevation of its bottom).
    groups: Vec<Option<(usize, i32)>>,
    /// Per column: its width.
    widths: Vec<i32>,
}

fn tags_on(stage: &Picture, slab: usize) -> i32 {
    stage.images.iter().filter(|i| i.tip == Some(slab)).count() as i32 * TAG_H
}

fn box_height(stage: &Picture, c: &ContainerBox) -> i32 {
    // An empty writable layer says so in a row, but for a projector.
    let fewest = usize::from(!stage.compact);
    let rows = c.files.len().clamp(fewest, stage.rows() + 1) as i32;
    BOX_HEAD + rows * ROW_H + 4
}

/// Containers of image `image`, in rows of [`Picture::per_row`]: the group's (width, height).
fn group_size(stage: &Picture, image: usize) -> Option<(i32, i32)> {
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
fn lay_out(stage: &Picture) -> Layout {
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

/// What the last command did that the stage shows moving.
#[derive(Default)]
struct Motion {
    /// (container, path, the layer it came from) of each file copied up.
    copied: Vec<(String, String, LayerId)>,
    /// (container, path) of each whiteout made.
    whiteouts: Vec<(String, String)>,
    /// (container, layer) of each read served by a read-only layer.
    reads: Vec<(String, LayerId)>,
    /// Layers made, in order.
    layers: Vec<LayerId>,
    /// Layers a build took from its cache (`CACHED`).
    cached: Vec<LayerId>,
    /// Containers made.
    containers: Vec<String>,
    /// The container whose writable layer a commit turned into a layer.
    committed: Option<String>,
    /// The container whose files changed.
    changed: Option<String>,
}

fn motion(session: &layerlab_engine::command::Session, line: &str, ran: &Transcript) -> Motion {
    let mut m = Motion::default();
    if let Some(files) = &ran.container_files {
        let c = &files.container;
        for e in &files.events {
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
        .build
        .iter()
        .filter(|s| s.cached)
        .filter_map(|s| s.layer)
        .collect();
    for e in &ran.events {
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

/// A rectangle in the drawing's coordinates.
#[derive(Clone, Copy)]
struct Rect {
    x: i32,
    y: i32,
}

fn icon(origin: Origin) -> &'static str {
    match origin {
        Origin::CopiedUp { .. } => "⇧",
        Origin::New => "+",
        Origin::Whiteout => "⊘",
        Origin::Opaque => "▦",
    }
}

/// The rows a writable layer shows: what the last command touched first.
fn rows<'a>(stage: &Picture, c: &'a ContainerBox, m: &Motion) -> (Vec<&'a HeldFile>, usize) {
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

struct Painter<'a> {
    d: Drawing,
    lang: Lang,
    stage: &'a Picture,
    m: &'a Motion,
    /// Motion on: the drawing is for a new state, and something moved.
    fresh: bool,
    speed: u32,
    height: i32,
    xs: Vec<i32>,
    selections: Vec<Selected>,
    /// Where each slab was drawn.
    slab_at: Vec<Rect>,
}

impl Painter<'_> {
    fn ms(&self, ms: u64) -> u64 {
        scaled(ms, self.speed).as_millis() as u64
    }

    /// The drawing's y of an elevation (the baseline is at the bottom).
    fn y(&self, elevation: i32) -> i32 {
        self.height - PAD - elevation
    }

    fn slabs(&mut self, l: &Layout) {
        for (s, slab) in self.stage.slabs.iter().enumerate() {
            let (col, e) = l.slabs[s];
            let (x, y) = (self.xs[col], self.y(e + SLAB_H));
            self.slab_at.push(Rect { x, y });
            if let Some(p) = slab.parent.filter(|&p| l.slabs[p].0 != col) {
                // A branch: from the parent's top right to this slab's bottom.
                let (px, py) = (self.xs[l.slabs[p].0] + SLAB_W, self.y(e) - 4);
                self.d
                    .open("path")
                    .attr("class", "branch")
                    .attr("d", format!("M{px} {} V{py} H{x}", py + 10))
                    .close();
            }
            let mut class = format!("slab {}", hue_class(slab.hue));
            let rises = self.m.layers.iter().position(|&id| id == slab.layer);
            let reads = self.m.reads.iter().any(|(_, id)| *id == slab.layer);
            let copied = self.m.copied.iter().any(|(_, _, id)| *id == slab.layer);
            let cached = self.m.cached.contains(&slab.layer);
            if copied || reads || cached {
                class.push_str(" touched");
            }
            self.d
                .open("g")
                .attr("class", class)
                .attr("data-layer", slab.layer.0)
                .attr("data-chain", slab.chain.hex())
                .attr("tabindex", 0)
                .attr("role", "button");
            if let (Some(k), true) = (rises, self.fresh) {
                // Out of the container a commit took it from, or up from below.
                let from = self.m.committed.as_ref().and_then(|id| self.box_at(l, id));
                let (dx, dy) = match from {
                    Some(b) => (b.x - x, b.y - y),
                    None => (0, 14),
                };
                let delay = self.ms(k as u64 * STAGGER_MS);
                let dur = self.ms(if from.is_some() { TRAVEL_MS } else { RISE_MS });
                self.d.attr("data-fly", format!("{dx} {dy} {delay} {dur}"));
            }
            let used = if slab.used_by > 1 {
                format!(
                    " — {}{}{}",
                    t(self.lang, Msg::StageUsedBy),
                    colon(self.lang),
                    slab.used_by
                )
            } else {
                String::new()
            };
            let mark = if copied {
                "⇧ "
            } else if reads {
                "◉ "
            } else if cached {
                "↺ CACHED "
            } else {
                ""
            };
            self.d.attr(
                "aria-label",
                format!(
                    "{mark}{} {}{used} — {}",
                    slab.label,
                    slab.size,
                    t(self.lang, Msg::InspectSelect)
                ),
            );
            self.d.attr(SELECT, self.selections.len());
            self.selections.push(Selected::Layer(slab.layer));
            self.d.rect(x, y, SLAB_W, SLAB_H, 3).close();
            self.d
                .text_at(x + 8, y + 18)
                .attr("class", "slab-label")
                .text(&layerlab_engine::table::ellipsis(
                    &format!("{mark}{}", slab.label),
                    // A projector's larger type leaves room for fewer characters.
                    if self.stage.compact { 21 } else { 27 },
                ))
                .close();
            self.d
                .text_at(x + SLAB_W - 8, y + 18)
                .attr("class", "slab-size")
                .attr("text-anchor", "end")
                .text(&slab.size)
                .close();
            self.d.title(&format!(
                "{} — {} — sha256:{}…{used}",
                slab.label, slab.size, slab.digest
            ));
            self.d.close();
        }
    }

    fn tags(&mut self, l: &Layout) {
        for (i, image) in self.stage.images.iter().enumerate() {
            let (col, e) = l.tags[i];
            let (x, y) = (self.xs[col], self.y(e + TAG_H));
            self.d.open("g").attr("class", "image-tag");
            self.d.rect(x, y + 3, SLAB_W, TAG_H - 5, 10).close();
            self.d
                .text_at(x + 10, y + 17)
                .attr("class", "image-name")
                .text(&layerlab_engine::table::ellipsis(
                    &format!("◆ {} · {}", image.name, image.size),
                    34,
                ))
                .close();
            if let Some(last) = image.config.last() {
                let more = if image.config.len() > 1 {
                    format!(" +{}", image.config.len() - 1)
                } else {
                    String::new()
                };
                self.d
                    .text_at(x + 10, y + 30)
                    .attr("class", "image-config")
                    .text(&format!("⚙ {last}{more}"))
                    .close();
            }
            self.d.title(&format!(
                "{} {} — {}: {} — {}",
                image.name,
                image.id,
                t(self.lang, Msg::StageConfig),
                image.config.join(" · "),
                t(self.lang, Msg::StageMetadataOnly)
            ));
            self.d.close();
        }
    }

    /// Where container `id`'s box is drawn.
    fn box_at(&self, l: &Layout, id: &str) -> Option<Rect> {
        let c = self.stage.containers.iter().find(|c| c.id == id)?;
        let (col, base) = l.groups.get(c.image).copied().flatten()?;
        let boxes: Vec<&ContainerBox> = self
            .stage
            .containers
            .iter()
            .filter(|o| o.image == c.image)
            .collect();
        let k = boxes.iter().position(|o| o.id == id)?;
        let below: i32 = boxes
            .chunks(self.stage.per_row())
            .take(k / self.stage.per_row())
            .map(|row| {
                row.iter()
                    .map(|c| box_height(self.stage, c))
                    .max()
                    .unwrap_or(0)
                    + BOX_GAP
            })
            .sum();
        let x = self.xs[col] + (k % self.stage.per_row()) as i32 * (self.stage.box_w() + BOX_GAP);
        Some(Rect {
            x,
            y: self.y(base + below + box_height(self.stage, c)),
        })
    }

    fn containers(&mut self, l: &Layout) {
        for c in &self.stage.containers {
            let Some(at) = self.box_at(l, &c.id) else {
                continue;
            };
            let Some((_, base)) = l.groups.get(c.image).copied().flatten() else {
                continue;
            };
            let h = box_height(self.stage, c);
            let changed = self.m.changed.as_deref() == Some(c.id.as_str());
            let mut class = format!(
                "container {}",
                if c.running { "running" } else { "stopped" }
            );
            if changed {
                class.push_str(" changed");
            }
            self.d
                .open("g")
                .attr("class", class)
                .attr("data-container", &c.name)
                .attr("tabindex", 0)
                .attr("role", "button")
                .attr(SELECT, self.selections.len());
            self.selections.push(Selected::Container {
                id: c.id.clone(),
                dir: "/".into(),
            });
            if self.fresh && self.m.containers.contains(&c.id) {
                let dur = self.ms(RISE_MS);
                self.d.attr("data-fly", format!("0 30 0 {dur}"));
            }
            let mid = at.x + self.stage.box_w() / 2;
            let foot = self.y(base - LIFT);
            self.d
                .open("line")
                .attr("x1", mid)
                .attr("y1", at.y + h)
                .attr("x2", mid)
                .attr("y2", foot)
                .attr("class", "stands-on")
                .close();
            self.d
                .rect(at.x, at.y, self.stage.box_w(), h, 5)
                .attr("class", "container-box")
                .close();
            self.d
                .rect(at.x, at.y, self.stage.box_w(), 8, 3)
                .attr("class", "writable")
                .close();
            self.d
                .text_at(at.x + 8, at.y + 24)
                .attr("class", "container-name")
                .text(&c.name)
                .close();
            self.d
                .text_at(at.x + self.stage.box_w() - 8, at.y + 24)
                .attr("class", "container-state")
                .attr("text-anchor", "end")
                .text(&c.state)
                .close();
            let size = if changed {
                format!("▲ SIZE {}", c.size)
            } else {
                format!("SIZE {}", c.size)
            };
            self.d
                .text_at(at.x + 8, at.y + 40)
                .attr("class", "container-size")
                .text(&size)
                .close();
            self.held(c, at);
            self.d.title(&format!(
                "{} — {}: {} — {}: {} — {}",
                c.name,
                t(self.lang, Msg::StageState),
                c.state,
                t(self.lang, Msg::StageWritable),
                c.size,
                t(self.lang, Msg::InspectSelect)
            ));
            self.d.close();
        }
    }

    /// The writable layer's rows: what it holds, and each copy-up or
    /// whiteout the last command made, moving into place.
    fn held(&mut self, c: &ContainerBox, at: Rect) {
        let (files, more) = rows(self.stage, c, self.m);
        let mut y = at.y + BOX_HEAD;
        if files.is_empty() && !self.stage.compact {
            self.d
                .text_at(at.x + 8, y + 12)
                .attr("class", "held none")
                .text(t(self.lang, Msg::StageEmptyWritable))
                .close();
        }
        let mut k = 0u64;
        for f in files {
            let class = match f.origin {
                Origin::CopiedUp { .. } => "held copied-up",
                Origin::New => "held new",
                Origin::Whiteout => "held whiteout",
                Origin::Opaque => "held opaque",
            };
            self.d
                .open("g")
                .attr("class", class)
                .attr("data-path", &f.path);
            let copied_from = self
                .m
                .copied
                .iter()
                .find(|(id, p, _)| *id == c.id && *p == f.path)
                .and_then(|(_, _, from)| self.stage.slab_of(*from));
            let dropped = self
                .m
                .whiteouts
                .iter()
                .any(|(id, p)| *id == c.id && *p == f.path);
            if self.fresh {
                let motion = match (copied_from, dropped) {
                    (Some(s), _) => {
                        let src = self.slab_at[s];
                        Some((src.x + 20 - at.x, src.y + 6 - y, TRAVEL_MS))
                    }
                    (None, true) => Some((0, -60, RISE_MS)),
                    _ => None,
                };
                if let Some((dx, dy, ms)) = motion {
                    let delay = self.ms(k * STAGGER_MS);
                    let dur = self.ms(ms);
                    self.d.attr("data-fly", format!("{dx} {dy} {delay} {dur}"));
                    k += 1;
                }
            }
            let hue = match f.origin {
                Origin::CopiedUp { from } => self
                    .stage
                    .slab_of(from)
                    .map(|s| hue_class(self.stage.slabs[s].hue)),
                _ => None,
            };
            self.d
                .rect(at.x + 4, y, self.stage.box_w() - 8, ROW_H - 2, 3)
                .attr(
                    "class",
                    hue.map_or("chip".to_owned(), |h| format!("chip {h}")),
                )
                .close();
            let word = match f.origin {
                Origin::Whiteout => format!(" {}", t(self.lang, Msg::StageWhiteoutShort)),
                Origin::Opaque => " opaque".to_owned(),
                _ => format!(" {}", f.size),
            };
            self.d
                .text_at(at.x + 9, y + 12)
                .attr("class", "held-name")
                .text(&layerlab_engine::table::ellipsis(
                    &format!("{} {}{word}", icon(f.origin), f.name),
                    if self.stage.compact { 13 } else { 22 },
                ))
                .close();
            let why = match f.origin {
                Origin::CopiedUp { from } => {
                    let layer = self
                        .stage
                        .slab_of(from)
                        .map(|s| self.stage.slabs[s].label.clone())
                        .unwrap_or_default();
                    format!("{} {layer}", t(self.lang, Msg::StageCopiedUp))
                }
                Origin::New => t(self.lang, Msg::StageNewFile).to_owned(),
                Origin::Whiteout => t(self.lang, Msg::StageWhiteout).to_owned(),
                Origin::Opaque => t(self.lang, Msg::StageOpaque).to_owned(),
            };
            self.d.title(&format!("{} · {} — {why}", f.path, f.size));
            self.d.close();
            y += ROW_H;
        }
        if more > 0 {
            self.d
                .text_at(at.x + 9, y + 12)
                .attr("class", "held more")
                .text(&format!("+ {more} {}", t(self.lang, Msg::StageMore)))
                .close();
        }
    }

    /// A layer's largest files, in a card beside its slab.
    fn opened(&mut self, (id, (files, more)): &Opened) {
        let Some(s) = self.stage.slab_of(*id) else {
            return;
        };
        let at = self.slab_at[s];
        let rows = files.len() as i32 + i32::from(*more > 0) + 1;
        let h = rows * ROW_H + 10;
        let (x, y) = (at.x + 24, (at.y - h).max(2));
        self.d.open("g").attr("class", "layer-files");
        self.d.rect(x, y, SLAB_W + 40, h, 4).close();
        let slab = &self.stage.slabs[s];
        self.d
            .text_at(x + 8, y + 15)
            .attr("class", "layer-files-title")
            .text(&format!("▤ {} · {}", slab.label, slab.size))
            .close();
        for (k, (path, size)) in files.iter().enumerate() {
            self.d
                .text_at(x + 8, y + 15 + (k as i32 + 1) * ROW_H)
                .text(&format!("{path} · {size}"))
                .close();
        }
        if *more > 0 {
            self.d
                .text_at(x + 8, y + 15 + rows.saturating_sub(1) * ROW_H)
                .attr("class", "more")
                .text(&format!("+ {more} {}", t(self.lang, Msg::StageMore)))
                .close();
        }
        self.d.close();
    }

    /// A short ray from each layer that served a read to the container.
    fn rays(&mut self, l: &Layout) {
        for (id, layer) in &self.m.reads {
            let (Some(s), Some(b)) = (self.stage.slab_of(*layer), self.box_at(l, id)) else {
                continue;
            };
            let from = self.slab_at[s];
            self.d
                .open("line")
                .attr("class", "ray")
                .attr("x1", from.x + SLAB_W / 2)
                .attr("y1", from.y)
                .attr("x2", b.x + self.stage.box_w() / 2)
                .attr("y2", b.y + BOX_HEAD);
            if self.fresh {
                let dur = self.ms(TRAVEL_MS);
                self.d.attr("data-flash", format!("0 {dur}"));
            }
            self.d.close();
        }
    }
}

/// A layer opened in place, and its largest files.
type Opened = (LayerId, (Vec<(String, String)>, usize));

/// The stage as SVG, with the choices its slabs and containers open.
fn paint(
    stage: &Picture,
    m: &Motion,
    lang: Lang,
    fresh: bool,
    speed: u32,
    opened: Option<&Opened>,
) -> (Drawing, Vec<Selected>) {
    let l = lay_out(stage);
    let mut xs = Vec::with_capacity(l.widths.len());
    let mut x = PAD;
    for w in &l.widths {
        xs.push(x);
        x += w + COL_GAP;
    }
    let (min_w, min_h) = if stage.compact {
        (0, 0)
    } else {
        (MIN_W, MIN_H)
    };
    let width = (x - COL_GAP + PAD).max(min_w);
    let tallest = (0..stage.images.len())
        .map(|i| {
            let tag = l.tags[i].1 + TAG_H;
            let group = l.groups[i]
                .map(|(_, base)| base + group_size(stage, i).map_or(0, |(_, h)| h))
                .unwrap_or(0);
            tag.max(group)
        })
        .chain(l.slabs.iter().map(|(_, e)| e + SLAB_H))
        .max()
        .unwrap_or(0);
    let height = (tallest + 2 * PAD).max(min_h);
    let mut d = Drawing::new();
    d.open("svg")
        .attr("class", if fresh { "stage" } else { "stage still" })
        .attr("role", "group")
        .attr("aria-labelledby", "stage-heading stage-text")
        .attr("viewBox", format!("0 0 {width} {height}"))
        .attr("preserveAspectRatio", "xMidYMax meet")
        .attr("width", width)
        .attr("height", height);
    let mut p = Painter {
        d,
        lang,
        stage,
        m,
        fresh,
        speed,
        height,
        xs,
        selections: Vec::new(),
        slab_at: Vec::new(),
    };
    p.slabs(&l);
    p.tags(&l);
    p.containers(&l);
    p.rays(&l);
    if let Some(opened) = opened {
        p.opened(opened);
    }
    (p.d, p.selections)
}

/// The text version: every layer once, each image on its tip, each container
/// with its state and what its writable layer holds.
fn description(stage: &Picture, lang: Lang) -> Html {
    let layer = |s: &crate::stage::Slab| {
        let used = if s.used_by > 1 {
            format!(
                " — {}{}{}",
                t(lang, Msg::StageUsedBy),
                colon(lang),
                s.used_by
            )
        } else {
            String::new()
        };
        format!("{} {}{used}", s.label, s.size)
    };
    // Drawn as one text, like the picture: a few hundred list items made
    // through yew would cost far more code and time.
    let mut d = Drawing::new();
    d.open("div")
        .attr("id", "stage-text")
        .attr("class", "visually-hidden");
    d.open("ul");
    for i in &stage.images {
        let chain: Vec<String> = std::iter::successors(i.tip, |&s| stage.slabs[s].parent)
            .map(|s| layer(&stage.slabs[s]))
            .collect();
        let config = if i.config.is_empty() {
            String::new()
        } else {
            format!(
                " — {}{}{}",
                t(lang, Msg::StageConfig),
                colon(lang),
                i.config.join(" · ")
            )
        };
        let chain: Vec<&str> = chain.iter().rev().map(String::as_str).collect();
        d.open("li")
            .text(&format!(
                "{} ({}, {}){}{} {}{}{}{config}",
                i.name,
                i.id,
                i.size,
                colon(lang),
                chain.len(),
                t(lang, Msg::StageLayers),
                comma(lang),
                chain.join(" → ")
            ))
            .close();
    }
    d.close();
    d.open("ul");
    for c in &stage.containers {
        let files: Vec<String> = c
            .files
            .iter()
            .map(|f| {
                let how = match f.origin {
                    Origin::CopiedUp { from } => format!(
                        "{} {}",
                        t(lang, Msg::StageCopiedUp),
                        stage
                            .slab_of(from)
                            .map(|s| stage.slabs[s].label.as_str())
                            .unwrap_or_default()
                    ),
                    Origin::New => t(lang, Msg::StageNewFile).to_owned(),
                    Origin::Whiteout => t(lang, Msg::StageWhiteout).to_owned(),
                    Origin::Opaque => t(lang, Msg::StageOpaque).to_owned(),
                };
                format!("{} ({how}{}{})", f.path, comma(lang), f.size)
            })
            .collect();
        let image = stage.images.get(c.image).map_or("", |i| i.name.as_str());
        let held = if files.is_empty() { "" } else { colon(lang) };
        d.open("li")
            .text(&format!(
                "{} — {image} — {} — {}{}{}{held}{}",
                c.name,
                c.state,
                t(lang, Msg::StageWritable),
                colon(lang),
                c.size,
                files.join(comma(lang))
            ))
            .close();
    }
    drawing::html(d)
}

#[function_component(Stage)]
pub fn stage(props: &StageProps) -> Html {
    let lang = crate::hooks::use_lang();
    let choices = use_choices::<Selected>();
    // The drawing is made anew each time: when only the language or the
    // speed changed, nothing on it moves again.
    // What was there when the stage appeared (a reload, a permalink) is
    // shown at rest, as "What happened" shows it.
    // (The snapshot drawn last is held, so its address is never reused.)
    let drawn = use_mut_ref(|| props.workspace.clone());
    let fresh = drawn.replace(props.workspace.clone()) != props.workspace;
    let open_state = use_state(|| None::<LayerId>);
    let open = *open_state;
    let ws = &props.workspace;
    let mut stage = stage_model(&ws.session);
    stage.compact = props.compact;
    let m = ws
        .console
        .last
        .as_ref()
        .map(|(line, ran)| motion(&ws.session, line, ran))
        .unwrap_or_default();
    let legend = html! {
        <div class="legend">
            <p>
                <span class="key slab-key" aria-hidden="true"></span>{ t(lang, Msg::StageLegendLayer) }
                <span class="key tag-key" aria-hidden="true"></span>{ t(lang, Msg::StageImageTag) }
                <span class="key writable-key" aria-hidden="true"></span>{ t(lang, Msg::StageWritable) }
                <span aria-hidden="true">{ " ⚙ " }</span>{ t(lang, Msg::StageMetadataOnly) }
                <span aria-hidden="true">{ " ⇧ " }</span>{ t(lang, Msg::StageCopiedUp) }
                <span aria-hidden="true">{ " ⊘ " }</span>{ t(lang, Msg::StageWhiteoutShort) }
            </p>
            <p class="init-note">{ t(lang, Msg::StageInitLayer) }</p>
        </div>
    };
    if stage.is_empty() {
        return html! {
            <section class="pane stage-pane" id="stage" aria-labelledby="stage-heading">
                <h2 id="stage-heading">{ t(lang, Msg::StageHeading) }</h2>
                <p class="hint">{ t(lang, Msg::StageEmpty) }</p>
            </section>
        };
    }
    let open_files = open
        .filter(|id| stage.slab_of(*id).is_some())
        .map(|id| (id, crate::stage::largest_files(&ws.session, id, OPEN_FILES)));
    let (d, selections) = paint(&stage, &m, lang, fresh, props.speed, open_files.as_ref());
    // A layer chosen on the stage also opens in place, showing its files.
    let on_select = {
        let (on_action, open_state) = (props.on_action.clone(), open_state.clone());
        Callback::from(move |s: Selected| {
            if let Selected::Layer(id) = &s {
                open_state.set((*open_state != Some(*id)).then_some(*id));
            }
            on_action.emit(Action::Select(Some(s)));
        })
    };
    let (onclick, onkeydown) = choices.handlers(selections, &on_select);
    html! {
        <section class="pane stage-pane" id="stage" aria-labelledby="stage-heading">
            <h2 id="stage-heading">{ t(lang, Msg::StageHeading) }</h2>
            <div class="stage-scroll" tabindex="0" role="region" aria-labelledby="stage-heading" ref={choices.node.clone()} {onclick} {onkeydown}>
                { drawing::svg(d) }
            </div>
            { description(&stage, lang) }
            { legend }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
