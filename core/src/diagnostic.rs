//! Errors and warnings about a file, with the line and column a researcher can go to.

use std::fmt;

use crate::serde_lean::object_only;
use serde::{Deserialize, Serialize};

// Structs read from JSON objects only (`remote = "Self"`): see `crate::serde_lean`.
object_only!(Diagnostic);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about a file, displayed as `file:line:column: message`, or, in a spreadsheet
/// (an XLSForm), as `file:sheet!C14: message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Diagnostic {
    pub file: String,
    /// The spreadsheet's sheet, for a workbook; `line` is then the row and `column` the column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tag = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        };
        match &self.sheet {
            Some(sheet) => write!(
                f,
                "{}:{sheet}!{}{}: {tag}{}",
                self.file,
                column_letters(self.column),
                self.line,
                self.message
            ),
            None => write!(
                f,
                "{}:{}:{}: {tag}{}",
                self.file, self.line, self.column, self.message
            ),
        }
    }
}

/// A spreadsheet column's letters: 1 is `A`, 26 is `Z`, 27 is `AA`.
pub fn column_letters(column: usize) -> String {
    let mut n = column.max(1);
    let mut out = Vec::new();
    while n > 0 {
        let d = (n - 1) % 26;
        out.push(b'A' + d as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Turns byte offsets into 1-based line and column (in characters).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, line_starts }
    }

    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub fn did_you_mean<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let idx = LineIndex::new("ab\nçà = 1\n");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(3), (2, 1));
        // "çà" is four bytes, two characters.
        assert_eq!(idx.position(3 + 4 + 1), (2, 4));
    }

    #[test]
    fn spreadsheet_cells_are_named_like_a_spreadsheet() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(53), "BA");
        let d = Diagnostic {
            file: "form.xlsx".into(),
            sheet: Some("survey".into()),
            line: 14,
            column: 3,
            severity: Severity::Error,
            message: "unknown type".into(),
        };
        assert_eq!(d.to_string(), "form.xlsx:survey!C14: unknown type");
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("singel", &["single", "multiple"]),
            Some("single")
        );
        assert_eq!(did_you_mean("lable", &["label", "hint"]), Some("label"));
        assert_eq!(did_you_mean("zzzzzz", &["single", "multiple"]), None);
    }
}
