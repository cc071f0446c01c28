//! `test` and `[`: files (`-e -f -d -s -x -L`), strings (`-z -n = !=`),
//! integers (`-eq` …) and `!`, with dash's messages.

use super::operands::is_dir;
use crate::merged::Node;
use crate::shell::Run;

/// `test` and `[`: files (-e -f -d -s -x -L), strings (-z -n = !=), integers (-eq …), `!`.
pub(in crate::shell) fn test(r: &mut Run, name: &str, args: &[String]) -> i32 {
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    if name == "[" {
        if args.last() != Some(&"]") {
            r.stderr("[: missing ]");
            return 2;
        }
        args.pop();
    }
    let mut negate = false;
    while args.first() == Some(&"!") && args.len() > 1 {
        negate = !negate;
        args.remove(0);
    }
    let result = match args.as_slice() {
        [] => false,
        [s] => !s.is_empty(),
        [op, path] if op.len() == 2 && op.starts_with('-') => {
            let abs = r.abs(path);
            match *op {
                "-z" => path.is_empty(),
                "-n" => !path.is_empty(),
                "-e" => r.fs.stat(&abs).is_ok(),
                "-f" => matches!(r.fs.stat(&abs).map(|s| s.node), Ok(Node::File { .. })),
                "-d" => is_dir(r, &abs),
                "-s" => r.fs.stat(&abs).is_ok_and(|s| s.node.size() > 0),
                "-x" => {
                    r.fs.stat(&abs)
                        .is_ok_and(|s| s.node.meta().mode & 0o111 != 0)
                }
                "-L" | "-h" => matches!(r.fs.lstat(&abs).map(|s| s.node), Ok(Node::Symlink { .. })),
                "-r" | "-w" => r.fs.stat(&abs).is_ok(),
                _ => {
                    r.stderr(format!("{name}: {op}: unexpected operator"));
                    return 2;
                }
            }
        }
        [a, op, b] => match *op {
            "=" | "==" => a == b,
            "!=" => a != b,
            "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge" => {
                let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) else {
                    r.stderr(format!(
                        "{name}: Illegal number: {}",
                        if a.parse::<i64>().is_err() { a } else { b }
                    ));
                    return 2;
                };
                match *op {
                    "-eq" => x == y,
                    "-ne" => x != y,
                    "-lt" => x < y,
                    "-le" => x <= y,
                    "-gt" => x > y,
                    _ => x >= y,
                }
            }
            _ => {
                r.stderr(format!("{name}: {op}: unexpected operator"));
                return 2;
            }
        },
        _ => {
            r.stderr(format!("{name}: too many arguments"));
            return 2;
        }
    };
    i32::from(result == negate)
}
