//! Voci's app: runs surveys offline on a tablet, queues responses, syncs them to the collector.
//!
//! One library, three entry points built by Trunk (ARCHITECTURE.md):
//! - the PWA (bin `voci-app`, `src/main.rs`, page `index.html`, served at `/`): the runner,
//!   kiosk and status screens, precached by the service worker;
//! - the facilitator's focus-group screens (bin `voci-focus`, `src/bin/voci-focus.rs`, page
//!   `focus.html`, served at `/focus/`): not in the PWA's first load, cached by the worker the
//!   first time they are opened online, offline afterwards;
//! - the enrolment screen (bin `voci-enrol`, `src/bin/voci-enrol.rs`, page `enrol.html`,
//!   served at `/enrol`, the admin's link `/enrol?code=...`): online by nature, never cached.
//!
//! Each bin mounts one root ([`mount_app`], [`mount_focus`], [`mount_enrol`]); the linker
//! keeps only what that root reaches, so neither the focus-group code nor the enrolment form
//! is in the tablets' download.
//!
//! # Layout
//!
//! - `app`: the PWA's root component; `components`: the screens and their parts.
//! - `state`: the app state and the actions buttons trigger (one context value), shared by
//!   both entries.
//! - `runner`: a running questionnaire as one plain struct, tested on the host.
//! - `focus`: a focus-group session as one plain struct (host-tested), its state, and the
//!   focus entry's root.
//! - `catalog`: surveys, guides and sites from the collector, or kept from last time.
//! - `storage`: localStorage keys: outbox (one key per response), attention, draft, catalog.
//! - `sync`: the outbox sender and its bookkeeping; `net`: `fetch`.
//! - `lock`: one sync at a time across tabs (Web Locks, else a localStorage lease).
//! - `journal`: answers sent per day, last success, last error (the status screen's record).
//! - `enrol`: this tablet as a collection device: the code, the device token, the replies (the
//!   PWA's sync reads only the token; the code and the replies are the enrol entry's).
//! - `kiosk`: classroom kiosk mode: the session, the youth worker's PIN, the lockout.
//! - `i18n`: interface strings in Italian, English and Arabic (right to left); `browser`:
//!   randomness, clock, dialogs.

mod app;
mod browser;
mod catalog;
mod components;
mod enrol;
mod focus;
mod i18n;
mod journal;
mod kiosk;
mod lang;
mod lock;
mod net;
mod runner;
mod state;
mod storage;
mod sync;

/// The PWA (bin `voci-app`): its root on the page's body.
pub fn mount_app() {
    leptos::mount::mount_to_body(app::App);
}

/// The facilitator's focus-group screens (bin `voci-focus`, at `/focus/`): their root on the
/// page's body.
pub fn mount_focus() {
    leptos::mount::mount_to_body(components::FocusApp);
}

/// The enrolment screen (bin `voci-enrol`, at `/enrol`): its root on the page's body.
pub fn mount_enrol() {
    leptos::mount::mount_to_body(components::EnrolApp);
}
