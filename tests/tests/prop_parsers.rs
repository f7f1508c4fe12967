//! Every parser gives `Ok` or `Err` and never panics: on arbitrary bytes,
//! and on valid encodings with bytes flipped, inserted and deleted. Where a
//! mutated input is still accepted, the result is a valid payload that
//! round-trips (and, for RLP, the input was the canonical encoding).

use proptest::prelude::*;
use proptest::sample::select;
use tokensign_core::{
    decode_rlp, encode_rlp, json, Address, SignedRequest, TokenIssuePayload, MAX_PAYLOAD_JSON_LEN,
    MAX_REQUEST_JSON_LEN, MAX_RLP_LEN,
};
use tokensign_tests::regressions;
use tokensign_tests::strategies::{self, mutate};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 10_000,
        failure_persistence: regressions::persistence("prop_parsers"),
        ..ProptestConfig::default()
    }
}

fn rlp_of(p: &TokenIssuePayload) -> Vec<u8> {
    let mut buf = [0u8; MAX_RLP_LEN];
    let n = encode_rlp(p, &mut buf).unwrap();
    buf[..n].to_vec()
}

fn payload_json(p: &TokenIssuePayload) -> Vec<u8> {
    let mut buf = [0u8; MAX_PAYLOAD_JSON_LEN];
    let n = json::write_payload(p, &mut buf).unwrap();
    buf[..n].to_vec()
}

fn request_json(r: &SignedRequest) -> Vec<u8> {
    let mut buf = [0u8; MAX_REQUEST_JSON_LEN];
    let n = json::write_request(r, &mut buf).unwrap();
    buf[..n].to_vec()
}

/// What a parser accepted must be usable: it re-encodes and re-parses.
fn accepted_payload_is_sound(p: &TokenIssuePayload) -> Result<(), TestCaseError> {
    prop_assert_eq!(TokenIssuePayload::new(p.fields()), Ok(p.clone()));
    prop_assert_eq!(decode_rlp(&rlp_of(p)), Ok(p.clone()));
    prop_assert_eq!(json::parse_payload(&payload_json(p)), Ok(p.clone()));
    Ok(())
}

/// Runs every parser on `bytes`.
fn all_parsers(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(p) = decode_rlp(bytes) {
        accepted_payload_is_sound(&p)?;
        // The strict decoder accepts only the canonical encoding.
        prop_assert_eq!(rlp_of(&p), bytes.to_vec());
    }
    if let Ok(p) = json::parse_payload(bytes) {
        accepted_payload_is_sound(&p)?;
    }
    if let Ok(r) = json::parse_request(bytes) {
        accepted_payload_is_sound(&r.payload)?;
        prop_assert!(r.signature.v <= 1);
        prop_assert_eq!(json::parse_request(&request_json(&r)), Ok(r.clone()));
        // Checking the signature is also total.
        let _ = r.signer();
        let _ = r.tx_hash();
    }
    if let Ok(a) = Address::parse_bytes(bytes) {
        prop_assert_eq!(Address::parse_bytes(&a.to_checksum()), Ok(a));
        prop_assert_eq!(Address::parse_bytes(&a.to_lower_hex()), Ok(a));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = Address::parse(text);
        let _: Result<Address, _> = text.parse();
    }
    Ok(())
}

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"\"",
    b":",
    b",",
    b"\\u",
    b"\\ud83d",
    b"0x",
    b"\"chain_id\":",
    b"\"signature\":{",
    b"\"r\":",
    b"\"name\":",
    b"9223372036854775808",
    b"-1",
    b"1e3",
    b"true",
    b"null",
    b" ",
    b"\"nonce\":",
    b"\"v\":1",
    b"]",
    b"[",
];

/// Bytes biased toward what the parsers look for.
fn json_ish_bytes() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        3 => select(TOKENS).prop_map(<[u8]>::to_vec),
        1 => proptest::collection::vec(any::<u8>(), 1..4),
    ];
    proptest::collection::vec(token, 0..60).prop_map(|ts| ts.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        all_parsers(&bytes)?;
    }

    #[test]
    fn json_like_bytes_never_panic(bytes in json_ish_bytes()) {
        all_parsers(&bytes)?;
    }

    #[test]
    fn rlp_like_bytes_never_panic(
        head in prop_oneof![0xc0u8..=0xff, 0x80u8..=0xbf, any::<u8>()],
        len in proptest::collection::vec(any::<u8>(), 0..9),
        body in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let mut bytes = vec![head];
        bytes.extend_from_slice(&len);
        bytes.extend_from_slice(&body);
        all_parsers(&bytes)?;
    }

    #[test]
    fn mutated_rlp_never_panics(p in strategies::payload(), edits in strategies::mutations()) {
        let bytes = mutate(&rlp_of(&p), &edits);
        all_parsers(&bytes)?;
    }

    #[test]
    fn mutated_payload_json_never_panics(p in strategies::payload(), edits in strategies::mutations()) {
        let bytes = mutate(&payload_json(&p), &edits);
        all_parsers(&bytes)?;
    }

    #[test]
    fn mutated_request_json_never_panics(
        p in strategies::payload(),
        signature in strategies::signature(),
        edits in strategies::mutations(),
    ) {
        let bytes = mutate(&request_json(&SignedRequest { payload: p, signature }), &edits);
        all_parsers(&bytes)?;
    }

    #[test]
    fn mutated_addresses_never_panic(a in strategies::address(), lower in any::<bool>(), edits in strategies::mutations()) {
        let a = Address(a);
        let text = if lower { a.to_lower_hex() } else { a.to_checksum() };
        let bytes = mutate(&text, &edits);
        all_parsers(&bytes)?;
    }
}
