//! `cargo xtask bench`: the engine's criterion benchmarks and the browser's
//! figures, printed as one table. Browser times come with floors measured in
//! the same run (a static page with no wasm, and a bare yew page), never as
//! bare numbers. A real Debian image is read by layerlab and by dive in the
//! same run (`dive.rs`).

use crate::dist;
use crate::run::{cmd, root};
use crate::tools::{Plan, Tool};
use std::process::Stdio;

pub fn run() -> Result<(), String> {
    let mut plan = Plan::default();
    plan.require(Tool::Chromium);
    plan.ensure()?;

    println!("==> Engine benchmarks (criterion)");
    let engine = criterion_rows()?;

    println!("\n==> Release build");
    let report = dist::build()?;

    println!("\n==> The bare yew page (the floor for load times)");
    let floor = dist::build_floor()?;

    println!("\n==> Browser figures (headless Chromium)");
    let browser = browser_rows(&floor)?;

    println!("\n==> A real Debian image: layerlab against dive 0.13.1");
    let dive = crate::dive::rows();

    println!("\n==> Benchmarks");
    println!("  {:<56} {:>26}  note", "benchmark", "figure");
    for (name, figure) in &engine {
        println!("  {:<56} {:>26}  engine", name, figure);
    }
    println!(
        "  {:<56} {:>26}  budget {}",
        "first load, gzipped",
        dist::kb(report.first_load_gzipped()),
        dist::kb(dist::BUDGET_BYTES)
    );
    for (name, figure, note) in browser.iter().chain(&dive) {
        println!("  {:<56} {:>26}  {note}", name, figure);
    }
    Ok(())
}

/// `cargo xtask bench dive`: the dive comparison alone.
pub fn dive_only() -> Result<(), String> {
    let rows = crate::dive::rows();
    println!("\n==> Benchmarks");
    for (name, figure, note) in &rows {
        println!("  {:<56} {:>26}  {note}", name, figure);
    }
    Ok(())
}

/// Runs criterion with its `bencher` output and keeps `name → time per iteration`.
fn criterion_rows() -> Result<Vec<(String, String)>, String> {
    let out = cmd("cargo")
        .args([
            "bench",
            "--package",
            "layerlab-engine",
            "--bench",
            "engine",
            "--",
            "--output-format",
            "bencher",
        ])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not run cargo bench: {e}"))?;
    if !out.status.success() {
        return Err("cargo bench failed".into());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut rows = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("figure\t") {
            if let Some((name, value)) = rest.split_once('\t') {
                rows.push((name.to_owned(), value.to_owned()));
            }
            continue;
        }
        // test <name> ... bench:        1,234 ns/iter (+/- 56)
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, tail)) = rest.split_once(" ... bench:") else {
            continue;
        };
        let ns: String = tail
            .split("ns/iter")
            .next()
            .unwrap_or("")
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let ns: f64 = ns.parse().unwrap_or(f64::NAN);
        let mut figure = per_iter(ns);
        if name.contains("64 MiB") {
            figure.push_str(&format!(" = {:.0} MB/s", (64u64 << 20) as f64 / ns * 1e3));
        }
        rows.push((name.trim().to_owned(), figure));
    }
    Ok(rows)
}

fn per_iter(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Runs the e2e crate's `browser-figures` program, which prints `name<TAB>figure<TAB>note` lines.
fn browser_rows(floor: &std::path::Path) -> Result<Vec<(String, String, String)>, String> {
    let out = cmd("cargo")
        .args([
            "run",
            "--quiet",
            "--release",
            "--package",
            "layerlab-e2e",
            "--bin",
            "browser-figures",
        ])
        .env("LAYERLAB_DIST", root().join("dist"))
        .env("LAYERLAB_FLOOR_DIST", floor)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not run browser-figures: {e}"))?;
    if !out.status.success() {
        return Err("browser-figures failed".into());
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, '\t');
            Some((
                parts.next()?.to_owned(),
                parts.next()?.to_owned(),
                parts.next().unwrap_or("").to_owned(),
            ))
        })
        .collect())
}
