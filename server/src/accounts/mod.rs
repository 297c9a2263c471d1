//! Who is calling: users with a role (admin, coordinator, viewer) and a scope, enrolled
//! collection devices, or nobody; and the secrets that prove it.
//!
//! - Passwords are hashed with Argon2id (a PHC string with its own salt).
//! - API tokens, login-session cookies, device tokens and enrolment codes are random and
//!   stored only as SHA-256 hashes: they are long and random, so a fast hash is enough, and a
//!   stolen database holds nothing that logs in.

pub mod commands;
mod limits;
mod secrets;

use serde::Serialize;
use voci_core::Survey;

pub use limits::{Limit, Limiter, Limits};
pub use secrets::{
    PasswordError, hash_password, hash_secret, new_enrolment_code, new_secret, normalise_code,
    verify_password,
};

use crate::store::{DeviceRecord, NewUser, UserRecord};

/// What a user may do. Ordered: each role may do everything the roles before it may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Aggregated results only, never raw rows or text answers.
    Viewer,
    /// Results, text answers and downloads of the surveys and sites assigned.
    Coordinator,
    /// Everything, and manages users, devices and enrolments.
    Admin,
}

impl Role {
    pub const NAMES: &'static [&'static str] = &["admin", "coordinator", "viewer"];

    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "admin" => Some(Self::Admin),
            "coordinator" => Some(Self::Coordinator),
            "viewer" => Some(Self::Viewer),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Coordinator => "coordinator",
            Self::Viewer => "viewer",
        }
    }
}

/// The surveys and sites a user may see. Empty lists mean every survey, every site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Scope {
    pub surveys: Vec<String>,
    /// Site paths; each takes the sites below it.
    pub sites: Vec<String>,
}

impl Scope {
    pub fn allows_survey(&self, id: &str) -> bool {
        self.surveys.is_empty() || self.surveys.iter().any(|s| s == id)
    }

    /// Whether `site` is one of the scope's sites or below one.
    pub fn allows_site(&self, site: &str) -> bool {
        self.sites.is_empty() || self.sites.iter().any(|s| within(site, s))
    }
}

/// Whether the site path `site` is `scope` or below it (`a/b` is within `a`, `a-c` is not).
pub fn within(site: &str, scope: &str) -> bool {
    site == scope
        || site
            .strip_prefix(scope)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub scope: Scope,
}

impl User {
    /// Every role except admin sees only its scope.
    pub fn scope(&self) -> Option<&Scope> {
        (self.role != Role::Admin).then_some(&self.scope)
    }

    pub fn sees_survey(&self, id: &str) -> bool {
        self.scope().is_none_or(|s| s.allows_survey(id))
    }
}

impl TryFrom<UserRecord> for User {
    type Error = UnknownRole;

    fn try_from(record: UserRecord) -> Result<Self, UnknownRole> {
        let role = Role::parse(&record.role).ok_or_else(|| UnknownRole(record.role.clone()))?;
        Ok(User {
            id: record.id,
            name: record.name,
            role,
            scope: Scope {
                surveys: record.surveys,
                sites: record.sites,
            },
        })
    }
}

/// A stored role this collector does not know (the schema's check makes it a bug).
#[derive(Debug, thiserror::Error)]
#[error("a stored user has the unknown role {0:?}")]
pub struct UnknownRole(pub String);

/// An enrolled collection device: it may submit to its surveys, and nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Device {
    pub id: i64,
    pub name: String,
    pub surveys: Vec<String>,
}

impl From<DeviceRecord> for Device {
    fn from(record: DeviceRecord) -> Self {
        Device {
            id: record.id,
            name: record.name,
            surveys: record.surveys,
        }
    }
}

/// Whoever made a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Anonymous,
    Device(Device),
    User(User),
}

impl Principal {
    /// How the audit log names it: `user:anna`, `device:3`, `anonymous`.
    pub fn actor(&self) -> String {
        match self {
            Self::Anonymous => "anonymous".to_owned(),
            Self::Device(d) => format!("device:{}", d.id),
            Self::User(u) => format!("user:{}", u.name),
        }
    }

    /// Whether it may submit responses to `survey`: an open survey takes them from anyone,
    /// an enrolled one only from a device enrolled for it.
    pub fn may_submit_to(&self, survey: &Survey) -> bool {
        use voci_core::model::Collection;
        match survey.collection {
            Collection::Open => true,
            Collection::Enrolled => match self {
                Self::Device(d) => d.surveys.iter().any(|s| s == survey.id.as_str()),
                _ => false,
            },
        }
    }
}

/// Why a user cannot be added as asked.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0:?} is not a user name: use 1 to 64 lower-case letters, digits, '.', '_' or '-'")]
    Name(String),
    #[error("unknown role {0:?} (expected one of: {names})", names = Role::NAMES.join(", "))]
    Role(String),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error("{0:?} is not a survey id")]
    Survey(String),
    #[error("{0:?} is not a site path")]
    Site(String),
}

/// A user to add, checked: a valid name and role, the password hashed, scopes well formed.
pub fn user_to_add(
    name: &str,
    role: &str,
    password: Option<&str>,
    surveys: Vec<String>,
    sites: Vec<String>,
) -> Result<NewUser, AccountError> {
    let valid_name = (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if !valid_name {
        return Err(AccountError::Name(name.to_owned()));
    }
    let role = Role::parse(role).ok_or_else(|| AccountError::Role(role.to_owned()))?;
    for s in &surveys {
        voci_core::SurveyId::parse(s).map_err(|_| AccountError::Survey(s.clone()))?;
    }
    let sites = sites
        .iter()
        .map(|s| {
            let trimmed = s.trim().trim_end_matches('/');
            voci_core::SiteId::parse(trimmed)
                .map(|id| id.to_string())
                .map_err(|_| AccountError::Site(s.clone()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let password = password.map(hash_password).transpose()?;
    Ok(NewUser {
        name: name.to_owned(),
        role: role.as_str().to_owned(),
        password,
        surveys,
        sites,
    })
}

/// `role coordinator, surveys a b, sites x, with password` for the audit log.
pub fn describe(user: &NewUser) -> String {
    let list = |l: &[String]| {
        if l.is_empty() {
            "all".to_owned()
        } else {
            l.join(" ")
        }
    };
    format!(
        "role {}, surveys {}, sites {}, {}",
        user.role,
        list(&user.surveys),
        list(&user.sites),
        if user.password.is_some() {
            "with password"
        } else {
            "no password"
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Viewer < Role::Coordinator && Role::Coordinator < Role::Admin);
        for name in Role::NAMES {
            assert_eq!(Role::parse(name).unwrap().as_str(), *name);
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn sites_are_whole_segment_prefixes() {
        assert!(within("a/b/c", "a/b"));
        assert!(within("a/b", "a/b"));
        assert!(!within("a/bc", "a/b"));
        assert!(!within("a", "a/b"));
        let scope = Scope {
            surveys: vec!["s".into()],
            sites: vec!["a/b".into(), "x".into()],
        };
        assert!(scope.allows_site("x/y") && scope.allows_site("a/b/c"));
        assert!(!scope.allows_site("a/c"));
        assert!(scope.allows_survey("s") && !scope.allows_survey("t"));
        assert!(Scope::default().allows_site("anything"));
    }
}
