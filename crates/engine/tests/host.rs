//! The host: images, containers, sizes as `docker ps -s` and `docker system df`
//! count them, `docker diff`, commit and removal.

use expect_test::expect;
use layerlab_engine::fixture::parse_layers;
use layerlab_engine::host::{CommitOptions, Host, HostError, HostEvent};
use layerlab_engine::merged::WriteMode;
use layerlab_engine::reference::Reference;
use layerlab_engine::size::human_size_with_precision as hs;
use std::rc::Rc;

/// Adds an image from fixture layers, tagged `tag`.
fn image(host: &mut Host, tag: &str, fixture: &str) -> String {
    host.add_text_image(tag, fixture)
        .expect("fixture")
        .to_string()
}

fn opts(created_by: &str, message: &str, author: &str, changes: &[&str]) -> CommitOptions {
    CommitOptions {
        created_by: created_by.into(),
        message: message.into(),
        author: author.into(),
        changes: changes.iter().map(|c| c.to_string()).collect(),
    }
}

/// `docker ps -s`'s SIZE column for one container.
fn ps_size(host: &Host, name: &str) -> String {
    let (size, virt) = host.sizes(name).expect("container");
    format!("{} (virtual {})", hs(size as f64, 3), hs(virt as f64, 3))
}

const NGINX: &str = "
F /usr/lib/x86_64-linux-gnu/libc.so.6 755 74000000
f /etc/os-release 644 ID=debian
---
F /usr/sbin/nginx 755 34999990
d /etc/nginx/conf.d 755
f /etc/nginx/nginx.conf 644 worker_processes 1;
";

const ISSO: &str = "
F /lib/ld-musl-x86_64.so.1 755 68200000
";

#[test]
fn the_tutorials_docker_ps_s_sizes() {
    let mut host = Host::new();
    image(&mut host, "nginx:latest", NGINX);
    image(&mut host, "wonderfall/isso:latest", ISSO);
    host.create_container("nginx:latest", Some("proxy"))
        .expect("proxy");
    host.create_container("wonderfall/isso:latest", Some("isso"))
        .expect("isso");
    host.fs("proxy")
        .expect("fs")
        .write("/run.pid", b"1\n", WriteMode::Truncate)
        .expect("write");
    assert_eq!(ps_size(&host, "proxy"), "2B (virtual 109MB)");
    assert_eq!(ps_size(&host, "isso"), "0B (virtual 68.2MB)");
}

#[test]
fn containers_of_one_image_share_its_layers_on_disk() {
    let mut host = Host::new();
    image(&mut host, "nginx", NGINX);
    for (i, bytes) in [(1, 10usize), (2, 2000), (3, 0)] {
        let name = format!("web{i}");
        host.create_container("nginx", Some(&name)).expect("create");
        host.fs(&name)
            .expect("fs")
            .write("/data", &vec![b'x'; bytes], WriteMode::Truncate)
            .expect("write");
    }
    let sizes: Vec<(u64, u64)> = ["web1", "web2", "web3"]
        .iter()
        .map(|n| host.sizes(n).expect("sizes"))
        .collect();
    let sum_size: u64 = sizes.iter().map(|s| s.0).sum();
    let (size, virt) = sizes[0];
    let usage = host.disk_usage();
    assert_eq!(
        usage.total,
        sum_size + (virt - size),
        "Σ size + (virtual − size)"
    );
    assert_eq!(
        usage.naive_virtual_sum,
        sizes.iter().map(|s| s.1).sum::<u64>()
    );
    assert!(usage.naive_virtual_sum > 2 * usage.total);

    let lowers: Vec<_> = host
        .containers()
        .iter()
        .map(|c| c.fs.lower().clone())
        .collect();
    assert!(
        lowers.windows(2).all(|w| Rc::ptr_eq(&w[0], &w[1])),
        "one copy of the image layers"
    );
}

#[test]
fn copy_up_of_a_large_file_grows_size_by_the_whole_file_and_leaves_others_alone() {
    let mut host = Host::new();
    image(&mut host, "nginx", NGINX);
    host.create_container("nginx", Some("c1")).expect("c1");
    host.create_container("nginx", Some("c2")).expect("c2");
    let image_size = host.image("nginx").expect("image").size();
    host.fs("c1")
        .expect("fs")
        .write("/usr/sbin/nginx", b"!", WriteMode::Append)
        .expect("append");
    assert_eq!(host.sizes("c1").expect("c1").0, 34_999_991);
    assert_eq!(host.sizes("c2").expect("c2"), (0, image_size));
    assert_eq!(host.image("nginx").expect("image").size(), image_size);
}

#[test]
fn docker_diff_lists_changes_with_their_ancestors_and_not_the_init_layer() {
    let mut host = Host::new();
    image(&mut host, "nginx", NGINX);
    host.create_container("nginx", Some("web")).expect("web");
    let fs = host.fs("web").expect("fs");
    fs.write(
        "/etc/nginx/conf.d/x.conf",
        b"server {}",
        WriteMode::Truncate,
    )
    .expect("write");
    fs.unlink("/etc/os-release").expect("rm");
    fs.remove_tree("/usr/lib").expect("rm -r");
    fs.mkdir_all("/srv/www/html", 0o755).expect("mkdir");
    fs.chmod("/etc/nginx/nginx.conf", 0o600).expect("chmod");
    fs.read("/usr/sbin/nginx").expect("read");
    let diff: String = host
        .diff("web")
        .expect("diff")
        .iter()
        .map(|c| format!("{c}\n"))
        .collect();
    expect![[r#"
        C /etc
        C /etc/nginx
        C /etc/nginx/conf.d
        A /etc/nginx/conf.d/x.conf
        C /etc/nginx/nginx.conf
        D /etc/os-release
        A /srv
        A /srv/www
        A /srv/www/html
        C /usr
        D /usr/lib
    "#]]
    .assert_eq(&diff);
}

#[test]
fn commit_turns_the_writable_layer_into_a_new_image_layer() {
    let mut host = Host::new();
    image(&mut host, "nginx", NGINX);
    host.create_container("nginx", Some("web")).expect("web");
    host.fs("web")
        .expect("fs")
        .write("/index.html", b"<h1>hi</h1>", WriteMode::Truncate)
        .expect("write");
    let tag = Reference::parse("mysite:v1").expect("tag");
    let out = host
        .commit(
            "web",
            &opts("nginx -g daemon off;", "add page", "Ada", &["EXPOSE 8080"]),
            Some(&tag),
        )
        .expect("commit");
    let committed = host.image("mysite:v1").expect("image").clone();
    let base = host.image("nginx").expect("base").clone();
    assert_eq!(committed.id, out.value);
    assert_eq!(committed.layers.len(), base.layers.len() + 1);
    assert!(
        Rc::ptr_eq(&committed.layers[0], &base.layers[0]),
        "base layers are shared, not copied"
    );
    assert_eq!(committed.size(), base.size() + 11);
    assert_eq!(committed.parent.as_ref(), Some(&base.id));
    let last = committed.config.history.last().expect("history");
    assert_eq!(
        (
            last.created_by.as_str(),
            last.comment.as_str(),
            last.author.as_str()
        ),
        ("nginx -g daemon off;", "add page", "Ada")
    );
    assert!(!last.empty_layer);
    assert!(
        committed
            .config
            .config
            .exposed_ports
            .contains_key("8080/tcp"),
        "--change applied"
    );
    let bad = host
        .commit("web", &opts("x", "", "", &["RUN rm -rf /"]), None)
        .expect_err("RUN is not allowed");
    assert_eq!(
        bad.to_string(),
        "Error response from daemon: RUN is not a valid change command"
    );
    assert!(out
        .events
        .iter()
        .any(|e| matches!(e, HostEvent::LayerCreated { size: 11, .. })));

    // A container of the new image sees the committed file.
    host.create_container("mysite:v1", Some("copy"))
        .expect("copy");
    let (content, _) = host
        .fs("copy")
        .expect("fs")
        .read("/index.html")
        .expect("read");
    assert_eq!(content.to_vec(), b"<h1>hi</h1>");

    // Committing an unchanged container adds a history entry but no layer.
    host.create_container("nginx", Some("idle")).expect("idle");
    let empty = host
        .commit("idle", &opts("bash", "", "", &[]), None)
        .expect("commit")
        .value;
    let empty = host.image(empty.as_str()).expect("image");
    assert_eq!(empty.layers.len(), base.layers.len());
    assert!(empty.config.history.last().expect("entry").empty_layer);
}

#[test]
fn identical_content_gives_identical_digests() {
    let build = || {
        let mut host = Host::new();
        image(&mut host, "nginx", NGINX);
        let image = host.image("nginx").expect("image").clone();
        (
            image.id.clone(),
            image.config.rootfs.diff_ids.clone(),
            image.chain_ids().to_vec(),
        )
    };
    assert_eq!(build(), build());
    let (id, diff_ids, chains) = build();
    assert_eq!(chains[0], diff_ids[0]);
    assert_ne!(id, diff_ids[1]);
}

#[test]
fn removing_images_and_containers() {
    let mut host = Host::new();
    image(&mut host, "nginx", NGINX);
    // Same bottom layer as nginx: shared by ChainID.
    let base = NGINX.split("---").next().unwrap_or_default();
    image(&mut host, "debian", base);
    assert_eq!(
        host.system_df().images_size,
        host.image("nginx").expect("nginx").size()
    );

    host.create_container("nginx", Some("web")).expect("web");
    let err = host.remove_image("nginx", false).expect_err("in use");
    let web = host.container("web").expect("web").short_id().to_owned();
    let nginx = host.image("nginx").expect("nginx").id.short().to_owned();
    assert_eq!(
        err.to_string(),
        format!("Error response from daemon: conflict: unable to remove repository reference \"nginx\" (must force) - container {web} is using its referenced image {nginx}")
    );
    host.remove_container("web", false).expect("rm");
    let events = host.remove_image("nginx", false).expect("rmi").events;
    let deleted = events
        .iter()
        .filter(|e| matches!(e, HostEvent::LayerDeleted { .. }))
        .count();
    assert_eq!(deleted, 1, "the layer debian still uses stays: {events:?}");
    assert!(host.image("debian").is_ok());
    assert!(matches!(
        host.image("nginx"),
        Err(HostError::NoSuchImage(_))
    ));
}

#[test]
fn container_names_follow_dockers_rules() {
    let mut host = Host::new();
    image(&mut host, "nginx", NGINX);
    let first = host
        .create_container("nginx", Some("web"))
        .expect("web")
        .value;
    let taken = host
        .create_container("nginx", Some("web"))
        .expect_err("taken");
    assert_eq!(
        taken.to_string(),
        format!("Error response from daemon: Conflict. The container name \"/web\" is already in use by container \"{first}\". You have to remove (or rename) that container to be able to reuse that name.")
    );
    let bad = host
        .create_container("nginx", Some("no spaces"))
        .expect_err("invalid");
    assert_eq!(bad.to_string(), "Error response from daemon: Invalid container name (no spaces), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    assert_eq!(
        host.container("nope").expect_err("missing").to_string(),
        "Error response from daemon: No such container: nope"
    );
    assert_eq!(
        host.create_container("ghost", None)
            .expect_err("no image")
            .to_string(),
        "Error response from daemon: No such image: ghost:latest"
    );
    let auto = host.create_container("nginx", None).expect("auto").value;
    let name = host.container(&auto).expect("auto").name.clone();
    assert!(name.contains('_'), "{name}");
    assert!(
        host.container(&first[..6]).is_ok(),
        "an ID prefix finds the container"
    );
}

#[test]
fn system_df_counts_shared_and_reclaimable_space() {
    let mut host = Host::new();
    image(&mut host, "nginx", NGINX);
    image(
        &mut host,
        "debian",
        NGINX.split("---").next().unwrap_or_default(),
    );
    image(&mut host, "isso", ISSO);
    host.create_container("isso", Some("isso")).expect("isso");
    host.fs("isso")
        .expect("fs")
        .write("/x", b"0123456789", WriteMode::Truncate)
        .expect("write");
    let df = host.system_df();
    let rows: String = df
        .per_image
        .iter()
        .map(|i| {
            let tag = host
                .tags_of(&i.id)
                .first()
                .map(|r| r.to_string())
                .unwrap_or_default();
            format!(
                "{tag} size={} shared={} unique={} containers={}\n",
                i.size, i.shared, i.unique, i.containers
            )
        })
        .collect::<Vec<_>>()
        .join("");
    let mut lines: Vec<&str> = rows.lines().collect();
    lines.sort();
    expect![[r#"
        debian:latest size=74000009 shared=74000009 unique=0 containers=0
        isso:latest size=68200000 shared=0 unique=68200000 containers=1
        nginx:latest size=109000018 shared=74000009 unique=35000009 containers=0"#]]
    .assert_eq(&lines.join("\n"));
    assert_eq!((df.images_total, df.images_active), (3, 1));
    assert_eq!(df.images_size, 109_000_018 + 68_200_000);
    // The CLI's RECLAIMABLE: the total less what in-use images hold alone
    // (isso's 68.2 MB); debian's layer, shared but used by no container, counts.
    assert_eq!(df.images_reclaimable, 109_000_018);
    assert_eq!(
        (
            df.containers_total,
            df.containers_size,
            df.containers_reclaimable
        ),
        (1, 10, 10)
    );
}

#[test]
fn the_manifest_digest_is_not_the_image_id_and_blobs_are_gzip_of_the_tar() {
    use layerlab_engine::manifest::{blob, Manifest};
    let mut host = Host::new();
    image(&mut host, "nginx", NGINX);
    let image = host.image("nginx").expect("image").clone();
    let manifest = Manifest::of(&image);
    assert_ne!(
        manifest.digest(),
        image.id,
        "the pull digest is the manifest's, not the config's"
    );
    assert_eq!(manifest.config.digest, image.id);
    assert_eq!(manifest.layers.len(), 2);
    for (layer, d) in image.layers.iter().zip(&manifest.layers) {
        assert_ne!(
            &d.digest,
            layer.diff_id(),
            "blob digest (compressed) differs from the DiffID"
        );
        assert_eq!(blob(layer), (d.digest.clone(), d.size));
    }
    // Decompressing the blob gives back exactly the layer tar.
    let small = host.new_layer(
        parse_layers("f /a 644 hello", 0)
            .expect("fixture")
            .remove(0),
    );
    let mut gz = Vec::new();
    {
        use std::io::Write;
        let mut enc = flate2::GzBuilder::new()
            .operating_system(255)
            .write(&mut gz, flate2::Compression::none());
        layerlab_engine::tar::write_diff(&small.diff, &mut |c: &[u8]| {
            enc.write_all(c).expect("write");
        });
        enc.finish().expect("finish");
    }
    assert_eq!(
        blob(&small),
        (layerlab_engine::digest::Digest::of(&gz), gz.len() as u64)
    );
    let mut tar = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut tar)
        .expect("gunzip");
    assert_eq!(&layerlab_engine::digest::Digest::of(&tar), small.diff_id());
    assert_eq!(
        manifest.to_json(),
        Manifest::of(&image).to_json(),
        "deterministic"
    );
}

include!("fixtures/determinism.rs");

/// The digests of one small scenario (`fixtures/README.md`), which the
/// browser's tests check too: native and wasm builds agree byte for byte.
#[test]
fn digests_of_the_determinism_scenario() {
    assert_eq!(
        determinism_digests(),
        include_str!("fixtures/determinism.digests")
    );
}
