//! The outbox as a file, for the days when there is never a network: the app writes it, the
//! collector imports it (`voci import FILE`). A checksum over the records refuses a file that
//! was truncated or altered, before anything is stored.
//!
//! Version 2 carries survey responses and focus-group sessions, its checksum over both;
//! version 1 (apps before sessions) carried responses only and is still read.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::guide::Session;
use crate::response::Response;
use crate::serde_lean::object_only;

// Structs read from JSON objects only (`remote = "Self"`): see `crate::serde_lean`.
object_only!(OutboxFile);

pub const FORMAT: &str = "voci-outbox";
/// The version this code writes.
pub const FORMAT_VERSION: u32 = 2;
/// The oldest version this code reads: responses only, the checksum over them alone.
pub const FIRST_VERSION: u32 = 1;

/// The file: a header, the responses and the sessions, and the SHA-256 of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct OutboxFile {
    pub format: String,
    pub version: u32,
    /// When the file was made, as the device's clock said (RFC 3339).
    pub exported_at: String,
    /// How many responses the file holds.
    pub count: usize,
    pub responses: Vec<Response>,
    /// How many sessions the file holds (version 2; absent from version 1, read as 0).
    #[serde(default)]
    pub session_count: usize,
    /// Focus-group sessions (version 2; absent from version 1, read as none).
    #[serde(default)]
    pub sessions: Vec<Session>,
    /// `sha256:` and the hex digest of what [`checksum`] covers (version 1:
    /// [`responses_checksum`]).
    pub checksum: String,
}

/// Why a file cannot be imported. Nothing of it is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("this is not a Voci outbox file, or it is cut short: {0}")]
    Unreadable(String),
    #[error("this is a {0:?} file, not a Voci outbox export")]
    WrongFormat(String),
    #[error(
        "this outbox file is version {0}; this collector reads versions {FIRST_VERSION} to {FORMAT_VERSION}: update the collector"
    )]
    WrongVersion(u32),
    #[error("the file says it holds {said} {what} but holds {found}: it is damaged")]
    WrongCount {
        /// `responses` or `sessions`.
        what: &'static str,
        said: usize,
        found: usize,
    },
    #[error("a version 1 outbox file holds no sessions: it was changed after export")]
    SessionsInVersion1,
    #[error("the checksum does not match: the file was changed or damaged after export")]
    BadChecksum,
}

/// What a version 2 checksum covers, serialised as `{"responses":[...],"sessions":[...]}`.
#[derive(Serialize)]
struct Covered<'a> {
    responses: &'a [Response],
    sessions: &'a [Session],
}

fn sha256(json: &str) -> String {
    let digest = Sha256::digest(json.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The checksum of a version 2 file: over the compact JSON of its responses and sessions.
pub fn checksum(responses: &[Response], sessions: &[Session]) -> String {
    let covered = Covered {
        responses,
        sessions,
    };
    sha256(&serde_json::to_string(&covered).expect("records always serialise"))
}

/// The checksum of a version 1 file: over the compact JSON array of its responses.
pub fn responses_checksum(responses: &[Response]) -> String {
    sha256(&serde_json::to_string(responses).expect("responses always serialise"))
}

impl OutboxFile {
    /// A file of the current version.
    pub fn new(responses: Vec<Response>, sessions: Vec<Session>, exported_at: String) -> Self {
        Self {
            format: FORMAT.into(),
            version: FORMAT_VERSION,
            exported_at,
            count: responses.len(),
            session_count: sessions.len(),
            checksum: checksum(&responses, &sessions),
            responses,
            sessions,
        }
    }

    /// How many records (responses and sessions) the file holds.
    pub fn len(&self) -> usize {
        self.responses.len() + self.sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The file's text (pretty, so a coordinator can look inside).
    pub fn to_json(&self) -> String {
        let compact = serde_json::to_string(self).expect("an outbox file always serialises");
        pretty(&compact)
    }

    /// Reads and verifies a file of any version this code reads: every check passes, or
    /// nothing is returned.
    pub fn parse(text: &str) -> Result<Self, FileError> {
        let file: OutboxFile =
            serde_json::from_str(text).map_err(|e| FileError::Unreadable(e.to_string()))?;
        if file.format != FORMAT {
            return Err(FileError::WrongFormat(file.format));
        }
        if !(FIRST_VERSION..=FORMAT_VERSION).contains(&file.version) {
            return Err(FileError::WrongVersion(file.version));
        }
        if file.version == 1 && (file.session_count != 0 || !file.sessions.is_empty()) {
            return Err(FileError::SessionsInVersion1);
        }
        for (what, said, found) in [
            ("responses", file.count, file.responses.len()),
            ("sessions", file.session_count, file.sessions.len()),
        ] {
            if said != found {
                return Err(FileError::WrongCount { what, said, found });
            }
        }
        let expected = match file.version {
            1 => responses_checksum(&file.responses),
            _ => checksum(&file.responses, &file.sessions),
        };
        if expected != file.checksum {
            return Err(FileError::BadChecksum);
        }
        Ok(file)
    }
}

/// The text of a current-version file made of records already in their canonical JSON (as the
/// app queues them): the same text as [`OutboxFile::new`] then [`OutboxFile::to_json`] would
/// write for those records, without reading them. The app sends sessions as it stored them and
/// never needs a session's reader or writer; only the focus-group screens do.
///
/// Each text must be a record's canonical JSON; the caller reads each one before (a text that
/// is not JSON would make the whole file unreadable).
pub fn write(responses: &[String], sessions: &[String], exported_at: &str) -> String {
    let (count, session_count) = (responses.len(), sessions.len());
    let list = |records: &[String]| format!("[{}]", records.join(","));
    let (responses, sessions) = (list(responses), list(sessions));
    let covered = format!(r#"{{"responses":{responses},"sessions":{sessions}}}"#);
    let exported_at = serde_json::to_string(exported_at).expect("a string always serialises");
    let compact = format!(
        r#"{{"format":"{FORMAT}","version":{FORMAT_VERSION},"exported_at":{exported_at},"count":{count},"responses":{responses},"session_count":{session_count},"sessions":{sessions},"checksum":"{}"}}"#,
        sha256(&covered)
    );
    pretty(&compact)
}

/// Compact JSON laid out as `serde_json::to_string_pretty` lays it out (two spaces a level,
/// `": "`, `[]` and `{}` when empty). The app writes responses and sessions compact anyway:
/// laying the text out afterwards spares it a second, pretty copy of their serialisers.
fn pretty(compact: &str) -> String {
    let b = compact.as_bytes();
    let mut out = String::with_capacity(b.len() * 2);
    let mut depth = 0;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        i += 1;
        match c {
            b'"' => {
                // The string, escapes and all, up to its closing quote.
                let start = i - 1;
                while b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str(&compact[start..i]);
            }
            b'{' | b'[' if matches!(b.get(i), Some(b'}' | b']')) => {
                out.push_str(&compact[i - 1..=i]);
                i += 1;
            }
            b'{' | b'[' => {
                out.push(char::from(c));
                depth += 1;
                newline(&mut out, depth);
            }
            b'}' | b']' => {
                depth -= 1;
                newline(&mut out, depth);
                out.push(char::from(c));
            }
            b',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            b':' => out.push_str(": "),
            // Outside strings, JSON is ASCII.
            _ => out.push(char::from(c)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(n: u8) -> Response {
        serde_json::from_value(serde_json::json!({
            "id": crate::ResponseId::from_random_bytes([n; 16]).to_string(),
            "survey": "s", "version": "1", "site": "a/b", "language": "it",
            "submitted_at": "2026-11-23T10:00:00Z", "answers": { "q": "x", "n": 3 }
        }))
        .unwrap()
    }

    fn session(n: u8) -> Session {
        serde_json::from_value(serde_json::json!({
            "id": crate::ResponseId::from_random_bytes([n; 16]).to_string(),
            "guide": "g", "version": "1", "site": "a/b", "date": "2026-11-23",
            "group_type": "classe", "facilitator": "MR",
            "participants": [{ "code": "P1", "consent": true }],
            "notes": [{ "prompt": "p", "text": "il parco", "offset": 60 }]
        }))
        .unwrap()
    }

    #[test]
    fn a_file_written_from_stored_texts_is_the_file_written_from_records() {
        let (responses, sessions) = (vec![response(1), response(2)], vec![session(3)]);
        let at = "2026-11-23T11:00:00Z";
        let r: Vec<String> = responses.iter().map(Response::canonical_json).collect();
        let s: Vec<String> = sessions.iter().map(Session::canonical_json).collect();
        let written = write(&r, &s, at);
        assert_eq!(
            written,
            OutboxFile::new(responses.clone(), sessions, at.into()).to_json()
        );
        assert_eq!(OutboxFile::parse(&written).unwrap().len(), 3);
        // Without sessions, and empty: still the same text, and a file that reads.
        let only = write(&r, &[], "2026-11-23T\"x\"");
        assert_eq!(
            only,
            OutboxFile::new(responses, vec![], "2026-11-23T\"x\"".into()).to_json()
        );
        assert!(OutboxFile::parse(&write(&[], &[], at)).unwrap().is_empty());
    }

    fn file() -> OutboxFile {
        OutboxFile::new(
            vec![response(1), response(2)],
            vec![session(3)],
            "2026-11-23T11:00:00Z".into(),
        )
    }

    #[test]
    fn a_file_round_trips_with_its_responses_and_sessions() {
        let file = file();
        assert_eq!((file.version, file.count, file.session_count), (2, 2, 1));
        assert_eq!(OutboxFile::parse(&file.to_json()).unwrap(), file);
        let sessions_only = OutboxFile::new(Vec::new(), vec![session(4)], "t".into());
        assert_eq!(sessions_only.len(), 1);
        assert_eq!(
            OutboxFile::parse(&sessions_only.to_json()).unwrap(),
            sessions_only
        );
    }

    #[test]
    fn the_file_is_laid_out_as_serde_json_pretty_prints_it() {
        let mut tricky = response(5);
        tricky.group = Some("3\"B [x], {y}: z\\ é\n".into());
        tricky.answers = serde_json::from_value(serde_json::json!({
            "e": [], "i": [{}, { "a": ["x"], "b": -1.5e-7 }], "s": "\"}]\\\"", "u": "ü 💬"
        }))
        .unwrap();
        let empty = OutboxFile::new(Vec::new(), Vec::new(), "t".into());
        for f in [
            file(),
            empty,
            OutboxFile::new(vec![tricky], vec![session(6)], "t".into()),
        ] {
            assert_eq!(f.to_json(), serde_json::to_string_pretty(&f).unwrap());
        }
    }

    /// The checksum as docs/sync-protocol.md defines it, so another program can write one.
    #[test]
    fn the_checksum_covers_the_compact_json_of_responses_and_sessions() {
        let file = file();
        // Each record's canonical JSON, in file order (a `json!` object would sort its keys).
        let text = format!(
            "{{\"responses\":{},\"sessions\":{}}}",
            serde_json::to_string(&file.responses).unwrap(),
            serde_json::to_string(&file.sessions).unwrap()
        );
        assert!(text.starts_with("{\"responses\":[{\"id\":"), "{text}");
        assert_eq!(file.checksum, sha256(&text));
    }

    /// The example of docs/sync-protocol.md, as an app before sessions wrote it.
    const VERSION_1: &str = r#"{
      "format": "voci-outbox",
      "version": 1,
      "exported_at": "2026-03-02T18:00:00+01:00",
      "count": 1,
      "responses": [
        {
          "id": "0b6e4d52-8f3a-4c1e-9d2b-5a7f3e9c1d04",
          "survey": "giovani",
          "version": "1",
          "site": "ambito-5/melzo/ic-mascagni",
          "language": "it",
          "submitted_at": "2026-03-02T10:15:00+01:00",
          "answers": { "attivita": ["sport", "musica"], "commento": "Più spazi il sabato", "eta": 16 }
        }
      ],
      "checksum": "sha256:e1a3406bf021fc2c5099a522053bd69718c9966e189d6ef9b29a49a77b5b9639"
    }"#;

    /// The example of docs/sync-protocol.md, as the app writes it now.
    const VERSION_2: &str = r#"{
      "format": "voci-outbox",
      "version": 2,
      "exported_at": "2026-03-02T18:00:00+01:00",
      "count": 1,
      "responses": [
        {
          "id": "0b6e4d52-8f3a-4c1e-9d2b-5a7f3e9c1d04",
          "survey": "giovani",
          "version": "1",
          "site": "ambito-5/melzo/ic-mascagni",
          "language": "it",
          "submitted_at": "2026-03-02T10:15:00+01:00",
          "answers": { "attivita": ["sport", "musica"], "commento": "Più spazi il sabato", "eta": 16 }
        }
      ],
      "session_count": 1,
      "sessions": [
        {
          "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
          "guide": "traccia-protagonismo-giovanile",
          "version": "1",
          "site": "ambito-5/melzo/ic-mascagni",
          "date": "2026-03-02",
          "group_type": "Classe 4ª",
          "facilitator": "MR",
          "participants": [{ "code": "P1", "fields": {}, "consent": true }],
          "notes": [{ "prompt": "tempo_libero", "text": "Il parco la sera", "offset": 120, "themes": [] }],
          "quotes": []
        }
      ],
      "checksum": "sha256:d02995480bf0f8b965f207e6526ebe63c11a27b3454bd17475897873d510e97b"
    }"#;

    #[test]
    fn the_documented_version_2_file_is_read() {
        let file = OutboxFile::parse(VERSION_2).unwrap();
        assert_eq!((file.responses.len(), file.sessions.len()), (1, 1));
        assert_eq!(file.sessions[0].notes[0].text, "Il parco la sera");
        // Written again by this code, it is the same file.
        let again = OutboxFile::new(
            file.responses.clone(),
            file.sessions.clone(),
            file.exported_at.clone(),
        );
        assert_eq!(again, file);
    }

    #[test]
    fn a_version_1_file_is_still_read() {
        let file = OutboxFile::parse(VERSION_1).unwrap();
        assert_eq!(file.version, 1);
        assert_eq!(file.responses.len(), 1);
        assert_eq!(file.responses[0].survey.as_str(), "giovani");
        assert!(file.sessions.is_empty());
        let altered = VERSION_1.replace("\"eta\": 16", "\"eta\": 17");
        assert_eq!(OutboxFile::parse(&altered), Err(FileError::BadChecksum));
    }

    #[test]
    fn a_version_1_file_cannot_carry_sessions_outside_its_checksum() {
        let mut file: serde_json::Value = serde_json::from_str(VERSION_1).unwrap();
        file["sessions"] = serde_json::json!([session(3)]);
        file["session_count"] = 1.into();
        assert_eq!(
            OutboxFile::parse(&file.to_string()),
            Err(FileError::SessionsInVersion1)
        );
    }

    #[test]
    fn damaged_files_are_refused() {
        let good = file().to_json();
        let truncated = &good[..good.len() / 2];
        assert!(matches!(
            OutboxFile::parse(truncated),
            Err(FileError::Unreadable(_))
        ));
        let altered = good.replacen("\"x\"", "\"y\"", 1);
        assert_eq!(OutboxFile::parse(&altered), Err(FileError::BadChecksum));
        let recounted = good.replacen("\"count\": 2", "\"count\": 3", 1);
        assert_eq!(
            OutboxFile::parse(&recounted),
            Err(FileError::WrongCount {
                what: "responses",
                said: 3,
                found: 2
            })
        );
        let other = good.replacen("voci-outbox", "kobo", 1);
        assert_eq!(
            OutboxFile::parse(&other),
            Err(FileError::WrongFormat("kobo".into()))
        );
        let future = good.replacen("\"version\": 2", "\"version\": 3", 1);
        assert_eq!(OutboxFile::parse(&future), Err(FileError::WrongVersion(3)));
        assert!(OutboxFile::parse("").is_err());
    }

    #[test]
    fn a_tampered_session_is_refused() {
        let good = file().to_json();
        let altered = good.replacen("il parco", "la piazza", 1);
        assert_ne!(altered, good);
        assert_eq!(OutboxFile::parse(&altered), Err(FileError::BadChecksum));
        // A session dropped, its count kept: the count gives it away.
        let mut dropped: serde_json::Value = serde_json::from_str(&good).unwrap();
        dropped["sessions"] = serde_json::json!([]);
        assert_eq!(
            OutboxFile::parse(&dropped.to_string()),
            Err(FileError::WrongCount {
                what: "sessions",
                said: 1,
                found: 0
            })
        );
        // Dropped with its count: the checksum gives it away.
        dropped["session_count"] = 0.into();
        assert_eq!(
            OutboxFile::parse(&dropped.to_string()),
            Err(FileError::BadChecksum)
        );
        // A session moved into a file that claims to be version 1.
        let downgraded = good.replacen("\"version\": 2", "\"version\": 1", 1);
        assert_eq!(
            OutboxFile::parse(&downgraded),
            Err(FileError::SessionsInVersion1)
        );
    }
}
