//! Engine benchmarks (`cargo xtask bench`), with the machine's floor measured in
//! the same run where a ratio tells more than a time.
//!
//! Targets: with a base image of 5,000 files in 5 layers, creating 1,000
//! containers ≤ 50 ms and ≤ 20 MB; copy-up of a 100 MB described file ≤ 20 µs;
//! a lookup through 20 layers ≤ 2 µs; SIZE and virtual size for 1,000
//! containers ≤ 5 ms; layer digests of real content ≥ 200 MB/s, of described content
//! within 1.5× of raw SHA-256 over a buffer (generating a word costs about a
//! third of hashing it); parsing a
//! 1 MB Dockerfile ≤ 50 ms; building the tutorial's Dockerfile from cold ≤ 2 ms;
//! rebuilding after one edit to a COPY source ≤ 1 ms.

use criterion::{black_box, criterion_group, BatchSize, Criterion, Throughput};
use layerlab_engine::content::Content;
use layerlab_engine::diff::{Diff, Meta};
use layerlab_engine::digest::Digest;
use layerlab_engine::host::Host;
use layerlab_engine::image::ImageConfig;
use layerlab_engine::layer::{Layer, LayerId};
use layerlab_engine::lower::Lower;
use layerlab_engine::merged::{Merged, WriteMode};
use layerlab_engine::path::FsPath;
use layerlab_engine::reference::Reference;
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts live heap bytes, to measure what 1,000 containers cost.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn path(s: &str) -> FsPath {
    FsPath::lexical(s).expect("valid path")
}

/// `files` described files spread over directories, in one layer.
fn layer_diff(layer: usize, files: usize) -> Diff {
    let mut d = Diff::new();
    for i in 0..files {
        let p = path(&format!("/usr/lib/pkg{layer}/{}/lib{i}.so", i % 50));
        for a in p.ancestors() {
            if d.get(&a).is_none() {
                d.put(
                    a,
                    layerlab_engine::diff::Entry::Dir {
                        meta: Meta::new(0o755, 0),
                        opaque: false,
                    },
                );
            }
        }
        d.put_file(
            p,
            Meta::new(0o644, 0),
            Content::described(1000 + i as u64 * 37, i as u64 + 1),
        );
    }
    d
}

/// A host with one image `base`: 5,000 files in 5 layers.
fn base_host() -> Host {
    let mut host = Host::new();
    let layers: Vec<_> = (0..5)
        .map(|l| host.new_layer(layer_diff(l, 1000)))
        .collect();
    let tag = Reference::parse("base").expect("tag");
    host.add_image(ImageConfig::scratch(host.now()), layers, Some(&tag));
    host
}

fn containers(c: &mut Criterion) {
    let host = base_host();
    c.bench_function("containers/create 1000 (5,000-file image)", |b| {
        b.iter_batched(
            || host.clone(),
            |mut h| {
                for _ in 0..1000 {
                    black_box(h.create_container("base", None).ok());
                }
                h
            },
            BatchSize::LargeInput,
        )
    });

    let mut with_1000 = host.clone();
    for i in 0..1000 {
        let name = format!("c{i}");
        with_1000.create_container("base", Some(&name)).ok();
        if let Ok(fs) = with_1000.fs(&name) {
            fs.write("/tmp.txt", &vec![b'x'; i], WriteMode::Truncate)
                .ok();
        }
    }
    c.bench_function("sizes/SIZE and virtual of 1000 containers", |b| {
        b.iter(|| black_box(with_1000.ps_sizes()))
    });
}

fn copy_up(c: &mut Criterion) {
    let mut d = Diff::new();
    d.put(
        path("/opt"),
        layerlab_engine::diff::Entry::Dir {
            meta: Meta::new(0o755, 0),
            opaque: false,
        },
    );
    d.put_file(
        path("/opt/model.bin"),
        Meta::new(0o644, 0),
        Content::described(100_000_000, 7),
    );
    let lower = Rc::new(Lower::new(vec![Rc::new(Layer::new(LayerId(1), d))]));
    let fresh = Merged::new(lower);
    c.bench_function("cow/append 1 byte to a 100 MB lower file (copy-up)", |b| {
        b.iter_batched(
            || fresh.clone(),
            |mut m| {
                black_box(m.write("/opt/model.bin", b"!", WriteMode::Append).ok());
                m
            },
            BatchSize::SmallInput,
        )
    });
}

fn lookup(c: &mut Criterion) {
    let layers: Vec<_> = (0..20)
        .map(|l| Rc::new(Layer::new(LayerId(l as u64 + 1), layer_diff(l, 250))))
        .collect();
    let m = Merged::new(Rc::new(Lower::new(layers)));
    black_box(m.stat("/usr/lib/pkg0/7/lib7.so").ok());
    c.bench_function("lookup/stat a bottom-layer file through 20 layers", |b| {
        b.iter(|| black_box(m.stat(black_box("/usr/lib/pkg0/7/lib107.so")).ok()))
    });
    let floor: BTreeMap<String, u32> = (0..5000)
        .map(|i| (format!("usr/lib/pkg{}/{}/lib{i}.so", i % 20, i % 50), i))
        .collect();
    c.bench_function("floor/one BTreeMap<String> get among 5,000 paths", |b| {
        b.iter(|| black_box(floor.get(black_box("usr/lib/pkg7/7/lib107.so"))))
    });
}

fn digests(c: &mut Criterion) {
    const SIZE: usize = 64 << 20;
    let bytes: Vec<u8> = (0..SIZE).map(|i| (i * 31 % 251) as u8).collect();
    let mut d = Diff::new();
    d.put_file(
        path("/data.bin"),
        Meta::new(0o644, 0),
        Content::bytes(bytes.clone()),
    );
    let mut group = c.benchmark_group("digest");
    group.throughput(Throughput::Bytes(SIZE as u64));
    group.sample_size(10);
    group.bench_function("diff_id of a layer with 64 MiB of real bytes", |b| {
        b.iter(|| black_box(Layer::new(LayerId(1), d.clone()).diff_id().clone()))
    });
    // The blob: the same tar in a stored gzip stream (CRC-32 over every byte), hashed.
    group.bench_function("blob digest of a layer with 64 MiB of real bytes", |b| {
        b.iter(|| {
            black_box(layerlab_engine::manifest::blob(&Layer::new(
                LayerId(1),
                d.clone(),
            )))
        })
    });
    group.bench_function("floor/sha256 of 64 MiB", |b| {
        b.iter(|| black_box(Digest::of(&bytes)))
    });
    // Described content is generated as it is hashed (a `dd` in a RUN, a big
    // COPY): its digest should cost about the floor, not a byte-by-byte walk.
    let described = Content::described(SIZE as u64, 7);
    group.bench_function("sha256 of 64 MiB of described content", |b| {
        b.iter(|| {
            let mut h = layerlab_engine::digest::Hasher::new();
            described.for_each_chunk(|c| h.update(c));
            black_box(h.finish())
        })
    });
    let mut dd = Diff::new();
    dd.put_file(path("/big"), Meta::new(0o644, 0), described.clone());
    group.bench_function("diff_id of a layer with a 64 MiB described file", |b| {
        b.iter(|| black_box(Layer::new(LayerId(1), dd.clone()).diff_id().clone()))
    });
    // As the browser app hashes it: a job taken 2 MiB at a time.
    group.bench_function("diff_id of a 64 MiB described file in 2 MiB slices", |b| {
        b.iter(|| {
            let mut job = layerlab_engine::hashing::HashJob::of(&dd);
            while !job.step(2 << 20) {}
            black_box(job.finish())
        })
    });
    group.finish();
}

fn sizes(c: &mut Criterion) {
    c.bench_function("size/human_size 109MB", |b| {
        b.iter(|| layerlab_engine::size::human_size_with_precision(black_box(109e6), 3))
    });
}

/// Dockerfile parsing and `docker build`: a 1 MB Dockerfile; the tutorial's
/// Dockerfile from a cold cache; a rebuild after one edit to a COPY source.
fn builds(c: &mut Criterion) {
    let mut big = String::from("FROM ubuntu:15.04\n");
    while big.len() < 1 << 20 {
        big.push_str("RUN apt-get update && \\\n    apt-get install -y curl # fetch\nENV A=1 B=\"two words\"\nCOPY --chown=1000 src/ /app/\n");
    }
    c.bench_function("dockerfile/parse a 1 MB Dockerfile", |b| {
        b.iter(|| layerlab_engine::dockerfile::parse(black_box(&big)))
    });
    c.bench_function("build/the tutorial's Dockerfile from a cold cache", |b| {
        b.iter_batched(
            layerlab_engine::command::Session::new,
            |mut s| s.run("docker build -t app ."),
            BatchSize::LargeInput,
        )
    });
    // What the web app does on every load with an autosave: a fresh session,
    // then the tutorial's commands one by one.
    let tutorial = layerlab_engine::command::scenario_commands(include_str!(
        "../../cli/scenarios/tutorial.txt"
    ));
    c.bench_function("replay/the tutorial scenario's 19 commands", |b| {
        b.iter(|| {
            let mut s = layerlab_engine::command::Session::new();
            for line in &tutorial {
                black_box(s.run(line));
            }
        })
    });
    c.bench_function("build/rebuild after one edit to a COPY source", |b| {
        b.iter_batched(
            || {
                let mut s = layerlab_engine::command::Session::new();
                s.run("docker build -t app .");
                s.run("echo '# edit' >> app.py");
                s
            },
            |mut s| s.run("docker build -t app ."),
            BatchSize::LargeInput,
        )
    });
}

/// Live heap bytes added by creating 1,000 containers (after the image's index exists).
fn memory_of_1000_containers() -> usize {
    let mut host = base_host();
    host.create_container("base", Some("warm")).ok();
    if let Ok(fs) = host.fs("warm") {
        fs.stat("/usr").ok();
    }
    let before = LIVE.load(Ordering::Relaxed);
    for _ in 0..1000 {
        host.create_container("base", None).ok();
    }
    let after = LIVE.load(Ordering::Relaxed);
    black_box(&host);
    after.saturating_sub(before)
}

criterion_group!(benches, containers, copy_up, lookup, digests, sizes, builds);

fn main() {
    benches();
    criterion::Criterion::default()
        .configure_from_args()
        .final_summary();
    // Extra figures for `cargo xtask bench`, one `figure<TAB>name<TAB>value` line each.
    println!(
        "figure\tmemory/1000 containers (live heap added)\t{:.2} MB",
        memory_of_1000_containers() as f64 / 1e6
    );
}
