//! The device's record of sending, for the youth worker's status screen: answers the collector
//! acknowledged today per survey, the last sync that got everything across, the last one that
//! failed. Plain keys with plain text (no JSON), one per fact:
//!
//! - `voci.sync.ok`: the time (RFC 3339) of the last sync that ended without a failure;
//! - `voci.sync.error`: `<time> <code>` of the last one that stopped on a failure;
//! - `voci.sent.<day>.<survey>`: how many of that survey's answers were acknowledged that day.
//!
//! It is bookkeeping, never a source of truth for the outbox: when storage is full and it cannot
//! be written, nothing queued is affected.

use crate::storage::{Store, WriteFailed};
use crate::sync::SyncFailure;

pub const PREFIX: &str = "voci.sent.";
pub const OK_KEY: &str = "voci.sync.ok";
pub const ERROR_KEY: &str = "voci.sync.error";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncLog {
    pub last_ok: Option<String>,
    /// When, and why.
    pub last_error: Option<(String, SyncFailure)>,
    /// The day the counts are for (`YYYY-MM-DD`, the device's own time zone).
    pub day: String,
    /// Answers acknowledged on `day`, per survey.
    pub sent: PerSurvey,
}

impl SyncLog {
    pub fn sent_today(&self, survey: &str) -> u32 {
        self.sent.get(survey)
    }
}

/// A count per survey (or guide) id, ordered by id. A device has a handful of surveys: a
/// sorted vector, not a map (each map's key and value types cost their own copy of the
/// B-tree's code in the download).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PerSurvey(Vec<(String, u32)>);

impl PerSurvey {
    /// The count of `survey`, 0 if it has none.
    pub fn get(&self, survey: &str) -> u32 {
        self.find(survey).map_or(0, |i| self.0[i].1)
    }

    /// Adds `n` to the count of `survey`.
    pub fn add(&mut self, survey: &str, n: u32) {
        match self.find(survey) {
            Ok(i) => self.0[i].1 += n,
            Err(i) => self.0.insert(i, (survey.to_owned(), n)),
        }
    }

    /// The ids and their counts, by id.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        self.0.iter().map(|(s, n)| (s.as_str(), *n))
    }

    fn find(&self, survey: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(s, _)| s.as_str().cmp(survey))
    }
}

fn sent_key(day: &str, survey: &str) -> String {
    format!("{PREFIX}{day}.{survey}")
}

/// Reads the record for `today`, and forgets the counts of other days (they are only kept
/// until the day is over).
pub fn load(store: &impl Store, today: &str) -> SyncLog {
    let mut sent = PerSurvey::default();
    for key in store.keys() {
        let Some((day, survey)) = key.strip_prefix(PREFIX).and_then(|t| t.split_once('.')) else {
            continue;
        };
        if day == today {
            let n = store.get(&key).and_then(|v| v.parse().ok()).unwrap_or(0);
            sent.add(survey, n);
        } else {
            store.remove(&key);
        }
    }
    let last_error = store.get(ERROR_KEY).and_then(|v| {
        let (at, code) = v.split_once(' ')?;
        Some((at.to_owned(), SyncFailure::from_code(code)?))
    });
    SyncLog {
        last_ok: store.get(OK_KEY),
        last_error,
        day: today.to_owned(),
        sent,
    }
}

/// Adds `n` acknowledged answers of `survey` to `day`.
pub fn add_sent(store: &impl Store, day: &str, survey: &str, n: u32) -> Result<(), WriteFailed> {
    let key = sent_key(day, survey);
    let before: u32 = store.get(&key).and_then(|v| v.parse().ok()).unwrap_or(0);
    store.set(&key, &(before + n).to_string())
}

/// Notes how a sync ended at `at`.
pub fn record(
    store: &impl Store,
    at: &str,
    failure: Option<SyncFailure>,
) -> Result<(), WriteFailed> {
    match failure {
        None => store.set(OK_KEY, at),
        Some(f) => store.set(ERROR_KEY, &format!("{at} {}", f.code())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStore;

    #[test]
    fn counts_per_survey_add_up_in_the_order_of_the_ids() {
        let mut c = PerSurvey::default();
        for (s, n) in [("b", 2), ("a", 1), ("b", 3), ("", 1)] {
            c.add(s, n);
        }
        assert_eq!(
            (c.get("a"), c.get("b"), c.get(""), c.get("z")),
            (1, 5, 1, 0)
        );
        let all: Vec<_> = c.iter().collect();
        assert_eq!(all, [("", 1), ("a", 1), ("b", 5)]);
    }

    #[test]
    fn sent_answers_are_counted_per_day_and_survey() {
        let store = MemoryStore::default();
        add_sent(&store, "2026-11-22", "a", 4).unwrap();
        add_sent(&store, "2026-11-23", "a", 2).unwrap();
        add_sent(&store, "2026-11-23", "b", 1).unwrap();
        add_sent(&store, "2026-11-23", "a", 3).unwrap();
        let log = load(&store, "2026-11-23");
        assert_eq!((log.sent_today("a"), log.sent_today("b")), (5, 1));
        assert_eq!(log.sent_today("c"), 0);
        // Yesterday's count is gone once today's record was read.
        assert_eq!(load(&store, "2026-11-22").sent_today("a"), 0);
    }

    #[test]
    fn the_last_success_and_failure_are_kept_with_their_time() {
        let store = MemoryStore::default();
        assert_eq!(
            load(&store, "d"),
            SyncLog {
                day: "d".into(),
                ..SyncLog::default()
            }
        );
        record(
            &store,
            "2026-11-23T10:00:00Z",
            Some(SyncFailure::Server(503)),
        )
        .unwrap();
        record(&store, "2026-11-23T10:05:00Z", None).unwrap();
        record(&store, "2026-11-23T10:09:00Z", Some(SyncFailure::Offline)).unwrap();
        let log = load(&store, "d");
        assert_eq!(log.last_ok.as_deref(), Some("2026-11-23T10:05:00Z"));
        assert_eq!(
            log.last_error,
            Some(("2026-11-23T10:09:00Z".into(), SyncFailure::Offline))
        );
        store.set(ERROR_KEY, "garbage").unwrap();
        assert_eq!(load(&store, "d").last_error, None);
    }

    #[test]
    fn every_failure_has_a_code_that_reads_back() {
        for f in [
            SyncFailure::Offline,
            SyncFailure::Server(503),
            SyncFailure::BadReply,
            SyncFailure::Storage,
        ] {
            assert_eq!(SyncFailure::from_code(&f.code()), Some(f));
        }
        assert_eq!(SyncFailure::from_code("server-x"), None);
    }

    #[test]
    fn a_full_store_refuses_the_count_and_keeps_the_old_one() {
        let store = MemoryStore::with_quota(100);
        add_sent(&store, "2026-11-23", "a", 1).unwrap();
        assert_eq!(
            add_sent(&store, "2026-11-23", "a-survey-with-a-long-name", 1),
            Err(WriteFailed)
        );
        assert_eq!(load(&store, "2026-11-23").sent_today("a"), 1);
    }
}
