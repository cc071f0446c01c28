//! `docker build` beyond its transcript: what the cache decided at each step,
//! and a DiffID and image ID pinned to Docker 26's. The build transcripts
//! themselves are data (`tests/transcripts/`, run by `tests/transcripts.rs`).

use expect_test::expect;
use layerlab_engine::command::Session;

/// Runs each command (a command may span lines, as a heredoc does).
fn run(session: &mut Session, commands: &[&str]) -> String {
    let mut out = String::new();
    for c in commands {
        let t = session.run(c);
        out.push_str(&format!(
            "$ {}\n{}",
            c.lines().next().unwrap_or(""),
            t.text()
        ));
        if t.status != 0 {
            out.push_str(&format!("[exit {}]\n", t.status));
        }
    }
    out
}

#[test]
fn a_rebuild_uses_the_cache_until_a_copied_file_changes() {
    let mut s = Session::new();
    let mut out = String::new();
    for line in [
        "docker build -t app .",
        "docker build -t app .",
        "touch app.py",
        "docker build -t app .",
        "echo '# more' >> app.py",
        "docker build -t app .",
        "docker build --no-cache -t app .",
    ] {
        let t = s.run(line);
        out.push_str(&format!("$ {line}\n"));
        for l in t.lines.iter().filter(|l| {
            l.text.contains("CACHED") || l.text.contains("DONE 0.1s") && l.text.contains("#6")
        }) {
            out.push_str(&format!("{}\n", l.text));
        }
        let steps: Vec<String> = t
            .build_steps()
            .map(|st| format!("{} cached={}", st.label, st.cached))
            .collect();
        if !steps.is_empty() {
            out.push_str(&format!("steps: {}\n", steps.join(" | ")));
        }
    }
    expect![[r#"
        $ docker build -t app .
        #6 DONE 0.1s
        steps: [1/3] FROM docker.io/library/ubuntu:15.04 cached=false | [2/3] COPY . /app cached=false | [3/3] RUN make /app cached=false
        $ docker build -t app .
        #6 CACHED
        #7 CACHED
        steps: [1/3] FROM docker.io/library/ubuntu:15.04 cached=true | [2/3] COPY . /app cached=true | [3/3] RUN make /app cached=true
        $ touch app.py
        $ docker build -t app .
        #6 CACHED
        #7 CACHED
        steps: [1/3] FROM docker.io/library/ubuntu:15.04 cached=true | [2/3] COPY . /app cached=true | [3/3] RUN make /app cached=true
        $ echo '# more' >> app.py
        $ docker build -t app .
        #4 CACHED
        #6 DONE 0.1s
        steps: [1/3] FROM docker.io/library/ubuntu:15.04 cached=true | [2/3] COPY . /app cached=false | [3/3] RUN make /app cached=false
        $ docker build --no-cache -t app .
        #4 CACHED
        #6 DONE 0.1s
        steps: [1/3] FROM docker.io/library/ubuntu:15.04 cached=true | [2/3] COPY . /app cached=false | [3/3] RUN make /app cached=false
    "#]].assert_eq(&out);
}

/// Recorded from Docker 26 (dockerd 26.1.5, BuildKit through buildx 0.13.1):
/// the same two files, `hello.txt` stamped `touch -d @1767225600` (when
/// Layerlab's shell writes it) and `docker build --build-arg
/// SOURCE_DATE_EPOCH=1767225602` (when Layerlab builds). COPY keeps the
/// source's mtime, so the layer's tar, its DiffID and the image ID are
/// Docker's, byte for byte.
#[test]
fn a_from_scratch_copy_has_docker26s_diff_id_and_image_id() {
    const DOCKER26_DIFF_ID: &str =
        "sha256:58ad1325ee6fcdefdde3b702bccba82ab8610ce5263e2c7d946229dba48cb107";
    const DOCKER26_IMAGE_ID: &str =
        "sha256:aef9ab0eb2ee2032e1b0f02b8efa68a6532fd992e1604ace7ef18bcfeeba7caa";
    let mut s = Session::new();
    let out = run(
        &mut s,
        &[
            "echo hello > hello.txt",
            "cat > Dockerfile <<'EOF'\nFROM scratch\nCOPY hello.txt /\nEOF",
            "docker build -q -t s .",
            "docker inspect -f '{{.Id}} {{index .RootFS.Layers 0}} {{.Created}}' s",
        ],
    );
    expect![[r#"
        $ echo hello > hello.txt
        $ cat > Dockerfile <<'EOF'
        $ docker build -q -t s .
        sha256:aef9ab0eb2ee2032e1b0f02b8efa68a6532fd992e1604ace7ef18bcfeeba7caa
        $ docker inspect -f '{{.Id}} {{index .RootFS.Layers 0}} {{.Created}}' s
        sha256:aef9ab0eb2ee2032e1b0f02b8efa68a6532fd992e1604ace7ef18bcfeeba7caa sha256:58ad1325ee6fcdefdde3b702bccba82ab8610ce5263e2c7d946229dba48cb107 2026-01-01T00:00:02Z
    "#]]
    .assert_eq(&out);
    assert!(out.contains(&format!("{DOCKER26_IMAGE_ID} {DOCKER26_DIFF_ID} ")));
}
