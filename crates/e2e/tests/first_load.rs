//! The first load carries only the code that draws the page; the rest of the
//! code (`*_rest.wasm`, see `xtask/src/split.rs`) arrives after the first paint,
//! and everything works whether or not it has arrived when it is needed.

use layerlab_e2e::{choose_lesson, lesson_entries, permalink, terminal_text, Browser, Harness};
use serde_json::json;

/// Commands whose code a first load never runs, and what each must print.
const NEEDS_THE_REST: &[(&str, &str)] = &[
    ("echo hello > /tmp/a.txt", ""),
    ("sed -i s/hello/bye/ /tmp/a.txt", ""),
    ("cat /tmp/a.txt", "bye"),
    (
        "docker run -d --name c1 busybox sleep 1d",
        "Status: Downloaded newer image for busybox:latest",
    ),
    ("docker commit c1 snap", "sha256:"),
    ("docker images snap", "snap         latest"),
    (
        "tar czf /tmp/a.tgz /tmp/a.txt",
        "tar: Removing leading `/' from member names",
    ),
];

fn run(b: &Browser, line: &str, prints: &str) -> Result<(), String> {
    let input = b.find("#command")?;
    b.type_into(&input, &format!("{line}\u{E007}"))?;
    b.wait_until(&format!("{line:?} to print {prints:?}"), || {
        let screen = terminal_text(b).ok()?;
        let after = &screen[screen.rfind(&format!("$ {line}"))?..];
        after.contains(prints).then_some(())
    })
}

/// Runs [`NEEDS_THE_REST`], checking each output, and that the console stayed clean.
fn run_the_commands_that_need_the_rest(b: &Browser) -> Result<(), String> {
    for (line, prints) in NEEDS_THE_REST {
        run(b, line, prints)?;
    }
    let errors: Vec<String> = b
        .console()?
        .into_iter()
        .filter(|l| l.starts_with("SEVERE"))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("console errors: {errors:#?}"))
    }
}

/// The rest's first request came after the page was on screen: nothing the
/// first load ran needed it, and it did not compete with the first frame.
fn fetched_after_the_draw(b: &Browser) -> Result<(), String> {
    let order = b.wait_until("the rest of the code to arrive", || {
        b.execute(
            "const rest = performance.getEntriesByType('resource').find(r => r.name.endsWith('_rest.wasm'));
             const painted = performance.getEntriesByName('first-contentful-paint')[0];
             return rest && painted ? [painted.startTime, rest.startTime] : null;",
            vec![],
        )
        .ok()
        .filter(|v| v.is_array())
    })?;
    let (painted, fetched) = (order[0].as_f64(), order[1].as_f64());
    if fetched < painted {
        return Err(format!(
            "the rest was fetched at {fetched:?} ms, before the page was on screen at {painted:?} ms"
        ));
    }
    Ok(())
}

fn rest_requests(h: &Harness) -> usize {
    h.server
        .requests()
        .iter()
        .filter(|p| p.ends_with("_rest.wasm"))
        .count()
}

#[test]
fn the_rest_of_the_code_is_fetched_after_the_first_draw() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("rest_after_draw", |b| {
        b.goto(&url)?;
        b.wait_for("#command")?;
        // The first file is fetched at high priority (the page waits for it),
        // and the rest is named for the loader.
        let head = b.execute(
            "return [document.querySelector('link[rel=preload][href$=\"_bg.wasm\"]')?.getAttribute('fetchpriority'),
                     document.querySelector('meta[name=layerlab-rest]')?.content];",
            vec![],
        )?;
        if head[0] != "high" || !head[1].as_str().is_some_and(|r| r.ends_with("_rest.wasm")) {
            return Err(format!("the page's head does not set up the split: {head}"));
        }
        fetched_after_the_draw(b)?;
        run_the_commands_that_need_the_rest(b)
    });
    assert_eq!(rest_requests(&h), 1, "the rest is fetched once");
}

#[test]
fn a_command_that_needs_the_rest_before_it_arrives_loads_it_at_once() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    // The background fetch of the rest never completes in this page.
    h.browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": "const f = window.fetch; window.fetch = (u, o) =>
                String(u).endsWith('_rest.wasm') ? new Promise(() => {}) : f(u, o);"}),
        )
        .expect("cdp");
    h.run("rest_on_demand", |b| {
        b.goto(&url)?;
        b.wait_for("#command")?;
        run_the_commands_that_need_the_rest(b)
    });
    // The held background fetch never reached the server: the one request is
    // the synchronous load a stub made.
    assert_eq!(
        rest_requests(&h),
        1,
        "the rest should be loaded on demand, once (none: the first load now runs every \
         command in NEEDS_THE_REST, so list commands it does not run)"
    );
}

#[test]
fn a_permalink_presenter_mode_and_a_lesson_open_without_waiting_for_the_rest() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    let presenter = h.app_url("?present=1");
    h.run("rest_after_permalink", |b| {
        b.goto(&url)?;
        b.wait_for("#command")?;
        let link = permalink(b)?;
        for page in [link.as_str(), presenter.as_str()] {
            b.execute("localStorage.clear();", vec![])?;
            b.goto("about:blank")?;
            b.goto(page)?;
            b.wait_for("#command")?;
            fetched_after_the_draw(b).map_err(|e| format!("{page}: {e}"))?;
        }
        // Coming back in the middle of the last lesson.
        choose_lesson(b, lesson_entries(b)? - 1)?;
        b.goto("about:blank")?;
        b.goto(&url)?;
        b.wait_for(".lesson .task")?;
        fetched_after_the_draw(b).map_err(|e| format!("the last lesson, reloaded: {e}"))
    });
}
