//! `docker build` of an arbitrary Dockerfile over the default project.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if text.len() > 4096 {
        return;
    }
    let mut session = layerlab_engine::command::Session::new();
    let _ = session.host_fs.write_content(
        "/root/app/Dockerfile",
        layerlab_engine::content::Content::bytes(text.as_bytes().to_vec()),
        layerlab_engine::merged::WriteMode::Truncate,
    );
    let _ = session.run("docker build -t fuzz .");
    let _ = session.run("DOCKER_BUILDKIT=0 docker build -t fuzz .");
});
