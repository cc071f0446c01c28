//! The `layerlab` binary: scenarios replay deterministically; bad input gets a clear message.

use std::process::Command;

fn layerlab(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_layerlab"))
        .args(args)
        .output()
        .expect("layerlab runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scenario() -> String {
    format!("{}/scenarios/tutorial.txt", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_scenario_replays_to_the_same_transcript_every_time() {
    let (code, first, err) = layerlab(&["run", &scenario()]);
    assert_eq!(code, 0, "{err}");
    let (_, second, _) = layerlab(&["run", &scenario()]);
    assert_eq!(first, second, "byte-identical transcripts");
    assert!(first.contains("$ docker pull ubuntu:15.04\n15.04: Pulling from library/ubuntu\n"));
    assert!(first.contains("0B (virtual 68.2MB)"));
    assert!(first.contains("2B (virtual 109MB)"));
    // The same transcript the browser build must produce (tests/web.rs).
    expect_test::expect_file!["../scenarios/tutorial.transcript"].assert_eq(&first);
    assert_eq!(
        first.matches(": Pull complete").count(),
        4 + 6 + 4,
        "ubuntu, nginx and isso layers"
    );
}

#[test]
fn json_describes_images_layers_and_containers() {
    let (code, out, err) = layerlab(&["run", &scenario(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    // ubuntu, nginx, isso, the tutorial's image built twice (the first one
    // lost its tag to the second, as in Docker), and the legacy builder's four
    // images (three intermediate ones and app:legacy).
    assert_eq!(v["images"].as_array().map(Vec::len), Some(9));
    let tagged = |tag: &str| {
        v["images"]
            .as_array()
            .and_then(|a| a.iter().find(|i| i["tags"][0] == tag))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(
        tagged("app:latest")["layers"].as_array().map(Vec::len),
        Some(4 + 3),
        "ubuntu's 4 layers, COPY and two RUNs"
    );
    assert_eq!(
        tagged("app:legacy")["layers"].as_array().map(Vec::len),
        Some(4 + 2),
        "the legacy builder makes no layer for RUN make, which changes nothing"
    );
    let ubuntu = &tagged("ubuntu:15.04");
    assert_eq!(ubuntu["tags"][0], "ubuntu:15.04");
    assert_eq!(ubuntu["layers"].as_array().map(Vec::len), Some(4));
    assert_ne!(
        ubuntu["repo_digests"][0]
            .as_str()
            .unwrap_or("")
            .split('@')
            .nth(1),
        ubuntu["id"].as_str()
    );
    assert_eq!(v["containers"][0]["name"], "proxy");
    assert_eq!(v["containers"][0]["state"], "running");
    assert_eq!(v["log"][0]["command"], "docker pull ubuntu:15.04");
}

#[test]
fn bad_input_gets_a_one_line_message_and_a_non_zero_exit() {
    let cases: &[(&[&str], &str)] = &[
        (&["frob"], "unknown command 'frob'"),
        (&["run"], "give one scenario file"),
        (
            &["run", "/no/such/file.txt"],
            "cannot read /no/such/file.txt",
        ),
        (&["run", &scenario(), "--yaml"], "unknown flag '--yaml'"),
        (&["size", "12x"], "'12x' is not a whole number"),
    ];
    for (args, want) in cases {
        let (code, _, err) = layerlab(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let garbage = std::env::temp_dir().join(format!("layerlab-garbage-{}.txt", std::process::id()));
    std::fs::write(&garbage, [0xff, 0xfe, 0x00, 0x80]).expect("write");
    let (code, _, err) = layerlab(&["run", garbage.to_str().unwrap_or_default()]);
    let _ = std::fs::remove_file(&garbage);
    assert_eq!(code, 2);
    assert!(err.contains("not UTF-8 text"), "{err}");
}
