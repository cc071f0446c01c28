//! `dd`: `if=`, `of=`, `bs=`, `count=`, with GNU's summary lines on stderr.
//! `/dev/zero` and `/dev/urandom` give content that is described, not stored,
//! so a gigabyte costs no memory.

use super::operands::parse_size;
use crate::content::{splitmix64, Content};
use crate::merged::WriteMode;
use crate::note::{self, NoteKey};
use crate::shell::Run;

pub(super) fn dd(r: &mut Run, args: &[String], _: Content) -> i32 {
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
            r.stderr(format!("dd: {}", note::text(NoteKey::DdStdin, &[])));
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
                return crate::shell::STOPPED;
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
