//! Autosave: what the app keeps in the browser's storage, with a schema version.
//! A reload replays the saved command lines through a fresh session, so the
//! engine's state, the terminal and the numbers come back exactly.
//!
//! Corrupt or future-version data is never silently dropped: loading says why
//! it failed, and the app keeps the raw text under [`BACKUP_KEY`].

use serde::{Deserialize, Serialize};
use std::fmt;

pub const KEY: &str = "layerlab.autosave";
pub const BACKUP_KEY: &str = "layerlab.autosave.unreadable";
pub const VERSION: u32 = 1;

/// The language an autosave was written in, read without the JSON parser:
/// the page draws itself in it before the rest of the code (and the parser)
/// is here. Inside a JSON string a quote is escaped, so `"lang":"` is the key.
pub fn saved_lang(raw: &str) -> Option<&str> {
    let (_, after) = raw.split_once(r#""lang":""#)?;
    after.split('"').next()
}

/// Everything a reload restores.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub version: u32,
    pub lang: String,
    pub dockerfile: String,
    /// Every line submitted in the terminal, in order.
    pub commands: Vec<String>,
    /// The lesson being followed (its id), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
    /// Ids of the lessons whose goal was reached.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub done: Vec<String>,
    /// The sandbox's command lines, kept while a lesson is followed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sandbox: Option<Vec<String>>,
    /// How many of the lesson's solution steps have run (presenter mode's place).
    /// Written for whoever reads the save; the app derives the place from
    /// `commands` (`lessons::steps_done`), so the two always agree.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub step: usize,
    /// Each lesson's command lines as the learner left it (by lesson id):
    /// switching away and back brings the work back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lessons: Vec<(String, Vec<String>)>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// Not JSON of the expected shape (truncated, edited, or from elsewhere);
    /// the JSON reader's own words.
    Corrupt(String),
    /// Written by a newer Layerlab.
    FutureVersion(u32),
    /// A fragment that is no Layerlab link.
    NotALink,
    /// A link cut short or altered (its text no longer decodes).
    Altered,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Corrupt(why) => write!(f, "the saved data is damaged ({why})"),
            LoadError::FutureVersion(v) => write!(
                f,
                "it was saved by a newer Layerlab (format {v}; this one reads {VERSION})"
            ),
            LoadError::NotALink => f.write_str("not a Layerlab link"),
            LoadError::Altered => f.write_str("the link is cut short or altered"),
        }
    }
}

pub fn save(saved: &Saved) -> String {
    serde_json::to_string(saved).unwrap_or_default()
}

pub fn load(text: &str) -> Result<Saved, LoadError> {
    /// The version alone, read first: a newer format may change the rest.
    #[derive(Deserialize)]
    struct Versioned {
        version: Option<u64>,
    }
    let peek: Versioned =
        serde_json::from_str(text).map_err(|e| LoadError::Corrupt(e.to_string()))?;
    let version = peek
        .version
        .ok_or_else(|| LoadError::Corrupt("no version".into()))?;
    if version > u64::from(VERSION) {
        return Err(LoadError::FutureVersion(
            u32::try_from(version).unwrap_or(u32::MAX),
        ));
    }
    serde_json::from_str(text).map_err(|e| LoadError::Corrupt(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_of_saved_work_is_read_without_parsing_it() {
        // (saved text, language read)
        let cases = [
            (r#"{"version":1,"lang":"zh","dockerfile":"x"}"#, Some("zh")),
            (
                r#"{"commands":["echo \"lang\":\"en\""],"lang":"zh"}"#,
                Some("zh"),
            ),
            (r#"{"version":1,"dockerfile":"x"}"#, None),
            ("not json at all", None),
        ];
        for (raw, want) in cases {
            assert_eq!(super::saved_lang(raw), want, "{raw}");
        }
    }

    fn sample() -> Saved {
        Saved {
            version: VERSION,
            lang: "zh".into(),
            dockerfile: "FROM ubuntu:15.04\nCOPY . /app\n".into(),
            commands: vec!["docker pull ubuntu:15.04".into(), "docker ps -a".into()],
            lesson: Some("cow".into()),
            done: vec!["layers".into()],
            sandbox: Some(vec!["docker images".into()]),
            step: 2,
            lessons: vec![("layers".into(), vec!["docker pull ubuntu:15.04".into()])],
        }
    }

    #[test]
    fn saved_state_round_trips() {
        assert_eq!(load(&save(&sample())), Ok(sample()));
    }

    #[test]
    fn saves_from_before_lessons_still_load() {
        let old =
            r#"{"version":1,"lang":"en","dockerfile":"FROM busybox\n","commands":["docker ps"]}"#;
        let saved = load(old).expect("loads");
        assert_eq!(saved.commands, ["docker ps"]);
        assert_eq!(
            (saved.lesson, saved.done, saved.sandbox),
            (None, Vec::new(), None)
        );
    }

    #[test]
    fn damaged_truncated_and_future_data_say_why() {
        let text = save(&sample());
        let cases = [
            (&text[..text.len() / 2], "damaged"),
            ("not json at all", "damaged"),
            ("{\"version\":1}", "damaged"),
            ("{\"lang\":\"en\"}", "no version"),
            (
                "{\"version\":99,\"lang\":\"en\"}",
                "newer Layerlab (format 99",
            ),
        ];
        for (input, want) in cases {
            let err = load(input).expect_err(input).to_string();
            assert!(err.contains(want), "{input:?}: {err}");
        }
    }
}

/// The largest state a link may unpack to, so a hostile link cannot exhaust memory.
const LINK_LIMIT: usize = 1 << 20;

/// A permalink fragment for `saved`: `v1.` + base64url(deflate(JSON)).
pub fn to_fragment(saved: &Saved) -> String {
    use base64::Engine as _;
    let packed = layerlab_engine::gzip::deflate_raw(save(saved).as_bytes(), 9);
    format!(
        "v{VERSION}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
    )
}

/// Reads a permalink fragment (with or without the leading `#`).
pub fn from_fragment(fragment: &str) -> Result<Saved, LoadError> {
    use base64::Engine as _;
    let fragment = fragment.trim_start_matches('#');
    let (version, body) = fragment.split_once('.').ok_or(LoadError::NotALink)?;
    let version: u32 = version
        .strip_prefix('v')
        .and_then(|v| v.parse().ok())
        .ok_or(LoadError::NotALink)?;
    if version > VERSION {
        return Err(LoadError::FutureVersion(version));
    }
    let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| LoadError::Altered)?;
    let json =
        layerlab_engine::gzip::inflate_raw(&packed, LINK_LIMIT).map_err(|_| LoadError::Altered)?;
    load(std::str::from_utf8(&json).map_err(|_| LoadError::Altered)?)
}

#[cfg(test)]
mod link_tests {
    use super::*;

    #[test]
    fn links_round_trip_and_bad_links_say_why() {
        let saved = Saved {
            version: VERSION,
            lang: "en".into(),
            dockerfile: "FROM busybox\n".into(),
            commands: (0..40)
                .map(|i| format!("docker run -d --name c{i} busybox sleep 1"))
                .collect(),
            lesson: None,
            done: Vec::new(),
            sandbox: None,
            step: 0,
            lessons: Vec::new(),
        };
        let link = to_fragment(&saved);
        assert!(link.starts_with("v1."));
        assert!(link.len() < 400, "compressed: {} chars", link.len());
        assert_eq!(from_fragment(&format!("#{link}")), Ok(saved));
        let cases = [
            (link[..link.len() / 2].to_owned(), "cut short"),
            ("v1.!!!".to_owned(), "cut short"),
            ("hello".to_owned(), "not a Layerlab link"),
            (format!("v7.{}", &link[3..]), "newer Layerlab (format 7"),
        ];
        for (input, want) in cases {
            let err = from_fragment(&input).expect_err(&input).to_string();
            assert!(err.contains(want), "{input}: {err}");
        }
    }
}
