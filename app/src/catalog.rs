//! The surveys, focus-group guides and sites the app can run, as downloaded from the collector
//! or kept from last time.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use voci_core::guide::Guide;
use voci_core::{SiteTree, Survey};

/// What the home screen offers: every survey and every site, each with the JSON it was read
/// from, and the focus-group guides as JSON only, read by the focus entry ([`Catalog::guides`])
/// so that the PWA's download carries no reader of guides. The kept copy is that JSON as the
/// collector sent it, so the app needs no writer for the survey model, and two catalogs are the
/// same when their JSON is.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub surveys: Vec<Survey>,
    pub sites: SiteTree,
    /// The JSON of `surveys`, `sites` and the guides (every version, oldest first; a copy kept
    /// before guides existed has none), in that order.
    pub json: [String; 3],
}

/// The focus-group guides a catalog holds, read: every version, oldest first.
#[derive(Debug, Clone, Default)]
pub struct Guides(pub Vec<Guide>);

impl PartialEq for Catalog {
    fn eq(&self, other: &Self) -> bool {
        self.json == other.json
    }
}

/// A part of the catalog read from the collector's reply, and the JSON kept for it (the
/// readable items only).
pub type Parsed<T> = (T, String);

impl Catalog {
    /// The copy kept in localStorage: `{"surveys": [...], "sites": {...}, "guides": [...]}`.
    pub fn to_json(&self) -> String {
        let [surveys, sites, guides] = &self.json;
        format!(r#"{{"surveys":{surveys},"sites":{sites},"guides":{guides}}}"#)
    }

    /// Reads the kept copy (also one written by earlier versions of the app).
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        let kept: Parts = serde_json::from_str(json)?;
        let guides = match kept.guides {
            Some(g) => parse_guides(g.get())?,
            None => "[]".to_owned(),
        };
        Ok(Self::new(
            parse_surveys(required(kept.surveys, "surveys")?.get())?,
            parse_sites(required(kept.sites, "sites")?.get())?,
            guides,
        ))
    }

    pub fn new(
        (surveys, surveys_json): Parsed<Vec<Survey>>,
        (sites, sites_json): Parsed<SiteTree>,
        guides_json: String,
    ) -> Self {
        Self {
            surveys,
            sites,
            json: [surveys_json, sites_json, guides_json],
        }
    }

    fn into_parts(self) -> (Parsed<Vec<Survey>>, Parsed<SiteTree>, String) {
        let [surveys, sites, guides] = self.json;
        ((self.surveys, surveys), (self.sites, sites), guides)
    }

    /// The newest version of a survey. The collector lists versions oldest first, so the last
    /// one with the id wins; older versions stay in the catalog for drafts begun with them.
    pub fn latest(&self, id: &str) -> Option<&Survey> {
        self.surveys.iter().rfind(|s| s.id.as_str() == id)
    }

    /// One survey per id (its newest version), in the collector's order: what the home screen offers.
    pub fn current(&self) -> Vec<&Survey> {
        let mut out: Vec<&Survey> = Vec::new();
        for s in &self.surveys {
            match out.iter_mut().find(|o| o.id == s.id) {
                Some(o) => *o = s,
                None => out.push(s),
            }
        }
        out
    }

    /// Whether the catalog has focus-group guides (the home screen's way into them), without
    /// reading them.
    pub fn has_guides(&self) -> bool {
        !matches!(self.json[2].trim(), "" | "[]")
    }

    /// The focus-group guides, read from their JSON; one this version of the app cannot read is
    /// left out rather than hiding the others.
    pub fn guides(&self) -> Guides {
        let items: Vec<&RawValue> = serde_json::from_str(&self.json[2]).unwrap_or_default();
        Guides(each_readable(items).0)
    }
}

impl Guides {
    /// The newest version of a guide (the collector lists versions oldest first).
    pub fn latest(&self, id: &str) -> Option<&Guide> {
        self.0.iter().rfind(|g| g.id.as_str() == id)
    }

    /// One guide per id (its newest version), in the collector's order.
    pub fn current(&self) -> Vec<&Guide> {
        let mut out: Vec<&Guide> = Vec::new();
        for g in &self.0 {
            match out.iter_mut().find(|o| o.id == g.id) {
                Some(o) => *o = g,
                None => out.push(g),
            }
        }
        out
    }
}

/// Where the catalog on screen came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Downloaded just now.
    Collector,
    /// The copy kept in localStorage (the collector could not be reached).
    Kept,
}

/// The catalog as the app knows it.
#[derive(Debug, Clone, PartialEq)]
pub enum CatalogState {
    Loading,
    Ready(Catalog, Source),
    /// Never downloaded and no network: the app cannot offer anything yet.
    Missing,
}

/// Reads `GET /api/surveys`: a list of surveys, bare or as `{"surveys": [...]}`.
///
/// A survey this version of the app cannot read is left out rather than hiding all the others.
/// Each item is read from its raw text (reading through `serde_json::Value` would add a
/// second copy of every survey type's reader), and that text is what the kept copy stores.
pub fn parse_surveys(json: &str) -> Result<Parsed<Vec<Survey>>, serde_json::Error> {
    let list = if is_list(json) {
        json
    } else {
        let reply: Parts = serde_json::from_str(json)?;
        required(reply.surveys, "surveys")?.get()
    };
    Ok(each_readable(serde_json::from_str(list)?))
}

/// Reads `GET /api/guides`: a list of guides, kept as the JSON list of its items (each is read
/// by the focus entry, [`Catalog::guides`]; the PWA never reads them).
pub fn parse_guides(json: &str) -> Result<String, serde_json::Error> {
    let items: Vec<&RawValue> = serde_json::from_str(json)?;
    let texts: Vec<&str> = items.iter().map(|i| i.get()).collect();
    Ok(format!("[{}]", texts.join(",")))
}

/// Reads `GET /api/sites`: a site tree, as `{"districts": [...]}`, `{"sites": {...}}` or a bare
/// list; the JSON kept is the tree's, `{"districts": [...]}`.
pub fn parse_sites(json: &str) -> Result<Parsed<SiteTree>, serde_json::Error> {
    if is_list(json) {
        return districts(json);
    }
    let reply: Parts = serde_json::from_str(json)?;
    // The tree itself first, then the tree under `sites`.
    if let Some(d) = reply.districts
        && let Ok(tree) = districts(d.get())
    {
        return Ok(tree);
    }
    match reply.sites {
        Some(sites) => parse_sites(sites.get()),
        None => Err(serde::de::Error::missing_field("districts")),
    }
}

/// The parts a kept copy or a collector's reply may have, each left as its JSON text. One
/// struct for all of them: each struct serde reads is code of its own in the download.
#[derive(Deserialize)]
struct Parts<'a> {
    #[serde(borrow, default)]
    surveys: Option<&'a RawValue>,
    #[serde(borrow, default)]
    sites: Option<&'a RawValue>,
    #[serde(borrow, default)]
    guides: Option<&'a RawValue>,
    #[serde(borrow, default)]
    districts: Option<&'a RawValue>,
}

/// A part that must be there.
fn required<'a>(
    part: Option<&'a RawValue>,
    name: &'static str,
) -> Result<&'a RawValue, serde_json::Error> {
    part.ok_or_else(|| serde::de::Error::missing_field(name))
}

/// A bare list of districts, as a tree and the tree's JSON.
fn districts(json: &str) -> Result<Parsed<SiteTree>, serde_json::Error> {
    let districts = serde_json::from_str(json)?;
    Ok((
        SiteTree { districts },
        format!(r#"{{"districts":{}}}"#, json.trim()),
    ))
}

/// Whether a reply is a bare JSON list rather than an object.
fn is_list(json: &str) -> bool {
    json.trim_start().starts_with('[')
}

/// The items that read as a `T`, in order, and the JSON list of their texts.
fn each_readable<T: DeserializeOwned>(items: Vec<&RawValue>) -> Parsed<Vec<T>> {
    let mut json = String::from("[");
    let mut out = Vec::new();
    for item in items {
        if let Ok(value) = serde_json::from_str(item.get()) {
            if !out.is_empty() {
                json.push(',');
            }
            json.push_str(item.get());
            out.push(value);
        }
    }
    json.push(']');
    (out, json)
}

/// Combines what was downloaded with the kept copy: fresh parts win, missing parts come from
/// the kept copy. `None` when there is still nothing to offer. Guides never hold the rest back:
/// without them (an older collector) there are just none to offer.
pub fn merge(
    surveys: Option<Parsed<Vec<Survey>>>,
    sites: Option<Parsed<SiteTree>>,
    guides: Option<String>,
    kept: Option<Catalog>,
) -> Option<(Catalog, Source)> {
    let fresh = surveys.is_some() && sites.is_some();
    let (kept_surveys, kept_sites, kept_guides) = match kept.map(Catalog::into_parts) {
        Some((s, t, g)) => (Some(s), Some(t), Some(g)),
        None => (None, None, None),
    };
    let catalog = Catalog::new(
        surveys.or(kept_surveys)?,
        sites.or(kept_sites)?,
        guides.or(kept_guides).unwrap_or_else(|| "[]".to_owned()),
    );
    Some((
        catalog,
        if fresh {
            Source::Collector
        } else {
            Source::Kept
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SURVEY: &str = r#"{"id":"s","version":"1","title":{"it":"Titolo"},"languages":["it"],
        "sections":[{"id":"p1","questions":[{"id":"q","label":{"it":"D"},"type":"note"}]}]}"#;
    const GUIDE: &str = r#"{"id":"g","version":"1","title":{"it":"Traccia"},"languages":["it"],
        "participant_fields":[],"themes":[],
        "sections":[{"id":"a","title":{"it":"A"},"prompts":[{"id":"p","text":{"it":"Domanda"}}]}]}"#;

    #[test]
    fn surveys_bare_or_wrapped_and_unreadable_ones_skipped() {
        let bare = format!("[{SURVEY}, {{\"id\": \"broken\"}}]");
        let (surveys, json) = parse_surveys(&bare).unwrap();
        assert_eq!(surveys.len(), 1);
        assert_eq!(
            json,
            format!("[{SURVEY}]"),
            "the readable item's text, kept"
        );
        let wrapped = format!("{{\"surveys\": [{SURVEY}]}}");
        assert_eq!(parse_surveys(&wrapped).unwrap().0[0].id.as_str(), "s");
        assert!(parse_surveys("<html>").is_err());
    }

    #[test]
    fn sites_in_every_shape() {
        let d = r#"[{"id":"d","name":"D","kind":"district"}]"#;
        let tree = format!("{{\"districts\":{d}}}");
        for reply in [tree.clone(), format!("{{\"sites\":{tree}}}"), d.to_owned()] {
            let (sites, json) = parse_sites(&reply).unwrap();
            assert_eq!(sites.districts.len(), 1, "{reply}");
            assert_eq!(json, tree, "the tree's JSON is kept: {reply}");
        }
        assert!(parse_sites(r#"{"nothing": []}"#).is_err());
    }

    #[test]
    fn one_entry_per_survey_with_its_newest_version() {
        let v = |version: &str, id: &str| -> Survey {
            let mut s: Survey = serde_json::from_str(SURVEY).unwrap();
            s.version = version.into();
            s.id = voci_core::SurveyId::parse(id).unwrap();
            s
        };
        let c = Catalog {
            surveys: vec![v("1", "a"), v("2", "a"), v("1", "b")],
            ..Catalog::default()
        };
        let current: Vec<_> = c
            .current()
            .iter()
            .map(|s| (s.id.as_str(), s.version.as_str()))
            .collect();
        assert_eq!(current, [("a", "2"), ("b", "1")]);
        assert_eq!(c.latest("a").unwrap().version, "2");
        assert!(c.latest("z").is_none());
    }

    fn none<T: Default>() -> Option<Parsed<T>> {
        Some((T::default(), "[]".to_owned()))
    }

    #[test]
    fn fresh_parts_win_and_the_kept_copy_fills_gaps() {
        let kept = Catalog::new(
            parse_surveys(&format!("[{SURVEY}]")).unwrap(),
            parse_sites("[]").unwrap(),
            parse_guides(&format!("[{GUIDE}]")).unwrap(),
        );
        assert_eq!(merge(None, None, None, None), None);
        assert_eq!(merge(none(), None, None, None), None);
        let sites = || Some(parse_sites("[]").unwrap());
        let no_guides = || Some("[]".to_owned());
        let (c, src) = merge(none(), sites(), no_guides(), Some(kept.clone())).unwrap();
        assert_eq!(
            (c.surveys.len(), c.guides().0.len(), c.has_guides(), src),
            (0, 0, false, Source::Collector)
        );
        let (c, src) = merge(None, sites(), None, Some(kept.clone())).unwrap();
        assert_eq!(
            (c.surveys.len(), c.guides().0.len(), src),
            (1, 1, Source::Kept)
        );
        // Surveys and sites fresh, guides not: the kept guides stay on offer.
        let (c, src) = merge(none(), sites(), None, Some(kept.clone())).unwrap();
        assert_eq!(
            (c.guides().0.len(), c.has_guides(), src),
            (1, true, Source::Collector)
        );
        let (c, _) = merge(none(), sites(), None, None).unwrap();
        assert!(c.guides().0.is_empty() && !c.has_guides());
        // The kept copy reads back as the same catalog.
        let back = Catalog::from_json(&kept.to_json()).unwrap();
        assert_eq!(back, kept);
        assert_eq!(back.guides().0.len(), 1);
        assert_eq!(back.surveys, kept.surveys);
    }

    #[test]
    fn guides_unreadable_ones_skipped_newest_version_offered() {
        let v2 = GUIDE.replace(r#""version":"1""#, r#""version":"2""#);
        let json = parse_guides(&format!(r#"[{GUIDE}, {v2}, {{"id": "broken"}}]"#)).unwrap();
        assert_eq!(
            json,
            format!(r#"[{GUIDE},{v2},{{"id": "broken"}}]"#),
            "kept as sent"
        );
        let c = Catalog {
            json: [String::new(), String::new(), json],
            ..Catalog::default()
        };
        assert!(c.has_guides());
        let guides = c.guides();
        assert_eq!(guides.0.len(), 2, "the unreadable one left out");
        assert_eq!(guides.current().len(), 1);
        assert_eq!(guides.latest("g").unwrap().version, "2");
        assert!(parse_guides("{}").is_err());
        // A catalog kept before guides existed still reads.
        let old = Catalog::from_json(r#"{"surveys":[],"sites":{"districts":[]}}"#).unwrap();
        assert!(old.guides().0.is_empty() && !old.has_guides());
        // A survey kept by an earlier version, datetime question and all.
        let old = Catalog::from_json(&format!(
            r#"{{"surveys":[{}],"sites":{{"districts":[]}}}}"#,
            SURVEY.replace(r#""type":"note""#, r#""type":"date_time""#)
        ))
        .unwrap();
        assert_eq!(old.surveys.len(), 1);
    }
}
