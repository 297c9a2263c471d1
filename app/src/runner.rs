//! A running questionnaire: one respondent, one survey, page by page, on the core's engine.
//!
//! [`Runner`] is the single state struct the runner screen shows; components call its methods and
//! never hold answers of their own. The survey's logic (which questions and pages are shown,
//! required-if, constraints, calculations, choice filters) is the core's [`Engine`], the same
//! code the collector checks the response with; an answer change recomputes only what reads it.
//! It is plain Rust, tested on the host.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use voci_core::engine::{Engine, EngineError, Sheet};
use voci_core::{
    Answer, AnswerMap, Choice, Lang, Problem, Question, QuestionId, QuestionKind, Response,
    ResponseId, Section, SiteId, Survey, SurveyId, VecMap,
};

use crate::catalog::Catalog;

/// The response in progress, as kept in `voci.draft` so a reload loses nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub id: ResponseId,
    pub survey: SurveyId,
    pub version: String,
    pub site: SiteId,
    pub language: Lang,
    pub page: usize,
    /// Every answer given, also to questions the logic hides now (they come back if the
    /// respondent changes their mind; the response leaves them out).
    pub answers: AnswerMap,
    /// When the respondent started (RFC 3339), for a survey that is not anonymous.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<String>,
    /// The day the respondent started (`YYYY-MM-DD`): what `today()` is until submission.
    #[serde(default)]
    pub day: String,
}

/// The device's clock at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Now {
    /// The local date, `YYYY-MM-DD`.
    pub date: String,
    /// The local time with its offset (RFC 3339, `2026-03-02T10:15:00+01:00`).
    pub time: String,
}

impl Now {
    fn days(&self) -> i64 {
        voci_core::expr::parse_date_days(&self.date).unwrap_or(0)
    }
}

#[derive(Debug, Clone)]
pub struct Runner {
    engine: Arc<Engine>,
    sheet: Sheet,
    site: SiteId,
    id: ResponseId,
    page: usize,
    started_at: Option<String>,
    day: String,
    /// Problems shown next to questions: after next/submit, when a finished answer is left
    /// (`touch`), or when a tick is refused. Each goes away as soon as its answer is fixed.
    errors: VecMap<QuestionId, Problem>,
    /// Each repeated section's instance sheets (by section index), kept in step with `sheet`.
    instances: VecMap<usize, Vec<Sheet>>,
}

impl Runner {
    /// A new response, its questions' defaults filled in, on the first page with something to
    /// show. Fails only on a survey whose expressions do not build, which the collector never
    /// publishes.
    pub fn new(
        survey: &Survey,
        site: SiteId,
        id: ResponseId,
        now: &Now,
    ) -> Result<Self, Vec<EngineError>> {
        let engine = Arc::new(Engine::new(survey)?);
        let sheet = engine.new_sheet(now.days());
        let mut runner = Self {
            engine,
            sheet,
            site,
            id,
            page: 0,
            started_at: (!survey.anonymous).then(|| now.time.clone()),
            day: now.date.clone(),
            errors: VecMap::new(),
            instances: VecMap::new(),
        };
        runner.sync_instances();
        runner.page = runner.nearest_shown(0);
        Ok(runner)
    }

    /// Reopens a draft if its survey (same id and version) is in the catalog.
    pub fn from_draft(draft: Draft, catalog: &Catalog) -> Option<Self> {
        let survey = catalog
            .surveys
            .iter()
            .find(|s| s.id == draft.survey && s.version == draft.version)?;
        let engine = Arc::new(Engine::new(survey).ok()?);
        let today = voci_core::expr::parse_date_days(&draft.day).unwrap_or(0);
        let mut answers = draft.answers;
        answers.retain(|q, _| {
            engine.position(q.as_str()).is_some() || repeat_section(engine.survey(), q).is_some()
        });
        let sheet = engine.sheet(&answers, today);
        let mut runner = Self {
            engine,
            sheet,
            site: draft.site,
            id: draft.id,
            page: 0,
            started_at: draft.started_at,
            day: draft.day,
            errors: VecMap::new(),
            instances: VecMap::new(),
        };
        runner.sync_instances();
        runner.page = runner.nearest_shown(draft.page);
        Some(runner)
    }

    pub fn draft(&self, language: &str) -> Draft {
        Draft {
            id: self.id.clone(),
            survey: self.survey().id.clone(),
            version: self.survey().version.clone(),
            site: self.site.clone(),
            language: language.to_owned(),
            page: self.page,
            answers: self.engine.answers(&self.sheet),
            started_at: self.started_at.clone(),
            day: self.day.clone(),
        }
    }

    pub fn survey(&self) -> &Survey {
        self.engine.survey()
    }

    pub fn id(&self) -> &ResponseId {
        &self.id
    }

    /// The current page (its section's index), from 0.
    pub fn page(&self) -> usize {
        self.page
    }

    fn page_shown(&self, p: usize) -> bool {
        match self.instances.get(&p) {
            None => self.engine.page_shown(&self.sheet, p),
            // A repeat: shown while it may have instances and something in one is shown.
            Some(sheets) => {
                self.engine.repeat_count(&self.sheet, p) != Some(0)
                    && (self.engine.page_shown(&self.sheet, p)
                        || sheets.iter().any(|one| self.engine.page_shown(one, p)))
            }
        }
    }

    /// The pages the logic shows now, in order.
    fn shown_pages(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.survey().sections.len()).filter(|&p| self.page_shown(p))
    }

    /// `p` if it is shown, else the next shown page, else the last shown one before it.
    fn nearest_shown(&self, p: usize) -> usize {
        let last = self.survey().sections.len().saturating_sub(1);
        let p = p.min(last);
        (p..=last)
            .find(|&q| self.page_shown(q))
            .or_else(|| (0..p).rev().find(|&q| self.page_shown(q)))
            .unwrap_or(p)
    }

    /// How many pages the respondent goes through, as the answers given so far say.
    pub fn page_count(&self) -> usize {
        self.shown_pages().count().max(1)
    }

    /// The current page's number among the shown ones, from 1.
    pub fn page_number(&self) -> usize {
        self.shown_pages().filter(|&p| p < self.page).count() + 1
    }

    pub fn is_first(&self) -> bool {
        !self.shown_pages().any(|p| p < self.page)
    }

    pub fn is_last(&self) -> bool {
        !self.shown_pages().any(|p| p > self.page)
    }

    pub fn section(&self) -> Option<&Section> {
        self.survey().sections.get(self.page)
    }

    /// Whether the question is on screen: its page and itself are relevant.
    pub fn shown(&self, q: &str) -> bool {
        self.at(q)
            .is_some_and(|(sheet, q)| self.engine.shown(sheet, q))
    }

    /// Whether the question must be answered now (`required`, or its required-if holds).
    pub fn required(&self, q: &str) -> bool {
        self.at(q)
            .is_some_and(|(sheet, q)| self.engine.required(sheet, q))
    }

    pub fn answer(&self, q: &str) -> Option<&Answer> {
        let (sheet, q) = self.at(q)?;
        self.engine.answer(sheet, q)
    }

    pub fn error(&self, q: &str) -> Option<&Problem> {
        self.errors
            .iter()
            .find(|(id, _)| id.as_str() == q)
            .map(|(_, p)| p)
    }

    /// The choices offered now (after the choice filter), in this respondent's order: as
    /// written, or shuffled the same way on every visit when the question says `randomize`.
    pub fn choices(&self, q: &Question) -> Vec<Choice> {
        let offered = self
            .at(q.id.as_str())
            .map(|(sheet, id)| self.engine.choices(sheet, id))
            .unwrap_or_default();
        let all = q.kind.choices();
        q.choice_order(self.id.as_str())
            .into_iter()
            .filter_map(|i| all.get(i))
            .filter(|c| offered.iter().any(|o| o.id == c.id))
            .cloned()
            .collect()
    }

    /// A ranking's items in the order shown: the respondent's, or before any move the order
    /// they are first shown in (shuffled when the question says `randomize`).
    pub fn ranking(&self, q: &Question) -> Vec<Choice> {
        let QuestionKind::Ranking { choices } = &q.kind else {
            return Vec::new();
        };
        match self.answer(q.id.as_str()) {
            Some(Answer::Choices(order)) => order
                .iter()
                .filter_map(|c| choices.iter().find(|ch| ch.id.as_str() == c))
                .cloned()
                .collect(),
            _ => q
                .choice_order(self.id.as_str())
                .into_iter()
                .filter_map(|i| choices.get(i))
                .cloned()
                .collect(),
        }
    }

    /// Records an answer (`None` or an empty answer: not answered), recomputing only what
    /// depends on it. Messages already shown are checked again, so each goes away as soon as
    /// it is fixed (or its question is hidden). A read-only question keeps its answer.
    pub fn set_answer(&mut self, q: &QuestionId, answer: Option<Answer>) {
        let answer = answer.filter(|a| !a.is_empty());
        if self.question_at(q.as_str()).is_some_and(|q| q.read_only) {
            return;
        }
        match self.locate(q.as_str()) {
            Spot::Instance {
                section,
                k,
                question,
            } => {
                let Ok(question) = QuestionId::parse(question) else {
                    return;
                };
                let mut all = self.engine.instances(&self.sheet, section).to_vec();
                let Some(one) = all.get_mut(k) else { return };
                match answer {
                    Some(a) => one.insert(question, a),
                    None => one.remove(&question),
                };
                self.set_instances(section, all);
            }
            Spot::Outside(q) => {
                self.engine.set(&mut self.sheet, q, answer.clone());
                for one in self.instances.values_mut().flatten() {
                    self.engine.set(one, q, answer.clone());
                }
                self.sync_instances();
            }
        }
        self.recheck();
    }

    /// Checks one question (`None` for an instance that is gone).
    fn check(&self, q: &str) -> Option<Result<(), Problem>> {
        let (sheet, q) = self.at(q)?;
        Some(self.engine.check(sheet, q))
    }

    fn recheck(&mut self) {
        // In place: collecting into a new map would add a sort to the download.
        let mut errors = std::mem::take(&mut self.errors);
        errors.retain(|id, shown| match self.check(id.as_str()) {
            // A refused tick keeps its message until that question changes.
            Some(Ok(())) => matches!(shown, Problem::TooManyChoices { .. }),
            Some(Err(now)) => {
                *shown = now;
                true
            }
            None => false,
        });
        self.errors = errors;
    }

    /// Checks one question now, as the respondent leaves it: a wrong answer is flagged at once,
    /// a missing one only on next/submit.
    pub fn touch(&mut self, q: &QuestionId) {
        match self.check(q.as_str()).unwrap_or(Ok(())) {
            Err(Problem::Required) | Ok(()) => {
                self.errors.remove(q);
            }
            Err(p) => {
                self.errors.insert(q.clone(), p);
            }
        }
    }

    /// Ticks or unticks one box of a multiple-choice question, keeping the question's order.
    /// A tick beyond the question's maximum is refused with its message; says whether the tick
    /// was taken.
    pub fn toggle_choice(&mut self, q: &QuestionId, choice: &str, on: bool) -> bool {
        let Some(question) = self.question_at(q.as_str()) else {
            return false;
        };
        let max = match question.kind {
            QuestionKind::Multiple { max, .. } => max,
            _ => None,
        };
        let mut picked = match self.answer(q.as_str()) {
            Some(Answer::Choices(c)) => c.clone(),
            _ => Vec::new(),
        };
        if let Some(max) = max
            && on
            && picked.len() >= max as usize
            && !picked.iter().any(|c| c == choice)
        {
            self.errors
                .insert(q.clone(), Problem::TooManyChoices { max });
            return false;
        }
        let order: Vec<&str> = question
            .kind
            .choices()
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        picked.retain(|c| c != choice);
        if on {
            picked.push(choice.to_owned());
        }
        // In the question's order (choices it does not know last), without a sort.
        let mut sorted: Vec<String> = Vec::with_capacity(picked.len());
        for (i, o) in order.iter().enumerate() {
            if !order[..i].contains(o) {
                sorted.extend(picked.iter().filter(|c| c == o).cloned());
            }
        }
        sorted.extend(picked.into_iter().filter(|c| !order.contains(&c.as_str())));
        self.errors.remove(q);
        self.set_answer(q, Some(Answer::Choices(sorted)));
        true
    }

    /// Moves a ranking's item one place up (`-1`) or down (`1`); the whole order becomes the
    /// answer. Returns the item's new position, from 0.
    pub fn move_item(&mut self, q: &QuestionId, choice: &str, delta: isize) -> Option<usize> {
        let question = self.question_at(q.as_str())?;
        let mut order: Vec<String> = self
            .ranking(&question)
            .into_iter()
            .map(|c| c.id.to_string())
            .collect();
        let from = order.iter().position(|c| c == choice)?;
        let to = from.checked_add_signed(delta)?.min(order.len() - 1);
        let item = order.remove(from);
        order.insert(to, item);
        self.set_answer(q, Some(Answer::Choices(order)));
        Some(to)
    }

    /// Takes a ranking's order as shown, for a respondent happy with it as it is.
    pub fn keep_order(&mut self, q: &QuestionId) {
        let Some(question) = self.question_at(q.as_str()) else {
            return;
        };
        let order = self
            .ranking(&question)
            .into_iter()
            .map(|c| c.id.to_string())
            .collect();
        self.set_answer(q, Some(Answer::Choices(order)));
    }

    /// Checks every shown question of a page.
    fn problems_on(&self, page: usize) -> VecMap<QuestionId, Problem> {
        let mut out = VecMap::new();
        let questions = self
            .survey()
            .sections
            .get(page)
            .map_or(&[][..], |s| &s.questions);
        let Some(sheets) = self.instances.get(&page) else {
            for q in questions {
                if let Err(p) = self.engine.check(&self.sheet, q.id.as_str()) {
                    out.insert(q.id.clone(), p);
                }
            }
            return out;
        };
        for (k, one) in sheets.iter().enumerate() {
            for q in questions {
                if let Err(p) = self.engine.check(one, q.id.as_str())
                    && let Some(key) = instance_key(&q.id, k)
                {
                    out.insert(key, p);
                }
            }
        }
        out
    }

    /// Checks every question of the current page and keeps the problems to show.
    pub fn validate_page(&mut self) -> bool {
        self.errors = self.problems_on(self.page);
        self.errors.is_empty()
    }

    /// Goes to the next page the logic shows, if this one is fine; says whether it moved.
    pub fn next(&mut self) -> bool {
        if !self.validate_page() {
            return false;
        }
        let next = self.shown_pages().find(|&p| p > self.page);
        match next {
            Some(p) => {
                self.page = p;
                true
            }
            None => false,
        }
    }

    /// Back to the previous page the logic shows.
    pub fn back(&mut self) {
        self.errors.clear();
        let previous = self.shown_pages().filter(|&p| p < self.page).last();
        if let Some(p) = previous {
            self.page = p;
        }
    }

    /// Builds the response if every shown page is fine; otherwise shows the first page with
    /// problems. It holds the answers to shown questions only, and the calculations; an
    /// anonymous survey records the date alone.
    pub fn finish(&mut self, language: &str, now: &Now) -> Option<Response> {
        if !self.validate_page() {
            return None;
        }
        if self.sheet.today != now.days() {
            self.engine.set_today(&mut self.sheet, now.days());
            // The instances see the new day too.
            self.instances.clear();
            self.sync_instances();
        }
        let pages: Vec<usize> = self.shown_pages().collect();
        if let Some(&bad) = pages.iter().find(|&&p| !self.problems_on(p).is_empty()) {
            self.page = bad;
            self.validate_page();
            return None;
        }
        let survey = self.survey();
        let response = Response {
            id: self.id.clone(),
            survey: survey.id.clone(),
            version: survey.version.clone(),
            site: self.site.clone(),
            language: response_language(survey, language),
            submitted_at: if survey.anonymous {
                now.date.clone()
            } else {
                now.time.clone()
            },
            started_at: self.started_at.clone().filter(|_| !survey.anonymous),
            group: None,
            answers: self.engine.finish(&self.sheet),
        };
        match self.engine.check_response(&response) {
            Ok(()) => Some(response),
            Err(errors) => {
                let first_bad = survey.sections.iter().position(|s| {
                    s.questions
                        .iter()
                        .any(|q| errors.iter().any(|e| e.question == q.id))
                });
                if let Some(page) = first_bad {
                    self.page = page;
                    self.errors.clear();
                    for e in errors {
                        let key = match e.instance {
                            Some(n) => instance_key(&e.question, n.saturating_sub(1)),
                            None => Some(e.question),
                        };
                        if let Some(key) = key {
                            self.errors.insert(key, e.problem);
                        }
                    }
                }
                None
            }
        }
    }
}

/// Where a question key of the runner points. A question of a repeat is answered once per
/// instance, under the key [`instance_key`] gives it; other questions under their own id.
enum Spot<'k> {
    Outside(&'k str),
    /// Instance `k` (from 0) of the repeated section `section`, and the question's own id.
    Instance {
        section: usize,
        k: usize,
        question: &'k str,
    },
}

/// The key of question `q` in instance `k` (from 0) of its repeat: `<q>--<k + 1>`, so each
/// instance's inputs, test ids and messages are its own. `None` past the id length limit.
pub fn instance_key(q: &QuestionId, k: usize) -> Option<QuestionId> {
    QuestionId::parse(format!("{q}--{}", k + 1)).ok()
}

/// The repeated section whose instances a response keeps under `id`.
fn repeat_section(survey: &Survey, id: &QuestionId) -> Option<usize> {
    survey
        .sections
        .iter()
        .position(|s| s.repeat.is_some() && s.id.as_str() == id.as_str())
}

/// Repeats: a repeated section is one page showing its instances, each answered on its own
/// instance sheet (the engine's view where `..`, `position(..)` and the section's questions
/// are that instance's).
impl Runner {
    fn locate<'k>(&self, key: &'k str) -> Spot<'k> {
        if self.engine.position(key).is_some() {
            return Spot::Outside(key);
        }
        let found = key.rsplit_once("--").and_then(|(question, n)| {
            let k = n.parse::<usize>().ok()?.checked_sub(1)?;
            let section = self.instances.keys().copied().find(|&s| {
                self.survey().sections[s]
                    .questions
                    .iter()
                    .any(|q| q.id.as_str() == question)
            })?;
            Some(Spot::Instance {
                section,
                k,
                question,
            })
        });
        found.unwrap_or(Spot::Outside(key))
    }

    /// The sheet a question key is answered on, and the question's own id; `None` for an
    /// instance that is gone.
    fn at<'k>(&self, key: &'k str) -> Option<(&Sheet, &'k str)> {
        match self.locate(key) {
            Spot::Outside(q) => Some((&self.sheet, q)),
            Spot::Instance {
                section,
                k,
                question,
            } => Some((self.instances.get(&section)?.get(k)?, question)),
        }
    }

    /// The question behind a key, carrying the key as its id.
    fn question_at(&self, key: &str) -> Option<Question> {
        let (_, own) = self.at(key)?;
        let mut q = self.survey().question(own)?.clone();
        q.id = QuestionId::parse(key).ok()?;
        Some(q)
    }

    /// Question `q` of instance `k` (from 0), as the instance shows it: with its instance key
    /// as id (and a matrix row's parent keyed the same way).
    pub fn instance_question(q: &Question, k: usize) -> Question {
        let mut q = q.clone();
        if let Some(key) = instance_key(&q.id, k) {
            q.id = key;
        }
        if let Some(parent) = q.row_of.as_ref().and_then(|p| instance_key(p, k)) {
            q.row_of = Some(parent);
        }
        q
    }

    /// How many instances the repeated section has now.
    pub fn instance_count(&self, section: usize) -> usize {
        self.instances.get(&section).map_or(0, Vec::len)
    }

    /// Whether the section's `repeat_count` sets its instances (no adding or removing).
    pub fn fixed_count(&self, section: usize) -> bool {
        self.survey()
            .sections
            .get(section)
            .and_then(|s| s.repeat.as_ref())
            .is_some_and(|r| r.count.is_some())
    }

    /// Adds an empty instance at the end of an open repeat; says whether it did.
    pub fn add_instance(&mut self, section: usize) -> bool {
        if !self.instances.contains_key(&section) || self.fixed_count(section) {
            return false;
        }
        let mut all = self.engine.instances(&self.sheet, section).to_vec();
        all.push(self.engine.new_instance(section));
        self.set_instances(section, all);
        true
    }

    /// Removes instance `k` (from 0) of an open repeat, with its answers. Messages shown in
    /// the repeat go: the instances after it are renumbered.
    pub fn remove_instance(&mut self, section: usize, k: usize) -> bool {
        let mut all = self.engine.instances(&self.sheet, section).to_vec();
        if self.fixed_count(section) || k >= all.len() {
            return false;
        }
        all.remove(k);
        self.set_instances(section, all);
        let mut errors = std::mem::take(&mut self.errors);
        errors.retain(|key, _| match self.locate(key.as_str()) {
            Spot::Instance { section: s, .. } => s != section,
            Spot::Outside(_) => true,
        });
        self.errors = errors;
        true
    }

    /// Replaces a repeat's instances, and computes every sheet again.
    fn set_instances(&mut self, section: usize, all: Vec<AnswerMap>) {
        self.put_instances(section, all);
        self.instances.clear();
        self.sync_instances();
    }

    /// Replaces a repeat's instances on the main sheet.
    fn put_instances(&mut self, section: usize, all: Vec<AnswerMap>) {
        let id = self.survey().sections[section].id.to_string();
        let all = (!all.is_empty()).then_some(Answer::Instances(all));
        self.engine.set(&mut self.sheet, &id, all);
    }

    /// Keeps each repeat's instance sheets in step with the main sheet, first giving a repeat
    /// with a `repeat_count` exactly that many instances (added empty, or the last dropped).
    fn sync_instances(&mut self) {
        let repeats: Vec<usize> = (0..self.survey().sections.len())
            .filter(|&s| self.survey().sections[s].repeat.is_some())
            .collect();
        for &s in &repeats {
            let all = self.engine.instances(&self.sheet, s);
            if let Some(want) = self.engine.repeat_count(&self.sheet, s)
                && want != all.len()
            {
                let mut all = all.to_vec();
                all.resize_with(want, || self.engine.new_instance(s));
                self.put_instances(s, all);
                self.instances.clear();
            }
        }
        for s in repeats {
            let n = self.engine.instances(&self.sheet, s).len();
            if self.instances.get(&s).is_some_and(|v| v.len() == n) {
                continue;
            }
            let sheets = (0..n)
                .filter_map(|k| self.engine.instance_sheet(&self.sheet, s, k))
                .collect();
            self.instances.insert(s, sheets);
        }
    }
}

/// The language a response records: the interface's if the survey has it, else the survey's own.
pub fn response_language(survey: &Survey, ui: &str) -> Lang {
    if survey.languages.iter().any(|l| l == ui) {
        ui.to_owned()
    } else {
        survey.default_language().to_owned()
    }
}

/// Reads a number input (`""` when empty): whole numbers stay whole so integer questions accept them.
pub fn number_answer(input: &str) -> Option<Answer> {
    let s = input.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(i) = s.parse::<i64>() {
        return Some(Answer::Number(i.into()));
    }
    let f = voci_core::num::parse(s)?;
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        #[allow(clippy::cast_possible_truncation)]
        return Some(Answer::Number((f as i64).into()));
    }
    serde_json::Number::from_f64(f).map(Answer::Number)
}

/// What a text-like input shows for an answer.
pub fn input_text(answer: Option<&Answer>) -> String {
    match answer {
        Some(Answer::Text(s)) => s.clone(),
        Some(Answer::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three pages: who you are; school (students only, with a filtered school list, a max-2
    /// multiple with "other" and a ranking); a last page with a date and a long text.
    fn survey() -> Survey {
        serde_json::from_value(serde_json::json!({
            "id": "giovani", "version": "2", "title": {"it": "Giovani", "en": "Youth"},
            "languages": ["it", "en"],
            "sections": [
                {"id": "p1", "questions": [
                    {"id": "intro", "label": {"it": "Benvenuti"}, "type": "note"},
                    {"id": "ruolo", "label": {"it": "Ruolo"}, "required": true, "type": "single",
                     "choices": [{"id": "studente", "label": {"it": "Studente"}},
                                 {"id": "altro", "label": {"it": "Altro"}}]},
                    {"id": "eta", "label": {"it": "Età"}, "required": true, "type": "integer",
                     "min": 5, "max": 99, "constraint": ". >= 11",
                     "constraint_message": {"it": "Almeno 11 anni"}},
                    {"id": "comune", "label": {"it": "Comune"}, "type": "single",
                     "choices": [{"id": "melzo", "label": {"it": "Melzo"}},
                                 {"id": "inzago", "label": {"it": "Inzago"}}]},
                    {"id": "anni", "label": {"it": "Anni"}, "type": "calculate",
                     "calculation": "${eta} + 1"}
                ]},
                {"id": "p2", "relevant": "${ruolo} = 'studente'", "questions": [
                    {"id": "scuola", "label": {"it": "Scuola"}, "type": "single",
                     "choice_filter": "comune = ${comune}",
                     "choices": [{"id": "mascagni", "label": {"it": "Mascagni"}, "filter": {"comune": "melzo"}},
                                 {"id": "bellisario", "label": {"it": "Bellisario"}, "filter": {"comune": "inzago"}}]},
                    {"id": "problemi", "label": {"it": "Problemi"}, "type": "multiple", "max": 2,
                     "choices": [{"id": "a", "label": {"it": "A"}}, {"id": "b", "label": {"it": "B"}},
                                 {"id": "c", "label": {"it": "C"}}, {"id": "other", "label": {"it": "Altro"}}]},
                    {"id": "problemi_other", "label": {"it": "Quale?"}, "type": "text",
                     "relevant": "selected(${problemi}, 'other')",
                     "required_if": "selected(${problemi}, 'other')"},
                    {"id": "ordine", "label": {"it": "Ordina"}, "type": "ranking", "randomize": true,
                     "choices": [{"id": "x", "label": {"it": "X"}}, {"id": "y", "label": {"it": "Y"}},
                                 {"id": "z", "label": {"it": "Z"}}, {"id": "w", "label": {"it": "W"}}]}
                ]},
                {"id": "p3", "questions": [
                    {"id": "quando", "label": {"it": "Quando"}, "type": "date"},
                    {"id": "proposta", "label": {"it": "Proposta"}, "type": "long_text", "max_length": 5}
                ]}
            ]
        }))
        .unwrap()
    }

    fn qid(s: &str) -> QuestionId {
        QuestionId::parse(s).unwrap()
    }

    #[test]
    fn a_number_input_reads_by_the_cores_grammar_and_whole_numbers_stay_whole() {
        let cases = [
            ("", None),
            ("  ", None),
            ("15", Some(serde_json::json!(15))),
            (" -3 ", Some(serde_json::json!(-3))),
            ("14.5", Some(serde_json::json!(14.5))),
            ("14.0", Some(serde_json::json!(14))),
            ("2.5e-4", Some(serde_json::json!(0.00025))),
            ("1e3", Some(serde_json::json!(1000))),
            (".5", Some(serde_json::json!(0.5))),
            ("1,5", None),
            ("inf", None),
            ("NaN", None),
            ("1e400", None),
        ];
        for (input, want) in cases {
            let got = number_answer(input).map(|a| serde_json::to_value(a).unwrap());
            assert_eq!(got, want, "{input:?}");
        }
    }

    fn now() -> Now {
        Now {
            date: "2026-03-02".into(),
            time: "2026-03-02T10:15:00+01:00".into(),
        }
    }

    fn runner_of(survey: &Survey) -> Runner {
        Runner::new(
            survey,
            SiteId::parse("ambito-5/melzo/ic-mascagni").unwrap(),
            ResponseId::from_random_bytes([7; 16]),
            &now(),
        )
        .unwrap()
    }

    fn runner() -> Runner {
        runner_of(&survey())
    }

    fn text(s: &str) -> Option<Answer> {
        Some(Answer::Text(s.to_owned()))
    }

    /// Page 1 answered by someone who is not a student, 15, from Melzo.
    fn not_a_student(r: &mut Runner) {
        r.set_answer(&qid("ruolo"), text("altro"));
        r.set_answer(&qid("eta"), number_answer("15"));
        r.set_answer(&qid("comune"), text("melzo"));
    }

    #[test]
    fn a_page_with_problems_does_not_advance_and_says_why() {
        let mut r = runner();
        assert!(!r.next());
        assert_eq!(r.page(), 0);
        assert_eq!(r.error("ruolo"), Some(&Problem::Required));
        assert_eq!(r.error("intro"), None, "a note takes no answer");
        r.set_answer(&qid("ruolo"), text("studente"));
        assert_eq!(
            r.error("ruolo"),
            None,
            "fixing the answer clears the message"
        );
        r.set_answer(&qid("eta"), number_answer("15"));
        assert!(r.next());
        assert_eq!(r.page(), 1);
    }

    #[test]
    fn limits_and_constraints_come_from_the_core() {
        let mut r = runner();
        r.set_answer(&qid("ruolo"), text("altro"));
        r.set_answer(&qid("eta"), number_answer("3"));
        assert!(!r.next());
        assert!(matches!(r.error("eta"), Some(Problem::BelowMin { .. })));
        r.set_answer(&qid("eta"), number_answer("14.5"));
        assert_eq!(r.error("eta"), Some(&Problem::NotWhole));
        r.set_answer(&qid("eta"), number_answer("9"));
        assert_eq!(
            r.error("eta"),
            Some(&Problem::Constraint),
            "the constraint blocks"
        );
        assert!(!r.next());
        r.set_answer(&qid("eta"), number_answer("14"));
        assert!(r.next());
    }

    #[test]
    fn leaving_a_field_flags_a_wrong_answer_but_not_a_missing_one() {
        let mut r = runner();
        r.touch(&qid("eta"));
        assert_eq!(r.error("eta"), None);
        r.set_answer(&qid("eta"), number_answer("9"));
        r.touch(&qid("eta"));
        assert_eq!(r.error("eta"), Some(&Problem::Constraint));
        r.set_answer(&qid("eta"), number_answer("12"));
        assert_eq!(r.error("eta"), None);
    }

    #[test]
    fn hidden_pages_are_skipped_both_ways_and_left_out_of_the_count() {
        let mut r = runner();
        assert_eq!(r.page_count(), 2, "the school page waits for the role");
        not_a_student(&mut r);
        assert!(r.next());
        assert_eq!(r.page(), 2, "a non-student skips the school page");
        assert_eq!(r.page_number(), 2);
        assert!(r.is_last());
        r.back();
        assert_eq!(r.page(), 0);
        assert!(r.is_first());

        r.set_answer(&qid("ruolo"), text("studente"));
        assert_eq!(r.page_count(), 3);
        assert!(r.next());
        assert_eq!(r.page(), 1);
        assert!(r.shown("scuola"));
    }

    #[test]
    fn the_response_holds_only_shown_answers_and_calculations() {
        let mut r = runner();
        r.set_answer(&qid("ruolo"), text("studente"));
        r.set_answer(&qid("eta"), number_answer("15"));
        r.next();
        r.set_answer(&qid("scuola"), text("mascagni"));
        r.set_answer(&qid("ruolo"), text("altro"));
        r.set_answer(&qid("comune"), text("melzo"));
        assert_eq!(
            r.draft("it").answers.len(),
            4,
            "the draft keeps the hidden answer"
        );
        r.back();
        assert!(r.next());
        assert_eq!(r.page(), 2);
        let resp = r.finish("it", &now()).unwrap();
        let ids: Vec<&str> = resp.answers.keys().map(QuestionId::as_str).collect();
        assert_eq!(ids, ["anni", "comune", "eta", "ruolo"]);
        assert_eq!(resp.answers[&qid("anni")], Answer::Text("16".into()));
    }

    #[test]
    fn choice_filters_follow_earlier_answers() {
        let mut r = runner();
        let scuola = r.survey().question("scuola").unwrap().clone();
        let ids = |r: &Runner| -> Vec<String> {
            r.choices(&scuola)
                .iter()
                .map(|c| c.id.to_string())
                .collect()
        };
        assert!(ids(&r).is_empty(), "no municipality yet: no school");
        r.set_answer(&qid("comune"), text("inzago"));
        assert_eq!(ids(&r), ["bellisario"]);
        r.set_answer(&qid("comune"), text("melzo"));
        assert_eq!(ids(&r), ["mascagni"]);
    }

    #[test]
    fn a_tick_past_the_maximum_is_refused_with_its_message() {
        let mut r = runner();
        let q = qid("problemi");
        assert!(r.toggle_choice(&q, "c", true));
        assert!(r.toggle_choice(&q, "a", true));
        assert_eq!(
            r.answer("problemi"),
            Some(&Answer::Choices(vec!["a".into(), "c".into()])),
            "in the question's order"
        );
        assert!(!r.toggle_choice(&q, "b", true));
        assert_eq!(
            r.error("problemi"),
            Some(&Problem::TooManyChoices { max: 2 })
        );
        assert_eq!(
            r.answer("problemi").unwrap(),
            &Answer::Choices(vec!["a".into(), "c".into()])
        );
        r.set_answer(&qid("eta"), number_answer("20"));
        assert!(
            r.error("problemi").is_some(),
            "kept until this question changes"
        );
        assert!(r.toggle_choice(&q, "a", false));
        assert_eq!(r.error("problemi"), None);
        assert!(r.toggle_choice(&q, "c", false));
        assert_eq!(r.answer("problemi"), None, "no ticks is no answer");
    }

    #[test]
    fn other_specify_appears_and_is_required_with_its_choice() {
        let mut r = runner();
        r.set_answer(&qid("ruolo"), text("studente"));
        r.set_answer(&qid("eta"), number_answer("15"));
        r.next();
        assert!(!r.shown("problemi_other"));
        r.toggle_choice(&qid("problemi"), "other", true);
        assert!(r.shown("problemi_other") && r.required("problemi_other"));
        assert!(!r.next());
        assert_eq!(r.error("problemi_other"), Some(&Problem::Required));
        r.set_answer(&qid("problemi_other"), text("il bus"));
        r.keep_order(&qid("ordine"));
        assert!(r.next());
        let resp = r.finish("it", &now()).unwrap();
        assert_eq!(
            resp.answers[&qid("problemi_other")],
            Answer::Text("il bus".into())
        );
    }

    #[test]
    fn a_ranking_moves_one_place_at_a_time_and_its_order_is_the_respondents_own() {
        let mut r = runner();
        let q = r.survey().question("ordine").unwrap().clone();
        let names = |r: &Runner| -> Vec<String> {
            r.ranking(&q).iter().map(|c| c.id.to_string()).collect()
        };
        let first = names(&r);
        assert_eq!(first.len(), 4);
        assert_eq!(r.answer("ordine"), None, "shown is not answered");
        assert_eq!(
            names(&runner()),
            first,
            "the same respondent, the same order"
        );
        let other = Runner::new(
            &survey(),
            SiteId::parse("a/b").unwrap(),
            ResponseId::from_random_bytes([9; 16]),
            &now(),
        )
        .unwrap();
        let mut sorted = names(&other);
        sorted.sort();
        assert_eq!(sorted, ["w", "x", "y", "z"]);

        let last = first[3].clone();
        assert_eq!(r.move_item(&q.id, &last, -1), Some(2));
        let want = vec![
            first[0].clone(),
            first[1].clone(),
            first[3].clone(),
            first[2].clone(),
        ];
        assert_eq!(names(&r), want);
        assert_eq!(r.answer("ordine"), Some(&Answer::Choices(want)));
        assert_eq!(
            r.move_item(&q.id, &first[0], -1),
            None,
            "the first cannot go up"
        );
    }

    #[test]
    fn randomized_choices_are_a_stable_permutation() {
        let mut s = survey();
        s.sections[1].questions[1].randomize = true;
        let q = s.question("problemi").unwrap().clone();
        let r = runner_of(&s);
        let order: Vec<String> = r.choices(&q).iter().map(|c| c.id.to_string()).collect();
        assert_eq!(order.len(), 4);
        let again = runner_of(&s);
        assert_eq!(
            again
                .choices(&q)
                .iter()
                .map(|c| c.id.to_string())
                .collect::<Vec<_>>(),
            order
        );
    }

    #[test]
    fn empty_inputs_are_no_answer() {
        let mut r = runner();
        r.set_answer(&qid("ruolo"), text("studente"));
        r.set_answer(&qid("ruolo"), text("  "));
        assert_eq!(r.answer("ruolo"), None);
        assert_eq!(number_answer(""), None);
        assert_eq!(number_answer("12"), Some(Answer::Number(12.into())));
        assert_eq!(number_answer("12.0"), Some(Answer::Number(12.into())));
    }

    #[test]
    fn an_anonymous_survey_records_the_date_only() {
        let mut r = runner();
        not_a_student(&mut r);
        r.next();
        let resp = r.finish("en", &now()).unwrap();
        assert_eq!(resp.submitted_at, "2026-03-02");
        assert_eq!(resp.started_at, None);
        assert_eq!(resp.language, "en");
        assert_eq!(resp.site.as_str(), "ambito-5/melzo/ic-mascagni");

        let mut s = survey();
        s.anonymous = false;
        let mut r = runner_of(&s);
        not_a_student(&mut r);
        r.next();
        let later = Now {
            date: "2026-03-02".into(),
            time: "2026-03-02T10:25:00+01:00".into(),
        };
        let resp = r.finish("it", &later).unwrap();
        assert_eq!(
            resp.started_at.as_deref(),
            Some("2026-03-02T10:15:00+01:00")
        );
        assert_eq!(resp.submitted_at, "2026-03-02T10:25:00+01:00");
    }

    #[test]
    fn finish_checks_every_page_and_returns_to_the_first_with_problems() {
        let mut r = runner();
        not_a_student(&mut r);
        r.next();
        r.set_answer(&qid("quando"), text("2025-02-30"));
        assert_eq!(r.finish("en", &now()), None);
        assert_eq!(r.error("quando"), Some(&Problem::NotADate));
        r.set_answer(&qid("quando"), text("2025-02-28"));
        // An earlier answer went bad behind the page's back (say, a restored old draft).
        r.engine.set(&mut r.sheet, "ruolo", text("nessuno"));
        assert_eq!(r.finish("it", &now()), None);
        assert_eq!(r.page(), 0);
        assert!(matches!(
            r.error("ruolo"),
            Some(Problem::UnknownChoice { .. })
        ));
    }

    #[test]
    fn the_response_language_falls_back_to_the_survey_default() {
        let mut s = survey();
        assert_eq!(response_language(&s, "en"), "en");
        s.languages = vec!["it".into()];
        assert_eq!(response_language(&s, "en"), "it");
    }

    #[test]
    fn a_draft_reopens_on_its_page_with_its_answers_and_its_order() {
        let mut r = runner();
        r.set_answer(&qid("ruolo"), text("studente"));
        r.set_answer(&qid("eta"), number_answer("20"));
        r.next();
        r.move_item(&qid("ordine"), "x", 1);
        let draft: Draft =
            serde_json::from_str(&serde_json::to_string(&r.draft("en")).unwrap()).unwrap();
        assert_eq!(draft.language, "en");
        let catalog = Catalog {
            surveys: vec![survey()],
            ..Catalog::default()
        };
        let back = Runner::from_draft(draft.clone(), &catalog).unwrap();
        assert_eq!(back.page(), 1);
        assert_eq!(input_text(back.answer("eta")), "20");
        assert_eq!(back.answer("ordine"), r.answer("ordine"));
        assert_eq!(back.id(), r.id());

        // The role changed in a newer draft: the school page is gone, the draft opens after it.
        let mut hidden = draft.clone();
        hidden
            .answers
            .insert(qid("ruolo"), Answer::Text("altro".into()));
        assert_eq!(Runner::from_draft(hidden, &catalog).unwrap().page(), 2);

        let mut newer = catalog.clone();
        newer.surveys[0].version = "3".into();
        assert!(
            Runner::from_draft(draft, &newer).is_none(),
            "another version: not reopened"
        );
    }

    /// How many live with you; an open repeat of members (name, age, a job from 16, their
    /// number); a repeat of children as many as `figli` says; then the count of members.
    fn household() -> Survey {
        serde_json::from_value(serde_json::json!({
            "id": "famiglia", "version": "1", "title": {"it": "Famiglia"}, "languages": ["it"],
            "sections": [
                {"id": "p1", "questions": [
                    {"id": "figli", "label": {"it": "Figli"}, "type": "integer"}
                ]},
                {"id": "membro", "title": {"it": "Membro"}, "repeat": {}, "questions": [
                    {"id": "numero", "type": "calculate", "label": {"it": "N"},
                     "calculation": "position(..)"},
                    {"id": "nome", "label": {"it": "Nome"}, "type": "text", "required": true},
                    {"id": "eta", "label": {"it": "Età"}, "type": "integer", "constraint": ". < 120"},
                    {"id": "lavoro", "label": {"it": "Lavoro"}, "type": "text",
                     "relevant": "${eta} >= 16"}
                ]},
                {"id": "figlio", "title": {"it": "Figlio"}, "repeat": {"count": "${figli}"},
                 "questions": [
                    {"id": "scuola", "label": {"it": "Scuola"}, "type": "text"}
                ]},
                {"id": "fine", "questions": [
                    {"id": "quanti", "type": "calculate", "label": {"it": "Q"},
                     "calculation": "count(${membro})"},
                    {"id": "grazie", "label": {"it": "Grazie"}, "type": "note"}
                ]}
            ]
        }))
        .unwrap()
    }

    #[test]
    fn an_open_repeat_adds_and_removes_instances_each_with_its_own_logic() {
        let mut r = runner_of(&household());
        assert!(r.next());
        assert_eq!(r.page(), 1, "no children: their repeat is skipped later");
        assert_eq!(r.instance_count(1), 0);
        assert!(!r.fixed_count(1));
        assert!(r.add_instance(1) && r.add_instance(1));
        assert_eq!(r.instance_count(1), 2);
        r.set_answer(&qid("nome--1"), text("Ada"));
        r.set_answer(&qid("eta--1"), number_answer("40"));
        assert!(
            r.shown("lavoro--1") && !r.shown("lavoro--2"),
            "relevance per instance"
        );
        assert_eq!(r.answer("nome--2"), None);

        r.set_answer(&qid("eta--2"), number_answer("200"));
        r.touch(&qid("eta--2"));
        assert_eq!(r.error("eta--2"), Some(&Problem::Constraint));
        assert_eq!(r.error("eta--1"), None);
        assert!(!r.next());
        assert_eq!(
            r.error("nome--2"),
            Some(&Problem::Required),
            "next to its instance"
        );
        assert_eq!(r.error("nome--1"), None);

        // The second is removed (with its answers) and added again empty.
        assert!(r.remove_instance(1, 1));
        assert_eq!(r.instance_count(1), 1);
        assert_eq!(r.error("nome--2"), None);
        assert!(r.add_instance(1));
        assert_eq!(r.answer("eta--2"), None);
        r.set_answer(&qid("nome--2"), text("Bo"));
        r.set_answer(&qid("eta--2"), number_answer("9"));
        assert!(r.next());
        assert_eq!(r.page(), 3);

        let resp = r.finish("it", &now()).unwrap();
        let instance = |pairs: &[(&str, Answer)]| -> AnswerMap {
            pairs.iter().map(|(q, a)| (qid(q), a.clone())).collect()
        };
        assert_eq!(
            resp.answers[&qid("membro")],
            Answer::Instances(vec![
                instance(&[
                    ("numero", Answer::Text("1".into())),
                    ("nome", Answer::Text("Ada".into())),
                    ("eta", number_answer("40").unwrap()),
                ]),
                instance(&[
                    ("numero", Answer::Text("2".into())),
                    ("nome", Answer::Text("Bo".into())),
                    ("eta", number_answer("9").unwrap()),
                ]),
            ])
        );
        assert_eq!(resp.answers[&qid("quanti")], Answer::Text("2".into()));
        assert!(!resp.answers.contains_key(&qid("figlio")));
    }

    #[test]
    fn a_repeat_count_sets_the_instances_and_a_draft_keeps_them() {
        let mut r = runner_of(&household());
        r.set_answer(&qid("figli"), number_answer("3"));
        assert!(r.fixed_count(2));
        assert_eq!(r.instance_count(2), 3);
        assert!(
            !r.add_instance(2) && !r.remove_instance(2, 0),
            "the count decides"
        );
        r.set_answer(&qid("figli"), number_answer("2"));
        assert_eq!(r.instance_count(2), 2);
        r.set_answer(&qid("scuola--2"), text("Mascagni"));
        assert!(r.add_instance(1));
        r.set_answer(&qid("nome--1"), text("Ada"));

        let draft: Draft =
            serde_json::from_str(&serde_json::to_string(&r.draft("it")).unwrap()).unwrap();
        let catalog = Catalog {
            surveys: vec![household()],
            ..Catalog::default()
        };
        let back = Runner::from_draft(draft, &catalog).unwrap();
        assert_eq!((back.instance_count(1), back.instance_count(2)), (1, 2));
        assert_eq!(input_text(back.answer("nome--1")), "Ada");
        assert_eq!(input_text(back.answer("scuola--2")), "Mascagni");
        assert_eq!(back.answer("scuola--1"), None);
        let q = back.survey().question("scuola").unwrap();
        assert_eq!(Runner::instance_question(q, 1).id.as_str(), "scuola--2");
    }

    /// A school filled in and read-only, a role that starts as "studente", an age with the
    /// survey's own required message, and a repeat whose instances start with a default.
    fn with_defaults() -> Survey {
        serde_json::from_value(serde_json::json!({
            "id": "classe", "version": "1", "title": {"it": "Classe"}, "languages": ["it"],
            "sections": [
                {"id": "p1", "questions": [
                    {"id": "scuola", "label": {"it": "Scuola"}, "type": "text",
                     "default": "IC Mascagni", "read_only": true},
                    {"id": "ruolo", "label": {"it": "Ruolo"}, "type": "single", "default": "studente",
                     "choices": [{"id": "studente", "label": {"it": "Studente"}},
                                 {"id": "altro", "label": {"it": "Altro"}}]},
                    {"id": "eta", "label": {"it": "Età"}, "type": "integer", "required": true,
                     "required_message": {"it": "Dicci quanti anni hai"}}
                ]},
                {"id": "amici", "repeat": {}, "questions": [
                    {"id": "amico", "label": {"it": "Amico"}, "type": "text", "default": "?"}
                ]}
            ]
        }))
        .unwrap()
    }

    #[test]
    fn defaults_fill_a_new_response_and_a_read_only_answer_does_not_change() {
        let mut r = runner_of(&with_defaults());
        assert_eq!(input_text(r.answer("scuola")), "IC Mascagni");
        assert_eq!(input_text(r.answer("ruolo")), "studente");
        r.set_answer(&qid("scuola"), text("IC Verdi"));
        r.set_answer(&qid("scuola"), None);
        assert_eq!(input_text(r.answer("scuola")), "IC Mascagni", "read-only");

        // The respondent may clear an ordinary default, and a reopened draft stays cleared.
        r.set_answer(&qid("ruolo"), None);
        let draft: Draft =
            serde_json::from_str(&serde_json::to_string(&r.draft("it")).unwrap()).unwrap();
        let catalog = Catalog {
            surveys: vec![with_defaults()],
            ..Catalog::default()
        };
        let back = Runner::from_draft(draft, &catalog).unwrap();
        assert_eq!(back.answer("ruolo"), None);
        assert_eq!(input_text(back.answer("scuola")), "IC Mascagni");

        // The required message is the survey's: the question carries it to the view.
        assert!(!r.next());
        assert_eq!(r.error("eta"), Some(&Problem::Required));
        let eta = r.survey().question("eta").unwrap();
        let own = eta.required_message.as_ref().map(|m| m.get("it", "it"));
        assert_eq!(own, Some("Dicci quanti anni hai"));

        // A new instance starts with its defaults.
        assert!(r.add_instance(1));
        assert_eq!(input_text(r.answer("amico--1")), "?");

        r.set_answer(&qid("eta"), number_answer("15"));
        let response = r.finish("it", &now()).unwrap();
        assert_eq!(
            response.answers[&qid("scuola")],
            Answer::Text("IC Mascagni".into())
        );
        assert!(!response.answers.contains_key(&qid("ruolo")));
    }
}
