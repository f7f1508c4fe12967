//! Independent, allocation-happy reimplementations used as oracles.
//!
//! They follow the specs (`onemoney-transactions.md`, `onemoney-issue-token.md`,
//! EIP-55, the RLP definition) directly and share no code with
//! `tokensign-core` beyond `keccak256`, so a disagreement points at a bug in
//! one of the two.

use serde_json::Value;
use tokensign_core::address::AddressError;
use tokensign_core::tx::{Operation, TokenIssue};
use tokensign_core::{keccak256, Address, Signature, Transaction};

/// RLP of a byte string.
pub fn rlp_string(bytes: &[u8]) -> Vec<u8> {
    match bytes {
        [b] if *b < 0x80 => vec![*b],
        _ => {
            let mut out = rlp_header(bytes.len(), 0x80);
            out.extend_from_slice(bytes);
            out
        }
    }
}

/// RLP header of a string (`base` 0x80) or list (`base` 0xc0) of `len` bytes.
pub fn rlp_header(len: usize, base: u8) -> Vec<u8> {
    if len <= 55 {
        vec![base + len as u8]
    } else {
        let be = (len as u64).to_be_bytes();
        let skip = be.iter().take_while(|b| **b == 0).count();
        let mut out = vec![base + 55 + (8 - skip) as u8];
        out.extend_from_slice(&be[skip..]);
        out
    }
}

/// RLP of an unsigned integer given big-endian: minimal, zero is `0x80`.
pub fn rlp_uint(be: &[u8]) -> Vec<u8> {
    let skip = be.iter().take_while(|b| **b == 0).count();
    rlp_string(&be[skip..])
}

/// RLP list of already encoded items.
pub fn rlp_list(items: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = items.concat();
    let mut out = rlp_header(body.len(), 0xc0);
    out.extend_from_slice(&body);
    out
}

fn rlp_bool(v: bool) -> Vec<u8> {
    if v {
        vec![0x01]
    } else {
        vec![0x80]
    }
}

/// A generic RLP tree, read by a decoder written from the RLP definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rlp {
    /// A byte string.
    Str(Vec<u8>),
    /// A list.
    List(Vec<Rlp>),
}

impl Rlp {
    /// The canonical encoding of the tree.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Rlp::Str(bytes) => rlp_string(bytes),
            Rlp::List(items) => rlp_list(&items.iter().map(Rlp::encode).collect::<Vec<_>>()),
        }
    }

    /// The items of a list (panics on a string: only for trees the core wrote).
    pub fn items(&self) -> &[Rlp] {
        match self {
            Rlp::List(items) => items,
            Rlp::Str(_) => panic!("expected an RLP list, found a string"),
        }
    }

    /// The bytes of a string (panics on a list).
    pub fn bytes(&self) -> &[u8] {
        match self {
            Rlp::Str(bytes) => bytes,
            Rlp::List(_) => panic!("expected an RLP string, found a list"),
        }
    }
}

/// Reads one item of any (even non-canonical) well-formed RLP; returns the
/// tree and the rest. `None` if the input is not well-formed.
pub fn rlp_parse(input: &[u8]) -> Option<(Rlp, &[u8])> {
    let (&first, rest) = input.split_first()?;
    let (is_list, len, body) = match first {
        0x00..=0x7f => return Some((Rlp::Str(vec![first]), rest)),
        0x80..=0xb7 => (false, usize::from(first - 0x80), rest),
        0xc0..=0xf7 => (true, usize::from(first - 0xc0), rest),
        _ => {
            let (is_list, n) = if first < 0xc0 {
                (false, usize::from(first - 0xb7))
            } else {
                (true, usize::from(first - 0xf7))
            };
            if rest.len() < n || n > 8 {
                return None;
            }
            let len = rest[..n]
                .iter()
                .fold(0u128, |acc, b| acc * 256 + u128::from(*b));
            (is_list, usize::try_from(len).ok()?, &rest[n..])
        }
    };
    if body.len() < len {
        return None;
    }
    let (payload, after) = body.split_at(len);
    if !is_list {
        return Some((Rlp::Str(payload.to_vec()), after));
    }
    let mut items = Vec::new();
    let mut rest = payload;
    while !rest.is_empty() {
        let (item, next) = rlp_parse(rest)?;
        items.push(item);
        rest = next;
    }
    Some((Rlp::List(items), after))
}

/// Asserts that `bytes` are exactly one item of canonical RLP: read
/// leniently, then written canonically, they are the same bytes.
pub fn assert_canonical_rlp(bytes: &[u8], what: &str) -> Rlp {
    let Some((tree, rest)) = rlp_parse(bytes) else {
        panic!("{what}: not well-formed RLP: {bytes:02x?}")
    };
    assert!(rest.is_empty(), "{what}: bytes after the RLP item");
    assert_eq!(tree.encode(), bytes, "{what}: RLP is not canonical");
    tree
}

/// The TokenIssue's items in the signed order, per `onemoney-issue-token.md`.
fn issue_items(chain_id: u64, nonce: u64, issue: &TokenIssue) -> Vec<Vec<u8>> {
    let mut items = vec![
        rlp_uint(&chain_id.to_be_bytes()),
        rlp_uint(&nonce.to_be_bytes()),
        rlp_string(issue.symbol.as_bytes()),
        rlp_string(issue.name.as_bytes()),
        rlp_uint(&[issue.decimals]),
        rlp_string(issue.master_authority.as_bytes()),
        rlp_bool(issue.is_private),
    ];
    if let Some(clawback) = issue.clawback_enabled {
        items.push(rlp_bool(clawback));
    }
    items
}

/// The legacy signed bytes of a TokenIssue transaction: `rlp(P)`, or with a
/// memo `rlp([P, [type, format, data]])`. Panics for other operations.
pub fn issue_signed_value<const B: usize, const M: usize>(tx: &Transaction<B, M>) -> Vec<u8> {
    let Operation::TokenIssue(issue) = &tx.operation else {
        panic!("the reference encodes TokenIssue only");
    };
    let payload = rlp_list(&issue_items(tx.chain_id, tx.nonce, issue));
    match &tx.memo {
        None => payload,
        Some(memo) => rlp_list(&[
            payload,
            rlp_list(&[
                rlp_string(memo.kind.as_bytes()),
                rlp_string(memo.format.as_bytes()),
                rlp_string(memo.data.as_bytes()),
            ]),
        ]),
    }
}

/// The legacy transaction hash per the issue spec: keccak256(rlp([signed
/// value, v, r, s])) with v, r and s as minimal RLP integers, from the
/// signed bytes.
pub fn legacy_tx_hash(signed_value: &[u8], sig: &Signature) -> [u8; 32] {
    keccak256(&rlp_list(&[
        signed_value.to_vec(),
        rlp_uint(&[sig.v]),
        rlp_uint(&sig.r),
        rlp_uint(&sig.s),
    ]))
}

/// The v2 envelope per `onemoney-transactions.md`: `[DOMAIN, op_type,
/// descriptor, payload_rlp (as one string)]`, plus the proof when given.
pub fn native_envelope(
    op: u8,
    descriptor: &[u8],
    payload_rlp: &[u8],
    proof: Option<&[u8]>,
) -> Vec<u8> {
    let mut items = vec![
        rlp_string(b"1money.native.transaction.v2"),
        rlp_uint(&[op]),
        descriptor.to_vec(),
        rlp_string(payload_rlp),
    ];
    items.extend(proof.map(<[u8]>::to_vec));
    rlp_list(&items)
}

/// The token (mint) address: last 20 bytes of keccak256(master ++ symbol).
pub fn token_address(issue: &TokenIssue) -> Address {
    let mut data = issue.master_authority.as_bytes().to_vec();
    data.extend_from_slice(issue.symbol.as_bytes());
    let hash = keccak256(&data);
    Address(hash[12..].try_into().expect("20 bytes"))
}

/// EIP-55 checksum text of an address, computed from the lowercase hex.
pub fn eip55(address: &Address) -> String {
    let lower: String = address.0.iter().map(|b| format!("{b:02x}")).collect();
    let hash = keccak256(lower.as_bytes());
    let digits: String = lower
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let nibble = if i % 2 == 0 {
                hash[i / 2] >> 4
            } else {
                hash[i / 2] & 0x0f
            };
            if c.is_ascii_alphabetic() && nibble >= 8 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect();
    format!("0x{digits}")
}

/// Address parsing per the spec and EIP-55: `0x` or `0X`, exactly 40 hex
/// digits; all-lowercase and all-uppercase are accepted as they are, a
/// mixed-case address must match its checksum. The error is the first rule
/// broken, in that order.
pub fn parse_address(text: &[u8]) -> Result<Address, AddressError> {
    let digits = match text {
        [b'0', b'x' | b'X', rest @ ..] => rest,
        _ => return Err(AddressError::MissingPrefix),
    };
    if digits.len() != 40 {
        return Err(AddressError::Length);
    }
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return Err(AddressError::NotHex);
    }
    let text = std::str::from_utf8(digits).expect("hex digits are ASCII");
    let mut bytes = [0u8; 20];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).expect("two hex digits");
    }
    let address = Address(bytes);
    let mixed =
        digits.iter().any(u8::is_ascii_lowercase) && digits.iter().any(u8::is_ascii_uppercase);
    if mixed && eip55(&address)[2..] != *text {
        return Err(AddressError::Checksum);
    }
    Ok(address)
}

/// Whether an issue built from these fields must be accepted, per the
/// spec's and the network's validation rules.
pub fn issue_is_valid(chain_id: u64, nonce: u64, symbol: &str, name: &str, decimals: u64) -> bool {
    chain_id <= i64::MAX as u64
        && nonce <= i64::MAX as u64
        && !symbol.is_empty()
        && symbol.len() <= 20
        && symbol.chars().all(char::is_alphanumeric)
        && !name.is_empty()
        && name.len() <= 120
        && !name.chars().any(tokensign_core::text::is_screen_unsafe)
        && decimals <= 18
}

/// How a body the core accepted may differ from the body it writes back.
#[derive(Clone, Copy, Debug, Default)]
pub struct Normalized {
    /// A document without `operation` is a TokenIssue (written with it).
    pub operation: Option<&'static str>,
    /// A v2 TokenIssue without `clawback_enabled` is written with `true`.
    pub clawback_true: bool,
}

/// Asserts that `input` (a body the core accepted) and `written` (what the
/// core wrote for the value it read) hold the same values when both are
/// read by `serde_json`, an independent strict parser: the same members,
/// strings equal once decoded (addresses and hex in any case, signature
/// scalars with any leading zeros, U256 amounts by value: the network
/// reads decimal with leading zeros and `0x`-hex, spec 2.3, and the core
/// writes canonical decimal), `null` the same as absent. Both must be
/// JSON.
pub fn assert_json_equivalent(input: &[u8], written: &[u8], normalized: Normalized) {
    let read = |bytes: &[u8], what: &str| -> Value {
        serde_json::from_slice(bytes).unwrap_or_else(|e| {
            panic!(
                "the core {what} a document that is not JSON ({e}): {:?}",
                String::from_utf8_lossy(bytes)
            )
        })
    };
    let mut input_value = read(input, "accepted");
    let written_value = read(written, "wrote");
    let object = input_value
        .as_object_mut()
        .expect("an accepted body is an object");
    if let Some(name) = normalized.operation {
        object
            .entry("operation")
            .or_insert_with(|| Value::from(name));
    }
    if normalized.clawback_true {
        let entry = object
            .entry("clawback_enabled")
            .or_insert(Value::Bool(true));
        if entry.is_null() {
            *entry = Value::Bool(true);
        }
    }
    if let Err(path) = equivalent(&input_value, &written_value, "") {
        panic!(
            "read and written bodies differ at `{path}`:\n  read:    {}\n  written: {}",
            String::from_utf8_lossy(input),
            String::from_utf8_lossy(written)
        );
    }
}

fn strip_0x(text: &str) -> Option<&str> {
    text.strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// A U256 read per spec 2.3 (decimal digits, leading zeros allowed, or
/// `0x` + hex digits), as canonical decimal digits; `None` if it is
/// neither. No bound: only equality matters here.
fn u256_decimal(text: &str) -> Option<String> {
    let (digits, radix) = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => (hex, 16),
        None => (text, 10),
    };
    if digits.is_empty() {
        return None;
    }
    // Little-endian base-10 digits of the value so far.
    let mut value: Vec<u32> = vec![0];
    for c in digits.chars() {
        let mut carry = c.to_digit(radix)?;
        for d in value.iter_mut() {
            let t = *d * radix + carry;
            *d = t % 10;
            carry = t / 10;
        }
        while carry > 0 {
            value.push(carry % 10);
            carry /= 10;
        }
    }
    while value.len() > 1 && value.last() == Some(&0) {
        value.pop();
    }
    Some(
        value
            .iter()
            .rev()
            .map(|d| char::from(b'0' + *d as u8))
            .collect(),
    )
}

/// Whether the member at `path` (named `key`) is a U256 amount of an
/// operation (not a metadata entry's `value`, which is text).
fn is_amount(path: &str, key: &str) -> bool {
    matches!(key, "value" | "amount" | "escrow_fee") && !path.contains("additional_metadata")
}

fn equivalent(a: &Value, b: &Value, path: &str) -> Result<(), String> {
    let key = path.rsplit('.').next().unwrap_or("");
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let present = |o: &serde_json::Map<String, Value>| -> Vec<String> {
                let mut keys: Vec<String> = o
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, _)| k.clone())
                    .collect();
                keys.sort();
                keys
            };
            if present(x) != present(y) {
                return Err(format!(
                    "{path} (members {:?} / {:?})",
                    present(x),
                    present(y)
                ));
            }
            for (k, v) in x.iter().filter(|(_, v)| !v.is_null()) {
                equivalent(v, &y[k], &format!("{path}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .try_for_each(|(i, (v, w))| equivalent(v, w, &format!("{path}[{i}]"))),
        (Value::String(x), Value::String(y)) => {
            let same = x == y
                || (is_amount(path, key)
                    && u256_decimal(x).is_some_and(|v| Some(v) == u256_decimal(y)))
                || match (strip_0x(x), strip_0x(y)) {
                    (Some(dx), Some(dy)) if key == "r" || key == "s" => dx
                        .trim_start_matches('0')
                        .eq_ignore_ascii_case(dy.trim_start_matches('0')),
                    (Some(dx), Some(dy)) => dx.eq_ignore_ascii_case(dy),
                    _ => false,
                };
            if same {
                Ok(())
            } else {
                Err(path.to_string())
            }
        }
        _ if a == b => Ok(()),
        _ => Err(path.to_string()),
    }
}

/// Asserts that a JSON document, read by `serde_json`, holds exactly the
/// TokenIssue transaction (and signature, if given) that the core read from
/// it or wrote to it, checked field by field against the issue spec's
/// request layout.
pub fn assert_issue_json_holds<const B: usize, const M: usize>(
    json: &[u8],
    tx: &Transaction<B, M>,
    sig: Option<&Signature>,
) {
    let Operation::TokenIssue(issue) = &tx.operation else {
        panic!("not a TokenIssue");
    };
    let value: Value = match serde_json::from_slice(json) {
        Ok(v) => v,
        Err(e) => panic!(
            "the core accepted or wrote a document that is not JSON ({e}): {:?}",
            String::from_utf8_lossy(json)
        ),
    };
    let obj = value.as_object().expect("a JSON object");
    let present = |k: &str| obj.get(k).is_some_and(|v| !v.is_null());
    assert_eq!(obj["chain_id"].as_u64(), Some(tx.chain_id), "chain_id");
    assert_eq!(obj["nonce"].as_u64(), Some(tx.nonce), "nonce");
    assert_eq!(obj["symbol"].as_str(), Some(&*issue.symbol), "symbol");
    assert_eq!(obj["name"].as_str(), Some(&*issue.name), "name");
    assert_eq!(
        obj["decimals"].as_u64(),
        Some(u64::from(issue.decimals)),
        "decimals"
    );
    let master = obj["master_authority"].as_str().expect("address string");
    assert_eq!(
        parse_address(master.as_bytes()),
        Ok(issue.master_authority),
        "master_authority"
    );
    assert_eq!(
        obj["is_private"].as_bool(),
        Some(issue.is_private),
        "is_private"
    );
    assert_eq!(
        obj.get("clawback_enabled").and_then(Value::as_bool),
        issue.clawback_enabled,
        "clawback_enabled"
    );
    let mut expected_keys = 7 + usize::from(issue.clawback_enabled.is_some());
    match &tx.memo {
        Some(memo) => {
            expected_keys += 1;
            let m = obj["memo"].as_object().expect("memo object");
            assert_eq!(m.len(), 3, "memo has type, format and data");
            assert_eq!(m["type"].as_str(), Some(&*memo.kind), "memo.type");
            assert_eq!(m["format"].as_str(), Some(&*memo.format), "memo.format");
            assert_eq!(m["data"].as_str(), Some(&*memo.data), "memo.data");
        }
        None => assert!(!present("memo"), "memo"),
    }
    if let Some(sig) = sig {
        expected_keys += 1;
        let s = obj["signature"].as_object().expect("signature object");
        assert_eq!(s.len(), 3, "signature has r, s and v only");
        assert_eq!(scalar(s["r"].as_str().expect("r string")), sig.r, "r");
        assert_eq!(scalar(s["s"].as_str().expect("s string")), sig.s, "s");
        assert_eq!(s["v"].as_u64(), Some(u64::from(sig.v)), "v");
    }
    let count = obj.values().filter(|v| !v.is_null()).count();
    assert_eq!(count, expected_keys, "no other members");
}

/// A 32-byte big-endian scalar from "0x" + 1 to 64 hex digits.
fn scalar(text: &str) -> [u8; 32] {
    let digits = text.strip_prefix("0x").expect("0x prefix");
    assert!((1..=64).contains(&digits.len()), "1 to 64 digits: {text}");
    let padded = format!("{digits:0>64}");
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&padded[2 * i..2 * i + 2], 16).expect("hex digits");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn u256_forms_compare_by_value() {
        for (a, b) in [
            ("7", "7"),
            ("007", "7"),
            ("0x7", "7"),
            ("0X0007", "7"),
            ("0xff", "255"),
        ] {
            assert_eq!(u256_decimal(a), u256_decimal(b), "{a} {b}");
        }
        assert_eq!(u256_decimal("0"), Some("0".into()));
        assert_eq!(u256_decimal("0x0"), Some("0".into()));
        assert_eq!(
            u256_decimal(&format!("0x{}", "f".repeat(64))).as_deref(),
            Some("115792089237316195423570985008687907853269984665640564039457584007913129639935")
        );
        for bad in ["", "0x", "-1", "1e3", "0xg", " 1"] {
            assert_eq!(u256_decimal(bad), None, "{bad}");
        }
        let body = |v: &str| {
            format!(r#"{{"value":"{v}","additional_metadata":[{{"key":"k","value":"{v}"}}]}}"#)
        };
        // An amount is compared by value; a metadata value stays text.
        let read = br#"{"value":"007","additional_metadata":[{"key":"k","value":"7"}]}"#;
        assert_json_equivalent(read, body("7").as_bytes(), Normalized::default());
        let changed = std::panic::catch_unwind(|| {
            assert_json_equivalent(
                body("007").as_bytes(),
                body("7").as_bytes(),
                Normalized::default(),
            )
        });
        assert!(changed.is_err(), "a metadata text compared by value");
        let other = std::panic::catch_unwind(|| {
            assert_json_equivalent(
                br#"{"value":"0x8"}"#,
                br#"{"value":"7"}"#,
                Normalized::default(),
            )
        });
        assert!(other.is_err(), "different values compared equal");
    }
}
