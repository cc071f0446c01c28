//! The stage: an SVG picture of the host, scaled to its pane. Each layer of
//! the store is one slab, drawn once; an image is a label on the tip of its
//! chain, and an image that grows from another's layers branches off to the
//! right, as in a commit graph. Containers stand on their image's tip, each
//! with its writable layer and what it holds. The last command's events move
//! on it: a copied-up file travels from its layer into the writable layer,
//! a whiteout drops in, new layers and containers rise into place. A text
//! version follows for screen readers.

mod layout;
mod motion;
mod paint;

use crate::drawing::{self, use_choices, Drawing};
use crate::i18n::{colon, comma, parenthesised, t, Lang, Msg};
use crate::shared::Shared;
use crate::state::Action;
use crate::view::inspect::Selected;
use crate::view::stage::{stage_model, Stage as Picture};
use crate::workspace::Workspace;
use layerlab_engine::layer::LayerId;
use layerlab_engine::writable::Origin;
use motion::motion;
use paint::paint;
use yew::prelude::*;

/// Files listed when a layer is opened in place.
const OPEN_FILES: usize = 5;

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

/// The text version: every layer once, each image on its tip, each container
/// with its state and what its writable layer holds.
fn description(stage: &Picture, lang: Lang) -> Html {
    let layer = |s: &crate::view::stage::Slab| {
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
                            // The init layer, which is not drawn.
                            .unwrap_or("init")
                    ),
                    Origin::New => t(lang, Msg::StageNewFile).to_owned(),
                    Origin::Whiteout => t(lang, Msg::StageWhiteout).to_owned(),
                    Origin::Opaque => t(lang, Msg::StageOpaque).to_owned(),
                };
                format!(
                    "{}{}",
                    f.path,
                    parenthesised(lang, &format!("{how}{}{}", comma(lang), f.size))
                )
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

/// The legend's keys: (class, symbol, words).
const LEGEND: [(&str, &str, Msg); 6] = [
    ("key slab-key", "", Msg::StageLegendLayer),
    ("key tag-key", "", Msg::StageImageTag),
    ("key writable-key", "", Msg::StageWritable),
    ("", "⚙", Msg::StageMetadataOnly),
    ("", "⇧", Msg::StageCopiedUp),
    ("", "⊘", Msg::StageWhiteoutShort),
];

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
    let was = drawn.replace(props.workspace.clone());
    let fresh = was != props.workspace;
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
            // Each key stays beside its words when the line wraps.
            <p>
                { for LEGEND.iter().map(|(class, symbol, msg)| html! {
                    <span class="entry">
                        <span class={*class} aria-hidden="true">{ *symbol }</span>{ t(lang, *msg) }
                    </span>
                }) }
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
    let open_files = open.filter(|id| stage.slab_of(*id).is_some()).map(|id| {
        (
            id,
            crate::view::stage::largest_files(&ws.session, id, OPEN_FILES),
        )
    });
    // What the command removed leaves from where it stood before.
    let before = (fresh && m.leaves()).then(|| stage_model(&was.session));
    let (d, selections) = paint(
        &stage,
        &m,
        lang,
        fresh,
        props.speed,
        open_files.as_ref(),
        before.as_ref(),
    );
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
    let (onclick, choose_key) = choices.handlers(selections, &on_select);
    // Escape closes the layer opened in place, as it closes a menu.
    let onkeydown = {
        let open_state = open_state.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && open_state.is_some() {
                e.prevent_default();
                open_state.set(None);
            } else {
                choose_key.emit(e);
            }
        })
    };
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
