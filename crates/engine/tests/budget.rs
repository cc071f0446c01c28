//! The work budget of one command line: exponential, huge and deep inputs end
//! promptly with a message naming the limit, and the next line works. Each
//! case is a scenario (as the CLI reads it) and the transcript it gives; edges
//! are tested with small limits (N passes, N + 1 stops), and the fan-outs of
//! the findings at the real ones.

use expect_test::{expect, Expect};
use layerlab_engine::budget::{Limits, LIMITS};
use layerlab_engine::command::{scenario_commands, Session};

/// Runs the scenario's commands with `limits`; renders each as `$ command`
/// (cut to 72 characters), its output lines (each cut too), and a non-zero status.
fn check(limits: Limits, scenario: &str, expect: Expect) {
    let mut s = Session::new();
    s.limits = limits;
    let cut = |l: &str| match l.char_indices().nth(72) {
        Some((i, _)) => format!("{}…", &l[..i]),
        None => l.to_owned(),
    };
    let mut out = String::new();
    for command in scenario_commands(scenario) {
        let t = s.run(&command);
        out.push_str(&format!(
            "$ {}\n",
            cut(command.lines().next().unwrap_or(""))
        ));
        for l in &t.lines {
            out.push_str(&format!("{}\n", cut(&l.text)));
        }
        if t.status != 0 {
            out.push_str(&format!("[exit {}]\n", t.status));
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn a_script_that_runs_itself_four_times_stops_at_the_nesting_limit() {
    check(
        LIMITS,
        "echo 'sh r.sh; sh r.sh; sh r.sh; sh r.sh' > r.sh\nsh r.sh\necho next",
        expect![[r#"
            $ echo 'sh r.sh; sh r.sh; sh r.sh; sh r.sh' > r.sh
            $ sh r.sh
            sh: 1: stopped: sh -c, $( ) and make nested more than 16 deep — Layerlab…
            [exit 2]
            $ echo next
            next
        "#]],
    );
}

#[test]
fn commands_stop_one_past_the_step_limit() {
    let limits = Limits { steps: 3, ..LIMITS };
    check(
        limits,
        "true; true; echo three\ntrue; true; true; echo four\necho next",
        expect![[r#"
            $ true; true; echo three
            three
            $ true; true; true; echo four
            sh: 1: stopped: this command ran more than 3 commands — Layerlab bounds …
            [exit 2]
            $ echo next
            next
        "#]],
    );
}

#[test]
fn ten_thousand_commands_pass_and_one_more_stops_at_the_real_limit() {
    let line = |n: usize| vec![":"; n].join(";");
    check(
        LIMITS,
        &format!("{}\n{}\necho next", line(10_000), line(10_001)),
        expect![[r#"
            $ :;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;…
            $ :;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;:;…
            sh: 1: stopped: this command ran more than 10000 commands — Layerlab bou…
            [exit 2]
            $ echo next
            next
        "#]],
    );
}

#[test]
fn fan_outs_stop_in_make_in_a_container_and_in_a_build() {
    let limits = Limits {
        steps: 200,
        ..LIMITS
    };
    check(
        limits,
        r#"
printf 'all:\n\t$(MAKE) ; $(MAKE) ; $(MAKE) ; $(MAKE)\n' > Makefile
printf 'FROM ubuntu:15.04\nCOPY Makefile .\nRUN make\n' > Dockerfile
docker build -q .
docker run busybox sh -c 'echo "sh r.sh; sh r.sh; sh r.sh" > r.sh; sh r.sh'
docker run -d --name web busybox sleep 1000
docker exec web sh -c 'echo "sh r.sh; sh r.sh; sh r.sh" > r.sh; sh r.sh'
docker exec web echo next
"#,
        expect![[r#"
            $ printf 'all:\n\t$(MAKE) ; $(MAKE) ; $(MAKE) ; $(MAKE)\n' > Makefile
            $ printf 'FROM ubuntu:15.04\nCOPY Makefile .\nRUN make\n' > Dockerfile
            $ docker build -q .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 80B done
            #1 DONE 0.0s

            #2 [internal] load metadata for docker.io/library/ubuntu:15.04
            #2 DONE 0.1s

            #3 [internal] load .dockerignore
            #3 transferring context: 51B done
            #3 DONE 0.0s

            #4 [1/3] FROM docker.io/library/ubuntu:15.04
            #4 DONE 0.1s

            #5 [internal] load build context
            #5 transferring context: 137B done
            #5 DONE 0.0s

            #6 [2/3] COPY Makefile .
            #6 DONE 0.1s

            #7 [3/3] RUN make
            #7 0.100 make ; make ; make ; make
            #7 0.101 make ; make ; make ; make
            #7 0.102 make ; make ; make ; make
            #7 0.103 make ; make ; make ; make
            #7 0.104 make ; make ; make ; make
            #7 0.105 make ; make ; make ; make
            #7 0.106 make ; make ; make ; make
            #7 0.107 make ; make ; make ; make
            #7 0.108 make ; make ; make ; make
            #7 0.109 make ; make ; make ; make
            #7 0.110 make ; make ; make ; make
            #7 0.111 make ; make ; make ; make
            #7 0.112 make ; make ; make ; make
            #7 0.113 make ; make ; make ; make
            #7 0.114 make ; make ; make ; make
            #7 0.115 make ; make ; make ; make
            #7 0.116 make ; make ; make ; make
            #7 0.117 /bin/sh: 1: stopped: sh -c, $( ) and make nested more than 16 d…
            #7 ERROR: process "/bin/sh -c make" did not complete successfully: exit …
            ------
             > [3/3] RUN make:
            0.100 make ; make ; make ; make
            0.101 make ; make ; make ; make
            0.102 make ; make ; make ; make
            0.103 make ; make ; make ; make
            0.104 make ; make ; make ; make
            0.105 make ; make ; make ; make
            0.106 make ; make ; make ; make
            0.107 make ; make ; make ; make
            0.108 make ; make ; make ; make
            0.109 make ; make ; make ; make
            0.110 make ; make ; make ; make
            0.111 make ; make ; make ; make
            0.112 make ; make ; make ; make
            0.113 make ; make ; make ; make
            0.114 make ; make ; make ; make
            0.115 make ; make ; make ; make
            0.116 make ; make ; make ; make
            0.117 /bin/sh: 1: stopped: sh -c, $( ) and make nested more than 16 deep…
            ------
            Dockerfile:3
            --------------------
               1 |     FROM ubuntu:15.04
               2 |     COPY Makefile .
               3 | >>> RUN make
               4 |     
            --------------------
            ERROR: failed to solve: process "/bin/sh -c make" did not complete succe…
            [exit 1]
            $ docker run busybox sh -c 'echo "sh r.sh; sh r.sh; sh r.sh" > r.sh; sh r.…
            Unable to find image 'busybox:latest' locally
            latest: Pulling from library/busybox
            3383b68ec54e: Pull complete
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ec…
            Status: Downloaded newer image for busybox:latest
            sh: 1: stopped: sh -c, $( ) and make nested more than 16 deep — Layerlab…
            [exit 2]
            $ docker run -d --name web busybox sleep 1000
            3b9c422862ff61b9f4782bdc762af6674c0054230744895d13610d84f773efaa
            $ docker exec web sh -c 'echo "sh r.sh; sh r.sh; sh r.sh" > r.sh; sh r.sh'
            sh: 1: stopped: sh -c, $( ) and make nested more than 16 deep — Layerlab…
            [exit 2]
            $ docker exec web echo next
            next
        "#]],
    );
}

#[test]
fn output_stops_one_byte_past_the_byte_limit() {
    let limits = Limits {
        bytes: 10,
        ..LIMITS
    };
    check(
        limits,
        "printf 0123456789\nprintf 0123456789a\necho next",
        expect![[r#"
            $ printf 0123456789
            0123456789
            $ printf 0123456789a
            sh: 1: stopped: this command produced more than 10 bytes — Layerlab boun…
            [exit 2]
            $ echo next
            next
        "#]],
    );
}

#[test]
fn sed_that_multiplies_its_text_stops_before_making_it() {
    let s = " -e s/a/aaaaaaaaaa/g".repeat(10);
    check(
        LIMITS,
        &format!("echo aaaa > f\nsed{s} f\necho next"),
        expect![[r#"
            $ echo aaaa > f
            $ sed -e s/a/aaaaaaaaaa/g -e s/a/aaaaaaaaaa/g -e s/a/aaaaaaaaaa/g -e s/a/a…
            sh: 1: stopped: this command produced more than 16 MiB — Layerlab bounds…
            [exit 2]
            $ echo next
            next
        "#]],
    );
}

#[test]
fn a_file_doubled_line_by_line_stops_at_the_byte_limit() {
    let limits = Limits {
        bytes: 64 << 10,
        ..LIMITS
    };
    let mut scenario = String::from("echo 0123456789abcdef > f\n");
    for _ in 0..14 {
        scenario.push_str("cat f f > g && mv g f && wc -c f\n");
    }
    scenario.push_str("echo next\n");
    check(
        limits,
        &scenario,
        expect![[r#"
            $ echo 0123456789abcdef > f
            $ cat f f > g && mv g f && wc -c f
            34 f
            $ cat f f > g && mv g f && wc -c f
            68 f
            $ cat f f > g && mv g f && wc -c f
            136 f
            $ cat f f > g && mv g f && wc -c f
            272 f
            $ cat f f > g && mv g f && wc -c f
            544 f
            $ cat f f > g && mv g f && wc -c f
            1088 f
            $ cat f f > g && mv g f && wc -c f
            2176 f
            $ cat f f > g && mv g f && wc -c f
            4352 f
            $ cat f f > g && mv g f && wc -c f
            8704 f
            $ cat f f > g && mv g f && wc -c f
            17408 f
            $ cat f f > g && mv g f && wc -c f
            34816 f
            $ cat f f > g && mv g f && wc -c f
            sh: 1: stopped: this command produced more than 64 KiB — Layerlab bounds…
            [exit 2]
            $ cat f f > g && mv g f && wc -c f
            sh: 1: stopped: this command produced more than 64 KiB — Layerlab bounds…
            [exit 2]
            $ cat f f > g && mv g f && wc -c f
            sh: 1: stopped: this command produced more than 64 KiB — Layerlab bounds…
            [exit 2]
            $ echo next
            next
        "#]],
    );
}

#[test]
fn files_stop_at_the_written_limit_with_file_too_large() {
    let limits = Limits {
        written: 100,
        ..LIMITS
    };
    check(
        limits,
        r#"
truncate -s 100 f && wc -c f
truncate -s 101 f
dd if=/dev/zero of=g bs=101 count=1
truncate -s 60 a && truncate -s 60 b
echo next
"#,
        expect![[r#"
            $ truncate -s 100 f && wc -c f
            100 f
            $ truncate -s 101 f
            truncate: failed to truncate 'f' at 101 bytes: File too large
            [exit 1]
            $ dd if=/dev/zero of=g bs=101 count=1
            dd: error writing 'g': File too large
            [exit 1]
            $ truncate -s 60 a && truncate -s 60 b
            sh: 1: stopped: this command wrote more than 100 bytes to files — Layerl…
            [exit 2]
            $ echo next
            next
        "#]],
    );
}

#[test]
fn huge_sizes_end_at_once_at_the_real_limits() {
    check(
        LIMITS,
        r#"
truncate -s 1E f
truncate -s 256M f && ls -l f
truncate -s 268435457 f
dd if=/dev/zero of=g bs=1M count=10000
printf 'FROM busybox\nRUN dd if=/dev/zero of=/big bs=1M count=100000\n' > Dockerfile
docker build -q .
echo next
"#,
        expect![[r#"
            $ truncate -s 1E f
            truncate: failed to truncate 'f' at 1152921504606846976 bytes: File too …
            [exit 1]
            $ truncate -s 256M f && ls -l f
            -rw-r--r-- 1 root root 268435456 Jan  1 00:00 f
            $ truncate -s 268435457 f
            truncate: failed to truncate 'f' at 268435457 bytes: File too large
            [exit 1]
            $ dd if=/dev/zero of=g bs=1M count=10000
            dd: error writing 'g': File too large
            [exit 1]
            $ printf 'FROM busybox\nRUN dd if=/dev/zero of=/big bs=1M count=100000\n' …
            $ docker build -q .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 97B done
            #1 DONE 0.0s

            #2 [internal] load metadata for docker.io/library/busybox:latest
            #2 DONE 0.1s

            #3 [internal] load .dockerignore
            #3 transferring context: 51B done
            #3 DONE 0.0s

            #4 [1/2] FROM docker.io/library/busybox:latest
            #4 DONE 0.1s

            #5 [2/2] RUN dd if=/dev/zero of=/big bs=1M count=100000
            #5 0.100 dd: error writing '/big': File too large
            #5 ERROR: process "/bin/sh -c dd if=/dev/zero of=/big bs=1M count=100000…
            ------
             > [2/2] RUN dd if=/dev/zero of=/big bs=1M count=100000:
            0.100 dd: error writing '/big': File too large
            ------
            Dockerfile:2
            --------------------
               1 |     FROM busybox
               2 | >>> RUN dd if=/dev/zero of=/big bs=1M count=100000
               3 |     
            --------------------
            ERROR: failed to solve: process "/bin/sh -c dd if=/dev/zero of=/big bs=1…
            [exit 1]
            $ echo next
            next
        "#]],
    );
}

#[test]
fn nesting_stops_one_past_the_depth_limit() {
    let limits = Limits { depth: 2, ..LIMITS };
    check(
        limits,
        r#"
sh -c 'sh -c "echo two deep"'
sh -c 'sh -c "sh -c \"echo three deep\""'
echo next
"#,
        expect![[r#"
            $ sh -c 'sh -c "echo two deep"'
            two deep
            $ sh -c 'sh -c "sh -c \"echo three deep\""'
            sh: 1: stopped: sh -c, $( ) and make nested more than 2 deep — Layerlab …
            [exit 2]
            $ echo next
            next
        "#]],
    );
}

#[test]
fn parameter_words_nested_thousands_deep_are_a_syntax_error() {
    let deep = |n: usize| format!("echo {}x{}", "${x:-".repeat(n), "}".repeat(n));
    check(
        LIMITS,
        &format!("{}\n{}\n{}\necho next", deep(64), deep(65), deep(3000)),
        expect![[r#"
            $ echo ${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${…
            x
            $ echo ${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${…
            sh: 1: Syntax error: ${ } nested more than 64 deep
            [exit 2]
            $ echo ${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${x:-${…
            sh: 1: Syntax error: ${ } nested more than 64 deep
            [exit 2]
            $ echo next
            next
        "#]],
    );
}

#[test]
fn a_heredoc_without_a_delimiter_is_a_syntax_error_and_takes_no_lines() {
    check(
        LIMITS,
        "cat <<\necho next",
        expect![[r#"
        $ cat <<
        sh: 1: Syntax error: end of file unexpected
        [exit 2]
        $ echo next
        next
    "#]],
    );
}

#[test]
fn a_dockerfile_over_one_mib_is_refused_rather_than_cut() {
    check(
        LIMITS,
        r#"
printf 'FROM busybox\n' > Dockerfile && truncate -s 1048576 Dockerfile && docker build -q . >/dev/null; echo $?
truncate -s 1048577 Dockerfile
docker build .
"#,
        expect![[r#"
            $ printf 'FROM busybox\n' > Dockerfile && truncate -s 1048576 Dockerfile &…
            sh: 1: docker: not found
            127
            $ truncate -s 1048577 Dockerfile
            $ docker build .
            #0 building with "default" instance using docker driver

            #1 [internal] load build definition from Dockerfile
            #1 transferring dockerfile: 1.049MB done
            #1 DONE 0.0s
            ERROR: failed to solve: failed to read dockerfile: Dockerfile is 1048577…
            [exit 1]
        "#]],
    );
}

#[test]
fn walks_of_a_2000_deep_tree_cost_its_entries() {
    let deep = "d/".repeat(2000);
    check(
        LIMITS,
        &format!(
            "mkdir -p {deep}\ndu -s d\nchmod -R 700 d\ntar -czf t.tgz d && tar -tzf t.tgz | wc -l\ncp -r d e && rm -r d e\necho next"
        ),
        expect![[r#"
            $ mkdir -p d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d…
            $ du -s d
            8000	d
            $ chmod -R 700 d
            $ tar -czf t.tgz d && tar -tzf t.tgz | wc -l
            2000
            $ cp -r d e && rm -r d e
            $ echo next
            next
        "#]],
    );
}

#[test]
fn a_40000_line_heredoc_is_read_in_linear_time() {
    let body = "line\n".repeat(40_000);
    let commands = scenario_commands(&format!("cat > f <<'EOF'\n{body}EOF\nwc -l f\n"));
    assert_eq!(commands.len(), 2);
    assert_eq!(commands[1], "wc -l f");
}

#[test]
fn arithmetic_functions_head_tail_and_child_shells_say_what_they_do() {
    check(
        LIMITS,
        r#"
echo $((1+2)) $((2*(3+4))) "$((7/2))"
x=5; echo $((x*x - 1))
echo $((1/0))
echo $((9223372036854775807+1))
f() { echo hi; }
printf 'hello world\n' > f && head -c 5 f && echo && tail -c 6 f
tail -f f
sh -c ls
echo next
"#,
        expect![[r#"
            $ echo $((1+2)) $((2*(3+4))) "$((7/2))"
            3 14 3
            $ x=5; echo $((x*x - 1))
            24
            $ echo $((1/0))
            sh: 1: arithmetic expression: division by zero: "1/0"
            [exit 2]
            $ echo $((9223372036854775807+1))
            sh: 1: arithmetic expression: result out of the 64-bit range: "922337203…
            [exit 2]
            $ f() { echo hi; }
            sh: 1: Syntax error: function definitions (name() { … }) are not simulat…
            [exit 2]
            $ printf 'hello world\n' > f && head -c 5 f && echo && tail -c 6 f
            hello
            world
            $ tail -f f
            hello world
            tail: following a file is not simulated; this is its end as it stands
            $ sh -c ls
            Dockerfile  Makefile  app.py  f
            $ echo next
            next
        "#]],
    );
}

#[test]
fn a_variable_doubled_in_one_line_stops_at_the_byte_limit() {
    let limits = Limits {
        bytes: 1 << 10,
        ..LIMITS
    };
    let doubling = "x=$x$x; ".repeat(40);
    check(
        limits,
        &format!("x=0123456789abcdef; {doubling}echo done\necho next"),
        expect![[r#"
            $ x=0123456789abcdef; x=$x$x; x=$x$x; x=$x$x; x=$x$x; x=$x$x; x=$x$x; x=$x…
            sh: 1: stopped: this command produced more than 1 KiB — Layerlab bounds …
            [exit 2]
            $ echo next
            next
        "#]],
    );
}

/// Lines built from pieces known to multiply work, as the fuzz target
/// `budget` builds them (`crates/engine/fuzz`), here from a fixed sequence.
const PIECES: &[&str] = &[
    "echo 'sh r.sh; sh r.sh; sh r.sh' > r.sh",
    "sh r.sh",
    "printf 'all:\\n\\t$(MAKE); $(MAKE)\\n' > Makefile",
    "make",
    "echo aaaa > f",
    "sed -e s/a/aaaaaaaa/g -e s/a/aaaaaaaa/g -e s/a/aaaaaaaa/g f > g",
    "cat f f f f > g",
    "mv g f",
    "x=$x$x$x$x",
    "mkdir -p d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d",
    "du -s d",
    "chmod -R 700 d",
    "tar -czf t.tgz d",
    "cp -r d e",
    "rm -r d e",
    "truncate -s 1E big",
    "dd if=/dev/zero of=big bs=1M count=4",
    "echo $((1<<62)) ${x:-${x:-x}}",
    "docker run busybox sh -c 'echo \"sh r.sh; sh r.sh\" > r.sh; sh r.sh'",
    ";",
    "&&",
    "|",
];

#[test]
fn random_lines_of_work_multiplying_pieces_each_end_within_the_budget() {
    let limits = Limits {
        steps: 300,
        bytes: 1 << 20,
        written: 8 << 20,
        depth: 6,
    };
    let mut seed = 0u64;
    let mut next = move || {
        seed = layerlab_engine::content::splitmix64(seed);
        seed
    };
    let mut stopped = 0;
    for _ in 0..40 {
        let mut s = Session::new();
        s.limits = limits;
        for _ in 0..8 {
            let n = 1 + next() % 6;
            let line: Vec<&str> = (0..n)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            s.run(&line.join(" "));
            let spent = s.budget.spent();
            assert!(spent.steps <= limits.steps + 1, "{line:?}: {spent:?}");
            stopped += usize::from(s.budget.exceeded().is_some());
        }
        assert_eq!(s.run("echo next").text(), "next\n");
    }
    // The pieces do reach the limits.
    assert!(stopped > 10, "{stopped} lines stopped");
}

#[test]
fn sed_of_one_byte_and_of_a_word_stop_at_the_same_edge() {
    // `s/a/bb/g` on `aaaaaaaa` and `s/ab/bbbb/g` on `abababab` grow alike
    // (8 + 2 × 8 = 8 + 4 × 4): one byte is counted as a byte, a word as a
    // word, and at every byte limit across the edge both pass or both stop.
    let stops = |bytes: u64, text: &str, sed: &str| {
        let mut s = Session::new();
        s.limits = Limits { bytes, ..LIMITS };
        s.run(&format!("printf '{text}\\n' > f"));
        s.run(&format!("sed -e {sed} f")).status == layerlab_engine::shell::STOPPED
    };
    let mut seen = (false, false);
    for bytes in 1..64 {
        let byte = stops(bytes, "aaaaaaaa", "s/a/bb/g");
        assert_eq!(
            byte,
            stops(bytes, "abababab", "s/ab/bbbb/g"),
            "at {bytes} bytes"
        );
        if byte {
            seen.0 = true;
        } else {
            seen.1 = true;
        }
    }
    assert_eq!(seen, (true, true), "the limits cross the edge");
}
