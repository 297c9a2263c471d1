//! An admin's import of an outbox file (a tablet's export) through the results area: the
//! file's text goes as it is to `POST /api/import` with the login cookie (responses and
//! focus-group sessions alike), and the reply is read into an outcome.

use serde_json::Value;
use wasm_bindgen_futures::JsFuture;

use crate::api::{self, Failure};

pub const IMPORT_URL: &str = "/api/import";

/// What the collector did with the file: its responses, and its focus-group sessions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub responses: Counts,
    pub sessions: Counts,
    pub problems: Vec<Problem>,
}

/// What happened to the records of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub stored: u64,
    pub duplicate: u64,
    pub conflict: u64,
    pub invalid: u64,
}

impl Counts {
    /// Reads `{"stored":n,"duplicate":n,"conflict":n,"invalid":n}`.
    fn read(v: &Value) -> Option<Self> {
        let count = |k: &str| v.get(k).and_then(Value::as_u64);
        Some(Self {
            stored: count("stored")?,
            duplicate: count("duplicate")?,
            conflict: count("conflict")?,
            invalid: count("invalid")?,
        })
    }

    pub fn total(&self) -> u64 {
        self.stored + self.duplicate + self.conflict + self.invalid
    }
}

/// A response or session of the file the collector did not take, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Whether it is a focus-group session (else a response).
    pub session: bool,
    pub id: String,
    pub status: String,
    pub error: String,
}

impl Summary {
    /// Reads the responses' counts at the top level, the sessions' under `sessions` (absent
    /// from a collector older than sessions in files: none), and
    /// `"problems":[{"kind","id","status","error"}]`.
    fn read(v: &Value) -> Option<Self> {
        let text = |p: &Value, k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        let problems = v.get("problems").and_then(Value::as_array);
        Some(Self {
            responses: Counts::read(v)?,
            sessions: v
                .get("sessions")
                .map_or(Some(Counts::default()), Counts::read)?,
            problems: problems
                .into_iter()
                .flatten()
                .map(|p| Problem {
                    session: text(p, "kind") == "session",
                    id: text(p, "id"),
                    status: text(p, "status"),
                    error: text(p, "error"),
                })
                .collect(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done(Summary),
    NoFile,
    /// The file refused as a whole (damaged: 422, too large: 413, not JSON: 400), with the
    /// collector's message. Nothing was stored.
    Refused(String),
    /// The call itself failed: offline, signed out, not an admin (403), the server's error.
    Failed(Failure),
}

/// Reads the collector's answer to an import.
pub fn read_reply(status: u16, body: &str) -> Outcome {
    match status {
        200..=299 => serde_json::from_str(body)
            .ok()
            .and_then(|v| Summary::read(&v))
            .map_or_else(
                || Outcome::Refused(format!("unexpected reply ({status})")),
                Outcome::Done,
            ),
        400 | 413 | 422 => match Failure::from_reply(status, body) {
            Failure::Refused { message, .. } if !message.is_empty() => Outcome::Refused(message),
            _ => Outcome::Refused(format!("HTTP {status}")),
        },
        _ => Outcome::Failed(Failure::from_reply(status, body)),
    }
}

/// Sends the file chosen in `input`.
pub async fn run(input: &web_sys::HtmlInputElement) -> Outcome {
    let Some(text) = chosen_file(input).await else {
        return Outcome::NoFile;
    };
    match api::fetch("POST", IMPORT_URL, Some(&text)).await {
        Ok(reply) => read_reply(reply.status, &reply.body),
        Err(failure) => Outcome::Failed(failure),
    }
}

/// The text of the file chosen in `input`, if one is.
async fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<String> {
    let file = input.files()?.get(0)?;
    JsFuture::from(file.text()).await.ok()?.as_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_become_outcomes() {
        let ok = r#"{"stored":9,"duplicate":0,"conflict":1,"invalid":0,
            "problems":[{"id":"x","status":"conflict","error":"different answers"}]}"#;
        let Outcome::Done(s) = read_reply(200, ok) else {
            panic!("a summary")
        };
        assert_eq!((s.responses.stored, s.responses.conflict), (9, 1));
        assert_eq!(s.sessions, Counts::default(), "a collector before sessions");
        assert_eq!(s.problems[0].error, "different answers");
        assert!(!s.problems[0].session);
        assert_eq!(read_reply(401, ""), Outcome::Failed(Failure::SignedOut));
        assert_eq!(
            read_reply(403, r#"{"error":"only admins may import"}"#),
            Outcome::Failed(Failure::Refused {
                status: 403,
                message: "only admins may import".into()
            })
        );
        assert_eq!(
            read_reply(422, r#"{"error":"the checksum does not match"}"#),
            Outcome::Refused("the checksum does not match".into())
        );
        assert_eq!(read_reply(413, ""), Outcome::Refused("HTTP 413".into()));
        assert!(matches!(read_reply(200, "<html>"), Outcome::Refused(_)));
    }

    #[test]
    fn the_sessions_of_a_file_are_counted_apart() {
        let ok = r#"{"stored":0,"duplicate":0,"conflict":0,"invalid":0,
            "sessions":{"stored":1,"duplicate":2,"conflict":0,"invalid":1},
            "problems":[{"kind":"session","id":"x","status":"invalid","error":"no consent"}]}"#;
        let Outcome::Done(s) = read_reply(200, ok) else {
            panic!("a summary")
        };
        assert_eq!(s.responses.total(), 0);
        assert_eq!((s.sessions.stored, s.sessions.duplicate), (1, 2));
        assert_eq!(s.sessions.total(), 4);
        assert!(s.problems[0].session);
        let broken = r#"{"stored":0,"duplicate":0,"conflict":0,"invalid":0,"sessions":{}}"#;
        assert!(matches!(read_reply(200, broken), Outcome::Refused(_)));
    }
}
