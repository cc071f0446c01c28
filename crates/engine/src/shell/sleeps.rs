//! Programs that wait: whether a `sleep` (or `tail -f`) outlasts what the
//! running process allows, so that a container's main process stays `Up`.

use super::Run;

impl Run<'_, '_> {
    /// Whether `program args` waits longer than [`Shell::long_sleep`] allows
    /// to finish: a long `sleep`, or `tail -f`.
    pub(super) fn blocks(&self, program: &str, args: &[String]) -> bool {
        let Some(limit) = self.sh.long_sleep else {
            return false;
        };
        match program {
            "sleep" => {
                let seconds: f64 = args
                    .iter()
                    .map(|a| {
                        // `infinity` (GNU sleep's forever) and plain numbers.
                        if let Ok(n) = a.parse::<f64>() {
                            return n;
                        }
                        let (n, unit) = match a.char_indices().last() {
                            Some((i, c)) if c.is_ascii_alphabetic() => (&a[..i], c),
                            _ => (a.as_str(), 's'),
                        };
                        let scale = match unit {
                            'm' => 60.0,
                            'h' => 3600.0,
                            'd' => 86400.0,
                            _ => 1.0,
                        };
                        n.parse::<f64>().unwrap_or(0.0) * scale
                    })
                    .sum();
                a_long_time(seconds, limit)
            }
            "tail" => args.iter().any(|a| a == "-f" || a == "-F"),
            _ => false,
        }
    }
}

/// Whether a sleep of `seconds` (infinity included) outlasts `limit`.
fn a_long_time(seconds: f64, limit: u64) -> bool {
    seconds >= limit as f64 && seconds > 0.0
}
