//! The Dockerfile parser, as data: source in, instructions and rendered diagnostics out.

use expect_test::{expect, Expect};
use layerlab_engine::dockerfile::{parse, render, Args};
use proptest::prelude::*;

fn show(src: &str) -> String {
    let d = parse(src);
    let mut out = String::new();
    for i in &d.instructions {
        let args = match &i.args {
            Args::Json(v) => format!("json {v:?}"),
            Args::Shell(s) => format!("shell {s:?}"),
            Args::Words(w) => format!("words {w:?}"),
            Args::Pairs(p) => format!("pairs {p:?}"),
        };
        let flags: Vec<String> = i
            .flags
            .iter()
            .map(|f| format!("--{}={}", f.name, f.value.clone().unwrap_or_default()))
            .collect();
        let heredocs: Vec<String> = i
            .heredocs
            .iter()
            .map(|h| format!("<<{} {:?}", h.name, h.body))
            .collect();
        out.push_str(&format!(
            "{}-{} {} {}{}{}\n",
            i.start_line,
            i.end_line,
            i.keyword.map(|k| k.name()).unwrap_or("?"),
            args,
            if flags.is_empty() {
                String::new()
            } else {
                format!(" {}", flags.join(" "))
            },
            if heredocs.is_empty() {
                String::new()
            } else {
                format!(" {}", heredocs.join(" "))
            },
        ));
    }
    out.push_str(&render(src, &d.diagnostics));
    out
}

fn check(src: &str, expect: Expect) {
    expect.assert_eq(&show(src));
}

#[test]
fn the_tutorials_dockerfile_parses_cleanly() {
    check(
        "FROM ubuntu:15.04\nCOPY . /app\nRUN make /app\nCMD python /app/app.py\n",
        expect![[r#"
        1-1 FROM words ["ubuntu:15.04"]
        2-2 COPY words [".", "/app"]
        3-3 RUN shell "make /app"
        4-4 CMD shell "python /app/app.py"
    "#]],
    );
}

#[test]
fn unknown_instructions_suggest_the_nearest_one_cased_like_the_input() {
    check(
        "FROM ubuntu:15.04\nRUNN make /app\ncopi . /app\nFROBNICATE x\n",
        expect![[r#"
        1-1 FROM words ["ubuntu:15.04"]
        2-2 ? shell "make /app"
        3-3 ? shell ". /app"
        4-4 ? shell "x"
        error: unknown instruction: RUNN (did you mean RUN?)
         --> Dockerfile:2:1
          |
        2 | RUNN make /app
          | ^^^^
          = hint: an instruction starts each line: FROM, RUN, COPY, CMD …
        error: unknown instruction: copi (did you mean copy?)
         --> Dockerfile:3:1
          |
        3 | copi . /app
          | ^^^^
          = hint: an instruction starts each line: FROM, RUN, COPY, CMD …
        error: unknown instruction: FROBNICATE
         --> Dockerfile:4:1
          |
        4 | FROBNICATE x
          | ^^^^^^^^^^
          = hint: an instruction starts each line: FROM, RUN, COPY, CMD …
    "#]],
    );
}

#[test]
fn arity_and_shape_errors_read_as_buildkits() {
    check(
        "ARG V=1\nFROM a b\nFROM ubuntu AS 1st\nCOPY app.py\nWORKDIR\nENV A\nENV A=1 B\nCMD [\"python\", 1]\nSHELL /bin/bash -c\nCOPY --frm=build a b\nRUN --mount=type=cache,target=/x make\nLABEL\n",
        expect![[r#"
            1-1 ARG words ["V=1"]
            2-2 FROM words ["a", "b"]
            3-3 FROM words ["ubuntu", "AS", "1st"]
            4-4 COPY words ["app.py"]
            5-5 WORKDIR shell ""
            6-6 ENV pairs []
            7-7 ENV pairs []
            8-8 CMD shell "[\"python\", 1]"
            9-9 SHELL shell "/bin/bash -c"
            10-10 COPY words ["a", "b"] --frm=build
            11-11 RUN shell "make" --mount=type=cache,target=/x
            12-12 LABEL pairs []
            error: FROM requires either one or three arguments
             --> Dockerfile:2:1
              |
            2 | FROM a b
              | ^^^^
            error: invalid name for build stage: "1st", name can't start with a number or contain symbols
             --> Dockerfile:3:1
              |
            3 | FROM ubuntu AS 1st
              | ^^^^
            error: COPY requires at least two arguments, but only one was provided. Destination could not be determined
             --> Dockerfile:4:1
              |
            4 | COPY app.py
              | ^^^^
            error: WORKDIR requires exactly one argument
             --> Dockerfile:5:1
              |
            5 | WORKDIR
              | ^^^^^^^
            error: ENV must have two arguments
             --> Dockerfile:6:1
              |
            6 | ENV A
              | ^^^
            error: Syntax error - can't find = in "B". Must be of the form: name=value
             --> Dockerfile:7:1
              |
            7 | ENV A=1 B
              | ^^^
            error: when using JSON array syntax, arrays must be comprised of strings only
             --> Dockerfile:8:1
              |
            8 | CMD ["python", 1]
              | ^^^
            error: SHELL requires the arguments to be in JSON form
             --> Dockerfile:9:1
              |
            9 | SHELL /bin/bash -c
              | ^^^^^
            error: unknown flag: frm
              --> Dockerfile:10:1
               |
            10 | COPY --frm=build a b
               | ^^^^
               = hint: COPY accepts --from, --chown, --chmod, --link, --parents, --exclude
            error: LABEL must have two arguments
              --> Dockerfile:12:1
               |
            12 | LABEL
               | ^^^^^
        "#]],
    );
}

#[test]
fn json_form_shell_form_and_the_silent_fallback() {
    check("FROM x\nCMD [\"python\", \"app.py\"]\nCMD ['python', 'app.py']\nENTRYPOINT exec top\nVOLUME [\"/data\"]\n", expect![[r#"
        1-1 FROM words ["x"]
        2-2 CMD json ["python", "app.py"]
        3-3 CMD shell "['python', 'app.py']"
        4-4 ENTRYPOINT shell "exec top"
        5-5 VOLUME json ["/data"]
    "#]]);
}

#[test]
fn continuation_comments_heredocs_and_directives() {
    check(
        "# syntax=docker/dockerfile:1\n# escape=\\\nFROM alpine\nRUN apk add \\\n  # the shell\n  bash \\\n\n  curl\nRUN <<EOF\napk add make\nEOF\nCOPY <<NOTE /note.txt\nhello\n",
        expect![[r#"
            3-3 FROM words ["alpine"]
            4-8 RUN shell "apk add   bash   curl"
            9-11 RUN shell "<<EOF" <<EOF "apk add make\n"
            12-14 COPY words ["<<NOTE", "/note.txt"] <<NOTE "hello\n\n"
            warning: Empty continuation line
             --> Dockerfile:7:1
              |
            7 | 
              | ^
              = hint: remove the blank line, or end the instruction before it; empty continuation lines will become errors
            error: unterminated heredoc
              --> Dockerfile:12:1
               |
            12 | COPY <<NOTE /note.txt
               | ^^^^^^^^^^^^^^^^^^^^^
               = hint: end the heredoc with a line that holds only NOTE
        "#]],
    );
}

#[test]
fn empty_files_and_stages() {
    check(
        "",
        expect![[r#"
        error: the Dockerfile cannot be empty
         --> Dockerfile:1:1
          |
        1 | 
          | ^
          = hint: start with a base image, for example: FROM ubuntu:15.04
    "#]],
    );
    check(
        "# only a comment\n",
        expect![[r#"
        error: file with no instructions
         --> Dockerfile:1:1
          |
        1 | # only a comment
          | ^
          = hint: start with a base image, for example: FROM ubuntu:15.04
    "#]],
    );
    check(
        "RUN make\nFROM x\n",
        expect![[r#"
        1-1 RUN shell "make"
        2-2 FROM words ["x"]
        error: no build stage in current context
         --> Dockerfile:1:1
          |
        1 | RUN make
          | ^^^
          = hint: every stage starts with FROM; only ARG may come before the first FROM
    "#]],
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn parsing_never_panics_and_spans_stay_in_bounds(src in prop_oneof![
        any::<String>(),
        prop::collection::vec(prop::sample::select(vec![
            "FROM x", "RUN a \\", "COPY", "<<EOF", "EOF", "# c", "", "\\", "`", "# escape=`", "[\"a\"", "ENV a=\"b", "--from=x", "\r", "\t", "数据",
        ]), 0..12).prop_map(|l| l.join("\n")),
    ]) {
        let d = parse(&src);
        let lines = src.split('\n').count().max(1);
        for diag in &d.diagnostics {
            prop_assert!(diag.line >= 1 && diag.line <= lines, "{diag:?} in {lines} lines");
        }
        for i in &d.instructions {
            prop_assert!(i.start_line <= i.end_line && i.end_line <= lines + 1);
        }
        let _ = render(&src, &d.diagnostics);
    }
}
