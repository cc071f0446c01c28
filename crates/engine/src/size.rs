//! Sizes as Docker prints them: go-units `HumanSize` (4 significant digits) and
//! `HumanSizeWithPrecision(x, 3)`, quirks included (`1e+03kB`).

const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

/// `HumanSize`: 4 significant digits, as `docker system df` prints.
pub fn human_size(bytes: f64) -> String {
    human_size_with_precision(bytes, 4)
}

/// `HumanSizeWithPrecision`: divide by 1000 until below 1000, then `%.{p}g` + unit.
pub fn human_size_with_precision(bytes: f64, precision: usize) -> String {
    let mut size = bytes;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    format!("{}{}", format_g(size, precision), UNITS[unit])
}

/// C's and Go's `%.{p}g` for a finite value.
pub fn format_g(value: f64, precision: usize) -> String {
    let p = precision.max(1);
    if value == 0.0 {
        return "0".to_owned();
    }
    if !value.is_finite() {
        return format!("{value}");
    }
    // Rust's `{:e}` rounds correctly (ties to even on the exact binary value), as Go does.
    let sci = format!("{:.*e}", p - 1, value);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= p as i32 {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim_zeros(mantissa), exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        trim_zeros(&format!("{value:.decimals$}")).to_owned()
    }
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// bytes → (precision 3, precision 4), from the semantics reference.
    const VECTORS: &[(f64, &str, &str)] = &[
        (0.0, "0B", "0B"),
        (2.0, "2B", "2B"),
        (999.0, "999B", "999B"),
        (1000.0, "1kB", "1kB"),
        (1024.0, "1.02kB", "1.024kB"),
        (1125.0, "1.12kB", "1.125kB"),
        (1500.0, "1.5kB", "1.5kB"),
        (12345.0, "12.3kB", "12.35kB"),
        (68_200_000.0, "68.2MB", "68.2MB"),
        (68_250_001.0, "68.3MB", "68.25MB"),
        (109_000_000.0, "109MB", "109MB"),
        (109_499_999.0, "109MB", "109.5MB"),
        (999_499.0, "999kB", "999.5kB"),
        (999_500.0, "1e+03kB", "999.5kB"),
        (999_999.0, "1e+03kB", "1000kB"),
        (999_960_000.0, "1e+03MB", "1000MB"),
        (1_000_000_000.0, "1GB", "1GB"),
        (1_234_567_890.0, "1.23GB", "1.235GB"),
        (-1.0, "-1B", "-1B"),
    ];

    #[test]
    fn matches_docker_for_every_reference_vector() {
        for &(bytes, p3, p4) in VECTORS {
            assert_eq!(
                human_size_with_precision(bytes, 3),
                p3,
                "{bytes} at precision 3"
            );
            assert_eq!(human_size(bytes), p4, "{bytes} at precision 4");
        }
    }

    #[test]
    fn small_values_use_exponents_as_go_does() {
        assert_eq!(format_g(0.00001234, 3), "1.23e-05");
        assert_eq!(format_g(0.0001234, 3), "0.000123");
    }
}
