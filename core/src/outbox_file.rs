//! The outbox as a file, for the days when there is never a network: the app writes it, the
//! collector imports it (`voci import FILE`). A checksum over the responses refuses a file that
//! was truncated or altered, before anything is stored.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::response::Response;

pub const FORMAT: &str = "voci-outbox";
pub const FORMAT_VERSION: u32 = 1;

/// The file: a header, the responses, and the SHA-256 of the responses' JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutboxFile {
    pub format: String,
    pub version: u32,
    /// When the file was made, as the device's clock said (RFC 3339).
    pub exported_at: String,
    pub count: usize,
    pub responses: Vec<Response>,
    /// `sha256:` and the hex digest of the JSON of `responses` (as [`checksum`] writes it).
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
        "this outbox file is version {0}; this collector reads version {FORMAT_VERSION}: update the collector"
    )]
    WrongVersion(u32),
    #[error("the file says it holds {said} responses but holds {found}: it is damaged")]
    WrongCount { said: usize, found: usize },
    #[error("the checksum does not match: the file was changed or damaged after export")]
    BadChecksum,
}

/// The checksum of a list of responses.
pub fn checksum(responses: &[Response]) -> String {
    let json = serde_json::to_string(responses).expect("responses always serialise");
    let digest = Sha256::digest(json.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

impl OutboxFile {
    pub fn new(responses: Vec<Response>, exported_at: String) -> Self {
        Self {
            format: FORMAT.into(),
            version: FORMAT_VERSION,
            exported_at,
            count: responses.len(),
            checksum: checksum(&responses),
            responses,
        }
    }

    /// The file's text (pretty, so a coordinator can look inside).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("an outbox file always serialises")
    }

    /// Reads and verifies a file: every check passes, or nothing is returned.
    pub fn parse(text: &str) -> Result<Self, FileError> {
        let file: OutboxFile =
            serde_json::from_str(text).map_err(|e| FileError::Unreadable(e.to_string()))?;
        if file.format != FORMAT {
            return Err(FileError::WrongFormat(file.format));
        }
        if file.version != FORMAT_VERSION {
            return Err(FileError::WrongVersion(file.version));
        }
        if file.count != file.responses.len() {
            return Err(FileError::WrongCount {
                said: file.count,
                found: file.responses.len(),
            });
        }
        if checksum(&file.responses) != file.checksum {
            return Err(FileError::BadChecksum);
        }
        Ok(file)
    }
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

    #[test]
    fn a_file_round_trips() {
        let file = OutboxFile::new(
            vec![response(1), response(2)],
            "2026-11-23T11:00:00Z".into(),
        );
        assert_eq!(OutboxFile::parse(&file.to_json()).unwrap(), file);
    }

    #[test]
    fn damaged_files_are_refused() {
        let good = OutboxFile::new(
            vec![response(1), response(2)],
            "2026-11-23T11:00:00Z".into(),
        )
        .to_json();
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
            Err(FileError::WrongCount { said: 3, found: 2 })
        );
        let other = good.replacen("voci-outbox", "kobo", 1);
        assert_eq!(
            OutboxFile::parse(&other),
            Err(FileError::WrongFormat("kobo".into()))
        );
        assert!(OutboxFile::parse("").is_err());
    }
}
