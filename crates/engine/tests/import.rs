//! Importing real image archives recorded from Docker 26 (`tests/images/`,
//! see its README): every import must give Docker's image ID and DiffIDs,
//! and the files must act in containers as they would in Docker.

use expect_test::{expect, Expect};
use layerlab_engine::import::{self, Imported, Importer};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/images/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The import's IDs, tags and layers as text.
fn render(imported: &Imported) -> String {
    let mut out = format!("format: {}\n", imported.format.name());
    for image in &imported.images {
        out.push_str(&format!("image {}\n", image.id));
        out.push_str(&format!("  tags: {}\n", image.tags.join(", ")));
        if let Some(m) = &image.manifest_digest {
            out.push_str(&format!("  manifest: {m}\n"));
        }
        for (layer, chain) in image.layers.iter().zip(&image.chain_ids) {
            out.push_str(&format!(
                "  layer {} ({}{} bytes, {} entries)\n    diff_id {}\n    chain_id {chain}\n",
                layer.blob,
                match layer.compression {
                    import::Compression::None => "",
                    import::Compression::Gzip => "gzip, ",
                    import::Compression::Zstd => "zstd, ",
                },
                layer.blob_size,
                layer.summary.entries,
                layer.summary.diff_id
            ));
        }
    }
    out
}

/// An import whose members are hashed by the caller, as the CLI's thread
/// and the browser's workers do: from the spans, out of the file's bytes.
fn import_hashed_outside(data: &[u8], step: usize) -> Result<Imported, import::ImportError> {
    use layerlab_engine::digest::Hasher;
    let mut importer = Importer::hashing_outside(import::Limits::default());
    let mut digests = layerlab_engine::map::Map::new();
    for slice in data.chunks(step) {
        importer.feed(slice)?;
        for span in importer.take_spans() {
            let mut h = Hasher::new();
            h.update(&data[span.offset as usize..(span.offset + span.size) as usize]);
            digests.insert(span.offset, h.finish());
        }
    }
    importer.finish_with(&digests)
}

fn check(name: &str, expect: Expect) {
    let data = fixture(name);
    let imported = Importer::import(&data).unwrap_or_else(|e| panic!("{name}: {e}"));
    expect.assert_eq(&render(&imported));
    // Slices of any size give the same import.
    for step in [1000, 4096, 65_537] {
        let again = import::import_slices(data.chunks(step)).expect("same archive");
        assert_eq!(
            render(&again),
            render(&imported),
            "{name} in slices of {step}"
        );
        let outside = import_hashed_outside(&data, step).expect("same archive");
        assert_eq!(
            render(&outside),
            render(&imported),
            "{name} hashed outside, in slices of {step}"
        );
    }
}

#[test]
fn docker_26_save_of_a_scratch_build_gives_dockers_ids() {
    check(
        "scratch-fs.tar",
        expect![[r#"
            format: docker save (OCI layout)
            image sha256:02a6a54deec5989d431cd04a37e8553e970cf994c073b7a4bde8cea6867d29b8
              tags: layerlab-fixture/scratch-fs:1
              manifest: sha256:7fced46f57e424984a225eacf62977d8c396265887f0be7500082e242d5cf580
              layer blobs/sha256/08f564820728da53fa743f377ad5d63d143af9bca94710bcae290a081cc9f3ef (3584 bytes, 3 entries)
                diff_id sha256:08f564820728da53fa743f377ad5d63d143af9bca94710bcae290a081cc9f3ef
                chain_id sha256:08f564820728da53fa743f377ad5d63d143af9bca94710bcae290a081cc9f3ef
              layer blobs/sha256/0a982b93443975054ecf975fa9dd139075902373e91ea495116adb523dbdc072 (28672 bytes, 9 entries)
                diff_id sha256:0a982b93443975054ecf975fa9dd139075902373e91ea495116adb523dbdc072
                chain_id sha256:19b7e3f040dc239cc6dada173760fcf20af38c38365acb9869963d3f14d75ced
              layer blobs/sha256/a72e4eb60472c2faa0516dfe95397819b575ff2c40a3e5729af3f21493979f4b (30720 bytes, 15 entries)
                diff_id sha256:a72e4eb60472c2faa0516dfe95397819b575ff2c40a3e5729af3f21493979f4b
                chain_id sha256:479ea6a1727a490ac1e847cb80165320c390537feab0ab3f71bdc610343b06b4
              layer blobs/sha256/8eab92dde3223599ba4b391322d107b1f23e25a70ed94b00d8ebf80e5341e6d0 (2560 bytes, 3 entries)
                diff_id sha256:8eab92dde3223599ba4b391322d107b1f23e25a70ed94b00d8ebf80e5341e6d0
                chain_id sha256:b61948f27fcabb28594d09afb6aafbcd3effe40571b429559ee3c08283296a70
        "#]],
    );
}

#[test]
fn docker_26_save_of_a_multi_stage_build_gives_dockers_ids() {
    check(
        "multi-stage.tar",
        expect![[r#"
        format: docker save (OCI layout)
        image sha256:ac69d625aaabc43f658b1ecd0e62ae2e15dc052dc130b68a9f186d182bce0987
          tags: layerlab-fixture/multi-stage:1
          manifest: sha256:14090f7312b46f75120534d2f82cc86f55b5555fe2def896150b492b87954b9f
          layer blobs/sha256/e2c8bdcecf9820c57a409845c21e4d2f33e07ec30b93259591d4682aa87846b9 (4608 bytes, 5 entries)
            diff_id sha256:e2c8bdcecf9820c57a409845c21e4d2f33e07ec30b93259591d4682aa87846b9
            chain_id sha256:e2c8bdcecf9820c57a409845c21e4d2f33e07ec30b93259591d4682aa87846b9
          layer blobs/sha256/141f949e3b1cf3af9e783a4db1a8f4b47ab84b31c90dfb7a4836c12d921f64c6 (2560 bytes, 2 entries)
            diff_id sha256:141f949e3b1cf3af9e783a4db1a8f4b47ab84b31c90dfb7a4836c12d921f64c6
            chain_id sha256:4158cc21f470a50f621d12ba4a1893d60131e7dafec1d956364edb4ecd3e2bb0
          layer blobs/sha256/5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef (1024 bytes, 0 entries)
            diff_id sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef
            chain_id sha256:c00f662e45a0007f002d0aa29a519dc3ccb4724cc9b1a2e66cb7989818753484
    "#]],
    );
}

#[test]
fn the_older_layout_written_by_skopeo_gives_the_same_ids() {
    check(
        "legacy.tar",
        expect![[r#"
        format: docker save (legacy layout)
        image sha256:ac69d625aaabc43f658b1ecd0e62ae2e15dc052dc130b68a9f186d182bce0987
          tags: docker.io/layerlab-fixture/multi-stage:legacy
          layer e2c8bdcecf9820c57a409845c21e4d2f33e07ec30b93259591d4682aa87846b9.tar (4608 bytes, 5 entries)
            diff_id sha256:e2c8bdcecf9820c57a409845c21e4d2f33e07ec30b93259591d4682aa87846b9
            chain_id sha256:e2c8bdcecf9820c57a409845c21e4d2f33e07ec30b93259591d4682aa87846b9
          layer 141f949e3b1cf3af9e783a4db1a8f4b47ab84b31c90dfb7a4836c12d921f64c6.tar (2560 bytes, 2 entries)
            diff_id sha256:141f949e3b1cf3af9e783a4db1a8f4b47ab84b31c90dfb7a4836c12d921f64c6
            chain_id sha256:4158cc21f470a50f621d12ba4a1893d60131e7dafec1d956364edb4ecd3e2bb0
          layer 5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef.tar (1024 bytes, 0 entries)
            diff_id sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef
            chain_id sha256:c00f662e45a0007f002d0aa29a519dc3ccb4724cc9b1a2e66cb7989818753484
    "#]],
    );
}

#[test]
fn an_oci_archive_with_gzip_layers_gives_the_same_diff_ids() {
    check(
        "oci-gzip.tar",
        expect![[r#"
        format: OCI image layout
        image sha256:e301b94d38619bce2ba9ec840366742935873a264c8dce7b9f38cef32f29e6b4
          tags: layerlab-fixture/multi-stage:oci
          manifest: sha256:dcb1b8d71db4c55874e713273ab7d7eb0dbaa3be25dab7dd5ef558da26b8c6b3
          layer blobs/sha256/c4d78352191ef994fb0fff0b276501f2c9c3217fedeb8d7f487d30f1ce19eb0a (gzip, 245 bytes, 5 entries)
            diff_id sha256:e2c8bdcecf9820c57a409845c21e4d2f33e07ec30b93259591d4682aa87846b9
            chain_id sha256:e2c8bdcecf9820c57a409845c21e4d2f33e07ec30b93259591d4682aa87846b9
          layer blobs/sha256/0144bd8f21435a190de4d74e95bd275a00eecc0f7f532694269991af2d3897ec (gzip, 170 bytes, 2 entries)
            diff_id sha256:141f949e3b1cf3af9e783a4db1a8f4b47ab84b31c90dfb7a4836c12d921f64c6
            chain_id sha256:4158cc21f470a50f621d12ba4a1893d60131e7dafec1d956364edb4ecd3e2bb0
          layer blobs/sha256/bd9ddc54bea929a22b334e73e026d4136e5b73f5cc29942896c72e4ece69b13d (gzip, 34 bytes, 0 entries)
            diff_id sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef
            chain_id sha256:c00f662e45a0007f002d0aa29a519dc3ccb4724cc9b1a2e66cb7989818753484
    "#]],
    );
}

#[test]
fn an_oci_archive_with_zstd_layers_gives_the_same_diff_ids() {
    check(
        "oci-zstd.tar",
        expect![[r#"
        format: OCI image layout
        image sha256:e301b94d38619bce2ba9ec840366742935873a264c8dce7b9f38cef32f29e6b4
          tags: layerlab-fixture/multi-stage:zstd
          manifest: sha256:e466734e5dbe245c8aaa0e36fe47edbe294c0731c8b93e5c1b89df6cf4a7108f
          layer blobs/sha256/f9ff7a52c932b8227df975fe0fe2d3591e09e8ac639ce224510bc2c3ab2a36da (zstd, 232 bytes, 5 entries)
            diff_id sha256:e2c8bdcecf9820c57a409845c21e4d2f33e07ec30b93259591d4682aa87846b9
            chain_id sha256:e2c8bdcecf9820c57a409845c21e4d2f33e07ec30b93259591d4682aa87846b9
          layer blobs/sha256/ba0ab6a65add2f4b3459bf3a099d7c7d42c6e1b79b01eeb00bddfc3d5c7149d4 (zstd, 165 bytes, 2 entries)
            diff_id sha256:141f949e3b1cf3af9e783a4db1a8f4b47ab84b31c90dfb7a4836c12d921f64c6
            chain_id sha256:4158cc21f470a50f621d12ba4a1893d60131e7dafec1d956364edb4ecd3e2bb0
          layer blobs/sha256/4cdf59e7244d2716024b9fdeee584695844f95a989b093990f1584c039ce6aeb (zstd, 32 bytes, 0 entries)
            diff_id sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef
            chain_id sha256:c00f662e45a0007f002d0aa29a519dc3ccb4724cc9b1a2e66cb7989818753484
    "#]],
    );
}

mod host {
    use super::fixture;
    use expect_test::expect;
    use layerlab_engine::fixture::render_tree;
    use layerlab_engine::host::Host;
    use layerlab_engine::import::{self, Importer};
    use layerlab_engine::merged::WriteMode;

    fn loaded(name: &str) -> Host {
        let mut host = Host::new();
        let imported = Importer::import(&fixture(name)).expect("imports");
        let out = import::load(&mut host, &imported);
        assert_eq!(out.value.len(), 1);
        host
    }

    #[test]
    fn a_loaded_image_runs_with_its_files_whiteouts_and_links_applied() {
        let mut host = loaded("scratch-fs.tar");
        let image = host
            .image("layerlab-fixture/scratch-fs:1")
            .expect("tagged")
            .clone();
        assert_eq!(
            image.id.as_str(),
            "sha256:02a6a54deec5989d431cd04a37e8553e970cf994c073b7a4bde8cea6867d29b8"
        );
        // Docker's `docker images` counts 40125 bytes (the regular files in
        // the layer tars); Layerlab's image size also counts the symlink's 5.
        assert_eq!(image.size(), 40_130);
        host.create_container("layerlab-fixture/scratch-fs:1", Some("web"))
            .expect("created");
        let fs = host.fs("web").expect("container");
        let (os_release, _) = fs.read("/etc/os-release").expect("small text kept");
        assert_eq!(
            String::from_utf8(os_release.to_vec()).expect("utf-8"),
            "PRETTY_NAME=\"Layerlab Test Linux\"\nNAME=\"Layerlab\"\nID=layerlab\nVERSION_ID=1\n"
        );
        let tree = render_tree(&fs.walk());
        let app: String = tree
            .lines()
            .filter(|l| l.contains("/app"))
            .map(|l| format!("{l}\n"))
            .collect();
        expect![[r#"
            d /app 755 [L4]
            f /app/a-hard 644 "alpha\n" [L3]
            f /app/a.txt 644 "alpha\n" [L3]
            f /app/big.bin 644 <20008 bytes> [L3]
            d /app/dir 755 [L3]
            f /app/dir/new.txt 644 "new\n" [L3]
            l /app/sym -> a.txt [L3]
        "#]]
        .assert_eq(&app);
        // Copy-on-write acts on the real sizes: appending to the 20008-byte file copies it up.
        fs.write_content(
            "/app/big.bin",
            layerlab_engine::content::Content::bytes("!"),
            WriteMode::Append,
        )
        .expect("written");
        let changes: Vec<String> = host
            .diff("web")
            .expect("diff")
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(changes, ["C /app", "C /app/big.bin"]);
        assert_eq!(host.sizes("web").expect("sizes").0, 20_009);
    }

    #[test]
    fn images_sharing_bottom_layers_share_them_after_load() {
        let mut host = loaded("multi-stage.tar");
        let imported = Importer::import(&fixture("legacy.tar")).expect("imports");
        let out = import::load(&mut host, &imported);
        // Same config, same ID: the legacy copy only adds a tag.
        assert_eq!(host.images().count(), 1);
        assert_eq!(
            out.value[0].lines(),
            ["Loaded image: layerlab-fixture/multi-stage:legacy"]
        );
        let imported = Importer::import(&fixture("oci-gzip.tar")).expect("imports");
        let out = import::load(&mut host, &imported);
        assert_eq!(host.images().count(), 2);
        let reused = out
            .events
            .iter()
            .filter(|e| matches!(e, layerlab_engine::host::HostEvent::LayerReused { .. }))
            .count();
        assert_eq!(reused, 3, "every layer is shared by ChainID");
    }
}

/// The busybox stand-in of the Docker 26 oracle (4 MB, so made here rather
/// than kept in git): mkbase.py writes it in the older layout, and when the
/// daemon runs, `docker save` of it in Docker 26's. Both import with its ID,
/// and a container of it runs `cat`, whose file the image holds.
#[test]
fn the_oracles_busybox_imports_and_runs() {
    let mkbase = "/work/shared/oracles/docker26/mkbase.py";
    let out = std::env::temp_dir().join(format!("layerlab-bb-{}.tar", std::process::id()));
    let made = std::process::Command::new("python3")
        .arg(mkbase)
        .arg(&out)
        .output();
    let stdout = match made {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        _ => {
            println!("SKIP: {mkbase} could not make the busybox stand-in here");
            return;
        }
    };
    let data = std::fs::read(&out).expect("made");
    let _ = std::fs::remove_file(&out);
    // "…: image sha256:<id> diff_id sha256:<diff id>"
    let words: Vec<&str> = stdout.split_whitespace().collect();
    let after = |w: &str| {
        words
            .iter()
            .position(|x| *x == w)
            .and_then(|i| words.get(i + 1))
            .copied()
    };
    let (id, diff_id) = (
        after("image").expect("id"),
        after("diff_id").expect("diff id"),
    );
    let imported = Importer::import(&data).expect("imports");
    assert_eq!(imported.images[0].id.as_str(), id);
    assert_eq!(imported.images[0].diff_ids[0].as_str(), diff_id);
    let mut s = layerlab_engine::command::Session::new();
    s.run("docker pull busybox");
    let teaching = s.host.image("busybox").expect("pulled").id.clone();
    let loaded = import::load(&mut s.host, &imported);
    assert_eq!(
        loaded.value[0].lines(),
        [
            format!("The image busybox:latest already exists, renaming the old one with ID {teaching} to empty string"),
            "Loaded image: busybox:latest".to_owned()
        ]
    );
    let t = s.run("docker run --rm busybox cat /etc/passwd");
    assert_eq!(t.text(), "root:x:0:0:root:/root:/bin/sh\n");
    assert_eq!(t.status, 0);
    let images = s.run("docker images busybox");
    assert!(images.text().contains("4.26MB"), "{}", images.text());

    let setup = "/work/shared/oracles/docker26/setup-docker26.sh";
    let env = std::process::Command::new(setup).arg("env").output();
    let Ok(env) = env else {
        println!("SKIP: no Docker 26 oracle for the docker save half");
        return;
    };
    let vars: Vec<(String, String)> = String::from_utf8_lossy(&env.stdout)
        .lines()
        .filter_map(|l| l.trim_start_matches("export ").split_once('='))
        .map(|(k, v)| {
            (
                k.to_owned(),
                v.trim_matches(|c| c == '"' || c == '\'').to_owned(),
            )
        })
        .collect();
    let saved = std::env::temp_dir().join(format!("layerlab-bb-saved-{}.tar", std::process::id()));
    let status = std::process::Command::new("docker")
        .envs(vars.iter().map(|(k, v)| (k, v)))
        .args(["save", "-o"])
        .arg(&saved)
        .arg(id)
        .output();
    match status {
        Ok(o) if o.status.success() => {}
        _ => {
            println!("SKIP: the Docker 26 daemon is not running or lacks the busybox stand-in");
            return;
        }
    }
    let data = std::fs::read(&saved).expect("saved");
    let _ = std::fs::remove_file(&saved);
    let imported = import::import_slices(data.chunks(64 * 1024)).expect("imports");
    assert_eq!(imported.format, layerlab_engine::import::Format::DockerOci);
    assert_eq!(imported.images[0].id.as_str(), id);
    assert_eq!(imported.images[0].diff_ids[0].as_str(), diff_id);
}

/// The docker commands act on a loaded image as on any other: history from
/// its config, a container's size, commit on top of its layers.
#[test]
fn docker_commands_see_a_loaded_image() {
    let mut s = layerlab_engine::command::Session::new();
    let imported = Importer::import(&fixture("multi-stage.tar")).expect("imports");
    import::load(&mut s.host, &imported);
    let t =
        s.run("docker history --format '{{.CreatedBy}}|{{.Size}}' layerlab-fixture/multi-stage:1");
    let history = if t.status == 0 {
        t.text()
    } else {
        s.run("docker history layerlab-fixture/multi-stage:1")
            .text()
    };
    assert!(history.contains("COPY /out/ /srv/ # buildkit"), "{history}");
    assert!(history.contains("WORKDIR /srv"), "{history}");
    let t = s.run("docker images layerlab-fixture/multi-stage");
    assert!(t.text().contains("ac69d625aaab"), "{}", t.text());
    let t = s.run("docker create --name web layerlab-fixture/multi-stage:1");
    assert_eq!(t.status, 0, "{}", t.text());
    let t = s.run("docker commit web snapshot");
    assert_eq!(t.status, 0, "{}", t.text());
    let committed = s.host.image("snapshot").expect("committed").clone();
    let loaded = s
        .host
        .image("layerlab-fixture/multi-stage:1")
        .expect("loaded")
        .clone();
    assert_eq!(committed.chain_ids()[..3], loaded.chain_ids()[..]);
    let t = s.run("docker tag layerlab-fixture/multi-stage:1 learner/site");
    assert_eq!(t.status, 0, "{}", t.text());
    let t = s.run("docker push learner/site");
    assert_eq!(t.status, 0, "{}", t.text());
    let t = s.run("ls /var/lib/docker/image/overlay2/layerdb/sha256");
    assert!(
        t.text().contains(loaded.chain_ids()[1].hex()),
        "{}",
        t.text()
    );
}

/// `docker save … | gzip > image.tar.gz`: the archive itself compressed.
#[test]
fn a_gzipped_docker_save_imports_the_same() {
    let data = fixture("scratch-fs.tar");
    let mut gz = Vec::new();
    let mut w = layerlab_engine::gzip::GzWriter::new(6, |b: &[u8]| gz.extend_from_slice(b));
    w.write(&data);
    w.finish();
    let plain = Importer::import(&data).expect("imports");
    for step in [1, 3, 4096] {
        let packed = import::import_slices(gz.chunks(step)).expect("imports");
        assert_eq!(render(&packed), render(&plain), "slices of {step}");
    }
    // Its members are not byte ranges of the file: the importer hashes them.
    let mut outside = Importer::hashing_outside(import::Limits::default());
    outside.feed(&gz).expect("reads");
    assert_eq!(outside.take_spans(), Vec::new());
    let outside = outside.finish_with(&Default::default()).expect("imports");
    assert_eq!(render(&outside), render(&plain));
    let cut = Importer::import(&gz[..gz.len() - 4]).map(|_| ());
    assert_eq!(
        cut.map_err(|e| e.to_string()),
        Err("the archive: gzip: unexpected EOF".to_owned())
    );
}

/// Members may come in any order: a manifest before or after the blobs it
/// names gives the same import.
#[test]
fn the_order_of_the_members_does_not_matter() {
    use layerlab_engine::archive;
    use layerlab_engine::content::Content;
    for name in ["scratch-fs.tar", "oci-gzip.tar"] {
        let data = fixture(name);
        let mut members = archive::read(&Content::bytes(data.clone())).expect("a tar");
        members.reverse();
        let reversed = archive::write(&members).to_vec();
        let a = Importer::import(&data).expect("imports");
        let b = Importer::import(&reversed).expect("imports reversed");
        assert_eq!(render(&a), render(&b), "{name}");
    }
}

/// A caller that hashes members but loses one (a stopped worker) is told
/// which member could not be checked; nothing is taken on trust.
#[test]
fn a_member_hashed_outside_without_its_digest_fails_by_name() {
    let data = fixture("scratch-fs.tar");
    let mut importer = Importer::hashing_outside(import::Limits::default());
    importer.feed(&data).expect("reads");
    let spans = importer.take_spans();
    assert!(spans.len() >= 3, "{spans:?}");
    let wrong = |digest: &str| -> layerlab_engine::map::Map<u64, layerlab_engine::digest::Digest> {
        spans
            .iter()
            .map(|s| {
                (
                    s.offset,
                    layerlab_engine::digest::Digest::of(digest.as_bytes()),
                )
            })
            .collect()
    };
    let mut again = Importer::hashing_outside(import::Limits::default());
    again.feed(&data).expect("reads");
    let err = importer
        .finish_with(&Default::default())
        .map(|_| ())
        .map_err(|e| e.to_string());
    assert_eq!(
        err,
        Err(format!(
            "{}: its SHA-256 was not computed, so its digest cannot be checked",
            spans[0].name
        ))
    );
    // An archive cut short is named as such, not as a member without a digest.
    let mut cut = Importer::hashing_outside(import::Limits::default());
    cut.feed(&data[..data.len() / 2]).expect("reads");
    let err = cut
        .finish_with(&Default::default())
        .map(|_| ())
        .map_err(|e| e.to_string());
    assert!(
        err.as_ref()
            .is_err_and(|e| e.starts_with("unexpected end of file")),
        "{err:?}"
    );
    // Digests that are given but wrong fail the check, as bytes would.
    let err = again
        .finish_with(&wrong("x"))
        .map(|_| ())
        .expect_err("wrong digests");
    let blob = format!(
        "blobs/sha256/{}",
        spans[0].name.trim_start_matches("blobs/sha256/")
    );
    assert!(
        err.to_string()
            .starts_with(&format!("{blob}: verified reader digest mismatch")),
        "{err}"
    );
}
