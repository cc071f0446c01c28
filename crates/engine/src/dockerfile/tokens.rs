//! The pieces of each physical line (instruction, flag, variable, string,
//! comment, heredoc body), for an editor's colouring. Lines are read as the
//! parser reads them: the escape token of `# escape=`, continuation (an
//! escape at the end of a line; comment and empty lines inside it), and
//! heredoc bodies only where the parser opens one. Pieces never fail and
//! together are the text, whatever it holds.

use super::instruction::Keyword;
use super::lines::{continued, heredoc_markers};

/// What a piece of a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    Plain,
    /// The instruction's word (`RUN`, `from`), when it is one.
    Keyword,
    Comment,
    /// `--chmod=755`
    Flag,
    /// `$HOME`, `${B:-x}`
    Var,
    /// A quoted string, closed or not.
    Str,
    /// A heredoc's marker (`<<EOF`), body and delimiter.
    Heredoc,
}

/// One line's pieces, in order; together they are the line.
pub type Pieces<'a> = Vec<(Token, &'a str)>;

/// A heredoc whose body comes next: its delimiter, whether tabs before it are
/// stripped (`<<-`), and whether its body is expanded.
type Opened = (String, bool, bool);

/// The pieces of each line of `text` (split at `\n`), whose escape token
/// (`Directives::escape`, from [`parse`](super::parse)) is `escape`.
pub fn tokens(text: &str, escape: char) -> Vec<Pieces<'_>> {
    let mut lines: Vec<Pieces<'_>> = Vec::new();
    // The instruction being read: its text joined as the parser joins it, and its first line.
    let mut joined = String::new();
    let mut first_line = 0;
    let mut waiting: Vec<Opened> = Vec::new();
    let mut open: Option<Opened> = None;
    let mut offset = 0;
    for line in text.split('\n') {
        // Whether another line follows this one.
        offset += line.len() + 1;
        let more = offset <= text.len();
        if let Some((delim, strip_tabs, _)) = &open {
            let bare = line.strip_suffix('\r').unwrap_or(line);
            let end = if *strip_tabs {
                bare.trim_start_matches('\t')
            } else {
                bare
            };
            if end == delim {
                open = None;
            }
            lines.push(vec![(Token::Heredoc, line)]);
            if open.is_none() {
                open = next(&mut waiting);
            }
            continue;
        }
        let inside = !joined.is_empty();
        if line.trim_start().starts_with('#') {
            lines.push(vec![(Token::Comment, line)]);
            continue;
        }
        // An empty line is no instruction, and inside a continuation it is
        // skipped (BuildKit warns of it).
        if line.trim().is_empty() && (!inside || more) {
            lines.push(pieces(line, false));
            continue;
        }
        if !inside {
            first_line = lines.len();
        }
        lines.push(pieces(line, !inside));
        let bare = line.strip_suffix('\r').unwrap_or(line);
        let bare = if inside { bare } else { bare.trim_start() };
        match continued(bare, escape) {
            Some(head) if more => joined.push_str(head),
            _ => {
                joined.push_str(bare);
                waiting = heredoc_markers(&joined);
                // A `<<word` the parser does not read as a heredoc is plain text.
                for pieces in &mut lines[first_line..] {
                    for (token, piece) in pieces {
                        if *token == Token::Heredoc && !waiting.iter().any(|h| names(piece, &h.0)) {
                            *token = Token::Plain;
                        }
                    }
                }
                joined.clear();
                open = next(&mut waiting);
            }
        }
    }
    lines
}

/// Whether the marker `piece` (`<<-'EOF'`) names the heredoc `name`, read as the parser reads it.
fn names(piece: &str, name: &str) -> bool {
    let marker = piece.strip_prefix("<<").unwrap_or(piece);
    let marker = marker.strip_prefix('-').unwrap_or(marker);
    let mut rest = name;
    for c in marker.chars() {
        if c == '\'' || c == '"' {
            continue;
        }
        match rest.strip_prefix(c) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    rest.is_empty()
}

fn next(waiting: &mut Vec<Opened>) -> Option<Opened> {
    (!waiting.is_empty()).then(|| waiting.remove(0))
}

/// Cuts one line of an instruction; `first` when its first word is the instruction.
fn pieces(line: &str, first: bool) -> Pieces<'_> {
    let mut out: Pieces<'_> = Vec::new();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(line.len(), |&(i, _)| i);
    let mut push = |token: Token, from: usize, to: usize| {
        if from < to {
            out.push((token, &line[end_of(from)..end_of(to)]));
        }
    };
    let word_len = |k: usize| {
        chars[k..]
            .iter()
            .take_while(|(_, c)| !c.is_whitespace())
            .count()
    };
    let mut k = 0;
    let mut word_start = true;
    let mut instruction_done = !first;
    let mut plain_from = 0;
    while k < chars.len() {
        let c = chars[k].1;
        let (token, len) = if c.is_whitespace() {
            word_start = true;
            k += 1;
            continue;
        } else if !instruction_done {
            let n = word_len(k);
            instruction_done = true;
            let word = &line[end_of(k)..end_of(k + n)];
            let token = match Keyword::parse(word) {
                Some(_) => Token::Keyword,
                None => Token::Plain,
            };
            (token, n)
        } else if word_start && c == '-' && chars.get(k + 1).is_some_and(|&(_, c)| c == '-') {
            (Token::Flag, word_len(k))
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
            (Token::Var, n)
        } else if c == '"' || c == '\'' {
            let n = chars[k + 1..]
                .iter()
                .position(|&(_, q)| q == c)
                .map_or(chars.len() - k, |p| p + 2);
            (Token::Str, n)
        } else if c == '<' && chars.get(k + 1).is_some_and(|&(_, c)| c == '<') {
            // A heredoc's marker, if the parser reads it as one (see `tokens`).
            (Token::Heredoc, word_len(k))
        } else {
            word_start = false;
            k += 1;
            continue;
        };
        push(Token::Plain, plain_from, k);
        push(token, k, k + len);
        k += len;
        plain_from = k;
        word_start = false;
    }
    push(Token::Plain, plain_from, chars.len());
    out
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    /// A line's pieces as `Keyword[FROM][ ubuntu]`, plain pieces without a name.
    fn shown(text: &str) -> Vec<String> {
        tokens(text, parse(text).directives.escape)
            .iter()
            .map(|line| {
                line.iter()
                    .map(|(token, s)| match token {
                        Token::Plain => format!("[{s}]"),
                        token => format!("{token:?}[{s}]"),
                    })
                    .collect::<String>()
            })
            .collect()
    }

    fn check(cases: &[(&str, &[&str])]) {
        for (text, want) in cases {
            assert_eq!(shown(text), *want, "{text:?}");
        }
    }

    #[test]
    fn lines_are_cut_into_their_pieces() {
        check(&[
            ("FROM ubuntu:15.04", &["Keyword[FROM][ ubuntu:15.04]"]),
            ("  run make /app", &["[  ]Keyword[run][ make /app]"]),
            (
                "# syntax=docker/dockerfile:1",
                &["Comment[# syntax=docker/dockerfile:1]"],
            ),
            (
                "COPY --chmod=755 app.py /app/",
                &["Keyword[COPY][ ]Flag[--chmod=755][ app.py /app/]"],
            ),
            (
                "ENV A=${B:-x} C=$HOME",
                &["Keyword[ENV][ A=]Var[${B:-x}][ C=]Var[$HOME]"],
            ),
            (
                "CMD [\"python\", \"/app/app.py\"]",
                &["Keyword[CMD][ []Str[\"python\"][, ]Str[\"/app/app.py\"][]]"],
            ),
            (
                "RUN echo a \\\n    && make",
                &["Keyword[RUN][ echo a \\]", "[    && make]"],
            ),
            ("RUNN make", &["[RUNN][ make]"]),
            ("RUN echo 'open", &["Keyword[RUN][ echo ]Str['open]"]),
            ("", &[""]),
            ("RUN cost $ 5 --no", &["Keyword[RUN][ cost $ 5 ]Flag[--no]"]),
        ]);
    }

    #[test]
    fn heredoc_bodies_are_marked_until_their_delimiter() {
        check(&[
            (
                "RUN <<EOF cat <<-'END'\necho hi\nEOF\n\tEND\nCMD true",
                &[
                    "Keyword[RUN][ ]Heredoc[<<EOF][ cat ]Heredoc[<<-'END']",
                    "Heredoc[echo hi]",
                    "Heredoc[EOF]",
                    "Heredoc[\tEND]",
                    "Keyword[CMD][ true]",
                ],
            ),
            // As the parser reads them: only RUN, COPY and ADD have heredocs.
            (
                "CMD cat <<EOF\nRUN x",
                &["Keyword[CMD][ cat ][<<EOF]", "Keyword[RUN][ x]"],
            ),
            // A marker on a continued line opens its body after the instruction.
            (
                "RUN cat \\\n  <<EOF\nhi\nEOF",
                &[
                    "Keyword[RUN][ cat \\]",
                    "[  ]Heredoc[<<EOF]",
                    "Heredoc[hi]",
                    "Heredoc[EOF]",
                ],
            ),
        ]);
    }

    #[test]
    fn lines_continue_with_the_escape_token_of_the_escape_directive() {
        check(&[
            (
                "# escape=`\nRUN a `\nFROM b\nCOPY x c:\\\nRUN y",
                &[
                    "Comment[# escape=`]",
                    "Keyword[RUN][ a `]",
                    "[FROM b]",
                    "Keyword[COPY][ x c:\\]",
                    "Keyword[RUN][ y]",
                ],
            ),
            // Not at the top, it is a comment and `\` stays the escape token.
            (
                "FROM x\n# escape=`\nRUN a `\nRUN b \\\nFROM c",
                &[
                    "Keyword[FROM][ x]",
                    "Comment[# escape=`]",
                    "Keyword[RUN][ a `]",
                    "Keyword[RUN][ b \\]",
                    "[FROM c]",
                ],
            ),
            // Comment and empty lines inside a continuation do not end it.
            (
                "RUN a \\\n# note\n\nFROM b",
                &["Keyword[RUN][ a \\]", "Comment[# note]", "", "[FROM b]"],
            ),
        ]);
    }

    /// The pieces of `text` put back together.
    fn joined(text: &str) -> String {
        let lines: Vec<String> = tokens(text, parse(text).directives.escape)
            .iter()
            .map(|l| l.iter().map(|(_, s)| *s).collect())
            .collect();
        lines.join("\n")
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
            assert_eq!(&joined(text), text);
        }
    }

    #[test]
    fn the_pieces_always_make_up_the_text() {
        let texts = [
            "a\u{e9}\u{4e2d} $ ${ '\" <<",
            "FROM x\n# c\nRUN <<E\nbody\n",
            "\\\n\n$",
            "--",
            "# escape=`\nRUN <<EOF `\n<<-X\r\nbody\r\nEOF\r\n\tX",
        ];
        for text in texts {
            assert_eq!(joined(text), text);
        }
    }
}
