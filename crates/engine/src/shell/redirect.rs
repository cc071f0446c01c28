//! Redirections (`>`, `>>`, `<`, `2>&1`, heredocs) and the files a command
//! reads and writes: `/dev/null`, `/dev/stdout` and `/dev/stderr` are
//! streams, and every byte written counts against the line's budget (a file
//! past it fails with EFBIG, as under `ulimit -f`).

use super::error::{ExpandError, FileError};
use super::syntax::{Redir, RedirOp};
use super::{Chunk, Run};
use crate::content::Content;
use crate::merged::WriteMode;

impl Run<'_, '_> {
    pub(super) fn redirect_only(&mut self, redirs: &[Redir]) -> i32 {
        for r in redirs {
            match self.prepare_redirect(r) {
                Ok((RedirOp::Write, target)) => {
                    if let Err(e) = self.write_file(&target, Content::empty(), WriteMode::Truncate)
                    {
                        return self.redirect_error(true, &target, e);
                    }
                }
                Ok((RedirOp::Append, target)) => {
                    if let Err(e) = self.write_file(&target, Content::empty(), WriteMode::Append) {
                        return self.redirect_error(true, &target, e);
                    }
                }
                Ok((RedirOp::Read, target)) => {
                    if let Err(e) = self.read_file(&target) {
                        return self.redirect_error(false, &target, e);
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    self.expand_error(&e);
                    return 2;
                }
            }
        }
        0
    }

    pub(super) fn prepare_redirect(&mut self, r: &Redir) -> Result<(RedirOp, String), ExpandError> {
        match &r.op {
            RedirOp::Dup(n) => Ok((RedirOp::Dup(*n), String::new())),
            RedirOp::Here { body, expand } => {
                let body = if *expand {
                    self.expand_text(body)?
                } else {
                    body.clone()
                };
                Ok((
                    RedirOp::Here {
                        body,
                        expand: false,
                    },
                    String::new(),
                ))
            }
            op => Ok((op.clone(), self.expand_single(&r.target)?)),
        }
    }

    /// Sends a command's output where its redirections say.
    pub(super) fn route(
        &mut self,
        produced: Vec<Chunk>,
        targets: &[(u8, RedirOp, String)],
    ) -> Result<(), (String, FileError)> {
        // Where fd 1 and fd 2 go: None = the terminal, Some(i) = targets[i].
        #[derive(Clone, Copy, PartialEq)]
        enum To {
            Term(bool),
            File(usize),
        }
        let mut fd1 = To::Term(false);
        let mut fd2 = To::Term(true);
        for (i, (fd, op, _)) in targets.iter().enumerate() {
            let to = match op {
                RedirOp::Dup(1) => fd1,
                RedirOp::Dup(2) => fd2,
                RedirOp::Dup(_) => continue,
                _ => To::File(i),
            };
            match fd {
                1 => fd1 = to,
                2 => fd2 = to,
                _ => {}
            }
        }
        let mut files: Vec<Content> = vec![Content::empty(); targets.len()];
        for c in produced {
            match if c.stderr { fd2 } else { fd1 } {
                To::Term(stderr) => self.chunk(stderr, c.data),
                To::File(i) => files[i] = files[i].concat(&c.data),
            }
        }
        for (i, (_, op, target)) in targets.iter().enumerate() {
            let mode = match op {
                RedirOp::Write => WriteMode::Truncate,
                RedirOp::Append => WriteMode::Append,
                _ => continue,
            };
            let data = std::mem::replace(&mut files[i], Content::empty());
            if let Err(e) = self.write_file(target, data, mode) {
                return Err((target.clone(), e));
            }
        }
        Ok(())
    }

    /// Writes a file; `/dev/null` swallows everything.
    pub fn write_file(
        &mut self,
        path: &str,
        data: Content,
        mode: WriteMode,
    ) -> Result<(), FileError> {
        if path == "/dev/null" {
            return Ok(());
        }
        if path == "/dev/stdout" {
            self.stdout_content(data);
            return Ok(());
        }
        if path == "/dev/stderr" {
            self.chunk(true, data);
            return Ok(());
        }
        let abs = self.abs(path);
        let limit = self.budget.limits().written;
        let before = match (mode, self.fs.stat(&abs)) {
            (WriteMode::Append, Ok(s)) => s.node.size(),
            _ => 0,
        };
        // A file may not outgrow the budget (EFBIG, as under `ulimit -f`).
        if before.saturating_add(data.len()) > limit {
            return Err(FileError::Errno(crate::error::Errno::FileTooLarge));
        }
        let written = self.budget.written(data.len());
        if !self.spend(written) {
            return Err(FileError::Errno(crate::error::Errno::FileTooLarge));
        }
        match self.fs.write_content(&abs, data, mode) {
            Ok(ev) => {
                self.events.extend(ev);
                Ok(())
            }
            Err(e) => Err(FileError::Errno(e.errno)),
        }
    }

    /// Reads a file (following symlinks); `/dev/null` is empty.
    pub fn read_file(&mut self, path: &str) -> Result<Content, FileError> {
        match path {
            "/dev/null" => return Ok(Content::empty()),
            "/dev/zero" | "/dev/urandom" | "/dev/random" => return Err(FileError::EndlessDevice),
            _ => {}
        }
        let abs = self.abs(path);
        match self.fs.read(&abs) {
            Ok((c, ev)) => {
                self.events.extend(ev);
                Ok(c)
            }
            Err(e) => Err(FileError::Errno(e.errno)),
        }
    }
}
