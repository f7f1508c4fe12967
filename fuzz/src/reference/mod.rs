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

mod json;
mod rlp;

pub use json::{assert_json_equivalent, Normalized};
use rlp::rlp_bool;
pub use rlp::{assert_canonical_rlp, rlp_header, rlp_list, rlp_parse, rlp_string, rlp_uint, Rlp};

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
