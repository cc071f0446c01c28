//! The shell's own error lines, worded as the shell of the image words them:
//! dash's (`sh: 1: x: not found`) or busybox's ash (`sh: x: not found`).

use super::error::{ExpandError, FileError};
use super::Run;

impl Run<'_, '_> {
    /// The shell's own error: `sh: 1: message`. Once the line is stopped,
    /// the stop is the one message shown.
    pub(super) fn shell_error(&mut self, message: &str) {
        if self.stopped() {
            return;
        }
        // busybox's ash names no line (`sh: foo: not found`).
        if self.busybox_sh {
            let line = format!("{}: {message}", self.sh.name);
            self.stderr(line);
        } else {
            let line = format!("{}: {}: {message}", self.sh.name, self.line);
            self.stderr(line);
        }
    }

    /// A word that did not expand; busybox's ash words arithmetic errors
    /// its own way.
    pub(super) fn expand_error(&mut self, e: &ExpandError) {
        match e.busybox_arith() {
            Some(why) if self.busybox_sh => self.shell_error(why),
            _ => self.shell_error(&e.to_string()),
        }
    }

    /// A builtin's error: dash's `sh: 1: cd: message`, ash's
    /// `sh: cd: line 0: message` (ash counts a `-c` script's lines from 0).
    pub(super) fn builtin_error(&mut self, builtin: &str, message: &str) {
        if self.stopped() {
            return;
        }
        let line = if self.busybox_sh {
            format!(
                "{}: {builtin}: line {}: {message}",
                self.sh.name,
                self.line.saturating_sub(1)
            )
        } else {
            format!("{}: {}: {builtin}: {message}", self.sh.name, self.line)
        };
        self.stderr(line);
    }

    /// A redirection that could not open its file: dash's `cannot create
    /// F: …` (status 2) or ash's `can't create F: nonexistent directory` (status 1).
    pub(super) fn redirect_error(&mut self, create: bool, target: &str, reason: FileError) -> i32 {
        if self.busybox_sh {
            let reason = match (create, reason.is_missing()) {
                (true, true) => "nonexistent directory".to_owned(),
                (false, true) => "no such file".to_owned(),
                _ => reason.to_string(),
            };
            let verb = if create { "create" } else { "open" };
            self.shell_error(&format!("can't {verb} {target}: {reason}"));
            1
        } else {
            let verb = if create { "create" } else { "open" };
            self.shell_error(&format!("cannot {verb} {target}: {reason}"));
            2
        }
    }
}
