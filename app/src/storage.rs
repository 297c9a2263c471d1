//! What the app keeps in localStorage, and under which keys.
//!
//! The outbox is one key per response (`voci.outbox.<uuid>`), never one big array: writing one
//! response cannot corrupt the others, and the count survives a reload because it is read from
//! the keys. Responses the collector refused move to `voci.attention.<uuid>` with the reason.
//! Everything goes through [`Store`], so the bookkeeping is tested on the host with [`MemoryStore`]
//! (which can also play a full device, with a quota).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use voci_core::{Response, ResponseId};

use crate::catalog::Catalog;
use crate::runner::Draft;

pub const OUTBOX_PREFIX: &str = "voci.outbox.";
pub const ATTENTION_PREFIX: &str = "voci.attention.";
pub const DRAFT_KEY: &str = "voci.draft";
pub const CATALOG_KEY: &str = "voci.catalog";
pub const SITE_KEY: &str = "voci.site";
pub const LANG_KEY: &str = "voci.lang";
/// Every key of the app starts with this.
pub const APP_PREFIX: &str = "voci.";

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

fn outbox_key(id: &ResponseId) -> String {
    format!("{OUTBOX_PREFIX}{id}")
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

/// Queues a finished response for sending; returns the bytes it takes. One write of one key,
/// whatever the size of the queue. When storage is full nothing else is touched.
pub fn enqueue(store: &impl Store, response: &Response) -> Result<u64, WriteFailed> {
    let (key, json) = (outbox_key(&response.id), response.canonical_json());
    store.set(&key, &json)?;
    Ok(entry_bytes(&key, &json))
}

/// The bytes the queued responses take in storage.
pub fn outbox_bytes(store: &impl Store) -> u64 {
    ids_under(store, OUTBOX_PREFIX)
        .iter()
        .map(|id| {
            let key = outbox_key(id);
            store.get(&key).map_or(0, |v| entry_bytes(&key, &v))
        })
        .sum()
}

/// How many queued responses each survey has (by survey id; unreadable ones under "").
pub fn waiting_by_survey(store: &impl Store) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    for (_, parsed) in queued(store) {
        let survey = parsed.map_or_else(|_| String::new(), |r| r.survey.as_str().to_owned());
        *out.entry(survey).or_default() += 1;
    }
    out
}

/// How many responses wait to be sent, counted from the keys.
pub fn outbox_count(store: &impl Store) -> usize {
    ids_under(store, OUTBOX_PREFIX).len()
}

/// One queued entry: the response, or why its stored copy cannot be read.
pub type Queued = (ResponseId, Result<Response, String>);

/// Everything queued, oldest first (by submission time, then id).
pub fn queued(store: &impl Store) -> Vec<Queued> {
    let mut out: Vec<Queued> = ids_under(store, OUTBOX_PREFIX)
        .into_iter()
        .filter_map(|id| {
            let raw = store.get(&outbox_key(&id))?;
            let parsed = serde_json::from_str::<Response>(&raw).map_err(|e| e.to_string());
            Some((id, parsed))
        })
        .collect();
    let when = |q: &Queued| {
        q.1.as_ref()
            .map(|r| r.submitted_at.clone())
            .unwrap_or_default()
    };
    out.sort_by(|a, b| when(a).cmp(&when(b)).then_with(|| a.0.cmp(&b.0)));
    out
}

/// Removes a response from the outbox: only after the collector acknowledged it.
pub fn acknowledge(store: &impl Store, id: &ResponseId) {
    store.remove(&outbox_key(id));
}

/// A response the collector refused, kept with the reason so nobody loses it silently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Refused {
    /// What the collector said: `conflict`, `invalid`, or a rejected request.
    pub status: String,
    pub reason: String,
    /// The stored copy as it was in the outbox.
    pub response: serde_json::Value,
}

impl Refused {
    /// The refused response, if its stored copy is one.
    pub fn parsed(&self) -> Option<Response> {
        // Through the text, not `from_value`: the app already carries that parser.
        serde_json::from_str(&serde_json::to_string(&self.response).ok()?).ok()
    }
}

/// Moves an outbox entry to `voci.attention.<uuid>`; the outbox key goes only once that is written.
pub fn move_to_attention(
    store: &impl Store,
    id: &ResponseId,
    status: &str,
    reason: &str,
) -> Result<(), WriteFailed> {
    let raw = store.get(&outbox_key(id)).unwrap_or_default();
    let response = serde_json::from_str(&raw).unwrap_or(serde_json::Value::String(raw));
    let refused = Refused {
        status: status.to_owned(),
        reason: reason.to_owned(),
        response,
    };
    let json = serde_json::to_string(&refused).map_err(|_| WriteFailed)?;
    store.set(&attention_key(id), &json)?;
    store.remove(&outbox_key(id));
    Ok(())
}

/// The refused responses, for the status screen.
pub fn attention(store: &impl Store) -> Vec<(ResponseId, Refused)> {
    let mut out: Vec<_> = ids_under(store, ATTENTION_PREFIX)
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
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Everything an export file carries: the readable queued responses, then the readable refused
/// ones, each id once.
pub fn export_responses(store: &impl Store) -> Vec<Response> {
    let mut out: Vec<Response> = queued(store)
        .into_iter()
        .filter_map(|(_, r)| r.ok())
        .collect();
    for (id, refused) in attention(store) {
        if out.iter().any(|r| r.id == id) {
            continue;
        }
        if let Some(r) = refused.parsed() {
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

pub fn load_catalog(store: &impl Store) -> Option<Catalog> {
    serde_json::from_str(&store.get(CATALOG_KEY)?).ok()
}

pub fn save_catalog(store: &impl Store, catalog: &Catalog) -> Result<(), WriteFailed> {
    let json = serde_json::to_string(catalog).map_err(|_| WriteFailed)?;
    store.set(CATALOG_KEY, &json)
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
        let q = queued(&store);
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
        move_to_attention(
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
        let q = queued(&store);
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
        let before = queued(&store);
        assert_eq!(
            enqueue(&store, &response(3, "2025-03-01T10:00:02Z")),
            Err(WriteFailed)
        );
        assert_eq!(queued(&store), before, "nothing queued was touched");
        assert_eq!(outbox_bytes(&store), 2 * bytes);
        // A sync that frees space lets the same response in.
        acknowledge(&store, &response(1, "").id);
        enqueue(&store, &response(3, "2025-03-01T10:00:02Z")).unwrap();
        assert_eq!(outbox_count(&store), 2);
    }

    #[test]
    fn the_export_carries_queued_and_refused_responses_once() {
        let store = MemoryStore::default();
        for i in 1..=3 {
            enqueue(&store, &response(i, &format!("2025-03-01T10:00:0{i}Z"))).unwrap();
        }
        move_to_attention(&store, &response(2, "").id, "conflict", "different").unwrap();
        let refused_unreadable = ResponseId::from_random_bytes([9; 16]);
        store
            .set(&format!("{ATTENTION_PREFIX}{refused_unreadable}"), "{bad")
            .unwrap();
        assert_eq!(outbox_count(&store) + attention(&store).len(), 4);
        let ids: Vec<ResponseId> = export_responses(&store).into_iter().map(|r| r.id).collect();
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

    #[test]
    fn clearing_removes_only_the_apps_keys() {
        let store = MemoryStore::default();
        enqueue(&store, &response(1, "2025-03-01T10:00:00Z")).unwrap();
        store.set(DRAFT_KEY, "{}").unwrap();
        store.set("someone-else", "x").unwrap();
        assert_eq!(clear_app_data(&store), 2);
        assert_eq!(store.keys(), ["someone-else"]);
    }
}
