//! On disk: each layer's directory under `/var/lib/docker` beside the IDs the
//! CLI shows, for overlay2, aufs or vfs.

use crate::console::Workspace;
use crate::disk_view::{layer_rows, top_level_listing};
use crate::i18n::{t, Lang, Msg};
use crate::stage::hue_class;
use layerlab_engine::storage::Driver;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties)]
pub struct StorageViewProps {
    pub lang: Lang,
    pub workspace: Rc<RefCell<Workspace>>,
    pub revision: u64,
    /// A row's owner opens its layer (or container) in the inspector.
    pub on_select: Callback<Option<crate::inspect::Selected>>,
}

impl PartialEq for StorageViewProps {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
            && self.revision == other.revision
            && Rc::ptr_eq(&self.workspace, &other.workspace)
    }
}

#[function_component(StorageView)]
pub fn storage_view(props: &StorageViewProps) -> Html {
    let lang = props.lang;
    let driver = use_state(|| Driver::Overlay2);
    let ws = props.workspace.borrow();
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
    let body = rows.iter().map(|r| {
        // The layer's colour on the stage; a container's layers in the writable layer's.
        let swatch = r.hue.map_or_else(|| "writable".to_owned(), hue_class);
        html! {
            <tr>
                <td><span class={classes!("swatch", swatch)} aria-hidden="true"></span>
                    <button type="button" class="link" onclick={{
                        let (on_select, what) = (props.on_select.clone(), r.select.clone());
                        Callback::from(move |_: MouseEvent| on_select.emit(Some(what.clone())))
                    }}>{ &r.owner }</button>
                </td>
                <td class="mono">{ &r.chain_id }</td>
                <td class="mono">{ &r.diff_id }</td>
                <td class="mono path">{ &r.directory }</td>
                <td class="mono">{ &r.link }</td>
                <td class="num">{ &r.size }</td>
            </tr>
        }
    });
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
                <div class="table-scroll" tabindex="0" role="region" aria-labelledby="storage-heading">
                    <table class="layers-on-disk">
                        <thead>
                            <tr>
                                <th scope="col">{ t(lang, Msg::StorageLayer) }</th>
                                <th scope="col">{"ChainID"}</th>
                                <th scope="col">{"DiffID"}</th>
                                <th scope="col">{ t(lang, Msg::StorageDirectory) }</th>
                                <th scope="col">{"link"}</th>
                                <th scope="col" class="num">{"size"}</th>
                            </tr>
                        </thead>
                        <tbody>{ for body }</tbody>
                    </table>
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
