//! Focus-group results for coordinators: the list of sessions, the rows of the CSV downloads
//! (notes, quotes, theme tags, roster) and the theme summary across sessions, with small-cell
//! suppression applied before anything leaves the collector.
//!
//! Everything here is computed from stored sessions and the guide's versions; nothing here
//! reads the database (see `export` and `api::guides`).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Serialize, Serializer};
use voci_core::guide::{Guide, Session};
use voci_core::suppress::{Cell, suppress_linked};

/// The smallest count shown in a theme summary; a coordinator may raise it, never lower it.
pub const MIN_COUNT: u64 = 5;

/// How many quotes a theme of the summary shows at most.
const SAMPLE_QUOTES: usize = 3;

/// One line of the list of a guide's sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionSummary {
    pub id: String,
    pub version: String,
    pub site: String,
    pub date: String,
    pub group_type: String,
    pub facilitator: String,
    pub participants: usize,
    pub notes: usize,
    pub quotes: usize,
}

impl SessionSummary {
    pub fn of(s: &Session) -> Self {
        Self {
            id: s.id.to_string(),
            version: s.version.clone(),
            site: s.site.to_string(),
            date: s.date.clone(),
            group_type: s.group_type.clone(),
            facilitator: s.facilitator.clone(),
            participants: s.participants.len(),
            notes: s.notes.len(),
            quotes: s.quotes.len(),
        }
    }
}

/// A guide's versions, oldest first (as the catalog lists them), with what the downloads and
/// the summary need from them.
#[derive(Debug, Clone)]
pub struct GuideVersions {
    versions: Vec<Guide>,
}

impl GuideVersions {
    /// `None` when there is no version at all.
    pub fn new(versions: Vec<Guide>) -> Option<Self> {
        (!versions.is_empty()).then_some(Self { versions })
    }

    pub fn id(&self) -> &str {
        self.latest().id.as_str()
    }

    fn latest(&self) -> &Guide {
        self.versions.last().expect("at least one version")
    }

    fn version(&self, version: &str) -> Option<&Guide> {
        self.versions.iter().find(|g| g.version == version)
    }

    /// Newest first: the latest version's order wins, older versions add what it dropped.
    fn newest_first(&self) -> impl Iterator<Item = &Guide> {
        self.versions.iter().rev()
    }

    /// The participant fields of every version: the latest's in order, then older ones.
    fn participant_fields(&self) -> Vec<String> {
        let mut fields: Vec<String> = Vec::new();
        for field in self.newest_first().flat_map(|g| &g.participant_fields) {
            if !fields.iter().any(|f| f == field.id.as_str()) {
                fields.push(field.id.to_string());
            }
        }
        fields
    }

    /// The guide's themes of every version, `(id, label)` in the latest version's language:
    /// the latest's in order, then those only older versions have.
    fn themes(&self) -> Vec<(String, String)> {
        let mut themes: Vec<(String, String)> = Vec::new();
        for guide in self.newest_first() {
            for theme in &guide.themes {
                if !themes.iter().any(|(id, _)| id == theme.id.as_str()) {
                    themes.push((theme.id.to_string(), self.label(&theme.label)));
                }
            }
        }
        themes
    }

    fn label(&self, text: &voci_core::Text) -> String {
        let lang = self.latest().languages.first().map_or("", String::as_str);
        text.get(lang, lang).to_owned()
    }

    /// The label of a theme tag of `session`: the guide's (of the session's version first),
    /// else the one typed in the session.
    fn theme_label(&self, session: &Session, tag: &str) -> String {
        let own = self.version(&session.version).into_iter();
        own.chain(self.newest_first())
            .flat_map(|g| &g.themes)
            .find(|t| t.id.as_str() == tag)
            .map(|t| self.label(&t.label))
            .or_else(|| session.new_themes.get(tag).cloned())
            .unwrap_or_default()
    }
}

/// The CSV downloads of a guide's sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCsv {
    Notes,
    Quotes,
    Themes,
    Roster,
}

impl SessionCsv {
    const ALL: [Self; 4] = [Self::Notes, Self::Quotes, Self::Themes, Self::Roster];

    fn name(self) -> &'static str {
        match self {
            Self::Notes => "notes",
            Self::Quotes => "quotes",
            Self::Themes => "themes",
            Self::Roster => "roster",
        }
    }

    /// The download named in the URL: `notes.csv`, ...
    pub fn from_file_name(file: &str) -> Option<Self> {
        let name = file.strip_suffix(".csv")?;
        Self::ALL.into_iter().find(|csv| csv.name() == name)
    }

    /// The file's name in the download, for the guide `guide`: `ascolto-notes.csv`.
    pub fn file_name(self, guide: &str) -> String {
        format!("{guide}-{}.csv", self.name())
    }

    pub fn header(self, guide: &GuideVersions) -> Vec<String> {
        let fixed: &[&str] = match self {
            Self::Notes => &[
                "session",
                "site",
                "date",
                "group_type",
                "prompt",
                "offset",
                "text",
                "themes",
            ],
            Self::Quotes => &[
                "session",
                "site",
                "date",
                "group_type",
                "prompt",
                "participant",
                "offset",
                "text",
                "themes",
            ],
            Self::Themes => &[
                "session",
                "site",
                "group_type",
                "prompt",
                "kind",
                "participant",
                "theme",
                "theme_label",
                "offset",
                "text",
            ],
            Self::Roster => &["session", "site", "date", "group_type", "code"],
        };
        let mut header: Vec<String> = fixed.iter().map(|&h| h.to_owned()).collect();
        if self == Self::Roster {
            header.extend(guide.participant_fields());
            header.push("consent".to_owned());
        }
        header
    }

    /// The rows of one session, in the order it recorded them. Cells are neutralised against
    /// spreadsheet formulas ([`neutralise`]).
    pub fn rows(self, guide: &GuideVersions, s: &Session) -> Vec<Vec<String>> {
        let (id, site) = (s.id.to_string(), s.site.to_string());
        let head = [
            id.as_str(),
            site.as_str(),
            s.date.as_str(),
            s.group_type.as_str(),
        ];
        match self {
            Self::Notes => s
                .notes
                .iter()
                .map(|n| {
                    let tail = [
                        &n.prompt,
                        &n.offset.to_string(),
                        &n.text,
                        &n.themes.join(" "),
                    ];
                    row(head.iter().copied().chain(tail.map(String::as_str)))
                })
                .collect(),
            Self::Quotes => s
                .quotes
                .iter()
                .map(|q| {
                    let offset = q.offset.to_string();
                    let themes = q.themes.join(" ");
                    let tail = [&q.prompt, &q.participant, &offset, &q.text, &themes];
                    row(head.iter().copied().chain(tail.map(String::as_str)))
                })
                .collect(),
            Self::Themes => {
                let head = [id.as_str(), site.as_str(), s.group_type.as_str()];
                let notes = s
                    .notes
                    .iter()
                    .map(|n| (&n.prompt, "note", "", n.offset, &n.text, &n.themes));
                let quotes = s.quotes.iter().map(|q| {
                    let who = q.participant.as_str();
                    (&q.prompt, "quote", who, q.offset, &q.text, &q.themes)
                });
                let mut rows = Vec::new();
                for (prompt, kind, participant, offset, text, themes) in notes.chain(quotes) {
                    let offset = offset.to_string();
                    for theme in distinct(themes) {
                        let label = guide.theme_label(s, theme);
                        let tail = [
                            prompt.as_str(),
                            kind,
                            participant,
                            theme,
                            &label,
                            &offset,
                            text,
                        ];
                        rows.push(row(head.iter().copied().chain(tail)));
                    }
                }
                rows
            }
            Self::Roster => {
                let fields = guide.participant_fields();
                s.participants
                    .iter()
                    .map(|p| {
                        let values = fields
                            .iter()
                            .map(|f| p.fields.get(f).map_or("", String::as_str));
                        let consent = if p.consent { "yes" } else { "no" };
                        row(head
                            .iter()
                            .copied()
                            .chain([p.code.as_str()])
                            .chain(values)
                            .chain([consent]))
                    })
                    .collect()
            }
        }
    }
}

fn row<'a>(cells: impl Iterator<Item = &'a str>) -> Vec<String> {
    cells.map(neutralise).collect()
}

/// The tags of a note or quote, each once, in order.
fn distinct(themes: &[String]) -> impl Iterator<Item = &str> {
    let mut seen = BTreeSet::new();
    themes
        .iter()
        .map(String::as_str)
        .filter(move |t| seen.insert(*t))
}

/// A cell a spreadsheet would not run as a formula: text starting with `=`, `+`, `-`, `@` (or a
/// tab or carriage return, which some spreadsheets skip before them) gets a `'` in front.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// A published count: exact, or hidden as `"<k"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Exact(u64),
    /// Below the threshold, or hidden so that another count cannot be worked out.
    Hidden {
        threshold: u64,
    },
}

impl Count {
    fn of(cell: Cell, threshold: u64) -> Self {
        match cell {
            Cell::Shown(n) => Self::Exact(n),
            Cell::Suppressed => Self::Hidden { threshold },
        }
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Exact(n) => s.serialize_u64(*n),
            Self::Hidden { threshold } => s.serialize_str(&format!("<{threshold}")),
        }
    }
}

/// How often each theme was tagged across a guide's sessions, by site and by group type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeSummary {
    pub guide: String,
    /// Counts below this are hidden (`"<5"`), and so are those that would give them away.
    pub threshold: u64,
    /// The site the sessions were taken from (with the sites below it), when one was asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    pub sessions: usize,
    /// Guide themes first, in the guide's order; then themes typed in sessions, by label.
    pub themes: Vec<ThemeCounts>,
    /// Every tag, whatever its theme.
    pub all: Counts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeCounts {
    /// The guide's theme id; none for a theme typed in sessions (each may have its own id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub label: String,
    /// Typed during sessions, not in the guide.
    pub new: bool,
    #[serde(flatten)]
    pub counts: Counts,
    /// Up to three quotes tagged with the theme, from participants who consented.
    pub quotes: Vec<SampleQuote>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counts {
    pub total: Count,
    /// Site path → count, for every site with sessions.
    pub by_site: BTreeMap<String, Count>,
    /// Group type → count, for every group type of the sessions.
    pub by_group_type: BTreeMap<String, Count>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampleQuote {
    pub session: String,
    pub site: String,
    pub participant: String,
    pub prompt: String,
    pub text: String,
}

/// A row of the summary while counting.
struct Tally {
    id: Option<String>,
    label: String,
    by_site: BTreeMap<String, u64>,
    by_group_type: BTreeMap<String, u64>,
    quotes: Vec<SampleQuote>,
}

impl Tally {
    fn new(id: Option<String>, label: String) -> Self {
        Self {
            id,
            label,
            by_site: BTreeMap::new(),
            by_group_type: BTreeMap::new(),
            quotes: Vec::new(),
        }
    }
}

/// The tags of sessions, counted by theme, site and group type.
struct Tallies {
    /// The guide's themes, in order.
    guide: Vec<Tally>,
    /// Themes typed in sessions, by their label as typed (trimmed, any case).
    typed: BTreeMap<String, Tally>,
    sites: BTreeSet<String>,
    groups: BTreeSet<String>,
}

impl Tallies {
    fn new(guide: &GuideVersions) -> Self {
        Self {
            guide: guide
                .themes()
                .into_iter()
                .map(|(id, label)| Tally::new(Some(id), label))
                .collect(),
            typed: BTreeMap::new(),
            sites: BTreeSet::new(),
            groups: BTreeSet::new(),
        }
    }

    fn add(&mut self, s: &Session) {
        let site = s.site.to_string();
        let group = s.group_type.trim().to_owned();
        self.sites.insert(site.clone());
        self.groups.insert(group.clone());
        let notes = s.notes.iter().map(|n| (&n.themes, None));
        let quotes = s.quotes.iter().map(|q| (&q.themes, Some(q)));
        for (themes, quote) in notes.chain(quotes) {
            // Only participants who said yes are shown, whatever the guide asked.
            let shown = quote.filter(|q| {
                s.participants
                    .iter()
                    .any(|p| p.code == q.participant && p.consent)
            });
            for tag in distinct(themes) {
                let tally = self.row(s, tag);
                *tally.by_site.entry(site.clone()).or_default() += 1;
                *tally.by_group_type.entry(group.clone()).or_default() += 1;
                if let Some(q) = shown
                    && tally.quotes.len() < SAMPLE_QUOTES
                {
                    tally.quotes.push(SampleQuote {
                        session: s.id.to_string(),
                        site: site.clone(),
                        participant: q.participant.clone(),
                        prompt: q.prompt.clone(),
                        text: q.text.clone(),
                    });
                }
            }
        }
    }

    /// The row a tag of `s` counts in: the guide's theme with that id; else the theme typed
    /// in the session, which is the guide's theme with the same label if there is one.
    fn row(&mut self, s: &Session, tag: &str) -> &mut Tally {
        if let Some(i) = self.guide.iter().position(|t| t.id.as_deref() == Some(tag)) {
            return &mut self.guide[i];
        }
        let label = s.new_themes.get(tag).map_or(tag, String::as_str).trim();
        let key = label.to_lowercase();
        match self
            .guide
            .iter()
            .position(|t| t.label.trim().to_lowercase() == key)
        {
            Some(i) => &mut self.guide[i],
            None => self
                .typed
                .entry(key)
                .or_insert_with(|| Tally::new(None, label.to_owned())),
        }
    }
}

/// Counts the theme tags of `sessions` (all of `guide`), then suppresses small counts with
/// `threshold` across both breakdowns at once.
pub fn theme_summary(
    guide: &GuideVersions,
    sessions: &[Session],
    site: Option<String>,
    threshold: u64,
) -> ThemeSummary {
    let mut counted = Tallies::new(guide);
    for s in sessions {
        counted.add(s);
    }
    let Tallies {
        guide: mut tallies,
        typed,
        sites,
        groups,
    } = counted;
    tallies.extend(typed.into_values());

    let sites: Vec<String> = sites.into_iter().collect();
    let groups: Vec<String> = groups.into_iter().collect();
    let table = |columns: &[String], of: fn(&Tally) -> &BTreeMap<String, u64>| -> Vec<Vec<u64>> {
        tallies
            .iter()
            .map(|t| {
                columns
                    .iter()
                    .map(|c| of(t).get(c).copied().unwrap_or(0))
                    .collect()
            })
            .collect()
    };
    let by_site = table(&sites, |t| &t.by_site);
    let by_group = table(&groups, |t| &t.by_group_type);
    let [site_table, group_table]: [_; 2] = suppress_linked(&[&by_site, &by_group], threshold)
        .try_into()
        .expect("two tables in, two out");
    let count = |cell: Cell| Count::of(cell, threshold);
    let keyed = |columns: &[String], cells: &[Cell]| -> BTreeMap<String, Count> {
        columns
            .iter()
            .cloned()
            .zip(cells.iter().map(|&c| count(c)))
            .collect()
    };
    let themes = tallies
        .into_iter()
        .enumerate()
        .map(|(i, t)| ThemeCounts {
            new: t.id.is_none(),
            id: t.id,
            label: t.label,
            counts: Counts {
                total: count(site_table.row_totals[i]),
                by_site: keyed(&sites, &site_table.cells[i]),
                by_group_type: keyed(&groups, &group_table.cells[i]),
            },
            quotes: t.quotes,
        })
        .collect();
    ThemeSummary {
        guide: guide.id().to_owned(),
        threshold,
        site,
        sessions: sessions.len(),
        themes,
        all: Counts {
            total: count(site_table.total),
            by_site: keyed(&sites, &site_table.column_totals),
            by_group_type: keyed(&groups, &group_table.column_totals),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use voci_core::files::parse_guide;

    use super::*;

    /// Version 1 has the field `ruolo` and the theme `vecchio`; version 2 replaced them.
    fn guide(version: &str, field: &str, theme: &str, consent: bool) -> Guide {
        let consent = if consent { "consent = \"Ok?\"" } else { "" };
        let text = format!(
            r#"kind = "focus_group"
id = "g"
version = "{version}"
languages = ["it"]
title = "G"
{consent}

[[participant_field]]
id = "{field}"
label = "F"
choices = [{{ id = "a", label = "A" }}]

[[theme]]
id = "spazi"
label = "Spazi"

[[theme]]
id = "{theme}"
label = "T"

[[section]]
id = "s"
title = "S"

[[section.prompt]]
id = "p"
text = "P?"
"#
        );
        let (guide, diagnostics) = parse_guide("g.toml", &text);
        guide.unwrap_or_else(|| panic!("{diagnostics:?}"))
    }

    fn session(version: &str, new_themes: serde_json::Value, tags: &[&str]) -> Session {
        serde_json::from_value(json!({
            "id": "0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40",
            "guide": "g", "version": version, "site": "a/b", "date": "2026-01-01",
            "group_type": " studenti ", "facilitator": "MR",
            "participants": [
                { "code": "P1", "consent": true },
                { "code": "P2", "consent": false },
            ],
            "new_themes": new_themes,
            "quotes": [
                { "prompt": "p", "participant": "P2", "text": "no", "offset": 1, "themes": tags },
                { "prompt": "p", "participant": "P1", "text": "sì", "offset": 2, "themes": tags },
            ],
        }))
        .unwrap()
    }

    #[test]
    fn formulas_are_neutralised() {
        for (cell, out) in [
            ("=1+1", "'=1+1"),
            ("+39 02", "'+39 02"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("a=1", "a=1"),
            ("", ""),
            ("2026-01-01", "2026-01-01"),
        ] {
            assert_eq!(neutralise(cell), out);
        }
    }

    #[test]
    fn older_versions_add_the_fields_and_themes_the_latest_dropped() {
        let versions = GuideVersions::new(vec![
            guide("1", "ruolo", "vecchio", true),
            guide("2", "eta", "nuovo", true),
        ])
        .unwrap();
        assert_eq!(versions.participant_fields(), ["eta", "ruolo"]);
        let ids: Vec<String> = versions.themes().into_iter().map(|(id, _)| id).collect();
        assert_eq!(ids, ["spazi", "nuovo", "vecchio"]);
        assert_eq!(
            SessionCsv::Roster.header(&versions)[5..],
            ["eta", "ruolo", "consent"]
        );
        assert!(GuideVersions::new(Vec::new()).is_none());
    }

    #[test]
    fn sample_quotes_come_only_from_participants_who_consented() {
        // Without a consent text in the guide anyone may be quoted, but the summary still
        // shows only those who said yes.
        let versions = GuideVersions::new(vec![guide("1", "ruolo", "vecchio", false)]).unwrap();
        let s = session("1", json!({}), &["spazi"]);
        let summary = theme_summary(&versions, &[s], None, 5);
        let spazi = &summary.themes[0];
        assert_eq!(spazi.quotes.len(), 1);
        assert_eq!(spazi.quotes[0].participant, "P1");
        // Two tags: below the threshold, so hidden, and so is everything that adds up to it.
        assert_eq!(spazi.counts.total, Count::Hidden { threshold: 5 });
        assert_eq!(summary.all.total, Count::Hidden { threshold: 5 });
        // Group types are read trimmed.
        assert!(spazi.counts.by_group_type.contains_key("studenti"));
    }

    #[test]
    fn a_new_theme_with_a_guide_themes_label_is_that_theme() {
        let versions = GuideVersions::new(vec![guide("1", "ruolo", "vecchio", true)]).unwrap();
        let s = session(
            "1",
            json!({ "x1": " spazi", "x2": "Musica" }),
            &["x1", "x2"],
        );
        let summary = theme_summary(&versions, &[s], None, 2);
        let counted: Vec<(Option<&str>, &str, Count)> = summary
            .themes
            .iter()
            .map(|t| (t.id.as_deref(), t.label.as_str(), t.counts.total))
            .collect();
        assert_eq!(
            counted,
            [
                (Some("spazi"), "Spazi", Count::Exact(2)),
                (Some("vecchio"), "T", Count::Exact(0)),
                (None, "Musica", Count::Exact(2)),
            ]
        );
        assert_eq!(
            serde_json::to_value(Count::Hidden { threshold: 7 }).unwrap(),
            json!("<7")
        );
    }
}
