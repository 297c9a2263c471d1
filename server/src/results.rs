//! Results for coordinators and viewers: which responses a request selects (its site, dates
//! and versions, within the caller's scope), and the core's aggregation run over them as they
//! stream from the database. Suppression happens in the core, before anything is sent.

use serde::Deserialize;
use voci_core::response::{Needed, ResponseRef};
use voci_core::results::{CrossTab, CrossTabError, CrossTally, Options, SurveyResults, Tally};
use voci_core::{SiteId, Survey};

use crate::accounts::{Role, User};
use crate::scan;
use crate::store::{ResponseFilter, Store, StoreError};

/// `?site=&from=&to=&version=&min=` of every results endpoint and download.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Selection {
    /// A site path: that site and below (`ambito-5-melzo/melzo`).
    pub site: Option<String>,
    /// Submitted on or after this day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Submitted on or before this day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Only this survey version.
    pub version: Option<String>,
    /// Only this class or group (the label a classroom session recorded with each response).
    pub group: Option<String>,
    /// A threshold above the survey's own (it cannot be lowered).
    pub min: Option<u64>,
}

/// Why a selection cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum SelectionError {
    #[error("{0:?} is not a site path")]
    Site(String),
    #[error("{0:?} is not a day: write it as YYYY-MM-DD")]
    Date(String),
    #[error("from {from} is after to {to}")]
    Dates { from: String, to: String },
    #[error(
        "min={min}: counts below {floor} are always hidden for this survey; min can only raise that"
    )]
    Min { min: u64, floor: u64 },
    /// The caller's scope does not cover it (403).
    #[error("{0}")]
    Scope(String),
}

impl Selection {
    /// The responses to `survey` this selects for `user`: a coordinator or viewer with sites
    /// assigned sees those sites only, and may narrow to one of them or below.
    pub fn filter(&self, user: &User, survey: &str) -> Result<ResponseFilter, SelectionError> {
        if !user.sees_survey(survey) {
            return Err(SelectionError::Scope(format!(
                "{} is not assigned the survey {survey:?}",
                user.name
            )));
        }
        let site = self
            .site
            .as_deref()
            .map(|s| {
                let trimmed = s.trim().trim_end_matches('/');
                SiteId::parse(trimmed)
                    .map(|id| id.to_string())
                    .map_err(|_| SelectionError::Site(s.to_owned()))
            })
            .transpose()?;
        let assigned = user.scope().map(|s| s.sites.clone()).unwrap_or_default();
        let sites = match (site, assigned.is_empty()) {
            (None, true) => None,
            (None, false) => Some(assigned),
            (Some(site), true) => Some(vec![site]),
            (Some(site), false) => {
                if user.scope.allows_site(&site) {
                    Some(vec![site])
                } else {
                    return Err(SelectionError::Scope(format!(
                        "{} is assigned the sites {}, and {site} is not one of them",
                        user.name,
                        assigned.join(", ")
                    )));
                }
            }
        };
        let day = |d: &Option<String>| -> Result<Option<String>, SelectionError> {
            match d {
                None => Ok(None),
                Some(d) if is_day(d) => Ok(Some(d.clone())),
                Some(d) => Err(SelectionError::Date(d.clone())),
            }
        };
        let (from, to) = (day(&self.from)?, day(&self.to)?);
        if let (Some(f), Some(t)) = (&from, &to)
            && f > t
        {
            return Err(SelectionError::Dates {
                from: f.clone(),
                to: t.clone(),
            });
        }
        Ok(ResponseFilter {
            survey: survey.to_owned(),
            versions: self.version.clone().map(|v| vec![v]),
            sites,
            from,
            to,
            group: self.group.clone().filter(|g| !g.trim().is_empty()),
        })
    }

    /// The threshold: the survey's, or `min` when higher.
    pub fn threshold(&self, survey: &Survey) -> Result<u64, SelectionError> {
        let floor = u64::from(survey.min_count);
        match self.min {
            None => Ok(floor),
            Some(min) if min >= floor => Ok(min),
            Some(min) => Err(SelectionError::Min { min, floor }),
        }
    }

    /// In words, for the audit log and comparisons: `site x, 2026-01-01..2026-03-31`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.site {
            parts.push(format!("site {s}"));
        }
        if self.from.is_some() || self.to.is_some() {
            parts.push(format!(
                "{}..{}",
                self.from.as_deref().unwrap_or(""),
                self.to.as_deref().unwrap_or("")
            ));
        }
        if let Some(v) = &self.version {
            parts.push(format!("version {v}"));
        }
        if let Some(g) = &self.group {
            parts.push(format!("group {g}"));
        }
        if parts.is_empty() {
            "all".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

/// `YYYY-MM-DD` with plausible numbers.
fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}

/// Why results could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a stored response cannot be read back")]
    Payload(#[from] serde_json::Error),
}

/// Adds up the responses `filter` selects, read with the answers `needed`, on all cores:
/// each batch into a part made by `new` and filled by `add`; the parts go to `merge` in the
/// order they were read.
fn add_up<P: Send>(
    store: &Store,
    filter: &ResponseFilter,
    needed: &Needed<'_>,
    new: impl Fn() -> P + Sync,
    add: impl Fn(&mut P, &ResponseRef<'_>) + Sync,
    mut merge: impl FnMut(P),
) -> Result<(), ResultsError> {
    scan::ordered(
        store,
        filter,
        |batch| {
            let mut part = new();
            for payload in batch.iter() {
                add(&mut part, &ResponseRef::read(payload, needed)?);
            }
            Ok(part)
        },
        |part| {
            merge(part);
            Ok(())
        },
    )
}

/// The results of `survey` over the responses `filter` selects. Text answers are listed only
/// for coordinators and admins.
pub fn results(
    store: &Store,
    survey: &Survey,
    filter: &ResponseFilter,
    min_count: u64,
    role: Role,
) -> Result<SurveyResults, ResultsError> {
    let options = Options::new(min_count, role >= Role::Coordinator);
    let mut tally = Tally::new(survey);
    add_up(
        store,
        filter,
        &tally.needed(),
        || Tally::new(survey),
        |part, r| part.add_ref(r, &options),
        |part| tally.merge(part, &options),
    )?;
    Ok(tally.finish(&options))
}

/// The cross-tab of two questions of `survey` over the responses `filter` selects.
pub fn crosstab(
    store: &Store,
    survey: &Survey,
    filter: &ResponseFilter,
    rows: &str,
    columns: &str,
    min_count: u64,
) -> Result<Result<CrossTab, CrossTabError>, ResultsError> {
    let mut tally = match CrossTally::new(survey, rows, columns) {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let new = || CrossTally::new(survey, rows, columns).expect("it was made above");
    add_up(
        store,
        filter,
        &tally.needed(),
        new,
        |part, r| part.add_ref(r),
        |part| tally.merge(part),
    )?;
    Ok(Ok(tally.finish(min_count)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::Scope;

    fn user(role: Role, sites: &[&str]) -> User {
        User {
            id: 1,
            name: "anna".into(),
            role,
            scope: Scope {
                surveys: vec!["s".into()],
                sites: sites.iter().map(|s| (*s).to_owned()).collect(),
            },
        }
    }

    #[test]
    fn a_scoped_user_sees_only_their_sites_and_surveys() {
        let anna = user(Role::Coordinator, &["a/melzo"]);
        let all = Selection::default();
        assert_eq!(
            all.filter(&anna, "s").unwrap().sites,
            Some(vec!["a/melzo".to_owned()])
        );
        let narrower = Selection {
            site: Some("a/melzo/ic/".into()),
            ..Default::default()
        };
        assert_eq!(
            narrower.filter(&anna, "s").unwrap().sites,
            Some(vec!["a/melzo/ic".to_owned()])
        );
        let elsewhere = Selection {
            site: Some("a/melzone".into()),
            ..Default::default()
        };
        assert!(matches!(
            elsewhere.filter(&anna, "s"),
            Err(SelectionError::Scope(_))
        ));
        assert!(matches!(
            all.filter(&anna, "t"),
            Err(SelectionError::Scope(_))
        ));
        // Admins are not scoped.
        let admin = user(Role::Admin, &["a/melzo"]);
        assert_eq!(
            elsewhere.filter(&admin, "t").unwrap().sites,
            Some(vec!["a/melzone".to_owned()])
        );
    }

    #[test]
    fn dates_and_thresholds_are_checked() {
        let admin = user(Role::Admin, &[]);
        let bad = Selection {
            from: Some("2026-13-01".into()),
            ..Default::default()
        };
        assert!(matches!(
            bad.filter(&admin, "s"),
            Err(SelectionError::Date(_))
        ));
        let reversed = Selection {
            from: Some("2026-03-01".into()),
            to: Some("2026-01-01".into()),
            ..Default::default()
        };
        assert!(matches!(
            reversed.filter(&admin, "s"),
            Err(SelectionError::Dates { .. })
        ));
        let ok = Selection {
            from: Some("2026-01-01".into()),
            to: Some("2026-03-01".into()),
            version: Some("2".into()),
            ..Default::default()
        };
        let f = ok.filter(&admin, "s").unwrap();
        assert_eq!(
            (f.from.as_deref(), f.versions),
            (Some("2026-01-01"), Some(vec!["2".to_owned()]))
        );
        assert_eq!(ok.describe(), "2026-01-01..2026-03-01, version 2");
    }
}
