//! A download with its progress: the file is fetched, its body read as a stream chunk by
//! chunk (so the screen can say how much arrived, of the `Content-Length` when the collector
//! gave one; streamed exports have none), kept in the browser as a Blob and saved under the
//! name the collector gave it.

use leptos::prelude::{document, window};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    BlobPropertyBag, HtmlAnchorElement, ReadableStreamDefaultReader, ReadableStreamReadResult,
    RequestCache, RequestInit,
};

use crate::api::Failure;

/// How much of a download has arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub received: u64,
    /// The body's size, when the collector said it.
    pub total: Option<u64>,
}

impl Progress {
    /// Between 0 and 1, when the total is known.
    pub fn fraction(self) -> Option<f64> {
        self.total
            .filter(|&t| t > 0)
            .map(|t| (self.received as f64 / t as f64).min(1.0))
    }
}

/// A finished download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub file: String,
    pub bytes: u64,
}

/// The file name of `Content-Disposition: attachment; filename="x.csv"`, else `fallback`.
pub fn file_name(disposition: Option<&str>, fallback: &str) -> String {
    disposition
        .and_then(|d| {
            d.split(';')
                .map(str::trim)
                .find_map(|part| part.strip_prefix("filename="))
        })
        .map(|name| name.trim_matches('"'))
        // Never a path: the browser would refuse it anyway.
        .filter(|name| !name.is_empty() && !name.contains(['/', '\\']))
        .map_or_else(|| fallback.to_owned(), str::to_owned)
}

/// Fetches `url`, calling `progress` as chunks arrive, then saves the body as a file.
pub async fn fetch_file(
    url: &str,
    fallback_name: &str,
    progress: impl Fn(Progress),
) -> Result<Saved, Failure> {
    let offline = |_| Failure::Offline;
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_cache(RequestCache::NoStore);
    let response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
        .await
        .map_err(offline)?;
    let response: web_sys::Response = response.dyn_into().map_err(offline)?;
    let headers = response.headers();
    let header = |name: &str| headers.get(name).ok().flatten();
    if !response.ok() {
        let body = JsFuture::from(response.text().map_err(offline)?)
            .await
            .map_err(offline)?;
        return Err(Failure::from_reply(
            response.status(),
            &body.as_string().unwrap_or_default(),
        ));
    }
    let name = file_name(header("Content-Disposition").as_deref(), fallback_name);
    let mime = header("Content-Type").unwrap_or_else(|| "application/octet-stream".to_owned());
    let mut seen = Progress {
        received: 0,
        total: header("Content-Length").and_then(|l| l.trim().parse().ok()),
    };
    progress(seen);
    // The chunks stay in JavaScript memory; the Blob is made from them without a copy here.
    let chunks = js_sys::Array::new();
    if let Some(body) = response.body() {
        let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
        loop {
            let read: ReadableStreamReadResult = JsFuture::from(reader.read())
                .await
                .map_err(offline)?
                .unchecked_into();
            if read.get_done().unwrap_or(true) {
                break;
            }
            let chunk: js_sys::Uint8Array = read.get_value().unchecked_into();
            seen.received += u64::from(chunk.length());
            chunks.push(&chunk);
            progress(seen);
        }
    }
    save(&chunks, &name, &mime).map_err(|_| Failure::Refused {
        status: 0,
        message: "the browser could not save the file".to_owned(),
    })?;
    Ok(Saved {
        file: name,
        bytes: seen.received,
    })
}

/// Offers the chunks as one file named `name`.
fn save(chunks: &js_sys::Array, name: &str, mime: &str) -> Result<(), JsValue> {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(chunks, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The browser reads the blob after this returns: free it a while later.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_collectors_file_name_is_kept() {
        assert_eq!(
            file_name(
                Some("attachment; filename=\"clima-results.xlsx\""),
                "results.xlsx"
            ),
            "clima-results.xlsx"
        );
        assert_eq!(file_name(None, "results.xlsx"), "results.xlsx");
        assert_eq!(
            file_name(Some("attachment; filename=\"../x\""), "f"),
            "f",
            "never a path"
        );
    }

    #[test]
    fn progress_is_a_fraction_only_with_a_total() {
        let p = Progress {
            received: 50,
            total: Some(200),
        };
        assert_eq!(p.fraction(), Some(0.25));
        assert_eq!(Progress::default().fraction(), None);
        let over = Progress {
            received: 300,
            total: Some(200),
        };
        assert_eq!(over.fraction(), Some(1.0));
    }
}
