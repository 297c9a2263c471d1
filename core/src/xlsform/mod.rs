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

/// The sheets a form has; pyxform's one-file CSV form opens with one of them in its first cell.
pub const SHEET_NAMES: &[&str] = &["survey", "choices", "settings"];

/// Whether a `.csv` file whose first bytes are `head` is an XLSForm: pyxform's one-file form
/// names a sheet (`survey`, `choices` or `settings`, in any case) in its first cell, which an
/// exported results file or any other table does not. `head` need only hold the first line.
pub fn csv_is_form(head: &[u8]) -> bool {
    let line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let line = String::from_utf8_lossy(line);
    let line = line.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record.get(0).is_some_and(|first| {
            SHEET_NAMES
                .iter()
                .any(|s| first.trim().eq_ignore_ascii_case(s))
        }),
        _ => false,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_is_a_form_when_its_first_cell_names_a_sheet() {
        assert!(csv_is_form(b"survey,type,name\n,text,q\n"));
        assert!(csv_is_form(b"\"SURVEY  \",,\n"));
        assert!(csv_is_form("\u{feff}settings,form_id\n".as_bytes()));
        assert!(csv_is_form(b"choices"));
        // An exported results file, another table, an empty file.
        assert!(!csv_is_form(b"response_id,survey_version,site\n0b7e,1,x\n"));
        assert!(!csv_is_form(b"name_key,name\n"));
        assert!(!csv_is_form(b",type,name\n"));
        assert!(!csv_is_form(b""));
        // A first line cut in a quoted cell is not a form either.
        assert!(!csv_is_form(b"\"surv"));
    }
}
