//! `env` and `printenv`: the shell's exported variables, one a line.

use crate::content::Content;
use crate::shell::Run;

pub(super) fn env(r: &mut Run, args: &[String], _: Content) -> i32 {
    if !args.is_empty() {
        r.stderr("env: running a command through env is not simulated; run it directly");
        return 125;
    }
    for e in r.sh.environ() {
        r.stdout(format!("{e}\n"));
    }
    0
}
