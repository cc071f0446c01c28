//! Layers that BuildKit's cache keeps after `docker rmi` are still in the
//! layer store: `docker load` and `docker pull` find them by ChainID, as
//! Docker 26 does (`tests/docker26/scenarios/build-cache-held-*.txt`), until
//! `docker builder prune` lets them go.

use layerlab_engine::command::Session;
use layerlab_engine::host::HostEvent;
use layerlab_engine::layer::LayerId;

fn run(s: &mut Session, line: &str) -> layerlab_engine::command::Transcript {
    let t = s.run(line);
    assert_eq!(t.status, 0, "{line}: {}", t.text());
    t
}

/// busybox pulled and `learner/app:1.0` built on it (two layers of its own).
fn built() -> (Session, Vec<LayerId>) {
    let mut s = Session::new();
    run(&mut s, "docker pull busybox");
    run(
        &mut s,
        "cat > Dockerfile <<'EOF'\nFROM busybox\nCOPY app.py /app/\nRUN echo hi > /hi.txt\nEOF",
    );
    run(&mut s, "docker build -q -t learner/app:1.0 .");
    let layers = &s.host.image("learner/app:1.0").expect("built").layers;
    let ids = layers.iter().map(|l| l.id).collect();
    (s, ids)
}

fn created(t: &layerlab_engine::command::Transcript) -> usize {
    t.host_events()
        .filter(|e| matches!(e, HostEvent::LayerCreated { .. }))
        .count()
}

#[test]
fn load_after_rmi_takes_the_layers_the_build_cache_holds() {
    let (mut s, before) = built();
    run(&mut s, "docker save -o app.tar learner/app:1.0");
    run(&mut s, "docker rmi learner/app:1.0");
    let loaded = run(&mut s, "docker load -i app.tar");
    assert_eq!(created(&loaded), 0, "{:?}", loaded.happened);
    let layers = &s.host.image("learner/app:1.0").expect("loaded").layers;
    let after: Vec<LayerId> = layers.iter().map(|l| l.id).collect();
    assert_eq!(after, before);
}

#[test]
fn load_after_the_cache_is_pruned_stores_the_layers_again() {
    let (mut s, _) = built();
    run(&mut s, "docker save -o app.tar learner/app:1.0");
    run(&mut s, "docker rmi learner/app:1.0");
    run(&mut s, "docker builder prune -af");
    let loaded = run(&mut s, "docker load -i app.tar");
    assert_eq!(created(&loaded), 2, "{}", loaded.text());
}

/// What `docker pull` prints for each layer, after a push and an rmi, with
/// or without pruning the build cache in between.
fn pulled_back(prune: bool) -> Vec<String> {
    let (mut s, _) = built();
    run(&mut s, "docker push learner/app:1.0");
    run(&mut s, "docker rmi learner/app:1.0");
    if prune {
        run(&mut s, "docker builder prune -af");
    }
    let t = run(&mut s, "docker pull learner/app:1.0");
    t.text()
        .lines()
        .filter_map(|l| l.split_once(": ").map(|(_, status)| status.to_owned()))
        .filter(|status| status == "Already exists" || status == "Pull complete")
        .collect()
}

#[test]
fn pull_after_rmi_finds_the_layers_the_build_cache_holds() {
    assert_eq!(pulled_back(false), ["Already exists"; 3]);
    assert_eq!(
        pulled_back(true),
        ["Already exists", "Pull complete", "Pull complete"]
    );
}
