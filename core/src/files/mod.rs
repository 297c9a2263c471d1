//! The native file formats (TOML): surveys and the sites file, and writing a survey as one
//! ([`write_survey`]).
//!
//! A file is parsed in two steps. TOML is read into [`Node`]s that remember where each key and
//! value stand; then the format's reader walks the nodes, collecting every problem it finds as a
//! [`Diagnostic`] with line and column instead of stopping at the first.

mod guide;
mod sites;
mod survey;
#[cfg(test)]
mod tests;
mod write;

use std::ops::Range;

use toml_edit::{Item, Value};

pub use guide::parse_guide;
pub use sites::parse_sites;
pub use survey::parse_survey;
pub use write::{WriteError, write_survey};

/// What a file in the surveys folder holds.
#[derive(Debug)]
pub enum Parsed {
    Survey(crate::Survey),
    Guide(crate::guide::Guide),
    Sites(crate::SiteTree),
}

/// Reads any file of the surveys folder: `sites.toml` is the site tree; a file whose top-level
/// `kind` is `"focus_group"` is a focus-group guide; any other is a survey. Returns what it
/// holds when there is no error, and every diagnostic found.
pub fn parse_file(file: &str, text: &str) -> (Option<Parsed>, Vec<Diagnostic>) {
    let name = std::path::Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file);
    if name == "sites.toml" {
        let (t, d) = parse_sites(file, text);
        return (t.map(Parsed::Sites), d);
    }
    let is_guide = toml_edit::Document::parse(text)
        .ok()
        .and_then(|doc| {
            doc.get("kind")
                .and_then(|k| k.as_str())
                .map(|k| k == "focus_group")
        })
        .unwrap_or(false);
    if is_guide {
        let (g, d) = parse_guide(file, text);
        (g.map(Parsed::Guide), d)
    } else {
        let (s, d) = parse_survey(file, text);
        (s.map(Parsed::Survey), d)
    }
}

/// Reads any file of the surveys folder from its bytes: an XLSForm (`.xlsx`, `.xls`, `.csv`,
/// `.md`, see [`crate::xlsform`]) is a survey; any other file is read as text by
/// [`parse_file`].
pub fn parse_bytes(file: &str, bytes: &[u8]) -> (Option<Parsed>, Vec<Diagnostic>) {
    if crate::xlsform::is_xlsform(file) {
        let (s, d) = crate::xlsform::parse_xlsform(file, bytes);
        return (s.map(Parsed::Survey), d);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_file(file, text),
        Err(_) => (
            None,
            vec![Diagnostic {
                file: file.to_owned(),
                sheet: None,
                line: 1,
                column: 1,
                severity: Severity::Error,
                message: "cannot read this file: it is not UTF-8 text".into(),
            }],
        ),
    }
}

use crate::diagnostic::{Diagnostic, LineIndex, Severity, did_you_mean};
use crate::text::Text;

/// A TOML value with the byte range it was written at.
#[derive(Debug)]
pub(crate) struct Node {
    pub span: Range<usize>,
    pub value: NodeValue,
}

#[derive(Debug)]
pub(crate) enum NodeValue {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Array(Vec<Node>),
    Table(Vec<Entry>),
    Datetime,
}

#[derive(Debug)]
pub(crate) struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub node: Node,
}

impl NodeValue {
    /// The TOML type's name, for messages ("expected a string, found an array").
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Str(_) => "a string",
            Self::Int(_) => "an integer",
            Self::Float(_) => "a decimal number",
            Self::Bool(_) => "true or false",
            Self::Array(_) => "a list",
            Self::Table(_) => "a table",
            Self::Datetime => "a date-time",
        }
    }
}

fn from_value(v: &Value, fallback: &Range<usize>) -> Node {
    let span = v.span().unwrap_or_else(|| fallback.clone());
    let value = match v {
        Value::String(s) => NodeValue::Str(s.value().clone()),
        Value::Integer(i) => NodeValue::Int(*i.value()),
        Value::Float(f) => NodeValue::Float(*f.value()),
        Value::Boolean(b) => NodeValue::Bool(*b.value()),
        Value::Datetime(_) => NodeValue::Datetime,
        Value::Array(a) => NodeValue::Array(a.iter().map(|v| from_value(v, &span)).collect()),
        Value::InlineTable(t) => NodeValue::Table(
            t.iter()
                .map(|(k, item)| {
                    let key_span = t
                        .get_key_value(k)
                        .and_then(|(key, _)| key.span())
                        .unwrap_or_else(|| span.clone());
                    let node = from_value(item, &key_span);
                    Entry {
                        key: k.to_owned(),
                        key_span,
                        node,
                    }
                })
                .collect(),
        ),
    };
    Node { span, value }
}

fn from_table(t: &toml_edit::Table, fallback: &Range<usize>) -> Node {
    let span = t.span().unwrap_or_else(|| fallback.clone());
    let entries = t
        .iter()
        .map(|(k, item)| {
            let key_span = t
                .get_key_value(k)
                .and_then(|(key, _)| key.span())
                .unwrap_or_else(|| span.clone());
            let node = from_item(item, &key_span);
            Entry {
                key: k.to_owned(),
                key_span,
                node,
            }
        })
        .collect();
    Node {
        span,
        value: NodeValue::Table(entries),
    }
}

fn from_item(item: &Item, fallback: &Range<usize>) -> Node {
    match item {
        Item::Value(v) => from_value(v, fallback),
        Item::Table(t) => from_table(t, fallback),
        Item::ArrayOfTables(a) => {
            let span = a.span().unwrap_or_else(|| fallback.clone());
            let tables = a.iter().map(|t| from_table(t, &span)).collect();
            Node {
                span,
                value: NodeValue::Array(tables),
            }
        }
        Item::None => Node {
            span: fallback.clone(),
            value: NodeValue::Table(Vec::new()),
        },
    }
}

/// Where an expression stands in the file, to place the engine's findings.
pub(crate) struct ExpressionSite {
    pub owner: String,
    pub key: &'static str,
    pub value_start: usize,
}

/// Where diagnostics for one file are collected.
pub(crate) struct Reader<'a> {
    file: &'a str,
    index: LineIndex<'a>,
    pub diagnostics: Vec<Diagnostic>,
    pub expressions: Vec<ExpressionSite>,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Self {
            file,
            index: LineIndex::new(text),
            diagnostics: Vec::new(),
            expressions: Vec::new(),
        }
    }

    /// Parses the TOML, or reports the syntax error and returns `None`.
    pub fn parse_toml(&mut self, text: &str) -> Option<Node> {
        match toml_edit::Document::parse(text) {
            Ok(doc) => Some(from_table(doc.as_table(), &(0..0))),
            Err(e) => {
                let at = e.span().map_or(0, |s| s.start);
                let msg = e.message().trim().trim_end_matches('.').to_owned();
                self.error(at, format!("this is not valid TOML: {msg}"));
                None
            }
        }
    }

    pub fn error(&mut self, offset: usize, message: impl Into<String>) {
        self.push(offset, Severity::Error, message.into());
    }

    fn push(&mut self, offset: usize, severity: Severity, message: String) {
        let (line, column) = self.index.position(offset);
        self.diagnostics.push(Diagnostic {
            file: self.file.to_owned(),
            sheet: None,
            line,
            column,
            severity,
            message,
        });
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Opens `node` as a table whose keys must be among `allowed`; reports unknown keys.
    pub fn table<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        allowed: &[&str],
    ) -> Option<Fields<'n>> {
        let NodeValue::Table(entries) = &node.value else {
            self.error(
                node.span.start,
                format!("{what} must be a table, found {}", node.value.type_name()),
            );
            return None;
        };
        for e in entries {
            if !allowed.contains(&e.key.as_str()) {
                let hint = match did_you_mean(&e.key, allowed) {
                    Some(s) => format!("did you mean \"{s}\"?"),
                    None => format!("expected one of: {}", allowed.join(", ")),
                };
                self.error(
                    e.key_span.start,
                    format!("unknown key \"{}\" in {what} ({hint})", e.key),
                );
            }
        }
        Some(Fields {
            span: node.span.clone(),
            entries,
            what: what.to_owned(),
        })
    }

    /// A required string field.
    pub fn string(&mut self, f: &Fields<'_>, key: &str) -> Option<(String, Range<usize>)> {
        let Some(node) = f.get(key) else {
            self.error(
                f.span.start,
                format!("{} has no \"{key}\" (add {key} = \"...\")", f.what),
            );
            return None;
        };
        self.as_string(node, key)
    }

    pub fn as_string(&mut self, node: &Node, key: &str) -> Option<(String, Range<usize>)> {
        match &node.value {
            NodeValue::Str(s) => Some((s.clone(), node.span.clone())),
            other => {
                self.error(
                    node.span.start,
                    format!("\"{key}\" must be a string, found {}", other.type_name()),
                );
                None
            }
        }
    }

    pub fn opt_bool(&mut self, f: &Fields<'_>, key: &str) -> Option<bool> {
        let node = f.get(key)?;
        match node.value {
            NodeValue::Bool(b) => Some(b),
            ref other => {
                self.error(
                    node.span.start,
                    format!(
                        "\"{key}\" must be true or false, found {}",
                        other.type_name()
                    ),
                );
                None
            }
        }
    }

    pub fn opt_int(&mut self, f: &Fields<'_>, key: &str) -> Option<i64> {
        let node = f.get(key)?;
        match node.value {
            NodeValue::Int(i) => Some(i),
            ref other => {
                self.error(
                    node.span.start,
                    format!(
                        "\"{key}\" must be a whole number, found {}",
                        other.type_name()
                    ),
                );
                None
            }
        }
    }

    pub fn opt_float(&mut self, f: &Fields<'_>, key: &str) -> Option<f64> {
        let node = f.get(key)?;
        match node.value {
            NodeValue::Int(i) => Some(i as f64),
            NodeValue::Float(x) => Some(x),
            ref other => {
                self.error(
                    node.span.start,
                    format!("\"{key}\" must be a number, found {}", other.type_name()),
                );
                None
            }
        }
    }

    /// A list field (`[[section]]` or `[...]`); a missing key is an empty list.
    pub fn list<'n>(&mut self, f: &Fields<'n>, key: &str) -> &'n [Node] {
        match f.get(key) {
            None => &[],
            Some(Node {
                value: NodeValue::Array(items),
                ..
            }) => items,
            Some(node) => {
                self.error(
                    node.span.start,
                    format!("\"{key}\" must be a list, found {}", node.value.type_name()),
                );
                &[]
            }
        }
    }

    /// A text in every one of `langs`: `{ it = "...", en = "..." }`, or a plain string when the
    /// file has a single language.
    pub fn text(&mut self, node: &Node, key: &str, langs: &[String]) -> Option<Text> {
        let mut text = Text::default();
        match &node.value {
            NodeValue::Str(s) if langs.len() <= 1 => {
                text.0.insert(
                    langs.first().cloned().unwrap_or_else(|| "it".into()),
                    s.clone(),
                );
            }
            NodeValue::Str(_) => {
                self.error(
                    node.span.start,
                    format!(
                        "\"{key}\" needs a text per language: {key} = {{ {} }}",
                        langs
                            .iter()
                            .map(|l| format!("{l} = \"...\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                return None;
            }
            NodeValue::Table(entries) => {
                for e in entries {
                    match &e.node.value {
                        NodeValue::Str(s) if langs.contains(&e.key) => {
                            if s.trim().is_empty() {
                                self.error(e.node.span.start, format!("the \"{}\" text of \"{key}\" is empty", e.key));
                            }
                            text.0.insert(e.key.clone(), s.clone());
                        }
                        NodeValue::Str(_) => self.error(
                            e.key_span.start,
                            format!(
                                "\"{}\" is not one of the survey's languages ({}); add it to `languages` or remove this text",
                                e.key,
                                langs.join(", ")
                            ),
                        ),
                        other => self.error(
                            e.node.span.start,
                            format!("the \"{}\" text of \"{key}\" must be a string, found {}", e.key, other.type_name()),
                        ),
                    }
                }
                let missing: Vec<&str> = langs
                    .iter()
                    .filter(|l| !entries.iter().any(|e| &e.key == *l))
                    .map(String::as_str)
                    .collect();
                if !missing.is_empty() {
                    self.error(
                        node.span.start,
                        format!(
                            "\"{key}\" has no text in {} (add {} = \"...\")",
                            missing.join(", "),
                            missing[0]
                        ),
                    );
                }
            }
            other => {
                self.error(
                    node.span.start,
                    format!(
                        "\"{key}\" must be a text or a table of texts per language, found {}",
                        other.type_name()
                    ),
                );
                return None;
            }
        }
        Some(text)
    }
}

/// A table's fields, after its keys were checked.
pub(crate) struct Fields<'n> {
    pub span: Range<usize>,
    entries: &'n [Entry],
    what: String,
}

impl<'n> Fields<'n> {
    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.node)
    }

    /// What the table is, for messages ("a [[theme]]").
    pub fn what(&self) -> &str {
        &self.what
    }

    pub fn key_span(&self, key: &str) -> Option<Range<usize>> {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.key_span.clone())
    }
}
