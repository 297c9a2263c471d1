//! A workbook as rows of text cells, whatever file it came from: `.xlsx` and `.xls` (read with
//! calamine), pyxform's one-file CSV form and its markdown tables.
//!
//! Every row keeps the row number and every cell the column it has in the file, so that a
//! problem can be reported at `survey!C14`.

use std::io::Cursor;

use calamine::{Data, Reader as _, open_workbook_auto_from_rs};

/// The sheets of a workbook, in file order.
#[derive(Debug, Default)]
pub struct Workbook {
    pub sheets: Vec<Sheet>,
}

#[derive(Debug)]
pub struct Sheet {
    /// The name as written (`SURVEY`, `survey`).
    pub name: String,
    /// The non-empty rows, the header first.
    pub rows: Vec<Row>,
}

/// One row: its 1-based number in the file, and its cells from `first_column` (1-based) on.
#[derive(Debug, Clone)]
pub struct Row {
    pub number: usize,
    pub first_column: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell at index `i` (0-based, from `first_column`), or "" past the end.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", String::as_str)
    }

    fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.is_empty())
    }
}

/// Why a file cannot be read as a workbook at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(pub String);

impl Workbook {
    /// The sheet whose name is `name` in any case.
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets
            .iter()
            .find(|s| s.name.trim().eq_ignore_ascii_case(name))
    }

    /// Reads an `.xlsx` or `.xls` workbook (the format is told from the bytes).
    pub fn from_excel(bytes: &[u8]) -> Result<Self, ReadError> {
        let mut book = open_workbook_auto_from_rs(Cursor::new(bytes))
            .map_err(|e| ReadError(format!("this is not an Excel workbook ({e})")))?;
        let mut sheets = Vec::new();
        for name in book.sheet_names() {
            let range = book
                .worksheet_range(&name)
                .map_err(|e| ReadError(format!("cannot read the sheet \"{name}\" ({e})")))?;
            let (top, left) = range.start().unwrap_or((0, 0));
            let rows = range
                .rows()
                .enumerate()
                .map(|(i, cells)| Row {
                    number: top as usize + i + 1,
                    first_column: left as usize + 1,
                    cells: cells.iter().map(cell_text).collect(),
                })
                .filter(|r| !r.is_blank())
                .collect();
            sheets.push(Sheet { name, rows });
        }
        Ok(Self { sheets })
    }

    /// Reads pyxform's CSV form: a row whose first cell is a sheet name starts that sheet; the
    /// sheet's rows follow with an empty first cell.
    pub fn from_csv(text: &str) -> Result<Self, ReadError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut book = Workbook::default();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| ReadError(format!("this is not valid CSV ({e})")))?;
            let number = record.position().map_or(i + 1, |p| p.line() as usize);
            let first = record.get(0).unwrap_or("").trim();
            let row = Row {
                number,
                first_column: 2,
                cells: record.iter().skip(1).map(|c| c.trim().to_owned()).collect(),
            };
            book.push_row(first, row, 1)?;
        }
        Ok(book)
    }

    /// Reads pyxform's markdown form: `| survey |` starts a sheet, `| | type | name |` rows
    /// follow; lines starting with `#` are comments.
    pub fn from_markdown(text: &str) -> Result<Self, ReadError> {
        let mut book = Workbook::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.starts_with('#') || !line.starts_with('|') {
                continue;
            }
            let inner = line.trim_start_matches('|');
            let inner = inner.strip_suffix('|').unwrap_or(inner);
            let cells: Vec<String> = split_pipes(inner);
            // `| | --- | --- |`: the sheet-name column of a separator is empty.
            let is_separator = cells.iter().any(|c| c.contains('-'))
                && cells
                    .iter()
                    .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')));
            if is_separator {
                continue;
            }
            let first = cells.first().map_or("", String::as_str).to_owned();
            let row = Row {
                number: i + 1,
                first_column: 2,
                cells: cells.into_iter().skip(1).collect(),
            };
            book.push_row(&first, row, i + 1)?;
        }
        Ok(book)
    }

    /// Adds a row of the one-file formats: a first cell names a new sheet.
    fn push_row(&mut self, first: &str, row: Row, line: usize) -> Result<(), ReadError> {
        if !first.is_empty() {
            self.sheets.push(Sheet {
                name: first.to_owned(),
                rows: Vec::new(),
            });
        }
        if row.is_blank() {
            return Ok(());
        }
        match self.sheets.last_mut() {
            Some(sheet) => {
                sheet.rows.push(row);
                Ok(())
            }
            None => Err(ReadError(format!(
                "line {line} comes before any sheet name (the first cell of a line names the sheet: survey, choices, settings)"
            ))),
        }
    }
}

/// Splits a markdown row at `|`, keeping `\|` as a pipe in the cell.
fn split_pipes(s: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                if let Some(l) = cells.last_mut() {
                    l.push('|');
                }
            }
            '|' => cells.push(String::new()),
            c => {
                if let Some(l) = cells.last_mut() {
                    l.push(c);
                }
            }
        }
    }
    cells.into_iter().map(|c| c.trim().to_owned()).collect()
}

/// A cell as the text pyxform would see: whole numbers without `.0`, booleans as
/// `TRUE`/`FALSE`, dates as `YYYY-MM-DD HH:MM:SS`.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(dt) => excel_date_text(dt.as_f64(), dt.is_duration()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        crate::num::format(f)
    }
}

/// An Excel serial date (days since 1899-12-30) as pyxform writes it: `2010-06-15 00:00:00`,
/// or `12:00:00` for a time alone.
fn excel_date_text(serial: f64, duration: bool) -> String {
    if duration {
        return number_text(serial);
    }
    let days = serial.floor() as i64;
    let seconds = ((serial - serial.floor()) * 86_400.0).round() as i64;
    // 1899-12-30 is 25569 days before 1970-01-01.
    let date = crate::expr::date_string(days - 25_569);
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (days, seconds) {
        (0, _) => format!("{h:02}:{m:02}:{s:02}"),
        _ => format!("{date} {h:02}:{m:02}:{s:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_keep_their_place() {
        let book =
            Workbook::from_csv("survey,,\n,type,name\n,text,q1\n,,\nchoices,,\n,list_name,name\n")
                .unwrap();
        let survey = book.sheet("SURVEY").unwrap();
        assert_eq!(survey.rows.len(), 2);
        assert_eq!(survey.rows[1].number, 3);
        assert_eq!(survey.rows[1].first_column, 2);
        assert_eq!(survey.rows[1].cells, ["text", "q1"]);
        assert_eq!(book.sheet("choices").unwrap().rows.len(), 1);
    }

    #[test]
    fn markdown_tables_with_escaped_pipes() {
        let book = Workbook::from_markdown(
            "# a comment\n| survey |\n| | type | name | relevant |\n| | --- | --- | --- |\n| | text | q | ${a} = 'x\\|y' |\n",
        )
        .unwrap();
        let rows = &book.sheet("survey").unwrap().rows;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].cells, ["text", "q", "${a} = 'x|y'"]);
        assert_eq!(rows[1].number, 5);
    }

    #[test]
    fn excel_numbers_and_dates_read_as_pyxform_reads_them() {
        assert_eq!(number_text(8.0), "8");
        assert_eq!(number_text(10.51), "10.51");
        assert_eq!(excel_date_text(40344.0, false), "2010-06-15 00:00:00");
        assert_eq!(excel_date_text(0.5, false), "12:00:00");
    }

    #[test]
    fn rows_before_a_sheet_name_are_an_error() {
        assert!(Workbook::from_csv(",type,name\n").is_err());
    }
}
