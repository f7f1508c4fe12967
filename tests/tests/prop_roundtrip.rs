//! Round trips and size bounds of the core, 10,000 cases each (set
//! explicitly: CI runs exactly this many). Generators produce only valid
//! payloads (see `tokensign_tests::strategies`).

use proptest::prelude::*;
use tokensign_core::{
    decode_rlp, encode_rlp, json, rlp_len, signing_hash, Error, PayloadFields, SignedRequest,
    TokenIssuePayload, MAX_PAYLOAD_JSON_LEN, MAX_REQUEST_JSON_LEN, MAX_RLP_LEN,
};
use tokensign_tests::regressions;
use tokensign_tests::strategies::{self, Fields};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 10_000,
        failure_persistence: regressions::persistence("prop_roundtrip"),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Every generated payload is accepted, and `fields()` gives it back.
    #[test]
    fn generated_payloads_are_valid(f in strategies::fields()) {
        let p = TokenIssuePayload::new(f.fields());
        prop_assert!(p.is_ok(), "{:?}: {:?}", f, p);
        let p = p.unwrap();
        prop_assert_eq!(TokenIssuePayload::new(p.fields()), Ok(p.clone()));
        prop_assert_eq!(p.fields(), f.fields());
    }

    /// encode -> decode gives the payload back; the length is `rlp_len`.
    #[test]
    fn rlp_round_trip(f in strategies::fields()) {
        let p = f.payload();
        let mut buf = [0u8; MAX_RLP_LEN];
        let n = encode_rlp(&p, &mut buf).unwrap();
        prop_assert_eq!(n, rlp_len(&p));
        prop_assert_eq!(decode_rlp(&buf[..n]), Ok(p.clone()));
        // A buffer one byte short is refused, never overrun.
        prop_assert_eq!(encode_rlp(&p, &mut buf[..n - 1]), Err(Error::BufferTooSmall));
    }

    /// write_payload -> parse_payload gives the payload back.
    #[test]
    fn payload_json_round_trip(f in strategies::fields()) {
        let p = f.payload();
        let mut buf = [0u8; MAX_PAYLOAD_JSON_LEN];
        let n = json::write_payload(&p, &mut buf).unwrap();
        prop_assert_eq!(json::parse_payload(&buf[..n]), Ok(p.clone()));
        // And it is valid JSON with the same values for an ordinary parser.
        let v: serde_json::Value = serde_json::from_slice(&buf[..n]).unwrap();
        prop_assert_eq!(v["name"].as_str(), Some(p.name()));
        prop_assert_eq!(v["symbol"].as_str(), Some(p.symbol()));
        prop_assert_eq!(v["nonce"].as_u64(), Some(p.nonce()));
        prop_assert_eq!(v["chain_id"].as_u64(), Some(p.chain_id()));
        prop_assert_eq!(v.get("clawback_enabled").and_then(|c| c.as_bool()), p.clawback_enabled());
        prop_assert!(v.get("signature").is_none());
    }

    /// write_request -> parse_request gives the request back, for any
    /// signature value (the parser checks form, not validity).
    #[test]
    fn request_json_round_trip(f in strategies::fields(), signature in strategies::signature()) {
        let request = SignedRequest { payload: f.payload(), signature };
        let mut buf = [0u8; MAX_REQUEST_JSON_LEN];
        let n = json::write_request(&request, &mut buf).unwrap();
        prop_assert_eq!(json::parse_request(&buf[..n]), Ok(request.clone()));
        // The payload parser refuses the signed body (unknown field).
        prop_assert!(json::parse_payload(&buf[..n]).is_err());
        let v: serde_json::Value = serde_json::from_slice(&buf[..n]).unwrap();
        let r = format!("0x{}", hex::encode(signature.r));
        prop_assert_eq!(v["signature"]["r"].as_str(), Some(r.as_str()));
        prop_assert_eq!(v["signature"]["v"].as_u64(), Some(u64::from(signature.v)));
    }

    /// Any accepted payload fits MAX_RLP_LEN and writes into
    /// MAX_PAYLOAD_JSON_LEN / MAX_REQUEST_JSON_LEN.
    #[test]
    fn accepted_payloads_fit_the_constants(f in strategies::fields(), signature in strategies::signature()) {
        let p = f.payload();
        prop_assert!(rlp_len(&p) <= MAX_RLP_LEN);
        let mut rlp = [0u8; MAX_RLP_LEN];
        prop_assert!(encode_rlp(&p, &mut rlp).is_ok());
        let mut out = [0u8; MAX_REQUEST_JSON_LEN];
        prop_assert!(json::write_payload(&p, &mut out[..MAX_PAYLOAD_JSON_LEN]).is_ok());
        let request = SignedRequest { payload: p, signature };
        prop_assert!(json::write_request(&request, &mut out).is_ok());
    }

    /// Changing any one field changes the RLP and the signing hash.
    #[test]
    fn every_field_changes_the_signing_hash(f in strategies::fields(), g in strategies::fields(), which in 0usize..8) {
        // Take g's value; where it equals f's, change f's value minimally.
        let mut h = f.clone();
        let next = |x: u64| if x == i64::MAX as u64 { 0 } else { x + 1 };
        let other = |a: &str, b: &str, alt: &str| {
            if a != b { b.to_owned() } else if a != alt { alt.to_owned() } else { "Q".to_owned() }
        };
        match which {
            0 => h.chain_id = if g.chain_id != f.chain_id { g.chain_id } else { next(f.chain_id) },
            1 => h.nonce = if g.nonce != f.nonce { g.nonce } else { next(f.nonce) },
            2 => h.symbol = other(&f.symbol, &g.symbol, "Z"),
            3 => h.name = other(&f.name, &g.name, "z"),
            4 => h.decimals = if g.decimals != f.decimals { g.decimals } else { (f.decimals + 1) % 19 },
            5 => h.master = if g.master != f.master { g.master } else { let mut m = f.master; m[19] ^= 1; m },
            6 => h.is_private = !f.is_private,
            _ => h.clawback_enabled = match f.clawback_enabled {
                None => Some(g.clawback_enabled.unwrap_or(false)),
                Some(true) => Some(false),
                Some(false) => if g.clawback_enabled == Some(true) { Some(true) } else { None },
            },
        }
        prop_assert_ne!(&h, &f);
        let (p, q) = (f.payload(), h.payload());
        prop_assert_ne!(signing_hash(&p), signing_hash(&q));
        let (mut a, mut b) = ([0u8; MAX_RLP_LEN], [0u8; MAX_RLP_LEN]);
        let (n, m) = (encode_rlp(&p, &mut a).unwrap(), encode_rlp(&q, &mut b).unwrap());
        prop_assert_ne!(&a[..n], &b[..m]);
    }
}

/// A payload whose every field is at its widest and whose name is all
/// `"` (escaped to two bytes each): hits each constant exactly.
#[test]
fn worst_case_hits_the_constants_exactly() {
    let symbol = "S2345678901234567890";
    assert_eq!(symbol.len(), tokensign_core::MAX_SYMBOL_LEN);
    for c in ['"', '\\'] {
        let name: String = std::iter::repeat_n(c, tokensign_core::MAX_NAME_LEN).collect();
        let p = TokenIssuePayload::new(PayloadFields {
            chain_id: i64::MAX as u64,
            nonce: i64::MAX as u64,
            symbol,
            name: &name,
            decimals: 18,
            master_authority: tokensign_core::Address([0xff; 20]),
            is_private: false,
            clawback_enabled: Some(false),
        })
        .unwrap();
        assert_eq!(rlp_len(&p), MAX_RLP_LEN);
        let mut rlp = [0u8; MAX_RLP_LEN];
        assert_eq!(encode_rlp(&p, &mut rlp), Ok(MAX_RLP_LEN));
        let mut out = [0u8; MAX_REQUEST_JSON_LEN + 1];
        assert_eq!(json::write_payload(&p, &mut out), Ok(MAX_PAYLOAD_JSON_LEN));
        let request = SignedRequest {
            payload: p.clone(),
            signature: tokensign_core::Signature {
                r: [0xff; 32],
                s: [0x7f; 32],
                v: 1,
            },
        };
        assert_eq!(
            json::write_request(&request, &mut out),
            Ok(MAX_REQUEST_JSON_LEN)
        );
        assert_eq!(
            json::write_request(&request, &mut out[..MAX_REQUEST_JSON_LEN - 1]),
            Err(Error::BufferTooSmall)
        );
        assert_eq!(
            json::write_payload(&p, &mut out[..MAX_PAYLOAD_JSON_LEN - 1]),
            Err(Error::BufferTooSmall)
        );
        assert_eq!(
            json::parse_request(&out[..MAX_REQUEST_JSON_LEN]),
            Ok(request)
        );
    }
}

/// Wider symbols (4-byte alphanumerics) cannot beat ASCII: the symbol limit
/// counts bytes, and a symbol never needs escaping.
#[test]
fn unicode_worst_case_stays_within_the_constants() {
    let name = "😀".repeat(30); // 120 bytes
    let p = Fields {
        chain_id: i64::MAX as u64,
        nonce: i64::MAX as u64,
        symbol: "𝔘𝔘𝔘𝔘𝔘".to_owned(), // 20 bytes
        name,
        decimals: 18,
        master: [0xff; 20],
        is_private: false,
        clawback_enabled: Some(false),
    }
    .payload();
    assert_eq!(rlp_len(&p), MAX_RLP_LEN);
    let mut out = [0u8; MAX_PAYLOAD_JSON_LEN];
    let n = json::write_payload(&p, &mut out).unwrap();
    assert_eq!(n, MAX_PAYLOAD_JSON_LEN - tokensign_core::MAX_NAME_LEN);
}
