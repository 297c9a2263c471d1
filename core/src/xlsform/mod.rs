//! XLSForm, the spreadsheet format of ODK, KoboToolbox and SurveyCTO, read into Voci's survey
//! model (see `docs/xlsform.md`).
//!
//! A form is read in three steps:
//! 1. [`sheets`]: the file (`.xlsx`, `.xls`, pyxform's one-file `.csv` or `.md`) becomes rows of
//!    text cells that remember their row and column;
//! 2. [`form`]: the sheets become a [`Form`], the tree the author wrote (groups, repeats,
//!    fields, choice lists, settings), with headers matched as pyxform matches them;
//! 3. [`lower`]: the form becomes a [`Survey`], checked like a native file.
//!
//! Every problem is a [`Diagnostic`] at its cell (`form.xlsx:survey!C14: ...`), all collected.

pub mod form;
mod lower;
pub mod sheets;

pub use form::{Element, Field, FieldKind, Form, Group, Labels};
pub use sheets::Workbook;

use crate::Survey;
use crate::diagnostic::{Diagnostic, Severity};

/// The file extensions read as XLSForms.
pub const EXTENSIONS: &[&str] = &["xlsx", "xls", "csv", "md"];

/// Whether `file`'s name says it is an XLSForm (`.xlsx`, `.xls`, `.csv`, `.md`).
pub fn is_xlsform(file: &str) -> bool {
    extension(file).is_some_and(|e| EXTENSIONS.contains(&e.as_str()))
}

fn extension(file: &str) -> Option<String> {
    std::path::Path::new(file)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// A cell of a sheet: 1-based row and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub row: usize,
    pub column: usize,
}

/// Where the diagnostics about one file are collected.
pub(crate) struct Sink<'a> {
    file: &'a str,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    fn new(file: &'a str) -> Self {
        Self {
            file,
            diagnostics: Vec::new(),
        }
    }

    pub fn error(&mut self, sheet: &str, at: Cell, message: impl Into<String>) {
        self.push(Some(sheet), at, Severity::Error, message.into());
    }

    pub fn warning(&mut self, sheet: &str, at: Cell, message: impl Into<String>) {
        self.push(Some(sheet), at, Severity::Warning, message.into());
    }

    /// A problem with the file as a whole.
    pub fn file_error(&mut self, message: impl Into<String>) {
        self.push(
            None,
            Cell { row: 1, column: 1 },
            Severity::Error,
            message.into(),
        );
    }

    fn push(&mut self, sheet: Option<&str>, at: Cell, severity: Severity, message: String) {
        self.diagnostics.push(Diagnostic {
            file: self.file.to_owned(),
            sheet: sheet.map(str::to_owned),
            line: at.row,
            column: at.column,
            severity,
            message,
        });
    }

    fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Reads the file's bytes as a workbook, by the file's extension.
pub fn workbook(file: &str, bytes: &[u8]) -> Result<Workbook, String> {
    let text = || {
        std::str::from_utf8(bytes)
            .map(|t| t.trim_start_matches('\u{feff}'))
            .map_err(|_| "it is not UTF-8 text".to_owned())
    };
    let read = match extension(file).as_deref() {
        Some("csv") => Workbook::from_csv(text()?),
        Some("md") => Workbook::from_markdown(text()?),
        _ => Workbook::from_excel(bytes),
    };
    read.map_err(|e| e.0)
}

/// Reads an XLSForm into the tree its author wrote, with every problem found on the way.
/// `file` names the file in diagnostics and tells its format by its extension.
pub fn read_form(file: &str, bytes: &[u8]) -> (Option<Form>, Vec<Diagnostic>) {
    let mut sink = Sink::new(file);
    let form = match workbook(file, bytes) {
        Ok(book) => form::read(&book, &mut sink),
        Err(e) => {
            sink.file_error(format!("cannot read this file: {e}"));
            None
        }
    };
    (form, sink.diagnostics)
}

/// Reads an XLSForm as a survey. Returns the survey when there is no error, and every
/// diagnostic found (warnings say what Voci leaves out, such as `start` and `end`).
pub fn parse_xlsform(file: &str, bytes: &[u8]) -> (Option<Survey>, Vec<Diagnostic>) {
    let mut sink = Sink::new(file);
    let form = match workbook(file, bytes) {
        Ok(book) => form::read(&book, &mut sink),
        Err(e) => {
            sink.file_error(format!("cannot read this file: {e}"));
            None
        }
    };
    // A broken tree would only give confusing follow-up errors.
    let survey = form
        .filter(|_| !sink.has_errors())
        .and_then(|form| lower::lower(file, &form, &mut sink))
        .filter(|_| !sink.has_errors());
    (survey, sink.diagnostics)
}
