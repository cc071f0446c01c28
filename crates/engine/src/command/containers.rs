//! `docker create`, `run`, `start`, `stop`, `rm`, `ps`, `diff`, `commit`.

use super::flags::Parsed;
use super::flags::{bool_flag, list_flag, value_flag, Flag};
use super::{Cmd, Session, Transcript};
use crate::clock::human_duration;
use crate::host::{CommitOptions, HostError, State};
use crate::note::NoteKey;
use crate::reference::Reference;
use crate::size::human_size_with_precision;
use crate::table::{ellipsis, go_quote, render};

const CREATE_FLAGS: &[Flag] = &[
    bool_flag(Some('d'), "detach"),
    bool_flag(Some('i'), "interactive"),
    bool_flag(Some('t'), "tty"),
    value_flag(None, "name"),
    bool_flag(None, "rm"),
];

const CREATE_OPTIONS: &[(&str, &str)] = &[
    (
        "-d, --detach",
        "Run container in background and print container ID",
    ),
    ("-i, --interactive", "Keep STDIN open even if not attached"),
    ("--name string", "Assign a name to the container"),
    ("--rm", "Automatically remove the container when it exits"),
    ("-t, --tty", "Allocate a pseudo-TTY"),
];

pub(super) const CREATE: Cmd = Cmd {
    flags: CREATE_FLAGS,
    options: CREATE_OPTIONS,
    stop_at_first_arg: true,
    usage_status: 125,
    ..Cmd::new(
        "create",
        "docker create [OPTIONS] IMAGE [COMMAND] [ARG...]",
        "Create a new container",
    )
};

pub(super) const RUN: Cmd = Cmd {
    flags: CREATE_FLAGS,
    options: CREATE_OPTIONS,
    stop_at_first_arg: true,
    usage_status: 125,
    ..Cmd::new(
        "run",
        "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]",
        "Create and run a new container from an image",
    )
};

pub(super) const START: Cmd = Cmd::new(
    "start",
    "docker start [OPTIONS] CONTAINER [CONTAINER...]",
    "Start one or more stopped containers",
);
pub(super) const STOP: Cmd = Cmd::new(
    "stop",
    "docker stop [OPTIONS] CONTAINER [CONTAINER...]",
    "Stop one or more running containers",
);

pub(super) const RM: Cmd = Cmd {
    flags: &[bool_flag(Some('f'), "force")],
    options: &[("-f, --force", "Force the removal of a running container")],
    ..Cmd::new(
        "rm",
        "docker rm [OPTIONS] CONTAINER [CONTAINER...]",
        "Remove one or more containers",
    )
};

pub(super) const PS: Cmd = Cmd {
    flags: &[
        bool_flag(Some('a'), "all"),
        bool_flag(Some('s'), "size"),
        bool_flag(Some('q'), "quiet"),
        bool_flag(None, "no-trunc"),
        value_flag(None, "format"),
    ],
    options: &[
        (
            "-a, --all",
            "Show all containers (default shows just running)",
        ),
        (
            "--format string",
            "Format output using a custom template (fields: .ID .Image .Command .RunningFor .Status .Ports .Names .Size .State)",
        ),
        ("--no-trunc", "Don't truncate output"),
        ("-q, --quiet", "Only display container IDs"),
        ("-s, --size", "Display total file sizes"),
    ],
    ..Cmd::new("ps", "docker ps [OPTIONS]", "List containers")
};

pub(super) const DIFF: Cmd = Cmd::new(
    "diff",
    "docker diff CONTAINER",
    "Inspect changes to files or directories on a container's filesystem",
);

pub(super) const LOGS: Cmd = Cmd::new(
    "logs",
    "docker logs [OPTIONS] CONTAINER",
    "Fetch the logs of a container",
);

pub(super) const COMMIT: Cmd = Cmd {
    flags: &[
        value_flag(Some('m'), "message"),
        value_flag(Some('a'), "author"),
        list_flag(Some('c'), "change"),
        bool_flag(Some('p'), "pause"),
    ],
    options: &[
        (
            "-a, --author string",
            "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")",
        ),
        (
            "-c, --change list",
            "Apply Dockerfile instruction to the created image",
        ),
        ("-m, --message string", "Commit message"),
    ],
    ..Cmd::new(
        "commit",
        "docker commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]",
        "Create a new image from a container's changes",
    )
};

/// The STATUS column: `Created`, `Up 2 minutes`, `Exited (0) 5 seconds ago`.
pub(super) fn status_text(state: &State, now: u64) -> String {
    match *state {
        State::Created => "Created".to_owned(),
        State::Running { since } => format!("Up {}", human_duration(now.saturating_sub(since))),
        State::Exited { code, at } => format!(
            "Exited ({code}) {} ago",
            human_duration(now.saturating_sub(at))
        ),
    }
}

/// `docker create` and `docker run`.
pub fn create(s: &mut Session, p: Parsed, mut t: Transcript, run: bool) -> Transcript {
    let command = if run { &RUN } else { &CREATE };
    let cmd = command.name;
    let Some(image_ref) = p.args.first() else {
        return command.needs(t, "at least 1");
    };
    if let Err(e) = Reference::parse(image_ref) {
        return t.fail(
            125,
            format!("docker: {e}\n\nRun 'docker {cmd} --help' for more information"),
        );
    }
    if s.host.image(image_ref).is_err() {
        let shown = Reference::parse(image_ref)
            .map(|r| r.to_string())
            .unwrap_or_else(|_| image_ref.clone());
        t.err(format!("Unable to find image '{shown}' locally"));
        match s.registry.pull(&mut s.host, image_ref) {
            Ok(pull) => {
                for l in pull
                    .lines
                    .iter()
                    .filter(|l| !l.starts_with("docker.io/") && !l.starts_with("Using default tag"))
                {
                    t.err(l.clone());
                }
                t.host(pull.events);
                t.pulled(pull.layers);
                t.manifest = Some(Box::new(pull.manifest));
            }
            Err(e) => {
                return t.fail(
                    125,
                    format!("docker: {e}\n\nRun 'docker {cmd} --help' for more information"),
                )
            }
        }
    }
    let command = (p.args.len() > 1).then(|| p.args[1..].to_vec());
    let outcome = match s
        .host
        .create_container_with(image_ref, p.value("name"), command)
    {
        Ok(o) => o,
        // The docker 28 CLI: `run` wraps the daemon's error, `create` prints it.
        Err(e) if run => {
            return t.fail(
                125,
                format!("docker: {e}\n\nRun 'docker {cmd} --help' for more information"),
            )
        }
        Err(e) => return t.fail(1, e.to_string()),
    };
    let id = outcome.value;
    t.host(outcome.events);
    if p.has("interactive") {
        if let Ok(c) = s.host.container_mut(&id) {
            c.open_stdin = true;
        }
    }
    if !run {
        t.out(id);
        return t;
    }
    if let Err(e) = s.host.start_container(&id) {
        return t.fail(
            127,
            format!("docker: {e}.\n\nRun 'docker run --help' for more information"),
        );
    }
    if !matches!(
        s.host.container(&id).map(|c| &c.state),
        Ok(State::Running { .. })
    ) {
        // The shell's own program was missing: it ended at once.
        return t;
    }
    let detach = p.has("detach");
    let ended =
        super::process::main_process(s, &id, !detach, p.has("interactive"), p.has("tty"), &mut t);
    if detach {
        t.out(id.clone());
    } else if let Some(code) = ended {
        t.status = code;
    } else if s.attached.is_none() {
        let command = s
            .host
            .container(&id)
            .map(|c| c.command.clone())
            .unwrap_or_default();
        let program = super::process::serves(s, &id, &command)
            .or_else(|| command.first().cloned())
            .unwrap_or_default();
        t.err(crate::note::text(NoteKey::ServerStaysUp, &[&program]));
    }
    if ended.is_some() && p.has("rm") {
        if let Ok(o) = s.host.remove_container(&id, true) {
            t.host(o.events);
        }
    }
    t
}

pub(super) const EXEC: Cmd = Cmd {
    flags: &[
        bool_flag(Some('d'), "detach"),
        bool_flag(Some('i'), "interactive"),
        bool_flag(Some('t'), "tty"),
        value_flag(Some('w'), "workdir"),
        list_flag(Some('e'), "env"),
    ],
    options: &[
        (
            "-d, --detach",
            "Detached mode: run command in the background",
        ),
        ("-e, --env list", "Set environment variables"),
        ("-i, --interactive", "Keep STDIN open even if not attached"),
        ("-t, --tty", "Allocate a pseudo-TTY"),
        (
            "-w, --workdir string",
            "Working directory inside the container",
        ),
    ],
    stop_at_first_arg: true,
    ..Cmd::new(
        "exec",
        "docker exec [OPTIONS] CONTAINER COMMAND [ARG...]",
        "Execute a command in a running container",
    )
};

/// `docker exec`: a command in a running container; `-it sh` takes the terminal.
pub fn exec(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    if p.args.len() < 2 {
        return EXEC.needs(t, "at least 2");
    }
    let id = match s.host.container(&p.args[0]) {
        Ok(c) if matches!(c.state, State::Running { .. }) => c.id.clone(),
        Ok(c) => {
            return t.fail(
                1,
                format!(
                    "Error response from daemon: container {} is not running",
                    c.id
                ),
            )
        }
        Err(e) => return t.fail(1, e.to_string()),
    };
    let options = super::process::ExecOptions {
        interactive: p.has("interactive"),
        detach: p.has("detach"),
        tty: p.has("tty"),
        workdir: p.value("workdir").map(str::to_owned),
        env: p.values("env").iter().map(|e| e.to_string()).collect(),
    };
    let status = super::process::exec(s, &id, &p.args[1..], &options, &mut t);
    t.status = status;
    t
}

pub fn start(s: &mut Session, p: Parsed, t: Transcript) -> Transcript {
    each_container(
        s,
        p,
        t,
        &START,
        Some("failed to start containers"),
        |s, name| {
            let was_running = matches!(
                s.host.container(name).map(|c| &c.state),
                Ok(State::Running { .. })
            );
            s.host.start_container(name)?;
            let running = matches!(
                s.host.container(name).map(|c| &c.state),
                Ok(State::Running { .. })
            );
            if running && !was_running {
                // Not attached: what the process prints goes to its log.
                let id = s
                    .host
                    .container(name)
                    .map(|c| c.id.clone())
                    .unwrap_or_default();
                super::process::main_process(
                    s,
                    &id,
                    false,
                    false,
                    false,
                    &mut Transcript::default(),
                );
            }
            Ok(())
        },
    )
}

pub fn stop(s: &mut Session, p: Parsed, t: Transcript) -> Transcript {
    each_container(s, p, t, &STOP, None, |s, name| s.host.stop_container(name))
}

/// Applies `act` to each named container, printing each name, as `start` and
/// `stop` do; `summary` ends with the names that failed (`docker start`'s
/// `Error: failed to start containers: a, b`).
fn each_container(
    s: &mut Session,
    p: Parsed,
    mut t: Transcript,
    command: &Cmd,
    summary: Option<&str>,
    act: impl Fn(&mut Session, &str) -> Result<(), HostError>,
) -> Transcript {
    if p.args.is_empty() {
        return command.needs(t, "at least 1");
    }
    let mut failed = Vec::new();
    for name in &p.args {
        match act(s, name) {
            Ok(()) => t.out(name.clone()),
            Err(e) => {
                t.err(e.to_string());
                t.status = 1;
                failed.push(name.as_str());
            }
        }
    }
    if let (Some(what), false) = (summary, failed.is_empty()) {
        t.err(format!("Error: {what}: {}", failed.join(", ")));
    }
    t
}

pub fn rm(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    if p.args.is_empty() {
        return RM.needs(t, "at least 1");
    }
    for name in &p.args {
        match s.host.remove_container(name, p.has("force")) {
            Ok(o) => {
                t.out(name.clone());
                t.host(o.events);
            }
            Err(e) => {
                t.err(e.to_string());
                t.status = 1;
            }
        }
    }
    t
}

/// `docker ps [-a] [-s] [-q] [--no-trunc]`, laid out as the docker CLI does.
pub fn ps(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    if !p.args.is_empty() {
        return PS.no_args(t);
    }
    let now = s.host.now();
    let sizes = s.host.ps_sizes();
    let mut rows = vec![vec![
        "CONTAINER ID",
        "IMAGE",
        "COMMAND",
        "CREATED",
        "STATUS",
        "PORTS",
        "NAMES",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect::<Vec<_>>()];
    if p.has("size") {
        rows[0].push("SIZE".into());
    }
    // Newest first, as the daemon lists them.
    for (c, (size, virt)) in s.host.containers().iter().zip(sizes).rev() {
        let running = matches!(c.state, State::Running { .. });
        if !running && !p.has("all") {
            continue;
        }
        let id = if p.has("no-trunc") {
            c.id.clone()
        } else {
            c.short_id().to_owned()
        };
        if p.has("quiet") {
            t.out(id);
            continue;
        }
        let command = c.command_line();
        let command = if p.has("no-trunc") {
            go_quote(&command)
        } else {
            go_quote(&ellipsis(&command, 20))
        };
        let status = status_text(&c.state, now);
        let ports = if running {
            s.host
                .image(c.image.as_str())
                .map(|i| {
                    i.config
                        .config
                        .exposed_ports
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default()
        } else {
            String::new()
        };
        let mut row = vec![
            id,
            s.host.image_shown(c),
            command,
            format!("{} ago", human_duration(now.saturating_sub(c.created))),
            status,
            ports,
            c.name.clone(),
        ];
        if let Some(format) = p.value("format") {
            // The docker CLI's container fields, as a template sees them.
            let state = match c.state {
                State::Created => "created",
                State::Running { .. } => "running",
                State::Exited { .. } => "exited",
            };
            let size = human_size_with_precision(size as f64, 3);
            let value = serde_json::json!({
                "ID": row[0], "Image": row[1], "Command": row[2], "RunningFor": row[3],
                "Status": row[4], "Ports": row[5], "Names": row[6], "State": state,
                "Size": if virt > 0 {
                    format!("{size} (virtual {})", human_size_with_precision(virt as f64, 3))
                } else {
                    size
                },
            });
            match super::template::render(format, &value) {
                Ok(text) => {
                    for l in format!("{text}\n").lines() {
                        t.out(l);
                    }
                }
                Err(e) => return t.fail(e.1, e.0),
            }
            continue;
        }
        if p.has("size") {
            let size = human_size_with_precision(size as f64, 3);
            row.push(if virt > 0 {
                format!(
                    "{size} (virtual {})",
                    human_size_with_precision(virt as f64, 3)
                )
            } else {
                size
            });
        }
        rows.push(row);
    }
    if !p.has("quiet") && !p.has("format") {
        for line in render(&rows) {
            t.out(line);
        }
    }
    t
}

pub fn diff(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    let [name] = p.args.as_slice() else {
        return DIFF.needs(t, "exactly 1");
    };
    match s.host.diff(name) {
        Ok(changes) => {
            for c in changes {
                t.out(c.to_string());
            }
            t
        }
        Err(e) => t.fail(1, e.to_string()),
    }
}

/// `docker logs`: what the container's main process wrote. A program the
/// shell does not simulate wrote nothing Layerlab knows of: a note says so.
pub fn logs(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    let [name] = p.args.as_slice() else {
        return LOGS.needs(t, "exactly 1");
    };
    let c = match s.host.container(name) {
        Ok(c) => c,
        Err(e) => return t.fail(1, e.to_string()),
    };
    let (id, command, log) = (c.id.clone(), c.command.clone(), c.log.clone());
    for (stderr, line) in log {
        if stderr {
            t.err(line);
        } else {
            t.out(line);
        }
    }
    if let Some(program) = super::process::serves(s, &id, &command) {
        t.err(crate::note::text(NoteKey::LogsEmpty, &[&program]));
    }
    t
}

pub fn commit(s: &mut Session, p: Parsed, mut t: Transcript) -> Transcript {
    let (name, tag) = match p.args.as_slice() {
        [name] => (name, None),
        [name, tag] => match Reference::parse(tag) {
            Ok(r) => (name, Some(r)),
            Err(e) => {
                return t.fail(
                    1,
                    format!("Error parsing reference: {tag:?} is not a valid repository/tag: {e}"),
                )
            }
        },
        [] => return COMMIT.needs(t, "at least 1"),
        _ => return COMMIT.needs(t, "at least 1 and at most 2"),
    };
    let created_by = match s.host.container(name) {
        Ok(c) => c.command.join(" "),
        Err(e) => return t.fail(1, e.to_string()),
    };
    let options = CommitOptions {
        created_by,
        message: p.value("message").unwrap_or("").to_owned(),
        author: p.value("author").unwrap_or("").to_owned(),
        changes: p.values("change").to_vec(),
    };
    match s.host.commit(name, &options, tag.as_ref()) {
        Ok(o) => {
            t.out(o.value.to_string());
            t.host(o.events);
            t
        }
        Err(e) => t.fail(1, e.to_string()),
    }
}
