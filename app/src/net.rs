//! Talking to the collector: same-origin `fetch` with JSON in and out, and a timeout.

use std::time::Duration;

use leptos::prelude::{set_timeout_with_handle, window};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestCache, RequestInit};

/// A request that got no HTTP answer at all: no network, or the collector took too long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offline;

/// An HTTP answer, whatever its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    /// `Retry-After` in seconds (a 429 or 503 says how long to wait).
    pub retry_after: Option<u32>,
}

impl Reply {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// A hung connection (a captive portal, a sleeping access point) must not block the outbox.
const TIMEOUT: Duration = Duration::from_secs(30);

pub async fn get(url: &str) -> Result<Reply, Offline> {
    fetch("GET", url, None, None).await
}

pub async fn post_json(url: &str, body: &str) -> Result<Reply, Offline> {
    fetch("POST", url, Some(("application/json", body)), None).await
}

/// Posts JSON with `Authorization: Bearer <token>` when there is a token (a device's).
pub async fn post_json_as(url: &str, body: &str, token: Option<&str>) -> Result<Reply, Offline> {
    fetch("POST", url, Some(("application/json", body)), token).await
}

async fn fetch(
    method: &str,
    url: &str,
    body: Option<(&str, &str)>,
    bearer: Option<&str>,
) -> Result<Reply, Offline> {
    let init = RequestInit::new();
    init.set_method(method);
    // The service worker decides what may come from a cache, not the HTTP cache.
    init.set_cache(RequestCache::NoStore);
    let headers = Headers::new().map_err(|_| Offline)?;
    headers
        .set("Accept", "application/json")
        .map_err(|_| Offline)?;
    if let Some((content_type, body)) = body {
        headers
            .set("Content-Type", content_type)
            .map_err(|_| Offline)?;
        init.set_body(&JsValue::from_str(body));
    }
    if let Some(token) = bearer {
        headers
            .set("Authorization", &format!("Bearer {}", token.trim()))
            .map_err(|_| Offline)?;
    }
    init.set_headers(&headers);

    let abort = AbortController::new().ok();
    init.set_signal(abort.as_ref().map(AbortController::signal).as_ref());
    let timer = abort
        .clone()
        .and_then(|a| set_timeout_with_handle(move || a.abort(), TIMEOUT).ok());

    let result = async {
        let response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
            .await
            .map_err(|_| Offline)?;
        let response: web_sys::Response = response.dyn_into().map_err(|_| Offline)?;
        let text = JsFuture::from(response.text().map_err(|_| Offline)?)
            .await
            .map_err(|_| Offline)?;
        let retry_after = response.headers().get("Retry-After").ok().flatten();
        Ok(Reply {
            status: response.status(),
            body: text.as_string().unwrap_or_default(),
            retry_after: retry_after.and_then(|s| s.trim().parse().ok()),
        })
    }
    .await;
    if let Some(t) = timer {
        t.clear();
    }
    result
}
