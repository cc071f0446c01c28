//! The programs the shell can run, with GNU coreutils' options and messages
//! (the teaching images are Debian, Ubuntu and busybox; messages follow GNU).
//! Each takes its arguments and stdin, writes through the `Run`, and returns
//! an exit status.

use super::Run;
use crate::content::{splitmix64, Content};
use crate::merged::{Merged, Node, Stat, WriteMode, DIR_MODE};

type Program = fn(&mut Run, &[String], Content) -> i32;

/// Runs `program` if it is simulated.
pub(super) fn run(r: &mut Run, program: &str, args: &[String], stdin: Content) -> Option<i32> {
    program_named(program).map(|f| f(r, args, stdin))
}

/// The simulation of `program`, if there is one.
pub(super) fn program_named(program: &str) -> Option<Program> {
    let f: Program = match program {
        "cat" => cat,
        "touch" => touch,
        "mkdir" => mkdir,
        "rm" => rm,
        "rmdir" => rmdir,
        "cp" => cp,
        "mv" => mv,
        "ln" => ln,
        "chmod" => chmod,
        "chown" => chown,
        "ls" => ls,
        "head" => |r, a, i| head_tail(r, "head", a, i),
        "tail" => |r, a, i| head_tail(r, "tail", a, i),
        "wc" => wc,
        "grep" => grep,
        "sed" => sed,
        "tee" => tee,
        "env" | "printenv" => env,
        "dd" => dd,
        "truncate" => truncate,
        "du" => du,
        "tar" => super::tar::tar,
        "which" => which,
        "sleep" | "sync" => |_, _, _| 0,
        "echo" => |r, a, _| {
            let mut stop = false;
            let text = escapes(&a.join(" "), &mut stop);
            r.stdout(format!("{text}\n"));
            0
        },
        "true" => |_, _, _| 0,
        "false" => |_, _, _| 1,
        "printf" => |r, a, _| printf(r, a),
        "test" | "[" => |r, a, _| test(r, "test", a),
        "pwd" => |r, _, _| {
            let cwd = r.sh.cwd.clone();
            r.stdout(format!("{cwd}\n"));
            0
        },
        "nproc" => |r, _, _| {
            r.stdout("2\n");
            0
        },
        "whoami" | "id" => |r, a, _| {
            r.stdout(if a.is_empty() { "root\n" } else { "0\n" });
            0
        },
        "hostname" => |r, _, _| {
            let h = r.var("HOSTNAME").unwrap_or_else(|| "localhost".into());
            r.stdout(format!("{h}\n"));
            0
        },
        _ => return None,
    };
    Some(f)
}

/// Splits `-abc` style options from operands; `--` ends options.
fn options(args: &[String]) -> (String, Vec<String>) {
    let mut flags = String::new();
    let mut operands = Vec::new();
    let mut done = false;
    for a in args {
        if !done && a == "--" {
            done = true;
        } else if !done && a.starts_with('-') && a.len() > 1 && !a.starts_with("--") {
            flags.push_str(&a[1..]);
        } else if !done && a.starts_with("--") {
            flags.push_str(match a.as_str() {
                "--recursive" => "r",
                "--force" => "f",
                "--parents" => "p",
                "--all" => "a",
                "--symbolic" => "s",
                "--archive" => "a",
                "--quiet" | "--silent" => "q",
                _ => "",
            });
        } else {
            operands.push(a.clone());
        }
    }
    (flags, operands)
}

fn missing_operand(r: &mut Run, prog: &str) -> i32 {
    r.stderr(format!("{prog}: missing operand"));
    r.stderr(format!("Try '{prog} --help' for more information."));
    1
}

/// Inputs: the named files, or stdin when none (or `-`).
fn inputs(
    r: &mut Run,
    prog: &str,
    files: &[String],
    stdin: &Content,
    open_msg: bool,
) -> (Vec<(String, Content)>, i32) {
    if files.is_empty() {
        return (vec![("-".into(), stdin.clone())], 0);
    }
    let mut out = Vec::new();
    let mut status = 0;
    for f in files {
        if f == "-" {
            out.push((f.clone(), stdin.clone()));
            continue;
        }
        match r.read_file(f) {
            Ok(c) => out.push((f.clone(), c)),
            Err(e) => {
                if open_msg {
                    r.stderr(format!("{prog}: cannot open '{f}' for reading: {e}"));
                } else {
                    r.stderr(format!("{prog}: {f}: {e}"));
                }
                status = 1;
            }
        }
    }
    (out, status)
}

/// Text of a content, refusing to materialise huge described files.
fn text_of(r: &mut Run, prog: &str, name: &str, c: &Content) -> Option<String> {
    if c.len() > 8 << 20 {
        r.stderr(format!(
            "{prog}: {name}: a {} byte file is described, not stored, in this simulator; {prog} reads files up to 8 MiB",
            c.len()
        ));
        return None;
    }
    Some(String::from_utf8_lossy(&c.to_vec()).into_owned())
}

fn cat(r: &mut Run, args: &[String], stdin: Content) -> i32 {
    let (_, files) = options(args);
    let (ins, status) = inputs(r, "cat", &files, &stdin, false);
    for (_, c) in ins {
        r.stdout_content(c);
    }
    status
}

/// Applies a file-system operation to each path, reporting failures as
/// `PROG: WHAT 'PATH': REASON` (status 1) and keeping the events of the others.
fn each_path(
    r: &mut Run,
    prog: &str,
    what: &str,
    paths: Vec<String>,
    op: impl Fn(&mut Merged, &str) -> Result<Vec<crate::event::Event>, crate::error::FsError>,
) -> i32 {
    if paths.is_empty() {
        return missing_operand(r, prog);
    }
    let mut status = 0;
    for p in paths {
        let abs = r.abs(&p);
        match op(r.fs, &abs) {
            Ok(ev) => r.events.extend(ev),
            Err(e) => {
                r.stderr(format!("{prog}: {what} '{p}': {}", e.errno.message()));
                status = 1;
            }
        }
    }
    status
}

fn touch(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (_, files) = options(args);
    each_path(r, "touch", "cannot touch", files, |fs, p| fs.touch(p))
}

fn mkdir(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, dirs) = options(args);
    let parents = flags.contains('p');
    each_path(r, "mkdir", "cannot create directory", dirs, |fs, p| {
        if parents {
            fs.mkdir_all(p, DIR_MODE)
        } else {
            fs.mkdir(p, DIR_MODE)
        }
    })
}

fn rm(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, files) = options(args);
    let recursive = flags.contains(['r', 'R']);
    let force = flags.contains('f');
    if files.is_empty() && !force {
        return missing_operand(r, "rm");
    }
    let mut status = 0;
    for f in files {
        let abs = r.abs(&f);
        if recursive && r.fs.lstat(&abs).is_ok_and(|s| s.path.is_root()) {
            r.stderr("rm: it is dangerous to operate recursively on '/'");
            r.stderr("rm: use --no-preserve-root to override this failsafe");
            status = 1;
            continue;
        }
        let res = match r.fs.lstat(&abs) {
            Ok(s) if matches!(s.node, Node::Dir { .. }) && !recursive => {
                r.stderr(format!("rm: cannot remove '{f}': Is a directory"));
                status = 1;
                continue;
            }
            Ok(_) => r.fs.remove_tree(&abs),
            Err(e) => Err(e),
        };
        match res {
            Ok(ev) => r.events.extend(ev),
            Err(_) if force => {}
            Err(e) => {
                r.stderr(format!("rm: cannot remove '{f}': {}", e.errno.message()));
                status = 1;
            }
        }
    }
    status
}

fn rmdir(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (_, dirs) = options(args);
    each_path(r, "rmdir", "failed to remove", dirs, |fs, p| fs.rmdir(p))
}

fn is_dir(r: &Run, abs: &str) -> bool {
    matches!(
        r.fs.stat(abs),
        Ok(Stat {
            node: Node::Dir { .. },
            ..
        })
    )
}

/// The destination of `cp`/`mv`/`ln` for one source: inside DEST if it is a directory.
fn destination(r: &Run, src: &str, dest: &str) -> String {
    let abs = r.abs(dest);
    if is_dir(r, &abs) {
        let name = src.trim_end_matches('/').rsplit('/').next().unwrap_or(src);
        format!("{}/{name}", abs.trim_end_matches('/'))
    } else {
        abs
    }
}

fn cp(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, mut ops) = options(args);
    let recursive = flags.contains(['r', 'R', 'a']);
    if ops.len() < 2 {
        return missing_operand(r, "cp");
    }
    let dest = ops.pop().unwrap_or_default();
    if ops.len() > 1 && !is_dir(r, &r.abs(&dest)) {
        r.stderr(format!("cp: target '{dest}' is not a directory"));
        return 1;
    }
    let mut status = 0;
    for src in ops {
        let abs_src = r.abs(&src);
        let stat = match r.fs.stat(&abs_src) {
            Ok(s) => s,
            Err(e) => {
                r.stderr(format!("cp: cannot stat '{src}': {}", e.errno.message()));
                status = 1;
                continue;
            }
        };
        let to = destination(r, &src, &dest);
        let res = match stat.node {
            Node::Dir { .. } if !recursive => {
                r.stderr(format!("cp: -r not specified; omitting directory '{src}'"));
                status = 1;
                continue;
            }
            Node::Dir { .. } => {
                if r.fs.lstat(&to).is_ok() {
                    // Merge into an existing directory: copy each child.
                    let children = r.fs.read_dir(&abs_src).unwrap_or_default();
                    let mut all = Ok(Vec::new());
                    for c in children {
                        let child = c.path.to_string();
                        let target = format!("{to}/{}", c.path.name());
                        let _ = r.fs.remove_tree(&target);
                        match r.fs.copy_tree(&child, &target) {
                            Ok(ev) => r.events.extend(ev),
                            Err(e) => all = Err(e),
                        }
                    }
                    all
                } else {
                    r.fs.copy_tree(&abs_src, &to)
                }
            }
            Node::File { content, meta } => {
                let res = r.fs.write_content(&to, content, WriteMode::Truncate);
                if res.is_ok() && flags.contains(['a', 'p']) {
                    let _ = r.fs.chmod(&to, meta.mode);
                }
                res
            }
            Node::Symlink { .. } => r.fs.copy_tree(&abs_src, &to),
        };
        match res {
            Ok(ev) => r.events.extend(ev),
            Err(e) => {
                r.stderr(format!(
                    "cp: cannot create regular file '{dest}': {}",
                    e.errno.message()
                ));
                status = 1;
            }
        }
    }
    status
}

fn mv(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (_, mut ops) = options(args);
    if ops.len() < 2 {
        return missing_operand(r, "mv");
    }
    let dest = ops.pop().unwrap_or_default();
    let mut status = 0;
    for src in ops {
        let abs_src = r.abs(&src);
        if let Err(e) = r.fs.lstat(&abs_src) {
            r.stderr(format!("mv: cannot stat '{src}': {}", e.errno.message()));
            status = 1;
            continue;
        }
        let to = destination(r, &src, &dest);
        match r.fs.move_path(&abs_src, &to) {
            Ok(ev) => r.events.extend(ev),
            Err(e) => {
                r.stderr(format!(
                    "mv: cannot move '{src}' to '{dest}': {}",
                    e.errno.message()
                ));
                status = 1;
            }
        }
    }
    status
}

fn ln(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, ops) = options(args);
    let (target, link) = match ops.as_slice() {
        [t, l] => (t.clone(), l.clone()),
        [t] => (t.clone(), t.rsplit('/').next().unwrap_or(t).to_owned()),
        _ => return missing_operand(r, "ln"),
    };
    let to = destination(r, &target, &link);
    if flags.contains('f') {
        let _ = r.fs.unlink(&to);
    }
    let res = if flags.contains('s') {
        r.fs.symlink(&target, &to)
    } else {
        r.fs.link(&r.abs(&target), &to)
    };
    match res {
        Ok(ev) => {
            r.events.extend(ev);
            0
        }
        Err(e) => {
            let kind = if flags.contains('s') {
                "symbolic link"
            } else {
                "hard link"
            };
            r.stderr(format!(
                "ln: failed to create {kind} '{link}': {}",
                e.errno.message()
            ));
            1
        }
    }
}

/// `chmod` modes: octal, or symbolic (`+x`, `u+rw`, `go-w`, `a=r`).
fn parse_mode(spec: &str, old: u32) -> Option<u32> {
    if let Ok(m) = u32::from_str_radix(spec, 8) {
        return (m <= 0o7777).then_some(m);
    }
    let mut mode = old;
    for clause in spec.split(',') {
        let at = clause.find(['+', '-', '='])?;
        let (who, rest) = clause.split_at(at);
        let op = rest.chars().next()?;
        let mut mask = 0;
        for w in if who.is_empty() {
            "a".chars()
        } else {
            who.chars()
        } {
            mask |= match w {
                'u' => 0o700,
                'g' => 0o070,
                'o' => 0o007,
                'a' => 0o777,
                _ => return None,
            };
        }
        let mut bits = 0;
        for p in rest[1..].chars() {
            bits |= match p {
                'r' => 0o444,
                'w' => 0o222,
                'x' => 0o111,
                _ => return None,
            };
        }
        let bits = bits & mask;
        mode = match op {
            '+' => mode | bits,
            '-' => mode & !bits,
            _ => (mode & !mask) | bits,
        };
    }
    Some(mode)
}

fn chmod(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (mut flags, mut ops) = (String::new(), Vec::new());
    for a in args {
        // `-x` is a mode, not a flag, once the flags are read.
        if a == "-R" {
            flags.push('R');
        } else {
            ops.push(a.clone());
        }
    }
    if ops.len() < 2 {
        return missing_operand(r, "chmod");
    }
    let spec = ops.remove(0);
    let mut status = 0;
    for f in ops {
        let abs = r.abs(&f);
        let found = match targets(r, &abs, flags.contains('R')) {
            Ok(found) => found,
            Err(e) => {
                r.stderr(format!("chmod: cannot access '{f}': {}", e.errno.message()));
                status = 1;
                continue;
            }
        };
        for t in found {
            let Some(mode) = parse_mode(&spec, t.node.meta().mode) else {
                r.stderr(format!("chmod: invalid mode: '{spec}'"));
                return 1;
            };
            let changed = match t.node {
                // A link found below follows to its target, by path.
                Node::Symlink { .. } => r.fs.chmod(&t.path.to_string(), mode),
                _ => r
                    .fs
                    .change_meta_found(&t, |m| m.mode = mode & 0o7777)
                    .ok_or_else(|| crate::error::FsError::new(crate::error::Errno::NotFound, &f)),
            };
            match changed {
                Ok(ev) => r.events.extend(ev),
                Err(e) => {
                    r.stderr(format!(
                        "chmod: changing permissions of '{f}': {}",
                        e.errno.message()
                    ));
                    status = 1;
                }
            }
        }
    }
    status
}

/// The lines of `/etc/passwd` or `/etc/group` in `fs`, split at `:`.
fn accounts(fs: &Merged, file: &str) -> Vec<Vec<String>> {
    let text = fs
        .read(file)
        .map(|(c, _)| String::from_utf8_lossy(&c.head(1 << 20)).into_owned())
        .unwrap_or_default();
    text.lines()
        .map(|l| l.split(':').map(str::to_owned).collect())
        .collect()
}

/// A user or group ID: a number as given, or a name from the image's own
/// `/etc/passwd` or `/etc/group` (as `chown` and COPY `--chown` read them).
pub(crate) fn account_id(fs: &Merged, file: &str, name: &str) -> Option<u32> {
    if let Ok(n) = name.parse() {
        return Some(n);
    }
    accounts(fs, file)
        .into_iter()
        .find(|f| f.first().map(String::as_str) == Some(name))
        .and_then(|f| f.get(2).and_then(|id| id.parse().ok()))
}

/// A user or group name for `ls -l`, or the number when the image has none.
fn account_name(fs: &Merged, file: &str, id: u32) -> String {
    let id = id.to_string();
    accounts(fs, file)
        .into_iter()
        .find(|f| f.get(2) == Some(&id))
        .and_then(|f| f.into_iter().next())
        .unwrap_or(id)
}

/// A path (symlinks followed), and with `-R` everything below it, depth-first,
/// each directory before what it holds. One walk: linear in the entries
/// however deep the tree, where looking each up from the root is not.
fn targets(r: &Run, abs: &str, recursive: bool) -> Result<Vec<Stat>, crate::error::FsError> {
    let top = r.fs.stat(abs)?;
    let below = match top.node {
        Node::Dir { .. } if recursive => r.fs.walk_below(&top.path),
        _ => Vec::new(),
    };
    let mut t = vec![top];
    t.extend(below);
    Ok(t)
}

fn chown(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, mut ops) = options(args);
    if ops.len() < 2 {
        return missing_operand(r, "chown");
    }
    let spec = ops.remove(0);
    let (user, group) = match spec.split_once([':', '.']) {
        Some((u, g)) => (u.to_owned(), Some(g.to_owned())),
        None => (spec.clone(), None),
    };
    let Some(uid) = account_id(r.fs, "/etc/passwd", &user) else {
        r.stderr(format!("chown: invalid user: '{spec}'"));
        return 1;
    };
    let gid = match group.as_deref() {
        Some("") => uid,
        Some(g) => match account_id(r.fs, "/etc/group", g) {
            Some(g) => g,
            None => {
                r.stderr(format!("chown: invalid group: '{spec}'"));
                return 1;
            }
        },
        None => match r.fs.stat("/") {
            Ok(_) => u32::MAX,
            Err(_) => 0,
        },
    };
    let mut status = 0;
    for f in ops {
        let abs = r.abs(&f);
        let found = match targets(r, &abs, flags.contains('R')) {
            Ok(found) => found,
            Err(e) => {
                r.stderr(format!("chown: cannot access '{f}': {}", e.errno.message()));
                status = 1;
                continue;
            }
        };
        for t in found {
            let g = if gid == u32::MAX {
                t.node.meta().gid
            } else {
                gid
            };
            let changed = match t.node {
                Node::Symlink { .. } => {
                    r.fs.chown(&t.path.to_string(), uid, g, !flags.contains('h'))
                }
                _ => {
                    r.fs.change_meta_found(&t, |m| {
                        m.uid = uid;
                        m.gid = g;
                    })
                    .ok_or_else(|| crate::error::FsError::new(crate::error::Errno::NotFound, &f))
                }
            };
            match changed {
                Ok(ev) => r.events.extend(ev),
                Err(e) => {
                    r.stderr(format!(
                        "chown: changing ownership of '{f}': {}",
                        e.errno.message()
                    ));
                    status = 1;
                }
            }
        }
    }
    status
}

fn mode_string(node: &Node) -> String {
    let kind = match node {
        Node::Dir { .. } => 'd',
        Node::File { .. } => '-',
        Node::Symlink { .. } => 'l',
    };
    mode_text(kind, node.meta().mode)
}

/// `drwxr-xr-x` from a type letter and permission bits.
pub(super) fn mode_text(kind: char, mode: u32) -> String {
    let mut s = String::from(kind);
    for (i, c) in "rwxrwxrwx".chars().enumerate() {
        s.push(if mode & (0o400 >> i) != 0 { c } else { '-' });
    }
    if mode & 0o1000 != 0 {
        s.pop();
        s.push(if mode & 1 != 0 { 't' } else { 'T' });
    }
    s
}

fn ls(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, mut ops) = options(args);
    let long = flags.contains('l');
    let all = flags.contains('a') || flags.contains('A');
    let dir_only = flags.contains('d');
    if ops.is_empty() {
        ops.push(".".into());
    }
    let mut status = 0;
    let mut files: Vec<(String, Stat)> = Vec::new();
    let mut dirs: Vec<(String, Vec<Stat>)> = Vec::new();
    for op in &ops {
        let abs = r.abs(op);
        match r.fs.lstat(&abs) {
            Err(e) => {
                r.stderr(format!("ls: cannot access '{op}': {}", e.errno.message()));
                status = 2;
            }
            Ok(s) if dir_only || !is_dir(r, &abs) => files.push((op.clone(), s)),
            Ok(_) => {
                let mut entries = r.fs.read_dir(&abs).unwrap_or_default();
                if !all {
                    entries.retain(|e| !e.path.name().starts_with('.'));
                }
                dirs.push((op.clone(), entries));
            }
        }
    }
    let show = |r: &mut Run, items: Vec<(String, Stat)>| {
        if long {
            let width = items
                .iter()
                .map(|(_, s)| s.node.size().to_string().len())
                .max()
                .unwrap_or(1);
            for (name, s) in items {
                let meta = s.node.meta();
                let size = if matches!(s.node, Node::Dir { .. }) {
                    4096
                } else {
                    s.node.size()
                };
                let link = match &s.node {
                    Node::Symlink { target, .. } => format!(" -> {target}"),
                    _ => String::new(),
                };
                r.stdout(format!(
                    "{} 1 {} {} {size:>width$} {} {name}{link}\n",
                    mode_string(&s.node),
                    account_name(r.fs, "/etc/passwd", meta.uid),
                    account_name(r.fs, "/etc/group", meta.gid),
                    crate::clock::ls_date(meta.mtime),
                    width = width.max(4),
                ));
            }
        } else {
            let names: Vec<String> = items.into_iter().map(|(n, _)| n).collect();
            let line = names.join("  ");
            if line.len() <= 80 && !flags.contains('1') {
                if !line.is_empty() {
                    r.stdout(format!("{line}\n"));
                }
            } else {
                for n in names {
                    r.stdout(format!("{n}\n"));
                }
            }
        }
    };
    let several = files.len() + dirs.len() > 1;
    let had_files = !files.is_empty();
    show(r, files);
    for (i, (name, entries)) in dirs.into_iter().enumerate() {
        if several {
            if i > 0 || had_files {
                r.stdout("\n");
            }
            r.stdout(format!("{name}:\n"));
        }
        if long {
            let blocks: u64 = entries
                .iter()
                .map(|e| e.node.size().div_ceil(4096) * 4)
                .sum();
            r.stdout(format!("total {blocks}\n"));
        }
        let items = entries
            .into_iter()
            .map(|e| (e.path.name().to_owned(), e))
            .collect();
        show(r, items);
    }
    status
}

fn head_tail(r: &mut Run, prog: &str, args: &[String], stdin: Content) -> i32 {
    let mut n: usize = 10;
    // `-c N`: bytes, not lines (taken from the content, so described files too).
    let mut bytes: Option<u64> = None;
    let mut follow = false;
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "-c" || (a.starts_with("-c") && a.len() > 2) {
            let v = match a.strip_prefix("-c").filter(|v| !v.is_empty()) {
                Some(v) => Some(v.to_owned()),
                None => it.next().cloned(),
            };
            match v.as_deref().map(|v| parse_size(v.trim_start_matches('+'))) {
                Some(Some(c)) => bytes = Some(c),
                _ => {
                    let v = v.unwrap_or_default();
                    r.stderr(format!("{prog}: invalid number of bytes: '{v}'"));
                    return 1;
                }
            }
        } else if prog == "tail" && matches!(a.as_str(), "-f" | "-F" | "--follow") {
            follow = true;
        } else if a == "-n" {
            n = it
                .next()
                .and_then(|v| v.trim_start_matches('+').parse().ok())
                .unwrap_or(10);
        } else if let Some(v) = a.strip_prefix("-n") {
            n = v.parse().unwrap_or(10);
        } else if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| c.is_ascii_digit()) {
            n = a[1..].parse().unwrap_or(10);
        } else {
            files.push(a.clone());
        }
    }
    let (ins, status) = inputs(r, prog, &files, &stdin, true);
    let several = ins.len() > 1;
    for (i, (name, c)) in ins.into_iter().enumerate() {
        if several {
            r.stdout(format!("{}==> {name} <==\n", if i > 0 { "\n" } else { "" }));
        }
        if let Some(b) = bytes {
            let len = c.len();
            let part = if prog == "head" {
                c.slice(0, b)
            } else {
                c.slice(len.saturating_sub(b), len)
            };
            r.stdout_content(part);
            continue;
        }
        let Some(text) = text_of(r, prog, &name, &c) else {
            continue;
        };
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let picked = if prog == "head" {
            &lines[..n.min(lines.len())]
        } else {
            &lines[lines.len().saturating_sub(n)..]
        };
        r.stdout(picked.concat());
    }
    // Following would never end: the file's end is shown, then tail stops.
    if follow {
        r.stderr("tail: following a file is not simulated; this is its end as it stands");
    }
    status
}

fn wc(r: &mut Run, args: &[String], stdin: Content) -> i32 {
    let (flags, files) = options(args);
    let (ins, status) = inputs(r, "wc", &files, &stdin, false);
    let which: Vec<char> = if flags.is_empty() {
        vec!['l', 'w', 'c']
    } else {
        flags.chars().collect()
    };
    let mut rows = Vec::new();
    let mut total = [0u64; 3];
    for (name, c) in &ins {
        let counts = if which == ['c'] {
            [0, 0, c.len()]
        } else {
            let Some(text) = text_of(r, "wc", name, c) else {
                continue;
            };
            [
                text.matches('\n').count() as u64,
                text.split_whitespace().count() as u64,
                c.len(),
            ]
        };
        for i in 0..3 {
            total[i] += counts[i];
        }
        rows.push((name.clone(), counts));
    }
    if rows.len() > 1 {
        rows.push(("total".into(), total));
    }
    let single = rows.len() == 1 && which.len() == 1;
    for (name, counts) in rows {
        let mut cols = Vec::new();
        for (i, k) in ['l', 'w', 'c'].iter().enumerate() {
            if which.contains(k) {
                cols.push(if single {
                    counts[i].to_string()
                } else {
                    format!("{:>7}", counts[i])
                });
            }
        }
        let name = if name == "-" {
            String::new()
        } else {
            format!(" {name}")
        };
        r.stdout(format!("{}{name}\n", cols.join(" ")));
    }
    status
}

fn grep(r: &mut Run, args: &[String], stdin: Content) -> i32 {
    let (flags, mut ops) = options(args);
    if ops.is_empty() {
        r.stderr("Usage: grep [OPTION]... PATTERNS [FILE]...");
        return 2;
    }
    let pattern = ops.remove(0);
    let (ins, status) = inputs(r, "grep", &ops, &stdin, false);
    let several = ins.len() > 1;
    let (invert, icase, count, quiet) = (
        flags.contains('v'),
        flags.contains('i'),
        flags.contains('c'),
        flags.contains('q'),
    );
    let needle = if icase {
        pattern.to_ascii_lowercase()
    } else {
        pattern.clone()
    };
    let mut found = false;
    for (name, c) in ins {
        let Some(text) = text_of(r, "grep", &name, &c) else {
            continue;
        };
        let mut n = 0;
        for line in text.lines() {
            let hay = if icase {
                line.to_ascii_lowercase()
            } else {
                line.to_owned()
            };
            let hit = if flags.contains('E') {
                needle.split('|').any(|alt| matches_simple(alt, &hay))
            } else {
                needle.split("\\|").any(|alt| matches_simple(alt, &hay))
            };
            if hit != invert {
                n += 1;
                found = true;
                if !count && !quiet {
                    let prefix = if several {
                        format!("{name}:")
                    } else {
                        String::new()
                    };
                    r.stdout(format!("{prefix}{line}\n"));
                }
            }
        }
        if count {
            let prefix = if several {
                format!("{name}:")
            } else {
                String::new()
            };
            r.stdout(format!("{prefix}{n}\n"));
        }
    }
    if status != 0 {
        2
    } else if found {
        0
    } else {
        1
    }
}

/// A small regular-expression subset: `^`, `$`, `.`, `.*`, literal text.
fn matches_simple(pattern: &str, line: &str) -> bool {
    let anchored_start = pattern.starts_with('^');
    let p = pattern.trim_start_matches('^');
    let anchored_end = p.ends_with('$') && !p.ends_with("\\$");
    let p = if anchored_end { &p[..p.len() - 1] } else { p };
    let glob: String = p
        .replace("\\.", "\u{1}")
        .replace(".*", "*")
        .replace('.', "?")
        .replace('\u{1}', "\\.");
    let glob = format!(
        "{}{glob}{}",
        if anchored_start { "" } else { "*" },
        if anchored_end { "" } else { "*" }
    );
    super::expand::matches(&glob, line)
}

fn sed(r: &mut Run, args: &[String], stdin: Content) -> i32 {
    let mut in_place = false;
    let mut scripts = Vec::new();
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-i" => in_place = true,
            "-e" => scripts.extend(it.next().cloned()),
            "-n" | "-E" | "-r" => {}
            _ if scripts.is_empty() && !a.starts_with('-') => scripts.push(a.clone()),
            _ => files.push(a.clone()),
        }
    }
    let mut subs = Vec::new();
    for s in &scripts {
        match parse_subst(s) {
            Some(x) => subs.push(x),
            None => {
                r.stderr(format!(
                    "sed: -e expression #1, char {}: only s/OLD/NEW/[g] is simulated",
                    s.len()
                ));
                return 1;
            }
        }
    }
    // Each `s///g` may multiply the text: it is counted as it grows, and
    // made no further than the budget allows (`None`).
    let room = r.budget.bytes_left();
    let apply = |text: &str| -> Option<String> {
        let mut out = String::new();
        for line in text.split_inclusive('\n') {
            let (body, nl) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
            let mut body = body.to_owned();
            for (old, new, global) in &subs {
                if old.is_empty() {
                    continue;
                }
                let times = if *global {
                    body.matches(old.as_str()).count()
                } else {
                    1
                };
                let grown = (body.len() as u64)
                    .saturating_add((new.len() as u64).saturating_mul(times as u64));
                if grown.saturating_add(out.len() as u64) > room {
                    return None;
                }
                body = if *global {
                    body.replace(old.as_str(), new)
                } else {
                    body.replacen(old.as_str(), new, 1)
                };
            }
            out.push_str(&body);
            out.push_str(nl);
        }
        Some(out)
    };
    let (ins, status) = inputs(r, "sed", &files, &stdin, false);
    for (name, c) in ins {
        let Some(text) = text_of(r, "sed", &name, &c) else {
            continue;
        };
        let Some(out) = apply(&text) else {
            let limit = r.budget.limits().bytes;
            r.budget.exceed(crate::budget::Exceeded::Bytes(limit));
            r.stopped();
            return super::STOPPED;
        };
        if in_place && name != "-" {
            if out != text {
                if let Err(e) = r.write_file(&name, Content::bytes(out), WriteMode::Truncate) {
                    r.stderr(format!("sed: couldn't edit {name}: {e}"));
                    return 4;
                }
            } else {
                // sed -i rewrites the file even when nothing changed: a copy-up.
                let _ = r.write_file(&name, c, WriteMode::Truncate);
            }
        } else {
            r.stdout(out);
        }
    }
    status
}

/// `s/old/new/[g]` with any delimiter; `old` is literal text here.
fn parse_subst(s: &str) -> Option<(String, String, bool)> {
    let mut chars = s.chars();
    if chars.next()? != 's' {
        return None;
    }
    let delim = chars.next()?;
    let rest: String = chars.collect();
    let parts: Vec<&str> = rest.split(delim).collect();
    if parts.len() != 3 {
        return None;
    }
    let flags = parts[2];
    Some((
        parts[0].replace("\\.", "."),
        parts[1].to_owned(),
        flags.contains('g'),
    ))
}

fn tee(r: &mut Run, args: &[String], stdin: Content) -> i32 {
    let (flags, files) = options(args);
    let mode = if flags.contains('a') {
        WriteMode::Append
    } else {
        WriteMode::Truncate
    };
    let mut status = 0;
    for f in files {
        if let Err(e) = r.write_file(&f, stdin.clone(), mode) {
            r.stderr(format!("tee: {f}: {e}"));
            status = 1;
        }
    }
    r.stdout_content(stdin);
    status
}

fn env(r: &mut Run, args: &[String], _: Content) -> i32 {
    if !args.is_empty() {
        r.stderr("env: running a command through env is not simulated; run it directly");
        return 125;
    }
    for e in r.sh.environ() {
        r.stdout(format!("{e}\n"));
    }
    0
}

fn dd(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (mut input, mut output, mut bs, mut count) = (None, None, 512u64, None);
    for a in args {
        let Some((k, v)) = a.split_once('=') else {
            r.stderr(format!("dd: unrecognized operand '{a}'"));
            return 1;
        };
        match k {
            "if" => input = Some(v.to_owned()),
            "of" => output = Some(v.to_owned()),
            "bs" => match parse_size(v) {
                Some(n) if n > 0 => bs = n,
                _ => {
                    r.stderr(format!("dd: invalid number: '{v}'"));
                    return 1;
                }
            },
            "count" => match v.parse::<u64>() {
                Ok(n) => count = Some(n),
                Err(_) => {
                    r.stderr(format!("dd: invalid number: '{v}'"));
                    return 1;
                }
            },
            "status" | "conv" | "iflag" | "oflag" => {}
            _ => {
                r.stderr(format!("dd: unrecognized operand '{a}'"));
                return 1;
            }
        }
    }
    // What dd would write, refused before it is made when no file could hold it.
    let limit = r.budget.limits().written;
    if let (Some("/dev/zero" | "/dev/urandom" | "/dev/random"), Some(n)) = (input.as_deref(), count)
    {
        if bs.saturating_mul(n) > limit {
            let to = output.as_deref().unwrap_or("standard output");
            r.stderr(format!("dd: error writing '{to}': File too large"));
            return 1;
        }
    }
    let bytes = match (input.as_deref(), count) {
        (Some("/dev/zero"), Some(n)) => Content::zeros(bs.saturating_mul(n)),
        (Some("/dev/urandom" | "/dev/random"), Some(n)) => {
            let len = bs.saturating_mul(n);
            let seed = splitmix64(len ^ r.events.len() as u64 ^ r.fs.upper().len() as u64);
            Content::described(len, seed)
        }
        (Some("/dev/zero" | "/dev/urandom" | "/dev/random"), None) => {
            r.stderr("dd: reading an endless device needs count= in this simulator");
            return 1;
        }
        (Some(f), _) => match r.read_file(f) {
            Ok(c) => match count {
                Some(n) => c.truncated(bs.saturating_mul(n).min(c.len())),
                None => c,
            },
            Err(e) => {
                r.stderr(format!("dd: failed to open '{f}': {e}"));
                return 1;
            }
        },
        (None, _) => {
            r.stderr("dd: reading stdin is not simulated; give if=FILE");
            return 1;
        }
    };
    let len = bytes.len();
    match output {
        Some(of) => {
            if let Err(e) = r.write_file(&of, bytes, WriteMode::Truncate) {
                r.stderr(format!("dd: failed to open '{of}': {e}"));
                return 1;
            }
            if r.stopped() {
                return super::STOPPED;
            }
        }
        None => r.stdout_content(bytes),
    }
    let records = len.div_ceil(bs);
    r.stderr(format!("{records}+0 records in"));
    r.stderr(format!("{records}+0 records out"));
    r.stderr(format!(
        "{len} bytes ({}) copied, 0.1 s, 1.0 GB/s",
        si_size(len)
    ));
    0
}

/// `10M`, `1G`, `4k`, `512`: binary multiples as dd and truncate read them.
fn parse_size(v: &str) -> Option<u64> {
    let (num, mult) = match v.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => (&v[..i], &v[i..]),
        None => (v, ""),
    };
    let n: u64 = num.parse().ok()?;
    let m = match mult {
        "" | "c" => 1,
        "k" | "K" | "KiB" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        "T" | "TiB" => 1 << 40,
        "P" | "PiB" => 1 << 50,
        "E" | "EiB" => 1 << 60,
        "kB" | "KB" => 1000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        "TB" => 1_000_000_000_000,
        _ => return None,
    };
    n.checked_mul(m)
}

fn si_size(n: u64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1000.0 && i < units.len() - 1 {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{n} B")
    } else {
        format!("{} {}", crate::size::format_g(v, 2), units[i])
    }
}

fn truncate(r: &mut Run, args: &[String], _: Content) -> i32 {
    let mut size = None;
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "-s" {
            size = it.next().cloned();
        } else if let Some(v) = a.strip_prefix("--size=") {
            size = Some(v.to_owned());
        } else {
            files.push(a.clone());
        }
    }
    let len = match size.as_deref().map(parse_size) {
        Some(Some(len)) => len,
        Some(None) => {
            let v = size.unwrap_or_default();
            r.stderr(format!("truncate: Invalid number: '{v}'"));
            return 1;
        }
        None => {
            r.stderr("truncate: you must specify either '--size' or '--reference'");
            return 1;
        }
    };
    if files.is_empty() {
        return missing_operand(r, "truncate");
    }
    let mut status = 0;
    for f in files {
        // Past the budget's largest file, as past ext4's: EFBIG, at once.
        if len > r.budget.limits().written {
            r.stderr(format!(
                "truncate: failed to truncate '{f}' at {len} bytes: File too large"
            ));
            status = 1;
            continue;
        }
        let grown = len.saturating_sub(r.fs.stat(&r.abs(&f)).map_or(0, |s| s.node.size()));
        let cost = r.budget.written(grown);
        if !r.spend(cost) {
            return super::STOPPED;
        }
        let abs = r.abs(&f);
        match r.fs.truncate(&abs, len) {
            Ok(ev) => r.events.extend(ev),
            Err(e) => {
                r.stderr(format!(
                    "truncate: cannot open '{f}' for writing: {}",
                    e.errno.message()
                ));
                status = 1;
            }
        }
    }
    status
}

fn du(r: &mut Run, args: &[String], _: Content) -> i32 {
    let (flags, mut ops) = options(args);
    if ops.is_empty() {
        ops.push(".".into());
    }
    let mut status = 0;
    for op in ops {
        let abs = r.abs(&op);
        let top = match r.fs.lstat(&abs) {
            Ok(s) => s,
            Err(e) => {
                r.stderr(format!("du: cannot access '{op}': {}", e.errno.message()));
                status = 1;
                continue;
            }
        };
        // Blocks of 4 KiB, summed without overflow (a file of 2^64-1 bytes
        // still shows as the largest total, not as 0).
        let blocks = |size: u64| size.div_ceil(4096).saturating_mul(4096);
        let mut total = blocks(top.node.size());
        if matches!(top.node, Node::Dir { .. }) {
            for s in r.fs.walk_below(&top.path) {
                let dir = if matches!(s.node, Node::Dir { .. }) {
                    4096
                } else {
                    0
                };
                total = total
                    .saturating_add(blocks(s.node.size()))
                    .saturating_add(dir);
            }
        }
        let shown = if flags.contains('h') {
            human(total)
        } else {
            (total / 1024).to_string()
        };
        r.stdout(format!("{shown}\t{op}\n"));
    }
    status
}

/// `du -h` style: 1024-based, rounded up, with one decimal below 10.
fn human(n: u64) -> String {
    let units = ["K", "M", "G", "T"];
    let n = u128::from(n);
    let mut div = 1024u128;
    let mut i = 0;
    while n >= div * 1024 && i < units.len() - 1 {
        div *= 1024;
        i += 1;
    }
    let tenths = (n * 10).div_ceil(div);
    if tenths < 100 {
        format!("{}.{}{}", tenths / 10, tenths % 10, units[i])
    } else {
        format!("{}{}", n.div_ceil(div), units[i])
    }
}

fn which(r: &mut Run, args: &[String], _: Content) -> i32 {
    let mut status = 0;
    for a in args {
        let found = if a.contains('/') {
            None
        } else {
            r.lookup(a).filter(|p| p.contains('/'))
        };
        match found {
            Some(p) => r.stdout(format!("{p}\n")),
            None => status = 1,
        }
    }
    status
}

/// `echo`'s backslash escapes (dash interprets them); `\c` stops output.
pub(super) fn escapes(text: &str, stop: &mut bool) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('c') => {
                *stop = true;
                break;
            }
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `printf FORMAT [ARG…]` with `%s`, `%d`, `%%` and escapes; the format repeats
/// while arguments remain.
pub(super) fn printf(r: &mut Run, args: &[String]) -> i32 {
    let Some(format) = args.first() else {
        r.stderr("printf: usage: printf format [arg ...]");
        return 2;
    };
    let mut rest = args[1..].iter();
    let mut out = String::new();
    loop {
        let mut used = false;
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '%' => match chars.next() {
                    Some('%') => out.push('%'),
                    Some('s' | 'b') => {
                        used = true;
                        out.push_str(rest.next().map(String::as_str).unwrap_or(""));
                    }
                    Some('d' | 'i') => {
                        used = true;
                        let v = rest.next().map(String::as_str).unwrap_or("0");
                        out.push_str(&v.parse::<i64>().unwrap_or(0).to_string());
                    }
                    Some(o) => {
                        out.push('%');
                        out.push(o);
                    }
                    None => out.push('%'),
                },
                '\\' => {
                    let mut stop = false;
                    let esc: String = ['\\'].into_iter().chain(chars.next()).collect();
                    out.push_str(&escapes(&esc, &mut stop));
                }
                c => out.push(c),
            }
        }
        if !used || rest.len() == 0 {
            break;
        }
    }
    r.stdout(out);
    0
}

/// `test` and `[`: files (-e -f -d -s -x -L), strings (-z -n = !=), integers (-eq …), `!`.
pub(super) fn test(r: &mut Run, name: &str, args: &[String]) -> i32 {
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    if name == "[" {
        if args.last() != Some(&"]") {
            r.stderr("[: missing ]");
            return 2;
        }
        args.pop();
    }
    let mut negate = false;
    while args.first() == Some(&"!") && args.len() > 1 {
        negate = !negate;
        args.remove(0);
    }
    let result = match args.as_slice() {
        [] => false,
        [s] => !s.is_empty(),
        [op, path] if op.len() == 2 && op.starts_with('-') => {
            let abs = r.abs(path);
            match *op {
                "-z" => path.is_empty(),
                "-n" => !path.is_empty(),
                "-e" => r.fs.stat(&abs).is_ok(),
                "-f" => matches!(r.fs.stat(&abs).map(|s| s.node), Ok(Node::File { .. })),
                "-d" => is_dir(r, &abs),
                "-s" => r.fs.stat(&abs).is_ok_and(|s| s.node.size() > 0),
                "-x" => {
                    r.fs.stat(&abs)
                        .is_ok_and(|s| s.node.meta().mode & 0o111 != 0)
                }
                "-L" | "-h" => matches!(r.fs.lstat(&abs).map(|s| s.node), Ok(Node::Symlink { .. })),
                "-r" | "-w" => r.fs.stat(&abs).is_ok(),
                _ => {
                    r.stderr(format!("{name}: {op}: unexpected operator"));
                    return 2;
                }
            }
        }
        [a, op, b] => match *op {
            "=" | "==" => a == b,
            "!=" => a != b,
            "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge" => {
                let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) else {
                    r.stderr(format!(
                        "{name}: Illegal number: {}",
                        if a.parse::<i64>().is_err() { a } else { b }
                    ));
                    return 2;
                };
                match *op {
                    "-eq" => x == y,
                    "-ne" => x != y,
                    "-lt" => x < y,
                    "-le" => x <= y,
                    "-gt" => x > y,
                    _ => x >= y,
                }
            }
            _ => {
                r.stderr(format!("{name}: {op}: unexpected operator"));
                return 2;
            }
        },
        _ => {
            r.stderr(format!("{name}: too many arguments"));
            return 2;
        }
    };
    i32::from(result == negate)
}
