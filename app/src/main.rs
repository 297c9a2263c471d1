//! Voci's app: runs surveys offline on a tablet, queues responses, syncs them to the collector.
//!
//! # Layout
//!
//! - [`app`]: the root component; [`components`]: the screens and their parts.
//! - [`state`]: the app state and the actions buttons trigger (one context value).
//! - [`runner`]: a running questionnaire as one plain struct, tested on the host.
//! - [`focus`]: a focus-group session as one plain struct (host-tested), and its state.
//! - [`catalog`]: surveys and sites from the collector, or kept from last time.
//! - [`storage`]: localStorage keys: outbox (one key per response), attention, draft, catalog.
//! - [`sync`]: the outbox sender and its bookkeeping; [`net`]: `fetch`.
//! - [`lock`]: one sync at a time across tabs (Web Locks, else a localStorage lease).
//! - [`journal`]: answers sent per day, last success, last error (the status screen's record).
//! - [`enrol`]: this tablet as a collection device: the code, the device token, the replies.
//! - [`kiosk`]: classroom kiosk mode: the session, the youth worker's PIN, the lockout.
//! - [`i18n`]: interface strings in Italian, English and Arabic (right to left); [`browser`]:
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

fn main() {
    leptos::mount::mount_to_body(app::App);
}
