//! A running questionnaire: one respondent, one survey, page by page.
//!
//! [`Runner`] is the single state struct the runner screen shows; components call its methods and
//! never hold answers of their own. It is plain Rust, tested on the host.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use voci_core::validate::{check_answer, check_response};
use voci_core::{
    Answer, Lang, Problem, QuestionId, QuestionKind, Response, ResponseId, Section, SiteId, Survey,
    SurveyId,
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
    pub answers: BTreeMap<QuestionId, Answer>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Runner {
    survey: Survey,
    site: SiteId,
    id: ResponseId,
    page: usize,
    answers: BTreeMap<QuestionId, Answer>,
    /// Problems shown next to questions of the current page, after next/submit was pressed.
    errors: BTreeMap<QuestionId, Problem>,
}

impl Runner {
    /// A blank response on page 1.
    pub fn new(survey: Survey, site: SiteId, id: ResponseId) -> Self {
        Self {
            survey,
            site,
            id,
            page: 0,
            answers: BTreeMap::new(),
            errors: BTreeMap::new(),
        }
    }

    /// Reopens a draft if its survey (same id and version) is in the catalog.
    pub fn from_draft(draft: Draft, catalog: &Catalog) -> Option<Self> {
        let survey = catalog
            .surveys
            .iter()
            .find(|s| s.id == draft.survey && s.version == draft.version)?
            .clone();
        let page = draft.page.min(survey.sections.len().saturating_sub(1));
        let answers = draft
            .answers
            .into_iter()
            .filter(|(q, _)| survey.question(q.as_str()).is_some())
            .collect();
        Some(Self {
            survey,
            site: draft.site,
            id: draft.id,
            page,
            answers,
            errors: BTreeMap::new(),
        })
    }

    pub fn draft(&self, language: &str) -> Draft {
        Draft {
            id: self.id.clone(),
            survey: self.survey.id.clone(),
            version: self.survey.version.clone(),
            site: self.site.clone(),
            language: language.to_owned(),
            page: self.page,
            answers: self.answers.clone(),
        }
    }

    pub fn survey(&self) -> &Survey {
        &self.survey
    }

    pub fn id(&self) -> &ResponseId {
        &self.id
    }

    /// The current page, from 0.
    pub fn page(&self) -> usize {
        self.page
    }

    pub fn page_count(&self) -> usize {
        self.survey.sections.len()
    }

    pub fn is_first(&self) -> bool {
        self.page == 0
    }

    pub fn is_last(&self) -> bool {
        self.page + 1 >= self.page_count()
    }

    pub fn section(&self) -> Option<&Section> {
        self.survey.sections.get(self.page)
    }

    pub fn answer(&self, q: &str) -> Option<&Answer> {
        self.answers
            .iter()
            .find(|(id, _)| id.as_str() == q)
            .map(|(_, a)| a)
    }

    pub fn error(&self, q: &str) -> Option<&Problem> {
        self.errors
            .iter()
            .find(|(id, _)| id.as_str() == q)
            .map(|(_, p)| p)
    }

    /// Records an answer (`None` or an empty answer: not answered). A problem already shown for
    /// the question is checked again, so the message goes away as soon as it is fixed.
    pub fn set_answer(&mut self, q: &QuestionId, answer: Option<Answer>) {
        match answer.filter(|a| !a.is_empty()) {
            Some(a) => self.answers.insert(q.clone(), a),
            None => self.answers.remove(q),
        };
        if self.errors.contains_key(q)
            && let Some(question) = self.survey.question(q.as_str())
        {
            match check_answer(question, self.answers.get(q)) {
                Ok(()) => self.errors.remove(q),
                Err(p) => self.errors.insert(q.clone(), p),
            };
        }
    }

    /// Ticks or unticks one box of a multiple-choice question, keeping the question's order.
    pub fn toggle_choice(&mut self, q: &QuestionId, choice: &str, on: bool) {
        let Some(question) = self.survey.question(q.as_str()) else {
            return;
        };
        let mut picked = match self.answers.get(q) {
            Some(Answer::Choices(c)) => c.clone(),
            _ => Vec::new(),
        };
        picked.retain(|c| c != choice);
        if on {
            picked.push(choice.to_owned());
        }
        let order: Vec<&str> = question
            .kind
            .choices()
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        picked.sort_by_key(|c| order.iter().position(|o| o == c).unwrap_or(usize::MAX));
        self.set_answer(q, Some(Answer::Choices(picked)));
    }

    /// Whether a multiple-choice question already has as many ticks as it allows.
    pub fn at_max(&self, q: &str) -> bool {
        match self.survey.question(q).map(|q| &q.kind) {
            Some(QuestionKind::Multiple { max: Some(max), .. }) => match self.answer(q) {
                Some(Answer::Choices(c)) => c.len() >= *max as usize,
                _ => false,
            },
            _ => false,
        }
    }

    /// Checks every question of the current page and keeps the problems to show.
    pub fn validate_page(&mut self) -> bool {
        self.errors = self
            .section()
            .into_iter()
            .flat_map(|s| s.questions.iter())
            .filter_map(|q| {
                check_answer(q, self.answers.get(&q.id))
                    .err()
                    .map(|p| (q.id.clone(), p))
            })
            .collect();
        self.errors.is_empty()
    }

    /// Goes to the next page if this one is fine; says whether it moved.
    pub fn next(&mut self) -> bool {
        if !self.validate_page() || self.is_last() {
            return false;
        }
        self.page += 1;
        true
    }

    pub fn back(&mut self) {
        self.errors.clear();
        self.page = self.page.saturating_sub(1);
    }

    /// Builds the response if every page is fine; otherwise shows the first page with problems.
    pub fn finish(&mut self, language: &str, submitted_at: String) -> Option<Response> {
        if !self.validate_page() {
            return None;
        }
        let response = Response {
            id: self.id.clone(),
            survey: self.survey.id.clone(),
            version: self.survey.version.clone(),
            site: self.site.clone(),
            language: response_language(&self.survey, language),
            submitted_at,
            // Not asked by this version of the app yet.
            started_at: None,
            group: None,
            answers: self.answers.clone(),
        };
        match check_response(&self.survey, &response) {
            Ok(()) => Some(response),
            Err(errors) => {
                let first_bad = self.survey.sections.iter().position(|s| {
                    s.questions
                        .iter()
                        .any(|q| errors.iter().any(|e| e.question == q.id))
                });
                if let Some(page) = first_bad {
                    self.page = page;
                    self.validate_page();
                }
                None
            }
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
    let f: f64 = s.parse().ok()?;
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

    fn survey() -> Survey {
        serde_json::from_value(serde_json::json!({
            "id": "giovani", "version": "2", "title": {"it": "Giovani", "en": "Youth"},
            "languages": ["it", "en"],
            "sections": [
                {"id": "p1", "questions": [
                    {"id": "intro", "label": {"it": "Benvenuti"}, "type": "note"},
                    {"id": "ruolo", "label": {"it": "Ruolo"}, "required": true, "type": "single",
                     "choices": [{"id": "studente", "label": {"it": "Studente"}},
                                 {"id": "altro", "label": {"it": "Altro"}}]}
                ]},
                {"id": "p2", "questions": [
                    {"id": "eta", "label": {"it": "Età"}, "required": true, "type": "integer",
                     "min": 11, "max": 35},
                    {"id": "problemi", "label": {"it": "Problemi"}, "type": "multiple", "max": 2,
                     "choices": [{"id": "a", "label": {"it": "A"}}, {"id": "b", "label": {"it": "B"}},
                                 {"id": "c", "label": {"it": "C"}}]}
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

    fn runner() -> Runner {
        Runner::new(
            survey(),
            SiteId::parse("ambito-5/melzo/ic-mascagni").unwrap(),
            ResponseId::from_random_bytes([7; 16]),
        )
    }

    fn text(s: &str) -> Option<Answer> {
        Some(Answer::Text(s.to_owned()))
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
        assert!(r.next());
        assert_eq!(r.page(), 1);
    }

    #[test]
    fn limits_come_from_the_core() {
        let mut r = runner();
        r.set_answer(&qid("ruolo"), text("altro"));
        r.next();
        r.set_answer(&qid("eta"), number_answer("9"));
        assert!(!r.next());
        assert!(matches!(r.error("eta"), Some(Problem::BelowMin { .. })));
        r.set_answer(&qid("eta"), number_answer("14.5"));
        assert_eq!(r.error("eta"), Some(&Problem::NotWhole));
        r.set_answer(&qid("eta"), number_answer("14"));
        assert!(r.next());
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
    fn multiple_choices_keep_the_question_order_and_stop_at_max() {
        let mut r = runner();
        let q = qid("problemi");
        r.toggle_choice(&q, "c", true);
        assert!(!r.at_max("problemi"));
        r.toggle_choice(&q, "a", true);
        assert_eq!(
            r.answer("problemi"),
            Some(&Answer::Choices(vec!["a".into(), "c".into()]))
        );
        assert!(r.at_max("problemi"));
        r.toggle_choice(&q, "a", false);
        assert_eq!(
            r.answer("problemi"),
            Some(&Answer::Choices(vec!["c".into()]))
        );
        r.toggle_choice(&q, "c", false);
        assert_eq!(r.answer("problemi"), None, "no ticks is no answer");
    }

    #[test]
    fn back_keeps_answers_and_clears_messages() {
        let mut r = runner();
        r.set_answer(&qid("ruolo"), text("studente"));
        r.next();
        r.next();
        assert!(r.error("eta").is_some());
        r.back();
        assert_eq!(r.page(), 0);
        assert_eq!(r.error("eta"), None);
        assert_eq!(r.answer("ruolo"), text("studente").as_ref());
        r.back();
        assert_eq!(r.page(), 0);
    }

    #[test]
    fn finish_builds_the_response() {
        let mut r = runner();
        r.set_answer(&qid("ruolo"), text("studente"));
        assert!(r.next());
        r.set_answer(&qid("eta"), number_answer("15"));
        assert!(r.next());
        assert!(r.is_last());
        r.set_answer(&qid("quando"), text("2025-02-30"));
        assert_eq!(r.finish("en", "t".into()), None);
        assert_eq!(r.error("quando"), Some(&Problem::NotADate));
        r.set_answer(&qid("quando"), text("2025-02-28"));
        let resp = r.finish("en", "2025-03-01T10:00:00.000Z".into()).unwrap();
        assert_eq!(resp.id, ResponseId::from_random_bytes([7; 16]));
        assert_eq!(resp.version, "2");
        assert_eq!(resp.language, "en");
        assert_eq!(resp.site.as_str(), "ambito-5/melzo/ic-mascagni");
        assert_eq!(resp.answers.len(), 3);
        assert_eq!(resp.submitted_at, "2025-03-01T10:00:00.000Z");
    }

    #[test]
    fn finish_returns_to_an_earlier_page_with_problems() {
        let mut r = runner();
        r.set_answer(&qid("ruolo"), text("studente"));
        r.next();
        r.set_answer(&qid("eta"), number_answer("15"));
        r.next();
        // An earlier answer went bad behind the page's back (say, a restored old draft).
        r.answers.insert(qid("ruolo"), text("nessuno").unwrap());
        assert_eq!(r.finish("it", "t".into()), None);
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
    fn a_draft_reopens_on_its_page_with_its_answers() {
        let mut r = runner();
        r.set_answer(&qid("ruolo"), text("studente"));
        r.next();
        r.set_answer(&qid("eta"), number_answer("20"));
        let draft: Draft =
            serde_json::from_str(&serde_json::to_string(&r.draft("en")).unwrap()).unwrap();
        assert_eq!(draft.language, "en");
        let catalog = Catalog {
            surveys: vec![survey()],
            sites: Default::default(),
        };
        let back = Runner::from_draft(draft.clone(), &catalog).unwrap();
        assert_eq!(back.page(), 1);
        assert_eq!(input_text(back.answer("eta")), "20");
        assert_eq!(back.id(), r.id());

        let mut newer = catalog.clone();
        newer.surveys[0].version = "3".into();
        assert_eq!(
            Runner::from_draft(draft, &newer),
            None,
            "another version: not reopened"
        );
    }
}
