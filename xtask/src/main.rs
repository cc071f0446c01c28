//! Layerlab's task runner. Every command installs what it needs first, so a fresh
//! machine with only rustup and cargo can serve, test, build and measure the app.
//!
//! # Layout
//! - `tools`: finds each external tool, installs it when missing or at the wrong version.
//! - `test`: the stages of `cargo xtask test` and their summary.
//! - `dist`: the size-optimised release build into `dist/`, with the size report.
//! - `bench`: criterion benchmarks of the engine plus browser figures, as one table.
//! - `fuzz`: the engine's fuzz targets under cargo-fuzz, each for a time budget.
//! - `docker26`: the live comparison with a real Docker 26 (a stage of `test`).

mod bench;
mod bundle;
mod dist;
mod dive;
mod docker26;
mod files;
mod fuzz;
mod run;
mod split;
mod split_data;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <serve|test|dist|bench|fuzz|docker26|help>";

const HELP: &str = "\
Layerlab task runner

  cargo xtask serve   install what is missing, then serve the app on http://127.0.0.1:8080
                      and rebuild on change
  cargo xtask test    install what is missing, then run every test: fmt, clippy, native
                      tests, browser tests (wasm-pack, headless Chromium), end-to-end tests
                      against the release build
  cargo xtask dist    release build into dist/, optimised for size; prints every file's
                      size raw and gzipped and fails if the first load exceeds 250 KB
  cargo xtask bench   engine benchmarks (criterion) and browser figures, as one table,
                      and a real Debian image read by layerlab and by dive 0.13.1
                      (`bench dive`: that part alone)
  cargo xtask fuzz [TARGET] [SECONDS]
                      fuzz the parser, the shell, archives, command lines and builds
                      (cargo-fuzz on nightly; 60 s per target unless told)
  cargo xtask docker26
                      as root: start a private Docker 26 (installed if missing), re-record
                      the docker26 scenarios against it and compare Layerlab with them;
                      `test` runs this as a stage; SKIP without root
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((c, rest)) => (c.as_str(), rest),
        None => {
            eprintln!("xtask: no command given. {USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Some(extra) = rest.first() {
        if command != "help" && command != "fuzz" && !(command == "bench" && extra == "dive") {
            eprintln!("xtask: '{command}' takes no arguments (got '{extra}'). {USAGE}");
            return ExitCode::from(2);
        }
    }
    let result = match command {
        "serve" => serve(),
        "test" => test::run_all(),
        "dist" => dist::build().map(|_| ()),
        "bench" if !rest.is_empty() => bench::dive_only(),
        "bench" => bench::run(),
        "fuzz" => fuzz::run(rest),
        "docker26" => docker26::live(),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => {
            eprintln!("xtask: unknown command '{other}'. {USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask {command}: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask serve`: the app with rebuild on change.
fn serve() -> Result<(), String> {
    let mut plan = tools::Plan::default();
    plan.require(tools::Tool::WasmTarget);
    plan.require(tools::Tool::WasmBindgen);
    plan.require(tools::Tool::Trunk);
    plan.ensure()?;
    println!(
        "\nServing Layerlab at http://127.0.0.1:8080/ (Ctrl-C stops; edits rebuild the page)\n"
    );
    run::status(run::cmd("trunk").args([
        "serve",
        "--address",
        "127.0.0.1",
        "--port",
        "8080",
        "--open=false",
    ]))
}
