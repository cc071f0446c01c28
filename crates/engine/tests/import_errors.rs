//! Damaged, truncated and hostile archives: each gets its own message, and
//! none panics or hangs. One row per case; the messages are one snapshot.

use expect_test::expect;
use layerlab_engine::archive::{self, Kind, Member};
use layerlab_engine::content::Content;
use layerlab_engine::diff::Meta;
use layerlab_engine::digest::Digest;
use layerlab_engine::import::{Importer, Limits};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/images/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `archive` with the first `from` inside member `member`'s data replaced by `to` (same length).
fn patch(archive: &[u8], member: &str, from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut out = archive.to_vec();
    let header = out
        .windows(member.len())
        .enumerate()
        .position(|(i, w)| i % 512 == 0 && w == member.as_bytes())
        .unwrap_or_else(|| panic!("no member {member}"));
    let at = header
        + 512
        + out[header + 512..]
            .windows(from.len())
            .position(|w| w == from.as_bytes())
            .unwrap_or_else(|| panic!("no {from:?} in {member}"));
    out[at..at + to.len()].copy_from_slice(to.as_bytes());
    out
}

fn file(name: &str, data: impl Into<Vec<u8>>) -> Member {
    Member {
        name: name.into(),
        kind: Kind::File(Content::bytes(data)),
        meta: Meta::new(0o644, 0),
    }
}

fn tar(members: Vec<Member>) -> Vec<u8> {
    archive::write(&members).to_vec()
}

/// A one-image OCI archive whose layers are `layers` (stored as given; each
/// DiffID is taken as the stored blob's digest) and whose manifest lists `listed`.
fn oci(layers: &[Vec<u8>], extra: Vec<(String, Vec<u8>)>) -> Vec<u8> {
    let digests: Vec<Digest> = layers.iter().map(|l| Digest::of(l)).collect();
    let config = serde_json::json!({
        "architecture": "amd64", "os": "linux", "config": {},
        "rootfs": {"type": "layers", "diff_ids": digests.iter().map(|d| d.to_string()).collect::<Vec<_>>()}
    })
    .to_string();
    let config_digest = Digest::of(config.as_bytes());
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest.to_string(), "size": config.len()},
        "layers": layers.iter().zip(&digests).map(|(l, d)| serde_json::json!({
            "mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": d.to_string(), "size": l.len()
        })).collect::<Vec<_>>()
    })
    .to_string();
    let manifest_digest = Digest::of(manifest.as_bytes());
    let index = serde_json::json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest.to_string(), "size": manifest.len()}]
    })
    .to_string();
    let mut members = vec![
        file("oci-layout", r#"{"imageLayoutVersion": "1.0.0"}"#),
        file("index.json", index),
        file(&format!("blobs/sha256/{}", manifest_digest.hex()), manifest),
        file(&format!("blobs/sha256/{}", config_digest.hex()), config),
    ];
    for (l, d) in layers.iter().zip(&digests) {
        members.push(file(&format!("blobs/sha256/{}", d.hex()), l.clone()));
    }
    for (name, data) in extra {
        members.push(file(&name, data));
    }
    tar(members)
}

fn layer(members: Vec<Member>) -> Vec<u8> {
    tar(members)
}

/// A layer tar whose one entry is a header only, claiming `size` bytes.
fn huge_file_header(size: u64) -> Vec<u8> {
    let mut block = Vec::new();
    layerlab_engine::tar::write_header(
        &mut |b| block.extend_from_slice(b),
        &layerlab_engine::tar::Header {
            name: "huge.bin".into(),
            flag: layerlab_engine::tar::TypeFlag::Regular,
            meta: Meta::new(0o644, 0),
            size,
            link: "",
        },
    );
    block
}

/// The first layer of `oci-zstd.tar` (skopeo's zstd of `multi-stage.tar`'s).
const ZSTD_BLOB: &str =
    "blobs/sha256/f9ff7a52c932b8227df975fe0fe2d3591e09e8ac639ce224510bc2c3ab2a36da";

/// `archive` with one bit of member `blob`'s data changed, `at` bytes in.
fn flip_in_blob(archive: &[u8], blob: &str, at: usize) -> Vec<u8> {
    let mut out = archive.to_vec();
    let header = out
        .windows(blob.len())
        .position(|w| w == blob.as_bytes())
        .expect("blob");
    out[header + 512 + at] ^= 0x55;
    out
}

/// A zstd frame header with the window descriptor `window` and no checksum.
fn zstd_header(window: u8) -> Vec<u8> {
    vec![0x28, 0xb5, 0x2f, 0xfd, 0x00, window]
}

/// A zstd frame of `blocks` RLE blocks, each 128 KiB of zero bytes from 4
/// bytes: 16 GiB from 512 KiB.
fn zstd_bomb(blocks: usize) -> Vec<u8> {
    let mut z = zstd_header(0x00);
    for i in 0..blocks {
        let last = u32::from(i + 1 == blocks);
        let h = (128 * 1024) << 3 | 1 << 1 | last;
        z.extend_from_slice(&h.to_le_bytes()[..3]);
        z.push(0);
    }
    z
}

/// Real archives damaged: cut, changed, or not archives at all.
fn damaged_archives() -> Vec<(&'static str, Vec<u8>, Limits)> {
    let scratch = fixture("scratch-fs.tar");
    let legacy = fixture("legacy.tar");
    let gz = fixture("oci-gzip.tar");
    let zstd = fixture("oci-zstd.tar");
    let mut noise = Vec::new();
    let mut x: u32 = 7;
    for _ in 0..2048 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        noise.push((x >> 16) as u8);
    }
    let gz_damaged = flip_in_blob(
        &gz,
        "blobs/sha256/c4d78352191ef994fb0fff0b276501f2c9c3217fedeb8d7f487d30f1ce19eb0a",
        60,
    );
    vec![
        ("an empty file", Vec::new(), Limits::default()),
        ("a text file", b"hello\n".to_vec(), Limits::default()),
        ("random bytes", noise, Limits::default()),
        (
            "a docker save cut short",
            scratch[..50_000].to_vec(),
            Limits::default(),
        ),
        (
            "a tar of plain files",
            tar(vec![file("notes.txt", "hi\n")]),
            Limits::default(),
        ),
        (
            "a byte changed in a layer blob",
            patch(&scratch, "blobs/sha256/08f5", "Test Linux", "Test Linuz"),
            Limits::default(),
        ),
        (
            "a byte changed in an older layout's layer",
            patch(&legacy, "e2c8bdce", "stage one", "stage two"),
            Limits::default(),
        ),
        (
            "a config changed in the older layout",
            patch(&legacy, "ac69d625", "amd64", "arm64"),
            Limits::default(),
        ),
        (
            "a descriptor with the wrong size",
            patch(&gz, "index.json", "\"size\":709", "\"size\":708"),
            Limits::default(),
        ),
        ("a damaged gzip layer", gz_damaged, Limits::default()),
        (
            "a damaged zstd layer",
            flip_in_blob(&zstd, ZSTD_BLOB, 40),
            Limits::default(),
        ),
    ]
}

/// Archives made to attack the reader: escaping paths, links to nothing, bombs.
fn hostile_archives() -> Vec<(&'static str, Vec<u8>, Limits)> {
    let scratch = fixture("scratch-fs.tar");
    let mut zstd_cut = zstd_header(0x00);
    zstd_cut.extend_from_slice(&[0; 600]);
    let mut zstd_window = zstd_header(0xf8);
    zstd_window.extend_from_slice(&[0; 600]);
    let link = Member {
        name: "b".into(),
        kind: Kind::HardLink("nope".into()),
        meta: Meta::new(0o644, 0),
    };
    let many = Limits {
        max_entries: 5,
        ..Limits::default()
    };
    vec![
        (
            "a layer entry escaping the root",
            oci(&[layer(vec![file("../../etc/evil", "x")])], Vec::new()),
            Limits::default(),
        ),
        (
            "an entry through a symlink of the same layer",
            oci(
                &[layer(vec![
                    Member {
                        name: "etc".into(),
                        kind: Kind::Symlink("/etc".into()),
                        meta: Meta::new(0o777, 0),
                    },
                    file("etc/passwd", "root::0:0::/:/bin/sh\n"),
                ])],
                Vec::new(),
            ),
            Limits::default(),
        ),
        (
            "a hard link to nothing",
            oci(&[layer(vec![file("a", "x"), link])], Vec::new()),
            Limits::default(),
        ),
        (
            "a zstd layer cut short",
            oci(&[zstd_cut], Vec::new()),
            Limits::default(),
        ),
        (
            "a zstd layer asking for a 2 TiB window",
            oci(&[zstd_window], Vec::new()),
            Limits::default(),
        ),
        (
            "a zstd bomb",
            oci(&[zstd_bomb(128 * 1024)], Vec::new()),
            Limits::default(),
        ),
        (
            "a JSON document listed as a layer",
            oci(&[b"{\"not\": \"a layer\"}".to_vec()], Vec::new()),
            Limits::default(),
        ),
        (
            "a manifest.json that does not parse",
            tar(vec![file("manifest.json", "[{")]),
            Limits::default(),
        ),
        (
            "a manifest.json naming a missing config",
            tar(vec![file(
                "manifest.json",
                r#"[{"Config":"abc.json","Layers":[]}]"#,
            )]),
            Limits::default(),
        ),
        (
            "a layer claiming a 1 TiB file",
            oci(&[huge_file_header(1 << 40)], Vec::new()),
            Limits::default(),
        ),
        ("more entries than allowed", scratch.clone(), many),
        (
            "a layer cut short",
            oci(
                &[layer(vec![file("a", "x".repeat(2000))])[..1024].to_vec()],
                Vec::new(),
            ),
            Limits::default(),
        ),
    ]
}

#[test]
fn every_damaged_or_hostile_archive_gets_its_message() {
    let mut cases = damaged_archives();
    cases.extend(hostile_archives());
    let mut out = String::new();
    for (what, data, limits) in cases {
        for step in [data.len().max(1), 513] {
            let mut importer = Importer::with_limits(limits);
            let mut result = Ok(());
            for chunk in data.chunks(step) {
                if let Err(e) = importer.feed(chunk) {
                    result = Err(e);
                    break;
                }
            }
            let message = match result.and_then(|()| importer.finish().map(|_| ())) {
                Ok(()) => "imported!".to_owned(),
                Err(e) => e.to_string(),
            };
            if step == 513 {
                assert!(out.ends_with(&format!("{message}\n")), "{what}: {message}");
            } else {
                out.push_str(&format!("{what}:\n  {message}\n"));
            }
        }
    }
    expect![[r#"
        an empty file:
          not a tar archive: the file does not start with a tar header (an image archive is what `docker save` writes)
        a text file:
          not a tar archive: the file does not start with a tar header (an image archive is what `docker save` writes)
        random bytes:
          not a tar archive: the file does not start with a tar header (an image archive is what `docker save` writes)
        a docker save cut short:
          unexpected end of file: the archive stops at byte 50000, inside a tar entry
        a tar of plain files:
          not an image archive: it has neither manifest.json nor index.json (is it a `docker export` of a container? use `docker import` for that)
        a byte changed in a layer blob:
          blobs/sha256/08f564820728da53fa743f377ad5d63d143af9bca94710bcae290a081cc9f3ef: verified reader digest mismatch: expected sha256:08f564820728da53fa743f377ad5d63d143af9bca94710bcae290a081cc9f3ef, got sha256:1456d3ff362076ac6da52bf1e16b1475b3aa7dd026d872be5479262e5fcce224
        a byte changed in an older layout's layer:
          layer 0 (e2c8bdcecf9820c57a409845c21e4d2f33e07ec30b93259591d4682aa87846b9.tar): diffid mismatch: the config says sha256:e2c8bdcecf9820c57a409845c21e4d2f33e07ec30b93259591d4682aa87846b9, the uncompressed layer is sha256:426d5c91516ca8bf897215f5e912d45f5b7797617bffae265777f5532b2936c6
        a config changed in the older layout:
          ac69d625aaabc43f658b1ecd0e62ae2e15dc052dc130b68a9f186d182bce0987.json: config digest mismatch: named sha256:ac69d625aaabc43f658b1ecd0e62ae2e15dc052dc130b68a9f186d182bce0987, its content is sha256:e811ef879d2585407a667d0700f08fc17a66bb59b2edd8a2f5215a3027c78f38
        a descriptor with the wrong size:
          blobs/sha256/dcb1b8d71db4c55874e713273ab7d7eb0dbaa3be25dab7dd5ef558da26b8c6b3: size mismatch: the descriptor says 708 bytes, the blob has 709
        a damaged gzip layer:
          blobs/sha256/c4d78352191ef994fb0fff0b276501f2c9c3217fedeb8d7f487d30f1ce19eb0a: damaged layer: the tar header at byte 0 (uncompressed) has a wrong checksum
        a damaged zstd layer:
          blobs/sha256/f9ff7a52c932b8227df975fe0fe2d3591e09e8ac639ce224510bc2c3ab2a36da: zstd: corrupted data (a block that cannot be decoded)
        a layer entry escaping the root:
          blobs/sha256/3ce9d3ee7411c0371215d4cece25c91b27d9fcb1abda9ea8090e20d6d8f4ede2: entry "../../etc/evil" escapes the root directory
        an entry through a symlink of the same layer:
          blobs/sha256/044697bfa0b706a4412735a0aa1e72b6de934d33f936f81d7f665a9671953dc9: entry "etc/passwd" lies below "etc", which is not a directory
        a hard link to nothing:
          blobs/sha256/f82781c81d1168e1c30c01498b808d7a5100242e4a280f0b32ddc92613679372: hard link "b" points to "nope", which is not earlier in the layer
        a zstd layer cut short:
          blobs/sha256/722ad9d3cf64f676a4ee49dccb388e27e897e8a128703a48b88580b612f7a20c: zstd: unexpected end of data (the stream is cut short)
        a zstd layer asking for a 2 TiB window:
          blobs/sha256/e097622f1d710b1a3660f0572589d243694572ea2a79f674d33b5c523cca72e6: zstd: a window of 2199023255552 bytes, more than the 33554432 this reader keeps in memory
        a zstd bomb:
          blobs/sha256/a98cd9d73a5c7a2565a2ce05bef3d36123685e7f04e6ee7a6c3d9cdca75c04ed: zstd: it expands more than 1024 times (a zstd bomb?); refusing it
        a JSON document listed as a layer:
          blobs/sha256/c57fcce9efaf156c8d79ac4d487503d7f2d178b84b18743953ce9f9429d9c0a1: used as a layer but it is not a tar archive
        a manifest.json that does not parse:
          manifest.json: invalid JSON: EOF while parsing an object at line 1 column 2
        a manifest.json naming a missing config:
          abc.json: named by manifest.json but not in the archive
        a layer claiming a 1 TiB file:
          refusing files this large in total (bytes): more than the limit of 68719476736
        more entries than allowed:
          refusing this many layer entries: more than the limit of 5
        a layer cut short:
          blobs/sha256/a58d7518272105c24a29cc2ce7105b65069b2a6cdfb685fc76aabde1397a4ab2: damaged layer: the tar stops at byte 1024 (uncompressed), inside a tar entry
    "#]].assert_eq(&out);
}

/// Every cut and many one-byte changes of a real archive: an error or an
/// image, never a panic (the fuzz target `image_import` goes further).
#[test]
fn cut_or_changed_archives_never_panic() {
    let data = fixture("multi-stage.tar");
    for cut in (0..data.len()).step_by(97) {
        let _ = Importer::import(&data[..cut]);
    }
    for at in (0..data.len()).step_by(61) {
        let mut changed = data.clone();
        changed[at] ^= 0x20;
        let _ = Importer::import(&changed);
    }
    for compressed in ["oci-gzip.tar", "oci-zstd.tar"] {
        let data = fixture(compressed);
        for at in (0..data.len()).step_by(13) {
            let mut changed = data.clone();
            changed[at] ^= 0x01;
            let _ = Importer::import(&changed);
        }
    }
}
