//! The release build, served under a sub-path, in headless Chromium.

use layerlab_e2e::{artifacts_dir, terminal_text, Harness};

const LANGUAGE_SWITCH: &str = "button[data-lang='zh']";

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
        let notice = b.wait_for(".notice")?;
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
        let notice = b.wait_for(".notice")?;
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
            b.wait_until("the stage", || b.find_all(".stage .container").ok().filter(|c| c.len() == 1))?;
            // The inspector open on the container, the activity pane filled.
            b.click(&b.find(".stage .container")?)?;
            b.wait_for(".inspector-pane tbody tr")?;
            b.wait_for(".activity li")?;
            b.click(&b.find("#share")?)?;
            b.wait_for(".share-url input")?;
            b.execute(&axe, vec![])?;
            let result = b.execute_async(
                "const done = arguments[arguments.length - 1];\
                 axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => \
                   ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))));",
                vec![],
            )?;
            let bad: Vec<&serde_json::Value> = result
                .as_array()
                .into_iter()
                .flatten()
                .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
                .collect();
            if !bad.is_empty() {
                return Err(format!("axe found: {}", serde_json::to_string_pretty(&bad).unwrap_or_default()));
            }
            Ok(())
        });
    }
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

#[test]
fn switching_language_in_the_middle_of_lesson_7_keeps_everything() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("lesson7-language", |b| {
        b.goto(&url)?;
        b.wait_for("#lesson")?;
        b.execute("document.getElementById('lesson').focus()", vec![])?;
        b.keys(&"\u{E015}".repeat(7))?;
        b.wait_until("lesson 7", || {
            b.find(".lesson .task")
                .ok()
                .and_then(|e| b.text(&e).ok())
                .filter(|t| t.contains("libcrypto.so.3"))
        })?;
        b.click(&b.find("#lesson-hint")?)?;
        // Predict, then check: the answer comes from the engine.
        let guess = b.find("#quiz-guess")?;
        b.type_into(&guess, "1B")?;
        b.click(&b.find("#quiz-check")?)?;
        let verdict = b.wait_until("the verdict", || {
            b.find(".quiz-verdict").ok().and_then(|e| b.text(&e).ok())
        })?;
        // A wrong guess is said to be wrong, and the answer waits to be asked for.
        if verdict.contains("4.46MB") || !verdict.contains("Not quite") {
            return Err(format!("a wrong guess's verdict: {verdict}"));
        }
        b.click(&b.find("#quiz-reveal")?)?;
        let shown = b.wait_until("the answer", || {
            b.find(".quiz-verdict.shown")
                .ok()
                .and_then(|e| b.text(&e).ok())
        })?;
        if !shown.contains("4.46MB") {
            return Err(format!("the answer shown: {shown}"));
        }
        b.click(&b.find("#lesson-solution")?)?;
        b.wait_for(".goal.reached")?;
        // The solution plays line by line: wait for its last one.
        let before = b.wait_until("the solution's last line", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("$ docker ps -s") && t.contains("(virtual"))
        })?;
        b.click(&b.find("button[data-lang='zh']")?)?;
        let task = b.wait_until("the task in Chinese", || {
            b.find(".lesson .task")
                .ok()
                .and_then(|e| b.text(&e).ok())
                .filter(|t| t.contains("追加"))
        })?;
        let kept = [
            (".hints li", "the hint"),
            (".goal.reached", "the reached goal"),
            (".quiz-verdict", "the quiz verdict"),
        ];
        for (css, what) in kept {
            if b.find(css).is_err() {
                return Err(format!("{what} is gone after switching language ({task})"));
            }
        }
        let after = terminal_text(b)?;
        if after != before {
            return Err("the terminal changed when the language did".into());
        }
        // The stage is drawn again in Chinese, but what the last command did
        // is not played again.
        if b.find("svg.stage.still").is_err() {
            return Err("the stage animates again when only the language changed".into());
        }
        b.screenshot(&artifacts_dir().join("lesson7-zh-1280x720.png"))?;
        // Undo takes the solution's last command back, redo brings it again.
        b.click(&b.find("#undo")?)?;
        b.wait_until("the last command undone", || {
            terminal_text(b)
                .ok()
                .filter(|t| !t.contains("$ docker ps -s"))
        })?;
        b.click(&b.find("#redo")?)?;
        b.wait_until("the command redone", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("$ docker ps -s"))
        })?;
        Ok(())
    });
}

/// The smallest text on screen, in CSS pixels as drawn (SVG text scaled with
/// its drawing), and the element that has it: `[size, "tag.class"]`.
const SMALLEST_TEXT: &str = "let min = 1e9, what = ''; for (const el of document.querySelectorAll('body *')) { \
    if (!el.childNodes.length || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue; \
    const r = el.getBoundingClientRect(); if (!r.width || !r.height) continue; \
    let s = parseFloat(getComputedStyle(el).fontSize); \
    if (el instanceof SVGElement) { s = r.height / (el.getBBox ? Math.max(el.getBBox().height, 1) : 1) * s; } \
    if (s < min) { min = s; what = el.tagName + '.' + (el.getAttribute('class') || ''); } } \
  return [min, what];";

#[test]
fn presenter_mode_steps_through_a_lesson_in_large_type() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("presenter", |b| {
        b.goto(&url)?;
        b.wait_for("#lesson")?;
        b.execute("document.getElementById('lesson').focus()", vec![])?;
        b.keys(&"\u{E015}".repeat(4))?;
        b.wait_until("lesson 4", || {
            b.find(".lesson .task")
                .ok()
                .and_then(|e| b.text(&e).ok())
                .filter(|t| t.contains("web1"))
        })?;
        b.click(&b.find("#presenter")?)?;
        b.wait_for(".app.presenter .caption")?;
        // The caption once it shows `step`, after `why`.
        let caption_at = |step: &str, why: &str| {
            b.wait_until(&format!("step {step} in the caption {why}"), || {
                b.find(".caption")
                    .ok()
                    .and_then(|e| b.text(&e).ok())
                    .filter(|t| t.contains(step))
            })
        };
        // → twice: two steps of the solution run; ← takes one back.
        b.keys("\u{E014}")?;
        b.keys("\u{E014}")?;
        let caption = caption_at("2/3", "after → →")?;
        if !caption.contains("docker run -d --name web2 nginx") {
            return Err(format!("caption: {caption}"));
        }
        b.keys("\u{E012}")?;
        caption_at("1/3", "after ←")?;
        // The timeline moved by hand moves the presenter's place with it.
        // (button, the step it leads to)
        for (button, step) in [
            ("#timeline-forward", "2/3"),
            ("#timeline-start", "0/3"),
            ("#timeline-end", "2/3"),
        ] {
            b.click(&b.find(button)?)?;
            caption_at(step, &format!("after {button}"))?;
        }
        // Nothing visible is set under 20 px.
        let smallest = b.execute(SMALLEST_TEXT, vec![])?;
        let size = smallest[0].as_f64().unwrap_or(0.0);
        if size < 20.0 {
            return Err(format!(
                "text at {size}px in presenter mode: {}",
                smallest[1]
            ));
        }
        // The whole picture is on the projector's screen at once, beside the caption.
        b.execute("window.scrollTo(0, 0)", vec![])?;
        let fits = b.execute(
            "const s = document.querySelector('.stage').getBoundingClientRect(); \
             const c = document.querySelector('.caption').getBoundingClientRect(); \
             return [s.top, s.bottom, s.right, innerHeight, innerWidth, c.right <= s.left];",
            vec![],
        )?;
        let at = |i: usize| fits[i].as_f64().unwrap_or(f64::NAN);
        if !(at(0) >= 0.0 && at(1) <= at(3) && at(2) <= at(4)) || fits[5] != true {
            return Err(format!(
                "the stage is not whole on screen beside the caption: {fits}"
            ));
        }
        // The screenshot once the newest container has risen into place.
        b.wait_until("the stage's animations to end", || {
            b.execute(
                "return document.getAnimations().length === 0 || null;",
                vec![],
            )
            .ok()
            .and_then(|v| v.as_bool())
        })?;
        b.screenshot(&artifacts_dir().join("presenter-1280x720.png"))?;
        Ok(())
    });
}

/// Each lesson, played to its end in presenter mode on a 1280×720 projector:
/// the stage is whole in the screen's height, and its labels are 20 px or more
/// (several images side by side scroll sideways instead of shrinking).
#[test]
fn presenter_mode_keeps_every_lessons_stage_on_screen_and_legible() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let url = h.app_url("?lang=en");
    h.run("presenter_lessons", |b| {
        b.goto(&url)?;
        b.wait_for("#lesson")?;
        let lessons = b
            .execute("return document.querySelectorAll('#lesson option').length - 1;", vec![])?
            .as_u64()
            .unwrap_or(0);
        if lessons < 11 {
            return Err(format!("{lessons} lessons in the list"));
        }
        for lesson in 1..=lessons as usize {
            b.execute("localStorage.clear()", vec![])?;
            b.goto(&url)?;
            b.wait_for("#lesson")?;
            b.execute("document.getElementById('lesson').focus()", vec![])?;
            b.keys(&"\u{E015}".repeat(lesson))?;
            b.click(&b.find("#presenter")?)?;
            b.wait_for(".app.presenter .caption")?;
            // → until the caption says the last step ran: "Step n/n".
            b.wait_until(&format!("lesson {lesson}'s last step"), || {
                let caption = b.find(".caption").ok().and_then(|e| b.text(&e).ok())?;
                let (done, of) = caption.split_once("Step ")?.1.split(':').next()?.split_once('/')?;
                if done == of {
                    return Some(());
                }
                b.keys("\u{E014}").ok()?;
                None
            })?;
            b.execute("window.scrollTo(0, 0)", vec![])?;
            let stage = b.execute(
                "const r = document.querySelector('.stage').getBoundingClientRect(); return [r.top, r.bottom, innerHeight];",
                vec![],
            )?;
            let at = |i: usize| stage[i].as_f64().unwrap_or(f64::NAN);
            if !(at(0) >= 0.0 && at(1) <= at(2)) {
                return Err(format!("lesson {lesson}: the stage runs off the screen: {stage}"));
            }
            let smallest = b.execute(SMALLEST_TEXT, vec![])?;
            if smallest[0].as_f64().unwrap_or(0.0) < 20.0 {
                return Err(format!("lesson {lesson}: text at {}px: {}", smallest[0], smallest[1]));
            }
        }
        Ok(())
    });
}
