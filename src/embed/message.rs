//! The embed's `postMessage` API (docs/embed.md): the requests a parent page
//! may send, checked to the letter, and the replies the embed posts back.
//!
//! Requests: `{"type": "layerlab:run", "command": "docker ps -s", "id": 1}`,
//! `{"type": "layerlab:reset"}`, `{"type": "layerlab:load", "scenario": "…"}`,
//! `{"type": "layerlab:ping"}`. A run's command may hold several lines: each
//! is typed in turn, as if pasted, and each command it completes is reported.
//! Replies: `layerlab:ready` once, `layerlab:result` after every command (the
//! parent's or one the reader typed), `layerlab:state` after a reset or a
//! load, `layerlab:error` for a request that was refused.

use crate::i18n::{t, Lang};
use crate::view::activity::{Item, What};
use serde::Serialize;
use serde_json::Value;

/// The version of this API, sent with `layerlab:ready`.
pub const VERSION: u32 = 1;

/// The longest command or scenario a message may carry, in bytes: a Run
/// button's text, not a disk image.
pub const MOST_BYTES: usize = 64 * 1024;

/// What a parent page asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// Types `command` into the terminal and runs it.
    Run { id: Value, command: String },
    /// Back to where the embed started (its address's state).
    Reset { id: Value },
    /// Replays a scenario file's text in a fresh workspace.
    Load { id: Value, scenario: String },
    /// Asks for `layerlab:ready` again (a page whose script ran after the embed was drawn).
    Ping { id: Value },
}

/// Why a message was not a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not an object with a `type` starting `layerlab:`: another script's message.
    NotOurs,
    UnknownType(String),
    /// A field the type needs is missing or not a string.
    Missing(&'static str),
    TooLong(&'static str),
}

impl Refused {
    /// For the console and `layerlab:error`: the embedding page's developer reads it.
    pub fn describe(&self, lang: Lang) -> String {
        use crate::i18n::Msg;
        match self {
            Refused::NotOurs => t(lang, Msg::EmbedNotOurs).to_owned(),
            Refused::UnknownType(ty) => format!("{} {ty}", t(lang, Msg::EmbedUnknownType)),
            Refused::Missing(field) => format!("{} {field}", t(lang, Msg::EmbedMissingField)),
            Refused::TooLong(field) => format!(
                "{} {field} (> {} KiB)",
                t(lang, Msg::EmbedTooLong),
                MOST_BYTES / 1024
            ),
        }
    }
}

/// Reads a message's data as a request.
pub fn read(data: &Value) -> Result<Request, Refused> {
    let ty = data
        .get("type")
        .and_then(Value::as_str)
        .and_then(|t| t.strip_prefix("layerlab:"))
        .ok_or(Refused::NotOurs)?;
    let id = data.get("id").cloned().unwrap_or(Value::Null);
    let text = |field: &'static str| -> Result<String, Refused> {
        let s = data
            .get(field)
            .and_then(Value::as_str)
            .ok_or(Refused::Missing(field))?;
        if s.len() > MOST_BYTES {
            return Err(Refused::TooLong(field));
        }
        Ok(s.to_owned())
    };
    match ty {
        "run" => Ok(Request::Run {
            id,
            command: text("command")?,
        }),
        "reset" => Ok(Request::Reset { id }),
        "ping" => Ok(Request::Ping { id }),
        "load" => Ok(Request::Load {
            id,
            scenario: text("scenario")?,
        }),
        other => Err(Refused::UnknownType(format!("layerlab:{other}"))),
    }
}

impl Request {
    pub fn id(&self) -> &Value {
        match self {
            Request::Run { id, .. }
            | Request::Reset { id }
            | Request::Load { id, .. }
            | Request::Ping { id } => id,
        }
    }
}

/// What one command did, for `layerlab:result`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ran {
    pub command: String,
    /// `$?`; `None` while the command waits for more lines (an open heredoc or quote).
    pub status: Option<i32>,
    /// The lines it wrote, standard output and error together, as the terminal shows them.
    pub output: Vec<String>,
    pub items: Vec<Item>,
}

/// A reply to the parent page.
#[derive(Debug, Serialize)]
#[serde(tag = "type")]
pub enum Reply<'a> {
    /// The embed is drawn and listening (also the answer to a ping).
    #[serde(rename = "layerlab:ready")]
    Ready { version: u32, lang: &'static str },
    /// A command ran; `id` is the request's (`null` for one the reader typed).
    #[serde(rename = "layerlab:result")]
    Result {
        id: &'a Value,
        command: &'a str,
        complete: bool,
        status: Option<i32>,
        ok: bool,
        output: &'a [String],
        events: Vec<Event>,
    },
    /// After a reset or a load: how many commands the state holds.
    #[serde(rename = "layerlab:state")]
    State { id: &'a Value, commands: usize },
    /// A refused request, or a start that could not be made.
    #[serde(rename = "layerlab:error")]
    Error { id: &'a Value, error: &'a str },
}

/// One item of "What happened", as `layerlab:result` lists it.
#[derive(Debug, Serialize)]
pub struct Event {
    pub kind: &'static str,
    pub text: String,
}

impl Reply<'_> {
    pub fn ready(lang: Lang) -> Reply<'static> {
        Reply::Ready {
            version: VERSION,
            lang: lang.code(),
        }
    }

    pub fn result<'a>(id: &'a Value, ran: &'a Ran, lang: Lang) -> Reply<'a> {
        Reply::Result {
            id,
            command: &ran.command,
            complete: ran.status.is_some(),
            status: ran.status,
            ok: ran.status == Some(0),
            output: &ran.output,
            events: ran
                .items
                .iter()
                .map(|i| Event {
                    kind: kind(i.what),
                    text: format!("{} {}", t(lang, i.what.word()), i.detail)
                        .trim_end()
                        .to_owned(),
                })
                .collect(),
        }
    }

    /// The message's JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// An event's kind as the API names it: stable words, whatever the language.
pub fn kind(what: What) -> &'static str {
    match what {
        What::StepBase => "step-base",
        What::StepLayer => "step-layer",
        What::StepCached => "step-cached",
        What::StepMetadata => "step-metadata",
        What::StepFailed => "step-failed",
        What::Downloaded => "downloaded",
        What::AlreadyExists => "already-exists",
        What::Manifest => "manifest",
        What::CopyUp => "copy-up",
        What::CopyUpDir => "copy-up-directory",
        What::Read => "read",
        What::Created => "created",
        What::Written => "written",
        What::MetadataChanged => "metadata-changed",
        What::Whiteout => "whiteout",
        What::Opaque => "opaque",
        What::Removed => "removed",
        What::Renamed => "renamed",
        What::HardLinked => "hard-linked",
        What::SizeNow => "size",
        What::Unchanged => "unchanged",
        What::LayerCreated => "layer-created",
        What::LayerDeleted => "layer-deleted",
        What::ImageCreated => "image-created",
        What::ImageTagged => "image-tagged",
        What::ImageUntagged => "image-untagged",
        What::ImageDeleted => "image-deleted",
        What::ContainerCreated => "container-created",
        What::ContainerRemoved => "container-removed",
        What::More => "more",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sent(reply: &Reply) -> Value {
        serde_json::from_str(&reply.to_json()).expect("JSON")
    }

    #[test]
    fn only_the_documented_shapes_are_requests() {
        let long = "x".repeat(MOST_BYTES + 1);
        // (message data, what it reads as)
        let cases: Vec<(Value, Result<Request, Refused>)> = vec![
            (
                json!({"type": "layerlab:run", "command": "docker ps -s", "id": 3}),
                Ok(Request::Run {
                    id: json!(3),
                    command: "docker ps -s".into(),
                }),
            ),
            (
                json!({"type": "layerlab:run", "command": "docker images"}),
                Ok(Request::Run {
                    id: Value::Null,
                    command: "docker images".into(),
                }),
            ),
            (
                json!({"type": "layerlab:reset", "id": "a"}),
                Ok(Request::Reset { id: json!("a") }),
            ),
            (
                json!({"type": "layerlab:ping"}),
                Ok(Request::Ping { id: Value::Null }),
            ),
            (
                json!({"type": "layerlab:load", "scenario": "docker pull nginx\n"}),
                Ok(Request::Load {
                    id: Value::Null,
                    scenario: "docker pull nginx\n".into(),
                }),
            ),
            (
                json!({"type": "layerlab:run"}),
                Err(Refused::Missing("command")),
            ),
            (
                json!({"type": "layerlab:run", "command": 7}),
                Err(Refused::Missing("command")),
            ),
            (
                json!({"type": "layerlab:run", "command": long}),
                Err(Refused::TooLong("command")),
            ),
            (
                json!({"type": "layerlab:eval", "code": "1"}),
                Err(Refused::UnknownType("layerlab:eval".into())),
            ),
            (json!({"type": "webpackOk"}), Err(Refused::NotOurs)),
            (json!("layerlab:run"), Err(Refused::NotOurs)),
            (json!(null), Err(Refused::NotOurs)),
        ];
        for (data, want) in cases {
            assert_eq!(read(&data), want, "{data}");
        }
    }

    #[test]
    fn a_result_names_the_command_its_status_output_and_events() {
        let mut w = crate::workspace::Workspace::default();
        w.submit("docker run -d --name web nginx");
        w.submit("docker exec web sh -c 'echo x >> /etc/nginx/nginx.conf'");
        let (command, t) = w.console.last.clone().unwrap();
        let items = crate::view::activity::activity(&w.session, Lang::En, &t);
        let ran = Ran {
            command,
            status: Some(t.status),
            output: vec![],
            items,
        };
        let r = sent(&Reply::result(&json!(9), &ran, Lang::En));
        assert_eq!(r["type"], "layerlab:result");
        assert_eq!(r["id"], 9);
        assert_eq!(r["status"], 0);
        assert_eq!(r["ok"], true);
        let events = r["events"].as_array().unwrap();
        let copy = events
            .iter()
            .find(|e| e["kind"] == "copy-up")
            .expect("a copy-up");
        assert!(
            copy["text"]
                .as_str()
                .unwrap()
                .contains("/etc/nginx/nginx.conf"),
            "{copy}"
        );
        let open = Ran {
            command: "cat <<EOF".into(),
            status: None,
            output: vec![],
            items: vec![],
        };
        let waiting = sent(&Reply::result(&Value::Null, &open, Lang::En));
        assert_eq!(waiting["complete"], false);
        assert_eq!(waiting["ok"], false);
        assert_eq!(waiting["id"], Value::Null);
        // (reply, the JSON the page receives)
        let cases = [
            (
                Reply::ready(Lang::Zh),
                json!({"type": "layerlab:ready", "version": 1, "lang": "zh"}),
            ),
            (
                Reply::State {
                    id: &json!("r"),
                    commands: 2,
                },
                json!({"type": "layerlab:state", "id": "r", "commands": 2}),
            ),
            (
                Reply::Error {
                    id: &Value::Null,
                    error: "no",
                },
                json!({"type": "layerlab:error", "id": null, "error": "no"}),
            ),
        ];
        for (reply, want) in cases {
            assert_eq!(sent(&reply), want);
        }
    }
}
