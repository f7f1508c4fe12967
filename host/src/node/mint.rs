//! The ABC-Lab mint (`POST /api/tokens/mint`) without HTTP: its request
//! body read field by field ([`MintJob::from_json`]) and its rules
//! ([`apply`]: the asset is an issued token's symbol, one mint per asset,
//! the amount converted exactly to base units). Its refusals are typed
//! ([`MintRefusal`]); the HTTP edge gives them the document's status and
//! code.

use serde::Deserialize;
use serde_json::Value;
use tokensign_core::amount::Amount;

use super::failure::StoreError;
use super::ledger::Backing;
use super::records::MintRecord;

/// Longest accepted `recipient_wallet_address`, in bytes.
pub const MAX_RECIPIENT_LEN: usize = 256;

/// Why a mint was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MintRefusal {
    /// The body: a field missing, mistyped, empty or out of range (the
    /// detail says which).
    #[error("{0}")]
    InvalidInput(String),
    /// No issued token has the asset's symbol.
    #[error("no token with symbol {asset_id:?} was issued on this server")]
    AssetNotFound {
        /// The asset asked for.
        asset_id: String,
    },
    /// The asset was minted before (one mint per asset).
    #[error("asset {asset_id:?} was already minted as {token_id}; one mint per asset")]
    AlreadyMinted {
        /// The asset.
        asset_id: String,
        /// Its mint's `TOKEN-<n>`.
        token_id: String,
    },
}

fn invalid(detail: impl Into<String>) -> MintRefusal {
    MintRefusal::InvalidInput(detail.into())
}

/// A mint request that passed every check that needs no state.
#[derive(Clone, Debug)]
pub struct MintJob {
    /// The asset (a token symbol).
    pub asset_id: String,
    /// The amount as the request gave it.
    pub amount: serde_json::Number,
    /// The amount as plain decimal text (no sign, no exponent).
    pub amount_text: String,
    /// The recipient, as given.
    pub recipient: String,
}

/// The mint request ([`crate::api::MintRequest`]) read field by field:
/// every field optional here so that a missing or mistyped one gets the
/// document's `INVALID_INPUT` with a precise detail.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MintBody {
    #[serde(default)]
    asset_id: Option<Value>,
    #[serde(default)]
    amount: Option<Value>,
    #[serde(default)]
    recipient_wallet_address: Option<Value>,
}

fn required<'a>(v: &'a Option<Value>, name: &str) -> Result<&'a Value, MintRefusal> {
    match v {
        None | Some(Value::Null) => Err(invalid(format!("missing field `{name}`"))),
        Some(v) => Ok(v),
    }
}

fn non_empty_string<'a>(v: &'a Option<Value>, name: &str) -> Result<&'a str, MintRefusal> {
    match required(v, name)? {
        Value::String(s) if s.is_empty() => {
            Err(invalid(format!("field `{name}` must not be empty")))
        }
        Value::String(s) => Ok(s),
        _ => Err(invalid(format!("field `{name}` must be a string"))),
    }
}

/// A positive amount as plain decimal text.
fn amount_text(n: &serde_json::Number) -> Result<String, MintRefusal> {
    if let Some(u) = n.as_u64() {
        return Ok(u.to_string());
    }
    if n.is_i64() {
        return Err(invalid("amount must be greater than zero"));
    }
    match n.as_f64() {
        Some(f) if f.is_finite() && f > 0.0 => Ok(format!("{f}")),
        _ => Err(invalid("amount must be greater than zero")),
    }
}

impl MintJob {
    /// Reads a mint request body.
    pub fn from_json(bytes: &[u8]) -> Result<MintJob, MintRefusal> {
        let body: MintBody = serde_json::from_slice(bytes)
            .map_err(|e| invalid(format!("invalid JSON body: {e}")))?;
        let asset_id = non_empty_string(&body.asset_id, "asset_id")?.to_owned();
        let amount = match required(&body.amount, "amount")? {
            Value::Number(n) => n.clone(),
            _ => return Err(invalid("field `amount` must be a number")),
        };
        let amount_text = amount_text(&amount)?;
        let recipient =
            non_empty_string(&body.recipient_wallet_address, "recipient_wallet_address")?;
        if recipient.len() > MAX_RECIPIENT_LEN || recipient.chars().any(char::is_control) {
            return Err(invalid(format!(
                "field `recipient_wallet_address` must be at most {MAX_RECIPIENT_LEN} bytes without control characters"
            )));
        }
        Ok(MintJob {
            asset_id,
            amount,
            amount_text,
            recipient: recipient.to_owned(),
        })
    }
}

/// Checks `job` against the state: the asset is an issued token's symbol
/// (`view`), not minted before (`existing`, its mint if any), and the
/// amount converts exactly to base units with the token's decimals. The
/// record is the `count + 1`-th mint. `Ok(Err(_))` is a refusal;
/// `Err(_)` a storage failure.
pub fn apply<B: Backing + ?Sized>(
    view: &B,
    existing: Option<&MintRecord>,
    count: u64,
    job: &MintJob,
) -> Result<Result<MintRecord, MintRefusal>, StoreError> {
    let Some(token) = view.token_by_symbol(&job.asset_id)? else {
        return Ok(Err(MintRefusal::AssetNotFound {
            asset_id: job.asset_id.clone(),
        }));
    };
    let Some(metadata) = view.token(&token)? else {
        return Err(StoreError::Corrupt("a symbol has no token"));
    };
    let units = match Amount::from_whole(&job.amount_text, metadata.decimals) {
        Ok(u) if u.is_zero() => return Ok(Err(invalid("amount must be greater than zero"))),
        Ok(u) => u,
        Err(e) => {
            return Ok(Err(invalid(format!(
                "amount {}: {e} (asset {:?} has {} decimals)",
                job.amount_text, job.asset_id, metadata.decimals
            ))))
        }
    };
    if let Some(existing) = existing {
        return Ok(Err(MintRefusal::AlreadyMinted {
            asset_id: job.asset_id.clone(),
            token_id: existing.token_id.clone(),
        }));
    }
    let n = count
        .checked_add(1)
        .ok_or(StoreError::Overflow("mint counter"))?;
    Ok(Ok(MintRecord {
        token_id: format!("TOKEN-{n}"),
        asset_id: job.asset_id.clone(),
        token: token.to_string(),
        amount: job.amount.clone(),
        base_units: units.to_string(),
        assigned_to: job.recipient.clone(),
    }))
}
