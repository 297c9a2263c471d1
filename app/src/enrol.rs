//! Enrolling this tablet as a collection device: the code as the youth worker types it, the
//! device token kept in localStorage, and what the collector's answers about enrolment mean.
//!
//! A survey with `collection = "enrolled"` takes responses only from a device enrolled for it.
//! The admin makes a code (or the link `/enrol?code=...` that carries it); the app exchanges it
//! once at `POST /api/devices/enrol` for a token, kept under [`DEVICE_KEY`] and sent as
//! `Authorization: Bearer <token>` with every submission. A 401 to a submission means the
//! device was revoked: the token is marked so (and no longer sent) until the device enrols
//! again. Plain Rust over a [`Store`], tested on the host; the screen is
//! `components/enrol.rs`.

use serde::{Deserialize, Serialize};

use crate::storage::{Store, WriteFailed};

/// The enrolment, one key of its own (not under the outbox's prefixes).
pub const DEVICE_KEY: &str = "voci.device";
pub const ENROL_URL: &str = "/api/devices/enrol";
/// The app's path the admin's link opens.
pub const ENROL_PATH: &str = "/enrol";

/// The device as the collector knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub id: i64,
    pub name: String,
    /// The surveys it may submit to.
    pub surveys: Vec<String>,
}

/// What is kept under [`DEVICE_KEY`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub token: String,
    pub device: Device,
    /// The collector refused the token (401): the admin revoked the device or its code.
    #[serde(default)]
    pub revoked: bool,
}

/// A code as typed, in the form the collector hashes (any case, spaces and dashes ignored,
/// `O` for `0`, `I` and `L` for `1`, as the collector reads it); `None` when nothing that
/// could be a code is left.
pub fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' ' | '\t'))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    (!code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric())).then_some(code)
}

/// The code in the link's query (`?code=ABCD-EFGH`), as it was written.
pub fn code_from_query(search: &str) -> Option<String> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "code")
        .map(|(_, v)| v.replace('+', " ").replace("%20", " ").replace("%2D", "-"))
        .filter(|v| !v.trim().is_empty())
}

/// The body of `POST /api/devices/enrol`.
pub fn request_body(code: &str, name: &str) -> String {
    // A struct rather than `json!`: a `Value`'s `to_string` would bring a writer of its own.
    #[derive(Serialize)]
    struct Request<'a> {
        code: &'a str,
        name: Option<&'a str>,
    }
    let name = name.trim();
    let body = Request {
        code,
        name: (!name.is_empty()).then_some(name),
    };
    serde_json::to_string(&body).expect("strings always serialise")
}

/// What came of an enrolment attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enrolled {
    Done(Enrolment),
    /// 403: mistyped, expired, revoked or used up (the collector's words).
    Refused(String),
    /// 429: too many attempts; try again after this many seconds.
    TooMany(u32),
    /// Another HTTP answer, or a 201 that is not the expected JSON.
    Failed(u16),
}

/// Reads the collector's answer to `POST /api/devices/enrol`.
pub fn classify(status: u16, body: &str, retry_after: Option<u32>) -> Enrolled {
    match status {
        // `{"token": ..., "device": {...}}`, read as the enrolment to keep: one reader for both.
        200..=299 => {
            serde_json::from_str::<Enrolment>(body).map_or(Enrolled::Failed(status), |e| {
                Enrolled::Done(Enrolment {
                    revoked: false,
                    ..e
                })
            })
        }
        403 => Enrolled::Refused(crate::sync::error_message(status, body)),
        429 => Enrolled::TooMany(retry_after.unwrap_or(60)),
        _ => Enrolled::Failed(status),
    }
}

pub fn load(store: &impl Store) -> Option<Enrolment> {
    serde_json::from_str(&store.get(DEVICE_KEY)?).ok()
}

pub fn save(store: &impl Store, enrolment: &Enrolment) -> Result<(), WriteFailed> {
    let json = serde_json::to_string(enrolment).map_err(|_| WriteFailed)?;
    store.set(DEVICE_KEY, &json)
}

/// Notes that the collector refused the token; returns whether there was one to mark.
pub fn mark_revoked(store: &impl Store) -> bool {
    match load(store) {
        Some(mut e) if !e.revoked => {
            e.revoked = true;
            save(store, &e).is_ok()
        }
        _ => false,
    }
}

/// The token to send with submissions: none before enrolling or once revoked (then the
/// responses to open surveys still get through, the others wait for a new enrolment).
pub fn bearer(store: &impl Store) -> Option<String> {
    load(store).filter(|e| !e.revoked).map(|e| e.token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::tests::response;
    use crate::storage::{Entry, MemoryStore, RESPONSES, attention, outbox_count};
    use crate::sync::{SyncFailure, Tally, interpret, pass};

    fn enrolment() -> Enrolment {
        Enrolment {
            token: "tok".into(),
            device: Device {
                id: 3,
                name: "tablet 1".into(),
                surveys: vec!["scheda".into()],
            },
            revoked: false,
        }
    }

    #[test]
    fn a_code_reads_the_same_however_it_is_typed() {
        let want = Some("AB0C1D1E".to_owned());
        assert_eq!(normalise_code("AB0C-1D1E"), want);
        assert_eq!(normalise_code(" abOc 1dLe "), want);
        assert_eq!(normalise_code("ab-oc-id-ie"), want);
        assert_eq!(normalise_code(" - "), None);
        assert_eq!(normalise_code("AB0C/1D1E"), None, "not a code");
    }

    #[test]
    fn the_link_carries_the_code() {
        assert_eq!(
            code_from_query("?code=ABCD-EFGH-JKMN"),
            Some("ABCD-EFGH-JKMN".into())
        );
        assert_eq!(
            code_from_query("?x=1&code=abcd+efgh"),
            Some("abcd efgh".into())
        );
        assert_eq!(code_from_query("?code="), None);
        assert_eq!(code_from_query(""), None);
    }

    #[test]
    fn the_request_names_the_device_only_when_named() {
        let body: serde_json::Value = serde_json::from_str(&request_body("AB", " ")).unwrap();
        assert_eq!(body["code"], "AB");
        assert!(body["name"].is_null());
        let body: serde_json::Value =
            serde_json::from_str(&request_body("AB", " tablet 1 ")).unwrap();
        assert_eq!(body["name"], "tablet 1");
        assert_eq!(
            request_body("A\"B", ""),
            r#"{"code":"A\"B","name":null}"#,
            "the text json! wrote"
        );
    }

    #[test]
    fn replies_are_read_by_status() {
        let ok = r#"{"token":"tok","device":{"id":3,"name":"tablet 1","surveys":["scheda"]}}"#;
        assert_eq!(classify(201, ok, None), Enrolled::Done(enrolment()));
        assert_eq!(
            classify(
                403,
                r#"{"error":"this enrolment code does not work"}"#,
                None
            ),
            Enrolled::Refused("this enrolment code does not work".into())
        );
        assert_eq!(classify(429, "", Some(17)), Enrolled::TooMany(17));
        assert_eq!(classify(201, "<html>", None), Enrolled::Failed(201));
        assert_eq!(classify(500, "", None), Enrolled::Failed(500));
    }

    #[test]
    fn the_token_is_sent_until_the_collector_refuses_it() {
        let store = MemoryStore::default();
        assert_eq!(bearer(&store), None);
        assert!(!mark_revoked(&store), "nothing to revoke");
        save(&store, &enrolment()).unwrap();
        assert_eq!(bearer(&store).as_deref(), Some("tok"));
        assert!(mark_revoked(&store));
        assert!(!mark_revoked(&store), "once");
        assert_eq!(bearer(&store), None);
        let kept = load(&store).unwrap();
        assert!(kept.revoked);
        assert_eq!(kept.device.name, "tablet 1", "still shown, as revoked");
        // Enrolling again replaces it.
        save(&store, &enrolment()).unwrap();
        assert_eq!(bearer(&store).as_deref(), Some("tok"));
    }

    /// Runs a future that never waits on anything outside itself.
    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        let mut f = std::pin::pin!(f);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        loop {
            if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    fn queued(n: u8) -> MemoryStore {
        let store = MemoryStore::default();
        for i in 0..n {
            let r = response(i, &format!("2025-03-01T10:00:{i:02}Z"));
            crate::storage::enqueue(&store, &r).unwrap();
        }
        store
    }

    #[test]
    fn a_response_waiting_for_an_enrolment_stays_queued_and_the_others_go() {
        let store = queued(3);
        let (tally, failure) = block_on(pass(
            &store,
            "2025-03-01",
            RESPONSES,
            async |batch: &[Entry]| {
                // As the collector words it: the first needs an enrolled device.
                let body = format!(
                    r#"{{"results":[
                    {{"id":"{}","status":"invalid","code":"not_enrolled",
                      "error":"this survey (s) takes responses only from devices enrolled for it"}},
                    {{"id":"{}","status":"stored"}},{{"id":"{}","status":"stored"}}]}}"#,
                    batch[0].id, batch[1].id, batch[2].id
                );
                interpret(200, &body)
            },
        ));
        assert_eq!(failure, Some(SyncFailure::Enrol));
        assert_eq!((tally.acknowledged, tally.refused), (2, 0));
        let left = crate::storage::queued(&store, RESPONSES);
        assert_eq!(left.len(), 1, "kept in the outbox, not in attention");
        assert_eq!(left[0].0, response(0, "").id);
        assert!(attention(&store).is_empty());
    }

    #[test]
    fn a_revoked_token_keeps_the_whole_outbox() {
        let store = queued(25);
        let (tally, failure) = block_on(pass(
            &store,
            "2025-03-01",
            RESPONSES,
            async |_: &[Entry]| interpret(401, r#"{"error":"the token is not valid"}"#),
        ));
        assert_eq!(failure, Some(SyncFailure::Enrol));
        assert_eq!(tally, Tally::default());
        assert_eq!(outbox_count(&store), 25);
        assert!(attention(&store).is_empty());
    }

    #[test]
    fn the_new_failures_read_back_from_the_journal() {
        for f in [SyncFailure::Enrol, SyncFailure::Busy(30)] {
            assert_eq!(SyncFailure::from_code(&f.code()), Some(f));
        }
        assert_eq!(SyncFailure::from_code("busy-x"), None);
    }
}
