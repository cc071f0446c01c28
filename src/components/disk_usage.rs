//! The numbers of `docker ps -s`, and the disk really used: each image layer
//! once plus every writable layer — Σ size + (virtual − size) for containers of
//! one image — next to the naive Σ virtual.

use crate::hooks::use_lang;
use crate::i18n::{t, Msg};
use crate::shared::Shared;
use crate::workspace::Workspace;
use layerlab_engine::size::human_size_with_precision;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiskUsageProps {
    pub workspace: Shared<Workspace>,
}

fn size(bytes: u64) -> String {
    human_size_with_precision(bytes as f64, 3)
}

#[function_component(DiskUsage)]
pub fn disk_usage(props: &DiskUsageProps) -> Html {
    let host = &props.workspace.session.host;
    let lang = use_lang();
    let rows: Vec<Html> = host
        .containers()
        .iter()
        .zip(host.ps_sizes())
        .map(|(c, (rw, virt))| {
            html! {
                <tr>
                    <td>{ &c.name }</td>
                    <td class="mono">{ &c.image_ref }</td>
                    <td class="num">{ size(rw) }</td>
                    <td class="num">{ size(virt) }</td>
                </tr>
            }
        })
        .collect();
    let usage = host.disk_usage();
    html! {
        <section class="pane disk-pane" aria-labelledby="disk-heading">
            <h2 id="disk-heading">{ t(lang, Msg::DiskHeading) }</h2>
            if rows.is_empty() {
                <p class="hint">{ t(lang, Msg::DiskEmpty) }</p>
            } else {
                // Scrolls sideways on its own on a narrow screen.
                <div class="table-scroll" tabindex="0" role="region" aria-label={t(lang, Msg::DiskCaption)}>
                    <table class="sizes">
                        <caption class="visually-hidden">{ t(lang, Msg::DiskCaption) }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{"NAMES"}</th>
                                <th scope="col">{"IMAGE"}</th>
                                <th scope="col" class="num">{"SIZE"}</th>
                                <th scope="col" class="num">{"virtual"}</th>
                            </tr>
                        </thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
                <dl class="totals">
                    <dt>{ t(lang, Msg::DiskWritable) }</dt>
                    <dd class="num" data-figure="writable">{ size(usage.writable) }</dd>
                    <dt>{ t(lang, Msg::DiskLayers) }</dt>
                    <dd class="num" data-figure="layers">{ size(usage.image_layers) }</dd>
                    <dt class="total">{ t(lang, Msg::DiskTotal) }</dt>
                    <dd class="num total" data-figure="total">{ size(usage.total) }</dd>
                    <dt>{ t(lang, Msg::DiskNaive) }</dt>
                    // Struck through only where it is wrong: with one container per
                    // image it is the disk really used.
                    <dd class={classes!("num", (usage.naive_virtual_sum != usage.total).then_some("naive"))} data-figure="naive">{ size(usage.naive_virtual_sum) }</dd>
                </dl>
                <p class="hint">{ t(lang, Msg::DiskExplain) }</p>
            }
        </section>
    }
}
