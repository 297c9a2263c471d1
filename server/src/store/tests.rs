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
    store.save_all(&[response]).unwrap()[0]
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
    let batch = [
        new("2", "{c}"),
        new("2", "{c}"),
        new("2", "{d}"),
        new("1", "{a}"),
    ];
    assert_eq!(
        store.save_all(&batch).unwrap(),
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
    assert!(store.save_all(&[]).unwrap().is_empty());
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
