//! The shell's builtins (`cd`, `echo`, `export`, `set -e`, `exit`, `type` …):
//! what a shell must do itself because it changes the shell's own state, or
//! as dash does without a program on `PATH`.

use super::{programs, Run};
use crate::merged::Node;

/// The names the shell runs itself, before looking on `PATH`.
pub(super) const BUILTINS: [&str; 15] = [
    "cd", "pwd", "echo", "printf", "true", "false", "test", "[", "export", "set", "exit", "unset",
    ":", "type", "command",
];

impl Run<'_, '_> {
    pub(super) fn builtin(&mut self, name: &str, args: &[String]) -> i32 {
        match name {
            "true" | ":" => 0,
            "false" => 1,
            "pwd" => {
                let cwd = self.sh.cwd.clone();
                self.stdout(format!("{cwd}\n"));
                0
            }
            "cd" => self.cd(args),
            "echo" => self.echo(args),
            "printf" => programs::printf::printf(self, args),
            "test" | "[" => programs::test::test(self, name, args),
            "export" => self.export(args),
            "unset" => {
                for a in args {
                    self.sh.vars.remove(a);
                    self.sh.exported.remove(a);
                }
                0
            }
            "set" => {
                for a in args {
                    match a.as_str() {
                        "-e" => self.sh.errexit = true,
                        "+e" => self.sh.errexit = false,
                        a if a.starts_with('-') && a.contains('e') => self.sh.errexit = true,
                        _ => {}
                    }
                }
                0
            }
            "exit" => self.exit_with(args),
            "type" | "command" => self.type_or_command(name, args),
            _ => 0,
        }
    }

    /// `cd [DIR|-]`: `HOME` when none, `OLDPWD` for `-`.
    fn cd(&mut self, args: &[String]) -> i32 {
        let target = match args.first() {
            Some(t) if t == "-" => self.var("OLDPWD").unwrap_or_else(|| self.sh.cwd.clone()),
            Some(t) => t.clone(),
            None => self.var("HOME").unwrap_or_else(|| "/".into()),
        };
        let abs = self.abs(&target);
        match self.fs.stat(&abs) {
            Ok(s) if matches!(s.node, Node::Dir { .. }) => {
                let old = std::mem::replace(&mut self.sh.cwd, s.path.to_string());
                self.sh.vars.insert("OLDPWD".into(), old);
                self.sh.vars.insert("PWD".into(), self.sh.cwd.clone());
                0
            }
            Ok(_) if self.busybox_sh => {
                self.builtin_error("cd", &format!("can't cd to {target}: Not a directory"));
                2
            }
            Err(e) if self.busybox_sh => {
                let why = e.errno.message();
                self.builtin_error("cd", &format!("can't cd to {target}: {why}"));
                2
            }
            _ => {
                self.builtin_error("cd", &format!("can't cd to {target}"));
                2
            }
        }
    }

    /// `echo [-n]`, with dash's backslash escapes.
    fn echo(&mut self, args: &[String]) -> i32 {
        let (newline, args) = match args.first() {
            Some(n) if n == "-n" => (false, &args[1..]),
            _ => (true, args),
        };
        let mut text = args.join(" ");
        let mut stop = false;
        text = programs::printf::escapes(&text, &mut stop);
        if newline && !stop {
            text.push('\n');
        }
        self.stdout(text);
        0
    }

    /// `export [NAME[=value]…]`; alone, the exported variables.
    fn export(&mut self, args: &[String]) -> i32 {
        for a in args.iter().filter(|a| *a != "-p") {
            let (k, v) = match a.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (a.as_str(), None),
            };
            if let Some(v) = v {
                self.sh.vars.insert(k.into(), v.into());
            }
            self.sh.exported.insert(k.into());
        }
        if args.is_empty() {
            for e in self.sh.environ() {
                let (k, v) = e.split_once('=').unwrap_or((&e, ""));
                self.stdout(format!("export {k}='{v}'\n"));
            }
        }
        0
    }

    /// `exit [N]`: stops the script with N (or the last status).
    fn exit_with(&mut self, args: &[String]) -> i32 {
        let code = match args.first() {
            Some(a) => match a.parse::<i32>() {
                Ok(n) => n & 0xff,
                Err(_) => {
                    self.builtin_error("exit", &format!("Illegal number: {a}"));
                    2
                }
            },
            None => self.sh.status,
        };
        self.exit = Some(code);
        code
    }

    /// `type NAME…` and `command -v NAME…`: a builtin or where on `PATH`.
    fn type_or_command(&mut self, name: &str, args: &[String]) -> i32 {
        let args: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let mut status = 0;
        for a in args {
            match self.lookup(a) {
                Some(p) if BUILTINS.contains(&p.as_str()) => self.stdout(if name == "type" {
                    format!("{a} is a shell builtin\n")
                } else {
                    format!("{a}\n")
                }),
                Some(p) => self.stdout(if name == "type" {
                    format!("{a} is {p}\n")
                } else {
                    format!("{p}\n")
                }),
                None => {
                    if name == "type" {
                        self.stdout(format!("{a}: not found\n"));
                    }
                    status = 127;
                }
            }
        }
        status
    }
}
