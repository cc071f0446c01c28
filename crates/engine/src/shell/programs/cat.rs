//! `cat`: the named files (or stdin) to stdout, content passed through
//! unmade, so a described file costs nothing to copy.

use super::operands::{inputs, options};
use crate::content::Content;
use crate::shell::Run;

pub(super) fn cat(r: &mut Run, args: &[String], stdin: Content) -> i32 {
    let (_, files) = options(args);
    let (ins, status) = inputs(r, "cat", &files, &stdin, false);
    for (_, c) in ins {
        r.stdout_content(c);
    }
    status
}
