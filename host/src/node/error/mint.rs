//! The ABC-Lab mint API's errors (`POST /api/tokens/mint`): its codes,
//! exactly as its document lists them, and [`MintError`].

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::api::MintErrorBody;
use crate::node::mint::MintRefusal;
use crate::node::writer::Rejected;

/// Error codes of the ABC-Lab mint API (`POST /api/tokens/mint`), exactly
/// as its document lists them.
pub mod mint_codes {
    /// 400: a field is missing, has the wrong type or an invalid value.
    pub const INVALID_INPUT: &str = "INVALID_INPUT";
    /// 404: no asset (issued token symbol) with this `asset_id`.
    pub const ASSET_NOT_FOUND: &str = "ASSET_NOT_FOUND";
    /// 409: the asset was minted before (one mint per asset).
    pub const DUPLICATE_MINT: &str = "DUPLICATE_MINT";
    /// 500: storage failure or another unexpected error.
    pub const INTERNAL_ERROR: &str = "INTERNAL_ERROR";
    /// 503: the node's database cannot be reached (this node's addition:
    /// the document has no code for it).
    pub const DATABASE_UNAVAILABLE: &str = "DATABASE_UNAVAILABLE";
    /// 403: the `Host` header names neither a loopback name or address nor
    /// an allowed host, on a node that checks it (on loopback).
    pub const HOST_NOT_ALLOWED: &str = "HOST_NOT_ALLOWED";
    /// 503: the node has as many open connections as it allows; the
    /// connection is closed after this answer.
    pub const TOO_MANY_CONNECTIONS: &str = "TOO_MANY_CONNECTIONS";
}

/// A refusal of the mint API: the document's status, code and message, plus
/// a `detail` naming the precise cause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MintError {
    /// 400, 404, 409 or 500.
    pub status: StatusCode,
    /// One of [`mint_codes`].
    pub code: &'static str,
    /// The precise cause (the document's `message` is fixed per code).
    pub detail: String,
}

impl MintError {
    /// 400 `INVALID_INPUT`.
    pub fn invalid_input(detail: impl Into<String>) -> Self {
        MintError {
            status: StatusCode::BAD_REQUEST,
            code: mint_codes::INVALID_INPUT,
            detail: detail.into(),
        }
    }
    /// 404 `ASSET_NOT_FOUND`.
    pub fn asset_not_found(detail: impl Into<String>) -> Self {
        MintError {
            status: StatusCode::NOT_FOUND,
            code: mint_codes::ASSET_NOT_FOUND,
            detail: detail.into(),
        }
    }
    /// 409 `DUPLICATE_MINT`.
    pub fn duplicate(detail: impl Into<String>) -> Self {
        MintError {
            status: StatusCode::CONFLICT,
            code: mint_codes::DUPLICATE_MINT,
            detail: detail.into(),
        }
    }
    /// 500 `INTERNAL_ERROR`.
    pub fn internal() -> Self {
        MintError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: mint_codes::INTERNAL_ERROR,
            detail: "internal server error".into(),
        }
    }
    /// 503 `DATABASE_UNAVAILABLE`.
    pub fn unavailable() -> Self {
        MintError {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: mint_codes::DATABASE_UNAVAILABLE,
            detail: "the node's database cannot be reached or did not confirm the commit; \
                     retry in a moment"
                .into(),
        }
    }
    /// The document's message for this error's code.
    pub fn message(&self) -> &'static str {
        match self.code {
            mint_codes::INVALID_INPUT => "One or more required fields are missing",
            mint_codes::ASSET_NOT_FOUND => "Asset ID does not exist",
            mint_codes::DUPLICATE_MINT => "Token for this asset already exists",
            mint_codes::DATABASE_UNAVAILABLE => "Database unavailable",
            _ => "Unexpected server error",
        }
    }
}

impl From<MintRefusal> for MintError {
    fn from(refusal: MintRefusal) -> Self {
        let detail = refusal.to_string();
        match refusal {
            MintRefusal::InvalidInput(_) => MintError::invalid_input(detail),
            MintRefusal::AssetNotFound { .. } => MintError::asset_not_found(detail),
            MintRefusal::AlreadyMinted { .. } => MintError::duplicate(detail),
        }
    }
}

impl From<Rejected<MintRefusal>> for MintError {
    fn from(e: Rejected<MintRefusal>) -> Self {
        match e {
            Rejected::Refused(refusal) => refusal.into(),
            Rejected::Failed => MintError::internal(),
            Rejected::Unavailable => MintError::unavailable(),
        }
    }
}

impl IntoResponse for MintError {
    fn into_response(self) -> Response {
        let body = MintErrorBody {
            status: "error".into(),
            error_code: self.code.into(),
            message: self.message().into(),
            detail: self.detail,
        };
        (self.status, Json(body)).into_response()
    }
}
