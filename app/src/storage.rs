//! What the app keeps in localStorage, and under which keys.
//!
//! The outbox is one key per record, never one big array: survey responses under
//! `voci.outbox.<uuid>`, focus-group sessions under `voci.session.<uuid>` (a [`Record`] says
//! which). Writing one record cannot corrupt the others, and the count survives a reload because
//! it is read from the keys. Records the collector refused move to `voci.attention.<uuid>` with
//! the reason. Everything goes through [`Store`], so the bookkeeping is tested on the host with
//! [`MemoryStore`] (which can also play a full device, with a quota).

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use voci_core::guide::Session;
use voci_core::{Response, ResponseId};

use crate::catalog::Catalog;
use crate::focus::FocusDraft;
use crate::runner::Draft;

pub const OUTBOX_PREFIX: &str = "voci.outbox.";
/// Queued focus-group sessions: an outbox of their own, so that a tab still running an older
/// version of the app never reads one as a broken response.
pub const SESSION_PREFIX: &str = "voci.session.";
pub const ATTENTION_PREFIX: &str = "voci.attention.";
pub const DRAFT_KEY: &str = "voci.draft";
/// The focus-group session in progress.
pub const FOCUS_DRAFT_KEY: &str = "voci.focus.draft";
pub const CATALOG_KEY: &str = "voci.catalog";
pub const SITE_KEY: &str = "voci.site";
pub const LANG_KEY: &str = "voci.lang";
/// Every key of the app starts with this.
pub const APP_PREFIX: &str = "voci.";

/// What the outbox queues: survey responses and focus-group sessions. Both have an id made on
/// the device and sync by the same protocol; each kind has its own key prefix.
pub trait Record: Serialize + DeserializeOwned + Clone {
    /// The prefix of this kind's outbox keys.
    const PREFIX: &'static str;
    fn id(&self) -> &ResponseId;
    /// What is stored and sent (the collector compares resent records by it).
    fn canonical_json(&self) -> String;
    /// The survey or guide the record belongs to.
    fn of(&self) -> &str;
    /// Sorts records oldest first.
    fn when(&self) -> &str;
}

impl Record for Response {
    const PREFIX: &'static str = OUTBOX_PREFIX;
    fn id(&self) -> &ResponseId {
        &self.id
    }
    fn canonical_json(&self) -> String {
        Response::canonical_json(self)
    }
    fn of(&self) -> &str {
        self.survey.as_str()
    }
    fn when(&self) -> &str {
        &self.submitted_at
    }
}

impl Record for Session {
    const PREFIX: &'static str = SESSION_PREFIX;
    fn id(&self) -> &ResponseId {
        &self.id
    }
    fn canonical_json(&self) -> String {
        Session::canonical_json(self)
    }
    fn of(&self) -> &str {
        self.guide.as_str()
    }
    fn when(&self) -> &str {
        &self.date
    }
}

/// A write the browser refused (usually: storage full).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteFailed;

/// A key-value store of strings: localStorage in the browser, a map in tests.
pub trait Store {
    fn get(&self, key: &str) -> Option<String>;
    fn set(&self, key: &str, value: &str) -> Result<(), WriteFailed>;
    fn remove(&self, key: &str);
    fn keys(&self) -> Vec<String>;
}

/// The browser's localStorage.
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalStore;

impl Store for LocalStore {
    fn get(&self, key: &str) -> Option<String> {
        use gloo_storage::Storage as _;
        gloo_storage::LocalStorage::raw()
            .get_item(key)
            .ok()
            .flatten()
    }

    fn set(&self, key: &str, value: &str) -> Result<(), WriteFailed> {
        use gloo_storage::Storage as _;
        gloo_storage::LocalStorage::raw()
            .set_item(key, value)
            .map_err(|_| WriteFailed)
    }

    fn remove(&self, key: &str) {
        use gloo_storage::Storage as _;
        gloo_storage::LocalStorage::delete(key);
    }

    fn keys(&self) -> Vec<String> {
        use gloo_storage::Storage as _;
        let raw = gloo_storage::LocalStorage::raw();
        let n = raw.length().unwrap_or(0);
        (0..n).filter_map(|i| raw.key(i).ok().flatten()).collect()
    }
}

/// An in-memory store for tests; with a quota it refuses writes as a full localStorage does.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct MemoryStore {
    map: std::cell::RefCell<std::collections::BTreeMap<String, String>>,
    quota: Option<u64>,
}

#[cfg(test)]
impl MemoryStore {
    /// A store that holds at most `bytes`, counted as [`entry_bytes`] counts them.
    pub fn with_quota(bytes: u64) -> Self {
        Self {
            quota: Some(bytes),
            ..Self::default()
        }
    }

    pub fn used(&self) -> u64 {
        self.map
            .borrow()
            .iter()
            .map(|(k, v)| entry_bytes(k, v))
            .sum()
    }
}

#[cfg(test)]
impl Store for MemoryStore {
    fn get(&self, key: &str) -> Option<String> {
        self.map.borrow().get(key).cloned()
    }
    fn set(&self, key: &str, value: &str) -> Result<(), WriteFailed> {
        if let Some(quota) = self.quota {
            let old = self.get(key).map_or(0, |v| entry_bytes(key, &v));
            if self.used() - old + entry_bytes(key, value) > quota {
                return Err(WriteFailed);
            }
        }
        self.map
            .borrow_mut()
            .insert(key.to_owned(), value.to_owned());
        Ok(())
    }
    fn remove(&self, key: &str) {
        self.map.borrow_mut().remove(key);
    }
    fn keys(&self) -> Vec<String> {
        self.map.borrow().keys().cloned().collect()
    }
}

/// What one entry takes in localStorage: browsers keep keys and values as UTF-16.
pub fn entry_bytes(key: &str, value: &str) -> u64 {
    2 * (key.encode_utf16().count() + value.encode_utf16().count()) as u64
}

fn outbox_key<T: Record>(id: &ResponseId) -> String {
    format!("{}{id}", T::PREFIX)
}

fn attention_key(id: &ResponseId) -> String {
    format!("{ATTENTION_PREFIX}{id}")
}

/// The ids under keys starting with `prefix` (keys whose tail is not a UUID are not ours).
fn ids_under(store: &impl Store, prefix: &str) -> Vec<ResponseId> {
    store
        .keys()
        .iter()
        .filter_map(|k| k.strip_prefix(prefix))
        .filter_map(|tail| ResponseId::parse(tail).ok())
        .collect()
}

/// Queues a finished record for sending; returns the bytes it takes. One write of one key,
/// whatever the size of the queue. When storage is full nothing else is touched.
pub fn enqueue<T: Record>(store: &impl Store, record: &T) -> Result<u64, WriteFailed> {
    let (key, json) = (outbox_key::<T>(record.id()), record.canonical_json());
    store.set(&key, &json)?;
    Ok(entry_bytes(&key, &json))
}

/// The outbox prefixes, one per kind of record.
const OUTBOXES: [&str; 2] = [OUTBOX_PREFIX, SESSION_PREFIX];

/// The bytes the queued records (responses and sessions) take in storage.
pub fn outbox_bytes(store: &impl Store) -> u64 {
    OUTBOXES
        .iter()
        .flat_map(|prefix| {
            ids_under(store, prefix)
                .into_iter()
                .map(move |id| (prefix, id))
        })
        .map(|(prefix, id)| {
            let key = format!("{prefix}{id}");
            store.get(&key).map_or(0, |v| entry_bytes(&key, &v))
        })
        .sum()
}

/// How many queued records each survey or guide has (by id; unreadable ones under "").
pub fn waiting_by_survey(store: &impl Store) -> BTreeMap<String, u32> {
    fn count<T: Record>(store: &impl Store, out: &mut BTreeMap<String, u32>) {
        for (_, parsed) in queued::<T>(store) {
            let of = parsed.map_or_else(|_| String::new(), |r| r.of().to_owned());
            *out.entry(of).or_default() += 1;
        }
    }
    let mut out = BTreeMap::new();
    count::<Response>(store, &mut out);
    count::<Session>(store, &mut out);
    out
}

/// How many records (responses and sessions) wait to be sent, counted from the keys.
pub fn outbox_count(store: &impl Store) -> usize {
    OUTBOXES.iter().map(|p| ids_under(store, p).len()).sum()
}

/// Whether `key` is one of the outbox's keys (for following other tabs' writes).
pub fn is_outbox_key(key: &str) -> bool {
    OUTBOXES.iter().any(|p| key.starts_with(p))
}

/// One queued entry: the record, or why its stored copy cannot be read.
pub type Queued<T> = (ResponseId, Result<T, String>);

/// Every queued record of one kind, oldest first (by submission time or date, then id).
pub fn queued<T: Record>(store: &impl Store) -> Vec<Queued<T>> {
    let out: Vec<Queued<T>> = ids_under(store, T::PREFIX)
        .into_iter()
        .filter_map(|id| {
            let raw = store.get(&outbox_key::<T>(&id))?;
            let parsed = serde_json::from_str::<T>(&raw).map_err(|e| e.to_string());
            Some((id, parsed))
        })
        .collect();
    let keys: Vec<(String, ResponseId)> = out
        .iter()
        .map(|(id, r)| {
            let when = r.as_ref().map(|r| r.when().to_owned());
            (when.unwrap_or_default(), id.clone())
        })
        .collect();
    in_order(out, &keys)
}

/// `items` sorted by their `keys` (stably). One sort serves every kind of record: each sort of
/// a type of its own would add its own copy of the sorting code to the download.
fn in_order<T>(items: Vec<T>, keys: &[(String, ResponseId)]) -> Vec<T> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Removes a record from the outbox: only after the collector acknowledged it.
pub fn acknowledge<T: Record>(store: &impl Store, id: &ResponseId) {
    store.remove(&outbox_key::<T>(id));
}

/// A record the collector refused, kept with the reason so nobody loses it silently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refused {
    /// What the collector said: `conflict`, `invalid`, or a rejected request.
    pub status: String,
    pub reason: String,
    /// The stored copy as it was in the outbox (a response or a session).
    pub response: serde_json::Value,
}

impl Refused {
    /// The refused response, if its stored copy is one.
    pub fn parsed(&self) -> Option<Response> {
        self.record()
    }

    /// The refused record, if its stored copy is a `T` (a response or a session: each refuses
    /// the other's fields).
    pub fn record<T: DeserializeOwned>(&self) -> Option<T> {
        // Through the text, not `from_value`: the app already carries that parser.
        serde_json::from_str(&serde_json::to_string(&self.response).ok()?).ok()
    }
}

/// Moves an outbox entry to `voci.attention.<uuid>`; the outbox key goes only once that is written.
pub fn move_to_attention<T: Record>(
    store: &impl Store,
    id: &ResponseId,
    status: &str,
    reason: &str,
) -> Result<(), WriteFailed> {
    let raw = store.get(&outbox_key::<T>(id)).unwrap_or_default();
    let response = serde_json::from_str(&raw).unwrap_or(serde_json::Value::String(raw));
    let refused = Refused {
        status: status.to_owned(),
        reason: reason.to_owned(),
        response,
    };
    let json = serde_json::to_string(&refused).map_err(|_| WriteFailed)?;
    store.set(&attention_key(id), &json)?;
    store.remove(&outbox_key::<T>(id));
    Ok(())
}

/// The refused responses, for the status screen.
pub fn attention(store: &impl Store) -> Vec<(ResponseId, Refused)> {
    let out: Vec<_> = ids_under(store, ATTENTION_PREFIX)
        .into_iter()
        .filter_map(|id| {
            let raw = store.get(&attention_key(&id))?;
            let refused = serde_json::from_str(&raw).unwrap_or_else(|_| Refused {
                status: "unreadable".to_owned(),
                reason: raw,
                response: serde_json::Value::Null,
            });
            Some((id, refused))
        })
        .collect();
    let keys: Vec<_> = out
        .iter()
        .map(|(id, _)| (String::new(), id.clone()))
        .collect();
    in_order(out, &keys)
}

/// Everything an export file carries of one kind (responses or sessions): the readable queued
/// records, then the readable refused ones, each id once.
pub fn exported<T: Record>(store: &impl Store) -> Vec<T> {
    let mut out: Vec<T> = queued::<T>(store)
        .into_iter()
        .filter_map(|(_, r)| r.ok())
        .collect();
    for (id, refused) in attention(store) {
        if out.iter().any(|r| *r.id() == id) {
            continue;
        }
        if let Some(r) = refused.record::<T>() {
            out.push(r);
        }
    }
    out
}

/// Removes every key of the app: the outbox, refused responses, the draft, the catalog, the
/// settings. Only after the youth worker confirmed it, having been told what is unsent.
pub fn clear_app_data(store: &impl Store) -> usize {
    let keys: Vec<String> = store
        .keys()
        .into_iter()
        .filter(|k| k.starts_with(APP_PREFIX))
        .collect();
    for k in &keys {
        store.remove(k);
    }
    keys.len()
}

/// How many things are being filled in right now (a respondent's questionnaire, a focus-group
/// session not yet ended): clearing the device would lose them too.
pub fn open_drafts(store: &impl Store) -> usize {
    [DRAFT_KEY, FOCUS_DRAFT_KEY]
        .into_iter()
        .filter(|k| store.get(k).is_some())
        .count()
}

pub fn load_draft(store: &impl Store) -> Option<Draft> {
    serde_json::from_str(&store.get(DRAFT_KEY)?).ok()
}

pub fn save_draft(store: &impl Store, draft: &Draft) -> Result<(), WriteFailed> {
    let json = serde_json::to_string(draft).map_err(|_| WriteFailed)?;
    store.set(DRAFT_KEY, &json)
}

pub fn delete_draft(store: &impl Store) {
    store.remove(DRAFT_KEY);
}

pub fn load_focus_draft(store: &impl Store) -> Option<FocusDraft> {
    serde_json::from_str(&store.get(FOCUS_DRAFT_KEY)?).ok()
}

pub fn save_focus_draft(store: &impl Store, draft: &FocusDraft) -> Result<(), WriteFailed> {
    let json = serde_json::to_string(draft).map_err(|_| WriteFailed)?;
    store.set(FOCUS_DRAFT_KEY, &json)
}

pub fn delete_focus_draft(store: &impl Store) {
    store.remove(FOCUS_DRAFT_KEY);
}

pub fn load_catalog(store: &impl Store) -> Option<Catalog> {
    Catalog::from_json(&store.get(CATALOG_KEY)?).ok()
}

pub fn save_catalog(store: &impl Store, catalog: &Catalog) -> Result<(), WriteFailed> {
    store.set(CATALOG_KEY, &catalog.to_json())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use voci_core::{SiteId, SurveyId};

    pub fn response(byte: u8, at: &str) -> Response {
        Response {
            id: ResponseId::from_random_bytes([byte; 16]),
            survey: SurveyId::parse("s").unwrap(),
            version: "1".into(),
            site: SiteId::parse("d/m/x").unwrap(),
            language: "it".into(),
            submitted_at: at.into(),
            started_at: None,
            group: None,
            answers: BTreeMap::new(),
        }
    }

    #[test]
    fn one_key_per_response_and_the_count_comes_from_the_keys() {
        let store = MemoryStore::default();
        store.set("voci.outbox.not-a-uuid", "x").unwrap();
        store.set("other", "x").unwrap();
        enqueue(&store, &response(1, "2025-03-01T10:00:00Z")).unwrap();
        enqueue(&store, &response(2, "2025-03-01T09:00:00Z")).unwrap();
        assert_eq!(outbox_count(&store), 2);
        assert!(
            store
                .get("voci.outbox.01010101-0101-4101-8101-010101010101")
                .is_some()
        );
        let q = queued::<Response>(&store);
        assert_eq!(q[0].0, response(2, "").id, "oldest first");
        assert_eq!(
            q[1].1.as_ref().unwrap(),
            &response(1, "2025-03-01T10:00:00Z")
        );
    }

    #[test]
    fn refused_responses_keep_their_copy_and_reason() {
        let store = MemoryStore::default();
        let r = response(3, "2025-03-01T10:00:00Z");
        enqueue(&store, &r).unwrap();
        move_to_attention::<Response>(
            &store,
            &r.id,
            "conflict",
            "different answers under the same id",
        )
        .unwrap();
        assert_eq!(outbox_count(&store), 0);
        let a = attention(&store);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].1.status, "conflict");
        let kept: Response = serde_json::from_value(a[0].1.response.clone()).unwrap();
        assert_eq!(kept, r);
    }

    #[test]
    fn a_corrupt_outbox_entry_is_reported_not_dropped() {
        let store = MemoryStore::default();
        let id = ResponseId::from_random_bytes([4; 16]);
        store
            .set(&format!("voci.outbox.{id}"), "{not json")
            .unwrap();
        let q = queued::<Response>(&store);
        assert_eq!(q.len(), 1);
        assert!(q[0].1.is_err());
    }

    #[test]
    fn a_full_store_refuses_the_new_response_and_keeps_the_queued_ones() {
        let probe = MemoryStore::default();
        let bytes = enqueue(&probe, &response(1, "2025-03-01T10:00:00Z")).unwrap();
        assert_eq!(probe.used(), bytes);
        // Room for two responses and a little more, not for three.
        let store = MemoryStore::with_quota(2 * bytes + bytes / 2);
        enqueue(&store, &response(1, "2025-03-01T10:00:00Z")).unwrap();
        enqueue(&store, &response(2, "2025-03-01T10:00:01Z")).unwrap();
        let before = queued::<Response>(&store);
        assert_eq!(
            enqueue(&store, &response(3, "2025-03-01T10:00:02Z")),
            Err(WriteFailed)
        );
        assert_eq!(
            queued::<Response>(&store),
            before,
            "nothing queued was touched"
        );
        assert_eq!(outbox_bytes(&store), 2 * bytes);
        // A sync that frees space lets the same response in.
        acknowledge::<Response>(&store, &response(1, "").id);
        enqueue(&store, &response(3, "2025-03-01T10:00:02Z")).unwrap();
        assert_eq!(outbox_count(&store), 2);
    }

    #[test]
    fn the_export_carries_queued_and_refused_responses_once() {
        let store = MemoryStore::default();
        for i in 1..=3 {
            enqueue(&store, &response(i, &format!("2025-03-01T10:00:0{i}Z"))).unwrap();
        }
        move_to_attention::<Response>(&store, &response(2, "").id, "conflict", "different")
            .unwrap();
        let refused_unreadable = ResponseId::from_random_bytes([9; 16]);
        store
            .set(&format!("{ATTENTION_PREFIX}{refused_unreadable}"), "{bad")
            .unwrap();
        assert_eq!(outbox_count(&store) + attention(&store).len(), 4);
        let ids: Vec<ResponseId> = exported::<Response>(&store)
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(
            ids,
            [response(1, "").id, response(3, "").id, response(2, "").id]
        );
    }

    #[test]
    fn waiting_answers_are_counted_per_survey_with_their_size() {
        let store = MemoryStore::default();
        let mut other = response(5, "2025-03-01T10:00:00Z");
        other.survey = SurveyId::parse("t").unwrap();
        enqueue(&store, &response(1, "2025-03-01T10:00:00Z")).unwrap();
        enqueue(&store, &response(2, "2025-03-01T10:00:00Z")).unwrap();
        enqueue(&store, &other).unwrap();
        store.set(DRAFT_KEY, "{}").unwrap();
        let w = waiting_by_survey(&store);
        assert_eq!((w["s"], w["t"]), (2, 1));
        assert_eq!(
            outbox_bytes(&store),
            store.used() - entry_bytes(DRAFT_KEY, "{}")
        );
    }

    pub fn session(byte: u8) -> Session {
        serde_json::from_value(serde_json::json!({
            "id": ResponseId::from_random_bytes([byte; 16]).to_string(),
            "guide": "g", "version": "1", "site": "d/m/x", "date": "2025-03-01",
            "group_type": "classe", "facilitator": "AB", "participants": []
        }))
        .unwrap()
    }

    #[test]
    fn sessions_wait_in_their_own_outbox_and_count_with_the_responses() {
        let store = MemoryStore::default();
        let r_bytes = enqueue(&store, &response(1, "2025-03-01T10:00:00Z")).unwrap();
        let s = session(2);
        enqueue(&store, &s).unwrap();
        assert!(store.get(&format!("voci.session.{}", s.id)).is_some());
        assert_eq!(outbox_count(&store), 2);
        assert_eq!(
            queued::<Response>(&store).len(),
            1,
            "a session is no response"
        );
        assert_eq!(queued::<Session>(&store)[0].1.as_ref().unwrap(), &s);
        assert_eq!(waiting_by_survey(&store)["g"], 1);
        assert!(is_outbox_key(&format!("voci.session.{}", s.id)));
        acknowledge::<Session>(&store, &s.id);
        assert_eq!((outbox_count(&store), outbox_bytes(&store)), (1, r_bytes));
    }

    #[test]
    fn the_export_carries_queued_and_refused_sessions_apart_from_the_responses() {
        let store = MemoryStore::default();
        for s in [session(1), session(2)] {
            enqueue(&store, &s).unwrap();
        }
        move_to_attention::<Session>(&store, &session(2).id, "invalid", "no consent").unwrap();
        enqueue(&store, &response(3, "2025-03-01T10:00:00Z")).unwrap();
        move_to_attention::<Response>(&store, &response(3, "").id, "conflict", "different")
            .unwrap();
        let sessions: Vec<Session> = exported(&store);
        assert_eq!(sessions, [session(1), session(2)]);
        let responses: Vec<Response> = exported(&store);
        assert_eq!(responses, [response(3, "2025-03-01T10:00:00Z")]);
    }

    #[test]
    fn clearing_removes_only_the_apps_keys() {
        let store = MemoryStore::default();
        enqueue(&store, &response(1, "2025-03-01T10:00:00Z")).unwrap();
        store.set(DRAFT_KEY, "{}").unwrap();
        store.set("someone-else", "x").unwrap();
        assert_eq!(clear_app_data(&store), 2);
        assert_eq!(store.keys(), ["someone-else"]);
    }

    #[test]
    fn open_drafts_count_a_questionnaire_and_a_focus_group_in_progress() {
        let store = MemoryStore::default();
        assert_eq!(open_drafts(&store), 0);
        store.set(DRAFT_KEY, "{}").unwrap();
        assert_eq!(open_drafts(&store), 1);
        store.set(FOCUS_DRAFT_KEY, "{}").unwrap();
        assert_eq!(open_drafts(&store), 2);
    }
}
