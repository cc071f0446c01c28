//! The live side: recording what a real Docker 26 prints for each scenario.

use super::*;

/// Where the live recording differs from the committed one: printed, for
/// whoever re-records, never a failure (the comparison with Layerlab is).
pub(super) fn drift(dir: &Path) {
    // Both normalised as the comparison normalises them.
    let normalised = |text: &str, scenario: &str| {
        let commands = scenario_commands(scenario);
        parse_recording(text, &commands)
            .map(|blocks| Normaliser::new(exact_ids(scenario)).all(&blocks))
            .ok()
    };
    for (name, scenario) in scenarios() {
        let committed = std::fs::read_to_string(
            suite_dir()
                .join("scenarios")
                .join(format!("{name}.docker26")),
        );
        let live = std::fs::read_to_string(dir.join(format!("{name}.docker26")));
        if let (Ok(a), Ok(b)) = (committed, live) {
            if normalised(&a, &scenario) != normalised(&b, &scenario) {
                println!("docker26: {name}: the live recording differs from the committed one (DOCKER26=record re-records)");
            }
        }
    }
}

// ---- Recording against the real daemon ----

pub(super) fn oracle() -> PathBuf {
    suite_dir().join("oracle")
}

pub(super) fn sh(script: &str) -> std::process::Output {
    Command::new("bash")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .output()
        .expect("bash")
}

/// Records every scenario (or those named in `DOCKER26_ONLY`, comma-separated) into `dir`.
pub(super) fn record_all(dir: &Path) {
    let work = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/docker26-work");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("bin")).expect("work dir");
    // Every docker command goes through the oracle's docker-offline.
    std::os::unix::fs::symlink(oracle().join("docker-offline"), work.join("bin/docker"))
        .expect("docker link");
    let docker = work.join("bin/docker").display().to_string();
    let check = sh(&format!(
        "{docker} version --format '{{{{.Server.Version}}}}'"
    ));
    let version = String::from_utf8_lossy(&check.stdout).trim().to_owned();
    assert!(
        check.status.success() && version.starts_with("26."),
        "no Docker 26 daemon at DOCKER_HOST ({}): {version}{}",
        std::env::var("DOCKER_HOST").unwrap_or_default(),
        String::from_utf8_lossy(&check.stderr)
    );
    let base = work.join("busybox.tar");
    let made = sh(&format!(
        "python3 {} {}",
        oracle().join("mkbase.py").display(),
        base.display()
    ));
    assert!(made.status.success(), "mkbase.py: {made:?}");
    let only = std::env::var("DOCKER26_ONLY").unwrap_or_default();
    for (name, scenario) in scenarios() {
        if !only.is_empty() && !only.split(',').any(|n| n == name) {
            continue;
        }
        let normal = record(&work, &base, &name, &scenario);
        std::fs::write(dir.join(format!("{name}.docker26")), render(&normal)).expect("write");
    }
}

/// One scenario on the real daemon, normalised.
pub(super) fn record(work: &Path, base: &Path, name: &str, scenario: &str) -> Vec<Block> {
    let exact = exact_ids(scenario);
    let mut ours = Normaliser::new(exact);
    let ours_blocks = layerlab(scenario);
    // A clean daemon with only the busybox stand-in.
    let reset = sh(&format!(
        "PATH={}:$PATH
         ids=$(docker ps -aq); [ -z \"$ids\" ] || docker rm -f $ids >/dev/null
         ids=$(docker images -aq); [ -z \"$ids\" ] || docker rmi -f $ids >/dev/null
         docker builder prune -af >/dev/null
         docker load -q -i {} >/dev/null",
        work.join("bin").display(),
        base.display()
    ));
    assert!(reset.status.success(), "resetting the daemon: {reset:?}");
    let project = work.join(name);
    let _ = std::fs::remove_dir_all(&project);
    std::fs::create_dir_all(&project).expect("project dir");
    for line in PROJECT.lines() {
        let mut parts = line.splitn(4, ' ');
        if let (Some("f"), Some(path), Some(_mode), Some(content)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        {
            let file = Path::new(path).file_name().expect("file name");
            let content = content.replace("\\n", "\n").replace("\\t", "\t");
            std::fs::write(project.join(file), content).expect("project file");
        }
    }
    let path = format!(
        "{}:{}",
        work.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut real = Normaliser::new(exact);
    scenario_commands(scenario)
        .into_iter()
        .zip(ours_blocks)
        .map(|(command, ours_block)| {
            let typed = real.translate(&command, &ours);
            ours.block(&ours_block);
            let out = Command::new("timeout")
                .args(["120", "bash", "-c"])
                .arg(format!("exec 2>&1\n{typed}"))
                .current_dir(&project)
                .env("PATH", &path)
                .stdin(Stdio::null())
                .output()
                .expect("bash");
            real.block(&Block {
                command,
                output: String::from_utf8_lossy(&out.stdout).into_owned(),
                status: out.status.code().unwrap_or(-1),
            })
        })
        .collect()
}
