//! No input panics: arbitrary paths and operation sequences on a container only
//! ever succeed or fail with an errno-named error that names the path.

use layerlab_engine::fixture::parse_layers;
use layerlab_engine::layer::{Layer, LayerId};
use layerlab_engine::lower::Lower;
use layerlab_engine::merged::{Merged, WriteMode};
use layerlab_engine::path::FsPath;
use proptest::prelude::*;
use std::rc::Rc;

fn container() -> Merged {
    let fixture = "
d /etc 755
f /etc/hosts 644 127.0.0.1
l /etc/loop /etc/loop
l /lib usr/lib
F /usr/lib/libc.so 755 2000000
l /up ../../..
";
    let layers = parse_layers(fixture, 0).expect("fixture");
    let stack = layers
        .into_iter()
        .enumerate()
        .map(|(i, d)| Rc::new(Layer::new(LayerId(i as u64 + 1), d)))
        .collect();
    Merged::new(Rc::new(Lower::new(stack)))
}

/// Paths made of tricky pieces, or anything at all.
fn any_path() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(
            prop::sample::select(vec![
                "", ".", "..", "etc", "hosts", "loop", "lib", "up", "libc.so", "usr", "x", "数据",
                "\0", "a b"
            ]),
            0..8
        )
        .prop_map(|parts| parts.join("/")),
        ".{0,40}",
        prop::sample::select(vec![255usize, 256, 600]).prop_map(|n| format!("/{}", "n".repeat(n))),
        prop::sample::select(vec![200usize, 2047, 2048, 2100]).prop_map(|n| "/a".repeat(n)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn operations_on_arbitrary_paths_never_panic(ops in prop::collection::vec((0u8..16, any_path(), any_path()), 1..20)) {
        let mut m = container();
        for (kind, a, b) in &ops {
            let r = match kind {
                0 => m.write(a, b"x", WriteMode::Truncate),
                1 => m.write(a, b"y", WriteMode::Append),
                2 => m.read(a).map(|(_, e)| e),
                3 => m.unlink(a),
                4 => m.rmdir(a),
                5 => m.remove_tree(a),
                6 => m.mkdir(a, 0o755),
                7 => m.mkdir_all(a, 0o755),
                8 => m.rename(a, b),
                9 => m.move_path(a, b),
                10 => m.link(a, b),
                11 => m.symlink(a, b),
                12 => m.chmod(a, 0o700),
                13 => m.touch(a),
                14 => m.truncate(a, 3),
                _ => m.read_dir(a).map(|_| Vec::new()),
            };
            if let Err(e) = r {
                let shown = e.to_string();
                prop_assert!(shown.contains(": "), "{shown}");
                prop_assert!(!e.path.is_empty() || a.is_empty() || b.is_empty());
            }
        }
        // Whatever happened, the tree is still walkable and every path in it resolves.
        for s in m.walk().into_iter().take(100) {
            prop_assert!(m.lstat(&s.path.to_string()).is_ok(), "{} does not resolve", s.path);
        }
    }

    #[test]
    fn lexical_paths_never_panic(p in any_path()) {
        let _ = FsPath::lexical(&p);
    }
}

/// Shell scripts made of pieces that stress the lexer, the parser, expansion
/// and the programs, or anything at all.
fn any_script() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(
            prop::sample::select(vec![
                "echo",
                "a",
                "'q",
                "\"",
                "$",
                "${",
                "}",
                "$(",
                ")",
                "`",
                "|",
                "||",
                "&&",
                ";",
                ">",
                ">>",
                "<",
                "2>&1",
                "<<EOF",
                "<<-'X'",
                "EOF",
                "\n",
                "*",
                "?",
                "[a-",
                "\\",
                "${x:-y}",
                "${#x}",
                "${x%%*}",
                "$?",
                "cat",
                "rm -rf /",
                "mkdir -p",
                "cp -r",
                "mv",
                "ln -s",
                "chmod 0",
                "sed -i",
                "s/a/b/",
                "grep -c",
                "head -n",
                "dd",
                "if=/dev/zero",
                "count=99999999999",
                "bs=1G",
                "truncate -s",
                "tar -czf",
                "tar -xf",
                "x.tgz",
                "make",
                "-C",
                "sh -c",
                "set -e",
                "exit 3",
                "export",
                "unset",
                "printf %s%d",
                "test -f",
                "[",
                "]",
                "apt-get install",
                "pip install",
                "数据",
                "\0",
            ]),
            0..24,
        )
        .prop_map(|parts| parts.join(" ")),
        ".{0,200}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn shell_scripts_never_panic(script in any_script()) {
        let mut fs = container();
        let mut sh = layerlab_engine::shell::Shell::new("/bin/sh", &["PATH=/bin:/usr/bin".to_owned()], "/");
        let ran = sh.run(&mut fs, &script);
        prop_assert!(ran.status >= 0);
    }

    #[test]
    fn arbitrary_bytes_as_an_archive_never_panic(bytes in prop_oneof![
        prop::collection::vec(any::<u8>(), 0..2048),
        // A real tar with bytes flipped.
        (prop::collection::vec((0usize..3072, any::<u8>()), 0..16)).prop_map(|flips| {
            use layerlab_engine::archive::{write, Kind, Member};
            use layerlab_engine::diff::Meta;
            let tar = write(&[
                Member { name: "d".into(), kind: Kind::Dir, meta: Meta::new(0o755, 0) },
                Member { name: "d/f".into(), kind: Kind::File(layerlab_engine::content::Content::bytes("abc")), meta: Meta::new(0o644, 0) },
                Member { name: "d/l".into(), kind: Kind::HardLink("d/f".into()), meta: Meta::new(0o644, 0) },
            ]);
            let mut bytes = tar.to_vec();
            for (at, b) in flips {
                if let Some(x) = bytes.get_mut(at) {
                    *x = b;
                }
            }
            bytes
        }),
    ]) {
        use layerlab_engine::archive;
        let data = layerlab_engine::content::Content::bytes(bytes);
        if let Ok(tar) = archive::decompress(&data) {
            if let Ok(members) = archive::read(&tar) {
                let mut fs = container();
                let _ = archive::extract(&mut fs, "/x", &members);
            }
        }
    }
}

/// Dockerfiles made of instruction lines a learner might type, broken or not.
fn any_dockerfile() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "FROM busybox",
            "FROM scratch",
            "FROM ubuntu:15.04 AS one",
            "FROM one",
            "FROM nosuch",
            "FROM ${X}",
            "ARG X=busybox",
            "ARG",
            "ENV A=1",
            "ENV",
            "WORKDIR /w",
            "WORKDIR rel",
            "COPY . /app",
            "COPY app.py /",
            "COPY nothere /",
            "COPY --from=one / /o",
            "COPY --chmod=999 app.py /",
            "ADD app.py /a/",
            "ADD http://x/y /",
            "RUN echo hi > f",
            "RUN false",
            "RUN exit 7",
            "RUN rm -rf /bin",
            "RUN make",
            "RUN apt-get update",
            "RUN <<EOF",
            "echo heredoc",
            "EOF",
            "CMD [\"sh\"]",
            "CMD [bad",
            "ENTRYPOINT x",
            "EXPOSE 80",
            "VOLUME /v",
            "USER nobody",
            "HEALTHCHECK CMD true",
            "HEALTHCHECK --interval=x CMD y",
            "HEALTHCHECK NONE",
            "ONBUILD RUN x",
            "SHELL [\"/bin/ash\", \"-c\"]",
            "STOPSIGNAL 9",
            "LABEL a=b",
            "MAINTAINER me",
            "RUNN x",
            "\\",
            "# c",
        ]),
        0..10,
    )
    .prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn builds_of_arbitrary_dockerfiles_never_panic(text in any_dockerfile(), legacy in any::<bool>()) {
        let mut s = layerlab_engine::command::Session::new();
        let _ = s.host_fs.write_content(
            "/root/app/Dockerfile",
            layerlab_engine::content::Content::bytes(text.into_bytes()),
            WriteMode::Truncate,
        );
        let line = if legacy { "DOCKER_BUILDKIT=0 docker build -t t ." } else { "docker build -t t ." };
        let t = s.run(line);
        if t.status != 0 {
            prop_assert!(t.lines.iter().any(|l| l.stderr), "a failed build says why");
        }
        // The host stays usable.
        prop_assert_eq!(s.run("docker images -a").status, 0);
    }
}
