//! The "What happened" pane and its timeline, with real clicks and keys on the
//! release build.

use layerlab_e2e::{artifacts_dir, Browser, Harness};

/// Types `line` into the terminal and waits until the timeline has run `n` commands.
fn run(b: &Browser, line: &str, n: usize) -> Result<(), String> {
    let input = b.find("#command")?;
    b.type_into(&input, &format!("{line}\u{E007}"))?;
    b.wait_until(&format!("command {n} ({line}) to run"), || {
        caption(b).ok().filter(|c| c.contains(&format!(" {n}/")))
    })?;
    Ok(())
}

fn caption(b: &Browser) -> Result<String, String> {
    b.text(&b.find(".timeline-caption")?)
}

/// The activity items' texts, once `want` is among them.
fn wait_item(b: &Browser, want: &str) -> Result<Vec<String>, String> {
    b.wait_until(&format!("{want:?} in What happened"), || {
        let items = b.texts(".activity li").ok()?;
        items.iter().any(|t| t.contains(want)).then_some(items)
    })
}

fn container_size(b: &Browser, name: &str) -> Result<String, String> {
    let script = "return [...document.querySelectorAll('.disk-pane tbody tr')]
        .map(r => [...r.cells].map(c => c.textContent))
        .filter(c => c.includes(arguments[0]))
        .map(c => c[c.length - 2])[0] || '';";
    let v = b.execute(script, vec![name.into()])?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

#[test]
fn what_happened_shows_pulls_copy_up_and_whiteouts_and_the_timeline_moves_through_them() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("activity", |b| {
        b.goto(&url)?;
        b.wait_for("#command")?;
        pull_shows_each_layer_and_the_digest(b)?;
        copy_up_and_whiteout_are_named(b)?;
        the_timeline_moves_through_them(b)
    });
}

/// A pull shows a bar per layer through Docker's states, and the manifest's
/// digest apart from the image ID.
fn pull_shows_each_layer_and_the_digest(b: &Browser) -> Result<(), String> {
    // A pull: one progress bar per layer, through Docker's states.
    run(b, "docker pull nginx", 1)?;
    let mut seen = Vec::new();
    b.wait_until("every layer of nginx to be pulled", || {
        let states = b.texts(".activity .pull .state").ok()?;
        for s in &states {
            if !seen.contains(s) {
                seen.push(s.clone());
            }
        }
        (states.len() == 6 && states.iter().all(|s| s == "Pull complete")).then_some(())
    })?;
    if !seen
        .iter()
        .any(|s| s == "Downloading" || s == "Pulling fs layer")
    {
        return Err(format!("the bars never showed a download: {seen:?}"));
    }
    // Then the manifest's digest, told apart from the image ID.
    let sha = |t: &str| t.split("sha256:").nth(1).map(|h| h.trim().to_owned());
    let (digest, image) = b.wait_until("the manifest digest and the image ID", || {
        let items = b.texts(".activity li").ok()?;
        let find = |want: &str| items.iter().find(|t| t.contains(want)).and_then(|t| sha(t));
        Some((find("not the image ID")?, find("Image created")?))
    })?;
    if digest == image {
        return Err(format!(
            "the manifest digest is shown as the image ID: {digest}"
        ));
    }
    Ok(())
}

/// The tutorial's image, two containers, a 1-byte append in the first (a
/// copy-up naming its layer, the other container unchanged), then a delete.
fn copy_up_and_whiteout_are_named(b: &mut Browser) -> Result<(), String> {
    // The tutorial's image, two containers, and a 1-byte append in the first.
    b.click(&b.find("#build")?)?;
    b.wait_until("the build", || {
        caption(b).ok().filter(|c| c.contains("docker build"))
    })?;
    run(b, "docker run -d --name one app sleep 1d", 3)?;
    run(b, "docker run -d --name two app sleep 1d", 4)?;
    let before = container_size(b, "two")?;
    run(b, "docker exec one sh -c 'echo >> /app/app.py'", 5)?;
    // Read until the whole list is there: items still appearing are
    // redrawn, and an element read mid-redraw is left out.
    let items = b.wait_until("the copy-up and what stayed unchanged", || {
        let items = b.texts(".activity li").ok()?;
        let copied = items
            .iter()
            .any(|t| t.contains("Copy-up: the whole file") && t.contains("/app/app.py"));
        let unchanged = items.iter().any(|t| t.contains("Unchanged"));
        (copied && unchanged).then_some(items)
    })?;
    let copy = items
        .iter()
        .find(|t| t.contains("Copy-up") && t.contains("/app/app.py"))
        .ok_or_else(|| format!("no copy-up of app.py: {items:#?}"))?;
    if !copy.contains("COPY . /app") {
        return Err(format!("the copy-up does not name its layer: {copy}"));
    }
    let unchanged = items
        .iter()
        .find(|t| t.contains("Unchanged"))
        .cloned()
        .unwrap_or_default();
    if !unchanged.contains("app:latest, two") {
        return Err(format!(
            "the image and two should be unchanged: {unchanged}"
        ));
    }
    let touched = b.find_all(".stage .slab.touched")?;
    if touched.is_empty() || !b.text(&touched[0])?.contains('⇧') {
        return Err("the copied-from layer is not marked on the stage".into());
    }
    if container_size(b, "two")? != before {
        return Err("the other container's SIZE changed".into());
    }
    run(b, "docker exec one rm /app/Makefile", 6)?;
    wait_item(b, "Whiteout")?;
    b.execute(
        "document.querySelector('.activity-pane').scrollIntoView();",
        vec![],
    )?;
    b.screenshot(&artifacts_dir().join("activity-1280x720.png"))?;
    Ok(())
}

/// The timeline steps back and forward, plays from the start at 4×, and its
/// slider answers the keyboard.
fn the_timeline_moves_through_them(b: &mut Browser) -> Result<(), String> {
    // The timeline: back one command, the whiteout is gone from the pane and
    // the copy-up is back; forward again; then from the start, played at 4×.
    b.click(&b.find("#timeline-back")?)?;
    b.wait_until("the timeline to step back", || {
        caption(b)
            .ok()
            .filter(|c| c.contains(" 5/6: docker exec one sh"))
    })?;
    wait_item(b, "Copy-up")?;
    b.click(&b.find("#timeline-forward")?)?;
    wait_item(b, "Whiteout")?;
    b.click(&b.find("#timeline-start")?)?;
    b.wait_until("the start", || {
        caption(b).ok().filter(|c| c.contains(" 0/6"))
    })?;
    if !b.find_all(".stage .container")?.is_empty() {
        return Err("containers are still on the stage at the start".into());
    }
    let speed = b.find("#speed")?;
    b.click(&speed)?;
    b.click(&b.find("#speed option[value='400']")?)?;
    b.click(&b.find("#timeline-play")?)?;
    b.wait_until("playing to reach the end", || {
        caption(b).ok().filter(|c| c.contains(" 6/6"))
    })?;
    if b.find_all(".stage .container")?.len() != 2 {
        return Err("playing did not bring both containers back".into());
    }
    // The slider by keyboard: Home goes to the start, → one command on.
    b.execute("document.getElementById('timeline').focus();", vec![])?;
    b.keys("\u{E011}")?;
    b.wait_until("the slider at the start", || {
        caption(b).ok().filter(|c| c.contains(" 0/6"))
    })?;
    b.keys("\u{E014}")?;
    b.wait_until("the slider one on", || {
        caption(b)
            .ok()
            .filter(|c| c.contains(" 1/6: docker pull nginx"))
    })?;
    b.set_viewport(768, 1024)?;
    b.execute(
        "document.querySelector('.activity-pane').scrollIntoView();",
        vec![],
    )?;
    b.screenshot(&artifacts_dir().join("activity-768x1024.png"))?;
    Ok(())
}
