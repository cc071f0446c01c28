//! Reading a shell script: words with their quoting, operators, redirections
//! and heredocs, grouped into lists, and-or chains, pipelines and simple
//! commands. Syntax errors are values, worded as dash words them.

/// A piece of a word, remembering whether it was quoted (quoted pieces are
/// neither split into fields nor globbed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Lit {
        text: String,
        quoted: bool,
    },
    /// `$NAME`, `${NAME}`, `${NAME:-word}` …: the operator and its raw word.
    Param {
        name: String,
        op: String,
        word: String,
        quoted: bool,
    },
    /// `$(…)` or `` `…` ``: a script whose output replaces it.
    Command {
        script: String,
        quoted: bool,
    },
}

pub type Word = Vec<Part>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedirOp {
    /// `>`
    Write,
    /// `>>`
    Append,
    /// `<`
    Read,
    /// `>&N`
    Dup(u8),
    /// `<<` with its body (already read) and whether the body expands.
    Here { body: String, expand: bool },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redir {
    pub fd: u8,
    pub op: RedirOp,
    pub target: Word,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Simple {
    pub assigns: Vec<(String, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    pub bang: bool,
    pub commands: Vec<Simple>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    And,
    Or,
}

/// `a && b || c`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AndOr {
    /// The script line it starts on (1-based), for `sh: 2: foo: not found`.
    pub line: usize,
    pub first: Pipeline,
    pub rest: Vec<(Join, Pipeline)>,
}

/// A script: and-or chains separated by `;` or newlines.
pub type List = Vec<AndOr>;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(Word, String),
    Op(&'static str),
    Redir(u8, &'static str),
    Newline,
}

/// Why a script cannot run. `Incomplete` means more lines would complete it
/// (an open quote, heredoc or trailing operator), as an interactive shell
/// then prompts with `> `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyntaxError {
    Incomplete(String),
    /// A heredoc whose delimiter line has not come yet: only that line can end it.
    HereDocument {
        delimiter: String,
    },
    Bad(String),
}

impl SyntaxError {
    pub fn message(&self) -> String {
        match self {
            SyntaxError::Incomplete(m) | SyntaxError::Bad(m) => m.clone(),
            SyntaxError::HereDocument { delimiter } => {
                format!("here-document delimited by end-of-file (wanted \"{delimiter}\")")
            }
        }
    }
}

/// Tokens, and heredoc bodies by the index of their delimiter token.
type Lexed = (Vec<Token>, Vec<(usize, RedirOp)>);

struct Lexer {
    chars: Vec<char>,
    at: usize,
    pending: Vec<(usize, String, bool, bool)>,
    tokens: Vec<Token>,
    heredocs: Vec<(usize, RedirOp)>,
}

/// How deep `${x:-${y:-…}}` may nest (dash has no limit but its stack).
pub const MAX_BRACE_NESTING: i32 = 64;

const OPS: [&str; 8] = ["&&", "||", ";;", ";", "|", "&", "(", ")"];

fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_name(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

impl Lexer {
    fn peek(&self, n: usize) -> Option<char> {
        self.chars.get(self.at + n).copied()
    }

    fn lex(mut self) -> Result<Lexed, SyntaxError> {
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
                parts.push(Part::Param {
                    name,
                    op,
                    word,
                    quoted,
                });
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
}

/// Reads a script.
pub fn parse(script: &str) -> Result<List, SyntaxError> {
    let lexer = Lexer {
        chars: script.chars().collect(),
        at: 0,
        pending: Vec::new(),
        tokens: Vec::new(),
        heredocs: Vec::new(),
    };
    let (tokens, heredocs) = lexer.lex()?;
    Parser {
        tokens,
        heredocs,
        at: 0,
        line: 1,
    }
    .list()
}

struct Parser {
    tokens: Vec<Token>,
    heredocs: Vec<(usize, RedirOp)>,
    at: usize,
    line: usize,
}

fn unexpected(tok: Option<&Token>) -> SyntaxError {
    match tok {
        None => SyntaxError::Incomplete("end of file unexpected".into()),
        Some(Token::Newline) => SyntaxError::Bad("newline unexpected".into()),
        Some(Token::Op(op)) => SyntaxError::Bad(format!("\"{op}\" unexpected")),
        Some(Token::Redir(_, op)) => SyntaxError::Bad(format!("\"{op}\" unexpected")),
        Some(Token::Word(_, raw)) => {
            SyntaxError::Bad(format!("word unexpected (expecting \"{raw}\")"))
        }
    }
}

/// Words that start compound commands this shell does not run.
const RESERVED: [&str; 9] = [
    "if", "for", "while", "until", "case", "{", "!", "function", "select",
];

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn list(&mut self) -> Result<List, SyntaxError> {
        let mut list = Vec::new();
        loop {
            while matches!(self.peek(), Some(Token::Newline | Token::Op(";"))) {
                if self.peek() == Some(&Token::Op(";")) && list.is_empty() {
                    return Err(unexpected(self.peek()));
                }
                self.skip();
            }
            if self.peek().is_none() {
                return Ok(list);
            }
            list.push(self.and_or()?);
            match self.peek() {
                None => return Ok(list),
                Some(Token::Newline | Token::Op(";")) => self.skip(),
                Some(Token::Op("&")) => {
                    return Err(SyntaxError::Bad(
                        "background jobs (&) are not simulated; run the command in the foreground"
                            .into(),
                    ));
                }
                other => return Err(unexpected(other)),
            }
        }
    }

    /// Steps over one token, counting lines.
    fn skip(&mut self) {
        if self.peek() == Some(&Token::Newline) {
            self.line += 1;
        }
        self.at += 1;
    }

    fn and_or(&mut self) -> Result<AndOr, SyntaxError> {
        let line = self.line;
        let first = self.pipeline()?;
        let mut rest = Vec::new();
        loop {
            let join = match self.peek() {
                Some(Token::Op("&&")) => Join::And,
                Some(Token::Op("||")) => Join::Or,
                _ => return Ok(AndOr { line, first, rest }),
            };
            self.at += 1;
            while self.peek() == Some(&Token::Newline) {
                self.skip();
            }
            rest.push((join, self.pipeline()?));
        }
    }

    fn pipeline(&mut self) -> Result<Pipeline, SyntaxError> {
        let mut bang = false;
        if let Some(Token::Word(w, raw)) = self.peek() {
            if raw == "!" && w.len() == 1 {
                bang = true;
                self.at += 1;
            }
        }
        let mut commands = vec![self.simple()?];
        while self.peek() == Some(&Token::Op("|")) {
            self.at += 1;
            while self.peek() == Some(&Token::Newline) {
                self.skip();
            }
            commands.push(self.simple()?);
        }
        Ok(Pipeline { bang, commands })
    }

    fn simple(&mut self) -> Result<Simple, SyntaxError> {
        let mut cmd = Simple::default();
        loop {
            match self.peek().cloned() {
                Some(Token::Word(word, raw)) => {
                    if cmd.words.is_empty() && cmd.assigns.is_empty() && RESERVED.contains(&raw.as_str()) && raw != "!" {
                        return Err(SyntaxError::Bad(format!(
                            "'{raw}' compound commands are not simulated yet; write the steps one after another with && or ;"
                        )));
                    }
                    self.at += 1;
                    match assignment(&word, &raw) {
                        Some(a) if cmd.words.is_empty() => cmd.assigns.push(a),
                        _ => cmd.words.push(word),
                    }
                }
                Some(Token::Redir(fd, op)) => {
                    let index = self.at + 1;
                    self.at += 1;
                    let target = match self.peek().cloned() {
                        Some(Token::Word(w, _)) => w,
                        other => return Err(unexpected(other.as_ref())),
                    };
                    self.at += 1;
                    let op = match op {
                        ">" | ">|" => RedirOp::Write,
                        ">>" => RedirOp::Append,
                        "<" => RedirOp::Read,
                        ">&" | "<&" => {
                            let text: String = target
                                .iter()
                                .map(|p| if let Part::Lit { text, .. } = p { text.as_str() } else { "" })
                                .collect();
                            match text.parse::<u8>() {
                                Ok(n) if n <= 2 => RedirOp::Dup(n),
                                _ => return Err(SyntaxError::Bad(format!("{text}: bad file descriptor number"))),
                            }
                        }
                        _ => self
                            .heredocs
                            .iter()
                            .find(|(i, _)| *i == index)
                            .map(|(_, op)| op.clone())
                            .ok_or_else(|| SyntaxError::Incomplete("here-document without a body".into()))?,
                    };
                    cmd.redirs.push(Redir { fd, op, target });
                }
                Some(Token::Op("(")) if cmd.words.len() == 1 && cmd.assigns.is_empty() => {
                    return Err(SyntaxError::Bad(
                        "function definitions (name() { … }) are not simulated yet; write the commands out where they are used".into(),
                    ))
                }
                Some(Token::Op("(")) => {
                    return Err(SyntaxError::Bad(
                        "subshells ( … ) are not simulated yet; write the steps one after another with && or ;".into(),
                    ))
                }
                _ => break,
            }
        }
        if cmd.words.is_empty() && cmd.assigns.is_empty() && cmd.redirs.is_empty() {
            return Err(unexpected(self.peek()));
        }
        Ok(cmd)
    }
}

/// `NAME=value` before the command name.
fn assignment(word: &Word, raw: &str) -> Option<(String, Word)> {
    let Some(Part::Lit {
        text,
        quoted: false,
    }) = word.first()
    else {
        return None;
    };
    let (name, value) = text.split_once('=')?;
    if name.is_empty()
        || !name.starts_with(is_name_start)
        || !name.chars().all(is_name)
        || raw.is_empty()
    {
        return None;
    }
    let mut rest = word.clone();
    rest[0] = Part::Lit {
        text: value.to_owned(),
        quoted: false,
    };
    Some((name.to_owned(), rest))
}

/// Whether more lines would complete `script` (an open quote or heredoc, a
/// trailing `&&`, `||`, `|` or backslash), as a shell's `> ` prompt asks.
pub fn incomplete(script: &str) -> bool {
    !matches!(waiting(script), Waiting::Complete)
}

/// What a script read so far waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Waiting {
    Complete,
    /// More lines (an open quote, a trailing operator).
    More,
    /// The line that ends a heredoc: no other line can complete the script.
    Delimiter(String),
}

pub fn waiting(script: &str) -> Waiting {
    if script.ends_with('\\') && !script.ends_with("\\\\") {
        return Waiting::More;
    }
    match parse(script) {
        Err(SyntaxError::Incomplete(_)) => Waiting::More,
        Err(SyntaxError::HereDocument { delimiter }) => Waiting::Delimiter(delimiter),
        Err(_) => Waiting::Complete,
        Ok(_) => {
            let t = script.trim_end();
            if t.ends_with("&&") || t.ends_with("||") || (t.ends_with('|') && !t.ends_with("||")) {
                Waiting::More
            } else {
                Waiting::Complete
            }
        }
    }
}

/// Reads an unquoted heredoc body: text stays literal except `$…`, backquotes,
/// and a backslash before `$`, `` ` `` or `\\`.
pub fn parse_text(text: &str) -> Result<Word, SyntaxError> {
    let mut lexer = Lexer {
        chars: text.chars().collect(),
        at: 0,
        pending: Vec::new(),
        tokens: Vec::new(),
        heredocs: Vec::new(),
    };
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
