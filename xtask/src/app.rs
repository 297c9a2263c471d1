//! Builds the PWA, its focus-group entry and the results area with Trunk, and finishes the
//! service worker.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use flate2::Compression;
use flate2::write::GzEncoder;
use sha2::{Digest, Sha256};

use crate::tools::BuildTools;
use crate::{Result, root, run_cmd, step};

/// Builds `app/` into `dist/` (the PWA), `dist/focus/` (the facilitator's focus-group screens)
/// and `dist/results/` (the results area), and returns the dist directory.
pub fn build(tools: &BuildTools) -> Result<PathBuf> {
    step("Building the app (trunk build --release --minify)");
    let path = std::env::join_paths(std::iter::once(tools.bin_dir.clone()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .map_err(|e| e.to_string())?;
    run_cmd(
        Command::new(&tools.trunk)
            .args(["build", "--release", "--minify"])
            .current_dir(root())
            // Trunk must never reach for the network: no version check, tools from PATH.
            .env("TRUNK_SKIP_VERSION_CHECK", "true")
            .env("TRUNK_OFFLINE", "true")
            .env("PATH", &path),
    )?;
    let dist = root().join("dist");
    // After the PWA, as Trunk empties its dist folder first: the PWA's build empties all of
    // dist/, these only their own folder. Neither is in the PWA's first load.
    for (page, dir, what) in [
        ("app/focus.html", FOCUS_DIR, "the focus-group screens"),
        ("app/results.html", RESULTS_DIR, "the results area"),
    ] {
        step(&format!("Building {what} (trunk build {page} --release --minify)"));
        run_cmd(
            Command::new(&tools.trunk)
                .args(["build", page, "--release", "--minify", "--dist"])
                .arg(dist.join(dir))
                .args(["--public-url", &format!("/{dir}/")])
                .current_dir(root())
                .env("TRUNK_SKIP_VERSION_CHECK", "true")
                .env("TRUNK_OFFLINE", "true")
                .env("PATH", &path),
        )?;
    }
    // The worker lists the focus entry's files too: it caches them once /focus/ is opened.
    write_service_worker(&dist)?;
    compress(&dist)?;
    compress(&dist.join(FOCUS_DIR))?;
    compress(&dist.join(RESULTS_DIR))?;
    Ok(dist)
}

/// The files worth compressed copies: text and WebAssembly.
const COMPRESSIBLE: [&str; 6] = ["wasm", "js", "css", "html", "svg", "webmanifest"];

/// Writes `FILE.gz` (gzip by zopfli, a few percent smaller than level 9) and `FILE.br`
/// (Brotli, quality 11) beside each compressible file, which the collector sends to browsers
/// that accept them.
pub fn compress(dir: &Path) -> Result {
    step(&format!(
        "Compressing {} (gzip by zopfli, Brotli)",
        dir.strip_prefix(root()).unwrap_or(dir).display()
    ));
    for (path, file) in assets(dir)? {
        let compressible = file
            .extension()
            .is_some_and(|e| COMPRESSIBLE.iter().any(|c| e == *c));
        if !compressible {
            continue;
        }
        let bytes = std::fs::read(&file).map_err(|e| e.to_string())?;
        let gz = zopfli_gzip(&bytes)?;
        let br = brotli(&bytes)?;
        eprintln!(
            "  {path}: {} bytes, gzip {}, brotli {}",
            bytes.len(),
            gz.len(),
            br.len()
        );
        for (suffix, data) in [("gz", gz), ("br", br)] {
            let mut name = file.clone().into_os_string();
            name.push(format!(".{suffix}"));
            std::fs::write(&name, data).map_err(|e| format!("cannot write {name:?}: {e}"))?;
        }
    }
    Ok(())
}

fn zopfli_gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    zopfli::compress(
        zopfli::Options::default(),
        zopfli::Format::Gzip,
        bytes,
        &mut out,
    )
    .map_err(|e| format!("zopfli: {e}"))?;
    Ok(out)
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)
        .map_err(|e| format!("brotli: {e}"))?;
    Ok(out)
}

/// A file's size as the collector sends it with `encoding` (`gz`, `br`): its compressed copy,
/// or, where `cargo xtask build-app` wrote none, gzip level 9 computed here.
fn sent_size(file: &Path, encoding: &str) -> Result<usize> {
    let mut copy = file.to_owned().into_os_string();
    copy.push(format!(".{encoding}"));
    if let Ok(meta) = std::fs::metadata(&copy) {
        return Ok(meta.len() as usize);
    }
    let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&bytes).map_err(|e| e.to_string())?;
    Ok(gz.finish().map_err(|e| e.to_string())?.len())
}

/// The coordinators' results area, a Trunk target of its own served at `/results/`.
const RESULTS_DIR: &str = "results";

/// The facilitator's focus-group screens, a Trunk target of its own served at `/focus/`.
const FOCUS_DIR: &str = "focus";

/// Every file in `dist`, as site paths (`/index.html`), sorted; without the folders of the
/// other entry points (`focus/`, `results/`), which are not the PWA.
fn assets(dist: &Path) -> Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut stack = vec![dist.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        {
            let path = entry.map_err(|e| e.to_string())?.path();
            if dir == dist && (path.ends_with(RESULTS_DIR) || path.ends_with(FOCUS_DIR)) {
                // Not the PWA: never in its install precache, counted on their own.
                continue;
            } else if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "gz" || e == "br") {
                // Compressed copies of the files, not files of their own.
                continue;
            } else {
                let rel = path.strip_prefix(dist).map_err(|e| e.to_string())?;
                out.push((
                    format!("/{}", rel.to_string_lossy().replace('\\', "/")),
                    path,
                ));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Fills the worker's precache list, the focus entry's list (`dist/focus/`, cached when
/// `/focus/` is opened) and the version, so a new build replaces the old caches.
pub fn write_service_worker(dist: &Path) -> Result {
    let sw = dist.join("sw.js");
    let template =
        std::fs::read_to_string(&sw).map_err(|e| format!("the build has no sw.js: {e}"))?;
    for placeholder in ["__VOCI_PRECACHE__", "__VOCI_FOCUS__"] {
        if !template.contains(placeholder) {
            return Err(format!("dist/sw.js has no {placeholder} placeholder"));
        }
    }
    let mut hasher = Sha256::new();
    let mut paths = vec!["/".to_owned()];
    for (path, file) in assets(dist)? {
        if path == "/sw.js" {
            continue;
        }
        hasher.update(path.as_bytes());
        hasher.update(std::fs::read(&file).map_err(|e| e.to_string())?);
        paths.push(path);
    }
    let focus_dir = dist.join(FOCUS_DIR);
    let mut focus = Vec::new();
    if focus_dir.is_dir() {
        for (path, file) in assets(&focus_dir)? {
            // The page is kept under the address it is opened at.
            let path = match path.as_str() {
                "/index.html" => format!("/{FOCUS_DIR}/"),
                _ => format!("/{FOCUS_DIR}{path}"),
            };
            hasher.update(path.as_bytes());
            hasher.update(std::fs::read(&file).map_err(|e| e.to_string())?);
            focus.push(path);
        }
        focus.sort();
    }
    let version: String = hasher
        .finalize()
        .iter()
        .take(8)
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        });
    let out = template
        .replace("__VOCI_PRECACHE__", &js_list(&paths))
        .replace("__VOCI_FOCUS__", &js_list(&focus))
        .replace("__VOCI_VERSION__", &version);
    std::fs::write(&sw, out).map_err(|e| e.to_string())?;
    eprintln!(
        "service worker: {} files precached, {} focus-group files when opened, version {version}",
        paths.len() - 1,
        focus.len()
    );
    Ok(())
}

/// Paths as a JavaScript array literal.
fn js_list(paths: &[String]) -> String {
    format!(
        "[{}]",
        paths
            .iter()
            .map(|p| format!("{p:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// A table of every file's size, as it is and as the collector sends it (gzip, Brotli), and
/// the total a first load transfers.
pub fn transfer_size(dist: &Path) -> Result<String> {
    let mut rows = BTreeMap::new();
    for (path, file) in assets(dist)? {
        let raw = std::fs::metadata(&file).map_err(|e| e.to_string())?.len() as usize;
        rows.insert(
            path,
            (raw, sent_size(&file, "gz")?, sent_size(&file, "br")?),
        );
    }
    if rows.is_empty() {
        return Err(format!(
            "{} is empty: run cargo xtask build-app first",
            dist.display()
        ));
    }
    let mut report = String::from(
        "| file | bytes | gzip bytes (as sent) | Brotli bytes (as sent) |\n| --- | ---: | ---: | ---: |\n",
    );
    let (mut raw, mut gz, mut br) = (0, 0, 0);
    for (path, (r, g, b)) in &rows {
        let _ = writeln!(report, "| {path} | {r} | {g} | {b} |");
        raw += r;
        gz += g;
        br += b;
    }
    let _ = writeln!(
        report,
        "| **total** | {raw} | **{gz}** ({:.1} KB) | {br} ({:.1} KB) |",
        gz as f64 / 1024.0,
        br as f64 / 1024.0
    );
    report.push_str(&area_size(
        &dist.join(FOCUS_DIR),
        "the focus-group screens (/focus/, cached once opened online)",
    )?);
    report.push_str(&area_size(
        &dist.join(RESULTS_DIR),
        "the results area (/results/)",
    )?);
    Ok(report)
}

/// A line for another entry point's folder (`dist/focus/`, `dist/results/`), which a first
/// load does not fetch.
fn area_size(dir: &Path, what: &str) -> Result<String> {
    if !dir.is_dir() {
        return Ok(String::new());
    }
    let (mut files, mut raw, mut gz) = (0, 0, 0);
    for (_, file) in assets(dir)? {
        files += 1;
        raw += std::fs::metadata(&file).map_err(|e| e.to_string())?.len() as usize;
        gz += sent_size(&file, "gz")?;
    }
    Ok(format!(
        "\nNot in the first load: {what}, {files} files: {raw} bytes, {gz} gzip bytes ({:.1} KB).\n",
        gz as f64 / 1024.0
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A built dist/ in a fresh temporary folder: the PWA, the focus entry, the results area.
    fn dist(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("voci-xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in [
            (
                "sw.js",
                "const V = \"__VOCI_VERSION__\";\nconst P = __VOCI_PRECACHE__;\nconst F = __VOCI_FOCUS__;\n",
            ),
            ("index.html", "<html>app</html>"),
            ("voci-app-1a.js", "app()"),
            ("focus/index.html", "<html>focus</html>"),
            ("focus/voci-focus-2b.js", "focus()"),
            ("results/index.html", "<html>results</html>"),
        ] {
            let file = dir.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        }
        dir
    }

    #[test]
    fn the_worker_precaches_the_pwa_and_lists_the_focus_files_apart() {
        let dir = dist("sw");
        write_service_worker(&dir).unwrap();
        let sw = std::fs::read_to_string(dir.join("sw.js")).unwrap();
        assert!(
            sw.contains(r#"const P = ["/", "/index.html", "/voci-app-1a.js"];"#),
            "{sw}"
        );
        assert!(
            sw.contains(r#"const F = ["/focus/", "/focus/voci-focus-2b.js"];"#),
            "{sw}"
        );
        assert!(!sw.contains("__VOCI_") && !sw.contains("/results/"), "{sw}");

        // A change to the focus files alone is a new version of the worker (and its caches).
        let version = |sw: &str| sw.lines().next().unwrap().to_owned();
        let before = version(&sw);
        let dir = dist("sw");
        std::fs::write(dir.join("focus/voci-focus-2b.js"), "focus(2)").unwrap();
        write_service_worker(&dir).unwrap();
        let after = std::fs::read_to_string(dir.join("sw.js")).unwrap();
        assert_ne!(before, version(&after));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_first_load_leaves_out_the_focus_and_results_areas() {
        let dir = dist("size");
        let report = transfer_size(&dir).unwrap();
        assert!(report.contains("| /voci-app-1a.js |"), "{report}");
        assert!(!report.contains("| /focus/") && !report.contains("| /results/"));
        assert!(
            report.contains("Not in the first load: the focus-group screens (/focus/, cached once opened online), 2 files"),
            "{report}"
        );
        assert!(
            report.contains("Not in the first load: the results area (/results/), 1 files"),
            "{report}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
