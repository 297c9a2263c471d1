//! Many devices at once: overlapping batches from concurrent clients store each response once.

use std::collections::HashMap;

use serde_json::Value;

use crate::helpers::{spawn_collector, valid_response};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_overlapping_batches_store_each_response_exactly_once() {
    const CLIENTS: usize = 8;
    const POOL: usize = 160;
    const BATCH: usize = 20;
    let app = spawn_collector().await;
    let pool: Vec<Value> = (0..POOL).map(|_| valid_response()).collect();

    // Each client sends the whole pool, starting half a batch after the one before it, so
    // batches sent at the same time share ids.
    let clients = (0..CLIENTS).map(|c| {
        let (client, url) = (reqwest::Client::new(), app.url("/api/responses/batch"));
        let order: Vec<Value> = (0..POOL)
            .map(|i| pool[(i + c * BATCH / 2) % POOL].clone())
            .collect();
        tokio::spawn(async move {
            let mut statuses = Vec::new();
            for batch in order.chunks(BATCH) {
                let res = client
                    .post(&url)
                    .json(&serde_json::json!({ "responses": batch }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
                let body: Value = res.json().await.unwrap();
                for r in body["results"].as_array().unwrap() {
                    let id = r["id"].as_str().unwrap().to_owned();
                    statuses.push((id, r["status"].as_str().unwrap().to_owned()));
                }
            }
            statuses
        })
    });
    let mut stored: HashMap<String, usize> = HashMap::new();
    let mut answers = 0;
    for client in clients.collect::<Vec<_>>() {
        for (id, status) in client.await.unwrap() {
            answers += 1;
            match status.as_str() {
                "stored" => *stored.entry(id).or_default() += 1,
                "duplicate" => {}
                other => panic!("{id}: {other}"),
            }
        }
    }
    assert_eq!(answers, CLIENTS * POOL);
    assert_eq!(stored.len(), POOL, "every id was stored");
    assert!(
        stored.values().all(|&n| n == 1),
        "and only once: {stored:?}"
    );

    let csv = app.csv().await;
    let mut ids: Vec<&str> = (0..csv.rows.len())
        .map(|i| csv.cell(i, "response_id"))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!((csv.rows.len(), ids.len()), (POOL, POOL));
}
