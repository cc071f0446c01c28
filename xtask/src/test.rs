//! `cargo xtask test`: every stage in order, then one summary line per stage.

use crate::run::{self, cmd};
use crate::tools::{Plan, Tool};
use crate::{dist, run::root};
use std::time::Instant;

struct Stage {
    name: &'static str,
    what: &'static str,
    run: fn() -> Result<(), String>,
}

const STAGES: &[Stage] = &[
    Stage {
        name: "fmt",
        what: "cargo fmt --check",
        run: fmt,
    },
    Stage {
        name: "clippy",
        what: "cargo clippy --workspace --all-targets -- -D warnings",
        run: clippy,
    },
    Stage {
        name: "native",
        what: "cargo test (engine, cli, app logic, xtask)",
        run: native,
    },
    Stage {
        name: "docker26",
        what: "Layerlab against a live Docker 26, re-recorded (root; SKIP elsewhere)",
        run: crate::docker26::live,
    },
    Stage {
        name: "engine-wasm",
        what: "engine builds for wasm32-unknown-unknown",
        run: engine_wasm,
    },
    Stage {
        name: "browser",
        what: "wasm-pack test --headless --chrome",
        run: browser,
    },
    Stage {
        name: "dist",
        what: "release build (cargo xtask dist)",
        run: release,
    },
    Stage {
        name: "e2e",
        what: "end-to-end tests against the release build",
        run: e2e,
    },
];

pub fn run_all() -> Result<(), String> {
    println!("==> Checking tools");
    let mut plan = Plan::default();
    for tool in [
        Tool::WasmTarget,
        Tool::WasmBindgen,
        Tool::WasmPack,
        Tool::Chromium,
        Tool::Trunk,
        Tool::WasmOpt,
        Tool::Esbuild,
        Tool::Axe,
        Tool::Buildah,
    ] {
        plan.require(tool);
    }
    plan.ensure()?;

    let mut results = Vec::new();
    for stage in STAGES {
        println!("\n==> [{}] {}", stage.name, stage.what);
        let start = Instant::now();
        let outcome = (stage.run)();
        if let Err(e) = &outcome {
            eprintln!("    [{}] failed: {e}", stage.name);
        }
        results.push((stage, outcome, start.elapsed()));
    }

    println!("\n==> Summary");
    let mut failed = 0;
    for (stage, outcome, took) in &results {
        match outcome {
            Ok(()) => println!(
                "  PASS  {:<12} {:>7.1}s  {}",
                stage.name,
                took.as_secs_f64(),
                stage.what
            ),
            Err(e) => {
                failed += 1;
                println!(
                    "  FAIL  {:<12} {:>7.1}s  {e}",
                    stage.name,
                    took.as_secs_f64()
                );
            }
        }
    }
    println!("stages: {} passed, {failed} failed", results.len() - failed);
    if failed == 0 {
        Ok(())
    } else {
        Err(format!("{failed} stage(s) failed"))
    }
}

fn fmt() -> Result<(), String> {
    run::status(cmd("cargo").args(["fmt", "--all", "--check"]))
}

fn clippy() -> Result<(), String> {
    run::status(cmd("cargo").args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

fn native() -> Result<(), String> {
    // The e2e crate needs the release build and a browser: it runs in its own stage.
    run::status(cmd("cargo").args(["test", "--workspace", "--exclude", "layerlab-e2e"]))
}

fn engine_wasm() -> Result<(), String> {
    run::status(cmd("cargo").args([
        "build",
        "--package",
        "layerlab-engine",
        "--target",
        "wasm32-unknown-unknown",
    ]))
}

fn browser() -> Result<(), String> {
    // Chromium, started by the test runner without a profile of its own, makes
    // one in the temporary directory and leaves it there (about 50 MB a run):
    // give it a directory under target/ and empty it afterwards.
    let tmp = root().join("target").join("browser-tmp");
    std::fs::create_dir_all(&tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    let result = run::status(
        cmd("wasm-pack")
            .args(["test", "--headless", "--chrome"])
            .env("TMPDIR", &tmp),
    );
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn release() -> Result<(), String> {
    dist::build().map(|_| ())
}

fn e2e() -> Result<(), String> {
    let dist = root().join("dist");
    if !dist.join("index.html").exists() {
        return Err("no release build in dist/ (the dist stage failed)".into());
    }
    run::status(
        cmd("cargo")
            .args([
                "test",
                "--package",
                "layerlab-e2e",
                "--",
                "--test-threads=1",
            ])
            .env("LAYERLAB_DIST", &dist),
    )
}
