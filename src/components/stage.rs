//! The stage: an SVG picture of the host. Each image is a stack of read-only
//! layer slabs (bottom first); its containers stand on top of that one stack,
//! each with a thin writable layer. A text version follows for screen readers.

use crate::activity::{activity, What};
use crate::console::Workspace;
use crate::drawing::{self, use_choices, Drawing, SELECT};
use crate::i18n::{t, Lang, Msg};
use crate::inspect::Selected;
use crate::stage::{hue_class, stage_model, ImageStack};
use layerlab_engine::layer::LayerId;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct StageProps {
    pub lang: Lang,
    pub workspace: Rc<RefCell<Workspace>>,
    pub revision: u64,
    /// Clicking (or Enter on) a layer or a container shows it in the inspector.
    pub on_select: Callback<Selected>,
}

impl PartialEq for StageProps {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
            && self.revision == other.revision
            && Rc::ptr_eq(&self.workspace, &other.workspace)
    }
}

const STACK_W: i32 = 290;
const GAP: i32 = 40;
const SLAB_H: i32 = 26;
const THIN_H: i32 = 8;
const BOX_H: i32 = 34;
/// How far a container stands above its image's top slab.
const LINE_H: i32 = 30;
const PAD: i32 = 12;

fn stack_height(img: &ImageStack) -> i32 {
    img.slabs
        .iter()
        .map(|s| if s.empty { THIN_H } else { SLAB_H })
        .sum()
}

/// A stack, with its containers standing on it if it has any.
fn column_height(img: &ImageStack) -> i32 {
    let containers = if img.containers.is_empty() {
        0
    } else {
        BOX_H + LINE_H
    };
    stack_height(img) + containers
}

/// What the last command did to each read-only layer it touched (the first thing said).
type Touched = Vec<(LayerId, What)>;

/// Draws one image's slabs, bottom first, with their base at `base_y`. A slab
/// that opens a layer in the inspector names it by its place in `selections`.
fn draw_stack(
    d: &mut Drawing,
    img: &ImageStack,
    x: i32,
    base_y: i32,
    lang: Lang,
    touched: &Touched,
    selections: &mut Vec<Selected>,
) {
    let mut y = base_y;
    for s in &img.slabs {
        let h = if s.empty { THIN_H } else { SLAB_H };
        y -= h;
        if s.empty {
            d.open("g").attr("class", "slab empty");
            d.rect(x, y, STACK_W, h, 2).close();
            d.title(&format!(
                "{} — 0B ({})",
                s.label,
                t(lang, Msg::StageMetadataOnly)
            ));
            d.close();
            continue;
        }
        let shared = if s.shared_by > 1 {
            format!(" ⇄{}", s.shared_by)
        } else {
            String::new()
        };
        let touch = touched
            .iter()
            .find(|(id, _)| Some(*id) == s.layer)
            .map(|(_, what)| *what);
        let label = match touch {
            Some(what) => format!("{} {}", what.icon(), s.label),
            None => s.label.clone(),
        };
        let said = touch
            .map(|what| format!(" — {}", t(lang, what.word())))
            .unwrap_or_default();
        // The accessible name starts with the visible text, as read.
        let size = format!("{}{shared}", s.size);
        let mut class = format!("slab {}", hue_class(s.hue));
        if touch.is_some() {
            class.push_str(" touched");
        }
        if matches!(touch, Some(What::StepLayer | What::LayerCreated)) {
            class.push_str(" arrived");
        }
        d.open("g").attr("class", class);
        if let Some(id) = s.layer {
            d.attr("tabindex", 0)
                .attr("role", "button")
                .attr(
                    "aria-label",
                    format!("{label} {size} — {}", t(lang, Msg::InspectSelect)),
                )
                .attr(SELECT, selections.len());
            selections.push(Selected::Layer(id));
        }
        d.rect(x, y, STACK_W, h, 3).close();
        d.text_at(x + 8, y + 17)
            .attr("class", "slab-label")
            .text(&label)
            .close();
        d.text_at(x + STACK_W - 8, y + 17)
            .attr("class", "slab-size")
            .attr("text-anchor", "end")
            .text(&size)
            .close();
        let shared_by = if s.shared_by > 1 {
            format!(" — {} {}", t(lang, Msg::StageSharedBy), s.shared_by)
        } else {
            String::new()
        };
        d.title(&format!(
            "{} — {} — sha256:{}…{shared_by}{said}",
            s.label, s.size, s.digest
        ));
        d.close();
    }
}

#[function_component(Stage)]
pub fn stage(props: &StageProps) -> Html {
    let lang = props.lang;
    let choices = use_choices::<Selected>();
    // The drawing is made anew each time: when only the language changed,
    // nothing on it moves again.
    let drawn_revision = use_mut_ref(|| None::<u64>);
    let fresh = drawn_revision.replace(Some(props.revision)) != Some(props.revision);
    let ws = props.workspace.borrow();
    let images = stage_model(&ws.session);
    // The layers the last command touched, and the container whose files it changed.
    let last = ws.console.last.as_ref();
    let mut touched: Touched = Vec::new();
    for item in last
        .map(|(_, t)| activity(&ws.session, lang, t))
        .unwrap_or_default()
    {
        let Some(id) = item.layer else { continue };
        // One mark per layer: a file's copy-up says more than its directory's.
        match touched.iter_mut().find(|(t, _)| *t == id) {
            Some(mark) if item.what == What::CopyUp => mark.1 = What::CopyUp,
            Some(_) => {}
            None => touched.push((id, item.what)),
        }
    }
    let changed = last
        .and_then(|(_, t)| t.container_files.as_ref())
        .map(|f| f.container.clone());
    // Containers the last command created: they rise onto their image.
    let arrived: Vec<&str> = last
        .map(|(_, t)| {
            t.events
                .iter()
                .filter_map(|e| match e {
                    layerlab_engine::host::HostEvent::ContainerCreated { id, .. } => {
                        Some(id.as_str())
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    if images.is_empty() {
        return html! {
            <section class="pane stage-pane" aria-labelledby="stage-heading">
                <h2 id="stage-heading">{ t(lang, Msg::StageHeading) }</h2>
                <p class="hint">{ t(lang, Msg::StageEmpty) }</p>
            </section>
        };
    }
    let tallest = images.iter().map(column_height).max().unwrap_or(0);
    let height = PAD + 22 + tallest + 28 + PAD;
    let width = PAD * 2 + images.len() as i32 * (STACK_W + GAP) - GAP;
    let base_y = height - PAD - 28;
    let mut d = Drawing::new();
    d.open("svg")
        .attr("class", if fresh { "stage" } else { "stage still" })
        .attr("role", "group")
        .attr("aria-labelledby", "stage-heading stage-text")
        .attr("viewBox", format!("0 0 {width} {height}"))
        .attr("width", width)
        .attr("height", height);
    let mut selections = Vec::new();
    for (i, img) in images.iter().enumerate() {
        let x = PAD + i as i32 * (STACK_W + GAP);
        let top = base_y - stack_height(img);
        draw_stack(&mut d, img, x, base_y, lang, &touched, &mut selections);
        d.text_at(x + STACK_W / 2, base_y + 20)
            .attr("class", "image-name")
            .attr("text-anchor", "middle")
            .text(&format!("{} · {} · {}", img.name, img.id, img.size))
            .close();
        let n = img.containers.len() as i32;
        if n == 0 {
            continue;
        }
        let w = ((STACK_W - (n - 1) * 6) / n).min(110);
        let total = n * w + (n - 1) * 6;
        let start = x + (STACK_W - total) / 2;
        let box_y = top - LINE_H - BOX_H;
        for (k, c) in img.containers.iter().enumerate() {
            let cx = start + k as i32 * (w + 6);
            let is_changed = changed.as_deref() == Some(c.id.as_str());
            let mut class = String::from(if c.running {
                "container running"
            } else {
                "container stopped"
            });
            if is_changed {
                class.push_str(" changed");
            }
            if arrived.contains(&c.id.as_str()) {
                class.push_str(" arrived");
            }
            let size = if is_changed {
                format!("▲ {}", c.size)
            } else {
                c.size.clone()
            };
            d.open("g")
                .attr("class", class)
                .attr("tabindex", 0)
                .attr("role", "button")
                .attr(SELECT, selections.len());
            selections.push(Selected::Container {
                id: c.id.clone(),
                dir: "/".into(),
            });
            let mid = cx + w / 2;
            d.open("line")
                .attr("x1", mid)
                .attr("y1", box_y + BOX_H)
                .attr("x2", mid)
                .attr("y2", top)
                .attr("class", "stands-on")
                .close();
            d.rect(cx, box_y, w, BOX_H, 4)
                .attr("class", "container-box")
                .close();
            d.rect(cx, box_y, w, 9, 3).attr("class", "writable").close();
            d.text_at(mid, box_y + 22)
                .attr("text-anchor", "middle")
                .attr("class", "container-name")
                .text(&c.name)
                .close();
            d.text_at(mid, box_y - 4)
                .attr("text-anchor", "middle")
                .attr("class", "container-size")
                .attr("aria-hidden", "true")
                .text(&size)
                .close();
            // Its name for screen readers (SVG takes it from the title).
            d.title(&format!(
                "{} — {}: {} — {}",
                c.name,
                t(lang, Msg::StageWritable),
                c.size,
                t(lang, Msg::InspectSelect)
            ));
            d.close();
        }
    }
    let (onclick, onkeydown) = choices.handlers(selections, &props.on_select);
    let description = images.iter().map(|img| {
        let layers = img.slabs.iter().filter(|s| !s.empty).count();
        let containers: Vec<String> = img.containers.iter().map(|c| format!("{} ({} {})", c.name, t(lang, Msg::StageWritable), c.size)).collect();
        html! {
            <li>
                { format!("{}: {layers} {}, {}", img.name, t(lang, Msg::StageLayers), img.size) }
                if !containers.is_empty() { { format!(" — {}: {}", t(lang, Msg::StageContainers), containers.join(", ")) } }
            </li>
        }
    });
    html! {
        <section class="pane stage-pane" aria-labelledby="stage-heading">
            <h2 id="stage-heading">{ t(lang, Msg::StageHeading) }</h2>
            <div class="stage-scroll" tabindex="0" role="region" aria-labelledby="stage-heading" ref={choices.node.clone()} {onclick} {onkeydown}>
                { drawing::svg(d) }
            </div>
            <ul id="stage-text" class="visually-hidden">{ for description }</ul>
            <p class="legend">
                <span class="key slab-key" aria-hidden="true"></span>{ t(lang, Msg::StageLegendLayer) }
                <span class="key thin-key" aria-hidden="true"></span>{ t(lang, Msg::StageMetadataOnly) }
                <span class="key writable-key" aria-hidden="true"></span>{ t(lang, Msg::StageWritable) }
                <span aria-hidden="true">{" ⇄N "}</span>{ t(lang, Msg::StageSharedBy) }
            </p>
        </section>
    }
}
