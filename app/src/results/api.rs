//! The collector's endpoints the results area calls, typed, and why a call failed.
//!
//! Requests are same-origin, so the login cookie (`voci_session`, `HttpOnly`) goes with each
//! one by itself; this code never sees it.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use voci_core::results::{Comparison, CrossTab, SurveyResults};
use voci_core::{SiteTree, Survey};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestCache, RequestInit};

use crate::query::{self, Selection};

/// What a user may do (the collector's roles, in order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Viewer,
    Coordinator,
    Admin,
}

impl Role {
    /// Raw rows and text answers: coordinators and admins.
    pub fn sees_raw(self) -> bool {
        self >= Self::Coordinator
    }
}

/// The surveys and sites a user is assigned; empty lists mean all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Scope {
    #[serde(default)]
    pub surveys: Vec<String>,
    #[serde(default)]
    pub sites: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub scope: Scope,
}

impl User {
    /// The scope that applies: admins are not scoped.
    pub fn scope(&self) -> Scope {
        if self.role == Role::Admin {
            Scope::default()
        } else {
            self.scope.clone()
        }
    }
}

/// `GET /api/me`: a user, or an enrolled tablet (which may not read results).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Me {
    User(User),
    Device {},
}

/// Why a call did not give what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No HTTP answer: no network, or the collector is down.
    Offline,
    /// 401: not signed in (any more).
    SignedOut,
    /// 429 at sign-in: wait this many seconds.
    RateLimited(u64),
    /// Any other refusal, with the collector's message (`{"error": "..."}`).
    Refused { status: u16, message: String },
}

impl Failure {
    /// A refusal read from a status and the collector's error body.
    pub fn from_reply(status: u16, body: &str) -> Self {
        #[derive(Deserialize)]
        struct Error {
            error: String,
        }
        let message = serde_json::from_str::<Error>(body)
            .map(|e| e.error)
            .unwrap_or_default();
        match status {
            401 => Self::SignedOut,
            _ => Self::Refused { status, message },
        }
    }
}

/// An HTTP answer.
pub struct Reply {
    pub status: u16,
    pub body: String,
    /// `Retry-After`, in seconds.
    pub retry_after: Option<u64>,
}

impl Reply {
    fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn json<T: DeserializeOwned>(self) -> Result<T, Failure> {
        if !self.ok() {
            return Err(Failure::from_reply(self.status, &self.body));
        }
        serde_json::from_str(&self.body).map_err(|e| Failure::Refused {
            status: self.status,
            message: format!("unreadable answer: {e}"),
        })
    }
}

/// A same-origin request with an optional JSON body.
pub async fn fetch(method: &str, url: &str, json: Option<&str>) -> Result<Reply, Failure> {
    let offline = |_| Failure::Offline;
    let init = RequestInit::new();
    init.set_method(method);
    init.set_cache(RequestCache::NoStore);
    let headers = Headers::new().map_err(offline)?;
    headers.set("Accept", "application/json").map_err(offline)?;
    if let Some(body) = json {
        headers
            .set("Content-Type", "application/json")
            .map_err(offline)?;
        init.set_body(&JsValue::from_str(body));
    }
    init.set_headers(&headers);
    let response = JsFuture::from(leptos::prelude::window().fetch_with_str_and_init(url, &init))
        .await
        .map_err(offline)?;
    let response: web_sys::Response = response.dyn_into().map_err(offline)?;
    let text = JsFuture::from(response.text().map_err(offline)?)
        .await
        .map_err(offline)?;
    let retry_after = response
        .headers()
        .get("Retry-After")
        .ok()
        .flatten()
        .and_then(|s| s.trim().parse().ok());
    Ok(Reply {
        status: response.status(),
        body: text.as_string().unwrap_or_default(),
        retry_after,
    })
}

async fn get<T: DeserializeOwned>(url: &str) -> Result<T, Failure> {
    fetch("GET", url, None).await?.json()
}

/// `POST /api/login`: sets the login cookie and answers the user.
pub async fn login(name: &str, password: &str) -> Result<Me, Failure> {
    let body = serde_json::json!({ "name": name, "password": password }).to_string();
    let reply = fetch("POST", "/api/login", Some(&body)).await?;
    if reply.status == 429 {
        return Err(Failure::RateLimited(reply.retry_after.unwrap_or(60)));
    }
    reply.json()
}

/// `POST /api/logout`: ends the login session and clears the cookie.
pub async fn logout() -> Result<(), Failure> {
    let reply = fetch("POST", "/api/logout", None).await?;
    if reply.ok() {
        Ok(())
    } else {
        Err(Failure::from_reply(reply.status, &reply.body))
    }
}

/// `GET /api/me`.
pub async fn me() -> Result<Me, Failure> {
    get("/api/me").await
}

/// `GET /api/surveys`: every version of every survey, oldest first. A survey this build
/// cannot read is left out rather than hiding the others.
pub async fn surveys() -> Result<Vec<Survey>, Failure> {
    let all: Vec<serde_json::Value> = get("/api/surveys").await?;
    Ok(all
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect())
}

/// `GET /api/sites`.
pub async fn sites() -> Result<SiteTree, Failure> {
    get("/api/sites").await
}

/// The path of a survey's endpoint or file (`/api/surveys/{id}/results.csv`).
pub fn survey_path(survey: &str, what: &str) -> String {
    format!("/api/surveys/{}/{what}", query::encode(survey))
}

/// `GET /api/surveys/{id}/results?...`.
pub async fn results(survey: &str, selection: &Selection) -> Result<SurveyResults, Failure> {
    get(&format!(
        "{}{}",
        survey_path(survey, "results"),
        selection.query()
    ))
    .await
}

/// `GET /api/surveys/{id}/crosstab?rows=&columns=&...`.
pub async fn crosstab(
    survey: &str,
    rows: &str,
    columns: &str,
    selection: &Selection,
) -> Result<CrossTab, Failure> {
    let mut pairs = vec![("rows", rows.to_owned()), ("columns", columns.to_owned())];
    pairs.extend(selection.pairs());
    get(&format!(
        "{}{}",
        survey_path(survey, "crosstab"),
        query::query(&pairs)
    ))
    .await
}

/// `GET /api/surveys/{id}/compare?...`.
pub async fn compare(
    survey: &str,
    comparison: &query::Comparison,
    site: Option<&str>,
) -> Result<Comparison, Failure> {
    get(&format!(
        "{}{}",
        survey_path(survey, "compare"),
        comparison.query(site)
    ))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn me_reads_users_and_devices() {
        let me: Me = serde_json::from_str(
            r#"{"kind":"user","id":3,"name":"vera","role":"viewer","scope":{"surveys":["s"],"sites":[]}}"#,
        )
        .unwrap();
        let Me::User(u) = me else { panic!("a user") };
        assert_eq!((u.name.as_str(), u.role), ("vera", Role::Viewer));
        assert!(!u.role.sees_raw() && Role::Coordinator.sees_raw());
        assert_eq!(u.scope().surveys, ["s"]);
        let device: Me =
            serde_json::from_str(r#"{"kind":"device","id":1,"name":"t","surveys":[]}"#).unwrap();
        assert_eq!(device, Me::Device {});
    }

    #[test]
    fn refusals_keep_the_collectors_message() {
        assert_eq!(Failure::from_reply(401, ""), Failure::SignedOut);
        assert_eq!(
            Failure::from_reply(403, r#"{"error":"vera is not assigned the survey"}"#),
            Failure::Refused {
                status: 403,
                message: "vera is not assigned the survey".into()
            }
        );
    }

    #[test]
    fn admins_are_not_scoped() {
        let admin = User {
            name: "admin".into(),
            role: Role::Admin,
            scope: Scope {
                surveys: vec!["s".into()],
                sites: vec![],
            },
        };
        assert_eq!(admin.scope(), Scope::default());
    }
}
