//! Aggregated results (viewers and up): per-question results, cross-tabs, comparisons of two
//! periods or versions, the same as CSV or XLSX tables, and the codebook. Every count is
//! suppressed in the core before it is sent; text answers go to coordinators and admins only.

use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use voci_core::Survey;
use voci_core::results::{Comparison, CrossTab, Side, SurveyResults};

use super::query::Query;
use super::{ApiError, blocking};
use crate::accounts::{Principal, User};
use crate::audit::{self, action};
use crate::auth::Caller;
use crate::export::{self, CSV, MARKDOWN, XLSX, results_table};
use crate::results::{self as compute, ResultsError, Selection, SelectionError};
use crate::startup::AppState;

/// The user behind a request the guard let into a viewer's endpoint.
pub(super) fn user(who: Principal) -> Result<User, ApiError> {
    match who {
        Principal::User(u) => Ok(u),
        _ => Err(ApiError::Forbidden(
            "results are for signed-in users".to_owned(),
        )),
    }
}

/// The latest version of survey `id`.
pub(super) fn survey(state: &AppState, id: &str) -> Result<Survey, ApiError> {
    state
        .catalog()
        .latest(id)
        .cloned()
        .ok_or_else(|| ApiError::NotFound(format!("unknown survey {id:?}")))
}

impl From<SelectionError> for ApiError {
    fn from(e: SelectionError) -> Self {
        match e {
            SelectionError::Scope(message) => ApiError::Forbidden(message),
            other => ApiError::BadRequest(other.to_string()),
        }
    }
}

async fn compute_results(
    state: &AppState,
    user: &User,
    survey: &Survey,
    selection: &Selection,
) -> Result<SurveyResults, ApiError> {
    let filter = selection.filter(user, survey.id.as_str())?;
    let k = selection.threshold(survey)?;
    let (survey, role) = (survey.clone(), user.role);
    blocking(state, move |store| {
        Ok(compute::results(store, &survey, &filter, k, role))
    })
    .await?
    .map_err(internal)
}

fn internal(e: ResultsError) -> ApiError {
    ApiError::internal(e)
}

/// `GET /api/surveys/{id}/results?site=&from=&to=&version=&min=`.
pub async fn results(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    Query(selection): Query<Selection>,
) -> Result<axum::Json<SurveyResults>, ApiError> {
    let (user, survey) = (user(who)?, survey(&state, &id)?);
    Ok(axum::Json(
        compute_results(&state, &user, &survey, &selection).await?,
    ))
}

/// `?rows=Q&columns=Q` and the selection of [`Selection`] (spelled out: the query-string
/// reader cannot flatten numbers).
#[derive(Debug, Deserialize)]
pub struct CrossQuery {
    rows: String,
    columns: String,
    site: Option<String>,
    from: Option<String>,
    to: Option<String>,
    version: Option<String>,
    group: Option<String>,
    min: Option<u64>,
}

/// `GET /api/surveys/{id}/crosstab?rows=Q&columns=Q&...`: two single-choice or Likert
/// questions against each other, suppressed as a table with its totals.
pub async fn crosstab(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    Query(q): Query<CrossQuery>,
) -> Result<axum::Json<CrossTab>, ApiError> {
    let (user, survey) = (user(who)?, survey(&state, &id)?);
    let selection = Selection {
        site: q.site,
        from: q.from,
        to: q.to,
        version: q.version,
        group: q.group,
        min: q.min,
    };
    let filter = selection.filter(&user, survey.id.as_str())?;
    let k = selection.threshold(&survey)?;
    let (rows, columns) = (q.rows, q.columns);
    let table = blocking(&state, move |store| {
        Ok(compute::crosstab(
            store, &survey, &filter, &rows, &columns, k,
        ))
    })
    .await?
    .map_err(internal)?
    .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    Ok(axum::Json(table))
}

/// `?a_from=&a_to=&b_from=&b_to=` (two periods) or `?a_version=&b_version=` (two versions),
/// with an optional `site` and `min` for both.
#[derive(Debug, Deserialize)]
pub struct CompareQuery {
    site: Option<String>,
    group: Option<String>,
    min: Option<u64>,
    a_from: Option<String>,
    a_to: Option<String>,
    a_version: Option<String>,
    b_from: Option<String>,
    b_to: Option<String>,
    b_version: Option<String>,
}

/// `GET /api/surveys/{id}/compare?...`: T0 and T1 side by side, each suppressed on its own.
/// The two sides must not overlap (two different versions, or two periods one before the
/// other), or a count could be worked out by subtracting one side from the other.
pub async fn compare(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    Query(q): Query<CompareQuery>,
) -> Result<axum::Json<Comparison>, ApiError> {
    let (user, survey) = (user(who)?, survey(&state, &id)?);
    let side = |from: &Option<String>, to: &Option<String>, version: &Option<String>| Selection {
        site: q.site.clone(),
        from: from.clone(),
        to: to.clone(),
        version: version.clone(),
        group: q.group.clone(),
        min: q.min,
    };
    let a = side(&q.a_from, &q.a_to, &q.a_version);
    let b = side(&q.b_from, &q.b_to, &q.b_version);
    let versions_differ = matches!((&a.version, &b.version), (Some(x), Some(y)) if x != y);
    let before =
        |x: &Selection, y: &Selection| matches!((&x.to, &y.from), (Some(t), Some(f)) if t < f);
    if !versions_differ && !before(&a, &b) && !before(&b, &a) {
        return Err(ApiError::BadRequest(
            "compare two versions (a_version, b_version) or two periods that do not overlap (a_to before b_from, or b_to before a_from)".to_owned(),
        ));
    }
    let results_a = compute_results(&state, &user, &survey, &a).await?;
    let results_b = compute_results(&state, &user, &survey, &b).await?;
    Ok(axum::Json(Comparison {
        a: Side {
            label: a.describe(),
            results: results_a,
        },
        b: Side {
            label: b.describe(),
            results: results_b,
        },
    }))
}

/// `GET /api/surveys/{id}/results.csv?...`: the results as a table, one row per choice or
/// statistic (hidden counts read `<5`; never text answers).
pub async fn results_csv(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    Query(selection): Query<Selection>,
) -> Result<Response, ApiError> {
    let (rows, survey) = table(&state, who, &id, &selection, "results.csv").await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in rows {
        out.write_record(row).map_err(ApiError::internal)?;
    }
    let body = out.into_inner().map_err(ApiError::internal)?;
    Ok(export::file_download(
        format!("{}-results.csv", survey.id),
        CSV,
        body,
    ))
}

/// `GET /api/surveys/{id}/results.xlsx?...`: the same table as a workbook.
pub async fn results_xlsx(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    Query(selection): Query<Selection>,
) -> Result<Response, ApiError> {
    let (rows, survey) = table(&state, who, &id, &selection, "results.xlsx").await?;
    let body = tokio::task::spawn_blocking(move || {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("results")?;
        for (i, row) in rows.into_iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            sheet.write_row(i, 0, row)?;
        }
        workbook.save_to_buffer()
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    Ok(export::file_download(
        format!("{}-results.xlsx", survey.id),
        XLSX,
        body,
    ))
}

/// The results table of a download, recorded in the audit log first.
async fn table(
    state: &AppState,
    who: Principal,
    id: &str,
    selection: &Selection,
    file: &str,
) -> Result<(Vec<Vec<String>>, Survey), ApiError> {
    let (user, survey) = (user(who.clone())?, survey(state, id)?);
    let results = compute_results(state, &user, &survey, selection).await?;
    audit::record(
        state,
        &who,
        action::DOWNLOAD,
        format!("{id}/{file}"),
        selection.describe(),
    )
    .await?;
    let rows = results_table(&results, survey.default_language());
    Ok((rows, survey))
}

/// `GET /api/surveys/{id}/codebook.csv`: question, section, type, a label per language,
/// choices with their codes, required, shown when (in words), constraint.
pub async fn codebook_csv(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let survey = scoped_survey(&state, who.clone(), &id)?;
    audit::record(
        &state,
        &who,
        action::DOWNLOAD,
        format!("{id}/codebook.csv"),
        "",
    )
    .await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(voci_core::codebook::header(&survey))
        .map_err(ApiError::internal)?;
    for row in voci_core::codebook::rows(&survey) {
        out.write_record(row.iter().map(|c| crate::focus_groups::neutralise(c)))
            .map_err(ApiError::internal)?;
    }
    let body = out.into_inner().map_err(ApiError::internal)?;
    Ok(export::file_download(
        format!("{id}-codebook.csv"),
        CSV,
        body,
    ))
}

/// `GET /api/surveys/{id}/codebook.md`: the codebook as a Markdown document.
pub async fn codebook_md(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let survey = scoped_survey(&state, who.clone(), &id)?;
    audit::record(
        &state,
        &who,
        action::DOWNLOAD,
        format!("{id}/codebook.md"),
        "",
    )
    .await?;
    let body = voci_core::codebook::markdown(&survey).into_bytes();
    Ok(export::file_download(
        format!("{id}-codebook.md"),
        MARKDOWN,
        body,
    ))
}

/// Survey `id`, if the caller is assigned it.
fn scoped_survey(state: &AppState, who: Principal, id: &str) -> Result<Survey, ApiError> {
    let user = user(who)?;
    let survey = survey(state, id)?;
    if user.sees_survey(id) {
        Ok(survey)
    } else {
        Err(ApiError::Forbidden(format!(
            "{} is not assigned the survey {id:?}",
            user.name
        )))
    }
}
