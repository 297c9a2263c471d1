//! The JavaScript of a Trunk build, minified: Trunk minifies the page and the styles but leaves
//! wasm-bindgen's glue as it was written (JSDoc comments, indentation: a quarter of the first
//! load's JavaScript once gzipped). terser rewrites it, then the page's Subresource Integrity
//! hash for the file is written again, or the browser would refuse the new bytes.

use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha384};

use crate::{Result, run_cmd};

/// Minifies every `*.js` Trunk wrote at the top of `dir` and the hashes `dir/index.html` gives
/// them; `public_url` is where `dir` is served (`/`, `/focus/`).
pub fn minify_js(dir: &Path, public_url: &str, terser: &Path) -> Result {
    let page_path = dir.join("index.html");
    let mut page = std::fs::read_to_string(&page_path).map_err(|e| format!("{dir:?}: {e}"))?;
    for entry in std::fs::read_dir(dir).map_err(|e| format!("{dir:?}: {e}"))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // The service worker is ours, not Trunk's: a copied file, no hash in the page.
        if !name.ends_with(".js") || name == "sw.js" {
            continue;
        }
        terse(&path, true, terser)?;
        let bytes = std::fs::read(&path).map_err(|e| format!("{path:?}: {e}"))?;
        page = with_integrity(&page, &format!("{public_url}{name}"), &sri_sha384(&bytes))
            .ok_or_else(|| format!("{page_path:?} has no integrity hash for {name}"))?;
    }
    std::fs::write(&page_path, page).map_err(|e| format!("{page_path:?}: {e}"))
}

/// Minifies the script at `path` in place (`module`: an ES module, else a classic script such
/// as the service worker, whose top-level names stay).
pub fn terse(path: &Path, module: bool, terser: &Path) -> Result {
    let mut cmd = Command::new(terser);
    cmd.arg(path).args(["--compress", "--mangle"]);
    if module {
        cmd.arg("--module");
    }
    run_cmd(cmd.arg("--output").arg(path))
}

/// `page` with the `integrity` of the tag whose `href` is `href` set to `hash`; `None` when no
/// such tag has one. Reads attributes quoted or not (Trunk's minified pages drop the quotes).
fn with_integrity(page: &str, href: &str, hash: &str) -> Option<String> {
    let at = [
        format!("href={href} "),
        format!("href={href}>"),
        format!("href=\"{href}\""),
    ]
    .iter()
    .find_map(|a| page.find(a.as_str()))?;
    let start = page[..at].rfind('<')?;
    let end = at + page[at..].find('>')?;
    let tag = &page[start..end];
    let value = tag.find("integrity=")? + "integrity=".len();
    let quoted = tag[value..].starts_with('"');
    let from = start + value + usize::from(quoted);
    let stop = if quoted {
        ['"'].as_slice()
    } else {
        [' ', '>'].as_slice()
    };
    let to = from + page[from..end].find(stop).unwrap_or(end - from);
    Some(format!("{}{hash}{}", &page[..from], &page[to..]))
}

/// `sha384-` and the base64 of the SHA-384 of `bytes`, as `integrity` attributes write it.
fn sri_sha384(bytes: &[u8]) -> String {
    format!("sha384-{}", base64(&Sha384::digest(bytes)))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize])
            } else {
                '='
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_as_rfc_4648_writes_it() {
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"fooba", "Zm9vYmE="),
            (b"foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(bytes), text);
        }
        // The SRI hash of the empty file, as `openssl dgst -sha384 -binary | base64` gives it.
        assert_eq!(
            sri_sha384(b""),
            "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb"
        );
    }

    #[test]
    fn the_hash_of_the_file_is_replaced_and_nothing_else() {
        let page = "<link href=/a.css integrity=sha384-A rel=stylesheet>\
            <link crossorigin href=/voci-app-1.js integrity=sha384-OLD rel=modulepreload>\
            <link as=fetch href=/voci-app-1_bg.wasm integrity=sha384-W rel=preload>";
        let new = with_integrity(page, "/voci-app-1.js", "sha384-NEW").unwrap();
        assert_eq!(new, page.replace("sha384-OLD", "sha384-NEW"));
        let quoted = r#"<link rel="modulepreload" href="/focus/x.js" integrity="sha384-OLD">"#;
        let new = with_integrity(quoted, "/focus/x.js", "sha384-NEW").unwrap();
        assert_eq!(new, quoted.replace("sha384-OLD", "sha384-NEW"));
        assert_eq!(with_integrity(page, "/other.js", "sha384-NEW"), None);
    }
}
