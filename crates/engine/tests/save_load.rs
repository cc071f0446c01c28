//! `docker save` writes what Docker 25+ writes, and `docker load` reads it
//! back with the same image IDs. When a real Docker 26 daemon is reachable
//! (`/work/shared/oracles/docker26`), the saved archive is loaded there too and
//! must keep its image ID; elsewhere that part prints `SKIP: …`.

use layerlab_engine::command::Session;
use layerlab_engine::import::Importer;

fn run(s: &mut Session, line: &str) -> String {
    let t = s.run(line);
    assert_eq!(t.status, 0, "{line}: {}", t.text());
    t.text()
}

fn id(s: &Session, name: &str) -> String {
    s.host.image(name).expect("image").id.to_string()
}

/// A session with busybox pulled and an image built on it.
fn session() -> Session {
    let mut s = Session::new();
    run(&mut s, "docker pull busybox");
    run(
        &mut s,
        "cat > Dockerfile <<'EOF'\nFROM busybox\nRUN echo hello > /greeting && rm /etc/passwd\nCMD [\"cat\", \"/greeting\"]\nEOF",
    );
    run(&mut s, "docker build -t app .");
    s
}

#[test]
fn save_then_load_gives_back_the_same_images() {
    let mut s = session();
    let (busybox, app) = (id(&s, "busybox"), id(&s, "app"));
    run(&mut s, "docker save -o images.tar busybox app");
    let (tar, _) = s.host_fs.read("/root/app/images.tar").expect("saved");
    let imported = Importer::import(&tar.to_vec()).expect("imports");
    let ids: Vec<String> = imported.images.iter().map(|i| i.id.to_string()).collect();
    assert_eq!(ids, [busybox.clone(), app.clone()]);
    let app_image = s.host.image("app").expect("app").clone();
    let diff_ids: Vec<_> = app_image
        .layers
        .iter()
        .map(|l| l.diff_id().clone())
        .collect();
    assert_eq!(imported.images[1].diff_ids, diff_ids);
    // Shared layers are written once: busybox's layer serves both images.
    let layer_blobs = imported
        .blobs
        .values()
        .filter(|b| matches!(b.kind, layerlab_engine::import::BlobKind::Layer { .. }))
        .count();
    assert_eq!(layer_blobs, app_image.layers.len());
    run(&mut s, "docker save app > app.tar");
    let (by_redirect, _) = s.host_fs.read("/root/app/app.tar").expect("saved");
    let again = Importer::import(&by_redirect.to_vec()).expect("imports");
    assert_eq!(again.images[0].id.to_string(), app);
    run(&mut s, "docker rmi app busybox");
    let out = run(&mut s, "docker load -i images.tar");
    assert_eq!(
        out,
        "Loaded image: busybox:latest\nLoaded image: app:latest\n"
    );
    assert_eq!((id(&s, "busybox"), id(&s, "app")), (busybox, app.clone()));
    run(&mut s, "docker rmi app");
    let out = run(&mut s, "docker load < app.tar");
    assert_eq!(out, "Loaded image: app:latest\n");
    assert_eq!(id(&s, "app"), app);
    let out = run(&mut s, "docker run --rm app");
    assert_eq!(out, "hello\n");
}

#[test]
fn an_image_saved_by_its_id_loads_untagged() {
    let mut s = session();
    let app = id(&s, "app");
    run(&mut s, &format!("docker save -o by-id.tar {}", &app[7..19]));
    run(&mut s, "docker rmi app");
    let out = run(&mut s, "docker load -i by-id.tar");
    assert_eq!(out, format!("Loaded image ID: {app}\n"));
}

#[test]
fn load_says_what_is_wrong_with_a_file() {
    let mut s = Session::new();
    run(&mut s, "echo hello > notes.txt");
    let t = s.run("docker load -i notes.txt");
    assert_eq!(t.status, 1);
    assert!(t.text().contains("not a tar archive"), "{}", t.text());
    let t = s.run("docker load -i missing.tar");
    assert_eq!(t.text(), "open missing.tar: no such file or directory\n");
    let t = s.run("docker save busybox");
    assert_eq!(
        t.text(),
        "cowardly refusing to save to a terminal. Use the -o flag or redirect\n"
    );
}

/// Real Docker 26 loads Layerlab's archive with the same image ID and
/// DiffIDs, and its own `docker save` of it has the same manifest digest.
#[test]
fn real_docker_loads_what_layerlab_saves_with_the_same_ids() {
    let setup = "/work/shared/oracles/docker26/setup-docker26.sh";
    let env = match std::process::Command::new(setup).arg("env").output() {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        _ => {
            println!("SKIP: no Docker 26 oracle here ({setup})");
            return;
        }
    };
    let vars: Vec<(String, String)> = env
        .lines()
        .filter_map(|l| l.trim_start_matches("export ").split_once('='))
        .map(|(k, v)| {
            (
                k.to_owned(),
                v.trim_matches(|c| c == '"' || c == '\'').to_owned(),
            )
        })
        .collect();
    let docker = || {
        let mut c = std::process::Command::new("docker");
        c.envs(vars.iter().map(|(k, v)| (k, v)));
        c
    };
    let ping = docker()
        .args(["version", "--format", "{{.Server.Version}}"])
        .output();
    match ping {
        Ok(o) if o.status.success() => {}
        _ => {
            println!("SKIP: the Docker 26 daemon is not running (setup-docker26.sh start)");
            return;
        }
    }
    let mut s = session();
    run(&mut s, "docker tag app layerlab-roundtrip/app:1");
    run(&mut s, "docker save -o rt.tar layerlab-roundtrip/app:1");
    let (tar, _) = s.host_fs.read("/root/app/rt.tar").expect("saved");
    let path = std::env::temp_dir().join(format!("layerlab-rt-{}.tar", std::process::id()));
    std::fs::write(&path, tar.to_vec()).expect("written");
    let load = docker()
        .arg("load")
        .arg("-i")
        .arg(&path)
        .output()
        .expect("docker load");
    let _ = std::fs::remove_file(&path);
    assert!(
        load.status.success(),
        "docker load: {}",
        String::from_utf8_lossy(&load.stderr)
    );
    let inspect = docker()
        .args([
            "image",
            "inspect",
            "layerlab-roundtrip/app:1",
            "--format",
            "{{.Id}} {{json .RootFS.Layers}}",
        ])
        .output()
        .expect("inspect");
    let real = String::from_utf8_lossy(&inspect.stdout).trim().to_owned();
    let image = s.host.image("app").expect("app").clone();
    let diff_ids: Vec<String> = image
        .layers
        .iter()
        .map(|l| format!("\"{}\"", l.diff_id()))
        .collect();
    assert_eq!(real, format!("{} [{}]", image.id, diff_ids.join(",")));
    // Docker's own save of what it loaded: the same manifest, byte for byte.
    let back = std::env::temp_dir().join(format!("layerlab-rt-back-{}.tar", std::process::id()));
    let saved = docker()
        .args(["save", "-o"])
        .arg(&back)
        .arg("layerlab-roundtrip/app:1")
        .output()
        .expect("docker save");
    assert!(
        saved.status.success(),
        "{}",
        String::from_utf8_lossy(&saved.stderr)
    );
    let theirs = Importer::import(&std::fs::read(&back).expect("saved")).expect("imports");
    let _ = std::fs::remove_file(&back);
    let ours = Importer::import(&tar.to_vec()).expect("imports");
    assert_eq!(theirs.images[0].id, ours.images[0].id);
    assert_eq!(
        theirs.images[0].manifest_digest,
        ours.images[0].manifest_digest
    );
    let _ = docker().args(["rmi", "layerlab-roundtrip/app:1"]).output();
    println!(
        "real Docker 26 loaded {} with the same ID and DiffIDs, and saves it with the same manifest {:?}",
        image.id, ours.images[0].manifest_digest
    );
}

/// umoci, which checks every digest, size and DiffID, unpacks Layerlab's
/// archive (an OCI layout) to the image's file system.
#[test]
fn umoci_unpacks_what_layerlab_saves() {
    let umoci = std::process::Command::new("umoci")
        .arg("--version")
        .output();
    if !umoci.is_ok_and(|o| o.status.success()) {
        println!("SKIP: umoci is not installed (apt-get install umoci)");
        return;
    }
    let mut s = session();
    run(&mut s, "docker save -o app.tar app");
    let (tar, _) = s.host_fs.read("/root/app/app.tar").expect("saved");
    let dir = std::env::temp_dir().join(format!("layerlab-umoci-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("layout")).expect("temp dir");
    std::fs::write(dir.join("app.tar"), tar.to_vec()).expect("written");
    let untar = std::process::Command::new("tar")
        .arg("-xf")
        .arg(dir.join("app.tar"))
        .arg("-C")
        .arg(dir.join("layout"))
        .status()
        .expect("tar");
    assert!(untar.success());
    let unpack = std::process::Command::new("umoci")
        .args(["unpack", "--rootless", "--image"])
        .arg(format!("{}:latest", dir.join("layout").display()))
        .arg(dir.join("bundle"))
        .output()
        .expect("umoci");
    let rootfs = dir.join("bundle/rootfs");
    let greeting = std::fs::read_to_string(rootfs.join("greeting"));
    let passwd = rootfs.join("etc/passwd").exists();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        unpack.status.success(),
        "umoci unpack: {}",
        String::from_utf8_lossy(&unpack.stderr)
    );
    assert_eq!(greeting.expect("greeting"), "hello\n");
    assert!(!passwd, "the whiteout of /etc/passwd applies");
}

/// A loaded image's large files are described here, so saving it writes new
/// layer tars: the archive is consistent (every digest checks) under new
/// DiffIDs and a new image ID, and its files read back the same.
#[test]
fn a_loaded_image_saves_under_new_diff_ids_and_reads_back() {
    let path = format!("{}/tests/images/scratch-fs.tar", env!("CARGO_MANIFEST_DIR"));
    let imported = Importer::import(&std::fs::read(path).expect("fixture")).expect("imports");
    let mut s = Session::new();
    layerlab_engine::import::load(&mut s.host, &imported);
    let docker_id = imported.images[0].id.to_string();
    run(
        &mut s,
        "docker save -o fs.tar layerlab-fixture/scratch-fs:1",
    );
    let (tar, _) = s.host_fs.read("/root/app/fs.tar").expect("saved");
    let again = Importer::import(&tar.to_vec()).expect("a consistent archive");
    assert_ne!(again.images[0].id.to_string(), docker_id);
    // The text file kept its bytes: its layer's DiffID is Docker's still.
    assert_eq!(again.images[0].diff_ids[0], imported.images[0].diff_ids[0]);
    assert_ne!(again.images[0].diff_ids[1], imported.images[0].diff_ids[1]);
    run(&mut s, "docker rmi layerlab-fixture/scratch-fs:1");
    run(&mut s, "docker load -i fs.tar");
    run(
        &mut s,
        "docker create --name web layerlab-fixture/scratch-fs:1",
    );
    let (release, _) = s
        .host
        .fs("web")
        .expect("container")
        .read("/etc/os-release")
        .expect("file");
    assert!(String::from_utf8(release.to_vec())
        .expect("text")
        .contains("Layerlab Test Linux"));
}
