//! The HTTP handlers of the development controls that set state and
//! settings: balances, nonces, the write mode and `read_only`, fees, and
//! checkpoints, snapshots. Each parses its body ([`crate::api::dev`]), then either
//! switches a setting the HTTP edge reads (`modes`) or hands a control to
//! the single writer, which runs it in order with the writes.

use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use tokensign_core::tx::MAX_NONCE;
use tokensign_core::{Address, Amount};

use super::checkpoints::{MAX_INTERVAL, MIN_INTERVAL};
use super::control::{ClosedCheckpoint, Control, ControlRefusal, Controlled, FeesChange};
use super::parse;
use crate::api::dev::{
    BalanceSet, CheckpointClosed, CheckpointMode, CheckpointModeAnswer, CheckpointModeRequest,
    FeesAnswer, FeesRequest, ModesAnswer, ModesRequest, NonceSet, RevertRequest, Reverted,
    SetBalanceRequest, SetNonceRequest, SnapshotTaken,
};
use crate::node::error::{codes, ApiError};
use crate::node::ledger::Fees;
use crate::node::records::hex0x;
use crate::node::routes::read_body;
use crate::node::writer::Rejected;
use crate::node::AppState;

/// An address member of a control's body.
pub(super) fn address(name: &str, text: &str) -> Result<Address, ApiError> {
    Address::parse(text)
        .map_err(|e| ApiError::bad_request(codes::INVALID_ADDRESS, format!("`{name}`: {e}")))
}

/// An amount member (U256 base units, decimal or `0x` hex).
fn amount(name: &str, text: &str) -> Result<Amount, ApiError> {
    Amount::parse_wire(text).map_err(|e| {
        ApiError::bad_request(
            codes::INVALID_NUMBER,
            format!("`{name}`: {e}; give base units, 0..2^256-1, in decimal (or 0x-hex)"),
        )
    })
}

/// Runs a control in the writer; its refusals as HTTP errors.
async fn run(state: &AppState, control: Control) -> Result<Controlled, ApiError> {
    state
        .inner
        .writer
        .control(control)
        .await
        .map_err(|e| match e {
            Rejected::Refused(refusal @ ControlRefusal::UnknownToken(_)) => {
                ApiError::not_found(codes::TOKEN_NOT_FOUND, refusal.to_string())
            }
            Rejected::Refused(refusal @ ControlRefusal::UnknownSnapshot(_)) => {
                ApiError::not_found(codes::SNAPSHOT_NOT_FOUND, refusal.to_string())
            }
            Rejected::Refused(refusal @ ControlRefusal::SupplyOverflow { .. }) => {
                ApiError::unprocessable(codes::AMOUNT_OVERFLOW, refusal.to_string())
            }
            Rejected::Refused(
                refusal @ (ControlRefusal::PendingUnsupported(_)
                | ControlRefusal::SnapshotsUnsupported),
            ) => ApiError::new(
                StatusCode::NOT_IMPLEMENTED,
                codes::DEV_CONTROL_UNSUPPORTED_ON_POSTGRES,
                refusal.to_string(),
            ),
            Rejected::Failed => ApiError::internal(),
            Rejected::Unavailable => ApiError::unavailable(),
        })
}

fn unexpected(what: &str) -> ApiError {
    tracing::error!("the writer answered a development control with {what}");
    ApiError::internal()
}

/// `POST /dev/set_balance`.
pub(crate) async fn set_balance(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<BalanceSet>, ApiError> {
    let bytes = read_body(&state, &headers, body).await?;
    let request: SetBalanceRequest = parse(
        &bytes,
        r#"{"address": "0x…", "token": "0x…", "balance": "<base units>"}"#,
    )?;
    let owner = address("address", &request.address)?;
    let token = address("token", &request.token)?;
    let balance = amount("balance", &request.balance)?;
    match run(
        &state,
        Control::SetBalance {
            owner,
            token,
            balance,
        },
    )
    .await?
    {
        Controlled::BalanceSet {
            previous,
            balance,
            supply,
        } => Ok(Json(BalanceSet {
            address: owner.to_string(),
            token: token.to_string(),
            balance: balance.to_string(),
            previous: previous.to_string(),
            supply: supply.to_string(),
        })),
        _ => Err(unexpected("another answer than a balance")),
    }
}

/// `POST /dev/set_nonce`.
pub(crate) async fn set_nonce(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<NonceSet>, ApiError> {
    let bytes = read_body(&state, &headers, body).await?;
    let request: SetNonceRequest = parse(&bytes, r#"{"address": "0x…", "nonce": N}"#)?;
    let account = address("address", &request.address)?;
    // No transaction can carry a larger nonce, and so the ledger's
    // increment never overflows.
    if request.nonce > MAX_NONCE {
        return Err(ApiError::bad_request(
            codes::INVALID_NUMBER,
            format!(
                "`nonce` {} is above 2^63-1, the largest nonce a transaction can carry",
                request.nonce
            ),
        ));
    }
    match run(
        &state,
        Control::SetNonce {
            account,
            nonce: request.nonce,
        },
    )
    .await?
    {
        Controlled::NonceSet { previous } => Ok(Json(NonceSet {
            address: account.to_string(),
            nonce: request.nonce,
            previous,
        })),
        _ => Err(unexpected("another answer than a nonce")),
    }
}

fn modes_answer(state: &AppState) -> ModesAnswer {
    ModesAnswer {
        write_mode: state.inner.modes.write_mode(),
        read_only: state.inner.modes.read_only(),
    }
}

/// `GET /dev/modes`.
pub(crate) async fn modes(State(state): State<AppState>) -> Json<ModesAnswer> {
    Json(modes_answer(&state))
}

/// `POST /dev/modes`: applies to the writes that arrive after it (a write
/// already past its mode check finishes as it began).
pub(crate) async fn set_modes(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<ModesAnswer>, ApiError> {
    let bytes = read_body(&state, &headers, body).await?;
    let request: ModesRequest = parse(
        &bytes,
        r#"{"write_mode"?: "v1_only"|"dual"|"v2_only", "read_only"?: true|false}"#,
    )?;
    if let Some(mode) = request.write_mode {
        let previous = state
            .inner
            .modes
            .set_write_mode(mode, crate::node::now_secs());
        tracing::info!(?previous, now = ?mode, "write mode switched");
    }
    if let Some(on) = request.read_only {
        let previous = state.inner.modes.set_read_only(on);
        tracing::info!(previous, now = on, "read_only switched");
    }
    Ok(Json(modes_answer(&state)))
}

fn fees_answer(fees: &Fees) -> FeesAnswer {
    FeesAnswer {
        flat: fees.flat.to_string(),
        per_token: fees
            .per_token
            .iter()
            .map(|(token, fee)| (token.to_string(), fee.to_string()))
            .collect(),
        collector: fees.collector.map(|c| c.to_string()),
    }
}

/// `GET /dev/fees`.
pub(crate) async fn fees(State(state): State<AppState>) -> Json<FeesAnswer> {
    Json(fees_answer(&state.inner.modes.fees()))
}

/// `POST /dev/fees`.
pub(crate) async fn set_fees(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<FeesAnswer>, ApiError> {
    let bytes = read_body(&state, &headers, body).await?;
    let request: FeesRequest = parse(
        &bytes,
        r#"{"flat"?: "<units>", "per_token"?: {"0xTOKEN": "<units>" | null}, "collector"?: "0x…"}"#,
    )?;
    let mut change = FeesChange {
        flat: request
            .flat
            .as_deref()
            .map(|f| amount("flat", f))
            .transpose()?,
        collector: request
            .collector
            .as_deref()
            .map(|c| address("collector", c))
            .transpose()?,
        per_token: Vec::new(),
    };
    for (token, fee) in request.per_token.unwrap_or_default() {
        let name = format!("per_token.{}", crate::show::sanitize(&token));
        let token = address(&name, &token)?;
        let fee = fee.as_deref().map(|f| amount(&name, f)).transpose()?;
        change.per_token.push((token, fee));
    }
    match run(&state, Control::SetFees(change)).await? {
        Controlled::Fees(fees) => {
            let answer = fees_answer(&fees);
            state.inner.modes.set_fees(fees);
            Ok(Json(answer))
        }
        _ => Err(unexpected("another answer than fees")),
    }
}

fn checkpoint_mode_answer(done: Controlled) -> Result<Json<CheckpointModeAnswer>, ApiError> {
    match done {
        Controlled::CheckpointMode {
            mode,
            interval,
            pending,
        } => Ok(Json(CheckpointModeAnswer {
            mode,
            interval_ms: interval.map(|i| u64::try_from(i.as_millis()).unwrap_or(u64::MAX)),
            pending,
        })),
        _ => Err(unexpected("another answer than a checkpoint mode")),
    }
}

/// `GET /dev/checkpoint_mode`.
pub(crate) async fn checkpoint_mode(
    State(state): State<AppState>,
) -> Result<Json<CheckpointModeAnswer>, ApiError> {
    checkpoint_mode_answer(run(&state, Control::ReadCheckpointMode).await?)
}

/// `POST /dev/checkpoint_mode`.
pub(crate) async fn set_checkpoint_mode(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<CheckpointModeAnswer>, ApiError> {
    let bytes = read_body(&state, &headers, body).await?;
    let request: CheckpointModeRequest = parse(
        &bytes,
        r#"{"mode": "auto"|"per_write"|"manual"|"interval", "interval_ms"?: N (interval only)}"#,
    )?;
    let interval = match (request.mode, request.interval_ms) {
        (CheckpointMode::Interval, Some(ms)) => {
            let every = Duration::from_millis(ms);
            if !(MIN_INTERVAL..=MAX_INTERVAL).contains(&every) {
                return Err(ApiError::bad_request(
                    codes::INVALID_NUMBER,
                    format!(
                        "`interval_ms` {ms} is out of range: give {} to {}",
                        MIN_INTERVAL.as_millis(),
                        MAX_INTERVAL.as_millis()
                    ),
                ));
            }
            Some(every)
        }
        (CheckpointMode::Interval, None) => {
            return Err(ApiError::bad_request(
                codes::MISSING_FIELD,
                "mode `interval` needs `interval_ms`, the milliseconds between checkpoints",
            ))
        }
        (_, Some(_)) => {
            return Err(ApiError::bad_request(
                codes::INVALID_VALUE,
                "`interval_ms` is only for mode `interval`: leave it out",
            ))
        }
        (_, None) => None,
    };
    let done = run(
        &state,
        Control::SetCheckpointMode {
            mode: request.mode,
            interval,
        },
    )
    .await?;
    tracing::info!(mode = ?request.mode, ?interval, "checkpoint mode switched");
    checkpoint_mode_answer(done)
}

/// `POST /dev/checkpoint`: closes a checkpoint now over every transaction
/// admitted and not yet placed (an empty one if there is none).
pub(crate) async fn checkpoint(
    State(state): State<AppState>,
) -> Result<Json<CheckpointClosed>, ApiError> {
    match run(&state, Control::Checkpoint).await? {
        Controlled::Checkpoint(Some(ClosedCheckpoint {
            number,
            hash,
            transactions,
        })) => Ok(Json(CheckpointClosed {
            number,
            hash: hex0x(&hash),
            transactions,
        })),
        _ => Err(unexpected("no checkpoint")),
    }
}

/// `POST /dev/snapshot`: keeps the whole state under a new id.
pub(crate) async fn snapshot(
    State(state): State<AppState>,
) -> Result<Json<SnapshotTaken>, ApiError> {
    match run(&state, Control::Snapshot).await? {
        Controlled::Snapshot { id, checkpoint } => {
            tracing::info!(id, checkpoint, "snapshot taken");
            Ok(Json(SnapshotTaken { id, checkpoint }))
        }
        _ => Err(unexpected("another answer than a snapshot")),
    }
}

/// `POST /dev/revert`: returns the whole state to a snapshot.
pub(crate) async fn revert(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Reverted>, ApiError> {
    let bytes = read_body(&state, &headers, body).await?;
    let request: RevertRequest = parse(&bytes, r#"{"id": N}"#)?;
    match run(&state, Control::Revert(request.id)).await? {
        Controlled::Reverted { id, checkpoint } => {
            tracing::info!(id, checkpoint, "reverted to a snapshot");
            Ok(Json(Reverted { id, checkpoint }))
        }
        _ => Err(unexpected("another answer than a revert")),
    }
}
