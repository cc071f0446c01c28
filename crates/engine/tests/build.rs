//! `docker build` transcripts: the project's files are written by the host
//! shell (heredocs, as a learner would), then built, rebuilt and inspected.

use expect_test::{expect, Expect};
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

fn check(commands: &[&str], expect: Expect) {
    let mut s = Session::new();
    expect.assert_eq(&run(&mut s, commands));
}

#[test]
fn the_tutorials_dockerfile_builds_as_written() {
    check(
        &[
            "cat Dockerfile",
            "docker build -t app .",
            "docker history app",
            "docker images",
        ],
        expect![[r#"
            $ cat Dockerfile
            FROM ubuntu:15.04
            COPY . /app
            RUN make /app
            CMD python /app/app.py
            $ docker build -t app .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 104B done
            #1 DONE 0.0s

            #2 [internal] load metadata for docker.io/library/ubuntu:15.04
            #2 DONE 0.1s

            #3 [internal] load .dockerignore
            #3 transferring context: 51B done
            #3 DONE 0.0s

            #4 [1/3] FROM docker.io/library/ubuntu:15.04
            #4 DONE 0.1s

            #5 [internal] load build context
            #5 transferring context: 176B done
            #5 DONE 0.0s

            #6 [2/3] COPY . /app
            #6 DONE 0.1s

            #7 [3/3] RUN make /app
            #7 0.100 make: Nothing to be done for '/app'.
            #7 DONE 0.1s

            #8 exporting to image
            #8 exporting layers 0.1s done
            #8 writing image sha256:985ea2de1dd94e0ad37b15680c6a8f96730c2186052fd24b8e7f7707508fbd2f done
            #8 naming to docker.io/library/app done
            #8 DONE 0.1s
            $ docker history app
            IMAGE          CREATED        CREATED BY                                      SIZE      COMMENT
            985ea2de1dd9   1 second ago   CMD ["/bin/sh" "-c" "python /app/app.py"]       0B        buildkit.dockerfile.v0
            <missing>      1 second ago   RUN /bin/sh -c make /app # buildkit             0B        buildkit.dockerfile.v0
            <missing>      1 second ago   COPY . /app # buildkit                          176B      buildkit.dockerfile.v0
            <missing>      9 years ago    /bin/sh -c #(nop) CMD ["/bin/bash"]             0B        
            <missing>      9 years ago    /bin/sh -c sed -i 's/^#\s*\(deb.*universe\)$…   113B      
            <missing>      9 years ago    /bin/sh -c echo '#!/bin/sh' > /usr/sbin/poli…   105B      
            <missing>      9 years ago    /bin/sh -c #(nop) ADD file:9b5ba393502195549…   131MB     
            $ docker images
            REPOSITORY   TAG       IMAGE ID       CREATED         SIZE
            app          latest    985ea2de1dd9   2 seconds ago   131MB
        "#]],
    );
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
            .build
            .iter()
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

#[test]
fn metadata_steps_are_history_entries_without_layers() {
    check(
        &[
            "cat > Dockerfile <<'EOF'\nFROM busybox\nARG GREETING=hello\nENV APP=/srv/app\nWORKDIR $APP\nLABEL maintainer=\"teacher\"\nCOPY app.py .\nRUN echo \"$GREETING\" > greeting.txt && ls -l\nEXPOSE 8080 443\nCMD [\"sh\"]\nEOF",
            "docker build -t meta .",
            "docker history meta",
        ],
        expect![[r#"
            $ cat > Dockerfile <<'EOF'
            $ docker build -t meta .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 214B done
            #1 DONE 0.0s

            #2 [internal] load metadata for docker.io/library/busybox:latest
            #2 DONE 0.1s

            #3 [internal] load .dockerignore
            #3 transferring context: 51B done
            #3 DONE 0.0s

            #4 [1/4] FROM docker.io/library/busybox:latest
            #4 DONE 0.1s

            #5 [2/4] WORKDIR /srv/app
            #5 DONE 0.1s

            #6 [internal] load build context
            #6 transferring context: 284B done
            #6 DONE 0.0s

            #7 [3/4] COPY app.py .
            #7 DONE 0.1s

            #8 [4/4] RUN echo "hello" > greeting.txt && ls -l
            #8 0.100 total 8
            #8 0.101 -rw-r--r-- 1 root 0   39 Jan  1 00:00 app.py
            #8 0.102 -rw-r--r-- 1 root 0    6 Jan  1 00:00 greeting.txt
            #8 DONE 0.1s

            #9 exporting to image
            #9 exporting layers 0.1s done
            #9 writing image sha256:a5c44d7ea24f9b3ab0827c76d748a29c57a26c548b47de7d2cf9dc1e68729a4e done
            #9 naming to docker.io/library/meta done
            #9 DONE 0.1s
            $ docker history meta
            IMAGE          CREATED         CREATED BY                                      SIZE      COMMENT
            a5c44d7ea24f   1 second ago    CMD ["sh"]                                      0B        buildkit.dockerfile.v0
            <missing>      1 second ago    EXPOSE [443/tcp 8080/tcp]                       0B        buildkit.dockerfile.v0
            <missing>      1 second ago    RUN |1 GREETING=hello /bin/sh -c echo "$GREE…   6B        buildkit.dockerfile.v0
            <missing>      1 second ago    COPY app.py . # buildkit                        39B       buildkit.dockerfile.v0
            <missing>      1 second ago    LABEL maintainer=teacher                        0B        buildkit.dockerfile.v0
            <missing>      1 second ago    WORKDIR /srv/app                                0B        buildkit.dockerfile.v0
            <missing>      1 second ago    ENV APP=/srv/app                                0B        buildkit.dockerfile.v0
            <missing>      1 second ago    ARG GREETING=hello                              0B        buildkit.dockerfile.v0
            <missing>      15 months ago   CMD ["sh"]                                      0B        buildkit.dockerfile.v0
            <missing>      15 months ago   ADD busybox.tar.xz / # buildkit                 4.26MB    buildkit.dockerfile.v0
        "#]],
    );
}

#[test]
fn removing_files_in_a_later_layer_does_not_shrink_the_image() {
    check(
        &[
            "printf 'FROM debian:bookworm-slim\\nRUN apt-get update\\nRUN rm -rf /var/lib/apt/lists/*\\n' > Dockerfile",
            "docker build -q -t two-runs .",
            "printf 'FROM debian:bookworm-slim\\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\\n' > Dockerfile",
            "docker build -q -t one-run .",
            "docker images",
            "docker history two-runs",
        ],
        expect![[r#"
            $ printf 'FROM debian:bookworm-slim\nRUN apt-get update\nRUN rm -rf /var/lib/apt/lists/*\n' > Dockerfile
            $ docker build -q -t two-runs .
            sha256:f42a2e36c3e18009d5b77337adb3a388129415ec974576301aff3fceeb2050f9
            $ printf 'FROM debian:bookworm-slim\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\n' > Dockerfile
            $ docker build -q -t one-run .
            sha256:ec9c339fe7fb7e37e5f64d4d7a8ad9702b4f3fa11b1a45fa22adedd3a53e4292
            $ docker images
            REPOSITORY   TAG       IMAGE ID       CREATED         SIZE
            one-run      latest    ec9c339fe7fb   1 second ago    74.8MB
            two-runs     latest    f42a2e36c3e1   3 seconds ago   120MB
            $ docker history two-runs
            IMAGE          CREATED         CREATED BY                                      SIZE      COMMENT
            f42a2e36c3e1   4 seconds ago   RUN /bin/sh -c rm -rf /var/lib/apt/lists/* #…   0B        buildkit.dockerfile.v0
            <missing>      4 seconds ago   RUN /bin/sh -c apt-get update # buildkit        45.3MB    buildkit.dockerfile.v0
            <missing>      13 months ago   CMD ["bash"]                                    0B        buildkit.dockerfile.v0
            <missing>      13 months ago   # debian.sh --arch 'amd64' out/ 'bookworm' '…   74.8MB    buildkit.dockerfile.v0
        "#]],
    );
}

#[test]
fn a_failing_run_stops_the_build_at_its_line() {
    check(
        &[
            "printf 'FROM ubuntu:15.04\\nCOPY . /app\\nRUN make -C /app nothing\\nCMD python /app/app.py\\n' > Dockerfile",
            "docker build -t broken .",
        ],
        expect![[r#"
            $ printf 'FROM ubuntu:15.04\nCOPY . /app\nRUN make -C /app nothing\nCMD python /app/app.py\n' > Dockerfile
            $ docker build -t broken .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 115B done
            #1 DONE 0.0s

            #2 [internal] load metadata for docker.io/library/ubuntu:15.04
            #2 DONE 0.1s

            #3 [internal] load .dockerignore
            #3 transferring context: 51B done
            #3 DONE 0.0s

            #4 [1/3] FROM docker.io/library/ubuntu:15.04
            #4 DONE 0.1s

            #5 [internal] load build context
            #5 transferring context: 187B done
            #5 DONE 0.0s

            #6 [2/3] COPY . /app
            #6 DONE 0.1s

            #7 [3/3] RUN make -C /app nothing
            #7 0.100 make: Entering directory '/app'
            #7 0.101 make: *** No rule to make target 'nothing'.  Stop.
            #7 0.102 make: Leaving directory '/app'
            #7 ERROR: process "/bin/sh -c make -C /app nothing" did not complete successfully: exit code: 2
            ------
             > [3/3] RUN make -C /app nothing:
            0.100 make: Entering directory '/app'
            0.101 make: *** No rule to make target 'nothing'.  Stop.
            0.102 make: Leaving directory '/app'
            ------
            Dockerfile:3
            --------------------
               1 |     FROM ubuntu:15.04
               2 |     COPY . /app
               3 | >>> RUN make -C /app nothing
               4 |     CMD python /app/app.py
               5 |     
            --------------------
            ERROR: failed to solve: process "/bin/sh -c make -C /app nothing" did not complete successfully: exit code: 2
            [exit 1]
        "#]],
    );
}

#[test]
fn what_the_image_lacks_is_not_found() {
    check(
        &[
            "printf 'FROM alpine\\nRUN curl -O https://example.com\\n' > Dockerfile",
            "docker build .",
            "printf 'FROM scratch\\nRUN echo hi\\n' > Dockerfile",
            "docker build .",
        ],
        expect![[r#"
            $ printf 'FROM alpine\nRUN curl -O https://example.com\n' > Dockerfile
            $ docker build .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 81B done
            #1 DONE 0.0s

            #2 [internal] load metadata for docker.io/library/alpine:latest
            #2 DONE 0.1s

            #3 [internal] load .dockerignore
            #3 transferring context: 51B done
            #3 DONE 0.0s

            #4 [1/2] FROM docker.io/library/alpine:latest
            #4 DONE 0.1s

            #5 [2/2] RUN curl -O https://example.com
            #5 0.100 /bin/sh: 1: curl: not found
            #5 ERROR: process "/bin/sh -c curl -O https://example.com" did not complete successfully: exit code: 127
            ------
             > [2/2] RUN curl -O https://example.com:
            0.100 /bin/sh: 1: curl: not found
            ------
            Dockerfile:2
            --------------------
               1 |     FROM alpine
               2 | >>> RUN curl -O https://example.com
               3 |     
            --------------------
            ERROR: failed to solve: process "/bin/sh -c curl -O https://example.com" did not complete successfully: exit code: 127
            [exit 1]
            $ printf 'FROM scratch\nRUN echo hi\n' > Dockerfile
            $ docker build .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 62B done
            #1 DONE 0.0s

            #2 [internal] load .dockerignore
            #2 transferring context: 51B done
            #2 DONE 0.0s

            #3 [1/1] RUN echo hi
            #3 ERROR: process "/bin/sh -c echo hi" did not complete successfully: runc run failed: unable to start container process: exec: "/bin/sh": stat /bin/sh: no such file or directory
            ------
             > [1/1] RUN echo hi:
            ------
            Dockerfile:2
            --------------------
               1 |     FROM scratch
               2 | >>> RUN echo hi
               3 |     
            --------------------
            ERROR: failed to solve: process "/bin/sh -c echo hi" did not complete successfully: runc run failed: unable to start container process: exec: "/bin/sh": stat /bin/sh: no such file or directory
            [exit 1]
        "#]],
    );
}

#[test]
fn copy_sources_and_dockerignore() {
    check(
        &[
            "mkdir -p src/lib && echo a > src/lib/a.txt && echo b > src/b.txt && touch skip.pyc",
            "printf 'FROM busybox\\nCOPY src /dst/\\nCOPY *.py app.py /py/\\nCOPY . /all\\nRUN ls -R /dst /py && ls /all\\n' > Dockerfile",
            "docker build -t copies .",
            "printf 'FROM busybox\\nCOPY missing.txt /\\n' > Dockerfile",
            "docker build .",
        ],
        expect![[r#"
            $ mkdir -p src/lib && echo a > src/lib/a.txt && echo b > src/b.txt && touch skip.pyc
            $ printf 'FROM busybox\nCOPY src /dst/\nCOPY *.py app.py /py/\nCOPY . /all\nRUN ls -R /dst /py && ls /all\n' > Dockerfile
            $ docker build -t copies .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 129B done
            #1 DONE 0.0s

            #2 [internal] load metadata for docker.io/library/busybox:latest
            #2 DONE 0.1s

            #3 [internal] load .dockerignore
            #3 transferring context: 51B done
            #3 DONE 0.0s

            #4 [1/5] FROM docker.io/library/busybox:latest
            #4 DONE 0.1s

            #5 [internal] load build context
            #5 transferring context: 205B done
            #5 DONE 0.0s

            #6 [2/5] COPY src /dst/
            #6 DONE 0.1s

            #7 [3/5] COPY *.py app.py /py/
            #7 DONE 0.1s

            #8 [4/5] COPY . /all
            #8 DONE 0.1s

            #9 [5/5] RUN ls -R /dst /py && ls /all
            #9 0.100 /dst:
            #9 0.101 b.txt  lib
            #9 0.102 
            #9 0.103 /py:
            #9 0.104 app.py
            #9 0.105 Dockerfile  Makefile  app.py  src
            #9 DONE 0.1s

            #10 exporting to image
            #10 exporting layers 0.1s done
            #10 writing image sha256:952c0cdba766a75e1a1a9ebeb5526cbe0a8b00afb600b060902cd969a984a2eb done
            #10 naming to docker.io/library/copies done
            #10 DONE 0.1s
            $ printf 'FROM busybox\nCOPY missing.txt /\n' > Dockerfile
            $ docker build .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 69B done
            #1 DONE 0.0s

            #2 [internal] load metadata for docker.io/library/busybox:latest
            #2 DONE 0.1s

            #3 [internal] load .dockerignore
            #3 transferring context: 51B done
            #3 DONE 0.0s

            #4 [1/2] FROM docker.io/library/busybox:latest
            #4 CACHED

            #5 [internal] load build context
            #5 transferring context: 145B done
            #5 DONE 0.0s

            #6 [2/2] COPY missing.txt /
            #6 ERROR: failed to calculate checksum of ref 808055d37fbfc5c942b3c1416: "/missing.txt": not found
            ------
             > [2/2] COPY missing.txt /:
            ------
            Dockerfile:2
            --------------------
               1 |     FROM busybox
               2 | >>> COPY missing.txt /
               3 |     
            --------------------
            ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref 808055d37fbfc5c942b3c1416: "/missing.txt": not found
            [exit 1]
        "#]],
    );
}

#[test]
fn multi_stage_builds_only_what_the_target_needs() {
    check(
        &[
            "cat > Dockerfile <<'EOF'\nFROM busybox AS unused\nRUN echo never\nFROM alpine AS builder\nRUN echo built > /out.txt\nFROM busybox\nCOPY --from=builder /out.txt /out.txt\nRUN cat /out.txt\nEOF",
            "docker build -t multi .",
        ],
        expect![[r#"
            $ cat > Dockerfile <<'EOF'
            $ docker build -t multi .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 194B done
            #1 DONE 0.0s

            #2 [internal] load metadata for docker.io/library/busybox:latest
            #2 DONE 0.1s

            #3 [internal] load metadata for docker.io/library/alpine:latest
            #3 DONE 0.1s

            #4 [internal] load .dockerignore
            #4 transferring context: 51B done
            #4 DONE 0.0s

            #5 [builder 1/2] FROM docker.io/library/alpine:latest
            #5 DONE 0.1s

            #6 [builder 2/2] RUN echo built > /out.txt
            #6 DONE 0.1s

            #7 [stage-2 1/3] FROM docker.io/library/busybox:latest
            #7 DONE 0.1s

            #8 [stage-2 2/3] COPY --from=builder /out.txt /out.txt
            #8 DONE 0.1s

            #9 [stage-2 3/3] RUN cat /out.txt
            #9 0.100 built
            #9 DONE 0.1s

            #10 exporting to image
            #10 exporting layers 0.1s done
            #10 writing image sha256:dd35cf9a7f87cc41701c7280d10afc52b68d3b1ad925d8119588b0160e08bac9 done
            #10 naming to docker.io/library/multi done
            #10 DONE 0.1s
        "#]],
    );
}

#[test]
fn dockerfile_errors_are_reported_with_their_line() {
    check(
        &[
            "printf 'FROM ubuntu:15.04\\nRUNN make\\n' > Dockerfile",
            "docker build .",
            "docker build -f Nope .",
            "docker build",
            "docker build . 2>&1 | grep ERROR",
            "printf 'FROM nosuchimage:1\\n' > Dockerfile",
            "docker build .",
        ],
        expect![[r#"
            $ printf 'FROM ubuntu:15.04\nRUNN make\n' > Dockerfile
            $ docker build .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 65B done
            #1 DONE 0.0s
            Dockerfile:2
            --------------------
               1 |     FROM ubuntu:15.04
               2 | >>> RUNN make
               3 |     
            --------------------
            ERROR: failed to solve: dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)
            [exit 1]
            $ docker build -f Nope .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Nope
            #1 transferring dockerfile: 2B done
            #1 DONE 0.0s
            ERROR: failed to solve: failed to read dockerfile: open Nope: no such file or directory
            [exit 1]
            $ docker build
            ERROR: docker buildx build requires 1 argument
            See 'docker buildx build --help'.

            Usage:  docker buildx build [OPTIONS] PATH | URL | -

            Start a build
            [exit 1]
            $ docker build . 2>&1 | grep ERROR
            Layerlab: a docker command runs on its own line for now; pipes, redirections, ';', '&&' and $variables around docker are not simulated yet. Run the docker command alone (a heredoc for `docker exec -i` is fine).
            [exit 2]
            $ printf 'FROM nosuchimage:1\n' > Dockerfile
            $ docker build .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 56B done
            #1 DONE 0.0s

            #2 [internal] load .dockerignore
            #2 transferring context: 51B done
            #2 DONE 0.0s

            #3 [internal] load metadata for docker.io/library/nosuchimage:1
            #3 ERROR: docker.io/library/nosuchimage:1: not found
            ERROR: failed to solve: nosuchimage:1: failed to resolve source metadata for docker.io/library/nosuchimage:1: docker.io/library/nosuchimage:1: not found
            [exit 1]
        "#]],
    );
}

#[test]
fn the_legacy_builder_commits_an_image_per_instruction() {
    check(
        &[
            "DOCKER_BUILDKIT=0 docker build -t app .",
            "docker images",
            "docker images -a",
            "docker history app",
            "DOCKER_BUILDKIT=0 docker build -t app .",
            "echo '# edited' >> app.py",
            "DOCKER_BUILDKIT=0 docker build -q -t app .",
            "docker images",
            "docker rmi app",
            "docker images -a",
        ],
        expect![[r#"
            $ DOCKER_BUILDKIT=0 docker build -t app .
            DEPRECATED: The legacy builder is deprecated and will be removed in a future release.
                        BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0
                        environment-variable.

            Sending build context to Docker daemon   5.12kB
            Step 1/4 : FROM ubuntu:15.04
            15.04: Pulling from library/ubuntu
            f8c98c1d5d88: Pull complete
            71b33a22991b: Pull complete
            42db6b306f59: Pull complete
            e5faf014118a: Pull complete
            Digest: sha256:7a150caf62b905a9a90cf2cac573941fcf1ab6912a6b4b352535faa4c12e6f4f
            Status: Downloaded newer image for ubuntu:15.04
             ---> 366cb16f3cda
            Step 2/4 : COPY . /app
             ---> a773c918e918
            Step 3/4 : RUN make /app
             ---> Running in 76c57a168665
            make: Nothing to be done for '/app'.
             ---> Removed intermediate container 76c57a168665
             ---> e8c8b17afbb6
            Step 4/4 : CMD python /app/app.py
             ---> Running in 37173587960a
             ---> Removed intermediate container 37173587960a
             ---> df6fc13b3a4e
            Successfully built df6fc13b3a4e
            Successfully tagged app:latest
            $ docker images
            REPOSITORY   TAG       IMAGE ID       CREATED        SIZE
            app          latest    df6fc13b3a4e   1 second ago   131MB
            ubuntu       15.04     366cb16f3cda   9 years ago    131MB
            $ docker images -a
            REPOSITORY   TAG       IMAGE ID       CREATED         SIZE
            <none>       <none>    e8c8b17afbb6   2 seconds ago   131MB
            app          latest    df6fc13b3a4e   2 seconds ago   131MB
            <none>       <none>    a773c918e918   2 seconds ago   131MB
            ubuntu       15.04     366cb16f3cda   9 years ago     131MB
            $ docker history app
            IMAGE          CREATED         CREATED BY                                      SIZE      COMMENT
            df6fc13b3a4e   3 seconds ago   /bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "pyth…   0B        
            e8c8b17afbb6   3 seconds ago   /bin/sh -c make /app                            0B        
            a773c918e918   3 seconds ago   /bin/sh -c #(nop) COPY dir:3f22dfa7351599d44…   176B      
            366cb16f3cda   9 years ago     /bin/sh -c #(nop) CMD ["/bin/bash"]             0B        
            <missing>      9 years ago     /bin/sh -c sed -i 's/^#\s*\(deb.*universe\)$…   113B      
            <missing>      9 years ago     /bin/sh -c echo '#!/bin/sh' > /usr/sbin/poli…   105B      
            <missing>      9 years ago     /bin/sh -c #(nop) ADD file:9b5ba393502195549…   131MB     
            $ DOCKER_BUILDKIT=0 docker build -t app .
            DEPRECATED: The legacy builder is deprecated and will be removed in a future release.
                        BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0
                        environment-variable.

            Sending build context to Docker daemon   5.12kB
            Step 1/4 : FROM ubuntu:15.04
             ---> 366cb16f3cda
            Step 2/4 : COPY . /app
             ---> Using cache
             ---> a773c918e918
            Step 3/4 : RUN make /app
             ---> Using cache
             ---> e8c8b17afbb6
            Step 4/4 : CMD python /app/app.py
             ---> Using cache
             ---> df6fc13b3a4e
            Successfully built df6fc13b3a4e
            Successfully tagged app:latest
            $ echo '# edited' >> app.py
            $ DOCKER_BUILDKIT=0 docker build -q -t app .
            DEPRECATED: The legacy builder is deprecated and will be removed in a future release.
                        BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0
                        environment-variable.

            sha256:10571300609ee9394b513652597627f6ab71334d81d2b7068ff980d1d8d89282
            $ docker images
            REPOSITORY   TAG       IMAGE ID       CREATED         SIZE
            app          latest    10571300609e   1 second ago    131MB
            <none>       <none>    df6fc13b3a4e   7 seconds ago   131MB
            ubuntu       15.04     366cb16f3cda   9 years ago     131MB
            $ docker rmi app
            Untagged: app:latest
            Deleted: sha256:10571300609ee9394b513652597627f6ab71334d81d2b7068ff980d1d8d89282
            Deleted: sha256:e9573d2fae117b36f11edc03a03244fe3fe9bf04fd88395607af614507c06e76
            Deleted: sha256:89bb94dcb3b8e1310f344f5091f49cc714e30a44be9c84c2d065415bd4ef29a2
            Deleted: sha256:cc8387e7b39930a198a6197a0ff93dfa5c0258a27103c6057af1e4839b2d5d8c
            $ docker images -a
            REPOSITORY   TAG       IMAGE ID       CREATED         SIZE
            <none>       <none>    e8c8b17afbb6   9 seconds ago   131MB
            <none>       <none>    df6fc13b3a4e   9 seconds ago   131MB
            <none>       <none>    a773c918e918   9 seconds ago   131MB
            ubuntu       15.04     366cb16f3cda   9 years ago     131MB
        "#]],
    );
}

#[test]
fn the_legacy_builder_fails_as_the_daemon_does() {
    check(
        &[
            "cat > Dockerfile <<'EOF'\nFROM busybox\nARG LEVEL=3\nENV MODE=test\nEXPOSE 80 443\nWORKDIR /srv\nHEALTHCHECK --interval=30s --retries=3 CMD wget -q -O- http://localhost/ || exit 1\nRUN echo \"level $LEVEL\" && exit 4\nEOF",
            "DOCKER_BUILDKIT=0 docker build -t broken .",
            "docker ps -a",
            "docker history --no-trunc a8e3d536f205",
            "cat > Dockerfile <<'EOF'\nFROM busybox\nCOPY --chmod=755 app.py /\nEOF",
            "DOCKER_BUILDKIT=0 docker build .",
            "cat > Dockerfile <<'EOF'\nFROM busybox\nCOPY app.py Makefile /srv\nEOF",
            "DOCKER_BUILDKIT=0 docker build .",
            "cat > Dockerfile <<'EOF'\nFROM busybox\nCOPY nothere.txt /\nEOF",
            "DOCKER_BUILDKIT=0 docker build .",
            "cat > Dockerfile <<'EOF'\nFROM busybox\nRUNN true\nEOF",
            "DOCKER_BUILDKIT=0 docker build .",
        ],
        expect![[r#"
            $ cat > Dockerfile <<'EOF'
            $ DOCKER_BUILDKIT=0 docker build -t broken .
            DEPRECATED: The legacy builder is deprecated and will be removed in a future release.
                        BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0
                        environment-variable.

            Sending build context to Docker daemon   5.12kB
            Step 1/7 : FROM busybox
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
             ---> 1f58d96045ca
            Step 2/7 : ARG LEVEL=3
             ---> Running in f002cf383a49
             ---> Removed intermediate container f002cf383a49
             ---> 606a22a442ad
            Step 3/7 : ENV MODE=test
             ---> Running in 6da2918b3524
             ---> Removed intermediate container 6da2918b3524
             ---> 0fc73e06a659
            Step 4/7 : EXPOSE 80 443
             ---> Running in 3256f1342fb5
             ---> Removed intermediate container 3256f1342fb5
             ---> 0ab24925b6da
            Step 5/7 : WORKDIR /srv
             ---> Running in 9e97e3462161
             ---> Removed intermediate container 9e97e3462161
             ---> f694a2d59eb7
            Step 6/7 : HEALTHCHECK --interval=30s --retries=3 CMD wget -q -O- http://localhost/ || exit 1
             ---> Running in ac7bd2a70ba5
             ---> Removed intermediate container ac7bd2a70ba5
             ---> 119623f003c1
            Step 7/7 : RUN echo "level $LEVEL" && exit 4
             ---> Running in 1a37f9822bd8
            level 3
            The command '/bin/sh -c echo "level $LEVEL" && exit 4' returned a non-zero code: 4
            [exit 4]
            $ docker ps -a
            CONTAINER ID   IMAGE          COMMAND                   CREATED        STATUS                    PORTS     NAMES
            1a37f9822bd8   119623f003c1   "/bin/sh -c 'echo \"l…"   1 second ago   Exited (4) 1 second ago             keen_turing
            $ docker history --no-trunc a8e3d536f205
            Error response from daemon: No such image: a8e3d536f205:latest
            [exit 1]
            $ cat > Dockerfile <<'EOF'
            $ DOCKER_BUILDKIT=0 docker build .
            DEPRECATED: The legacy builder is deprecated and will be removed in a future release.
                        BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0
                        environment-variable.

            Sending build context to Docker daemon   5.12kB
            Step 1/2 : FROM busybox
             ---> 1f58d96045ca
            Step 2/2 : COPY --chmod=755 app.py /
            the --chmod option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled
            [exit 1]
            $ cat > Dockerfile <<'EOF'
            $ DOCKER_BUILDKIT=0 docker build .
            DEPRECATED: The legacy builder is deprecated and will be removed in a future release.
                        BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0
                        environment-variable.

            Sending build context to Docker daemon   5.12kB
            Step 1/2 : FROM busybox
             ---> 1f58d96045ca
            Step 2/2 : COPY app.py Makefile /srv
            When using COPY with more than one source file, the destination must be a directory and end with a /
            [exit 1]
            $ cat > Dockerfile <<'EOF'
            $ DOCKER_BUILDKIT=0 docker build .
            DEPRECATED: The legacy builder is deprecated and will be removed in a future release.
                        BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0
                        environment-variable.

            Sending build context to Docker daemon   5.12kB
            Step 1/2 : FROM busybox
             ---> 1f58d96045ca
            Step 2/2 : COPY nothere.txt /
            COPY failed: file not found in build context or excluded by .dockerignore: stat nothere.txt: file does not exist
            [exit 1]
            $ cat > Dockerfile <<'EOF'
            $ DOCKER_BUILDKIT=0 docker build .
            DEPRECATED: The legacy builder is deprecated and will be removed in a future release.
                        BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0
                        environment-variable.

            Sending build context to Docker daemon   5.12kB
            Error response from daemon: dockerfile parse error on line 2: unknown instruction: RUNN (did you mean RUN?)
            [exit 1]
        "#]],
    );
}

#[test]
fn healthcheck_is_recorded_as_buildkit_prints_it() {
    check(
        &[
            "cat > Dockerfile <<'EOF'\nFROM busybox\nHEALTHCHECK --interval=1m30s --timeout=500ms CMD [\"wget\", \"-q\", \"http://localhost/\"]\nEOF",
            "docker build -q -t hc .",
            "docker history --no-trunc hc",
        ],
        expect![[r#"
            $ cat > Dockerfile <<'EOF'
            $ docker build -q -t hc .
            sha256:89237c3b5c95c89b5caad20a451f1345b84df27b0644558986b63e69ba4fb67e
            $ docker history --no-trunc hc
            IMAGE                                                                     CREATED         CREATED BY                                                                                                                  SIZE      COMMENT
            sha256:89237c3b5c95c89b5caad20a451f1345b84df27b0644558986b63e69ba4fb67e   15 months ago   HEALTHCHECK {Test:[CMD wget -q http://localhost/] Interval:1m30s Timeout:500ms StartPeriod:0s StartInterval:0s Retries:0}   0B        buildkit.dockerfile.v0
            <missing>                                                                 15 months ago   CMD ["sh"]                                                                                                                  0B        buildkit.dockerfile.v0
            <missing>                                                                 15 months ago   ADD busybox.tar.xz / # buildkit                                                                                             4.26MB    buildkit.dockerfile.v0
        "#]],
    );
}

#[test]
fn add_unpacks_local_tar_archives_and_copy_does_not() {
    check(
        &[
            "mkdir -p site/css && echo '<h1>hi</h1>' > site/index.html && echo 'h1{}' > site/css/a.css",
            "tar -czvf site.tgz site",
            "tar -cf plain.tar -C site index.html",
            "tar -tvf plain.tar",
            "cat > Dockerfile <<'EOF'\nFROM busybox\nADD site.tgz /srv/\nADD plain.tar /plain\nADD --unpack=false plain.tar /kept/\nCOPY site.tgz /copied/\nRUN ls /srv /srv/site /srv/site/css /plain /kept /copied && cat /srv/site/index.html\nEOF",
            "docker build -t add .",
            "tar xzf Dockerfile",
            "tar -cf",
        ],
        expect![[r#"
            $ mkdir -p site/css && echo '<h1>hi</h1>' > site/index.html && echo 'h1{}' > site/css/a.css
            $ tar -czvf site.tgz site
            site/
            site/css/
            site/css/a.css
            site/index.html
            $ tar -cf plain.tar -C site index.html
            $ tar -tvf plain.tar
            -rw-r--r-- 0/0              12 2026-01-01 00:00 index.html
            $ cat > Dockerfile <<'EOF'
            $ docker build -t add .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 236B done
            #1 DONE 0.0s

            #2 [internal] load metadata for docker.io/library/busybox:latest
            #2 DONE 0.1s

            #3 [internal] load .dockerignore
            #3 transferring context: 51B done
            #3 DONE 0.0s

            #4 [1/6] FROM docker.io/library/busybox:latest
            #4 DONE 0.1s

            #5 [internal] load build context
            #5 transferring context: 2.556kB done
            #5 DONE 0.0s

            #6 [2/6] ADD site.tgz /srv/
            #6 DONE 0.1s

            #7 [3/6] ADD plain.tar /plain
            #7 DONE 0.1s

            #8 [4/6] ADD --unpack=false plain.tar /kept/
            #8 DONE 0.1s

            #9 [5/6] COPY site.tgz /copied/
            #9 DONE 0.1s

            #10 [6/6] RUN ls /srv /srv/site /srv/site/css /plain /kept /copied && cat /srv/site/index.html
            #10 0.100 /srv:
            #10 0.101 site
            #10 0.102 
            #10 0.103 /srv/site:
            #10 0.104 css  index.html
            #10 0.105 
            #10 0.106 /srv/site/css:
            #10 0.107 a.css
            #10 0.108 
            #10 0.109 /plain:
            #10 0.110 index.html
            #10 0.111 
            #10 0.112 /kept:
            #10 0.113 plain.tar
            #10 0.114 
            #10 0.115 /copied:
            #10 0.116 site.tgz
            #10 0.117 <h1>hi</h1>
            #10 DONE 0.1s

            #11 exporting to image
            #11 exporting layers 0.1s done
            #11 writing image sha256:5d37eb2ee709ac519b22892e7db412e4eac519b05bd9c100acba872f3383b428 done
            #11 naming to docker.io/library/add done
            #11 DONE 0.1s
            $ tar xzf Dockerfile
            tar: This does not look like a tar archive
            tar: Exiting with failure status due to previous errors
            [exit 2]
            $ tar -cf
            tar: option requires an argument -- 'f'
            Try 'tar --help' or 'tar --usage' for more information.
            [exit 2]
        "#]],
    );
}

#[test]
fn a_cached_rebuild_dates_its_history_from_the_cache_and_keeps_the_image_id() {
    check(
        &[
            "docker pull busybox",
            "cat > Dockerfile <<'EOF'\nFROM busybox\nENV A=1\nRUN echo hi > /hi.txt\nCMD [\"cat\", \"/hi.txt\"]\nEOF",
            "docker build -q -t app .",
            "echo 'CMD [\"true\"]' >> Dockerfile",
            "docker build -q -t app .",
            "docker inspect -f '{{.Created}}' app",
            "docker history app",
            "cat > Dockerfile <<'EOF'\nFROM busybox\nENV A=1\nRUN echo hi > /hi.txt\nCMD [\"cat\", \"/hi.txt\"]\nEOF",
            "docker build -q -t app .",
            "docker images",
        ],
        expect![[r#"
            $ docker pull busybox
            Using default tag: latest
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            docker.io/library/busybox:latest
            $ cat > Dockerfile <<'EOF'
            $ docker build -q -t app .
            sha256:0fb0ab06d2c09f2669be40db4181b3615af1afd03d9663dcfbcaa7036395ac15
            $ echo 'CMD ["true"]' >> Dockerfile
            $ docker build -q -t app .
            sha256:9ed5e4a859b76f8a3d2be51b30e93027a3f8e6485d116cf4446aff747002c6e0
            $ docker inspect -f '{{.Created}}' app
            2026-01-01T00:00:02Z
            $ docker history app
            IMAGE          CREATED         CREATED BY                                    SIZE      COMMENT
            9ed5e4a859b7   4 seconds ago   CMD ["true"]                                  0B        buildkit.dockerfile.v0
            <missing>      4 seconds ago   CMD ["cat" "/hi.txt"]                         0B        buildkit.dockerfile.v0
            <missing>      4 seconds ago   RUN /bin/sh -c echo hi > /hi.txt # buildkit   3B        buildkit.dockerfile.v0
            <missing>      4 seconds ago   ENV A=1                                       0B        buildkit.dockerfile.v0
            <missing>      15 months ago   CMD ["sh"]                                    0B        buildkit.dockerfile.v0
            <missing>      15 months ago   ADD busybox.tar.xz / # buildkit               4.26MB    buildkit.dockerfile.v0
            $ cat > Dockerfile <<'EOF'
            $ docker build -q -t app .
            sha256:0fb0ab06d2c09f2669be40db4181b3615af1afd03d9663dcfbcaa7036395ac15
            $ docker images
            REPOSITORY   TAG       IMAGE ID       CREATED         SIZE
            <none>       <none>    9ed5e4a859b7   7 seconds ago   4.26MB
            app          latest    0fb0ab06d2c0   7 seconds ago   4.26MB
            busybox      latest    1f58d96045ca   15 months ago   4.26MB
        "#]],
    );
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

#[test]
fn buildkit_names_steps_with_variables_expanded_and_a_base_it_resolved_before_is_cached() {
    check(
        &[
            "docker pull busybox",
            "cat > Dockerfile <<'EOF'\nFROM busybox\nARG WHO=nobody\nENV E=env\nRUN echo \"$WHO\" '$E' \\$E > /who.txt\nEOF",
            "docker build -t app .",
            "docker build --build-arg WHO=ann -t app .",
        ],
        expect![[r#"
            $ docker pull busybox
            Using default tag: latest
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            docker.io/library/busybox:latest
            $ cat > Dockerfile <<'EOF'
            $ docker build -t app .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 111B done
            #1 DONE 0.0s

            #2 [internal] load metadata for docker.io/library/busybox:latest
            #2 DONE 0.1s

            #3 [internal] load .dockerignore
            #3 transferring context: 51B done
            #3 DONE 0.0s

            #4 [1/2] FROM docker.io/library/busybox:latest
            #4 DONE 0.0s

            #5 [2/2] RUN echo "nobody" '$E' $E > /who.txt
            #5 DONE 0.1s

            #6 exporting to image
            #6 exporting layers 0.1s done
            #6 writing image sha256:7c432d7753bc70cf0ce402627bedae7353aa9673a48ec38b4d6950954ff687e8 done
            #6 naming to docker.io/library/app done
            #6 DONE 0.1s
            $ docker build --build-arg WHO=ann -t app .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 111B done
            #1 DONE 0.0s

            #2 [internal] load metadata for docker.io/library/busybox:latest
            #2 DONE 0.1s

            #3 [internal] load .dockerignore
            #3 transferring context: 51B done
            #3 DONE 0.0s

            #4 [1/2] FROM docker.io/library/busybox:latest
            #4 CACHED

            #5 [2/2] RUN echo "ann" '$E' $E > /who.txt
            #5 DONE 0.1s

            #6 exporting to image
            #6 exporting layers 0.1s done
            #6 writing image sha256:1bb6c2ae5327e75ccc6c30158079842b73e2eed5ab828d54b0b09c7662ceaec5 done
            #6 naming to docker.io/library/app done
            #6 DONE 0.1s
        "#]],
    );
}

#[test]
fn buildkit_shows_a_shared_base_once_no_from_scratch_step_and_boxes_a_failed_copy() {
    check(
        &[
            "docker pull busybox",
            "cat > Dockerfile <<'EOF'\nFROM busybox AS build\nRUN echo built > /out.txt\nFROM busybox\nCOPY --from=build /out.txt /out.txt\nEOF",
            "docker build -q -t app .",
            "docker build -t app .",
            "echo hello > hello.txt",
            "cat > Dockerfile <<'EOF'\nFROM scratch\nCOPY hello.txt /\nEOF",
            "docker build -t s .",
            "cat > Dockerfile <<'EOF'\nFROM busybox\nCOPY nosuch.txt /\nEOF",
            "docker build -t app .",
        ],
        expect![[r#"
            $ docker pull busybox
            Using default tag: latest
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ecff88fd0
            Status: Downloaded newer image for busybox:latest
            docker.io/library/busybox:latest
            $ cat > Dockerfile <<'EOF'
            $ docker build -q -t app .
            sha256:56d072fd1c10f4c10b3a0d6f62a247372e7a38ce354a1855bf9306e048facf87
            $ docker build -t app .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 134B done
            #1 DONE 0.0s

            #2 [internal] load metadata for docker.io/library/busybox:latest
            #2 DONE 0.1s

            #3 [internal] load .dockerignore
            #3 transferring context: 51B done
            #3 DONE 0.0s

            #4 [build 1/2] FROM docker.io/library/busybox:latest
            #4 DONE 0.0s

            #5 [build 2/2] RUN echo built > /out.txt
            #5 CACHED

            #6 [stage-1 2/2] COPY --from=build /out.txt /out.txt
            #6 CACHED

            #7 exporting to image
            #7 exporting layers 0.1s done
            #7 writing image sha256:56d072fd1c10f4c10b3a0d6f62a247372e7a38ce354a1855bf9306e048facf87 done
            #7 naming to docker.io/library/app done
            #7 DONE 0.1s
            $ echo hello > hello.txt
            $ cat > Dockerfile <<'EOF'
            $ docker build -t s .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 67B done
            #1 DONE 0.0s

            #2 [internal] load .dockerignore
            #2 transferring context: 51B done
            #2 DONE 0.0s

            #3 [internal] load build context
            #3 transferring context: 145B done
            #3 DONE 0.0s

            #4 [1/1] COPY hello.txt /
            #4 DONE 0.1s

            #5 exporting to image
            #5 exporting layers 0.1s done
            #5 writing image sha256:d956d268afb00c996138c5c7c04ef5cf89af68444bc98f6c483cb6929d3b641b done
            #5 naming to docker.io/library/s done
            #5 DONE 0.1s
            $ cat > Dockerfile <<'EOF'
            $ docker build -t app .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 68B done
            #1 DONE 0.0s

            #2 [internal] load metadata for docker.io/library/busybox:latest
            #2 DONE 0.1s

            #3 [internal] load .dockerignore
            #3 transferring context: 51B done
            #3 DONE 0.0s

            #4 [1/2] FROM docker.io/library/busybox:latest
            #4 CACHED

            #5 [internal] load build context
            #5 transferring context: 146B done
            #5 DONE 0.0s

            #6 [2/2] COPY nosuch.txt /
            #6 ERROR: failed to calculate checksum of ref 60318da8b9a47742a346a93b7: "/nosuch.txt": not found
            ------
             > [2/2] COPY nosuch.txt /:
            ------
            Dockerfile:2
            --------------------
               1 |     FROM busybox
               2 | >>> COPY nosuch.txt /
               3 |     
            --------------------
            ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref 60318da8b9a47742a346a93b7: "/nosuch.txt": not found
            [exit 1]
        "#]],
    );
}
