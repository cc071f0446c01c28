//! The page as a whole: languages, its policy, its sizes, accessibility.

use super::*;

#[test]
fn language_switch_changes_the_page_to_chinese_and_back() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("language_switch", |b| {
        b.goto(&url)?;
        let title = b.wait_for("h1")?;
        let heading = b.text(&title)?;
        if heading != "Layerlab" {
            return Err(format!("heading is {heading:?}, expected \"Layerlab\""));
        }
        let tagline = b.find(".tagline")?;
        let english = b.text(&tagline)?;

        b.click(&b.find(LANGUAGE_SWITCH)?)?;
        b.wait_until("the tagline to change language", || {
            b.text(&tagline)
                .ok()
                .filter(|t| t != &english && t.contains("镜像"))
        })?;
        let lang = b.execute("return document.documentElement.lang;", vec![])?;
        if lang != "zh-CN" {
            return Err(format!("<html lang> is {lang}, expected zh-CN"));
        }
        b.screenshot(&artifacts_dir().join("shell-zh-1280x720.png"))?;

        b.click(&b.find("button[data-lang='en']")?)?;
        b.wait_until("the tagline to be English again", || {
            b.text(&tagline).ok().filter(|t| t == &english)
        })?;
        Ok(())
    });
}

#[test]
fn shows_the_tutorial_dockerfile() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("tutorial_dockerfile", |b| {
        b.goto(&url)?;
        let editor = b.wait_for("#dockerfile")?;
        let text = b.execute("return arguments[0].value;", vec![editor.arg()])?;
        let text = text.as_str().unwrap_or_default().to_owned();
        for line in [
            "FROM ubuntu:15.04",
            "COPY . /app",
            "RUN make /app",
            "CMD python /app/app.py",
        ] {
            if !text.contains(line) {
                return Err(format!("the editor lacks {line:?}; it holds {text:?}"));
            }
        }
        b.screenshot(&artifacts_dir().join("shell-en-1280x720.png"))?;
        Ok(())
    });
}

#[test]
fn lang_query_parameter_selects_chinese() {
    let mut h = Harness::start(768, 1024).expect("harness");
    let url = h.app_url("?lang=zh");
    h.run("lang_query", |b| {
        b.goto(&url)?;
        b.wait_until("Chinese text", || {
            b.find(".tagline")
                .ok()
                .and_then(|t| b.text(&t).ok())
                .filter(|t| t.contains("镜像"))
        })?;
        b.screenshot(&artifacts_dir().join("shell-zh-768x1024.png"))?;
        Ok(())
    });
}

#[test]
fn loads_nothing_from_outside_its_origin_and_breaks_no_policy() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    let origin = h.server.url("");
    h.run("same_origin", |b| {
        b.goto(&url)?;
        b.wait_for("h1")?;
        let csp = b.execute(
            "const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]'); return m && m.content;",
            vec![],
        )?;
        let csp = csp.as_str().unwrap_or_default();
        if !csp.contains("default-src 'self'") {
            return Err(format!("no same-origin Content-Security-Policy in the page (found {csp:?})"));
        }
        let resources = b.execute(
            "return performance.getEntriesByType('resource').map(r => r.name);",
            vec![],
        )?;
        for r in resources.as_array().into_iter().flatten() {
            let r = r.as_str().unwrap_or_default();
            if !r.starts_with(&origin) {
                return Err(format!("the page loaded {r}, outside {origin}"));
            }
        }
        let problems: Vec<String> = b
            .console()?
            .into_iter()
            .filter(|l| l.starts_with("SEVERE") || l.contains("Content Security Policy"))
            .collect();
        if !problems.is_empty() {
            return Err(format!("console errors: {problems:#?}"));
        }
        Ok(())
    });
    let requests = h.server.requests();
    assert!(
        requests.iter().all(|p| p.starts_with(layerlab_e2e::PREFIX)),
        "requests outside the app's sub-path: {requests:?}"
    );
}

#[test]
fn the_language_switch_works_from_the_keyboard() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("keyboard_language", |b| {
        b.goto(&url)?;
        let tagline = b.wait_for(".tagline")?;
        let english = b.text(&tagline)?;
        // Tab from the top of the page reaches the skip link to the terminal,
        // the presenter toggle, then the language switch, before anything else.
        b.keys("\u{E004}\u{E004}\u{E004}\u{E004}")?;
        let focused = b.execute(
            "return document.activeElement && document.activeElement.dataset.lang;",
            vec![],
        )?;
        if focused != "zh" {
            return Err(format!(
                "four Tabs focus {focused}, expected the 中文 button"
            ));
        }
        b.keys("\u{E007}")?;
        b.wait_until("Chinese after Enter", || {
            b.text(&tagline)
                .ok()
                .filter(|t| t != &english && t.contains("镜像"))
        })?;
        Ok(())
    });
}

#[test]
fn the_whole_page_on_a_phone_a_tablet_and_a_projector() {
    for (w, hgt) in [(375, 667), (768, 1024), (1280, 720)] {
        let mut h = Harness::start(w, hgt).expect("harness");
        let url = h.app_url("?lang=zh");
        h.run("tablet", |b| {
            b.goto(&url)?;
            let input = b.wait_for("#command")?;
            for line in [
                "docker pull nginx",
                "docker run -d --name web1 nginx",
                "docker run -d --name web2 nginx",
                "docker ps -s",
            ] {
                b.type_into(&input, &format!("{line}\u{E007}"))?;
            }
            b.wait_until("two containers", || {
                b.find_all(".stage .container")
                    .ok()
                    .filter(|c| c.len() == 2)
            })?;
            // Nothing may be wider than the viewport except inside its own scroll box.
            let overflow = b.execute(
                "return document.documentElement.scrollWidth - window.innerWidth;",
                vec![],
            )?;
            if overflow.as_i64().unwrap_or(0) > 0 {
                return Err(format!(
                    "the page scrolls sideways by {overflow}px at {w}px"
                ));
            }
            b.screenshot(&artifacts_dir().join(format!("page-zh-{w}x{hgt}.png")))?;
            Ok(())
        });
    }
}

/// axe-core, as `cargo xtask test` installs it into target/tools.
fn axe_source() -> Result<String, String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/tools/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "axe-core is missing at {} ({e}); `cargo xtask test` installs it",
            path.display()
        )
    })
}

/// Runs axe-core on the page as it is (or on the element `scope` only); an
/// error lists every serious or critical violation.
fn no_serious_violation(
    b: &layerlab_e2e::Browser,
    axe: &str,
    scope: Option<&str>,
) -> Result<(), String> {
    b.execute(axe, vec![])?;
    let result = b.execute_async(
        "const done = arguments[arguments.length - 1];\
         const scope = arguments[0] ? document.querySelector(arguments[0]) : document;\
         axe.run(scope, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => \
           ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))));",
        vec![scope.into()],
    )?;
    let bad: Vec<&serde_json::Value> = result
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    if !bad.is_empty() {
        return Err(format!(
            "axe found: {}",
            serde_json::to_string_pretty(&bad).unwrap_or_default()
        ));
    }
    Ok(())
}

#[test]
fn axe_finds_nothing_serious_on_a_busy_stage_on_a_laptop_and_a_phone() {
    let axe = axe_source().expect("axe-core");
    for (w, hgt, query) in [(1280, 720, ""), (390, 844, "?lang=zh")] {
        let mut h = Harness::start(w, hgt).expect("harness");
        let url = h.app_url(query);
        h.run("axe_busy_stage", |b| {
            b.goto(&url)?;
            b.wait_for("#command")?;
            for line in [
                "docker build -t app .",
                "docker run -d --name c1 app",
                "docker run -d --name c2 app",
                "docker exec c1 rm /app/Makefile",
            ] {
                layerlab_e2e::type_command(b, line)?;
            }
            b.wait_for(".stage .held.whiteout")?;
            layerlab_e2e::show_tab(b, "stage")?;
            // c1 in the inspector, the COPY layer opened to its files.
            b.click(&b.find(".stage .container[data-container='c1']")?)?;
            // On a phone the container's files open under More; back to the stage.
            layerlab_e2e::show_tab(b, "stage")?;
            let copy = b.wait_until("the COPY slab", || {
                b.find_all("svg.stage .slab")
                    .ok()?
                    .into_iter()
                    .find(|s| b.text(s).is_ok_and(|t| t.contains("COPY")))
            })?;
            b.click(&copy)?;
            b.wait_for(".stage .layer-files")?;
            // And a copy-up under way while axe reads the page.
            layerlab_e2e::type_command(b, "docker exec c2 sh -c 'echo more >> /app/app.py'")?;
            layerlab_e2e::show_tab(b, "stage")?;
            b.wait_for(".stage .container[data-container='c2'] .held[data-path='/app/app.py']")?;
            // The stage with its copy-up in flight; then, once the panes'
            // own entrance has ended (an item fading in is not yet legible),
            // the whole page.
            no_serious_violation(b, &axe, Some("#stage"))?;
            b.screenshot(&artifacts_dir().join(format!("axe-busy-stage-{w}x{hgt}.png")))?;
            b.wait_until("every motion to end", || {
                b.execute(
                    "return document.getAnimations().every(a => a.playState !== 'running');",
                    vec![],
                )
                .ok()
                .filter(|v| *v == serde_json::Value::Bool(true))
            })?;
            no_serious_violation(b, &axe, None)?;
            let alternative = b.execute(
                "return document.getElementById('stage-text').textContent;",
                vec![],
            )?;
            let alternative = alternative.as_str().unwrap_or_default();
            for want in [
                "c1",
                "c2",
                "COPY",
                "/app/app.py",
                "/app/Makefile",
                "app:latest",
            ] {
                if !alternative.contains(want) {
                    return Err(format!(
                        "the stage's text version lacks {want:?}: {alternative}"
                    ));
                }
            }
            Ok(())
        });
    }
}

#[test]
fn axe_finds_no_serious_or_critical_accessibility_violation() {
    let axe = axe_source().expect("axe-core");
    for query in ["", "?lang=zh"] {
        let mut h = Harness::start(1280, 720).expect("harness");
        let url = h.app_url(query);
        h.run("axe", |b| {
            b.goto(&url)?;
            let input = b.wait_for("#command")?;
            for line in ["docker pull ubuntu:15.04", "docker run -d --name web nginx"] {
                b.type_into(&input, &format!("{line}\u{E007}"))?;
            }
            b.wait_until("the stage", || {
                b.find_all(".stage .container")
                    .ok()
                    .filter(|c| c.len() == 1)
            })?;
            // The inspector open on the container, the activity pane filled.
            b.click(&b.find(".stage .container")?)?;
            b.wait_for(".inspector-pane tbody tr")?;
            b.wait_for(".activity li")?;
            b.click(&b.find("#share")?)?;
            b.wait_for(".share-url input")?;
            no_serious_violation(b, &axe, None)?;
            Ok(())
        });
    }
}
