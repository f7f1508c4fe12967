//! The ledger reads of spec section 6, each answered from one redb read
//! transaction (a consistent snapshot that never waits for the writer).

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde_json::Value;
use tokensign_core::{Address, Amount};

use super::error::{codes, ApiError};
use super::records::{hex0x, CheckpointRecord};
use super::routes::{
    address_param, hash_param, no_transaction, param, read_body, storage_error, Params,
};
use super::storage::StateRead;
use super::AppState;
use crate::api::{
    BatchFeeRequest, BbnonceAnswer, Checkpoint, CheckpointNumberAnswer, FeeEstimate,
    FinalizedReceipt, MintInfo, NonceAnswer, TokenAccountAnswer, Transaction, TransactionReceipt,
};

fn reader(state: &AppState) -> Result<Box<dyn StateRead + '_>, ApiError> {
    state.read().map_err(storage_error)
}

/// `GET /v1/accounts/nonce?address=`
pub(crate) async fn nonce(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<NonceAnswer>, ApiError> {
    let address = address_param(&params, "address")?;
    let account = reader(&state)?.account(&address).map_err(storage_error)?;
    Ok(Json(NonceAnswer {
        nonce: account.nonce,
    }))
}

/// `GET /v1/accounts/bbnonce?address=`
pub(crate) async fn bbnonce(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<BbnonceAnswer>, ApiError> {
    let address = address_param(&params, "address")?;
    let account = reader(&state)?.account(&address).map_err(storage_error)?;
    Ok(Json(BbnonceAnswer {
        bbnonce: account.bbnonce,
    }))
}

/// `GET /v1/accounts/token_account?address=&token=`: the balance (0 for an
/// account that never held the token) and the owner's nonce.
pub(crate) async fn token_account(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<TokenAccountAnswer>, ApiError> {
    let address = address_param(&params, "address")?;
    let token = address_param(&params, "token")?;
    let r = reader(&state)?;
    if r.token(&token).map_err(storage_error)?.is_none() {
        return Err(no_token(&token));
    }
    let balance = r.balance(&address, &token).map_err(storage_error)?;
    let account = r.account(&address).map_err(storage_error)?;
    Ok(Json(TokenAccountAnswer {
        balance: balance.to_string(),
        nonce: account.nonce,
    }))
}

pub(crate) fn no_token(token: &Address) -> ApiError {
    ApiError::not_found(
        codes::TOKEN_NOT_FOUND,
        format!("no token at address {token} on this node: check the address, or issue it first"),
    )
}

/// `GET /v1/tokens/token_metadata?token=`
pub(crate) async fn token_metadata(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<MintInfo>, ApiError> {
    let token = address_param(&params, "token")?;
    match reader(&state)?.token(&token).map_err(storage_error)? {
        Some(t) => Ok(Json(t.to_wire())),
        None => Err(no_token(&token)),
    }
}

fn record(state: &AppState, params: &Params) -> Result<super::records::TxRecord, ApiError> {
    let hash = hash_param(params)?;
    reader(state)?
        .transaction(&hash)
        .map_err(storage_error)?
        .ok_or_else(|| no_transaction(&hash))
}

/// `GET /v1/transactions/by_hash?hash=`
pub(crate) async fn by_hash(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Transaction>, ApiError> {
    Ok(Json(record(&state, &params)?.transaction))
}

/// `GET /v1/transactions/receipt/by_hash?hash=`
pub(crate) async fn receipt(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<TransactionReceipt>, ApiError> {
    Ok(Json(record(&state, &params)?.receipt))
}

/// `GET /v1/transactions/finalized/by_hash?hash=`: the receipt once the
/// transaction is in a checkpoint (at once, unless the development
/// controls' checkpoint mode holds it pending: until then 404 as for an
/// unknown hash, as the network answers before finality); epoch 0, no
/// validators.
pub(crate) async fn finalized(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<FinalizedReceipt>, ApiError> {
    let receipt = record(&state, &params)?.receipt;
    if receipt.checkpoint_number.is_none() {
        let mut e = no_transaction(&hash_param(&params)?);
        e.message.push_str(
            " in a checkpoint yet: it is admitted and pending (POST /dev/checkpoint closes one)",
        );
        return Err(e);
    }
    Ok(Json(FinalizedReceipt {
        receipt,
        epoch: 0,
        counter_signatures: Vec::new(),
    }))
}

fn amount_param(params: &Params, name: &str) -> Result<Amount, ApiError> {
    let text = param(params, name)?;
    Amount::parse_wire(text).map_err(|e| {
        ApiError::bad_request(
            codes::INVALID_NUMBER,
            format!(
                "query parameter `{name}`: {e}; give an integer 0..2^256-1 in decimal (or 0x-hex)"
            ),
        )
    })
}

/// `GET /v1/transactions/estimate_fee?from=&to=&value=&token=`: what a
/// Payment of `value` would be charged.
pub(crate) async fn estimate_fee(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<FeeEstimate>, ApiError> {
    address_param(&params, "from")?;
    address_param(&params, "to")?;
    amount_param(&params, "value")?;
    let token = address_param(&params, "token")?;
    fee_of(&state, &token)
}

fn fee_of(state: &AppState, token: &Address) -> Result<Json<FeeEstimate>, ApiError> {
    if reader(state)?
        .token(token)
        .map_err(storage_error)?
        .is_none()
    {
        return Err(no_token(token));
    }
    Ok(Json(FeeEstimate {
        fee: state.inner.modes.fees().of(token).to_string(),
        plan: None,
    }))
}

/// `POST /v1/transactions/batch_payment/estimate_fee`: what a BatchPayment
/// would be charged (one fee per batch).
pub(crate) async fn estimate_batch_fee(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<FeeEstimate>, ApiError> {
    let bytes = read_body(&state, &headers, body).await?;
    let request: BatchFeeRequest = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::bad_request(
            codes::MALFORMED_JSON,
            format!("invalid body: {e}; send {{from, token, operations: [{{recipient, amount}}]}}"),
        )
    })?;
    let address = |name: &str, text: &str| {
        Address::parse(text)
            .map_err(|e| ApiError::bad_request(codes::INVALID_ADDRESS, format!("`{name}`: {e}")))
    };
    address("from", &request.from)?;
    let token = address("token", &request.token)?;
    if request.operations.is_empty() {
        return Err(ApiError::bad_request(
            codes::INVALID_VALUE,
            "`operations` is empty: give at least one {recipient, amount}",
        ));
    }
    for (i, op) in request.operations.iter().enumerate() {
        address(&format!("operations[{i}].recipient"), &op.recipient)?;
        Amount::parse_wire(&op.amount).map_err(|e| {
            ApiError::bad_request(
                codes::INVALID_NUMBER,
                format!("`operations[{i}].amount`: {e}; give an integer 0..2^256-1 in decimal (or 0x-hex)"),
            )
        })?;
    }
    fee_of(&state, &token)
}

/// `GET /v1/checkpoints/number`
pub(crate) async fn checkpoint_number(
    State(state): State<AppState>,
) -> Result<Json<CheckpointNumberAnswer>, ApiError> {
    let number = reader(&state)?.last_checkpoint().map_err(storage_error)?;
    Ok(Json(CheckpointNumberAnswer { number }))
}

fn number_param(params: &Params) -> Result<u64, ApiError> {
    let text = param(params, "number")?;
    text.parse().map_err(|_| {
        ApiError::bad_request(
            codes::INVALID_NUMBER,
            format!("query parameter `number` {text:?} is not a checkpoint number (0..2^64-1)"),
        )
    })
}

fn full_param(params: &Params) -> Result<bool, ApiError> {
    match param(params, "full") {
        Err(e) if e.code == codes::MISSING_PARAMETER => Ok(false),
        Err(e) => Err(e),
        Ok("true") => Ok(true),
        Ok("false") => Ok(false),
        Ok(other) => Err(ApiError::bad_request(
            codes::INVALID_VALUE,
            format!("query parameter `full` {other:?} must be true or false"),
        )),
    }
}

fn no_checkpoint(what: String) -> ApiError {
    ApiError::not_found(
        codes::CHECKPOINT_NOT_FOUND,
        format!("no checkpoint {what}: read GET /v1/checkpoints/number for the latest"),
    )
}

pub(crate) fn checkpoint_wire(
    r: &dyn StateRead,
    c: CheckpointRecord,
    full: bool,
) -> Result<Checkpoint, ApiError> {
    let size = c.transactions.len() as u64;
    let transactions = if full {
        let mut out = Vec::with_capacity(c.transactions.len());
        for h in &c.transactions {
            let record = r
                .transaction(h)
                .map_err(storage_error)?
                .ok_or_else(ApiError::internal)?;
            out.push(serde_json::to_value(record.transaction).map_err(|_| ApiError::internal())?);
        }
        out
    } else {
        c.transactions
            .iter()
            .map(|h| Value::String(hex0x(h)))
            .collect()
    };
    Ok(Checkpoint {
        hash: hex0x(&c.hash),
        parent_hash: hex0x(&c.parent_hash),
        state_root: hex0x(&[0u8; 32]),
        transactions_root: hex0x(&c.transactions_root),
        receipts_root: hex0x(&c.receipts_root),
        number: c.number,
        timestamp: c.timestamp,
        size: Some(size),
        transactions,
    })
}

/// `GET /v1/checkpoints/by_number?number=&full=`
pub(crate) async fn checkpoint_by_number(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Checkpoint>, ApiError> {
    let number = number_param(&params)?;
    let full = full_param(&params)?;
    let r = reader(&state)?;
    let c = r
        .checkpoint(number)
        .map_err(storage_error)?
        .ok_or_else(|| no_checkpoint(format!("number {number}")))?;
    Ok(Json(checkpoint_wire(&*r, c, full)?))
}

/// `GET /v1/checkpoints/by_hash?hash=&full=`
pub(crate) async fn checkpoint_by_hash(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Checkpoint>, ApiError> {
    let hash = hash_param(&params)?;
    let full = full_param(&params)?;
    let r = reader(&state)?;
    let c = match r.checkpoint_number(&hash).map_err(storage_error)? {
        Some(n) => r.checkpoint(n).map_err(storage_error)?,
        None => None,
    }
    .ok_or_else(|| no_checkpoint(format!("with hash {}", hex0x(&hash))))?;
    Ok(Json(checkpoint_wire(&*r, c, full)?))
}

/// `GET /v1/checkpoints/receipts/by_number?number=`: the receipts in the
/// checkpoint's order.
pub(crate) async fn checkpoint_receipts(
    State(state): State<AppState>,
    params: Params,
) -> Result<Json<Vec<TransactionReceipt>>, ApiError> {
    let number = number_param(&params)?;
    let r = reader(&state)?;
    let c = r
        .checkpoint(number)
        .map_err(storage_error)?
        .ok_or_else(|| no_checkpoint(format!("number {number}")))?;
    let mut out = Vec::with_capacity(c.transactions.len());
    for h in &c.transactions {
        let record = r
            .transaction(h)
            .map_err(storage_error)?
            .ok_or_else(ApiError::internal)?;
        out.push(record.receipt);
    }
    Ok(Json(out))
}
