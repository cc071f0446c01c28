//! `docker save` and `docker load`: image archives in the host's file system,
//! written by [`crate::save`] and read back by [`crate::import`].

use super::flags::Parsed;
use super::flags::{bool_flag, value_flag};
use super::{Cmd, Session, Transcript};
use crate::import::{self, Importer};
use crate::merged::WriteMode;

pub(super) const SAVE: Cmd = Cmd {
    flags: &[
        value_flag(Some('o'), "output"),
        value_flag(None, "platform"),
    ],
    options: &[
        ("-o, --output string", "Write to a file, instead of STDOUT"),
        ("--platform string", "Save only the given platform variant"),
    ],
    ..Cmd::new(
        "save",
        "docker save [OPTIONS] IMAGE [IMAGE...]",
        "Save one or more images to a tar archive (streamed to STDOUT by default)",
    )
};

pub(super) const LOAD: Cmd = Cmd {
    flags: &[
        value_flag(Some('i'), "input"),
        bool_flag(Some('q'), "quiet"),
        value_flag(None, "platform"),
    ],
    options: &[
        (
            "-i, --input string",
            "Read from tar archive file, instead of STDIN",
        ),
        ("--platform string", "Load only the given platform variant"),
        ("-q, --quiet", "Suppress the load output"),
    ],
    ..Cmd::new(
        "load",
        "docker load [OPTIONS]",
        "Load an image from a tar archive or STDIN",
    )
};

/// `docker save -o FILE IMAGE…`: the archive is written into the host's files.
pub fn save(s: &mut Session, p: Parsed, t: Transcript) -> Transcript {
    if p.args.is_empty() {
        return SAVE.needs(t, "at least 1");
    }
    let Some(output) = p.value("output").map(str::to_owned) else {
        return t.fail(
            1,
            "cowardly refusing to save to a terminal. Use the -o flag or redirect",
        );
    };
    let tar = match crate::save::save(&s.host, &p.args, s.host.now()) {
        Ok(tar) => tar,
        Err(e) => return t.fail(1, format!("Error response from daemon: {e}")),
    };
    let path = s.shell_path(&output);
    match s.host_fs.write_content(&path, tar, WriteMode::Truncate) {
        Ok(_) => t,
        Err(e) => t.fail(1, format!("failed to save image: invalid output path: {e}")),
    }
}

/// `docker load -i FILE`: the archive is read in slices, as the daemon reads it.
pub fn load(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    if !p.args.is_empty() {
        return LOAD.no_args(t);
    }
    let Some(input) = p.value("input").map(str::to_owned) else {
        return t.fail(1, "requested load from stdin, but stdin is empty");
    };
    let path = s.shell_path(&input);
    let data = match s.host_fs.read(&path) {
        Ok((data, _)) => data,
        Err(e) => {
            return t.fail(
                1,
                format!("open {input}: {}", e.errno.message().to_lowercase()),
            )
        }
    };
    let mut importer = Importer::new();
    let mut failed = None;
    data.for_each_chunk(|chunk| {
        if failed.is_none() {
            if let Err(e) = importer.feed(chunk) {
                failed = Some(e);
            }
        }
    });
    let imported = match failed.map_or_else(|| importer.finish(), Err) {
        Ok(i) => i,
        Err(e) => return t.fail(1, format!("Error response from daemon: {e}")),
    };
    let out = import::load(&mut s.host, &imported);
    t.host(out.events);
    if !p.has("quiet") {
        for image in &out.value {
            for line in image.lines() {
                t.out(line);
            }
        }
    }
    t
}

/// `docker save IMAGE… > FILE` and `docker load < FILE`: the redirection
/// these two take, read as `-o FILE` and `-i FILE` (the only redirections a
/// docker line may carry besides a heredoc).
pub(super) fn redirected(line: &str) -> Option<Vec<String>> {
    use crate::shell::syntax::{parse, Part, RedirOp, Word};
    let list = parse(line).ok()?;
    let [only] = list.as_slice() else {
        return None;
    };
    let [command] = only.first.commands.as_slice() else {
        return None;
    };
    if !only.rest.is_empty() || only.first.bang || !command.assigns.is_empty() {
        return None;
    }
    let literal = |w: &Word| {
        w.iter()
            .map(|p| match p {
                Part::Lit { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Option<String>>()
    };
    let mut words = command
        .words
        .iter()
        .map(literal)
        .collect::<Option<Vec<String>>>()?;
    let [redir] = command.redirs.as_slice() else {
        return None;
    };
    let sub: Vec<&str> = words.iter().skip(1).take(2).map(String::as_str).collect();
    let (save, load) = (
        matches!(sub.as_slice(), ["save", ..] | ["image", "save"]),
        matches!(sub.as_slice(), ["load", ..] | ["image", "load"]),
    );
    let flag = match (&redir.op, redir.fd) {
        (RedirOp::Write, 1) if save => "-o",
        (RedirOp::Read, 0) if load => "-i",
        _ => return None,
    };
    if words.first().map(String::as_str) != Some("docker") {
        return None;
    }
    words.push(flag.to_owned());
    words.push(literal(&redir.target)?);
    Some(words)
}
