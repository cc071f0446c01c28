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
