//! The shell's own error lines, worded as the shell of the image words them:
//! dash's (`sh: 1: x: not found`) or busybox's ash (`sh: x: not found`).

use super::Run;

impl Run<'_, '_> {
    /// The shell's own error: `sh: 1: message`. Once the line is stopped,
    /// the stop is the one message shown.
    pub(super) fn shell_error(&mut self, message: &str) {
        if self.stopped() {
            return;
        }
        // busybox's ash names no line (`sh: foo: not found`), and words
        // arithmetic errors its own way.
        if self.busybox_sh {
            let message = match message.strip_prefix("arithmetic expression: ") {
                Some(m) if m.starts_with("division by zero") => "divide by zero",
                Some(_) => "arithmetic syntax error",
                None => message,
            };
            let line = format!("{}: {message}", self.sh.name);
            self.stderr(line);
        } else {
            let line = format!("{}: {}: {message}", self.sh.name, self.line);
            self.stderr(line);
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
    pub(super) fn redirect_error(&mut self, create: bool, target: &str, reason: &str) -> i32 {
        if self.busybox_sh {
            let missing = reason == crate::error::Errno::NotFound.message();
            let reason = match (create, missing) {
                (true, true) => "nonexistent directory",
                (false, true) => "no such file",
                _ => reason,
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
