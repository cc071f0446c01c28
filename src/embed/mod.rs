//! Embed mode: a compact Layerlab inside a tutorial's `<iframe>`
//! (`index.html?embed=1`), driven by the page's own "Run this" buttons.
//!
//! - [`Options`]: what the frame's address asks for: where to start, which
//!   parent origins may drive it, whether the Dockerfile editor shows.
//! - [`message`]: the `postMessage` API, checked to the letter (docs/embed.md).
//! - An embed keeps its work under its own key, one per embedding page and
//!   frame ([`storage_key`]), never the full app's autosave.
//!
//! The embed is the same bundle as the app: `main.rs` chooses its root
//! component, `components/embedded.rs`, from the address.

pub mod message;
pub mod report;
pub mod runner;

use crate::lessons::{setup_log, Lesson, LESSONS};

/// What an embed's address asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// The origins whose parent page may drive the embed (`origin=`, comma
    /// separated); without it, only the embed's own origin.
    pub origins: Vec<String>,
    /// `origin=` entries that are not origins (`https://host[:port]`): ignored, and reported.
    pub refused: Vec<String>,
    /// `editor=1`: the Dockerfile editor shows under the terminal.
    pub editor: bool,
    pub start: Start,
}

/// Where an embed starts when it has no saved work of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    Fresh,
    /// A permalink's fragment (what "Link to this state" makes).
    Link(String),
    /// A scenario file's address on the embed's own origin (`scenario=`).
    Scenario(String),
    /// A lesson's setup and its first `step` solution lines (`lesson=ID&step=N`).
    Lesson {
        index: usize,
        step: usize,
    },
}

impl Options {
    /// Reads the options from the frame's query (`param`), its own origin and
    /// its fragment. A permalink wins over `scenario=`, which wins over `lesson=`.
    pub fn read(
        param: impl Fn(&str) -> Option<String>,
        own_origin: &str,
        fragment: Option<String>,
    ) -> Options {
        let mut origins = Vec::new();
        let mut refused = Vec::new();
        for entry in param("origin")
            .unwrap_or_default()
            .split([',', ' '])
            .filter(|e| !e.is_empty())
        {
            match origin(entry) {
                Some(o) if !origins.contains(&o) => origins.push(o),
                Some(_) => {}
                None => refused.push(entry.to_owned()),
            }
        }
        if origins.is_empty() {
            origins.extend(origin(own_origin));
        }
        let lesson = param("lesson").and_then(|id| Lesson::by_id(&id));
        let start = match (fragment, param("scenario"), lesson) {
            (Some(f), _, _) => Start::Link(f),
            (None, Some(url), _) => Start::Scenario(url),
            (None, None, Some(index)) => Start::Lesson {
                index,
                step: param("step").and_then(|s| s.parse().ok()).unwrap_or(0),
            },
            (None, None, None) => Start::Fresh,
        };
        Options {
            origins,
            refused,
            editor: param("editor").is_some_and(|v| v == "1"),
            start,
        }
    }

    /// Whether a message from `origin` may drive the embed.
    pub fn allows(&self, origin: &str) -> bool {
        self.origins.iter().any(|o| o == origin)
    }
}

impl Start {
    /// The command lines a lesson start replays: its setup, then its first
    /// `step` solution lines. `None` for the other starts.
    pub fn lesson_lines(&self) -> Option<Vec<String>> {
        let Start::Lesson { index, step } = *self else {
            return None;
        };
        let lesson = LESSONS.get(index)?;
        let mut lines = setup_log(lesson);
        lines.extend(lesson.solution.iter().take(step).map(|l| (*l).to_owned()));
        Some(lines)
    }
}

/// `text` as an origin (`scheme://host[:port]`, lower case, no path), if it is one.
pub fn origin(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches('/');
    let (scheme, rest) = text.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https") {
        return None;
    }
    let (host, port) = match rest.split_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (rest, None),
    };
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok_and(|n| n > 0));
    (host_ok && port_ok).then(|| format!("{scheme}://{}", rest.to_ascii_lowercase()))
}

/// The storage key of an embed's own work: one per embedding page (its
/// address without the fragment), frame (its name, or its place among the
/// page's frames) and start (the frame's query). Hashed: addresses can be long.
pub fn storage_key(page: &str, frame: &str, query: &str) -> String {
    let page = page.split('#').next().unwrap_or_default();
    // FNV-1a: a stable, dependency-free hash; the key needs no secrecy.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in [page, frame, query].join("\n").bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("layerlab.embed.{h:016x}")
}

/// The full app's address for `fragment` (a permalink's), beside the embed's own page.
pub fn full_app_url(embed_path: &str, fragment: &str) -> String {
    let dir = embed_path.rsplit_once('/').map_or("", |(d, _)| d);
    format!("{dir}/#{fragment}")
}

/// The `<iframe>` snippet that embeds `fragment`'s state from the app at
/// `origin` + `path`, in `lang` (the "Copy embed code" button's text). Its
/// `id` is what `layerlab-embed.js`'s `data-layerlab` names.
pub fn snippet(origin: &str, path: &str, fragment: &str, lang: &str, title: &str) -> String {
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    let title = title.replace('&', "&amp;").replace('"', "&quot;");
    format!(
        "<iframe id=\"layerlab\" src=\"{origin}{dir}/index.html?embed=1&amp;lang={lang}#{fragment}\" \
         title=\"{title}\" width=\"100%\" height=\"480\" loading=\"lazy\"></iframe>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn origins_are_checked_and_default_to_the_embeds_own() {
        // (origin= value, allowed origins, refused entries)
        let cases: [(&str, &[&str], &[&str]); 6] = [
            ("", &["http://127.0.0.1:8080"], &[]),
            (
                "https://Tutorial.Example",
                &["https://tutorial.example"],
                &[],
            ),
            (
                "https://a.example,https://b.example:8443/",
                &["https://a.example", "https://b.example:8443"],
                &[],
            ),
            ("*", &["http://127.0.0.1:8080"], &["*"]),
            (
                "javascript:alert(1),https://ok.example",
                &["https://ok.example"],
                &["javascript:alert(1)"],
            ),
            (
                "https://a.example/page,https://a.example:99999",
                &["http://127.0.0.1:8080"],
                &["https://a.example/page", "https://a.example:99999"],
            ),
        ];
        for (value, allowed, refused) in cases {
            let q = move |name: &str| (name == "origin").then(|| value.to_owned());
            let o = Options::read(q, "http://127.0.0.1:8080", None);
            assert_eq!(o.origins, allowed, "origin={value}");
            assert_eq!(o.refused, refused, "origin={value}");
            for a in allowed {
                assert!(o.allows(a));
            }
            assert!(!o.allows("https://evil.example"));
        }
    }

    #[test]
    fn a_permalink_wins_then_a_scenario_then_a_lesson() {
        let lesson = LESSONS[1].id;
        let both: &'static [(&str, &str)] = Box::leak(Box::new([
            ("scenario", "/examples/ps.layerlab"),
            ("lesson", lesson),
            ("step", "2"),
        ]));
        let o = Options::read(query(both), "http://h", Some("v1.abc".into()));
        assert_eq!(o.start, Start::Link("v1.abc".into()));
        let o = Options::read(query(both), "http://h", None);
        assert_eq!(o.start, Start::Scenario("/examples/ps.layerlab".into()));
        let o = Options::read(query(&both[1..]), "http://h", None);
        assert_eq!(o.start, Start::Lesson { index: 1, step: 2 });
        let lines = o.start.lesson_lines().unwrap();
        let setup = setup_log(&LESSONS[1]).len();
        assert_eq!(lines.len(), setup + 2.min(LESSONS[1].solution.len()));
        let o = Options::read(query(&[("lesson", "no-such-lesson")]), "http://h", None);
        assert_eq!(o.start, Start::Fresh);
        assert!(!o.editor);
        assert!(Options::read(query(&[("editor", "1")]), "http://h", None).editor);
    }

    #[test]
    fn each_page_and_frame_keeps_its_own_work() {
        let a = storage_key("https://t.example/docker.html", "first", "?embed=1");
        // (page, frame, query, same key as `a`)
        let cases = [
            (
                "https://t.example/docker.html#part-2",
                "first",
                "?embed=1",
                true,
            ),
            ("https://t.example/docker.html", "second", "?embed=1", false),
            ("https://t.example/other.html", "first", "?embed=1", false),
            (
                "https://t.example/docker.html",
                "first",
                "?embed=1&editor=1",
                false,
            ),
        ];
        for (page, frame, query, same) in cases {
            let k = storage_key(page, frame, query);
            assert!(k.starts_with("layerlab.embed."), "{k}");
            assert_ne!(k, crate::persist::KEY);
            assert_eq!(k == a, same, "{page} {frame} {query}");
        }
    }

    #[test]
    fn the_embed_code_carries_the_state_and_escapes_its_title() {
        let s = snippet(
            "https://l.example",
            "/app/index.html",
            "v1.xyz",
            "zh",
            "Layerlab \"demo\"",
        );
        assert_eq!(
            s,
            "<iframe id=\"layerlab\" src=\"https://l.example/app/index.html?embed=1&amp;lang=zh#v1.xyz\" \
             title=\"Layerlab &quot;demo&quot;\" width=\"100%\" height=\"480\" loading=\"lazy\"></iframe>"
        );
        assert_eq!(full_app_url("/app/index.html", "v1.xyz"), "/app/#v1.xyz");
        assert_eq!(full_app_url("/", "v1.xyz"), "/#v1.xyz");
    }
}
