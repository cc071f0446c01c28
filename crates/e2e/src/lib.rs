//! End-to-end harness: serves the release build (`dist/`) on loopback under a
//! sub-path, starts `chromedriver`, and drives headless Chromium over the
//! WebDriver protocol with real clicks and keystrokes.
//!
//! # Layout
//! - `server`: a static file server on 127.0.0.1, under a prefix, as GitHub Pages would.
//! - `webdriver`: a small WebDriver client (sessions, elements, scripts, screenshots, logs).
//! - [`Harness`]: the two together, with screenshots saved when a test fails.

pub mod server;
pub mod webdriver;

use std::path::PathBuf;

pub use server::{Server, EXTRA_PREFIX};
pub use webdriver::{Browser, Element};

/// The sub-path the app is served under: the build must not assume `/`.
pub const PREFIX: &str = "/layerlab/demo/";

/// Where screenshots and other test artefacts go.
pub fn artifacts_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/e2e-artifacts");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// The release build to test, from `LAYERLAB_DIST` (set by `cargo xtask test`).
pub fn dist_dir() -> Result<PathBuf, String> {
    let dir = std::env::var_os("LAYERLAB_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist"));
    if dir.join("index.html").is_file() {
        Ok(dir)
    } else {
        Err(format!(
            "no release build at {} (run `cargo xtask dist` first, or `cargo xtask test`)",
            dir.display()
        ))
    }
}

/// The tutorial's scenario (`crates/cli/scenarios/tutorial.txt`), one command each.
pub fn tutorial_commands() -> Vec<String> {
    layerlab_engine::command::scenario_commands(include_str!("../../cli/scenarios/tutorial.txt"))
}

/// Stores an autosave that holds `commands` in `lang`: the next load of the app
/// replays them.
pub fn store_autosave(b: &Browser, commands: &[String], lang: &str) -> Result<(), String> {
    let saved = serde_json::json!({
        "version": 1,
        "lang": lang,
        "dockerfile": "FROM ubuntu:15.04\nCOPY . /app\nRUN make /app\nCMD python /app/app.py\n",
        "commands": commands,
    });
    b.execute(
        "localStorage.setItem('layerlab.autosave', arguments[0]);",
        vec![saved.to_string().into()],
    )
    .map(|_| ())
}

/// The terminal's transcript as the page renders it (`innerText`), with the
/// lines scrolled out of view. WebDriver's element text leaves out what lies
/// above a scroll box that starts at its bottom, as the terminal's screen does.
pub fn terminal_text(b: &Browser) -> Result<String, String> {
    let text = b.execute(
        "return document.querySelector('.screen')?.innerText ?? null;",
        vec![],
    )?;
    text.as_str()
        .map(str::to_owned)
        .ok_or_else(|| "no terminal screen on the page".to_owned())
}

/// Reloads the page and waits until the new one has loaded (the old page is
/// marked first, so the wait cannot end on it).
pub fn reload_page(b: &Browser) -> Result<(), String> {
    b.execute("window.__old = true; location.reload();", vec![])?;
    b.wait_until("the page to load again", || {
        b.execute(
            "return document.readyState === 'complete' && !window.__old;",
            vec![],
        )
        .ok()
        .filter(|v| v.as_bool() == Some(true))
    })
    .map(drop)
}

/// Types a command line into the terminal and presses Enter (on a narrow
/// screen, from the terminal's tab).
pub fn type_command(b: &Browser, line: &str) -> Result<(), String> {
    // A page just opened may not have drawn its terminal yet.
    let input = b.wait_for("#command")?;
    show_tab(b, "terminal")?;
    b.type_into(&input, &format!("{line}\u{E007}"))
}

/// On a narrow screen, taps the tab bar's tab `name` (`stage`, `terminal`,
/// `lesson`, `dockerfile`, `more`) unless it is chosen; a wide screen, which
/// shows every pane and no tab bar, is left as it is.
pub fn show_tab(b: &Browser, name: &str) -> Result<(), String> {
    let css = format!("#tab-{name}");
    let tap = b.execute(
        "const t = document.querySelector(arguments[0]);
         return !!t && t.offsetParent !== null && t.getAttribute('aria-selected') !== 'true';",
        vec![css.clone().into()],
    )?;
    if tap != serde_json::Value::Bool(true) {
        return Ok(());
    }
    let tab = b.find(&css)?;
    b.click(&tab)?;
    b.wait_until(&format!("the {name} tab chosen"), || {
        b.attribute(&tab, "aria-selected")
            .ok()
            .flatten()
            .filter(|s| s == "true")
    })
    .map(drop)
}

/// Types a command line and waits until the timeline says it ran.
pub fn run_command(b: &Browser, line: &str) -> Result<(), String> {
    type_command(b, line)?;
    b.wait_until(&format!("{line} to run"), || {
        b.find(".timeline-caption")
            .and_then(|c| b.text(&c))
            .ok()
            .filter(|c| c.ends_with(line))
    })?;
    Ok(())
}

/// Makes a permalink to the page's state ("Link to this state") and returns it.
pub fn permalink(b: &Browser) -> Result<String, String> {
    b.click(&b.find("#share")?)?;
    let field = b.wait_for(".share-url input")?;
    let link = b.execute("return arguments[0].value;", vec![field.arg()])?;
    link.as_str()
        .filter(|l| l.contains("#v1."))
        .map(str::to_owned)
        .ok_or_else(|| format!("no permalink: {link}"))
}

/// How many entries the lesson list has, the free sandbox (entry 0) included.
pub fn lesson_entries(b: &Browser) -> Result<u64, String> {
    b.execute(
        "return document.getElementById('lesson').options.length;",
        vec![],
    )?
    .as_u64()
    .ok_or_else(|| "no lesson list".to_owned())
}

/// Chooses entry `index` of the lesson list, as picking it does, and waits for its task.
pub fn choose_lesson(b: &Browser, index: u64) -> Result<(), String> {
    b.execute(
        "const s = document.getElementById('lesson');
         s.value = s.options[arguments[0]].value;
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![index.into()],
    )?;
    b.wait_for(".lesson .task").map(|_| ())
}

/// A served release build plus a browser.
pub struct Harness {
    pub server: Server,
    pub browser: Browser,
}

impl Harness {
    /// Serves `dist/` and opens a browser window of the given size.
    pub fn start(width: u32, height: u32) -> Result<Self, String> {
        let server = Server::start(dist_dir()?, PREFIX)?;
        let browser = Browser::start(width, height)?;
        Ok(Self { server, browser })
    }

    /// The app's URL, with an optional query string such as `?lang=zh`.
    pub fn app_url(&self, query: &str) -> String {
        format!("{}{}", self.server.url(PREFIX), query)
    }

    /// Runs one test body; on failure saves a screenshot named after the test,
    /// then fails with the error and where the screenshot is.
    pub fn run(&mut self, test: &str, body: impl FnOnce(&mut Browser) -> Result<(), String>) {
        if let Err(e) = body(&mut self.browser) {
            let shot = artifacts_dir().join(format!("{test}-failure.png"));
            let saved = match self.browser.screenshot(&shot) {
                Ok(()) => format!("screenshot: {}", shot.display()),
                Err(s) => format!("no screenshot ({s})"),
            };
            panic!("{test}: {e}\n  {saved}");
        }
    }
}
