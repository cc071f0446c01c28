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

/// Reads a recording back, given the scenario's commands (a recorded output
/// line may itself start with `$ `).
fn parse_recording(text: &str, commands: &[String]) -> Result<Vec<Block>, String> {
    let mut lines = text.lines().peekable();
    let mut blocks = Vec::new();
    for (i, command) in commands.iter().enumerate() {
        let header = format!("$ {}", shown(command));
        for expected in header.lines() {
            match lines.next() {
                Some(l) if l == expected => {}
                other => {
                    return Err(format!(
                        "recording out of step at command {}: expected {expected:?}, found {other:?} (re-record it)",
                        i + 1
                    ))
                }
            }
        }
        let next_header = commands.get(i + 1).map(|c| format!("$ {}", shown(c)));
        let first_of_next = next_header.as_deref().and_then(|h| h.lines().next());
        let mut body: Vec<&str> = Vec::new();
        while let Some(&l) = lines.peek() {
            if Some(l) == first_of_next {
                break;
            }
            body.push(l);
            lines.next();
        }
        let mut status = 0;
        if let Some(last) = body.last() {
            if let Some(n) = last
                .strip_prefix("[exit ")
                .and_then(|r| r.strip_suffix(']'))
                .and_then(|n| n.parse().ok())
            {
                status = n;
                body.pop();
            }
        }
        let output = body.iter().map(|l| format!("{l}\n")).collect();
        blocks.push(Block {
            command: command.clone(),
            output,
            status,
        });
    }
    Ok(blocks)
}

/// What must differ between two runs of the same scenario, made equal.
struct Normaliser {
    exact: bool,
    ids: BTreeMap<String, usize>,
    /// The longest form of each numbered ID seen.
    full: BTreeMap<usize, String>,
    hex64: Regex,
    hex12: Regex,
    time: Regex,
    date: Regex,
    done: Regex,
    context: Regex,
    run_output: Regex,
    /// A RUN's output repeated in the error box: `0.134 ls: …`.
    box_output: Regex,
    partial: Regex,
    cache_ref: Regex,
}

impl Normaliser {
    fn new(exact: bool) -> Self {
        Normaliser {
            exact,
            ids: BTreeMap::new(),
            full: BTreeMap::new(),
            hex64: Regex::new(r"\b[0-9a-f]{64}\b").unwrap(),
            hex12: Regex::new(r"\b[0-9a-f]{12}\b").unwrap(),
            time: Regex::new(
                r"Less than a second|About an? (minute|hour)|\b\d+ (second|minute|hour|day|week|month|year)s?\b",
            )
            .unwrap(),
            date: Regex::new(r"\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?( [+-]\d{4} UTC)?")
                .unwrap(),
            done: Regex::new(r"(DONE|ERROR|CANCELED) \d+\.\d+s|\b\d+\.\d+s done").unwrap(),
            context: Regex::new(r"transferring context: \d+(\.\d+)?[kMG]?B").unwrap(),
            run_output: Regex::new(r"^(#\d+) \d+\.\d{3} ").unwrap(),
            box_output: Regex::new(r"^\d+\.\d{3} ").unwrap(),
            partial: Regex::new(r"^#\d+ transferring (context|dockerfile):\s*$").unwrap(),
            cache_ref: Regex::new(
                r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}::[a-z0-9]{25}\b|\b[a-z0-9]{25}\b",
            )
            .unwrap(),
        }
    }

    fn id(&mut self, hex: &str) -> String {
        let key = hex[..12].to_owned();
        let next = self.ids.len() + 1;
        let n = *self.ids.entry(key).or_insert(next);
        let longest = self.full.entry(n).or_default();
        if hex.len() > longest.len() {
            *longest = hex.to_owned();
        }
        // As wide as the ID, so columns stay where they were.
        let tag = format!("<ID-{n}>");
        format!("{tag}{}", "_".repeat(hex.len().saturating_sub(tag.len())))
    }

    fn block(&mut self, b: &Block) -> Block {
        // BuildKit's random references and build cache IDs.
        let mut text = self.cache_ref.replace_all(&b.output, "<ref>").into_owned();
        if !self.exact {
            for pattern in [self.hex64.clone(), self.hex12.clone()] {
                let mut out = String::new();
                let mut last = 0;
                for m in pattern.find_iter(&text) {
                    out.push_str(&text[last..m.start()]);
                    out.push_str(&self.id(m.as_str()));
                    last = m.end();
                }
                out.push_str(&text[last..]);
                text = out;
            }
        }
        let timed = self.time.is_match(&text) || self.date.is_match(&text);
        text = self.date.replace_all(&text, "<date>").into_owned();
        text = self.time.replace_all(&text, "<time>").into_owned();
        text = self
            .done
            .replace_all(&text, |c: &regex::Captures| match c.get(1) {
                Some(word) => format!("{} <t>", word.as_str()),
                None => "done".to_owned(),
            })
            .into_owned();
        text = self
            .context
            .replace_all(&text, "transferring context: <n>")
            .into_owned();
        // BuildKit's plain progress stamps a RUN's output with the time since
        // the step started, and may print a transfer before its size is known.
        let mut lines: Vec<String> = text
            .lines()
            .filter(|l| !self.partial.is_match(l))
            .map(|l| self.run_output.replace(l, "$1 <t> ").into_owned())
            .map(|l| self.box_output.replace(&l, "<t> ").into_owned())
            .collect();
        // A progress line printed again once done (`#5 writing image … done`).
        let finished: Vec<String> = lines.clone();
        lines.retain(|l| !(l.starts_with('#') && finished.contains(&format!("{l} done"))));
        // `system df -v`'s build cache records: random IDs.
        for l in &mut lines {
            let mut cells = l.split_whitespace();
            let (first, kind) = (cells.next(), cells.next());
            if let (Some(id), Some("source.local" | "regular" | "exec.cachemount" | "frontend")) =
                (first, kind)
            {
                *l = l.replacen(id, "<ref>", 1);
            }
        }
        if b.command.starts_with("docker builder prune") {
            // buildx aligns the header with whichever record comes first (a
            // random one) and each later record on its own: compare cells.
            let tabs = Regex::new(r"\t+").unwrap();
            for l in &mut lines {
                *l = tabs.replace_all(l, "\t").into_owned();
            }
        }
        // Build cache records of the same age come in random order.
        let mut i = 0;
        while i < lines.len() {
            let mut end = i;
            while end < lines.len() && lines[end].starts_with("<ref>") {
                end += 1;
            }
            lines[i..end].sort();
            i = end.max(i + 1);
        }
        if timed {
            // Columns widen with the times' wording: compare cells, not padding.
            let spaces = Regex::new(r" {2,}").unwrap();
            for l in &mut lines {
                *l = spaces.replace_all(l.trim_end(), "  ").into_owned();
            }
        }
        if b.command.starts_with("docker diff") || b.command.starts_with("docker container diff") {
            lines.sort();
        }
        // A base two stages share is one step, named after whichever stage
        // BuildKit reached first: the stage's name on a FROM line is not compared.
        let from = Regex::new(r"^(#\d+) \[[^\]]+\] FROM ").unwrap();
        for l in &mut lines {
            *l = from.replace(l, "$1 [<stage>] FROM ").into_owned();
        }
        cached_in_any_order(&mut lines);
        // Docker orders images by their creation second and one image's
        // tags by the reference store's (random) order: images made in the
        // same second, as a scenario's are, come in any order (in `docker
        // images` and in `system df -v`'s images table).
        let mut i = 0;
        while i < lines.len() {
            if lines[i].starts_with("REPOSITORY") {
                let start = i + 1;
                let mut end = start;
                while end < lines.len() && !lines[end].is_empty() {
                    end += 1;
                }
                lines[start..end].sort();
                i = end;
            }
            i += 1;
        }
        Block {
            command: b.command.clone(),
            output: lines.iter().map(|l| format!("{l}\n")).collect(),
            status: b.status,
        }
    }

    /// `command` written with the IDs `theirs` printed, given with the IDs
    /// this run printed at the same places (a scenario names Layerlab's IDs;
    /// the real host gets its own).
    fn translate(&self, command: &str, theirs: &Normaliser) -> String {
        let hex = Regex::new(r"\b[0-9a-f]{12,64}\b").unwrap();
        hex.replace_all(command, |c: &regex::Captures| {
            let token = &c[0];
            let ours = theirs.ids.get(&token[..12]);
            match ours.and_then(|n| self.full.get(n)) {
                Some(real) if real.len() >= token.len() => real[..token.len()].to_owned(),
                _ => token.to_owned(),
            }
        })
        .into_owned()
    }

    fn all(&mut self, blocks: &[Block]) -> Vec<Block> {
        blocks.iter().map(|b| self.block(b)).collect()
    }
}

/// Layerlab's run of a scenario.
/// BuildKit resolves cached steps in parallel: a run of steps that are each
/// just `#N <step>` and `#N CACHED` comes in any order, numbered as it came.
/// Such a run is compared as a set of steps, without their numbers.
fn cached_in_any_order(lines: &mut [String]) {
    let cached = |l: &[String]| {
        l.len() >= 2
            && l[1].ends_with(" CACHED")
            && l[0].split(' ').next() == l[1].split(' ').next()
    };
    let mut i = 0;
    while i + 1 < lines.len() {
        // Steps of three lines: the title, CACHED, and the blank line after.
        let mut end = i;
        while end + 1 < lines.len() && cached(&lines[end..]) {
            end += if end + 2 < lines.len() && lines[end + 2].is_empty() {
                3
            } else {
                2
            };
        }
        if end > i {
            let mut steps: Vec<Vec<String>> = lines[i..end]
                .chunks(3)
                .map(|c| {
                    c.iter()
                        .map(|l| match l.split_once(' ') {
                            Some((n, rest)) if n.starts_with('#') => format!("#~ {rest}"),
                            _ => l.clone(),
                        })
                        .collect()
                })
                .collect();
            steps.sort();
            for (slot, line) in lines[i..end].iter_mut().zip(steps.into_iter().flatten()) {
                *slot = line;
            }
            i = end;
        } else {
            i += 1;
        }
    }
}

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
}

/// Where the live recording differs from the committed one: printed, for
/// whoever re-records, never a failure (the comparison with Layerlab is).
fn drift(dir: &Path) {
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

fn oracle() -> PathBuf {
    suite_dir().join("oracle")
}

fn sh(script: &str) -> std::process::Output {
    Command::new("bash")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .output()
        .expect("bash")
}

/// Records every scenario (or those named in `DOCKER26_ONLY`, comma-separated) into `dir`.
fn record_all(dir: &Path) {
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
fn record(work: &Path, base: &Path, name: &str, scenario: &str) -> Vec<Block> {
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
