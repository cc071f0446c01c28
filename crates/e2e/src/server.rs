//! A static file server for the release build, on loopback, under a prefix.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// A bare page, served at `/__floor.html`: the machine's floor for page-load timings.
const FLOOR_PAGE: &str =
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>floor</title></head>\
<body><h1 id=\"ready\">floor</h1></body></html>";

pub struct Server {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(root: PathBuf, prefix: &str) -> Result<Self, String> {
        Self::start_with(root, prefix, None)
    }

    /// Also serves `extra`'s files under [`EXTRA_PREFIX`] (the bench's bare yew page).
    pub fn start_with(root: PathBuf, prefix: &str, extra: Option<PathBuf>) -> Result<Self, String> {
        let listener = TcpListener::bind("127.0.0.1:0")
            .map_err(|e| format!("cannot listen on loopback: {e}"))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let prefix = prefix.to_owned();
        let (stop2, requests2) = (stop.clone(), requests.clone());
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let (root, prefix, log) = (root.clone(), prefix.clone(), requests2.clone());
                    let extra = extra.clone();
                    std::thread::spawn(move || {
                        serve(stream, &root, &prefix, extra.as_deref(), &log)
                    });
                }
            }
        });
        Ok(Self {
            port,
            stop,
            thread: Some(thread),
            requests,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Every path requested so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("layerlab" | "txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Where [`Server::start_with`]'s extra files are served.
pub const EXTRA_PREFIX: &str = "/__yew/";

/// Answers the requests of one connection, kept alive as static hosts do
/// (pages with more files would otherwise pay for more connections).
fn serve(
    stream: TcpStream,
    root: &Path,
    prefix: &str,
    extra: Option<&Path>,
    log: &Mutex<Vec<String>>,
) {
    let _ = stream.set_nodelay(true);
    // An idle connection is closed after a while, and its thread ends.
    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(5)));
    let mut reader = BufReader::new(&stream);
    loop {
        let mut request_line = String::new();
        match reader.read_line(&mut request_line) {
            Ok(n) if n > 0 => {}
            _ => return,
        }
        // Drain the headers.
        let mut line = String::new();
        while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
            line.clear();
        }
        let target = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .to_owned();
        let path = target.split(['?', '#']).next().unwrap_or("/").to_owned();
        if let Ok(mut l) = log.lock() {
            l.push(path.clone());
        }
        let (status, kind, body) = respond(&path, root, prefix, extra);
        let mut out = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n",
            body.len()
        )
        .into_bytes();
        out.extend_from_slice(&body);
        if (&stream).write_all(&out).is_err() {
            return;
        }
    }
}

fn respond(
    path: &str,
    root: &Path,
    prefix: &str,
    extra: Option<&Path>,
) -> (&'static str, &'static str, Vec<u8>) {
    if path == "/__floor.html" {
        return (
            "200 OK",
            "text/html; charset=utf-8",
            FLOOR_PAGE.as_bytes().to_vec(),
        );
    }
    let found = match extra {
        Some(dir) if path.starts_with(EXTRA_PREFIX) => resolve(dir, EXTRA_PREFIX, path),
        _ => resolve(root, prefix, path),
    };
    match found.map(|file| (std::fs::read(&file), file)) {
        Some((Ok(bytes), file)) => ("200 OK", content_type(&file), bytes),
        _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
    }
}

/// Maps a request path under `prefix` to a file in `root`, refusing anything that escapes it.
fn resolve(root: &Path, prefix: &str, path: &str) -> Option<PathBuf> {
    let rel = path
        .strip_prefix(prefix)
        .or_else(|| (path == prefix.trim_end_matches('/')).then_some(""))?;
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_owned()
    };
    let rel = Path::new(&rel);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let file = root.join(rel);
    file.is_file().then_some(file)
}
