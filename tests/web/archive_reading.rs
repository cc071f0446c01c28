//! Reading an image archive from a `File` as the "Open an image" pane does.
//! This test page serves no digest worker, so every member is hashed by the
//! page itself: the fallback a browser without workers gets, which must
//! give the same import and never wait for a worker that cannot come.
use layerlab::archive_reading::{read_archive, ReadFailure};
use layerlab::workspace::Workspace;
use layerlab_engine::import::Importer;
use wasm_bindgen_test::*;

fn file_of(name: &str, bytes: &[u8]) -> web_sys::File {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    web_sys::File::new_with_u8_array_sequence(&parts, name).expect("a file")
}

/// What an import is, in a user's words: each image's ID, tags and DiffIDs.
fn ids(imported: &layerlab_engine::import::Imported) -> Vec<String> {
    imported
        .images
        .iter()
        .map(|i| {
            let diff_ids: Vec<String> = i
                .layers
                .iter()
                .map(|l| l.summary.diff_id.to_string())
                .collect();
            format!("{} {:?} {diff_ids:?}", i.id, i.tags)
        })
        .collect()
}

#[wasm_bindgen_test]
async fn a_saved_image_read_from_a_file_is_the_same_import_without_workers() {
    let workspace = Workspace::replay(&["docker pull busybox".to_owned()]);
    let archive = layerlab_engine::save::save(&workspace.session.host, &["busybox".to_owned()], 0)
        .expect("saves")
        .to_vec();
    let want = Importer::import(&archive).expect("imports natively");
    let file = file_of("busybox.tar", &archive);
    let mut seen = Vec::new();
    let got = read_archive(&file, |b| seen.push(b), || false)
        .await
        .expect("reads");
    assert_eq!(ids(&got), ids(&want));
    assert!(!ids(&got).is_empty());
    assert_eq!(
        seen.last(),
        Some(&(archive.len() as u64)),
        "progress ends at the whole file"
    );
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    // A damaged archive is refused with the importer's words; a stopped read stops.
    let mut cut = archive.clone();
    cut.truncate(archive.len() / 2);
    let refused = read_archive(&file_of("cut.tar", &cut), |_| {}, || false).await;
    assert!(
        matches!(&refused, Err(ReadFailure::Refused(e)) if e.to_string().contains("unexpected end of file")),
        "{refused:?}"
    );
    let stopped = read_archive(&file, |_| {}, || true).await;
    assert!(matches!(stopped, Err(ReadFailure::Stopped)), "{stopped:?}");
}
