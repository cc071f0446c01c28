//! Arithmetic expansion, `$((…))`, as POSIX defines it over signed 64-bit
//! integers: numbers (decimal, `0x` hex, leading-0 octal), variables (unset
//! or empty is 0), unary `+ - ! ~`, `* / %`, `+ -`, `<< >>`, comparisons,
//! `& ^ |`, `&& ||`, `?:` and parentheses. Overflow and division by zero are
//! errors (dash wraps on overflow; a learner is better told), and nesting is
//! bounded so no input can exhaust the stack.

/// Why an expression has no value; the text follows dash's
/// `arithmetic expression: REASON: "EXPR"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArithError {
    Syntax,
    DivisionByZero,
    Overflow,
    TooDeep,
    /// `=`, `+=` …: assignments inside `$(( ))` are not simulated.
    Assignment,
}

impl ArithError {
    pub fn message(&self, expr: &str) -> String {
        let why = match self {
            ArithError::Syntax => "expecting primary",
            ArithError::DivisionByZero => "division by zero",
            ArithError::Overflow => "result out of the 64-bit range",
            ArithError::TooDeep => "nested more than 64 deep",
            ArithError::Assignment => "assignment is not simulated",
        };
        format!("arithmetic expression: {why}: \"{expr}\"")
    }
}

const MAX_DEPTH: usize = 64;

/// Evaluates `expr` (parameters already expanded); `var` gives a name's value.
pub fn eval(expr: &str, var: &dyn Fn(&str) -> Option<String>) -> Result<i64, ArithError> {
    let mut p = Parser {
        s: expr.as_bytes(),
        at: 0,
        var,
        depth: 0,
    };
    let v = p.ternary()?;
    p.blanks();
    if p.at < p.s.len() {
        return Err(ArithError::Syntax);
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    at: usize,
    var: &'a dyn Fn(&str) -> Option<String>,
    depth: usize,
}

/// Binary operators by precedence, loosest first (`?:` and unary apart).
const LEVELS: &[&[&str]] = &[
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<=", ">=", "<", ">"],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

impl Parser<'_> {
    fn blanks(&mut self) {
        while self.s.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    /// Takes `op` if it is next (and is not the start of a longer operator).
    fn take(&mut self, op: &str) -> bool {
        self.blanks();
        let rest = &self.s[self.at..];
        if !rest.starts_with(op.as_bytes()) {
            return false;
        }
        let next = rest.get(op.len()).copied();
        let longer = match op {
            "<" | ">" => matches!(next, Some(b'<' | b'>' | b'=')),
            "&" | "|" => next == Some(op.as_bytes()[0]),
            "!" => next == Some(b'='),
            _ => false,
        };
        if next == Some(b'=') && !matches!(op, "<=" | ">=" | "==" | "!=" | "<" | ">" | "!") {
            return false; // `+=`, `-=` …: seen by `primary` as an assignment
        }
        if longer {
            return false;
        }
        self.at += op.len();
        true
    }

    fn nest(&mut self) -> Result<(), ArithError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ArithError::TooDeep);
        }
        Ok(())
    }

    fn ternary(&mut self) -> Result<i64, ArithError> {
        self.nest()?;
        let cond = self.binary(0)?;
        let v = if self.take("?") {
            let a = self.ternary()?;
            if !self.take(":") {
                return Err(ArithError::Syntax);
            }
            let b = self.ternary()?;
            if cond != 0 {
                a
            } else {
                b
            }
        } else {
            cond
        };
        self.depth -= 1;
        Ok(v)
    }

    fn binary(&mut self, level: usize) -> Result<i64, ArithError> {
        let Some(ops) = LEVELS.get(level) else {
            return self.unary();
        };
        let mut left = self.binary(level + 1)?;
        'outer: loop {
            for op in *ops {
                if self.take(op) {
                    let right = self.binary(level + 1)?;
                    left = apply(op, left, right)?;
                    continue 'outer;
                }
            }
            return Ok(left);
        }
    }

    fn unary(&mut self) -> Result<i64, ArithError> {
        self.nest()?;
        let v = if self.take("-") {
            self.unary()?.checked_neg().ok_or(ArithError::Overflow)?
        } else if self.take("+") {
            self.unary()?
        } else if self.take("!") {
            i64::from(self.unary()? == 0)
        } else if self.take("~") {
            !self.unary()?
        } else {
            self.primary()?
        };
        self.depth -= 1;
        Ok(v)
    }

    fn primary(&mut self) -> Result<i64, ArithError> {
        self.blanks();
        if self.take("(") {
            let v = self.ternary()?;
            return if self.take(")") {
                Ok(v)
            } else {
                Err(ArithError::Syntax)
            };
        }
        let start = self.at;
        while self
            .s
            .get(self.at)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            self.at += 1;
        }
        let word = std::str::from_utf8(&self.s[start..self.at]).map_err(|_| ArithError::Syntax)?;
        if word.is_empty() {
            return Err(ArithError::Syntax);
        }
        self.blanks();
        let rest = &self.s[self.at..];
        let assigns = rest.first() == Some(&b'=') && rest.get(1) != Some(&b'=')
            || (rest.len() > 1 && rest[1] == b'=' && b"+-*/%&|^".contains(&rest[0]));
        if assigns {
            return Err(ArithError::Assignment);
        }
        if word.as_bytes()[0].is_ascii_digit() {
            return number(word);
        }
        // A variable holds a number (or, as in dash, nothing: 0).
        match (self.var)(word) {
            Some(v) if !v.trim().is_empty() => number(v.trim()),
            _ => Ok(0),
        }
    }
}

fn number(text: &str) -> Result<i64, ArithError> {
    let (digits, radix) = if let Some(h) = text.strip_prefix("0x").or(text.strip_prefix("0X")) {
        (h, 16)
    } else if text.len() > 1 && text.starts_with('0') {
        (&text[1..], 8)
    } else {
        (text, 10)
    };
    match i64::from_str_radix(digits, radix) {
        Ok(n) => Ok(n),
        Err(e) if matches!(e.kind(), std::num::IntErrorKind::PosOverflow) => {
            Err(ArithError::Overflow)
        }
        Err(_) => Err(ArithError::Syntax),
    }
}

fn apply(op: &str, a: i64, b: i64) -> Result<i64, ArithError> {
    let over = ArithError::Overflow;
    Ok(match op {
        "+" => a.checked_add(b).ok_or(over)?,
        "-" => a.checked_sub(b).ok_or(over)?,
        "*" => a.checked_mul(b).ok_or(over)?,
        "/" | "%" if b == 0 => return Err(ArithError::DivisionByZero),
        "/" => a.checked_div(b).ok_or(over)?,
        "%" => a.checked_rem(b).ok_or(over)?,
        "<<" | ">>" if !(0..64).contains(&b) => return Err(over),
        "<<" => a << b,
        ">>" => a >> b,
        "<" => i64::from(a < b),
        "<=" => i64::from(a <= b),
        ">" => i64::from(a > b),
        ">=" => i64::from(a >= b),
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "&" => a & b,
        "^" => a ^ b,
        "|" => a | b,
        "&&" => i64::from(a != 0 && b != 0),
        _ => i64::from(a != 0 || b != 0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_evaluate_with_c_precedence_and_checked_overflow() {
        let var = |n: &str| (n == "x").then(|| "7".to_owned());
        let cases: &[(&str, Result<i64, ArithError>)] = &[
            ("1+2", Ok(3)),
            ("1 + 2 * 3", Ok(7)),
            ("(1+2)*3", Ok(9)),
            ("x * 2 - y", Ok(14)),
            ("-x % 4", Ok(-3)),
            ("1 << 4 | 1", Ok(17)),
            ("x > 5 && x < 10", Ok(1)),
            ("x == 7 ? 010 : 0x10", Ok(8)),
            ("!0 + ~0", Ok(0)),
            ("9223372036854775807", Ok(i64::MAX)),
            ("9223372036854775807 + 1", Err(ArithError::Overflow)),
            ("9223372036854775808", Err(ArithError::Overflow)),
            ("1/0", Err(ArithError::DivisionByZero)),
            ("1 +", Err(ArithError::Syntax)),
            ("x = 1", Err(ArithError::Assignment)),
            ("x += 1", Err(ArithError::Assignment)),
        ];
        for (expr, want) in cases {
            assert_eq!(&eval(expr, &var), want, "{expr}");
        }
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(eval(&deep, &var), Err(ArithError::TooDeep));
        assert_eq!(eval(&"-".repeat(10_000), &var), Err(ArithError::TooDeep));
    }
}
