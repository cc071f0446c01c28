//! On disk: each layer's directory under `/var/lib/docker` beside the IDs the
//! CLI shows, for overlay2, aufs or vfs.

use crate::drawing::{self, use_choices, Drawing, SELECT};
use crate::hooks::use_lang;
use crate::i18n::{t, Msg};
use crate::shared::Shared;
use crate::state::Action;
use crate::view::disk_view::{layer_rows, top_level_listing};
use crate::view::stage::hue_class;
use crate::workspace::Workspace;
use layerlab_engine::storage::Driver;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StorageViewProps {
    pub workspace: Shared<Workspace>,
    /// A row's owner opens its layer (or container) in the inspector.
    pub on_action: Callback<Action>,
}

#[function_component(StorageView)]
pub fn storage_view(props: &StorageViewProps) -> Html {
    let lang = use_lang();
    let driver = use_state(|| Driver::Overlay2);
    let opens = use_choices::<crate::view::inspect::Selected>();
    let ws = &props.workspace;
    let rows = layer_rows(&ws.session, *driver);
    let choices = Driver::ALL.iter().map(|&d| {
        let driver = driver.clone();
        let checked = d == *driver;
        html! {
            <label class="driver">
                <input type="radio" name="driver" value={d.name()} {checked} onchange={move |_| driver.set(d)} />
                { d.name() }
            </label>
        }
    });
    // Drawn in one piece (`drawing`): a row is nine elements, and a store
    // holds dozens of layers.
    let mut d = Drawing::new();
    d.open("table").attr("class", "layers-on-disk");
    d.open("thead").open("tr");
    for (heading, class) in [
        (t(lang, Msg::StorageLayer), None),
        ("ChainID", None),
        ("DiffID", None),
        (t(lang, Msg::StorageDirectory), None),
        ("link", None),
        (t(lang, Msg::StorageSize), Some("num")),
    ] {
        d.open("th").attr("scope", "col");
        if let Some(class) = class {
            d.attr("class", class);
        }
        d.text(heading).close();
    }
    d.close().close().open("tbody");
    for (i, r) in rows.iter().enumerate() {
        // The layer's colour on the stage; a container's layers in the writable layer's.
        let swatch = r.hue.map_or_else(|| "writable".to_owned(), hue_class);
        d.open("tr").open("td");
        d.open("span")
            .attr("class", format!("swatch {swatch}"))
            .attr("aria-hidden", "true")
            .close();
        d.open("button")
            .attr("type", "button")
            .attr("class", "link")
            .attr(SELECT, i)
            .text(&r.owner)
            .close();
        d.close();
        for (class, text) in [
            ("mono", &r.chain_id),
            ("mono", &r.diff_id),
            ("mono path", &r.directory),
            ("mono", &r.link),
            ("num", &r.size),
        ] {
            d.open("td").attr("class", class).text(text).close();
        }
        d.close();
    }
    let on_choose = props.on_action.reform(|s| Action::Select(Some(s)));
    let (onclick, onkeydown) =
        opens.handlers(rows.iter().map(|r| r.select.clone()).collect(), &on_choose);
    // The listing is worked out only while it is open.
    let listing_open = use_state(|| false);
    let ontoggle = {
        let listing_open = listing_open.clone();
        Callback::from(move |e: Event| {
            if let Some(details) = e.target_dyn_into::<web_sys::Element>() {
                listing_open.set(details.has_attribute("open"));
            }
        })
    };
    let listing = if *listing_open {
        top_level_listing(&ws.session, *driver).join("\n")
    } else {
        String::new()
    };
    html! {
        <section class="pane storage-pane" aria-labelledby="storage-heading">
            <h2 id="storage-heading">{ t(lang, Msg::StorageHeading) }</h2>
            <fieldset class="drivers">
                <legend>{ t(lang, Msg::StorageDriver) }</legend>
                { for choices }
            </fieldset>
            if rows.is_empty() {
                <p class="hint">{ t(lang, Msg::StageEmpty) }</p>
            } else {
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="storage-heading" ref={opens.node.clone()} {onclick} {onkeydown}>
                    { drawing::html(d) }
                </div>
                <p class="hint">{ t(lang, Msg::StorageExplain) }</p>
                <details open={*listing_open} {ontoggle}>
                    <summary>{ format!("ls /var/lib/docker/{}", driver.name()) }</summary>
                    <pre class="listing" tabindex="0">{ listing }</pre>
                </details>
            }
        </section>
    }
}
