//! `--format` templates: the subset of Go's `text/template` that people give
//! `docker inspect -f`, run on the object's JSON as the docker CLI runs it (a
//! map, so a missing key is an error; numbers print as written).
//!
//! Actions: `{{.A.B}}`, `{{.}}`, `{{json .X}}`, `{{index .X "k"}}`,
//! `{{join .X ","}}`, `{{upper …}}`, `{{lower …}}`, `{{len .X}}`,
//! `{{println …}}`, and `{{range .X}}…{{end}}`. Values print as Go's `%v`
//! prints decoded JSON: `[a b]`, `map[k:v]`, `<no value>` for null.

use serde_json::Value;

/// A template error, worded as the docker CLI prints it, and its exit
/// status (64 for a template that does not parse, 1 for one that fails).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError(pub String, pub i32);

/// A nil list or map of a typed field (`Config.Cmd`, `Config.Labels`): Go's
/// `%v` prints `[]` or `map[]` for it, `json` prints `null`.
pub const NIL_LIST: &str = "\u{0}nil-list";
pub const NIL_MAP: &str = "\u{0}nil-map";

/// `Value::Null` where the typed field is a list (`NIL_LIST`) or a map.
pub fn typed_nil(map_type: bool) -> Value {
    let mut m = serde_json::Map::new();
    m.insert(
        (if map_type { NIL_MAP } else { NIL_LIST }).to_owned(),
        Value::Null,
    );
    Value::Object(m)
}

fn nil_kind(v: &Value) -> Option<&'static str> {
    let m = v.as_object()?;
    if m.len() != 1 {
        return None;
    }
    if m.contains_key(NIL_LIST) {
        Some("[]")
    } else if m.contains_key(NIL_MAP) {
        Some("map[]")
    } else {
        None
    }
}

#[derive(Clone, Debug)]
enum Node {
    Text(String),
    Action(Vec<Word>),
    Range(Vec<Word>, Vec<Node>),
}

#[derive(Clone, Debug)]
enum Word {
    /// `.A.B` (empty for `.`), and the offset of its first character.
    Field(Vec<String>, usize),
    Str(String),
    Num(i64),
    Ident(String),
}

/// Renders `template` for `value`.
pub fn render(template: &str, value: &Value) -> Result<String, TemplateError> {
    let mut pos = 0;
    let nodes = parse(template, &mut pos, false)?;
    let mut out = String::new();
    exec(&nodes, value, &mut out)?;
    Ok(out)
}

fn parse_error(text: &str) -> TemplateError {
    TemplateError(format!("template parsing error: template: :1: {text}"), 64)
}

fn parse(t: &str, pos: &mut usize, in_range: bool) -> Result<Vec<Node>, TemplateError> {
    let mut nodes = Vec::new();
    while *pos < t.len() {
        let Some(open) = t[*pos..].find("{{").map(|i| i + *pos) else {
            nodes.push(Node::Text(t[*pos..].to_owned()));
            *pos = t.len();
            break;
        };
        if open > *pos {
            nodes.push(Node::Text(t[*pos..open].to_owned()));
        }
        let Some(close) = t[open..].find("}}").map(|i| i + open) else {
            return Err(parse_error("unclosed action"));
        };
        let start = open + 2;
        let words = words(&t[start..close], start)?;
        *pos = close + 2;
        match words.first() {
            Some(Word::Ident(w)) if w == "end" => {
                if in_range {
                    return Ok(nodes);
                }
                return Err(parse_error("unexpected {{end}}"));
            }
            Some(Word::Ident(w)) if w == "range" => {
                let body = parse(t, pos, true)?;
                nodes.push(Node::Range(words[1..].to_vec(), body));
            }
            None => return Err(parse_error("missing value for command")),
            _ => nodes.push(Node::Action(words)),
        }
    }
    if in_range {
        return Err(parse_error("unexpected EOF"));
    }
    Ok(nodes)
}

fn words(text: &str, offset: usize) -> Result<Vec<Word>, TemplateError> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'"' {
            let end = text[i + 1..]
                .find('"')
                .map(|e| e + i + 1)
                .ok_or_else(|| parse_error("unterminated quoted string"))?;
            out.push(Word::Str(text[i + 1..end].to_owned()));
            i = end + 1;
        } else {
            let end = text[i..]
                .find(|c: char| c.is_ascii_whitespace())
                .map_or(text.len(), |e| e + i);
            let w = &text[i..end];
            if let Some(path) = w.strip_prefix('.') {
                let fields = path
                    .split('.')
                    .filter(|f| !f.is_empty())
                    .map(str::to_owned)
                    .collect();
                out.push(Word::Field(fields, offset + i));
            } else if let Ok(n) = w.parse::<i64>() {
                out.push(Word::Num(n));
            } else {
                const FUNCS: [&str; 8] = [
                    "json", "index", "join", "upper", "lower", "len", "println", "range",
                ];
                if !FUNCS.contains(&w) && w != "end" {
                    return Err(parse_error(&format!("function \"{w}\" not defined")));
                }
                out.push(Word::Ident(w.to_owned()));
            }
            i = end;
        }
    }
    Ok(out)
}

fn field<'a>(dot: &'a Value, path: &[String], at: usize) -> Result<&'a Value, TemplateError> {
    let mut v = dot;
    let shown = format!(".{}", path.join("."));
    for name in path {
        v = match v {
            Value::Object(map) => map.get(name).ok_or_else(|| {
                TemplateError(format!(
                    "template parsing error: template: :1:{at}: executing \"\" at <{shown}>: map has no entry for key \"{name}\""
                ), 1)
            })?,
            Value::Null => return Ok(&Value::Null),
            _ => {
                return Err(TemplateError(format!(
                    "template parsing error: template: :1:{at}: executing \"\" at <{shown}>: can't evaluate field {name} in type interface {{}}"
                ), 1))
            }
        };
    }
    Ok(v)
}

fn arg(w: &Word, dot: &Value) -> Result<Value, TemplateError> {
    match w {
        Word::Field(path, at) => field(dot, path, *at).cloned(),
        Word::Str(s) => Ok(Value::String(s.clone())),
        Word::Num(n) => Ok(Value::from(*n)),
        Word::Ident(f) => Err(parse_error(&format!("function \"{f}\" not defined"))),
    }
}

/// Go's `%v` of a decoded JSON value.
pub fn go_value(v: &Value) -> String {
    if let Some(nil) = nil_kind(v) {
        return nil.to_owned();
    }
    match v {
        Value::Null => "<no value>".to_owned(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(inner).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            format!(
                "map[{}]",
                keys.iter()
                    .map(|k| format!("{k}:{}", inner(&map[*k])))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
    }
}

/// Inside a list or a map Go prints a nil as `<nil>`.
fn inner(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_owned(),
        other => go_value(other),
    }
}

/// The docker CLI's `json`: an encoder that leaves `<`, `>` and `&` as they are.
fn go_json(v: &Value) -> String {
    if nil_kind(v).is_some() {
        return "null".to_owned();
    }
    serde_json::to_string(v).unwrap_or_default()
}

fn eval(words: &[Word], dot: &Value) -> Result<Value, TemplateError> {
    let Some(Word::Ident(f)) = words.first() else {
        return match words {
            [one] => arg(one, dot),
            _ => Err(parse_error("can't give argument to non-function")),
        };
    };
    let args = words[1..]
        .iter()
        .map(|w| arg(w, dot))
        .collect::<Result<Vec<_>, _>>()?;
    let wrong = || parse_error(&format!("wrong number of args for {f}"));
    Ok(match (f.as_str(), args.as_slice()) {
        ("json", [v]) => Value::String(go_json(v)),
        ("upper", [v]) => Value::String(go_value(v).to_uppercase()),
        ("lower", [v]) => Value::String(go_value(v).to_lowercase()),
        ("len", [v]) => Value::from(match v {
            Value::Array(a) => a.len(),
            Value::Object(m) => m.len(),
            Value::String(s) => s.len(),
            _ => 0,
        }),
        ("join", [Value::Array(items), Value::String(sep)]) => {
            Value::String(items.iter().map(go_value).collect::<Vec<_>>().join(sep))
        }
        // A missing key gives the zero value (Docker's maps hold strings).
        ("index", [Value::Object(m), Value::String(k)]) => {
            m.get(k).cloned().unwrap_or(Value::String(String::new()))
        }
        ("index", [Value::Array(a), Value::Number(n)]) => n
            .as_u64()
            .and_then(|i| a.get(i as usize))
            .cloned()
            .unwrap_or(Value::Null),
        ("println", vs) => Value::String(format!(
            "{}\n",
            vs.iter().map(go_value).collect::<Vec<_>>().join(" ")
        )),
        _ => return Err(wrong()),
    })
}

fn exec(nodes: &[Node], dot: &Value, out: &mut String) -> Result<(), TemplateError> {
    for n in nodes {
        match n {
            Node::Text(t) => out.push_str(t),
            Node::Action(words) => out.push_str(&go_value(&eval(words, dot)?)),
            Node::Range(words, body) => match eval(words, dot)? {
                Value::Array(items) => {
                    for item in &items {
                        exec(body, item, out)?;
                    }
                }
                Value::Object(map) if nil_kind(&Value::Object(map.clone())).is_none() => {
                    let mut keys: Vec<&String> = map.keys().collect();
                    keys.sort();
                    for k in keys {
                        exec(body, &map[k], out)?;
                    }
                }
                _ => {}
            },
        }
    }
    Ok(())
}
