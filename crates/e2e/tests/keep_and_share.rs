//! Work that is kept and shared: a lesson across a reload and through a
//! permalink into a fresh browser profile, and scenario files downloaded and
//! opened.

use layerlab_e2e::{artifacts_dir, terminal_text, Browser, Harness};

fn task(b: &Browser) -> Result<String, String> {
    b.text(&b.find(".lesson .task")?)
}

/// The container names on the stage, read from the drawing itself (WebDriver's
/// text of SVG is empty while a drawing is scaled out of its layout box).
fn containers(b: &Browser) -> Result<Vec<String>, String> {
    let names = b.execute(
        "return [...document.querySelectorAll('.stage .container-name')].map(e => e.textContent);",
        vec![],
    )?;
    Ok(names
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n.as_str().map(str::to_owned))
        .collect())
}

/// Chooses lesson `index` (0-based) in the lesson list, as a change of the select.
fn choose_lesson(b: &Browser, index: usize) -> Result<(), String> {
    b.execute(
        "const s = document.getElementById('lesson'); s.value = String(arguments[0]); s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![index.into()],
    )?;
    Ok(())
}

#[test]
fn a_lesson_survives_a_reload_and_a_permalink_opens_it_in_a_fresh_browser() {
    let mut link = String::new();
    let mut seen = (String::new(), Vec::new());
    {
        let mut h = Harness::start(1280, 720).expect("harness");
        let url = h.app_url("?lang=en");
        h.run("lesson_reload", |b| {
            b.goto(&url)?;
            b.wait_for("#lesson")?;
            choose_lesson(b, 3)?;
            let want = b.wait_until("lesson 4's task", || {
                task(b).ok().filter(|t| t.contains("web1, web2 and web3"))
            })?;
            let input = b.find("#command")?;
            b.type_into(&input, "docker run -d --name web1 nginx\u{E007}")?;
            b.wait_until("web1 on the stage", || {
                containers(b).ok().filter(|c| c == &["web1"])
            })?;

            b.execute("location.reload();", vec![])?;
            b.wait_until("the lesson after the reload", || {
                task(b).ok().filter(|t| t == &want)
            })?;
            b.wait_until("web1 after the reload", || {
                containers(b).ok().filter(|c| c == &["web1"])
            })?;
            let chosen = b.execute("return document.getElementById('lesson').value;", vec![])?;
            if chosen != "3" {
                return Err(format!("the lesson list shows {chosen}"));
            }
            if !terminal_text(b)?.contains("$ docker run -d --name web1 nginx") {
                return Err("the terminal was not restored".into());
            }

            b.click(&b.find("#share")?)?;
            let field = b.wait_for(".share-url input")?;
            link = b.value(&field)?;
            seen = (want, containers(b)?);
            Ok(())
        });
    }
    let fragment = link
        .split_once('#')
        .map(|(_, f)| format!("#{f}"))
        .unwrap_or_default();
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url(&format!("?lang=en{fragment}"));
    h.run("lesson_permalink", |b| {
        b.goto(&url)?;
        b.wait_until("the lesson from the link", || {
            task(b).ok().filter(|t| t == &seen.0)
        })?;
        b.wait_until("the same stage", || {
            containers(b).ok().filter(|c| c == &seen.1)
        })?;
        b.screenshot(&artifacts_dir().join("lesson-permalink-1280x720.png"))?;
        Ok(())
    });
}

#[test]
fn a_scenario_is_downloaded_and_opened_and_a_wrong_file_is_refused() {
    let dir = std::env::temp_dir().join(format!("layerlab-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("scenario", |b| {
        b.goto(&url)?;
        let input = b.wait_for("#command")?;
        b.type_into(&input, "docker run -d --name saved busybox sleep 1d\u{E007}")?;
        b.wait_until("saved on the stage", || {
            containers(b).ok().filter(|c| c == &["saved"])
        })?;
        // The download's text, caught as the page hands it to the browser.
        b.execute(
            "const make = URL.createObjectURL; window.__blobs = []; URL.createObjectURL = (blob) => { window.__blobs.push(blob); return make(blob); };",
            vec![],
        )?;
        b.click(&b.find("#download")?)?;
        let text = b.execute_async(
            "const done = arguments[arguments.length - 1]; const blob = window.__blobs[0]; blob ? blob.text().then(done) : done('');",
            vec![],
        )?;
        let text = text.as_str().unwrap_or_default().to_owned();
        if !text.lines().any(|l| l == "docker run -d --name saved busybox sleep 1d") {
            return Err(format!("the downloaded scenario: {text:?}"));
        }

        // Another scenario, opened from a file: its commands replay.
        let file = dir.join("two.txt");
        std::fs::write(
            &file,
            "# two containers\ndocker run -d --name first busybox sleep 1d\ndocker run -d --name second busybox sleep 1d\n",
        )
        .map_err(|e| e.to_string())?;
        let picker = b.find("#open-scenario")?;
        b.type_into(&picker, &file.display().to_string())?;
        b.wait_until("the opened scenario on the stage", || {
            containers(b).ok().filter(|c| c == &["first", "second"])
        })?;
        let notice = b.text(&b.find(".notice")?)?;
        if !notice.contains("Scenario opened") {
            return Err(format!("notice: {notice}"));
        }
        b.screenshot(&artifacts_dir().join("scenario-opened-1280x720.png"))?;
        // What was there before comes back.
        b.click(&b.find("#bring-back")?)?;
        b.wait_until("the earlier work", || {
            containers(b).ok().filter(|c| c == &["saved"])
        })?;

        // Opened again, then worked on: bringing back would drop that work, so it is no longer offered.
        let picker = b.find("#open-scenario")?;
        b.type_into(&picker, &file.display().to_string())?;
        b.wait_for("#bring-back")?;
        let input = b.find("#command")?;
        b.type_into(&input, "docker ps\u{E007}")?;
        b.wait_until("the offer to bring back to go", || {
            b.find_all("#bring-back").ok().filter(|f| f.is_empty())
        })?;

        // A file that is no scenario is refused, and nothing changes.
        let before = containers(b)?;
        let png = dir.join("picture.png");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").map_err(|e| e.to_string())?;
        let picker = b.find("#open-scenario")?;
        b.type_into(&picker, &png.display().to_string())?;
        let refused = b.wait_until("the refusal", || {
            b.find(".notice")
                .and_then(|n| b.text(&n))
                .ok()
                .filter(|t| t.contains("not opened"))
        })?;
        if !refused.contains("not a text file") {
            return Err(format!("refusal: {refused}"));
        }
        if containers(b)? != before {
            return Err("a refused file changed the stage".into());
        }
        Ok(())
    });
    let _ = std::fs::remove_dir_all(&dir);
}
