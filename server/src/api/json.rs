//! A JSON body extractor whose rejections are [`ApiError`]s, so even a malformed body gets a
//! JSON answer (axum's own `Json` rejects in plain text).

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};

use super::ApiError;

#[derive(Debug)]
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Json(value))
    }
}
