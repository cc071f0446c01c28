//! `cargo xtask dist`: the release build, its Content-Security-Policy and its size report.

use crate::files::{copy_dir, files_under, write};
use crate::run::{self, cmd, root};
use crate::tools::{Plan, Tool};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::path::Path;

/// The first-load budget: wasm + JS + CSS + HTML, gzipped, without the rest of
/// the code (`split_first_load`), which is fetched after the first draw.
/// It was 350 KB, then grew to 434 KB while a returning learner's replay ran
/// before the first paint (most of the engine, see ARCHITECTURE.md, "What the
/// first load holds"). The first paint now replays nothing (saved work and
/// links open once the rest is here), which took the first load from 431.8 KB
/// to 284.8 KB; the tab bar took it to 287.6 KB, and reading zstd layers
/// (ruzstd's tables and texts) to 290.4 KB. Moving the read-only data only
/// the rest's code reaches into the rest with it (`split_data.rs`) took it to
/// 237.5 KB; the stage tab's note and the legend's grouping, to 238.6 KB.
pub const BUDGET_BYTES: u64 = 250_000;

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
    // wasm-bindgen leaves JS snippets in a directory every release build
    // shares, and Trunk copies and preloads all it finds there: without this,
    // the bare yew page would load the app's loader too.
    let _ = std::fs::remove_dir_all(root().join("target/wasm-bindgen/release/snippets"));
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
    plan.require(Tool::Esbuild);
    // The split's profiling run loads the app in Chromium.
    plan.require(Tool::Chromium);
    plan.ensure()?;

    let dist = root().join("dist");
    trunk_build(&dist, None)?;
    split_first_load(&dist)?;
    crate::bundle::inline_scripts(&dist)?;
    add_content_security_policy(&dist.join("index.html"))?;

    let report = measure(&dist)?;
    print_report(&report);
    let total = report.first_load_gzipped();
    if total > BUDGET_BYTES {
        return Err(format!(
            "the first load is {} gzipped, over its budget of {} by {}",
            kb(total),
            kb(BUDGET_BYTES),
            kb(total - BUDGET_BYTES)
        ));
    }
    Ok(report)
}

/// The rest the profiled page names; `split-profile` holds its fetch.
const HELD_REST: &str = "held_rest.wasm";

/// Where Trunk leaves the app's wasm as wasm-bindgen wrote it, before wasm-opt.
const LINKED_WASM: &str = "target/wasm-bindgen/release/layerlab-web_bg.wasm";

/// How the second wasm file's name ends: `<app>_bg.wasm` → `<app>_rest.wasm`.
const REST_SUFFIX: &str = "_rest.wasm";

/// Splits the app's wasm into the first load's code and the rest
/// (`split.rs`): instruments a copy, loads it in Chromium the way a first
/// visit does (`crates/e2e/src/bin/split-profile.rs`), then moves every
/// function that did not run into `<app>_rest.wasm`, which the page fetches
/// once it is on screen (`static/split.js`, named by a `<meta>` in index.html).
fn split_first_load(dist: &Path) -> Result<(), String> {
    let wasm_name = std::fs::read_dir(dist)
        .map_err(|e| format!("cannot list {}: {e}", dist.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with("_bg.wasm") && !crate::bundle::not_the_pages_own(n))
        .ok_or("trunk wrote no _bg.wasm file")?;
    let wasm_path = dist.join(&wasm_name);
    let bytes = std::fs::read(&wasm_path)
        .map_err(|e| format!("cannot read {}: {e}", wasm_path.display()))?;

    println!(
        "\n  Profiling which functions a first load runs (an instrumented build in Chromium)…"
    );
    let profile = root().join("target/split-profile");
    let _ = std::fs::remove_dir_all(&profile);
    copy_dir(dist, &profile)?;
    let instrumented = crate::split::instrument(&bytes)?;
    write(&profile.join(&wasm_name), &instrumented)?;
    // The profiled page names a rest that never arrives (the profiler holds
    // its fetch), so that it runs as the split build's page does before the
    // rest is here: what waits for the rest does not run while profiled.
    update_wasm_preload(&profile.join("index.html"), &wasm_name, Some(HELD_REST))?;
    let listed = run::output(
        cmd("cargo")
            .env("PATH", crate::tools::path_with_tools())
            .args(["run", "-p", "layerlab-e2e", "--bin", "split-profile", "--"])
            .arg(&profile)
            // Compiling the profiler, and any error, shows as it happens.
            .stderr(std::process::Stdio::inherit()),
    )
    .ok_or("the profiling run failed (its error is above)")?;
    let ran: std::collections::BTreeSet<usize> = listed
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect();
    if ran.is_empty() {
        return Err("the profiling run saw no function run".into());
    }

    // The module as linked, before wasm-opt: its data segments are the
    // program's static objects, which wasm-opt may have cut into pieces.
    let linked_path = root().join(LINKED_WASM);
    let linked = std::fs::read(&linked_path)
        .map_err(|e| format!("cannot read {}: {e}", linked_path.display()))?;
    let split = crate::split::split(&bytes, &linked, &ran)?;
    let rest_name = wasm_name.replace("_bg.wasm", REST_SUFFIX);
    write(&wasm_path, &split.first)?;
    write(&dist.join(&rest_name), &split.rest)?;
    update_wasm_preload(&dist.join("index.html"), &wasm_name, Some(&rest_name))?;
    println!(
        "  Split: {} functions in the first load ({}), {} in {rest_name} ({}).",
        split.kept,
        kb(split.first.len() as u64),
        split.moved,
        kb(split.rest.len() as u64)
    );
    Ok(())
}

/// Gives the preload link of `wasm_name` a high fetch priority, and names the
/// rest of the code in a `<meta>` for `static/split.js`. (Chromium holds back
/// a preload of normal priority while the stylesheet loads; the wasm is what
/// the page waits for.)
fn update_wasm_preload(index: &Path, wasm_name: &str, rest: Option<&str>) -> Result<(), String> {
    let mut html = std::fs::read_to_string(index)
        .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let tag = preload_tag(&html, wasm_name)?;
    if !html[tag.clone()].contains("fetchpriority") {
        html.insert_str(tag.end - 1, " fetchpriority=\"high\"");
    }
    if let Some(rest) = rest {
        let meta = format!("<meta name=\"layerlab-rest\" content=\"./{rest}\">");
        html = html.replacen("<head>", &format!("<head>\n    {meta}"), 1);
    }
    write(index, html.as_bytes())
}

/// Where the `<link>` that preloads `file` is in `html`, from `<` to `>`.
fn preload_tag(html: &str, file: &str) -> Result<std::ops::Range<usize>, String> {
    let href = format!("href=\"./{file}\"");
    let at = html
        .find(&href)
        .ok_or_else(|| format!("index.html does not preload {file}"))?;
    let start = html[..at]
        .rfind("<link")
        .ok_or_else(|| format!("the preload of {file} is not a <link>"))?;
    let len = html[at..]
        .find('>')
        .ok_or("unclosed <link> in index.html")?;
    Ok(start..at + len + 1)
}

/// Allows only our own origin, plus what `index.html` carries inline (Trunk's
/// module script and the stylesheet, each by its hash) and WebAssembly
/// compilation.
fn add_content_security_policy(index: &Path) -> Result<(), String> {
    let html = std::fs::read_to_string(index)
        .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    if html.contains("Content-Security-Policy") {
        return Ok(());
    }
    let sources = |tag: &str| -> Result<String, String> {
        Ok(inline_hashes(&html, tag)?
            .iter()
            .map(|h| format!(" '{h}'"))
            .collect())
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{}; style-src 'self'{}; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'none'",
        sources("script")?,
        sources("style")?,
    );
    let meta = format!("<meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\">");
    let html = html.replacen("<head>", &format!("<head>\n    {meta}"), 1);
    std::fs::write(index, html).map_err(|e| format!("cannot write {}: {e}", index.display()))
}

/// `sha256-…` of the body of every non-empty `<tag>` element in `html`, as a
/// Content-Security-Policy source names it.
fn inline_hashes(html: &str, tag: &str) -> Result<Vec<String>, String> {
    let (open_tag, close_tag) = (format!("<{tag}"), format!("</{tag}>"));
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find(&open_tag) {
        let after = &rest[open..];
        let body_start = after
            .find('>')
            .map(|i| i + 1)
            .ok_or_else(|| format!("unclosed {open_tag}> tag in index.html"))?;
        let body_end = after
            .find(&close_tag)
            .ok_or_else(|| format!("unclosed {open_tag}> in index.html"))?;
        let body = &after[body_start..body_end];
        if !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "sha256-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &after[body_end + close_tag.len()..];
    }
    Ok(hashes)
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
    let mut found = Vec::new();
    files_under(dist, dist, &mut found)?;
    for (name, path) in found {
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        // The rest of the code is fetched after the first draw; the example
        // pages, the embedding page's helper and the import's worker are not
        // the first load's.
        let first_load = [".wasm", ".js", ".css", ".html"]
            .iter()
            .any(|ext| name.ends_with(ext))
            && !name.ends_with(REST_SUFFIX)
            && !name.starts_with("examples/")
            && !crate::bundle::not_the_pages_own(&name);
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
            "  (not part of the first load)"
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

#[cfg(test)]
mod tests {
    use super::inline_hashes;

    #[test]
    fn inline_elements_are_allowed_by_the_hash_of_their_body() {
        // (page, tag, hashes a Content-Security-Policy must list)
        let cases: [(&str, &str, &[&str]); 4] = [
            (
                "<head><style>p{}</style></head>",
                "style",
                &["sha256-gG2yISYereRMiG2lMXrbiUgi0Ubw9p7QCeWcroOvy9Y="],
            ),
            (
                "<script type=\"module\">go()</script><script src=\"a.js\"></script>",
                "script",
                &["sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw="],
            ),
            ("<style>\n  </style>", "style", &[]),
            ("<link rel=\"stylesheet\" href=\"s.css\">", "style", &[]),
        ];
        for (page, tag, want) in cases {
            assert_eq!(
                inline_hashes(page, tag),
                Ok(want.iter().map(|h| h.to_string()).collect()),
                "{page}"
            );
        }
    }

    #[test]
    fn an_unclosed_inline_element_is_an_error_not_a_guess() {
        let why = inline_hashes("<style>p{}", "style").unwrap_err();
        assert!(why.contains("unclosed <style>"), "{why}");
    }
}
