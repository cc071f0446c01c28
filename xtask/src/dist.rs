//! `cargo xtask dist`: the release build, its Content-Security-Policy and its size report.

use crate::run::{self, cmd, root};
use crate::tools::{Plan, Tool};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::path::Path;

/// The first-load budget: wasm + JS + CSS + HTML, gzipped.
pub const BUDGET_BYTES: u64 = 350_000;

/// The ceiling the release build may not pass while the budget above is not yet
/// met, so growth never goes unnoticed. It moves only with a recorded reason:
/// 425 KB after the shell and the builder; 455 KB when the activity pane,
/// timeline, inspector, build-context editor and scenario files added about
/// 48 KB, of which sorted-vector maps (`engine::map`) won 23 KB back; 425 KB
/// again once gzip without flate2 (`engine::gzip`) took 33 KB out. Lower it
/// as the size drops; remove it once the first load fits [`BUDGET_BYTES`].
pub const CEILING_BYTES: u64 = 425_000;

pub struct FileSize {
    pub name: String,
    pub raw: u64,
    pub gzipped: u64,
    pub first_load: bool,
}

pub struct Report {
    pub files: Vec<FileSize>,
}

impl Report {
    pub fn first_load_gzipped(&self) -> u64 {
        self.files
            .iter()
            .filter(|f| f.first_load)
            .map(|f| f.gzipped)
            .sum()
    }
}

/// `trunk build --release` of `page` (the app's `index.html` when `None`) into
/// `out`, with relative URLs (`./`), so it works under any sub-path of any
/// static server.
fn trunk_build(out: &Path, page: Option<&Path>) -> Result<(), String> {
    let mut trunk = cmd("trunk");
    trunk
        .env("PATH", crate::tools::path_with_tools())
        .args([
            "build",
            "--release",
            "--offline",
            "--public-url",
            "./",
            "--dist",
        ])
        .arg(out);
    if let Some(page) = page {
        trunk.arg(page);
    }
    run::status(&mut trunk)
}

/// Builds the bare yew page (`crates/floor`) that the bench loads as its floor,
/// with the app's release settings, into `target/floor-dist`.
pub fn build_floor() -> Result<std::path::PathBuf, String> {
    let out = root().join("target/floor-dist");
    trunk_build(&out, Some(&root().join("crates/floor/index.html")))?;
    Ok(out)
}

pub fn build() -> Result<Report, String> {
    let mut plan = Plan::default();
    plan.require(Tool::WasmTarget);
    plan.require(Tool::WasmBindgen);
    plan.require(Tool::Trunk);
    plan.require(Tool::WasmOpt);
    plan.ensure()?;

    let dist = root().join("dist");
    trunk_build(&dist, None)?;
    add_content_security_policy(&dist.join("index.html"))?;

    let report = measure(&dist)?;
    print_report(&report);
    let total = report.first_load_gzipped();
    if total > CEILING_BYTES {
        return Err(format!(
            "first load is {} gzipped, over the ceiling of {} (the budget is {})",
            kb(total),
            kb(CEILING_BYTES),
            kb(BUDGET_BYTES)
        ));
    }
    if total > BUDGET_BYTES {
        println!(
            "  OVER BUDGET: the first load is {} over the {} budget (allowed up to the {} ceiling until it is brought down)",
            kb(total - BUDGET_BYTES),
            kb(BUDGET_BYTES),
            kb(CEILING_BYTES)
        );
    }
    Ok(report)
}

/// Allows only our own origin, plus the one inline module script Trunk writes
/// (by its hash) and WebAssembly compilation.
fn add_content_security_policy(index: &Path) -> Result<(), String> {
    let html = std::fs::read_to_string(index)
        .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    if html.contains("Content-Security-Policy") {
        return Ok(());
    }
    let mut hashes = Vec::new();
    let mut rest = html.as_str();
    while let Some(open) = rest.find("<script") {
        let after = &rest[open..];
        let body_start = after
            .find('>')
            .map(|i| i + 1)
            .ok_or("unclosed <script> tag in index.html")?;
        let body_end = after
            .find("</script>")
            .ok_or("unclosed <script> in index.html")?;
        let body = &after[body_start..body_end];
        if !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &after[body_end + "</script>".len()..];
    }
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'none'",
        hashes.join(" ")
    );
    let meta = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">");
    let html = html.replacen("<head>", &format!("<head>\n    {meta}"), 1);
    std::fs::write(index, html).map_err(|e| format!("cannot write {}: {e}", index.display()))
}

fn gzip_len(bytes: &[u8]) -> u64 {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish()
        .map(|v| v.len() as u64)
        .unwrap_or(bytes.len() as u64)
}

pub fn measure(dist: &Path) -> Result<Report, String> {
    let mut files = Vec::new();
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("cannot list {}: {e}", dist.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let first_load = [".wasm", ".js", ".css", ".html"]
            .iter()
            .any(|ext| name.ends_with(ext));
        files.push(FileSize {
            raw: bytes.len() as u64,
            gzipped: gzip_len(&bytes),
            name,
            first_load,
        });
    }
    files.sort_by_key(|f| std::cmp::Reverse(f.raw));
    Ok(Report { files })
}

pub fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

pub fn print_report(report: &Report) {
    println!("\n  {:<44} {:>11} {:>11}", "dist/ file", "raw", "gzipped");
    for f in &report.files {
        let mark = if f.first_load {
            ""
        } else {
            "  (not loaded at start)"
        };
        println!(
            "  {:<44} {:>11} {:>11}{mark}",
            f.name,
            kb(f.raw),
            kb(f.gzipped)
        );
    }
    println!(
        "  first load (wasm + JS + CSS + HTML, gzipped): {} of {} budget",
        kb(report.first_load_gzipped()),
        kb(BUDGET_BYTES)
    );
}
