//! The survey engine: which questions are shown, which are required, what the calculations
//! give, which choices are offered, and whether each answer meets its constraint.
//!
//! Expressions are parsed once, when the engine is built, into a dependency graph. Changing an
//! answer recomputes only the expressions that read it (and, in order, those that read what they
//! changed), so a survey of hundreds of expressions stays fast on a cheap tablet. A cycle in the
//! graph (a calculation that needs itself) is an error when the survey is checked.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::expr::{self, CheckError, Env, Expr, ExprKind, Place, RefInfo, Value};
use crate::ids::QuestionId;
use crate::model::{Choice, QuestionKind, Survey};
use crate::response::{Answer, Response};
use crate::validate::{AnswerError, Problem, check_answer};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Target {
    SectionRelevant(usize),
    Relevant(usize),
    Calc(usize),
}

#[derive(Debug, Default)]
struct Compiled {
    relevant: Option<Expr>,
    required_if: Option<Expr>,
    constraint: Option<Expr>,
    calculation: Option<Expr>,
    choice_filter: Option<Expr>,
}

/// A survey ready to run: its expressions parsed and ordered.
#[derive(Debug)]
pub struct Engine {
    survey: Survey,
    ids: Vec<QuestionId>,
    index: HashMap<String, usize>,
    section_of: Vec<usize>,
    section_questions: Vec<std::ops::Range<usize>>,
    section_relevant: Vec<Option<Expr>>,
    /// Each section's `repeat_count`, for repeated sections that have one.
    repeat_count: Vec<Option<Expr>>,
    /// The repeated sections: their index, and their id, under which a response keeps
    /// their instances (`Answer::Instances`).
    repeats: Vec<(usize, QuestionId)>,
    compiled: Vec<Compiled>,
    /// For each question, the targets whose expressions read it.
    readers: Vec<Vec<Target>>,
    /// Each target's place in an order where everything comes after what it reads.
    rank: HashMap<Target, usize>,
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
    /// Each repeated section's instances (by section index).
    instances: BTreeMap<usize, Vec<BTreeMap<QuestionId, Answer>>>,
    /// The instance (from 1) whose answers the sheet holds for its section's questions, for
    /// `position(..)`; 0 on the sheet of the questions outside repeats.
    position: usize,
}

impl Engine {
    /// Parses and orders the survey's expressions; reports every problem found.
    pub fn new(survey: &Survey) -> Result<Self, Vec<EngineError>> {
        let survey = survey.clone();
        let mut errors = Vec::new();
        let ids: Vec<QuestionId> = survey.questions().map(|q| q.id.clone()).collect();
        let index: HashMap<String, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.to_string(), i))
            .collect();
        let mut section_of = Vec::new();
        let mut section_questions = Vec::new();
        for (s, section) in survey.sections.iter().enumerate() {
            let start = section_of.len();
            section_of.extend(std::iter::repeat_n(s, section.questions.len()));
            section_questions.push(start..section_of.len());
        }

        // What each name stands for, for the checks.
        let codes: Vec<Vec<&str>> = survey
            .questions()
            .map(|q| q.kind.choices().iter().map(|c| c.id.as_str()).collect())
            .collect();
        let kinds: Vec<&QuestionKind> = survey.questions().map(|q| &q.kind).collect();
        let repeats: Vec<(usize, QuestionId)> = survey
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.repeat.is_some())
            .filter_map(|(i, s)| Some((i, QuestionId::parse(s.id.as_str()).ok()?)))
            .collect();
        let lookup = |name: &str| -> Option<RefInfo<'_>> {
            if repeats.iter().any(|(_, id)| id.as_str() == name) {
                return Some(RefInfo::Repeat);
            }
            let i = *index.get(name)?;
            Some(match kinds[i] {
                QuestionKind::Single { .. } | QuestionKind::Likert { .. } => {
                    RefInfo::OneOf(&codes[i])
                }
                QuestionKind::Multiple { .. } => RefInfo::ManyOf(&codes[i]),
                _ => RefInfo::Value,
            })
        };
        let names: Vec<&str> = ids.iter().map(QuestionId::as_str).collect();
        let compile = |owner: &str,
                       field: Field,
                       src: Option<&String>,
                       errors: &mut Vec<EngineError>|
         -> Option<Expr> {
            let src = src?;
            let error = |message: String, offset: Option<usize>| EngineError {
                owner: owner.to_owned(),
                field,
                message,
                offset,
            };
            match expr::parse(src) {
                Ok(e) => {
                    let place = match field {
                        Field::Constraint => Place::Constraint,
                        Field::ChoiceFilter => Place::ChoiceFilter,
                        _ => Place::Condition,
                    };
                    let found: Vec<CheckError> = expr::check(&e, &lookup, &names, place);
                    errors.extend(
                        found
                            .into_iter()
                            .map(|c| error(c.message, Some(c.span.start))),
                    );
                    Some(e)
                }
                Err(p) => {
                    errors.push(error(p.message, Some(p.offset)));
                    None
                }
            }
        };
        let section_relevant: Vec<Option<Expr>> = survey
            .sections
            .iter()
            .map(|s| {
                compile(
                    s.id.as_str(),
                    Field::Relevant,
                    s.relevant.as_ref(),
                    &mut errors,
                )
            })
            .collect();
        let repeat_count: Vec<Option<Expr>> = survey
            .sections
            .iter()
            .map(|s| {
                let count = s.repeat.as_ref().and_then(|r| r.count.as_ref());
                compile(s.id.as_str(), Field::RepeatCount, count, &mut errors)
            })
            .collect();
        let compiled: Vec<Compiled> = survey
            .questions()
            .map(|q| {
                let id = q.id.as_str();
                let calculation = match &q.kind {
                    QuestionKind::Calculate { calculation } => Some(calculation),
                    _ => None,
                };
                Compiled {
                    relevant: compile(id, Field::Relevant, q.relevant.as_ref(), &mut errors),
                    required_if: compile(
                        id,
                        Field::RequiredIf,
                        q.required_if.as_ref(),
                        &mut errors,
                    ),
                    constraint: compile(id, Field::Constraint, q.constraint.as_ref(), &mut errors),
                    calculation: compile(id, Field::Calculation, calculation, &mut errors),
                    choice_filter: compile(
                        id,
                        Field::ChoiceFilter,
                        q.choice_filter.as_ref(),
                        &mut errors,
                    ),
                }
            })
            .collect();

        let mut engine = Engine {
            survey,
            ids,
            index,
            section_of,
            section_questions,
            section_relevant,
            repeat_count,
            repeats,
            compiled,
            readers: Vec::new(),
            rank: HashMap::new(),
        };
        engine.position_outside_repeats(&mut errors);
        engine.order(&mut errors);
        if errors.is_empty() {
            Ok(engine)
        } else {
            Err(errors)
        }
    }

    /// `position(..)` is the number of a repeat's instance: an error in any expression that
    /// is not evaluated inside one (a repeat's own `relevant` and `repeat_count` are not).
    fn position_outside_repeats(&self, errors: &mut Vec<EngineError>) {
        let reads_position = |e: &Option<Expr>| {
            let mut found = false;
            if let Some(e) = e {
                e.walk(&mut |x| found |= matches!(x.kind, ExprKind::Parent));
            }
            found
        };
        let mut outside: Vec<(String, Field, &Option<Expr>)> = Vec::new();
        for (s, section) in self.survey.sections.iter().enumerate() {
            outside.push((
                section.id.to_string(),
                Field::Relevant,
                &self.section_relevant[s],
            ));
            outside.push((
                section.id.to_string(),
                Field::RepeatCount,
                &self.repeat_count[s],
            ));
        }
        for (i, c) in self.compiled.iter().enumerate() {
            if self.in_repeat(i) {
                continue;
            }
            let id = self.ids[i].to_string();
            outside.extend([
                (id.clone(), Field::Relevant, &c.relevant),
                (id.clone(), Field::RequiredIf, &c.required_if),
                (id.clone(), Field::Constraint, &c.constraint),
                (id.clone(), Field::Calculation, &c.calculation),
                (id, Field::ChoiceFilter, &c.choice_filter),
            ]);
        }
        for (owner, field, e) in outside {
            if reads_position(e) {
                errors.push(EngineError {
                    owner,
                    field,
                    message: "position(..) is the number of a repeat's instance, so it can only be used by the questions of a repeat".into(),
                    offset: None,
                });
            }
        }
    }

    /// Whether question `i` is in a repeated section.
    fn in_repeat(&self, i: usize) -> bool {
        self.survey.sections[self.section_of[i]].repeat.is_some()
    }

    fn target_expr(&self, t: Target) -> Option<&Expr> {
        match t {
            Target::SectionRelevant(s) => self.section_relevant[s].as_ref(),
            Target::Relevant(i) => self.compiled[i].relevant.as_ref(),
            Target::Calc(i) => self.compiled[i].calculation.as_ref(),
        }
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

    fn owner(&self, t: Target) -> (String, Field) {
        match t {
            Target::SectionRelevant(s) => (self.survey.sections[s].id.to_string(), Field::Relevant),
            Target::Relevant(i) => (self.ids[i].to_string(), Field::Relevant),
            Target::Calc(i) => (self.ids[i].to_string(), Field::Calculation),
        }
    }

    /// Builds the readers lists and a topological rank; reports cycles.
    fn order(&mut self, errors: &mut Vec<EngineError>) {
        let n = self.ids.len();
        let mut targets: Vec<Target> = (0..self.survey.sections.len())
            .map(Target::SectionRelevant)
            .collect();
        targets.extend((0..n).map(Target::Relevant));
        targets.extend((0..n).map(Target::Calc));
        targets.retain(|t| self.target_expr(*t).is_some());

        let mut readers: Vec<Vec<Target>> = vec![Vec::new(); n];
        let mut preds: HashMap<Target, BTreeSet<Target>> = HashMap::new();
        for &t in &targets {
            let refs: Vec<usize> = self
                .target_expr(t)
                .map(|e| {
                    e.references()
                        .iter()
                        .filter_map(|r| self.index.get(*r).copied())
                        .collect()
                })
                .unwrap_or_default();
            let mut p = BTreeSet::new();
            for q in refs {
                readers[q].push(t);
                p.extend(self.sources(q));
            }
            preds.insert(t, p);
        }
        // Kahn's algorithm; whatever is left over is on a cycle.
        let mut rank = HashMap::new();
        let mut remaining: BTreeSet<Target> = targets.iter().copied().collect();
        while !remaining.is_empty() {
            let ready: Vec<Target> = remaining
                .iter()
                .copied()
                .filter(|t| preds[t].iter().all(|p| rank.contains_key(p)))
                .collect();
            if ready.is_empty() {
                let names: Vec<String> = remaining
                    .iter()
                    .map(|t| {
                        let (owner, field) = self.owner(*t);
                        format!("{owner} ({})", field.key())
                    })
                    .collect();
                for &t in &remaining {
                    let (owner, field) = self.owner(t);
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
                rank.insert(t, rank.len());
                remaining.remove(&t);
            }
        }
        self.readers = readers;
        self.rank = rank;
    }

    pub fn survey(&self) -> &Survey {
        &self.survey
    }

    /// The position of a question among all the survey's questions.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// A sheet with these answers, everything computed from scratch. A repeated section's
    /// instances are the `Answer::Instances` under its id.
    pub fn sheet(&self, answers: &BTreeMap<QuestionId, Answer>, today: i64) -> Sheet {
        self.sheet_at(answers, today, 0)
    }

    /// The sheet of a new response: the questions outside repeats start with their
    /// `default`s (a reopened draft is [`Engine::sheet`] of its own answers instead).
    pub fn new_sheet(&self, today: i64) -> Sheet {
        let outside = (0..self.ids.len()).filter(|&i| !self.in_repeat(i));
        self.sheet(&self.defaults(outside), today)
    }

    /// A new instance of repeated section `section`: its questions' `default`s.
    pub fn new_instance(&self, section: usize) -> BTreeMap<QuestionId, Answer> {
        let questions = self.section_questions.get(section).cloned().unwrap_or(0..0);
        self.defaults(questions)
    }

    fn defaults(&self, questions: impl Iterator<Item = usize>) -> BTreeMap<QuestionId, Answer> {
        questions
            .filter_map(|i| Some((self.ids[i].clone(), self.question(i).default_answer()?)))
            .collect()
    }

    /// [`Engine::sheet`], for instance `position` (from 1; 0 for none) of a repeat.
    fn sheet_at(
        &self,
        answers: &BTreeMap<QuestionId, Answer>,
        today: i64,
        position: usize,
    ) -> Sheet {
        let n = self.ids.len();
        let instances = self
            .repeats
            .iter()
            .filter_map(|(s, id)| match answers.get(id) {
                Some(Answer::Instances(v)) => Some((*s, v.clone())),
                _ => None,
            })
            .collect();
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
        let mut all: Vec<(usize, Target)> = self.rank.iter().map(|(t, r)| (*r, *t)).collect();
        all.sort();
        for (_, t) in all {
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
            match answer {
                Some(Answer::Instances(v)) => sheet.repeats.instances.insert(*s, v),
                _ => sheet.repeats.instances.remove(s),
            };
            *sheet = self.sheet_at(&self.answers(sheet), sheet.today, sheet.repeats.position);
            return self.rank.len();
        }
        let Some(&q) = self.index.get(id) else {
            return 0;
        };
        sheet.answers[q] = answer;
        let mut queue: BTreeSet<(usize, Target)> =
            self.readers[q].iter().map(|t| (self.rank[t], *t)).collect();
        let mut evaluated = 0;
        while let Some((_, t)) = queue.pop_first() {
            evaluated += 1;
            if self.recompute(sheet, t) {
                for q in self.questions_of(t) {
                    queue.extend(self.readers[q].iter().map(|t| (self.rank[t], *t)));
                }
            }
        }
        evaluated
    }

    /// Whether a question is shown: its page and itself are relevant.
    pub fn shown(&self, sheet: &Sheet, id: &str) -> bool {
        self.index.get(id).is_some_and(|&i| self.shown_at(sheet, i))
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
                .any(|i| sheet.relevant[i] && self.compiled[i].calculation.is_none())
    }

    /// The answer given to a question, shown or not (a hidden one is kept while the respondent
    /// may still change their mind, and left out by [`Engine::finish`]).
    pub fn answer<'s>(&self, sheet: &'s Sheet, id: &str) -> Option<&'s Answer> {
        let i = *self.index.get(id)?;
        sheet.answers[i].as_ref()
    }

    /// Every answer given so far, shown or not: what a draft keeps (a repeat's instances
    /// under its id).
    pub fn answers(&self, sheet: &Sheet) -> BTreeMap<QuestionId, Answer> {
        let mut out: BTreeMap<QuestionId, Answer> = self
            .ids
            .iter()
            .zip(&sheet.answers)
            .filter_map(|(id, a)| Some((id.clone(), a.clone()?)))
            .collect();
        for (s, id) in &self.repeats {
            if let Some(v) = sheet.repeats.instances.get(s) {
                out.insert(id.clone(), Answer::Instances(v.clone()));
            }
        }
        out
    }

    /// The sheet of instance `k` (from 0) of the repeated section `section`: the answers
    /// outside it as in `sheet`, that instance's answers for the section's questions, and
    /// `position(..)` = `k + 1`. `None` when there is no such instance.
    pub fn instance_sheet(&self, sheet: &Sheet, section: usize, k: usize) -> Option<Sheet> {
        let instance = sheet.repeats.instances.get(&section)?.get(k)?;
        let questions = self.section_questions.get(section)?.clone();
        let mut answers = self.answers(sheet);
        for i in questions.clone() {
            answers.remove(&self.ids[i]);
        }
        for (id, a) in instance {
            if self
                .index
                .get(id.as_str())
                .is_some_and(|i| questions.contains(i))
            {
                answers.insert(id.clone(), a.clone());
            }
        }
        Some(self.sheet_at(&answers, sheet.today, k + 1))
    }

    /// The instances of the repeated section `section` on `sheet` (none for another section).
    pub fn instances<'s>(
        &self,
        sheet: &'s Sheet,
        section: usize,
    ) -> &'s [BTreeMap<QuestionId, Answer>] {
        sheet
            .repeats
            .instances
            .get(&section)
            .map_or(&[], Vec::as_slice)
    }

    /// How many instances the repeated section `section` has to have, by its `repeat_count`
    /// on `sheet` (a count that is not a number, such as an unanswered question, is 0);
    /// `None` when the respondent decides (no `repeat_count`).
    pub fn repeat_count(&self, sheet: &Sheet, section: usize) -> Option<usize> {
        let e = self.repeat_count.get(section)?.as_ref()?;
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
        let i = *self.index.get(id)?;
        self.compiled[i]
            .calculation
            .as_ref()
            .map(|_| sheet.calculated[i].clone())
    }

    /// Whether the question must be answered now.
    pub fn required(&self, sheet: &Sheet, id: &str) -> bool {
        let Some(&i) = self.index.get(id) else {
            return false;
        };
        let q = self.question(i);
        self.shown_at(sheet, i)
            && q.kind.takes_answer()
            && (q.required
                || self.compiled[i].required_if.as_ref().is_some_and(|e| {
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
        let Some(&i) = self.index.get(id) else {
            return Vec::new();
        };
        let all = self.question(i).kind.choices();
        match &self.compiled[i].choice_filter {
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
        let Some(&i) = self.index.get(id) else {
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
        let mut q = q.clone();
        q.required = self.required(sheet, id);
        check_answer(&q, answer)?;
        let Some(a) = answer else { return Ok(()) };
        if self.compiled[i].choice_filter.is_some() {
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
        if let Some(c) = &self.compiled[i].constraint
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
    pub fn finish(&self, sheet: &Sheet) -> BTreeMap<QuestionId, Answer> {
        let outside = (0..self.ids.len()).filter(|&i| !self.in_repeat(i));
        let mut out = self.finish_questions(sheet, outside);
        for (s, id) in &self.repeats {
            let n = sheet.repeats.instances.get(s).map_or(0, Vec::len);
            if !sheet.section_relevant[*s] || n == 0 {
                continue;
            }
            let instances = (0..n)
                .filter_map(|k| self.instance_sheet(sheet, *s, k))
                .map(|one| self.finish_questions(&one, self.section_questions[*s].clone()))
                .collect();
            out.insert(id.clone(), Answer::Instances(instances));
        }
        out
    }

    fn finish_questions(
        &self,
        sheet: &Sheet,
        questions: impl Iterator<Item = usize>,
    ) -> BTreeMap<QuestionId, Answer> {
        let mut out = BTreeMap::new();
        for i in questions {
            let id = &self.ids[i];
            if !self.shown_at(sheet, i) {
                continue;
            }
            if self.compiled[i].calculation.is_some() {
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
            if !self.index.contains_key(id.as_str()) && !repeat {
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
            let instances: &[BTreeMap<QuestionId, Answer>] = match response.answers.get(id) {
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
                        .index
                        .get(key.as_str())
                        .is_some_and(|i| questions.contains(i))
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
        if self.compiled[i].calculation.is_some() {
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
        let Some(&i) = self.engine.index.get(name) else {
            return Value::empty();
        };
        if !self.engine.shown_at(self.sheet, i) {
            return Value::empty();
        }
        if self.engine.compiled[i].calculation.is_some() {
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
        let instances = |s: usize| {
            self.sheet
                .repeats
                .instances
                .get(&s)
                .map_or(&[][..], Vec::as_slice)
        };
        if let Some((s, _)) = engine.repeats.iter().find(|(_, r)| r.as_str() == name) {
            return (1..=instances(*s).len())
                .map(|k| Value::Num(k as f64))
                .collect();
        }
        match engine.index.get(name) {
            Some(&i) if engine.in_repeat(i) => instances(engine.section_of[i])
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
        match engine.index.get(name) {
            Some(&i) if engine.in_repeat(i) => self
                .sheet
                .repeats
                .instances
                .get(&engine.section_of[i])
                .and_then(|v| v.get(n.checked_sub(1)?))
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
    fn skip_logic_across_sections() {
        let e = engine();
        let mut sheet = e.sheet(&BTreeMap::new(), 20_780);
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
        let mut sheet = e.sheet(&BTreeMap::new(), 20_780);
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
        let mut sheet = e.sheet(&BTreeMap::new(), 20_780);
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
        let mut sheet = e.sheet(&BTreeMap::new(), 20_780);
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
        let mut sheet = c.sheet(&BTreeMap::new(), 20_780);
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
        let given = BTreeMap::from([
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
