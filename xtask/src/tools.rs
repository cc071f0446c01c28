//! External tools: find each one, and install it when it is missing or at the
//! wrong version. Checks spawn `--version` only, so a machine that has
//! everything passes in well under a second.

use crate::run::{self, cmd, on_path, output};
use std::time::Instant;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const WASM_PACK_SERIES: &str = "0.15";
/// binaryen from npm: Debian's (version 108) cannot read what Rust 1.95 emits.
pub const BINARYEN_VERSION: &str = "132.0.0";
/// axe-core from npm: the end-to-end tests inject it to check accessibility.
pub const AXE_VERSION: &str = "4.14.1";
/// esbuild from npm: bundles the page's loader, glue and snippets into one script.
pub const ESBUILD_VERSION: &str = "0.28.2";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    /// The `wasm32-unknown-unknown` standard library.
    WasmTarget,
    /// `wasm-bindgen` and `wasm-bindgen-test-runner`, at the version in Cargo.lock.
    WasmBindgen,
    Trunk,
    WasmPack,
    /// Debian's `chromium` and `chromium-driver`, for browser and end-to-end tests.
    Chromium,
    /// `wasm-opt` from npm's `binaryen`, in `target/tools`, used by Trunk on release builds.
    WasmOpt,
    /// npm's `axe-core`, in `target/tools`, for the accessibility check in the e2e tests.
    Axe,
    /// npm's `esbuild`, in `target/tools`: the release build's one inline script.
    Esbuild,
    /// Debian's `buildah` and `busybox-static`: the real builder the engine's
    /// builds are compared with. Optional: without it that test prints SKIP.
    Buildah,
}

/// The tools one command needs, installed in the order they were required.
#[derive(Default)]
pub struct Plan {
    tools: Vec<Tool>,
}

impl Plan {
    pub fn require(&mut self, tool: Tool) {
        if !self.tools.contains(&tool) {
            self.tools.push(tool);
        }
    }

    /// Installs what is missing. Prints one line per tool, and says so when
    /// nothing had to be installed.
    pub fn ensure(&self) -> Result<(), String> {
        let start = Instant::now();
        let mut installed = Vec::new();
        for &tool in &self.tools {
            match check(tool)? {
                Check::Ok(version) => println!("  ok  {:<14} {version}", name(tool)),
                Check::Missing(why) if tool == Tool::Buildah && !is_root() => {
                    println!(
                        "  --  {:<14} {why}; needs root to install, so its differential test will print SKIP",
                        name(tool)
                    );
                }
                Check::Missing(why) => {
                    install(tool, &why)?;
                    match check(tool)? {
                        Check::Ok(version) => {
                            println!("  ok  {:<14} {version} (just installed)", name(tool));
                            installed.push(name(tool));
                        }
                        Check::Missing(why) => {
                            return Err(format!(
                                "{} is still not usable after installing it: {why}",
                                name(tool)
                            ))
                        }
                    }
                }
            }
        }
        if installed.is_empty() {
            println!(
                "  tools: all present, nothing installed ({} ms)",
                start.elapsed().as_millis()
            );
        } else {
            println!("  tools: installed {}", installed.join(", "));
        }
        Ok(())
    }
}

pub fn name(tool: Tool) -> &'static str {
    match tool {
        Tool::WasmTarget => "wasm32 target",
        Tool::WasmBindgen => "wasm-bindgen",
        Tool::Trunk => "trunk",
        Tool::WasmPack => "wasm-pack",
        Tool::Chromium => "chromium",
        Tool::WasmOpt => "wasm-opt",
        Tool::Axe => "axe-core",
        Tool::Esbuild => "esbuild",
        Tool::Buildah => "buildah",
    }
}

enum Check {
    Ok(String),
    Missing(String),
}

/// The second word of `<program> --version`, e.g. `0.21.14` from `trunk 0.21.14`.
fn version_of(program: &str) -> Option<String> {
    let text = output(cmd(program).arg("--version"))?;
    text.split_whitespace().nth(1).map(str::to_owned)
}

fn check(tool: Tool) -> Result<Check, String> {
    Ok(match tool {
        Tool::WasmTarget => {
            let installed = output(cmd("rustup").args(["target", "list", "--installed"]))
                .ok_or("`rustup` is needed to add the wasm32 target; install Rust with rustup (https://rustup.rs)")?;
            if installed
                .lines()
                .any(|l| l.trim() == "wasm32-unknown-unknown")
            {
                Check::Ok("wasm32-unknown-unknown".into())
            } else {
                Check::Missing("not installed".into())
            }
        }
        Tool::WasmBindgen => {
            let want = locked_wasm_bindgen()?;
            match (
                version_of("wasm-bindgen"),
                version_of("wasm-bindgen-test-runner"),
            ) {
                (Some(v), Some(r)) if v == want && r == want => Check::Ok(v),
                (Some(v), _) if v != want => {
                    Check::Missing(format!("found {v}, Cargo.lock needs exactly {want}"))
                }
                _ => Check::Missing(format!("not installed (Cargo.lock needs {want})")),
            }
        }
        Tool::Trunk => match version_of("trunk") {
            Some(v) if v == TRUNK_VERSION => Check::Ok(v),
            Some(v) => Check::Missing(format!("found {v}, Layerlab uses {TRUNK_VERSION}")),
            None => Check::Missing("not installed".into()),
        },
        Tool::WasmPack => match version_of("wasm-pack") {
            Some(v) if v.starts_with(WASM_PACK_SERIES) => Check::Ok(v),
            Some(v) => Check::Missing(format!("found {v}, Layerlab uses {WASM_PACK_SERIES}.x")),
            None => Check::Missing("not installed".into()),
        },
        Tool::Chromium => {
            let browser = ["chromium", "chromium-browser", "google-chrome"]
                .into_iter()
                .find(|b| on_path(b));
            match (browser, on_path("chromedriver"), has_cjk_font()) {
                (Some(b), true, true) => {
                    Check::Ok(version_of(b).map_or_else(|| b.to_owned(), |v| format!("{b} {v}")))
                }
                (None, _, _) => Check::Missing("no chromium on PATH".into()),
                (_, false, _) => Check::Missing("no chromedriver on PATH".into()),
                (_, _, false) => {
                    Check::Missing("no font for Chinese text (screenshots need one)".into())
                }
            }
        }
        Tool::Buildah => {
            let busybox = ["/bin/busybox", "/usr/bin/busybox"]
                .iter()
                .any(|p| std::path::Path::new(p).exists());
            match (version_of("buildah"), busybox) {
                (Some(_), true) => Check::Ok(
                    output(cmd("buildah").arg("--version"))
                        .and_then(|v| v.split_whitespace().nth(2).map(str::to_owned))
                        .unwrap_or_default(),
                ),
                (None, _) => Check::Missing("not installed".into()),
                (_, false) => Check::Missing("no static busybox for its base image".into()),
            }
        }
        Tool::Axe => {
            let manifest = tools_bin().join("../axe-core/package.json");
            match std::fs::read_to_string(&manifest) {
                Ok(text) if text.contains(&format!("\"version\": \"{AXE_VERSION}\"")) => {
                    Check::Ok(AXE_VERSION.to_owned())
                }
                Ok(_) => Check::Missing(format!("another version than {AXE_VERSION}")),
                Err(_) => Check::Missing("not installed".into()),
            }
        }
        Tool::Esbuild => {
            match output(std::process::Command::new(tools_bin().join("esbuild")).arg("--version")) {
                Some(v) if v.trim() == ESBUILD_VERSION => Check::Ok(ESBUILD_VERSION.to_owned()),
                Some(v) => Check::Missing(format!(
                    "found {}, Layerlab uses version {ESBUILD_VERSION}",
                    v.trim()
                )),
                None => Check::Missing("not installed".into()),
            }
        }
        Tool::WasmOpt => {
            let want = BINARYEN_VERSION.split('.').next().unwrap_or_default();
            match output(std::process::Command::new(tools_bin().join("wasm-opt")).arg("--version"))
            {
                Some(v) if v.split_whitespace().nth(2) == Some(want) => {
                    Check::Ok(v.trim().to_owned())
                }
                Some(v) => {
                    Check::Missing(format!("found {}, Layerlab uses version {want}", v.trim()))
                }
                None => Check::Missing("not installed".into()),
            }
        }
    })
}

fn announce(tool: Tool, why: &str, what: &str, minutes: &str) {
    println!();
    println!("==> Installing {} ({why})", name(tool));
    println!("    {what}");
    println!("    This happens once per machine and takes {minutes}; cargo's progress follows.");
}

fn cargo_install(args: &[&str]) -> Result<(), String> {
    let start = Instant::now();
    let result = run::status(cmd("cargo").arg("install").args(args));
    println!("    ({} s)", start.elapsed().as_secs());
    result
}

fn install(tool: Tool, why: &str) -> Result<(), String> {
    match tool {
        Tool::WasmTarget => {
            announce(
                tool,
                why,
                "Compiles the app and engine for the browser.",
                "seconds",
            );
            run::status(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
        }
        Tool::WasmBindgen => {
            let want = locked_wasm_bindgen()?;
            announce(
                tool,
                why,
                &format!("Generates the JS glue for the app and runs browser tests; must be exactly {want}."),
                "about 4 minutes on 2 cores",
            );
            // No --locked: the registry lacks one dependency version its lock file names.
            cargo_install(&["wasm-bindgen-cli", "--version", &want])
        }
        Tool::Trunk => {
            announce(
                tool,
                why,
                &format!("Builds and serves the web app. Version {TRUNK_VERSION}: newer ones need a newer rustc."),
                "about 11 minutes on 2 cores",
            );
            cargo_install(&["--locked", "trunk", "--version", TRUNK_VERSION])
        }
        Tool::WasmPack => {
            announce(
                tool,
                why,
                "Runs the browser tests in headless Chromium.",
                "about 5 minutes on 2 cores",
            );
            cargo_install(&["wasm-pack", "--version", &format!("~{WASM_PACK_SERIES}")])
        }
        Tool::Chromium => apt_install(
            tool,
            why,
            &[
                "chromium",
                "chromium-driver",
                "fonts-wqy-microhei",
                "fonts-dejavu-core",
            ],
        ),
        Tool::Axe => npm_install(tool, why, "axe-core", AXE_VERSION),
        Tool::Esbuild => npm_install(tool, why, "esbuild", ESBUILD_VERSION),
        Tool::Buildah => apt_install(tool, why, &["buildah", "busybox-static"]),
        Tool::WasmOpt => npm_install(tool, why, "binaryen", BINARYEN_VERSION),
    }
}

/// Installs an npm package into `target/tools` (installing npm first if needed).
fn npm_install(tool: Tool, why: &str, package: &str, version: &str) -> Result<(), String> {
    if !on_path("npm") {
        apt_install(
            tool,
            &format!("npm is needed to fetch {package}"),
            &["nodejs", "npm"],
        )?;
    }
    announce(
        tool,
        why,
        &format!("npm's {package} {version}, into target/tools."),
        "a few seconds",
    );
    let prefix = tools_bin().join("../..");
    std::fs::create_dir_all(&prefix)
        .map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    run::status(
        cmd("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg(format!("{package}@{version}")),
    )
}

/// Where project-local tools (npm's binaryen) put their executables.
pub fn tools_bin() -> std::path::PathBuf {
    run::root().join("target/tools/node_modules/.bin")
}

/// PATH with the project-local tools first.
pub fn path_with_tools() -> std::ffi::OsString {
    let mut dirs = vec![tools_bin()];
    if let Some(p) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// Whether fontconfig knows a font that covers Chinese.
fn has_cjk_font() -> bool {
    output(cmd("fc-list").args([":lang=zh", "family"])).is_some_and(|s| !s.trim().is_empty())
}

pub fn is_root() -> bool {
    output(std::process::Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0")
}

fn apt_install(tool: Tool, why: &str, packages: &[&str]) -> Result<(), String> {
    let line = format!(
        "apt-get update && apt-get install -y {}",
        packages.join(" ")
    );
    if !is_root() || !on_path("apt-get") {
        return Err(format!(
            "{} is missing ({why}). Install it, then run this again:\n    sudo sh -c '{line}'",
            name(tool)
        ));
    }
    announce(
        tool,
        why,
        &format!("From Debian's packages: {}.", packages.join(", ")),
        "a minute or two",
    );
    run::status(
        std::process::Command::new("apt-get")
            .arg("update")
            .arg("-q"),
    )?;
    run::status(
        std::process::Command::new("apt-get")
            .args(["install", "-y", "-q", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// The exact `wasm-bindgen` version in Cargo.lock (creating the lock file if needed).
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = run::root().join("Cargo.lock");
    if !lock.exists() {
        run::status(cmd("cargo").args(["generate-lockfile", "--quiet"]))?;
    }
    let text =
        std::fs::read_to_string(&lock).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
            {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock names no wasm-bindgen version; run `cargo generate-lockfile`".into())
}
