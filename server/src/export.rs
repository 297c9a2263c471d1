//! CSV downloads, streamed: rows are read from the database and sent in chunks while the
//! client downloads, so memory stays flat however many responses there are.

use std::io::{self, Write};
use std::ops::ControlFlow;

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response as HttpResponse};
use tokio::sync::mpsc;
use voci_core::export::{header, row};
use voci_core::{Response, Survey};

use crate::error_chain;
use crate::startup::AppState;
use crate::store::{Store, StoreError};

/// How many bytes are gathered before they are sent.
const CHUNK: usize = 32 * 1024;

/// The download of every stored response to `survey`'s id, laid out by `survey` (the latest
/// version), in order of receipt.
pub fn csv_download(state: AppState, survey: Survey) -> HttpResponse {
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(4);
    let filename = format!("attachment; filename=\"{}.csv\"", survey.id);
    tokio::task::spawn_blocking(move || {
        let mut out = ChunkSender {
            buf: Vec::with_capacity(CHUNK),
            tx,
        };
        match write_csv(state.store(), &survey, &mut out) {
            Ok(()) => {}
            Err(_) if out.tx.is_closed() => {
                tracing::debug!("the client left during the download of {}", survey.id);
            }
            Err(e) => {
                tracing::error!("the download of {} failed: {}", survey.id, error_chain(&e));
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
            (CONTENT_DISPOSITION, filename),
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
    #[error("a stored response cannot be read back")]
    Payload(#[from] serde_json::Error),
}

fn write_csv(store: &Store, survey: &Survey, out: &mut ChunkSender) -> Result<(), ExportError> {
    let mut csv = csv::Writer::from_writer(&mut *out);
    csv.write_record(header(survey))?;
    let mut failure: Option<ExportError> = None;
    store.for_each_payload(survey.id.as_str(), |payload| {
        let written = serde_json::from_str::<Response>(payload)
            .map_err(ExportError::from)
            .and_then(|response| Ok(csv.write_record(row(survey, &response))?));
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
