//! Splitting a command line into words, with quotes and backslashes as a shell does.

/// A quote left open, as `sh` words it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unterminated;

impl std::fmt::Display for Unterminated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Syntax error: Unterminated quoted string")
    }
}

/// Splits `line` into words. Unbalanced quotes are an error, as in `sh`.
pub fn split(line: &str) -> Result<Vec<String>, Unterminated> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(Unterminated),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(Unterminated),
                        },
                        Some(c) => word.push(c),
                        None => return Err(Unterminated),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn words_split_as_a_shell_splits_them() {
        let cases: &[(&str, &[&str])] = &[
            ("docker ps -a", &["docker", "ps", "-a"]),
            ("  docker   run  ", &["docker", "run"]),
            (
                "echo 'a b' \"c \\\"d\\\"\" e\\ f",
                &["echo", "a b", "c \"d\"", "e f"],
            ),
            ("commit -m ''", &["commit", "-m", ""]),
        ];
        for (line, want) in cases {
            let got = split(line).expect("splits");
            assert_eq!(
                got,
                want.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
                "{line}"
            );
        }
        assert!(split("echo 'open").is_err());
    }
}
