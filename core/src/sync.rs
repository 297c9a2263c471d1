//! The sync protocol between the app's outbox and the collector, as types both sides share,
//! and the client's rules: what to remove from the outbox, when to try again.
//!
//! See `docs/sync-protocol.md`.

use serde::{Deserialize, Deserializer, Serialize};

use crate::response::Response;
use crate::serde_lean::{object_only, variant};
use crate::validate::AnswerError;

// Structs read from JSON objects only (`remote = "Self"`): see `crate::serde_lean`.
object_only!(BatchRequest, BatchReply, ItemResult);

/// At most this many responses go in one batch, so a request stays small (a response is a few
/// KiB at most; the collector refuses bodies over 1 MiB).
pub const MAX_BATCH: usize = 100;

/// What the app sends: `POST /api/responses/batch`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct BatchRequest {
    pub responses: Vec<Response>,
}

/// What the collector answers, one result per item in the order sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct BatchReply {
    pub results: Vec<ItemResult>,
}

/// The `code` the collector adds to a batch item refused because its survey takes responses
/// only from enrolled devices (`collection = "enrolled"`) and the caller is not one enrolled
/// for it. The app keeps such a response queued until the device is enrolled.
pub const NOT_ENROLLED: &str = "not_enrolled";

/// What happened to one response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemStatus {
    /// Stored now, durably.
    Stored,
    /// Stored before with the very same content: safe to forget.
    Duplicate,
    /// A different response is stored under this id: nothing was overwritten.
    Conflict,
    /// Refused (the reason says why); nothing was stored.
    Invalid,
}

impl ItemStatus {
    /// The statuses' JSON names, in the variants' order.
    const NAMES: &'static [&'static str] = &["stored", "duplicate", "conflict", "invalid"];

    /// Whether the collector holds this response, so the device may delete its copy.
    pub fn acknowledged(self) -> bool {
        matches!(self, Self::Stored | Self::Duplicate)
    }

    fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

// The names `Serialize` writes, read by the reader all such enums share (`serde_lean`).
impl<'de> Deserialize<'de> for ItemStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let all = [Self::Stored, Self::Duplicate, Self::Conflict, Self::Invalid];
        variant(d, "ItemStatus", Self::NAMES).map(|i| all[i])
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct ItemResult {
    /// `None` only for an item so malformed it had no string id.
    pub id: Option<String>,
    pub status: ItemStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<AnswerError>,
}

/// What the client does with each response it sent, once the collector answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settle {
    /// Acknowledged: delete it from the outbox.
    Remove(String),
    /// Refused for good: move it to "needs attention" with the reason, never drop it.
    Attention { id: String, reason: String },
    /// No word about it in the reply: keep it queued and send it again later.
    Keep(String),
}

/// Pairs the ids sent with the collector's reply. Only an id the reply names as stored or
/// duplicate is removed; anything the reply does not mention stays queued.
pub fn settle(sent: &[String], reply: &BatchReply) -> Vec<Settle> {
    sent.iter()
        .map(
            |id| match reply.results.iter().find(|r| r.id.as_deref() == Some(id)) {
                Some(r) if r.status.acknowledged() => Settle::Remove(id.clone()),
                Some(r) => Settle::Attention {
                    id: id.clone(),
                    reason: r
                        .error
                        .clone()
                        .unwrap_or_else(|| r.status.name().to_owned()),
                },
                None => Settle::Keep(id.clone()),
            },
        )
        .collect()
}

/// Capped exponential backoff with jitter: 1 s, 2 s, 4 s … up to 60 s, each scaled by a
/// random factor in [0.5, 1.0) so that devices coming back together do not retry together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    pub const BASE_MS: u64 = 1_000;
    pub const CAP_MS: u64 = 60_000;

    /// Notes a failed attempt; returns the delay before the next one. `random` is in [0, 1).
    pub fn failed(&mut self, random: f64) -> u64 {
        self.failures = self.failures.saturating_add(1);
        let exp = Self::BASE_MS
            .saturating_mul(1 << (self.failures - 1).min(16))
            .min(Self::CAP_MS);
        let factor = 0.5 + random.clamp(0.0, 0.999_999) / 2.0;
        (exp as f64 * factor) as u64
    }

    /// Notes a success: the next failure starts from the base delay again.
    pub fn succeeded(&mut self) {
        self.failures = 0;
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(id: &str, status: ItemStatus) -> ItemResult {
        ItemResult {
            id: Some(id.into()),
            status,
            error: None,
            errors: Vec::new(),
        }
    }

    #[test]
    fn only_acknowledged_ids_leave_the_outbox() {
        let sent: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        let reply = BatchReply {
            results: vec![
                result("a", ItemStatus::Stored),
                result("b", ItemStatus::Duplicate),
                ItemResult {
                    error: Some("a different response".into()),
                    ..result("c", ItemStatus::Conflict)
                },
                result("d", ItemStatus::Invalid),
            ],
        };
        assert_eq!(
            settle(&sent, &reply),
            [
                Settle::Remove("a".into()),
                Settle::Remove("b".into()),
                Settle::Attention {
                    id: "c".into(),
                    reason: "a different response".into()
                },
                Settle::Attention {
                    id: "d".into(),
                    reason: "invalid".into()
                },
                Settle::Keep("e".into()),
            ]
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        let mut b = Backoff::default();
        let delays: Vec<u64> = (0..9).map(|_| b.failed(0.0)).collect();
        assert_eq!(
            delays,
            [
                500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000
            ]
        );
        assert!(b.failed(0.999) < Backoff::CAP_MS);
        b.succeeded();
        assert_eq!(b.failed(0.5), 750);
    }
}
