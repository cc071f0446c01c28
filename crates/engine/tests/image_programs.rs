//! The image decides which programs answer: in a busybox image its `sh` and
//! applets, with busybox's words and statuses; on the host (a Debian-like
//! machine) GNU's. `ls` prints columns on a terminal and one name per line
//! anywhere else. A container's main process ends with its script's status,
//! or keeps running through a long `sleep`; BuildKit's cache records show in
//! `docker system df` and go with `docker builder prune`.
//!
//! Each case is a scenario (the CLI's format) and what its last command
//! printed and returned, as a user sees it.

use layerlab_engine::command::{scenario_commands, Session};

/// Runs every command of `scenario` after `docker pull busybox`; returns the
/// last one's output and status.
fn last(scenario: &str) -> (String, i32) {
    let mut s = Session::new();
    assert_eq!(s.run("docker pull busybox").status, 0);
    let mut out = (String::new(), 0);
    for c in scenario_commands(scenario) {
        let t = s.run(&c);
        out = (t.text(), t.status);
    }
    out
}

/// `(scenario, what the last command printed, its exit status)`.
const CASES: &[(&str, &str, i32)] = &[
    // busybox's applets and shell, in a busybox container
    (
        "docker run --rm busybox rm /nosuch",
        "rm: can't remove '/nosuch': No such file or directory\n",
        1,
    ),
    (
        "docker run --rm busybox rm /tmp",
        "rm: '/tmp' is a directory\n",
        1,
    ),
    (
        "docker run --rm busybox mkdir /etc",
        "mkdir: can't create directory '/etc': File exists\n",
        1,
    ),
    (
        "docker run --rm busybox cat /nosuch",
        "cat: can't open '/nosuch': No such file or directory\n",
        1,
    ),
    (
        "docker run --rm busybox ls /nosuch",
        "ls: /nosuch: No such file or directory\n",
        1,
    ),
    (
        "docker run --rm busybox sh -c nosuch",
        "sh: nosuch: not found\n",
        127,
    ),
    (
        "docker run --rm busybox sh -c 'echo\ncd /nosuch'",
        "\nsh: cd: line 1: can't cd to /nosuch: No such file or directory\n",
        2,
    ),
    (
        "docker run --rm busybox sh -c 'echo x > /nosuch/f'",
        "sh: can't create /nosuch/f: nonexistent directory\n",
        1,
    ),
    (
        "docker run --rm busybox sh -c 'echo $((1/0))'",
        "sh: divide by zero\n",
        2,
    ),
    // ls: one name per line without a terminal; -a with . and ..; -R
    (
        "docker run --rm busybox ls /etc",
        "hostname\nhosts\nmtab\npasswd\nresolv.conf\n",
        0,
    ),
    ("docker run --rm busybox ls -a /tmp", ".\n..\n", 0),
    (
        "docker run --rm busybox sh -c 'mkdir -p /tmp/a/b && touch /tmp/a/f && ls -R /tmp'",
        "/tmp:\na\n\n/tmp/a:\nb\nf\n\n/tmp/a/b:\n",
        0,
    ),
    (
        "docker run -d --name c1 busybox sleep 1000\ndocker exec -t c1 ls /etc",
        "hostname  hosts  mtab  passwd  resolv.conf\n",
        0,
    ),
    // the host's own shell stays GNU's, on a terminal
    (
        "mkdir -p /tmp/h && touch /tmp/h/a /tmp/h/b\nls /tmp/h",
        "a  b\n",
        0,
    ),
    (
        "ls /nosuch",
        "ls: cannot access '/nosuch': No such file or directory\n",
        2,
    ),
    (
        "rm /nosuch",
        "rm: cannot remove '/nosuch': No such file or directory\n",
        1,
    ),
    ("nosuch", "sh: 1: nosuch: not found\n", 127),
    // a container's status is its script's
    ("docker run busybox sh -c 'exit 3'", "", 3),
    (
        "docker run --name c1 busybox sh -c 'exit 300'\ndocker inspect -f '{{.State.ExitCode}}' c1",
        "44\n",
        0,
    ),
    // a long sleep keeps the main process running; a short one in the foreground returns
    (
        "docker run -d --name c1 busybox sh -c 'echo hi > /f; sleep 1000'\ndocker exec c1 cat /f",
        "hi\n",
        0,
    ),
    (
        "docker run -d --name c1 ubuntu:15.04 sleep infinity\ndocker exec c1 sh -c 'echo hello > /greeting'\ndocker ps --format '{{.Names}} {{.Status}}'",
        "c1 Up 2 seconds\n",
        0,
    ),
    (
        "docker run --name c2 busybox sh -c 'echo before; sleep 1; echo after'",
        "before\nafter\n",
        0,
    ),
];

#[test]
fn each_image_answers_with_its_own_programs() {
    let mut failures = Vec::new();
    for (scenario, want, status) in CASES {
        let got = last(scenario);
        if got != (want.to_string(), *status) {
            failures.push(format!(
                "{scenario}\n  want ({status}) {want:?}\n  got  ({}) {:?}",
                got.1, got.0
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const BUILD: &str = "cat > Dockerfile <<'EOF'\nFROM busybox\nRUN echo hi > /hi.txt\nEOF\ndocker build -q -t app .\n";

#[test]
fn a_buildkit_build_keeps_cache_records_that_prune_removes() {
    let (df, _) = last(&format!("{BUILD}docker system df"));
    // The Dockerfile (35 bytes) and .dockerignore (11 bytes) are counted;
    // the base's and the RUN's snapshots are shared with the images.
    assert!(
        df.lines().any(|l| l.split_whitespace().collect::<Vec<_>>()
            == ["Build", "Cache", "4", "0", "46B", "46B"]),
        "{df}"
    );
    let (pruned, status) = last(&format!("{BUILD}docker builder prune -f"));
    assert_eq!(status, 0);
    assert!(pruned.starts_with("ID\t"), "{pruned}");
    assert!(pruned.ends_with("Total:\t46B\n"), "{pruned}");
    assert_eq!(pruned.matches("*").count(), 2, "two sources: {pruned}");
    // The RUN's snapshot stays while the image uses it: still cached.
    let (rebuilt, _) = last(&format!(
        "{BUILD}docker builder prune -f\ndocker build -t app ."
    ));
    assert!(rebuilt.contains("CACHED"), "{rebuilt}");
    // `-a` takes everything, and the cache with it.
    let (rebuilt, _) = last(&format!(
        "{BUILD}docker builder prune -af\ndocker build -t app ."
    ));
    assert!(!rebuilt.contains("CACHED"), "{rebuilt}");
}

#[test]
fn rmi_keeps_a_layer_a_cache_record_holds() {
    let (rmi, _) = last(&format!("{BUILD}docker rmi app"));
    assert_eq!(rmi.matches("Deleted:").count(), 1, "{rmi}");
    let (legacy, _) = last(
        "cat > Dockerfile <<'EOF'\nFROM busybox\nRUN echo hi > /hi.txt\nEOF\nDOCKER_BUILDKIT=0 docker build -q -t app .\ndocker system df",
    );
    assert!(
        legacy
            .lines()
            .any(|l| l.starts_with("Build Cache") && l.split_whitespace().nth(2) == Some("0")),
        "the legacy builder keeps no records: {legacy}"
    );
}
