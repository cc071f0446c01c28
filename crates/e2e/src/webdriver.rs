//! A small WebDriver (W3C) client for chromedriver: just what the tests use.

use serde_json::{json, Value};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How long `wait_for` polls before giving up.
pub const WAIT: Duration = Duration::from_secs(15);

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    _profile: TempDir,
}

/// A page element, by WebDriver reference.
#[derive(Clone, Debug)]
pub struct Element(String);

impl Element {
    /// This element as an argument for [`Browser::execute`] (`arguments[i]` in the script).
    pub fn arg(&self) -> Value {
        json!({ ELEMENT_KEY: self.0 })
    }
}

struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

fn find_browser() -> Result<String, String> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Some(paths) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&paths) {
                let p = dir.join(name);
                if p.is_file() {
                    return Ok(p.to_string_lossy().into_owned());
                }
            }
        }
    }
    Err("no chromium on PATH (cargo xtask test installs it: apt-get install chromium chromium-driver)".into())
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium profile with a viewport of `width`×`height`.
    pub fn start(width: u32, height: u32) -> Result<Self, String> {
        let binary = find_browser()?;
        let port = free_port()?;
        let profile =
            std::env::temp_dir().join(format!("layerlab-e2e-{}-{port}", std::process::id()));
        // Chromium leaves a scoped directory in the temporary directory at each
        // start: give it one inside the profile, which goes when the browser does.
        let tmp = profile.join("tmp");
        std::fs::create_dir_all(&tmp)
            .map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .env("TMPDIR", &tmp)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start chromedriver: {e}"))?;
        let base = format!("http://127.0.0.1:{port}");
        let mut browser = Self {
            driver,
            base,
            session: String::new(),
            _profile: TempDir(profile.clone()),
        };

        let ready = Instant::now();
        loop {
            if let Ok(v) = browser.request("GET", "/status", None) {
                if v["ready"].as_bool() == Some(true) {
                    break;
                }
            }
            if ready.elapsed() > WAIT {
                return Err("chromedriver did not become ready".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }

        let args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            // Exact figures from performance.memory (the bench reads the JS heap).
            "--enable-precise-memory-info".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-default-apps".to_owned(),
            "--disable-extensions".to_owned(),
            "--no-first-run".to_owned(),
            "--lang=en-US".to_owned(),
            "--force-device-scale-factor=1".to_owned(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": binary, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let v = browser.request("POST", "/session", Some(caps))?;
        browser.session = v["sessionId"]
            .as_str()
            .ok_or("chromedriver returned no session id")?
            .to_owned();
        browser.set_viewport(width, height)?;
        Ok(browser)
    }

    fn request(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let req = ureq::request(method, &url).timeout(Duration::from_secs(60));
        let resp = match body {
            Some(b) => req.send_json(b),
            None => req.call(),
        };
        let value: Value = match resp {
            Ok(r) => r
                .into_json()
                .map_err(|e| format!("{method} {path}: bad JSON: {e}"))?,
            Err(ureq::Error::Status(_, r)) => {
                let v: Value = r.into_json().unwrap_or(Value::Null);
                let msg = v["value"]["message"].as_str().unwrap_or("unknown error");
                return Err(format!("{method} {path}: {msg}"));
            }
            Err(e) => return Err(format!("{method} {path}: {e}")),
        };
        Ok(value["value"].clone())
    }

    fn session_request(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        self.request(method, &format!("/session/{}{path}", self.session), body)
    }

    /// Sets the layout viewport to exactly `width`×`height` CSS pixels.
    pub fn set_viewport(&mut self, width: u32, height: u32) -> Result<(), String> {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false}),
        )
        .map(|_| ())
    }

    /// Sends one Chrome DevTools Protocol command.
    pub fn cdp(&self, cmd: &str, params: Value) -> Result<Value, String> {
        self.session_request(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": cmd, "params": params})),
        )
    }

    /// Makes every page this browser opens from now on hold its `fetch`es of
    /// URLs ending with `suffix` forever: a download that never arrives.
    pub fn hold_fetches_of(&self, suffix: &str) -> Result<Value, String> {
        let source = format!(
            "const f = window.fetch; window.fetch = (u, o) =>
                String(u).endsWith({suffix:?}) ? new Promise(() => {{}}) : f(u, o);"
        );
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": source }),
        )
    }

    pub fn goto(&mut self, url: &str) -> Result<(), String> {
        self.session_request("POST", "/url", Some(json!({ "url": url })))
            .map(|_| ())
    }

    /// Finds, clicks and reads inside the `<iframe>` `frame` from now on.
    pub fn enter_frame(&self, frame: &Element) -> Result<(), String> {
        self.session_request("POST", "/frame", Some(json!({ "id": frame.arg() })))
            .map(|_| ())
    }

    /// Back to the page itself, out of every frame.
    pub fn leave_frames(&self) -> Result<(), String> {
        self.session_request("POST", "/frame", Some(json!({ "id": null })))
            .map(|_| ())
    }

    pub fn find(&self, css: &str) -> Result<Element, String> {
        let v = self
            .session_request(
                "POST",
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .map_err(|e| format!("no element matches `{css}`: {e}"))?;
        v[ELEMENT_KEY]
            .as_str()
            .map(|id| Element(id.to_owned()))
            .ok_or_else(|| format!("no element matches `{css}`"))
    }

    pub fn find_all(&self, css: &str) -> Result<Vec<Element>, String> {
        let v = self.session_request(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        )?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned())))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Polls (never a fixed sleep) until `css` matches, or fails after [`WAIT`].
    pub fn wait_for(&self, css: &str) -> Result<Element, String> {
        self.wait_until(&format!("an element matching `{css}`"), || {
            self.find(css).ok()
        })
    }

    /// Polls `probe` until it returns `Some`, or fails after [`WAIT`] naming `what`.
    pub fn wait_until<T>(
        &self,
        what: &str,
        mut probe: impl FnMut() -> Option<T>,
    ) -> Result<T, String> {
        let start = Instant::now();
        loop {
            if let Some(v) = probe() {
                return Ok(v);
            }
            if start.elapsed() > WAIT {
                return Err(format!(
                    "timed out after {}s waiting for {what}",
                    WAIT.as_secs()
                ));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Milliseconds from navigation to the page's performance entry `name` (a
    /// mark such as `layerlab:ready`, or a paint such as `first-contentful-paint`),
    /// once it exists.
    pub fn wait_for_entry(&self, name: &str) -> Result<f64, String> {
        self.wait_until(&format!("the page's {name}"), || {
            self.execute(
                "const e = performance.getEntriesByName(arguments[0])[0]; return e ? e.startTime : null;",
                vec![name.into()],
            )
            .ok()
            .and_then(|v| v.as_f64())
        })
    }

    pub fn click(&self, e: &Element) -> Result<(), String> {
        self.session_request("POST", &format!("/element/{}/click", e.0), Some(json!({})))
            .map(|_| ())
    }

    /// Types `text` into the element as real keystrokes (WebDriver key codes allowed, e.g. "\u{E007}" for Enter).
    pub fn type_into(&self, e: &Element, text: &str) -> Result<(), String> {
        self.session_request(
            "POST",
            &format!("/element/{}/value", e.0),
            Some(json!({ "text": text })),
        )
        .map(|_| ())
    }

    /// Presses keys on whatever has focus (e.g. "\u{E004}" is Tab, "\u{E007}" Enter).
    pub fn keys(&self, keys: &str) -> Result<(), String> {
        let mut actions = Vec::new();
        for k in keys.chars() {
            actions.push(json!({"type": "keyDown", "value": k.to_string()}));
            actions.push(json!({"type": "keyUp", "value": k.to_string()}));
        }
        self.session_request(
            "POST",
            "/actions",
            Some(json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})),
        )
        .map(|_| ())
    }

    pub fn text(&self, e: &Element) -> Result<String, String> {
        self.session_request("GET", &format!("/element/{}/text", e.0), None)
            .map(|v| v.as_str().unwrap_or_default().to_owned())
    }

    /// The texts of every element matching `css`, in page order (those gone meanwhile left out).
    pub fn texts(&self, css: &str) -> Result<Vec<String>, String> {
        Ok(self
            .find_all(css)?
            .iter()
            .filter_map(|e| self.text(e).ok())
            .collect())
    }

    /// A form field's current value.
    pub fn value(&self, e: &Element) -> Result<String, String> {
        let v = self.execute("return arguments[0].value;", vec![e.arg()])?;
        Ok(v.as_str().unwrap_or_default().to_owned())
    }

    pub fn attribute(&self, e: &Element, name: &str) -> Result<Option<String>, String> {
        self.session_request("GET", &format!("/element/{}/attribute/{name}", e.0), None)
            .map(|v| v.as_str().map(str::to_owned))
    }

    /// Runs `script` (a function body; `arguments` holds `args`) and returns its value.
    pub fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.session_request(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    /// Runs an asynchronous `script`; it finishes by calling `arguments[arguments.length - 1](value)`.
    pub fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value, String> {
        self.session_request(
            "POST",
            "/execute/async",
            Some(json!({"script": script, "args": args})),
        )
    }

    pub fn screenshot(&self, path: &Path) -> Result<(), String> {
        use base64::Engine as _;
        let v = self.session_request("GET", "/screenshot", None)?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap_or_default())
            .map_err(|e| e.to_string())?;
        std::fs::write(path, png).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// The browser console's entries since the last call, as `LEVEL message` lines.
    pub fn console(&self) -> Result<Vec<String>, String> {
        let v = self.session_request("POST", "/se/log", Some(json!({"type": "browser"})))?;
        Ok(v.as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        format!(
                            "{} {}",
                            e["level"].as_str().unwrap_or("?"),
                            e["message"].as_str().unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// The browser's navigation timing for the current page, in milliseconds
    /// from navigation start: (domContentLoaded, loadEventEnd).
    pub fn navigation_timing(&self) -> Result<(f64, f64), String> {
        let v = self.execute(
            "const n = performance.getEntriesByType('navigation')[0];\
             return n ? [n.domContentLoadedEventEnd, n.loadEventEnd] : null;",
            vec![],
        )?;
        match (v[0].as_f64(), v[1].as_f64()) {
            (Some(a), Some(b)) => Ok((a, b)),
            _ => Err("no navigation timing entry".into()),
        }
    }

    /// Starts recording long tasks (over 50 ms) in the page; read them with [`Browser::long_tasks`].
    pub fn observe_long_tasks(&self) -> Result<(), String> {
        self.execute(
            "window.__longTasks = [];\
             new PerformanceObserver(l => { for (const e of l.getEntries()) window.__longTasks.push(e.duration); })\
               .observe({type: 'longtask', buffered: true});",
            vec![],
        )
        .map(|_| ())
    }

    /// Starts recording long tasks that begin from now on: unlike
    /// [`Browser::observe_long_tasks`], none from before (a page's load, its
    /// second wasm module compiling) counts against what follows.
    pub fn observe_long_tasks_from_now(&self) -> Result<(), String> {
        self.execute(
            "window.__longTasks = [];\
             const since = performance.now();\
             new PerformanceObserver(l => { for (const e of l.getEntries()) if (e.startTime >= since) window.__longTasks.push(e.duration); })\
               .observe({type: 'longtask', buffered: true});",
            vec![],
        )
        .map(|_| ())
    }

    /// Durations (ms) of the long tasks seen since [`Browser::observe_long_tasks`].
    pub fn long_tasks(&self) -> Result<Vec<f64>, String> {
        let v = self.execute("return window.__longTasks || [];", vec![])?;
        Ok(v.as_array()
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.request("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
