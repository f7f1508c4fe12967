//! The write routes: every operation on its `/v1` (legacy) and `/v2`
//! (domain-separated) path. Parsing, hashing and signature checks are the
//! core's; the write mode decides which scheme is open; the ledger's
//! rules run in the store's single writer.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use tokensign_core::native::{Authorization, NativeTx};
use tokensign_core::tx::OpType;
use tokensign_core::{json, Error as CoreError, Signature};

use super::error::{codes, ApiError};
use super::ledger::{self, SignedBy};
use super::records::hex0x;
use super::routes::read_body;
use super::writer::{Admitted, TxJob};
use super::AppState;
use crate::api::{HashAnswer, HashTokenAnswer, NativeWriteMode, SignatureJson};
use crate::input::{describe_core_error, Document};

/// The header the network puts on v1 writes in `dual` mode.
pub const LEGACY_SIGNATURE_HEADER: &str = "x-1money-legacy-signature";

pub(crate) fn signature_json(sig: &Signature) -> SignatureJson {
    SignatureJson {
        r: hex0x(&sig.r),
        s: hex0x(&sig.s),
        v: sig.v,
    }
}

pub(crate) fn body_error(e: CoreError) -> ApiError {
    let mut refusal = ApiError::from_core(e);
    refusal.message = describe_core_error(e, Document::Request);
    refusal
}

pub(crate) fn answer(op: OpType, admitted: &Admitted) -> Response {
    let hash = hex0x(&admitted.hash);
    match (op, admitted.token) {
        (OpType::TokenIssue, Some(token)) => Json(HashTokenAnswer {
            hash,
            token: token.to_string(),
        })
        .into_response(),
        _ => Json(HashAnswer { hash }).into_response(),
    }
}

/// `POST /v1/...`: a legacy-signed write of `op`.
pub(crate) async fn write_v1(
    op: OpType,
    state: AppState,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    state.inner.modes.check_writable(op)?;
    let mode = state.inner.modes.write_mode();
    if mode == NativeWriteMode::V2Only {
        return Err(ApiError::new(
            StatusCode::GONE,
            codes::LEGACY_NATIVE_WRITE_ENDPOINT_DISABLED,
            format!(
                "this node is v2_only: legacy /v1 writes are disabled; sign with the domain-separated scheme and POST to {}",
                op.v2_path()
            ),
        ));
    }
    let bytes = read_body(&state, &headers, body).await?;
    let request = json::parse_legacy(op, &bytes).map_err(body_error)?;
    ledger::admission::check(&request.tx).map_err(body_error)?;
    let (signing_hash, hash) = request
        .signing_hash()
        .and_then(|s| request.tx_hash().map(|t| (s, t)))
        .map_err(ApiError::from_core)?;
    // Recovery here, in parallel across requests (crate::curve picks
    // the backend); high-S and unrecoverable signatures are refused.
    let signer = crate::curve::recover_hash(&signing_hash, &request.signature)
        .map_err(ApiError::from_core)?;
    let fields = super::records::fields(&request.tx).map_err(|e| {
        tracing::error!(error = %e, "a parsed transaction does not write as JSON");
        ApiError::internal()
    })?;
    let job = TxJob {
        signature: signature_json(&request.signature),
        fields,
        tx: request.tx,
        sender: signer,
        signed_by: SignedBy::Single,
        hash,
    };
    let admitted = state.inner.writer.submit(job).await.map_err(|e| {
        let e = ApiError::from(e);
        tracing::info!(code = e.code, message = %e.message, "v1 write refused");
        e
    })?;
    let mut response = answer(op, &admitted);
    if mode == NativeWriteMode::Dual {
        response.headers_mut().insert(
            LEGACY_SIGNATURE_HEADER,
            HeaderValue::from_static("deprecated"),
        );
    }
    Ok(response)
}

/// `POST /v2/...`: a domain-separated write of `op`.
pub(crate) async fn write_v2(
    op: OpType,
    state: AppState,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    state.inner.modes.check_writable(op)?;
    if state.inner.modes.write_mode() == NativeWriteMode::V1Only {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            codes::DOMAIN_SEPARATED_SIGNATURE_NOT_ACTIVE,
            format!(
                "this node is v1_only: domain-separated /v2 writes are not active; sign the legacy way and POST to {}",
                op.v1_path().unwrap_or("the operation's /v1 path")
            ),
        ));
    }
    let bytes = read_body(&state, &headers, body).await?;
    let request: NativeTx = json::parse_native(op, &bytes).map_err(body_error)?;
    let admitted = submit_native(&state, request).await?;
    Ok(answer(op, &admitted))
}

/// Checks a parsed v2 request's authorization and queues it for the
/// ledger.
pub(crate) async fn submit_native(
    state: &AppState,
    request: NativeTx,
) -> Result<Admitted, ApiError> {
    ledger::admission::check(&request.tx).map_err(body_error)?;
    crate::curve::install_context();
    let sender = request.sender().map_err(ApiError::from_core)?;
    let (signed_by, signature) = match &request.authorization {
        Authorization::Single(sig) => (SignedBy::Single, signature_json(sig)),
        Authorization::Multisig { signatures, .. } => {
            let first = signatures
                .first()
                .map(|m| signature_json(&m.signature))
                .ok_or_else(ApiError::internal)?;
            (
                SignedBy::Multisig(signatures.iter().map(|m| m.signer_pubkey).collect()),
                first,
            )
        }
    };
    let fields = super::records::fields(&request.tx).map_err(|e| {
        tracing::error!(error = %e, "a parsed transaction does not write as JSON");
        ApiError::internal()
    })?;
    let job = TxJob {
        fields,
        hash: request.tx_hash(),
        tx: request.tx,
        sender,
        signed_by,
        signature,
    };
    state.inner.writer.submit(job).await.map_err(|e| {
        let e = ApiError::from(e);
        tracing::info!(code = e.code, message = %e.message, "v2 write refused");
        e
    })
}
