//! Embed mode, as a tutorial uses it: the example page's "Run this" buttons
//! drive the right embed and hear back, messages from elsewhere are ignored,
//! the reader's own autosave is never touched, and a small frame shows the
//! stage and the terminal without scrolling.

use layerlab_e2e::webdriver::Browser;
use layerlab_e2e::{artifacts_dir, store_autosave, terminal_text, Harness, PREFIX};
use serde_json::Value;

/// Records every message the page receives from each embed, by frame id.
const LISTEN: &str = "window.__heard = [];
    addEventListener('message', (e) => {
        const frame = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === e.source);
        window.__heard.push({ frame: frame ? frame.id : null, origin: e.origin, data: e.data });
    });";

fn heard(b: &Browser) -> Vec<Value> {
    b.execute("return window.__heard || [];", vec![])
        .ok()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
}

/// The `layerlab:result` for `command` that `frame` posted, once it has.
fn result_from(b: &Browser, frame: &str, command: &str) -> Result<Value, String> {
    b.wait_until(&format!("{frame}'s result for `{command}`"), || {
        heard(b).into_iter().find(|m| {
            m["frame"] == frame
                && m["data"]["type"] == "layerlab:result"
                && m["data"]["command"] == command
        })
    })
    .map(|m| m["data"].clone())
}

/// The terminal's text inside the embed `frame` (by id), read from within it.
fn embed_terminal(b: &Browser, frame: &str) -> Result<String, String> {
    b.enter_frame(&b.find(&format!("#{frame}"))?)?;
    let text = b.wait_for(".screen").and_then(|_| terminal_text(b));
    b.leave_frames()?;
    text
}

fn local_storage(b: &Browser) -> Result<Value, String> {
    b.execute("return Object.assign({}, localStorage);", vec![])
}

#[test]
fn run_this_drives_the_right_embed_and_the_page_hears_back() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let page = h.server.url(&format!("{PREFIX}examples/tutorial.html"));
    let app = h.app_url("");
    h.run("embed_example_page", |b| {
        // The reader's own work in the full app, which no embed may touch.
        b.goto(&app)?;
        b.execute("localStorage.clear();", vec![])?;
        store_autosave(b, &["docker pull busybox".to_owned()], "en")?;
        let own = local_storage(b)?["layerlab.autosave"].clone();
        assert!(own.is_string(), "the autosave is in place: {own}");

        b.goto(&page)?;
        b.execute(LISTEN, vec![])?;
        assert_eq!(b.find_all("iframe.lab")?.len(), 2, "two embeds on the page");
        // The first embed started from its scenario: nginx and one container.
        b.enter_frame(&b.find("#lab-containers")?)?;
        b.wait_for(".stage .container")?;
        b.leave_frames()?;

        let run = b.find("#size .layerlab-run")?;
        b.execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![run.arg()],
        )?;
        b.click(&run)?;
        let r = result_from(b, "lab-containers", "docker ps -s")?;
        assert_eq!(r["status"], 0, "{r}");
        let output = r["output"].to_string();
        assert!(
            output.contains("proxy") && output.contains("(virtual 109MB)"),
            "{output}"
        );
        let said = b.wait_until("the block's result line", || {
            let t = b.text(&b.find("#size .layerlab-output").ok()?).ok()?;
            (!t.is_empty() && !t.contains('…')).then_some(t)
        })?;
        assert!(
            said.starts_with('✓') && said.contains("docker ps -s"),
            "{said}"
        );
        assert!(embed_terminal(b, "lab-containers")?.contains("(virtual 109MB)"));

        blocks_drive_their_own_embed(b)?;
        a_block_run_again_shows_its_failure(b)?;

        let other = embed_terminal(b, "lab-pull")?;
        assert!(
            !other.contains("docker ps -s"),
            "the second embed ran only its own: {other}"
        );
        assert!(!embed_terminal(b, "lab-containers")?.contains("ubuntu:15.04"));
        b.screenshot(&artifacts_dir().join("embed-example-1280x720.png"))?;

        // The full app's autosave is exactly as it was; the embeds kept their own.
        let stored = local_storage(b)?;
        assert_eq!(
            stored["layerlab.autosave"], own,
            "the autosave is untouched"
        );
        let embeds = stored
            .as_object()
            .map(|o| {
                o.keys()
                    .filter(|k| k.starts_with("layerlab.embed."))
                    .count()
            })
            .unwrap_or(0);
        assert_eq!(embeds, 2, "each embed saved under its own key: {stored}");
        // A reload brings each embed's own work back.
        b.goto(&page)?;
        b.execute(LISTEN, vec![])?;
        let after = b.wait_until("the first embed's work back", || {
            embed_terminal(b, "lab-containers")
                .ok()
                .filter(|t| t.contains("docker diff proxy"))
        })?;
        assert!(after.contains("/etc/nginx/nginx.conf"), "{after}");
        Ok(())
    });
}

/// A copy-on-write block's three lines give three results in order, and the
/// second embed's own button drives only it.
fn blocks_drive_their_own_embed(b: &mut Browser) -> Result<(), String> {
    // Copy-on-write through three lines of one block: three results, in order.
    let run = b.find("#copy-on-write .layerlab-run")?;
    b.click(&run)?;
    let cow = result_from(
        b,
        "lab-containers",
        "docker exec proxy sh -c 'echo \"# tuned\" >> /etc/nginx/nginx.conf'",
    )?;
    let kinds = cow["events"].to_string();
    assert!(
        kinds.contains("copy-up") && kinds.contains("nginx.conf"),
        "{kinds}"
    );
    result_from(b, "lab-containers", "docker diff proxy")?;
    b.wait_until("the second docker ps -s", || {
        let n = heard(b)
            .iter()
            .filter(|m| m["data"]["command"] == "docker ps -s")
            .count();
        (n == 2).then_some(())
    })?;

    // The second embed, lower on the page, ran nothing of that; its own button drives it.
    let second = b.find("#pulling .layerlab-run")?;
    b.execute(
        "arguments[0].scrollIntoView({block: 'center'});",
        vec![second.arg()],
    )?;
    b.click(&second)?;
    let pulled = result_from(b, "lab-pull", "docker pull ubuntu:15.04")?;
    assert!(
        pulled["output"].to_string().contains("Pull complete"),
        "{pulled}"
    );
    Ok(())
}

/// A block run again fails on its first line (the name is taken), and its
/// line says so even though the last command succeeds.
fn a_block_run_again_shows_its_failure(b: &mut Browser) -> Result<(), String> {
    let again = b.find("#commit .layerlab-run")?;
    b.execute(
        "arguments[0].scrollIntoView({block: 'center'});",
        vec![again.arg()],
    )?;
    b.click(&again)?;
    b.wait_until("the commit block's first run", || {
        let t = b.text(&b.find("#commit .layerlab-output").ok()?).ok()?;
        (t.starts_with('✓') && t.contains("docker history greeting")).then_some(())
    })?;
    b.click(&again)?;
    let failed = b.wait_until("the commit block's second run to fail", || {
        let t = b.text(&b.find("#commit .layerlab-output").ok()?).ok()?;
        t.starts_with('✗').then_some(t)
    })?;
    assert!(
        failed.contains("125")
            && failed.contains("already in use")
            && failed.contains("--name box"),
        "{failed}"
    );
    Ok(())
}

#[test]
fn a_message_from_another_origin_is_ignored() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let port = h
        .server
        .url("")
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_owned();
    // A parent page on another origin (localhost, not 127.0.0.1) embedding two frames.
    let parent = format!("http://localhost:{port}/__floor.html");
    let embed = h.app_url("index.html?embed=1&lang=en");
    h.run("embed_other_origin", |b| {
        b.goto(&parent)?;
        b.execute(LISTEN, vec![])?;
        b.execute(
            "for (const [id, src] of [['closed', arguments[0]], ['open', arguments[1]]]) {
                 const f = document.createElement('iframe');
                 f.id = id; f.src = src; f.width = 600; f.height = 400;
                 document.body.append(f);
             }",
            vec![
                embed.clone().into(),
                format!("{embed}&origin=http://localhost:{port}").into(),
            ],
        )?;
        // Only the frame that allows this page's origin says it is ready to it.
        b.wait_until("the open frame's ready", || {
            heard(b)
                .iter()
                .any(|m| m["frame"] == "open" && m["data"]["type"] == "layerlab:ready")
                .then_some(())
        })?;
        // What the closed frame says in its console, kept to read back.
        b.enter_frame(&b.find("#closed")?)?;
        b.wait_for(".terminal-pane .command input")?;
        b.execute(
            "window.__warned = []; const warn = console.warn.bind(console);
             console.warn = (...said) => { window.__warned.push(said.join(' ')); warn(...said); };",
            vec![],
        )?;
        b.leave_frames()?;
        b.execute(
            "for (const id of ['closed', 'open']) {
                 document.getElementById(id).contentWindow.postMessage(
                     { type: 'layerlab:run', id, command: 'docker pull busybox' }, '*');
             }",
            vec![],
        )?;
        let r = result_from(b, "open", "docker pull busybox")?;
        assert_eq!(r["id"], "open");
        // The frame that does not allow this origin says why in the console, and ran nothing.
        b.enter_frame(&b.find("#closed")?)?;
        let warned = b.wait_until("the console's note of the ignored message", || {
            let said = b.execute("return window.__warned;", vec![]).ok()?;
            said.as_array()?
                .iter()
                .filter_map(|l| l.as_str())
                .find(|l| l.contains("Layerlab ignored a message"))
                .map(str::to_owned)
        });
        b.leave_frames()?;
        let warned = warned?;
        assert!(
            warned.contains(&format!("http://localhost:{port}")),
            "{warned}"
        );
        assert!(
            !heard(b).iter().any(|m| m["frame"] == "closed"),
            "{:?}",
            heard(b)
        );
        let closed = embed_terminal(b, "closed")?;
        assert!(
            !closed.contains("busybox"),
            "the message was ignored: {closed}"
        );
        Ok(())
    });
}

#[test]
fn a_small_embed_shows_the_stage_and_the_terminal_without_scrolling() {
    let mut h = Harness::start(360, 480).expect("harness");
    let url = h.app_url("index.html?embed=1&lang=en&scenario=examples/containers.layerlab");
    h.run("embed_360x480", |b| {
        b.goto(&url)?;
        b.execute("localStorage.clear();", vec![])?;
        b.goto(&url)?;
        b.wait_for(".stage .container")?;
        let fits = b.execute(
            "const inside = (el) => { const r = el.getBoundingClientRect();
                 return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth; };
             return {
                 scrolls: document.scrollingElement.scrollHeight > innerHeight,
                 stage: inside(document.querySelector('.stage-scroll')),
                 stageHeight: document.querySelector('.stage').getBoundingClientRect().height,
                 screen: inside(document.querySelector('.screen')),
                 input: inside(document.querySelector('.terminal-pane .command input')),
                 open: inside(document.getElementById('open-full')),
             };",
            vec![],
        )?;
        for part in ["stage", "screen", "input", "open"] {
            assert_eq!(fits[part], true, "{part} is inside the frame: {fits}");
        }
        assert_eq!(fits["scrolls"], false, "nothing scrolls: {fits}");
        assert!(fits["stageHeight"].as_f64().unwrap_or(0.0) > 120.0, "{fits}");
        // A layer opens in place from the keyboard, and Escape closes it.
        let slab = b.find(".stage g[data-layer][role='button']")?;
        b.execute("arguments[0].focus();", vec![slab.arg()])?;
        b.keys("\u{E007}")?;
        b.wait_for(".stage .layer-files")?;
        b.keys("\u{E00C}")?;
        b.wait_until("the open layer to close", || {
            b.find_all(".stage .layer-files").ok().filter(|v| v.is_empty())
        })?;
        // The reader can type into it, and the link carries the state to the full app.
        let input = b.find(".terminal-pane .command input")?;
        b.type_into(&input, "docker ps -s\u{E007}")?;
        b.wait_until("docker ps -s's output", || {
            terminal_text(b).ok().filter(|t| t.contains("(virtual 109MB)"))
        })?;
        // Reaching the link (Tab, a pointer) writes the state into its address.
        let link = b.find("#open-full")?;
        b.execute("arguments[0].focus();", vec![link.arg()])?;
        let href = b.attribute(&link, "href")?.unwrap_or_default();
        assert!(href.contains(&format!("{PREFIX}#v1.")), "{href}");
        b.screenshot(&artifacts_dir().join("embed-360x480.png"))?;
        let full = b.execute("return document.getElementById('open-full').href;", vec![])?;
        b.goto(full.as_str().unwrap_or_default())?;
        b.wait_until("the full app with the embed's state", || {
            terminal_text(b).ok().filter(|t| t.contains("docker ps -s"))
        })?;
        assert!(b.find(".top-bar").is_ok(), "the full app opened");
        Ok(())
    });
}

#[test]
fn the_example_page_at_a_phones_size() {
    let mut h = Harness::start(390, 844).expect("harness");
    let page = h.server.url(&format!("{PREFIX}examples/tutorial.zh.html"));
    h.run("embed_example_390x844", |b| {
        b.goto(&page)?;
        b.enter_frame(&b.find("#lab-containers")?)?;
        b.wait_for(".stage .container")?;
        b.leave_frames()?;
        let run = b.find("#size .layerlab-run")?;
        assert_eq!(b.text(&run)?, "▶ 运行");
        b.execute(
            "arguments[0].scrollIntoView({block: 'end'});",
            vec![run.arg()],
        )?;
        b.click(&run)?;
        b.wait_until("the result line", || {
            let t = b.text(&b.find("#size .layerlab-output").ok()?).ok()?;
            t.starts_with('✓').then_some(t)
        })?;
        // The embed stays at the top of the screen while its part scrolls under it.
        let top = b.execute(
            "return document.getElementById('lab-containers').getBoundingClientRect().top;",
            vec![],
        )?;
        assert!(
            top.as_f64().is_some_and(|t| t.abs() < 2.0),
            "the embed is in view: {top}"
        );
        b.screenshot(&artifacts_dir().join("embed-example-390x844.png"))?;
        Ok(())
    });
}

#[test]
fn copy_embed_code_gives_an_iframe_of_this_state_and_the_editor_builds_in_it() {
    let mut h = Harness::start(1280, 720).expect("harness");
    let app = h.app_url("");
    h.run("embed_copy_code", |b| {
        b.goto(&app)?;
        b.execute("localStorage.clear();", vec![])?;
        b.goto(&app)?;
        layerlab_e2e::run_command(b, "docker run -d --name web nginx")?;
        b.click(&b.find("#copy-embed")?)?;
        let field = b.wait_for("#embed-code")?;
        b.screenshot(&artifacts_dir().join("embed-code-1280x720.png"))?;
        let code = b.execute("return arguments[0].value;", vec![field.arg()])?;
        assert_eq!(
            b.execute("return arguments[0].tagName;", vec![field.arg()])?,
            "TEXTAREA"
        );
        let code = code.as_str().unwrap_or_default().to_owned();
        assert!(
            code.starts_with("<iframe ") && code.ends_with("</iframe>"),
            "{code}"
        );
        assert!(
            code.contains(&format!("{PREFIX}index.html?embed=1&amp;lang=en#v1.")),
            "{code}"
        );
        assert!(code.contains("id=\"layerlab\""), "{code}");
        // The snippet's address, with the editor, shows that state in an embed.
        let src = code
            .split("src=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .ok_or("no src in the snippet")?
            .replace("&amp;", "&")
            .replace("?embed=1", "?embed=1&editor=1");
        b.goto(&src)?;
        b.wait_until("the container from the snippet's state", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("docker run -d --name web nginx"))
        })?;
        b.wait_for(".stage .container")?;
        // The editor is there, and Build builds in the embed.
        let build = b.wait_for(".embed #build")?;
        b.click(&build)?;
        b.wait_until("the build's output", || {
            terminal_text(b)
                .ok()
                .filter(|t| t.contains("naming to docker.io/library/app"))
        })?;
        // Its work is its own: the full app's autosave still ends with the run.
        let autosave = b.execute("return localStorage.getItem('layerlab.autosave');", vec![])?;
        let autosave = autosave.as_str().unwrap_or_default();
        assert!(
            autosave.contains("docker run -d --name web nginx"),
            "{autosave}"
        );
        assert!(!autosave.contains("docker build"), "{autosave}");
        Ok(())
    });
}
