//! Large tars hashed in slices give the DiffIDs that hashing them whole gives,
//! and an operation run under `hashing::deferring`, thrown away and run again
//! once its jobs are hashed, prints and does exactly what it does inline.

use layerlab_engine::command::{scenario_commands, Session, Transcript};
use layerlab_engine::content::Content;
use layerlab_engine::diff::{Diff, Meta};
use layerlab_engine::digest::{Digest, Hasher};
use layerlab_engine::fixture::parse_layers;
use layerlab_engine::hashing::{deferring, HashJob};
use layerlab_engine::layer::{Layer, LayerId};
use layerlab_engine::manifest::blob;
use layerlab_engine::path::FsPath;
use layerlab_engine::tar::write_diff;

/// The layers hashed, each written as fixture text (one layer each).
const SHAPES: &[(&str, &str)] = &[
    ("empty layer", ""),
    (
        "small typed files",
        "f /etc/hostname 644 web\nf /etc/motd 644 hello\\nworld\\n\nd /var 755",
    ),
    (
        "described files, one crossing many slices",
        "F /usr/lib/libbig.so 755 300001\nF /usr/lib/libsmall.so 755 700\nf /usr/lib/x 644 x",
    ),
    (
        "whiteouts and an opaque directory",
        "w /etc/old\no /var/cache 755\nf /var/cache/new 644 n\nw /tmp",
    ),
    (
        "hard links and a symlink",
        "F /bin/busybox 755 40000\nh /bin/ls /bin/busybox\nh /bin/cat /bin/busybox\nl /bin/sh busybox",
    ),
    (
        "a name too long for USTAR (PAX records)",
        "f /a-very-long-directory-name-that-goes-on-and-on/and-a-file-name-which-is-also-quite-long-indeed-so-that-the-whole-path-passes-a-hundred-bytes 644 pax",
    ),
];

/// Slice sizes: a byte, less than a block, a block, odd sizes across
/// headers and contents, larger than any chunk, all at once.
const SLICES: &[u64] = &[1, 100, 512, 4093, 65_537, 1 << 20, u64::MAX];

fn whole(diff: &Diff) -> Digest {
    let mut h = Hasher::new();
    write_diff(diff, &mut |c: &[u8]| h.update(c));
    h.finish()
}

fn shapes() -> Vec<(&'static str, Diff)> {
    let mut out: Vec<(&str, Diff)> = SHAPES
        .iter()
        .map(|(name, text)| {
            let mut layers = parse_layers(text, 1_700_000_000).expect("fixture");
            (*name, layers.remove(0))
        })
        .collect();
    // A file of several pieces: typed, described, zeros, typed again.
    let mut pieces = Diff::new();
    let content = Content::bytes("head")
        .concat(&Content::described(70_001, 9))
        .concat(&Content::zeros(5_000))
        .appended(b"tail");
    pieces.put_file(
        FsPath::lexical("/data").expect("path"),
        Meta::new(0o644, 0),
        content,
    );
    out.push(("a file of typed, described and zero pieces", pieces));
    out
}

#[test]
fn hashing_in_slices_gives_the_digest_of_hashing_whole() {
    for (name, diff) in shapes() {
        let expected = whole(&diff);
        for &slice in SLICES {
            let mut job = HashJob::of(&diff);
            let total = job.total();
            let mut steps = 0u64;
            while !job.step(slice) {
                steps += 1;
                assert!(job.done() < total, "{name}: progress passed the end");
            }
            assert_eq!(job.done(), total, "{name}");
            assert!(steps <= total / slice.max(1) + 1, "{name}: {steps} steps");
            assert_eq!(job.finish(), expected, "{name}, slices of {slice}");
        }
    }
}

#[test]
fn a_blob_streamed_in_slices_gives_the_digest_and_size_of_the_whole_blob() {
    for (name, diff) in shapes() {
        // A layer computes its blob inline, outside any deferral.
        let expected = blob(&Layer::new(LayerId(1), diff.clone()));
        for &slice in SLICES {
            let mut job = HashJob::blob_of(&diff);
            while !job.step(slice) {}
            assert_eq!(job.finish(), expected.0, "{name}, slices of {slice}");
        }
        // The job remembered it: a layer under deferral finds it, size and all.
        let (found, jobs) = deferring(0, || blob(&Layer::new(LayerId(2), diff.clone())));
        assert!(jobs.is_empty(), "{name}");
        assert_eq!(found, expected, "{name}");
    }
}

#[test]
fn a_deferred_layer_answers_a_placeholder_and_then_its_digest_from_the_memo() {
    let mut layers = parse_layers("F /big 644 2000000\nf /small 644 s", 0).expect("fixture");
    let diff = layers.remove(0);
    let expected = whole(&diff);
    let layer = Layer::new(LayerId(1), diff.clone());
    let (first, jobs) = deferring(1 << 20, || layer.diff_id().clone());
    assert_ne!(first, expected, "a placeholder, not the digest");
    assert_eq!(jobs.len(), 1);
    // Header, the file padded to 512, the small file's header and block, the end.
    assert_eq!(jobs[0].total(), 512 + 2_000_384 + 512 + 512 + 1024);
    for job in jobs {
        job.finish();
    }
    // A new layer of the same content (the run again) finds it in the memo.
    let again = Layer::new(LayerId(2), diff);
    let (second, jobs) = deferring(1 << 20, || again.diff_id().clone());
    assert!(jobs.is_empty());
    assert_eq!(second, expected);
    // And the layer that answered the placeholder now answers the digest.
    let (third, _) = deferring(1 << 20, || layer.diff_id().clone());
    assert_eq!(third, expected);
}

#[test]
fn small_tars_are_hashed_inline_up_to_the_threshold() {
    let mut layers =
        parse_layers("F /a 644 3000\n---\nF /b 644 3001\n---\nF /c 644 3002", 0).expect("fixture");
    let built: Vec<Layer> = layers
        .drain(..)
        .enumerate()
        .map(|(i, d)| Layer::new(LayerId(i as u64), d))
        .collect();
    // Each tar is about 5.6 KB: two fit in 12 KB, the third waits.
    let (_, jobs) = deferring(12_000, || {
        for l in &built {
            l.diff_id();
        }
    });
    assert_eq!(jobs.len(), 1);
}

/// Runs `line` as the app does: under deferral, and when jobs come back, the
/// session as it was before, the jobs hashed in slices, and the line again.
fn run_deferred(session: &mut Session, line: &str, threshold: u64) -> (Transcript, usize) {
    let mut rounds = 0;
    loop {
        let mut next = session.clone();
        let (transcript, jobs) = deferring(threshold, || next.run(line));
        if jobs.is_empty() {
            *session = next;
            return (transcript, rounds);
        }
        rounds += 1;
        assert!(rounds < 3, "{line}: still deferred after hashing");
        for mut job in jobs {
            while !job.step(1 << 16) {}
            job.finish();
        }
    }
}

#[test]
fn a_session_with_deferred_hashing_prints_and_does_what_it_does_inline() {
    let scenario = r#"
printf 'FROM busybox\nRUN dd if=/dev/urandom of=/big bs=1M count=3 && truncate -s 1E /huge; echo done\nRUN dd if=/dev/zero of=/zeros bs=1k count=900\nCOPY . /app\n' > Dockerfile
docker build -t big .
docker images
docker history big
docker inspect --format '{{json .RootFS}}' big
docker run --name box big sh -c 'cat /big /big > /twice; ln /twice /again; rm /zeros'
docker diff box
docker commit box twice
docker image inspect --format '{{.Id}} {{json .RootFS.Layers}}' twice
docker build -t big .
docker save -o /root/big.tar big
ls -l /root/big.tar
docker tag big learner/big
docker push learner/big
docker images --digests learner/big
docker rmi twice
echo next
"#;
    let mut inline = Session::new();
    let mut deferred = Session::new();
    let mut deferred_lines = 0;
    for command in scenario_commands(scenario) {
        let expected = inline.run(&command);
        let (got, rounds) = run_deferred(&mut deferred, &command, 64 * 1024);
        assert_eq!(got, expected, "{command}");
        deferred_lines += usize::from(rounds > 0);
    }
    // The build and the commit made tars too large to hash inline, and the
    // push blobs too large to compress and hash inline; what came after
    // found them in the memo.
    assert_eq!(deferred_lines, 3);
}
