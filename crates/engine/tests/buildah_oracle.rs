//! Differential test of `docker build` against buildah, a real builder (see the
//! oracles reference): each case's Dockerfile is built by buildah on a busybox
//! base with the overlay storage driver, offline, and by the engine on its
//! teaching busybox. Every RUN, COPY and ADD layer must hold the same entries:
//! paths, types, modes, sizes, link targets, whiteouts and opaque markers.
//!
//! What differs by design and is left out of the comparison:
//! - buildah's own entries in RUN layers (`dev/ proc/ run/ sys/`, `etc/hostname`,
//!   `etc/hosts`, `etc/resolv.conf`);
//! - WORKDIR: buildah records the directory in the next layer, BuildKit in a
//!   layer of its own; WORKDIR layers of the engine are skipped and WORKDIR
//!   directories left out of buildah's next layer;
//! - whiteout modes (buildah writes 0000, Docker 0600) and modification times.
//!
//! Needs root and buildah with the overlay driver (`cargo xtask test` installs
//! it where it can); prints `SKIP: <why>` otherwise.

mod common;

use common::sh;
use layerlab_engine::archive::{self, Kind, Member};
use layerlab_engine::command::Session;
use layerlab_engine::content::Content;
use std::path::{Path, PathBuf};

/// One build: the Dockerfile after `FROM`, and the context's files.
struct Case {
    name: &'static str,
    steps: &'static str,
    files: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        name: "copy a file, a directory and into a directory",
        steps: "COPY a.txt /app/\nCOPY conf /etc/app\nCOPY a.txt /single",
        files: &[("a.txt", "hello\n"), ("conf/x.conf", "x=1\n"), ("conf/sub/y.conf", "y=2\n")],
    },
    Case {
        name: "new files, a deleted base file, a changed mode",
        steps: "RUN mkdir -p /data/logs && echo started > /data/logs/run.log && rm /bin/rmdir && chmod 600 /etc/passwd",
        files: &[],
    },
    Case {
        name: "a directory removed and made again is opaque",
        steps: "RUN mkdir -p /d/old && echo 1 > /d/old/f && echo 2 > /d/keep\nRUN rm -rf /d && mkdir /d && echo 3 > /d/new",
        files: &[],
    },
    Case {
        name: "appending to a lower file copies all of it up",
        steps: "RUN echo 'app:x:1000:1000::/home/app:/bin/sh' >> /etc/passwd\nRUN echo more >> /etc/passwd",
        files: &[],
    },
    Case {
        name: "hard links and symlinks",
        steps: "COPY a.txt /app/a.txt\nRUN ln /app/a.txt /app/hard && ln -s a.txt /app/soft && ln -s /nowhere /app/dangling",
        files: &[("a.txt", "linked\n")],
    },
    Case {
        name: "moving and truncating",
        steps: "RUN mkdir /m && echo abc > /m/one && dd if=/dev/zero of=/m/zeros bs=1024 count=3 && truncate -s 100 /m/sparse\nRUN mv /m/one /m/two && rm /m/zeros",
        files: &[],
    },
    Case {
        name: "workdir then relative paths",
        steps: "WORKDIR /srv/www\nRUN echo '<h1>hi</h1>' > index.html && mkdir css\nCOPY a.txt .",
        files: &[("a.txt", "in workdir\n")],
    },
    Case {
        name: "removing a lower directory whites out the directory alone",
        steps: "COPY conf /etc/app\nRUN rm -rf /etc/app && touch /etc/passwd && chmod 700 /tmp",
        files: &[("conf/x.conf", "x=1\n"), ("conf/sub/y.conf", "y=2\n")],
    },
    Case {
        name: "sed -i and cp -r",
        steps: "RUN sed -i 's/root/admin/' /etc/passwd && mkdir -p /a/b && echo z > /a/b/z && cp -r /a /c",
        files: &[],
    },
    Case {
        name: "add unpacks a tar",
        steps: "ADD site.tar /srv/",
        files: &[],
    },
];

/// A layer's entries, sorted, in a form both sides can give: `name kind mode size`.
fn entries(members: &[Member]) -> Vec<String> {
    let mut out: Vec<String> = members
        .iter()
        .map(|m| {
            let base = m.name.rsplit('/').next().unwrap_or(&m.name);
            let (kind, size) = match &m.kind {
                Kind::File(c) => ("file", c.len()),
                Kind::Dir => ("dir", 0),
                Kind::Symlink(t) => return format!("{} -> {t}", m.name),
                Kind::HardLink(t) => return format!("{} => {t}", m.name),
            };
            if base == ".wh..wh..opq" {
                return format!("{} (opaque marker)", m.name);
            }
            if base.starts_with(".wh.") {
                return format!("{} (whiteout)", m.name);
            }
            format!("{} {kind} {:o} {size}", m.name, m.meta.mode)
        })
        .collect();
    out.sort();
    out
}

/// The engine's RUN/COPY/ADD layers for `dockerfile`, as entries.
fn engine_layers(case: &Case) -> Vec<Vec<String>> {
    let mut s = Session::new();
    for (path, text) in case.files {
        if let Some((dir, _)) = path.rsplit_once('/') {
            s.run(&format!("mkdir -p {dir}"));
        }
        s.run(&format!("cat > {path} <<'EOF'\n{text}EOF"));
    }
    if case.name.contains("tar") {
        s.run("mkdir -p site/css && echo '<h1>hi</h1>' > site/index.html && echo 'h1{}' > site/css/a.css && tar -cf site.tar site && rm -r site");
    }
    let dockerfile = format!("FROM busybox\n{}\n", case.steps);
    let t = s.run(&format!("cat > Dockerfile <<'EOF'\n{dockerfile}EOF"));
    assert_eq!(t.status, 0, "{}", t.text());
    let t = s.run("docker build -q -t out .");
    assert_eq!(t.status, 0, "{}: {}", case.name, t.text());
    let image = s.host.image("out").expect("built").clone();
    let busybox = layerlab_engine::reference::Reference::parse("busybox").expect("reference");
    let base = s
        .registry
        .get(&busybox)
        .expect("teaching busybox")
        .layers
        .len();
    let mut layers = image.layers[base..].iter();
    let workdirs_of = workdirs_before_each_layer(case);
    let mut out = Vec::new();
    for h in image
        .config
        .history
        .iter()
        .filter(|h| !h.empty_layer)
        .skip(base)
    {
        let layer = layers.next().expect("a layer per history entry");
        if h.created_by.starts_with("WORKDIR") {
            continue;
        }
        let workdirs = workdirs_of.get(out.len()).cloned().unwrap_or_default();
        let mut tar = Vec::new();
        layerlab_engine::tar::write_diff(&layer.diff, &mut |b| tar.extend_from_slice(b));
        let members: Vec<Member> = archive::read(&Content::bytes(tar))
            .expect("our tar reads back")
            .into_iter()
            .filter(|m| !is_workdir(m, &workdirs))
            .collect();
        out.push(entries(&members));
    }
    out
}

/// A scratch directory with a busybox base image in a private buildah store.
struct Buildah {
    root: PathBuf,
}

impl Buildah {
    fn cmd(&self) -> String {
        let r = self.root.display();
        format!("buildah --root {r}/store --runroot {r}/run --storage-driver overlay")
    }

    fn new() -> Result<Buildah, String> {
        let uid = sh("id -u")?;
        if uid.trim() != "0" {
            return Err("not root (buildah's overlay driver needs it)".into());
        }
        sh("command -v buildah").map_err(|_| "buildah is not installed".to_owned())?;
        let busybox = ["/bin/busybox", "/usr/bin/busybox"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .ok_or("no static busybox (apt-get install busybox-static)")?;
        let root = std::env::temp_dir().join(format!("layerlab-buildah-{}", std::process::id()));
        let b = Buildah { root };
        let r = b.root.display();
        sh(&format!(
            "rm -rf {r} && mkdir -p {r}/bb/bin && cp {busybox} {r}/bb/bin/busybox && \
             for a in $({r}/bb/bin/busybox --list); do [ \"$a\" = busybox ] || ln -sf busybox {r}/bb/bin/$a; done && \
             mkdir -p {r}/bb/etc {r}/bb/tmp && echo 'root:x:0:0:root:/root:/bin/sh' > {r}/bb/etc/passwd"
        ))?;
        let c = sh(&format!("{} from scratch", b.cmd()))?;
        let c = c.trim();
        sh(&format!(
            "{0} copy {c} {r}/bb/ / && {0} config --env PATH=/bin {c} && {0} commit -q {c} bb",
            b.cmd()
        ))?;
        Ok(b)
    }

    /// buildah's RUN/COPY/ADD layers for the case, as entries.
    fn layers(&self, case: &Case, index: usize) -> Result<Vec<Vec<String>>, String> {
        let r = self.root.display();
        let ctx = self.root.join(format!("ctx{index}"));
        std::fs::create_dir_all(&ctx).map_err(|e| e.to_string())?;
        for (path, text) in case.files {
            let p = ctx.join(path);
            std::fs::create_dir_all(p.parent().unwrap_or(&ctx)).map_err(|e| e.to_string())?;
            std::fs::write(&p, text).map_err(|e| e.to_string())?;
        }
        if case.name.contains("tar") {
            sh(&format!(
                "cd {0} && mkdir -p site/css && echo '<h1>hi</h1>' > site/index.html && echo 'h1{{}}' > site/css/a.css && tar --owner=0 --group=0 -cf site.tar site && rm -r site",
                ctx.display()
            ))?;
        }
        let dockerfile = format!("FROM localhost/bb\n{}\n", case.steps);
        std::fs::write(ctx.join("Dockerfile"), &dockerfile).map_err(|e| e.to_string())?;
        let tag = format!("case{index}");
        sh(&format!(
            "{0} bud --isolation chroot --layers -q -t {tag} -f {1}/Dockerfile {1} >/dev/null && rm -rf {r}/oci{index} && {0} push -q {tag} oci:{r}/oci{index} >/dev/null",
            self.cmd(),
            ctx.display()
        ))?;
        let oci = self.root.join(format!("oci{index}"));
        let blob = |digest: &str| -> Result<Vec<u8>, String> {
            let hex = digest.trim_start_matches("sha256:");
            std::fs::read(oci.join("blobs/sha256").join(hex)).map_err(|e| e.to_string())
        };
        let index_json: serde_json::Value = serde_json::from_slice(
            &std::fs::read(oci.join("index.json")).map_err(|e| e.to_string())?,
        )
        .map_err(|e| e.to_string())?;
        let manifest_digest = index_json["manifests"][0]["digest"]
            .as_str()
            .ok_or("no manifest")?;
        let manifest: serde_json::Value =
            serde_json::from_slice(&blob(manifest_digest)?).map_err(|e| e.to_string())?;
        let workdirs_of = workdirs_before_each_layer(case);
        let mut out = Vec::new();
        let layers = manifest["layers"].as_array().ok_or("no layers")?;
        for (n, l) in layers.iter().enumerate().skip(1) {
            let workdirs = workdirs_of.get(n - 1).cloned().unwrap_or_default();
            let data = Content::bytes(blob(l["digest"].as_str().ok_or("no digest")?)?);
            let tar = archive::decompress(&data).map_err(|e| e.to_string())?;
            let members: Vec<Member> = archive::read(&tar)
                .map_err(|e| e.to_string())?
                .into_iter()
                .filter(|m| !buildahs_own(&m.name, n))
                .filter(|m| !is_workdir(m, &workdirs))
                .collect();
            // `etc/` stays only when the step itself changed something in it.
            let members = drop_lonely_etc(members);
            out.push(entries(&members));
        }
        Ok(out)
    }
}

/// For each layer step of the case: the WORKDIR directories just before it.
/// Both sides leave them out of that layer (buildah creates them there, the
/// engine copies them up there from the WORKDIR layer).
fn workdirs_before_each_layer(case: &Case) -> Vec<Vec<String>> {
    let mut pending: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for l in case.steps.lines() {
        match l.strip_prefix("WORKDIR ") {
            Some(d) => pending.push(d.trim_matches('/').to_owned()),
            None => out.push(std::mem::take(&mut pending)),
        }
    }
    out
}

fn is_workdir(m: &Member, workdirs: &[String]) -> bool {
    m.kind == Kind::Dir
        && workdirs
            .iter()
            .any(|w| w == &m.name || w.starts_with(&format!("{}/", m.name)))
}

/// Entries buildah adds to RUN layers for the container it runs.
fn buildahs_own(name: &str, _layer: usize) -> bool {
    matches!(
        name,
        "dev" | "proc" | "run" | "sys" | "etc/hostname" | "etc/hosts" | "etc/resolv.conf"
    ) || ["dev/", "proc/", "run/", "sys/"]
        .iter()
        .any(|p| name.starts_with(p))
}

fn drop_lonely_etc(members: Vec<Member>) -> Vec<Member> {
    let others = members.iter().any(|m| m.name.starts_with("etc/"));
    members
        .into_iter()
        .filter(|m| others || m.name != "etc")
        .collect()
}

impl Drop for Buildah {
    fn drop(&mut self) {
        let r = self.root.display();
        let _ = sh(&format!(
            "{} rm --all >/dev/null 2>&1; umount -R {r}/store/overlay 2>/dev/null; rm -rf {r}",
            self.cmd()
        ));
    }
}

#[test]
fn each_layer_matches_what_buildah_builds() {
    let buildah = match Buildah::new() {
        Ok(b) => b,
        Err(why) => {
            println!("SKIP: buildah differential test: {why}");
            return;
        }
    };
    let mut report = String::new();
    for (i, case) in CASES.iter().enumerate() {
        let theirs = match buildah.layers(case, i) {
            Ok(l) => l,
            Err(e) => panic!("{}: buildah failed: {e}", case.name),
        };
        let ours = engine_layers(case);
        if ours != theirs {
            report.push_str(&format!(
                "== {}\n  engine:  {ours:#?}\n  buildah: {theirs:#?}\n",
                case.name
            ));
        }
    }
    assert!(report.is_empty(), "layers differ from buildah's:\n{report}");
    println!("buildah agreed on {} builds", CASES.len());
}
