//! The outbox sender: posts queued responses to the collector and does the bookkeeping.
//!
//! A queued response leaves the outbox only when the collector answered `stored` or
//! `duplicate` for *its* id; `conflict` and `invalid` move it to `voci.attention.<uuid>`.
//! The protocol's types and rules (`settle`, `Backoff`) are the core's (`voci_core::sync`).
//! [`pass`] is plain async Rust over a [`Store`] and a send function, tested on the host;
//! [`OutboxSync`] wires it to the browser: one sync at a time, triggers, and a retry timer.

use std::time::Duration;

use leptos::prelude::*;
use voci_core::sync::{Backoff, BatchReply, BatchRequest, ItemStatus, Settle, settle};
use voci_core::{Response, ResponseId};

use crate::net;
use crate::storage::{self, LocalStore, Store};

/// Responses per request (the collector takes up to `voci_core::sync::MAX_BATCH`).
pub const BATCH: usize = 20;
pub const BATCH_URL: &str = "/api/responses/batch";

/// Why the last attempt did not get everything across.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncFailure {
    /// The request did not reach the collector (no network, or it timed out).
    Offline,
    /// The collector answered with an HTTP error.
    Server(u16),
    /// The collector's answer was not the expected JSON.
    BadReply,
    /// This device's storage refused a write.
    Storage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SyncState {
    /// No attempt yet since the app started.
    #[default]
    Idle,
    Sending,
    /// The last attempt reached the collector.
    Done,
    Failed(SyncFailure),
}

/// What came of posting one batch.
#[derive(Debug, Clone, PartialEq)]
pub enum Sent {
    Reply(BatchReply),
    /// The collector refused the request as a whole (400, 413, 422), with its message.
    Rejected(String),
    Failed(SyncFailure),
}

/// Reads the collector's HTTP answer to a batch.
pub fn interpret(status: u16, body: &str) -> Sent {
    match status {
        200..=299 => serde_json::from_str(body)
            .map(Sent::Reply)
            .unwrap_or(Sent::Failed(SyncFailure::BadReply)),
        400 | 413 | 422 => Sent::Rejected(error_message(status, body)),
        _ => Sent::Failed(SyncFailure::Server(status)),
    }
}

/// The collector's own words for an error (`{"error": "..."}`), else the start of the body.
fn error_message(status: u16, body: &str) -> String {
    let from_json = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            ["error", "message"]
                .iter()
                .find_map(|k| v.get(k).and_then(|m| m.as_str()).map(str::to_owned))
        });
    let text = from_json.unwrap_or_else(|| body.trim().chars().take(300).collect());
    if text.is_empty() {
        format!("HTTP {status}")
    } else {
        text
    }
}

/// How a pass went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Stored or already there: gone from the outbox.
    pub acknowledged: usize,
    /// Moved to attention.
    pub refused: usize,
}

/// Applies the collector's answer for a batch; ids it did not mention stay queued.
pub fn apply_reply(
    store: &impl Store,
    batch: &[ResponseId],
    reply: &BatchReply,
    tally: &mut Tally,
) -> Result<(), SyncFailure> {
    let sent: Vec<String> = batch.iter().map(ToString::to_string).collect();
    for outcome in settle(&sent, reply) {
        match outcome {
            Settle::Remove(id) => {
                if let Ok(id) = ResponseId::parse(id) {
                    storage::acknowledge(store, &id);
                    tally.acknowledged += 1;
                }
            }
            Settle::Attention { id, reason } => {
                let status = reply
                    .results
                    .iter()
                    .find(|r| r.id.as_deref() == Some(id.as_str()))
                    .map_or(ItemStatus::Invalid, |r| r.status);
                let status = if status == ItemStatus::Conflict {
                    "conflict"
                } else {
                    "invalid"
                };
                if let Ok(id) = ResponseId::parse(id) {
                    storage::move_to_attention(store, &id, status, &reason)
                        .map_err(|_| SyncFailure::Storage)?;
                    tally.refused += 1;
                }
            }
            Settle::Keep(_) => {}
        }
    }
    Ok(())
}

fn refuse(
    store: &impl Store,
    id: &ResponseId,
    reason: &str,
    tally: &mut Tally,
) -> Result<(), SyncFailure> {
    storage::move_to_attention(store, id, "rejected", reason).map_err(|_| SyncFailure::Storage)?;
    tally.refused += 1;
    Ok(())
}

/// Sends everything queued when the pass starts, in batches of [`BATCH`], oldest first.
///
/// Stops at the first failure (the rest stays queued). A batch refused as a whole is resent one
/// response at a time, so one bad response cannot hold back the others.
pub async fn pass(
    store: &impl Store,
    mut send: impl AsyncFnMut(&[Response]) -> Sent,
) -> (Tally, Option<SyncFailure>) {
    let mut tally = Tally::default();
    let mut readable = Vec::new();
    for (id, parsed) in storage::queued(store) {
        match parsed {
            Ok(r) => readable.push(r),
            Err(e) => {
                let reason = format!("the stored copy cannot be read: {e}");
                if let Err(f) = refuse(store, &id, &reason, &mut tally) {
                    return (tally, Some(f));
                }
            }
        }
    }
    for chunk in readable.chunks(BATCH) {
        let ids: Vec<ResponseId> = chunk.iter().map(|r| r.id.clone()).collect();
        let outcome = match send(chunk).await {
            Sent::Reply(reply) => apply_reply(store, &ids, &reply, &mut tally),
            Sent::Failed(f) => Err(f),
            Sent::Rejected(reason) if chunk.len() == 1 => {
                refuse(store, &ids[0], &reason, &mut tally)
            }
            Sent::Rejected(_) => {
                let mut one_by_one = Ok(());
                for r in chunk {
                    one_by_one = match send(std::slice::from_ref(r)).await {
                        Sent::Reply(reply) => {
                            apply_reply(store, std::slice::from_ref(&r.id), &reply, &mut tally)
                        }
                        Sent::Rejected(reason) => refuse(store, &r.id, &reason, &mut tally),
                        Sent::Failed(f) => Err(f),
                    };
                    if one_by_one.is_err() {
                        break;
                    }
                }
                one_by_one
            }
        };
        if let Err(f) = outcome {
            return (tally, Some(f));
        }
    }
    (tally, None)
}

/// The outbox as the interface sees it, and the one sender (context value).
#[derive(Debug, Clone, Copy)]
pub struct OutboxSync {
    pub state: RwSignal<SyncState>,
    /// Responses queued, counted from the localStorage keys.
    pub outbox: RwSignal<usize>,
    /// Responses the collector refused.
    pub attention: RwSignal<usize>,
    /// A trigger arrived while sending: go again once done.
    again: StoredValue<bool>,
    backoff: StoredValue<Backoff>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl OutboxSync {
    pub fn provide() -> Self {
        let this = Self {
            state: RwSignal::new(SyncState::Idle),
            outbox: RwSignal::new(storage::outbox_count(&LocalStore)),
            attention: RwSignal::new(storage::attention(&LocalStore).len()),
            again: StoredValue::new(false),
            backoff: StoredValue::new(Backoff::default()),
            timer: StoredValue::new(None),
        };
        provide_context(this);
        this
    }

    /// Rereads the counts from localStorage.
    pub fn refresh(self) {
        self.outbox.set(storage::outbox_count(&LocalStore));
        self.attention.set(storage::attention(&LocalStore).len());
    }

    /// Sends now on `online` and on `focus` (for the life of the app).
    pub fn listen(self) {
        // The handles only remove the listeners when called; these stay for the app's life.
        let _ = window_event_listener(leptos::ev::online, move |_| self.trigger());
        let _ = window_event_listener(leptos::ev::focus, move |_| self.trigger());
    }

    /// Starts a pass unless one is running (then one more follows it).
    pub fn trigger(self) {
        if self.state.get_untracked() == SyncState::Sending {
            self.again.set_value(true);
            return;
        }
        if let Some(handle) = self.timer.get_value() {
            handle.clear();
            self.timer.set_value(None);
        }
        self.state.set(SyncState::Sending);
        leptos::task::spawn_local(async move {
            let (_, failure) = pass(&LocalStore, async |batch: &[Response]| {
                let request = BatchRequest {
                    responses: batch.to_vec(),
                };
                let body = serde_json::to_string(&request).expect("responses always serialise");
                match net::post_json(BATCH_URL, &body).await {
                    Ok(reply) => interpret(reply.status, &reply.body),
                    Err(net::Offline) => Sent::Failed(SyncFailure::Offline),
                }
            })
            .await;
            self.refresh();
            match failure {
                Some(f) => {
                    self.state.set(SyncState::Failed(f));
                    if self.outbox.get_untracked() > 0 {
                        self.schedule_retry();
                    }
                }
                None => {
                    self.backoff.update_value(Backoff::succeeded);
                    self.state.set(SyncState::Done);
                }
            }
            if self.again.get_value() {
                self.again.set_value(false);
                self.trigger();
            }
        });
    }

    fn schedule_retry(self) {
        let mut ms = 0;
        self.backoff
            .update_value(|b| ms = b.failed(js_sys::Math::random()));
        let handle =
            set_timeout_with_handle(move || self.trigger(), Duration::from_millis(ms)).ok();
        self.timer.set_value(handle);
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use voci_core::sync::ItemResult;

    use super::*;
    use crate::storage::tests::response;
    use crate::storage::{MemoryStore, attention, enqueue, outbox_count};

    /// Runs a future that never waits on anything outside itself.
    fn block_on<F: Future>(f: F) -> F::Output {
        let mut f = pin!(f);
        let mut cx = Context::from_waker(Waker::noop());
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    fn item(r: &Response, status: ItemStatus) -> ItemResult {
        ItemResult {
            id: Some(r.id.to_string()),
            status,
            error: None,
            errors: Vec::new(),
        }
    }

    fn filled(n: u8) -> MemoryStore {
        let store = MemoryStore::default();
        for i in 0..n {
            enqueue(&store, &response(i, &format!("2025-03-01T10:00:{i:02}Z"))).unwrap();
        }
        store
    }

    #[test]
    fn batches_of_twenty_and_only_acknowledged_ids_leave() {
        let store = filled(45);
        let sizes = RefCell::new(Vec::new());
        let (tally, failure) = block_on(pass(&store, async |batch: &[Response]| {
            sizes.borrow_mut().push(batch.len());
            // The collector forgets to mention the last response of every batch.
            let results = batch[..batch.len() - 1]
                .iter()
                .map(|r| item(r, ItemStatus::Stored))
                .collect();
            Sent::Reply(BatchReply { results })
        }));
        assert_eq!(*sizes.borrow(), vec![20, 20, 5]);
        assert_eq!(failure, None);
        assert_eq!(tally.acknowledged, 42);
        assert_eq!(outbox_count(&store), 3);
    }

    #[test]
    fn conflicts_and_invalid_go_to_attention_with_the_reason() {
        let store = filled(4);
        let (tally, _) = block_on(pass(&store, async |batch: &[Response]| {
            Sent::Reply(BatchReply {
                results: vec![
                    item(&batch[0], ItemStatus::Duplicate),
                    ItemResult {
                        error: Some("same id, different answers".into()),
                        ..item(&batch[1], ItemStatus::Conflict)
                    },
                    item(&batch[2], ItemStatus::Invalid),
                ],
            })
        }));
        assert_eq!(
            tally,
            Tally {
                acknowledged: 1,
                refused: 2
            }
        );
        assert_eq!(
            outbox_count(&store),
            1,
            "an unknown status keeps the response queued"
        );
        let refused = attention(&store);
        assert_eq!(refused.len(), 2);
        assert!(
            refused
                .iter()
                .any(|(_, r)| r.reason == "same id, different answers")
        );
        assert!(refused.iter().any(|(_, r)| r.status == "invalid"));
    }

    #[test]
    fn a_failure_stops_the_pass_and_keeps_everything() {
        let store = filled(30);
        let calls = RefCell::new(0);
        let (tally, failure) = block_on(pass(&store, async |_: &[Response]| {
            *calls.borrow_mut() += 1;
            Sent::Failed(SyncFailure::Offline)
        }));
        assert_eq!(*calls.borrow(), 1);
        assert_eq!(failure, Some(SyncFailure::Offline));
        assert_eq!(tally, Tally::default());
        assert_eq!(outbox_count(&store), 30);
    }

    #[test]
    fn a_batch_refused_as_a_whole_is_resent_one_by_one() {
        let store = filled(3);
        let bad = response(1, "").id;
        let (tally, failure) = block_on(pass(&store, async |batch: &[Response]| {
            if batch.iter().any(|r| r.id == bad) {
                interpret(422, r#"{"error":"unknown survey version"}"#)
            } else {
                Sent::Reply(BatchReply {
                    results: batch.iter().map(|r| item(r, ItemStatus::Stored)).collect(),
                })
            }
        }));
        assert_eq!(failure, None);
        assert_eq!(
            tally,
            Tally {
                acknowledged: 2,
                refused: 1
            }
        );
        let refused = attention(&store);
        assert_eq!(refused[0].0, bad);
        assert_eq!(refused[0].1.reason, "unknown survey version");
    }

    #[test]
    fn replies_are_read_by_status() {
        assert_eq!(
            interpret(503, "busy"),
            Sent::Failed(SyncFailure::Server(503))
        );
        assert_eq!(
            interpret(200, "<html>"),
            Sent::Failed(SyncFailure::BadReply)
        );
        assert_eq!(interpret(400, ""), Sent::Rejected("HTTP 400".into()));
        let ok = interpret(
            200,
            r#"{"results":[{"id":"x","status":"stored"},{"id":null,"status":"invalid"}]}"#,
        );
        assert!(matches!(ok, Sent::Reply(r) if r.results[0].status == ItemStatus::Stored));
    }
}
