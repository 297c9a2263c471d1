//! Finds the tools the build and the tests need, and installs the missing ones.
//!
//! Everything comes from the package registries this project may reach: rustup for the wasm
//! target, crates.io for Trunk and wasm-bindgen-cli, Debian for Chromium, npm for binaryen (the
//! `wasm-opt` Trunk shrinks the app's WebAssembly with) and axe-core (the accessibility audit the
//! browser tests run). A tool that is present in the right version is never installed again.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Result, root, run_cmd, step};

/// Trunk 0.22 needs a newer rustc than the pinned one.
pub const TRUNK_VERSION: &str = "0.21.14";

/// The accessibility rules the browser tests audit the app with.
pub const AXE_VERSION: &str = "4.14.1";

/// The binaryen release whose `wasm-opt` Trunk runs on the app's WebAssembly; Trunk.toml pins
/// the same release as `wasm_opt = "version_132"`.
pub const BINARYEN_VERSION: &str = "132";
/// terser, from npm, which minifies wasm-bindgen's JavaScript and the service worker.
pub const TERSER_VERSION: &str = "5.51.2";

/// The tools a build needs, with the directories that must be first on PATH.
#[derive(Debug)]
pub struct BuildTools {
    pub trunk: PathBuf,
    pub bin_dir: PathBuf,
    /// Holds binaryen's `wasm-opt` (a Node.js script) for Trunk to find.
    pub wasm_opt_dir: PathBuf,
    /// terser, for the builds' JavaScript (`crate::minify`).
    pub terser: PathBuf,
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

    let wasm_opt_pin = format!("wasm_opt = \"version_{BINARYEN_VERSION}\"");
    if !trunk_toml.contains(&wasm_opt_pin) {
        return Err(format!(
            "Trunk.toml must pin [tools] {wasm_opt_pin}, the binaryen xtask installs"
        ));
    }
    let wasm_opt_dir = ensure_binaryen()?;
    let terser = ensure_terser()?;

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
    Ok(BuildTools {
        trunk,
        bin_dir,
        wasm_opt_dir,
        terser,
    })
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
fn apt_install(packages: &[&str]) -> Result {
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
/// another version.
pub fn ensure_axe() -> Result<PathBuf> {
    let prefix = root().join(".tools");
    let script = prefix.join("node_modules/axe-core/axe.min.js");
    ensure_npm_package(&prefix, "axe-core", AXE_VERSION, &script)?;
    Ok(script)
}

/// The folder holding binaryen's `wasm-opt`, installed from npm into `.tools/binaryen/` when
/// missing or of another version. A prefix of its own, as `npm install --no-save` removes from
/// its prefix every package it was not asked for: beside axe-core, each would remove the other.
fn ensure_binaryen() -> Result<PathBuf> {
    let prefix = root().join(".tools/binaryen");
    let bin_dir = prefix.join("node_modules/.bin");
    ensure_npm_package(
        &prefix,
        "binaryen",
        &format!("{BINARYEN_VERSION}.0.0"),
        &bin_dir.join("wasm-opt"),
    )?;
    Ok(bin_dir)
}

/// terser, which minifies the JavaScript of the builds (`crate::minify`), in `.tools/terser/`:
/// a folder of its own, as npm removes from a folder what it was not asked to install.
fn ensure_terser() -> Result<PathBuf> {
    let prefix = root().join(".tools/terser");
    let bin = prefix.join("node_modules/.bin/terser");
    ensure_npm_package(&prefix, "terser", TERSER_VERSION, &bin)?;
    Ok(bin)
}

/// Whether npm installed `package` at exactly `version` into `prefix`, and `file` exists.
fn npm_package_present(prefix: &Path, package: &str, version: &str, file: &Path) -> bool {
    let manifest = prefix
        .join("node_modules")
        .join(package)
        .join("package.json");
    let wanted = format!("\"version\": \"{version}\"");
    file.exists() && std::fs::read_to_string(manifest).is_ok_and(|p| p.contains(&wanted))
}

/// Installs `package@version` from npm into `prefix` unless `file` exists and the installed
/// package is that version; npm itself (with Node.js) comes from Debian when missing.
fn ensure_npm_package(prefix: &Path, package: &str, version: &str, file: &Path) -> Result {
    if npm_package_present(prefix, package, version, file) {
        eprintln!("{package} {version}: present");
        return Ok(());
    }
    if Command::new("npm").arg("--version").output().is_err() {
        step(&format!("Installing Debian's npm (for {package})"));
        apt_install(&["npm"])?;
    }
    let shown = prefix.strip_prefix(root()).unwrap_or(prefix).display();
    step(&format!(
        "Installing {package} {version} from npm into {shown}/"
    ));
    std::fs::create_dir_all(prefix).map_err(|e| format!("cannot create {shown}/: {e}"))?;
    run_cmd(Command::new("npm").args([
        "install",
        "--prefix",
        &prefix.to_string_lossy(),
        "--no-save",
        "--no-audit",
        "--no-fund",
        &format!("{package}@{version}"),
    ]))?;
    if file.exists() {
        Ok(())
    } else {
        Err(format!(
            "npm installed {package} but {} is missing",
            file.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh temporary npm prefix holding `package` at `version`, with its `file`.
    fn prefix_with(name: &str, package: &str, version: &str, file: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("voci-xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let package_dir = dir.join("node_modules").join(package);
        std::fs::create_dir_all(&package_dir).unwrap();
        std::fs::write(
            package_dir.join("package.json"),
            format!("{{\n  \"name\": \"{package}\",\n  \"version\": \"{version}\"\n}}\n"),
        )
        .unwrap();
        std::fs::write(package_dir.join(file), "tool").unwrap();
        dir
    }

    #[test]
    fn only_the_pinned_version_with_its_file_counts_as_present() {
        let dir = prefix_with("npm-present", "binaryen", "132.0.0", "wasm-opt");
        let file = dir.join("node_modules/binaryen/wasm-opt");
        assert!(npm_package_present(&dir, "binaryen", "132.0.0", &file));
        assert!(!npm_package_present(&dir, "binaryen", "131.0.0", &file));
        assert!(!npm_package_present(&dir, "binaryen", "132.0.01", &file));
        assert!(!npm_package_present(&dir, "axe-core", "132.0.0", &file));
        std::fs::remove_file(&file).unwrap();
        assert!(!npm_package_present(&dir, "binaryen", "132.0.0", &file));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_pages_run_the_pinned_wasm_opt_with_the_features_rustc_emits() {
        let trunk_toml = std::fs::read_to_string(root().join("Trunk.toml")).unwrap();
        assert!(trunk_toml.contains(&format!("wasm_opt = \"version_{BINARYEN_VERSION}\"")));
        for page in ["index.html", "focus.html", "enrol.html", "results.html"] {
            let html = std::fs::read_to_string(root().join("app").join(page)).unwrap();
            let link = html
                .lines()
                .find(|l| l.contains("data-trunk rel=\"rust\""))
                .unwrap_or_else(|| panic!("{page} has no Rust link"));
            assert!(link.contains("data-wasm-opt=\"s\""), "{page}: {link}");
            for feature in [
                "bulk-memory",
                "nontrapping-float-to-int",
                "sign-ext",
                "mutable-globals",
                "reference-types",
                "multivalue",
            ] {
                assert!(
                    link.contains(&format!("--enable-{feature}")),
                    "{page} does not tell wasm-opt of {feature}"
                );
            }
        }
    }
}
