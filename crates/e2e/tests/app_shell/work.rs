//! Working in the page: the terminal, the stage, saves, links, the editor and a lesson.

use super::*;

#[test]
fn the_terminal_runs_docker_commands_with_history_and_completion() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("terminal", |b| {
        b.goto(&url)?;
        let input = b.wait_for("#command")?;
        b.type_into(&input, "docker pul\u{E004}ubuntu:15.04\u{E007}")?;
        b.wait_until("the pull to finish", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("Status: Downloaded newer image for ubuntu:15.04"))
        })?;
        let screen = terminal_text(b)?;
        if !screen.contains("$ docker pull ubuntu:15.04")
            || screen.matches("Pull complete").count() != 4
        {
            return Err(format!("unexpected transcript:\n{screen}"));
        }
        b.type_into(
            &input,
            "docker run -d --name box ubuntu:15.04 sleep 1\u{E007}",
        )?;
        b.type_into(&input, "docker ps -a\u{E007}")?;
        b.wait_until("docker ps to list the container", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("CONTAINER ID") && t.contains(" box"))
        })?;
        // ↑ recalls the last command.
        b.type_into(&input, "\u{E013}")?;
        let recalled = b.execute("return arguments[0].value;", vec![input.arg()])?;
        if recalled != "docker ps -a" {
            return Err(format!("↑ recalled {recalled}"));
        }
        b.screenshot(&artifacts_dir().join("terminal-1280x720.png"))?;
        Ok(())
    });
}

#[test]
fn containers_of_one_image_share_its_layers_in_the_disk_figures() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("disk_usage", |b| {
        b.goto(&url)?;
        let input = b.wait_for("#command")?;
        b.type_into(&input, "docker run -d --name web1 nginx\u{E007}")?;
        b.wait_for(".disk-pane [data-figure='total']")?;
        b.type_into(&input, "docker run -d --name web2 nginx\u{E007}")?;
        let figure = |name: &str| {
            b.find(&format!(".disk-pane [data-figure='{name}']"))
                .and_then(|e| b.text(&e))
        };
        b.wait_until("two containers in the table", || {
            b.find_all(".disk-pane tbody tr")
                .ok()
                .filter(|rows| rows.len() == 2)
        })?;
        let (total, naive) = (figure("total")?, figure("naive")?);
        if total != "109MB" || naive != "218MB" {
            return Err(format!(
                "two idle nginx containers use {total} (naive {naive}); expected 109MB and 218MB"
            ));
        }
        b.screenshot(&artifacts_dir().join("disk-usage-1280x720.png"))?;
        Ok(())
    });
}

#[test]
fn the_stage_draws_each_image_once_with_its_containers_on_top() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("stage", |b| {
        b.goto(&url)?;
        let input = b.wait_for("#command")?;
        for line in [
            "docker pull ubuntu:15.04",
            "docker run -d --name web1 nginx",
            "docker run -d --name web2 nginx",
        ] {
            b.type_into(&input, &format!("{line}\u{E007}"))?;
        }
        b.wait_until("two containers on the stage", || {
            b.find_all(".stage .container")
                .ok()
                .filter(|c| c.len() == 2)
        })?;
        let names: Vec<String> = b
            .find_all(".stage .image-name")?
            .iter()
            .filter_map(|e| b.text(e).ok())
            .collect();
        if names.len() != 2 || !names.iter().any(|n| n.contains("nginx:latest")) {
            return Err(format!("expected two image stacks, got {names:?}"));
        }
        let text = b.execute(
            "return document.getElementById('stage-text').textContent;",
            vec![],
        )?;
        let text = text.as_str().unwrap_or_default();
        if !text.contains("nginx:latest (")
            || !text.contains("109MB): 6 read-only layers")
            || !text.contains("web1")
        {
            return Err(format!("the text alternative says {text:?}"));
        }
        b.execute(
            "document.querySelector('.stage-pane').scrollIntoView();",
            vec![],
        )?;
        b.screenshot(&artifacts_dir().join("stage-1280x720.png"))?;
        Ok(())
    });
}

#[test]
fn a_reload_restores_the_work_and_damaged_saves_are_reported_not_lost() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("autosave", |b| {
        b.goto(&url)?;
        let input = b.wait_for("#command")?;
        b.type_into(
            &input,
            "docker run -d --name keepme busybox sleep 100\u{E007}",
        )?;
        b.click(&b.find("button[data-lang='zh']")?)?;
        b.wait_until("the container on the stage", || {
            b.find_all(".stage .container")
                .ok()
                .filter(|c| c.len() == 1)
        })?;

        b.goto(&url)?;
        b.wait_until("the restored container", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("$ docker run -d --name keepme"))
        })?;
        b.wait_until("the restored stage", || {
            b.find_all(".stage .container")
                .ok()
                .filter(|c| c.len() == 1)
        })?;
        let lang = b.execute("return document.documentElement.lang;", vec![])?;
        if lang != "zh-CN" {
            return Err(format!("the language was not restored: {lang}"));
        }

        b.execute(
            "localStorage.setItem('layerlab.autosave', '{\"version\": 1, \"comma');",
            vec![],
        )?;
        b.goto(&url)?;
        // The page says it restores first, then what went wrong.
        let notice = b.wait_for(".notice[role=alert]")?;
        let text = b.text(&notice)?;
        let kept = b.execute(
            "return localStorage.getItem('layerlab.autosave.unreadable');",
            vec![],
        )?;
        if kept.as_str() != Some("{\"version\": 1, \"comma") {
            return Err(format!("the damaged save was not kept: {kept}"));
        }
        b.wait_for("#command")?;
        b.screenshot(&artifacts_dir().join("restore-failed-1280x720.png"))?;
        if !text.contains("layerlab.autosave.unreadable") {
            return Err(format!("the notice does not say where the data is: {text}"));
        }
        Ok(())
    });
}

#[test]
fn on_disk_directories_are_not_named_after_layer_ids_under_any_driver() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("storage_view", |b| {
        b.goto(&url)?;
        let input = b.wait_for("#command")?;
        b.type_into(&input, "docker pull ubuntu:15.04\u{E007}")?;
        let rows = b.wait_until("four layers on disk", || {
            b.find_all(".layers-on-disk tbody tr")
                .ok()
                .filter(|r| r.len() == 4)
        })?;
        for row in &rows {
            let cells: Vec<String> = b
                .execute(
                    "return Array.from(arguments[0].cells).map(c => c.textContent);",
                    vec![row.arg()],
                )?
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let (chain, diff, dir) = (&cells[1], &cells[2], &cells[3]);
            if !dir.starts_with("/var/lib/docker/overlay2/")
                || dir.contains(chain.as_str())
                || dir.contains(diff.as_str())
            {
                return Err(format!("row {cells:?}"));
            }
        }
        b.click(&b.find("input[name='driver'][value='aufs']")?)?;
        b.wait_until("aufs paths", || {
            b.find(".layers-on-disk tbody td.path")
                .ok()
                .and_then(|c| b.text(&c).ok())
                .filter(|t| t.starts_with("/var/lib/docker/aufs/diff/"))
        })?;
        b.execute(
            "document.querySelector('.storage-pane').scrollIntoView();",
            vec![],
        )?;
        b.screenshot(&artifacts_dir().join("storage-aufs-1280x720.png"))?;
        Ok(())
    });
}

#[test]
fn a_permalink_opens_the_same_state_in_a_fresh_browser() {
    let link = {
        let mut h = Harness::start(1280, 720).expect("harness");
        let url = h.app_url("");
        let mut link = String::new();
        h.run("permalink_make", |b| {
            b.goto(&url)?;
            let input = b.wait_for("#command")?;
            b.type_into(
                &input,
                "docker run -d --name linked busybox sleep 5\u{E007}",
            )?;
            b.wait_until("the container", || {
                b.find_all(".stage .container")
                    .ok()
                    .filter(|c| c.len() == 1)
            })?;
            link = layerlab_e2e::permalink(b)?;
            Ok(())
        });
        // Same path on the next server: keep only what follows the origin.
        link.split_once(layerlab_e2e::PREFIX)
            .map(|(_, rest)| rest.to_owned())
            .unwrap_or_default()
    };
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url(&link);
    h.run("permalink_open", |b| {
        b.goto(&url)?;
        b.wait_until("the linked container on the stage", || {
            b.find_all(".stage .container")
                .ok()
                .filter(|c| c.len() == 1)
        })?;
        let screen = terminal_text(b)?;
        if !screen.contains("$ docker run -d --name linked busybox sleep 5") {
            return Err(format!("the transcript was not rebuilt:\n{screen}"));
        }
        let broken = h_url_with(&url, "#v1.AAAA");
        b.goto(&broken)?;
        b.execute("location.reload();", vec![])?;
        // The page says it restores first, then what went wrong.
        let notice = b.wait_for(".notice[role=alert]")?;
        let text = b.text(&notice)?;
        if !text.contains("could not be opened") {
            return Err(format!("notice: {text}"));
        }
        Ok(())
    });
}

fn h_url_with(url: &str, fragment: &str) -> String {
    format!("{}{fragment}", url.split('#').next().unwrap_or(url))
}

#[test]
fn typing_a_mistake_in_the_dockerfile_shows_buildkits_error_with_a_hint() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("diagnostics", |b| {
        b.goto(&url)?;
        let editor = b.wait_for("#dockerfile")?;
        if !b.find_all(".diagnostics li")?.is_empty() {
            return Err("the tutorial's Dockerfile should have no problems".into());
        }
        // Ctrl+End, then a new line with a typo.
        b.type_into(&editor, "\u{E009}\u{E010}\u{E000}RUNN make\u{E007}")?;
        let item = b.wait_for(".diagnostics li.error")?;
        let text = b.text(&item)?;
        if !text.contains("unknown instruction: RUNN (did you mean RUN?)")
            || !text.contains("line 5:1")
        {
            return Err(format!("diagnostic reads {text:?}"));
        }
        let mark = b.text(&b.find(".gutter .mark.error")?)?;
        if mark != "✖ 5" {
            return Err(format!("gutter mark {mark:?}"));
        }
        b.screenshot(&artifacts_dir().join("diagnostics-1280x720.png"))?;
        Ok(())
    });
}

#[test]
fn buttons_type_their_command_into_the_terminal() {
    let mut h = Harness::start(768, 1024).expect("harness");
    let url = h.app_url("");
    h.run("buttons", |b| {
        b.goto(&url)?;
        b.wait_for(".actions .action")?;
        let click = |text: &str| -> Result<(), String> {
            let buttons = b.find_all(".actions .action")?;
            let button = buttons
                .into_iter()
                .find(|e| b.text(e).is_ok_and(|t| t == text))
                .ok_or_else(|| format!("no button {text:?}"))?;
            b.click(&button)
        };
        click("docker run -d --name web1 nginx")?;
        b.wait_until("web1 on the stage", || {
            b.find_all(".stage .container")
                .ok()
                .filter(|c| c.len() == 1)
        })?;
        click("docker ps -s")?;
        let screen = b.wait_until("the ps table", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("$ docker ps -s") && t.contains("(virtual 109MB)"))
        })?;
        if !screen.contains("$ docker run -d --name web1 nginx") {
            return Err(format!(
                "the button's command is not in the transcript:\n{screen}"
            ));
        }
        b.screenshot(&artifacts_dir().join("buttons-768x1024.png"))?;
        Ok(())
    });
}

#[test]
fn the_build_button_saves_the_dockerfile_and_builds_its_layers() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("");
    h.run("build", |b| {
        b.goto(&url)?;
        let editor = b.wait_for("#dockerfile")?;
        // Ctrl+End, then one more instruction.
        b.type_into(
            &editor,
            "\u{E009}\u{E010}\u{E000}RUN echo built > /app/built.txt",
        )?;
        b.click(&b.find("#build")?)?;
        let screen = b.wait_until("BuildKit's output", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("naming to docker.io/library/app done"))
        })?;
        for want in [
            "$ cat > /root/app/Dockerfile <<'EOF'",
            "> RUN echo built > /app/built.txt",
            "$ docker build -t app .",
            "[4/4] RUN echo built > /app/built.txt",
            "make: Nothing to be done for '/app'.",
        ] {
            if !screen.contains(want) {
                return Err(format!("{want:?} is not in the terminal:\n{screen}"));
            }
        }
        b.wait_until("the built image on the stage", || {
            b.find_all(".stage .image-name").ok().filter(|names| {
                names
                    .iter()
                    .any(|n| b.text(n).is_ok_and(|t| t.contains("app:latest")))
            })
        })?;
        b.screenshot(&artifacts_dir().join("build-1280x720.png"))?;
        Ok(())
    });
}

#[test]
fn a_lesson_is_followed_to_its_goal_and_the_sandbox_comes_back() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("lesson", |b| {
        b.goto(&url)?;
        b.wait_for("#terminal-heading")?;
        // Some sandbox work first: it must survive the lesson.
        let input = b.find("#command")?;
        b.type_into(&input, "docker pull busybox\u{E007}")?;
        b.wait_until("the pull", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("Status: Downloaded newer image for busybox:latest"))
        })?;
        // Choose lesson 1 with the keyboard: focus the list, pick the next entry.
        b.execute("document.getElementById('lesson').focus()", vec![])?;
        b.keys("\u{E015}")?;
        b.wait_until("lesson 1's task", || {
            b.find(".lesson .task")
                .ok()
                .and_then(|e| b.text(&e).ok())
                .filter(|t| t.contains("legacy builder"))
        })?;
        let goal = b.text(&b.find(".goal")?)?;
        if goal.contains("Goal reached") {
            return Err(format!("the goal is reached before any command: {goal}"));
        }
        b.click(&b.find("#lesson-hint")?)?;
        b.wait_for(".hints li")?;
        b.click(&b.find("#lesson-solution")?)?;
        let reached = b.wait_until("the goal reached", || {
            b.find(".goal.reached").ok().and_then(|e| b.text(&e).ok())
        })?;
        if !reached.contains("parent chain") {
            return Err(format!("no why after the goal: {reached}"));
        }
        let screen = terminal_text(b)?;
        if !screen.contains("Step 2/4 : COPY . /app") {
            return Err(format!(
                "the solution's legacy build is not in the terminal:\n{screen}"
            ));
        }
        b.screenshot(&artifacts_dir().join("lesson-1280x720.png"))?;
        b.set_viewport(768, 1024)?;
        // A tablet shows one pane at a time: the lesson is a tap away.
        layerlab_e2e::show_tab(b, "lesson")?;
        b.screenshot(&artifacts_dir().join("lesson-768x1024.png"))?;
        // Progress shows, and the sandbox returns with its pull.
        let progress = b.text(&b.find(".progress")?)?;
        if !progress.contains("1/11") {
            return Err(format!("progress not counted: {progress}"));
        }
        b.execute("document.getElementById('lesson').focus()", vec![])?;
        b.keys("\u{E011}")?;
        b.wait_until("the sandbox's terminal", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("docker pull busybox") && !t.contains("Step 2/4"))
        })?;
        Ok(())
    });
}

#[test]
fn the_editor_follows_the_dockerfile_when_the_terminal_changes_it() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("editor-follows", |b| {
        b.goto(&url)?;
        let input = b.wait_for("#command")?;
        for line in [
            "cat > Dockerfile <<'EOF'",
            "FROM busybox",
            "RUN echo from the terminal > /t",
            "EOF",
        ] {
            b.type_into(&input, &format!("{line}\u{E007}"))?;
        }
        let text = b.wait_until("the editor to show the new file", || {
            b.find("#dockerfile")
                .ok()
                .and_then(|e| b.execute("return arguments[0].value", vec![e.arg()]).ok())
                .and_then(|v| v.as_str().map(str::to_owned))
                .filter(|v| v.contains("from the terminal"))
        })?;
        if !text.starts_with("FROM busybox\n") {
            return Err(format!("the editor shows {text:?}"));
        }
        Ok(())
    });
}
