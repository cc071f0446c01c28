//! `printf` and `echo`'s backslash escapes, as dash prints them (`\c` stops
//! the output). The shell's builtins share them.

use crate::shell::Run;

/// `echo`'s backslash escapes (dash interprets them); `\c` stops output.
pub(in crate::shell) fn escapes(text: &str, stop: &mut bool) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some('c') => {
                *stop = true;
                break;
            }
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `printf FORMAT [ARG…]` with `%s`, `%d`, `%%` and escapes; the format repeats
/// while arguments remain.
pub(in crate::shell) fn printf(r: &mut Run, args: &[String]) -> i32 {
    let Some(format) = args.first() else {
        r.stderr("printf: usage: printf format [arg ...]");
        return 2;
    };
    let mut rest = args[1..].iter();
    let mut out = String::new();
    loop {
        let mut used = false;
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '%' => match chars.next() {
                    Some('%') => out.push('%'),
                    Some('s' | 'b') => {
                        used = true;
                        out.push_str(rest.next().map(String::as_str).unwrap_or(""));
                    }
                    Some('d' | 'i') => {
                        used = true;
                        let v = rest.next().map(String::as_str).unwrap_or("0");
                        out.push_str(&v.parse::<i64>().unwrap_or(0).to_string());
                    }
                    Some(o) => {
                        out.push('%');
                        out.push(o);
                    }
                    None => out.push('%'),
                },
                '\\' => {
                    let mut stop = false;
                    let esc: String = ['\\'].into_iter().chain(chars.next()).collect();
                    out.push_str(&escapes(&esc, &mut stop));
                }
                c => out.push(c),
            }
        }
        if !used || rest.len() == 0 {
            break;
        }
    }
    r.stdout(out);
    0
}
