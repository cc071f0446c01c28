//! The inspector, with real clicks: a container's files and where each comes
//! from, editing one (copy-up), deleting one (whiteout), a layer's own diff and
//! digests, and a commit.

use layerlab_e2e::{artifacts_dir, run_command as run, terminal_text, Browser, Harness};

/// Clicks the first element matching `css` whose text contains `text`.
fn click_text(b: &Browser, css: &str, text: &str) -> Result<(), String> {
    let found = b.wait_until(&format!("{css} with {text:?}"), || {
        // textContent: WebDriver's text of a scaled SVG drawing can be empty.
        b.find_all(css).ok()?.into_iter().find(|e| {
            b.execute("return arguments[0].textContent;", vec![e.arg()])
                .ok()
                .and_then(|t| t.as_str().map(|t| t.contains(text)))
                .unwrap_or(false)
        })
    })?;
    b.click(&found)
}

/// The row of the inspector's file table whose name is `name`, as text.
fn row(b: &Browser, name: &str) -> Result<Option<String>, String> {
    Ok(b.texts(".inspector-pane tbody tr")?
        .into_iter()
        .find(|t| t.split_whitespace().next() == Some(name)))
}

/// Clicks the action `word` in the row of file `name`.
fn row_action(b: &Browser, name: &str, word: &str) -> Result<(), String> {
    let clicked = b.execute(
        "const row = [...document.querySelectorAll('.inspector-pane tbody tr')].find(r => r.cells[0].textContent === arguments[0]);
         const button = row && [...row.querySelectorAll('.action')].find(a => a.textContent === arguments[1]);
         if (button) { button.click(); return true; } return false;",
        vec![name.into(), word.into()],
    )?;
    if clicked != true {
        return Err(format!("no {word} button for {name}"));
    }
    Ok(())
}

fn size_of(b: &Browser, name: &str) -> Result<String, String> {
    let v = b.execute(
        "return [...document.querySelectorAll('.disk-pane tbody tr')].map(r => [...r.cells].map(c => c.textContent)).filter(c => c[0] === arguments[0]).map(c => c[2])[0] || '';",
        vec![name.into()],
    )?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

#[test]
fn the_inspector_edits_a_file_with_a_copy_up_deletes_with_a_whiteout_and_shows_a_layers_diff() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("inspector", |b| {
        b.goto(&url)?;
        b.wait_for("#command")?;
        b.click(&b.find("#build")?)?;
        b.wait_until("the build", || terminal_text(b).ok().filter(|s| s.contains("naming to docker.io/library/app done")))?;
        run(b, "docker run -d --name one app sleep 1d")?;
        run(b, "docker run -d --name two app sleep 1d")?;
        let (one_before, two_before) = (size_of(b, "one")?, size_of(b, "two")?);

        // A container's files: /app comes from the COPY layer.
        click_text(b, ".stage .container", "one")?;
        click_text(b, ".inspector-pane button.link", "app/")?;
        let app_py = b.wait_until("app.py in the inspector", || row(b, "app.py").ok().flatten())?;
        if !app_py.contains("COPY . /app") {
            return Err(format!("app.py should come from the COPY layer: {app_py}"));
        }
        // Edit and save: the command is typed, the file is copied up.
        row_action(b, "app.py", "Edit")?;
        let area = b.wait_for("#file-text")?;
        b.type_into(&area, "print('changed')\n")?;
        b.click(&b.find("#file-save")?)?;
        b.wait_until("the save command in the terminal", || {
            terminal_text(b).ok().filter(|s| s.contains("$ docker exec -i one sh -c 'cat > /app/app.py' <<'EOF'"))
        })?;
        b.wait_until("app.py in the writable layer", || {
            row(b, "app.py").ok().flatten().filter(|r| r.contains("writable layer"))
        })?;
        b.wait_until("the copy-up in What happened", || {
            b.texts(".activity li").ok()?.into_iter().find(|t| t.contains("Copy-up") && t.contains("/app/app.py"))
        })?;
        let (one_after, two_after) = (size_of(b, "one")?, size_of(b, "two")?);
        if one_after == one_before || two_after != two_before {
            return Err(format!("SIZE one {one_before} → {one_after}, two {two_before} → {two_after}"));
        }

        // Delete a lower file: a whiteout, and the file is listed as deleted
        // (hidden by the whiteout), not silently left out.
        row_action(b, "Makefile", "Delete")?;
        b.wait_until("the whiteout", || {
            b.texts(".activity li").ok()?.into_iter().find(|t| t.contains("Whiteout") && t.contains("/app/Makefile"))
        })?;
        let deleted = b.execute(
            "return [...document.querySelectorAll('.inspector-pane tbody tr.deleted')].map(r => r.textContent).join('\\n');",
            vec![],
        )?;
        let deleted = deleted.as_str().unwrap_or_default().to_owned();
        if !deleted.lines().any(|r| r.starts_with("Makefile") && r.contains("whiteout")) {
            return Err(format!("the deleted Makefile is not marked as a whiteout: {deleted:?}"));
        }
        b.execute("document.querySelector('.inspector-pane').scrollIntoView();", vec![])?;
        b.screenshot(&artifacts_dir().join("inspector-container-1280x720.png"))?;

        // A layer: its own diff and digests, by keyboard.
        b.execute(
            "[...document.querySelectorAll('.stage .slab')].find(g => g.textContent.includes('COPY . /app')).focus();",
            vec![],
        )?;
        b.keys("\u{E007}")?;
        let digests = b.wait_until("the layer's digests", || {
            b.find(".inspector-pane .digests").and_then(|d| b.text(&d)).ok()
        })?;
        if !digests.contains("sha256:") || !digests.contains("app:latest") {
            return Err(format!("digests: {digests}"));
        }
        let diff = b.text(&b.find(".inspector-pane table")?)?;
        if !diff.contains("/app/app.py") || !diff.contains("added") {
            return Err(format!("the COPY layer's diff: {diff}"));
        }
        b.screenshot(&artifacts_dir().join("inspector-layer-1280x720.png"))?;

        // The storage table links each directory to its layer.
        b.click(&b.find("#inspector-close")?)?;
        b.click(&b.find(".storage-pane tbody tr .link")?)?;
        let digests = b.wait_until("a layer opened from the storage table", || {
            b.find(".inspector-pane .digests").and_then(|d| b.text(&d)).ok()
        })?;
        let first_dir = b.text(&b.find(".storage-pane tbody tr .path")?)?;
        let cache = first_dir.split('/').nth(5).unwrap_or_default().to_owned();
        if cache.len() != 64 || !digests.contains(&cache) {
            return Err(format!("the directory {first_dir} is not the cache ID shown: {digests}"));
        }

        // Commit: the writable layer becomes a new image's top layer.
        run(b, "docker commit one app:v2")?;
        b.wait_until("the new image on the stage", || {
            // The image's label on its top slab: "◆ app:v2 · 131MB".
            b.execute(
                "return [...document.querySelectorAll('.stage .image-name')].map(e => e.textContent).find(t => t.includes('app:v2')) || null;",
                vec![],
            )
            .ok()
            .filter(|v| !v.is_null())
        })?;
        Ok(())
    });
}

#[test]
fn the_build_context_is_edited_by_commands_and_a_failing_run_is_pointed_at() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("context", |b| {
        b.goto(&url)?;
        b.wait_for(".context-files")?;
        // Edit app.py: the command is typed and the file changes.
        b.execute(
            "[...document.querySelectorAll('.context-files li')].find(l => l.querySelector('.name').textContent === 'app.py').querySelector('.action').click();",
            vec![],
        )?;
        let area = b.wait_for("#context-text")?;
        b.type_into(&area, "print('edited')\n")?;
        b.click(&b.find("#context-save")?)?;
        b.wait_until("the save in the terminal", || {
            terminal_text(b).ok().filter(|s| s.contains("$ cat > /root/app/app.py <<'EOF'"))
        })?;
        // A new file, and a name outside the project refused.
        let name = b.find("#context-new")?;
        b.type_into(&name, "../escape\u{E007}")?;
        b.wait_until("the refusal", || {
            b.find("#context-problem").and_then(|p| b.text(&p)).ok().filter(|t| t.contains("inside the project"))
        })?;
        b.execute("document.getElementById('context-new').value = '';", vec![])?;
        let name = b.find("#context-new")?;
        b.execute("arguments[0].value = ''; arguments[0].dispatchEvent(new InputEvent('input', { bubbles: true }));", vec![name.arg()])?;
        b.type_into(&name, "notes.txt\u{E007}")?;
        b.wait_until("notes.txt in the context", || {
            b.texts(".context-files .name").ok()?.into_iter().find(|t| t == "notes.txt")
        })?;
        // A RUN that fails: the editor points at its line.
        let editor = b.find("#dockerfile")?;
        b.execute(
            "arguments[0].value = 'FROM busybox\\nCOPY . /app\\nRUN false\\n'; arguments[0].dispatchEvent(new InputEvent('input', { bubbles: true }));",
            vec![editor.arg()],
        )?;
        b.click(&b.find("#build")?)?;
        let mark = b.wait_until("the failed line in the gutter", || {
            b.find(".gutter .mark.error.step").and_then(|m| b.text(&m)).ok()
        })?;
        if !mark.contains('3') {
            return Err(format!("the failed step is marked on {mark:?}, not line 3"));
        }
        let status = b.text(&b.find(".dockerfile-pane .status")?)?;
        if !status.contains("failed at line 3") {
            return Err(format!("status: {status}"));
        }
        b.execute("document.querySelector('.dockerfile-pane').scrollIntoView();", vec![])?;
        b.screenshot(&artifacts_dir().join("context-failed-build-1280x720.png"))?;
        // Pulls drew their bars without breaking the page's policy.
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
}
