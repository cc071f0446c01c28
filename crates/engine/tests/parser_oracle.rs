//! Differential test of the Dockerfile parser against `parse-dockerfile`, an
//! independent parser tested against BuildKit's own fixtures. For every file
//! of the corpus in `tests/dockerfiles/`, both parsers must agree on which
//! files are errors and, for the others, on every instruction: its word, the
//! line it starts on, its flags, exec versus shell form and its arguments.

use layerlab_engine::dockerfile::{self, Args, Severity};
use parse_dockerfile as oracle;
use std::fmt::Write as _;

/// One instruction as both parsers can describe it.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    word: String,
    line: usize,
    flags: Vec<(String, Option<String>)>,
    form: &'static str,
    args: Vec<String>,
    heredocs: Vec<String>,
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte].matches('\n').count() + 1
}

/// A parse: the instructions, or the line of the first error.
type Outcome = Result<Vec<Seen>, usize>;

fn ours(text: &str) -> Outcome {
    let parsed = dockerfile::parse(text);
    if let Some(d) = parsed
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
    {
        return Err(d.line);
    }
    Ok(parsed.instructions.iter().map(seen).collect())
}

fn seen(i: &dockerfile::Instruction) -> Seen {
    let word = i.word.to_ascii_uppercase();
    let (form, mut args) = match &i.args {
        Args::Json(v) => ("exec", v.clone()),
        Args::Shell(s) if matches!(word.as_str(), "RUN" | "CMD" | "ENTRYPOINT" | "HEALTHCHECK") => {
            ("shell", vec![s.clone()])
        }
        Args::Shell(s) => ("raw", vec![s.clone()]),
        Args::Words(w) if matches!(word.as_str(), "ARG") => ("raw", w.clone()),
        Args::Words(w) => ("words", w.clone()),
        Args::Pairs(p) => ("raw", p.iter().map(|(k, v)| format!("{k}={v}")).collect()),
    };
    for a in args.iter_mut() {
        if a.starts_with("<<") && matches!(word.as_str(), "COPY" | "ADD") {
            *a = "<<heredoc>>".into();
        }
    }
    // parse-dockerfile leaves the `<<NAME` markers out of RUN's text.
    if word == "RUN" && form == "shell" {
        for h in &i.heredocs {
            for marker in [
                format!("<<-'{}'", h.name),
                format!("<<'{}'", h.name),
                format!("<<-\"{}\"", h.name),
                format!("<<\"{}\"", h.name),
                format!("<<-{}", h.name),
                format!("<<{}", h.name),
            ] {
                args[0] = args[0].replacen(&marker, "", 1);
            }
        }
        args[0] = args[0].trim().to_owned();
    }
    if word == "FROM" && args.len() == 3 {
        args[1] = args[1].to_ascii_uppercase();
    }
    Seen {
        word,
        line: i.start_line,
        flags: i
            .flags
            .iter()
            .map(|f| (f.name.clone(), f.value.clone()))
            .collect(),
        form,
        args,
        heredocs: i.heredocs.iter().map(|h| h.body.clone()).collect(),
    }
}

/// An instruction's raw text as `parse-dockerfile` returns it, joined as
/// BuildKit joins lines: escaped newlines removed, comment and empty lines
/// inside the continuation dropped.
fn joined(raw: &str, escape: char) -> String {
    let mut out = String::new();
    for (n, line) in raw.split('\n').enumerate() {
        let trimmed = line.trim_start();
        if n > 0 && (trimmed.starts_with('#') || trimmed.is_empty()) {
            continue;
        }
        out.push_str(line.strip_suffix(escape).unwrap_or(line));
    }
    // BuildKit trims the arguments (`strings.TrimSpace`); the oracle keeps
    // the space before a final escape.
    out.trim().to_owned()
}

/// `WORD raw` read by our parser: how a raw argument string (ENV pairs, ARG
/// words, an ONBUILD trigger) compares once both sides agree on its extent.
fn reparsed(word: &str, raw: &str) -> Vec<String> {
    let text = format!("FROM scratch\n{word} {raw}\n");
    let parsed = dockerfile::parse(&text);
    parsed
        .instructions
        .get(1)
        .map_or_else(Vec::new, |i| seen(i).args)
}

fn theirs(text: &str) -> Outcome {
    let parsed = oracle::parse(text).map_err(|e| {
        let msg = e.to_string();
        msg.split(" at line ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(0)
    })?;
    let escape = parsed
        .parser_directives
        .escape
        .as_ref()
        .map_or('\\', |d| d.value.value);
    Ok(parsed
        .instructions
        .iter()
        .map(|i| {
            let mut s = describe(text, i);
            for a in s.args.iter_mut() {
                *a = joined(a, escape);
            }
            match (s.form, s.word.as_str()) {
                ("raw", "ONBUILD") => s.args = vec![s.args.join(" ")],
                ("raw", "HEALTHCHECK") | ("shell", "HEALTHCHECK") => {
                    s.form = "shell";
                    s.args = vec![s.args.join(" ")];
                }
                ("raw", word) => s.args = reparsed(word, &s.args.join(" ")),
                _ => {}
            }
            s
        })
        .collect())
}

fn flags(f: &[oracle::Flag<'_>]) -> Vec<(String, Option<String>)> {
    f.iter()
        .map(|f| {
            (
                f.name.value.to_string(),
                f.value.as_ref().map(|v| v.value.to_string()),
            )
        })
        .collect()
}

fn command(c: &oracle::Command<'_>) -> (&'static str, Vec<String>) {
    match c {
        oracle::Command::Exec(list) => (
            "exec",
            list.value.iter().map(|s| s.value.to_string()).collect(),
        ),
        oracle::Command::Shell(s) => ("shell", vec![s.value.to_owned()]),
        _ => ("?", vec![]),
    }
}

/// An instruction without flags or heredocs, as `describe` sees it.
type Parts = (
    &'static str,
    std::ops::Range<usize>,
    Vec<(String, Option<String>)>,
    &'static str,
    Vec<String>,
    Vec<String>,
);

fn plain(
    word: &'static str,
    span: std::ops::Range<usize>,
    form: &'static str,
    args: Vec<String>,
) -> Parts {
    (word, span, vec![], form, args, vec![])
}

fn describe(text: &str, i: &oracle::Instruction<'_>) -> Seen {
    use oracle::Instruction as I;
    let (word, span, fl, form, args, heredocs): Parts = match i {
        I::Run(r) => {
            let (form, args) = command(&r.arguments);
            let docs = r.here_docs.iter().map(|h| h.value.to_string()).collect();
            (
                "RUN",
                r.run.span.clone(),
                flags(&r.options),
                form,
                args,
                docs,
            )
        }
        I::Cmd(c) => {
            let (form, args) = command(&c.arguments);
            ("CMD", c.cmd.span.clone(), vec![], form, args, vec![])
        }
        I::Entrypoint(c) => {
            let (form, args) = command(&c.arguments);
            (
                "ENTRYPOINT",
                c.entrypoint.span.clone(),
                vec![],
                form,
                args,
                vec![],
            )
        }
        I::Copy(c) => {
            let (args, docs) = sources(&c.src, &c.dest);
            (
                "COPY",
                c.copy.span.clone(),
                flags(&c.options),
                "words",
                args,
                docs,
            )
        }
        I::Add(a) => {
            let (args, docs) = sources(&a.src, &a.dest);
            (
                "ADD",
                a.add.span.clone(),
                flags(&a.options),
                "words",
                args,
                docs,
            )
        }
        I::From(f) => from_parts(f),
        I::Arg(a) => plain("ARG", a.arg.span.clone(), "raw", raw(&a.arguments)),
        I::Env(e) => plain("ENV", e.env.span.clone(), "raw", raw(&e.arguments)),
        I::Label(l) => plain("LABEL", l.label.span.clone(), "raw", raw(&l.arguments)),
        I::Expose(e) => plain(
            "EXPOSE",
            e.expose.span.clone(),
            "words",
            e.arguments.iter().map(|s| s.value.to_string()).collect(),
        ),
        I::Volume(v) => volume_parts(v),
        I::Shell(s) => plain(
            "SHELL",
            s.shell.span.clone(),
            "exec",
            s.arguments.iter().map(|a| a.value.to_string()).collect(),
        ),
        I::User(u) => plain("USER", u.user.span.clone(), "raw", raw(&u.arguments)),
        I::Workdir(w) => plain("WORKDIR", w.workdir.span.clone(), "raw", raw(&w.arguments)),
        I::Stopsignal(s) => plain(
            "STOPSIGNAL",
            s.stopsignal.span.clone(),
            "raw",
            raw(&s.arguments),
        ),
        I::Maintainer(m) => plain("MAINTAINER", m.maintainer.span.clone(), "raw", raw(&m.name)),
        I::Healthcheck(h) => healthcheck_parts(h),
        I::Onbuild(o) => onbuild_parts(text, o),
        _ => ("?", 0..0, vec![], "raw", vec![], vec![]),
    };
    Seen {
        word: word.to_owned(),
        line: line_of(text, span.start),
        flags: fl,
        form,
        args,
        heredocs,
    }
}

fn from_parts(f: &oracle::FromInstruction<'_>) -> Parts {
    let mut args = raw(&f.image);
    if let Some((_, name)) = &f.as_ {
        args.push("AS".into());
        args.push(name.value.to_string());
    }
    (
        "FROM",
        f.from.span.clone(),
        flags(&f.options),
        "words",
        args,
        vec![],
    )
}

fn volume_parts(v: &oracle::VolumeInstruction<'_>) -> Parts {
    let (form, args) = match &v.arguments {
        oracle::JsonOrStringArray::Json(list) => (
            "exec",
            list.value.iter().map(|s| s.value.to_string()).collect(),
        ),
        oracle::JsonOrStringArray::String(list) => {
            ("words", list.iter().map(|s| s.value.to_string()).collect())
        }
    };
    ("VOLUME", v.volume.span.clone(), vec![], form, args, vec![])
}

fn healthcheck_parts(h: &oracle::HealthcheckInstruction<'_>) -> Parts {
    let (form, args) = match &h.arguments {
        oracle::HealthcheckArguments::Cmd { arguments, .. } => {
            let (form, mut args) = command(arguments);
            args.insert(0, "CMD".into());
            (form, args)
        }
        oracle::HealthcheckArguments::None { .. } => ("raw", vec!["NONE".into()]),
        _ => ("raw", vec![]),
    };
    (
        "HEALTHCHECK",
        h.healthcheck.span.clone(),
        flags(&h.options),
        form,
        args,
        vec![],
    )
}

fn onbuild_parts(text: &str, o: &oracle::OnbuildInstruction<'_>) -> Parts {
    let inner = describe(text, &o.instruction);
    let mut args = vec![inner.word];
    args.extend(inner.args);
    (
        "ONBUILD",
        o.onbuild.span.clone(),
        vec![],
        "raw",
        args,
        vec![],
    )
}

fn raw(s: &oracle::UnescapedString<'_>) -> Vec<String> {
    vec![s.value.to_string()]
}

fn sources(
    src: &[oracle::Source<'_>],
    dest: &oracle::UnescapedString<'_>,
) -> (Vec<String>, Vec<String>) {
    let mut args = Vec::new();
    let mut docs = Vec::new();
    for s in src {
        match s {
            oracle::Source::Path(p) => args.push(p.value.to_string()),
            oracle::Source::HereDoc(h) => {
                args.push("<<heredoc>>".into());
                docs.push(h.value.to_string());
            }
            _ => {}
        }
    }
    args.push(dest.value.to_string());
    (args, docs)
}

/// Files where `parse-dockerfile` departs from BuildKit, with the reason; our
/// parser must follow BuildKit there.
const ORACLE_GAPS: &[(&str, &str)] = &[(
    "oracle-gap-two-heredocs-in-run.Dockerfile",
    "BuildKit reads every heredoc a RUN line opens (docs: `RUN <<FILE1 cat > file1 && <<FILE2 cat > file2`); parse-dockerfile 0.1.9 reads only the first",
)];

#[test]
fn the_parser_agrees_with_an_independent_buildkit_compatible_parser() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/dockerfiles");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    assert!(names.len() >= 10, "the corpus is in {dir}");
    let mut report = String::new();
    for path in names {
        let text = std::fs::read_to_string(&path).expect("read");
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let (a, b) = (ours(&text), theirs(&text));
        if let Some((_, why)) = ORACLE_GAPS.iter().find(|(n, _)| *n == name) {
            // The gap must still be there (else move the file back into the
            // compared corpus), and ours must parse the file.
            assert!(
                b.is_err(),
                "{name}: the oracle now parses it; compare it again"
            );
            assert!(a.is_ok(), "{name}: {why}");
            continue;
        }
        match (&a, &b) {
            (Ok(x), Ok(y)) => {
                for (i, (p, q)) in x.iter().zip(y).enumerate() {
                    if p != q {
                        writeln!(
                            report,
                            "{name}: instruction {}:\n  ours:   {p:?}\n  theirs: {q:?}",
                            i + 1
                        )
                        .ok();
                    }
                }
                if x.len() != y.len() {
                    writeln!(
                        report,
                        "{name}: {} instructions here, {} in the oracle",
                        x.len(),
                        y.len()
                    )
                    .ok();
                }
            }
            (Err(x), Err(y)) if x == y => {}
            _ => {
                writeln!(report, "{name}:\n  ours:   {a:?}\n  theirs: {b:?}").ok();
            }
        }
    }
    assert!(report.is_empty(), "the parsers disagree:\n{report}");
}
