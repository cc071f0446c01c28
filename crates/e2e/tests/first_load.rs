//! The first load carries only the code that draws the page; the rest of the
//! code (`*_rest.wasm`, see `xtask/src/split.rs`) arrives after the first paint,
//! and everything works whether or not it has arrived when it is needed.

use layerlab_e2e::{
    artifacts_dir, choose_lesson, lesson_entries, permalink, terminal_text, Browser, Harness,
};
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
    h.browser.hold_fetches_of("_rest.wasm").expect("cdp");
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

/// A returning learner's work came with the rest of the code by the loader's
/// fetch (started with the page), not by a stub's synchronous load, which
/// would hold the page until the whole rest had arrived.
fn the_rest_came_by_fetch(b: &Browser) -> Result<(), String> {
    let how = b.execute(
        "const rest = performance.getEntriesByType('resource').find(r => r.name.endsWith('_rest.wasm'));
         return rest ? rest.initiatorType : null;",
        vec![],
    )?;
    if how != "fetch" {
        return Err(format!("the rest came by {how}, not the loader's fetch"));
    }
    Ok(())
}

#[test]
fn a_permalink_and_a_lesson_open_with_the_rest_fetched_presenter_mode_before_it() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    let presenter = h.app_url("?present=1");
    h.run("rest_after_permalink", |b| {
        b.goto(&url)?;
        b.wait_for("#command")?;
        b.type_into(
            &b.find("#command")?,
            "docker run -d --name c1 busybox sleep 1d\u{E007}",
        )?;
        b.wait_for(".stage .container")?;
        let link = permalink(b)?;
        // A fresh page's first paint needs nothing from the rest.
        b.execute("localStorage.clear();", vec![])?;
        b.goto("about:blank")?;
        b.goto(&presenter)?;
        b.wait_for("#command")?;
        fetched_after_the_draw(b).map_err(|e| format!("presenter mode: {e}"))?;
        // A link and saved work need the rest to be shown: its download
        // starts with the page, and it is linked as soon as it is compiled.
        b.goto("about:blank")?;
        b.goto(&link)?;
        b.wait_for(".stage .container")?;
        the_rest_came_by_fetch(b).map_err(|e| format!("the link: {e}"))?;
        // Coming back in the middle of the last lesson.
        choose_lesson(b, lesson_entries(b)? - 1)?;
        b.goto("about:blank")?;
        b.goto(&url)?;
        b.wait_for(".lesson .task")?;
        the_rest_came_by_fetch(b).map_err(|e| format!("the last lesson, reloaded: {e}"))
    });
}

#[test]
fn saved_work_waits_visibly_for_the_rest_and_is_never_saved_over() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    // The rest of the code never arrives in this page.
    h.browser.hold_fetches_of("_rest.wasm").expect("cdp");
    h.run("restoring_waits", |b| {
        b.goto(&url)?;
        b.wait_for("#command")?;
        let saved = r#"{"version":1,"lang":"zh","dockerfile":"FROM scratch\n","commands":["docker pull busybox"]}"#;
        b.execute("localStorage.setItem('layerlab.autosave', arguments[0]);", vec![saved.into()])?;
        b.goto("about:blank")?;
        b.goto(&url)?;
        let notice = b.wait_for(".notice.restoring")?;
        // In the saved work's language, before the rest could read it.
        let said = b.text(&notice)?;
        if !said.contains("正在恢复") {
            return Err(format!("the notice says {said:?}"));
        }
        std::thread::sleep(std::time::Duration::from_millis(800));
        b.screenshot(&artifacts_dir().join("restoring-1280x720.png"))?;
        let kept = b.execute("return localStorage.getItem('layerlab.autosave');", vec![])?;
        if kept != saved {
            return Err(format!("the autosave changed while restoring: {kept}"));
        }
        let hint = b.execute(
            "const h = document.querySelector('.stage .hint'); return h ? getComputedStyle(h).visibility : 'none';",
            vec![],
        )?;
        if hint == "visible" {
            return Err("the empty stage says there are no images while the work is restored".into());
        }
        if !b.find_all(".stage .image-tag")?.is_empty() {
            return Err("the stage drew an image before the work was replayed".into());
        }
        Ok(())
    });
}

#[test]
fn what_is_done_while_the_work_is_restoring_reaches_the_restored_work() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    // Chinese is chosen the moment its button exists, before the first paint.
    h.browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({"source": "if (localStorage.getItem('layerlab.autosave')) {
                const t = setInterval(() => {
                    const zh = document.querySelector(\"button[data-lang='zh']\");
                    if (zh) { clearInterval(t); zh.click(); }
                }, 1);
            }"}),
        )
        .expect("cdp");
    h.run("acted_while_restoring", |b| {
        b.goto(&url)?;
        let saved = r#"{"version":1,"lang":"en","dockerfile":"FROM scratch\n","commands":["docker run -d --name keep busybox sleep 1d"]}"#;
        b.execute(
            "localStorage.setItem('layerlab.autosave', arguments[0]);",
            vec![saved.into()],
        )?;
        b.goto("about:blank")?;
        b.goto(&url)?;
        b.wait_for(".stage .container")?;
        let lang = b.wait_until("the language chosen while restoring", || {
            b.execute("return document.documentElement.lang;", vec![])
                .ok()
                .filter(|l| l == "zh-CN")
        });
        lang.map(drop).map_err(|e| {
            format!("{e}: the restored work took the place of what was done meanwhile")
        })
    });
}
