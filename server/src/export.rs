//! CSV downloads, streamed: rows are read from the database and sent in chunks while the
//! client downloads, so memory stays flat however many responses or sessions there are.

use std::io::{self, Write};
use std::ops::ControlFlow;

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response as HttpResponse};
use tokio::sync::mpsc;
use voci_core::export::{header, row};
use voci_core::guide::Session;
use voci_core::{Response, Survey};

use crate::error_chain;
use crate::focus_groups::{GuideVersions, SessionCsv};
use crate::startup::AppState;
use crate::store::{Store, StoreError};

/// How many bytes are gathered before they are sent.
const CHUNK: usize = 32 * 1024;

/// The download of every stored response to `survey`'s id, laid out by `survey` (the latest
/// version), in order of receipt.
pub fn csv_download(state: AppState, survey: Survey) -> HttpResponse {
    let filename = format!("{}.csv", survey.id);
    stream(state, filename, move |store, out| {
        write_csv(store, &survey, out)
    })
}

/// The download `which` of the sessions of `guide` (at `site` or below when given), in order
/// of date.
pub fn sessions_download(
    state: AppState,
    guide: GuideVersions,
    which: SessionCsv,
    site: Option<String>,
) -> HttpResponse {
    let filename = which.file_name(guide.id());
    stream(state, filename, move |store, out| {
        write_sessions_csv(store, &guide, which, site.as_deref(), out)
    })
}

/// Streams what `write` writes as the CSV file `filename`.
fn stream(
    state: AppState,
    filename: String,
    write: impl FnOnce(&Store, &mut ChunkSender) -> Result<(), ExportError> + Send + 'static,
) -> HttpResponse {
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(4);
    let disposition = format!("attachment; filename=\"{filename}\"");
    tokio::task::spawn_blocking(move || {
        let mut out = ChunkSender {
            buf: Vec::with_capacity(CHUNK),
            tx,
        };
        match write(state.store(), &mut out) {
            Ok(()) => {}
            Err(_) if out.tx.is_closed() => {
                tracing::debug!("the client left during the download of {filename}");
            }
            Err(e) => {
                tracing::error!("the download of {filename} failed: {}", error_chain(&e));
                // Ending the body with an error aborts the download, so the client cannot
                // take a truncated file for a whole one.
                let _ = out
                    .tx
                    .blocking_send(Err(io::Error::other("the export failed")));
            }
        }
    });
    let body = Body::from_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    }));
    (
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

#[derive(Debug, thiserror::Error)]
enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the CSV")]
    Csv(#[from] csv::Error),
    #[error("cannot write the CSV")]
    Io(#[from] io::Error),
    #[error("a stored record cannot be read back")]
    Payload(#[from] serde_json::Error),
}

fn write_csv(store: &Store, survey: &Survey, out: &mut ChunkSender) -> Result<(), ExportError> {
    write_rows(
        out,
        header(survey),
        |f| store.for_each_payload(survey.id.as_str(), f),
        |payload| {
            let response: Response = serde_json::from_str(payload)?;
            Ok(vec![row(survey, &response)])
        },
    )
}

fn write_sessions_csv(
    store: &Store,
    guide: &GuideVersions,
    which: SessionCsv,
    site: Option<&str>,
    out: &mut ChunkSender,
) -> Result<(), ExportError> {
    write_rows(
        out,
        which.header(guide),
        |f| store.for_each_session(guide.id(), site, f),
        |payload| {
            let session: Session = serde_json::from_str(payload)?;
            Ok(which.rows(guide, &session))
        },
    )
}

/// Writes `header`, then the rows `rows` makes of each stored payload `for_each` reads, and
/// stops at the first failure.
fn write_rows(
    out: &mut ChunkSender,
    header: Vec<String>,
    for_each: impl FnOnce(&mut dyn FnMut(&str) -> ControlFlow<()>) -> Result<(), StoreError>,
    rows: impl Fn(&str) -> Result<Vec<Vec<String>>, ExportError>,
) -> Result<(), ExportError> {
    let mut csv = csv::Writer::from_writer(&mut *out);
    csv.write_record(header)?;
    let mut failure: Option<ExportError> = None;
    for_each(&mut |payload| {
        let written = rows(payload).and_then(|rows| {
            for row in rows {
                csv.write_record(row)?;
            }
            Ok(())
        });
        match written {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                failure = Some(e);
                ControlFlow::Break(())
            }
        }
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    csv.flush()?;
    drop(csv);
    out.flush()?;
    Ok(())
}

/// Gathers bytes and sends them to the response body in chunks; fails once the client is gone.
struct ChunkSender {
    buf: Vec<u8>,
    tx: mpsc::Sender<io::Result<Bytes>>,
}

impl ChunkSender {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client left"))
    }
}

impl Write for ChunkSender {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}
