//! Each new pane rendered alone over a prepared workspace, driven through its DOM.
use super::{mount, text_of, until};
use layerlab::components::{
    Activity, ContextFiles, DiskUsage, Inspector, Stage, StorageView, Terminal,
};
use layerlab::i18n::Lang;
use layerlab::shared::Shared;
use layerlab::state::{Action, AppState};
use layerlab::view::inspect::Selected;
use layerlab::workspace::Workspace;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::prelude::*;

fn workspace(lines: &[&str]) -> Rc<RefCell<Workspace>> {
    let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    Rc::new(RefCell::new(Workspace::replay(&lines)))
}

/// Two containers of one image; the first has copied up `/etc/passwd`.
fn two_containers_one_copy_up() -> Rc<RefCell<Workspace>> {
    workspace(&[
        "docker run -d --name one busybox sleep 1d",
        "docker run -d --name two busybox sleep 1d",
        "docker exec one sh -c 'echo >> /etc/passwd'",
    ])
}

#[derive(Properties)]
struct PaneProps {
    workspace: Rc<RefCell<Workspace>>,
    pane: &'static str,
    #[prop_or_default]
    selected: Option<Selected>,
    /// Where the stage and the storage table report a selection.
    #[prop_or_default]
    chosen: Rc<RefCell<Option<Selected>>>,
    /// Filled with a callback that shows the workspace as a test left it.
    #[prop_or_default]
    redraw: Rc<RefCell<Option<Callback<()>>>>,
}

impl PaneProps {
    /// `pane` over `workspace`, nothing selected, nobody listening.
    fn of(workspace: Rc<RefCell<Workspace>>, pane: &'static str) -> Self {
        Self {
            workspace,
            pane,
            selected: None,
            chosen: Default::default(),
            redraw: Default::default(),
        }
    }
}

impl PartialEq for PaneProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.workspace, &other.workspace) && self.pane == other.pane
    }
}

/// One pane with the app's wiring: the app's state, its actions reduced
/// as the app reduces them; the test's workspace follows the state.
#[function_component(Pane)]
fn pane(props: &PaneProps) -> Html {
    let state = use_reducer(|| AppState {
        selected: props.selected.clone(),
        speed: 400,
        ..AppState::new(Lang::En, Shared::new(props.workspace.borrow().clone()))
    });
    {
        let ws = props.workspace.clone();
        use_effect_with(state.workspace.clone(), move |now| {
            *ws.borrow_mut() = (**now).clone();
        });
    }
    let on_action = {
        let (dispatcher, chosen) = (state.dispatcher(), props.chosen.clone());
        Callback::from(move |a: Action| {
            if let Action::Select(s) = &a {
                *chosen.borrow_mut() = s.clone();
            }
            dispatcher.dispatch(a);
        })
    };
    layerlab::hooks::use_playback(&state, on_action.clone());
    *props.redraw.borrow_mut() = Some({
        let (ws, on_action) = (props.workspace.clone(), on_action.clone());
        Callback::from(move |()| on_action.emit(Action::Replace(Shared::new(ws.borrow().clone()))))
    });
    let workspace = state.workspace.clone();
    match props.pane {
        "activity" => html! {
            <Activity {workspace} speed={state.speed} playing={state.playing} {on_action} />
        },
        "inspector" => html! {
            <Inspector {workspace} selected={state.selected.clone()} {on_action} />
        },
        "terminal" => html! { <Terminal {workspace} {on_action} /> },
        "disk" => html! { <DiskUsage {workspace} /> },
        "stage" => html! { <Stage {workspace} {on_action} /> },
        "storage" => html! { <StorageView {workspace} {on_action} /> },
        _ => html! { <ContextFiles {workspace} {on_action} /> },
    }
}

fn render(props: PaneProps) -> Element {
    let root = mount();
    yew::Renderer::<Pane>::with_root_and_props(root.clone(), props).render();
    root
}

fn texts(root: &Element, css: &str) -> Vec<String> {
    let list = root.query_selector_all(css).expect("selector");
    (0..list.length())
        .filter_map(|i| list.item(i).and_then(|n| n.text_content()))
        .collect()
}

fn click(root: &Element, css: &str) {
    root.query_selector(css)
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .unwrap_or_else(|| panic!("no {css}"))
        .click();
}

/// An event that bubbles, as the browser's own do (yew listens at its root).
fn bubbles<T: JsCast>(
    make: impl FnOnce(&web_sys::EventInit) -> Result<T, wasm_bindgen::JsValue>,
) -> web_sys::Event {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    make(&init).expect("event").unchecked_into()
}

fn key(el: &Element, name: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_bubbles(true);
    init.set_key(name);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("key");
    el.dispatch_event(&event).expect("dispatched");
}

fn type_text(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    let event = bubbles(|i| web_sys::Event::new_with_event_init_dict("input", i));
    input.dispatch_event(&event).expect("dispatched");
}

fn first(root: &Element, css: &str) -> Element {
    root.query_selector(css)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {css}"))
}

/// A rule of the app's stylesheet, from its selector to its closing brace.
fn app_rule(start: &str) -> &'static str {
    let css = include_str!("../../static/style.css");
    let from = css
        .find(&format!("\n{start}"))
        .unwrap_or_else(|| panic!("no {start} rule"));
    let len = css[from..].find('}').map_or(0, |end| end + 1);
    &css[from..from + len]
}

/// The screen shows its newest lines: after a restore, and after each
/// command (scrolled just before the frame is drawn).
#[wasm_bindgen_test]
async fn the_terminal_screen_follows_the_newest_line() {
    let lines: Vec<String> = layerlab_engine::command::scenario_commands(include_str!(
        "../../crates/cli/scenarios/tutorial.txt"
    ));
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    // The app's stylesheet is not on the test page: its rules for the
    // screen are, with a shorter screen.
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let style = document.create_element("style").expect("a style element");
    let rules = [".screen {", ".transcript {"].map(app_rule).concat();
    style.set_text_content(Some(&format!("{rules} .screen {{ max-height: 10rem; }}")));
    document
        .body()
        .expect("a body")
        .append_child(&style)
        .expect("appended");
    let root = render(PaneProps::of(workspace(&lines), "terminal"));
    // The newest line is inside the screen's box, the first one far above it.
    let at_bottom = |root: &Element| {
        let (Ok(Some(screen)), Ok(Some(oldest)), Ok(Some(newest))) = (
            root.query_selector(".screen"),
            root.query_selector(".transcript > .line:first-child"),
            root.query_selector(".transcript > .line:last-child"),
        ) else {
            return false;
        };
        let (screen, oldest, newest) = (
            screen.get_bounding_client_rect(),
            oldest.get_bounding_client_rect(),
            newest.get_bounding_client_rect(),
        );
        oldest.bottom() < screen.top() - 100.0
            && newest.top() >= screen.top()
            && newest.bottom() <= screen.bottom() + 1.0
    };
    assert!(
        until(|| at_bottom(&root)).await,
        "restored: the last lines show"
    );
    let screen = first(&root, ".screen");
    screen.scroll_by_with_x_and_y(0.0, -1e6);
    assert!(!at_bottom(&root), "scrolled up to the first lines");
    let input: HtmlInputElement = first(&root, "#command").dyn_into().expect("input");
    type_text(&input, "docker images");
    key(&input, "Enter");
    assert!(
        until(|| at_bottom(&root)).await,
        "after a command: its output shows"
    );
}

#[wasm_bindgen_test]
async fn the_terminal_runs_a_typed_line_and_recalls_it() {
    let ws = workspace(&[]);
    let root = render(PaneProps::of(ws.clone(), "terminal"));
    assert!(until(|| root.query_selector("#command").ok().flatten().is_some()).await);
    let input: HtmlInputElement = first(&root, "#command").dyn_into().expect("input");
    type_text(&input, "docker run -d --name web busybox sleep 1d");
    key(&input, "Enter");
    assert!(
        until(|| text_of(&root, ".screen").contains("$ docker run -d --name web busybox sleep 1d"))
            .await
    );
    assert_eq!(ws.borrow().session.host.containers().len(), 1);
    assert!(
        until(|| input.value().is_empty()).await,
        "the line is cleared"
    );
    key(&input, "ArrowUp");
    assert!(
        until(|| input.value() == "docker run -d --name web busybox sleep 1d").await,
        "↑ recalls it"
    );
    assert!(
        texts(&root, ".actions .action")
            .iter()
            .any(|t| t == "docker rm -f web"),
        "a button for the container"
    );
}

#[wasm_bindgen_test]
async fn the_stage_stands_containers_on_their_image_and_selects_by_click_and_key() {
    let ws = workspace(&[
        "docker run -d --name one busybox sleep 1d",
        "docker run -d --name two busybox sleep 1d",
    ]);
    let chosen: Rc<RefCell<Option<Selected>>> = Default::default();
    let root = render(PaneProps {
        chosen: chosen.clone(),
        ..PaneProps::of(ws.clone(), "stage")
    });
    assert!(until(|| texts(&root, ".stage .container-name") == ["one", "two"]).await);
    assert_eq!(
        texts(&root, ".stage .image-name").len(),
        1,
        "one image, drawn once"
    );
    let slab = first(&root, ".stage .slab[role=button]");
    let click = bubbles(|i| web_sys::Event::new_with_event_init_dict("click", i));
    slab.dispatch_event(&click).expect("clicked");
    assert!(
        until(|| matches!(*chosen.borrow(), Some(Selected::Layer(_)))).await,
        "a click selects the layer"
    );
    let container = first(&root, ".stage .container");
    key(&container, "Enter");
    assert!(
        until(|| matches!(&*chosen.borrow(), Some(Selected::Container { dir, .. }) if dir == "/"))
            .await,
        "Enter selects the container"
    );
}

#[wasm_bindgen_test]
async fn markup_in_a_dockerfile_stays_text_on_the_stage() {
    let ws = workspace(&[
        "cat > Dockerfile <<'EOF'\nFROM busybox\nRUN echo '<i>'\nEOF",
        "docker build -t markup .",
    ]);
    let root = render(PaneProps::of(ws, "stage"));
    assert!(
        until(|| texts(&root, ".stage .slab-label")
            .iter()
            .any(|t| t.ends_with("echo '<i>'")))
        .await,
        "the RUN line is shown as typed: {:?}",
        texts(&root, ".stage .slab-label")
    );
    assert!(
        root.query_selector(".stage i").expect("selector").is_none(),
        "and no element was made from it"
    );
}

#[wasm_bindgen_test]
async fn a_redrawn_stage_keeps_the_keyboard_focus_on_the_same_container() {
    let ws = workspace(&[
        "docker run -d --name one busybox sleep 1d",
        "docker run -d --name two busybox sleep 1d",
    ]);
    let redraw: Rc<RefCell<Option<Callback<()>>>> = Default::default();
    let root = render(PaneProps {
        redraw: redraw.clone(),
        ..PaneProps::of(ws.clone(), "stage")
    });
    assert!(until(|| texts(&root, ".stage .container-name").len() == 2).await);
    let focused_name = || {
        let active = web_sys::window()?.document()?.active_element()?;
        root.contains(Some(&active)).then(|| {
            active
                .query_selector(".container-name")
                .ok()??
                .text_content()
        })?
    };
    let two = root
        .query_selector_all(".stage .container")
        .expect("selector")
        .item(1)
        .expect("a second container");
    // SVG elements have `focus()` as HTML elements do.
    two.unchecked_ref::<HtmlElement>().focus().expect("focused");
    assert_eq!(focused_name().as_deref(), Some("two"));
    ws.borrow_mut()
        .submit("docker run -d --name three busybox sleep 1d");
    redraw
        .borrow()
        .as_ref()
        .expect("the pane's on_change")
        .emit(());
    assert!(until(|| texts(&root, ".stage .container-name").len() == 3).await);
    assert!(
        until(|| focused_name().as_deref() == Some("two")).await,
        "the focus stays on two, drawn anew: {:?}",
        focused_name()
    );
}

#[wasm_bindgen_test]
async fn disk_usage_counts_shared_layers_once() {
    let ws = workspace(&[
        "docker run -d --name web1 nginx",
        "docker run -d --name web2 nginx",
    ]);
    let root = render(PaneProps::of(ws, "disk"));
    assert!(
        until(|| text_of(&root, "[data-figure='total']") == "109MB").await,
        "{}",
        text_of(&root, ".disk-pane")
    );
    assert_eq!(text_of(&root, "[data-figure='naive']"), "218MB");
}

#[wasm_bindgen_test]
async fn the_storage_table_follows_the_driver_and_opens_a_layer() {
    let ws = workspace(&["docker pull busybox"]);
    let chosen: Rc<RefCell<Option<Selected>>> = Default::default();
    let root = render(PaneProps {
        chosen: chosen.clone(),
        ..PaneProps::of(ws, "storage")
    });
    assert!(
        until(|| texts(&root, ".storage-pane td.path")
            .iter()
            .any(|p| p.contains("/overlay2/")))
        .await
    );
    // `ls /var/lib/docker/overlay2` is worked out once it is opened.
    assert_eq!(text_of(&root, ".storage-pane .listing"), "");
    click(&root, ".storage-pane summary");
    assert!(
        until(|| text_of(&root, ".storage-pane .listing")
            .lines()
            .any(|l| l.starts_with("l/") && l.contains(" -> ../")))
        .await,
        "{}",
        text_of(&root, ".storage-pane .listing")
    );
    click(&root, "input[value='aufs']");
    assert!(
        until(|| texts(&root, ".storage-pane td.path")
            .iter()
            .all(|p| p.contains("/aufs/diff/")))
        .await
    );
    assert!(
        until(|| text_of(&root, ".storage-pane .listing")
            .lines()
            .any(|l| l == "layers/"))
        .await,
        "{}",
        text_of(&root, ".storage-pane .listing")
    );
    click(&root, ".storage-pane tbody .link");
    assert!(until(|| matches!(*chosen.borrow(), Some(Selected::Layer(_)))).await);
}

/// A reload shows the last command's items at once, without sliding them
/// in again; a command run afterwards animates as usual.
#[wasm_bindgen_test]
async fn what_was_there_when_the_pane_appeared_is_shown_whole() {
    let ws = two_containers_one_copy_up();
    let root = render(PaneProps::of(ws, "activity"));
    assert!(until(|| root.query_selector(".activity").ok().flatten().is_some()).await);
    let first = texts(&root, ".activity li");
    assert!(first.len() > 1, "{first:?}");
    assert!(root
        .query_selector(".activity.at-rest")
        .ok()
        .flatten()
        .is_some());
    yew::platform::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(texts(&root, ".activity li"), first, "nothing more slid in");
    click(&root, "#timeline-back");
    assert!(until(|| text_of(&root, ".timeline-caption").starts_with("Command 2/3")).await);
    assert!(
        root.query_selector(".activity.at-rest")
            .ok()
            .flatten()
            .is_none(),
        "the step back's items animate"
    );
}

#[wasm_bindgen_test]
async fn what_happened_lists_a_copy_up_and_the_timeline_steps_back() {
    let ws = two_containers_one_copy_up();
    let root = render(PaneProps::of(ws.clone(), "activity"));
    assert!(
        until(|| texts(&root, ".activity li")
            .iter()
            .any(|t| t.starts_with("=Unchanged")))
        .await,
        "items: {:?}",
        texts(&root, ".activity li")
    );
    let items = texts(&root, ".activity li");
    assert!(
        items
            .iter()
            .any(|t| t.contains("Copy-up") && t.contains("/etc/passwd")),
        "{items:?}"
    );
    assert!(
        items.iter().any(|t| t.contains("busybox:latest, two")),
        "{items:?}"
    );
    assert!(text_of(&root, ".timeline-caption").starts_with("Command 3/3"));
    click(&root, "#timeline-back");
    assert!(until(|| text_of(&root, ".timeline-caption").starts_with("Command 2/3")).await);
    assert_eq!(ws.borrow().console.log.len(), 2, "the workspace moved back");
    assert!(
        until(|| texts(&root, ".activity li")
            .iter()
            .any(|t| t.contains("Container created")))
        .await,
        "the second run's items: {:?}",
        texts(&root, ".activity li")
    );
    click(&root, "#timeline-end");
    assert!(until(|| text_of(&root, ".timeline-caption").starts_with("Command 3/3")).await);
}

#[wasm_bindgen_test]
async fn the_inspector_shows_where_files_come_from_and_deletes_by_command() {
    let ws = workspace(&[
        "docker run -d --name box busybox sleep 1d",
        "docker exec box sh -c 'echo >> /etc/passwd'",
    ]);
    let id = ws
        .borrow()
        .session
        .host
        .container("box")
        .expect("box")
        .id
        .clone();
    let selected = Some(Selected::Container {
        id,
        dir: "/etc".into(),
    });
    let root = render(PaneProps {
        selected,
        ..PaneProps::of(ws.clone(), "inspector")
    });
    assert!(until(|| !texts(&root, ".inspector-pane tbody tr").is_empty()).await);
    let rows = texts(&root, ".inspector-pane tbody tr");
    let passwd = rows
        .iter()
        .find(|r| r.starts_with("passwd"))
        .expect("passwd");
    assert!(passwd.contains("writable layer"), "{passwd}");
    let hosts = rows.iter().find(|r| r.starts_with("hosts")).expect("hosts");
    assert!(!hosts.contains("writable layer"), "{hosts}");
    // Delete passwd: the command runs and the file is listed as deleted
    // (a whiteout hides it), not silently left out.
    let delete = root
        .query_selector_all(".inspector-pane tbody tr")
        .ok()
        .and_then(|l| {
            (0..l.length())
                .filter_map(|i| l.item(i))
                .find(|n| n.text_content().is_some_and(|t| t.starts_with("passwd")))
        })
        .and_then(|n| n.dyn_into::<Element>().ok())
        .and_then(|row| row.query_selector(".action:last-child").ok().flatten())
        .and_then(|b| b.dyn_into::<HtmlElement>().ok())
        .expect("passwd's Delete");
    delete.click();
    assert!(
        until(|| texts(&root, ".inspector-pane tbody tr.deleted")
            .iter()
            .any(|r| r.starts_with("passwd") && r.contains('⊘')))
        .await
    );
    assert_eq!(
        ws.borrow().console.log.last().map(String::as_str),
        Some("docker exec box rm /etc/passwd")
    );
}

#[wasm_bindgen_test]
async fn the_build_context_adds_a_file_and_refuses_a_name_outside_the_project() {
    let ws = workspace(&[]);
    let root = render(PaneProps::of(ws.clone(), "context"));
    assert!(
        until(|| texts(&root, ".context-files .name") == [".dockerignore", "Makefile", "app.py"])
            .await
    );
    let input: HtmlInputElement = root
        .query_selector("#context-new")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
        .expect("the name field");
    // Typed as a browser would: an input event that bubbles up to yew.
    let submit = |name: &str| {
        input.set_value(name);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict("input", &init).expect("event");
        input.dispatch_event(&event).expect("dispatched");
    };
    submit("../outside");
    let send = || click(&root, ".context-new button[type=submit]");
    send();
    assert!(until(|| text_of(&root, "#context-problem").contains("inside the project")).await);
    submit("notes.txt");
    send();
    assert!(until(|| texts(&root, ".context-files .name").contains(&"notes.txt".to_owned())).await);
    assert_eq!(ws.borrow().console.log, ["touch /root/app/notes.txt"]);
}
