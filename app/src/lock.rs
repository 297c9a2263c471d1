//! One sync at a time across the tabs of this device: the Web Locks API where the browser has it
//! (`navigator.locks.request("voci-sync", ...)`), else a lease in localStorage: a key with the
//! holder's id and an expiry, renewed while the sync runs.
//!
//! Two tabs sending at once would not store anything twice (the collector is idempotent), but
//! they would send everything twice and count it twice in "sent today". The lease rules are
//! plain functions over a [`Store`], tested on the host.

use std::time::Duration;

use js_sys::{Array, Function, Promise, Reflect};
use leptos::prelude::{set_interval_with_handle, window};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::browser;
use crate::storage::{LocalStore, Store};

pub const LOCK_NAME: &str = "voci-sync";
pub const LEASE_KEY: &str = "voci.sync.lease";
/// How long a lease lasts without renewal: a tab that closed mid-sync blocks others this long.
pub const LEASE_MS: u64 = 20_000;
const RENEW_EVERY: Duration = Duration::from_secs(5);
/// After writing a claim, how long to wait before reading it back (see [`holds`]).
const SETTLE_MS: u64 = 60;

/// The lease as stored: `<holder> <expiry>`, the expiry in milliseconds since the epoch by the
/// device's clock (every tab shares it).
#[derive(Debug, Clone, PartialEq)]
struct Lease {
    holder: String,
    expires: u64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Claim {
    /// Written as ours; confirm with [`holds`] after a moment.
    Written,
    /// Another tab holds it; it expires in this many milliseconds at the latest.
    Busy { expires_in_ms: u64 },
    /// Storage refused the write (full): go on without a lease, sending is idempotent.
    Unwritable,
}

fn read(store: &impl Store) -> Option<Lease> {
    let raw = store.get(LEASE_KEY)?;
    let (holder, expires) = raw.split_once(' ')?;
    Some(Lease {
        holder: holder.to_owned(),
        expires: expires.parse().ok()?,
    })
}

fn write(store: &impl Store, me: &str, expires: u64) -> bool {
    store.set(LEASE_KEY, &format!("{me} {expires}")).is_ok()
}

/// Claims the lease if it is free, expired, unreadable or already ours.
pub fn claim(store: &impl Store, me: &str, now: u64) -> Claim {
    if let Some(l) = read(store)
        && l.holder != me
        && l.expires > now
    {
        return Claim::Busy {
            expires_in_ms: l.expires - now,
        };
    }
    if write(store, me, now + LEASE_MS) {
        Claim::Written
    } else {
        Claim::Unwritable
    }
}

/// Whether `me` holds a live lease. localStorage has no compare-and-swap: of two tabs that
/// claimed at the same moment the later write wins, and reading back tells each which it is.
pub fn holds(store: &impl Store, me: &str, now: u64) -> bool {
    read(store).is_some_and(|l| l.holder == me && l.expires > now)
}

/// Pushes the expiry forward while the sync runs; false if the lease is no longer ours.
pub fn renew(store: &impl Store, me: &str, now: u64) -> bool {
    read(store).is_some_and(|l| l.holder == me) && write(store, me, now + LEASE_MS)
}

/// Gives the lease up, if it is ours.
pub fn release(store: &impl Store, me: &str) {
    if read(store).is_some_and(|l| l.holder == me) {
        store.remove(LEASE_KEY);
    }
}

/// The device's clock in milliseconds.
fn now() -> u64 {
    js_sys::Date::now() as u64
}

thread_local! {
    /// This tab's id as a lease holder.
    static TAB: String = browser::new_response_id().to_string();
}

/// Runs `f` while holding the device-wide sync lock, waiting for it if another tab has it.
pub async fn exclusive<T>(f: impl AsyncFnOnce() -> T) -> T {
    if let Some(locks) = web_locks()
        && let Ok(release) = web_lock(&locks).await
    {
        let out = f().await;
        let _ = release.call0(&JsValue::NULL);
        return out;
    }
    with_lease(f).await
}

fn web_locks() -> Option<JsValue> {
    let locks = Reflect::get(&window().navigator(), &JsValue::from_str("locks")).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then_some(locks)
}

/// Waits for the Web Lock; returns the function that releases it. web-sys has the API only
/// behind its unstable flag, so this goes through `Reflect`.
async fn web_lock(locks: &JsValue) -> Result<Function, JsValue> {
    let request: Function = Reflect::get(locks, &JsValue::from_str("request"))?.dyn_into()?;
    let mut resolve_granted = None;
    let granted = Promise::new(&mut |resolve, _| resolve_granted = Some(resolve));
    let resolve_granted = resolve_granted.ok_or(JsValue::UNDEFINED)?;
    // The lock is held until the promise the callback returns settles: that promise's resolve
    // function is handed out as the release.
    let callback = Closure::once_into_js(move |_lock: JsValue| {
        Promise::new(&mut |release, _| {
            let _ = resolve_granted.call1(&JsValue::NULL, &release);
        })
    });
    let requested: Promise = request
        .call2(locks, &JsValue::from_str(LOCK_NAME), &callback)?
        .dyn_into()?;
    // `requested` settles first only when the request failed.
    let release = JsFuture::from(Promise::race(&Array::of2(&granted, &requested))).await?;
    release.dyn_into()
}

async fn with_lease<T>(f: impl AsyncFnOnce() -> T) -> T {
    let me = TAB.with(Clone::clone);
    let store = LocalStore;
    loop {
        match claim(&store, &me, now()) {
            Claim::Written => {
                browser::sleep(SETTLE_MS).await;
                if holds(&store, &me, now()) {
                    break;
                }
            }
            Claim::Busy { expires_in_ms } => {
                // Jitter, so that tabs waiting for the same lease do not claim it together.
                let wait = expires_in_ms.min(1_000) as f64 * (0.5 + js_sys::Math::random() / 2.0);
                browser::sleep(wait as u64 + 1).await;
            }
            Claim::Unwritable => return f().await,
        }
    }
    let renewer = set_interval_with_handle(
        move || {
            TAB.with(|me| renew(&LocalStore, me, now()));
        },
        RENEW_EVERY,
    )
    .ok();
    let out = f().await;
    if let Some(r) = renewer {
        r.clear();
    }
    release(&store, &me);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStore;

    #[test]
    fn one_holder_at_a_time_until_release_or_expiry() {
        let store = MemoryStore::default();
        assert_eq!(claim(&store, "a", 0), Claim::Written);
        assert!(holds(&store, "a", 1));
        assert_eq!(
            claim(&store, "b", 5_000),
            Claim::Busy {
                expires_in_ms: LEASE_MS - 5_000
            }
        );
        assert!(!holds(&store, "b", 5_000));
        // Claiming again is renewing.
        assert_eq!(claim(&store, "a", 5_000), Claim::Written);
        release(&store, "b");
        assert!(holds(&store, "a", 6_000), "only the holder releases");
        release(&store, "a");
        assert_eq!(claim(&store, "b", 6_000), Claim::Written);
    }

    #[test]
    fn a_lease_left_by_a_closed_tab_expires() {
        let store = MemoryStore::default();
        assert_eq!(claim(&store, "closed", 0), Claim::Written);
        assert!(matches!(
            claim(&store, "b", LEASE_MS - 1),
            Claim::Busy { .. }
        ));
        assert_eq!(claim(&store, "b", LEASE_MS), Claim::Written);
        assert!(holds(&store, "b", LEASE_MS + 1));
        assert!(!holds(&store, "b", 2 * LEASE_MS + 1), "expired");
    }

    #[test]
    fn renewing_keeps_a_long_sync_locked() {
        let store = MemoryStore::default();
        claim(&store, "a", 0);
        for t in 1..10 {
            assert!(renew(&store, "a", t * 5_000));
        }
        assert!(holds(&store, "a", 45_000 + LEASE_MS - 1));
        assert!(!renew(&store, "b", 50_000), "only the holder renews");
    }

    #[test]
    fn of_two_simultaneous_claims_the_later_write_wins() {
        let store = MemoryStore::default();
        // Both read the lease as free before either wrote.
        assert_eq!(claim(&store, "a", 0), Claim::Written);
        store.remove(LEASE_KEY);
        assert_eq!(claim(&store, "b", 0), Claim::Written);
        assert!(!holds(&store, "a", 10));
        assert!(holds(&store, "b", 10));
    }

    #[test]
    fn an_unreadable_lease_is_free_and_a_full_store_is_said() {
        let store = MemoryStore::default();
        store.set(LEASE_KEY, "garbage").unwrap();
        assert_eq!(claim(&store, "a", 0), Claim::Written);
        let full = MemoryStore::with_quota(10);
        assert_eq!(claim(&full, "a", 0), Claim::Unwritable);
        assert!(!holds(&full, "a", 0));
    }
}
