//! The final state of a scenario as stable JSON (`layerlab run --json`).
//!
//! Top level: `images` (newest last: `id`, `tags`, `repo_digests`, `size`,
//! `layers`), `containers` (`id`, `name`, `image`, `state`, `size`, `virtual_size`,
//! `writable_layer`), and `log` (each command line with its `status`, `output`
//! and `events`). A layer is `{diff_id, chain_id, size, files}`, where `files`
//! lists its entries as text: `f /path MODE CONTENT`, `d /dir MODE`,
//! `o /dir MODE` (opaque), `l /link TARGET`, `w /path` (whiteout).

use layerlab_engine::command::{Session, Transcript};
use layerlab_engine::fixture::render_diff;
use layerlab_engine::host::State;
use serde_json::{json, Value};

fn files(diff: &layerlab_engine::diff::Diff) -> Vec<String> {
    render_diff(diff).lines().map(str::to_owned).collect()
}

pub fn to_json(session: &Session, log: &[(String, Transcript)]) -> String {
    let host = &session.host;
    let mut images: Vec<_> = host.images().cloned().collect();
    images.sort_by_key(|i| (i.created, i.id.clone()));
    let images: Vec<Value> = images
        .iter()
        .map(|image| {
            let layers: Vec<Value> = image
                .layers
                .iter()
                .zip(image.chain_ids())
                .map(|(l, chain)| {
                    json!({"diff_id": l.diff_id().as_str(), "chain_id": chain.as_str(), "size": l.size(), "files": files(&l.diff)})
                })
                .collect();
            json!({
                "id": image.id.as_str(),
                "tags": host.tags_of(&image.id).iter().map(|r| r.to_string()).collect::<Vec<_>>(),
                "repo_digests": host.repo_digests(&image.id),
                "size": image.size(),
                "layers": layers,
            })
        })
        .collect();
    let sizes = host.ps_sizes();
    let containers: Vec<Value> = host
        .containers()
        .iter()
        .zip(sizes)
        .map(|(c, (size, virt))| {
            let state = match c.state {
                State::Created => "created".to_owned(),
                State::Running { .. } => "running".to_owned(),
                State::Exited { code, .. } => format!("exited ({code})"),
            };
            json!({
                "id": c.id, "name": c.name, "image": c.image.as_str(), "state": state,
                "size": size, "virtual_size": virt, "writable_layer": files(c.fs.upper()),
            })
        })
        .collect();
    let log: Vec<Value> = log
        .iter()
        .map(|(line, t)| {
            json!({
                "command": line,
                "status": t.status,
                "output": t.lines.iter().map(|l| l.text.clone()).collect::<Vec<_>>(),
                "events": t.host_events().map(|e| format!("{e:?}")).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({"images": images, "containers": containers, "log": log}))
        .unwrap_or_default()
}
