//! Downloads, streamed: rows are read from the database and sent in chunks while the client
//! downloads, so memory stays flat however many responses or sessions there are. CSV goes
//! out as it is written; an XLSX workbook's data sheet is written row by row to a temporary
//! file (rust_xlsxwriter's constant-memory mode) and the zipped workbook streamed at the end.
//! Text a person typed is neutralised against spreadsheet formulas (`=`, `+`, `-`, `@`).

use std::borrow::Cow;
use std::io::{self, Write};
use std::ops::ControlFlow;

use axum::body::{Body, Bytes};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response as HttpResponse};
use rust_xlsxwriter::{Workbook, Worksheet};
use tokio::sync::mpsc;
use voci_core::export::{
    Record, Values, free_text_columns, header, needed, repeat_free_text_columns, repeat_header,
    repeat_rows, write_row,
};
use voci_core::guide::Session;
use voci_core::response::ResponseRef;
use voci_core::results::{Count, Detail, Options, SurveyResults, Tally};
use voci_core::{Response, Section, Survey};

use crate::error_chain;
use crate::focus_groups::{GuideVersions, SessionCsv, neutralise};
use crate::scan;
use crate::startup::AppState;
use crate::store::{ResponseFilter, Store, StoreError};

/// How many bytes are gathered before they are sent.
const CHUNK: usize = 32 * 1024;

/// The download of the responses `filter` selects, laid out by `survey` (the latest version),
/// in order of receipt, with choices as `values` says.
pub fn csv_download(
    state: AppState,
    survey: Survey,
    filter: ResponseFilter,
    values: Values,
) -> HttpResponse {
    let filename = format!("{}.csv", survey.id);
    stream(state, filename, CSV, move |store, out| {
        write_csv(store, &survey, &filter, &values, out)
    })
}

/// The instances of the repeated section `repeat` of `survey` in the responses `filter`
/// selects: a row per instance, linked to the main CSV's `response_id` by `PARENT_KEY`.
pub fn repeat_csv_download(
    state: AppState,
    survey: Survey,
    repeat: Section,
    filter: ResponseFilter,
    values: Values,
) -> HttpResponse {
    let filename = format!("{}-{}.csv", survey.id, repeat.id);
    stream(state, filename, CSV, move |store, out| {
        let text = repeat_free_text_columns(&repeat);
        write_rows(
            out,
            repeat_header(&repeat),
            |f| store.for_each_response(&filter, f),
            |payload| {
                let response: Response = serde_json::from_str(payload)?;
                let mut rows = repeat_rows(&survey, &repeat, &response, &values);
                for cells in &mut rows {
                    for (cell, free) in cells.iter_mut().zip(&text) {
                        if *free {
                            *cell = neutralise(cell);
                        }
                    }
                }
                Ok(rows)
            },
        )
    })
}

/// The XLSX workbook of the responses `filter` selects: a `data` sheet (the CSV's columns,
/// written row by row in constant memory), a `codebook` sheet and a `summary` sheet (the
/// aggregated results, suppressed, without text answers).
pub fn xlsx_download(
    state: AppState,
    survey: Survey,
    filter: ResponseFilter,
    values: Values,
    min_count: u64,
) -> HttpResponse {
    let filename = format!("{}.xlsx", survey.id);
    stream(state, filename, XLSX, move |store, out| {
        write_xlsx(store, &survey, &filter, &values, min_count, out)
    })
}

/// A small file made whole in memory (a codebook, a results table) as a download.
pub fn file_download(filename: String, content_type: &'static str, body: Vec<u8>) -> HttpResponse {
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [
            (CONTENT_TYPE, content_type.to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

pub const CSV: &str = "text/csv; charset=utf-8";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const MARKDOWN: &str = "text/markdown; charset=utf-8";

/// The download `which` of the sessions of `guide` (at `site` or below when given), in order
/// of date.
pub fn sessions_download(
    state: AppState,
    guide: GuideVersions,
    which: SessionCsv,
    sites: Vec<String>,
) -> HttpResponse {
    let filename = which.file_name(guide.id());
    stream(state, filename, CSV, move |store, out| {
        write_sessions_csv(store, &guide, which, &sites, out)
    })
}

/// Streams what `write` writes as the file `filename` of type `content_type`.
fn stream(
    state: AppState,
    filename: String,
    content_type: &'static str,
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
            (CONTENT_TYPE, content_type.to_owned()),
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
    #[error("cannot write the workbook")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Neutralises `cell` against spreadsheet formulas when it is typed text (`free`).
fn safe(cell: &str, free: bool) -> Cow<'_, str> {
    if free && cell.starts_with(FORMULA) {
        Cow::Owned(neutralise(cell))
    } else {
        Cow::Borrowed(cell)
    }
}

/// What `neutralise` looks for at the start of a cell.
const FORMULA: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The main CSV: a row per response. Batches of rows are written on all cores (each through
/// one reused record) and sent in the order read.
fn write_csv(
    store: &Store,
    survey: &Survey,
    filter: &ResponseFilter,
    values: &Values,
    out: &mut ChunkSender,
) -> Result<(), ExportError> {
    let text = free_text_columns(survey);
    let needed = needed(survey);
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(header(survey))?;
    out.write_all(&csv.into_inner().map_err(|e| e.into_error())?)?;
    scan::ordered::<_, ExportError>(
        store,
        filter,
        |batch| {
            let mut csv = csv::Writer::from_writer(Vec::with_capacity(CHUNK));
            let mut record = Record::default();
            for payload in batch.iter() {
                let response = ResponseRef::read(payload, &needed)?;
                write_row(survey, &response, values, &mut record);
                for (cell, free) in record.iter().zip(&text) {
                    csv.write_field(safe(cell, *free).as_bytes())?;
                }
                csv.write_record(None::<&[u8]>)?;
            }
            Ok(csv.into_inner().map_err(|e| e.into_error())?)
        },
        |rows| Ok(out.write_all(&rows)?),
    )?;
    out.flush()?;
    Ok(())
}

/// Calls `each` with every payload `for_each` reads, and stops at its first failure.
fn try_each(
    for_each: impl FnOnce(&mut dyn FnMut(&str) -> ControlFlow<()>) -> Result<(), StoreError>,
    mut each: impl FnMut(&str) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let mut failure: Option<ExportError> = None;
    for_each(&mut |payload| match each(payload) {
        Ok(()) => ControlFlow::Continue(()),
        Err(e) => {
            failure = Some(e);
            ControlFlow::Break(())
        }
    })?;
    failure.map_or(Ok(()), Err)
}

fn write_xlsx(
    store: &Store,
    survey: &Survey,
    filter: &ResponseFilter,
    values: &Values,
    min_count: u64,
    out: &mut ChunkSender,
) -> Result<(), ExportError> {
    let text = free_text_columns(survey);
    let options = Options::new(min_count, false);
    let mut tally = Tally::new(survey);
    let mut workbook = Workbook::new();
    // Deflate level 3 instead of 6: a third faster for a quarter more bytes (1,000,000
    // responses: 24 s and 276 MB instead of 36 s and 223 MB; see BENCHMARKS.md).
    workbook.set_zip_compression_level(3);
    let data = workbook.add_worksheet_with_constant_memory()?;
    data.set_name("data")?;
    data.write_row(0, 0, header(survey))?;
    // Rows are read and laid out on all cores, and written to the sheet here, in order. The
    // row's answers and the summary's are read each in their own places.
    let row_needed = needed(survey);
    let tally_needed = tally.needed();
    let mut next: u32 = 1;
    scan::ordered::<_, ExportError>(
        store,
        filter,
        |batch| {
            let mut part = Tally::new(survey);
            let mut rows = Vec::new();
            for payload in batch.iter() {
                part.add_ref(&ResponseRef::read(payload, &tally_needed)?, &options);
                let mut record = Record::default();
                let response = ResponseRef::read(payload, &row_needed)?;
                write_row(survey, &response, values, &mut record);
                rows.push(record);
            }
            Ok((rows, part))
        },
        |(rows, part)| {
            tally.merge(part, &options);
            for record in &rows {
                write_cells(data, next, record, &text)?;
                next += 1;
            }
            Ok(())
        },
    )?;
    for (i, repeat) in survey
        .sections
        .iter()
        .filter(|s| s.repeat.is_some())
        .enumerate()
    {
        write_repeat_sheet(&mut workbook, i, store, survey, repeat, filter, values)?;
    }
    let codebook = workbook.add_worksheet();
    codebook.set_name("codebook")?;
    codebook.write_row(0, 0, voci_core::codebook::header(survey))?;
    for (i, row) in voci_core::codebook::rows(survey).into_iter().enumerate() {
        codebook.write_row(i as u32 + 1, 0, row.into_iter().map(|c| neutralise(&c)))?;
    }
    let summary = workbook.add_worksheet();
    summary.set_name("summary")?;
    let results = tally.finish(&options);
    for (i, row) in results_table(&results, survey.default_language())
        .into_iter()
        .enumerate()
    {
        summary.write_row(i as u32, 0, row)?;
    }
    workbook.save_to_writer(&mut *out)?;
    out.flush()?;
    Ok(())
}

/// The sheet of the `i`th repeated section `repeat`: its CSV's rows (one per instance,
/// `PARENT_KEY` and `KEY`), in constant memory. It is named by the repeat's id, cut to the
/// 31 characters a sheet name may have, or `repeat-<i+1>` when that name is taken.
fn write_repeat_sheet(
    workbook: &mut Workbook,
    i: usize,
    store: &Store,
    survey: &Survey,
    repeat: &Section,
    filter: &ResponseFilter,
    values: &Values,
) -> Result<(), ExportError> {
    let mut name: String = repeat.id.as_str().chars().take(31).collect();
    let taken = ["data", "codebook", "summary"]
        .iter()
        .any(|t| t.eq_ignore_ascii_case(&name))
        || workbook.worksheet_from_name(&name).is_ok();
    if taken {
        name = format!("repeat-{}", i + 1);
    }
    let text = repeat_free_text_columns(repeat);
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(name)?;
    sheet.write_row(0, 0, repeat_header(repeat))?;
    let mut next: u32 = 1;
    let mut record = Record::default();
    try_each(
        |f| store.for_each_response(filter, f),
        |payload| {
            let response: Response = serde_json::from_str(payload)?;
            for cells in repeat_rows(survey, repeat, &response, values) {
                record.clear();
                cells.iter().for_each(|c| record.push(c));
                write_cells(sheet, next, &record, &text)?;
                next += 1;
            }
            Ok(())
        },
    )
}

/// Writes one data row: numbers as numbers (so a spreadsheet can sum them), the rest as text.
fn write_cells(
    sheet: &mut Worksheet,
    row: u32,
    cells: &Record,
    text: &[bool],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    for (col, (cell, free)) in cells.iter().zip(text).enumerate() {
        let col = col as u16;
        match cell.parse::<f64>() {
            _ if cell.is_empty() => {}
            Ok(n) if !free && n.is_finite() => {
                sheet.write_number(row, col, n)?;
            }
            _ => {
                sheet.write_string(row, col, safe(cell, *free))?;
            }
        }
    }
    Ok(())
}

/// The aggregated results as rows of a table (header first): one row per choice, per number
/// statistic, or per question for the rest. Hidden counts read `<5`; text answers are never
/// in it.
pub fn results_table(results: &SurveyResults, lang: &str) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "question",
            "type",
            "label",
            "value",
            "value_label",
            "count",
            "percent",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let count = |c: &Count| match c {
        Count::Shown(n) => n.to_string(),
        Count::Hidden(s) => s.clone(),
    };
    let percent = |p: Option<f64>| p.map(|p| p.to_string()).unwrap_or_default();
    rows.push(vec![
        String::new(),
        String::new(),
        "respondents".into(),
        String::new(),
        String::new(),
        count(&results.respondents),
        String::new(),
    ]);
    for q in &results.questions {
        let base = |value: &str, value_label: &str, c: String, p: String| {
            vec![
                q.id.clone(),
                q.kind.clone(),
                neutralise(q.label.get(lang, lang)),
                value.to_owned(),
                neutralise(value_label),
                c,
                p,
            ]
        };
        rows.push(base("answered", "", count(&q.answered), String::new()));
        match &q.detail {
            Detail::Choices {
                choices,
                no_answer,
                mean,
            } => {
                for c in choices {
                    rows.push(base(
                        &c.id,
                        c.label.get(lang, lang),
                        count(&c.count),
                        percent(c.percent),
                    ));
                }
                if let Some(n) = no_answer {
                    rows.push(base("no_answer", "", count(n), String::new()));
                }
                if let Some(m) = mean {
                    rows.push(base("mean", "", m.to_string(), String::new()));
                }
            }
            Detail::Numbers { stats: Some(s) } => {
                for (name, v) in [
                    ("mean", s.mean),
                    ("q1", s.q1),
                    ("median", s.median),
                    ("q3", s.q3),
                ] {
                    rows.push(base(name, "", v.to_string(), String::new()));
                }
            }
            _ => {}
        }
    }
    rows
}

fn write_sessions_csv(
    store: &Store,
    guide: &GuideVersions,
    which: SessionCsv,
    sites: &[String],
    out: &mut ChunkSender,
) -> Result<(), ExportError> {
    write_rows(
        out,
        which.header(guide),
        |f| store.for_each_session(guide.id(), sites, f),
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
    try_each(for_each, |payload| {
        for row in rows(payload)? {
            csv.write_record(row)?;
        }
        Ok(())
    })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_neutralises_typed_text_as_neutralise_does() {
        for cell in ["=1+1", "+3", "-2", "@x", "\tx", "\rx", "ok", "", "'=x", "1"] {
            assert_eq!(safe(cell, true), neutralise(cell), "{cell:?}");
            assert_eq!(safe(cell, false), cell, "{cell:?}");
        }
    }
}
