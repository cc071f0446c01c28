//! Shell tests as data: a base file system, a script, and the rendered result
//! (exit status, output with `!` marking stderr, and the upper layer's diff).

use super::Shell;
use crate::fixture::{parse_layers, render_diff};
use crate::layer::{Layer, LayerId};
use crate::lower::Lower;
use crate::merged::Merged;
use expect_test::{expect, Expect};
use std::rc::Rc;

const BASE: &str = "
f /etc/os-release 644 ID=debian\\n
f /etc/passwd 644 root:x:0:0:root:/root:/bin/sh\\nwww-data:x:33:33::/var/www:/bin/sh\\n
f /etc/group 644 root:x:0:\\nwww-data:x:33:\\n
d /root 700
d /tmp 1777
F /bin/dash 755 125560
l /bin/sh dash
F /bin/cat 755 100
F /bin/ls 755 100
F /bin/mkdir 755 100
F /bin/rm 755 100
F /bin/rmdir 755 100
F /bin/cp 755 100
F /bin/mv 755 100
F /bin/touch 755 100
F /bin/ln 755 100
F /bin/chmod 755 100
F /bin/chown 755 100
F /bin/grep 755 100
F /bin/sed 755 100
F /usr/bin/wc 755 100
F /usr/bin/head 755 100
F /usr/bin/tail 755 100
F /usr/bin/tee 755 100
F /usr/bin/env 755 100
F /bin/dd 755 100
F /usr/bin/truncate 755 100
F /usr/bin/which 755 100
F /usr/bin/make 755 100
F /usr/bin/apt-get 755 100
F /usr/bin/du 755 100
d /var/lib/apt/lists 755
f /var/lib/dpkg/status 644 Package: base-files\\n\\n
F /usr/share/big.bin 644 104857600
f /app/Makefile 644 all: out.txt\\n\\nout.txt: in.txt\\n\tcp in.txt out.txt\\n\t@echo built $@ from $<\\n
f /app/in.txt 644 hello\\n
";

fn check(script: &str, expect: Expect) {
    let layers = parse_layers(BASE, 1_000).expect("base parses");
    let layers = layers
        .into_iter()
        .enumerate()
        .map(|(i, d)| Rc::new(Layer::new(LayerId(i as u64 + 1), d)))
        .collect();
    let mut fs = Merged::new(Rc::new(Lower::new(layers)));
    fs.set_time(2_000);
    let mut sh = Shell::new(
        "/bin/sh",
        &["PATH=/usr/local/bin:/usr/bin:/bin".into()],
        "/",
    );
    let ran = sh.run(&mut fs, script);
    let mut out = format!("status {}\n", ran.status);
    for (stderr, line) in ran.lines() {
        out.push_str(if stderr { "! " } else { "  " });
        out.push_str(&line);
        out.push('\n');
    }
    let diff = render_diff(fs.upper());
    if !diff.is_empty() {
        out.push_str("--- upper\n");
        out.push_str(&diff);
    }
    expect.assert_eq(&out);
}

#[test]
fn quoting_and_parameters() {
    check(
        r#"A=1; B="two words"; echo $A "$B" '$A' \$A ${C:-dflt} ${A:+set} "${B#two }" ${#B}"#,
        expect![[r#"
            status 0
              1 two words $A $A dflt set words
        "#]],
    );
}

#[test]
fn field_splitting_and_globs() {
    check(
        r#"X="a b"; for_none=1; printf '[%s]\n' $X "$X"; echo /etc/pass* /nope*"#,
        expect![[r#"
        status 0
          [a]
          [b]
          [a b]
          /etc/passwd /nope*
    "#]],
    );
}

#[test]
fn and_or_lists_and_status() {
    check(
        "false && echo no; false || echo yes; true; echo $?; missing; echo $?",
        expect![[r#"
        status 0
          yes
          0
        ! /bin/sh: 1: missing: not found
          127
    "#]],
    );
}

#[test]
fn set_e_stops_at_the_first_failure() {
    check(
        "set -e; echo one; false; echo two",
        expect![[r#"
        status 1
          one
    "#]],
    );
}

#[test]
fn redirections_write_append_and_discard() {
    check(
        "echo one > /tmp/f && echo two >> /tmp/f && cat /tmp/f && cat /nope 2>/dev/null; cat /nope 2>&1 | wc -l",
        expect![[r#"
            status 0
              one
              two
              1
            --- upper
            d /tmp 1777
            f /tmp/f 644 "one\ntwo\n"
        "#]],
    );
}

#[test]
fn heredoc_expands_unless_quoted() {
    check(
        "N=x\ncat > /tmp/a <<EOF\nhi $N\nEOF\ncat <<'EOF'\nhi $N\nEOF\ncat /tmp/a",
        expect![[r#"
        status 0
          hi $N
          hi x
        --- upper
        d /tmp 1777
        f /tmp/a 644 "hi x\n"
    "#]],
    );
}

#[test]
fn command_substitution() {
    check(
        "echo \"lines: $(cat /etc/passwd | wc -l)\" `echo ok`",
        expect![[r#"
        status 0
          lines: 2 ok
    "#]],
    );
}

#[test]
fn a_program_missing_from_the_image_is_not_found() {
    check(
        "curl -O http://example.com; echo $?; /bin/nope",
        expect![[r#"
        status 127
        ! /bin/sh: 1: curl: not found
          127
        ! /bin/sh: 1: /bin/nope: not found
    "#]],
    );
}

#[test]
fn copy_up_whiteout_and_opaque_directory() {
    check(
        "echo x >> /etc/os-release; rm /etc/group; rm -r /app; mkdir /app; touch /app/new",
        expect![[r#"
            status 0
            --- upper
            o /app 755
            f /app/new 644 ""
            d /etc 755
            w /etc/group
            f /etc/os-release 644 "ID=debian\nx\n"
        "#]],
    );
}

#[test]
fn appending_one_byte_copies_the_whole_file_up() {
    check(
        "echo >> /usr/share/big.bin; du -h /usr/share/big.bin",
        expect![[r#"
        status 0
          101M	/usr/share/big.bin
        --- upper
        d /usr 755
        d /usr/share 755
        f /usr/share/big.bin 644 <104857601 bytes>
    "#]],
    );
}

#[test]
fn file_utilities_and_their_errors() {
    check(
        "cd /tmp && mkdir -p a/b && touch a/b/c && cp -r a d && mv d e && ln -s e link && ls -1 && rm a; rmdir a; ls /missing; chmod +x a/b/c && chown www-data a/b/c && ls -l a/b",
        expect![[r#"
            status 0
              a
              e
              link
            ! rm: cannot remove 'a': Is a directory
            ! rmdir: failed to remove 'a': Directory not empty
            ! ls: cannot access '/missing': No such file or directory
              total 0
              -rwxr-xr-x 1 www-data root    0 Jan  1 00:33 c
            --- upper
            d /tmp 1777
            d /tmp/a 755
            d /tmp/a/b 755
            f /tmp/a/b/c 755 ""
            o /tmp/e 755
            d /tmp/e/b 755
            f /tmp/e/b/c 644 ""
            l /tmp/link e
        "#]],
    );
}

#[test]
fn text_utilities() {
    check(
        "grep www /etc/passwd; grep -c root /etc/passwd; head -n 1 /etc/passwd | sed 's/root/ROOT/g'; echo abc | tee /tmp/t; wc -c /tmp/t",
        expect![[r#"
            status 0
              www-data:x:33:33::/var/www:/bin/sh
              1
              ROOT:x:0:0:ROOT:/ROOT:/bin/sh
              abc
              4 /tmp/t
            --- upper
            d /tmp 1777
            f /tmp/t 644 "abc\n"
        "#]],
    );
}

#[test]
fn dd_and_truncate_describe_big_files() {
    check(
        "dd if=/dev/zero of=/tmp/zero bs=1M count=10 && truncate -s 5M /tmp/sparse && ls -l /tmp",
        expect![[r#"
            status 0
            ! 10+0 records in
            ! 10+0 records out
            ! 10485760 bytes (10 MB, 10 MiB) copied, 0.1 s, 1.0 GB/s
              total 15360
              -rw-r--r-- 1 root root  5242880 Jan  1 00:33 sparse
              -rw-r--r-- 1 root root 10485760 Jan  1 00:33 zero
            --- upper
            d /tmp 1777
            f /tmp/sparse 644 <5242880 bytes>
            f /tmp/zero 644 <10485760 bytes>
        "#]],
    );
}

#[test]
fn make_builds_then_is_up_to_date() {
    check(
        "cd /app && make && make; make -C /app nothing",
        expect![[r#"
        status 2
          cp in.txt out.txt
          built out.txt from in.txt
          make: Nothing to be done for 'all'.
          make: Entering directory '/app'
        ! make: *** No rule to make target 'nothing'.  Stop.
          make: Leaving directory '/app'
        --- upper
        d /app 755
        f /app/out.txt 644 "hello\n"
    "#]],
    );
}

#[test]
fn make_without_a_makefile() {
    check(
        "make /app; make",
        expect![[r#"
        status 2
          make: Nothing to be done for '/app'.
        ! make: *** No targets specified and no makefile found.  Stop.
    "#]],
    );
}

#[test]
fn make_reports_a_failing_recipe_and_missing_separator() {
    check(
        "printf 'all:\\n\\tfalse\\n' > /tmp/Makefile; make -C /tmp; printf 'all:\\n    echo hi\\n' > /tmp/Makefile; make -C /tmp",
        expect![[r#"
            status 2
              make: Entering directory '/tmp'
              false
            ! make: *** [Makefile:2: all] Error 1
              make: Leaving directory '/tmp'
              make: Entering directory '/tmp'
            ! Makefile:2: *** missing separator (did you mean TAB instead of 8 spaces?).  Stop.
              make: Leaving directory '/tmp'
            --- upper
            d /tmp 1777
            f /tmp/Makefile 644 "all:\n    echo hi\n"
        "#]],
    );
}

#[test]
fn apt_get_fills_the_package_lists() {
    check(
        "apt-get install -y curl; apt-get update >/dev/null && apt-get install -y curl >/dev/null && du -h /var/lib/apt/lists && rm -rf /var/lib/apt/lists/*",
        expect![[r#"
            status 0
              Reading package lists...
              Building dependency tree...
              Reading state information...
            ! E: Unable to locate package curl
            ! (the package lists are empty: run apt-get update first, in the same RUN)
              44M	/var/lib/apt/lists
            --- upper
            d /usr 755
            d /usr/bin 755
            f /usr/bin/curl 644 <276000 bytes>
            d /usr/lib 755
            d /usr/lib/x86_64-linux-gnu 755
            f /usr/lib/x86_64-linux-gnu/libcurl.so.4.8.0 644 <703712 bytes>
            d /usr/share 755
            d /usr/share/doc 755
            d /usr/share/doc/curl 755
            f /usr/share/doc/curl/copyright 644 <5420 bytes>
            d /var 755
            d /var/lib 755
            d /var/lib/apt 755
            d /var/lib/apt/lists 755
            d /var/lib/dpkg 755
            f /var/lib/dpkg/status 644 <167 bytes>
        "#]],
    );
}

#[test]
fn syntax_errors_are_data() {
    for script in [
        "echo 'open",
        "if true; then echo; fi",
        "a && ",
        "echo ${",
        "(cd /)",
        "x &",
        ";",
        "cat <<EOF",
        "\u{0}\u{7f}",
    ] {
        let base = parse_layers(BASE, 0).expect("base");
        let layers = base
            .into_iter()
            .map(|d| Rc::new(Layer::new(LayerId(1), d)))
            .collect();
        let mut fs = Merged::new(Rc::new(Lower::new(layers)));
        let ran = Shell::new("sh", &[], "/").run(&mut fs, script);
        assert!(
            ran.status != 0 || script.starts_with('\u{0}'),
            "{script:?} gave status 0"
        );
    }
}
