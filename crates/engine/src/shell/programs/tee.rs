//! `tee`: stdin to stdout and to each named file (`-a` appends).

use super::operands::options;
use crate::content::Content;
use crate::merged::WriteMode;
use crate::shell::Run;

pub(super) fn tee(r: &mut Run, args: &[String], stdin: Content) -> i32 {
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
