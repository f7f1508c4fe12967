//! The ABC-Lab mint (`POST /api/tokens/mint`) without HTTP: its request
//! body read field by field ([`MintJob::from_json`]) and its rules
//! ([`apply`]: the asset is an issued token's symbol, one mint per asset,
//! the amount converted exactly to base units). Its refusals are typed
//! ([`MintRefusal`]); the HTTP edge gives them the document's status and
//! code.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use tokensign_core::amount::Amount;

use super::failure::StoreError;
use super::ledger::Backing;
use super::records::MintRecord;
use crate::api::JsonNumber;

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
    /// The amount exactly as the request gave it (positive).
    pub amount: JsonNumber,
    /// The recipient, as given.
    pub recipient: String,
}

/// The mint request ([`crate::api::MintRequest`]) read field by field:
/// every field optional here so that a missing or mistyped one gets the
/// document's `INVALID_INPUT` with a precise detail. The amount is kept as
/// its JSON text, so that no float ever rounds it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MintBody {
    #[serde(default)]
    asset_id: Option<Value>,
    #[serde(default)]
    amount: Option<Box<RawValue>>,
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

/// Most digits a plain decimal text of an amount may need: 78 before the
/// point (2^256-1), 255 after (the most decimals a token could have).
const MAX_WHOLE_DIGITS: i64 = 78;
const MAX_FRACTION_DIGITS: i64 = 255;

/// Refuses zero and negative numbers.
fn positive(number: &JsonNumber) -> Result<(), MintRefusal> {
    let text = number.as_str();
    let mantissa = text.split(['e', 'E']).next().unwrap_or(text);
    if text.starts_with('-') || mantissa.bytes().all(|b| b == b'0' || b == b'.') {
        return Err(invalid("amount must be greater than zero"));
    }
    Ok(())
}

/// A JSON number's value as plain decimal text (`1.5e3` is `1500`,
/// `12.50` is `12.5`), exactly: no float. `Err` for zero and negative
/// numbers, and for values no token could hold (above 10^78, or more than
/// 255 fractional digits).
fn plain_decimal(number: &JsonNumber) -> Result<String, MintRefusal> {
    positive(number)?;
    let text = number.as_str();
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, "0"),
    };
    let (int, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = int.chars().chain(fraction.chars()).collect();
    // The exponent's value, saturated: beyond ±10^15 nothing fits anyway.
    let (sign, magnitude) = match exponent.strip_prefix('-') {
        Some(m) => (-1, m),
        None => (1, exponent.trim_start_matches('+')),
    };
    let magnitude: i64 = magnitude.parse().unwrap_or(i64::MAX / 4).min(i64::MAX / 4);
    // The digits without leading zeros, and where the point goes in them.
    let lead = digits.len() - digits.trim_start_matches('0').len();
    let digits = digits[lead..].trim_end_matches('0');
    let point = i64::try_from(int.len()).unwrap_or(i64::MAX / 4) - i64::try_from(lead).unwrap_or(0)
        + sign * magnitude;
    if point > MAX_WHOLE_DIGITS {
        return Err(invalid(format!("amount {number} is larger than 2^256-1")));
    }
    let len = i64::try_from(digits.len()).unwrap_or(i64::MAX / 4);
    if len - point > MAX_FRACTION_DIGITS {
        return Err(invalid(format!(
            "amount {number} has more fractional digits than any token's decimals"
        )));
    }
    let zeros = |n: i64| "0".repeat(usize::try_from(n).unwrap_or(0));
    Ok(if point <= 0 {
        format!("0.{}{digits}", zeros(-point))
    } else if point >= len {
        format!("{digits}{}", zeros(point - len))
    } else {
        let (whole, fraction) = digits.split_at(usize::try_from(point).unwrap_or(0));
        format!("{whole}.{fraction}")
    })
}

impl MintJob {
    /// Reads a mint request body.
    pub fn from_json(bytes: &[u8]) -> Result<MintJob, MintRefusal> {
        let body: MintBody = serde_json::from_slice(bytes)
            .map_err(|e| invalid(format!("invalid JSON body: {e}")))?;
        let asset_id = non_empty_string(&body.asset_id, "asset_id")?.to_owned();
        let amount = match &body.amount {
            None => return Err(invalid("missing field `amount`")),
            Some(raw) if raw.get() == "null" => return Err(invalid("missing field `amount`")),
            Some(raw) => JsonNumber::parse(raw.get())
                .ok_or_else(|| invalid("field `amount` must be a number"))?,
        };
        positive(&amount)?;
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
    let text = match plain_decimal(&job.amount) {
        Ok(text) => text,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let units = match Amount::from_whole(&text, metadata.decimals) {
        Ok(u) if u.is_zero() => return Ok(Err(invalid("amount must be greater than zero"))),
        Ok(u) => u,
        Err(e) => {
            return Ok(Err(invalid(format!(
                "amount {}: {e} (asset {:?} has {} decimals)",
                job.amount, job.asset_id, metadata.decimals
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

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Result<String, MintRefusal> {
        plain_decimal(&JsonNumber::parse(text).unwrap())
    }

    #[test]
    fn json_numbers_become_exact_decimal_text() {
        for (json, decimal) in [
            ("100", "100"),
            ("12.50", "12.5"),
            ("1.5e3", "1500"),
            ("1.5E+3", "1500"),
            ("15e-1", "1.5"),
            ("0.0000001", "0.0000001"),
            ("1e-7", "0.0000001"),
            ("123456789012345678901", "123456789012345678901"),
            ("0.1e1", "1"),
            ("1e77", &format!("1{}", "0".repeat(77))),
        ] {
            assert_eq!(plain(json).as_deref(), Ok(decimal), "{json}");
        }
        for zero_or_less in ["0", "0.000", "0e9", "-0", "-1", "-1.5e3"] {
            assert_eq!(
                plain(zero_or_less),
                Err(invalid("amount must be greater than zero")),
                "{zero_or_less}"
            );
        }
        // Beyond any token, refused without building the digits.
        assert!(plain("1e78").is_err());
        assert!(plain("1e999999999999999999999").is_err());
        assert!(plain("1e-256").is_err());
        assert!(plain("1e-999999999999999999999").is_err());
        assert_eq!(plain("1e-255").unwrap().len(), 257);
    }

    #[test]
    fn bodies_are_read_field_by_field() {
        let job = MintJob::from_json(
            br#"{"asset_id": "A", "amount": 18446744073709551617, "recipient_wallet_address": "w"}"#,
        )
        .unwrap();
        assert_eq!(job.amount.as_str(), "18446744073709551617");
        for (body, detail) in [
            (
                r#"{"asset_id": "A", "recipient_wallet_address": "w"}"#,
                "missing field `amount`",
            ),
            (
                r#"{"asset_id": "A", "amount": null, "recipient_wallet_address": "w"}"#,
                "missing field `amount`",
            ),
            (
                r#"{"asset_id": "A", "amount": "5", "recipient_wallet_address": "w"}"#,
                "must be a number",
            ),
            (
                r#"{"asset_id": "A", "amount": [5], "recipient_wallet_address": "w"}"#,
                "must be a number",
            ),
        ] {
            let e = MintJob::from_json(body.as_bytes()).unwrap_err().to_string();
            assert!(e.contains(detail), "{body}: {e}");
        }
    }
}
