//! `which`: where on `PATH` each program's file is.

use crate::content::Content;
use crate::shell::Run;

pub(super) fn which(r: &mut Run, args: &[String], _: Content) -> i32 {
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
