//! The stage as a learner sees it: where the picture is on the screen, what
//! moves on it while a command runs, and what it holds afterwards — measured
//! in the release build with real keys and clicks.

use layerlab_e2e::{artifacts_dir, choose_lesson, type_command as run, Browser, Harness};
use serde_json::Value;

/// The share of the stage's drawing inside the viewport (0 when there is none).
fn stage_in_view(b: &Browser) -> Result<f64, String> {
    let share = b.execute(
        "const svg = document.querySelector('svg.stage');
         if (!svg) return 0;
         const r = svg.getBoundingClientRect();
         const w = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0));
         const h = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
         return r.width * r.height > 0 ? (w * h) / (r.width * r.height) : 0;",
        vec![],
    )?;
    share
        .as_f64()
        .ok_or_else(|| format!("no share of the stage: {share}"))
}

fn expect_in_view(b: &Browser, after: &str) -> Result<(), String> {
    let share = stage_in_view(b)?;
    let scrolled = b.execute("return scrollY;", vec![])?;
    if share < 0.5 {
        return Err(format!(
            "after {after}, only {:.0}% of the stage's drawing is in view (page scrolled to {scrolled})",
            share * 100.0
        ));
    }
    Ok(())
}

/// Starts recording, on every frame, where the element `css` is (its
/// bounding box's left and top) and its opacity, until [`positions`] or
/// [`samples`] reads them.
fn start_sampling(b: &Browser, css: &str) -> Result<(), String> {
    b.execute(
        "const css = arguments[0];
         window.layerlabSamples = [];
         const t0 = performance.now();
         const tick = () => {
           const el = document.querySelector(css);
           if (el) {
             const r = el.getBoundingClientRect();
             const o = Number(getComputedStyle(el).opacity);
             window.layerlabSamples.push([Math.round(r.left), Math.round(r.top), o]);
           }
           if (performance.now() - t0 < 4000) requestAnimationFrame(tick);
         };
         requestAnimationFrame(tick);",
        vec![css.into()],
    )
    .map(|_| ())
}

/// The distinct positions recorded since [`start_sampling`].
fn positions(b: &Browser) -> Result<Vec<(i64, i64)>, String> {
    let samples = b.execute("return window.layerlabSamples;", vec![])?;
    let mut seen: Vec<(i64, i64)> = Vec::new();
    for s in samples.as_array().into_iter().flatten() {
        let p = (
            s[0].as_i64().unwrap_or_default(),
            s[1].as_i64().unwrap_or_default(),
        );
        if !seen.contains(&p) {
            seen.push(p);
        }
    }
    Ok(seen)
}

/// Every sample since [`start_sampling`]: (left, top, opacity).
fn samples(b: &Browser) -> Result<Vec<(i64, i64, f64)>, String> {
    let samples = b.execute("return window.layerlabSamples;", vec![])?;
    Ok(samples
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            (
                s[0].as_i64().unwrap_or_default(),
                s[1].as_i64().unwrap_or_default(),
                s[2].as_f64().unwrap_or(1.0),
            )
        })
        .collect())
}

/// The bounding box of the first element `css` matches: [left, top, right, bottom].
fn bounds(b: &Browser, css: &str) -> Result<[i64; 4], String> {
    let r = b.execute(
        "const e = document.querySelector(arguments[0]);
         if (!e) return null;
         const r = e.getBoundingClientRect();
         return [r.left, r.top, r.right, r.bottom].map(Math.round);",
        vec![css.into()],
    )?;
    let n = |k: usize| r[k].as_i64().ok_or_else(|| format!("no {css} on the page"));
    Ok([n(0)?, n(1)?, n(2)?, n(3)?])
}

fn wait_settled(b: &Browser) -> Result<(), String> {
    b.wait_until("the stage's motions to end", || {
        b.execute(
            "return document.getAnimations().filter(a => a.playState === 'running').length === 0;",
            vec![],
        )
        .ok()
        .filter(|v| *v == Value::Bool(true))
    })
    .map(|_| ())
}

fn texts_of(b: &Browser, css: &str) -> Result<Vec<String>, String> {
    let v = b.execute(
        "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent);",
        vec![css.into()],
    )?;
    Ok(v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect())
}

#[test]
fn the_stage_stays_in_view_while_the_learner_types_builds_and_follows_a_lesson() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("stage_in_view", |b| {
        b.goto(&url)?;
        b.wait_for("#command")?;
        run(b, "docker pull ubuntu:15.04")?;
        b.wait_for("svg.stage .slab")?;
        expect_in_view(b, "docker pull ubuntu:15.04")?;
        b.screenshot(&artifacts_dir().join("stage-first-view-1280x720.png"))?;
        b.click(&b.find("#build")?)?;
        b.wait_until("the app image on the stage", || {
            texts_of(b, ".stage .image-name")
                .ok()
                .filter(|t| t.iter().any(|n| n.contains("app:latest")))
        })?;
        expect_in_view(b, "Build")?;
        wait_settled(b)?;
        b.screenshot(&artifacts_dir().join("stage-after-build-1280x720.png"))?;
        run(b, "docker run -d --name c1 app")?;
        b.wait_for(".stage .container[data-container='c1']")?;
        expect_in_view(b, "docker run")?;
        choose_lesson(b, 1)?;
        b.click(&b.find("#lesson-solution")?)?;
        b.wait_for("svg.stage .slab")?;
        expect_in_view(b, "a lesson step")?;
        Ok(())
    });
}

#[test]
fn a_copied_up_file_travels_from_its_layer_into_the_writable_layer() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("copy_up", |b| {
        b.goto(&url)?;
        b.wait_for("#command")?;
        run(b, "docker build -t app .")?;
        run(b, "docker run -d --name c1 app")?;
        run(b, "docker run -d --name c2 app")?;
        b.wait_for(".stage .container[data-container='c2']")?;
        // The tutorial's image keeps its containers Up (`CMD python …`).
        let states = texts_of(b, ".stage .container-state")?;
        if states != ["Up", "Up"] {
            return Err(format!("the containers' states read {states:?}"));
        }
        wait_settled(b)?;
        b.screenshot(&artifacts_dir().join("stage-two-containers-1280x720.png"))?;
        let chip = ".stage .container[data-container='c1'] .held[data-path='/app/app.py']";
        start_sampling(b, chip)?;
        run(b, "docker exec c1 sh -c 'echo more >> /app/app.py'")?;
        b.wait_for(chip)?;
        std::thread::sleep(std::time::Duration::from_millis(500));
        b.screenshot(&artifacts_dir().join("stage-copy-up-1-1280x720.png"))?;
        std::thread::sleep(std::time::Duration::from_millis(400));
        b.screenshot(&artifacts_dir().join("stage-copy-up-2-1280x720.png"))?;
        wait_settled(b)?;
        b.screenshot(&artifacts_dir().join("stage-copy-up-3-1280x720.png"))?;
        let seen = positions(b)?;
        if seen.len() < 3 {
            return Err(format!(
                "app.py was seen at {} positions only: {seen:?}",
                seen.len()
            ));
        }
        // It travelled from the layer the COPY made, down and across, to its place.
        let layer = b.execute(
            "const svg = document.querySelector('svg.stage');
             const copy = [...svg.querySelectorAll('.slab')].find(s => s.textContent.includes('COPY'));
             const r = copy.getBoundingClientRect();
             return [Math.round(r.left), Math.round(r.top), Math.round(r.bottom)];",
            vec![],
        )?;
        let (first, last) = (seen[0], seen[seen.len() - 1]);
        let near_layer = (first.1 - layer[1].as_i64().unwrap_or(0)).abs() < 40;
        if !near_layer || first == last {
            return Err(format!(
                "app.py went from {first:?} to {last:?}; the COPY layer is at {layer}"
            ));
        }
        let held = texts_of(b, ".stage .container[data-container='c1'] .held")?;
        if !held.iter().any(|t| t.contains("app.py")) {
            return Err(format!("c1's writable layer lists {held:?}"));
        }
        let c2 = texts_of(b, ".stage .container[data-container='c2'] .held")?;
        if c2.iter().any(|t| t.contains("app.py")) {
            return Err(format!("c2's writable layer lists {c2:?}: copy-up is per container"));
        }
        Ok(())
    });
}

#[test]
fn a_deleted_file_is_a_whiteout_and_a_commit_shares_every_layer() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("whiteout_commit", |b| {
        b.goto(&url)?;
        b.wait_for("#command")?;
        run(b, "docker build -t app .")?;
        run(b, "docker run -d --name c1 app")?;
        run(b, "docker exec c1 rm /app/Makefile")?;
        let whiteout = b.wait_for(
            ".stage .container[data-container='c1'] .held.whiteout[data-path='/app/Makefile']",
        )?;
        let said = b.execute("return arguments[0].textContent;", vec![whiteout.arg()])?;
        let said = said.as_str().unwrap_or_default();
        if !said.contains("Makefile") || !said.contains('⊘') {
            return Err(format!("the whiteout reads {said:?}"));
        }
        wait_settled(b)?;
        b.screenshot(&artifacts_dir().join("stage-whiteout-1280x720.png"))?;
        run(b, "docker commit c1 app:committed")?;
        b.wait_until("the committed image on the stage", || {
            texts_of(b, ".stage .image-name")
                .ok()
                .filter(|t| t.iter().any(|n| n.contains("app:committed")))
        })?;
        let chains = b.execute(
            "return [...document.querySelectorAll('svg.stage .slab')].map(s => s.dataset.chain);",
            vec![],
        )?;
        let chains: Vec<&str> = chains
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut unique = chains.clone();
        unique.sort();
        unique.dedup();
        if unique.len() != chains.len() {
            return Err(format!("a layer is drawn more than once: {chains:?}"));
        }
        wait_settled(b)?;
        b.screenshot(&artifacts_dir().join("stage-after-commit-1280x720.png"))?;
        run(b, "docker run --name once busybox echo hi")?;
        let state = b.wait_for(".stage .container[data-container='once'] .container-state")?;
        let state = b.execute("return arguments[0].textContent;", vec![state.arg()])?;
        if state != "Exited (0)" {
            return Err(format!("the exited container is labelled {state}"));
        }
        let alternative = b.execute(
            "return document.getElementById('stage-text').textContent;",
            vec![],
        )?;
        let alternative = alternative.as_str().unwrap_or_default();
        for want in ["app:committed", "c1", "/app/Makefile", "Exited (0)"] {
            if !alternative.contains(want) {
                return Err(format!("the text version lacks {want:?}: {alternative}"));
            }
        }
        Ok(())
    });
}

/// The page's sideways overflow, in pixels.
fn sideways(b: &Browser) -> Result<i64, String> {
    let wide = b.execute(
        "return document.documentElement.scrollWidth - innerWidth;",
        vec![],
    )?;
    Ok(wide.as_i64().unwrap_or(0))
}

/// Where the pane with id `id` is: shown at all, its top inside the
/// viewport, and its bottom above the tab bar when it ends on screen.
fn pane_in_view(b: &Browser, id: &str) -> Result<(), String> {
    let v = b.execute(
        "const p = document.getElementById(arguments[0]);
         const bar = document.querySelector('.tab-bar').getBoundingClientRect();
         const r = p.getBoundingClientRect();
         return [r.width, r.height, r.top, r.bottom, bar.top, innerHeight];",
        vec![id.into()],
    )?;
    let n = |k: usize| v[k].as_f64().unwrap_or(-1.0);
    let (w, h, top, bar) = (n(0), n(1), n(2), n(4));
    if w <= 0.0 || h <= 0.0 || top < 0.0 || top >= bar || bar > n(5) {
        return Err(format!(
            "#{id} is not in view: [width, height, top, bottom, tab bar's top, viewport] = {v}"
        ));
    }
    Ok(())
}

/// Waits until the tab bar has chosen the tab `label` after `what`.
fn chosen_tab(b: &Browser, label: &str, what: &str) -> Result<(), String> {
    b.wait_until(&format!("the {label} tab after {what}"), || {
        b.texts(".tab-bar [aria-selected='true'] .label")
            .ok()
            .filter(|t| t == &[label])
    })
    .map(drop)
}

#[test]
fn a_phone_and_a_tablet_show_one_pane_at_a_time_with_the_stage_one_tap_away() {
    // (tab, the pane it shows)
    let tabs = [
        ("stage", "stage"),
        ("terminal", "terminal-pane"),
        ("lesson", "lessons-pane"),
        ("dockerfile", "dockerfile-pane"),
        ("more", "inspector-pane"),
    ];
    for (w, h) in [(390, 844), (768, 1024)] {
        let mut harness = Harness::start(w, h).expect("harness");
        let url = harness.app_url("");
        harness.run(&format!("tabs_{w}x{h}"), |b| {
            b.goto(&url)?;
            let input = b.wait_for("#command")?;
            // The terminal first: nothing is on the stage before a command.
            let chosen = b.texts(".tab-bar [aria-selected='true'] .label")?;
            if chosen != ["Terminal"] {
                return Err(format!("the chosen tab at the start is {chosen:?}"));
            }
            pane_in_view(b, "terminal-pane")?;
            pane_in_view(b, "command").map_err(|e| format!("the command line: {e}"))?;
            b.screenshot(&artifacts_dir().join(format!("tabs-first-view-{w}x{h}.png")))?;
            for (tab, pane) in tabs {
                b.click(&b.find(&format!("#tab-{tab}"))?)?;
                b.wait_until(&format!("the {tab} tab chosen"), || {
                    b.attribute(&b.find(&format!("#tab-{tab}")).ok()?, "aria-selected")
                        .ok()
                        .flatten()
                        .filter(|s| s == "true")
                })?;
                pane_in_view(b, pane).map_err(|e| format!("on the {tab} tab: {e}"))?;
                let others = b.execute(
                    "return [...document.querySelectorAll('.workspace .pane')]
                       .filter(p => p.id !== arguments[0] && p.offsetParent !== null
                         && p.getBoundingClientRect().top < innerHeight && !p.contains(document.getElementById(arguments[0])))
                       .map(p => p.getAttribute('aria-labelledby'));",
                    vec![pane.into()],
                )?;
                // The stage brings what happened under it; More, the panes beside the inspector.
                if tab != "stage" && tab != "more" && others.as_array().is_some_and(|o| !o.is_empty()) {
                    return Err(format!("the {tab} tab also shows {others}"));
                }
                if sideways(b)? > 0 {
                    return Err(format!("the {tab} tab scrolls sideways"));
                }
                b.screenshot(&artifacts_dir().join(format!("tabs-{tab}-{w}x{h}.png")))?;
            }
            // The keys of a tab list: → and ← move and choose, Home and End go to the ends.
            b.click(&b.find("#tab-stage")?)?;
            for (key, want) in [
                ("\u{E014}", "terminal"),
                ("\u{E014}", "lesson"),
                ("\u{E012}", "terminal"),
                ("\u{E010}", "more"),
                ("\u{E011}", "stage"),
                ("\u{E012}", "more"),
            ] {
                b.keys(key)?;
                let now = b.wait_until(&format!("the {want} tab after a key"), || {
                    b.execute(
                        "const a = document.activeElement;
                         return a && a.getAttribute('role') === 'tab' && a.getAttribute('aria-selected') === 'true' ? a.id : null;",
                        vec![],
                    )
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .filter(|id| *id == format!("tab-{want}"))
                })?;
                let focus_ring = b.execute(
                    "return getComputedStyle(document.activeElement).outlineStyle;",
                    vec![],
                )?;
                if focus_ring == "none" {
                    return Err(format!("{now} has the focus and no visible outline"));
                }
            }
            // Build, pressed on the Dockerfile tab, shows the stage, where the
            // build context's files fly into the COPY layer.
            b.click(&b.find("#tab-dockerfile")?)?;
            b.click(&b.wait_for("#build")?)?;
            chosen_tab(b, "Stage", "Build")?;
            b.wait_for(".stage .passing[data-file='/app/app.py']")?;
            expect_in_view(b, "Build")?;
            std::thread::sleep(std::time::Duration::from_millis(2000));
            b.screenshot(&artifacts_dir().join(format!("tabs-build-{w}x{h}.png")))?;
            // A command typed on the Terminal tab is on the stage one tap later.
            b.click(&b.find("#tab-terminal")?)?;
            b.wait_until("the terminal", || b.find("#command").ok().filter(|_| pane_in_view(b, "command").is_ok()))?;
            b.type_into(&input, "docker build -t app .\u{E007}")?;
            run(b, "docker run -d --name c1 app")?;
            run(b, "docker exec c1 sh -c 'echo more >> /app/app.py'")?;
            b.wait_until("the copy-up in the terminal's log", || {
                layerlab_e2e::terminal_text(b).ok().filter(|t| t.contains("echo more"))
            })?;
            // The stage changed out of sight: its tab says so, in words, and
            // the tab's name for a screen reader says it too.
            let news = b.wait_until("the stage tab's note", || {
                b.find("#tab-stage .news").and_then(|n| b.text(&n)).ok()
            })?;
            if news != "● changed" {
                return Err(format!("the stage tab's note says {news:?}"));
            }
            // Inside its own tab: the next tab's icon and name stay clear.
            let inside = b.execute(
                "const n = document.querySelector('#tab-stage .news').getBoundingClientRect();
                 const t = document.getElementById('tab-stage').getBoundingClientRect();
                 return n.left >= t.left && n.right <= t.right;",
                vec![],
            )?;
            if inside != Value::Bool(true) {
                return Err("the stage tab's note reaches into the next tab".into());
            }
            b.screenshot(&artifacts_dir().join(format!("tabs-stage-changed-{w}x{h}.png")))?;
            b.click(&b.find("#tab-stage")?)?;
            b.wait_until("the note gone once the stage is shown", || {
                b.find("#tab-stage .news").is_err().then_some(())
            })?;
            b.wait_for(".stage .container[data-container='c1'] .held[data-path='/app/app.py']")?;
            expect_in_view(b, "tapping Stage")?;
            if sideways(b)? > 0 {
                return Err("the stage scrolls the page sideways".into());
            }
            wait_settled(b)?;
            b.screenshot(&artifacts_dir().join(format!("stage-copy-up-{w}x{h}.png")))?;
            // Tapping the container opens its files where the inspector
            // lives, in view, not in a pane the tab bar hides.
            b.click(&b.find(".stage .container[data-container='c1']")?)?;
            chosen_tab(b, "More", "tapping a container")?;
            pane_in_view(b, "inspector-pane").map_err(|e| format!("after tapping c1: {e}"))?;
            b.wait_until("c1's files in the inspector", || {
                b.texts(".inspector-pane tbody tr").ok().filter(|rows| rows.iter().any(|r| r.contains("app/")))
            })?;
            b.screenshot(&artifacts_dir().join(format!("tabs-tapped-container-{w}x{h}.png")))?;
            // An on-screen keyboard takes the lower half of a phone's window
            // (the page asks it to resize the layout): the command line stays
            // above it and the tab bar.
            if w < 768 {
                b.click(&b.find("#tab-terminal")?)?;
                b.set_viewport(w, 420)?;
                b.wait_until("the command line above the tab bar", || {
                    b.execute(
                        "const c = document.getElementById('command').getBoundingClientRect();
                         const bar = document.querySelector('.tab-bar').getBoundingClientRect();
                         return c.top >= 0 && c.bottom <= bar.top && bar.bottom <= innerHeight ? bar.top - c.bottom : null;",
                        vec![],
                    )
                    .ok()
                    .filter(|v| !v.is_null())
                })?;
                b.screenshot(&artifacts_dir().join(format!("tabs-keyboard-{w}x420.png")))?;
            }
            Ok(())
        });
    }
}

#[test]
fn a_builds_copied_files_fly_from_the_build_context_into_the_copy_layer() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("copy_from_context", |b| {
        b.goto(&url)?;
        b.wait_for("#command")?;
        let chip = ".stage .passing[data-file='/app/app.py']";
        start_sampling(b, chip)?;
        b.click(&b.find("#build")?)?;
        b.wait_for(chip)?;
        std::thread::sleep(std::time::Duration::from_millis(2200));
        b.screenshot(&artifacts_dir().join("stage-copy-from-context-1280x720.png"))?;
        wait_settled(b)?;
        let seen = positions(b)?;
        if seen.len() < 3 {
            return Err(format!("app.py was seen at {} positions only: {seen:?}", seen.len()));
        }
        let copy = b.execute(
            "const s = [...document.querySelectorAll('svg.stage .slab')].find(s => s.textContent.includes('COPY'));
             const r = s.getBoundingClientRect();
             return [r.left, r.top, r.right, r.bottom].map(Math.round);",
            vec![],
        )?;
        let n = |k: usize| copy[k].as_i64().unwrap_or_default();
        let (first, last) = (seen[0], seen[seen.len() - 1]);
        let on_slab = |p: (i64, i64)| p.0 >= n(0) && p.0 <= n(2) && p.1 >= n(1) - 2 && p.1 <= n(3);
        if !on_slab(last) || on_slab(first) {
            return Err(format!(
                "app.py went from {first:?} to {last:?}; the COPY slab spans {copy}"
            ));
        }
        // It came from the box labelled "build context", which then goes.
        let source = texts_of(b, ".stage .context-source text")?;
        if source != ["▤ build context"] {
            return Err(format!("the source reads {source:?}"));
        }
        Ok(())
    });
}

#[test]
fn a_removed_container_and_a_removed_images_layers_leave_the_stage() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("rm_leaves", |b| {
        b.goto(&url)?;
        b.wait_for("#command")?;
        run(b, "docker run -d --name c1 busybox sleep 1d")?;
        run(b, "docker run -d --name c2 busybox sleep 1d")?;
        run(b, "docker exec c1 sh -c 'echo x >> /etc/passwd'")?;
        b.wait_for(".stage .container[data-container='c1'] .held[data-path='/etc/passwd']")?;
        wait_settled(b)?;
        let was = bounds(b, ".stage .container[data-container='c1']")?;
        start_sampling(b, ".stage .gone-container[data-gone='c1']")?;
        run(b, "docker rm -f c1")?;
        b.wait_until("c1 gone from the stage's containers", || {
            b.find_all(".stage .container[data-container='c1']").ok().filter(Vec::is_empty)
        })?;
        std::thread::sleep(std::time::Duration::from_millis(450));
        b.screenshot(&artifacts_dir().join("stage-rm-leaving-1280x720.png"))?;
        wait_settled(b)?;
        let seen = samples(b)?;
        let (Some(first), Some(last)) = (seen.first(), seen.last()) else {
            return Err("c1 was never seen leaving".into());
        };
        let mut distinct: Vec<(i64, i64, i64)> = seen
            .iter()
            .map(|&(x, y, o)| (x, y, (o * 100.0).round() as i64))
            .collect();
        distinct.dedup();
        if distinct.len() < 3 || (first.0, first.1) != (was[0], was[1]) || last.2 > 0.05 || last.1 >= first.1 {
            return Err(format!(
                "c1 (at {was:?}) left as {first:?} … {last:?}, {} distinct samples",
                distinct.len()
            ));
        }
        // Its files went with it; c2 stays.
        let held = b.execute(
            "return document.querySelector(\".stage .gone-container[data-gone='c1']\").textContent;",
            vec![],
        )?;
        if !held.as_str().unwrap_or_default().contains("passwd") {
            return Err(format!("the leaving box holds {held}"));
        }
        b.find(".stage .container[data-container='c2']")?;

        // An image whose layers nothing else uses: its slabs leave.
        run(b, "docker rm -f c2")?;
        run(b, "docker pull nginx")?;
        b.wait_until("nginx on the stage", || {
            texts_of(b, ".stage .image-name").ok().filter(|t| t.iter().any(|n| n.contains("nginx")))
        })?;
        wait_settled(b)?;
        let slabs = b.find_all("svg.stage .slab")?.len();
        start_sampling(b, ".stage .gone-slab")?;
        run(b, "docker rmi nginx")?;
        b.wait_until("nginx's slabs gone", || {
            b.find_all("svg.stage .slab").ok().filter(|s| s.len() < slabs)
        })?;
        std::thread::sleep(std::time::Duration::from_millis(400));
        b.screenshot(&artifacts_dir().join("stage-rmi-leaving-1280x720.png"))?;
        wait_settled(b)?;
        let seen = samples(b)?;
        let faded = seen.last().is_some_and(|s| s.2 < 0.05);
        let moving = seen.iter().map(|s| (s.1, (s.2 * 100.0) as i64)).collect::<std::collections::BTreeSet<_>>().len();
        if !faded || moving < 3 {
            return Err(format!("nginx's top slab left as {seen:?}"));
        }
        Ok(())
    });
}

#[test]
fn at_every_size_each_step_of_the_tutorial_leaves_the_stage_in_view() {
    for (w, h) in [(1280, 720), (768, 1024), (390, 844)] {
        let mut harness = Harness::start(w, h).expect("harness");
        let url = harness.app_url("");
        harness.run(&format!("pictured_{w}x{h}"), |b| {
            let shot = |b: &Browser, what: &str| {
                b.screenshot(&artifacts_dir().join(format!("pictured-{what}-{w}x{h}.png")))
            };
            b.goto(&url)?;
            b.wait_for("#command")?;
            shot(b, "first-view")?;
            // (command, what the stage then shows, the screenshot's name, mid-flight)
            let steps = [
                (
                    "docker build -t app .",
                    ".stage .image-name",
                    "after-build",
                    false,
                ),
                (
                    "docker run -d --name c1 app",
                    ".stage .container[data-container='c1']",
                    "one-container",
                    false,
                ),
                (
                    "docker run -d --name c2 app",
                    ".stage .container[data-container='c2']",
                    "two-containers",
                    false,
                ),
                (
                    "docker exec c1 sh -c 'echo more >> /app/app.py'",
                    ".stage .container[data-container='c1'] .held[data-path='/app/app.py']",
                    "copy-up-mid-flight",
                    true,
                ),
                (
                    "docker exec c1 rm /app/Makefile",
                    ".stage .held.whiteout[data-path='/app/Makefile']",
                    "whiteout",
                    false,
                ),
                (
                    "docker commit c1 app:committed",
                    ".stage .slab + .slab, .stage .image-tag",
                    "after-commit",
                    false,
                ),
            ];
            for (line, shows, name, mid_flight) in steps {
                run(b, line)?;
                layerlab_e2e::show_tab(b, "stage")?;
                b.wait_for(shows)?;
                if mid_flight {
                    std::thread::sleep(std::time::Duration::from_millis(500));
                } else {
                    wait_settled(b)?;
                }
                expect_in_view(b, line)?;
                if sideways(b)? > 0 {
                    return Err(format!("after {line}, the page scrolls sideways"));
                }
                shot(b, name)?;
            }
            let names = texts_of(b, ".stage .image-name")?;
            if !names.iter().any(|n| n.contains("app:committed")) {
                return Err(format!("the images on the stage: {names:?}"));
            }
            Ok(())
        });
    }
}

#[test]
fn with_reduced_motion_nothing_moves_and_the_end_state_shows() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("reduced_motion", |b| {
        b.cdp(
            "Emulation.setEmulatedMedia",
            serde_json::json!({"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]}),
        )?;
        b.goto(&url)?;
        b.wait_for("#command")?;
        // (command, what the end state shows, what only moves)
        let steps = [
            ("docker build -t app .", ".stage .slab", ".stage .passing, .stage .context-source"),
            ("docker run -d --name c1 app", ".stage .container[data-container='c1']", ".stage .leaving"),
            (
                "docker exec c1 sh -c 'echo more >> /app/app.py'",
                ".stage .container[data-container='c1'] .held[data-path='/app/app.py']",
                ".stage .leaving",
            ),
            ("docker rm -f c1", ".stage .image-tag", ".stage .gone-container"),
        ];
        for (line, shows, moves) in steps {
            layerlab_e2e::run_command(b, line)?;
            b.wait_for(shows)?;
            let moving = b.execute(
                "return [document.getAnimations().filter(a => a.playState === 'running').length,
                         document.querySelectorAll(arguments[0]).length];",
                vec![moves.into()],
            )?;
            if moving != serde_json::json!([0, 0]) {
                return Err(format!("after {line}, [animations, {moves}] = {moving}"));
            }
        }
        if !b.find_all(".stage .container")?.is_empty() {
            return Err("c1 is still on the stage".into());
        }
        Ok(())
    });
}
