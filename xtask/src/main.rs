//! `cargo xtask`: the build glue. Installs the pinned tools, builds the app, runs Voci, runs tests.
//!
//! # Layout
//!
//! - [`tools`]: finds or installs rustup's wasm target, Trunk, wasm-bindgen-cli, Chromium and
//!   axe-core.
//! - [`app`]: builds the PWA with Trunk and writes the service worker's precache list.
//! - this file: the commands.

mod app;
mod minify;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  run [--addr ADDR]   build the app and start the collector (default http://127.0.0.1:8080)
                      with the surveys in surveys/ and the database in data/
  test                install what is missing, then run the whole test suite
                      (format, lints, unit, collector and browser tests)
  build-app           build the app into dist/
  size                print the app's first-load transfer size (gzip, every file in dist/)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("build-app") => build_app().map(|_| ()),
        Some("size") => size(),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = (), E = String> = std::result::Result<T, E>;

/// The workspace root (the parent of this crate).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_owned()
}

/// Prints a step, so long work shows where it is.
pub fn step(msg: &str) {
    eprintln!("\n==> {msg}");
}

/// Runs a command to completion, failing with its name when it fails.
pub fn run_cmd(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(root());
    c
}

fn build_app() -> Result<PathBuf> {
    let tools = tools::ensure_build_tools()?;
    app::build(&tools)
}

fn run(args: &[String]) -> Result {
    let addr = match args {
        [] => "127.0.0.1:8080".to_owned(),
        [flag, addr] if flag == "--addr" => addr.clone(),
        _ => return Err(format!("unknown arguments {args:?}\n{USAGE}")),
    };
    let dist = build_app()?;
    step("Building and starting the collector");
    let root = root();
    run_cmd(
        cargo()
            .args([
                "run",
                "--release",
                "--package",
                "voci-server",
                "--bin",
                "voci",
                "--",
                "serve",
            ])
            .args([
                "--surveys".as_ref(),
                root.join("surveys").as_os_str(),
                "--data".as_ref(),
                root.join("data").as_os_str(),
                "--app".as_ref(),
                dist.as_os_str(),
                "--addr".as_ref(),
                addr.as_ref(),
            ]),
    )
}

fn test() -> Result {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    step("Checking formatting (cargo fmt --check)");
    run_cmd(cargo().args(["fmt", "--all", "--", "--check"]))?;
    let browser = tools::ensure_browser()?;
    let axe = tools::ensure_axe()?;
    let dist = build_app()?;
    step("Linting (cargo clippy -D warnings), collector and app");
    run_cmd(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    run_cmd(cargo().args([
        "clippy",
        "--package",
        "voci-app",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;
    step("Running the tests (core, collector, app logic, browser end-to-end)");
    let mut cmd = cargo();
    cmd.args(["test", "--workspace"])
        .env("VOCI_DIST", &dist)
        .env("VOCI_CHROMIUM", &browser.chromium)
        .env("VOCI_CHROMEDRIVER", &browser.chromedriver)
        .env("VOCI_AXE", &axe);
    if ci {
        cmd.env("CARGO_TERM_COLOR", "never");
    }
    run_cmd(&mut cmd)?;
    step("All tests passed");
    Ok(())
}

fn size() -> Result {
    let dist = root().join("dist");
    let report = app::transfer_size(&dist)?;
    print!("{report}");
    Ok(())
}
