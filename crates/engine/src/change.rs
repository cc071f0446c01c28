//! `docker commit --change`: the Dockerfile instructions a commit may apply to
//! the new image's config (`CMD`, `ENTRYPOINT`, `ENV`, `EXPOSE`, `HEALTHCHECK`,
//! `LABEL`, `ONBUILD`, `STOPSIGNAL`, `USER`, `VOLUME`, `WORKDIR`).

use crate::image::RunConfig;

/// Instructions `docker commit --change` accepts.
pub const COMMIT_INSTRUCTIONS: [&str; 11] = [
    "CMD",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "HEALTHCHECK",
    "LABEL",
    "ONBUILD",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// `["a", "b"]` as a list of strings, or `None` if it is not a JSON array of strings.
fn json_list(text: &str) -> Option<Vec<String>> {
    let t = text.trim_start();
    if !t.starts_with('[') {
        return None;
    }
    serde_json::from_str::<Vec<String>>(t).ok()
}

/// Why a `--change` line is refused; each prints as the daemon words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeError {
    /// An instruction a commit cannot take (`RUN`, `FROM`, …), upper-cased.
    NotAChange(String),
    /// An instruction with nothing after it.
    NoArgument(String),
    /// `ENV` or `LABEL` pairs that do not read (the parser's own words).
    Pairs(crate::dockerfile::PairsError),
    /// A `VOLUME` that names an empty path.
    EmptyVolume,
}

impl std::fmt::Display for ChangeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChangeError::NotAChange(instr) => write!(f, "{instr} is not a valid change command"),
            ChangeError::NoArgument(instr) => write!(f, "{instr} requires at least one argument"),
            ChangeError::Pairs(why) => write!(f, "{why}"),
            ChangeError::EmptyVolume => f.write_str("VOLUME specified can not be an empty string"),
        }
    }
}

/// Applies one `--change` line to `config`, as `docker commit --change` does.
pub fn apply_change(config: &mut RunConfig, line: &str) -> Result<(), ChangeError> {
    let line = line.trim();
    let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let instr = word.to_ascii_uppercase();
    if !COMMIT_INSTRUCTIONS.contains(&instr.as_str()) {
        return Err(ChangeError::NotAChange(instr));
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return Err(ChangeError::NoArgument(instr));
    }
    let shell = |text: &str| vec!["/bin/sh".to_owned(), "-c".to_owned(), text.to_owned()];
    match instr.as_str() {
        "CMD" => config.cmd = Some(json_list(rest).unwrap_or_else(|| shell(rest))),
        "ENTRYPOINT" => {
            config.entrypoint = Some(json_list(rest).unwrap_or_else(|| shell(rest)));
        }
        "ENV" => {
            for (k, v) in crate::dockerfile::pairs("ENV", rest).map_err(ChangeError::Pairs)? {
                config
                    .env
                    .retain(|e| e.split_once('=').map(|(n, _)| n) != Some(k.as_str()));
                config.env.push(format!("{k}={v}"));
            }
        }
        "LABEL" => {
            for (k, v) in crate::dockerfile::pairs("LABEL", rest).map_err(ChangeError::Pairs)? {
                config.labels.insert(k, v);
            }
        }
        "EXPOSE" => {
            for port in rest.split_whitespace() {
                let port = if port.contains('/') {
                    port.to_owned()
                } else {
                    format!("{port}/tcp")
                };
                config.exposed_ports.insert(port, Default::default());
            }
        }
        "VOLUME" => {
            for v in json_list(rest)
                .unwrap_or_else(|| rest.split_whitespace().map(str::to_owned).collect())
            {
                if v.trim().is_empty() {
                    return Err(ChangeError::EmptyVolume);
                }
                config.volumes.insert(v, Default::default());
            }
        }
        "USER" => config.user = rest.to_owned(),
        "WORKDIR" => config.working_dir = rest.to_owned(),
        "STOPSIGNAL" => config.stop_signal = rest.to_owned(),
        "ONBUILD" => config.on_build.push(rest.to_owned()),
        _ => {
            // HEALTHCHECK is kept in the config's history of changes only; the simulator runs no probes.
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_set_the_config_as_docker_commit_does() {
        let mut c = RunConfig::default();
        for line in [
            "CMD [\"nginx\", \"-g\", \"daemon off;\"]",
            "ENV A=1 B=\"two words\"",
            "ENV A=3",
            "expose 80 443/udp",
            "LABEL version=1.0",
            "WORKDIR /srv",
            "USER www-data",
            "ENTRYPOINT /entry.sh",
        ] {
            apply_change(&mut c, line).expect(line);
        }
        assert_eq!(
            c.cmd,
            Some(vec!["nginx".into(), "-g".into(), "daemon off;".into()])
        );
        assert_eq!(c.env, ["B=two words", "A=3"]);
        assert_eq!(
            c.exposed_ports.keys().collect::<Vec<_>>(),
            ["443/udp", "80/tcp"]
        );
        assert_eq!(c.labels.get("version").map(String::as_str), Some("1.0"));
        assert_eq!(
            (c.working_dir.as_str(), c.user.as_str()),
            ("/srv", "www-data")
        );
        assert_eq!(
            c.entrypoint,
            Some(vec!["/bin/sh".into(), "-c".into(), "/entry.sh".into()])
        );
    }

    #[test]
    fn bad_changes_are_refused_with_dockers_words() {
        let mut c = RunConfig::default();
        let cases = [
            ("RUN make", "RUN is not a valid change command"),
            ("FROM alpine", "FROM is not a valid change command"),
            ("CMD", "CMD requires at least one argument"),
            (
                "VOLUME [\"\"]",
                "VOLUME specified can not be an empty string",
            ),
            ("ENV A", "ENV must have two arguments"),
            (
                "ENV A=1 B",
                "Syntax error - can't find = in \"B\". Must be of the form: name=value",
            ),
        ];
        for (line, want) in cases {
            let refused = apply_change(&mut c, line).expect_err(line);
            assert_eq!(refused.to_string(), want, "{line}");
        }
    }
}
