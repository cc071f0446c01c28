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

/// C's and Go's `%.{p}g`: `p` significant digits of the exact binary value,
/// ties to even, trailing zeros dropped, an exponent when it is below -4 or at
/// least `p`. Integer arithmetic only (float formatting costs the browser
/// build about 16 KB); values below 1e-15 print as `0`.
pub fn format_g(value: f64, precision: usize) -> String {
    let p = precision.clamp(1, 17) as i32;
    if value.is_nan() {
        return "NaN".into();
    }
    if value < 0.0 {
        return format!("-{}", format_g(-value, precision));
    }
    if value.is_infinite() {
        return "+Inf".into();
    }
    if value < 1e-15 {
        return "0".into();
    }
    // value = m * 2^e exactly.
    let bits = value.to_bits();
    let raw_exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = u128::from(bits & ((1 << 52) - 1));
    let (m, e) = if raw_exp == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, raw_exp - 1075)
    };
    // The decimal exponent: 10^x <= value < 10^(x+1).
    let mut x = 0i32;
    while pow10(x + 1) <= value {
        x += 1;
    }
    while pow10(x) > value {
        x -= 1;
    }
    let mut digits = scaled_round(m, e, p - 1 - x);
    if digits >= 10u128.pow(p as u32) {
        x += 1;
        digits = scaled_round(m, e, p - 1 - x);
    }
    let text = digits.to_string();
    if x < -4 || x >= p {
        let (first, rest) = text.split_at(1);
        let mantissa = trim_zeros_owned(format!("{first}.{rest}"));
        let sign = if x < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", x.abs());
    }
    if x >= 0 {
        let (int, fraction) = text.split_at((x + 1) as usize);
        trim_zeros_owned(format!("{int}.{fraction}"))
    } else {
        let zeros = "0".repeat((-x - 1) as usize);
        trim_zeros_owned(format!("0.{zeros}{text}"))
    }
}

/// 10^x as f64 (exact for the exponents sizes reach).
fn pow10(x: i32) -> f64 {
    let mut v = 1.0;
    for _ in 0..x.unsigned_abs() {
        if x > 0 {
            v *= 10.0;
        } else {
            v /= 10.0;
        }
    }
    v
}

/// `m * 2^e * 10^k`, rounded to an integer, ties to even.
fn scaled_round(m: u128, e: i32, k: i32) -> u128 {
    let ten = |n: i32| 10u128.checked_pow(n.unsigned_abs()).unwrap_or(u128::MAX);
    let mut num = m;
    let mut den = 1u128;
    if k >= 0 {
        num = num.saturating_mul(ten(k));
    } else {
        den = ten(k);
    }
    if e >= 0 {
        num = num.checked_shl(e as u32).unwrap_or(u128::MAX);
    } else if e > -120 {
        den = den.saturating_mul(1u128 << (-e) as u32);
    } else {
        return 0;
    }
    let (q, r) = (num / den, num % den);
    // r against the other part of the divisor: 2r vs den without overflow.
    match r.cmp(&(den - r)) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q.saturating_add(1),
        std::cmp::Ordering::Equal => q.saturating_add(q & 1),
    }
}

fn trim_zeros_owned(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
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
    fn rounding_follows_the_binary_value_as_go_does() {
        // 1.015 is 1.01499999999999990230... in binary: Go prints 1.01.
        assert_eq!(format_g(1015.0 / 1000.0, 3), "1.01");
        assert_eq!(format_g(1.125, 3), "1.12");
        assert_eq!(format_g(1.375, 3), "1.38");
        assert_eq!(format_g(123456.0, 3), "1.23e+05");
        assert_eq!(format_g(99.95, 3), "100");
        assert_eq!(format_g(0.5, 1), "0.5");
        assert_eq!(format_g(7.0, 2), "7");
    }

    #[test]
    fn any_number_formats_without_panicking() {
        for v in [
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1e300,
            1e-300,
            f64::NAN,
            f64::INFINITY,
            -f64::INFINITY,
            0.999_999_999,
            999.999_999,
            1e15,
            9.999e22,
            u64::MAX as f64,
        ] {
            for p in [1, 3, 4, 17, 40] {
                let _ = format_g(v, p);
                let _ = human_size_with_precision(v, p);
            }
        }
        assert_eq!(format_g(u64::MAX as f64, 4), "1.845e+19");
    }

    #[test]
    fn small_values_use_exponents_as_go_does() {
        assert_eq!(format_g(0.00001234, 3), "1.23e-05");
        assert_eq!(format_g(0.0001234, 3), "0.000123");
    }
}
