//! From the form the author wrote to the survey Voci runs.
//!
//! - A top-level group is a page (a section) with the group's label as title and its
//!   `relevant` as the page's; the questions between groups make pages of their own.
//! - A group inside a page adds nothing but its `relevant`, joined with `and` to each of its
//!   questions' own; a `table-list` group of single choices on one list becomes a matrix.
//! - A repeat is a repeated section (`repeat_count` or open-ended); groups inside it are
//!   flattened the same way; a repeat inside a repeat is refused.
//! - Types that cannot run offline in a browser are errors, unless the row says
//!   `voci_skip = yes`; metadata Voci records itself (`start`, `end`) or never records
//!   (`deviceid`) are left out with a warning; `today` is a calculation of `today()`.

use std::collections::{BTreeMap, HashMap};

use super::form::{
    Column, DEFAULT_LANGUAGE, Element, Field, FieldKind, Form, FormChoice, Group, Labels, Meta,
    yes_no,
};
use super::{Cell, Sink};
use crate::engine::Engine;
use crate::ids::{ChoiceId, QuestionId, SectionId, SurveyId};
use crate::model::{Choice, Question, QuestionKind, Repeat, Section, Survey};
use crate::text::Text;

const SURVEY: &str = "survey";

/// The code of the "other" choice `or_other` adds, as pyxform names it.
const OTHER: &str = "other";

pub(super) fn lower(file: &str, form: &Form, sink: &mut Sink<'_>) -> Option<Survey> {
    let langs = Languages::new(form, sink)?;
    let mut l = Lowering {
        form,
        langs,
        sink,
        sections: Vec::new(),
        sites: HashMap::new(),
        names: HashMap::new(),
        skipped: Vec::new(),
        current: None,
        questions: Vec::new(),
        section_ids: Vec::new(),
    };
    l.elements(&form.children, &[], None);
    l.close_page();
    if l.sections.is_empty() {
        l.sink.error(
            SURVEY,
            Cell { row: 1, column: 1 },
            "the form has no question Voci can run",
        );
        return None;
    }
    let id = l.survey_id(file)?;
    let version = l.version()?;
    let title_text = form
        .settings
        .form_title
        .clone()
        .unwrap_or_else(|| id.to_string());
    let title = Text(
        l.langs
            .codes
            .iter()
            .map(|c| (c.clone(), title_text.clone()))
            .collect(),
    );
    let survey = Survey {
        id,
        version,
        title,
        description: None,
        languages: l.langs.codes.clone(),
        anonymous: true,
        consent: None,
        collection: Default::default(),
        min_count: crate::model::DEFAULT_MIN_COUNT,
        sections: std::mem::take(&mut l.sections),
    };
    l.check_logic(&survey);
    Some(survey)
}

/// The survey's language codes, and which column languages give each.
struct Languages {
    /// Voci's codes; the first is the default.
    codes: Vec<String>,
    /// Column language (`English (en)`, `default`) → code.
    of: HashMap<String, String>,
}

impl Languages {
    fn new(form: &Form, sink: &mut Sink<'_>) -> Option<Self> {
        let label_col = form.columns.get(&Column::Label).copied().unwrap_or(1);
        let at = Cell {
            row: 1,
            column: label_col,
        };
        let mut of = HashMap::new();
        let mut codes: Vec<String> = Vec::new();
        let named: Vec<&String> = form
            .languages
            .iter()
            .filter(|l| *l != DEFAULT_LANGUAGE)
            .collect();
        for name in &named {
            match lang_code(name) {
                Some(code) => {
                    if let Some((other, _)) = of.iter().find(|(_, c)| **c == code) {
                        sink.error(
                            SURVEY,
                            at,
                            format!("the languages \"{other}\" and \"{name}\" are both \"{code}\"; name each language once"),
                        );
                        return None;
                    }
                    of.insert((*name).clone(), code.clone());
                    codes.push(code);
                }
                None => {
                    sink.error(
                        SURVEY,
                        at,
                        format!("cannot tell the language code of \"{name}\": write the column as label::{name} (xx), with its two-letter code"),
                    );
                    return None;
                }
            }
        }
        let chosen = form
            .settings
            .default_language
            .as_deref()
            .and_then(|d| of.get(d).cloned().or_else(|| lang_code(d)));
        let default = chosen
            .or_else(|| codes.first().cloned())
            .unwrap_or_else(|| "und".into());
        codes.retain(|c| *c != default);
        codes.insert(0, default.clone());
        of.insert(DEFAULT_LANGUAGE.into(), default);
        Some(Self { codes, of })
    }

    /// A text in every language: missing translations take the default language's text (or
    /// any text there is). `None` when there is no text at all.
    fn text(&self, labels: &Labels) -> Option<Text> {
        if labels.is_empty() {
            return None;
        }
        let mut by_code: BTreeMap<String, String> = BTreeMap::new();
        // The unsuffixed column first, so that a column naming the language wins.
        let mut ordered: Vec<(&String, &String)> = labels.iter().collect();
        ordered.sort_by_key(|(l, _)| *l != DEFAULT_LANGUAGE);
        for (lang, s) in ordered {
            if let Some(code) = self.of.get(lang) {
                by_code.insert(code.clone(), s.clone());
            }
        }
        let fallback = by_code
            .get(&self.codes[0])
            .or_else(|| by_code.values().next())
            .cloned()?;
        Some(Text(
            self.codes
                .iter()
                .map(|c| {
                    (
                        c.clone(),
                        by_code.get(c).cloned().unwrap_or_else(|| fallback.clone()),
                    )
                })
                .collect(),
        ))
    }
}

/// The code of a language column: `English (en)` → `en`, `EN` → `en`, `english` → `en`.
pub fn lang_code(name: &str) -> Option<String> {
    let name = name.trim();
    let is_code = |s: &str| {
        let primary = s.split(['-', '_']).next().unwrap_or("");
        ((2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic()))
            .then(|| primary.to_ascii_lowercase())
    };
    if let Some(open) = name.rfind('(')
        && let Some(inner) = name[open + 1..].strip_suffix(')')
    {
        return is_code(inner.trim());
    }
    if let Some(code) = is_code(name).filter(|_| name.len() <= 3 || name.contains(['-', '_'])) {
        return Some(code);
    }
    let lower = name.to_lowercase();
    let code = match lower.as_str() {
        "english" => "en",
        "french" | "français" | "francais" => "fr",
        "spanish" | "español" | "espanol" => "es",
        "italian" | "italiano" => "it",
        "portuguese" | "português" | "portugues" => "pt",
        "german" | "deutsch" => "de",
        "arabic" | "العربية" => "ar",
        "swahili" | "kiswahili" => "sw",
        "chinese" | "中文" => "zh",
        "japanese" | "日本語" => "ja",
        "hindi" => "hi",
        "bengali" | "bangla" => "bn",
        "russian" => "ru",
        "ukrainian" => "uk",
        "romanian" => "ro",
        "polish" => "pl",
        "albanian" => "sq",
        "dutch" => "nl",
        "turkish" => "tr",
        "greek" => "el",
        "urdu" => "ur",
        "persian" | "farsi" => "fa",
        "pashto" => "ps",
        "dari" => "prs",
        "nepali" => "ne",
        "amharic" => "am",
        "tigrinya" => "ti",
        "somali" => "so",
        "hausa" => "ha",
        "yoruba" => "yo",
        "igbo" => "ig",
        "wolof" => "wo",
        "indonesian" => "id",
        "vietnamese" => "vi",
        "thai" => "th",
        "korean" => "ko",
        "tagalog" | "filipino" => "tl",
        "burmese" => "my",
        "khmer" => "km",
        _ => return None,
    };
    Some(code.to_owned())
}

struct Lowering<'f, 's, 'a> {
    form: &'f Form,
    langs: Languages,
    sink: &'s mut Sink<'a>,
    sections: Vec<Section>,
    /// Where each expression is written, for the engine's findings: (owner, key) → cell.
    sites: HashMap<(String, &'static str), Cell>,
    /// Every question id taken, with its row.
    names: HashMap<String, usize>,
    /// Rows left out (`voci_skip`): name and row.
    skipped: Vec<(String, usize)>,
    /// The page being filled and its questions.
    current: Option<Page>,
    questions: Vec<Question>,
    /// Section ids taken.
    section_ids: Vec<String>,
}

/// A section being filled.
#[derive(Debug, Clone)]
struct Page {
    id: String,
    title: Option<Text>,
    relevant: Option<String>,
    repeat: Option<Repeat>,
}

/// `a and b`, each in parentheses when there are several.
fn all_of(conditions: &[String]) -> Option<String> {
    match conditions {
        [] => None,
        [one] => Some(one.clone()),
        many => Some(
            many.iter()
                .map(|c| format!("({c})"))
                .collect::<Vec<_>>()
                .join(" and "),
        ),
    }
}

impl Lowering<'_, '_, '_> {
    fn cell(&self, row: usize, column: Column) -> Cell {
        Cell {
            row,
            column: self.form.columns.get(&column).copied().unwrap_or(1),
        }
    }

    fn error(&mut self, row: usize, column: Column, message: impl Into<String>) {
        let at = self.cell(row, column);
        self.sink.error(SURVEY, at, message);
    }

    /// A section id not taken yet, from `wanted`.
    fn section_id(&mut self, wanted: &str) -> String {
        let mut id = wanted.to_owned();
        let mut n = 1;
        while self.section_ids.contains(&id) {
            n += 1;
            id = format!("{wanted}-{n}");
        }
        self.section_ids.push(id.clone());
        id
    }

    fn open(&mut self, page: Page) {
        self.close_page();
        self.current = Some(page);
    }

    fn close_page(&mut self) {
        let Some(page) = self.current.take() else {
            return;
        };
        let questions = std::mem::take(&mut self.questions);
        if questions.is_empty() {
            return;
        }
        let Ok(id) = SectionId::parse(page.id.clone()) else {
            return; // reported when the group was read
        };
        self.sections.push(Section {
            id,
            title: page.title,
            relevant: page.relevant,
            repeat: page.repeat,
            questions,
        });
    }

    /// Walks elements: `conditions` are the `relevant`s of the groups around them inside
    /// `page`, the section they belong to (`None` at the top level).
    fn elements(&mut self, elements: &[Element], conditions: &[String], page: Option<&Page>) {
        for e in elements {
            match e {
                Element::Field(f) => {
                    if self.current.is_none() {
                        let next = match page {
                            Some(p) => Page {
                                id: self.section_id(&p.id),
                                ..p.clone()
                            },
                            None => Page {
                                id: self.section_id("main"),
                                title: None,
                                relevant: None,
                                repeat: None,
                            },
                        };
                        self.current = Some(next);
                    }
                    self.field(f, conditions);
                }
                Element::Group(g) if g.repeat => self.repeat(g, conditions, page),
                Element::Group(g) if page.is_none() => {
                    self.check_id(&g.name, g.row);
                    let p = Page {
                        id: self.section_id(&g.name),
                        title: self.langs.text(&g.label),
                        relevant: g.relevant.clone(),
                        repeat: None,
                    };
                    if let Some(r) = &g.relevant {
                        self.expression(&p.id, "relevant", r, g.row, Column::Relevant);
                    }
                    self.open(p.clone());
                    if !self.table_list(g, &[]) {
                        self.elements(&g.children, &[], Some(&p));
                    }
                    self.close_page();
                }
                Element::Group(g) => {
                    self.check_id(&g.name, g.row);
                    let mut inner = conditions.to_vec();
                    if let Some(r) = &g.relevant {
                        self.expression(&g.name, "relevant", r, g.row, Column::Relevant);
                        inner.push(r.clone());
                    }
                    if !self.table_list(g, &inner) {
                        self.elements(&g.children, &inner, page);
                    }
                }
            }
        }
    }

    fn repeat(&mut self, g: &Group, conditions: &[String], page: Option<&Page>) {
        if page.is_some_and(|p| p.repeat.is_some()) {
            self.error(
                g.row,
                Column::Type,
                format!(
                    "the repeat \"{}\" is inside another repeat, which Voci does not run yet",
                    g.name
                ),
            );
            return;
        }
        self.check_id(&g.name, g.row);
        let mut all: Vec<String> = page.and_then(|p| p.relevant.clone()).into_iter().collect();
        all.extend(conditions.iter().cloned());
        if let Some(r) = &g.relevant {
            self.expression(&g.name, "relevant", r, g.row, Column::Relevant);
            all.push(r.clone());
        }
        if let Some(c) = &g.count {
            self.expression(&g.name, "repeat_count", c, g.row, Column::RepeatCount);
        }
        let p = Page {
            id: self.section_id(&g.name),
            title: self.langs.text(&g.label),
            relevant: all_of(&all),
            repeat: Some(Repeat {
                count: g.count.clone(),
            }),
        };
        if p.id != g.name {
            self.error(
                g.row,
                Column::Name,
                format!("the repeat's name \"{}\" is taken by a group", g.name),
            );
        }
        self.open(p.clone());
        self.elements(&g.children, &[], Some(&p));
        self.close_page();
    }

    /// Checks that a name can be a Voci id and is not taken; takes it.
    fn check_id(&mut self, name: &str, row: usize) -> Option<QuestionId> {
        let id = match QuestionId::parse(name) {
            Ok(id) => id,
            Err(e) => {
                self.error(
                    row,
                    Column::Name,
                    format!("Voci cannot use the name \"{name}\": a name {e}"),
                );
                return None;
            }
        };
        if let Some(first) = self.names.insert(name.to_owned(), row) {
            self.error(
                row,
                Column::Name,
                format!(
                    "the name \"{name}\" is also used at row {first}; Voci needs every name to be unique in the form (its answers are exported by name)"
                ),
            );
            return None;
        }
        Some(id)
    }

    /// A `table-list` group of single choices on one list: a matrix (its rows are likert
    /// questions). Says whether the group was taken as one.
    fn table_list(&mut self, g: &Group, conditions: &[String]) -> bool {
        let is_table = g
            .appearance
            .as_deref()
            .is_some_and(|a| a.split_whitespace().any(|w| w == "table-list"));
        let rows: Vec<&Field> = g
            .children
            .iter()
            .filter_map(|e| match e {
                Element::Field(f) if f.kind == FieldKind::SelectOne && !f.or_other => Some(&**f),
                _ => None,
            })
            .collect();
        let list = rows.first().and_then(|f| f.list.clone());
        let required = rows.first().map(|f| f.required.clone());
        // A matrix's rows share its scale, `required` and `relevant` and have nothing of
        // their own (as in the native format); other tables stay separate questions.
        let fits = is_table
            && rows.len() == g.children.len()
            && rows.len() >= 2
            && rows.iter().all(|f| {
                f.list == list
                    && Some(&f.required) == required.as_ref()
                    && f.choice_filter.is_none()
                    && f.relevant.is_none()
                    && f.hint.is_empty()
                    && f.constraint.is_none()
                    && !f.skip
                    && !f.parameters.contains_key("randomize")
            });
        if !fits {
            return false;
        }
        let Some(scale) = list.as_deref().and_then(|l| self.choices(l)) else {
            return true;
        };
        if self.current.is_none() {
            self.current = Some(Page {
                id: self.section_id("main"),
                title: None,
                relevant: None,
                repeat: None,
            });
        }
        // The head takes the group's name; a top-level group's name is its page's id.
        let head_id = format!("{}_table", g.name);
        let Some(id) = self.check_id(&head_id, g.row) else {
            return true;
        };
        let label = self.langs.text(&g.label).unwrap_or_else(|| {
            self.langs
                .text(&Labels::from([(DEFAULT_LANGUAGE.into(), " ".into())]))
                .unwrap_or_default()
        });
        let head = Question {
            relevant: all_of(conditions),
            ..Question::new(
                id.clone(),
                label,
                QuestionKind::Matrix {
                    choices: scale.clone(),
                },
            )
        };
        let at = self.questions.len();
        self.questions.push(head);
        for f in rows {
            let before = self.questions.len();
            self.field(f, conditions);
            if let Some(q) = self.questions.get_mut(before) {
                q.kind = QuestionKind::Likert {
                    choices: scale.clone(),
                };
                q.row_of = Some(id.clone());
            }
        }
        // The rows' common `required` is the matrix's.
        if let Some(row) = self.questions.get(at + 1).cloned()
            && let Some(head) = self.questions.get_mut(at)
        {
            head.required = row.required;
            head.required_if = row.required_if;
        }
        true
    }

    fn choices(&mut self, list: &str) -> Option<Vec<Choice>> {
        let choices: &[FormChoice] = self.form.lists.get(list)?;
        let mut out = Vec::new();
        for c in choices {
            let id = match ChoiceId::parse(c.name.clone()) {
                Ok(id) => id,
                Err(e) => {
                    self.sink.error(
                        "choices",
                        c.at,
                        format!("Voci cannot use the choice name \"{}\": a name {e}", c.name),
                    );
                    continue;
                }
            };
            let label = self
                .langs
                .text(&c.label)
                .unwrap_or_else(|| self.plain(&c.name));
            out.push(Choice {
                id,
                label,
                filter: c.extra.clone().into_iter().collect(),
            });
        }
        Some(out)
    }

    /// The same text in every language.
    fn plain(&self, s: &str) -> Text {
        Text(
            self.langs
                .codes
                .iter()
                .map(|c| (c.clone(), s.to_owned()))
                .collect(),
        )
    }

    /// Checks an expression's syntax at its cell and remembers where it is written.
    fn expression(&mut self, owner: &str, key: &'static str, src: &str, row: usize, col: Column) {
        let at = self.cell(row, col);
        if let Err(e) = crate::expr::parse(src) {
            self.sink
                .error(SURVEY, at, format!("in {} \"{src}\": {e}", col.header()));
        }
        self.sites.insert((owner.to_owned(), key), at);
    }

    fn field(&mut self, f: &Field, conditions: &[String]) {
        if f.skip {
            self.skipped.push((f.name.clone(), f.row));
            return;
        }
        let kind = match f.kind {
            FieldKind::Unsupported(what) => {
                self.error(
                    f.row,
                    Column::Type,
                    format!(
                        "\"{}\" is {what} (type \"{}\"), which Voci cannot collect offline in a browser; to run the rest of the form, mark this row voci_skip = yes",
                        f.name, f.type_text
                    ),
                );
                return;
            }
            FieldKind::Meta(Meta::Today) => QuestionKind::Calculate {
                calculation: "today()".into(),
            },
            FieldKind::Meta(meta) => {
                let why = match meta {
                    Meta::Start | Meta::End => {
                        "Voci records when each response is finished (submitted_at) and, for surveys that are not anonymous, when it began (started_at)"
                    }
                    _ => "Voci does not record who or which device answered",
                };
                let at = self.cell(f.row, Column::Type);
                self.sink.warning(
                    SURVEY,
                    at,
                    format!("\"{}\" ({}) is left out: {why}", f.name, f.type_text),
                );
                self.skipped.push((f.name.clone(), f.row));
                return;
            }
            _ => match self.kind(f) {
                Some(k) => k,
                None => return,
            },
        };
        let Some(id) = self.check_id(&f.name, f.row) else {
            return;
        };
        let owner = f.name.clone();
        let (label, hint) = match (self.langs.text(&f.label), self.langs.text(&f.hint)) {
            (Some(l), h) => (l, h),
            (None, Some(h)) => (h, None),
            (None, None) => (self.plain(&f.name), None),
        };
        let (required, required_if) = match f.required.as_deref().map(|r| (r, yes_no(r))) {
            None | Some((_, Some(false))) => (false, None),
            Some((_, Some(true))) => (true, None),
            Some((r, None)) => {
                self.expression(&owner, "required", r, f.row, Column::Required);
                (false, Some(r.to_owned()))
            }
        };
        if let Some(r) = &f.relevant {
            self.expression(&owner, "relevant", r, f.row, Column::Relevant);
        }
        if let Some(c) = &f.constraint {
            self.expression(&owner, "constraint", c, f.row, Column::Constraint);
        }
        if let Some(c) = &f.choice_filter {
            self.expression(&owner, "choice_filter", c, f.row, Column::ChoiceFilter);
        }
        let mut rel: Vec<String> = conditions.to_vec();
        rel.extend(f.relevant.clone());
        let randomize = f
            .parameters
            .get("randomize")
            .is_some_and(|v| yes_no(v) == Some(true));
        // Like the native format, a required_message goes with a required question only.
        let required_message = (required || required_if.is_some())
            .then(|| self.langs.text(&f.required_message))
            .flatten();
        let read_only = self.read_only(f, &kind);
        let question = Question {
            hint,
            required,
            required_if,
            required_message,
            read_only,
            relevant: all_of(&rel),
            constraint: f.constraint.clone(),
            constraint_message: self.langs.text(&f.constraint_message),
            choice_filter: f.choice_filter.clone(),
            randomize,
            ..Question::new(id, label, kind)
        };
        let question = Question {
            default: self.default(f, &question),
            ..question
        };
        let other = f.or_other.then(|| self.or_other(&question));
        let mut question = question;
        if let Some((choice, _)) = &other {
            match &mut question.kind {
                QuestionKind::Single { choices }
                | QuestionKind::Likert { choices }
                | QuestionKind::Multiple { choices, .. }
                | QuestionKind::Ranking { choices } => choices.push(choice.clone()),
                _ => {}
            }
        }
        self.questions.push(question);
        if let Some((_, follow)) = other
            && self.check_id(follow.id.as_str(), f.row).is_some()
        {
            self.questions.push(follow);
        }
    }

    /// `read_only = yes`, on a question that takes an answer. An expression there (newer
    /// XLSForm) is not read: the question stays editable, with a warning.
    fn read_only(&mut self, f: &Field, kind: &QuestionKind) -> bool {
        let Some(v) = f
            .read_only
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        else {
            return false;
        };
        match yes_no(v) {
            Some(yes) => yes && kind.takes_answer(),
            None => {
                let at = self.cell(f.row, Column::ReadOnly);
                self.sink.warning(
                    SURVEY,
                    at,
                    format!(
                        "read_only of \"{}\" is \"{v}\": Voci reads yes or no there, so the question stays editable",
                        f.name
                    ),
                );
                false
            }
        }
    }

    /// The `default` of a question that takes an answer, when it is one of its answers as
    /// written (a choice name, names separated by spaces, a number, a date, a text). Times
    /// and date-times lose their seconds, as Voci keeps minutes. Anything else (a dynamic
    /// default such as `today()`) is left out with a warning.
    fn default(&mut self, f: &Field, q: &Question) -> Option<String> {
        let raw = f
            .default
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())?;
        if matches!(f.kind, FieldKind::Hidden) || !q.kind.takes_answer() {
            return None;
        }
        let value = match q.kind {
            QuestionKind::Time if raw.len() == 8 => raw.get(..5),
            QuestionKind::DateTime if raw.len() > 16 => raw.get(..16),
            _ => None,
        }
        .unwrap_or(raw)
        .to_owned();
        let candidate = Question {
            default: Some(value.clone()),
            ..q.clone()
        };
        match crate::validate::check_default(&candidate) {
            Ok(()) => Some(value),
            Err(p) => {
                let at = self.cell(f.row, Column::Default);
                self.sink.warning(
                    SURVEY,
                    at,
                    format!(
                        "the default \"{raw}\" of \"{}\" is left out: {p} (Voci takes a default written as an answer: a choice name, a number, a date, a text; not an expression)",
                        f.name
                    ),
                );
                None
            }
        }
    }

    /// `or_other`: an "other" choice, and a text question `<name>_other` shown when it is
    /// picked, as pyxform adds them.
    fn or_other(&self, q: &Question) -> (Choice, Question) {
        let picked = format!("selected(${{{}}}, '{OTHER}')", q.id);
        let id = QuestionId::parse(format!("{}_{OTHER}", q.id)).unwrap_or_else(|_| q.id.clone());
        let follow = Question {
            relevant: Some(match &q.relevant {
                Some(r) => format!("({r}) and {picked}"),
                None => picked,
            }),
            ..Question::new(
                id,
                self.plain("Specify other."),
                QuestionKind::Text { max_length: None },
            )
        };
        let choice = Choice::new(
            ChoiceId::parse(OTHER).expect("a valid id"),
            self.plain("Other"),
        );
        (choice, follow)
    }

    /// The question kind of an answerable row.
    fn kind(&mut self, f: &Field) -> Option<QuestionKind> {
        let appearance = f.appearance.as_deref().unwrap_or("");
        let has = |w: &str| appearance.split_whitespace().any(|a| a == w);
        let list = |l: &mut Self| -> Option<Vec<Choice>> {
            let name = f.list.as_deref()?;
            let choices = l.choices(name)?;
            if choices.is_empty() {
                l.error(
                    f.row,
                    Column::Type,
                    format!("the list \"{name}\" has no choices"),
                );
                return None;
            }
            Some(choices)
        };
        Some(match f.kind {
            FieldKind::Text if has("multiline") => QuestionKind::LongText { max_length: None },
            FieldKind::Text => QuestionKind::Text { max_length: None },
            FieldKind::Integer => QuestionKind::Integer {
                min: None,
                max: None,
            },
            FieldKind::Decimal => QuestionKind::Number {
                min: None,
                max: None,
            },
            FieldKind::Date => QuestionKind::Date,
            FieldKind::Time => QuestionKind::Time,
            FieldKind::DateTime => QuestionKind::DateTime,
            FieldKind::Note => QuestionKind::Note,
            FieldKind::Acknowledge => QuestionKind::Acknowledge,
            FieldKind::Calculate => {
                let calculation = f.calculation.clone()?;
                self.expression(
                    &f.name,
                    "calculation",
                    &calculation,
                    f.row,
                    Column::Calculation,
                );
                QuestionKind::Calculate { calculation }
            }
            // A hidden field holds its default, as a constant calculation.
            FieldKind::Hidden => QuestionKind::Calculate {
                calculation: format!(
                    "'{}'",
                    f.default.clone().unwrap_or_default().replace('\'', "")
                ),
            },
            FieldKind::Range => {
                let number = |l: &mut Self, key: &str, default: f64| -> f64 {
                    match f.parameters.get(key) {
                        None => default,
                        Some(v) => crate::num::parse(v.trim()).unwrap_or_else(|| {
                            l.error(
                                f.row,
                                Column::Parameters,
                                format!("the range parameter {key}={v} is not a number"),
                            );
                            default
                        }),
                    }
                };
                let min = number(self, "start", 1.0);
                let max = number(self, "end", 10.0);
                let step = number(self, "step", 1.0);
                if step <= 0.0 || min > max {
                    self.error(
                        f.row,
                        Column::Parameters,
                        "a range needs start <= end and a step above 0",
                    );
                }
                QuestionKind::Range { min, max, step }
            }
            FieldKind::SelectOne if has("likert") => QuestionKind::Likert {
                choices: list(self)?,
            },
            FieldKind::SelectOne => QuestionKind::Single {
                choices: list(self)?,
            },
            FieldKind::SelectMultiple => QuestionKind::Multiple {
                choices: list(self)?,
                min: None,
                max: None,
            },
            FieldKind::Rank => QuestionKind::Ranking {
                choices: list(self)?,
            },
            FieldKind::Meta(_) | FieldKind::Unsupported(_) => return None,
        })
    }

    fn survey_id(&mut self, file: &str) -> Option<SurveyId> {
        let (raw, at) = match &self.form.settings.form_id {
            Some((id, at)) => (id.clone(), Some(*at)),
            None => (
                std::path::Path::new(file)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("form")
                    .to_owned(),
                None,
            ),
        };
        match SurveyId::parse(raw.clone()) {
            Ok(id) => Some(id),
            Err(e) => {
                let message = match at {
                    Some(_) => format!("Voci cannot use the form_id \"{raw}\": an id {e}"),
                    None => format!(
                        "the form has no form_id in its settings sheet, and the file name \"{raw}\" cannot be one (an id {e}); add a settings sheet with form_id"
                    ),
                };
                match at {
                    Some(at) => self.sink.error("settings", at, message),
                    None => self.sink.file_error(message),
                }
                None
            }
        }
    }

    fn version(&mut self) -> Option<String> {
        match &self.form.settings.version {
            None => Some("1".into()),
            Some((v, at)) if v.trim().is_empty() || v.contains(char::is_whitespace) => {
                let at = *at;
                self.sink.error(
                    "settings",
                    at,
                    format!("the version \"{v}\" must be one word, such as 2026.1 (no spaces)"),
                );
                None
            }
            Some((v, _)) => Some(v.clone()),
        }
    }

    /// Builds the engine to check the expressions as a whole (names, functions, choice
    /// codes, cycles); each problem is reported at its expression's cell.
    fn check_logic(&mut self, survey: &Survey) {
        if self.sink.has_errors() {
            return;
        }
        let Err(errors) = Engine::new(survey) else {
            return;
        };
        for e in errors {
            let key = e.field.key();
            let at = self
                .sites
                .get(&(e.owner.clone(), key))
                .copied()
                .or_else(|| {
                    self.names
                        .get(&e.owner)
                        .map(|row| self.cell(*row, Column::Name))
                })
                .unwrap_or(Cell { row: 1, column: 1 });
            let skipped = self
                .skipped
                .iter()
                .find(|(name, _)| e.message.contains(&format!("\"{name}\"")));
            let message = match skipped {
                Some((name, row)) => format!(
                    "in {key} of \"{}\": ${{{name}}} is left out of the survey (row {row}), so nothing can refer to it",
                    e.owner
                ),
                None => format!("in {key} of \"{}\": {}", e.owner, e.message),
            };
            self.sink.error(SURVEY, at, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_from_column_names() {
        assert_eq!(lang_code("English (en)").as_deref(), Some("en"));
        assert_eq!(lang_code("English(en)").as_deref(), Some("en"));
        assert_eq!(lang_code("Français (fr)").as_deref(), Some("fr"));
        assert_eq!(lang_code("english").as_deref(), Some("en"));
        assert_eq!(lang_code("EN").as_deref(), Some("en"));
        assert_eq!(lang_code("pt-BR").as_deref(), Some("pt"));
        assert_eq!(lang_code("Italiano").as_deref(), Some("it"));
        assert_eq!(lang_code("Klingon"), None);
    }

    #[test]
    fn conditions_join_with_and() {
        assert_eq!(all_of(&[]), None);
        assert_eq!(all_of(&["a".into()]).as_deref(), Some("a"));
        assert_eq!(
            all_of(&["a or b".into(), "c".into()]).as_deref(),
            Some("(a or b) and (c)")
        );
    }
}
