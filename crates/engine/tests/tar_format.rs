//! Layer tars read back by independent readers: Python's `tarfile` and GNU tar.

use expect_test::expect;
use layerlab_engine::digest::{Digest, EMPTY_TAR_DIFF_ID};
use layerlab_engine::fixture::parse_layers;
use layerlab_engine::layer::{Layer, LayerId};
use layerlab_engine::tar::write_diff;
use std::process::Command;

const FIXTURE: &str = "
d /etc 755
f /etc/hostname 644 web\\n
h /etc/hostname.bak /etc/hostname
l /etc/localtime /usr/share/zoneinfo/UTC
w /etc/motd
o /var/cache 700
f /var/cache/apt/a.bin 600 x
f /srv/a-very-long-directory-name-that-goes-on-and-on/and-another-long-directory-name/and-a-file-name-too.txt 644 long
f /srv/数据.txt 644 unicode
F /usr/lib/libbig.so 755 70000
";

fn tar_bytes() -> Vec<u8> {
    let diff = parse_layers(FIXTURE, 1_767_225_600)
        .expect("fixture")
        .remove(0);
    let mut out = Vec::new();
    write_diff(&diff, &mut |c: &[u8]| out.extend_from_slice(c));
    out
}

fn tool(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn python_tarfile_reads_every_entry_as_written() {
    if !tool("python3") {
        println!("SKIP: python3 is not installed, so the tar cannot be checked with tarfile");
        return;
    }
    let path = std::env::temp_dir().join(format!("layerlab-tar-{}.tar", std::process::id()));
    std::fs::write(&path, tar_bytes()).expect("write tar");
    let script = "import tarfile,sys,hashlib\n\
        t = tarfile.open(sys.argv[1])\n\
        for m in t:\n\
        \x20   data = t.extractfile(m).read() if m.isfile() else b''\n\
        \x20   print(m.type.decode(), m.name, oct(m.mode), m.uid, m.gid, m.size, m.mtime, m.linkname or '-', hashlib.sha256(data).hexdigest()[:8])\n";
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    expect![[r#"
        5 etc 0o755 0 0 0 1767225600 - e3b0c442
        0 etc/hostname 0o644 0 0 4 1767225600 - 4ded89b3
        1 etc/hostname.bak 0o644 0 0 0 1767225600 etc/hostname e3b0c442
        2 etc/localtime 0o777 0 0 0 1767225600 /usr/share/zoneinfo/UTC e3b0c442
        0 etc/.wh.motd 0o600 0 0 0 0 - e3b0c442
        5 srv 0o755 0 0 0 1767225600 - e3b0c442
        5 srv/a-very-long-directory-name-that-goes-on-and-on 0o755 0 0 0 1767225600 - e3b0c442
        5 srv/a-very-long-directory-name-that-goes-on-and-on/and-another-long-directory-name 0o755 0 0 0 1767225600 - e3b0c442
        0 srv/a-very-long-directory-name-that-goes-on-and-on/and-another-long-directory-name/and-a-file-name-too.txt 0o644 0 0 4 1767225600 - fc66f021
        0 srv/数据.txt 0o644 0 0 7 1767225600 - 2fcf76a4
        5 usr 0o755 0 0 0 1767225600 - e3b0c442
        5 usr/lib 0o755 0 0 0 1767225600 - e3b0c442
        0 usr/lib/libbig.so 0o755 0 0 70000 1767225600 - ae10dcfd
        5 var 0o755 0 0 0 1767225600 - e3b0c442
        5 var/cache 0o700 0 0 0 1767225600 - e3b0c442
        0 var/cache/.wh..wh..opq 0o700 0 0 0 1767225600 - e3b0c442
        5 var/cache/apt 0o755 0 0 0 1767225600 - e3b0c442
        0 var/cache/apt/a.bin 0o600 0 0 1 1767225600 - 2d711642
    "#]]
    .assert_eq(&String::from_utf8_lossy(&out.stdout));
}

#[test]
fn gnu_tar_lists_the_layer_without_complaint() {
    if !tool("tar") {
        println!("SKIP: GNU tar is not installed");
        return;
    }
    let path = std::env::temp_dir().join(format!("layerlab-gnutar-{}.tar", std::process::id()));
    std::fs::write(&path, tar_bytes()).expect("write tar");
    let out = Command::new("tar")
        .arg("-tf")
        .arg(&path)
        .output()
        .expect("tar");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 18);
}

#[test]
fn the_empty_layer_is_1024_zero_bytes_with_the_well_known_diff_id() {
    let layer = Layer::new(LayerId(1), Default::default());
    assert_eq!(layer.diff_id().as_str(), EMPTY_TAR_DIFF_ID);
    let diff = parse_layers("f /a 644 x", 0).expect("fixture").remove(0);
    let mut bytes = Vec::new();
    write_diff(&diff, &mut |c: &[u8]| bytes.extend_from_slice(c));
    assert_eq!(bytes.len() % 512, 0);
    assert_eq!(Layer::new(LayerId(2), diff).diff_id(), &Digest::of(&bytes));
}
