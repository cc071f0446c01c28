//! Opening a real image archive: a button (and a drop anywhere on the
//! page) reads a `docker save` tar ([`crate::archive_reading`]: in slices,
//! parsed between awaits so the page stays responsive, hashed by workers),
//! shows its progress with Cancel, loads the images into the workspace's
//! host, and shows `import_view`'s analysis.
//!
//! None of this runs on a first visit: it starts only when a file is chosen
//! or dropped, so the release build's split moves it out of the first load.

use crate::archive_reading::{read_archive, ReadFailure};
use crate::hooks::use_lang;
use crate::i18n::{self, colon, t, Lang, Msg};
use crate::shared::Shared;
use crate::state::Action;
use crate::view::import_view::{self, FileRow, ImageReport, Order};
use crate::workspace::Workspace;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The progress line is redrawn at most this often: a redraw per slice cost
/// more than the import itself.
const PROGRESS_MS: f64 = 100.0;
/// Rows a layer's file list shows at most.
const SHOWN_FILES: usize = 200;
/// Wasted paths shown at most (largest first).
const SHOWN_WASTED: usize = 20;

#[derive(Properties, PartialEq)]
pub struct ImageImportProps {
    pub workspace: Shared<Workspace>,
    /// Gets the workspace with the images joined to its host.
    pub on_action: Callback<Action>,
}

/// Where an import stands.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Idle,
    Reading {
        name: String,
        bytes: u64,
        total: u64,
        ms: f64,
    },
    Cancelled,
    /// The archive was refused: the engine's words (`message`), or, with
    /// none, the browser could not read the file.
    Failed {
        name: String,
        message: Option<String>,
    },
    Done {
        name: String,
        lines: Vec<String>,
    },
}

/// The import's state, shared with the running read.
#[derive(Clone)]
struct Handles {
    status: UseStateHandle<Status>,
    reports: UseStateHandle<Rc<Vec<ImageReport>>>,
    selected: UseStateHandle<Option<(usize, usize)>>,
    /// Bumped by Cancel and by a new import: a read whose number is past stops.
    run: Rc<RefCell<u64>>,
    /// The workspace on show when the last render ran.
    workspace: Rc<RefCell<Shared<Workspace>>>,
    on_action: Callback<Action>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

async fn read(file: web_sys::File, h: Handles) {
    let me = {
        let mut run = h.run.borrow_mut();
        *run += 1;
        *run
    };
    let name = file.name();
    let total = file.size() as u64;
    let started = now_ms();
    let mut shown = started;
    h.status.set(Status::Reading {
        name: name.clone(),
        bytes: 0,
        total,
        ms: 0.0,
    });
    let progress = |bytes: u64| {
        let now = now_ms();
        if now - shown >= PROGRESS_MS || bytes == total {
            shown = now;
            h.status.set(Status::Reading {
                name: name.clone(),
                bytes,
                total,
                ms: now - started,
            });
        }
    };
    let stopped = || *h.run.borrow() != me;
    let imported = match read_archive(&file, progress, stopped).await {
        Ok(i) => i,
        Err(ReadFailure::Stopped) => return,
        Err(failure) => {
            let message = match failure {
                ReadFailure::Refused(e) => Some(e.to_string()),
                _ => None,
            };
            return h.status.set(Status::Failed { name, message });
        }
    };
    // The analysis, the load and the redraw are each a task of their own
    // (the analysis of a large image alone takes tens of milliseconds).
    let reports = import_view::reports(&imported);
    crate::browser::yield_to_page().await;
    if *h.run.borrow() != me {
        return;
    }
    // The images join a copy of the workspace on show, which takes its place.
    let mut next = (**h.workspace.borrow()).clone();
    let lines = next.load(&imported);
    h.reports.set(Rc::new(reports));
    h.selected.set(None);
    h.status.set(Status::Done { name, lines });
    h.on_action.emit(Action::Replace(Shared::new(next)));
}

#[function_component(ImageImport)]
pub fn image_import(props: &ImageImportProps) -> Html {
    let lang = use_lang();
    let status = use_state(|| Status::Idle);
    let reports = use_state(|| Rc::new(Vec::<ImageReport>::new()));
    let selected = use_state(|| None::<(usize, usize)>);
    let order = use_state(|| Order::LargestFirst);
    let run = use_mut_ref(|| 0u64);
    let workspace = use_mut_ref(|| props.workspace.clone());
    *workspace.borrow_mut() = props.workspace.clone();
    let handles = Handles {
        status: status.clone(),
        reports: reports.clone(),
        selected: selected.clone(),
        run: run.clone(),
        workspace,
        on_action: props.on_action.clone(),
    };
    // The drop listener lives as long as the component; it reads the
    // latest handles (the callback may change between renders).
    let latest = use_mut_ref(|| handles.clone());
    *latest.borrow_mut() = handles.clone();
    // The words the page shows while a file is dragged over it.
    let hint = use_mut_ref(|| t(lang, Msg::ImportDropHint));
    *hint.borrow_mut() = t(lang, Msg::ImportDropHint);
    {
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let listeners = drop_listeners(
                move || hint.borrow().to_string(),
                move |file| {
                    let h = latest.borrow().clone();
                    yew::platform::spawn_local(read(file, h));
                },
            );
            move || drop(listeners)
        });
    }
    // An import brings its progress into view as it starts (centred: the
    // line grows once its speed is known, and Cancel stays in sight), and
    // its outcome as it ends, once the other panes have redrawn around it.
    let pane = use_node_ref();
    {
        let pane = pane.clone();
        let shown = match *status {
            Status::Reading { .. } => {
                Some((".import-progress", web_sys::ScrollLogicalPosition::Center))
            }
            Status::Done { .. } => Some((".import-done", web_sys::ScrollLogicalPosition::Nearest)),
            Status::Failed { .. } => {
                Some((".import-error", web_sys::ScrollLogicalPosition::Nearest))
            }
            Status::Idle | Status::Cancelled => None,
        };
        let key = shown.map(|(css, _)| css);
        use_effect_with(key, move |_| {
            if let Some((css, block)) = shown {
                crate::browser::before_next_frame(move || {
                    let el = pane
                        .cast::<web_sys::Element>()
                        .and_then(|p| p.query_selector(css).ok().flatten());
                    if let Some(el) = el {
                        crate::browser::reveal_at(&el, block);
                    }
                });
            }
        });
    }
    let on_pick = {
        let handles = handles.clone();
        Callback::from(move |e: Event| {
            let Some(file) = crate::browser::picked_file(&e) else {
                return;
            };
            yew::platform::spawn_local(read(file, handles.clone()));
        })
    };
    let on_cancel = {
        let (run, status) = (run.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            *run.borrow_mut() += 1;
            status.set(Status::Cancelled);
        })
    };
    // Only the idle pane is drawn on a first visit: the rest lives in
    // functions of their own, which the build's split keeps out of the first load.
    let progress = match &*status {
        Status::Idle => html! {},
        other => status_view(lang, other, on_cancel),
    };
    let images = if reports.is_empty() {
        html! {}
    } else {
        reports_view(lang, &reports, *selected, &selected, &order)
    };
    html! {
        <section class="pane import-pane" aria-labelledby="import-heading" ref={pane}>
            <h2 id="import-heading">{ t(lang, Msg::ImportHeading) }</h2>
            <label class="open-file">
                <input type="file" id="open-image" accept=".tar,.tgz,.gz,application/x-tar" onchange={on_pick} />
                <span aria-hidden="true">{ "⇧ " }</span>{ t(lang, Msg::ImportOpen) }
            </label>
            <p class="hint">{ t(lang, Msg::ImportDrop) }{ i18n::gap(lang) }{ t(lang, Msg::ImportPrivacy) }</p>
            { progress }
            { images }
        </section>
    }
}

#[inline(never)]
fn status_view(lang: Lang, status: &Status, on_cancel: Callback<MouseEvent>) -> Html {
    match status {
        Status::Idle => html! {},
        Status::Reading {
            name,
            bytes,
            total,
            ms,
        } => html! {
            <div class="import-progress" role="status">
                // The figures have a line of their own from the start, so the
                // block keeps its height (and Cancel its place) as they fill in.
                <p>{ format!("{} {name}{}", t(lang, Msg::ImportReading), colon(lang).trim_end()) }</p>
                <p class="import-figures">
                    <span data-figure="import-bytes">{ format!("{} / {}", import_view::size(*bytes), import_view::size(*total)) }</span>
                    { " · " }<span data-figure="import-rate">{ import_view::rate(*bytes, *ms) }</span>
                </p>
                <progress max={total.max(&1).to_string()} value={bytes.to_string()}></progress>
                <button type="button" id="import-cancel" onclick={on_cancel}>{ t(lang, Msg::ImportCancel) }</button>
            </div>
        },
        Status::Cancelled => {
            html! { <p class="hint" role="status">{ t(lang, Msg::ImportCancelled) }</p> }
        }
        Status::Failed { name, message } => html! {
            <p class="notice import-error" role="alert">
                { format!("{}{}{name}{}", t(lang, Msg::ImportFailed), i18n::gap(lang), colon(lang)) }
                { match message {
                    Some(m) => html! { <span class="mono">{ m }</span> },
                    None => html! { t(lang, Msg::ImportUnreadable) },
                } }
            </p>
        },
        Status::Done { lines, .. } => html! {
            <div class="import-done" role="status">
                <pre class="mono">{ lines.join("\n") }</pre>
                <p>{ t(lang, Msg::ImportDone) }</p>
                <p class="hint">{ t(lang, Msg::ImportKept) }</p>
            </div>
        },
    }
}

#[inline(never)]
fn reports_view(
    lang: Lang,
    reports: &[ImageReport],
    chosen: Option<(usize, usize)>,
    selected: &UseStateHandle<Option<(usize, usize)>>,
    order: &UseStateHandle<Order>,
) -> Html {
    let images = reports.iter().enumerate().map(|(i, r)| {
        let on_files = {
            let selected = selected.clone();
            Callback::from(move |layer: usize| selected.set(Some((i, layer))))
        };
        let files = match chosen {
            Some((img, layer)) if img == i => Some(layer),
            _ => None,
        };
        let on_order = {
            let order = order.clone();
            Callback::from(move |o: Order| order.set(o))
        };
        report_view(lang, r, files, **order, on_files, on_order)
    });
    images.collect::<Html>()
}

/// Listens for files dropped anywhere on the page (and lets the page take
/// them, which a browser otherwise opens in place of it). While files are
/// dragged over the page it says where they go (`hint`, drawn by the
/// stylesheet from `<html data-drop-hint>`: words, never markup).
fn drop_listeners(
    hint: impl Fn() -> String + 'static,
    on_file: impl Fn(web_sys::File) + 'static,
) -> Vec<gloo_events::EventListener> {
    use gloo_events::{EventListener, EventListenerOptions};
    let Some(document) = crate::browser::document() else {
        return Vec::new();
    };
    let carries_files = |e: &web_sys::DragEvent| {
        e.data_transfer().is_some_and(|d| {
            d.types()
                .iter()
                .any(|t| t.as_string().as_deref() == Some("Files"))
        })
    };
    let over = EventListener::new_with_options(
        &document,
        "dragover",
        EventListenerOptions::enable_prevent_default(),
        move |e| {
            if let Some(d) = e.dyn_ref::<web_sys::DragEvent>() {
                if carries_files(d) {
                    e.prevent_default();
                    show_drop_hint(Some(&hint()));
                }
            }
        },
    );
    // Leaving the window (no element to go to) or ending the drag hides it.
    let left = EventListener::new(&document, "dragleave", |e| {
        let outside = e
            .dyn_ref::<web_sys::DragEvent>()
            .is_some_and(|d| d.related_target().is_none());
        if outside {
            show_drop_hint(None);
        }
    });
    let ended = EventListener::new(&document, "dragend", |_| show_drop_hint(None));
    let dropped = EventListener::new_with_options(
        &document,
        "drop",
        EventListenerOptions::enable_prevent_default(),
        move |e| {
            show_drop_hint(None);
            let Some(d) = e.dyn_ref::<web_sys::DragEvent>() else {
                return;
            };
            let Some(file) = d
                .data_transfer()
                .and_then(|t| t.files())
                .and_then(|f| f.get(0))
            else {
                return;
            };
            e.prevent_default();
            on_file(file);
        },
    );
    vec![over, left, ended, dropped]
}

fn show_drop_hint(words: Option<&str>) {
    let Some(root) = crate::browser::document().and_then(|d| d.document_element()) else {
        return;
    };
    // `dragover` comes many times a second: the page is restyled only when
    // the words change.
    if root.get_attribute("data-drop-hint").as_deref() == words {
        return;
    }
    let _ = match words {
        Some(w) => root.set_attribute("data-drop-hint", w),
        None => root.remove_attribute("data-drop-hint"),
    };
}

#[inline(never)]
fn report_view(
    lang: Lang,
    r: &ImageReport,
    files: Option<usize>,
    order: Order,
    on_files: Callback<usize>,
    on_order: Callback<Order>,
) -> Html {
    let size = import_view::size;
    let instruction = |k: usize| {
        r.layers
            .get(k)
            .map_or(String::new(), |l| l.instruction.clone())
    };
    let layers = r.layers.iter().enumerate().map(|(k, l)| {
        let on_files = on_files.clone();
        html! {
            <tr data-layer={k.to_string()} class={classes!((files == Some(k)).then_some("chosen"))}>
                <td class="num">{ k + 1 }</td>
                <td class="mono instruction" title={l.instruction.clone()}>{ &l.instruction }</td>
                <td class="num">{ size(l.size) }</td>
                <td class="num">{ l.added }</td>
                <td class="num">{ l.changed }</td>
                <td class="num">{ l.removed }</td>
                <td><button type="button" class="files" onclick={move |_| on_files.emit(k)}>{ t(lang, Msg::ImportFilesButton) }</button></td>
            </tr>
        }
    });
    let ids = r.layers.iter().enumerate().map(|(k, l)| {
        html! {
            <tr>
                <td class="num">{ k + 1 }</td>
                <td class="mono digest">{ &l.diff_id }</td>
                <td class="mono digest">{ &l.chain_id }</td>
            </tr>
        }
    });
    let wasted = r.wasted.iter().take(SHOWN_WASTED).map(|w| {
        let copies = w.copies.iter().map(|c| {
            html! {
                <li>{ i18n::wasted_copy(lang, c.layer + 1, &size(c.bytes), c.deleted, c.by + 1, &instruction(c.by)) }</li>
            }
        });
        html! {
            <li data-path={w.path.clone()}>
                <span class="mono">{ &w.path }</span>{ colon(lang) }<strong>{ size(w.bytes) }</strong>
                <ul>
                    { for copies }
                    if let Some(k) = w.kept_in {
                        <li class="kept">{ i18n::kept_in(lang, k + 1) }</li>
                    }
                </ul>
            </li>
        }
    });
    let file_list = files
        .and_then(|k| r.files.get(k).map(|rows| (k, rows)))
        .map(|(k, rows)| layer_files(lang, k, rows, order, &on_order));
    html! {
        <article class="image-report" data-image={r.id.clone()}>
            <h3 class="mono">{ &r.name }</h3>
            <dl class="totals">
                <dt>{ t(lang, Msg::ImportFormat) }</dt><dd>{ r.format }</dd>
                <dt>{ t(lang, Msg::ImportImageId) }</dt><dd class="mono digest">{ &r.id }</dd>
                if let Some(m) = &r.manifest_digest {
                    <dt>{ t(lang, Msg::ImportManifest) }</dt><dd class="mono digest">{ m }</dd>
                }
                <dt>{ t(lang, Msg::ImportTotal) }</dt><dd class="num" data-figure="total">{ size(r.total_size) }</dd>
                <dt>{ t(lang, Msg::ImportFinal) }</dt><dd class="num">{ size(r.final_size) }</dd>
                <dt>{ t(lang, Msg::ImportWasted) }</dt><dd class="num" data-figure="wasted">{ size(r.wasted_bytes) }</dd>
                <dt>{ t(lang, Msg::ImportEfficiency) }</dt><dd class="num" data-figure="efficiency">{ import_view::percent(r.efficiency) }</dd>
                <dt>{ t(lang, Msg::ImportUserWasted) }</dt><dd class="num">{ import_view::percent(r.user_wasted_percent) }</dd>
            </dl>
            <div class="table-scroll" tabindex="0" role="region" aria-label={r.name.clone()}>
                <table class="layers-report">
                    <thead>
                        <tr>
                            <th scope="col" class="num">{ "#" }</th>
                            <th scope="col">{ t(lang, Msg::ImportInstruction) }</th>
                            <th scope="col" class="num">{ t(lang, Msg::ImportSize) }</th>
                            <th scope="col" class="num" title={t(lang, Msg::ImportAdded)}>{ "A" }</th>
                            <th scope="col" class="num" title={t(lang, Msg::ImportChanged)}>{ "C" }</th>
                            <th scope="col" class="num" title={t(lang, Msg::ImportRemoved)}>{ "D" }</th>
                            <th scope="col"><span class="visually-hidden">{ t(lang, Msg::ImportFilesButton) }</span></th>
                        </tr>
                    </thead>
                    <tbody>{ for layers }</tbody>
                </table>
            </div>
            <p class="hint legend">{ format!("A {} · C {} · D {}", t(lang, Msg::ImportAdded), t(lang, Msg::ImportChanged), t(lang, Msg::ImportRemoved)) }</p>
            { file_list.unwrap_or_default() }
            <h4>{ t(lang, Msg::ImportWastedHeading) }</h4>
            if r.wasted.is_empty() {
                <p class="hint">{ t(lang, Msg::ImportNoWaste) }</p>
            } else {
                <ul class="wasted">{ for wasted }</ul>
            }
            <details class="ids">
                <summary>{ t(lang, Msg::ImportIds) }</summary>
                <div class="table-scroll" tabindex="0" role="region" aria-label={t(lang, Msg::ImportIds)}>
                    <table class="ids-table">
                        <thead><tr><th scope="col" class="num">{ "#" }</th><th scope="col">{ "DiffID" }</th><th scope="col">{ "ChainID" }</th></tr></thead>
                        <tbody>{ for ids }</tbody>
                    </table>
                </div>
            </details>
        </article>
    }
}

/// One layer's changed files, by path or largest first.
fn layer_files(
    lang: Lang,
    k: usize,
    rows: &[FileRow],
    order: Order,
    on_order: &Callback<Order>,
) -> Html {
    let size = import_view::size;
    let sorted = import_view::sorted(rows, order);
    let shown = sorted.iter().take(SHOWN_FILES).map(|f| {
        html! {
            <tr data-path={f.path.clone()}>
                <td class={classes!("change", format!("change-{}", f.change.letter()))}>{ f.change.letter() }</td>
                <td class="mono">{ &f.path }</td>
                <td class="num">{ size(f.bytes) }</td>
            </tr>
        }
    });
    let order_button = |o: Order, msg: Msg| {
        let on_order = on_order.clone();
        html! {
            <button type="button" class="order" aria-pressed={(order == o).to_string()}
                onclick={move |_| on_order.emit(o)}>{ t(lang, msg) }</button>
        }
    };
    html! {
        <div class="layer-files" data-layer={k.to_string()}>
            <h4>{ i18n::layer_changes(lang, k + 1) }</h4>
            if rows.is_empty() {
                <p class="hint">{ t(lang, Msg::ImportNoFiles) }</p>
            } else {
                <p class="orders">{ order_button(Order::Path, Msg::ImportByPath) }{ order_button(Order::LargestFirst, Msg::ImportBySize) }</p>
                <div class="table-scroll" tabindex="0" role="region" aria-label={i18n::layer_changes(lang, k + 1)}>
                    <table class="files-table"><tbody>{ for shown }</tbody></table>
                </div>
                if rows.len() > SHOWN_FILES {
                    <p class="hint">{ t(lang, Msg::ImportFirstOnly) }</p>
                }
            }
        </div>
    }
}
