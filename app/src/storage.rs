//! What the app keeps in localStorage, and under which keys.
//!
//! The outbox is one key per record, never one big array: survey responses under
//! `voci.outbox.<uuid>`, focus-group sessions under `voci.session.<uuid>` (a [`Record`] says
//! which). Writing one record cannot corrupt the others, and the count survives a reload because
//! it is read from the keys. Records the collector refused move to `voci.attention.<uuid>` with
//! the reason. Everything goes through [`Store`], so the bookkeeping is tested on the host with
//! [`MemoryStore`] (which can also play a full device, with a quota).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use voci_core::guide::Session;
use voci_core::{Response, ResponseId};

use crate::catalog::Catalog;
use crate::focus::FocusDraft;
use crate::journal::PerSurvey;
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

/// A queued record as the sender needs it: the same type for responses and sessions, so that
/// the code that sorts, sends and settles the outbox is in the download once, not once per kind
/// of record (only reading a stored copy is per kind: see [`Outbox`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: ResponseId,
    /// The survey or guide it belongs to.
    pub of: String,
    /// What it sorts by (submission time or date).
    when: String,
    /// Its canonical JSON: what is sent.
    pub json: String,
}

impl Entry {
    pub fn new<T: Record>(record: &T) -> Self {
        Self {
            id: record.id().clone(),
            of: record.of().to_owned(),
            when: record.when().to_owned(),
            json: record.canonical_json(),
        }
    }
}

/// One kind of record in the outbox: its key prefix, and how to read a stored copy (a plain
/// function, so nothing else about the outbox is generic).
#[derive(Clone, Copy)]
pub struct Outbox {
    pub prefix: &'static str,
    read: fn(&str) -> Result<Entry, String>,
}

impl Outbox {
    fn key(self, id: &ResponseId) -> String {
        format!("{}{id}", self.prefix)
    }
}

/// A stored response read as an entry (it must read as a response: one that does not cannot
/// be sent).
fn read_response(raw: &str) -> Result<Entry, String> {
    let record = serde_json::from_str::<Response>(raw).map_err(|e| e.to_string())?;
    Ok(Entry::new(&record))
}

/// A stored session read as far as the outbox needs it (id, guide, date); its text, the
/// canonical JSON the focus-group screens stored, goes as it is. The collector checks the
/// rest, so the survey app, which only sends sessions, carries no reader or writer of them.
fn read_session(raw: &str) -> Result<Entry, String> {
    #[derive(Deserialize)]
    struct Head {
        id: ResponseId,
        guide: String,
        date: String,
    }
    let head = serde_json::from_str::<Head>(raw).map_err(|e| e.to_string())?;
    Ok(Entry {
        id: head.id,
        of: head.guide,
        when: head.date,
        json: raw.trim().to_owned(),
    })
}

/// Survey responses, under `voci.outbox.<uuid>`.
pub const RESPONSES: Outbox = Outbox {
    prefix: OUTBOX_PREFIX,
    read: read_response,
};
/// Focus-group sessions, under `voci.session.<uuid>`.
pub const SESSIONS: Outbox = Outbox {
    prefix: SESSION_PREFIX,
    read: read_session,
};

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
    let (key, json) = (
        format!("{}{}", T::PREFIX, record.id()),
        record.canonical_json(),
    );
    store.set(&key, &json)?;
    Ok(entry_bytes(&key, &json))
}

/// The outboxes, one per kind of record.
const OUTBOXES: [Outbox; 2] = [RESPONSES, SESSIONS];

/// The bytes the queued records (responses and sessions) take in storage.
pub fn outbox_bytes(store: &impl Store) -> u64 {
    OUTBOXES
        .iter()
        .flat_map(|outbox| {
            ids_under(store, outbox.prefix)
                .into_iter()
                .map(move |id| outbox.key(&id))
        })
        .map(|key| store.get(&key).map_or(0, |v| entry_bytes(&key, &v)))
        .sum()
}

/// How many queued records each survey or guide has (by id; unreadable ones under "").
pub fn waiting_by_survey(store: &impl Store) -> PerSurvey {
    let mut out = PerSurvey::default();
    for outbox in OUTBOXES {
        for (_, entry) in queued(store, outbox) {
            out.add(entry.as_ref().map_or("", |e| e.of.as_str()), 1);
        }
    }
    out
}

/// How many records (responses and sessions) wait to be sent, counted from the keys.
pub fn outbox_count(store: &impl Store) -> usize {
    OUTBOXES
        .iter()
        .map(|o| ids_under(store, o.prefix).len())
        .sum()
}

/// Whether `key` is one of the outbox's keys (for following other tabs' writes).
pub fn is_outbox_key(key: &str) -> bool {
    OUTBOXES.iter().any(|o| key.starts_with(o.prefix))
}

/// One queued record: its entry, or why its stored copy cannot be read.
pub type Queued = (ResponseId, Result<Entry, String>);

/// Every queued record of one kind, oldest first (by submission time or date, then id).
pub fn queued(store: &impl Store, outbox: Outbox) -> Vec<Queued> {
    let out: Vec<Queued> = ids_under(store, outbox.prefix)
        .into_iter()
        .filter_map(|id| {
            let raw = store.get(&outbox.key(&id))?;
            Some((id, (outbox.read)(&raw)))
        })
        .collect();
    let keys: Vec<(String, ResponseId)> = out
        .iter()
        .map(|(id, e)| {
            let when = e.as_ref().map(|e| e.when.clone());
            (when.unwrap_or_default(), id.clone())
        })
        .collect();
    in_order(out, &order(&keys))
}

/// The order that sorts `keys` (stably): each index inserted after the ones with a smaller or
/// equal key. A binary search and a `Vec::insert` rather than `sort_by`, which would add 3 KB
/// of sorting code to the download; the lists are what localStorage holds (a few thousand
/// records at most), where the moves of `insert` cost next to nothing.
fn order(keys: &[(String, ResponseId)]) -> Vec<usize> {
    let mut order: Vec<usize> = Vec::with_capacity(keys.len());
    for (i, key) in keys.iter().enumerate() {
        let at = order.partition_point(|&j| keys[j] <= *key);
        order.insert(at, i);
    }
    order
}

/// `items` in the given `order` of their indices.
fn in_order<T>(items: Vec<T>, order: &[usize]) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order.iter().filter_map(|&i| slots[i].take()).collect()
}

/// Removes a record from the outbox: only after the collector acknowledged it.
pub fn acknowledge(store: &impl Store, outbox: Outbox, id: &ResponseId) {
    store.remove(&outbox.key(id));
}

/// A record the collector refused, kept with the reason so nobody loses it silently.
#[derive(Debug, Serialize, Deserialize)]
pub struct Refused {
    /// What the collector said: `conflict`, `invalid`, or a rejected request.
    pub status: String,
    pub reason: String,
    /// The stored copy as it was in the outbox (a response or a session), as its JSON text:
    /// kept and written back untouched (and no `serde_json::Value` in the download).
    pub response: Box<RawValue>,
}

impl Refused {
    /// The refused response, if its stored copy is one.
    pub fn parsed(&self) -> Option<Response> {
        self.record()
    }

    /// The refused record, if its stored copy is a `T` (a response or a session: each refuses
    /// the other's fields).
    pub fn record<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(self.response.get()).ok()
    }
}

/// `text` as it is when it is JSON, else as a JSON string (a damaged entry is kept, too).
fn raw_json(text: String) -> Box<RawValue> {
    let json = match serde_json::from_str::<&RawValue>(&text) {
        Ok(_) => text,
        Err(_) => serde_json::to_string(&text).unwrap_or_default(),
    };
    RawValue::from_string(json).unwrap_or_else(|_| null())
}

fn null() -> Box<RawValue> {
    RawValue::from_string("null".to_owned()).expect("null is JSON")
}

/// Moves an outbox entry to `voci.attention.<uuid>`; the outbox key goes only once that is written.
pub fn move_to_attention(
    store: &impl Store,
    outbox: Outbox,
    id: &ResponseId,
    status: &str,
    reason: &str,
) -> Result<(), WriteFailed> {
    let raw = store.get(&outbox.key(id)).unwrap_or_default();
    let response = raw_json(raw);
    let refused = Refused {
        status: status.to_owned(),
        reason: reason.to_owned(),
        response,
    };
    let json = serde_json::to_string(&refused).map_err(|_| WriteFailed)?;
    store.set(&attention_key(id), &json)?;
    store.remove(&outbox.key(id));
    Ok(())
}

/// How many records the collector refused, counted from the keys.
pub fn attention_count(store: &impl Store) -> usize {
    ids_under(store, ATTENTION_PREFIX).len()
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
                response: null(),
            });
            Some((id, refused))
        })
        .collect();
    let keys: Vec<_> = out
        .iter()
        .map(|(id, _)| (String::new(), id.clone()))
        .collect();
    in_order(out, &order(&keys))
}

/// Everything an export file carries of one kind (responses or sessions), as canonical JSON:
/// the readable queued records, then the readable refused ones, each id once.
pub fn exported(store: &impl Store, outbox: Outbox) -> Vec<String> {
    let mut ids = Vec::new();
    let mut out = Vec::new();
    let refused = attention(store)
        .into_iter()
        .filter_map(|(_, r)| (outbox.read)(r.response.get()).ok());
    let queued = queued(store, outbox)
        .into_iter()
        .filter_map(|(_, e)| e.ok());
    for entry in queued.chain(refused) {
        if !ids.contains(&entry.id) {
            ids.push(entry.id);
            out.push(entry.json);
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
            answers: Default::default(),
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
        let q = queued(&store, RESPONSES);
        assert_eq!(q[0].0, response(2, "").id, "oldest first");
        assert_eq!(
            q[1].1.as_ref().unwrap(),
            &Entry::new(&response(1, "2025-03-01T10:00:00Z"))
        );
    }

    #[test]
    fn refused_responses_keep_their_copy_and_reason() {
        let store = MemoryStore::default();
        let r = response(3, "2025-03-01T10:00:00Z");
        enqueue(&store, &r).unwrap();
        move_to_attention(
            &store,
            RESPONSES,
            &r.id,
            "conflict",
            "different answers under the same id",
        )
        .unwrap();
        assert_eq!(outbox_count(&store), 0);
        let a = attention(&store);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].1.status, "conflict");
        let kept: Response = a[0].1.parsed().unwrap();
        assert_eq!(kept, r);
    }

    #[test]
    fn a_corrupt_outbox_entry_is_reported_not_dropped() {
        let store = MemoryStore::default();
        let id = ResponseId::from_random_bytes([4; 16]);
        store
            .set(&format!("voci.outbox.{id}"), "{not json")
            .unwrap();
        let q = queued(&store, RESPONSES);
        assert_eq!(q.len(), 1);
        assert!(q[0].1.is_err());
        // Refused by the collector, it moves to attention with its text kept as it was.
        move_to_attention(&store, RESPONSES, &id, "rejected", "not JSON").unwrap();
        let a = attention(&store);
        assert_eq!(a[0].1.response.get(), r#""{not json""#);
        assert!(a[0].1.parsed().is_none());
        // A JSON copy is kept as its text, byte for byte.
        let text = r#"{"id":"x",  "answers":{}}"#;
        store.set(&format!("voci.outbox.{id}"), text).unwrap();
        move_to_attention(&store, RESPONSES, &id, "rejected", "no survey").unwrap();
        assert_eq!(attention(&store)[0].1.response.get(), text);
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
        let before = queued(&store, RESPONSES);
        assert_eq!(
            enqueue(&store, &response(3, "2025-03-01T10:00:02Z")),
            Err(WriteFailed)
        );
        assert_eq!(
            queued(&store, RESPONSES),
            before,
            "nothing queued was touched"
        );
        assert_eq!(outbox_bytes(&store), 2 * bytes);
        // A sync that frees space lets the same response in.
        acknowledge(&store, RESPONSES, &response(1, "").id);
        enqueue(&store, &response(3, "2025-03-01T10:00:02Z")).unwrap();
        assert_eq!(outbox_count(&store), 2);
    }

    #[test]
    fn the_export_carries_queued_and_refused_responses_once() {
        let store = MemoryStore::default();
        for i in 1..=3 {
            enqueue(&store, &response(i, &format!("2025-03-01T10:00:0{i}Z"))).unwrap();
        }
        move_to_attention(
            &store,
            RESPONSES,
            &response(2, "").id,
            "conflict",
            "different",
        )
        .unwrap();
        let refused_unreadable = ResponseId::from_random_bytes([9; 16]);
        store
            .set(&format!("{ATTENTION_PREFIX}{refused_unreadable}"), "{bad")
            .unwrap();
        assert_eq!(outbox_count(&store) + attention(&store).len(), 4);
        let ids: Vec<ResponseId> = exported(&store, RESPONSES)
            .iter()
            .map(|json| serde_json::from_str::<Response>(json).unwrap().id)
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
        assert_eq!((w.get("s"), w.get("t"), w.get("u")), (2, 1, 0));
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
            queued(&store, RESPONSES).len(),
            1,
            "a session is no response"
        );
        assert_eq!(
            queued(&store, SESSIONS)[0].1.as_ref().unwrap(),
            &Entry::new(&s)
        );
        assert_eq!(waiting_by_survey(&store).get("g"), 1);
        assert!(is_outbox_key(&format!("voci.session.{}", s.id)));
        acknowledge(&store, SESSIONS, &s.id);
        assert_eq!((outbox_count(&store), outbox_bytes(&store)), (1, r_bytes));
    }

    #[test]
    fn the_export_carries_queued_and_refused_sessions_apart_from_the_responses() {
        let store = MemoryStore::default();
        for s in [session(1), session(2)] {
            enqueue(&store, &s).unwrap();
        }
        move_to_attention(&store, SESSIONS, &session(2).id, "invalid", "no consent").unwrap();
        enqueue(&store, &response(3, "2025-03-01T10:00:00Z")).unwrap();
        move_to_attention(
            &store,
            RESPONSES,
            &response(3, "").id,
            "conflict",
            "different",
        )
        .unwrap();
        let sessions = exported(&store, SESSIONS);
        assert_eq!(
            sessions,
            [session(1).canonical_json(), session(2).canonical_json()]
        );
        let responses = exported(&store, RESPONSES);
        assert_eq!(
            responses,
            [response(3, "2025-03-01T10:00:00Z").canonical_json()]
        );
    }

    #[test]
    fn a_session_is_sent_and_exported_as_it_was_stored() {
        let store = MemoryStore::default();
        let s = session(1);
        enqueue(&store, &s).unwrap();
        let first = queued(&store, SESSIONS);
        let entry = first[0].1.as_ref().unwrap();
        assert_eq!(entry, &Entry::new(&s), "the same id, guide, date and text");
        // What is not a session (not JSON, or no guide) is neither sent nor exported.
        let broken = ResponseId::from_random_bytes([7; 16]);
        store
            .set(&format!("voci.session.{broken}"), "{cut")
            .unwrap();
        let other = ResponseId::from_random_bytes([8; 16]);
        let not_a_session = format!(r#"{{"id":"{other}","date":"2025-03-01"}}"#);
        store
            .set(&format!("voci.session.{other}"), &not_a_session)
            .unwrap();
        assert_eq!(
            queued(&store, SESSIONS)
                .iter()
                .filter(|(_, e)| e.is_ok())
                .count(),
            1
        );
        assert_eq!(exported(&store, SESSIONS), [s.canonical_json()]);
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
