//! Tests of the store against real database files in a temporary folder.

use std::ops::ControlFlow;

use super::*;

fn new(id: &str, payload: &str) -> NewRecord {
    NewRecord::Response(NewResponse {
        id: id.into(),
        survey: "s".into(),
        version: "1".into(),
        site: "a/b/c".into(),
        payload: payload.into(),
    })
}

fn session(id: &str, site: &str, date: &str, payload: &str) -> NewRecord {
    NewRecord::Session(NewSession {
        id: id.into(),
        guide: "g".into(),
        version: "1".into(),
        site: site.into(),
        date: date.into(),
        group_type: "studenti".into(),
        payload: payload.into(),
    })
}

fn save(store: &Store, record: NewRecord) -> Saved {
    store.save_all(vec![record]).unwrap()[0]
}

fn sessions(store: &Store, site: Option<&str>) -> Vec<String> {
    let sites: Vec<String> = site.into_iter().map(str::to_owned).collect();
    let mut out = Vec::new();
    store
        .for_each_session("g", &sites, |p| {
            out.push(p.to_owned());
            ControlFlow::Continue(())
        })
        .unwrap();
    out
}

fn payloads(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    let filter = ResponseFilter {
        survey: "s".into(),
        ..Default::default()
    };
    store
        .for_each_response(&filter, |p| {
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
    let keys = [
        (Kind::Response, "2".to_owned()),
        (Kind::Response, "3".to_owned()),
        (Kind::Session, "2".to_owned()),
    ];
    assert_eq!(
        store.stored_payloads(&keys).unwrap(),
        [Some("{c}".to_owned()), None, None]
    );
    assert!(store.save_all(Vec::new()).unwrap().is_empty());
}

#[test]
fn sessions_are_kept_apart_from_responses_and_read_by_guide_site_and_date() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    // The same id as a response is another record.
    assert_eq!(save(&store, new("1", "{r}")), Saved::Stored);
    let batch = vec![
        session("1", "a/melzo/x", "2026-03-02", "{late}"),
        session("2", "a/melzo", "2026-01-10", "{early}"),
        session("3", "a/melzo-est/y", "2026-02-01", "{other}"),
        session("2", "a/melzo", "2026-01-10", "{early}"),
        session("2", "a/melzo", "2026-01-10", "{changed}"),
        new("1", "{r}"),
    ];
    assert_eq!(
        store.save_all(batch).unwrap(),
        [
            Saved::Stored,
            Saved::Stored,
            Saved::Stored,
            Saved::Duplicate,
            Saved::Conflict,
            Saved::Duplicate
        ]
    );
    assert_eq!(sessions(&store, None), ["{early}", "{other}", "{late}"]);
    // A site takes the sites below it, by whole path segments.
    assert_eq!(sessions(&store, Some("a/melzo")), ["{early}", "{late}"]);
    assert_eq!(sessions(&store, Some("a/melzo/x")), ["{late}"]);
    assert!(sessions(&store, Some("a/mel")).is_empty());
    assert_eq!(store.session("2").unwrap().as_deref(), Some("{early}"));
    assert_eq!(store.session("9").unwrap(), None);
    assert_eq!(
        (store.count().unwrap(), store.session_count().unwrap()),
        (1, 3)
    );
    assert_eq!(payloads(&store), ["{r}"]);
}

#[test]
fn a_database_of_the_first_schema_is_upgraded_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
        conn.execute(
            "INSERT INTO responses (id, survey, version, site, payload, received_at)
             VALUES ('1', 's', '1', 'a/b/c', '{a}', '2026-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(payloads(&store), ["{a}"]);
    assert_eq!(
        save(&store, session("s1", "a/b/c", "2026-03-02", "{s}")),
        Saved::Stored
    );
    assert_eq!(sessions(&store, None), ["{s}"]);
    drop(store);
    let version: i64 = Connection::open(&path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, schema::MIGRATIONS.len() as i64);
}

#[test]
fn data_and_schema_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    {
        let store = Store::open(&path).unwrap();
        save(&store, new("1", "{a}"));
        assert!(
            store
                .add_first_admin("admin", None, "h1", &audit("first"))
                .unwrap()
        );
        assert!(
            !store
                .add_first_admin("other", None, "h2", &audit("second"))
                .unwrap()
        );
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(payloads(&store), ["{a}"]);
    let admin = store.user_by_token("h1").unwrap().unwrap();
    assert_eq!(
        (admin.name.as_str(), admin.role.as_str()),
        ("admin", "admin")
    );
    assert_eq!(store.user_by_token("h2").unwrap(), None);
    assert_eq!(
        store.reset_admin_token("h3", &audit("reset")).unwrap(),
        "admin"
    );
    assert_eq!(store.user_by_token("h1").unwrap(), None);
    assert!(store.user_by_token("h3").unwrap().is_some());
}

fn audit(detail: &str) -> AuditEntry {
    AuditEntry {
        actor: "cli".into(),
        action: "test".into(),
        target: "t".into(),
        detail: detail.into(),
    }
}

#[test]
fn the_admin_token_of_the_first_schema_becomes_the_first_admins() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(schema::MIGRATIONS[0]).unwrap();
        conn.execute_batch(schema::MIGRATIONS[1]).unwrap();
        conn.execute(
            "INSERT INTO admin_tokens (hash, created_at) VALUES ('old', '2026-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
    }
    let store = Store::open(&path).unwrap();
    let admin = store.user_by_token("old").unwrap().unwrap();
    assert_eq!(
        (admin.name.as_str(), admin.role.as_str()),
        ("admin", "admin")
    );
    assert_eq!(admin.password, None);
}

#[test]
fn the_audit_log_refuses_updates_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite3");
    let store = Store::open(&path).unwrap();
    store.append_audit(&audit("one")).unwrap();
    store.append_audit(&audit("two")).unwrap();
    let conn = Connection::open(&path).unwrap();
    for sql in ["UPDATE audit SET detail = 'x'", "DELETE FROM audit"] {
        let err = conn.execute(sql, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    let page = store.audit_page(None, 1).unwrap();
    assert_eq!(page[0].detail, "two");
    let older = store.audit_page(Some(page[0].id), 10).unwrap();
    assert_eq!(older.len(), 1);
    assert_eq!(older[0].detail, "one");
}

#[test]
fn responses_are_selected_by_version_site_prefix_and_day() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    let r = |id: &str, version: &str, site: &str, day: &str| {
        NewRecord::Response(NewResponse {
            id: id.into(),
            survey: "s".into(),
            version: version.into(),
            site: site.into(),
            payload: format!(r#"{{"id":"{id}","submitted_at":"{day}"}}"#),
        })
    };
    store
        .save_all(vec![
            r("1", "1", "a/melzo/ic", "2026-01-10"),
            r("2", "2", "a/melzo", "2026-02-10T09:00:00Z"),
            r("3", "2", "a/melzone", "2026-03-10"),
            r("4", "2", "b/x", "2026-03-11"),
        ])
        .unwrap();
    let ids = |filter: ResponseFilter| {
        let mut out = Vec::new();
        store
            .for_each_response(&filter, |p| {
                let v: serde_json::Value = serde_json::from_str(p).unwrap();
                out.push(v["id"].as_str().unwrap().to_owned());
                ControlFlow::Continue(())
            })
            .unwrap();
        out
    };
    let all = ResponseFilter {
        survey: "s".into(),
        ..Default::default()
    };
    assert_eq!(ids(all.clone()), ["1", "2", "3", "4"]);
    let melzo = ResponseFilter {
        sites: Some(vec!["a/melzo".into()]),
        ..all.clone()
    };
    assert_eq!(ids(melzo), ["1", "2"]);
    let two_sites = ResponseFilter {
        sites: Some(vec!["a/melzone".into(), "b".into()]),
        ..all.clone()
    };
    assert_eq!(ids(two_sites), ["3", "4"]);
    let v2_february_on = ResponseFilter {
        versions: Some(vec!["2".into()]),
        from: Some("2026-02-10".into()),
        to: Some("2026-03-10".into()),
        ..all.clone()
    };
    assert_eq!(ids(v2_february_on), ["2", "3"]);
    let other = ResponseFilter {
        survey: "t".into(),
        ..all
    };
    assert!(ids(other).is_empty());
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
                        let batch: Vec<NewRecord> = (0..10)
                            .map(|i| {
                                let id = ((t * 5 + round * 10 + i) % 40).to_string();
                                new(&id, &format!("{{{id}}}"))
                            })
                            .collect();
                        let ids: Vec<String> = batch.iter().map(|r| r.id().to_owned()).collect();
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

#[test]
fn an_enrolment_code_works_until_it_expires_is_revoked_or_used_up() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    let new = |code: &str, hours: u32| NewEnrolment {
        code_hash: code.into(),
        label: "tablets".into(),
        surveys: vec!["s".into()],
        max_devices: 2,
        hours,
        created_by: "user:admin".into(),
    };
    store
        .add_enrolment(&new("expired", 0), &audit("e"))
        .unwrap();
    assert_eq!(
        store.enrol_device("expired", "t0", "x").unwrap(),
        Enrolled::Refused
    );
    let id = store.add_enrolment(&new("good", 1), &audit("g")).unwrap();
    let Enrolled::Device(first) = store.enrol_device("good", "t1", "tablet 1").unwrap() else {
        panic!("a fresh code enrols")
    };
    assert_eq!(first.surveys, ["s"]);
    assert!(store.enrol_device("good", "t2", "tablet 2").unwrap() != Enrolled::Refused);
    assert_eq!(
        store.enrol_device("good", "t3", "tablet 3").unwrap(),
        Enrolled::Refused,
        "used up"
    );
    assert_eq!(store.device_by_token("t1").unwrap().unwrap().id, first.id);
    assert!(store.revoke_device(first.id, &audit("r")).unwrap());
    assert_eq!(store.device_by_token("t1").unwrap(), None);
    assert!(store.device_by_token("t2").unwrap().is_some());
    assert!(store.revoke_enrolment(id, &audit("r")).unwrap());
    assert_eq!(
        store.device_by_token("t2").unwrap(),
        None,
        "its devices go with it"
    );
    assert!(!store.revoke_enrolment(999, &audit("r")).unwrap());
}
