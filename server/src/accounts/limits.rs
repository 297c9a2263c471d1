//! Rate limits kept in memory: failed logins per account and per client, enrolment attempts
//! per client, responses to open surveys per client. A restart forgets them, which is fine:
//! they slow guessing and flooding down, they are not a record.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most `max` events per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: u32,
    pub window: Duration,
}

impl Limit {
    pub const fn per_minutes(max: u32, minutes: u64) -> Self {
        Self {
            max,
            window: Duration::from_secs(minutes * 60),
        }
    }
}

/// The limits a collector enforces; [`Limits::default`] is what `voci serve` uses unless
/// told otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Failed logins to one account, from anywhere.
    pub login_per_account: Limit,
    /// Failed logins from one client, to any account.
    pub login_per_client: Limit,
    /// Attempts to exchange an enrolment code, from one client.
    pub enrol_per_client: Limit,
    /// Responses to open surveys from one client that is not an enrolled device. Generous:
    /// a tablet back online after a week of classes sends a thousand at once.
    pub open_responses_per_client: Limit,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            login_per_account: Limit::per_minutes(5, 15),
            login_per_client: Limit::per_minutes(20, 15),
            enrol_per_client: Limit::per_minutes(10, 15),
            open_responses_per_client: Limit::per_minutes(5_000, 10),
        }
    }
}

/// Counts events per key in fixed windows.
#[derive(Debug)]
pub struct Limiter {
    limit: Limit,
    counts: Mutex<HashMap<String, (Instant, u32)>>,
}

/// Past this many keys, expired windows are swept out as new keys come.
const SWEEP_AT: usize = 10_000;

impl Limiter {
    pub fn new(limit: Limit) -> Self {
        Self {
            limit,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(retry_after)` when `key` has used its events up in the current window.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        self.take(key, 0)
    }

    /// Counts `n` events for `key`, unless that would go over the limit: then nothing is
    /// counted and the answer is how long until the window ends.
    pub fn take(&self, key: &str, n: u32) -> Result<(), Duration> {
        let now = Instant::now();
        let mut counts = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if counts.len() >= SWEEP_AT {
            counts.retain(|_, (start, _)| now.duration_since(*start) < self.limit.window);
        }
        let entry = counts.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.limit.window {
            *entry = (now, 0);
        }
        let used = entry.1.saturating_add(n);
        let full = if n == 0 {
            entry.1 >= self.limit.max
        } else {
            used > self.limit.max
        };
        if full {
            return Err(self
                .limit
                .window
                .saturating_sub(now.duration_since(entry.0)));
        }
        entry.1 = used;
        Ok(())
    }

    /// Forgets `key`'s events (a successful login clears its account's failures).
    pub fn clear(&self, key: &str) {
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_refused_once_its_events_are_used_up() {
        let limiter = Limiter::new(Limit::per_minutes(3, 10));
        for _ in 0..3 {
            assert!(limiter.check("a").is_ok());
            limiter.take("a", 1).unwrap();
        }
        let wait = limiter.check("a").unwrap_err();
        assert!(wait <= Duration::from_secs(600) && wait > Duration::from_secs(590));
        assert!(limiter.take("a", 1).is_err());
        assert!(limiter.check("b").is_ok(), "keys are counted apart");
        limiter.clear("a");
        assert!(limiter.check("a").is_ok());
        // A batch that does not fit is refused whole and counts nothing.
        assert!(limiter.take("c", 4).is_err());
        limiter.take("c", 3).unwrap();
    }

    #[test]
    fn windows_end() {
        let limiter = Limiter::new(Limit {
            max: 1,
            window: Duration::ZERO,
        });
        limiter.take("a", 1).unwrap();
        limiter.take("a", 1).unwrap();
    }
}
