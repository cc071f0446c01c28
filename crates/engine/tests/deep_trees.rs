//! Deep trees cost their entries: `tar -x`, a build's COPY and ADD, `docker
//! diff` and `docker commit` of a 2,000-deep tree give Docker's and GNU tar's
//! answers (each path reached from its parent, never walked again from the
//! root), and archives whose members go through symlinks or `..` are
//! unpacked as before. Speed is measured with the CLI (see ARCHITECTURE.md,
//! "Work budget"); these tests hold the answers.

use expect_test::{expect, Expect};
use layerlab_engine::command::{scenario_commands, Session};

/// Runs the scenario; renders each command as `$ command` (cut to 72
/// characters), its output lines (each cut too, and runs of more than 6
/// lines shown as their first 3, a count, and their last 2).
fn check(scenario: &str, expect: Expect) {
    let mut s = Session::new();
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
        let lines: Vec<String> = t.lines.iter().map(|l| cut(&l.text)).collect();
        if lines.len() > 6 {
            for l in &lines[..3] {
                out.push_str(&format!("{l}\n"));
            }
            out.push_str(&format!("[{} lines]\n", lines.len() - 5));
            for l in &lines[lines.len() - 2..] {
                out.push_str(&format!("{l}\n"));
            }
        } else {
            for l in &lines {
                out.push_str(&format!("{l}\n"));
            }
        }
        if t.status != 0 {
            out.push_str(&format!("[exit {}]\n", t.status));
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn a_2000_deep_tree_unpacks_copies_diffs_and_commits() {
    let deep = "d/".repeat(2000);
    check(
        &format!(
            "mkdir -p {deep}
tar -czf t.tgz d && mkdir x && tar -xzf t.tgz -C x && du -s x
tar -cf t.tar d && tar -xf t.tar -C x && du -s x
printf 'FROM busybox\\nCOPY d /d\\nADD t.tgz /u/\\n' > Dockerfile
docker build -q -t deep .
docker run --rm deep du -s /d /u
docker run -d --name deep busybox sleep 1d
docker exec deep mkdir -p /{deep}
docker diff deep
docker commit deep deeper
docker run --rm deeper du -s /d
echo next"
        ),
        expect![[r#"
            $ mkdir -p d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d…
            $ tar -czf t.tgz d && mkdir x && tar -xzf t.tgz -C x && du -s x
            8004	x
            $ tar -cf t.tar d && tar -xf t.tar -C x && du -s x
            8004	x
            $ printf 'FROM busybox\nCOPY d /d\nADD t.tgz /u/\n' > Dockerfile
            $ docker build -q -t deep .
            sha256:6d6680d67088f61ea6c4ce969268478cfe15fe2f4b6fa587f0976d2efa2dd491
            $ docker run --rm deep du -s /d /u
            8000	/d
            8004	/u
            $ docker run -d --name deep busybox sleep 1d
            Unable to find image 'busybox:latest' locally
            latest: Pulling from library/busybox
            3383b68ec54e: Already exists
            Digest: sha256:c7cd387c89181b753bc4316c6ca4a00ac02e4a3d3c89c8afbf7d701ec…
            Status: Downloaded newer image for busybox:latest
            0e871cd5f269c30370778a48472ad24739d3834c835354adb2233ac4428df2b9
            $ docker exec deep mkdir -p /d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d…
            $ docker diff deep
            A /d
            A /d/d
            A /d/d/d
            [1995 lines]
            A /d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d…
            A /d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d…
            $ docker commit deep deeper
            sha256:3a333f2c4e3f05c2a4dc05bec769b43e1bcc156bf111004a5337e4f7976c8317
            $ docker run --rm deeper du -s /d
            8000	/d
            $ echo next
            next
        "#]],
    );
}

#[test]
fn members_through_symlinks_and_dot_dot_unpack_as_before() {
    check(
        r#"mkdir -p src/real/sub && echo one > src/real/sub/f && ln -s real src/link && ln -s /nowhere src/dangling
tar -cf a.tar src && mkdir out && tar -xf a.tar -C out && ls -l out/src && cat out/src/link/sub/f
mkdir -p t/a && echo two > t/a/g && ln -s a t/l && tar -cf b.tar -C t l && tar -tf b.tar
mkdir in && cd in && ln -s ../out/src/real here && cd .. && tar -cf c.tar -C t a && tar -xf c.tar -C in/here && ls ../app/out/src/real
cat out/src/real/a/g
printf 'FROM busybox\nCOPY out /o/\nADD c.tar /o/src/link/\n' > Dockerfile
docker build -q -t links .
docker run --rm links ls -l /o/src /o/src/real
docker run --rm links cat /o/src/real/a/g /o/src/link/sub/f
echo next"#,
        expect![[r#"
            $ mkdir -p src/real/sub && echo one > src/real/sub/f && ln -s real src/lin…
            $ tar -cf a.tar src && mkdir out && tar -xf a.tar -C out && ls -l out/src …
            total 4
            lrwxrwxrwx 1 root root    8 Jan  1 00:00 dangling -> /nowhere
            lrwxrwxrwx 1 root root    4 Jan  1 00:00 link -> real
            drwxr-xr-x 1 root root 4096 Jan  1 00:00 real
            one
            $ mkdir -p t/a && echo two > t/a/g && ln -s a t/l && tar -cf b.tar -C t l …
            l
            $ mkdir in && cd in && ln -s ../out/src/real here && cd .. && tar -cf c.ta…
            a  sub
            $ cat out/src/real/a/g
            two
            $ printf 'FROM busybox\nCOPY out /o/\nADD c.tar /o/src/link/\n' > Dockerfi…
            $ docker build -q -t links .
            sha256:24c7880400d57596de2d20f6414bf52e2760419c3e37fce16b1e9b7dddf09ec3
            $ docker run --rm links ls -l /o/src /o/src/real
            /o/src:
            total 4
            lrwxrwxrwx 1 root 0    8 Jan  1 00:00 dangling -> /nowhere
            [5 lines]
            drwxr-xr-x 1 root 0 4096 Jan  1 00:00 a
            drwxr-xr-x 1 root 0 4096 Jan  1 00:00 sub
            $ docker run --rm links cat /o/src/real/a/g /o/src/link/sub/f
            two
            one
            $ echo next
            next
        "#]],
    );
}
