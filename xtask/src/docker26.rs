//! The live comparison with real Docker 26 (`cargo xtask test`'s `docker26`
//! stage). As root it installs the oracle's Docker 26 stack if missing
//! (`crates/engine/tests/docker26/oracle/setup-docker26.sh`), starts a
//! private containerd + dockerd with their own state directory (so a daemon
//! someone else runs is left alone), re-records every scenario against it and
//! compares Layerlab with that recording, then stops exactly the daemons it
//! started and removes their state. Anywhere else it prints `SKIP: <why>`:
//! the recorded comparison runs in the native stage either way.
//!
//! A daemon that cannot be installed or started is the machine's problem,
//! not Layerlab's: the stage prints `SKIP:` with the reason and the end of
//! the daemon's log rather than fail.

use crate::run::{self, cmd, root};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub const PREFIX: &str = "/opt/docker26";

fn oracle() -> PathBuf {
    root().join("crates/engine/tests/docker26/oracle")
}

pub fn setup(state: &Path) -> Command {
    let mut c = Command::new("bash");
    c.arg(oracle().join("setup-docker26.sh"))
        .env("DK26", state)
        .env("PREFIX", PREFIX);
    c
}

/// The last lines of a log, for a reason a person can act on.
fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n    ")
}

pub fn live() -> Result<(), String> {
    if !crate::tools::is_root() {
        println!("SKIP: the live comparison with Docker 26 needs root (it installs and starts dockerd); the recorded comparison ran in the native stage");
        return Ok(());
    }
    let start = Instant::now();
    if !Path::new(PREFIX).join("usr/sbin/dockerd").exists() {
        println!("  installing the Docker 26 stack into {PREFIX} (once per machine)");
        let state = std::env::temp_dir();
        if let Err(e) = run::status(setup(&state).arg("install")) {
            println!("SKIP: Docker 26 could not be installed: {e}");
            return Ok(());
        }
    }
    let state = std::env::temp_dir().join(format!("layerlab-dk26-{}", std::process::id()));
    let started = run::status(setup(&state).args(["start", "--fresh"]));
    let result = match started {
        Err(e) => {
            println!(
                "SKIP: dockerd 26 did not start ({e}); the end of its log:\n    {}\n    {}",
                tail(&state.join("containerd.log"), 5),
                tail(&state.join("dockerd.log"), 10)
            );
            Ok(())
        }
        Ok(()) => {
            println!(
                "  dockerd 26 up in {:.1}s; recording the scenarios",
                start.elapsed().as_secs_f64()
            );
            let r = run::status(
                cmd("cargo")
                    .args([
                        "test",
                        "-p",
                        "layerlab-engine",
                        "--test",
                        "docker26",
                        "layerlab_agrees_with_docker26",
                        "--",
                        "--nocapture",
                    ])
                    .env("DOCKER26", "live")
                    .env(
                        "DOCKER_HOST",
                        format!("unix://{}/docker.sock", state.display()),
                    )
                    .env("DOCKER_CONFIG", Path::new(PREFIX).join("docker-config")),
            );
            println!(
                "  live comparison took {:.1}s",
                start.elapsed().as_secs_f64()
            );
            r
        }
    };
    // Exactly the processes `start` started (by their pid files), then their state.
    let _ = run::status(setup(&state).arg("stop"));
    let _ = std::fs::remove_dir_all(&state);
    result
}
