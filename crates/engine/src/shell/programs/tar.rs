//! `tar`: create (`-c`), list (`-t`) and extract (`-x`) archives, with `-f`,
//! `-z`, `-v` and `-C`, in GNU tar's words. Reading detects gzip by itself,
//! as GNU tar does.

use super::ls::mode_text;
use crate::archive::{self, Kind, Member};
use crate::content::Content;
use crate::merged::WriteMode;
use crate::shell::Run;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    List,
    Extract,
}

struct Options {
    mode: Option<Mode>,
    file: Option<String>,
    dir: Option<String>,
    gzip: bool,
    verbose: bool,
    operands: Vec<String>,
}

const TRY: &str = "Try 'tar --help' or 'tar --usage' for more information.";

/// A command line tar refuses, as GNU tar words it.
#[derive(Debug)]
enum Usage {
    /// Two of create, list and extract.
    TwoModes,
    /// `--file` or `--directory` last, with no value.
    LongNeedsValue(String),
    UnknownLong(String),
    /// `-f` or `-C` last, with no value.
    NeedsValue(char),
    Invalid(char),
}

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Usage::TwoModes => f.write_str(
                "tar: You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option",
            ),
            Usage::LongNeedsValue(name) => write!(f, "tar: option '--{name}' requires an argument"),
            Usage::UnknownLong(name) => write!(f, "tar: unrecognized option '--{name}'"),
            Usage::NeedsValue(c) => write!(f, "tar: option requires an argument -- '{c}'"),
            Usage::Invalid(c) => write!(f, "tar: invalid option -- '{c}'"),
        }
    }
}

const FAILED: &str = "tar: Exiting with failure status due to previous errors";

/// An error GNU tar stops at at once (status 2).
fn fatal(r: &mut Run, line: impl Into<String>) -> i32 {
    r.stderr(line);
    r.stderr("tar: Error is not recoverable: exiting now");
    2
}

/// An error GNU tar reports, then stops with status 2.
fn failed(r: &mut Run, line: impl Into<String>) -> i32 {
    r.stderr(line);
    r.stderr(FAILED);
    2
}

fn parse(args: &[String]) -> Result<Options, Usage> {
    let mut o = Options {
        mode: None,
        file: None,
        dir: None,
        gzip: false,
        verbose: false,
        operands: Vec::new(),
    };
    let mut it = args.iter().enumerate();
    let set_mode = |o: &mut Options, m: Mode| -> Result<(), Usage> {
        match o.mode {
            Some(old) if old != m => Err(Usage::TwoModes),
            _ => {
                o.mode = Some(m);
                Ok(())
            }
        }
    };
    while let Some((i, a)) = it.next() {
        if let Some(long) = a.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (long, None),
            };
            let mut value_or_next = || {
                value
                    .clone()
                    .or_else(|| it.next().map(|(_, v)| v.clone()))
                    .ok_or_else(|| Usage::LongNeedsValue(name.to_owned()))
            };
            match name {
                "create" => set_mode(&mut o, Mode::Create)?,
                "list" => set_mode(&mut o, Mode::List)?,
                "extract" | "get" => set_mode(&mut o, Mode::Extract)?,
                "file" => o.file = Some(value_or_next()?),
                "directory" => o.dir = Some(value_or_next()?),
                "gzip" | "gunzip" => o.gzip = true,
                "verbose" => o.verbose = true,
                _ => return Err(Usage::UnknownLong(name.to_owned())),
            }
            continue;
        }
        // The first word may bundle letters without a dash (`tar czf x.tgz .`).
        let letters = match a.strip_prefix('-') {
            Some(l) if !l.is_empty() => l,
            _ if i == 0 && !a.is_empty() => a.as_str(),
            _ => {
                o.operands.push(a.clone());
                continue;
            }
        };
        for (k, c) in letters.char_indices() {
            match c {
                'c' => set_mode(&mut o, Mode::Create)?,
                't' => set_mode(&mut o, Mode::List)?,
                'x' => set_mode(&mut o, Mode::Extract)?,
                'z' => o.gzip = true,
                'v' => o.verbose = true,
                'p' | 'o' => {}
                'f' | 'C' => {
                    let rest = &letters[k + 1..];
                    // `-fNAME` takes the rest of the word when the dash is there.
                    let value = if a.starts_with('-') && !rest.is_empty() {
                        Some(rest.to_owned())
                    } else {
                        it.next().map(|(_, v)| v.clone())
                    };
                    let value = value.ok_or(Usage::NeedsValue(c))?;
                    if c == 'f' {
                        o.file = Some(value);
                    } else {
                        o.dir = Some(value);
                    }
                    if a.starts_with('-') && !rest.is_empty() {
                        break;
                    }
                }
                _ => return Err(Usage::Invalid(c)),
            }
        }
    }
    Ok(o)
}

pub(super) fn tar(r: &mut Run, args: &[String], stdin: Content) -> i32 {
    let o = match parse(args) {
        Ok(o) => o,
        Err(e) => {
            r.stderr(e.to_string());
            r.stderr(TRY);
            return 2;
        }
    };
    let Some(mode) = o.mode else {
        r.stderr(
            "tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options",
        );
        r.stderr(TRY);
        return 2;
    };
    let base = r.abs(o.dir.as_deref().unwrap_or("."));
    match mode {
        Mode::Create => create(r, &o, &base),
        Mode::List | Mode::Extract => {
            let data = match o.file.as_deref() {
                None => {
                    return fatal(
                        r,
                        "tar: Refusing to read archive contents from terminal (missing -f option?)",
                    );
                }
                Some("-") => stdin,
                Some(f) => match r.read_file(f) {
                    Ok(c) => c,
                    Err(e) => return fatal(r, format!("tar: {f}: Cannot open: {e}")),
                },
            };
            let members = match archive::decompress(&data).and_then(|t| archive::read(&t)) {
                Ok(m) => m,
                Err(e) => return failed(r, format!("tar: {e}")),
            };
            let wanted: Vec<&Member> = members
                .iter()
                .filter(|m| {
                    o.operands.is_empty()
                        || o.operands.iter().any(|w| {
                            let w = archive::clean_name(w);
                            m.name == w || m.name.starts_with(&format!("{w}/"))
                        })
                })
                .collect();
            for m in &wanted {
                if mode == Mode::List && o.verbose {
                    r.stdout(long_line(m));
                } else if mode == Mode::List || o.verbose {
                    let slash = if m.kind == Kind::Dir { "/" } else { "" };
                    r.stdout(format!("{}{slash}\n", m.name));
                }
            }
            if mode == Mode::Extract {
                let chosen: Vec<Member> = wanted.into_iter().cloned().collect();
                match archive::extract(r.fs, &base, &chosen) {
                    Ok(ev) => r.events.extend(ev),
                    Err(e) => {
                        let line = format!("tar: {}: Cannot open: {}", e.path, e.errno.message());
                        return failed(r, line);
                    }
                }
            }
            0
        }
    }
}

fn create(r: &mut Run, o: &Options, base: &str) -> i32 {
    if o.operands.is_empty() {
        r.stderr("tar: Cowardly refusing to create an empty archive");
        r.stderr(TRY);
        return 2;
    }
    let Some(file) = o.file.clone() else {
        return fatal(
            r,
            "tar: Refusing to write archive contents to terminal (missing -f option?)",
        );
    };
    let mut members = Vec::new();
    let mut status = 0;
    let mut warned = false;
    for operand in &o.operands {
        let abs = if operand.starts_with('/') {
            operand.clone()
        } else {
            format!("{}/{operand}", base.trim_end_matches('/'))
        };
        if operand.starts_with('/') && !warned {
            r.stderr("tar: Removing leading `/' from member names");
            warned = true;
        }
        let name = archive::clean_name(operand);
        match archive::collect(r.fs, &abs, &name) {
            Ok(found) => members.extend(found),
            Err(e) => {
                r.stderr(format!(
                    "tar: {operand}: Cannot stat: {}",
                    e.errno.message()
                ));
                status = 2;
            }
        }
    }
    // The archive does not contain itself.
    let target = r.abs(&file);
    members.retain(|m| format!("{}/{}", base.trim_end_matches('/'), m.name) != target);
    if o.verbose {
        for m in &members {
            let slash = if m.kind == Kind::Dir { "/" } else { "" };
            r.stdout(format!("{}{slash}\n", m.name));
        }
    }
    let mut data = archive::write(&members);
    if o.gzip {
        data = match archive::gzip(&data) {
            Ok(d) => d,
            Err(e) => {
                r.stderr(e.to_string());
                return 2;
            }
        };
    }
    if file == "-" {
        r.stdout_content(data);
    } else if let Err(e) = r.write_file(&file, data, WriteMode::Truncate) {
        return fatal(r, format!("tar: {file}: Cannot open: {e}"));
    }
    if status != 0 {
        r.stderr(FAILED);
    }
    status
}

/// `tar -tv`'s line: `-rw-r--r-- 0/0              12 2024-05-01 10:00 index.html`
/// (owners as numbers: archives made here carry no user names).
fn long_line(m: &Member) -> String {
    let (kind, size, suffix) = match &m.kind {
        Kind::File(c) => ('-', c.len(), String::new()),
        Kind::Dir => ('d', 0, "/".to_owned()),
        Kind::Symlink(t) => ('l', 0, format!(" -> {t}")),
        Kind::HardLink(t) => ('h', 0, format!(" link to {t}")),
    };
    let owners = format!("{}/{}", m.meta.uid, m.meta.gid);
    let size = size.to_string();
    let width = 19usize.saturating_sub(owners.len()).max(size.len() + 1);
    let date = crate::clock::rfc3339(m.meta.mtime);
    format!(
        "{} {owners}{size:>width$} {} {} {}{suffix}\n",
        mode_text(kind, m.meta.mode),
        &date[..10],
        &date[11..16],
        m.name
    )
}
