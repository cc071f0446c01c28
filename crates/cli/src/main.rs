//! `layerlab`: replays Layerlab scenarios over the engine, from a terminal.

use std::process::ExitCode;

const HELP: &str = "\
layerlab — see how Docker images, layers and copy-on-write really work

Usage:
  layerlab help              show this help
  layerlab version           print the version
  layerlab size <bytes>...   print sizes as docker prints them (3 and 4 significant digits)

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
        Some(other) => {
            eprintln!("layerlab: unknown command '{other}'. See 'layerlab help'.");
            ExitCode::from(2)
        }
    }
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
