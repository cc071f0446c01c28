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
    r.stderr(copied(len));
    0
}

/// GNU dd's last line: the byte count, then its size in SI and IEC units
/// when each has a prefix (coreutils' `human_readable`, autoscaled and
/// rounded to nearest). The time and speed are the simulation's own.
fn copied(len: u64) -> String {
    const SPEED: &str = "0.1 s, 1.0 GB/s";
    let si = human(len, 1000, &["kB", "MB", "GB", "TB", "PB", "EB"]);
    let iec = human(len, 1024, &["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]);
    match (si, iec) {
        (None, _) if len == 1 => format!("1 byte copied, {SPEED}"),
        (None, _) => format!("{len} bytes copied, {SPEED}"),
        (Some(si), Some(iec)) => format!("{len} bytes ({si}, {iec}) copied, {SPEED}"),
        (Some(si), None) => format!("{len} bytes ({si}) copied, {SPEED}"),
    }
}

/// `n` bytes in `base`'s units, or `None` below the first prefix: one
/// decimal under 10 ("5.2 MB"), whole numbers from 10 ("210 MB").
fn human(n: u64, base: u64, units: &[&str]) -> Option<String> {
    if n < base {
        return None;
    }
    let base = base as f64;
    let mut v = n as f64 / base;
    let mut unit = 0;
    while v.round() >= base && unit + 1 < units.len() {
        v /= base;
        unit += 1;
    }
    let tenths = (v * 10.0).round() / 10.0;
    Some(if tenths < 10.0 {
        format!("{tenths:.1} {}", units[unit])
    } else {
        format!("{} {}", v.round(), units[unit])
    })
}

#[cfg(test)]
mod tests {
    /// (bytes, GNU dd 9's line up to "copied", as coreutils prints it)
    const LINES: &[(u64, &str)] = &[
        (1, "1 byte copied"),
        (512, "512 bytes copied"),
        (999, "999 bytes copied"),
        (1000, "1000 bytes (1.0 kB) copied"),
        (1023, "1023 bytes (1.0 kB) copied"),
        (1024, "1024 bytes (1.0 kB, 1.0 KiB) copied"),
        (1536, "1536 bytes (1.5 kB, 1.5 KiB) copied"),
        (9999, "9999 bytes (10 kB, 9.8 KiB) copied"),
        (10239, "10239 bytes (10 kB, 10 KiB) copied"),
        (99999, "99999 bytes (100 kB, 98 KiB) copied"),
        (999600, "999600 bytes (1.0 MB, 976 KiB) copied"),
        (1048576, "1048576 bytes (1.0 MB, 1.0 MiB) copied"),
        (5242880, "5242880 bytes (5.2 MB, 5.0 MiB) copied"),
        (10485760, "10485760 bytes (10 MB, 10 MiB) copied"),
        (209715200, "209715200 bytes (210 MB, 200 MiB) copied"),
        (1000000000, "1000000000 bytes (1.0 GB, 954 MiB) copied"),
        (1073741824, "1073741824 bytes (1.1 GB, 1.0 GiB) copied"),
    ];

    #[test]
    fn the_last_line_gives_sizes_as_gnu_dd_does() {
        for (n, want) in LINES {
            let line = super::copied(*n);
            assert_eq!(
                line.split(" copied").next().unwrap_or("").to_owned() + " copied",
                *want
            );
        }
    }
}
