//! The filters of the results area as the collector's query strings, and the sites a user may
//! choose among. The collector checks both again; this only keeps the screen honest.

use voci_core::{Site, SiteTree, Survey};

/// The filters of every results request and download: `?site=&from=&to=&version=&group=`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// A site path: that site and the sites below it.
    pub site: Option<String>,
    /// Submitted on or after this day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Submitted on or before this day.
    pub to: Option<String>,
    pub version: Option<String>,
    /// A class or group label, as a classroom session recorded it.
    pub group: Option<String>,
}

impl Selection {
    /// The query string (with its `?`, empty without filters).
    pub fn query(&self) -> String {
        query(&self.pairs())
    }

    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("site", &self.site),
            ("from", &self.from),
            ("to", &self.to),
            ("version", &self.version),
            ("group", &self.group),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k, v)))
        .collect()
    }
}

/// Blank form fields are no filter.
pub fn field(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

/// T0 against T1: two versions, or two periods, at the same site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    Versions {
        a: String,
        b: String,
    },
    Periods {
        a: (Option<String>, Option<String>),
        b: (Option<String>, Option<String>),
    },
}

impl Comparison {
    /// `?site=&a_version=&b_version=` or `?site=&a_from=&a_to=&b_from=&b_to=`.
    pub fn query(&self, site: Option<&str>) -> String {
        let mut pairs: Vec<(&'static str, String)> = Vec::new();
        if let Some(s) = site {
            pairs.push(("site", s.to_owned()));
        }
        match self {
            Self::Versions { a, b } => {
                pairs.push(("a_version", a.clone()));
                pairs.push(("b_version", b.clone()));
            }
            Self::Periods { a, b } => {
                for (key, value) in [
                    ("a_from", &a.0),
                    ("a_to", &a.1),
                    ("b_from", &b.0),
                    ("b_to", &b.1),
                ] {
                    if let Some(v) = value {
                        pairs.push((key, v.clone()));
                    }
                }
            }
        }
        query(&pairs)
    }
}

/// `?k=v&k=v`, values percent-encoded.
pub fn query(pairs: &[(&str, String)]) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    format!("?{}", parts.join("&"))
}

/// Percent-encodes everything but unreserved characters and `/` (site paths read better).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The sites a user may choose, with their depth (district 0, municipality 1, school 2): every
/// site for a user without assigned sites, else the assigned ones and the sites below them.
pub fn allowed_sites<'t>(tree: &'t SiteTree, assigned: &[String]) -> Vec<(usize, &'t Site)> {
    tree.flatten()
        .into_iter()
        .filter(|(_, s)| assigned.is_empty() || assigned.iter().any(|a| within(s.id.as_str(), a)))
        .collect()
}

/// Whether the site path `site` is `scope` or below it (`a/b` is within `a`, `a-c` is not).
fn within(site: &str, scope: &str) -> bool {
    site == scope
        || site
            .strip_prefix(scope)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// The versions of survey `id` among `surveys` (the collector lists them oldest first).
pub fn versions(surveys: &[Survey], id: &str) -> Vec<String> {
    surveys
        .iter()
        .filter(|s| s.id.as_str() == id)
        .map(|s| s.version.clone())
        .collect()
}

/// One survey per id, its newest version, in the collector's order, among those the user is
/// assigned (all of them when none are).
pub fn current<'s>(surveys: &'s [Survey], assigned: &[String]) -> Vec<&'s Survey> {
    let mut out: Vec<&Survey> = Vec::new();
    for s in surveys {
        if !assigned.is_empty() && !assigned.iter().any(|a| a == s.id.as_str()) {
            continue;
        }
        match out.iter_mut().find(|o| o.id == s.id) {
            Some(o) => *o = s,
            None => out.push(s),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_a_query_string() {
        assert_eq!(Selection::default().query(), "");
        let s = Selection {
            site: Some("ambito-5-melzo/melzo".into()),
            from: Some("2026-01-01".into()),
            to: None,
            version: Some("2026 b&c".into()),
            group: Some("3B".into()),
        };
        assert_eq!(
            s.query(),
            "?site=ambito-5-melzo/melzo&from=2026-01-01&version=2026%20b%26c&group=3B"
        );
        assert_eq!(field("  "), None);
        assert_eq!(field(" 2026-01-01 "), Some("2026-01-01".into()));
    }

    #[test]
    fn comparisons_name_both_sides() {
        let v = Comparison::Versions {
            a: "1".into(),
            b: "2".into(),
        };
        assert_eq!(v.query(Some("a/b")), "?site=a/b&a_version=1&b_version=2");
        let p = Comparison::Periods {
            a: (None, Some("2025-12-31".into())),
            b: (Some("2026-01-01".into()), None),
        };
        assert_eq!(p.query(None), "?a_to=2025-12-31&b_from=2026-01-01");
    }

    #[test]
    fn a_user_picks_among_their_sites_and_below() {
        let tree: SiteTree = serde_json::from_value(serde_json::json!({"districts": [
            {"id": "a5", "name": "Ambito 5", "kind": "district", "children": [
                {"id": "a5/melzo", "name": "Melzo", "kind": "municipality", "children": [
                    {"id": "a5/melzo/ic", "name": "IC", "kind": "school"}]},
                {"id": "a5/melzone", "name": "Melzone", "kind": "municipality"}]}]}))
        .expect("a site tree");
        assert_eq!(allowed_sites(&tree, &[]).len(), 4);
        let mine: Vec<(usize, &str)> = allowed_sites(&tree, &["a5/melzo".to_owned()])
            .into_iter()
            .map(|(d, s)| (d, s.id.as_str()))
            .collect();
        assert_eq!(mine, [(1, "a5/melzo"), (2, "a5/melzo/ic")]);
    }
}
