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
            #1 transferring dockerfile: 67B done
            #1 DONE 0.0s

            #2 [internal] load .dockerignore
            #2 transferring context: 11B done
            #2 DONE 0.0s

            #3 [internal] load metadata for docker.io/library/ubuntu:15.04
            #3 DONE 0.1s

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
            #8 writing image sha256:55c352eba9f4e50922208e38bdb9027efa7b9d815cf4c30f799ad05c859ddf12 done
            #8 naming to docker.io/library/app:latest done
            #8 DONE 0.1s
            $ docker history app
            IMAGE          CREATED        CREATED BY                                      SIZE      COMMENT
            55c352eba9f4   1 second ago   CMD ["/bin/sh" "-c" "python /app/app.py"]       0B        buildkit.dockerfile.v0
            <missing>      1 second ago   RUN /bin/sh -c make /app # buildkit             0B        buildkit.dockerfile.v0
            <missing>      1 second ago   COPY . /app # buildkit                          176B      buildkit.dockerfile.v0
            <missing>      9 years ago    /bin/sh -c #(nop) CMD ["/bin/bash"]             0B        
            <missing>      9 years ago    /bin/sh -c sed -i 's/^#\s*\(deb.*universe\)$…   113B      
            <missing>      9 years ago    /bin/sh -c echo '#!/bin/sh' > /usr/sbin/poli…   105B      
            <missing>      9 years ago    /bin/sh -c #(nop) ADD file:9b5ba393502195549…   131MB     
            $ docker images
            REPOSITORY   TAG       IMAGE ID       CREATED         SIZE
            app          latest    55c352eba9f4   2 seconds ago   131MB
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
        steps: [1/3] FROM docker.io/library/ubuntu:15.04 cached=true | [2/3] COPY . /app cached=false | [3/3] RUN make /app cached=false
        $ docker build -t app .
        #4 CACHED
        #6 CACHED
        #7 CACHED
        steps: [1/3] FROM docker.io/library/ubuntu:15.04 cached=true | [2/3] COPY . /app cached=true | [3/3] RUN make /app cached=true
        $ touch app.py
        $ docker build -t app .
        #4 CACHED
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
            #1 transferring dockerfile: 175B done
            #1 DONE 0.0s

            #2 [internal] load .dockerignore
            #2 transferring context: 11B done
            #2 DONE 0.0s

            #3 [internal] load metadata for docker.io/library/busybox:latest
            #3 DONE 0.1s

            #4 [1/4] FROM docker.io/library/busybox:latest
            #4 DONE 0.1s

            #5 [2/4] WORKDIR $APP
            #5 DONE 0.1s

            #6 [internal] load build context
            #6 transferring context: 284B done
            #6 DONE 0.0s

            #7 [3/4] COPY app.py .
            #7 DONE 0.1s

            #8 [4/4] RUN echo "$GREETING" > greeting.txt && ls -l
            #8 0.100 total 8
            #8 0.101 -rw-r--r-- 1 root 0   39 Jan  1 00:00 app.py
            #8 0.102 -rw-r--r-- 1 root 0    6 Jan  1 00:00 greeting.txt
            #8 DONE 0.1s

            #9 exporting to image
            #9 exporting layers 0.1s done
            #9 writing image sha256:503fa6682cb0a3bd9384163132c2da3fb13c01219279e4fb16ccac90a927121a done
            #9 naming to docker.io/library/meta:latest done
            #9 DONE 0.1s
            $ docker history meta
            IMAGE          CREATED         CREATED BY                                      SIZE      COMMENT
            503fa6682cb0   1 second ago    CMD ["sh"]                                      0B        buildkit.dockerfile.v0
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
            sha256:fd75f26d866c48a29129f3c4476427fc9341fb5969f8de7fe9563e4f8bc7bd4e
            $ printf 'FROM debian:bookworm-slim\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\n' > Dockerfile
            $ docker build -q -t one-run .
            sha256:63ee29b78ef005f18aaaf34ca52eaedfc9a7b57da024684e6553f25fd9949364
            $ docker images
            REPOSITORY   TAG       IMAGE ID       CREATED         SIZE
            one-run      latest    63ee29b78ef0   1 second ago    74.8MB
            two-runs     latest    fd75f26d866c   3 seconds ago   120MB
            $ docker history two-runs
            IMAGE          CREATED         CREATED BY                                      SIZE      COMMENT
            fd75f26d866c   4 seconds ago   RUN /bin/sh -c rm -rf /var/lib/apt/lists/* #…   0B        buildkit.dockerfile.v0
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
            #1 transferring dockerfile: 78B done
            #1 DONE 0.0s

            #2 [internal] load .dockerignore
            #2 transferring context: 11B done
            #2 DONE 0.0s

            #3 [internal] load metadata for docker.io/library/ubuntu:15.04
            #3 DONE 0.1s

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
            #1 transferring dockerfile: 44B done
            #1 DONE 0.0s

            #2 [internal] load .dockerignore
            #2 transferring context: 11B done
            #2 DONE 0.0s

            #3 [internal] load metadata for docker.io/library/alpine:latest
            #3 DONE 0.1s

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
            --------------------
            ERROR: failed to solve: process "/bin/sh -c curl -O https://example.com" did not complete successfully: exit code: 127
            [exit 1]
            $ printf 'FROM scratch\nRUN echo hi\n' > Dockerfile
            $ docker build .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 25B done
            #1 DONE 0.0s

            #2 [internal] load .dockerignore
            #2 transferring context: 11B done
            #2 DONE 0.0s

            #3 [2/2] RUN echo hi
            #3 ERROR: process "/bin/sh -c echo hi" did not complete successfully: runc run failed: unable to start container process: exec: "/bin/sh": stat /bin/sh: no such file or directory
            ------
             > [2/2] RUN echo hi:
            ------
            Dockerfile:2
            --------------------
               1 |     FROM scratch
               2 | >>> RUN echo hi
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
            #1 transferring dockerfile: 92B done
            #1 DONE 0.0s

            #2 [internal] load .dockerignore
            #2 transferring context: 11B done
            #2 DONE 0.0s

            #3 [internal] load metadata for docker.io/library/busybox:latest
            #3 DONE 0.1s

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
            #10 writing image sha256:24e86fa5c70151d42f8e9b006f42d9ebfcab5fa692702843e5d48460e889004f done
            #10 naming to docker.io/library/copies:latest done
            #10 DONE 0.1s
            $ printf 'FROM busybox\nCOPY missing.txt /\n' > Dockerfile
            $ docker build .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 32B done
            #1 DONE 0.0s

            #2 [internal] load .dockerignore
            #2 transferring context: 11B done
            #2 DONE 0.0s

            #3 [internal] load metadata for docker.io/library/busybox:latest
            #3 DONE 0.1s

            #4 [1/2] FROM docker.io/library/busybox:latest
            #4 CACHED

            #5 [internal] load build context
            #5 transferring context: 145B done
            #5 DONE 0.0s

            #6 [2/2] COPY missing.txt /
            #6 ERROR: failed to calculate checksum of ref 808055d37fbfc5c942b3c1416: "/missing.txt": not found
            Dockerfile:2
            --------------------
               1 |     FROM busybox
               2 | >>> COPY missing.txt /
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
            #1 transferring dockerfile: 155B done
            #1 DONE 0.0s

            #2 [internal] load .dockerignore
            #2 transferring context: 11B done
            #2 DONE 0.0s

            #3 [internal] load metadata for docker.io/library/alpine:latest
            #3 DONE 0.1s

            #4 [builder 1/2] FROM docker.io/library/alpine:latest
            #4 DONE 0.1s

            #5 [builder 2/2] RUN echo built > /out.txt
            #5 DONE 0.1s

            #6 [internal] load metadata for docker.io/library/busybox:latest
            #6 DONE 0.1s

            #7 [1/3] FROM docker.io/library/busybox:latest
            #7 DONE 0.1s

            #8 [2/3] COPY --from=builder /out.txt /out.txt
            #8 DONE 0.1s

            #9 [3/3] RUN cat /out.txt
            #9 0.100 built
            #9 DONE 0.1s

            #10 exporting to image
            #10 exporting layers 0.1s done
            #10 writing image sha256:320a738faf60fe8921a0365d0e8c9c2cf26f656c8884daa282c4fae1efb8ecb2 done
            #10 naming to docker.io/library/multi:latest done
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
            #1 transferring dockerfile: 28B done
            #1 DONE 0.0s
            Dockerfile:2
            --------------------
               1 |     FROM ubuntu:15.04
               2 | >>> RUNN make
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
            Layerlab: a docker command runs on its own line for now; pipes, redirections, ';', '&&' and $variables around docker are not simulated yet. Run the docker command alone.
            [exit 2]
            $ printf 'FROM nosuchimage:1\n' > Dockerfile
            $ docker build .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 19B done
            #1 DONE 0.0s

            #2 [internal] load .dockerignore
            #2 transferring context: 11B done
            #2 DONE 0.0s

            #3 [internal] load metadata for docker.io/library/nosuchimage:1
            #3 ERROR: docker.io/library/nosuchimage:1: not found
            ERROR: failed to solve: nosuchimage:1: failed to resolve source metadata for docker.io/library/nosuchimage:1: docker.io/library/nosuchimage:1: not found
            [exit 1]
        "#]],
    );
}
