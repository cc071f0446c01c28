//! `layerlab`: replays Layerlab scenarios over the engine, from a terminal.

mod inspect;
mod span_hashing;
mod state;

use layerlab_engine::command::{scenario_commands, Session};
use std::process::ExitCode;

const HELP: &str = "\
layerlab — see how Docker images, layers and copy-on-write really work

Usage:
  layerlab run SCENARIO [--json]   replay a scenario file and print the terminal transcript
                                   (--json: print the final state as JSON instead)
  layerlab size BYTES...           print sizes as docker prints them (3 and 4 significant digits)
  layerlab inspect IMAGE.tar [--json] [--ci]
                                   read an image archive (docker save, OCI) and print each
                                   layer's instruction, size and files added/changed/removed,
                                   the IDs and digests, and the wasted bytes, each explained;
                                   --ci exits 1 when a threshold is crossed
                                   (--lowest-efficiency 0.9, --highest-wasted-bytes disabled,
                                   --highest-user-wasted-percent 0.1; `disabled` turns one off)
  layerlab help                    show this help
  layerlab version                 print the version

A scenario is a text file with one command line per line, exactly as typed in
Layerlab's terminal: `docker …` commands, and shell commands on the simulated
host, whose working directory /root/app holds the project (Dockerfile, app.py,
Makefile, .dockerignore). Files are written with heredocs, as in a shell:

  cat > Dockerfile <<'EOF'
  FROM busybox
  COPY app.py /app/
  EOF
  docker build -t app .

Blank lines and lines starting with `#` are skipped (inside a heredoc every
line counts). The same scenario always gives the same transcript and the same
digests, here and in the browser.

Layerlab's browser app is the main way in: `cargo xtask serve`.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        None | Some("help" | "--help" | "-h") => {
            println!("{HELP}");
            ExitCode::SUCCESS
        }
        Some("version" | "--version" | "-V") => {
            println!("layerlab {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some("size") => sizes(&args[1..]),
        Some("run") => run(&args[1..]),
        Some("inspect") => inspect::inspect(&args[1..]),
        Some(other) => {
            eprintln!("layerlab: unknown command '{other}'. See 'layerlab help'.");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> ExitCode {
    let json = args.iter().any(|a| a == "--json");
    if let Some(bad) = args.iter().find(|a| a.starts_with('-') && *a != "--json") {
        eprintln!("layerlab run: unknown flag '{bad}' (the only flag is --json)");
        return ExitCode::from(2);
    }

    let files: Vec<&String> = args.iter().filter(|a| *a != "--json").collect();
    let [path] = files.as_slice() else {
        eprintln!("layerlab run: give one scenario file, e.g. 'layerlab run tutorial.txt' (add --json for the final state)");
        return ExitCode::from(2);
    };
    let text = match std::fs::read(path.as_str()) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                eprintln!("layerlab run: {path} is not UTF-8 text; a scenario is a text file of command lines");
                return ExitCode::from(2);
            }
        },
        Err(e) => {
            eprintln!("layerlab run: cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut session = Session::new();
    let mut transcript = String::new();
    let mut log = Vec::new();
    for command in scenario_commands(&text) {
        let (shown, t) = session.run_shown(&command);
        transcript.push_str(&shown);
        log.push((command, t));
    }
    if json {
        println!("{}", state::to_json(&session, &log));
    } else {
        print!("{transcript}");
    }
    ExitCode::SUCCESS
}

fn sizes(values: &[String]) -> ExitCode {
    if values.is_empty() {
        eprintln!("layerlab size: give one or more byte counts, e.g. 'layerlab size 109000000'");
        return ExitCode::from(2);
    }
    for v in values {
        match v.parse::<i64>() {
            Ok(bytes) => println!(
                "{bytes}\t{}\t{}",
                layerlab_engine::size::human_size_with_precision(bytes as f64, 3),
                layerlab_engine::size::human_size(bytes as f64)
            ),
            Err(_) => {
                eprintln!("layerlab size: '{v}' is not a whole number of bytes");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
