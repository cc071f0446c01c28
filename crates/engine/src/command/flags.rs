//! Docker-style flags (as the CLI's `pflag` reads them): `-a`, `--all`,
//! combined short flags `-aq`, values as `--name web`, `--name=web` or `-m msg`.
//! Flags stop at `--`, and, for commands that run a program, at the first
//! positional argument (`docker run -d nginx nginx -g 'daemon off;'`).

use crate::map::Map;

/// One accepted flag.
#[derive(Clone, Copy)]
pub struct Flag {
    pub short: Option<char>,
    pub long: &'static str,
    pub takes_value: bool,
    /// May be given several times (`-c` of commit); values accumulate.
    pub repeat: bool,
}

pub const fn bool_flag(short: Option<char>, long: &'static str) -> Flag {
    Flag {
        short,
        long,
        takes_value: false,
        repeat: false,
    }
}

pub const fn value_flag(short: Option<char>, long: &'static str) -> Flag {
    Flag {
        short,
        long,
        takes_value: true,
        repeat: false,
    }
}

pub const fn list_flag(short: Option<char>, long: &'static str) -> Flag {
    Flag {
        short,
        long,
        takes_value: true,
        repeat: true,
    }
}

/// Parsed flags and positional arguments.
#[derive(Debug, Default)]
pub struct Parsed {
    values: Map<&'static str, Vec<String>>,
    pub args: Vec<String>,
}

impl Parsed {
    pub fn has(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }
    pub fn value(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }
    pub fn values(&self, long: &str) -> &[String] {
        self.values.get(long).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Why a command line's flags cannot be read; each prints as the docker CLI
/// words it (the caller adds the usage).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FlagError {
    /// `--name`, which the command does not take.
    Unknown(String),
    /// `-c` in the word `-xc`, which the command does not take.
    UnknownShort { flag: char, word: String },
    /// `--name` at the end of the line, its value missing.
    NeedsValue(String),
    /// `-c` at the end of the line, its value missing.
    ShortNeedsValue(char),
    /// `--all=maybe`: a switch given a value that is not a boolean.
    NotABoolean { flag: String, value: String },
}

impl std::fmt::Display for FlagError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FlagError::Unknown(name) => write!(f, "unknown flag: --{name}"),
            FlagError::UnknownShort { flag, word } => {
                write!(f, "unknown shorthand flag: '{flag}' in {word}")
            }
            FlagError::NeedsValue(name) => write!(f, "flag needs an argument: --{name}"),
            FlagError::ShortNeedsValue(c) => write!(f, "flag needs an argument: '{c}' in -{c}"),
            FlagError::NotABoolean { flag, value } => write!(
                f,
                "invalid argument \"{value}\" for \"--{flag}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax"
            ),
        }
    }
}

/// Parses `words` against `flags`, as the docker CLI reads them.
pub fn parse(
    flags: &[Flag],
    words: &[String],
    stop_at_first_arg: bool,
) -> Result<Parsed, FlagError> {
    let mut parsed = Parsed::default();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        i += 1;
        if w == "--" {
            parsed.args.extend(words[i..].iter().cloned());
            break;
        }
        if let Some(long) = w.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (long, None),
            };
            let flag = flags
                .iter()
                .find(|f| f.long == name)
                .ok_or_else(|| FlagError::Unknown(name.to_owned()))?;
            let value = if flag.takes_value {
                match inline {
                    Some(v) => v,
                    None => {
                        let v = words
                            .get(i)
                            .cloned()
                            .ok_or_else(|| FlagError::NeedsValue(name.to_owned()))?;
                        i += 1;
                        v
                    }
                }
            } else {
                match inline.as_deref() {
                    None | Some("true") => "true".to_owned(),
                    Some("false") => continue,
                    Some(v) => {
                        return Err(FlagError::NotABoolean {
                            flag: name.to_owned(),
                            value: v.to_owned(),
                        })
                    }
                }
            };
            add(&mut parsed, flag, value);
            continue;
        }
        if w.len() > 1 && w.starts_with('-') {
            let shorts: Vec<char> = w[1..].chars().collect();
            let mut j = 0;
            while j < shorts.len() {
                let c = shorts[j];
                j += 1;
                let flag = flags.iter().find(|f| f.short == Some(c)).ok_or_else(|| {
                    FlagError::UnknownShort {
                        flag: c,
                        word: w.clone(),
                    }
                })?;
                if flag.takes_value {
                    let rest: String = shorts[j..].iter().collect();
                    let value = if !rest.is_empty() {
                        rest.trim_start_matches('=').to_owned()
                    } else {
                        let v = words.get(i).cloned().ok_or(FlagError::ShortNeedsValue(c))?;
                        i += 1;
                        v
                    };
                    add(&mut parsed, flag, value);
                    break;
                }
                add(&mut parsed, flag, "true".to_owned());
            }
            continue;
        }
        parsed.args.push(w.clone());
        if stop_at_first_arg {
            parsed.args.extend(words[i..].iter().cloned());
            break;
        }
    }
    Ok(parsed)
}

fn add(parsed: &mut Parsed, flag: &Flag, value: String) {
    let entry = parsed.values.entry(flag.long).or_default();
    if !flag.repeat {
        entry.clear();
    }
    entry.push(value);
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAGS: &[Flag] = &[
        bool_flag(Some('a'), "all"),
        bool_flag(Some('q'), "quiet"),
        value_flag(None, "name"),
        list_flag(Some('c'), "change"),
    ];

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn flags_parse_as_the_docker_cli_reads_them() {
        let p = parse(FLAGS, &words("-aq --name web x -c A -c B"), false).expect("parses");
        assert!(p.has("all") && p.has("quiet"));
        assert_eq!(p.value("name"), Some("web"));
        assert_eq!(p.values("change"), ["A", "B"]);
        assert_eq!(p.args, ["x"]);
        let p = parse(FLAGS, &words("--name=db img -a cmd"), true).expect("parses");
        assert_eq!(p.args, ["img", "-a", "cmd"]);
        assert!(!p.has("all"));
    }

    #[test]
    fn bad_flags_are_named() {
        for (line, error, shown) in [
            (
                "--nope",
                FlagError::Unknown("nope".into()),
                "unknown flag: --nope",
            ),
            (
                "-ax",
                FlagError::UnknownShort {
                    flag: 'x',
                    word: "-ax".into(),
                },
                "unknown shorthand flag: 'x' in -ax",
            ),
            (
                "--name",
                FlagError::NeedsValue("name".into()),
                "flag needs an argument: --name",
            ),
            (
                "-c",
                FlagError::ShortNeedsValue('c'),
                "flag needs an argument: 'c' in -c",
            ),
            (
                "--all=maybe",
                FlagError::NotABoolean {
                    flag: "all".into(),
                    value: "maybe".into(),
                },
                "invalid argument \"maybe\" for \"--all\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax",
            ),
        ] {
            let got = parse(FLAGS, &words(line), false).expect_err(line);
            assert_eq!(got, error, "{line}");
            assert_eq!(got.to_string(), shown, "{line}");
        }
    }
}
