//! The ABC-Lab mint API's bodies (`POST /api/tokens/mint`).

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// A JSON number kept exactly as written (`123456789012345678901`,
/// `12.50`, `1.5e3`). `serde_json::Number` would round an integer beyond
/// 64 bits or a fraction beyond a float's 17 digits; the mint API's
/// amounts must not change.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct JsonNumber(String);

impl JsonNumber {
    /// `text` if it is a JSON number (RFC 8259: `-?(0|[1-9][0-9]*)`, an
    /// optional fraction, an optional exponent), without surrounding space.
    pub fn parse(text: &str) -> Option<JsonNumber> {
        let b = text.as_bytes();
        let mut i = usize::from(b.first() == Some(&b'-'));
        let digits = |i: &mut usize| {
            let start = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i - start
        };
        let int_start = i;
        match digits(&mut i) {
            0 => return None,
            n if n > 1 && b.get(int_start) == Some(&b'0') => return None,
            _ => {}
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if digits(&mut i) == 0 {
                return None;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if digits(&mut i) == 0 {
                return None;
            }
        }
        (i == b.len()).then(|| JsonNumber(text.to_owned()))
    }

    /// The number's text, exactly as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JsonNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<u64> for JsonNumber {
    fn from(v: u64) -> Self {
        JsonNumber(v.to_string())
    }
}

impl Serialize for JsonNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RawValue::from_string(self.0.clone())
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for JsonNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        JsonNumber::parse(raw.get()).ok_or_else(|| D::Error::custom("expected a JSON number"))
    }
}

/// The mint request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintRequest {
    /// The asset (an issued token's symbol on the local node).
    pub asset_id: String,
    /// A positive JSON number of tokens.
    pub amount: serde_json::Number,
    /// The wallet that receives them, as given.
    pub recipient_wallet_address: String,
}

/// The 2xx answer of a mint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintSuccess {
    /// `"success"`.
    pub status: String,
    /// The minted token's id (`TOKEN-<n>` on the local node).
    pub token_id: String,
    /// The asset.
    pub asset_id: String,
    /// The amount, exactly as requested.
    pub amount: JsonNumber,
    /// The recipient.
    pub assigned_to: String,
}

/// The error body of the mint API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MintErrorBody {
    /// `"error"`.
    pub status: String,
    /// `INVALID_INPUT`, `ASSET_NOT_FOUND`, `DUPLICATE_MINT` or
    /// `INTERNAL_ERROR`.
    pub error_code: String,
    /// The document's fixed message for the code.
    pub message: String,
    /// The precise cause.
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_numbers_are_kept_exactly() {
        for text in [
            "0",
            "-1",
            "123456789012345678901",
            "12.50",
            "1.5e3",
            "1E-7",
            "-0.0e+0",
        ] {
            let n = JsonNumber::parse(text).unwrap();
            assert_eq!(serde_json::to_string(&n).unwrap(), text);
            let back: JsonNumber = serde_json::from_str(text).unwrap();
            assert_eq!(back, n);
        }
        for bad in [
            "", "-", "01", "1.", ".5", "1e", "1e+", "+1", " 1", "1 ", "0x10", "NaN", "1_0",
        ] {
            assert_eq!(JsonNumber::parse(bad), None, "{bad}");
        }
        assert!(serde_json::from_str::<JsonNumber>("\"1\"").is_err());
        let body: MintSuccess = serde_json::from_str(
            r#"{"status":"success","token_id":"TOKEN-1","asset_id":"A","amount":18446744073709551617,"assigned_to":"w"}"#,
        )
        .unwrap();
        assert_eq!(body.amount.as_str(), "18446744073709551617");
        assert!(serde_json::to_string(&body)
            .unwrap()
            .contains(":18446744073709551617,"));
        assert!(serde_json::to_value(&body).unwrap()["amount"].is_number());
    }
}
