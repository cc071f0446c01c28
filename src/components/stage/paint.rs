//! Painting the stage: slabs, tags, containers and what moves, as one SVG
//! drawing with the choices its parts open.

use super::layout::*;
use super::motion::{rows, Motion};
use crate::drawing::{Drawing, SELECT};
use crate::i18n::{colon, t, Lang, Msg};
use crate::view::inspect::Selected;
use crate::view::stage::{hue_class, ContainerBox, Stage as Picture};
use crate::view::timeline::scaled;
use layerlab_engine::layer::LayerId;
use layerlab_engine::writable::Origin;

mod transit;

/// Motion at normal speed, in milliseconds.
const TRAVEL_MS: u64 = 1400;
const STAGGER_MS: u64 = 450;
const RISE_MS: u64 = 700;

/// A rectangle in the drawing's coordinates.
#[derive(Clone, Copy)]
pub(super) struct Rect {
    pub(super) x: i32,
    pub(super) y: i32,
}

pub(super) fn icon(origin: Origin) -> &'static str {
    match origin {
        Origin::CopiedUp { .. } => "⇧",
        Origin::New => "+",
        Origin::Whiteout => "⊘",
        Origin::Opaque => "▦",
    }
}

pub(super) struct Painter<'a> {
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
    /// The stage before the command, when something left it.
    before: Option<Before<'a>>,
}

/// The stage before the last command, as it was laid out: what left it is
/// drawn where it stood, leaving.
pub(super) struct Before<'a> {
    stage: &'a Picture,
    l: Layout,
    xs: Vec<i32>,
}

/// A chip of a file copied from the build context.
const FILE_CHIP_W: i32 = 60;
/// The build context's box at the stage's edge.
const CONTEXT_W: i32 = 132;

/// Where container `id`'s box stands: its x, and the elevation of its top.
fn box_place(stage: &Picture, l: &Layout, xs: &[i32], id: &str) -> Option<(i32, i32)> {
    let c = stage.containers.iter().find(|c| c.id == id)?;
    let (col, base) = l.groups.get(c.image).copied().flatten()?;
    let boxes: Vec<&ContainerBox> = stage
        .containers
        .iter()
        .filter(|o| o.image == c.image)
        .collect();
    let k = boxes.iter().position(|o| o.id == id)?;
    let below: i32 = boxes
        .chunks(stage.per_row())
        .take(k / stage.per_row())
        .map(|row| row.iter().map(|c| box_height(stage, c)).max().unwrap_or(0) + BOX_GAP)
        .sum();
    let x = xs[col] + (k % stage.per_row()) as i32 * (stage.box_w() + BOX_GAP);
    Some((x, base + below + box_height(stage, c)))
}

/// Each column's x, and the drawing's width (before its minimum).
fn columns(l: &Layout) -> (Vec<i32>, i32) {
    let mut xs = Vec::with_capacity(l.widths.len());
    let mut x = PAD;
    for w in &l.widths {
        xs.push(x);
        x += w + COL_GAP;
    }
    (xs, x - COL_GAP + PAD)
}

/// The elevation of the highest thing drawn.
fn tallest(stage: &Picture, l: &Layout) -> i32 {
    (0..stage.images.len())
        .map(|i| {
            let tag = l.tags[i].1 + TAG_H;
            let group = l.groups[i]
                .map(|(_, base)| base + group_size(stage, i).map_or(0, |(_, h)| h))
                .unwrap_or(0);
            tag.max(group)
        })
        .chain(l.slabs.iter().map(|(_, e)| e + SLAB_H))
        .max()
        .unwrap_or(0)
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
            let whole = format!("{mark}{}", slab.label);
            let shown = layerlab_engine::table::ellipsis(
                &whole,
                // A projector's larger type leaves room for fewer characters.
                if self.stage.compact { 21 } else { 27 },
            );
            // Its name is its title, which starts with the text on show, as
            // speech input needs; the whole label follows when the slab
            // shortens it.
            let rest = if shown == whole {
                String::new()
            } else {
                format!(" — {whole}")
            };
            self.d.attr(SELECT, self.selections.len());
            self.selections.push(Selected::Layer(slab.layer));
            self.d.rect(x, y, SLAB_W, SLAB_H, 3).close();
            self.d
                .text_at(x + 8, y + 18)
                .attr("class", "slab-label")
                .text(&shown)
                .close();
            self.d
                .text_at(x + SLAB_W - 8, y + 18)
                .attr("class", "slab-size")
                .attr("text-anchor", "end")
                .text(&slab.size)
                .close();
            self.d.title(&format!(
                "{shown} {}{rest} — sha256:{}…{used} — {}",
                slab.size,
                slab.digest,
                t(self.lang, Msg::InspectSelect)
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
        let (x, top) = box_place(self.stage, l, &self.xs, id)?;
        Some(Rect { x, y: self.y(top) })
    }

    /// Where container `id`'s box stood before the command, if it moved.
    fn stood(&self, id: &str) -> Option<Rect> {
        let b = self.before.as_ref()?;
        let (x, top) = box_place(b.stage, &b.l, &b.xs, id)?;
        Some(Rect { x, y: self.y(top) })
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
            } else if let Some(was) = self.stood(&c.id).filter(|w| (w.x, w.y) != (at.x, at.y)) {
                // A neighbour left: it moves up to take its place.
                let dur = self.ms(RISE_MS);
                let (dx, dy) = (was.x - at.x, was.y - at.y);
                self.d.attr("data-fly", format!("{dx} {dy} {dur} {dur}"));
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
                .text(&fitted_name(&c.name, &c.state, self.stage.box_w()))
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
pub(super) type Opened = (LayerId, (Vec<(String, String)>, usize));

/// The stage as SVG, with the choices its slabs and containers open;
/// `before`, the stage before the command, when something left it.
pub(super) fn paint(
    stage: &Picture,
    m: &Motion,
    lang: Lang,
    fresh: bool,
    speed: u32,
    opened: Option<&Opened>,
    before: Option<&Picture>,
) -> (Drawing, Vec<Selected>) {
    let l = lay_out(stage);
    let (xs, mut width) = columns(&l);
    let mut tall = tallest(stage, &l);
    // What leaves is drawn where it stood: the drawing keeps its old size
    // until the next command, so nothing jumps meanwhile.
    let before = before.filter(|_| fresh).map(|old| {
        let l = lay_out(old);
        let (xs, old_width) = columns(&l);
        width = width.max(old_width);
        tall = tall.max(tallest(old, &l));
        Before { stage: old, l, xs }
    });
    let (min_w, min_h) = if stage.compact {
        (0, 0)
    } else {
        (MIN_W, MIN_H)
    };
    let width = width.max(min_w);
    let height = (tall + 2 * PAD).max(min_h);
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
        before,
    };
    p.slabs(&l);
    p.tags(&l);
    p.containers(&l);
    p.rays(&l);
    p.passing(width);
    p.leaving();
    if let Some(opened) = opened {
        p.opened(opened);
    }
    (p.d, p.selections)
}

/// A container's name, cut with an ellipsis so that it ends before its state
/// on the same line (Docker's random names run to 20 characters and more);
/// the full name is in the stage's description and the inspector.
fn fitted_name(name: &str, state: &str, box_w: i32) -> String {
    // Monospace: about 8 px a character of the bold name, 7 of the state.
    let state_px = 7 * state.chars().count() as i32;
    let room = (box_w - 24 - state_px) / 8;
    layerlab_engine::table::ellipsis(name, room.max(4) as usize)
}

#[cfg(test)]
mod tests {
    use super::fitted_name;

    #[test]
    fn a_long_name_ends_before_the_containers_state() {
        // (name, state, box width, drawn)
        let cases = [
            ("web", "Up", 176, "web"),
            ("loving_pasteur", "Up", 176, "loving_pasteur"),
            ("loving_pasteur", "Exited (0)", 176, "loving_pa…"),
            ("condescending_wozniak", "Exited (137)", 176, "condesc…"),
            ("loving_pasteur", "Up", 125, "loving_pa…"),
        ];
        for (name, state, w, want) in cases {
            assert_eq!(fitted_name(name, state, w), want, "{name} {state} in {w}");
        }
    }
}
