//! `cargo xtask fuzz [TARGET] [SECONDS]`: runs the engine's fuzz targets
//! (`crates/engine/fuzz`) with cargo-fuzz on the nightly toolchain, each for a
//! time budget. Installs cargo-fuzz when it is missing.

use crate::run::{self, cmd, output};

/// The targets, in the order `cargo xtask fuzz` runs them.
pub const TARGETS: &[&str] = &[
    "dockerfile",
    "shell",
    "tar",
    "command_line",
    "docker_build",
    "image_import",
    "budget",
];

pub fn run(args: &[String]) -> Result<(), String> {
    let (targets, seconds): (Vec<&str>, u64) = match args {
        [] => (TARGETS.to_vec(), 60),
        [t] if t.parse::<u64>().is_ok() => (TARGETS.to_vec(), t.parse().unwrap_or(60)),
        [t] => (vec![t.as_str()], 60),
        [t, s] => (
            vec![t.as_str()],
            s.parse()
                .map_err(|_| format!("'{s}' is not a number of seconds"))?,
        ),
        _ => return Err("usage: cargo xtask fuzz [TARGET] [SECONDS]".into()),
    };
    for t in &targets {
        if !TARGETS.contains(t) {
            return Err(format!(
                "no fuzz target '{t}'; the targets are: {}",
                TARGETS.join(", ")
            ));
        }
    }
    let toolchains = output(cmd("rustup").args(["toolchain", "list"])).unwrap_or_default();
    if !toolchains.lines().any(|l| l.starts_with("nightly")) {
        println!("==> Installing the nightly toolchain (cargo-fuzz needs it)");
        run::status(cmd("rustup").args([
            "toolchain",
            "install",
            "nightly",
            "--profile",
            "minimal",
        ]))?;
    }
    if output(cmd("cargo").args(["fuzz", "--version"])).is_none() {
        println!("==> Installing cargo-fuzz (once per machine, about 2 minutes)");
        run::status(cmd("cargo").args(["install", "--locked", "cargo-fuzz"]))?;
    }
    let dir = run::root().join("crates/engine");
    for t in targets {
        println!("\n==> fuzz {t} for {seconds} s");
        // The work budget's promise: no input takes more than 2 s or 512 MB.
        let (timeout, rss) = if t == "budget" { (2, 512) } else { (20, 3000) };
        run::status(
            cmd("cargo")
                .current_dir(&dir)
                .args(["+nightly", "fuzz", "run", "-O", t, "--"])
                .arg(format!("-max_total_time={seconds}"))
                .arg(format!("-timeout={timeout}"))
                .arg(format!("-rss_limit_mb={rss}")),
        )?;
    }
    Ok(())
}
