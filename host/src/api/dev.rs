//! The bodies of the local node's development controls (`/dev/…`): what
//! `tokensign dev …` sends and reads, and what the node parses and
//! answers. Requests refuse unknown members. Amounts are U256 decimal text
//! in base units, addresses `0x` + 40 hex digits, as everywhere on the
//! wire. See docs/server.md, "Development controls".

use std::collections::BTreeMap;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use super::{JsonNumber, NativeWriteMode};

/// `POST /dev/set_balance`: sets `address`'s balance of `token`; the
/// token's supply follows (it moves by the difference).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetBalanceRequest {
    /// The holder.
    pub address: String,
    /// The token.
    pub token: String,
    /// The new balance, base units (decimal, or `0x` hex).
    pub balance: String,
}

/// The answer of `POST /dev/set_balance`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceSet {
    /// The holder (EIP-55).
    pub address: String,
    /// The token (EIP-55).
    pub token: String,
    /// The balance now, decimal base units.
    pub balance: String,
    /// The balance before.
    pub previous: String,
    /// The token's supply now.
    pub supply: String,
}

/// `POST /dev/set_nonce`: sets the nonce `address` must use next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetNonceRequest {
    /// The account (a key's address or a multisig account).
    pub address: String,
    /// Its next nonce.
    #[serde(deserialize_with = "whole")]
    pub nonce: u64,
}

/// The answer of `POST /dev/set_nonce`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NonceSet {
    /// The account (EIP-55).
    pub address: String,
    /// Its next nonce now.
    pub nonce: u64,
    /// Its next nonce before.
    pub previous: u64,
}

/// `POST /dev/modes`: switches the write mode and `read_only`; an absent
/// member stays as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModesRequest {
    /// `v1_only`, `dual` or `v2_only`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub write_mode: Option<NativeWriteMode>,
    /// Whether every native write is refused.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub read_only: Option<bool>,
}

/// `GET /dev/modes` and the answer of `POST /dev/modes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModesAnswer {
    /// The write mode (what applies once the node is writable).
    pub write_mode: NativeWriteMode,
    /// Whether every native write is refused.
    pub read_only: bool,
}

/// `POST /dev/fees`: changes the Payment and BatchPayment fees; an absent
/// member stays as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeesRequest {
    /// The fee of every token without its own, base units.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub flat: Option<String>,
    /// Per-token fees to set (base units), or to remove (`null`: the token
    /// pays the flat fee again). Tokens not named keep theirs.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub per_token: Option<BTreeMap<String, Option<String>>>,
    /// Who receives fees and escrow fees.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub collector: Option<String>,
}

/// `GET /dev/fees` and the answer of `POST /dev/fees`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeesAnswer {
    /// The fee of every token without its own, decimal base units.
    pub flat: String,
    /// Per-token fees, by token address (EIP-55).
    pub per_token: BTreeMap<String, String>,
    /// Who receives fees; `null`: each token's issuer.
    pub collector: Option<String>,
}

/// When the node closes checkpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckpointMode {
    /// Each commit of the writer closes one over what it admitted (the
    /// default: one per write unless writes arrive together).
    Auto,
    /// Exactly one per transaction.
    PerWrite,
    /// One every `interval_ms` over what was admitted since the last
    /// (none when nothing was).
    Interval,
    /// Only `POST /dev/checkpoint` closes one.
    Manual,
}

/// `POST /dev/checkpoint_mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointModeRequest {
    /// The mode.
    pub mode: CheckpointMode,
    /// For `interval`: milliseconds between checkpoints (required there,
    /// refused elsewhere).
    #[serde(
        default,
        deserialize_with = "present_whole",
        skip_serializing_if = "Option::is_none"
    )]
    pub interval_ms: Option<u64>,
}

/// `GET /dev/checkpoint_mode` and the answer of `POST /dev/checkpoint_mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointModeAnswer {
    /// The mode.
    pub mode: CheckpointMode,
    /// For `interval`: milliseconds between checkpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval_ms: Option<u64>,
    /// Transactions admitted and not yet in a checkpoint.
    pub pending: u64,
}

/// The answer of `POST /dev/checkpoint`: the checkpoint it closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointClosed {
    /// Its number.
    pub number: u64,
    /// Its hash.
    pub hash: String,
    /// How many transactions it holds (0: an empty checkpoint).
    pub transactions: u64,
}

/// The answer of `POST /dev/snapshot`: the whole state (ledger,
/// transactions, receipts, checkpoints) is kept under `id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotTaken {
    /// What `POST /dev/revert` names.
    pub id: u64,
    /// The latest checkpoint it holds (transactions pending in `interval`
    /// or `manual` mode are closed into one first).
    pub checkpoint: u64,
}

/// `POST /dev/revert`: returns the whole state to snapshot `id`; that
/// snapshot and every later one are used up (as anvil's `evm_revert`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevertRequest {
    /// A snapshot's id.
    #[serde(deserialize_with = "whole")]
    pub id: u64,
}

/// The answer of `POST /dev/revert`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reverted {
    /// The snapshot reverted to (now used up).
    pub id: u64,
    /// The latest checkpoint now.
    pub checkpoint: u64,
}

/// `POST /dev/faults`: the next `count` writes on `path` answer `status`
/// with `error_code` instead of running.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRequest {
    /// A write path, e.g. `/v2/transactions/payment`.
    pub path: String,
    /// The `error_code` to answer (letters, digits, `_`; 1 to 64).
    pub error_code: String,
    /// The HTTP status, 400 to 599 (default: the node's status for its own
    /// codes, else 500).
    #[serde(
        default,
        deserialize_with = "present_whole",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<u64>,
    /// How many writes (default 1; 0 disarms the path).
    #[serde(
        default,
        deserialize_with = "present_whole",
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<u64>,
}

/// An armed fault.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// The write path.
    pub path: String,
    /// The HTTP status answered.
    pub status: u16,
    /// The `error_code` answered.
    pub error_code: String,
    /// How many more writes it answers.
    pub remaining: u64,
}

/// `GET /dev/faults`, and the answer of `POST /dev/faults` and
/// `POST /dev/clear_faults`: every armed fault, by path.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultsAnswer {
    /// The armed faults.
    pub faults: Vec<Fault>,
}

/// The member of `POST /dev/send` that names the address to send as. The
/// whole body is an unsigned document of the operation (`"operation"`, its
/// fields, optional `chain_id`, `nonce`, `memo`) plus this member.
pub const SEND_FROM: &str = "from";
/// In `POST /dev/send`, TokenClawback's own `from` (the holder the tokens
/// are taken from), which [`SEND_FROM`] takes at the top level.
pub const SEND_CLAWBACK_FROM: &str = "clawback_from";

/// The top-level members of a JSON object, in order, each value exactly
/// as written, and written back so (a `POST /dev/send` body: its members
/// are checked by name, `from` taken out, and the rest handed to the
/// core's parser as they came).
#[derive(Debug)]
pub struct Members(pub Vec<(String, Box<RawValue>)>);

impl Members {
    /// A name that appears twice, if any.
    pub fn duplicate(&self) -> Option<&str> {
        let names = &self.0;
        names
            .iter()
            .enumerate()
            .find(|(i, (name, _))| names.iter().skip(i + 1).any(|(n, _)| n == name))
            .map(|(_, (name, _))| name.as_str())
    }

    /// The value of `name`, as written.
    pub fn get(&self, name: &str) -> Option<&RawValue> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| &**v)
    }

    /// The value of `name` if it is a JSON string.
    pub fn string(&self, name: &str) -> Option<String> {
        serde_json::from_str(self.get(name)?.get()).ok()
    }
}

impl Serialize for Members {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> serde::de::Visitor<'de> for Object {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Object)
    }
}

/// An optional member that may be absent but not `null` (the schema says
/// its type, which `null` is not).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A whole number as JSON Schema counts one, whatever its form: `5`,
/// `5.0`, `5e3`, `50e-1`; `None` for a fraction, a negative number or one
/// beyond 2^64-1 (read exactly from the text, never through a float).
pub fn whole_number(text: &str) -> Option<u64> {
    let number = JsonNumber::parse(text)?;
    let text = number.as_str();
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, "0"),
    };
    let (int, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let int = int.trim_start_matches('-');
    let mut digits = format!("{int}{fraction}");
    if digits.bytes().all(|b| b == b'0') {
        return Some(0);
    }
    if text.starts_with('-') {
        return None;
    }
    let mut exponent = exponent.parse::<i64>().ok()? - i64::try_from(fraction.len()).ok()?;
    while exponent < 0 {
        digits.pop().filter(|&d| d == '0')?;
        exponent += 1;
    }
    if exponent > 20 {
        return None;
    }
    digits.push_str(&"0".repeat(usize::try_from(exponent).ok()?));
    digits.trim_start_matches('0').parse().ok()
}

/// A `u64` member written as any whole JSON number ([`whole_number`]).
fn whole<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let raw = Box::<RawValue>::deserialize(d)?;
    let text = raw.get();
    if JsonNumber::parse(text).is_none() {
        return Err(D::Error::custom(format!(
            "invalid type: {text}, expected an integer"
        )));
    }
    whole_number(text).ok_or_else(|| {
        D::Error::custom(format!(
            "invalid value: {text}, expected an integer 0..2^64-1"
        ))
    })
}

/// An optional [`whole`] member: absent, or a whole number (not `null`).
fn present_whole<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    whole(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_in_every_form() {
        for (text, value) in [
            ("5", Some(5)),
            ("5.0", Some(5)),
            ("100000.0", Some(100_000)),
            ("5e3", Some(5000)),
            ("5E+3", Some(5000)),
            ("50e-1", Some(5)),
            ("0", Some(0)),
            ("-0", Some(0)),
            ("0.0e-999999", Some(0)),
            ("18446744073709551615", Some(u64::MAX)),
            ("1.8446744073709551615e19", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("1e21", None),
            ("1.5", None),
            ("5e-1", None),
            ("-1", None),
            ("\"5\"", None),
            ("05", None),
        ] {
            assert_eq!(whole_number(text), value, "{text}");
        }
    }

    #[test]
    fn members_keep_order_values_and_duplicates() {
        let m: Members =
            serde_json::from_str(r#"{"b": [1, 2], "a\u0041": "x", "b": {"c": 1.50}}"#).unwrap();
        assert_eq!(m.duplicate(), Some("b"));
        assert_eq!(m.string("aA").as_deref(), Some("x"));
        assert_eq!(m.get("b").unwrap().get(), "[1, 2]");
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"b":[1, 2],"aA":"x","b":{"c": 1.50}}"#
        );
        assert!(serde_json::from_str::<Members>("[1]").is_err());
    }

    #[test]
    fn optional_members_may_be_absent_but_not_null() {
        let ok: ModesRequest = serde_json::from_str("{}").unwrap();
        assert_eq!(ok, ModesRequest::default());
        assert!(serde_json::from_str::<ModesRequest>(r#"{"read_only":null}"#).is_err());
        assert!(serde_json::from_str::<FeesRequest>(r#"{"flat":null}"#).is_err());
        // A per-token fee of null removes it: null is a value there.
        let fees: FeesRequest = serde_json::from_str(r#"{"per_token":{"0xab":null}}"#).unwrap();
        assert_eq!(fees.per_token.unwrap()["0xab"], None);
        let mode: CheckpointModeRequest =
            serde_json::from_str(r#"{"mode":"interval","interval_ms":1e2}"#).unwrap();
        assert_eq!(mode.interval_ms, Some(100));
        assert!(serde_json::from_str::<CheckpointModeRequest>(
            r#"{"mode":"auto","interval_ms":null}"#
        )
        .is_err());
        let nonce: SetNonceRequest =
            serde_json::from_str(r#"{"address":"0x01","nonce":7.0}"#).unwrap();
        assert_eq!(nonce.nonce, 7);
    }
}
