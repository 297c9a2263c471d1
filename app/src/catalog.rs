//! The surveys, focus-group guides and sites the app can run, as downloaded from the collector
//! or kept from last time.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use voci_core::guide::Guide;
use voci_core::{SiteTree, Survey};

/// What the home screen offers: every survey, every focus-group guide and every site.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    pub surveys: Vec<Survey>,
    pub sites: SiteTree,
    /// Every guide version, oldest first (a copy kept before guides existed has none).
    #[serde(default)]
    pub guides: Vec<Guide>,
}

impl Catalog {
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

    /// The newest version of a guide (the collector lists versions oldest first).
    pub fn latest_guide(&self, id: &str) -> Option<&Guide> {
        self.guides.iter().rfind(|g| g.id.as_str() == id)
    }

    /// One guide per id (its newest version), in the collector's order.
    pub fn current_guides(&self) -> Vec<&Guide> {
        let mut out: Vec<&Guide> = Vec::new();
        for g in &self.guides {
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
/// Each item is kept as its raw text and read by the same parser as the kept catalog (reading
/// through `serde_json::Value` would add a second copy of every survey type's reader).
pub fn parse_surveys(json: &str) -> Result<Vec<Survey>, serde_json::Error> {
    #[derive(Deserialize)]
    struct Wrapped<'a> {
        #[serde(borrow)]
        surveys: Vec<&'a RawValue>,
    }
    let items = if is_list(json) {
        serde_json::from_str(json)?
    } else {
        serde_json::from_str::<Wrapped>(json)?.surveys
    };
    Ok(each_readable(items))
}

/// Reads `GET /api/guides`: a list of guides. One this version of the app cannot read is left
/// out rather than hiding the others.
pub fn parse_guides(json: &str) -> Result<Vec<Guide>, serde_json::Error> {
    let items: Vec<&RawValue> = serde_json::from_str(json)?;
    Ok(each_readable(items))
}

/// Reads `GET /api/sites`: a site tree, as `{"districts": [...]}`, `{"sites": {...}}` or a bare list.
pub fn parse_sites(json: &str) -> Result<SiteTree, serde_json::Error> {
    #[derive(Deserialize)]
    struct Wrapped<'a> {
        #[serde(borrow)]
        districts: Option<&'a RawValue>,
        #[serde(borrow)]
        sites: Option<&'a RawValue>,
    }
    if is_list(json) {
        return Ok(SiteTree {
            districts: serde_json::from_str(json)?,
        });
    }
    let reply: Wrapped = serde_json::from_str(json)?;
    // The tree itself first, then the tree under `sites`.
    let tree = reply
        .districts
        .and_then(|d| serde_json::from_str(d.get()).ok())
        .map(|districts| SiteTree { districts });
    match (tree, reply.sites) {
        (Some(tree), _) => Ok(tree),
        (None, Some(sites)) => serde_json::from_str(sites.get()),
        (None, None) => Err(serde::de::Error::missing_field("districts")),
    }
}

/// Whether a reply is a bare JSON list rather than an object.
fn is_list(json: &str) -> bool {
    json.trim_start().starts_with('[')
}

/// The items that read as a `T`, in order.
fn each_readable<T: DeserializeOwned>(items: Vec<&RawValue>) -> Vec<T> {
    items
        .into_iter()
        .filter_map(|v| serde_json::from_str(v.get()).ok())
        .collect()
}

/// Combines what was downloaded with the kept copy: fresh parts win, missing parts come from
/// the kept copy. `None` when there is still nothing to offer. Guides never hold the rest back:
/// without them (an older collector) there are just none to offer.
pub fn merge(
    surveys: Option<Vec<Survey>>,
    sites: Option<SiteTree>,
    guides: Option<Vec<Guide>>,
    kept: Option<Catalog>,
) -> Option<(Catalog, Source)> {
    let fresh = surveys.is_some() && sites.is_some();
    let (kept_surveys, kept_sites, kept_guides) = match kept {
        Some(c) => (Some(c.surveys), Some(c.sites), Some(c.guides)),
        None => (None, None, None),
    };
    let catalog = Catalog {
        surveys: surveys.or(kept_surveys)?,
        sites: sites.or(kept_sites)?,
        guides: guides.or(kept_guides).unwrap_or_default(),
    };
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
        assert_eq!(parse_surveys(&bare).unwrap().len(), 1);
        let wrapped = format!("{{\"surveys\": [{SURVEY}]}}");
        assert_eq!(parse_surveys(&wrapped).unwrap()[0].id.as_str(), "s");
        assert!(parse_surveys("<html>").is_err());
    }

    #[test]
    fn sites_in_every_shape() {
        let d = r#"[{"id":"d","name":"D","kind":"district"}]"#;
        assert_eq!(
            parse_sites(&format!("{{\"districts\":{d}}}"))
                .unwrap()
                .districts
                .len(),
            1
        );
        assert_eq!(
            parse_sites(&format!("{{\"sites\":{{\"districts\":{d}}}}}"))
                .unwrap()
                .districts
                .len(),
            1
        );
        assert_eq!(parse_sites(d).unwrap().districts.len(), 1);
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

    #[test]
    fn fresh_parts_win_and_the_kept_copy_fills_gaps() {
        let survey: Survey = serde_json::from_str(SURVEY).unwrap();
        let kept = Catalog {
            surveys: vec![survey.clone()],
            guides: parse_guides(&format!("[{GUIDE}]")).unwrap(),
            ..Catalog::default()
        };
        assert_eq!(merge(None, None, None, None), None);
        assert_eq!(merge(Some(vec![]), None, None, None), None);
        let sites = || Some(SiteTree::default());
        let (c, src) = merge(Some(vec![]), sites(), Some(vec![]), Some(kept.clone())).unwrap();
        assert_eq!(
            (c.surveys.len(), c.guides.len(), src),
            (0, 0, Source::Collector)
        );
        let (c, src) = merge(None, sites(), None, Some(kept.clone())).unwrap();
        assert_eq!((c.surveys.len(), c.guides.len(), src), (1, 1, Source::Kept));
        // Surveys and sites fresh, guides not: the kept guides stay on offer.
        let (c, src) = merge(Some(vec![]), sites(), None, Some(kept)).unwrap();
        assert_eq!((c.guides.len(), src), (1, Source::Collector));
        let (c, _) = merge(Some(vec![]), sites(), None, None).unwrap();
        assert!(c.guides.is_empty());
    }

    #[test]
    fn guides_unreadable_ones_skipped_newest_version_offered() {
        let v2 = GUIDE.replace(r#""version":"1""#, r#""version":"2""#);
        let guides = parse_guides(&format!(r#"[{GUIDE}, {v2}, {{"id": "broken"}}]"#)).unwrap();
        assert_eq!(guides.len(), 2);
        let c = Catalog {
            guides,
            ..Catalog::default()
        };
        assert_eq!(c.current_guides().len(), 1);
        assert_eq!(c.latest_guide("g").unwrap().version, "2");
        // A catalog kept before guides existed still reads.
        let old: Catalog =
            serde_json::from_str(r#"{"surveys":[],"sites":{"districts":[]}}"#).unwrap();
        assert!(old.guides.is_empty());
    }
}
