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

/// Past this much output, formatting stops: the work budget (16 MiB of
/// typed output) stops the line as soon as it is written, so a `%999999999s`
/// never allocates its gigabyte first.
const MOST: usize = (16 << 20) + 1;

/// One conversion's flags, width and precision (`%-8.3s`, `%05d`).
#[derive(Default)]
struct Spec {
    left: bool,
    zero: bool,
    plus: bool,
    space: bool,
    width: usize,
    precision: Option<usize>,
}

impl Spec {
    /// Reads flags, width and precision after a `%`; a `*` takes an argument.
    fn read<'a>(
        chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
        args: &mut impl Iterator<Item = &'a String>,
    ) -> Spec {
        let mut spec = Spec::default();
        while let Some(&c) = chars.peek() {
            match c {
                '-' => spec.left = true,
                '0' => spec.zero = true,
                '+' => spec.plus = true,
                ' ' => spec.space = true,
                '#' => {}
                _ => break,
            }
            chars.next();
        }
        // A number, or `*`'s argument, which may be negative.
        let mut number = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| -> i64 {
            if chars.peek() == Some(&'*') {
                chars.next();
                let n = args
                    .next()
                    .map_or(0, |a| a.trim().parse::<i64>().unwrap_or(0));
                return n.clamp(-(MOST as i64), MOST as i64);
            }
            let mut n = 0usize;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = n.saturating_mul(10).saturating_add(d as usize).min(MOST);
                chars.next();
            }
            n as i64
        };
        // As C: a negative width is the `-` flag and its size; a negative
        // precision is none.
        let width = number(chars);
        spec.left |= width < 0;
        spec.width = width.unsigned_abs() as usize;
        if chars.peek() == Some(&'.') {
            chars.next();
            let precision = number(chars);
            spec.precision = (precision >= 0).then_some(precision as usize);
        }
        spec
    }

    /// `body` padded to the width; `sign` goes before zeros (`-0042`) where
    /// the `0` flag applies (`zeros`: numbers, but not an integer given a
    /// precision, nor `inf`).
    fn pad(&self, sign: &str, body: &str, zeros: bool) -> String {
        let len = sign.chars().count() + body.chars().count();
        let fill = self.width.saturating_sub(len);
        if self.left {
            format!("{sign}{body}{}", " ".repeat(fill))
        } else if self.zero && zeros {
            format!("{sign}{}{body}", "0".repeat(fill))
        } else {
            format!("{}{sign}{body}", " ".repeat(fill))
        }
    }

    /// An integer conversion: `d`, `i`, `u`, `o`, `x`, `X`.
    fn integer(&self, conv: char, arg: &str) -> String {
        let arg = arg.trim();
        let v: i128 = match char_code(arg) {
            Some(c) => i128::from(c),
            None => number(arg),
        };
        let signed = matches!(conv, 'd' | 'i');
        let (sign, magnitude) = if v < 0 && !signed {
            // Unsigned conversions show a negative number's 64-bit pattern.
            ("", u128::from(v as i64 as u64))
        } else if v < 0 {
            ("-", v.unsigned_abs())
        } else if self.plus && signed {
            ("+", v as u128)
        } else if self.space && signed {
            (" ", v as u128)
        } else {
            ("", v as u128)
        };
        let mut digits = match conv {
            'o' => format!("{magnitude:o}"),
            'x' => format!("{magnitude:x}"),
            'X' => format!("{magnitude:X}"),
            _ => magnitude.to_string(),
        };
        if let Some(p) = self.precision {
            if digits.len() < p {
                digits = format!("{}{digits}", "0".repeat(p - digits.len()));
            }
        }
        self.pad(sign, &digits, self.precision.is_none())
    }

    /// A floating-point conversion: `f`, `F`, `e`, `E`, `g`, `G`, as C's
    /// printf writes them (`3.141590e+00`, `%g` without trailing zeros).
    fn float(&self, conv: char, arg: &str) -> String {
        let arg = arg.trim();
        let v: f64 = match char_code(arg) {
            Some(c) => f64::from(c),
            None => arg.parse().unwrap_or_else(|_| number(arg) as f64),
        };
        let sign = if v.is_sign_negative() && !v.is_nan() {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        };
        let (a, p) = (v.abs(), self.precision.unwrap_or(6));
        let body = if !a.is_finite() {
            if a.is_nan() { "nan" } else { "inf" }.to_owned()
        } else {
            match conv.to_ascii_lowercase() {
                'e' => exponent(a, p),
                'g' => {
                    let p = p.max(1);
                    let x = exponent(a, p - 1)
                        .rsplit('e')
                        .next()
                        .and_then(|e| e.parse::<i64>().ok())
                        .unwrap_or(0);
                    let out = if x >= -4 && x < p as i64 {
                        fixed(a, (p as i64 - 1 - x).max(0) as usize)
                    } else {
                        exponent(a, p - 1)
                    };
                    without_trailing_zeros(&out)
                }
                _ => fixed(a, p),
            }
        };
        let body = if conv.is_ascii_uppercase() {
            body.to_ascii_uppercase()
        } else {
            body
        };
        self.pad(sign, &body, a.is_finite())
    }
}

/// Decimals past which every f64's exact expansion is zeros (the smallest
/// subnormal has 1,074). Rust's formatter takes a precision up to 65,535 and
/// computes each digit, so the rest are written as zeros: exact, and fast
/// for a `%.16000000f`.
const EXACT: usize = 1100;

/// `a` (not negative) as C's `%.pf`.
fn fixed(a: f64, p: usize) -> String {
    let q = p.min(EXACT);
    format!("{a:.q$}{}", "0".repeat(p - q))
}

/// `a` (not negative) as C's `%.pe`: one digit, `p` decimals, an exponent
/// of at least two digits with its sign.
fn exponent(a: f64, p: usize) -> String {
    let q = p.min(EXACT);
    let rust = format!("{a:.q$e}");
    let (mantissa, e) = rust.split_once('e').unwrap_or((&rust, "0"));
    let e: i64 = e.parse().unwrap_or(0);
    let zeros = "0".repeat(p - q);
    format!(
        "{mantissa}{zeros}e{}{:02}",
        if e < 0 { '-' } else { '+' },
        e.abs()
    )
}

/// `%g` drops the fraction's trailing zeros, and a point left bare.
fn without_trailing_zeros(s: &str) -> String {
    let (number, e) = match s.find('e') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let number = if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    };
    format!("{number}{e}")
}

/// `'A` (or `"A`) is the character's code, as in every printf.
fn char_code(arg: &str) -> Option<u32> {
    arg.strip_prefix(['\'', '"'])
        .and_then(|r| r.chars().next())
        .map(u32::from)
}

/// An integer argument as printf reads it (`0x1f`, `017`, `-3`); what is not
/// a number counts as 0.
fn number(arg: &str) -> i128 {
    let (neg, digits) = match arg.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, arg.strip_prefix('+').unwrap_or(arg)),
    };
    let v = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        i128::from_str_radix(hex, 16).ok()
    } else if digits.len() > 1 && digits.starts_with('0') {
        i128::from_str_radix(&digits[1..], 8).ok()
    } else {
        digits.parse::<i128>().ok()
    }
    .unwrap_or(0)
    .clamp(-i128::from(u64::MAX), i128::from(u64::MAX));
    if neg {
        -v
    } else {
        v
    }
}

/// `printf FORMAT [ARG…]` with `%s`, `%b`, `%c`, `%d`, `%i`, `%u`, `%o`,
/// `%x`, `%X`, `%f`, `%e`, `%g` (and `%F %E %G`) and `%%`, their flags (`-0+ `), width and precision (`*` takes
/// an argument), and escapes; the format repeats while arguments remain.
pub(in crate::shell) fn printf(r: &mut Run, args: &[String]) -> i32 {
    let Some(format) = args.first() else {
        r.stderr("printf: usage: printf format [arg ...]");
        return 2;
    };
    let mut rest = args[1..].iter();
    let mut out = String::new();
    'again: loop {
        let mut used = false;
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            if out.len() >= MOST {
                break 'again;
            }
            match c {
                '%' => {
                    if chars.peek() == Some(&'%') {
                        chars.next();
                        out.push('%');
                        continue;
                    }
                    let spec = Spec::read(&mut chars, &mut rest);
                    match chars.next() {
                        Some(conv @ ('s' | 'b' | 'c')) => {
                            used = true;
                            let arg = rest.next().map(String::as_str).unwrap_or("");
                            let mut text = match conv {
                                'b' => {
                                    let mut stop = false;
                                    let t = escapes(arg, &mut stop);
                                    if stop {
                                        out.push_str(&spec.pad("", &t, false));
                                        break 'again;
                                    }
                                    t
                                }
                                'c' => arg.chars().next().map(String::from).unwrap_or_default(),
                                _ => arg.to_owned(),
                            };
                            if let Some(p) = spec.precision {
                                if let Some((cut, _)) = text.char_indices().nth(p) {
                                    text.truncate(cut);
                                }
                            }
                            out.push_str(&spec.pad("", &text, false));
                        }
                        Some(conv @ ('d' | 'i' | 'u' | 'o' | 'x' | 'X')) => {
                            used = true;
                            let arg = rest.next().map(String::as_str).unwrap_or("0");
                            out.push_str(&spec.integer(conv, arg));
                        }
                        Some(conv @ ('f' | 'F' | 'e' | 'E' | 'g' | 'G')) => {
                            used = true;
                            let arg = rest.next().map(String::as_str).unwrap_or("0");
                            out.push_str(&spec.float(conv, arg));
                        }
                        Some(o) => {
                            out.push('%');
                            out.push(o);
                        }
                        None => out.push('%'),
                    }
                }
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
