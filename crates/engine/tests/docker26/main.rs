//! Real Docker 26 as the judge: every scenario in `tests/docker26/` is replayed
//! by Layerlab and compared, command line by command line (output and exit
//! status), with what a real Docker 26 host printed for it.
//!
//! - `scenarios/NAME.txt` is a scenario (the CLI's format). Each starts on a host that
//!   has `busybox:latest` (Layerlab pulls its teaching image, the real host
//!   loads `oracle/mkbase.py`'s stand-in) and the project in `/root/app`
//!   (the real host gets a temporary directory with the same files).
//! - `scenarios/NAME.docker26` is what Docker 26 printed, recorded and normalised
//!   ([`normalise`]): IDs numbered in order of appearance, times, build
//!   timings and `docker diff`'s order. A scenario with a `# exact-ids` line
//!   keeps its IDs and digests as they are.
//! - `versions.txt` lists where Layerlab deliberately prints what a newer
//!   Docker than 26 prints, each with its version; `known-differences.txt`
//!   lists the command lines that do not agree yet, each with its reason.
//!   A line that differs and is not listed fails the test, and so does a
//!   listed line that agrees now, so the list only shrinks.
//!
//! Recording needs the real daemon (`oracle/setup-docker26.sh`), as root:
//! `DOCKER26=record` re-records the files here; `DOCKER26=live` records into
//! `target/docker26/` and compares Layerlab with that (what `cargo xtask test`
//! does). Either way `DOCKER_HOST` must point at the daemon.

use layerlab_engine::command::{scenario_commands, Session, PROJECT};
use regex::Regex;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One command line and what it printed.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Block {
    command: String,
    output: String,
    status: i32,
}

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/docker26")
}

/// The scenarios, by name, in name order.
fn scenarios() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = std::fs::read_dir(suite_dir().join("scenarios"))
        .expect("tests/docker26")
        .filter_map(|e| {
            let path = e.ok()?.path();
            let name = path.file_name()?.to_str()?.strip_suffix(".txt")?.to_owned();
            Some((name, std::fs::read_to_string(&path).ok()?))
        })
        .collect();
    all.sort();
    all
}

fn exact_ids(scenario: &str) -> bool {
    scenario.lines().any(|l| l.trim() == "# exact-ids")
}

/// The command as the transcript shows it: continuation lines after `> `.
fn shown(command: &str) -> String {
    command.replace('\n', "\n> ")
}

fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        let _ = writeln!(out, "$ {}", shown(&b.command));
        out.push_str(&b.output);
        if b.status != 0 {
            let _ = writeln!(out, "[exit {}]", b.status);
        }
    }
    out
}

mod live;
mod normalise;

use live::{drift, record_all};
use normalise::*;

fn layerlab(scenario: &str) -> Vec<Block> {
    let mut session = Session::new();
    let pulled = session.run("docker pull busybox");
    assert_eq!(pulled.status, 0, "{}", pulled.text());
    scenario_commands(scenario)
        .into_iter()
        .map(|command| {
            let t = session.run(&command);
            Block {
                command,
                output: t.text(),
                status: t.status,
            }
        })
        .collect()
}

/// `(pattern, replacement, version)` from `versions.txt`: where Layerlab
/// prints what a newer Docker prints, applied to Docker 26's recording.
fn versions() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(suite_dir().join("versions.txt")).unwrap_or_default();
    let mut out = Vec::new();
    let mut pending: Option<String> = None;
    for line in text.lines() {
        if let Some(old) = line.strip_prefix("26: ") {
            pending = Some(old.to_owned());
        } else if let Some(new) = line.strip_prefix("us: ") {
            if let Some(old) = pending.take() {
                out.push((old, new.to_owned()));
            }
        }
    }
    out
}

/// `("scenario #N", first line of the command)` pairs from `known-differences.txt`.
fn known_differences() -> Vec<(String, String)> {
    let text =
        std::fs::read_to_string(suite_dir().join("known-differences.txt")).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut parts = l.splitn(3, " :: ");
            Some((
                parts.next()?.trim().to_owned(),
                parts.next()?.trim().to_owned(),
            ))
        })
        .collect()
}

/// Every command line that differs, with both outputs.
fn full_report(dir: &Path) -> String {
    let mut out = String::new();
    for (name, scenario) in scenarios() {
        let commands = scenario_commands(&scenario);
        let Ok(text) = std::fs::read_to_string(dir.join(format!("{name}.docker26"))) else {
            continue;
        };
        let mut text = text;
        for (old, new) in versions() {
            text = text.replace(&old, &new);
        }
        let Ok(real) = parse_recording(&text, &commands) else {
            continue;
        };
        let real = Normaliser::new(exact_ids(&scenario)).all(&real);
        let ours = Normaliser::new(exact_ids(&scenario)).all(&layerlab(&scenario));
        for (i, (r, o)) in real.iter().zip(&ours).enumerate() {
            if r != o {
                let _ = writeln!(
                    out,
                    "{name} #{}: {}\n--- docker 26 (status {})\n{}--- layerlab (status {})\n{}",
                    i + 1,
                    r.command,
                    r.status,
                    r.output,
                    o.status,
                    o.output
                );
            }
        }
    }
    out
}

/// Compares Layerlab with the recordings in `dir`; returns the report and
/// whether it passes.
fn compare(dir: &Path) -> (String, bool) {
    let versions = versions();
    let known = known_differences();
    let mut report = String::new();
    let mut ok = true;
    let (mut agree, mut total, mut scenarios_n) = (0, 0, 0);
    let mut seen_known = Vec::new();
    for (name, scenario) in scenarios() {
        scenarios_n += 1;
        let commands = scenario_commands(&scenario);
        let path = dir.join(format!("{name}.docker26"));
        let recorded = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(_) => {
                let _ = writeln!(report, "{name}: no recording {}", path.display());
                ok = false;
                continue;
            }
        };
        let mut recorded = recorded;
        for (old, new) in &versions {
            recorded = recorded.replace(old, new);
        }
        let real = match parse_recording(&recorded, &commands) {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(report, "{name}: {e}");
                ok = false;
                continue;
            }
        };
        // Normalising again is harmless, and lets the normaliser improve
        // without a re-recording.
        let real = Normaliser::new(exact_ids(&scenario)).all(&real);
        let ours = Normaliser::new(exact_ids(&scenario)).all(&layerlab(&scenario));
        for (i, (r, o)) in real.iter().zip(&ours).enumerate() {
            total += 1;
            let first = r.command.lines().next().unwrap_or_default().to_owned();
            let at = format!("{name} #{}", i + 1);
            let listed = known.iter().any(|(s, c)| *s == at && *c == first);
            if listed {
                seen_known.push((at.clone(), first.clone()));
            }
            if r == o {
                agree += 1;
                if listed {
                    ok = false;
                    let _ = writeln!(
                        report,
                        "{name} #{}: `{first}` agrees with Docker 26 now: remove it from known-differences.txt",
                        i + 1
                    );
                }
            } else if !listed {
                ok = false;
                let _ = writeln!(
                    report,
                    "{name} #{}: `{first}` differs\n--- docker 26 (status {})\n{}--- layerlab (status {})\n{}",
                    i + 1,
                    r.status,
                    r.output,
                    o.status,
                    o.output
                );
            }
        }
    }
    for (s, c) in &known {
        if !seen_known.contains(&(s.clone(), c.clone())) {
            ok = false;
            let _ = writeln!(
                report,
                "known-differences.txt names `{s} :: {c}`, which is no command line of the suite (its number is the command's place in the scenario)"
            );
        }
    }
    let _ = writeln!(
        report,
        "docker26: {agree}/{total} command lines agree with Docker 26 across {scenarios_n} scenarios"
    );
    (report, ok)
}

#[test]
fn layerlab_agrees_with_docker26() {
    let dir = match std::env::var("DOCKER26").as_deref() {
        Ok("record") => {
            record_all(&suite_dir().join("scenarios"));
            suite_dir().join("scenarios")
        }
        Ok("live") => {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/docker26");
            std::fs::create_dir_all(&dir).expect("target/docker26");
            record_all(&dir);
            drift(&dir);
            dir
        }
        _ => suite_dir().join("scenarios"),
    };
    let (report, ok) = compare(&dir);
    println!("{report}");
    if let Ok(path) = std::env::var("DOCKER26_REPORT") {
        // Every difference, listed or not, for whoever works on them.
        let _ = std::fs::write(path, full_report(&dir));
    }
    assert!(ok, "{report}");
}

#[test]
fn every_scenario_has_a_recording() {
    for (name, _) in scenarios() {
        assert!(
            suite_dir()
                .join("scenarios")
                .join(format!("{name}.docker26"))
                .is_file(),
            "{name}.txt has no {name}.docker26: record it (DOCKER26=record)"
        );
    }
}

#[test]
fn the_normaliser_numbers_ids_keeps_columns_and_sorts_diffs() {
    let mut n = Normaliser::new(false);
    let b = n.block(&Block {
        command: "docker history a".into(),
        output: "a   latest   0123456789ab   2 minutes ago   1MB\nsha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n#3 DONE 0.1s\n#8 exporting layers 0.2s done\n".into(),
        status: 0,
    });
    assert_eq!(
        b.output,
        "a  latest  <ID-1>______  <time> ago  1MB\nsha256:<ID-1>{}\n#3 DONE <t>\n#8 exporting layers done\n".replace("{}", &"_".repeat(58))
    );
    let d = n.block(&Block {
        command: "docker diff c".into(),
        output: "C /tmp\nA /tmp/b\nA /etc\n".into(),
        status: 0,
    });
    assert_eq!(d.output, "A /etc\nA /tmp/b\nC /tmp\n");
    // A step printed bare, then again with its log: once, as Layerlab prints it.
    let again = "#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\n\n#1 [internal] load build definition from Dockerfile\n#1 transferring dockerfile: 72B done\n#1 DONE 0.0s\n\n#2 [internal] load .dockerignore\n#2 DONE 0.0s\n";
    let b = n.block(&Block {
        command: "docker build -t app .".into(),
        output: again.into(),
        status: 0,
    });
    assert_eq!(
        b.output,
        "#1 [internal] load build definition from Dockerfile\n#1 transferring dockerfile: 72B done\n#1 DONE <t>\n\n#2 [internal] load .dockerignore\n#2 DONE <t>\n"
    );
}
