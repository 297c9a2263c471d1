//! Small things only the browser can do: randomness, the clock, dialogs, scrolling, storage
//! estimates, files, timing marks.

use js_sys::{Object, Promise, Reflect};
use leptos::prelude::{document, request_animation_frame, window};
use voci_core::ResponseId;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A new response id from `crypto.getRandomValues`.
pub fn new_response_id() -> ResponseId {
    ResponseId::from_random_bytes(random_bytes())
}

/// 16 bytes from `crypto.getRandomValues` (a response id, a salt).
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    let filled = window()
        .crypto()
        .ok()
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // Every browser that runs WebAssembly has crypto; this is only a last resort.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

/// The device's clock in milliseconds since 1970.
pub fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// The document's language and writing direction (`<html lang dir>`).
pub fn set_document_language(lang: &str, dir: &str) {
    if let Some(html) = document().document_element() {
        let _ = html.set_attribute("lang", lang);
        let _ = html.set_attribute("dir", dir);
    }
}

/// The device's time as RFC 3339 (`2025-03-01T10:00:00.000Z`).
pub fn now_rfc3339() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// Today on the device, in its own time zone (`2025-03-01`): what "sent today" means.
pub fn today() -> String {
    now().date
}

/// The device's clock in its own time zone: the date and the time with its offset
/// (`2026-03-02T10:15:00+01:00`), what a response records.
pub fn now() -> crate::runner::Now {
    let d = js_sys::Date::new_0();
    let date = format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    );
    // getTimezoneOffset is minutes *behind* UTC: -60 in Italy in winter.
    let east = -(d.get_timezone_offset() as i32);
    let sign = if east < 0 { '-' } else { '+' };
    let time = format!(
        "{date}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds(),
        east.abs() / 60,
        east.abs() % 60
    );
    crate::runner::Now { date, time }
}

/// An RFC 3339 time as the youth worker reads it (`23/11/26, 10:04`), in `lang`; a date alone
/// (an anonymous survey's responses carry no time) as the date only (`23/11/26`).
pub fn local_time(rfc3339: &str, lang: &str) -> String {
    let d = js_sys::Date::new(&JsValue::from_str(rfc3339));
    if d.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    let options = Object::new();
    let _ = Reflect::set(&options, &"dateStyle".into(), &"short".into());
    if rfc3339.contains('T') {
        let _ = Reflect::set(&options, &"timeStyle".into(), &"short".into());
    } else {
        // `YYYY-MM-DD` reads as midnight UTC: shown in UTC it stays that very day.
        let _ = Reflect::set(&options, &"timeZone".into(), &"UTC".into());
    }
    d.to_locale_string(lang, &options).into()
}

/// `s` in lower case as Unicode defines it: in the browser its own `toLowerCase`, which spares
/// the download Rust's case tables (about 11 KB gzip); on the host (tests) Rust's.
pub fn lowercase(s: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::JsString::from(s).to_lower_case().into()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.to_lowercase()
    }
}

/// Whether the browser knows it has no network (`navigator.onLine` false is reliable; true is
/// only a hope).
pub fn known_offline() -> bool {
    !window().navigator().on_line()
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u64) {
    let ms = i32::try_from(ms).unwrap_or(i32::MAX);
    let timer = Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(timer).await;
}

/// A User Timing mark (for the benchmarks; a few microseconds).
pub fn mark(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

/// A User Timing measure from `start_mark` to now, keeping only the latest of each name.
pub fn measure(name: &str, start_mark: &str) {
    if let Some(p) = window().performance() {
        p.clear_measures_with_measure_name(name);
        let _ = p.measure_with_start_mark(name, start_mark);
        p.clear_marks_with_mark_name(start_mark);
    }
}

pub fn confirm(message: &str) -> bool {
    window().confirm_with_message(message).unwrap_or(false)
}

pub fn scroll_to_top() {
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

/// Brings the first error message into view once it is on screen.
pub fn scroll_to_first_error() {
    request_animation_frame(|| {
        if let Ok(Some(el)) = document().query_selector("[role=alert]") {
            el.scroll_into_view();
        }
    });
}

/// Asks the browser not to evict this site's storage under pressure (the outbox lives there),
/// unless it already agreed. `None` when the browser has no Storage API (plain http).
pub async fn ask_persistent_storage() -> Option<bool> {
    let storage = window().navigator().storage();
    if JsFuture::from(storage.persisted().ok()?)
        .await
        .ok()?
        .as_bool()?
    {
        return Some(true);
    }
    JsFuture::from(storage.persist().ok()?)
        .await
        .ok()?
        .as_bool()
}

/// `navigator.storage.estimate()`: bytes used and the quota, for the site's storage.
pub async fn storage_estimate() -> Option<(f64, f64)> {
    let storage = window().navigator().storage();
    let e = JsFuture::from(storage.estimate().ok()?).await.ok()?;
    let usage = Reflect::get(&e, &"usage".into()).ok()?.as_f64()?;
    let quota = Reflect::get(&e, &"quota".into()).ok()?.as_f64()?;
    Some((usage, quota))
}

/// Reloads the page (after clearing the app's data).
pub fn reload() {
    let _ = window().location().reload();
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str, mime: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The download reads the blob after this returns: free it a while later.
    let revoke = move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    };
    leptos::prelude::set_timeout(revoke, std::time::Duration::from_secs(60));
    Ok(())
}
