//! The XLSForm as its author wrote it: the `survey` sheet as a tree of groups, repeats and
//! fields, the `choices` lists and the `settings`, with every header matched as pyxform
//! matches it (any case, aliases, `label::Language (code)` and `label:Language` columns).
//!
//! Nothing here knows Voci's model: [`super::lower`] turns a [`Form`] into a survey. Keeping
//! the two apart lets the conformance test compare this tree with pyxform's own parse.

use std::collections::{BTreeMap, HashMap};

use super::sheets::{Row, Sheet, Workbook};
use super::{Cell, Sink};
use crate::diagnostic::did_you_mean;

/// Texts by language, as the columns name the language (`English (en)`); an unsuffixed
/// column's text is under [`DEFAULT_LANGUAGE`].
pub type Labels = BTreeMap<String, String>;

/// The language of a `label` column without a language, as pyxform names it.
pub const DEFAULT_LANGUAGE: &str = "default";

#[derive(Debug, Default)]
pub struct Form {
    pub settings: Settings,
    /// Every language named by a column of the survey or choices sheet, in column order.
    pub languages: Vec<String>,
    pub children: Vec<Element>,
    /// The choice lists by list name, in sheet order.
    pub lists: BTreeMap<String, Vec<FormChoice>>,
    /// The column of each of the survey sheet's known headers, for messages.
    pub columns: HashMap<Column, usize>,
}

#[derive(Debug, Default, Clone)]
pub struct Settings {
    pub form_id: Option<(String, Cell)>,
    pub form_title: Option<String>,
    pub version: Option<(String, Cell)>,
    pub default_language: Option<String>,
}

#[derive(Debug, Clone)]
pub struct FormChoice {
    pub name: String,
    pub label: Labels,
    /// The other columns (usable in a `choice_filter`).
    pub extra: BTreeMap<String, String>,
    pub at: Cell,
}

#[derive(Debug, Clone)]
pub enum Element {
    Group(Group),
    Field(Box<Field>),
}

/// A `begin group` or `begin repeat` ... `end` block.
#[derive(Debug, Clone)]
pub struct Group {
    pub repeat: bool,
    pub name: String,
    pub label: Labels,
    pub relevant: Option<String>,
    pub appearance: Option<String>,
    /// `repeat_count`, for a repeat.
    pub count: Option<String>,
    pub children: Vec<Element>,
    /// The row of `begin`.
    pub row: usize,
}

/// One row of the survey sheet that is not a group's begin or end.
#[derive(Debug, Clone)]
pub struct Field {
    pub kind: FieldKind,
    /// The type as written (`select one from yes_no`).
    pub type_text: String,
    pub list: Option<String>,
    pub or_other: bool,
    pub name: String,
    pub label: Labels,
    pub hint: Labels,
    pub required: Option<String>,
    pub required_message: Labels,
    pub relevant: Option<String>,
    pub constraint: Option<String>,
    pub constraint_message: Labels,
    pub calculation: Option<String>,
    pub default: Option<String>,
    pub appearance: Option<String>,
    pub choice_filter: Option<String>,
    pub read_only: Option<String>,
    pub parameters: BTreeMap<String, String>,
    /// Marked `voci_skip = yes`: left out of the survey Voci runs.
    pub skip: bool,
    pub row: usize,
}

/// What a row asks, by its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Integer,
    Decimal,
    Date,
    Time,
    DateTime,
    Note,
    Acknowledge,
    Calculate,
    Hidden,
    Range,
    SelectOne,
    SelectMultiple,
    Rank,
    /// Recorded by the device, not asked: `start`, `end`, `today`, `deviceid`, ...
    Meta(Meta),
    /// A type that needs a phone's hardware, a server or files next to the form: it cannot
    /// run offline in a browser. The text says what it is.
    Unsupported(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meta {
    Start,
    End,
    Today,
    DeviceId,
    /// Another property of the phone (SIM serial, phone number, user name, ...).
    Other,
}

impl FieldKind {
    /// The type's name in pyxform's JSON (`select one`, `integer`, `start`).
    pub fn pyxform_name(self, type_text: &str) -> String {
        match self {
            FieldKind::Text => "text".into(),
            FieldKind::Integer => "integer".into(),
            FieldKind::Decimal => "decimal".into(),
            FieldKind::Date => "date".into(),
            FieldKind::Time => "time".into(),
            FieldKind::DateTime => "dateTime".into(),
            FieldKind::Note => "note".into(),
            FieldKind::Acknowledge => "acknowledge".into(),
            FieldKind::Calculate => "calculate".into(),
            FieldKind::Hidden => "hidden".into(),
            FieldKind::Range => "range".into(),
            FieldKind::SelectOne => "select one".into(),
            FieldKind::SelectMultiple => "select all that apply".into(),
            FieldKind::Rank => "rank".into(),
            FieldKind::Meta(_) | FieldKind::Unsupported(_) => type_text.to_owned(),
        }
    }
}

/// A known column of the survey or choices sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Type,
    Name,
    Label,
    Hint,
    Required,
    RequiredMessage,
    Relevant,
    Constraint,
    ConstraintMessage,
    Calculation,
    Default,
    Appearance,
    ChoiceFilter,
    ReadOnly,
    Parameters,
    RepeatCount,
    ListName,
    Disabled,
    Skip,
    /// A media column (image, audio, video): not used by Voci.
    Media,
}

impl Column {
    /// Whether the column holds a text per language.
    fn translatable(self) -> bool {
        matches!(
            self,
            Column::Label | Column::Hint | Column::RequiredMessage | Column::ConstraintMessage
        )
    }

    /// The column's usual header, for messages.
    pub fn header(self) -> &'static str {
        match self {
            Column::Type => "type",
            Column::Name => "name",
            Column::Label => "label",
            Column::Hint => "hint",
            Column::Required => "required",
            Column::RequiredMessage => "required_message",
            Column::Relevant => "relevant",
            Column::Constraint => "constraint",
            Column::ConstraintMessage => "constraint_message",
            Column::Calculation => "calculation",
            Column::Default => "default",
            Column::Appearance => "appearance",
            Column::ChoiceFilter => "choice_filter",
            Column::ReadOnly => "read_only",
            Column::Parameters => "parameters",
            Column::RepeatCount => "repeat_count",
            Column::ListName => "list_name",
            Column::Disabled => "disabled",
            Column::Skip => "voci_skip",
            Column::Media => "media",
        }
    }
}

/// A header after matching: the column, and the language for a translatable one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Header {
    Known(Column, Option<String>),
    /// A column Voci does not use (kept on choices, for choice filters).
    Other(String),
}

/// pyxform's `to_snake_case`: spaces to `_`, lower case.
fn snake(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
        .to_lowercase()
}

/// The column a first header token names (after `snake`), on the survey or choices sheet.
fn column_named(token: &str, choices_sheet: bool) -> Option<Column> {
    Some(match token {
        "type" | "command" => Column::Type,
        "name" | "value" => Column::Name,
        "tag" if !choices_sheet => Column::Name,
        "label" | "caption" => Column::Label,
        "hint" => Column::Hint,
        "required" => Column::Required,
        "required_message" | "requiredmsg" => Column::RequiredMessage,
        "relevant" | "relevance" => Column::Relevant,
        "constraint" => Column::Constraint,
        "constraint_message" | "constraining_message" => Column::ConstraintMessage,
        "calculation" | "calculate" => Column::Calculation,
        "default" => Column::Default,
        "appearance" => Column::Appearance,
        "choice_filter" => Column::ChoiceFilter,
        "read_only" | "readonly" => Column::ReadOnly,
        "parameters" => Column::Parameters,
        "repeat_count" | "count" | "jr:count" => Column::RepeatCount,
        "list_name" => Column::ListName,
        "disabled" => Column::Disabled,
        "voci_skip" => Column::Skip,
        "image" | "big-image" | "audio" | "video" | "media" => Column::Media,
        _ => return None,
    })
}

/// `bind:relevant`, `bind:jr:constraintMsg`, `control:appearance`, ...
fn prefixed_column(prefix: &str, rest: &str) -> Option<Column> {
    Some(match (prefix, rest) {
        ("bind", "relevant") => Column::Relevant,
        ("bind", "required") => Column::Required,
        ("bind", "constraint") => Column::Constraint,
        ("bind", "jr:constraintMsg") => Column::ConstraintMessage,
        ("bind", "jr:requiredMsg") => Column::RequiredMessage,
        ("bind", "calculate") => Column::Calculation,
        ("bind", "readonly") => Column::ReadOnly,
        ("control", "appearance") => Column::Appearance,
        ("control", "jr:count") => Column::RepeatCount,
        _ => return None,
    })
}

/// Splits a header as pyxform does: on `::` when any header of the sheet has it, else on `:`
/// (keeping `jr:` names together).
fn split_header(header: &str, double: bool) -> Vec<String> {
    let clean = header.split_whitespace().collect::<Vec<_>>().join(" ");
    if double || clean.contains("::") {
        return clean.split("::").map(|t| t.trim().to_owned()).collect();
    }
    let mut tokens: Vec<String> = clean.split(':').map(|t| t.trim().to_owned()).collect();
    if let Some(i) = tokens.iter().position(|t| t == "jr")
        && i + 1 < tokens.len()
    {
        let joined = format!("jr:{}", tokens[i + 1]);
        tokens.splice(i..i + 2, [joined]);
    }
    tokens
}

fn match_header(header: &str, double: bool, choices_sheet: bool) -> Header {
    let tokens = split_header(header, double);
    let first = snake(&tokens[0]);
    let rest = &tokens[1..];
    if let Some(column) = column_named(&first, choices_sheet) {
        let language = match (column, rest) {
            // Each media column is its own (image, audio, per language).
            (Column::Media, _) => Some(header.trim().to_owned()),
            (c, [lang, ..]) if c.translatable() => Some(lang.clone()),
            (_, [_, ..]) => return Header::Other(header.into()),
            _ => None,
        };
        return Header::Known(column, language);
    }
    if let [second, more @ ..] = rest
        && let Some(column) = prefixed_column(&first, second)
    {
        return Header::Known(column, more.first().cloned());
    }
    if first == "media" {
        return Header::Known(Column::Media, Some(header.trim().to_owned()));
    }
    Header::Other(header.trim().to_owned())
}

/// A sheet's header row, matched: for each cell, its header.
struct Headers {
    /// (index in the row's cells, header)
    cells: Vec<(usize, Header)>,
}

impl Headers {
    fn read<'s>(
        sheet: &'s Sheet,
        sink: &mut Sink<'_>,
        choices_sheet: bool,
    ) -> Option<(Headers, &'s Row)> {
        let row = sheet.rows.first()?;
        let double = row.cells.iter().any(|c| c.contains("::"));
        let mut cells = Vec::new();
        let mut seen: HashMap<Header, String> = HashMap::new();
        for (i, text) in row.cells.iter().enumerate() {
            if text.is_empty() {
                continue;
            }
            let header = match_header(text, double, choices_sheet);
            let at = Cell {
                row: row.number,
                column: row.first_column + i,
            };
            if let Some(other) = seen.get(&header) {
                sink.error(
                    &sheet.name,
                    at,
                    format!(
                        "the columns \"{other}\" and \"{text}\" are the same column under two names; rename or remove one of them"
                    ),
                );
                continue;
            }
            seen.insert(header.clone(), text.clone());
            cells.push((i, header));
        }
        Some((Headers { cells }, row))
    }

    fn column_of(&self, row: &Row, wanted: Column) -> Option<usize> {
        self.cells.iter().find_map(|(i, h)| match h {
            Header::Known(c, _) if *c == wanted => Some(row.first_column + i),
            _ => None,
        })
    }
}

/// A data row's values by header.
struct Values<'r> {
    row: &'r Row,
    plain: HashMap<Column, &'r str>,
    texts: HashMap<Column, Labels>,
    other: Vec<(&'r str, &'r str)>,
    /// Whether an image, audio or video column is filled (it stands for a label).
    media: bool,
}

impl<'r> Values<'r> {
    fn new(headers: &'r Headers, row: &'r Row) -> Self {
        let mut v = Values {
            row,
            plain: HashMap::new(),
            texts: HashMap::new(),
            other: Vec::new(),
            media: false,
        };
        for (i, header) in &headers.cells {
            let value = row.cell(*i);
            if value.is_empty() {
                continue;
            }
            match header {
                Header::Known(c, _) if *c == Column::Media => v.media = true,
                Header::Known(c, lang) if c.translatable() => {
                    let lang = lang.clone().unwrap_or_else(|| DEFAULT_LANGUAGE.into());
                    v.texts
                        .entry(*c)
                        .or_default()
                        .insert(lang, value.to_owned());
                }
                Header::Known(c, _) => {
                    v.plain.insert(*c, value);
                }
                Header::Other(name) => v.other.push((name.as_str(), value)),
            }
        }
        v
    }

    fn get(&self, c: Column) -> Option<&'r str> {
        self.plain.get(&c).copied()
    }

    fn owned(&self, c: Column) -> Option<String> {
        self.get(c).map(str::to_owned)
    }

    fn texts(&mut self, c: Column) -> Labels {
        self.texts.remove(&c).unwrap_or_default()
    }

    fn is_blank(&self) -> bool {
        self.plain.is_empty() && self.texts.is_empty() && self.other.is_empty()
    }
}

/// The languages the headers name, in order.
fn languages_of(headers: &Headers, into: &mut Vec<String>) {
    for (_, h) in &headers.cells {
        if let Header::Known(c, lang) = h
            && c.translatable()
        {
            let lang = lang.clone().unwrap_or_else(|| DEFAULT_LANGUAGE.into());
            if !into.contains(&lang) {
                into.push(lang);
            }
        }
    }
}

/// pyxform's yes/no words.
pub fn yes_no(s: &str) -> Option<bool> {
    match s.trim() {
        "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "true()" => Some(true),
        "no" | "No" | "NO" | "false" | "False" | "FALSE" | "false()" => Some(false),
        _ => None,
    }
}

/// Reads the workbook's sheets into a form; problems go to `sink`.
pub(crate) fn read(book: &Workbook, sink: &mut Sink<'_>) -> Option<Form> {
    let survey = match book.sheet("survey") {
        Some(s) => s,
        // A workbook of one sheet is its survey, whatever the sheet's name (as pyxform does).
        None if book.sheets.len() == 1 => &book.sheets[0],
        None => {
            let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
            let hint = did_you_mean("survey", &names)
                .map(|s| format!(" (is \"{s}\" meant to be it?)"))
                .unwrap_or_default();
            sink.file_error(format!(
                "the workbook has no sheet named \"survey\"{hint}; its sheets are: {}",
                names.join(", ")
            ));
            return None;
        }
    };
    let mut form = Form {
        settings: book
            .sheet("settings")
            .map(|s| read_settings(s, sink))
            .unwrap_or_default(),
        ..Form::default()
    };
    if let Some(choices) = book.sheet("choices") {
        read_choices(choices, &mut form, sink);
    }
    read_survey(survey, &mut form, sink);
    Some(form)
}

fn read_settings(sheet: &Sheet, sink: &mut Sink<'_>) -> Settings {
    let mut settings = Settings::default();
    let Some(header) = sheet.rows.first() else {
        return settings;
    };
    let Some(values) = sheet.rows.get(1) else {
        return settings;
    };
    for (i, name) in header.cells.iter().enumerate() {
        let value = values.cell(i);
        if value.is_empty() {
            continue;
        }
        let at = Cell {
            row: values.number,
            column: values.first_column + i,
        };
        match snake(name).as_str() {
            "form_id" | "id_string" | "set_form_id" => {
                settings.form_id = Some((value.to_owned(), at));
            }
            "form_title" | "title" | "set_form_title" => {
                settings.form_title = Some(value.to_owned());
            }
            "version" => settings.version = Some((value.to_owned(), at)),
            "default_language" => settings.default_language = Some(value.to_owned()),
            _ => {}
        }
    }
    let _ = sink;
    settings
}

fn read_choices(sheet: &Sheet, form: &mut Form, sink: &mut Sink<'_>) {
    let Some((headers, header_row)) = Headers::read(sheet, sink, true) else {
        return;
    };
    languages_of(&headers, &mut form.languages);
    let list_col = headers.column_of(header_row, Column::ListName);
    let name_col = headers.column_of(header_row, Column::Name);
    if list_col.is_none() || name_col.is_none() {
        let missing = if list_col.is_none() {
            "list_name"
        } else {
            "name"
        };
        sink.error(
            &sheet.name,
            Cell {
                row: header_row.number,
                column: header_row.first_column,
            },
            format!("the choices sheet has no \"{missing}\" column"),
        );
        return;
    }
    for row in &sheet.rows[1..] {
        let mut v = Values::new(&headers, row);
        if v.is_blank() {
            continue;
        }
        let at = Cell {
            row: row.number,
            column: name_col.unwrap_or(row.first_column),
        };
        let Some(list) = v.owned(Column::ListName) else {
            continue;
        };
        let Some(name) = v.owned(Column::Name) else {
            sink.error(
                &sheet.name,
                at,
                format!("this choice of list \"{list}\" has no name"),
            );
            continue;
        };
        let label = v.texts(Column::Label);
        let extra = v
            .other
            .iter()
            .map(|(k, val)| ((*k).to_owned(), (*val).to_owned()))
            .collect();
        let choices = form.lists.entry(list.clone()).or_default();
        if choices.iter().any(|c| c.name == name) {
            sink.error(
                &sheet.name,
                at,
                format!("the list \"{list}\" has the choice name \"{name}\" twice"),
            );
            continue;
        }
        choices.push(FormChoice {
            name,
            label,
            extra,
            at,
        });
    }
}

/// A group being read: its element, and the names used inside it.
struct Open {
    group: Group,
    /// `begin group`'s cell, for an unclosed group.
    at: Cell,
}

fn read_survey(sheet: &Sheet, form: &mut Form, sink: &mut Sink<'_>) {
    let Some((headers, header_row)) = Headers::read(sheet, sink, false) else {
        sink.error(
            &sheet.name,
            Cell { row: 1, column: 1 },
            "the survey sheet is empty (it needs a header row with type, name and label)",
        );
        return;
    };
    languages_of(&headers, &mut form.languages);
    for (i, h) in &headers.cells {
        if let Header::Known(c, _) = h {
            form.columns
                .entry(*c)
                .or_insert(header_row.first_column + i);
        }
    }
    let Some(type_col) = headers.column_of(header_row, Column::Type) else {
        sink.error(
            &sheet.name,
            Cell {
                row: header_row.number,
                column: header_row.first_column,
            },
            "the survey sheet has no \"type\" column",
        );
        return;
    };
    let name_col = headers
        .column_of(header_row, Column::Name)
        .unwrap_or(type_col);
    let mut stack: Vec<Open> = Vec::new();
    let mut top: Vec<Element> = Vec::new();
    for row in &sheet.rows[1..] {
        let mut v = Values::new(&headers, row);
        if v.is_blank() {
            continue;
        }
        if v.get(Column::Disabled).and_then(yes_no) == Some(true) {
            continue;
        }
        let at_type = Cell {
            row: row.number,
            column: type_col,
        };
        let at_name = Cell {
            row: row.number,
            column: name_col,
        };
        let Some(type_text) = v.get(Column::Type) else {
            if v.get(Column::Name).is_none() && !v.texts.contains_key(&Column::Label) {
                continue; // a comment row
            }
            sink.error(&sheet.name, at_type, "this row has no type");
            continue;
        };
        let type_text = type_text.split_whitespace().collect::<Vec<_>>().join(" ");
        // Settings written as rows of the survey sheet (an old form pyxform still reads).
        let setting = snake(&type_text);
        if setting == "set_form_title" || setting == "set_form_id" {
            let value = v.owned(Column::Name).unwrap_or_default();
            if setting == "set_form_title" {
                form.settings.form_title = Some(value);
            } else {
                form.settings.form_id = Some((value, at_name));
            }
            continue;
        }
        let parsed = parse_type(&type_text);
        if let Parsed::End(repeat) = parsed {
            match stack.pop() {
                Some(open) if open.group.repeat == repeat => {
                    push(&mut stack, &mut top, Element::Group(open.group));
                }
                Some(open) => {
                    sink.error(
                        &sheet.name,
                        at_type,
                        format!(
                            "\"{type_text}\" closes the {} \"{}\" begun at row {}; close it with \"end {}\" first",
                            what(open.group.repeat),
                            open.group.name,
                            open.group.row,
                            what(open.group.repeat)
                        ),
                    );
                    push(&mut stack, &mut top, Element::Group(open.group));
                }
                None => sink.error(
                    &sheet.name,
                    at_type,
                    format!(
                        "\"{type_text}\" has no \"begin {}\" before it",
                        what(repeat)
                    ),
                ),
            }
            continue;
        }
        let name = match v.owned(Column::Name) {
            Some(n) => n,
            None if matches!(parsed, Parsed::Field(FieldKind::Note, ..)) => {
                format!("generated_note_name_{}", row.number)
            }
            None => {
                sink.error(&sheet.name, at_name, "this row has no name");
                continue;
            }
        };
        if !is_xml_name(&name) {
            sink.error(
                &sheet.name,
                at_name,
                format!(
                    "\"{name}\" is not a valid name: names start with a letter or '_' and contain only letters, digits, '-', '_' and '.'"
                ),
            );
            continue;
        }
        let siblings = match stack.last() {
            Some(open) => &open.group.children,
            None => &top,
        };
        if siblings.iter().any(|e| element_name(e) == name) {
            sink.error(
                &sheet.name,
                at_name,
                format!("the name \"{name}\" is used twice in the same group"),
            );
            continue;
        }
        let parameters = match v.get(Column::Parameters) {
            Some(p) => match parse_parameters(p) {
                Ok(p) => p,
                Err(msg) => {
                    let column = form
                        .columns
                        .get(&Column::Parameters)
                        .copied()
                        .unwrap_or(type_col);
                    sink.error(
                        &sheet.name,
                        Cell {
                            row: row.number,
                            column,
                        },
                        msg,
                    );
                    BTreeMap::new()
                }
            },
            None => BTreeMap::new(),
        };
        let field =
            |kind: FieldKind, list: Option<String>, or_other: bool, v: &mut Values<'_>| Field {
                kind,
                type_text: type_text.clone(),
                list,
                or_other,
                name: name.clone(),
                label: v.texts(Column::Label),
                hint: v.texts(Column::Hint),
                required: v.owned(Column::Required),
                required_message: v.texts(Column::RequiredMessage),
                relevant: v.owned(Column::Relevant),
                constraint: v.owned(Column::Constraint),
                constraint_message: v.texts(Column::ConstraintMessage),
                calculation: v.owned(Column::Calculation),
                default: v.owned(Column::Default),
                appearance: v.owned(Column::Appearance),
                choice_filter: v.owned(Column::ChoiceFilter),
                read_only: v.owned(Column::ReadOnly),
                parameters: parameters.clone(),
                skip: v.get(Column::Skip).and_then(yes_no) == Some(true),
                row: v.row.number,
            };
        match parsed {
            Parsed::Begin(repeat) => {
                let group = Group {
                    repeat,
                    name,
                    label: v.texts(Column::Label),
                    relevant: v.owned(Column::Relevant),
                    appearance: v.owned(Column::Appearance),
                    count: v.owned(Column::RepeatCount),
                    children: Vec::new(),
                    row: row.number,
                };
                stack.push(Open { group, at: at_type });
            }
            Parsed::Loop => {
                sink.error(
                    &sheet.name,
                    at_type,
                    "\"begin loop over ...\" is an old pyxform form Voci does not read: write a group per item, or a repeat",
                );
                // Read as a group, so that its "end loop" closes something.
                let group = Group {
                    repeat: false,
                    name,
                    label: Labels::new(),
                    relevant: None,
                    appearance: None,
                    count: None,
                    children: Vec::new(),
                    row: row.number,
                };
                stack.push(Open { group, at: at_type });
            }
            Parsed::Field(kind, list, or_other) => {
                if let Some(list) = &list
                    && !form.lists.contains_key(list)
                    && !matches!(kind, FieldKind::Unsupported(_))
                {
                    let names: Vec<&str> = form.lists.keys().map(String::as_str).collect();
                    let hint = did_you_mean(list, &names)
                        .map(|s| format!(" (did you mean \"{s}\"?)"))
                        .unwrap_or_default();
                    sink.error(
                        &sheet.name,
                        at_type,
                        format!("the list \"{list}\" is not in the choices sheet{hint}"),
                    );
                    continue;
                }
                if kind == FieldKind::Calculate && v.get(Column::Calculation).is_none() {
                    let column = form
                        .columns
                        .get(&Column::Calculation)
                        .copied()
                        .unwrap_or(type_col);
                    sink.error(
                        &sheet.name,
                        Cell {
                            row: row.number,
                            column,
                        },
                        format!("the calculate \"{name}\" has no calculation"),
                    );
                    continue;
                }
                let media = v.media;
                let f = field(kind, list, or_other, &mut v);
                let needs_text = !matches!(
                    kind,
                    FieldKind::Calculate
                        | FieldKind::Hidden
                        | FieldKind::Meta(_)
                        | FieldKind::Unsupported(_)
                );
                if needs_text && f.label.is_empty() && f.hint.is_empty() && !media {
                    let column = form
                        .columns
                        .get(&Column::Label)
                        .copied()
                        .unwrap_or(name_col);
                    sink.error(
                        &sheet.name,
                        Cell {
                            row: row.number,
                            column,
                        },
                        format!("\"{name}\" has no label or hint"),
                    );
                    continue;
                }
                push(&mut stack, &mut top, Element::Field(Box::new(f)));
            }
            Parsed::Unknown => {
                let hint = did_you_mean(&type_text, KNOWN_TYPES)
                    .map(|s| format!(" (did you mean \"{s}\"?)"))
                    .unwrap_or_default();
                sink.error(
                    &sheet.name,
                    at_type,
                    format!("unknown question type \"{type_text}\"{hint}"),
                );
            }
            Parsed::End(_) => unreachable!("handled above"),
        }
    }
    while let Some(open) = stack.pop() {
        sink.error(
            &sheet.name,
            open.at,
            format!(
                "the {} \"{}\" is never closed (add a row \"end {}\")",
                what(open.group.repeat),
                open.group.name,
                what(open.group.repeat)
            ),
        );
        push(&mut stack, &mut top, Element::Group(open.group));
    }
    form.children = top;
}

fn what(repeat: bool) -> &'static str {
    if repeat { "repeat" } else { "group" }
}

fn push(stack: &mut [Open], top: &mut Vec<Element>, e: Element) {
    match stack.last_mut() {
        Some(open) => open.group.children.push(e),
        None => top.push(e),
    }
}

pub fn element_name(e: &Element) -> &str {
    match e {
        Element::Group(g) => &g.name,
        Element::Field(f) => &f.name,
    }
}

/// An XML element name, as XLSForm requires of names.
fn is_xml_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// `start=1 end=10 step=1`, `randomize=true`: names and values, separated by spaces, commas
/// or semicolons.
fn parse_parameters(s: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    let normal = s.replace([',', ';'], " ");
    let normal = normal.replace(" =", "=").replace("= ", "=");
    for part in normal.split_whitespace() {
        let Some((k, v)) = part.split_once('=') else {
            return Err(format!(
                "the parameter \"{part}\" has no value: write parameters as name=value, such as start=1 end=10"
            ));
        };
        out.insert(k.trim().to_lowercase(), v.trim().to_owned());
    }
    Ok(out)
}

#[derive(Debug, PartialEq)]
enum Parsed {
    Begin(bool),
    End(bool),
    Loop,
    Field(FieldKind, Option<String>, bool),
    Unknown,
}

/// The types Voci knows, for "did you mean".
const KNOWN_TYPES: &[&str] = &[
    "text",
    "integer",
    "decimal",
    "date",
    "time",
    "datetime",
    "note",
    "acknowledge",
    "calculate",
    "hidden",
    "range",
    "select_one",
    "select_multiple",
    "rank",
    "begin_group",
    "end_group",
    "begin_repeat",
    "end_repeat",
    "start",
    "end",
    "today",
    "deviceid",
    "geopoint",
    "image",
    "audio",
    "barcode",
];

/// The select commands pyxform knows, longest first so that `select one from` wins over
/// `select one`.
const SELECTS: &[(&str, FieldKind)] = &[
    (
        "add select multiple prompt using",
        FieldKind::SelectMultiple,
    ),
    ("add select one prompt using", FieldKind::SelectOne),
    ("select all that apply from", FieldKind::SelectMultiple),
    (
        "select_multiple_from_file",
        FieldKind::Unsupported("a choice list from a file"),
    ),
    (
        "select multiple from file",
        FieldKind::Unsupported("a choice list from a file"),
    ),
    (
        "select_one_from_file",
        FieldKind::Unsupported("a choice list from a file"),
    ),
    (
        "select one from file",
        FieldKind::Unsupported("a choice list from a file"),
    ),
    (
        "select_one_external",
        FieldKind::Unsupported("an external choice list"),
    ),
    ("select all that apply", FieldKind::SelectMultiple),
    ("select multiple using", FieldKind::SelectMultiple),
    ("select one using", FieldKind::SelectOne),
    ("select multiple from", FieldKind::SelectMultiple),
    ("select_multiple", FieldKind::SelectMultiple),
    ("select one from", FieldKind::SelectOne),
    ("select_one", FieldKind::SelectOne),
    ("select one", FieldKind::SelectOne),
    ("select1", FieldKind::SelectOne),
    ("rank", FieldKind::Rank),
    ("osm", FieldKind::Unsupported("an OpenStreetMap drawing")),
];

fn parse_type(t: &str) -> Parsed {
    let lower = t.to_lowercase();
    for (word, repeat) in [("group", false), ("repeat", true), ("looped group", true)] {
        for sep in [" ", "_"] {
            if lower == format!("begin{sep}{word}") {
                return Parsed::Begin(repeat);
            }
            if lower == format!("end{sep}{word}") {
                return Parsed::End(repeat);
            }
        }
    }
    if lower.starts_with("begin loop") || lower.starts_with("begin_loop") {
        return Parsed::Loop;
    }
    if lower == "end loop" || lower == "end_loop" {
        return Parsed::End(false);
    }
    for (command, kind) in SELECTS {
        let Some(rest) = lower.strip_prefix(command) else {
            continue;
        };
        let Some(rest) = rest.strip_prefix(' ') else {
            continue;
        };
        // The list name keeps its case.
        let rest = &t[t.len() - rest.len()..];
        let mut words = rest.split(' ');
        let Some(list) = words.next().filter(|l| !l.is_empty()) else {
            return Parsed::Unknown;
        };
        let tail = words.collect::<Vec<_>>().join(" ");
        let or_other = match tail.as_str() {
            "" => false,
            "or_other" | "or specify other" | "or other" => true,
            _ => return Parsed::Unknown,
        };
        return Parsed::Field(*kind, Some(list.to_owned()), or_other);
    }
    let kind = match t {
        "text" | "string" | "q string" | "add text prompt" | "phone number" => FieldKind::Text,
        "integer" | "int" | "q int" | "add integer prompt" | "percentage" => FieldKind::Integer,
        "number of days in last month"
        | "number of days in last six months"
        | "number of days in last year" => FieldKind::Integer,
        "decimal" | "q decimal" | "add decimal prompt" => FieldKind::Decimal,
        "date" | "q date" | "add date prompt" => FieldKind::Date,
        "time" => FieldKind::Time,
        "datetime"
        | "dateTime"
        | "date time"
        | "q date time"
        | "q dateTime"
        | "add date time prompt"
        | "add dateTime prompt" => FieldKind::DateTime,
        "note" | "q note" | "add note prompt" => FieldKind::Note,
        "acknowledge" | "trigger" | "q acknowledge" | "add acknowledge prompt" => {
            FieldKind::Acknowledge
        }
        "calculate" | "q calculate" | "add calculate prompt" => FieldKind::Calculate,
        "hidden" => FieldKind::Hidden,
        "range" => FieldKind::Range,
        "start" | "start time" | "get start time" => FieldKind::Meta(Meta::Start),
        "end" | "end time" | "get end time" => FieldKind::Meta(Meta::End),
        "today" | "get today" => FieldKind::Meta(Meta::Today),
        "deviceid" | "imei" | "device id" | "get device id" | "uri:deviceid" => {
            FieldKind::Meta(Meta::DeviceId)
        }
        "simserial" | "sim id" | "get sim id" | "uri:simserial" | "subscriberid"
        | "subscriber id" | "get subscriber id" | "uri:subscriberid" | "phonenumber"
        | "get phone number" | "uri:phonenumber" | "username" | "uri:username" | "email"
        | "uri:email" => FieldKind::Meta(Meta::Other),
        "geopoint"
        | "gps"
        | "location"
        | "q geopoint"
        | "q location"
        | "add location prompt"
        | "start-geopoint"
        | "background-geopoint" => FieldKind::Unsupported("a GPS location"),
        "geotrace" | "q geotrace" => FieldKind::Unsupported("a GPS trace"),
        "geoshape" | "q geoshape" => FieldKind::Unsupported("a GPS shape"),
        "image" | "photo" | "q picture" | "q image" | "add image prompt" | "add photo prompt" => {
            FieldKind::Unsupported("a photo")
        }
        "audio" | "q audio" | "add audio prompt" | "background-audio" => {
            FieldKind::Unsupported("an audio recording")
        }
        "video" | "q video" | "add video prompt" => FieldKind::Unsupported("a video"),
        "file" | "add file prompt" => FieldKind::Unsupported("a file upload"),
        "barcode" | "q barcode" | "add barcode prompt" => FieldKind::Unsupported("a barcode scan"),
        "audit" => FieldKind::Unsupported("an audit log"),
        "xml-external" | "csv-external" => FieldKind::Unsupported("an external data file"),
        _ => return Parsed::Unknown,
    };
    Parsed::Field(kind, None, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_as_pyxform_matches_them() {
        let known = |h: &str, double| match match_header(h, double, false) {
            Header::Known(c, lang) => (c.header(), lang),
            Header::Other(o) => ("other", Some(o)),
        };
        assert_eq!(known("TYPE", false), ("type", None));
        assert_eq!(
            known("label::English (en)", true),
            ("label", Some("English (en)".into()))
        );
        assert_eq!(
            known("label:English", false),
            ("label", Some("English".into()))
        );
        assert_eq!(known("LABEL::EN", true), ("label", Some("EN".into())));
        assert_eq!(known("bind:relevant", false), ("relevant", None));
        assert_eq!(
            known("bind:jr:constraintMsg", false),
            ("constraint_message", None)
        );
        assert_eq!(known("control:appearance", false), ("appearance", None));
        assert_eq!(known("list name", false), ("list_name", None));
        assert_eq!(known("Choice_Filter", false), ("choice_filter", None));
        assert_eq!(known("relevance", false), ("relevant", None));
        assert_eq!(known("cf", false), ("other", Some("cf".into())));
    }

    #[test]
    fn types_and_their_aliases() {
        assert_eq!(parse_type("begin group"), Parsed::Begin(false));
        assert_eq!(parse_type("end_repeat"), Parsed::End(true));
        assert_eq!(
            parse_type("select_one yes_no"),
            Parsed::Field(FieldKind::SelectOne, Some("yes_no".into()), false)
        );
        assert_eq!(
            parse_type("select one from sexes or specify other"),
            Parsed::Field(FieldKind::SelectOne, Some("sexes".into()), true)
        );
        assert_eq!(
            parse_type("select_multiple Colors or_other"),
            Parsed::Field(FieldKind::SelectMultiple, Some("Colors".into()), true)
        );
        assert_eq!(
            parse_type("dateTime"),
            Parsed::Field(FieldKind::DateTime, None, false)
        );
        assert_eq!(
            parse_type("geopoint"),
            Parsed::Field(FieldKind::Unsupported("a GPS location"), None, false)
        );
        assert_eq!(parse_type("singel"), Parsed::Unknown);
        assert_eq!(parse_type("select_one"), Parsed::Unknown);
    }

    #[test]
    fn parameters() {
        let p = parse_parameters("start=1 end = 10, step=0.5").unwrap();
        assert_eq!(p["start"], "1");
        assert_eq!(p["end"], "10");
        assert_eq!(p["step"], "0.5");
        assert!(parse_parameters("randomize").is_err());
    }
}
