//! The focus-group guide file (`kind = "focus_group"`; see `docs/focus-group-format.md`).

use std::collections::HashMap;

use super::survey::{id_error, read_choices, read_languages, read_lists};
use super::{Fields, Node, NodeValue, Reader};
use crate::diagnostic::Diagnostic;
use crate::guide::{Guide, GuideSection, ParticipantField, Prompt, TableDef};
use crate::ids::{QuestionId, SectionId, SurveyId};
use crate::model::Choice;

const GUIDE_KEYS: &[&str] = &[
    "kind",
    "id",
    "version",
    "title",
    "description",
    "languages",
    "consent",
    "list",
    "participant_field",
    "theme",
    "section",
    "table",
];
const FIELD_KEYS: &[&str] = &["id", "label", "choices"];
const SECTION_KEYS: &[&str] = &["id", "title", "prompt"];
const PROMPT_KEYS: &[&str] = &["id", "text", "probes", "minutes"];
const TABLE_KEYS: &[&str] = &["id", "title", "columns"];

/// Participant fields that would identify a person: refused.
const IDENTIFYING: &[&str] = &[
    "nome",
    "cognome",
    "name",
    "surname",
    "first_name",
    "last_name",
    "email",
    "telefono",
    "phone",
    "cellulare",
    "indirizzo",
    "address",
    "codice_fiscale",
    "data_nascita",
    "birth_date",
];

/// Reads a focus-group guide. Returns it when there is no error, and every diagnostic found.
pub fn parse_guide(file: &str, text: &str) -> (Option<Guide>, Vec<Diagnostic>) {
    let mut r = Reader::new(file, text);
    let guide = r
        .parse_toml(text)
        .and_then(|root| read_guide(&mut r, &root));
    let guide = guide.filter(|_| !r.has_errors());
    (guide, r.diagnostics)
}

fn required_text(
    r: &mut Reader<'_>,
    f: &Fields<'_>,
    key: &str,
    langs: &[String],
) -> Option<crate::Text> {
    match f.get(key) {
        Some(n) => r.text(n, key, langs),
        None => {
            r.error(
                f.span.start,
                format!(
                    "{} has no \"{key}\" (add {key} = {{ it = \"...\" }})",
                    f.what()
                ),
            );
            None
        }
    }
}

fn unique_id<T>(
    r: &mut Reader<'_>,
    f: &Fields<'_>,
    what: &str,
    seen: &mut HashMap<String, usize>,
    parse: impl Fn(String) -> Result<T, crate::IdError>,
) -> Option<T> {
    let (s, span) = r.string(f, "id")?;
    if seen.insert(s.clone(), span.start).is_some() {
        r.error(
            span.start,
            format!("duplicate {what} id \"{s}\" ({what} ids must be unique)"),
        );
    }
    parse(s.clone())
        .map_err(|e| r.error(span.start, id_error(what, &s, &e)))
        .ok()
}

fn read_guide(r: &mut Reader<'_>, root: &Node) -> Option<Guide> {
    let f = r.table(root, "the guide", GUIDE_KEYS)?;
    let id = r.string(&f, "id").and_then(|(s, span)| {
        SurveyId::parse(s.clone())
            .map_err(|e| r.error(span.start, id_error("guide", &s, &e)))
            .ok()
    });
    let version = r.string(&f, "version").map(|(s, _)| s);
    let languages = read_languages(r, &f);
    let title = required_text(r, &f, "title", &languages);
    let description = f
        .get("description")
        .and_then(|n| r.text(n, "description", &languages));
    let consent = f
        .get("consent")
        .and_then(|n| r.text(n, "consent", &languages));
    let lists = read_lists(r, &f, &languages);
    let mut seen = HashMap::new();

    let choices = |r: &mut Reader<'_>, f: &Fields<'_>| -> Option<Vec<Choice>> {
        match f.get("choices") {
            Some(Node {
                value: NodeValue::Str(list),
                span,
            }) => match lists.get(list) {
                Some(c) => Some(c.clone()),
                None => {
                    r.error(span.start, format!("no [[list]] has id \"{list}\""));
                    None
                }
            },
            Some(n) => Some(read_choices(r, n, &languages)),
            None => {
                r.error(f.span.start, format!("{} needs \"choices\"", f.what()));
                None
            }
        }
    };

    let mut participant_fields = Vec::new();
    for node in r.list(&f, "participant_field") {
        let Some(pf) = r.table(node, "a [[participant_field]]", FIELD_KEYS) else {
            continue;
        };
        let id = unique_id(r, &pf, "participant field", &mut seen, QuestionId::parse);
        if let Some(id) = &id
            && IDENTIFYING.contains(&id.as_str().to_lowercase().as_str())
        {
            let at = pf.key_span("id").map_or(pf.span.start, |s| s.start);
            r.error(
                at,
                format!("participant field \"{id}\" would identify a person: record only codes and bands (age band, role, school), never names or contacts"),
            );
        }
        let label = required_text(r, &pf, "label", &languages);
        let choices = choices(r, &pf);
        if let (Some(id), Some(label), Some(choices)) = (id, label, choices) {
            participant_fields.push(ParticipantField { id, label, choices });
        }
    }

    let mut themes = Vec::new();
    for node in r.list(&f, "theme") {
        let Some(tf) = r.table(node, "a [[theme]]", &["id", "label"]) else {
            continue;
        };
        let id = unique_id(r, &tf, "theme", &mut seen, crate::ChoiceId::parse);
        let label = required_text(r, &tf, "label", &languages);
        if let (Some(id), Some(label)) = (id, label) {
            themes.push(Choice::new(id, label));
        }
    }

    let mut sections = Vec::new();
    for node in r.list(&f, "section") {
        let Some(sf) = r.table(node, "a [[section]]", SECTION_KEYS) else {
            continue;
        };
        let id = unique_id(r, &sf, "section", &mut seen, SectionId::parse);
        let title = required_text(r, &sf, "title", &languages);
        let nodes = r.list(&sf, "prompt");
        if nodes.is_empty() {
            r.error(
                sf.span.start,
                "this section has no prompts (add [[section.prompt]] under it)",
            );
        }
        let mut prompts = Vec::new();
        for pn in nodes {
            let Some(pf) = r.table(pn, "a prompt", PROMPT_KEYS) else {
                continue;
            };
            let id = unique_id(r, &pf, "prompt", &mut seen, QuestionId::parse);
            let text = required_text(r, &pf, "text", &languages);
            let probes = r
                .list(&pf, "probes")
                .iter()
                .filter_map(|p| r.text(p, "probes", &languages))
                .collect();
            let minutes = r
                .opt_int(&pf, "minutes")
                .and_then(|m| match u32::try_from(m) {
                    Ok(m) if (1..=240).contains(&m) => Some(m),
                    _ => {
                        let at = pf.get("minutes").map_or(pf.span.start, |n| n.span.start);
                        r.error(at, "\"minutes\" must be a whole number from 1 to 240");
                        None
                    }
                });
            if let (Some(id), Some(text)) = (id, text) {
                prompts.push(Prompt {
                    id,
                    text,
                    probes,
                    minutes,
                });
            }
        }
        if let (Some(id), Some(title)) = (id, title) {
            sections.push(GuideSection { id, title, prompts });
        }
    }
    if sections.is_empty() {
        r.error(f.span.start, "the guide has no [[section]] with prompts");
    }

    let mut tables = Vec::new();
    for node in r.list(&f, "table") {
        let Some(tf) = r.table(node, "a [[table]]", TABLE_KEYS) else {
            continue;
        };
        let id = unique_id(r, &tf, "table", &mut seen, QuestionId::parse);
        let title = required_text(r, &tf, "title", &languages);
        let columns = match tf.get("columns") {
            Some(n) => Some(read_choices(r, n, &languages)),
            None => {
                r.error(
                    tf.span.start,
                    "a [[table]] needs \"columns\" = [{ id = \"...\", label = ... }]",
                );
                None
            }
        };
        if let (Some(id), Some(title), Some(columns)) = (id, title, columns) {
            tables.push(TableDef { id, title, columns });
        }
    }

    Some(Guide {
        id: id?,
        version: version?,
        title: title?,
        description,
        languages,
        consent,
        participant_fields,
        themes,
        sections,
        tables,
    })
}
