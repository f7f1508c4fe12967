//! `POST /dev/send`: any operation sent as any address, without its key
//! (anvil's impersonation). The body is an unsigned document of the
//! operation, as `tokensign sign` reads it (`"operation"`, the operation's
//! fields, optional `memo`), plus `"from"`, the address to send as;
//! `chain_id` defaults to the node's and `nonce` to the sender's next one.
//! TokenClawback's own `from` (the holder) is `"clawback_from"` here.
//!
//! The core reads and checks the document exactly as it reads a signed
//! request's (every field rule, the operation's rules); the ledger then
//! applies it as if `from` had signed it alone, a multisig account
//! included, with every rule but the signature: the nonce, authorities,
//! balances, lists, pauses. How it appears in the reads (see
//! docs/server.md):
//!
//! - its hash is [`impersonated_hash`]: keccak-256 of the transaction's
//!   domain-separated (v2) signing hash followed by the sender's 20 bytes,
//!   so two senders of the same transaction get two hashes, and no signed
//!   transaction's hash (which covers a signature) is one of them;
//! - `GET /v1/transactions/by_hash` shows `from` and an all-zero
//!   `signature` (r = s = 0, v = 0: no key makes it);
//! - its receipt says `"impersonated": true`, and its
//!   `success_info.message` says how it was sent.

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::value::RawValue;
use tokensign_core::native::{self, Descriptor};
use tokensign_core::tx::Transaction;
use tokensign_core::{json, keccak256, Address, Signature};

use super::handlers::address;
use crate::api::dev::{Members, SEND_CLAWBACK_FROM, SEND_FROM};
use crate::node::error::{codes, ApiError};
use crate::node::ledger::{self, SignedBy};
use crate::node::routes::{read_body, storage_error};
use crate::node::writer::{Rejected, TxJob};
use crate::node::writes::{answer, body_error, signature_json};
use crate::node::AppState;

const SHAPE: &str =
    "an unsigned document of the operation plus \"from\", e.g. {\"from\": \"0x…\", \
                     \"operation\": \"Payment\", \"recipient\": \"0x…\", \"value\": \"1000\", \
                     \"token\": \"0x…\"} (chain_id and nonce may be left out; a TokenClawback's \
                     holder is \"clawback_from\")";

/// `POST /dev/send`.
pub(crate) async fn send(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(&state, &headers, body).await?;
    json::check_syntax(&bytes).map_err(body_error)?;
    let body: Members = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::bad_request(
            codes::INVALID_TYPE,
            format!("the body is not a JSON object ({e}); send {SHAPE}"),
        )
    })?;
    if let Some(name) = body.duplicate() {
        return Err(ApiError::bad_request(
            codes::DUPLICATE_FIELD,
            format!(
                "`{}` appears twice: give each member once",
                crate::show::sanitize(name)
            ),
        ));
    }
    let from = match body.get(SEND_FROM) {
        Some(_) => {
            let text = body.string(SEND_FROM).ok_or_else(|| {
                ApiError::bad_request(
                    codes::INVALID_TYPE,
                    "`from` must be a string: the address to send as",
                )
            })?;
            address("from", &text)?
        }
        None => {
            return Err(ApiError::bad_request(
                codes::MISSING_FIELD,
                format!("`from` is missing: the address to send as; send {SHAPE}"),
            ))
        }
    };
    if body.get("operation").is_none() {
        return Err(ApiError::bad_request(
            codes::MISSING_FIELD,
            format!(
                "`operation` is missing: name the operation (Payment, TokenMint, …); send {SHAPE}"
            ),
        ));
    }
    let document = document(&state, body, &from)?;
    let tx: Transaction = json::parse_document(document.as_bytes()).map_err(body_error)?;
    let tx = native::normalize(tx);
    ledger::admission::check(&tx).map_err(body_error)?;
    let op = tx.op_type();
    let hash = impersonated_hash(&tx, &from);
    let fields = crate::node::records::fields(&tx).map_err(|e| {
        tracing::error!(error = %e, "a parsed transaction does not write as JSON");
        ApiError::internal()
    })?;
    let job = TxJob {
        tx,
        sender: from,
        signed_by: SignedBy::Impersonated,
        hash,
        signature: signature_json(&Signature::ZERO),
        fields,
    };
    let admitted = state.inner.writer.submit(job).await.map_err(|e| {
        let e = match e {
            Rejected::Refused(refusal) => ApiError::refused_unsigned(&refusal),
            other => ApiError::from(other),
        };
        tracing::info!(code = e.code, message = %e.message, "impersonated send refused");
        e
    })?;
    tracing::info!(from = %from, operation = op.name(), "impersonated send admitted");
    Ok(answer(op, &admitted))
}

/// The hash of `tx` sent as `from` without a signature.
pub(crate) fn impersonated_hash(tx: &Transaction, from: &Address) -> [u8; 32] {
    let signing = native::signing_hash(tx, Descriptor::Single);
    let mut preimage = [0u8; 52];
    let (hash, sender) = preimage.split_at_mut(32);
    hash.copy_from_slice(&signing);
    sender.copy_from_slice(from.as_bytes());
    keccak256(&preimage)
}

/// The unsigned document the core reads: the body's members but `from`
/// (a clawback's holder under its own name again), with the node's chain
/// id and the sender's next nonce where they were left out.
fn document(state: &AppState, body: Members, from: &Address) -> Result<String, ApiError> {
    let raw = |text: String| RawValue::from_string(text).map_err(|_| ApiError::internal());
    let clawback = body.string("operation").as_deref() == Some("TokenClawback");
    let mut document = Members(Vec::with_capacity(body.0.len() + 2));
    if body.get("chain_id").is_none() {
        let chain_id = raw(state.inner.config.chain_id.to_string())?;
        document.0.push(("chain_id".into(), chain_id));
    }
    if body.get("nonce").is_none() {
        let nonce = state
            .read()
            .and_then(|r| r.account(from))
            .map_err(storage_error)?
            .nonce;
        document.0.push(("nonce".into(), raw(nonce.to_string())?));
    }
    for (name, value) in body.0 {
        match name.as_str() {
            SEND_FROM => {}
            SEND_CLAWBACK_FROM if clawback => document.0.push(("from".into(), value)),
            _ => document.0.push((name, value)),
        }
    }
    serde_json::to_string(&document).map_err(|_| ApiError::internal())
}
