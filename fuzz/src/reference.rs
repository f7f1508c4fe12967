//! Independent, allocation-happy reimplementations used as oracles.
//!
//! They follow the spec (`shared/spec/onemoney-issue-token.md`) directly and
//! share no code with `tokensign-core` beyond `keccak256`, so a disagreement
//! points at a bug in one of the two.

use serde_json::Value;
use tokensign_core::{keccak256, Address, Error, Signature, TokenIssuePayload};

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

/// The payload's items in the signed order.
fn payload_items(p: &TokenIssuePayload) -> Vec<Vec<u8>> {
    let mut items = vec![
        rlp_uint(&p.chain_id().to_be_bytes()),
        rlp_uint(&p.nonce().to_be_bytes()),
        rlp_string(p.symbol().as_bytes()),
        rlp_string(p.name().as_bytes()),
        rlp_uint(&[p.decimals()]),
        rlp_string(p.master_authority().as_bytes()),
        rlp_bool(p.is_private()),
    ];
    if let Some(clawback) = p.clawback_enabled() {
        items.push(rlp_bool(clawback));
    }
    items
}

/// The signed RLP of a payload, per the spec.
pub fn payload_rlp(p: &TokenIssuePayload) -> Vec<u8> {
    rlp_list(&payload_items(p))
}

/// The transaction hash per the spec: keccak256(rlp([[payload], v, r, s]))
/// with v, r and s as minimal RLP integers.
pub fn tx_hash(p: &TokenIssuePayload, sig: &Signature) -> [u8; 32] {
    let rlp = rlp_list(&[
        payload_rlp(p),
        rlp_uint(&[sig.v]),
        rlp_uint(&sig.r),
        rlp_uint(&sig.s),
    ]);
    keccak256(&rlp)
}

/// The token (mint) address: last 20 bytes of keccak256(master ++ symbol).
pub fn token_address(p: &TokenIssuePayload) -> Address {
    let mut data = p.master_authority().as_bytes().to_vec();
    data.extend_from_slice(p.symbol().as_bytes());
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
pub fn parse_address(text: &[u8]) -> Result<Address, Error> {
    let digits = match text {
        [b'0', b'x' | b'X', rest @ ..] => rest,
        _ => return Err(Error::AddressMissingPrefix),
    };
    if digits.len() != 40 {
        return Err(Error::AddressLength);
    }
    if !digits.iter().all(u8::is_ascii_hexdigit) {
        return Err(Error::AddressNotHex);
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
        return Err(Error::AddressChecksum);
    }
    Ok(address)
}

/// Whether a payload built from these fields must be accepted, per the
/// spec's and the network's validation rules.
pub fn payload_is_valid(
    chain_id: u64,
    nonce: u64,
    symbol: &str,
    name: &str,
    decimals: u64,
) -> bool {
    chain_id <= i64::MAX as u64
        && nonce <= i64::MAX as u64
        && !symbol.is_empty()
        && symbol.len() <= 20
        && symbol.chars().all(char::is_alphanumeric)
        && !name.is_empty()
        && name.len() <= 120
        && !name.chars().any(tokensign_core::payload::is_screen_unsafe)
        && decimals <= 18
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

/// Asserts that a JSON document, read by `serde_json` (an independent,
/// strict parser), holds exactly the payload (and signature, if given) that
/// the core read from it or wrote to it.
pub fn assert_json_holds(json: &[u8], p: &TokenIssuePayload, sig: Option<&Signature>) {
    let value: Value = match serde_json::from_slice(json) {
        Ok(v) => v,
        Err(e) => panic!(
            "the core accepted or wrote a document that is not JSON ({e}): {:?}",
            String::from_utf8_lossy(json)
        ),
    };
    let obj = value.as_object().expect("a JSON object");
    let mut expected_keys = 7 + usize::from(p.clawback_enabled().is_some());
    assert_eq!(obj["chain_id"].as_u64(), Some(p.chain_id()), "chain_id");
    assert_eq!(obj["nonce"].as_u64(), Some(p.nonce()), "nonce");
    assert_eq!(obj["symbol"].as_str(), Some(p.symbol()), "symbol");
    assert_eq!(obj["name"].as_str(), Some(p.name()), "name");
    assert_eq!(
        obj["decimals"].as_u64(),
        Some(u64::from(p.decimals())),
        "decimals"
    );
    let master = obj["master_authority"].as_str().expect("address string");
    assert_eq!(
        parse_address(master.as_bytes()),
        Ok(p.master_authority()),
        "master_authority"
    );
    assert_eq!(
        obj["is_private"].as_bool(),
        Some(p.is_private()),
        "is_private"
    );
    assert_eq!(
        obj.get("clawback_enabled")
            .map(|v| v.as_bool().expect("a bool")),
        p.clawback_enabled(),
        "clawback_enabled"
    );
    if let Some(sig) = sig {
        expected_keys += 1;
        let s = obj["signature"].as_object().expect("signature object");
        assert_eq!(s.len(), 3, "signature has r, s and v only");
        assert_eq!(scalar(s["r"].as_str().expect("r string")), sig.r, "r");
        assert_eq!(scalar(s["s"].as_str().expect("s string")), sig.s, "s");
        assert_eq!(s["v"].as_u64(), Some(u64::from(sig.v)), "v");
    }
    assert_eq!(obj.len(), expected_keys, "no other keys");
}
