//! Small things only the browser can do: randomness, the clock, dialogs, scrolling.

use leptos::prelude::{document, request_animation_frame, window};
use voci_core::ResponseId;
use wasm_bindgen::{JsCast, JsValue};

/// A new response id from `crypto.getRandomValues`.
pub fn new_response_id() -> ResponseId {
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
    ResponseId::from_random_bytes(bytes)
}

/// The device's time as RFC 3339 (`2025-03-01T10:00:00.000Z`).
pub fn now_rfc3339() -> String {
    js_sys::Date::new_0().to_iso_string().into()
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

/// Asks the browser not to evict localStorage under storage pressure (the outbox lives there).
pub fn ask_persistent_storage() {
    // The answer (granted or not) changes nothing here; the promise runs on its own.
    let _ = window().navigator().storage().persist();
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
    web_sys::Url::revoke_object_url(&url)
}
