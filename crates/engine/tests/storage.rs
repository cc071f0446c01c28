//! `/var/lib/docker` for overlay2, aufs and vfs, derived from the host's state.

use layerlab_engine::content::Content;
use layerlab_engine::fixture::parse_layers;
use layerlab_engine::host::Host;
use layerlab_engine::image::ImageConfig;
use layerlab_engine::merged::WriteMode;
use layerlab_engine::reference::Reference;
use layerlab_engine::storage::{
    cache_id, layer_dir, layer_link, layout, mount_id, outline, DiskEntry, DiskNode, Driver, ROOT,
};
use std::collections::BTreeMap;

const UBUNTU: &str = "
F /bin/bash 755 1000000
f /etc/os-release 644 ID=ubuntu
---
f /etc/apt/sources.list 644 deb x
---
w /etc/os-release
---
d /run/systemd 755
d /root 700
";

fn host() -> Host {
    let mut host = Host::new();
    let diffs = parse_layers(UBUNTU, host.now()).expect("fixture");
    let layers: Vec<_> = diffs.into_iter().map(|d| host.new_layer(d)).collect();
    let tag = Reference::parse("ubuntu:15.04").expect("tag");
    host.add_image(ImageConfig::scratch(host.now()), layers, Some(&tag));
    host.create_container("ubuntu:15.04", Some("box"))
        .expect("box");
    host.fs("box")
        .expect("fs")
        .write("/root/notes", b"hello", WriteMode::Truncate)
        .expect("write");
    host.fs("box").expect("fs").unlink("/bin/bash").expect("rm");
    host
}

fn text(map: &BTreeMap<String, DiskNode>, path: &str) -> String {
    match map.get(path) {
        Some(DiskNode::File(c)) => String::from_utf8_lossy(&c.to_vec()).into_owned(),
        other => panic!("{path} is {other:?}"),
    }
}

fn as_map(entries: Vec<DiskEntry>) -> BTreeMap<String, DiskNode> {
    entries.into_iter().map(|e| (e.path, e.node)).collect()
}

fn names_in(map: &BTreeMap<String, DiskNode>, dir: &str) -> Vec<String> {
    let prefix = format!("{dir}/");
    map.keys()
        .filter_map(|k| k.strip_prefix(&prefix))
        .filter(|r| !r.contains('/'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn overlay2_directories_are_cache_ids_not_layer_ids() {
    let host = host();
    let map = as_map(layout(&host, Driver::Overlay2));
    let image = host.image("ubuntu:15.04").expect("image").clone();
    let chains = image.chain_ids();
    let digests: Vec<String> = chains
        .iter()
        .chain(&image.config.rootfs.diff_ids)
        .chain(std::iter::once(&image.id))
        .map(|d| d.hex().to_owned())
        .collect();

    let dirs = names_in(&map, &format!("{ROOT}/overlay2"));
    assert_eq!(
        dirs.len(),
        4 + 2 + 1,
        "4 image layers, the container's -init and rw layers, and l/: {dirs:?}"
    );
    for d in &dirs {
        assert!(
            !digests.iter().any(|x| d.starts_with(x.as_str())),
            "{d} is named after a digest"
        );
    }

    // layerdb is named by ChainID and points at the cache ID.
    for (i, chain) in chains.iter().enumerate() {
        let ldb = format!("{ROOT}/image/overlay2/layerdb/sha256/{}", chain.hex());
        assert_eq!(text(&map, &format!("{ldb}/cache-id")), cache_id(chain));
        assert_eq!(
            text(&map, &format!("{ldb}/diff")),
            image.config.rootfs.diff_ids[i].to_string()
        );
        assert_eq!(
            text(&map, &format!("{ldb}/size")),
            image.layers[i].size().to_string()
        );
        assert_eq!(map.contains_key(&format!("{ldb}/parent")), i > 0);
    }

    // lower lists the parent's link first, then the parent's own lower chain.
    let top = cache_id(&chains[3]);
    let lower = text(&map, &format!("{ROOT}/overlay2/{top}/lower"));
    let links: Vec<String> = chains[..3]
        .iter()
        .rev()
        .map(|c| {
            format!(
                "l/{}",
                text(&map, &format!("{ROOT}/overlay2/{}/link", cache_id(c)))
            )
        })
        .collect();
    assert_eq!(lower, links.join(":"));
    assert!(
        !map.contains_key(&format!("{ROOT}/overlay2/{}/lower", cache_id(&chains[0]))),
        "the base layer has no lower"
    );
    let link = text(&map, &format!("{ROOT}/overlay2/{top}/link"));
    assert_eq!(link.len(), 26);
    assert_eq!(
        map.get(&format!("{ROOT}/overlay2/l/{link}")),
        Some(&DiskNode::Symlink(format!("../{top}/diff")))
    );

    // The whiteout in layer 3 is a character device in its diff.
    let l3 = cache_id(&chains[2]);
    assert_eq!(
        map.get(&format!("{ROOT}/overlay2/{l3}/diff/etc/os-release")),
        Some(&DiskNode::Whiteout)
    );

    // The container: -init below the writable layer, whose diff holds what it wrote.
    let c = host.container("box").expect("box");
    let mid = mount_id(&c.id);
    assert_eq!(
        map.get(&format!("{ROOT}/overlay2/{mid}/diff/root/notes")),
        Some(&DiskNode::File(Content::bytes("hello")))
    );
    assert_eq!(
        map.get(&format!("{ROOT}/overlay2/{mid}/diff/bin/bash")),
        Some(&DiskNode::Whiteout)
    );
    assert!(map.contains_key(&format!("{ROOT}/overlay2/{mid}-init/diff/.dockerenv")));
    let mounts = format!("{ROOT}/image/overlay2/layerdb/mounts/{}", c.id);
    assert_eq!(text(&map, &format!("{mounts}/mount-id")), mid);
    assert_eq!(
        text(&map, &format!("{mounts}/parent")),
        chains[3].to_string()
    );
    assert!(
        text(&map, &format!("{ROOT}/image/overlay2/repositories.json"))
            .contains(&format!("\"ubuntu:15.04\":\"{}\"", image.id))
    );
    assert!(map.contains_key(&format!(
        "{ROOT}/image/overlay2/imagedb/content/sha256/{}",
        image.id.hex()
    )));
}

#[test]
fn aufs_lists_ancestors_and_keeps_whiteouts_as_files() {
    let host = host();
    let map = as_map(layout(&host, Driver::Aufs));
    let chains = host.image("ubuntu:15.04").expect("image").chain_ids();
    let ids: Vec<String> = chains.iter().map(cache_id).collect();
    assert_eq!(names_in(&map, &format!("{ROOT}/aufs/layers")).len(), 6);
    assert_eq!(
        text(&map, &format!("{ROOT}/aufs/layers/{}", ids[3])),
        format!("{}\n{}\n{}\n", ids[2], ids[1], ids[0])
    );
    assert_eq!(text(&map, &format!("{ROOT}/aufs/layers/{}", ids[0])), "");
    assert_eq!(
        map.get(&format!("{ROOT}/aufs/diff/{}/etc/.wh.os-release", ids[2])),
        Some(&DiskNode::File(Content::empty()))
    );
    assert!(map.contains_key(&format!("{ROOT}/aufs/mnt/{}", ids[0])));
}

#[test]
fn vfs_stores_every_layer_as_a_full_copy() {
    let host = host();
    let map = as_map(layout(&host, Driver::Vfs));
    let chains = host.image("ubuntu:15.04").expect("image").chain_ids();
    let size_under = |dir: String| -> u64 {
        map.iter()
            .filter(|(k, _)| k.starts_with(&format!("{dir}/")))
            .map(|(_, n)| match n {
                DiskNode::File(c) => c.len(),
                _ => 0,
            })
            .sum()
    };
    // bash (1 MB) is copied into every one of the four layer directories.
    for chain in chains {
        assert!(size_under(format!("{ROOT}/vfs/dir/{}", cache_id(chain))) >= 1_000_000);
    }
    let top = format!("{ROOT}/vfs/dir/{}", cache_id(&chains[3]));
    assert!(
        !map.contains_key(&format!("{top}/etc/os-release")),
        "deleted in layer 3"
    );
    assert!(map.contains_key(&format!("{top}/etc/apt/sources.list")));
    let c = host.container("box").expect("box");
    let rw = format!("{ROOT}/vfs/dir/{}", mount_id(&c.id));
    assert!(
        map.contains_key(&format!("{rw}/root/notes"))
            && !map.contains_key(&format!("{rw}/bin/bash"))
    );
}

/// `/var/lib/docker` is rebuilt only for a shell line that goes there, yet
/// every line sees it as the daemon left it, however the line gets there.
#[test]
fn shell_lines_see_the_daemons_current_storage() {
    use layerlab_engine::command::Session;
    // The storage never built, or last built before the pull and the run.
    let stale = |built_before: bool| {
        let mut s = Session::new();
        if built_before {
            s.run("ls /var/lib/docker > /dev/null");
        }
        for line in [
            "docker pull ubuntu:15.04",
            "docker run -d --name c ubuntu:15.04 sleep 1d",
        ] {
            s.run(line);
        }
        s
    };
    let lines = [
        "ls /var/lib/docker/overlay2 | wc -l",
        "cat /var/lib/docker/image/overlay2/repositories.json",
        "find / -name cache-id | wc -l",
        "cd /var/lib/docker/containers && ls | wc -l",
        "cd / && ls var/lib/docker/image/overlay2/layerdb/sha256 | wc -l",
        "cd ../../var/lib/docker && ls",
        "ls /var/lib",
        "ls /",
        "du -s /var",
        "cat /var/lib/docker/*/repositories.json | wc -c",
        "rm -rf /var/lib/docker/containers; ls /var/lib/docker",
        "cat Dockerfile > /dev/null; ls /var/lib/docker/overlay2 | wc -l",
    ];
    for (line, built_before) in lines.iter().flat_map(|l| [(l, false), (l, true)]) {
        let mut lazy = stale(built_before);
        let mut eager = stale(built_before);
        eager.run("ls /var/lib/docker > /dev/null");
        assert!(eager.storage_synced);
        let (got, want) = (lazy.run(line), eager.run(line));
        let case = format!("{line} (built before: {built_before})");
        assert_eq!(
            (got.text(), got.status),
            (want.text(), want.status),
            "{case}"
        );
        assert_eq!(
            lazy.run("ls -R /var").text(),
            eager.run("ls -R /var").text(),
            "{case}"
        );
    }
    // A line that stays in the project leaves the storage for later.
    let mut s = stale(true);
    let t = s.run("cat Dockerfile; ls; cd /root && ls app");
    assert_eq!(t.status, 0, "{}", t.text());
    assert!(!s.storage_synced);
}

/// The outline is the layout without the files inside layers' directories
/// (two levels below the driver's home): the same entries, and nothing else.
#[test]
fn the_outline_is_the_layout_without_the_layers_files() {
    let host = host();
    for driver in Driver::ALL {
        let home = format!("{ROOT}/{}/", driver.name());
        let inside_a_layer = |path: &str| {
            path.strip_prefix(&home)
                .is_some_and(|rest| rest.matches('/').count() >= 2)
        };
        let full = layout(&host, driver);
        let expected: Vec<_> = full.iter().filter(|e| !inside_a_layer(&e.path)).collect();
        let outline = outline(&host, driver);
        assert!(
            full.len() > outline.len(),
            "{driver:?}: the layout has layers' files to leave out"
        );
        let paths = |v: &[&DiskEntry]| v.iter().map(|e| e.path.clone()).collect::<Vec<_>>();
        assert_eq!(
            paths(&outline.iter().collect::<Vec<_>>()),
            paths(&expected),
            "{driver:?}"
        );
        for (o, e) in outline.iter().zip(expected) {
            assert_eq!((&o.node, o.layer), (&e.node, e.layer), "{}", o.path);
        }
    }
}

/// `layer_dir` and `layer_link` name what the layout holds: each stored
/// layer's and each container's directories, and overlay2's links to them.
#[test]
fn layer_directories_are_where_the_layout_puts_them() {
    let host = host();
    let box_id = host.container("box").expect("box").id.clone();
    let mid = mount_id(&box_id);
    let mut ids: Vec<String> = host
        .stored_layers()
        .into_iter()
        .map(|(chain, ..)| cache_id(&chain))
        .collect();
    ids.extend([format!("{mid}-init"), mid]);
    for driver in Driver::ALL {
        let map = as_map(layout(&host, driver));
        for id in &ids {
            let dir = layer_dir(driver, id);
            assert_eq!(map.get(&dir), Some(&DiskNode::Dir), "{driver:?}: {dir}");
            let link = layer_link(driver, id);
            assert_eq!(link.is_some(), driver == Driver::Overlay2, "{driver:?}");
            if let Some(link) = link {
                let home = format!("{ROOT}/overlay2");
                let target = format!("../{id}/diff");
                assert_eq!(
                    map.get(&format!("{home}/{link}")),
                    Some(&DiskNode::Symlink(target))
                );
            }
        }
    }
}
