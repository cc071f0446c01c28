//! Terminal transcripts: command lines in, Docker's output out, to the column.

use expect_test::{expect, Expect};
use layerlab_engine::command::Session;
use layerlab_engine::merged::WriteMode;

/// Runs each line; renders `$ line`, its output, and a non-zero exit status.
fn run(session: &mut Session, script: &str) -> String {
    let mut out = String::new();
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let prompt = session.prompt().unwrap_or_else(|| "$ ".into());
        let t = session.run(line);
        out.push_str(&format!("{prompt}{line}\n{}", t.text()));
        if t.status != 0 {
            out.push_str(&format!("[exit {}]\n", t.status));
        }
    }
    out
}

fn check(script: &str, expect: Expect) {
    let mut s = Session::new();
    expect.assert_eq(&run(&mut s, script));
}

#[test]
fn pulling_the_tutorials_ubuntu_fetches_four_layers_and_prints_the_manifest_digest() {
    check(
        "docker pull ubuntu:15.04\ndocker pull ubuntu:15.04",
        expect![[r#"
            $ docker pull ubuntu:15.04
            15.04: Pulling from library/ubuntu
            f8c98c1d5d88: Pull complete
            71b33a22991b: Pull complete
            42db6b306f59: Pull complete
            e5faf014118a: Pull complete
            Digest: sha256:7a150caf62b905a9a90cf2cac573941fcf1ab6912a6b4b352535faa4c12e6f4f
            Status: Downloaded newer image for ubuntu:15.04
            docker.io/library/ubuntu:15.04
            $ docker pull ubuntu:15.04
            15.04: Pulling from library/ubuntu
            Digest: sha256:7a150caf62b905a9a90cf2cac573941fcf1ab6912a6b4b352535faa4c12e6f4f
            Status: Image is up to date for ubuntu:15.04
            docker.io/library/ubuntu:15.04
        "#]],
    );
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
fn images_that_share_base_layers_pull_only_what_is_missing() {
    check("docker pull debian:bookworm-slim\ndocker pull nginx\ndocker pull python:3-slim\ndocker images", expect![[r#"
        $ docker pull debian:bookworm-slim
        bookworm-slim: Pulling from library/debian
        36f99ff285a1: Pull complete
        Digest: sha256:2319dab1fe1671960d307a5f0ffbddda70b427a03f0ed267a39a7a78d1e79b26
        Status: Downloaded newer image for debian:bookworm-slim
        docker.io/library/debian:bookworm-slim
        $ docker pull nginx
        Using default tag: latest
        latest: Pulling from library/nginx
        36f99ff285a1: Already exists
        c6a89fea39ca: Pull complete
        9c851e02feeb: Pull complete
        67ed4b6a23e7: Pull complete
        f8f13747c3a7: Pull complete
        28e3380c87e2: Pull complete
        Digest: sha256:7ef6964043d5620744fb861c22de028c76118ebce6850738a379a2ae0a2cfdab
        Status: Downloaded newer image for nginx:latest
        docker.io/library/nginx:latest
        $ docker pull python:3-slim
        3-slim: Pulling from library/python
        36f99ff285a1: Already exists
        368be886ae98: Pull complete
        f9441efb99d7: Pull complete
        Digest: sha256:3ee28aa5cdd3925f73336b8cec9ed7a022f52973ab8ee3263a16d1fbc9b6dc25
        Status: Downloaded newer image for python:3-slim
        docker.io/library/python:3-slim
        $ docker images
        REPOSITORY   TAG             IMAGE ID       CREATED         SIZE
        python       3-slim          04eb78c5b3c6   13 months ago   125MB
        nginx        latest          3d0837916caa   13 months ago   109MB
        debian       bookworm-slim   5a36ea076d60   13 months ago   74.8MB
    "#]]);
}

#[test]
fn digests_history_and_disk_usage() {
    check(
        "docker pull ubuntu:15.04\ndocker images --digests\ndocker history ubuntu:15.04\ndocker create --name box ubuntu:15.04\ndocker system df",
        expect![[r#"
            $ docker pull ubuntu:15.04
            15.04: Pulling from library/ubuntu
            f8c98c1d5d88: Pull complete
            71b33a22991b: Pull complete
            42db6b306f59: Pull complete
            e5faf014118a: Pull complete
            Digest: sha256:7a150caf62b905a9a90cf2cac573941fcf1ab6912a6b4b352535faa4c12e6f4f
            Status: Downloaded newer image for ubuntu:15.04
            docker.io/library/ubuntu:15.04
            $ docker images --digests
            REPOSITORY   TAG       DIGEST                                                                    IMAGE ID       CREATED       SIZE
            ubuntu       15.04     sha256:7a150caf62b905a9a90cf2cac573941fcf1ab6912a6b4b352535faa4c12e6f4f   366cb16f3cda   9 years ago   131MB
            $ docker history ubuntu:15.04
            IMAGE          CREATED       CREATED BY                                      SIZE      COMMENT
            366cb16f3cda   9 years ago   /bin/sh -c #(nop) CMD ["/bin/bash"]             0B        
            <missing>      9 years ago   /bin/sh -c sed -i 's/^#\s*\(deb.*universe\)$…   113B      
            <missing>      9 years ago   /bin/sh -c echo '#!/bin/sh' > /usr/sbin/poli…   105B      
            <missing>      9 years ago   /bin/sh -c #(nop) ADD file:9b5ba393502195549…   131MB     
            $ docker create --name box ubuntu:15.04
            6578a07289769d5792e630a3e36072259e0b6e03812b127fef5680ce7563560c
            $ docker system df
            TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE
            Images          1         1         131.1MB   0B (0%)
            Containers      1         0         0B        0B
            Local Volumes   0         0         0B        0B
            Build Cache     0         0         0B        0B
        "#]],
    );
}

#[test]
fn a_missing_program_fails_as_docker_says_and_the_container_stays_created() {
    check(
        "docker run --name nope busybox:latest python /app.py\ndocker ps -a",
        expect![[r#"
            $ docker run --name nope busybox:latest python /app.py
            Unable to find image 'busybox:latest' locally
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "python": executable file not found in $PATH: unknown.

            Run 'docker run --help' for more information
            [exit 127]
            $ docker ps -a
            CONTAINER ID   IMAGE            COMMAND            CREATED        STATUS    PORTS     NAMES
            5fc20fe90da5   busybox:latest   "python /app.py"   1 second ago   Created             nope
        "#]],
    );
}

#[test]
fn a_shell_form_cmd_running_a_program_not_simulated_keeps_its_container_up() {
    // The tutorial's image: `CMD python /app/app.py` is `/bin/sh -c …`.
    check(
        "docker build -q -t app .
docker run -d --name c1 app
docker run --name c2 app
docker run --name c3 app sh -c 'echo hi; nosuch'
docker ps -a
docker logs c3
docker logs c1",
        expect![[r#"
            $ docker build -q -t app .
            sha256:1d672103a7ab2ca70b04ae9a264328fa29ecf792113d00a4be49bd7bce42e811
            $ docker run -d --name c1 app
            11babd0ae2dfa490955063ef52d66a4080abe24014efda45eead0782fd858515
            $ docker run --name c2 app
            Layerlab does not run python's code: the container stays Up, as a server would, and its output is not shown (docker run -d runs it in the background).
            $ docker run --name c3 app sh -c 'echo hi; nosuch'
            hi
            /bin/sh: 1: nosuch: not found
            [exit 127]
            $ docker ps -a
            CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS                      PORTS     NAMES
            d8201120ad0e   app       "sh -c 'echo hi; nos…"   1 second ago    Exited (127) 1 second ago             c3
            dd300de58434   app       "/bin/sh -c 'python …"   2 seconds ago   Up 2 seconds                          c2
            11babd0ae2df   app       "/bin/sh -c 'python …"   3 seconds ago   Up 3 seconds                          c1
            $ docker logs c3
            hi
            /bin/sh: 1: nosuch: not found
            $ docker logs c1
            layerlab: python's own output is not simulated, so its logs are empty here
        "#]],
    );
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

#[test]
fn errors_read_as_dockers() {
    check(
        "docker\ndocker frobnicate\ndocker ps --bogus\ndocker ps -x\ndocker rm\ndocker pull nosuchthing\ndocker pull nginx:0.0.1\ndocker pull Nginx\n\
         docker create --name web nginx\ndocker create --name web nginx\ndocker rmi nginx\ndocker rm ghost\nls /\ndocker run -d 'unterminated",
        expect![[r#"
            $ docker
            Usage:  docker [OPTIONS] COMMAND

            A self-sufficient runtime for containers (simulated by Layerlab)

            Commands:
              build       Build an image from a Dockerfile
              builder     Manage builds (docker builder prune)
              commit      Create a new image from a container's changes
              create      Create a new container
              diff        Inspect changes to files or directories on a container's filesystem
              history     Show the history of an image
              images      List images
              info        Display system-wide information
              inspect     Return low-level information on Docker objects
              load        Load an image from a tar archive or STDIN
              logs        Fetch the logs of a container
              ps          List containers
              pull        Download an image from a registry
              push        Upload an image to a registry
              rm          Remove one or more containers
              rmi         Remove one or more images
              run         Create and run a new container from an image
              save        Save one or more images to a tar archive (streamed to STDOUT by default)
              start       Start one or more stopped containers
              stop        Stop one or more running containers
              system      Manage Docker (system df)
              tag         Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE
              version     Show the Docker version information

            Run 'docker COMMAND --help' for more information on a command.
            $ docker frobnicate
            docker: unknown command: docker frobnicate

            Run 'docker --help' for more information
            [exit 1]
            $ docker ps --bogus
            unknown flag: --bogus

            Usage:  docker ps [OPTIONS]

            Run 'docker ps --help' for more information
            [exit 125]
            $ docker ps -x
            unknown shorthand flag: 'x' in -x

            Usage:  docker ps [OPTIONS]

            Run 'docker ps --help' for more information
            [exit 125]
            $ docker rm
            docker: 'docker rm' requires at least 1 argument

            Usage:  docker rm [OPTIONS] CONTAINER [CONTAINER...]

            See 'docker rm --help' for more information
            [exit 1]
            $ docker pull nosuchthing
            Error response from daemon: pull access denied for nosuchthing, repository does not exist or may require 'docker login': denied: requested access to the resource is denied
            [exit 1]
            $ docker pull nginx:0.0.1
            Error response from daemon: manifest for nginx:0.0.1 not found: manifest unknown: manifest unknown
            [exit 1]
            $ docker pull Nginx
            invalid reference format: repository name (Nginx) must be lowercase
            [exit 1]
            $ docker create --name web nginx
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
            $ docker create --name web nginx
            Error response from daemon: Conflict. The container name "/web" is already in use by container "249a2d5dd69cc1b8755c5a484456821979b917d349c5f34226cab294d7cf395a". You have to remove (or rename) that container to be able to reuse that name.
            [exit 1]
            $ docker rmi nginx
            Error response from daemon: conflict: unable to remove repository reference "nginx" (must force) - container 249a2d5dd69c is using its referenced image 3d0837916caa
            [exit 1]
            $ docker rm ghost
            Error response from daemon: No such container: ghost
            [exit 1]
            $ ls /
            bin  etc  root  tmp  usr  var
            $ docker run -d 'unterminated
            sh: 1: Syntax error: Unterminated quoted string
            [exit 2]
        "#]],
    );
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
fn programs_the_shell_simulates_really_run_in_containers() {
    check(
        "
        docker run busybox echo hello from a container
        docker run --name lister ubuntu:15.04 ls /
        docker run --rm busybox sh -c 'echo bye; exit 5'
        docker run -d --name web nginx
        docker exec web cat /etc/os-release
        docker exec web curl localhost
        docker exec -w /usr/share/nginx/html -e GREETING=hi web sh -c 'pwd; echo $GREETING'
        docker exec lister ls
        docker exec nosuch ls
        docker ps -a
        ",
        expect![[r#"
            $ docker run busybox echo hello from a container
            Unable to find image 'busybox:latest' locally
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            hello from a container
            $ docker run --name lister ubuntu:15.04 ls /
            Unable to find image 'ubuntu:15.04' locally
            15.04: Pulling from library/ubuntu
            f8c98c1d5d88: Pull complete
            71b33a22991b: Pull complete
            42db6b306f59: Pull complete
            e5faf014118a: Pull complete
            Digest: sha256:7a150caf62b905a9a90cf2cac573941fcf1ab6912a6b4b352535faa4c12e6f4f
            Status: Downloaded newer image for ubuntu:15.04
            bin  dev  etc  lib  proc  root  sys  tmp  usr
            $ docker run --rm busybox sh -c 'echo bye; exit 5'
            bye
            [exit 5]
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
            f779723043f9bcdede1b655c9b057d5dcce6633ef57a532fc4f6c1ba2cd8afb5
            $ docker exec web cat /etc/os-release
            PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
            ID=debian
            VERSION_ID="12"
            $ docker exec web curl localhost
            OCI runtime exec failed: exec failed: unable to start container process: exec: "curl": executable file not found in $PATH: unknown
            [exit 127]
            $ docker exec -w /usr/share/nginx/html -e GREETING=hi web sh -c 'pwd; echo $GREETING'
            /usr/share/nginx/html
            hi
            $ docker exec lister ls
            Error response from daemon: container 42755d39d32478e9647324d0dd3a413d1a4cd14e6c046f4dbd5862f6f8fbc12d is not running
            [exit 1]
            $ docker exec nosuch ls
            Error response from daemon: No such container: nosuch
            [exit 1]
            $ docker ps -a
            CONTAINER ID   IMAGE          COMMAND                  CREATED         STATUS                     PORTS     NAMES
            f779723043f9   nginx          "/docker-entrypoint.…"   6 seconds ago   Up 6 seconds               80/tcp    web
            42755d39d324   ubuntu:15.04   "ls /"                   8 seconds ago   Exited (0) 8 seconds ago             lister
            b087dc9c85a3   busybox        "echo hello from a c…"   9 seconds ago   Exited (0) 9 seconds ago             eager_pasteur
        "#]],
    );
}

#[test]
fn an_interactive_shell_takes_the_terminal_until_exit() {
    check(
        "
        docker run -d --name web nginx
        docker exec -it web bash
        cd /usr/share/nginx/html
        echo '<h1>changed</h1>' > index.html
        docker ps
        exit
        docker diff web
        docker run -it --name box busybox
        rm /bin/rmdir && ls /bin/rmdir
        exit 2
        docker ps -a
        docker diff box
        docker run -dit --name waiting ubuntu:15.04 bash
        docker ps
        ",
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
            $ docker exec -it web bash
            root@249a2d5dd69c:/# cd /usr/share/nginx/html
            root@249a2d5dd69c:/usr/share/nginx/html# echo '<h1>changed</h1>' > index.html
            root@249a2d5dd69c:/usr/share/nginx/html# docker ps
            bash: docker: command not found
            [exit 127]
            root@249a2d5dd69c:/usr/share/nginx/html# exit
            [exit 127]
            $ docker diff web
            C /usr
            C /usr/share
            C /usr/share/nginx
            C /usr/share/nginx/html
            C /usr/share/nginx/html/index.html
            $ docker run -it --name box busybox
            Unable to find image 'busybox:latest' locally
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            / # rm /bin/rmdir && ls /bin/rmdir
            ls: cannot access '/bin/rmdir': No such file or directory
            [exit 2]
            / # exit 2
            [exit 2]
            $ docker ps -a
            CONTAINER ID   IMAGE     COMMAND                  CREATED          STATUS                    PORTS     NAMES
            1ef83c086977   busybox   "sh"                     3 seconds ago    Exited (2) 1 second ago             box
            249a2d5dd69c   nginx     "/docker-entrypoint.…"   10 seconds ago   Up 10 seconds             80/tcp    web
            $ docker diff box
            C /bin
            D /bin/rmdir
            $ docker run -dit --name waiting ubuntu:15.04 bash
            Unable to find image 'ubuntu:15.04' locally
            15.04: Pulling from library/ubuntu
            f8c98c1d5d88: Pull complete
            71b33a22991b: Pull complete
            42db6b306f59: Pull complete
            e5faf014118a: Pull complete
            Digest: sha256:7a150caf62b905a9a90cf2cac573941fcf1ab6912a6b4b352535faa4c12e6f4f
            Status: Downloaded newer image for ubuntu:15.04
            59cc6fe1eef0fe4c94fc1ccf613272686d6bf8e108a25c2740b348a57f3d8cad
            $ docker ps
            CONTAINER ID   IMAGE          COMMAND                  CREATED          STATUS          PORTS     NAMES
            59cc6fe1eef0   ubuntu:15.04   "bash"                   1 second ago     Up 1 second               waiting
            249a2d5dd69c   nginx          "/docker-entrypoint.…"   13 seconds ago   Up 13 seconds   80/tcp    web
        "#]],
    );
}

#[test]
fn the_hosts_var_lib_docker_is_the_storage_drivers_view() {
    check(
        "
        docker pull busybox
        docker run -d -it --name box busybox
        docker exec box sh -c 'echo changed > /etc/passwd; rm /bin/rmdir'
        ls /var/lib/docker
        ls /var/lib/docker/image/overlay2/layerdb/sha256
        cat /var/lib/docker/image/overlay2/layerdb/sha256/*/diff
        cat /var/lib/docker/image/overlay2/layerdb/sha256/*/cache-id
        ls /var/lib/docker/overlay2
        cat /var/lib/docker/overlay2/*/lower
        ls -l /var/lib/docker/overlay2/*/diff/etc
        ls /var/lib/docker/image/overlay2/layerdb/mounts
        docker images --no-trunc -q
        ",
        expect![[r#"
            $ docker pull busybox
            Using default tag: latest
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            docker.io/library/busybox:latest
            $ docker run -d -it --name box busybox
            ffaadba63dee25888746f5b8db637616751780b007acc4dae39de1f13b72f8f5
            $ docker exec box sh -c 'echo changed > /etc/passwd; rm /bin/rmdir'
            $ ls /var/lib/docker
            containers  image  overlay2
            $ ls /var/lib/docker/image/overlay2/layerdb/sha256
            1ea6023c052bd9330144a0a7228887c93acb1e69accf010ae4144fc706211def
            $ cat /var/lib/docker/image/overlay2/layerdb/sha256/*/diff
            sha256:1ea6023c052bd9330144a0a7228887c93acb1e69accf010ae4144fc706211def
            $ cat /var/lib/docker/image/overlay2/layerdb/sha256/*/cache-id
            8f2df147f36e9eac2345693980b025bb9131f821f099d679eee78d0d7e4661e1
            $ ls /var/lib/docker/overlay2
            8f2df147f36e9eac2345693980b025bb9131f821f099d679eee78d0d7e4661e1
            ce31087204c43d7ca179d7d68bf17a036b827df4b635d19cdc020536e34eee89
            ce31087204c43d7ca179d7d68bf17a036b827df4b635d19cdc020536e34eee89-init
            l
            $ cat /var/lib/docker/overlay2/*/lower
            l/T2FFPPM6X2IK2FOHVQVQQXTO46l/PMIIOPTDOIKDB4XDFVHF4VPKT2:l/T2FFPPM6X2IK2FOHVQVQQXTO46
            $ ls -l /var/lib/docker/overlay2/*/diff/etc
            /var/lib/docker/overlay2/8f2df147f36e9eac2345693980b025bb9131f821f099d679eee78d0d7e4661e1/diff/etc:
            total 4
            -rw-r--r-- 1 root root   30 Jan  1 00:00 passwd

            /var/lib/docker/overlay2/ce31087204c43d7ca179d7d68bf17a036b827df4b635d19cdc020536e34eee89-init/diff/etc:
            total 4
            -rw-r--r-- 1 root root    0 Jan  1 00:00 hostname
            -rw-r--r-- 1 root root    0 Jan  1 00:00 hosts
            lrwxrwxrwx 1 root root   12 Jan  1 00:00 mtab -> /proc/mounts
            -rw-r--r-- 1 root root    0 Jan  1 00:00 resolv.conf

            /var/lib/docker/overlay2/ce31087204c43d7ca179d7d68bf17a036b827df4b635d19cdc020536e34eee89/diff/etc:
            total 4
            -rw-r--r-- 1 root root    8 Jan  1 00:00 passwd
            $ ls /var/lib/docker/image/overlay2/layerdb/mounts
            ffaadba63dee25888746f5b8db637616751780b007acc4dae39de1f13b72f8f5
            $ docker images --no-trunc -q
            sha256:1f58d96045ca34578e9381898b494aab0b52fb959361c1d7e4282194bd27565e
        "#]],
    );
}

#[test]
fn restarting_the_daemon_with_another_storage_driver_starts_an_empty_store() {
    check(
        "
        docker pull busybox
        docker run -d -it --name box busybox
        cat /etc/docker/daemon.json
        echo '{\"storage-driver\": \"vfs\"}' > /etc/docker/daemon.json
        systemctl restart docker
        docker info
        docker images
        docker pull busybox
        ls /var/lib/docker
        ls /var/lib/docker/vfs/dir
        echo '{\"storage-driver\": \"zfs\"}' > /etc/docker/daemon.json
        systemctl restart docker
        docker ps
        rm /etc/docker/daemon.json
        systemctl start docker
        docker ps -a
        docker info
        ",
        expect![[r#"
            $ docker pull busybox
            Using default tag: latest
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            docker.io/library/busybox:latest
            $ docker run -d -it --name box busybox
            ffaadba63dee25888746f5b8db637616751780b007acc4dae39de1f13b72f8f5
            $ cat /etc/docker/daemon.json
            cat: /etc/docker/daemon.json: No such file or directory
            [exit 1]
            $ echo '{"storage-driver": "vfs"}' > /etc/docker/daemon.json
            $ systemctl restart docker
            $ docker info
            Server:
             Containers: 0
              Running: 0
              Paused: 0
              Stopped: 0
             Images: 0
             Server Version: 28.2.2
             Storage Driver: vfs
             Docker Root Dir: /var/lib/docker
            $ docker images
            REPOSITORY   TAG       IMAGE ID   CREATED   SIZE
            $ docker pull busybox
            Using default tag: latest
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            docker.io/library/busybox:latest
            $ ls /var/lib/docker
            containers  image  overlay2  vfs
            $ ls /var/lib/docker/vfs/dir
            8f2df147f36e9eac2345693980b025bb9131f821f099d679eee78d0d7e4661e1
            $ echo '{"storage-driver": "zfs"}' > /etc/docker/daemon.json
            $ systemctl restart docker
            Job for docker.service failed because the control process exited with error code.
            See "systemctl status docker.service" and "journalctl -xeu docker.service" for details.
            Layerlab: dockerd said: failed to start daemon: error initializing graphdriver: driver not supported: zfs
            [exit 1]
            $ docker ps
            Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?
            [exit 1]
            $ rm /etc/docker/daemon.json
            $ systemctl start docker
            $ docker ps -a
            CONTAINER ID   IMAGE     COMMAND   CREATED          STATUS                      PORTS     NAMES
            ffaadba63dee   busybox   "sh"      14 seconds ago   Exited (0) 11 seconds ago             box
            $ docker info
            Server:
             Containers: 1
              Running: 0
              Paused: 0
              Stopped: 1
             Images: 1
             Server Version: 28.2.2
             Storage Driver: overlay2
             Docker Root Dir: /var/lib/docker
        "#]],
    );
}

#[test]
fn pushing_sends_only_the_layers_the_registry_lacks() {
    check(
        "
        docker build -q -t app .
        docker push app
        docker tag app learner/app:1.0
        docker push learner/app:1.0
        docker push learner/app:1.0
        docker tag app learner/other
        docker push learner/other
        docker images --digests learner/app
        docker rmi learner/app:1.0 learner/other app
        docker pull learner/app:1.0
        docker push learner/nothere
        ",
        expect![[r#"
            $ docker build -q -t app .
            sha256:1d672103a7ab2ca70b04ae9a264328fa29ecf792113d00a4be49bd7bce42e811
            $ docker push app
            Using default tag: latest
            The push refers to repository [docker.io/library/app]
            5f70bf18a086: Preparing
            528e71bdcc96: Preparing
            f823b3415b3c: Preparing
            00e69196a902: Preparing
            0b2343fcca85: Preparing
            denied: requested access to the resource is denied
            [exit 1]
            $ docker tag app learner/app:1.0
            $ docker push learner/app:1.0
            The push refers to repository [docker.io/learner/app]
            5f70bf18a086: Mounted from library/ubuntu
            528e71bdcc96: Pushed
            f823b3415b3c: Mounted from library/ubuntu
            00e69196a902: Mounted from library/ubuntu
            0b2343fcca85: Mounted from library/ubuntu
            1.0: digest: sha256:7e2d80da9e067689e7b57a131b092f295bf6245f41e02bab494d901d8dfb5f07 size: 1480
            $ docker push learner/app:1.0
            The push refers to repository [docker.io/learner/app]
            5f70bf18a086: Layer already exists
            528e71bdcc96: Layer already exists
            f823b3415b3c: Layer already exists
            00e69196a902: Layer already exists
            0b2343fcca85: Layer already exists
            1.0: digest: sha256:7e2d80da9e067689e7b57a131b092f295bf6245f41e02bab494d901d8dfb5f07 size: 1480
            $ docker tag app learner/other
            $ docker push learner/other
            Using default tag: latest
            The push refers to repository [docker.io/learner/other]
            5f70bf18a086: Mounted from learner/app
            528e71bdcc96: Mounted from learner/app
            f823b3415b3c: Mounted from learner/app
            00e69196a902: Mounted from learner/app
            0b2343fcca85: Mounted from learner/app
            latest: digest: sha256:7e2d80da9e067689e7b57a131b092f295bf6245f41e02bab494d901d8dfb5f07 size: 1480
            $ docker images --digests learner/app
            REPOSITORY    TAG       DIGEST                                                                    IMAGE ID       CREATED         SIZE
            learner/app   1.0       sha256:7e2d80da9e067689e7b57a131b092f295bf6245f41e02bab494d901d8dfb5f07   1d672103a7ab   7 seconds ago   131MB
            $ docker rmi learner/app:1.0 learner/other app
            Untagged: learner/app:1.0
            Untagged: learner/other:latest
            Untagged: app:latest
            Deleted: sha256:1d672103a7ab2ca70b04ae9a264328fa29ecf792113d00a4be49bd7bce42e811
            Deleted: sha256:c12f972f8b55baa3b23fe55d418418648ae8a9791d47199d1ca275f4bb37110b
            Deleted: sha256:231fabe57b1f7f26b99af0bfdd80f9201cf4729dcac07941d30dc1605a115a5b
            Deleted: sha256:3f7f9e571fca7cdebef8b1fe74ae2b55ef7317a6f64058b8464e59f783dc137b
            Deleted: sha256:cee6ccc9ac5ddacb2d3a3da10c1494c45e9f838ad498df9cf608102cf1770b82
            Deleted: sha256:c3523fde9fe7bc6bb2e32cc85843faf296d4e549f686fef0409fe051d57a50e6
            Deleted: sha256:0b2343fcca85a1a4b0466eebead5a0d2e441fc81a9999f76e97cef4d28a94a41
            $ docker pull learner/app:1.0
            1.0: Pulling from learner/app
            f8c98c1d5d88: Pull complete
            71b33a22991b: Pull complete
            42db6b306f59: Pull complete
            e5faf014118a: Pull complete
            49768ac435af: Pull complete
            Digest: sha256:7e2d80da9e067689e7b57a131b092f295bf6245f41e02bab494d901d8dfb5f07
            Status: Downloaded newer image for learner/app:1.0
            docker.io/learner/app:1.0
            $ docker push learner/nothere
            An image does not exist locally with the tag: learner/nothere
            [exit 1]
        "#]],
    );
}

#[test]
fn a_containers_life_from_create_to_rm() {
    check(
        "
        docker pull busybox
        docker create --name box busybox sleep 600
        docker ps -a -q
        docker start box
        docker ps --no-trunc
        docker rm box
        docker stop box
        docker ps -a
        docker rm -f box
        docker rm box
        docker rmi busybox
        docker run -d --name user busybox sleep 600
        docker rmi busybox
        docker tag busybox Bad:Name
        docker tag nosuch mine
        docker version
        ",
        expect![[r#"
            $ docker pull busybox
            Using default tag: latest
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            docker.io/library/busybox:latest
            $ docker create --name box busybox sleep 600
            ffaadba63dee25888746f5b8db637616751780b007acc4dae39de1f13b72f8f5
            $ docker ps -a -q
            ffaadba63dee
            $ docker start box
            box
            $ docker ps --no-trunc
            CONTAINER ID                                                       IMAGE     COMMAND       CREATED         STATUS        PORTS     NAMES
            ffaadba63dee25888746f5b8db637616751780b007acc4dae39de1f13b72f8f5   busybox   "sleep 600"   3 seconds ago   Up 1 second             box
            $ docker rm box
            Error response from daemon: cannot remove container "/box": container is running: stop the container before removing or force remove
            [exit 1]
            $ docker stop box
            box
            $ docker ps -a
            CONTAINER ID   IMAGE     COMMAND       CREATED         STATUS                    PORTS     NAMES
            ffaadba63dee   busybox   "sleep 600"   6 seconds ago   Exited (0) 1 second ago             box
            $ docker rm -f box
            box
            $ docker rm box
            Error response from daemon: No such container: box
            [exit 1]
            $ docker rmi busybox
            Untagged: busybox:latest
            Deleted: sha256:1f58d96045ca34578e9381898b494aab0b52fb959361c1d7e4282194bd27565e
            Deleted: sha256:1ea6023c052bd9330144a0a7228887c93acb1e69accf010ae4144fc706211def
            $ docker run -d --name user busybox sleep 600
            Unable to find image 'busybox:latest' locally
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            30667b3262de8d8fb0e25a4f526a426a9e69efb732d32be6877c079ff01ef842
            $ docker rmi busybox
            Error response from daemon: conflict: unable to remove repository reference "busybox" (must force) - container 30667b3262de is using its referenced image 1f58d96045ca
            [exit 1]
            $ docker tag busybox Bad:Name
            Error parsing reference: "Bad:Name" is not a valid repository/tag: invalid reference format: repository name (Bad) must be lowercase
            [exit 1]
            $ docker tag nosuch mine
            Error response from daemon: No such image: nosuch:latest
            [exit 1]
            $ docker version
            Client:
             Version:           28.2.2
             API version:       1.50
             OS/Arch:           linux/amd64

            Server: Layerlab (a simulated Docker Engine)
             Engine:
              Version:          28.2.2
              API version:      1.50 (minimum version 1.24)
              OS/Arch:          linux/amd64
        "#]],
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

#[test]
fn commit_records_the_containers_command_and_an_entrypoint_change_clears_cmd() {
    check(
        "docker pull busybox
         docker run --name c1 busybox echo hello
         docker commit c1 img1
         docker inspect -f '{{json .Config.Cmd}}' img1
         docker commit --change 'ENTRYPOINT [\"/bin/echo\"]' c1 img2
         docker inspect -f '{{json .Config.Entrypoint}} {{json .Config.Cmd}}' img2
         docker commit --change 'CMD [\"ls\"]' c1 img3
         docker inspect -f '{{.Config.Entrypoint}} {{.Config.Cmd}}' img3",
        expect![[r#"
            $ docker pull busybox
            Using default tag: latest
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            docker.io/library/busybox:latest
            $ docker run --name c1 busybox echo hello
            hello
            $ docker commit c1 img1
            sha256:eea9b9816953507baaaf7c216db7c7b0d612da50b42aa424710da227f35e5dae
            $ docker inspect -f '{{json .Config.Cmd}}' img1
            ["echo","hello"]
            $ docker commit --change 'ENTRYPOINT ["/bin/echo"]' c1 img2
            sha256:2efd02d57cacb58e516f42296894baa601fb087bb1f4880ebfccfeac90bbcd91
            $ docker inspect -f '{{json .Config.Entrypoint}} {{json .Config.Cmd}}' img2
            ["/bin/echo"] null
            $ docker commit --change 'CMD ["ls"]' c1 img3
            sha256:f97b44bb457fffcc07158bd1c4584e6733bc2491600ef750f43304bd4c5066db
            $ docker inspect -f '{{.Config.Entrypoint}} {{.Config.Cmd}}' img3
            [] [ls]
        "#]],
    );
}

#[test]
fn inspect_format_runs_go_templates_on_the_json() {
    check(
        "docker pull busybox
         docker run -d --name c1 busybox sleep 1000
         docker inspect -f '{{.State.Status}} {{.Name}} {{.Config.Cmd}} {{len .Config.Cmd}}' c1
         docker inspect --format '{{json .Config.Env}}' busybox
         docker inspect -f '{{range .RootFS.Layers}}{{println .}}{{end}}' busybox
         docker inspect -f '{{index .Config.Labels \"x\"}} {{upper .Os}}' busybox
         docker inspect -f '{{.NoSuchField}}' busybox
         docker inspect -f '{{nosuch .Id}}' busybox
         docker inspect -f '{{.Id}}' nosuch",
        expect![[r#"
            $ docker pull busybox
            Using default tag: latest
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            docker.io/library/busybox:latest
            $ docker run -d --name c1 busybox sleep 1000
            443a3bdb933ee5e4dbb4991fc0b9e6ee2e02eb69872e8e3ed55be14432b7bfd2
            $ docker inspect -f '{{.State.Status}} {{.Name}} {{.Config.Cmd}} {{len .Config.Cmd}}' c1
            running /c1 [sleep 1000] 2
            $ docker inspect --format '{{json .Config.Env}}' busybox
            ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
            $ docker inspect -f '{{range .RootFS.Layers}}{{println .}}{{end}}' busybox
            sha256:1ea6023c052bd9330144a0a7228887c93acb1e69accf010ae4144fc706211def

            $ docker inspect -f '{{index .Config.Labels "x"}} {{upper .Os}}' busybox
             LINUX
            $ docker inspect -f '{{.NoSuchField}}' busybox

            template parsing error: template: :1:2: executing "" at <.NoSuchField>: map has no entry for key "NoSuchField"
            [exit 1]
            $ docker inspect -f '{{nosuch .Id}}' busybox
            template parsing error: template: :1: function "nosuch" not defined
            [exit 64]
            $ docker inspect -f '{{.Id}}' nosuch

            Error: No such object: nosuch
            [exit 1]
        "#]],
    );
}

#[test]
fn images_q_prints_the_id_of_each_row_the_filter_keeps() {
    check(
        "docker pull busybox
         docker tag busybox a:1
         docker tag busybox a:2
         docker images -q
         docker images -q a
         docker images -q a:2
         docker images -q nosuch",
        expect![[r#"
            $ docker pull busybox
            Using default tag: latest
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            docker.io/library/busybox:latest
            $ docker tag busybox a:1
            $ docker tag busybox a:2
            $ docker images -q
            1f58d96045ca
            1f58d96045ca
            1f58d96045ca
            $ docker images -q a
            1f58d96045ca
            1f58d96045ca
            $ docker images -q a:2
            1f58d96045ca
            $ docker images -q nosuch
        "#]],
    );
}

#[test]
fn ps_format_runs_a_template_per_container() {
    check(
        "docker pull busybox
         docker run -d --name c1 busybox sleep 1000
         docker run --name c2 busybox echo 'a b' c
         docker ps -a --format '{{.Names}} {{.State}} {{.Command}}'
         docker ps -a --no-trunc --format '{{.Image}}: {{.Command}}'
         docker ps extra",
        expect![[r#"
            $ docker pull busybox
            Using default tag: latest
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            docker.io/library/busybox:latest
            $ docker run -d --name c1 busybox sleep 1000
            443a3bdb933ee5e4dbb4991fc0b9e6ee2e02eb69872e8e3ed55be14432b7bfd2
            $ docker run --name c2 busybox echo 'a b' c
            a b c
            $ docker ps -a --format '{{.Names}} {{.State}} {{.Command}}'
            c2 exited "echo 'a b' c"
            c1 running "sleep 1000"
            $ docker ps -a --no-trunc --format '{{.Image}}: {{.Command}}'
            busybox: "echo 'a b' c"
            busybox: "sleep 1000"
            $ docker ps extra
            docker: 'docker ps' accepts no arguments

            Usage:  docker ps [OPTIONS]

            See 'docker ps --help' for more information
            [exit 1]
        "#]],
    );
}
