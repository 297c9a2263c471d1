//! The outbox sender: posts queued responses and focus-group sessions to the collector and does
//! the bookkeeping.
//!
//! A queued record leaves the outbox only when the collector answered `stored` or
//! `duplicate` for *its* id; `conflict` and `invalid` move it to `voci.attention.<uuid>`.
//! Responses go to `/api/responses/batch`, sessions to `/api/sessions/batch`: the same
//! protocol, the same pass (over a [`Kind`] of record), one after the other.
//! The protocol's types and rules (`settle`, `Backoff`) are the core's (`voci_core::sync`).
//! [`pass`] is plain async Rust over a [`Store`] and a send function, tested on the host;
//! [`OutboxSync`] wires it to the browser: one sync at a time across tabs ([`crate::lock`]),
//! triggers (`online`, focus, a submit, the button), a retry timer with backoff, and the counts
//! the interface shows, kept in step without rereading the whole queue on every submit.

use crate::journal::PerSurvey;
use std::time::Duration;

use leptos::callback::Callback;
use leptos::prelude::*;
use serde::Deserialize;
use voci_core::ResponseId;
use voci_core::sync::{Backoff, BatchReply, ItemResult, ItemStatus, NOT_ENROLLED, Settle, settle};

use crate::journal::{self, SyncLog};
use crate::storage::{self, Entry, LocalStore, Outbox, Store};
use crate::{browser, enrol, lock, net};

/// Records per request (the collector takes up to `voci_core::sync::MAX_BATCH`).
pub const BATCH: usize = 20;
pub const BATCH_URL: &str = "/api/responses/batch";
pub const SESSIONS_URL: &str = "/api/sessions/batch";

/// A kind of record as the collector takes it: its outbox, where to post a batch, and the name
/// of the request's list (`{"responses": [...]}`, `{"sessions": [...]}`).
#[derive(Clone, Copy)]
pub struct Kind {
    pub outbox: Outbox,
    url: &'static str,
    list: &'static str,
}

pub const RESPONSES: Kind = Kind {
    outbox: storage::RESPONSES,
    url: BATCH_URL,
    list: "responses",
};
pub const SESSIONS: Kind = Kind {
    outbox: storage::SESSIONS,
    url: SESSIONS_URL,
    list: "sessions",
};

impl Kind {
    /// The request's body, from each record's canonical JSON: the very text serde would write
    /// for the request (`voci_core::sync::BatchRequest` for responses).
    pub fn body(self, batch: &[Entry]) -> String {
        let mut body = format!("{{\"{}\":[", self.list);
        for (i, e) in batch.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(&e.json);
        }
        body.push_str("]}");
        body
    }
}

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
    /// The collector wants an enrolled device: a response to a survey that takes responses only
    /// from enrolled devices, or the device's token was revoked (401). Not retried on a timer.
    Enrol,
    /// The collector asked to wait this many seconds (429).
    Busy(u32),
}

impl SyncFailure {
    /// A short code for the [`journal`] (`offline`, `server-503`, `bad-reply`, `storage`).
    pub fn code(self) -> String {
        match self {
            Self::Offline => "offline".to_owned(),
            Self::Server(status) => format!("server-{status}"),
            Self::BadReply => "bad-reply".to_owned(),
            Self::Storage => "storage".to_owned(),
            Self::Enrol => "enrol".to_owned(),
            Self::Busy(secs) => format!("busy-{secs}"),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "offline" => Some(Self::Offline),
            "bad-reply" => Some(Self::BadReply),
            "storage" => Some(Self::Storage),
            "enrol" => Some(Self::Enrol),
            other => match other.strip_prefix("busy-") {
                Some(secs) => secs.parse().ok().map(Self::Busy),
                None => other
                    .strip_prefix("server-")?
                    .parse()
                    .ok()
                    .map(Self::Server),
            },
        }
    }
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
    /// The reply without the items refused for want of an enrolled device (code
    /// [`NOT_ENROLLED`]): those stay queued.
    Unenrolled(BatchReply),
    Failed(SyncFailure),
}

/// A batch reply as the app reads it: each item's id, status and message. The per-question
/// `errors` stay unread (the attention list keeps the collector's message), so the app carries
/// no parser for them.
#[derive(Deserialize)]
struct Reply {
    results: Vec<ReplyItem>,
}

#[derive(Deserialize)]
struct ReplyItem {
    id: Option<String>,
    status: ItemStatus,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    code: Option<String>,
}

impl From<Reply> for BatchReply {
    fn from(reply: Reply) -> Self {
        let results = reply.results.into_iter().map(|r| ItemResult {
            id: r.id,
            status: r.status,
            error: r.error,
            errors: Vec::new(),
        });
        BatchReply {
            results: results.collect(),
        }
    }
}

/// Reads the collector's HTTP answer to a batch.
pub fn interpret(status: u16, body: &str) -> Sent {
    match status {
        200..=299 => match serde_json::from_str::<Reply>(body) {
            Ok(mut r) => {
                let before = r.results.len();
                r.results
                    .retain(|i| i.code.as_deref() != Some(NOT_ENROLLED));
                if r.results.len() < before {
                    Sent::Unenrolled(r.into())
                } else {
                    Sent::Reply(r.into())
                }
            }
            Err(_) => Sent::Failed(SyncFailure::BadReply),
        },
        401 => Sent::Failed(SyncFailure::Enrol),
        400 | 413 | 422 => Sent::Rejected(error_message(status, body)),
        _ => Sent::Failed(SyncFailure::Server(status)),
    }
}

/// The collector's own words for an error (`{"error": "..."}`), else the start of the body.
pub(crate) fn error_message(status: u16, body: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Said {
        error: Option<String>,
        message: Option<String>,
    }
    let from_json = serde_json::from_str::<Said>(body)
        .ok()
        .and_then(|s| s.error.or(s.message));
    let text = from_json.unwrap_or_else(|| body.trim().chars().take(300).collect());
    if text.is_empty() {
        format!("HTTP {status}")
    } else {
        text
    }
}

/// How a pass went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Stored or already there: gone from the outbox.
    pub acknowledged: usize,
    /// Moved to attention.
    pub refused: usize,
    /// Acknowledged records per survey (or guide) id.
    pub sent: PerSurvey,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.acknowledged += other.acknowledged;
        self.refused += other.refused;
        for (of, n) in other.sent.iter() {
            self.sent.add(of, n);
        }
    }
}

/// Applies the collector's answer for a batch; ids it did not mention stay queued.
pub fn apply_reply(
    store: &impl Store,
    outbox: Outbox,
    batch: &[Entry],
    reply: &BatchReply,
    tally: &mut Tally,
) -> Result<(), SyncFailure> {
    let sent: Vec<String> = batch.iter().map(|r| r.id.to_string()).collect();
    for (outcome, record) in settle(&sent, reply).into_iter().zip(batch) {
        match outcome {
            Settle::Remove(_) => {
                storage::acknowledge(store, outbox, &record.id);
                tally.acknowledged += 1;
                tally.sent.add(&record.of, 1);
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
                    storage::move_to_attention(store, outbox, &id, status, &reason)
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
    outbox: Outbox,
    id: &ResponseId,
    reason: &str,
    tally: &mut Tally,
) -> Result<(), SyncFailure> {
    storage::move_to_attention(store, outbox, id, "rejected", reason)
        .map_err(|_| SyncFailure::Storage)?;
    tally.refused += 1;
    Ok(())
}

/// Sends every record of one kind queued when the pass starts, in batches of [`BATCH`], oldest
/// first, and adds what each batch got across to the `today` count of the [`journal`].
///
/// Stops at the first failure (the rest stays queued). A batch refused as a whole is resent one
/// record at a time, so one bad record cannot hold back the others.
pub async fn pass(
    store: &impl Store,
    today: &str,
    outbox: Outbox,
    mut send: impl AsyncFnMut(&[Entry]) -> Sent,
) -> (Tally, Option<SyncFailure>) {
    let mut tally = Tally::default();
    // Some records wait for this device to be enrolled: the others still go.
    let mut unenrolled = None;
    let mut readable = Vec::new();
    for (id, parsed) in storage::queued(store, outbox) {
        match parsed {
            Ok(r) => readable.push(r),
            Err(e) => {
                let reason = format!("the stored copy cannot be read: {e}");
                if let Err(f) = refuse(store, outbox, &id, &reason, &mut tally) {
                    return (tally, Some(f));
                }
            }
        }
    }
    for chunk in readable.chunks(BATCH) {
        let before = tally.sent.clone();
        let outcome = match send(chunk).await {
            Sent::Reply(reply) => apply_reply(store, outbox, chunk, &reply, &mut tally),
            Sent::Unenrolled(reply) => {
                unenrolled = Some(SyncFailure::Enrol);
                apply_reply(store, outbox, chunk, &reply, &mut tally)
            }
            Sent::Failed(f) => Err(f),
            Sent::Rejected(reason) if chunk.len() == 1 => {
                refuse(store, outbox, &chunk[0].id, &reason, &mut tally)
            }
            Sent::Rejected(_) => {
                let mut one_by_one = Ok(());
                for r in chunk {
                    let one = std::slice::from_ref(r);
                    one_by_one = match send(one).await {
                        Sent::Reply(reply) => apply_reply(store, outbox, one, &reply, &mut tally),
                        Sent::Unenrolled(reply) => {
                            unenrolled = Some(SyncFailure::Enrol);
                            apply_reply(store, outbox, one, &reply, &mut tally)
                        }
                        Sent::Rejected(reason) => refuse(store, outbox, &r.id, &reason, &mut tally),
                        Sent::Failed(f) => Err(f),
                    };
                    if one_by_one.is_err() {
                        break;
                    }
                }
                one_by_one
            }
        };
        for (survey, n) in tally.sent.iter() {
            let new = n - before.get(survey);
            if new > 0 {
                // Only counts for the status screen: a full storage must not stop the sending.
                let _ = journal::add_sent(store, today, survey, new);
            }
        }
        if let Err(f) = outcome {
            return (tally, Some(f));
        }
    }
    (tally, unenrolled)
}

/// The outbox as the interface sees it, and the one sender (part of the app state).
#[derive(Debug, Clone, Copy)]
pub struct OutboxSync {
    pub state: RwSignal<SyncState>,
    /// Records queued (responses and sessions): counted from the localStorage keys at start and
    /// after each sync, kept in step by [`Self::queued_one`] in between (a submit does not
    /// reread the whole queue).
    pub outbox: RwSignal<usize>,
    /// The bytes the queued records take in storage.
    pub bytes: RwSignal<u64>,
    /// Responses the collector refused.
    pub attention: RwSignal<usize>,
    /// Answers sent per day, the last success and the last failure.
    pub log: RwSignal<SyncLog>,
    /// The sender's own bookkeeping.
    sender: StoredValue<Sender>,
}

/// What the sender keeps for itself, which nothing on screen reads: one stored value rather
/// than one per field (each type of stored value is code of its own in the download).
#[derive(Debug, Default)]
struct Sender {
    /// A trigger arrived while sending: go again once done.
    again: bool,
    backoff: Backoff,
    /// The retry timer.
    timer: Option<TimeoutHandle>,
    /// A recount asked for by another tab's writes, not done yet.
    recount: Option<TimeoutHandle>,
    /// Run after a sync that took responses off this device (space was freed).
    freed: Option<Callback<()>>,
}

impl OutboxSync {
    pub fn new() -> Self {
        let this = Self {
            state: RwSignal::new(SyncState::Idle),
            outbox: RwSignal::new(0),
            bytes: RwSignal::new(0),
            attention: RwSignal::new(0),
            log: RwSignal::new(SyncLog::default()),
            sender: StoredValue::new(Sender::default()),
        };
        this.refresh();
        this
    }

    /// Rereads the counts from localStorage (the whole queue: at start and after a sync).
    pub fn refresh(self) {
        self.outbox.set(storage::outbox_count(&LocalStore));
        self.bytes.set(storage::outbox_bytes(&LocalStore));
        self.attention.set(storage::attention_count(&LocalStore));
        self.log.set(journal::load(&LocalStore, &browser::today()));
    }

    /// One response was just queued, taking `bytes`.
    pub fn queued_one(self, bytes: u64) {
        self.outbox.update(|n| *n += 1);
        self.bytes.update(|b| *b += bytes);
    }

    /// What to do once a sync has freed space (retry a response storage refused).
    pub fn on_freed(self, f: Callback<()>) {
        self.sender.update_value(|s| s.freed = Some(f));
    }

    /// Sends now on `online` and on `focus`, and follows other tabs' writes (for the life of
    /// the app).
    pub fn listen(self) {
        // The handles only remove the listeners when called; these stay for the app's life.
        let _ = window_event_listener(leptos::ev::online, move |_| self.trigger());
        let _ = window_event_listener(leptos::ev::focus, move |_| self.trigger());
        let _ = window_event_listener(leptos::ev::storage, move |ev| {
            let ours = ev.key().is_none_or(|k| {
                storage::is_outbox_key(&k)
                    || k.starts_with(storage::ATTENTION_PREFIX)
                    || k.starts_with(journal::PREFIX)
            });
            // Another tab's sync removes keys one by one: count once they settle.
            if ours && self.sender.with_value(|s| s.recount.is_none()) {
                let later = move || {
                    self.sender.update_value(|s| s.recount = None);
                    self.refresh();
                };
                let handle = set_timeout_with_handle(later, Duration::from_millis(300)).ok();
                self.sender.update_value(|s| s.recount = handle);
            }
        });
    }

    /// Starts a pass unless one is running (then one more follows it).
    pub fn trigger(self) {
        if self.state.get_untracked() == SyncState::Sending {
            self.sender.update_value(|s| s.again = true);
            return;
        }
        if let Some(Some(handle)) = self.sender.try_update_value(|s| s.timer.take()) {
            handle.clear();
        }
        if browser::known_offline() {
            // No timer: the `online` event starts the next attempt.
            self.finished(Some(SyncFailure::Offline));
            return;
        }
        self.state.set(SyncState::Sending);
        leptos::task::spawn_local(async move {
            let (tally, failure) = lock::exclusive(async || {
                browser::mark("voci-sync-start");
                let today = browser::today();
                let (mut tally, mut failure) = (Tally::default(), None);
                // Responses, then sessions, through one loop: one copy of the pass's code.
                for kind in [RESPONSES, SESSIONS] {
                    // Sessions need no enrolment: they go even when responses wait for one.
                    if !matches!(failure, None | Some(SyncFailure::Enrol)) {
                        break;
                    }
                    let send = async |batch: &[Entry]| send_batch(kind, batch).await;
                    let (sent, f) = pass(&LocalStore, &today, kind.outbox, send).await;
                    tally.add(sent);
                    failure = f.or(failure);
                }
                browser::measure("voci-sync-pass", "voci-sync-start");
                (tally, failure)
            })
            .await;
            self.refresh();
            self.finished(failure);
            if tally.acknowledged > 0
                && let Some(f) = self.sender.with_value(|s| s.freed)
            {
                f.run(());
            }
            let again = self
                .sender
                .try_update_value(|s| std::mem::take(&mut s.again));
            if again == Some(true) {
                self.trigger();
            }
        });
    }

    fn finished(self, failure: Option<SyncFailure>) {
        let now = browser::now_rfc3339();
        if journal::record(&LocalStore, &now, failure).is_ok() {
            self.log.update(|log| match failure {
                Some(f) => log.last_error = Some((now, f)),
                None => log.last_ok = Some(now),
            });
        }
        match failure {
            Some(f) => {
                self.state.set(SyncState::Failed(f));
                // Waiting for an enrolment: the youth worker's enrolling sends again.
                let timed = (f != SyncFailure::Offline || !browser::known_offline())
                    && f != SyncFailure::Enrol;
                if timed && self.outbox.get_untracked() > 0 && !self.sender.with_value(|s| s.again)
                {
                    self.schedule_retry();
                }
            }
            None => {
                self.sender.update_value(|s| s.backoff.succeeded());
                self.state.set(SyncState::Done);
            }
        }
    }

    fn schedule_retry(self) {
        let mut ms = 0;
        self.sender
            .update_value(|s| ms = s.backoff.failed(js_sys::Math::random()));
        if let SyncState::Failed(SyncFailure::Busy(secs)) = self.state.get_untracked() {
            ms = ms.max(u64::from(secs) * 1000);
        }
        let handle =
            set_timeout_with_handle(move || self.trigger(), Duration::from_millis(ms)).ok();
        self.sender.update_value(|s| s.timer = handle);
    }
}

/// Posts one batch to the collector, with the device's token once enrolled.
async fn send_batch(kind: Kind, batch: &[Entry]) -> Sent {
    let token = enrol::bearer(&LocalStore);
    match net::post_json_as(kind.url, &kind.body(batch), token.as_deref()).await {
        Ok(reply) => {
            if reply.status == 401 {
                // Revoked: stop sending the token; open surveys still go, the rest waits.
                enrol::mark_revoked(&LocalStore);
            }
            match interpret(reply.status, &reply.body) {
                Sent::Failed(SyncFailure::Server(429)) => {
                    Sent::Failed(SyncFailure::Busy(reply.retry_after.unwrap_or(60)))
                }
                sent => sent,
            }
        }
        Err(net::Offline) => Sent::Failed(SyncFailure::Offline),
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use super::*;
    use crate::storage::tests::{response, session};
    use crate::storage::{MemoryStore, attention, enqueue, outbox_count};
    use voci_core::Response;

    const DAY: &str = "2025-03-01";

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

    fn item(r: &Entry, status: ItemStatus) -> ItemResult {
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
        let (tally, failure) = block_on(pass(
            &store,
            DAY,
            storage::RESPONSES,
            async |batch: &[Entry]| {
                sizes.borrow_mut().push(batch.len());
                // The collector forgets to mention the last response of every batch.
                let results = batch[..batch.len() - 1]
                    .iter()
                    .map(|r| item(r, ItemStatus::Stored))
                    .collect();
                Sent::Reply(BatchReply { results })
            },
        ));
        assert_eq!(*sizes.borrow(), vec![20, 20, 5]);
        assert_eq!(failure, None);
        assert_eq!(tally.acknowledged, 42);
        assert_eq!(outbox_count(&store), 3);
        assert_eq!(
            journal::load(&store, DAY).sent_today("s"),
            42,
            "what got across counts as sent today"
        );
    }

    #[test]
    fn conflicts_and_invalid_go_to_attention_with_the_reason() {
        let store = filled(4);
        let (tally, _) = block_on(pass(
            &store,
            DAY,
            storage::RESPONSES,
            async |batch: &[Entry]| {
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
            },
        ));
        assert_eq!((tally.acknowledged, tally.refused), (1, 2));
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
        let (tally, failure) = block_on(pass(
            &store,
            DAY,
            storage::RESPONSES,
            async |_: &[Entry]| {
                *calls.borrow_mut() += 1;
                Sent::Failed(SyncFailure::Offline)
            },
        ));
        assert_eq!(*calls.borrow(), 1);
        assert_eq!(failure, Some(SyncFailure::Offline));
        assert_eq!(tally, Tally::default());
        assert_eq!(outbox_count(&store), 30);
    }

    #[test]
    fn a_batch_refused_as_a_whole_is_resent_one_by_one() {
        let store = filled(3);
        let bad = response(1, "").id;
        let (tally, failure) = block_on(pass(
            &store,
            DAY,
            storage::RESPONSES,
            async |batch: &[Entry]| {
                if batch.iter().any(|r| r.id == bad) {
                    interpret(422, r#"{"error":"unknown survey version"}"#)
                } else {
                    Sent::Reply(BatchReply {
                        results: batch.iter().map(|r| item(r, ItemStatus::Stored)).collect(),
                    })
                }
            },
        ));
        assert_eq!(failure, None);
        assert_eq!((tally.acknowledged, tally.refused), (2, 1));
        let refused = attention(&store);
        assert_eq!(refused[0].0, bad);
        assert_eq!(refused[0].1.reason, "unknown survey version");
    }

    #[test]
    fn a_full_storage_does_not_stop_the_sending() {
        // Not a byte to spare: the answers still leave the device.
        let probe = filled(5);
        let store = MemoryStore::with_quota(probe.used());
        for json in storage::exported(&probe, storage::RESPONSES) {
            let r: Response = serde_json::from_str(&json).unwrap();
            enqueue(&store, &r).unwrap_or_else(|_| panic!("{} fits", r.id));
        }
        let (tally, failure) = block_on(pass(
            &store,
            DAY,
            storage::RESPONSES,
            async |batch: &[Entry]| {
                Sent::Reply(BatchReply {
                    results: batch.iter().map(|r| item(r, ItemStatus::Stored)).collect(),
                })
            },
        ));
        assert_eq!((tally.acknowledged, failure), (5, None));
        assert_eq!(outbox_count(&store), 0);
    }

    #[test]
    fn the_body_is_what_serde_writes_for_the_request() {
        let batch = [response(1, "2025-03-01T10:00:00Z"), response(2, "")];
        let entries: Vec<Entry> = batch.iter().map(Entry::new).collect();
        let request = voci_core::sync::BatchRequest {
            responses: batch.to_vec(),
        };
        assert_eq!(
            RESPONSES.body(&entries),
            serde_json::to_string(&request).unwrap()
        );
        let s = [session(1), session(2)];
        let entries: Vec<Entry> = s.iter().map(Entry::new).collect();
        assert_eq!(
            SESSIONS.body(&entries),
            format!(r#"{{"sessions":{}}}"#, serde_json::to_string(&s).unwrap())
        );
        assert_eq!(SESSIONS.body(&[]), r#"{"sessions":[]}"#);
    }

    #[test]
    fn sessions_take_the_same_path_to_their_own_url() {
        let store = filled(1);
        let s = session(9);
        enqueue(&store, &s).unwrap();
        let body: serde_json::Value =
            serde_json::from_str(&SESSIONS.body(&[Entry::new(&s)])).unwrap();
        assert_eq!(body["sessions"][0]["id"], s.id.to_string());
        // Sent again after a lost reply: the collector says it has it, and it leaves the outbox.
        let (tally, failure) = block_on(pass(
            &store,
            DAY,
            storage::SESSIONS,
            async |batch: &[Entry]| {
                Sent::Reply(BatchReply {
                    results: batch
                        .iter()
                        .map(|r| item(r, ItemStatus::Duplicate))
                        .collect(),
                })
            },
        ));
        assert_eq!((tally.acknowledged, failure), (1, None));
        assert_eq!(tally.sent.get("g"), 1, "counted under its guide");
        assert_eq!(
            outbox_count(&store),
            1,
            "the response waits for its own pass"
        );
        assert!(storage::queued(&store, storage::SESSIONS).is_empty());
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
        // The per-question errors are not needed: the collector's message is what is kept.
        let invalid = interpret(
            200,
            r#"{"results":[{"id":"x","status":"invalid","error":"q: needs an answer",
                "errors":[{"question":"q","problem":"required"}]}]}"#,
        );
        assert!(matches!(invalid, Sent::Reply(r)
            if r.results[0].error.as_deref() == Some("q: needs an answer")));
    }
}
