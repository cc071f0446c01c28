//! Terminal transcripts: command lines in, Docker's output out, to the column.
//!
//! Most are data: each `transcripts/NAME.layerlab` scenario is replayed and
//! compared with `transcripts/NAME.transcript` beside it, which is what
//! `layerlab run NAME.layerlab` prints, with `[exit N]` after a command that
//! fails. `UPDATE_EXPECT=1 cargo test --test transcripts` writes the
//! transcripts anew (read the diff before committing it). The tests below
//! look inside the session as well.

use expect_test::expect;
use layerlab_engine::command::{scenario_commands, Session};
use layerlab_engine::merged::WriteMode;
use std::path::Path;

/// Runs each line; renders `$ line`, its output, and a non-zero exit status.
fn run(session: &mut Session, script: &str) -> String {
    let mut out = String::new();
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str(&shown(session, line));
    }
    out
}

/// One command as a transcript shows it: the prompt, the command (a heredoc's
/// lines after `> `), its output, and its status when it is not 0.
fn shown(session: &mut Session, command: &str) -> String {
    let (mut text, t) = session.run_shown(command);
    if t.status != 0 {
        text.push_str(&format!("[exit {}]\n", t.status));
    }
    text
}

/// Replays a scenario in a fresh session.
fn replay(scenario: &str) -> String {
    let mut session = Session::new();
    scenario_commands(scenario)
        .iter()
        .map(|c| shown(&mut session, c))
        .collect()
}

#[test]
fn every_scenario_gives_its_transcript() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut scenarios: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/transcripts")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "layerlab"))
        .collect();
    scenarios.sort();
    assert!(scenarios.len() >= 30, "found {} scenarios", scenarios.len());
    let mut wrong = Vec::new();
    for scenario in &scenarios {
        let text = std::fs::read_to_string(scenario).expect("scenario");
        let got = replay(&text);
        let expected_path = scenario.with_extension("transcript");
        if update {
            std::fs::write(&expected_path, &got).expect("write transcript");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if let Some(at) = first_difference(&expected, &got) {
            wrong.push(format!("{}: {at}", scenario.display()));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

/// Where two transcripts part, with the expected and the actual line.
fn first_difference(expected: &str, got: &str) -> Option<String> {
    let (mut e, mut g) = (expected.lines(), got.lines());
    for n in 1.. {
        match (e.next(), g.next()) {
            (None, None) => return None,
            (a, b) if a == b => continue,
            (a, b) => {
                return Some(format!(
                    "line {n}\n  expected: {}\n  got:      {}",
                    a.unwrap_or("(end)"),
                    b.unwrap_or("(end)")
                ))
            }
        }
    }
    None
}

#[test]
fn the_tutorials_docker_ps_s() {
    let mut s = Session::new();
    let mut out = run(&mut s, "docker pull nginx\ndocker pull wonderfall/isso\ndocker run -d --name proxy nginx:latest\ndocker run -d --name isso wonderfall/isso:latest");
    s.host
        .fs("proxy")
        .expect("proxy")
        .write("/tmp/nginx.pid", b"1\n", WriteMode::Truncate)
        .expect("write");
    out.push_str(&run(&mut s, "docker ps -s"));
    expect![[r#"
        $ docker pull nginx
        Using default tag: latest
        latest: Pulling from library/nginx
        36f99ff285a1: Pull complete
        c6a89fea39ca: Pull complete
        9c851e02feeb: Pull complete
        67ed4b6a23e7: Pull complete
        f8f13747c3a7: Pull complete
        28e3380c87e2: Pull complete
        Digest: sha256:7ef6964043d5620744fb861c22de028c76118ebce6850738a379a2ae0a2cfdab
        Status: Downloaded newer image for nginx:latest
        docker.io/library/nginx:latest
        $ docker pull wonderfall/isso
        Using default tag: latest
        latest: Pulling from wonderfall/isso
        0bdf70a1a1fd: Pull complete
        0fc83efcefd1: Pull complete
        32518f0b4a76: Pull complete
        5c3f92f1e599: Pull complete
        Digest: sha256:46f27f2173661eb8d7b244c9346a973cc3d2384158200c68c4f45fbf997704b4
        Status: Downloaded newer image for wonderfall/isso:latest
        docker.io/wonderfall/isso:latest
        $ docker run -d --name proxy nginx:latest
        6e935fb0eb64bd714861c0cddd7599d41cdf8d0fc020ff941f97ce7da955332e
        $ docker run -d --name isso wonderfall/isso:latest
        08d6cafc444e5464f147d716953d60dd35ce0e81c2fb850ae4df18ab0a50f2f9
        $ docker ps -s
        CONTAINER ID   IMAGE                    COMMAND                  CREATED         STATUS         PORTS      NAMES     SIZE
        08d6cafc444e   wonderfall/isso:latest   "/usr/local/bin/star…"   1 second ago    Up 1 second    8080/tcp   isso      0B (virtual 68.2MB)
        6e935fb0eb64   nginx:latest             "/docker-entrypoint.…"   2 seconds ago   Up 2 seconds   80/tcp     proxy     2B (virtual 109MB)
    "#]].assert_eq(&out);
}

#[test]
fn commit_and_diff_through_the_command_line() {
    let mut s = Session::new();
    let mut out = run(&mut s, "docker run -d --name web nginx");
    s.host
        .fs("web")
        .expect("web")
        .write(
            "/usr/share/nginx/html/index.html",
            b"<h1>Layerlab</h1>\n",
            WriteMode::Truncate,
        )
        .expect("write");
    out.push_str(&run(&mut s, "docker diff web\ndocker commit -m 'new page' -c 'EXPOSE 8080' web mysite:v1\ndocker history mysite:v1"));
    expect![[r#"
        $ docker run -d --name web nginx
        Unable to find image 'nginx:latest' locally
        latest: Pulling from library/nginx
        36f99ff285a1: Pull complete
        c6a89fea39ca: Pull complete
        9c851e02feeb: Pull complete
        67ed4b6a23e7: Pull complete
        f8f13747c3a7: Pull complete
        28e3380c87e2: Pull complete
        Digest: sha256:7ef6964043d5620744fb861c22de028c76118ebce6850738a379a2ae0a2cfdab
        Status: Downloaded newer image for nginx:latest
        249a2d5dd69cc1b8755c5a484456821979b917d349c5f34226cab294d7cf395a
        $ docker diff web
        C /usr
        C /usr/share
        C /usr/share/nginx
        C /usr/share/nginx/html
        C /usr/share/nginx/html/index.html
        $ docker commit -m 'new page' -c 'EXPOSE 8080' web mysite:v1
        sha256:a315df84b4db4e4f25442de67847610cb95540cc45fadc29e73acd7e8089fd40
        $ docker history mysite:v1
        IMAGE          CREATED         CREATED BY                                      SIZE      COMMENT
        a315df84b4db   1 second ago    /docker-entrypoint.sh nginx -g daemon off;      18B       new page
        3d0837916caa   13 months ago   CMD ["nginx" "-g" "daemon off;"]                0B        buildkit.dockerfile.v0
        <missing>      13 months ago   STOPSIGNAL SIGQUIT                              0B        buildkit.dockerfile.v0
        <missing>      13 months ago   EXPOSE map[80/tcp:{}]                           0B        buildkit.dockerfile.v0
        <missing>      13 months ago   ENTRYPOINT ["/docker-entrypoint.sh"]            0B        buildkit.dockerfile.v0
        <missing>      13 months ago   COPY 30-tune-worker-processes.sh /docker-ent…   4.96kB    buildkit.dockerfile.v0
        <missing>      13 months ago   COPY 20-envsubst-on-templates.sh /docker-ent…   1.62kB    buildkit.dockerfile.v0
        <missing>      13 months ago   COPY 10-listen-on-ipv6-by-default.sh /docker…   2.12kB    buildkit.dockerfile.v0
        <missing>      13 months ago   COPY docker-entrypoint.sh / # buildkit          27B       buildkit.dockerfile.v0
        <missing>      13 months ago   RUN /bin/sh -c set -x && apt-get update && a…   34.2MB    buildkit.dockerfile.v0
        <missing>      13 months ago   ENV NGINX_VERSION=1.27.3                        0B        buildkit.dockerfile.v0
        <missing>      13 months ago   LABEL maintainer=NGINX Docker Maintainers <d…   0B        buildkit.dockerfile.v0
        <missing>      13 months ago   CMD ["bash"]                                    0B        buildkit.dockerfile.v0
        <missing>      13 months ago   # debian.sh --arch 'amd64' out/ 'bookworm' '…   74.8MB    buildkit.dockerfile.v0
    "#]].assert_eq(&out);
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn line() -> impl Strategy<Value = String> {
        let token = prop::sample::select(vec![
            "docker",
            "ps",
            "-a",
            "-s",
            "-q",
            "run",
            "create",
            "-d",
            "--name",
            "web",
            "busybox",
            "alpine",
            "rm",
            "-f",
            "rmi",
            "images",
            "--digests",
            "commit",
            "-m",
            "-c",
            "EXPOSE",
            "diff",
            "tag",
            "history",
            "system",
            "df",
            "-v",
            "start",
            "stop",
            "--help",
            "'",
            "\"",
            "\\",
            "\u{0}",
            "💥",
            "--",
            "-",
            "=",
            "--name=",
            "sha256:",
            "x:y:z",
        ]);
        prop_oneof![
            prop::collection::vec(token, 0..10).prop_map(|t| t.join(" ")),
            ".{0,80}".prop_map(|s| format!("docker {s}")),
            any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        #[test]
        fn no_command_line_panics(lines in prop::collection::vec(line(), 1..8)) {
            let mut s = Session::new();
            for l in &lines {
                let t = s.run(l);
                // A docker command that fails says why; a shell line may fail
                // silently, as `false` or `! true` do.
                if t.status != 0 && l.trim_start().starts_with("docker") && s.attached.is_none() {
                    prop_assert!(t.lines.iter().any(|l| l.stderr), "a failure says why: {:?}", l);
                }
            }
        }
    }

    #[test]
    fn a_100_kb_line_and_binary_garbage_get_clear_errors() {
        let mut s = Session::new();
        let long = format!("docker run {}", "a".repeat(100_000));
        let t = s.run(&long);
        assert_ne!(t.status, 0);
        assert!(
            t.text().contains("invalid reference format"),
            "{}",
            &t.text()[..200.min(t.text().len())]
        );
        let garbage =
            String::from_utf8_lossy(&[0xff, 0x00, 0x1b, b'[', b'2', b'J', 0xc3]).into_owned();
        let t = s.run(&garbage);
        assert_ne!(t.status, 0);
    }
}

#[test]
fn inspect_shows_the_manifest_digest_beside_the_image_id_and_the_overlay2_dirs() {
    let mut s = Session::new();
    run(
        &mut s,
        "docker pull ubuntu:15.04\ndocker create --name box ubuntu:15.04",
    );
    let image = s.run("docker image inspect ubuntu:15.04");
    let v: serde_json::Value = serde_json::from_str(&image.text()).expect("JSON");
    let id = v[0]["Id"].as_str().unwrap_or_default().to_owned();
    let repo_digest = v[0]["RepoDigests"][0]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(repo_digest.starts_with("ubuntu@sha256:"), "{repo_digest}");
    assert_ne!(
        repo_digest.trim_start_matches("ubuntu@"),
        id,
        "the pull digest is not the image ID"
    );
    assert_eq!(v[0]["RootFS"]["Layers"].as_array().map(Vec::len), Some(4));
    // Fields come in Docker's order, not sorted.
    let text = image.text();
    let order: Vec<usize> = [
        "\"Id\"",
        "\"RepoTags\"",
        "\"RepoDigests\"",
        "\"Parent\"",
        "\"Comment\"",
        "\"Created\"",
        "\"Author\"",
        "\"Config\"",
        "\"Architecture\"",
        "\"Os\"",
        "\"Size\"",
        "\"GraphDriver\"",
        "\"RootFS\"",
    ]
    .iter()
    .map(|k| text.find(k).unwrap_or(usize::MAX))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert_eq!(v[0]["RepoTags"][0], "ubuntu:15.04");
    let lower = v[0]["GraphDriver"]["Data"]["LowerDir"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(
        lower.split(':').count(),
        3,
        "the top layer is UpperDir; three below"
    );

    let c = s.run("docker inspect -s box");
    let v: serde_json::Value = serde_json::from_str(&c.text()).expect("JSON");
    assert_eq!(v[0]["Name"], "/box");
    assert_eq!(v[0]["SizeRw"], 0);
    let image_size = s.host.image("ubuntu:15.04").map(|i| i.size()).unwrap_or(0);
    assert_eq!(v[0]["SizeRootFs"], image_size, "virtual = image + SizeRw");
    let data = &v[0]["GraphDriver"]["Data"];
    assert!(data["LowerDir"]
        .as_str()
        .unwrap_or_default()
        .split(':')
        .next()
        .unwrap_or_default()
        .ends_with("-init/diff"));
    assert!(data["UpperDir"]
        .as_str()
        .unwrap_or_default()
        .starts_with("/var/lib/docker/overlay2/"));

    let missing = s.run("docker inspect nothing");
    assert_eq!(missing.status, 1);
    assert_eq!(missing.text(), "[]\nError: No such object: nothing\n");
}

#[test]
fn a_heredoc_is_the_input_of_docker_exec_i_and_of_nothing_without_i() {
    let mut s = Session::new();
    run(&mut s, "docker run -d --name box busybox sleep 1d");
    // (command line, then what `cat /note` prints)
    let cases = [
        (
            "docker exec -i box sh -c 'cat > /note' <<'EOF'\nfirst\n$HOME stays\nEOF",
            "first\n$HOME stays\n",
        ),
        (
            "docker exec box sh -c 'cat > /note' <<'EOF'\nignored without -i\nEOF",
            "",
        ),
        (
            "docker exec -i box sh -c 'cat >> /note' <<EOF\nplain\nEOF",
            "plain\n",
        ),
    ];
    for (line, want) in cases {
        let t = s.run(line);
        assert_eq!(t.status, 0, "{line}: {}", t.text());
        assert_eq!(s.run("docker exec box cat /note").text(), want, "{line}");
    }
    let t = s.run("docker exec -i box sh -c 'cat > /note' <<EOF\n$HOME\nEOF");
    assert_eq!(
        t.status,
        2,
        "a body to expand is not simulated: {}",
        t.text()
    );
}

#[test]
fn every_subcommand_has_help() {
    let mut s = Session::new();
    for (name, _) in layerlab_engine::command::subcommands::listed() {
        let t = s.run(&format!("docker {name} --help"));
        let text = t.text();
        assert_eq!(t.status, 0, "docker {name} --help: {text}");
        assert!(
            text.contains("Usage:") && text.contains(name),
            "docker {name} --help says how to use it: {text}"
        );
    }
}

/// The teaching images are read on first pull, with layer ids set aside in
/// advance: pulling them in another order, or with a build in between, gives
/// the same layers. (What the build makes depends on the clock, as in Docker.)
#[test]
fn teaching_images_are_the_same_whatever_order_they_are_pulled_in() {
    // The build pulls ubuntu:15.04 for its FROM: the bottom four layers of `app`.
    let orders = [
        ["docker build -t app .", "docker pull nginx:latest"],
        ["docker pull nginx:latest", "docker build -t app ."],
    ];
    let layers = |s: &Session, image: &str, take: usize| -> Vec<(u64, String)> {
        let image = s.host.image(image).expect("pulled or built");
        image
            .layers
            .iter()
            .take(take)
            .map(|l| (l.id.0, l.diff_id().to_string()))
            .collect()
    };
    let mut seen = Vec::new();
    for order in orders {
        let mut s = Session::new();
        for line in order {
            run(&mut s, line);
        }
        seen.push((layers(&s, "nginx:latest", usize::MAX), layers(&s, "app", 4)));
    }
    assert_eq!(seen[0], seen[1]);
    assert_eq!(seen[0].1.len(), 4, "ubuntu:15.04 has four layers");
    for r in layerlab_engine::catalog::REFERENCES {
        let t = layerlab_engine::catalog::teaching_image(r).expect("a teaching image");
        assert!(
            (t.layers.len() as u64) < layerlab_engine::registry::TEACHING_LAYER_IDS,
            "{r} has more layers than ids set aside for it"
        );
    }
}
