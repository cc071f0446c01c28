//! Layerlab's own notes in a terminal: the lines that say what is not
//! simulated, or why a line stopped. They are written in English, byte for
//! byte what the CLI, the tests and the Docker 26 comparison see; a note may
//! follow a program's own prefix (`dd: `, `sh: 1: `, `E: `).
//!
//! Every note comes from one template here, so a line of output can be read
//! back as a [`Note`] (its key and arguments): the app draws it in the
//! learner's language. Architecture invariant: `note` holds no translation
//! and imports nothing; a program's own messages (GNU's, Docker's) are not
//! notes and stay English, as in real life.

macro_rules! notes {
    ($( $(#[$doc:meta])* $key:ident => $en:literal, )*) => {
        /// Which note a line is; its English template has `{}` where the
        /// arguments go.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum NoteKey { $( $(#[$doc])* $key ),* }

        impl NoteKey {
            pub const ALL: &'static [NoteKey] = &[$(NoteKey::$key),*];

            /// The English text, with `{}` for each argument.
            pub fn template(self) -> &'static str {
                match self { $(NoteKey::$key => $en),* }
            }
        }
    };
}

notes! {
    /// A program on `PATH` that the shell does not simulate.
    ProgramNotSimulated => "layerlab: {}: running this program is not simulated; it exits 0 and changes no files",
    /// Pipes or `;` around a `docker` command.
    DockerAlone => "Layerlab: a docker command runs on its own line for now; pipes, redirections, ';', '&&' and $variables around docker are not simulated yet. Run the docker command alone (a heredoc for `docker exec -i` is fine).",
    /// `docker logs` of a server whose code does not run.
    LogsEmpty => "layerlab: {}'s own output is not simulated, so its logs are empty here",
    /// `docker run` of a server whose code does not run.
    ServerStaysUp => "Layerlab does not run {}'s code: the container stays Up, as a server would, and its output is not shown (docker run -d runs it in the background).",
    /// `docker exec` of a program that does not run.
    ExecNotRun => "Layerlab does not run {}'s code; only the shell and its programs (ls, cat, echo …) run in containers.",
    BackgroundJobs => "background jobs (&) are not simulated; run the command in the foreground",
    /// `if`, `for`, `while`, `case` …
    Compound => "'{}' compound commands are not simulated yet; write the steps one after another with && or ;",
    Functions => "function definitions (name() { … }) are not simulated yet; write the commands out where they are used",
    Subshells => "subshells ( … ) are not simulated yet; write the steps one after another with && or ;",
    DdStdin => "reading stdin is not simulated; give if=FILE",
    EnvCommand => "running a command through env is not simulated; run it directly",
    TailFollow => "following a file is not simulated; this is its end as it stands",
    /// apt-get remove, apk del, pip uninstall.
    RemovePackages => "removing packages is not simulated; build from a smaller base instead",
    GunzipTooLarge => "more than 256 MB uncompressed is not simulated",
    GzipTooLarge => "compressing more than 256 MB is not simulated",
    /// A compression other than gzip (its name is the argument).
    ArchiveKind => "{} archives are not simulated; only tar and tar.gz are",
    StoppedSteps => "stopped: this command ran more than {} commands — Layerlab bounds the work of one command",
    StoppedBytes => "stopped: this command produced more than {} — Layerlab bounds the work of one command",
    StoppedWritten => "stopped: this command wrote more than {} to files — Layerlab bounds the work of one command",
    StoppedDepth => "stopped: sh -c, $( ) and make nested more than {} deep — Layerlab bounds the work of one command",
    MakeTooLarge => "expanding a variable made more than {} MiB — Layerlab bounds the work of one command.  Stop.",
    /// Output cut after its first lines.
    MoreLines => "[{} more lines not shown]",
    DockerdSaid => "Layerlab: dockerd said: {}",
    AufsRemoved => "Layerlab: Docker 24 removed aufs; this daemon lays layers out as Docker 1.x to 23 did with aufs.",
    AddNoNetwork => "Layerlab's simulated host has no network. Put the file in the build context and COPY it instead",
    AddArchiveKind => "Layerlab unpacks tar and tar.gz only; make it with tar -czf",
}

/// Words every note's template holds one of.
const MARKS: [&str; 3] = ["simulated", "Layerlab", "not shown]"];

/// One note: its key and its arguments, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub key: NoteKey,
    pub args: Vec<String>,
}

impl Note {
    pub fn new(key: NoteKey, args: &[&str]) -> Note {
        Note {
            key,
            args: args.iter().map(|a| (*a).to_owned()).collect(),
        }
    }

    /// The note in English, as the terminal prints it.
    pub fn text(&self) -> String {
        fill(self.key.template(), &self.args)
    }

    /// The note that ends `line`, and the length of what comes before it
    /// (a program's prefix such as `dd: `), if `line` ends with one.
    pub fn find(line: &str) -> Option<(usize, Note)> {
        // Every note holds one of these: the lines of a usual session (a
        // build's progress, Docker's errors) are passed over at once.
        if !MARKS.iter().any(|m| line.contains(m)) {
            return None;
        }
        Self::find_any(line)
    }

    #[inline(never)]
    fn find_any(line: &str) -> Option<(usize, Note)> {
        NoteKey::ALL
            .iter()
            .find_map(|&key| read(key, line).map(|(at, args)| (at, Note { key, args })))
    }
}

/// The English text of `key` with `args`. Out of line: the many places that
/// write a note share one body.
#[inline(never)]
pub fn text(key: NoteKey, args: &[&str]) -> String {
    fill_in(key.template(), args)
}

/// `template` with each `{}` replaced by the next argument (a missing one is empty).
pub fn fill(template: &str, args: &[String]) -> String {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    fill_in(template, &args)
}

#[inline(never)]
fn fill_in(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut pieces = template.split("{}");
    out.push_str(pieces.next().unwrap_or_default());
    for (i, piece) in pieces.enumerate() {
        out.push_str(args.get(i).copied().unwrap_or_default());
        out.push_str(piece);
    }
    out
}

/// Reads `line` as ending with `key`'s template: where the note starts and
/// its arguments. Matched from the end, so an argument holds anything between
/// its two pieces; an argument that starts the template is one word.
fn read(key: NoteKey, line: &str) -> Option<(usize, Vec<String>)> {
    // Most lines end with no note's last piece: no allocation for them.
    let last = key.template().rsplit("{}").next().unwrap_or_default();
    if !line.ends_with(last) {
        return None;
    }
    let pieces: Vec<&str> = key.template().split("{}").collect();
    let mut end = line.len();
    let mut args = Vec::with_capacity(pieces.len() - 1);
    for (i, piece) in pieces.iter().enumerate().rev() {
        let at = if i + 1 == pieces.len() {
            line[..end].ends_with(piece).then(|| end - piece.len())?
        } else if i == 0 && !piece.is_empty() {
            line[..end].rfind(piece)?
        } else if i == 0 {
            line[..end].rfind(' ').map_or(0, |s| s + 1)
        } else {
            line[..end].rfind(piece)?
        };
        if i + 1 < pieces.len() {
            let arg = &line[at + piece.len()..end];
            if arg.is_empty() {
                return None;
            }
            args.push(arg.to_owned());
        }
        end = at;
    }
    args.reverse();
    Some((end, args))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_note_reads_back_from_its_text_after_any_prefix() {
        for &key in NoteKey::ALL {
            let n = key.template().matches("{}").count();
            let args: Vec<String> = (0..n).map(|i| format!("arg{i}")).collect();
            let note = Note {
                key,
                args: args.clone(),
            };
            for prefix in ["", "dd: ", "/bin/sh: 1: "] {
                let line = format!("{prefix}{}", note.text());
                assert_eq!(
                    Note::find(&line),
                    Some((prefix.len(), note.clone())),
                    "{line}"
                );
            }
        }
    }

    #[test]
    fn every_template_holds_a_mark() {
        for &key in NoteKey::ALL {
            assert!(MARKS.iter().any(|m| key.template().contains(m)), "{key:?}");
        }
    }

    #[test]
    fn lines_that_are_no_note_are_read_as_none() {
        for line in [
            "",
            "hello",
            "ls: cannot access 'x': No such file or directory",
            "Status: Downloaded newer image for ubuntu:15.04",
            "layerlab: : running this program is not simulated; it exits 0 and changes no files",
        ] {
            assert_eq!(Note::find(line), None, "{line}");
        }
    }
}
