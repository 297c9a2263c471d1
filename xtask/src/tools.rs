//! Finds the tools the build and the tests need, and installs the missing ones.
//!
//! Everything comes from the package registries this project may reach: rustup for the wasm
//! target, crates.io for Trunk and wasm-bindgen-cli, Debian for Chromium, npm for axe-core (the
//! accessibility audit the browser tests run). A tool that is present in the right version is
//! never installed again.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, root, run_cmd, step};

/// Trunk 0.22 needs a newer rustc than the pinned one.
pub const TRUNK_VERSION: &str = "0.21.14";

/// The accessibility rules the browser tests audit the app with.
pub const AXE_VERSION: &str = "4.14.1";

/// The tools a build needs, with the directory that must be first on PATH.
#[derive(Debug)]
pub struct BuildTools {
    pub trunk: PathBuf,
    pub bin_dir: PathBuf,
}

#[derive(Debug)]
pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

fn cargo_bin_dir() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
        });
    home.join("bin")
}

/// The first line a tool prints for `--version`, if it runs.
fn version_of(program: &Path) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The wasm-bindgen version Cargo.lock pins; the CLI must be exactly this version.
pub fn locked_wasm_bindgen() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(v.trim_end_matches('"').to_owned());
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

pub fn ensure_build_tools() -> Result<BuildTools> {
    ensure_wasm_target()?;
    let bin_dir = cargo_bin_dir();

    let wb_version = locked_wasm_bindgen()?;
    let trunk_toml =
        std::fs::read_to_string(root().join("Trunk.toml")).map_err(|e| e.to_string())?;
    if !trunk_toml.contains(&format!("wasm_bindgen = \"{wb_version}\"")) {
        return Err(format!(
            "Trunk.toml must pin [tools] wasm_bindgen = \"{wb_version}\", the version in Cargo.lock"
        ));
    }
    let wasm_bindgen = bin_dir.join("wasm-bindgen");
    if version_of(&wasm_bindgen).is_some_and(|v| v.ends_with(&wb_version)) {
        eprintln!("wasm-bindgen {wb_version}: present");
    } else {
        step(&format!(
            "Installing wasm-bindgen-cli {wb_version} (about 3 minutes)"
        ));
        // Not --locked: its lock file names a dependency version the registry no longer has.
        run_cmd(Command::new("cargo").args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &wb_version,
        ]))?;
    }

    let trunk = bin_dir.join("trunk");
    if version_of(&trunk).is_some_and(|v| v.ends_with(TRUNK_VERSION)) {
        eprintln!("trunk {TRUNK_VERSION}: present");
    } else {
        step(&format!(
            "Installing trunk {TRUNK_VERSION} (about 9 minutes)"
        ));
        run_cmd(Command::new("cargo").args([
            "install",
            "--locked",
            "trunk",
            "--version",
            TRUNK_VERSION,
        ]))?;
    }
    Ok(BuildTools { trunk, bin_dir })
}

fn ensure_wasm_target() -> Result {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(root())
        .output()
        .map_err(|e| format!("rustup is needed to add the wasm32 target: {e}"))?;
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        eprintln!("wasm32-unknown-unknown target: present");
        return Ok(());
    }
    step("Adding the wasm32-unknown-unknown target");
    run_cmd(
        Command::new("rustup")
            .args(["target", "add", "wasm32-unknown-unknown"])
            .current_dir(root()),
    )
}

/// Debian's Chromium and ChromeDriver, installed with apt when missing.
pub fn ensure_browser() -> Result<Browser> {
    let chromium = PathBuf::from("/usr/bin/chromium");
    let chromedriver = PathBuf::from("/usr/bin/chromedriver");
    if chromium.exists() && chromedriver.exists() {
        eprintln!("chromium and chromedriver: present");
        return Ok(Browser {
            chromium,
            chromedriver,
        });
    }
    step("Installing Debian's chromium and chromium-driver (about a minute)");
    apt_install(&["chromium", "chromium-driver"])?;
    if chromium.exists() && chromedriver.exists() {
        Ok(Browser {
            chromium,
            chromedriver,
        })
    } else {
        Err(
            "chromium-driver installed but /usr/bin/chromium or /usr/bin/chromedriver is missing"
                .into(),
        )
    }
}

/// `apt-get update` then `apt-get install -y --no-install-recommends <packages>` (with sudo
/// unless root).
pub(crate) fn apt_install(packages: &[&str]) -> Result {
    let sudo = !is_root();
    let apt = |args: &[&str]| {
        let mut c = if sudo {
            Command::new("sudo")
        } else {
            Command::new("apt-get")
        };
        if sudo {
            c.arg("apt-get");
        }
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run_cmd(&mut c)
    };
    apt(&["update"])?;
    apt(&[&["install", "-y", "--no-install-recommends"], packages].concat())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// axe-core's `axe.min.js` in `.tools/` (gitignored), installed from npm when missing or of
/// another version; npm itself comes from Debian when missing.
pub fn ensure_axe() -> Result<PathBuf> {
    let prefix = root().join(".tools");
    let package = prefix.join("node_modules/axe-core");
    let script = package.join("axe.min.js");
    let installed = std::fs::read_to_string(package.join("package.json")).ok();
    let wanted = format!("\"version\": \"{AXE_VERSION}\"");
    if script.exists() && installed.is_some_and(|p| p.contains(&wanted)) {
        eprintln!("axe-core {AXE_VERSION}: present");
        return Ok(script);
    }
    if Command::new("npm").arg("--version").output().is_err() {
        step("Installing Debian's npm (for axe-core)");
        apt_install(&["npm"])?;
    }
    step(&format!(
        "Installing axe-core {AXE_VERSION} from npm into .tools/"
    ));
    std::fs::create_dir_all(&prefix).map_err(|e| format!("cannot create .tools/: {e}"))?;
    run_cmd(Command::new("npm").args([
        "install",
        "--prefix",
        &prefix.to_string_lossy(),
        "--no-save",
        "--no-audit",
        "--no-fund",
        &format!("axe-core@{AXE_VERSION}"),
    ]))?;
    if script.exists() {
        Ok(script)
    } else {
        Err(format!(
            "npm installed axe-core but {} is missing",
            script.display()
        ))
    }
}
