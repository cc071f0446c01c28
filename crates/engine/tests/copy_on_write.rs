//! Copy-on-write in a container's file system, written as data: lower layers
//! as a fixture, a script of operations, and the expected events, errors and
//! writable layer. The cases follow the kernel overlayfs observations in the
//! oracles reference (§1).

use expect_test::{expect, Expect};
use layerlab_engine::diff::Diff;
use layerlab_engine::fixture::{parse_layers, render_diff, render_events, render_tree};
use layerlab_engine::layer::{Layer, LayerId};
use layerlab_engine::lower::Lower;
use layerlab_engine::merged::{Merged, WriteMode};
use std::rc::Rc;

fn container(fixture: &str) -> Merged {
    let diffs = parse_layers(fixture, 100).expect("valid fixture");
    let layers = diffs
        .into_iter()
        .enumerate()
        .map(|(i, d): (usize, Diff)| Rc::new(Layer::new(LayerId(i as u64 + 1), d)))
        .collect();
    let mut m = Merged::new(Rc::new(Lower::new(layers)));
    m.set_time(200);
    m
}

/// Runs one operation per line (`write P TEXT`, `append P TEXT`, `append-big P N`,
/// `read P`, `rm P`, `rm-r P`, `rmdir P`, `mkdir P`, `mkdir-p P`, `mv A B`, `rename A B`,
/// `ln A B`, `ln-s T P`, `chmod MODE P`, `chown U:G P`, `touch P`, `truncate P N`, `cp A B`)
/// and renders what each did, then the writable layer.
fn run(m: &mut Merged, script: &str) -> String {
    let mut out = String::new();
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let w: Vec<&str> = line.splitn(3, ' ').collect();
        let a = |i: usize| w.get(i).copied().unwrap_or("");
        out.push_str(&format!("> {line}\n"));
        let result = match a(0) {
            "write" => m.write(a(1), a(2).as_bytes(), WriteMode::Truncate),
            "append" => m.write(a(1), a(2).as_bytes(), WriteMode::Append),
            "read" => m.read(a(1)).map(|(c, e)| {
                out.push_str(&format!(
                    "  content: {:?}\n",
                    String::from_utf8_lossy(&c.head(40))
                ));
                e
            }),
            "rm" => m.unlink(a(1)),
            "rm-r" => m.remove_tree(a(1)),
            "rmdir" => m.rmdir(a(1)),
            "mkdir" => m.mkdir(a(1), 0o755),
            "mkdir-p" => m.mkdir_all(a(1), 0o755),
            "mv" => m.move_path(a(1), a(2)),
            "rename" => m.rename(a(1), a(2)),
            "ln" => m.link(a(1), a(2)),
            "ln-s" => m.symlink(a(1), a(2)),
            "chmod" => m.chmod(a(2), u32::from_str_radix(a(1), 8).expect("octal")),
            "chown" => {
                let (u, g) = a(1).split_once(':').expect("U:G");
                m.chown(a(2), u.parse().expect("uid"), g.parse().expect("gid"), true)
            }
            "touch" => m.touch(a(1)),
            "truncate" => m.truncate(a(1), a(2).parse().expect("size")),
            "cp" => m.copy_tree(a(1), a(2)),
            other => panic!("unknown test operation {other}"),
        };
        match result {
            Ok(events) => out.push_str(
                &render_events(&events)
                    .lines()
                    .map(|l| format!("  {l}\n"))
                    .collect::<String>(),
            ),
            Err(e) => out.push_str(&format!("  error: {} ({})\n", e, e.errno.name())),
        }
    }
    out.push_str("upper:\n");
    out.push_str(&render_diff(m.upper()));
    out
}

fn check(fixture: &str, script: &str, expect: Expect) {
    let mut m = container(fixture);
    expect.assert_eq(&run(&mut m, script));
}

const BASE: &str = "
d /etc 755
f /etc/hostname 644 base
f /etc/passwd 644 root:x:0:0
F /usr/lib/libbig.so 755 1048576
d /var/cache/apt 755
f /var/cache/apt/pkgcache.bin 644 cache-1
---
f /etc/hostname 644 web
f /var/cache/apt/srcpkgcache.bin 644 cache-2
";

#[test]
fn reading_copies_nothing_and_names_the_layer_that_served_it() {
    check(
        BASE,
        "read /etc/hostname\nread /etc/passwd",
        expect![[r#"
        > read /etc/hostname
          content: "web"
          read /etc/hostname (3 B) from layer 2
        > read /etc/passwd
          content: "root:x:0:0"
          read /etc/passwd (10 B) from layer 1
        upper:
    "#]],
    );
}

#[test]
fn appending_one_byte_copies_the_whole_file_up_first() {
    check(
        BASE,
        "append /usr/lib/libbig.so !\nappend /usr/lib/libbig.so ?",
        expect![[r#"
        > append /usr/lib/libbig.so !
          copy-up dir /usr from layer 1 (metadata only)
          copy-up dir /usr/lib from layer 1 (metadata only)
          copy-up /usr/lib/libbig.so from layer 1: 1048576 B
          write /usr/lib/libbig.so: now 1048577 B
        > append /usr/lib/libbig.so ?
          write /usr/lib/libbig.so: now 1048578 B
        upper:
        d /usr 755
        d /usr/lib 755
        f /usr/lib/libbig.so 755 <1048578 bytes>
    "#]],
    );
}

#[test]
fn chmod_copies_data_and_metadata_up() {
    check(
        BASE,
        "chmod 600 /etc/passwd\nchown 1000:1000 /etc/hostname",
        expect![[r#"
        > chmod 600 /etc/passwd
          copy-up dir /etc from layer 2 (metadata only)
          copy-up /etc/passwd from layer 1: 10 B
          metadata /etc/passwd
        > chown 1000:1000 /etc/hostname
          copy-up /etc/hostname from layer 2: 3 B
          metadata /etc/hostname
        upper:
        d /etc 755
        f /etc/hostname 644 "web"
        f /etc/passwd 600 "root:x:0:0"
    "#]],
    );
}

#[test]
fn deleting_a_lower_file_leaves_a_whiteout_and_an_upper_file_just_goes() {
    check(
        BASE,
        "rm /etc/passwd\nwrite /etc/new hello\nrm /etc/new\nread /etc/passwd",
        expect![[r#"
        > rm /etc/passwd
          copy-up dir /etc from layer 2 (metadata only)
          whiteout /etc/passwd
        > write /etc/new hello
          create file /etc/new (5 B)
        > rm /etc/new
          remove /etc/new (writable layer only)
        > read /etc/passwd
          error: /etc/passwd: No such file or directory (ENOENT)
        upper:
        d /etc 755
        w /etc/passwd
    "#]],
    );
}

#[test]
fn removing_a_tree_that_spans_two_layers_leaves_one_whiteout() {
    check(
        BASE,
        "rm-r /var/cache\nread /var/cache/apt/pkgcache.bin",
        expect![[r#"
        > rm-r /var/cache
          copy-up dir /var from layer 2 (metadata only)
          whiteout /var/cache
        > read /var/cache/apt/pkgcache.bin
          error: /var/cache/apt/pkgcache.bin: No such file or directory (ENOENT)
        upper:
        d /var 755
        w /var/cache
    "#]],
    );
}

#[test]
fn a_directory_recreated_over_a_whiteout_is_opaque() {
    let mut m = container(BASE);
    let script = "rm-r /var/cache/apt\nmkdir /var/cache/apt\nwrite /var/cache/apt/new x";
    let mut out = run(&mut m, script);
    out.push_str("merged /var/cache:\n");
    let under: Vec<_> = m
        .walk()
        .into_iter()
        .filter(|s| s.path.to_string().starts_with("/var/cache"))
        .collect();
    out.push_str(&render_tree(&under));
    expect![[r#"
        > rm-r /var/cache/apt
          copy-up dir /var from layer 2 (metadata only)
          copy-up dir /var/cache from layer 2 (metadata only)
          whiteout /var/cache/apt
        > mkdir /var/cache/apt
          create dir /var/cache/apt (0 B)
          opaque dir /var/cache/apt
        > write /var/cache/apt/new x
          create file /var/cache/apt/new (1 B)
        upper:
        d /var 755
        d /var/cache 755
        o /var/cache/apt 755
        f /var/cache/apt/new 644 "x"
        merged /var/cache:
        d /var/cache 755 [upper]
        d /var/cache/apt 755 [upper]
        f /var/cache/apt/new 644 "x" [upper]
    "#]]
    .assert_eq(&out);
}

#[test]
fn renaming_a_lower_directory_fails_and_mv_copies_then_deletes() {
    check(
        BASE,
        "rename /var/cache /var/cache2\nmv /var/cache /var/cache2",
        expect![[r#"
        > rename /var/cache /var/cache2
          error: /var/cache: Invalid cross-device link (EXDEV)
        > mv /var/cache /var/cache2
          copy-up dir /var from layer 2 (metadata only)
          create dir /var/cache2 (0 B)
          create dir /var/cache2/apt (0 B)
          create file /var/cache2/apt/pkgcache.bin (7 B)
          create file /var/cache2/apt/srcpkgcache.bin (7 B)
          whiteout /var/cache
        upper:
        d /var 755
        w /var/cache
        d /var/cache2 755
        d /var/cache2/apt 755
        f /var/cache2/apt/pkgcache.bin 644 "cache-1"
        f /var/cache2/apt/srcpkgcache.bin 644 "cache-2"
    "#]],
    );
}

#[test]
fn renaming_a_lower_file_copies_it_up_and_whites_out_the_old_name() {
    check(
        BASE,
        "mv /etc/passwd /etc/passwd.old",
        expect![[r#"
        > mv /etc/passwd /etc/passwd.old
          copy-up dir /etc from layer 2 (metadata only)
          copy-up /etc/passwd from layer 1: 10 B
          rename /etc/passwd -> /etc/passwd.old
          whiteout /etc/passwd
        upper:
        d /etc 755
        w /etc/passwd
        f /etc/passwd.old 644 "root:x:0:0"
    "#]],
    );
}

#[test]
fn a_hard_link_to_a_lower_file_copies_it_up_first() {
    check(
        BASE,
        "ln /etc/passwd /etc/passwd2\nappend /etc/passwd2 !\nread /etc/passwd",
        expect![[r#"
        > ln /etc/passwd /etc/passwd2
          copy-up dir /etc from layer 2 (metadata only)
          copy-up /etc/passwd from layer 1: 10 B
          hard link /etc/passwd2 -> /etc/passwd
        > append /etc/passwd2 !
          write /etc/passwd2: now 11 B
        > read /etc/passwd
          content: "root:x:0:0!"
          read /etc/passwd (11 B) from writable layer
        upper:
        d /etc 755
        f /etc/passwd 644 "root:x:0:0!" (inode 1, 2 links)
        f /etc/passwd2 644 "root:x:0:0!" (inode 1, 2 links)
    "#]],
    );
}

#[test]
fn a_new_directory_is_not_opaque_but_goes_opaque_when_moved_into_a_merged_directory() {
    check(
        BASE,
        "mkdir /srv\nwrite /srv/a 1\nrename /srv /data\nread /data/a",
        expect![[r#"
            > mkdir /srv
              create dir /srv (0 B)
            > write /srv/a 1
              create file /srv/a (1 B)
            > rename /srv /data
              rename /srv -> /data
              opaque dir /data
            > read /data/a
              content: "1"
              read /data/a (1 B) from writable layer
            upper:
            o /data 755
            f /data/a 644 "1"
        "#]],
    );
}

#[test]
fn errors_are_named_after_errno() {
    let long = "x".repeat(256);
    let script = format!(
        "read /nope\nwrite /etc x\nrmdir /etc\nmkdir /etc\nln-s /loop1 /loop2\nln-s /loop2 /loop1\nread /loop1\n\
         read /etc/passwd/x\nwrite /{long} x\nln /etc /etc2\nrename /srv /srv/inner\nmkdir /srv\nrename /srv /srv/inner\n\
         rm /etc\nrmdir /etc/passwd\nrm /missing/file\nrm-r /"
    );
    check(
        BASE,
        &script,
        expect![[r#"
        > read /nope
          error: /nope: No such file or directory (ENOENT)
        > write /etc x
          error: /etc: Is a directory (EISDIR)
        > rmdir /etc
          error: /etc: Directory not empty (ENOTEMPTY)
        > mkdir /etc
          error: /etc: File exists (EEXIST)
        > ln-s /loop1 /loop2
          create symlink /loop2 (6 B)
        > ln-s /loop2 /loop1
          create symlink /loop1 (6 B)
        > read /loop1
          error: /loop1: Too many levels of symbolic links (ELOOP)
        > read /etc/passwd/x
          error: /etc/passwd/x: Not a directory (ENOTDIR)
        > write /xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx x
          error: /xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…: File name too long (ENAMETOOLONG)
        > ln /etc /etc2
          error: /etc: Operation not permitted (EPERM)
        > rename /srv /srv/inner
          error: /srv: No such file or directory (ENOENT)
        > mkdir /srv
          create dir /srv (0 B)
        > rename /srv /srv/inner
          error: /srv/inner: Invalid argument (EINVAL)
        > rm /etc
          error: /etc: Is a directory (EISDIR)
        > rmdir /etc/passwd
          error: /etc/passwd: Not a directory (ENOTDIR)
        > rm /missing/file
          error: /missing/file: No such file or directory (ENOENT)
        > rm-r /
          error: /: Device or resource busy (EBUSY)
        upper:
        l /loop1 /loop2
        l /loop2 /loop1
        d /srv 755
    "#]],
    );
}

#[test]
fn symlinks_resolve_relative_and_absolute_and_never_escape_the_root() {
    let fixture = "
f /etc/os-release 644 ID=ubuntu
l /usr/lib/os-release ../../etc/os-release
l /bin /usr/bin
d /usr/bin 755
f /usr/bin/sh 755 #!sh
l /up ../../../../etc/os-release
";
    check(
        fixture,
        "read /usr/lib/os-release\nread /bin/sh\nread /up\nwrite /bin/new x",
        expect![[r##"
        > read /usr/lib/os-release
          content: "ID=ubuntu"
          read /etc/os-release (9 B) from layer 1
        > read /bin/sh
          content: "#!sh"
          read /usr/bin/sh (4 B) from layer 1
        > read /up
          content: "ID=ubuntu"
          read /etc/os-release (9 B) from layer 1
        > write /bin/new x
          copy-up dir /usr from layer 1 (metadata only)
          copy-up dir /usr/bin from layer 1 (metadata only)
          create file /usr/bin/new (1 B)
        upper:
        d /usr 755
        d /usr/bin 755
        f /usr/bin/new 644 "x"
    "##]],
    );
}

#[test]
fn truncate_touch_and_copy() {
    check(
        BASE,
        "truncate /etc/passwd 4\ntouch /etc/hostname\ntouch /etc/fresh\ncp /etc /etc.bak",
        expect![[r#"
        > truncate /etc/passwd 4
          copy-up dir /etc from layer 2 (metadata only)
          copy-up /etc/passwd from layer 1: 10 B
          write /etc/passwd: now 4 B
        > touch /etc/hostname
          copy-up /etc/hostname from layer 2: 3 B
          metadata /etc/hostname
        > touch /etc/fresh
          create file /etc/fresh (0 B)
        > cp /etc /etc.bak
          create dir /etc.bak (0 B)
          create file /etc.bak/fresh (0 B)
          create file /etc.bak/hostname (3 B)
          create file /etc.bak/passwd (4 B)
        upper:
        d /etc 755
        f /etc/fresh 644 ""
        f /etc/hostname 644 "web"
        f /etc/passwd 644 "root"
        d /etc.bak 755
        f /etc.bak/fresh 644 ""
        f /etc.bak/hostname 644 "web"
        f /etc.bak/passwd 644 "root"
    "#]],
    );
}

#[test]
fn a_containers_hosts_hostname_and_resolv_conf_are_bind_mounts() {
    let mut s = layerlab_engine::command::Session::new();
    let mut out = String::new();
    for line in [
        "docker pull busybox",
        "docker run -d --name c1 busybox sleep 1000",
        "docker exec c1 sh -c 'echo 10.0.0.1 db >> /etc/hosts'",
        "docker exec c1 rm /etc/hostname",
        "docker exec c1 mv /etc/resolv.conf /tmp/r",
        "docker diff c1",
        "docker ps -s",
        "docker commit c1 img",
        "docker history img",
    ] {
        let t = s.run(line);
        if line.starts_with("docker pull") {
            continue;
        }
        out.push_str(&format!("$ {line}\n{}", t.text()));
        if t.status != 0 {
            out.push_str(&format!("[exit {}]\n", t.status));
        }
    }
    expect![[r#"
        $ docker run -d --name c1 busybox sleep 1000
        443a3bdb933ee5e4dbb4991fc0b9e6ee2e02eb69872e8e3ed55be14432b7bfd2
        $ docker exec c1 sh -c 'echo 10.0.0.1 db >> /etc/hosts'
        $ docker exec c1 rm /etc/hostname
        rm: can't remove '/etc/hostname': Device or resource busy
        [exit 1]
        $ docker exec c1 mv /etc/resolv.conf /tmp/r
        mv: can't rename '/etc/resolv.conf': Device or resource busy
        [exit 1]
        $ docker diff c1
        $ docker ps -s
        CONTAINER ID   IMAGE     COMMAND        CREATED         STATUS         PORTS     NAMES     SIZE
        443a3bdb933e   busybox   "sleep 1000"   5 seconds ago   Up 5 seconds             c1        0B (virtual 4.26MB)
        $ docker commit c1 img
        sha256:479ac307d93c622026389a8aadc71b3ffde2e9740195e26271bc30d52122ed23
        $ docker history img
        IMAGE          CREATED         CREATED BY                        SIZE      COMMENT
        479ac307d93c   1 second ago    sleep 1000                        0B        
        1f58d96045ca   15 months ago   CMD ["sh"]                        0B        buildkit.dockerfile.v0
        <missing>      15 months ago   ADD busybox.tar.xz / # buildkit   4.26MB    buildkit.dockerfile.v0
    "#]].assert_eq(&out);
}
