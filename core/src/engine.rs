//! The survey engine: which questions are shown, which are required, what the calculations
//! give, which choices are offered, and whether each answer meets its constraint.
//!
//! Expressions are parsed once, when the engine is built, into a dependency graph. Changing an
//! answer recomputes only the expressions that read it (and, in order, those that read what they
//! changed), so a survey of hundreds of expressions stays fast on a cheap tablet. A cycle in the
//! graph (a calculation that needs itself) is an error when the survey is checked.

use crate::expr::{self, Env, Expr, Value};
#[cfg(feature = "checks")]
use crate::expr::{CheckError, ExprKind, Place, RefInfo};
use crate::ids::QuestionId;
use crate::model::{Choice, QuestionKind, Survey};
use crate::response::{Answer, AnswerMap, Response};
use crate::validate::{AnswerError, Problem, check_answer_as};

/// Which expression of a question (or section) a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Relevant,
    RequiredIf,
    Constraint,
    Calculation,
    ChoiceFilter,
    /// A repeated section's `repeat_count`.
    RepeatCount,
}

impl Field {
    /// Every field, in the order problems are reported in.
    const ALL: [Field; 6] = [
        Field::Relevant,
        Field::RequiredIf,
        Field::Constraint,
        Field::Calculation,
        Field::ChoiceFilter,
        Field::RepeatCount,
    ];

    /// The key survey files use for the field.
    pub fn key(self) -> &'static str {
        match self {
            Field::Relevant => "relevant",
            Field::RequiredIf => "required",
            Field::Constraint => "constraint",
            Field::Calculation => "calculation",
            Field::ChoiceFilter => "choice_filter",
            Field::RepeatCount => "repeat_count",
        }
    }
}

/// A problem with a survey's expressions, found when the engine is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    /// The question's id, or the section's id for a section's `relevant`.
    pub owner: String,
    pub field: Field,
    pub message: String,
    /// The byte offset in the expression's text, when the problem has a place.
    pub offset: Option<usize>,
}

/// Something an answer change can make stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    SectionRelevant(usize),
    Relevant(usize),
    Calc(usize),
}

/// The parsed expressions of a section or a question, by [`Field`]. One array rather than a
/// field each, so that compiling and checking them is one loop (the app downloads this code).
#[derive(Debug, Default)]
struct Compiled([Option<Expr>; 6]);

impl Compiled {
    fn get(&self, field: Field) -> Option<&Expr> {
        self.0[field as usize].as_ref()
    }
}

/// A survey ready to run: its expressions parsed and ordered.
///
/// Its tables are vectors rather than hash or B-tree maps: the app downloads the code of every
/// map's key and value types, and these are built once and then only read.
#[derive(Debug)]
pub struct Engine {
    survey: Survey,
    ids: Vec<QuestionId>,
    /// The questions' positions by id (see [`Engine::position`]).
    by_id: ById,
    section_of: Vec<usize>,
    section_questions: Vec<std::ops::Range<usize>>,
    /// The repeated sections: their index, and their id, under which a response keeps
    /// their instances (`Answer::Instances`).
    repeats: Vec<(usize, QuestionId)>,
    /// The expressions of each section, then of each question (the question `i` at
    /// `sections + i`).
    exprs: Vec<Compiled>,
    /// For each question, the targets whose expressions read it.
    readers: Vec<Vec<Target>>,
    /// The targets in an order where everything comes after what it reads.
    order: Vec<Target>,
    /// Each target's place in `order`, by [`Engine::slot`].
    rank: Vec<usize>,
}

/// The state of one respondent's questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    answers: Vec<Option<Answer>>,
    relevant: Vec<bool>,
    section_relevant: Vec<bool>,
    calculated: Vec<Value>,
    repeats: Repeats,
    /// Today, as days since 1970-01-01, for `today()`.
    pub today: i64,
}

/// The instances of a survey's repeated sections, as a sheet sees them: `count()`, `sum()`
/// and `indexed-repeat()` read them.
#[derive(Debug, Clone, Default, PartialEq)]
struct Repeats {
    /// Each section's instances (by section index), for repeated sections that have some.
    instances: Vec<Option<Vec<AnswerMap>>>,
    /// The instance (from 1) whose answers the sheet holds for its section's questions, for
    /// `position(..)`; 0 on the sheet of the questions outside repeats.
    position: usize,
}

impl Repeats {
    /// The instances of section `s` (none for a section that is not repeated).
    fn of(&self, s: usize) -> &[AnswerMap] {
        self.instances
            .get(s)
            .and_then(Option::as_ref)
            .map_or(&[], Vec::as_slice)
    }
}

/// The questions' positions by id, looked up for every `${name}` at every evaluation: an
/// open-addressing hash table (FNV-1a, linear probing, at most half full), as fast as a
/// `HashMap` in a few hundred bytes of the app's download instead of a few thousand.
#[derive(Debug)]
struct ById {
    /// A question's position + 1, or 0 for an empty slot.
    slots: Vec<usize>,
}

impl ById {
    fn new(ids: &[QuestionId]) -> Self {
        let mut by_id = ById {
            slots: vec![0; (2 * ids.len()).next_power_of_two()],
        };
        for (i, id) in ids.iter().enumerate() {
            // An id given twice (refused when the survey is checked) finds the last one.
            let k = by_id.slot(ids, id.as_str());
            by_id.slots[k] = i + 1;
        }
        by_id
    }

    /// The slot of the question with id `name`, or the empty slot where it would go.
    fn slot(&self, ids: &[QuestionId], name: &str) -> usize {
        let mask = self.slots.len() - 1;
        let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        let mut k = hash as usize & mask;
        while let Some(i) = self.slots[k].checked_sub(1)
            && ids[i].as_str() != name
        {
            k = (k + 1) & mask;
        }
        k
    }

    fn get(&self, ids: &[QuestionId], name: &str) -> Option<usize> {
        self.slots[self.slot(ids, name)].checked_sub(1)
    }
}

impl Engine {
    /// Parses and orders the survey's expressions; reports every problem found (with the
    /// `checks` feature; without it, the app's, only what keeps it from running: expressions
    /// that do not parse, and cycles).
    pub fn new(survey: &Survey) -> Result<Self, Vec<EngineError>> {
        let survey = survey.clone();
        let ids: Vec<QuestionId> = survey.questions().map(|q| q.id.clone()).collect();
        let by_id = ById::new(&ids);
        let mut section_of = Vec::new();
        let mut section_questions = Vec::new();
        for (s, section) in survey.sections.iter().enumerate() {
            let start = section_of.len();
            section_of.extend(std::iter::repeat_n(s, section.questions.len()));
            section_questions.push(start..section_of.len());
        }
        let repeats: Vec<(usize, QuestionId)> = survey
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.repeat.is_some())
            .filter_map(|(i, s)| Some((i, QuestionId::parse(s.id.as_str()).ok()?)))
            .collect();
        let mut engine = Engine {
            survey,
            ids,
            by_id,
            section_of,
            section_questions,
            repeats,
            exprs: Vec::new(),
            readers: Vec::new(),
            order: Vec::new(),
            rank: Vec::new(),
        };
        let mut errors = Vec::new();
        engine.exprs = engine.compile(&mut errors);
        #[cfg(feature = "checks")]
        engine.position_outside_repeats(&mut errors);
        engine.order(&mut errors);
        if errors.is_empty() {
            Ok(engine)
        } else {
            Err(errors)
        }
    }

    /// Parses and checks every expression: the sections' (every `relevant`, then every
    /// `repeat_count`), then each question's, field by field. Without the `checks` feature
    /// (the app) it only parses: the collector checked the survey.
    fn compile(&self, errors: &mut Vec<EngineError>) -> Vec<Compiled> {
        let sections = self.survey.sections.len();
        // What each name stands for, for the checks.
        #[cfg(feature = "checks")]
        let codes: Vec<Vec<&str>> = self
            .survey
            .questions()
            .map(|q| q.kind.choices().iter().map(|c| c.id.as_str()).collect())
            .collect();
        #[cfg(feature = "checks")]
        let lookup = |name: &str| -> Option<RefInfo<'_>> {
            if self.repeats.iter().any(|(_, id)| id.as_str() == name) {
                return Some(RefInfo::Repeat);
            }
            let i = self.position(name)?;
            Some(match self.question(i).kind {
                QuestionKind::Single { .. } | QuestionKind::Likert { .. } => {
                    RefInfo::OneOf(&codes[i])
                }
                QuestionKind::Multiple { .. } => RefInfo::ManyOf(&codes[i]),
                _ => RefInfo::Value,
            })
        };
        #[cfg(feature = "checks")]
        let names: Vec<&str> = self.ids.iter().map(QuestionId::as_str).collect();
        // Every expression's place, in the order problems are reported in: the sections'
        // `relevant`s, their `repeat_count`s, then each question's fields.
        let mut places = Vec::new();
        for field in [Field::Relevant, Field::RepeatCount] {
            for s in 0..sections {
                places.push((s, field));
            }
        }
        for k in sections..sections + self.ids.len() {
            for field in Field::ALL {
                places.push((k, field));
            }
        }
        let mut exprs: Vec<Compiled> = (0..sections + self.ids.len())
            .map(|_| Compiled::default())
            .collect();
        for (k, field) in places {
            let Some(src) = self.source(k, field) else {
                continue;
            };
            let error = |message: String, offset: usize| EngineError {
                owner: self.owner_id(k).to_owned(),
                field,
                message,
                offset: Some(offset),
            };
            match expr::parse(src) {
                Ok(e) => {
                    #[cfg(feature = "checks")]
                    {
                        let place = match field {
                            Field::Constraint => Place::Constraint,
                            Field::ChoiceFilter => Place::ChoiceFilter,
                            _ => Place::Condition,
                        };
                        let found: Vec<CheckError> = expr::check(&e, &lookup, &names, place);
                        errors.extend(found.into_iter().map(|c| error(c.message, c.span.start)));
                    }
                    exprs[k].0[field as usize] = Some(e);
                }
                Err(p) => errors.push(error(p.message, p.offset)),
            }
        }
        exprs
    }

    /// The text of an expression of `exprs[k]` (a section's, or a question's).
    fn source(&self, k: usize, field: Field) -> Option<&str> {
        let sections = self.survey.sections.len();
        let src = if k < sections {
            let s = &self.survey.sections[k];
            match field {
                Field::Relevant => s.relevant.as_ref(),
                Field::RepeatCount => s.repeat.as_ref()?.count.as_ref(),
                _ => None,
            }
        } else {
            let q = self.question(k - sections);
            match field {
                Field::Relevant => q.relevant.as_ref(),
                Field::RequiredIf => q.required_if.as_ref(),
                Field::Constraint => q.constraint.as_ref(),
                Field::Calculation => match &q.kind {
                    QuestionKind::Calculate { calculation } => Some(calculation),
                    _ => None,
                },
                Field::ChoiceFilter => q.choice_filter.as_ref(),
                Field::RepeatCount => None,
            }
        };
        src.map(String::as_str)
    }

    /// The id of the section or question whose expressions are `exprs[k]`.
    fn owner_id(&self, k: usize) -> &str {
        let sections = self.survey.sections.len();
        match k.checked_sub(sections) {
            None => self.survey.sections[k].id.as_str(),
            Some(i) => self.ids[i].as_str(),
        }
    }

    /// Question `i`'s expression `field`.
    fn expr(&self, i: usize, field: Field) -> Option<&Expr> {
        self.exprs[self.survey.sections.len() + i].get(field)
    }

    /// `position(..)` is the number of a repeat's instance: an error in any expression that
    /// is not evaluated inside one (a repeat's own `relevant` and `repeat_count` are not).
    #[cfg(feature = "checks")]
    fn position_outside_repeats(&self, errors: &mut Vec<EngineError>) {
        let sections = self.survey.sections.len();
        for (k, c) in self.exprs.iter().enumerate() {
            if k >= sections && self.in_repeat(k - sections) {
                continue;
            }
            for field in Field::ALL {
                let mut found = false;
                if let Some(e) = c.get(field) {
                    e.walk(&mut |x| found |= matches!(x.kind, ExprKind::Parent));
                }
                if found {
                    errors.push(EngineError {
                        owner: self.owner_id(k).to_owned(),
                        field,
                        message: "position(..) is the number of a repeat's instance, so it can only be used by the questions of a repeat".into(),
                        offset: None,
                    });
                }
            }
        }
    }

    /// Whether question `i` is in a repeated section.
    fn in_repeat(&self, i: usize) -> bool {
        self.survey.sections[self.section_of[i]].repeat.is_some()
    }

    /// Where a target's expression is: its index in `exprs`, and its field.
    fn place(&self, t: Target) -> (usize, Field) {
        let sections = self.survey.sections.len();
        match t {
            Target::SectionRelevant(s) => (s, Field::Relevant),
            Target::Relevant(i) => (sections + i, Field::Relevant),
            Target::Calc(i) => (sections + i, Field::Calculation),
        }
    }

    fn target_expr(&self, t: Target) -> Option<&Expr> {
        let (k, field) = self.place(t);
        self.exprs[k].get(field)
    }

    /// A number for each target, from 0: sections' first, then questions', then
    /// calculations'.
    fn slot(&self, t: Target) -> usize {
        let (k, field) = self.place(t);
        k + usize::from(field == Field::Calculation) * self.ids.len()
    }

    /// The targets a question's effective value comes from.
    fn sources(&self, q: usize) -> impl Iterator<Item = Target> + '_ {
        [
            Target::SectionRelevant(self.section_of[q]),
            Target::Relevant(q),
            Target::Calc(q),
        ]
        .into_iter()
        .filter(|t| self.target_expr(*t).is_some())
    }

    fn questions_of(&self, t: Target) -> std::ops::Range<usize> {
        match t {
            Target::SectionRelevant(s) => self.section_questions[s].clone(),
            Target::Relevant(i) | Target::Calc(i) => i..i + 1,
        }
    }

    /// Builds the readers lists and a topological order; reports cycles.
    fn order(&mut self, errors: &mut Vec<EngineError>) {
        let n = self.ids.len();
        let slots = self.survey.sections.len() + 2 * n;
        // Every target with an expression, sections' first, then questions', then calculations'.
        let mut remaining = Vec::new();
        let mut add = |t| {
            if self.target_expr(t).is_some() {
                remaining.push(t);
            }
        };
        (0..self.survey.sections.len()).for_each(|s| add(Target::SectionRelevant(s)));
        (0..n).for_each(|i| add(Target::Relevant(i)));
        (0..n).for_each(|i| add(Target::Calc(i)));

        let mut readers: Vec<Vec<Target>> = vec![Vec::new(); n];
        let mut preds: Vec<Vec<Target>> = vec![Vec::new(); slots];
        for &t in &remaining {
            let refs = self
                .target_expr(t)
                .map(Expr::references)
                .unwrap_or_default();
            for q in refs.into_iter().filter_map(|r| self.position(r)) {
                readers[q].push(t);
                preds[self.slot(t)].extend(self.sources(q));
            }
        }
        // Kahn's algorithm; whatever is left over is on a cycle.
        const UNRANKED: usize = usize::MAX;
        let mut rank = vec![UNRANKED; slots];
        let mut order = Vec::new();
        while !remaining.is_empty() {
            let ready: Vec<Target> = remaining
                .iter()
                .copied()
                .filter(|t| {
                    preds[self.slot(*t)]
                        .iter()
                        .all(|p| rank[self.slot(*p)] != UNRANKED)
                })
                .collect();
            if ready.is_empty() {
                let owner = |t: Target| {
                    let (k, field) = self.place(t);
                    (self.owner_id(k).to_owned(), field)
                };
                let names: Vec<String> = remaining
                    .iter()
                    .map(|t| {
                        let (owner, field) = owner(*t);
                        format!("{owner} ({})", field.key())
                    })
                    .collect();
                for &t in &remaining {
                    let (owner, field) = owner(t);
                    errors.push(EngineError {
                        owner,
                        field,
                        message: format!(
                            "this expression depends on itself through a cycle: {}",
                            names.join(" → ")
                        ),
                        offset: None,
                    });
                }
                break;
            }
            for t in ready {
                rank[self.slot(t)] = order.len();
                order.push(t);
            }
            remaining.retain(|t| rank[self.slot(*t)] == UNRANKED);
        }
        self.readers = readers;
        self.order = order;
        self.rank = rank;
    }

    pub fn survey(&self) -> &Survey {
        &self.survey
    }

    /// The position of a question among all the survey's questions.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(&self.ids, id)
    }

    /// A sheet with these answers, everything computed from scratch. A repeated section's
    /// instances are the `Answer::Instances` under its id.
    pub fn sheet(&self, answers: &AnswerMap, today: i64) -> Sheet {
        self.sheet_at(answers, today, 0)
    }

    /// The sheet of a new response: the questions outside repeats start with their
    /// `default`s (a reopened draft is [`Engine::sheet`] of its own answers instead).
    pub fn new_sheet(&self, today: i64) -> Sheet {
        let mut outside = (0..self.ids.len()).filter(|&i| !self.in_repeat(i));
        self.sheet(&self.defaults(&mut outside), today)
    }

    /// A new instance of repeated section `section`: its questions' `default`s.
    pub fn new_instance(&self, section: usize) -> AnswerMap {
        let mut questions = self.section_questions.get(section).cloned().unwrap_or(0..0);
        self.defaults(&mut questions)
    }

    // `dyn` iterators and `insert` loops here and below: one copy of the code for every
    // caller, and no collecting into a map (a sort per call site), in the app's download.
    fn defaults(&self, questions: &mut dyn Iterator<Item = usize>) -> AnswerMap {
        let mut out = AnswerMap::new();
        for i in questions {
            if let Some(a) = self.question(i).default_answer() {
                out.insert(self.ids[i].clone(), a);
            }
        }
        out
    }

    /// [`Engine::sheet`], for instance `position` (from 1; 0 for none) of a repeat.
    fn sheet_at(&self, answers: &AnswerMap, today: i64, position: usize) -> Sheet {
        let n = self.ids.len();
        let mut instances: Vec<_> = self.survey.sections.iter().map(|_| None).collect();
        for (s, id) in &self.repeats {
            if let Some(Answer::Instances(v)) = answers.get(id) {
                instances[*s] = Some(v.clone());
            }
        }
        let mut sheet = Sheet {
            answers: self.ids.iter().map(|id| answers.get(id).cloned()).collect(),
            relevant: vec![true; n],
            section_relevant: vec![true; self.survey.sections.len()],
            calculated: vec![Value::empty(); n],
            repeats: Repeats {
                instances,
                position,
            },
            today,
        };
        for &t in &self.order {
            self.recompute(&mut sheet, t);
        }
        sheet
    }

    /// Recomputes one target; says whether its result changed.
    fn recompute(&self, sheet: &mut Sheet, t: Target) -> bool {
        let Some(e) = self.target_expr(t) else {
            return false;
        };
        let env = SheetEnv {
            engine: self,
            sheet,
            current: None,
        };
        match t {
            Target::SectionRelevant(s) => {
                let v = e.holds(&env);
                std::mem::replace(&mut sheet.section_relevant[s], v) != v
            }
            Target::Relevant(i) => {
                let v = e.holds(&env);
                std::mem::replace(&mut sheet.relevant[i], v) != v
            }
            Target::Calc(i) => {
                let v = e.eval(&env);
                std::mem::replace(&mut sheet.calculated[i], v.clone()) != v
            }
        }
    }

    /// Sets (or clears) an answer and recomputes what depends on it, and only that.
    /// Returns how many expressions were evaluated.
    /// A repeated section's id sets its instances (`Answer::Instances`), and everything is
    /// computed again.
    pub fn set(&self, sheet: &mut Sheet, id: &str, answer: Option<Answer>) -> usize {
        if let Some((s, _)) = self.repeats.iter().find(|(_, r)| r.as_str() == id) {
            sheet.repeats.instances[*s] = match answer {
                Some(Answer::Instances(v)) => Some(v),
                _ => None,
            };
            *sheet = self.sheet_at(&self.answers(sheet), sheet.today, sheet.repeats.position);
            return self.order.len();
        }
        let Some(q) = self.position(id) else {
            return 0;
        };
        sheet.answers[q] = answer;
        // The ranks of the targets to recompute, largest first (a target only makes stale
        // those after it in the order, so the smallest is always next).
        let mut queue: Vec<usize> = Vec::new();
        let stale = |queue: &mut Vec<usize>, q: usize| {
            for t in &self.readers[q] {
                let r = self.rank[self.slot(*t)];
                if let Err(at) = queue.binary_search_by(|x| r.cmp(x)) {
                    queue.insert(at, r);
                }
            }
        };
        stale(&mut queue, q);
        let mut evaluated = 0;
        while let Some(r) = queue.pop() {
            evaluated += 1;
            let t = self.order[r];
            if self.recompute(sheet, t) {
                for q in self.questions_of(t) {
                    stale(&mut queue, q);
                }
            }
        }
        evaluated
    }

    /// Whether a question is shown: its page and itself are relevant.
    pub fn shown(&self, sheet: &Sheet, id: &str) -> bool {
        self.position(id).is_some_and(|i| self.shown_at(sheet, i))
    }

    fn shown_at(&self, sheet: &Sheet, i: usize) -> bool {
        sheet.section_relevant[self.section_of[i]] && sheet.relevant[i]
    }

    /// Whether any question of a page is shown (a page with none is skipped). Calculations
    /// are never on screen, so a page of calculations alone is skipped too.
    pub fn page_shown(&self, sheet: &Sheet, section: usize) -> bool {
        sheet
            .section_relevant
            .get(section)
            .copied()
            .unwrap_or(false)
            && self.section_questions[section]
                .clone()
                .any(|i| sheet.relevant[i] && self.expr(i, Field::Calculation).is_none())
    }

    /// The answer given to a question, shown or not (a hidden one is kept while the respondent
    /// may still change their mind, and left out by [`Engine::finish`]).
    pub fn answer<'s>(&self, sheet: &'s Sheet, id: &str) -> Option<&'s Answer> {
        let i = self.position(id)?;
        sheet.answers[i].as_ref()
    }

    /// Every answer given so far, shown or not: what a draft keeps (a repeat's instances
    /// under its id).
    pub fn answers(&self, sheet: &Sheet) -> AnswerMap {
        let mut out = AnswerMap::new();
        for (id, a) in self.ids.iter().zip(&sheet.answers) {
            if let Some(a) = a {
                out.insert(id.clone(), a.clone());
            }
        }
        for (s, id) in &self.repeats {
            if let Some(v) = &sheet.repeats.instances[*s] {
                out.insert(id.clone(), Answer::Instances(v.clone()));
            }
        }
        out
    }

    /// The sheet of instance `k` (from 0) of the repeated section `section`: the answers
    /// outside it as in `sheet`, that instance's answers for the section's questions, and
    /// `position(..)` = `k + 1`. `None` when there is no such instance.
    pub fn instance_sheet(&self, sheet: &Sheet, section: usize, k: usize) -> Option<Sheet> {
        let instance = sheet.repeats.of(section).get(k)?;
        let questions = self.section_questions.get(section)?.clone();
        let mut answers = self.answers(sheet);
        for i in questions.clone() {
            answers.remove(&self.ids[i]);
        }
        for (id, a) in instance {
            if self
                .position(id.as_str())
                .is_some_and(|i| questions.contains(&i))
            {
                answers.insert(id.clone(), a.clone());
            }
        }
        Some(self.sheet_at(&answers, sheet.today, k + 1))
    }

    /// The instances of the repeated section `section` on `sheet` (none for another section).
    pub fn instances<'s>(&self, sheet: &'s Sheet, section: usize) -> &'s [AnswerMap] {
        sheet.repeats.of(section)
    }

    /// How many instances the repeated section `section` has to have, by its `repeat_count`
    /// on `sheet` (a count that is not a number, such as an unanswered question, is 0);
    /// `None` when the respondent decides (no `repeat_count`).
    pub fn repeat_count(&self, sheet: &Sheet, section: usize) -> Option<usize> {
        // Sections come first in `exprs`; a question's has no `repeat_count`.
        let e = self.exprs.get(section)?.get(Field::RepeatCount)?;
        let n = e
            .eval(&SheetEnv {
                engine: self,
                sheet,
                current: None,
            })
            .to_num();
        Some(if n.is_finite() && n > 0.0 {
            n.floor() as usize
        } else {
            0
        })
    }

    /// Moves the sheet to another day (a questionnaire left open past midnight): whatever
    /// reads `today()` is computed again.
    pub fn set_today(&self, sheet: &mut Sheet, today: i64) {
        if sheet.today != today {
            *sheet = self.sheet(&self.answers(sheet), today);
        }
    }

    /// The value a calculation gives now.
    pub fn calculated(&self, sheet: &Sheet, id: &str) -> Option<Value> {
        let i = self.position(id)?;
        self.expr(i, Field::Calculation)
            .map(|_| sheet.calculated[i].clone())
    }

    /// Whether the question must be answered now.
    pub fn required(&self, sheet: &Sheet, id: &str) -> bool {
        let Some(i) = self.position(id) else {
            return false;
        };
        let q = self.question(i);
        self.shown_at(sheet, i)
            && q.kind.takes_answer()
            && (q.required
                || self.expr(i, Field::RequiredIf).is_some_and(|e| {
                    e.holds(&SheetEnv {
                        engine: self,
                        sheet,
                        current: None,
                    })
                }))
    }

    fn question(&self, i: usize) -> &crate::model::Question {
        let s = self.section_of[i];
        &self.survey.sections[s].questions[i - self.section_questions[s].start]
    }

    /// The choices offered now (after the choice filter), in order.
    pub fn choices(&self, sheet: &Sheet, id: &str) -> Vec<&Choice> {
        let Some(i) = self.position(id) else {
            return Vec::new();
        };
        let all = self.question(i).kind.choices();
        match self.expr(i, Field::ChoiceFilter) {
            None => all.iter().collect(),
            Some(f) => all
                .iter()
                .filter(|c| {
                    f.holds(&ChoiceEnv {
                        inner: SheetEnv {
                            engine: self,
                            sheet,
                            current: None,
                        },
                        choice: c,
                    })
                })
                .collect(),
        }
    }

    /// Checks the answer to one shown question: required, its kind's rules, its constraint.
    /// A question that is not shown has nothing to check.
    pub fn check(&self, sheet: &Sheet, id: &str) -> Result<(), Problem> {
        let Some(i) = self.position(id) else {
            return Err(Problem::UnknownQuestion);
        };
        if !self.shown_at(sheet, i) {
            return Ok(());
        }
        let q = self.question(i);
        if matches!(q.kind, QuestionKind::Calculate { .. }) {
            return Ok(());
        }
        let answer = sheet.answers[i].as_ref().filter(|a| !a.is_empty());
        if q.read_only {
            // Its answer is its default, whatever the survey's other rules say.
            let text = |a: Option<&Answer>| a.map(|a| answer_value(a).to_str()).unwrap_or_default();
            let expected = text(q.default_answer().as_ref());
            return if text(answer) == expected {
                Ok(())
            } else {
                Err(Problem::ReadOnly { expected })
            };
        }
        check_answer_as(q, self.required(sheet, id), answer)?;
        let Some(a) = answer else { return Ok(()) };
        if self.expr(i, Field::ChoiceFilter).is_some() {
            let offered = self.choices(sheet, id);
            let picked: Vec<&str> = match a {
                Answer::Text(t) => vec![t.as_str()],
                Answer::Choices(cs) => cs.iter().map(String::as_str).collect(),
                Answer::Number(_) | Answer::Instances(_) => Vec::new(),
            };
            if let Some(p) = picked
                .iter()
                .find(|p| !offered.iter().any(|c| c.id.as_str() == **p))
            {
                return Err(Problem::UnknownChoice {
                    choice: (*p).to_owned(),
                });
            }
        }
        if let Some(c) = self.expr(i, Field::Constraint)
            && !c.holds(&SheetEnv {
                engine: self,
                sheet,
                current: Some(answer_value(a)),
            })
        {
            return Err(Problem::Constraint);
        }
        Ok(())
    }

    /// The answers to keep: those of shown questions, and every calculation's value; a
    /// shown repeat's instances, each finished the same way, under the repeat's id.
    pub fn finish(&self, sheet: &Sheet) -> AnswerMap {
        let mut outside = (0..self.ids.len()).filter(|&i| !self.in_repeat(i));
        let mut out = self.finish_questions(sheet, &mut outside);
        for (s, id) in &self.repeats {
            let n = sheet.repeats.of(*s).len();
            if !sheet.section_relevant[*s] || n == 0 {
                continue;
            }
            let instances = (0..n)
                .filter_map(|k| self.instance_sheet(sheet, *s, k))
                .map(|one| self.finish_questions(&one, &mut self.section_questions[*s].clone()))
                .collect();
            out.insert(id.clone(), Answer::Instances(instances));
        }
        out
    }

    fn finish_questions(
        &self,
        sheet: &Sheet,
        questions: &mut dyn Iterator<Item = usize>,
    ) -> AnswerMap {
        let mut out = AnswerMap::new();
        for i in questions {
            let id = &self.ids[i];
            if !self.shown_at(sheet, i) {
                continue;
            }
            if self.expr(i, Field::Calculation).is_some() {
                let v = sheet.calculated[i].to_str();
                if !v.is_empty() {
                    out.insert(id.clone(), Answer::Text(v));
                }
            } else if let Some(a) = sheet.answers[i].as_ref().filter(|a| !a.is_empty()) {
                out.insert(id.clone(), a.clone());
            }
        }
        out
    }

    /// The collector's check of a whole response: every answer to a shown question is valid,
    /// no answer is given to a question that was not shown, and calculations match. A shown
    /// repeat has as many instances as its `repeat_count` says, and each instance is checked
    /// the same way (its questions see the instance's answers, `position(..)` its number).
    /// `today()` is the day the response was submitted.
    pub fn check_response(&self, response: &Response) -> Result<(), Vec<AnswerError>> {
        let today = expr::parse_date_days(&response.submitted_at).unwrap_or(0);
        let sheet = self.sheet(&response.answers, today);
        let mut errors = Vec::new();
        let err = |id: &QuestionId, problem| AnswerError::new(id.clone(), problem);
        for id in response.answers.keys() {
            let repeat = self.repeats.iter().any(|(_, r)| r == id);
            if self.position(id.as_str()).is_none() && !repeat {
                errors.push(err(id, Problem::UnknownQuestion));
            }
        }
        for (i, id) in self.ids.iter().enumerate() {
            let given = response.answers.get(id).filter(|a| !a.is_empty());
            if self.in_repeat(i) {
                if given.is_some() {
                    let repeat = &self.survey.sections[self.section_of[i]].id;
                    let expected = format!("its answers inside the instances of \"{repeat}\"");
                    errors.push(err(id, Problem::WrongType { expected }));
                }
                continue;
            }
            self.check_given(&sheet, i, given, &mut errors);
        }
        for (s, id) in &self.repeats {
            let instances: &[AnswerMap] = match response.answers.get(id) {
                Some(Answer::Instances(v)) => v,
                Some(a) if !a.is_empty() => {
                    let expected = "a list of instances".to_owned();
                    errors.push(err(id, Problem::WrongType { expected }));
                    continue;
                }
                _ => &[],
            };
            if !sheet.section_relevant[*s] {
                if !instances.is_empty() {
                    errors.push(err(id, Problem::NotRelevant));
                }
                continue;
            }
            if let Some(want) = self.repeat_count(&sheet, *s)
                && want != instances.len()
            {
                let expected = format!("{want} instances (its repeat_count)");
                errors.push(err(id, Problem::WrongType { expected }));
            }
            for (k, instance) in instances.iter().enumerate() {
                let Some(one) = self.instance_sheet(&sheet, *s, k) else {
                    continue;
                };
                let mut found = Vec::new();
                let questions = self.section_questions[*s].clone();
                for key in instance.keys() {
                    if !self
                        .position(key.as_str())
                        .is_some_and(|i| questions.contains(&i))
                    {
                        found.push(err(key, Problem::UnknownQuestion));
                    }
                }
                for i in questions {
                    let given = instance.get(&self.ids[i]).filter(|a| !a.is_empty());
                    self.check_given(&one, i, given, &mut found);
                }
                errors.extend(found.into_iter().map(|e| e.in_instance(k + 1)));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Checks the answer given to question `i` on `sheet` (see [`Engine::check_response`]).
    fn check_given(
        &self,
        sheet: &Sheet,
        i: usize,
        given: Option<&Answer>,
        errors: &mut Vec<AnswerError>,
    ) {
        let id = &self.ids[i];
        let err = |problem| AnswerError::new(id.clone(), problem);
        if !self.shown_at(sheet, i) {
            if given.is_some() {
                errors.push(err(Problem::NotRelevant));
            }
            return;
        }
        if self.expr(i, Field::Calculation).is_some() {
            let want = sheet.calculated[i].to_str();
            let got = given.map(|a| answer_value(a).to_str()).unwrap_or_default();
            if got != want {
                errors.push(err(Problem::Calculation { expected: want }));
            }
            return;
        }
        if let Err(p) = self.check(sheet, id.as_str()) {
            let q = self.question(i);
            let own = match p {
                Problem::Required => q.required_message.as_ref(),
                Problem::Constraint => q.constraint_message.as_ref(),
                _ => None,
            };
            let lang = self.survey.default_language();
            let message = own.map(|t| t.get(lang, lang).to_owned());
            errors.push(err(p).with_message(message));
        }
    }
}

/// An answer as an expression sees it: numbers as numbers, choices space-separated.
fn answer_value(a: &Answer) -> Value {
    match a {
        Answer::Number(n) => n.as_f64().map_or_else(Value::empty, Value::Num),
        Answer::Text(t) => Value::Str(t.clone()),
        Answer::Choices(c) => Value::Str(c.join(" ")),
        Answer::Instances(v) => Value::Num(v.len() as f64),
    }
}

struct SheetEnv<'a> {
    engine: &'a Engine,
    sheet: &'a Sheet,
    current: Option<Value>,
}

impl Env for SheetEnv<'_> {
    fn answer(&self, name: &str) -> Value {
        let Some(i) = self.engine.position(name) else {
            return Value::empty();
        };
        if !self.engine.shown_at(self.sheet, i) {
            return Value::empty();
        }
        if self.engine.expr(i, Field::Calculation).is_some() {
            return self.sheet.calculated[i].clone();
        }
        self.sheet.answers[i]
            .as_ref()
            .map_or_else(Value::empty, answer_value)
    }

    fn current(&self) -> Value {
        self.current.clone().unwrap_or_else(Value::empty)
    }

    fn today(&self) -> i64 {
        self.sheet.today
    }

    fn field(&self, _name: &str) -> Value {
        Value::empty()
    }

    fn values(&self, name: &str) -> Vec<Value> {
        let engine = self.engine;
        let instances = |s: usize| self.sheet.repeats.of(s);
        if let Some((s, _)) = engine.repeats.iter().find(|(_, r)| r.as_str() == name) {
            return (1..=instances(*s).len())
                .map(|k| Value::Num(k as f64))
                .collect();
        }
        match engine.position(name) {
            Some(i) if engine.in_repeat(i) => instances(engine.section_of[i])
                .iter()
                .map(|one| {
                    one.get(&engine.ids[i])
                        .map_or_else(Value::empty, answer_value)
                })
                .collect(),
            _ => vec![self.answer(name)],
        }
    }

    fn indexed(&self, name: &str, n: usize) -> Value {
        let engine = self.engine;
        match engine.position(name) {
            Some(i) if engine.in_repeat(i) => self
                .sheet
                .repeats
                .of(engine.section_of[i])
                .get(n.wrapping_sub(1)) // none for n = 0
                .and_then(|one| one.get(&engine.ids[i]))
                .map_or_else(Value::empty, answer_value),
            _ if n == 1 => self.answer(name),
            _ => Value::empty(),
        }
    }

    fn position(&self) -> usize {
        self.sheet.repeats.position
    }
}

/// A choice filter sees the choice's own fields by bare name (`name` is its code).
struct ChoiceEnv<'a> {
    inner: SheetEnv<'a>,
    choice: &'a Choice,
}

impl Env for ChoiceEnv<'_> {
    fn answer(&self, name: &str) -> Value {
        self.inner.answer(name)
    }
    fn current(&self) -> Value {
        self.inner.current()
    }
    fn today(&self) -> i64 {
        self.inner.today()
    }
    fn values(&self, name: &str) -> Vec<Value> {
        self.inner.values(name)
    }
    fn indexed(&self, name: &str, n: usize) -> Value {
        self.inner.indexed(name, n)
    }
    fn position(&self) -> usize {
        self.inner.position()
    }
    fn field(&self, name: &str) -> Value {
        if name == "name" {
            return Value::Str(self.choice.id.to_string());
        }
        self.choice
            .filter
            .get(name)
            .map_or_else(Value::empty, |v| Value::Str(v.clone()))
    }
}

#[cfg(all(test, feature = "files"))]
mod tests {
    use serde_json::json;

    use super::*;

    /// A two-page survey with skip logic, a constraint, a calculation and a choice filter.
    const SURVEY: &str = r#"
id = "s"
version = "1"
languages = ["it"]
title = "S"

[[section]]
id = "chi"
[[section.question]]
id = "ruolo"
type = "single"
required = true
label = "Ruolo"
choices = [{ id = "studente", label = "Studente" }, { id = "genitore", label = "Genitore" }]
[[section.question]]
id = "eta"
type = "integer"
required = true
label = "Età"
constraint = ". >= 11 and . <= 35"
constraint_message = "Tra 11 e 35"
[[section.question]]
id = "comune"
type = "single"
label = "Comune"
choices = [{ id = "melzo", label = "Melzo" }, { id = "inzago", label = "Inzago" }]
[[section.question]]
id = "anni_a_18"
type = "calculate"
calculation = "if(${eta} < 18, 18 - ${eta}, 0)"

[[section]]
id = "scuola"
relevant = "${ruolo} = 'studente'"
[[section.question]]
id = "istituto"
type = "single"
required = true
label = "Scuola"
choice_filter = "comune = ${comune}"
choices = [
  { id = "mascagni", label = "IC Mascagni", filter = { comune = "melzo" } },
  { id = "bellisario", label = "Bellisario", filter = { comune = "inzago" } },
]
[[section.question]]
id = "problemi"
type = "multiple"
label = "Problemi"
max = 2
choices = [{ id = "lavoro", label = "Lavoro" }, { id = "dad", label = "DAD" }, { id = "altro", label = "Altro" }]
[[section.question]]
id = "altro_quale"
type = "text"
label = "Quale?"
relevant = "selected(${problemi}, 'altro')"
required = "count-selected(${problemi}) = 1"
"#;

    fn engine() -> Engine {
        let (survey, diags) = crate::files::parse_survey("s.toml", SURVEY);
        Engine::new(&survey.unwrap_or_else(|| panic!("{diags:?}"))).unwrap()
    }

    fn a(v: serde_json::Value) -> Option<Answer> {
        Some(serde_json::from_value(v).unwrap())
    }

    #[test]
    fn questions_are_found_by_id() {
        let ids: Vec<QuestionId> = ["a", "b", "a", "eta_anni"]
            .into_iter()
            .chain((0..100).map(|_| "x"))
            .map(|s| QuestionId::parse(s).unwrap())
            .collect();
        let by_id = ById::new(&ids);
        assert_eq!(by_id.get(&ids, "a"), Some(2), "the last of two");
        assert_eq!(by_id.get(&ids, "b"), Some(1));
        assert_eq!(by_id.get(&ids, "eta_anni"), Some(3));
        assert_eq!(by_id.get(&ids, "x"), Some(103));
        assert_eq!(by_id.get(&ids, "eta"), None);
        assert_eq!(by_id.get(&ids, ""), None);
        assert_eq!(ById::new(&[]).get(&[], "a"), None);
        let many: Vec<QuestionId> = (0..1000)
            .map(|i| QuestionId::parse(format!("q{i}")).unwrap())
            .collect();
        let by_id = ById::new(&many);
        assert!((0..1000).all(|i| by_id.get(&many, &format!("q{i}")) == Some(i)));
    }

    #[test]
    fn skip_logic_across_sections() {
        let e = engine();
        let mut sheet = e.sheet(&AnswerMap::new(), 20_780);
        assert!(
            !e.page_shown(&sheet, 1),
            "the school page waits for the role"
        );
        assert!(!e.shown(&sheet, "istituto"));
        e.set(&mut sheet, "ruolo", a(json!("studente")));
        assert!(e.page_shown(&sheet, 1));
        assert!(e.shown(&sheet, "istituto"));
        assert!(
            !e.shown(&sheet, "altro_quale"),
            "shown only when 'altro' is ticked"
        );
        e.set(&mut sheet, "problemi", a(json!(["altro"])));
        assert!(e.shown(&sheet, "altro_quale"));
        assert!(
            e.required(&sheet, "altro_quale"),
            "required when only 'altro' is ticked"
        );
        e.set(&mut sheet, "problemi", a(json!(["altro", "dad"])));
        assert!(!e.required(&sheet, "altro_quale"));
        // A parent never sees the school page, whatever was answered there before.
        e.set(&mut sheet, "ruolo", a(json!("genitore")));
        assert!(!e.shown(&sheet, "istituto") && !e.shown(&sheet, "altro_quale"));
        assert_eq!(
            e.check(&sheet, "istituto"),
            Ok(()),
            "a hidden question is never required"
        );
    }

    #[test]
    fn constraints_calculations_and_filters() {
        let e = engine();
        let mut sheet = e.sheet(&AnswerMap::new(), 20_780);
        e.set(&mut sheet, "eta", a(json!(9)));
        assert_eq!(e.check(&sheet, "eta"), Err(Problem::Constraint));
        e.set(&mut sheet, "eta", a(json!(15)));
        assert_eq!(e.check(&sheet, "eta"), Ok(()));
        assert_eq!(e.calculated(&sheet, "anni_a_18"), Some(Value::Num(3.0)));
        e.set(&mut sheet, "ruolo", a(json!("studente")));
        e.set(&mut sheet, "comune", a(json!("inzago")));
        let offered: Vec<&str> = e
            .choices(&sheet, "istituto")
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(offered, ["bellisario"]);
        e.set(&mut sheet, "istituto", a(json!("mascagni")));
        assert_eq!(
            e.check(&sheet, "istituto"),
            Err(Problem::UnknownChoice {
                choice: "mascagni".into()
            })
        );
        e.set(&mut sheet, "problemi", a(json!(["lavoro", "dad", "altro"])));
        assert_eq!(
            e.check(&sheet, "problemi"),
            Err(Problem::TooManyChoices { max: 2 })
        );
    }

    #[test]
    fn only_what_depends_on_a_change_is_recomputed() {
        let e = engine();
        let mut sheet = e.sheet(&AnswerMap::new(), 20_780);
        // `comune` is read by no relevant or calculation: nothing to recompute.
        assert_eq!(e.set(&mut sheet, "comune", a(json!("melzo"))), 0);
        // `eta` feeds one calculation.
        assert_eq!(e.set(&mut sheet, "eta", a(json!(12))), 1);
        // `ruolo` flips the school page, which makes `problemi` visible, which feeds `altro_quale`.
        assert_eq!(e.set(&mut sheet, "ruolo", a(json!("studente"))), 2);
        // The result is the same as computing everything from scratch.
        let answers = sheet
            .answers
            .iter()
            .zip(&e.ids)
            .filter_map(|(a, id)| Some((id.clone(), a.clone()?)))
            .collect();
        assert_eq!(e.sheet(&answers, 20_780), sheet);
    }

    #[test]
    fn a_draft_keeps_hidden_answers_and_a_page_of_calculations_is_skipped() {
        let e = engine();
        let mut sheet = e.sheet(&AnswerMap::new(), 20_780);
        e.set(&mut sheet, "ruolo", a(json!("studente")));
        e.set(&mut sheet, "istituto", a(json!("mascagni")));
        e.set(&mut sheet, "ruolo", a(json!("genitore")));
        assert_eq!(e.answer(&sheet, "istituto"), a(json!("mascagni")).as_ref());
        let kept: Vec<String> = e.answers(&sheet).keys().map(|q| q.to_string()).collect();
        assert_eq!(
            kept,
            ["istituto", "ruolo"],
            "the draft keeps what was typed"
        );
        assert!(
            !e.finish(&sheet)
                .contains_key(&QuestionId::parse("istituto").unwrap())
        );

        let (survey, _) = crate::files::parse_survey(
            "c.toml",
            "id = \"c\"\nversion = \"1\"\nlanguages = [\"it\"]\ntitle = \"C\"\n\
             [[section]]\nid = \"a\"\n[[section.question]]\nid = \"n\"\ntype = \"note\"\nlabel = \"N\"\n\
             [[section]]\nid = \"b\"\n[[section.question]]\nid = \"d\"\ntype = \"calculate\"\n\
             calculation = \"today()\"\n",
        );
        let c = Engine::new(&survey.unwrap()).unwrap();
        let mut sheet = c.sheet(&AnswerMap::new(), 20_780);
        assert!(c.page_shown(&sheet, 0));
        assert!(!c.page_shown(&sheet, 1), "nothing on it to show");
        let day = c.calculated(&sheet, "d");
        c.set_today(&mut sheet, 20_781);
        assert_ne!(c.calculated(&sheet, "d"), day, "today() follows the day");
    }

    fn response(answers: serde_json::Value) -> Response {
        serde_json::from_value(json!({
            "id": "0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40", "survey": "s", "version": "1",
            "site": "a/b", "language": "it", "submitted_at": "2026-11-23T10:00:00Z", "answers": answers
        }))
        .unwrap()
    }

    fn problems(r: &Response) -> Vec<(String, &'static str)> {
        match engine().check_response(r) {
            Ok(()) => Vec::new(),
            Err(errs) => errs
                .iter()
                .map(|e| (e.question.to_string(), e.problem.code()))
                .collect(),
        }
    }

    #[test]
    fn the_collector_checks_logic_too() {
        let ok = response(json!({ "ruolo": "genitore", "eta": 30, "anni_a_18": "0" }));
        assert_eq!(problems(&ok), []);
        let student = response(
            json!({ "ruolo": "studente", "eta": 14, "comune": "melzo", "istituto": "mascagni", "anni_a_18": "4" }),
        );
        assert_eq!(problems(&student), []);
        // Breaking each rule in turn.
        let hidden = response(
            json!({ "ruolo": "genitore", "eta": 30, "anni_a_18": "0", "istituto": "mascagni" }),
        );
        assert_eq!(problems(&hidden), [("istituto".into(), "not_relevant")]);
        let young = response(json!({ "ruolo": "genitore", "eta": 8, "anni_a_18": "10" }));
        assert_eq!(problems(&young), [("eta".into(), "constraint")]);
        let missing = response(json!({ "ruolo": "studente", "eta": 14, "anni_a_18": "4" }));
        assert_eq!(problems(&missing), [("istituto".into(), "required")]);
        let forged = response(json!({ "ruolo": "genitore", "eta": 30, "anni_a_18": "7" }));
        assert_eq!(problems(&forged), [("anni_a_18".into(), "calculation")]);
        let filtered = response(
            json!({ "ruolo": "studente", "eta": 14, "comune": "inzago", "istituto": "mascagni", "anni_a_18": "4" }),
        );
        assert_eq!(problems(&filtered), [("istituto".into(), "unknown_choice")]);
    }

    #[test]
    fn finishing_keeps_only_shown_answers_and_calculations() {
        let e = engine();
        let given = AnswerMap::from([
            (
                QuestionId::parse("ruolo").unwrap(),
                Answer::Text("genitore".into()),
            ),
            (QuestionId::parse("eta").unwrap(), Answer::Number(40.into())),
            (
                QuestionId::parse("istituto").unwrap(),
                Answer::Text("mascagni".into()),
            ),
        ]);
        let kept = e.finish(&e.sheet(&given, 20_780));
        let ids: Vec<&str> = kept.keys().map(QuestionId::as_str).collect();
        assert_eq!(ids, ["anni_a_18", "eta", "ruolo"]);
        assert_eq!(
            kept[&QuestionId::parse("anni_a_18").unwrap()],
            Answer::Text("0".into())
        );
    }
}

/// The engine with and without the `checks` feature (`cargo test -p voci-core --lib
/// --no-default-features` runs the app's way).
#[cfg(test)]
mod checks_tests {
    use super::*;

    /// A survey the collector would refuse: `${nessuno}` names no question, `regex()` has a
    /// pattern outside the portable subset.
    fn unchecked() -> Survey {
        serde_json::from_value(serde_json::json!({
            "id": "s", "version": "1", "title": {"it": "S"}, "languages": ["it"],
            "sections": [{"id": "p1", "questions": [
                {"id": "nome", "label": {"it": "Nome"}, "type": "text",
                 "constraint": "regex(., '(?i)^[a-z]+$')"},
                {"id": "dopo", "label": {"it": "Dopo"}, "type": "text",
                 "relevant": "${nessuno} = 'x'"}
            ]}]
        }))
        .unwrap()
    }

    #[cfg(feature = "checks")]
    #[test]
    fn with_checks_an_unchecked_survey_is_refused_with_each_problem() {
        let Err(errors) = Engine::new(&unchecked()) else {
            panic!("an unchecked survey was built");
        };
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(errors.len(), 2, "{messages:?}");
        assert!(
            messages[0].starts_with("regex() pattern: only (?: ) groups"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("no question is named \"nessuno\""),
            "{messages:?}"
        );
    }

    /// The app's way: what parses runs (the collector checked the survey); an unknown name is
    /// empty, a pattern the browser would refuse matches nothing.
    #[cfg(not(feature = "checks"))]
    #[test]
    fn without_checks_what_parses_runs() {
        let engine = Engine::new(&unchecked()).expect("built");
        let mut sheet = engine.sheet(&AnswerMap::new(), 20_780);
        assert!(!engine.shown(&sheet, "dopo"));
        engine.set(&mut sheet, "nome", Some(Answer::Text("abc".into())));
        // regex-lite reads the inline flag natively; the browser's RegExp refuses it.
        assert_eq!(
            engine.check(&sheet, "nome").is_ok(),
            cfg!(not(target_arch = "wasm32"))
        );
    }
}
