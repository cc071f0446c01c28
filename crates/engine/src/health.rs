//! HEALTHCHECK: the probe in the image config, and the text both builders
//! write in history (Go's `%+v` of the config). Below both `image` and
//! `build`, which use it.

use crate::dockerfile::{maybe_json, Instruction};
use serde::Serialize;
use std::fmt;

/// A HEALTHCHECK instruction BuildKit refuses, in its words.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HealthError {
    /// `HEALTHCHECK --interval=… NONE`.
    NoneWithFlags,
    /// A first word other than `CMD` or `NONE`.
    UnknownType(String),
    /// `--retries` that is not a number.
    Retries(String),
    /// A duration flag Go's `time.ParseDuration` refuses.
    Duration(String),
}

impl fmt::Display for HealthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HealthError::NoneWithFlags => f.write_str("HEALTHCHECK NONE takes no arguments"),
            HealthError::UnknownType(word) => {
                write!(f, "Unknown type \"{word}\" in HEALTHCHECK (try CMD)")
            }
            HealthError::Retries(v) => {
                write!(f, "strconv.ParseInt: parsing \"{v}\": invalid syntax")
            }
            HealthError::Duration(v) => write!(f, "time: invalid duration \"{v}\""),
        }
    }
}

/// `Healthcheck` in an image config; durations in nanoseconds, zeros left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HealthConfig {
    #[serde(rename = "Test")]
    pub test: Vec<String>,
    #[serde(rename = "Interval", skip_serializing_if = "is_zero")]
    pub interval: u64,
    #[serde(rename = "Timeout", skip_serializing_if = "is_zero")]
    pub timeout: u64,
    #[serde(rename = "StartPeriod", skip_serializing_if = "is_zero")]
    pub start_period: u64,
    #[serde(rename = "StartInterval", skip_serializing_if = "is_zero")]
    pub start_interval: u64,
    #[serde(rename = "Retries", skip_serializing_if = "is_zero")]
    pub retries: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl HealthConfig {
    /// `{Test:[CMD-SHELL curl -f http://x/] Interval:30s Timeout:0s StartPeriod:0s StartInterval:0s Retries:0}`
    pub fn shown(&self) -> String {
        format!(
            "{{Test:[{}] Interval:{} Timeout:{} StartPeriod:{} StartInterval:{} Retries:{}}}",
            self.test.join(" "),
            go_duration(self.interval),
            go_duration(self.timeout),
            go_duration(self.start_period),
            go_duration(self.start_interval),
            self.retries
        )
    }
}

/// The probe a HEALTHCHECK instruction declares; `rest` is its text after the flags.
pub fn healthcheck(i: &Instruction, rest: &str) -> Result<HealthConfig, HealthError> {
    let rest = rest.trim();
    let (word, cmd) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    let test = match word.to_ascii_uppercase().as_str() {
        "NONE" if cmd.trim().is_empty() => {
            if !i.flags.is_empty() {
                return Err(HealthError::NoneWithFlags);
            }
            return Ok(HealthConfig {
                test: vec!["NONE".into()],
                ..HealthConfig::default()
            });
        }
        "CMD" => match maybe_json(cmd.trim()) {
            Ok(Some(list)) => [vec!["CMD".to_owned()], list].concat(),
            _ => vec!["CMD-SHELL".to_owned(), cmd.trim().to_owned()],
        },
        _ => return Err(HealthError::UnknownType(word.to_owned())),
    };
    let mut hc = HealthConfig {
        test,
        ..HealthConfig::default()
    };
    for f in &i.flags {
        let value = f.value.clone().unwrap_or_default();
        let slot = match f.name.as_str() {
            "interval" => &mut hc.interval,
            "timeout" => &mut hc.timeout,
            "start-period" => &mut hc.start_period,
            "start-interval" => &mut hc.start_interval,
            "retries" => {
                hc.retries = value
                    .parse()
                    .map_err(|_| HealthError::Retries(value.clone()))?;
                continue;
            }
            _ => continue,
        };
        *slot = parse_duration(&value).ok_or(HealthError::Duration(value))?;
    }
    Ok(hc)
}

/// Go's `time.ParseDuration` for the units a Dockerfile uses (decimal
/// fractions read digit by digit, no float parsing).
pub fn parse_duration(s: &str) -> Option<u64> {
    if s == "0" {
        return Some(0);
    }
    if s.is_empty() {
        return None;
    }
    let mut total: u128 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .filter(|n| *n > 0)?;
        let (number, after) = rest.split_at(n);
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let scale: u128 = match &after[..unit_len] {
            "ns" => 1,
            "us" | "µs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if fraction.contains('.') || (whole.is_empty() && fraction.is_empty()) {
            return None;
        }
        let mut value = if whole.is_empty() {
            0
        } else {
            whole.parse::<u128>().ok()?.checked_mul(scale)?
        };
        let mut place = scale;
        for d in fraction.bytes().take(18) {
            place /= 10;
            value += u128::from(d - b'0') * place;
        }
        total = total.checked_add(value)?;
        rest = &after[unit_len..];
    }
    u64::try_from(total).ok()
}

/// Go's `time.Duration.String`: `0s`, `500ms`, `1.5s`, `1m30s`, `1h0m0s`.
pub fn go_duration(ns: u64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    if ns < 1_000_000_000 {
        let (div, unit) = match ns {
            n if n < 1_000 => (1, "ns"),
            n if n < 1_000_000 => (1_000, "µs"),
            _ => (1_000_000, "ms"),
        };
        return format!("{}{unit}", trim_fraction(ns, div));
    }
    let (h, rem) = (ns / 3_600_000_000_000, ns % 3_600_000_000_000);
    let (m, rem) = (rem / 60_000_000_000, rem % 60_000_000_000);
    let secs = trim_fraction(rem, 1_000_000_000);
    match (h, m) {
        (0, 0) => format!("{secs}s"),
        (0, m) => format!("{m}m{secs}s"),
        (h, m) => format!("{h}h{m}m{secs}s"),
    }
}

/// `n / div` with the fraction's trailing zeros dropped (`1500, 1000` → `1.5`).
fn trim_fraction(n: u64, div: u64) -> String {
    let whole = n / div;
    let frac = n % div;
    if frac == 0 {
        return whole.to_string();
    }
    let width = div.ilog10() as usize;
    let digits = format!("{frac:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_as_go_prints_them() {
        let cases = [
            ("0s", 0, "0s"),
            ("30s", 30_000_000_000, "30s"),
            ("1m30s", 90_000_000_000, "1m30s"),
            ("1h", 3_600_000_000_000, "1h0m0s"),
            ("500ms", 500_000_000, "500ms"),
            ("1.5s", 1_500_000_000, "1.5s"),
            ("90s", 90_000_000_000, "1m30s"),
        ];
        for (text, ns, shown) in cases {
            assert_eq!(parse_duration(text), Some(ns), "{text}");
            assert_eq!(go_duration(ns), shown, "{text}");
        }
        assert_eq!(parse_duration("5x"), None);
        assert_eq!(parse_duration(""), None);
    }
}
