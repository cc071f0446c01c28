//! Syntax colouring for the Dockerfile editor: each line cut into pieces
//! (instruction, flag, variable, string, comment, heredoc body). Colour is
//! decoration only: the parser's diagnostics say what is wrong in words.

use layerlab_engine::dockerfile::Keyword;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    Plain,
    Keyword,
    Comment,
    Flag,
    Var,
    Str,
    Heredoc,
}

impl Tok {
    /// The piece's class on the page.
    pub fn class(self) -> &'static str {
        match self {
            Tok::Plain => "",
            Tok::Keyword => "kw",
            Tok::Comment => "comment",
            Tok::Flag => "flag",
            Tok::Var => "var",
            Tok::Str => "str",
            Tok::Heredoc => "heredoc",
        }
    }
}

/// One line's pieces, in order; together they are the line.
pub type Pieces<'a> = Vec<(Tok, &'a str)>;

/// A heredoc a line opens: its delimiter, and whether tabs before it are stripped (`<<-`).
type Opened = (String, bool);

/// The pieces of each line of `text`.
pub fn highlight(text: &str) -> Vec<Pieces<'_>> {
    let mut lines = Vec::new();
    let mut continued = false;
    let mut heredocs: Vec<Opened> = Vec::new();
    let mut open: Option<Opened> = None;
    for line in text.split('\n') {
        if let Some((delim, strip_tabs)) = &open {
            let end = if *strip_tabs {
                line.trim_start_matches('\t')
            } else {
                line
            };
            if end == delim {
                open = None;
            }
            lines.push(vec![(Tok::Heredoc, line)]);
            if open.is_none() {
                open = next_heredoc(&mut heredocs);
            }
            continue;
        }
        if line.trim_start().starts_with('#') {
            lines.push(vec![(Tok::Comment, line)]);
            continue;
        }
        let (pieces, found) = pieces(line, !continued);
        lines.push(pieces);
        heredocs.extend(found);
        continued = line.trim_end().ends_with('\\');
        if !continued {
            open = next_heredoc(&mut heredocs);
        }
    }
    lines
}

fn next_heredoc(waiting: &mut Vec<Opened>) -> Option<Opened> {
    (!waiting.is_empty()).then(|| waiting.remove(0))
}

/// Cuts one instruction line; `first` when its first word is the instruction.
/// Also returns the heredocs it opens (delimiter, `<<-`).
fn pieces(line: &str, first: bool) -> (Pieces<'_>, Vec<Opened>) {
    let mut out: Pieces<'_> = Vec::new();
    let mut heredocs = Vec::new();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(line.len(), |&(i, _)| i);
    let mut push = |tok: Tok, from: usize, to: usize| {
        if from < to {
            out.push((tok, &line[end_of(from)..end_of(to)]));
        }
    };
    let mut k = 0;
    let mut word_start = true;
    let mut instruction_done = !first;
    let mut plain_from = 0;
    while k < chars.len() {
        let c = chars[k].1;
        let (tok, len) = if c.is_whitespace() {
            word_start = true;
            k += 1;
            continue;
        } else if !instruction_done {
            let n = chars[k..]
                .iter()
                .take_while(|(_, c)| !c.is_whitespace())
                .count();
            instruction_done = true;
            let word = &line[end_of(k)..end_of(k + n)];
            (
                if Keyword::parse(word).is_some() {
                    Tok::Keyword
                } else {
                    Tok::Plain
                },
                n,
            )
        } else if word_start && c == '-' && chars.get(k + 1).is_some_and(|&(_, c)| c == '-') {
            let n = chars[k..]
                .iter()
                .take_while(|(_, c)| !c.is_whitespace())
                .count();
            (Tok::Flag, n)
        } else if c == '$' {
            let n = match chars.get(k + 1).map(|&(_, c)| c) {
                Some('{') => chars[k..]
                    .iter()
                    .position(|&(_, c)| c == '}')
                    .map_or(chars.len() - k, |p| p + 1),
                Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                    1 + chars[k + 1..]
                        .iter()
                        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
                        .count()
                }
                // A lone `$` is text.
                _ => {
                    word_start = false;
                    k += 1;
                    continue;
                }
            };
            (Tok::Var, n)
        } else if c == '"' || c == '\'' {
            let n = chars[k + 1..]
                .iter()
                .position(|&(_, q)| q == c)
                .map_or(chars.len() - k, |p| p + 2);
            (Tok::Str, n)
        } else if c == '<' && chars.get(k + 1).is_some_and(|&(_, c)| c == '<') {
            let n = chars[k..]
                .iter()
                .take_while(|(_, c)| !c.is_whitespace())
                .count();
            let marker = &line[end_of(k + 2)..end_of(k + n)];
            let strip = marker.starts_with('-');
            let delim = marker
                .trim_start_matches('-')
                .trim_matches(|c| c == '"' || c == '\'');
            if !delim.is_empty() && delim.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                heredocs.push((delim.to_owned(), strip));
                (Tok::Heredoc, n)
            } else {
                (Tok::Plain, n)
            }
        } else {
            word_start = false;
            k += 1;
            continue;
        };
        push(Tok::Plain, plain_from, k);
        push(tok, k, k + len);
        k += len;
        plain_from = k;
        word_start = false;
    }
    push(Tok::Plain, plain_from, chars.len());
    (out, heredocs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line's pieces as `kw[FROM] [ ubuntu]`, plain pieces without a name.
    fn shown(text: &str) -> Vec<String> {
        highlight(text)
            .iter()
            .map(|line| {
                line.iter()
                    .map(|(tok, s)| match tok {
                        Tok::Plain => format!("[{s}]"),
                        t => format!("{}[{s}]", t.class()),
                    })
                    .collect::<String>()
            })
            .collect()
    }

    #[test]
    fn lines_are_cut_into_their_pieces() {
        let cases: &[(&str, &[&str])] = &[
            ("FROM ubuntu:15.04", &["kw[FROM][ ubuntu:15.04]"]),
            ("  run make /app", &["[  ]kw[run][ make /app]"]),
            (
                "# syntax=docker/dockerfile:1",
                &["comment[# syntax=docker/dockerfile:1]"],
            ),
            (
                "COPY --chmod=755 app.py /app/",
                &["kw[COPY][ ]flag[--chmod=755][ app.py /app/]"],
            ),
            (
                "ENV A=${B:-x} C=$HOME",
                &["kw[ENV][ A=]var[${B:-x}][ C=]var[$HOME]"],
            ),
            (
                "CMD [\"python\", \"/app/app.py\"]",
                &["kw[CMD][ []str[\"python\"][, ]str[\"/app/app.py\"][]]"],
            ),
            (
                "RUN echo a \\\n    && make",
                &["kw[RUN][ echo a \\]", "[    && make]"],
            ),
            ("RUNN make", &["[RUNN][ make]"]),
            ("RUN echo 'open", &["kw[RUN][ echo ]str['open]"]),
            ("", &[""]),
            ("RUN cost $ 5 --no", &["kw[RUN][ cost $ 5 ]flag[--no]"]),
        ];
        for (text, want) in cases {
            assert_eq!(shown(text), *want, "{text:?}");
        }
    }

    #[test]
    fn heredoc_bodies_are_marked_until_their_delimiter() {
        let text = "RUN <<EOF cat <<-'END'\necho hi\nEOF\n\tEND\nCMD true";
        assert_eq!(
            shown(text),
            [
                "kw[RUN][ ]heredoc[<<EOF][ cat ]heredoc[<<-'END']",
                "heredoc[echo hi]",
                "heredoc[EOF]",
                "heredoc[\tEND]",
                "kw[CMD][ true]",
            ]
        );
    }

    #[test]
    fn every_short_text_of_tricky_characters_is_cut_without_loss() {
        // Every text of up to four of these characters: the pieces put back
        // together are the text, whatever unclosed quote, brace or heredoc it holds.
        let alphabet = [
            '$', '{', '}', '"', '\'', '<', '-', '#', '\\', '\n', ' ', 'a', '\t', 'é',
        ];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| t.chars().count() == texts.last().map_or(0, |l| l.chars().count()))
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        assert!(texts.len() > 40_000);
        for text in &texts {
            let joined: Vec<String> = highlight(text)
                .iter()
                .map(|l| l.iter().map(|(_, s)| *s).collect())
                .collect();
            assert_eq!(&joined.join("\n"), text);
        }
    }

    #[test]
    fn the_pieces_always_make_up_the_text() {
        let texts = [
            "a\u{e9}\u{4e2d} $ ${ '\" <<",
            "FROM x\n# c\nRUN <<E\nbody\n",
            "\\\n\n$",
            "--",
        ];
        for text in texts {
            let joined: Vec<String> = highlight(text)
                .iter()
                .map(|l| l.iter().map(|(_, s)| *s).collect())
                .collect();
            assert_eq!(joined.join("\n"), text);
        }
    }
}
