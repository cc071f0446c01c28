//! Nothing a learner does loses their work: a link, a broken link and a
//! scenario file are shown without being saved over it (and "Restore my work"
//! brings it back across reloads), a full storage and another tab are told,
//! a crash says so and saves nothing more, and 2,000 commands leave the
//! terminal small.

use layerlab_e2e::{reload_page, store_autosave, Browser, Harness};

/// The containers' names on the stage (read from the DOM: the stage may be
/// scrolled out of view, and WebDriver's text leaves hidden text out).
fn containers(b: &Browser) -> Result<Vec<String>, String> {
    let names = b.execute(
        "return Array.from(document.querySelectorAll('.stage .container-name'), (e) => e.textContent.trim());",
        vec![],
    )?;
    Ok(names
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

fn wait_containers(b: &Browser, what: &str, want: &[&str]) -> Result<(), String> {
    b.wait_until(what, || containers(b).ok().filter(|c| c == want))
        .map(drop)
}

/// The autosave's text in local storage.
fn autosave(b: &Browser) -> Result<String, String> {
    let v = b.execute(
        "return localStorage.getItem('layerlab.autosave') ?? '';",
        vec![],
    )?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Reloads; the old page's stage goes with it, the new one is drawn from scratch.
fn reload(b: &Browser) -> Result<(), String> {
    reload_page(b)?;
    b.wait_for("#command").map(drop)
}

fn type_line(b: &Browser, line: &str) -> Result<(), String> {
    let input = b.wait_for("#command")?;
    b.type_into(&input, &format!("{line}\u{E007}"))
}

const MINE: &str = "docker run -d --name mine busybox sleep 1d";

#[test]
fn own_work_comes_back_after_a_link_a_broken_link_and_a_scenario() {
    let dir = std::env::temp_dir().join(format!("layerlab-keep-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let scenario = dir.join("two.txt");
    std::fs::write(
        &scenario,
        "docker run -d --name first busybox sleep 1d\ndocker run -d --name second busybox sleep 1d\n",
    )
    .expect("scenario file");
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("keep_work_link_scenario", |b| {
        // A link to someone else's state.
        b.goto(&url)?;
        type_line(b, "docker run -d --name linked busybox sleep 1d")?;
        wait_containers(b, "linked on the stage", &["linked"])?;
        let link = layerlab_e2e::permalink(b)?;
        // The learner's own work, in a fresh browser storage.
        b.execute("localStorage.clear();", vec![])?;
        b.goto(&url)?;
        type_line(b, MINE)?;
        wait_containers(b, "mine on the stage", &["mine"])?;
        b.wait_until("the autosave", || {
            autosave(b).ok().filter(|a| a.contains("--name mine"))
        })?;

        // The link is shown, over two loads; the autosave stays the learner's.
        b.goto(&link)?;
        reload(b)?;
        wait_containers(b, "the link's state", &["linked"])?;
        b.wait_for("#restore-work")?;
        reload(b)?;
        wait_containers(b, "the link's state again", &["linked"])?;
        if !autosave(b)?.contains("--name mine") {
            return Err(format!(
                "the link was saved over the work: {}",
                autosave(b)?
            ));
        }

        // A broken link: a fresh start, the work kept and offered.
        let broken = format!("{}#v1.broken!", link.split('#').next().unwrap_or_default());
        b.goto(&broken)?;
        reload(b)?;
        b.wait_until("the broken link's notice", || {
            b.find(".notice")
                .and_then(|n| b.text(&n))
                .ok()
                .filter(|t| t.contains("could not be opened"))
        })?;
        wait_containers(b, "a fresh start", &[])?;
        reload(b)?;
        b.click(&b.wait_for("#restore-work")?)?;
        wait_containers(b, "the work restored from the broken link", &["mine"])?;
        if b.execute("return location.hash;", vec![])?.as_str() != Some("") {
            return Err("the link is still in the address".into());
        }

        // A scenario file: shown, not saved until acted on; a reload brings the work back.
        let picker = b.wait_for("#open-scenario")?;
        b.type_into(&picker, &scenario.display().to_string())?;
        wait_containers(b, "the scenario", &["first", "second"])?;
        reload(b)?;
        wait_containers(b, "the work after a reload", &["mine"])?;
        // Opened again and worked on: the work is the scenario's now, and
        // the learner's own can still be restored after a reload.
        let picker = b.wait_for("#open-scenario")?;
        b.type_into(&picker, &scenario.display().to_string())?;
        wait_containers(b, "the scenario again", &["first", "second"])?;
        type_line(b, "docker run -d --name third busybox sleep 1d")?;
        wait_containers(b, "work on the scenario", &["first", "second", "third"])?;
        b.wait_until("the scenario's work saved", || {
            autosave(b).ok().filter(|a| a.contains("--name third"))
        })?;
        reload(b)?;
        wait_containers(b, "the scenario's work", &["first", "second", "third"])?;
        b.click(&b.wait_for("#restore-work")?)?;
        wait_containers(b, "the work restored from the scenario", &["mine"])?;
        Ok(())
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_full_storage_and_another_tab_are_told() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("keep_work_storage", |b| {
        b.goto(&url)?;
        type_line(b, MINE)?;
        wait_containers(b, "mine on the stage", &["mine"])?;

        // Another tab writes the autosave: a `storage` event, as the browser
        // sends to every other tab of the origin (dispatched here from the
        // page: the harness drives one window).
        let theirs = r#"{"version":1,"lang":"en","dockerfile":"FROM busybox\n","commands":["docker images"]}"#;
        b.execute(
            "localStorage.setItem('layerlab.autosave', arguments[0]);
             window.dispatchEvent(new StorageEvent('storage', { key: 'layerlab.autosave', newValue: arguments[0] }));",
            vec![theirs.into()],
        )?;
        let told = b.text(&b.wait_for(".notice.other-tab")?)?;
        if !told.contains("another tab") {
            return Err(format!("notice: {told}"));
        }
        type_line(b, "docker ps")?;
        b.wait_until("docker ps to run", || {
            layerlab_e2e::terminal_text(b)
                .ok()
                .filter(|t| t.contains("$ docker ps"))
        })?;
        if autosave(b)? != theirs {
            return Err("this tab saved over the other's before the choice".into());
        }
        b.click(&b.find("#keep-this-tab")?)?;
        b.wait_until("this tab's work saved", || {
            autosave(b).ok().filter(|a| a.contains("docker ps"))
        })?;

        // Storage full: the next save fails and says so.
        b.execute(
            "let size = 1 << 20, i = 0;
             while (size >= 8) {
               try { localStorage.setItem('filler' + i++, 'x'.repeat(size)); }
               catch (e) { size >>= 1; }
             }",
            vec![],
        )?;
        type_line(b, "docker run -d --name lost busybox sleep 1d")?;
        let failed = b.text(&b.wait_for(".notice.save-failed")?)?;
        if !failed.contains("could not be saved") || b.find_all("#save-failed-download")?.is_empty() {
            return Err(format!("notice: {failed}"));
        }
        b.execute("localStorage.clear();", vec![])?;
        Ok(())
    });
}

#[test]
fn a_crash_says_so_and_saves_nothing_more() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("keep_work_crash", |b| {
        b.goto(&url)?;
        type_line(b, MINE)?;
        b.wait_until("the autosave", || {
            autosave(b).ok().filter(|a| a.contains("--name mine"))
        })?;
        let before = autosave(b)?;
        // A wasm trap, as the page reports one (an uncaught error thrown from
        // a WebDriver script reaches the page muted, without its error).
        b.execute(
            "const error = new WebAssembly.RuntimeError('unreachable');
             window.dispatchEvent(new ErrorEvent('error', { error, message: String(error) }));",
            vec![],
        )?;
        let shown = b.text(&b.wait_for("#crash")?)?;
        if !shown.contains("stopped working") || !shown.contains("unreachable") {
            return Err(format!("crash message: {shown}"));
        }
        type_line(b, "docker run -d --name after busybox sleep 1d")?;
        wait_containers(b, "the command after", &["mine", "after"])?;
        if autosave(b)? != before {
            return Err("a state after the crash was saved".into());
        }
        // Marks this page, so that the wait below cannot end on it.
        b.execute("window.__old = true;", vec![])?;
        b.click(&b.find("#crash-reload")?)?;
        b.wait_until("the page to load again", || {
            b.execute(
                "return !window.__old && !!document.getElementById('command');",
                vec![],
            )
            .ok()
            .filter(|v| v.as_bool() == Some(true))
        })?;
        wait_containers(b, "the last good work", &["mine"])
    });
}

#[test]
fn two_thousand_commands_keep_the_terminal_small_and_fast() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("keep_work_2000", |b| {
        b.goto(&url)?;
        let commands: Vec<String> = (0..2000)
            .map(|i| match i % 4 {
                0 => format!("echo line {i}"),
                1 => "docker ps".to_owned(),
                2 => format!("echo {i} >> notes.txt"),
                _ => "ls".to_owned(),
            })
            .collect();
        store_autosave(b, &commands, "en")?;
        reload(b)?;
        b.wait_until("2,000 commands replayed", || {
            layerlab_e2e::terminal_text(b)
                .ok()
                .filter(|t| t.contains("line 1996"))
        })?;
        let count = |b: &Browser| -> Result<(u64, u64), String> {
            let v = b.execute(
                "return [document.querySelectorAll('.screen *').length, document.getElementsByTagName('*').length];",
                vec![],
            )?;
            Ok((v[0].as_u64().unwrap_or(0), v[1].as_u64().unwrap_or(0)))
        };
        let (screen, page) = count(b)?;
        let hidden = b.execute(
            "return document.querySelector('.screen .hidden-lines')?.textContent ?? '';",
            vec![],
        )?;
        let hidden = hidden.as_str().unwrap_or_default().to_owned();
        if !hidden.contains("earlier lines") {
            return Err(format!("hidden lines: {hidden}"));
        }
        // Each command's time, from Enter to the terminal's redraw.
        b.execute(
            "window.__times = [];
             document.addEventListener('keydown', (e) => { if (e.key === 'Enter') window.__t0 = performance.now(); }, true);
             new MutationObserver(() => { if (window.__t0) { window.__times.push(performance.now() - window.__t0); window.__t0 = 0; } })
               .observe(document.querySelector('.transcript'), { childList: true, subtree: true, characterData: true });",
            vec![],
        )?;
        for i in 0..5 {
            type_line(b, &format!("echo more {i}"))?;
            b.wait_until("the line on screen", || {
                layerlab_e2e::terminal_text(b)
                    .ok()
                    .filter(|t| t.contains(&format!("more {i}\n")) || t.ends_with(&format!("more {i}")))
            })?;
        }
        let times = b.execute("return window.__times;", vec![])?;
        let times: Vec<f64> = times
            .as_array()
            .map(|a| a.iter().filter_map(|t| t.as_f64()).collect())
            .unwrap_or_default();
        let (after, _) = count(b)?;
        println!(
            "after 2,000 commands: {screen} elements in the terminal's screen, {page} in the page; per command: {times:.0?} ms"
        );
        if screen > 1_000 || after > 1_000 {
            return Err(format!("the screen holds {screen} then {after} elements"));
        }
        if times.len() < 5 || times.iter().any(|t| *t > 300.0) {
            return Err(format!("per command: {times:?} ms"));
        }
        Ok(())
    });
}

#[test]
fn a_missing_rest_of_the_code_is_named_and_the_line_kept() {
    // A copy of the build whose second wasm file is gone.
    let dist = layerlab_e2e::dist_dir().expect("dist");
    let copy = std::env::temp_dir().join(format!("layerlab-norest-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&copy);
    std::fs::create_dir_all(&copy).expect("copy dir");
    for entry in std::fs::read_dir(&dist).expect("dist listing").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_file() && !name.ends_with("_rest.wasm") {
            std::fs::copy(entry.path(), copy.join(&name)).expect("copy");
        }
    }
    let server = layerlab_e2e::Server::start(copy.clone(), layerlab_e2e::PREFIX).expect("server");
    let url = format!("{}?lang=en", server.url(layerlab_e2e::PREFIX));
    let mut h = Harness::start(1280, 720).expect("harness");
    h.run("keep_work_no_rest", |b| {
        b.goto(&url)?;
        type_line(b, "docker images")?;
        // Typing itself may run code from the missing file: then the page-level
        // message names it; else the terminal does, as it waits for the file.
        let said = b.wait_until("the problem named", || {
            b.execute(
                "return document.getElementById('crash')?.textContent ?? document.querySelector('.notice.rest')?.textContent ?? '';",
                vec![],
            )
            .ok()
            .and_then(|t| t.as_str().map(str::to_owned))
            .filter(|t| t.contains("404"))
        })?;
        if !said.contains("_rest.wasm") {
            return Err(format!("message: {said}"));
        }
        let kept = b.value(&b.find("#command")?)?;
        if kept != "docker images" {
            return Err(format!("the typed line became {kept:?}"));
        }
        Ok(())
    });
    drop(server);
    let _ = std::fs::remove_dir_all(&copy);
}
