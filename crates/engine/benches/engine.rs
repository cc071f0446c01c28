//! Engine benchmarks (`cargo xtask bench`).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use layerlab_engine::size;

fn sizes(c: &mut Criterion) {
    c.bench_function("size/human_size 109MB", |b| {
        b.iter(|| size::human_size_with_precision(black_box(109e6), 3))
    });
}

criterion_group!(benches, sizes);
criterion_main!(benches);
