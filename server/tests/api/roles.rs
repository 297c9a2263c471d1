//! Every endpoint × every kind of caller: anonymous, an enrolled device, a viewer, a
//! coordinator and an admin are let in or refused (401 without credentials, 403 with too
//! few) as this table says. The table must list exactly the router's endpoints: one added
//! without an entry here fails the test.

use reqwest::Method;
use serde_json::json;
use voci_server::{Access, endpoints};

use crate::helpers::spawn_collector;

/// The lowest caller each endpoint lets in, and a concrete path to call it at.
const TABLE: &[(&str, &str, Access, &str)] = {
    use Access::*;
    &[
        ("GET", "/health", Public, "/api/health"),
        ("GET", "/surveys", Public, "/api/surveys"),
        ("GET", "/sites", Public, "/api/sites"),
        ("GET", "/guides", Public, "/api/guides"),
        ("POST", "/login", Public, "/api/login"),
        ("POST", "/logout", Public, "/api/logout"),
        ("POST", "/devices/enrol", Public, "/api/devices/enrol"),
        ("POST", "/responses", Submit, "/api/responses"),
        ("POST", "/responses/batch", Submit, "/api/responses/batch"),
        ("POST", "/sessions/batch", Submit, "/api/sessions/batch"),
        ("GET", "/me", Signed, "/api/me"),
        (
            "GET",
            "/surveys/{id}/results",
            Viewer,
            "/api/surveys/giovani/results",
        ),
        (
            "GET",
            "/surveys/{id}/crosstab",
            Viewer,
            "/api/surveys/giovani/crosstab?rows=spazio&columns=spazio",
        ),
        (
            "GET",
            "/surveys/{id}/compare",
            Viewer,
            "/api/surveys/giovani/compare?a_version=1&b_version=2",
        ),
        (
            "GET",
            "/surveys/{id}/results.csv",
            Viewer,
            "/api/surveys/giovani/results.csv",
        ),
        (
            "GET",
            "/surveys/{id}/results.xlsx",
            Viewer,
            "/api/surveys/giovani/results.xlsx",
        ),
        (
            "GET",
            "/surveys/{id}/codebook.csv",
            Viewer,
            "/api/surveys/giovani/codebook.csv",
        ),
        (
            "GET",
            "/surveys/{id}/codebook.md",
            Viewer,
            "/api/surveys/giovani/codebook.md",
        ),
        (
            "GET",
            "/surveys/{id}/responses.csv",
            Coordinator,
            "/api/surveys/giovani/responses.csv",
        ),
        (
            "GET",
            "/surveys/{id}/responses.xlsx",
            Coordinator,
            "/api/surveys/giovani/responses.xlsx",
        ),
        (
            "GET",
            "/guides/{id}/sessions",
            Coordinator,
            "/api/guides/ascolto/sessions",
        ),
        (
            "GET",
            "/guides/{id}/themes",
            Viewer,
            "/api/guides/ascolto/themes",
        ),
        (
            "GET",
            "/guides/{id}/{file}",
            Coordinator,
            "/api/guides/ascolto/notes.csv",
        ),
        (
            "GET",
            "/sessions/{id}",
            Coordinator,
            "/api/sessions/0b7e5a4c-8f0e-4c1a-9d3b-2f6a1e9c7d40",
        ),
        ("POST", "/import", Admin, "/api/import"),
        ("GET", "/audit", Admin, "/api/audit"),
        ("GET", "/users", Admin, "/api/users"),
        ("POST", "/users", Admin, "/api/users"),
        ("DELETE", "/users/{name}", Admin, "/api/users/nobody"),
        ("GET", "/enrolments", Admin, "/api/enrolments"),
        ("POST", "/enrolments", Admin, "/api/enrolments"),
        ("DELETE", "/enrolments/{id}", Admin, "/api/enrolments/999"),
        ("GET", "/devices", Admin, "/api/devices"),
        ("DELETE", "/devices/{id}", Admin, "/api/devices/999"),
    ]
};

#[test]
fn the_table_lists_exactly_the_routers_endpoints() {
    let router: Vec<(String, &str, Access)> = endpoints()
        .into_iter()
        .map(|e| (e.method.to_string(), e.path, e.access))
        .collect();
    let table: Vec<(String, &str, Access)> = TABLE
        .iter()
        .map(|&(m, p, a, _)| (m.to_owned(), p, a))
        .collect();
    for e in &router {
        assert!(
            table.contains(e),
            "the router has {e:?}, which this test's table lacks"
        );
    }
    for e in &table {
        assert!(
            router.contains(e),
            "the table has {e:?}, which the router lacks"
        );
    }
}

/// Callers from the least to the most trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Device,
    Viewer,
    Coordinator,
    Admin,
}

/// Whether `access` lets `caller` in; if not, the status it answers.
fn expected(access: Access, caller: Caller) -> Result<(), u16> {
    use Caller::*;
    let rank = |c: Caller| match c {
        Anonymous | Device => 0,
        Viewer => 1,
        Coordinator => 2,
        Admin => 3,
    };
    let needed = match access {
        Access::Public | Access::Submit => return Ok(()),
        Access::Signed => {
            return if caller == Anonymous {
                Err(401)
            } else {
                Ok(())
            };
        }
        Access::Viewer => 1,
        Access::Coordinator => 2,
        Access::Admin => 3,
    };
    match caller {
        Anonymous => Err(401),
        c if rank(c) >= needed => Ok(()),
        _ => Err(403),
    }
}

#[tokio::test]
async fn every_endpoint_refuses_the_callers_below_its_access() {
    let app = spawn_collector().await;
    let viewer = app.add_user("vera", "viewer", &[], &[]).await;
    let coordinator = app.add_user("carla", "coordinator", &[], &[]).await;
    let device = app.device_token(&["giovani"]).await;
    let callers = [
        (Caller::Anonymous, None),
        (Caller::Device, Some(device.as_str())),
        (Caller::Viewer, Some(viewer.as_str())),
        (Caller::Coordinator, Some(coordinator.as_str())),
        (Caller::Admin, Some(app.admin_token.as_str())),
    ];
    let mut checked = 0;
    for &(method, template, access, path) in TABLE {
        let method: Method = method.parse().unwrap();
        // Bodies the endpoints refuse as malformed: no call here changes anything.
        let body = (method == Method::POST).then(|| json!({}));
        for (caller, token) in callers {
            let res = app.call(method.clone(), path, token, body.as_ref()).await;
            let status = res.status().as_u16();
            match expected(access, caller) {
                Ok(()) => assert!(
                    status != 401 && status != 403,
                    "{method} {template} refused {caller:?} with {status}"
                ),
                Err(refused) => assert_eq!(
                    status, refused,
                    "{method} {template} answered {caller:?} with {status}, not {refused}"
                ),
            }
            checked += 1;
        }
    }
    assert_eq!(checked, TABLE.len() * 5);
}

#[tokio::test]
async fn a_wrong_token_is_401_even_where_anyone_may_submit() {
    let app = spawn_collector().await;
    let res = app
        .call(Method::GET, "/api/me", Some("not-a-token"), None)
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    let res = app
        .call(
            Method::POST,
            "/api/responses",
            Some("not-a-token"),
            Some(&json!({})),
        )
        .await;
    assert_eq!(
        res.status(),
        401,
        "a revoked device learns it must enrol again"
    );
    // Public endpoints do not read credentials: a stale token does not block the app.
    let res = app
        .call(Method::GET, "/api/surveys", Some("not-a-token"), None)
        .await;
    assert_eq!(res.status(), 200);
}
