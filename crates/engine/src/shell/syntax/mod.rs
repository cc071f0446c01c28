//! Reading a shell script: words with their quoting, operators, redirections
//! and heredocs, grouped into lists, and-or chains, pipelines and simple
//! commands. Syntax errors are values, worded as dash words them.

mod lexer;

use crate::note::{self, NoteKey};
use lexer::{is_name, is_name_start, Lexer, Token};
pub use lexer::{parse_text, MAX_BRACE_NESTING};

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

/// Reads a script.
pub fn parse(script: &str) -> Result<List, SyntaxError> {
    let lexer = Lexer::new(script);
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
                    return Err(SyntaxError::Bad(note::text(NoteKey::BackgroundJobs, &[])));
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
                    if cmd.words.is_empty()
                        && cmd.assigns.is_empty()
                        && RESERVED.contains(&raw.as_str())
                        && raw != "!"
                    {
                        return Err(SyntaxError::Bad(note::text(NoteKey::Compound, &[&raw])));
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
                                .map(|p| {
                                    if let Part::Lit { text, .. } = p {
                                        text.as_str()
                                    } else {
                                        ""
                                    }
                                })
                                .collect();
                            match text.parse::<u8>() {
                                Ok(n) if n <= 2 => RedirOp::Dup(n),
                                _ => {
                                    return Err(SyntaxError::Bad(format!(
                                        "{text}: bad file descriptor number"
                                    )))
                                }
                            }
                        }
                        _ => self
                            .heredocs
                            .iter()
                            .find(|(i, _)| *i == index)
                            .map(|(_, op)| op.clone())
                            .ok_or_else(|| {
                                SyntaxError::Incomplete("here-document without a body".into())
                            })?,
                    };
                    cmd.redirs.push(Redir { fd, op, target });
                }
                Some(Token::Op("(")) if cmd.words.len() == 1 && cmd.assigns.is_empty() => {
                    return Err(SyntaxError::Bad(note::text(NoteKey::Functions, &[])))
                }
                Some(Token::Op("(")) => {
                    return Err(SyntaxError::Bad(note::text(NoteKey::Subshells, &[])))
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
