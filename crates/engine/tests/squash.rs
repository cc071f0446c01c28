//! Property test: the layer tars, extracted one after another by an independent
//! reader (Python's `tarfile`, applying whiteouts and opaque markers as a tar
//! consumer does), give exactly the engine's merged view of the same layers.

mod common;

use common::{build_stack, layer};
use layerlab_engine::layer::{Layer, LayerId};
use layerlab_engine::lower::Lower;
use layerlab_engine::merged::{Merged, Node};
use layerlab_engine::tar::write_diff;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::process::Command;
use std::rc::Rc;

const APPLY: &str = r#"
import sys, tarfile
tree = {}
for path in sys.argv[1:]:
    t = tarfile.open(path)
    members = t.getmembers()
    written = set(m.name.rstrip("/") for m in members)
    for m in members:
        name = m.name.rstrip("/")
        d, _, base = name.rpartition("/")
        if base == ".wh..wh..opq":
            for k in list(tree):
                if k.startswith(d + "/") and k not in written:
                    del tree[k]
        elif base.startswith(".wh."):
            gone = (d + "/" if d else "") + base[4:]
            for k in list(tree):
                if k == gone or k.startswith(gone + "/"):
                    del tree[k]
    for m in members:
        name = m.name.rstrip("/")
        if name.rpartition("/")[2].startswith(".wh."):
            continue
        if not m.isdir():
            for k in list(tree):
                if k.startswith(name + "/"):
                    del tree[k]
        if m.isdir():
            tree[name] = "d %o" % m.mode
        elif m.islnk():
            tree[name] = tree.get(m.linkname, "?")
        elif m.issym():
            tree[name] = "l " + m.linkname
        else:
            tree[name] = "f %o %s" % (m.mode, list(t.extractfile(m).read()))
for k in sorted(tree):
    print("/" + k, tree[k])
"#;

#[test]
fn extracting_the_layer_tars_in_order_gives_the_merged_view() {
    if !Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        println!("SKIP: python3 is not installed, so the tars cannot be extracted independently");
        return;
    }
    let dir = std::env::temp_dir().join(format!("layerlab-squash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&prop::collection::vec(layer(), 1..4), |layers| {
        let diffs = build_stack(&layers);
        let mut files = Vec::new();
        for (i, d) in diffs.iter().enumerate() {
            let mut bytes = Vec::new();
            write_diff(d, &mut |c: &[u8]| bytes.extend_from_slice(c));
            let f = dir.join(format!("layer{i}.tar"));
            std::fs::write(&f, bytes).expect("write tar");
            files.push(f);
        }
        let out = Command::new("python3")
            .arg("-c")
            .arg(APPLY)
            .args(&files)
            .output()
            .expect("python3");
        prop_assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let squashed = String::from_utf8_lossy(&out.stdout).into_owned();

        let stack = diffs
            .into_iter()
            .enumerate()
            .map(|(i, d)| Rc::new(Layer::new(LayerId(i as u64 + 1), d)))
            .collect();
        let merged = Merged::new(Rc::new(Lower::new(stack)));
        let ours: String = merged
            .walk()
            .into_iter()
            .map(|s| match s.node {
                Node::Dir { meta } => format!("{} d {:o}\n", s.path, meta.mode),
                Node::File { meta, content } => {
                    format!("{} f {:o} {:?}\n", s.path, meta.mode, content.to_vec())
                }
                Node::Symlink { target, .. } => format!("{} l {target}\n", s.path),
            })
            .collect();
        prop_assert_eq!(squashed, ours);
        Ok(())
    });
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = result {
        panic!("{e}");
    }
}
