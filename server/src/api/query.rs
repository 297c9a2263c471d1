//! A query-string extractor whose rejections are [`ApiError`]s, so a malformed query gets a
//! JSON answer (axum's own `Query` rejects in plain text).

use axum::extract::FromRequestParts;
use axum::extract::rejection::QueryRejection;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::ApiError;

#[derive(Debug)]
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state)
                .await
                .map_err(|e: QueryRejection| ApiError::BadRequest(e.body_text()))?;
        Ok(Query(value))
    }
}
