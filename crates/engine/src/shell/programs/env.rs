//! `env` and `printenv`: the shell's exported variables, one a line.

use crate::content::Content;
use crate::note::{self, NoteKey};
use crate::shell::Run;

pub(super) fn env(r: &mut Run, args: &[String], _: Content) -> i32 {
    if !args.is_empty() {
        r.stderr(format!("env: {}", note::text(NoteKey::EnvCommand, &[])));
        return 125;
    }
    for e in r.sh.environ() {
        r.stdout(format!("{e}\n"));
    }
    0
}
