//! Tests of the store against real database files in a temporary folder.

use std::ops::ControlFlow;

use super::*;

fn new(id: &str, payload: &str) -> NewResponse {
    NewResponse {
        id: id.into(),
        survey: "s".into(),
        version: "1".into(),
        site: "a/b/c".into(),
        payload: payload.into(),
    }
}

fn save(store: &Store, response: NewResponse) -> Saved {
    store.save_all(vec![response]).unwrap()[0]
}

fn payloads(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    store
        .for_each_payload("s", |p| {
            out.push(p.to_owned());
            ControlFlow::Continue(())
        })
        .unwrap();
    out
}

#[test]
fn saving_is_idempotent_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    assert_eq!(save(&store, new("1", "{a}")), Saved::Stored);
    assert_eq!(save(&store, new("1", "{a}")), Saved::Duplicate);
    assert_eq!(save(&store, new("1", "{b}")), Saved::Conflict);
    let batch = vec![
        new("2", "{c}"),
        new("2", "{c}"),
        new("2", "{d}"),
        new("1", "{a}"),
    ];
    assert_eq!(
        store.save_all(batch).unwrap(),
        [
            Saved::Stored,
            Saved::Duplicate,
            Saved::Conflict,
            Saved::Duplicate
        ]
    );
    assert_eq!(payloads(&store), ["{a}", "{c}"]);
    assert_eq!(store.count().unwrap(), 2);
    let ids = ["2".to_owned(), "3".to_owned()];
    assert_eq!(
        store.stored_payloads(&ids).unwrap(),
        [Some("{c}".to_owned()), None]
    );
    assert!(store.save_all(Vec::new()).unwrap().is_empty());
}

#[test]
fn data_and_schema_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    {
        let store = Store::open(&path).unwrap();
        save(&store, new("1", "{a}"));
        assert!(store.add_first_admin_token("h1").unwrap());
        assert!(!store.add_first_admin_token("h2").unwrap());
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(payloads(&store), ["{a}"]);
    assert_eq!(store.admin_token_hashes().unwrap(), ["h1"]);
    store.replace_admin_tokens("h3").unwrap();
    assert_eq!(store.admin_token_hashes().unwrap(), ["h3"]);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    drop(Store::open(&path).unwrap());
    Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
}

#[test]
fn concurrent_saves_share_transactions_but_each_id_is_stored_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    // 8 threads save the same 40 ids, each starting at another place, all at once.
    let barrier = std::sync::Barrier::new(8);
    let outcomes: Vec<Vec<(String, Saved)>> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let (store, barrier) = (&store, &barrier);
                s.spawn(move || {
                    let mut seen = Vec::new();
                    for round in 0..4 {
                        let batch: Vec<NewResponse> = (0..10)
                            .map(|i| {
                                let id = ((t * 5 + round * 10 + i) % 40).to_string();
                                new(&id, &format!("{{{id}}}"))
                            })
                            .collect();
                        let ids: Vec<String> = batch.iter().map(|r| r.id.clone()).collect();
                        barrier.wait();
                        seen.extend(ids.into_iter().zip(store.save_all(batch).unwrap()));
                    }
                    seen
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    let mut stored = std::collections::HashMap::<String, usize>::new();
    for (id, saved) in outcomes.into_iter().flatten() {
        assert_ne!(saved, Saved::Conflict, "{id}");
        if saved == Saved::Stored {
            *stored.entry(id).or_default() += 1;
        }
    }
    assert_eq!(stored.len(), 40);
    assert!(stored.values().all(|&n| n == 1), "{stored:?}");
    assert_eq!(store.count().unwrap(), 40);
}
