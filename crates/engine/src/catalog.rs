//! The teaching images: small, plausible file trees with realistic sizes (as
//! described content), histories and configs. Each says where it differs from
//! the real image. The registry serves them; `FROM` and `docker pull` use them.
//!
//! An image is written as text: header lines (`image`, `created`, `note`,
//! `env`, `cmd`, `entrypoint`, `workdir`, `expose`), then `layer CREATED_BY`
//! followed by fixture lines (see [`crate::fixture`]), or `meta CREATED_BY`
//! for a history entry without a layer. `at UNIX_SECONDS` dates the entries and
//! files that follow (a base image's layers keep the base image's time). `fill PATH MODE TOTAL` adds a described
//! file that brings the layer to exactly TOTAL bytes.

use crate::diff::Diff;
use crate::fixture::parse_layers;
use crate::image::{History, ImageConfig};

/// A teaching image, ready to register.
pub struct Teaching {
    pub reference: String,
    /// Where it differs from the real image (English; Docker's world is English).
    pub note: String,
    pub config: ImageConfig,
    /// Layers, bottom first; `config.history` has one non-empty entry per layer.
    pub layers: Vec<Diff>,
    /// Unix seconds.
    pub created: u64,
}

const COREUTILS: &str = "ls cat echo cp mv rm mkdir rmdir touch chmod chown ln pwd sleep true false head tail wc tee env test [ dd truncate du printf tar";

/// The shared Debian base: nginx and python:3-slim stand on this same layer.
const DEBIAN_ROOTFS: &str = "
f /etc/os-release 644 PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\\nID=debian\\nVERSION_ID=\"12\"\\n
f /etc/debian_version 644 12.8\\n
f /etc/hostname 644 localhost\\n
f /etc/passwd 644 root:x:0:0:root:/root:/bin/bash\\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\\n
f /etc/group 644 root:x:0:\\nwww-data:x:33:\\nnogroup:x:65534:\\n
d /root 700
d /run 755
d /tmp 1777
d /var/lib/apt/lists 755
l /var/run /run
F /bin/bash 755 1265648
F /bin/dash 755 125560
l /bin/sh dash
F /usr/bin/grep 755 203152
F /usr/bin/sed 755 122224
F /usr/bin/which 755 1102
F /usr/bin/apt-get 755 18440
F /usr/bin/dpkg 755 305736
F /usr/lib/x86_64-linux-gnu/libc.so.6 755 1922136
F /usr/lib/x86_64-linux-gnu/libssl.so.3 644 689936
F /usr/lib/x86_64-linux-gnu/libcrypto.so.3 644 4455728
F /usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30 644 2260296
F /var/lib/dpkg/status 644 94561
fill /usr/share/zoneinfo.bundle 644 74790000
";

fn coreutils(dir: &str, size_base: u64) -> String {
    COREUTILS
        .split(' ')
        .enumerate()
        .map(|(i, name)| format!("F {dir}/{name} 755 {}\n", size_base + i as u64 * 1733))
        .collect()
}

fn spec(name: &str) -> Option<String> {
    match name {
        "ubuntu:15.04" => Some(ubuntu()),
        "debian:bookworm-slim" | "nginx:latest" | "python:3-slim" => debian_based(name),
        _ => busybox_based(name),
    }
}

/// The tutorial's base image.
fn ubuntu() -> String {
    format!(
        "image ubuntu:15.04
created 1453852800
note Real ubuntu:15.04 has no make or python; this teaching image adds them so the tutorial's Dockerfile builds as written.
env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
cmd [\"/bin/bash\"]
layer /bin/sh -c #(nop) ADD file:9b5ba3935021955492697a04d541f1e2fd1e8e6b0d8ac2d82eb1e2a56bd5f92b in /
f /etc/os-release 644 NAME=\"Ubuntu\"\\nVERSION=\"15.04 (Vivid Vervet)\"\\nID=ubuntu\\nVERSION_ID=\"15.04\"\\n
f /etc/passwd 644 root:x:0:0:root:/root:/bin/bash\\n
f /etc/apt/sources.list 644 deb http://archive.ubuntu.com/ubuntu/ vivid main restricted\\n#deb http://archive.ubuntu.com/ubuntu/ vivid universe\\n
d /root 700
d /tmp 1777
F /bin/bash 755 1021112
F /bin/dash 755 121272
l /bin/sh dash
{}F /bin/grep 755 191952
F /bin/sed 755 73352
F /usr/bin/which 755 946
F /usr/bin/make 755 212528
F /usr/bin/python2.7 755 3345416
l /usr/bin/python python2.7
F /usr/lib/python2.7/os.py 644 25910
F /lib/x86_64-linux-gnu/libc-2.21.so 755 1869392
fill /usr/lib/locale/locale-archive 644 131080000
layer /bin/sh -c echo '#!/bin/sh' > /usr/sbin/policy-rc.d && echo 'exit 101' >> /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
f /usr/sbin/policy-rc.d 755 #!/bin/sh\\nexit 101\\n
f /etc/apt/apt.conf.d/docker-clean 644 DPkg::Post-Invoke {{ \"rm -f /var/cache/apt/archives/*.deb || true\"; }};\\n
f /etc/dpkg/dpkg.cfg.d/docker-apt-speedup 644 force-unsafe-io\\n
layer /bin/sh -c sed -i 's/^#\\s*\\(deb.*universe\\)$/\\1/g' /etc/apt/sources.list
f /etc/apt/sources.list 644 deb http://archive.ubuntu.com/ubuntu/ vivid main restricted\\ndeb http://archive.ubuntu.com/ubuntu/ vivid universe\\n
layer /bin/sh -c #(nop) CMD [\"/bin/bash\"]
",
        coreutils("/bin", 30000)
    )
}

/// The images on the Debian 12 layer they share.
fn debian_based(name: &str) -> Option<String> {
    let debian = format!("{DEBIAN_ROOTFS}{}", coreutils("/bin", 35000));
    Some(match name {
        "debian:bookworm-slim" => format!(
            "image debian:bookworm-slim
created 1732579200
note A trimmed Debian 12 tree; the real one has about 6,000 files.
env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
cmd [\"bash\"]
layer # debian.sh --arch 'amd64' out/ 'bookworm' '@1732579200'
{debian}meta CMD [\"bash\"]
"
        ),
        "nginx:latest" => format!(
            "image nginx:latest
created 1732665600
note Built on the same Debian layer as debian:bookworm-slim and python:3-slim; nginx's own files are fewer than the real ones.
env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
env NGINX_VERSION=1.27.3
entrypoint [\"/docker-entrypoint.sh\"]
cmd [\"nginx\", \"-g\", \"daemon off;\"]
expose 80/tcp
at 1732579200
layer # debian.sh --arch 'amd64' out/ 'bookworm' '@1732579200'
{debian}meta CMD [\"bash\"]
at 1732665600
meta LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>
meta ENV NGINX_VERSION=1.27.3
layer RUN /bin/sh -c set -x && apt-get update && apt-get install --no-install-recommends --no-install-suggests -y nginx && rm -rf /var/lib/apt/lists/* # buildkit
F /usr/sbin/nginx 755 1553136
f /etc/nginx/nginx.conf 644 user  nginx;\\nworker_processes  auto;\\nevents {{ worker_connections  1024; }}\\nhttp {{ include /etc/nginx/conf.d/*.conf; }}\\n
f /etc/nginx/conf.d/default.conf 644 server {{ listen 80; root /usr/share/nginx/html; }}\\n
f /usr/share/nginx/html/index.html 644 <!DOCTYPE html>\\n<h1>Welcome to nginx!</h1>\\n
d /var/cache/nginx 755
d /var/log/nginx 755
fill /usr/lib/nginx/modules.bundle 644 34206870
layer COPY docker-entrypoint.sh / # buildkit
f /docker-entrypoint.sh 775 #!/bin/sh\\nset -e\\nexec \"$@\"\\n
layer COPY 10-listen-on-ipv6-by-default.sh /docker-entrypoint.d # buildkit
F /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh 775 2125
layer COPY 20-envsubst-on-templates.sh /docker-entrypoint.d # buildkit
F /docker-entrypoint.d/20-envsubst-on-templates.sh 775 1620
layer COPY 30-tune-worker-processes.sh /docker-entrypoint.d # buildkit
F /docker-entrypoint.d/30-tune-worker-processes.sh 775 4960
meta ENTRYPOINT [\"/docker-entrypoint.sh\"]
meta EXPOSE map[80/tcp:{{}}]
meta STOPSIGNAL SIGQUIT
meta CMD [\"nginx\" \"-g\" \"daemon off;\"]
"
        ),
        "python:3-slim" => format!(
            "image python:3-slim
created 1733270400
note Built on the same Debian layer as nginx; the standard library is one described file here.
env PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
env LANG=C.UTF-8
env PYTHON_VERSION=3.13.1
cmd [\"python3\"]
at 1732579200
layer # debian.sh --arch 'amd64' out/ 'bookworm' '@1732579200'
{debian}meta CMD [\"bash\"]
at 1733270400
meta ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
meta ENV LANG=C.UTF-8
layer RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates netbase tzdata; rm -rf /var/lib/apt/lists/* # buildkit
F /etc/ssl/certs/ca-certificates.crt 644 219342
fill /usr/share/zoneinfo/tzdata.bundle 644 3298000
meta ENV PYTHON_VERSION=3.13.1
layer RUN /bin/sh -c set -eux; ./configure --enable-optimizations; make -j \"$(nproc)\"; make install # buildkit
F /usr/local/bin/python3.13 755 17936
l /usr/local/bin/python3 python3.13
l /usr/local/bin/python python3
F /usr/local/bin/pip3 755 229
l /usr/local/bin/pip pip3
F /usr/local/lib/libpython3.13.so.1.0 755 30312984
fill /usr/local/lib/python3.13/stdlib.bundle 644 47020000
meta CMD [\"python3\"]
"
        ),
        _ => return None,
    })
}

/// The images whose core commands are busybox's applets.
fn busybox_based(name: &str) -> Option<String> {
    Some(match name {
        "alpine:latest" => format!(
            "image alpine:latest
created 1736294400
note A trimmed Alpine 3.21: busybox provides the shell and the core commands.
env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
cmd [\"/bin/sh\"]
layer ADD alpine-minirootfs-3.21.2-x86_64.tar.gz / # buildkit
f /etc/os-release 644 NAME=\"Alpine Linux\"\\nID=alpine\\nVERSION_ID=3.21.2\\n
f /etc/passwd 644 root:x:0:0:root:/root:/bin/sh\\nnobody:x:65534:65534:nobody:/:/sbin/nologin\\n
d /root 700
d /tmp 1777
F /bin/busybox 755 808712
{}l /usr/bin/which /bin/busybox
l /bin/grep /bin/busybox
l /bin/sed /bin/busybox
F /sbin/apk 755 68952
F /lib/ld-musl-x86_64.so.1 755 649624
F /lib/libcrypto.so.3 755 4501040
F /lib/libssl.so.3 755 631432
fill /etc/ssl/cert.pem 644 7800000
meta CMD [\"/bin/sh\"]
",
            busybox_links("/bin")
        ),
        "busybox:latest" => format!(
            "image busybox:latest
created 1727308800
note One static busybox and its applet links, as the real image.
env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
cmd [\"sh\"]
layer ADD busybox.tar.xz / # buildkit
F /bin/busybox 755 1160000
{}l /bin/grep busybox
l /bin/sed busybox
l /bin/which busybox
d /etc 755
f /etc/passwd 644 root:x:0:0:root:/root:/bin/sh\\n
d /tmp 1777
fill /lib/libc.bundle 644 4261550
meta CMD [\"sh\"]
",
            busybox_links_relative()
        ),
        "wonderfall/isso:latest" => format!(
            "image wonderfall/isso:latest
created 1546300800
note A comment server on Alpine and Python; fewer, larger files than the real image.
env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
env GID=1000
env UID=1000
entrypoint [\"/usr/local/bin/startup\"]
cmd [\"isso\"]
expose 8080/tcp
layer /bin/sh -c #(nop) ADD file:2a1fc9351afe35698918545b2d466d9805c2e8afcec52f916785ee65bbafeced in /
f /etc/os-release 644 NAME=\"Alpine Linux\"\\nID=alpine\\nVERSION_ID=3.8.2\\n
F /bin/busybox 755 796888
{}F /lib/ld-musl-x86_64.so.1 755 580144
fill /lib/apk/db/installed 644 4410000
meta /bin/sh -c #(nop)  CMD [\"/bin/sh\"]
meta /bin/sh -c #(nop)  ENV GID=1000 UID=1000
layer /bin/sh -c apk -U upgrade && apk add -t build-dependencies python3-dev libffi-dev build-base && apk add python3 sqlite libstdc++ tini && pip3 install --no-cache isso && apk del build-dependencies && rm -rf /tmp/* /var/cache/apk/*
F /usr/bin/python3.6 755 14040
F /usr/lib/libpython3.6m.so.1.0 755 3203024
F /usr/bin/sqlite3 755 1085408
F /sbin/tini 755 23984
F /usr/bin/isso 755 392
fill /usr/lib/python3.6/site-packages.bundle 644 60140000
layer /bin/sh -c #(nop) COPY file:3c2ab0bbdb5a0e2f7e9d2b07bf5c2d0d7d3e4f6a7b8c9d0e1f2a3b4c5d6e7f80 in /usr/local/bin/startup
f /usr/local/bin/startup 755 #!/bin/sh\\nexec su-exec $UID:$GID /sbin/tini -- \"$@\"\\n
layer /bin/sh -c chmod +x /usr/local/bin/startup
f /usr/local/bin/startup 755 #!/bin/sh\\nexec su-exec $UID:$GID /sbin/tini -- \"$@\"\\n
fill /usr/local/bin/.startup.padding 644 3640000
meta /bin/sh -c #(nop)  EXPOSE 8080/tcp
meta /bin/sh -c #(nop)  VOLUME [/db /config]
meta /bin/sh -c #(nop)  ENTRYPOINT [\"/usr/local/bin/startup\"]
meta /bin/sh -c #(nop)  CMD [\"isso\"]
",
            busybox_links("/bin")
        ),
        _ => return None,
    })
}

fn busybox_links(dir: &str) -> String {
    let mut lines = crate::map::Set::new();
    for n in COREUTILS.split(' ').chain(["sh"]) {
        lines.insert(format!("l {dir}/{n} /bin/busybox\n"));
    }
    lines.into_iter().collect()
}

fn busybox_links_relative() -> String {
    let mut out: Vec<String> = COREUTILS
        .split(' ')
        .map(|n| format!("l /bin/{n} busybox\n"))
        .collect();
    out.push("l /bin/sh busybox\n".into());
    out.concat()
}

/// Known digests of the teaching images' layers: `REFERENCE INDEX DIFF_ID BLOB_DIGEST BLOB_SIZE`
/// per line. Hashing 100 MB of layers costs seconds in a browser; this memo spares it.
/// The test `digest_memo_matches_fresh_computation` recomputes every line (and
/// rewrites the file with `UPDATE_EXPECT=1`), so it cannot go stale.
pub const DIGEST_MEMO: &str = include_str!("catalog_digests.txt");

/// The memo's digests for layer `index` of `reference`, if known.
pub fn memo(
    reference: &str,
    index: usize,
) -> Option<(crate::digest::Digest, (crate::digest::Digest, u64))> {
    DIGEST_MEMO.lines().find_map(|l| {
        let w: Vec<&str> = l.split_whitespace().collect();
        match w.as_slice() {
            [r, i, diff, blob, size] if *r == reference && i.parse() == Ok(index) => Some((
                crate::digest::Digest::parse(diff)?,
                (crate::digest::Digest::parse(blob)?, size.parse().ok()?),
            )),
            _ => None,
        }
    })
}

/// Every teaching image's reference, in the order lessons meet them.
pub const REFERENCES: [&str; 7] = [
    "ubuntu:15.04",
    "nginx:latest",
    "wonderfall/isso:latest",
    "debian:bookworm-slim",
    "python:3-slim",
    "alpine:latest",
    "busybox:latest",
];

/// The teaching image `reference` (familiar form with tag), if there is one.
pub fn teaching_image(reference: &str) -> Option<Teaching> {
    parse(&spec(reference)?).ok()
}

/// A teaching image's text that does not read (a fault of the catalogue
/// itself, which a test reads whole).
#[derive(Debug)]
enum SpecError {
    BadCreated(String),
    BadTime(String),
    UnexpectedLine(String),
    BadFill(String),
    /// A layer already larger than its `fill` total.
    Overfull(u64),
    Layer(crate::fixture::FixtureError),
}

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpecError::BadCreated(t) => write!(f, "bad created: {t}"),
            SpecError::BadTime(t) => write!(f, "bad time: {t}"),
            SpecError::UnexpectedLine(l) => write!(f, "unexpected line: {l}"),
            SpecError::BadFill(l) => write!(f, "bad fill: {l}"),
            SpecError::Overfull(total) => write!(f, "layer already exceeds {total} bytes"),
            SpecError::Layer(e) => write!(f, "{e}"),
        }
    }
}

impl From<crate::fixture::FixtureError> for SpecError {
    fn from(e: crate::fixture::FixtureError) -> SpecError {
        SpecError::Layer(e)
    }
}

fn parse(text: &str) -> Result<Teaching, SpecError> {
    let mut reference = String::new();
    let mut note = String::new();
    let mut created = 0;
    let mut config = ImageConfig::scratch(0);
    config.config.env.clear();
    let mut history: Vec<(String, bool, u64)> = Vec::new();
    let mut layer_texts: Vec<(String, u64)> = Vec::new();
    let mut at: Option<u64> = None;
    for line in text.lines() {
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        let in_layer = !layer_texts.is_empty() && history.last().is_some_and(|h| !h.1);
        match word {
            "image" => reference = rest.to_owned(),
            "created" => {
                created = rest
                    .parse()
                    .map_err(|_| SpecError::BadCreated(rest.to_owned()))?;
            }
            "at" => {
                at = Some(
                    rest.parse()
                        .map_err(|_| SpecError::BadTime(rest.to_owned()))?,
                );
            }
            "note" => note = rest.to_owned(),
            "env" => config.config.env.push(rest.to_owned()),
            "cmd" => config.config.cmd = serde_json::from_str(rest).ok(),
            "entrypoint" => config.config.entrypoint = serde_json::from_str(rest).ok(),
            "workdir" => config.config.working_dir = rest.to_owned(),
            "expose" => {
                config
                    .config
                    .exposed_ports
                    .insert(rest.to_owned(), Default::default());
            }
            "layer" => {
                history.push((rest.to_owned(), false, at.unwrap_or(created)));
                layer_texts.push((String::new(), at.unwrap_or(created)));
            }
            "meta" => history.push((rest.to_owned(), true, at.unwrap_or(created))),
            _ if in_layer => {
                if let Some((last, _)) = layer_texts.last_mut() {
                    last.push_str(line);
                    last.push('\n');
                }
            }
            "" => {}
            _ => return Err(SpecError::UnexpectedLine(line.to_owned())),
        }
    }
    let mut layers = Vec::new();
    for (t, time) in &layer_texts {
        let (fills, plain): (Vec<&str>, Vec<&str>) =
            t.lines().partition(|l| l.starts_with("fill "));
        let mut diff = parse_layers(&plain.join("\n"), *time)?
            .pop()
            .unwrap_or_default();
        for f in fills {
            let w: Vec<&str> = f.split_whitespace().collect();
            let (path, mode, total) = match w.as_slice() {
                [_, p, m, t] => (
                    *p,
                    *m,
                    t.parse::<u64>()
                        .map_err(|_| SpecError::BadFill(f.to_owned()))?,
                ),
                _ => return Err(SpecError::BadFill(f.to_owned())),
            };
            let have = diff.size();
            let need = total.checked_sub(have).ok_or(SpecError::Overfull(total))?;
            let filler = parse_layers(&format!("F {path} {mode} {need}"), *time)?
                .pop()
                .unwrap_or_default();
            for (p, e) in filler.entries() {
                match e {
                    crate::diff::Entry::File { ino } => {
                        if let Some(i) = filler.inode(*ino) {
                            diff.put_file(p.clone(), i.meta, i.content.clone());
                        }
                    }
                    other if diff.get(p).is_none() => diff.put(p.clone(), other.clone()),
                    _ => {}
                }
            }
        }
        layers.push(diff);
    }
    let comment = |by: &str| {
        if by.ends_with("# buildkit") || !by.starts_with("/bin/sh") {
            "buildkit.dockerfile.v0"
        } else {
            ""
        }
    };
    config.history = history
        .iter()
        .map(|(by, empty, time)| History::new(*time, by.clone(), comment(by), *empty))
        .collect();
    config.created = crate::clock::rfc3339(created);
    Ok(Teaching {
        reference,
        note,
        config,
        layers,
        created,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::size::human_size_with_precision;

    fn size(t: &Teaching) -> String {
        human_size_with_precision(t.layers.iter().map(Diff::size).sum::<u64>() as f64, 3)
    }

    #[test]
    fn every_teaching_image_parses_with_one_history_entry_per_layer() {
        for r in REFERENCES {
            let t = teaching_image(r).unwrap_or_else(|| {
                panic!("{r} does not parse: {:?}", spec(r).map(|s| parse(&s).err()))
            });
            assert_eq!(t.reference, r);
            let with_layer = t.config.history.iter().filter(|h| !h.empty_layer).count();
            assert_eq!(with_layer, t.layers.len(), "{r}");
            assert!(
                !t.note.is_empty(),
                "{r} says how it differs from the real image"
            );
        }
    }

    #[test]
    fn sizes_print_as_the_tutorial_and_docker_hub_show_them() {
        let cases = [
            ("nginx:latest", "109MB"),
            ("wonderfall/isso:latest", "68.2MB"),
            ("ubuntu:15.04", "131MB"),
            ("debian:bookworm-slim", "74.8MB"),
            ("alpine:latest", "7.8MB"),
            ("busybox:latest", "4.26MB"),
        ];
        for (r, want) in cases {
            let t = teaching_image(r).expect(r);
            assert_eq!(size(&t), want, "{r}");
        }
        assert_eq!(
            teaching_image("ubuntu:15.04").map(|t| t.layers.len()),
            Some(4),
            "four layers, as the tutorial pulls"
        );
    }

    #[test]
    fn digest_memo_matches_fresh_computation() {
        use crate::layer::{Layer, LayerId};
        let mut text = String::new();
        for r in REFERENCES {
            let t = teaching_image(r).expect(r);
            for (i, d) in t.layers.into_iter().enumerate() {
                let layer = Layer::new(LayerId(1), d);
                let (blob, size) = crate::manifest::blob(&layer);
                text.push_str(&format!("{r} {i} {} {blob} {size}\n", layer.diff_id()));
            }
        }
        expect_test::expect_file!["catalog_digests.txt"].assert_eq(&text);
    }

    #[test]
    fn nginx_and_python_share_the_debian_layer_byte_for_byte() {
        let base = teaching_image("debian:bookworm-slim").expect("debian");
        for r in ["nginx:latest", "python:3-slim"] {
            let t = teaching_image(r).expect(r);
            assert_eq!(t.layers[0], base.layers[0], "{r}");
        }
    }
}
