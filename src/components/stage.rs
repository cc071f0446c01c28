//! The stage: an SVG picture of the host. Each image is a stack of read-only
//! layer slabs (bottom first); its containers stand on top of that one stack,
//! each with a thin writable layer. A text version follows for screen readers.

use crate::activity::{activity, What};
use crate::console::Workspace;
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
const SLAB_H: i32 = 30;
const THIN_H: i32 = 8;
const BOX_H: i32 = 34;
const PAD: i32 = 12;

fn stack_height(img: &ImageStack) -> i32 {
    img.slabs
        .iter()
        .map(|s| if s.empty { THIN_H } else { SLAB_H })
        .sum()
}

/// What the last command did to each read-only layer it touched (the first thing said).
type Touched = Vec<(LayerId, What)>;

/// Click and Enter/Space handlers that select `what`.
fn selects(
    on_select: &Callback<Selected>,
    what: Selected,
) -> (Callback<MouseEvent>, Callback<KeyboardEvent>) {
    let (a, b) = (on_select.clone(), on_select.clone());
    let what2 = what.clone();
    (
        Callback::from(move |_: MouseEvent| a.emit(what.clone())),
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                b.emit(what2.clone());
            }
        }),
    )
}

fn draw_stack(
    img: &ImageStack,
    x: i32,
    base_y: i32,
    lang: Lang,
    touched: &Touched,
    on_select: &Callback<Selected>,
) -> Html {
    let mut y = base_y;
    let mut slabs = Vec::new();
    for s in &img.slabs {
        let h = if s.empty { THIN_H } else { SLAB_H };
        y -= h;
        if s.empty {
            slabs.push(html! {
                <g class="slab empty">
                    <rect x={x.to_string()} y={y.to_string()} width={STACK_W.to_string()} height={h.to_string()} rx="2" />
                    <title>{ format!("{} — 0B ({})", s.label, t(lang, Msg::StageMetadataOnly)) }</title>
                </g>
            });
        } else {
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
            let (onclick, onkeydown) = match s.layer {
                Some(id) => {
                    let (c, k) = selects(on_select, Selected::Layer(id));
                    (Some(c), Some(k))
                }
                None => (None, None),
            };
            // The accessible name starts with the visible text, as read.
            let size = format!("{}{shared}", s.size);
            let aria = format!("{label} {size} — {}", t(lang, Msg::InspectSelect));
            slabs.push(html! {
                <g class={classes!("slab", hue_class(s.hue), touch.map(|_| "touched"), matches!(touch, Some(What::StepLayer | What::LayerCreated)).then_some("arrived"))} tabindex="0" role="button" aria-label={aria} {onclick} {onkeydown}>
                    <rect x={x.to_string()} y={y.to_string()} width={STACK_W.to_string()} height={h.to_string()} rx="3" />
                    <text x={(x + 8).to_string()} y={(y + 19).to_string()} class="slab-label">{ label }</text>
                    <text x={(x + STACK_W - 8).to_string()} y={(y + 19).to_string()} class="slab-size" text-anchor="end">{ size }</text>
                    <title>{ format!("{} — {} — sha256:{}…{}{said}", s.label, s.size, s.digest,
                        if s.shared_by > 1 { format!(" — {} {}", t(lang, Msg::StageSharedBy), s.shared_by) } else { String::new() }) }</title>
                </g>
            });
        }
    }
    html! { <>{ for slabs }</> }
}

#[function_component(Stage)]
pub fn stage(props: &StageProps) -> Html {
    let lang = props.lang;
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
    let tallest = images.iter().map(stack_height).max().unwrap_or(0);
    let columns_h = BOX_H + 44;
    let height = PAD + 22 + columns_h + tallest + 28 + PAD;
    let width = PAD * 2 + images.len() as i32 * (STACK_W + GAP) - GAP;
    let base_y = height - PAD - 28;
    let mut parts = Vec::new();
    for (i, img) in images.iter().enumerate() {
        let x = PAD + i as i32 * (STACK_W + GAP);
        let top = base_y - stack_height(img);
        parts.push(draw_stack(img, x, base_y, lang, &touched, &props.on_select));
        parts.push(html! {
            <text x={(x + STACK_W / 2).to_string()} y={(base_y + 20).to_string()} class="image-name" text-anchor="middle">
                { format!("{} · {} · {}", img.name, img.id, img.size) }
            </text>
        });
        let n = img.containers.len() as i32;
        if n > 0 {
            let w = ((STACK_W - (n - 1) * 6) / n).min(110);
            let total = n * w + (n - 1) * 6;
            let start = x + (STACK_W - total) / 2;
            let box_y = top - 44 - BOX_H;
            for (k, c) in img.containers.iter().enumerate() {
                let cx = start + k as i32 * (w + 6);
                let state = if c.running { "running" } else { "stopped" };
                let is_changed = changed.as_deref() == Some(c.id.as_str());
                let (onclick, onkeydown) = selects(
                    &props.on_select,
                    Selected::Container {
                        id: c.id.clone(),
                        dir: "/".into(),
                    },
                );
                let size = if is_changed {
                    format!("▲ {}", c.size)
                } else {
                    c.size.clone()
                };
                parts.push(html! {
                    <g class={classes!("container", state, is_changed.then_some("changed"), arrived.contains(&c.id.as_str()).then_some("arrived"))} tabindex="0" role="button" {onclick} {onkeydown}>
                        <line x1={(cx + w / 2).to_string()} y1={(box_y + BOX_H).to_string()} x2={(cx + w / 2).to_string()} y2={top.to_string()} class="stands-on" />
                        <rect x={cx.to_string()} y={box_y.to_string()} width={w.to_string()} height={BOX_H.to_string()} rx="4" class="container-box" />
                        <rect x={cx.to_string()} y={box_y.to_string()} width={w.to_string()} height="9" rx="3" class="writable" />
                        <text x={(cx + w / 2).to_string()} y={(box_y + 22).to_string()} text-anchor="middle" class="container-name">{ &c.name }</text>
                        <text x={(cx + w / 2).to_string()} y={(box_y - 4).to_string()} text-anchor="middle" class="container-size" aria-hidden="true">{ size }</text>
                        // Its name for screen readers (SVG takes it from the title).
                        <title>{ format!("{} — {}: {} — {}", c.name, t(lang, Msg::StageWritable), c.size, t(lang, Msg::InspectSelect)) }</title>
                    </g>
                });
            }
        }
    }
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
            <div class="stage-scroll" tabindex="0" role="region" aria-labelledby="stage-heading">
                <svg class="stage" role="group" aria-labelledby="stage-heading stage-text" viewBox={format!("0 0 {width} {height}")}
                    width={width.to_string()} height={height.to_string()}>
                    { for parts }
                </svg>
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
