//! Package managers with a small built-in catalog: `apt-get`, `apk` and
//! `pip`. Nothing is downloaded; each package is a few described files with
//! realistic sizes. They exist to teach where package caches and index files
//! land in an image: `apt-get update` fills `/var/lib/apt/lists` with tens of
//! MB, and removing them in a later RUN does not make the image smaller.

use super::Run;
use crate::content::{splitmix64, Content};
use crate::merged::{Node, WriteMode, DIR_MODE};
use crate::note::{self, NoteKey};

struct Package {
    name: &'static str,
    version: &'static str,
    deps: &'static [&'static str],
    /// Installed files (path, bytes); `{py}` is the Python library directory.
    files: &'static [(&'static str, u64)],
}

const APT: &[Package] = &[
    Package {
        name: "curl",
        version: "7.88.1-10+deb12u8",
        deps: &["libcurl4"],
        files: &[
            ("/usr/bin/curl", 276_000),
            ("/usr/share/doc/curl/copyright", 5_420),
        ],
    },
    Package {
        name: "libcurl4",
        version: "7.88.1-10+deb12u8",
        deps: &[],
        files: &[("/usr/lib/x86_64-linux-gnu/libcurl.so.4.8.0", 703_712)],
    },
    Package {
        name: "wget",
        version: "1.21.3-1+b2",
        deps: &[],
        files: &[("/usr/bin/wget", 519_600), ("/etc/wgetrc", 4_942)],
    },
    Package {
        name: "git",
        version: "1:2.39.5-0+deb12u1",
        deps: &["libcurl4"],
        files: &[
            ("/usr/bin/git", 3_990_152),
            ("/usr/lib/git-core/git-remote-http", 1_743_840),
            ("/usr/share/git-core/templates.bundle", 31_400_000),
        ],
    },
    Package {
        name: "vim",
        version: "2:9.0.1378-2",
        deps: &[],
        files: &[
            ("/usr/bin/vim.basic", 3_879_032),
            ("/usr/share/vim/vim90.bundle", 33_700_000),
        ],
    },
    Package {
        name: "python3",
        version: "3.11.2-1+b1",
        deps: &[],
        files: &[
            ("/usr/bin/python3.11", 6_831_736),
            ("/usr/lib/python3.11/stdlib.bundle", 22_600_000),
        ],
    },
    Package {
        name: "make",
        version: "4.3-4.1",
        deps: &[],
        files: &[("/usr/bin/make", 240_520)],
    },
    Package {
        name: "gcc",
        version: "4:12.2.0-3",
        deps: &[],
        files: &[
            ("/usr/bin/gcc-12", 1_261_272),
            ("/usr/libexec/gcc/x86_64-linux-gnu/12/cc1", 36_212_248),
        ],
    },
    Package {
        name: "build-essential",
        version: "12.9",
        deps: &["gcc", "make"],
        files: &[("/usr/share/build-essential/list", 340)],
    },
    Package {
        name: "ca-certificates",
        version: "20230311",
        deps: &[],
        files: &[
            ("/etc/ssl/certs/ca-certificates.crt", 219_342),
            ("/usr/share/ca-certificates.bundle", 560_000),
        ],
    },
    Package {
        name: "tzdata",
        version: "2024a-0+deb12u1",
        deps: &[],
        files: &[("/usr/share/zoneinfo/tzdata.bundle", 3_298_000)],
    },
    Package {
        name: "nginx",
        version: "1.22.1-9",
        deps: &[],
        files: &[
            ("/usr/sbin/nginx", 1_388_480),
            ("/etc/nginx/nginx.conf", 1_447),
        ],
    },
];

const APK: &[Package] = &[
    Package {
        name: "curl",
        version: "8.11.1-r0",
        deps: &["libcurl"],
        files: &[("/usr/bin/curl", 253_392)],
    },
    Package {
        name: "libcurl",
        version: "8.11.1-r0",
        deps: &[],
        files: &[("/usr/lib/libcurl.so.4.8.0", 669_552)],
    },
    Package {
        name: "git",
        version: "2.47.2-r0",
        deps: &["libcurl"],
        files: &[
            ("/usr/bin/git", 3_506_872),
            ("/usr/libexec/git-core.bundle", 9_100_000),
        ],
    },
    Package {
        name: "python3",
        version: "3.12.8-r1",
        deps: &[],
        files: &[
            ("/usr/bin/python3.12", 14_224),
            ("/usr/lib/libpython3.12.so.1.0", 5_601_160),
            ("/usr/lib/python3.12/stdlib.bundle", 36_900_000),
        ],
    },
    Package {
        name: "py3-pip",
        version: "24.3.1-r0",
        deps: &["python3"],
        files: &[
            ("/usr/bin/pip3", 220),
            ("/usr/lib/python3.12/site-packages/pip.bundle", 12_300_000),
        ],
    },
    Package {
        name: "make",
        version: "4.4.1-r2",
        deps: &[],
        files: &[("/usr/bin/make", 244_264)],
    },
    Package {
        name: "build-base",
        version: "0.5-r3",
        deps: &["make"],
        files: &[(
            "/usr/libexec/gcc/x86_64-alpine-linux-musl/14.2.0/cc1",
            37_200_000,
        )],
    },
    Package {
        name: "nginx",
        version: "1.26.2-r4",
        deps: &[],
        files: &[
            ("/usr/sbin/nginx", 1_263_096),
            ("/etc/nginx/nginx.conf", 3_238),
        ],
    },
    Package {
        name: "ca-certificates",
        version: "20241121-r1",
        deps: &[],
        files: &[("/etc/ssl/certs/ca-certificates.crt", 219_342)],
    },
];

const PIP: &[Package] = &[
    Package {
        name: "flask",
        version: "3.1.0",
        deps: &["werkzeug", "jinja2"],
        files: &[("{py}/flask", 102_000)],
    },
    Package {
        name: "werkzeug",
        version: "3.1.3",
        deps: &[],
        files: &[("{py}/werkzeug", 1_020_000)],
    },
    Package {
        name: "jinja2",
        version: "3.1.5",
        deps: &[],
        files: &[("{py}/jinja2", 796_000)],
    },
    Package {
        name: "requests",
        version: "2.32.3",
        deps: &[],
        files: &[("{py}/requests", 64_900)],
    },
    Package {
        name: "numpy",
        version: "2.2.1",
        deps: &[],
        files: &[("{py}/numpy", 63_800_000)],
    },
    Package {
        name: "django",
        version: "5.1.4",
        deps: &[],
        files: &[("{py}/django", 34_600_000)],
    },
];

/// Runs a package manager if `program` is one.
pub(super) fn run(r: &mut Run, program: &str, args: &[String]) -> Option<i32> {
    Some(match program {
        "apt-get" | "apt" => apt(r, args),
        "apk" => apk(r, args),
        "pip" | "pip3" => pip(r, args),
        _ => return None,
    })
}

fn seed(name: &str) -> u64 {
    name.bytes()
        .fold(0x9e37_79b9, |h, b| splitmix64(h ^ u64::from(b)))
}

/// Writes a described file, creating its directory.
fn put(r: &mut Run, path: &str, size: u64) {
    if let Some((dir, _)) = path.rsplit_once('/') {
        if !dir.is_empty() {
            if let Ok(ev) = r.fs.mkdir_all(dir, DIR_MODE) {
                r.events.extend(ev);
            }
        }
    }
    if let Ok(ev) = r.fs.write_content(
        path,
        Content::described(size, seed(path)),
        WriteMode::Truncate,
    ) {
        r.events.extend(ev);
    }
}

fn append(r: &mut Run, path: &str, text: &str) {
    let _ = r.write_file(path, Content::bytes(text), WriteMode::Append);
}

/// A package name no catalogue has (a dependency's included).
struct NoSuchPackage(String);

/// The packages to install with their dependencies, dependencies first, or the unknown name.
fn resolve<'c>(
    catalog: &'c [Package],
    names: &[String],
) -> Result<Vec<&'c Package>, NoSuchPackage> {
    let mut out: Vec<&Package> = Vec::new();
    fn visit<'c>(
        catalog: &'c [Package],
        name: &str,
        out: &mut Vec<&'c Package>,
    ) -> Result<(), NoSuchPackage> {
        let p = catalog
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| NoSuchPackage(name.to_owned()))?;
        if out.iter().any(|q| q.name == p.name) {
            return Ok(());
        }
        for d in p.deps {
            visit(catalog, d, out)?;
        }
        out.push(p);
        Ok(())
    }
    for n in names {
        let base = n
            .split(['=', '<', '>'])
            .next()
            .unwrap_or(n)
            .to_ascii_lowercase();
        visit(catalog, &base, &mut out)?;
    }
    Ok(out)
}

fn size(p: &Package) -> u64 {
    p.files.iter().map(|(_, s)| s).sum()
}

fn os_id(r: &mut Run) -> String {
    let text =
        r.fs.read("/etc/os-release")
            .map(|(c, _)| String::from_utf8_lossy(&c.to_vec()).into_owned())
            .unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("ID="))
        .unwrap_or("debian")
        .trim_matches('"')
        .to_owned()
}

const LISTS: &str = "/var/lib/apt/lists";

fn apt(r: &mut Run, args: &[String]) -> i32 {
    let yes = args
        .iter()
        .any(|a| matches!(a.as_str(), "-y" | "--yes" | "-qy" | "-yq" | "--assume-yes"));
    let words: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let Some(cmd) = words.first() else {
        r.stdout("apt 2.6.1 (amd64)\nUsage: apt-get [options] command\n");
        return 0;
    };
    let (host, suite) = if os_id(r) == "ubuntu" {
        ("archive.ubuntu.com/ubuntu", "vivid")
    } else {
        ("deb.debian.org/debian", "bookworm")
    };
    let lists = [
        (
            format!("{}_dists_{suite}_InRelease", host.replace('/', "_")),
            151_471,
        ),
        (
            format!(
                "{}_dists_{suite}_main_binary-amd64_Packages",
                host.replace('/', "_")
            ),
            44_926_112,
        ),
        (
            format!(
                "{}_dists_{suite}-updates_main_binary-amd64_Packages",
                host.replace('/', "_")
            ),
            211_042,
        ),
    ];
    match cmd.as_str() {
        "update" => {
            for (i, (name, bytes)) in lists.iter().enumerate() {
                r.stdout(format!(
                    "Get:{} http://{host} {suite} {} [{} kB]\n",
                    i + 1,
                    name.rsplit('_').next().unwrap_or(""),
                    bytes / 1000
                ));
                put(r, &format!("{LISTS}/{name}"), *bytes);
            }
            let total: u64 = lists.iter().map(|(_, b)| b).sum();
            r.stdout(format!(
                "Fetched {} kB in 2s ({} kB/s)\nReading package lists...\n",
                total / 1000,
                total / 2000
            ));
            0
        }
        "install" => apt_install(r, &words, yes, host, suite),
        "clean" | "autoclean" => {
            for dir in ["/var/cache/apt/archives"] {
                for s in r.fs.read_dir(dir).unwrap_or_default() {
                    if s.path.name().ends_with(".deb") {
                        if let Ok(ev) = r.fs.unlink(&s.path.to_string()) {
                            r.events.extend(ev);
                        }
                    }
                }
            }
            0
        }
        "upgrade" | "dist-upgrade" | "autoremove" => {
            r.stdout("Reading package lists...\nBuilding dependency tree...\nReading state information...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
            0
        }
        "remove" | "purge" => {
            r.stderr(format!("E: {}", note::text(NoteKey::RemovePackages, &[])));
            100
        }
        other => {
            r.stderr(format!("E: Invalid operation {other}"));
            100
        }
    }
}

/// `apt-get install [-y] PACKAGE…` (`words` from `install` on): needs the lists `apt-get update` fetched;
/// writes each package's files and its entry in dpkg's status.
fn apt_install(r: &mut Run, words: &[&String], yes: bool, host: &str, suite: &str) -> i32 {
    let names: Vec<String> = words[1..].iter().map(|s| s.to_string()).collect();
    r.stdout(
        "Reading package lists...\nBuilding dependency tree...\nReading state information...\n",
    );
    let have_lists =
        r.fs.read_dir(LISTS)
            .map(|d| d.iter().any(|s| matches!(s.node, Node::File { .. })))
            .unwrap_or(false);
    let pkgs = match resolve(APT, &names) {
        Ok(p) if have_lists => p,
        Ok(_) | Err(_) => {
            let missing = match resolve(APT, &names) {
                Err(NoSuchPackage(n)) => n,
                Ok(_) => names.first().cloned().unwrap_or_default(),
            };
            r.stderr(format!("E: Unable to locate package {missing}"));
            if !have_lists {
                r.stderr(
                    "(the package lists are empty: run apt-get update first, in the same RUN)",
                );
            }
            return 100;
        }
    };
    let pkgs: Vec<&Package> = pkgs
        .into_iter()
        .filter(|p| !installed(r, "/var/lib/dpkg/status", p.name))
        .collect();
    if pkgs.is_empty() {
        r.stdout("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
        return 0;
    }
    let total: u64 = pkgs.iter().map(|p| size(p)).sum();
    r.stdout("The following NEW packages will be installed:\n");
    r.stdout(format!(
        "  {}\n",
        pkgs.iter().map(|p| p.name).collect::<Vec<_>>().join(" ")
    ));
    r.stdout(format!(
        "0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.\n",
        pkgs.len()
    ));
    r.stdout(format!("Need to get {} kB of archives.\n", total / 3000));
    r.stdout(format!(
        "After this operation, {} kB of additional disk space will be used.\n",
        total / 1000
    ));
    if !yes {
        r.stdout("Do you want to continue? [Y/n] Abort.\n");
        return 1;
    }
    for (i, p) in pkgs.iter().enumerate() {
        r.stdout(format!(
            "Get:{} http://{host} {suite}/main amd64 {} amd64 {} [{} kB]\n",
            i + 1,
            p.name,
            p.version,
            size(p) / 3000
        ));
    }
    for p in &pkgs {
        r.stdout(format!(
            "Selecting previously unselected package {}.\nUnpacking {} ({}) ...\n",
            p.name, p.name, p.version
        ));
        for (path, bytes) in p.files {
            put(r, path, *bytes);
        }
        append(
            r,
            "/var/lib/dpkg/status",
            &format!(
                "Package: {}\nStatus: install ok installed\nVersion: {}\n\n",
                p.name, p.version
            ),
        );
    }
    for p in &pkgs {
        r.stdout(format!("Setting up {} ({}) ...\n", p.name, p.version));
    }
    0
}

fn installed(r: &mut Run, db: &str, name: &str) -> bool {
    let Ok((c, _)) = r.fs.read(db) else {
        return false;
    };
    if c.is_described() {
        return false;
    }
    let text = String::from_utf8_lossy(&c.to_vec()).into_owned();
    text.lines()
        .any(|l| l == format!("Package: {name}") || l == format!("P:{name}"))
}

fn apk(r: &mut Run, args: &[String]) -> i32 {
    let no_cache = args.iter().any(|a| a == "--no-cache");
    let words: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let Some(cmd) = words.first() else {
        r.stdout("apk-tools 2.14.6, compiled for x86_64.\n\nusage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n");
        return 1;
    };
    let indexes = [
        ("main", "APKINDEX.0b8ba7a6.tar.gz", 2_434_017u64),
        ("community", "APKINDEX.4e9c7a5d.tar.gz", 922_412),
    ];
    let fetch = |r: &mut Run| {
        for (repo, file, bytes) in indexes {
            r.stdout(format!(
                "fetch https://dl-cdn.alpinelinux.org/alpine/v3.21/{repo}/x86_64/APKINDEX.tar.gz\n"
            ));
            if !no_cache {
                put(r, &format!("/var/cache/apk/{file}"), bytes);
            }
        }
    };
    match cmd.as_str() {
        "update" => {
            fetch(r);
            r.stdout("v3.21.2-17-g0a8ee8fe [https://dl-cdn.alpinelinux.org/alpine/v3.21/main]\nOK: 25258 distinct packages available\n");
            0
        }
        "add" => {
            let names: Vec<String> = words[1..].iter().map(|s| s.to_string()).collect();
            fetch(r);
            let pkgs = match resolve(APK, &names) {
                Ok(p) => p,
                Err(NoSuchPackage(name)) => {
                    r.stderr("ERROR: unable to select packages:");
                    r.stderr(format!("  {name} (no such package):"));
                    r.stderr(format!("    required by: world[{name}]"));
                    return 1;
                }
            };
            let n = pkgs.len();
            for (i, p) in pkgs.iter().enumerate() {
                r.stdout(format!(
                    "({}/{n}) Installing {} ({})\n",
                    i + 1,
                    p.name,
                    p.version
                ));
                for (path, bytes) in p.files {
                    put(r, path, *bytes);
                }
                append(
                    r,
                    "/lib/apk/db/installed",
                    &format!("P:{}\nV:{}\n\n", p.name, p.version),
                );
                append(r, "/etc/apk/world", &format!("{}\n", p.name));
            }
            let total: u64 = pkgs.iter().map(|p| size(p)).sum::<u64>() + 7_500_000;
            r.stdout(format!("OK: {} MiB in {} packages\n", total >> 20, 15 + n));
            0
        }
        "del" => {
            r.stderr(format!(
                "ERROR: {}",
                note::text(NoteKey::RemovePackages, &[])
            ));
            1
        }
        other => {
            r.stderr(format!("apk: applet '{other}' not found"));
            1
        }
    }
}

fn pip(r: &mut Run, args: &[String]) -> i32 {
    let no_cache = args
        .iter()
        .any(|a| a == "--no-cache-dir" || a == "--no-cache");
    let words: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if words.first().map(|s| s.as_str()) != Some("install") {
        r.stderr("ERROR: only 'pip install' is simulated");
        return 1;
    }
    let site = [
        "/usr/local/lib/python3.13",
        "/usr/lib/python3.12",
        "/usr/lib/python3.11",
    ]
    .into_iter()
    .find(|d| r.fs.stat(d).is_ok())
    .map(|d| format!("{d}/site-packages"))
    .unwrap_or_else(|| "/usr/local/lib/python3/site-packages".into());
    let names: Vec<String> = words[1..].iter().map(|s| s.to_string()).collect();
    if names.is_empty() {
        r.stderr(
            "ERROR: You must give at least one requirement to install (see \"pip help install\")",
        );
        return 1;
    }
    let pkgs = match resolve(PIP, &names) {
        Ok(p) => p,
        Err(NoSuchPackage(name)) => {
            r.stderr(format!("ERROR: Could not find a version that satisfies the requirement {name} (from versions: none)"));
            r.stderr(format!("ERROR: No matching distribution found for {name}"));
            return 1;
        }
    };
    for p in &pkgs {
        let bytes = size(p);
        r.stdout(format!(
            "Collecting {}\n  Downloading {}-{}-py3-none-any.whl ({} kB)\n",
            p.name,
            p.name,
            p.version,
            bytes / 3000
        ));
        for (path, b) in p.files {
            put(r, &path.replace("{py}", &site), *b);
        }
        if !no_cache {
            put(
                r,
                &format!("/root/.cache/pip/http-v2/{}/{}.body", &p.name[..1], p.name),
                bytes / 3,
            );
        }
    }
    let list: Vec<String> = pkgs
        .iter()
        .map(|p| format!("{}-{}", p.name, p.version))
        .collect();
    r.stdout(format!(
        "Installing collected packages: {}\nSuccessfully installed {}\n",
        pkgs.iter().map(|p| p.name).collect::<Vec<_>>().join(", "),
        list.join(" ")
    ));
    0
}
