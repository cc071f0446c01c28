//! The lexer: a script's characters into tokens (words with their quoted and
//! unquoted parts, operators, redirections) and heredoc bodies; `$…`,
//! `${…}`, `$(…)` and backquotes are read here, into a word's parts.

use super::{Part, RedirOp, SyntaxError, Word};

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Token {
    Word(Word, String),
    Op(&'static str),
    Redir(u8, &'static str),
    Newline,
}

/// Tokens, and heredoc bodies by the index of their delimiter token.
type Lexed = (Vec<Token>, Vec<(usize, RedirOp)>);

pub(super) struct Lexer {
    chars: Vec<char>,
    at: usize,
    pending: Vec<(usize, String, bool, bool)>,
    tokens: Vec<Token>,
    heredocs: Vec<(usize, RedirOp)>,
}

/// How deep `${x:-${y:-…}}` may nest (dash has no limit but its stack).
pub const MAX_BRACE_NESTING: i32 = 64;

const OPS: [&str; 8] = ["&&", "||", ";;", ";", "|", "&", "(", ")"];

pub(super) fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

pub(super) fn is_name(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Lexer {
    pub(super) fn new(text: &str) -> Lexer {
        Lexer {
            chars: text.chars().collect(),
            at: 0,
            pending: Vec::new(),
            tokens: Vec::new(),
            heredocs: Vec::new(),
        }
    }

    fn peek(&self, n: usize) -> Option<char> {
        self.chars.get(self.at + n).copied()
    }

    pub(super) fn lex(mut self) -> Result<Lexed, SyntaxError> {
        while let Some(c) = self.peek(0) {
            match c {
                ' ' | '\t' | '\r' => self.at += 1,
                '\\' if self.peek(1) == Some('\n') => self.at += 2,
                '#' => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.at += 1;
                    }
                }
                '\n' => {
                    self.at += 1;
                    self.tokens.push(Token::Newline);
                    self.read_heredocs()?;
                }
                _ => self.token()?,
            }
        }
        if let Some((_, delim, ..)) = self.pending.first() {
            return Err(SyntaxError::HereDocument {
                delimiter: delim.clone(),
            });
        }
        Ok((self.tokens, self.heredocs))
    }

    fn token(&mut self) -> Result<(), SyntaxError> {
        let c = self.peek(0).unwrap_or(' ');
        // A redirection, optionally after a single-digit descriptor.
        let (fd, skip) = match (c.to_digit(10), self.peek(1)) {
            (Some(d), Some('<' | '>')) => (Some(d as u8), 1),
            _ => (None, 0),
        };
        let op_at = self.at + skip;
        let rest: String = self.chars[op_at..self.chars.len().min(op_at + 3)]
            .iter()
            .collect();
        for op in ["<<-", "<<", ">>", ">&", "<&", ">|", ">", "<"] {
            if rest.starts_with(op) {
                self.at = op_at + op.len();
                let fd = fd.unwrap_or(if op.starts_with('<') { 0 } else { 1 });
                self.tokens.push(Token::Redir(fd, op));
                if op.starts_with("<<") {
                    self.skip_blanks();
                    let (word, raw) = self.word()?;
                    // No delimiter: dash's error, not a body that takes the rest.
                    if raw.is_empty() {
                        return Err(SyntaxError::Bad(match self.peek(0) {
                            None => "end of file unexpected".into(),
                            Some('\n') => "newline unexpected".into(),
                            Some(c) => format!("\"{c}\" unexpected"),
                        }));
                    }
                    let quoted = raw.contains(['\'', '"', '\\']);
                    let delim: String = word
                        .iter()
                        .map(|p| match p {
                            Part::Lit { text, .. } => text.clone(),
                            _ => String::new(),
                        })
                        .collect();
                    let index = self.tokens.len();
                    self.tokens.push(Token::Word(word, raw));
                    self.pending.push((index, delim, !quoted, op == "<<-"));
                }
                return Ok(());
            }
        }
        if fd.is_none() {
            for op in OPS {
                if rest.starts_with(op) {
                    self.at += op.len();
                    self.tokens.push(Token::Op(op));
                    return Ok(());
                }
            }
        }
        let (word, raw) = self.word()?;
        self.tokens.push(Token::Word(word, raw));
        Ok(())
    }

    fn skip_blanks(&mut self) {
        while matches!(self.peek(0), Some(' ' | '\t')) {
            self.at += 1;
        }
    }

    fn read_heredocs(&mut self) -> Result<(), SyntaxError> {
        for (index, delim, expand, strip) in std::mem::take(&mut self.pending) {
            let mut body = String::new();
            loop {
                if self.at >= self.chars.len() {
                    return Err(SyntaxError::HereDocument { delimiter: delim });
                }
                let mut line = String::new();
                while let Some(c) = self.peek(0) {
                    self.at += 1;
                    if c == '\n' {
                        break;
                    }
                    line.push(c);
                }
                let line = if strip {
                    line.trim_start_matches('\t').to_owned()
                } else {
                    line
                };
                if line == delim {
                    break;
                }
                body.push_str(&line);
                body.push('\n');
            }
            self.heredocs.push((index, RedirOp::Here { body, expand }));
        }
        Ok(())
    }

    /// One word, up to an unquoted blank or operator character.
    fn word(&mut self) -> Result<(Word, String), SyntaxError> {
        let start = self.at;
        let mut parts = Vec::new();
        let mut lit = String::new();
        let flush = |lit: &mut String, parts: &mut Word, quoted: bool| {
            if !lit.is_empty() || quoted {
                parts.push(Part::Lit {
                    text: std::mem::take(lit),
                    quoted,
                });
            }
        };
        while let Some(c) = self.peek(0) {
            match c {
                ' ' | '\t' | '\n' | '\r' | ';' | '&' | '|' | '<' | '>' | '(' | ')' => break,
                '\'' => {
                    flush(&mut lit, &mut parts, false);
                    self.at += 1;
                    let mut text = String::new();
                    loop {
                        match self.peek(0) {
                            Some('\'') => break,
                            Some(c) => text.push(c),
                            None => {
                                return Err(SyntaxError::Incomplete(
                                    "Unterminated quoted string".into(),
                                ))
                            }
                        }
                        self.at += 1;
                    }
                    self.at += 1;
                    parts.push(Part::Lit { text, quoted: true });
                }
                '"' => {
                    flush(&mut lit, &mut parts, false);
                    self.at += 1;
                    let mut text = String::new();
                    let mut any = false;
                    loop {
                        match self.peek(0) {
                            Some('"') => break,
                            Some('\\') => {
                                match self.peek(1) {
                                    Some(c @ ('"' | '\\' | '$' | '`')) => text.push(c),
                                    Some('\n') => {}
                                    Some(c) => {
                                        text.push('\\');
                                        text.push(c);
                                    }
                                    None => {
                                        return Err(SyntaxError::Incomplete(
                                            "Unterminated quoted string".into(),
                                        ))
                                    }
                                }
                                self.at += 2;
                            }
                            Some('$' | '`') => {
                                if !text.is_empty() {
                                    parts.push(Part::Lit {
                                        text: std::mem::take(&mut text),
                                        quoted: true,
                                    });
                                }
                                any = true;
                                self.dollar(&mut parts, &mut text, true)?;
                            }
                            Some(c) => {
                                text.push(c);
                                self.at += 1;
                            }
                            None => {
                                return Err(SyntaxError::Incomplete(
                                    "Unterminated quoted string".into(),
                                ))
                            }
                        }
                    }
                    self.at += 1;
                    if !text.is_empty() || !any {
                        parts.push(Part::Lit { text, quoted: true });
                    }
                }
                '\\' => {
                    match self.peek(1) {
                        Some('\n') => {}
                        Some(c) => {
                            flush(&mut lit, &mut parts, false);
                            parts.push(Part::Lit {
                                text: c.to_string(),
                                quoted: true,
                            });
                        }
                        None => {}
                    }
                    self.at = (self.at + 2).min(self.chars.len());
                }
                '$' | '`' => {
                    flush(&mut lit, &mut parts, false);
                    self.dollar(&mut parts, &mut lit, false)?;
                }
                c => {
                    lit.push(c);
                    self.at += 1;
                }
            }
        }
        flush(&mut lit, &mut parts, false);
        let raw = self.chars[start.min(self.at)..self.at.min(self.chars.len())]
            .iter()
            .collect();
        Ok((parts, raw))
    }

    /// `$…` or a backquote at the cursor; a lone `$` stays literal (into `lit`).
    fn dollar(
        &mut self,
        parts: &mut Word,
        lit: &mut String,
        quoted: bool,
    ) -> Result<(), SyntaxError> {
        if self.peek(0) == Some('`') {
            self.at += 1;
            let mut script = String::new();
            loop {
                match self.peek(0) {
                    Some('`') => break,
                    Some(c) => script.push(c),
                    None => return Err(SyntaxError::Incomplete("Unterminated backquote".into())),
                }
                self.at += 1;
            }
            self.at += 1;
            parts.push(Part::Command { script, quoted });
            return Ok(());
        }
        self.at += 1;
        match self.peek(0) {
            Some('(') => {
                self.at += 1;
                let mut depth = 1;
                let mut script = String::new();
                loop {
                    match self.peek(0) {
                        Some('(') => depth += 1,
                        Some(')') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        Some(_) => {}
                        None => return Err(SyntaxError::Incomplete("Missing ')'".into())),
                    }
                    script.push(self.chars[self.at]);
                    self.at += 1;
                }
                self.at += 1;
                parts.push(Part::Command { script, quoted });
            }
            Some('{') => {
                self.at += 1;
                parts.push(self.braced(quoted)?);
            }
            Some(c) if is_name_start(c) => {
                let mut name = String::new();
                while let Some(c) = self.peek(0).filter(|c| is_name(*c)) {
                    name.push(c);
                    self.at += 1;
                }
                parts.push(Part::Param {
                    name,
                    op: String::new(),
                    word: String::new(),
                    quoted,
                });
            }
            Some(c) if c.is_ascii_digit() || "?#@*$!-".contains(c) => {
                self.at += 1;
                parts.push(Part::Param {
                    name: c.to_string(),
                    op: String::new(),
                    word: String::new(),
                    quoted,
                });
            }
            _ => {
                lit.push('$');
            }
        }
        Ok(())
    }

    /// `${NAME}`, `${NAME:-word}` … after the `{`: the name, the operator and
    /// the word, read once here and again, one level at a time, when expanded.
    fn braced(&mut self, quoted: bool) -> Result<Part, SyntaxError> {
        let mut name = String::new();
        while let Some(c) = self
            .peek(0)
            .filter(|c| is_name(*c) || (name.is_empty() && "?#@*$!-".contains(*c)))
        {
            name.push(c);
            self.at += 1;
        }
        let mut op = String::new();
        while let Some(c) = self.peek(0).filter(|c| ":-=+?#%/".contains(*c)) {
            op.push(c);
            self.at += 1;
            if op.len() == 2 || !matches!(c, ':' | '#' | '%' | '/') {
                break;
            }
        }
        let mut word = String::new();
        let mut depth = 0;
        let mut deepest = 0;
        loop {
            match self.peek(0) {
                Some('}') if depth == 0 => break,
                Some(c) => {
                    depth += i32::from(c == '{') - i32::from(c == '}');
                    deepest = deepest.max(depth);
                    word.push(c);
                }
                None => return Err(SyntaxError::Incomplete("Missing '}'".into())),
            }
            self.at += 1;
        }
        // The word is read again when expanded, one level at a time:
        // bounded here, before any of it runs.
        if deepest >= MAX_BRACE_NESTING {
            return Err(SyntaxError::Bad(format!(
                "${{ }} nested more than {MAX_BRACE_NESTING} deep"
            )));
        }
        self.at += 1;
        if name.is_empty() || (op.is_empty() && !word.is_empty()) {
            return Err(SyntaxError::Bad("Bad substitution".into()));
        }
        Ok(Part::Param {
            name,
            op,
            word,
            quoted,
        })
    }
}

/// Reads an unquoted heredoc body: text stays literal except `$…`, backquotes,
/// and a backslash before `$`, `` ` `` or `\\`.
pub fn parse_text(text: &str) -> Result<Word, SyntaxError> {
    let mut lexer = Lexer::new(text);
    let mut parts = Vec::new();
    let mut lit = String::new();
    while let Some(c) = lexer.peek(0) {
        match c {
            '\\' if matches!(lexer.peek(1), Some('$' | '`' | '\\')) => {
                lit.push(lexer.peek(1).unwrap_or('\\'));
                lexer.at += 2;
            }
            '$' | '`' => {
                if !lit.is_empty() {
                    parts.push(Part::Lit {
                        text: std::mem::take(&mut lit),
                        quoted: true,
                    });
                }
                lexer.dollar(&mut parts, &mut lit, true)?;
            }
            c => {
                lit.push(c);
                lexer.at += 1;
            }
        }
    }
    if !lit.is_empty() {
        parts.push(Part::Lit {
            text: lit,
            quoted: true,
        });
    }
    Ok(parts)
}
