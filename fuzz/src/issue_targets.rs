//! The first targets, ported to the new core: the token issue's payload
//! JSON, v1 request JSON and signed RLP, each held against independent
//! oracles written from the issue spec (`reference.rs`, `serde_json`), and
//! address parsing against a reference EIP-55 parser.

use tokensign_core::json::{self, MAX_JSON_INPUT_LEN};
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::{Address, Error, Field, JsonError, OpType, Transaction};

use crate::invariants::{check_legacy_signed, check_tx, write_json};
use crate::reference;

const ISSUE: OpType = OpType::TokenIssue;

fn assert_json_error_is_bounded(data: &[u8], e: Error) {
    if data.len() > MAX_JSON_INPUT_LEN {
        assert_eq!(e, Error::Json(JsonError::TooLong));
    }
    assert!(
        matches!(
            e,
            Error::Invalid { .. } | Error::Json(_) | Error::InvalidRecoveryId
        ),
        "unexpected error {e:?}"
    );
    assert!(!e.to_string().is_empty());
}

/// Everything that must hold for a TokenIssue transaction the core
/// accepted: its JSON, written, is read back the same by the core and by
/// `serde_json` (field by field against the spec), and every invariant of
/// [`check_tx`].
pub fn check_issue(tx: &Transaction, width: usize) {
    check_tx(tx, width);
    let written = write_json(json::MAX_DOCUMENT_JSON_LEN, "write_unsigned", |b| {
        json::write_unsigned(tx, b)
    });
    reference::assert_issue_json_holds(&written, tx, None);
}

/// `json::parse_legacy(TokenIssue, ..)` on any bytes: an accepted v1 body
/// is JSON to `serde_json` too, with the same values, writes back
/// canonically, and its signature either recovers or is refused as such.
pub fn request_json(data: &[u8]) {
    match json::parse_legacy::<256, 32>(ISSUE, data) {
        Ok(req) => {
            reference::assert_issue_json_holds(data, &req.tx, Some(&req.signature));
            check_issue(&req.tx, 1 + data.len() % 64);
            check_legacy_signed(&req);
            let write = |r: &LegacyTx| {
                write_json(json::MAX_LEGACY_JSON_LEN, "write_legacy", |b| {
                    json::write_legacy(r, b)
                })
            };
            let a = write(&req);
            reference::assert_issue_json_holds(&a, &req.tx, Some(&req.signature));
            let again = json::parse_legacy::<256, 32>(ISSUE, &a).expect("reparses");
            assert_eq!(again, req, "request JSON round trip");
            assert_eq!(write(&again), a, "writing is not canonical");
        }
        Err(e) => assert_json_error_is_bounded(data, e),
    }
    // The same bytes as an unsigned body: a request is refused there, and
    // anything accepted is a valid issue.
    if let Ok(tx) = json::parse_unsigned::<256, 32>(ISSUE, data) {
        reference::assert_issue_json_holds(data, &tx, None);
    }
}

/// `json::parse_unsigned(TokenIssue, ..)` on any bytes (the device's
/// input): the same checks, and it is not a v1 request.
pub fn payload_json(data: &[u8]) {
    match json::parse_unsigned::<256, 32>(ISSUE, data) {
        Ok(tx) => {
            assert_eq!(tx.check(), Ok(()));
            reference::assert_issue_json_holds(data, &tx, None);
            check_issue(&tx, 1 + data.len() % 64);
            let write = |tx: &Transaction| {
                write_json(json::MAX_DOCUMENT_JSON_LEN, "write_unsigned", |b| {
                    json::write_unsigned(tx, b)
                })
            };
            let a = write(&tx);
            let again = json::parse_unsigned::<256, 32>(ISSUE, &a).expect("reparses");
            assert_eq!(again, tx);
            assert_eq!(write(&again), a, "writing is not canonical");
            assert_eq!(
                json::parse_legacy::<256, 32>(ISSUE, data),
                Err(Error::Json(JsonError::MissingField(Field::Signature))),
                "an unsigned body is not a v1 request"
            );
        }
        Err(e) => assert_json_error_is_bounded(data, e),
    }
}

/// `legacy::decode_signed_value(TokenIssue, ..)` on any bytes: whenever
/// decoding succeeds, the reference encoder and the core's both give back
/// the input exactly (only the canonical encoding is accepted), and the
/// transaction passes every check above; errors are RLP or value errors.
pub fn rlp_decode(data: &[u8]) {
    match legacy::decode_signed_value::<256, 32>(ISSUE, data) {
        Ok(tx) => {
            assert_eq!(
                reference::issue_signed_value(&tx),
                data,
                "decode then encode (reference) is not the identity"
            );
            let mut out = vec![0u8; Transaction::<256, 32>::MAX_PAYLOAD_WITH_MEMO_RLP_LEN];
            let n = legacy::encode_signed_value(&tx, &mut out).expect("re-encodes");
            assert_eq!(&out[..n], data, "decode then encode is not the identity");
            if let tokensign_core::Operation::TokenIssue(issue) = &tx.operation {
                assert_eq!(issue.token_address(), reference::token_address(issue));
            }
            check_issue(&tx, 1 + data.len() % 64);
        }
        Err(e) => {
            assert!(
                matches!(e, Error::Rlp(_) | Error::Invalid { .. }),
                "unexpected RLP decoding error {e:?}"
            );
            assert!(!e.to_string().is_empty());
        }
    }
}

/// `Address::parse_bytes` on any bytes: the same answer (and the same
/// error) as the reference parser; an accepted address prints as its EIP-55
/// checksum and as lowercase hex, and both read back as the same address.
pub fn address_parse(data: &[u8]) {
    let got = Address::parse_bytes(data);
    assert_eq!(
        got,
        reference::parse_address(data),
        "differs from the reference"
    );
    if let Ok(text) = std::str::from_utf8(data) {
        assert_eq!(Address::parse(text), got, "parse and parse_bytes differ");
        assert_eq!(text.parse::<Address>(), got, "FromStr differs");
    }
    let Ok(address) = got else { return };
    let checksum = address.to_checksum();
    assert_eq!(
        checksum[..],
        *reference::eip55(&address).as_bytes(),
        "checksum"
    );
    assert_eq!(Address::parse_bytes(&checksum), Ok(address));
    let lower = address.to_lower_hex();
    assert_eq!(Address::parse_bytes(&lower), Ok(address));
    assert_eq!(lower[2..], *data[2..].to_ascii_lowercase(), "lower hex");
    assert_eq!(address.to_string().as_bytes(), &checksum[..], "Display");
    assert_eq!(
        format!("{address:#x}").as_bytes(),
        &lower[..],
        "LowerHex alternate"
    );
    assert_eq!(format!("{address:x}").as_bytes(), &lower[2..], "LowerHex");
    let upper = format!("0x{}", format!("{address:x}").to_ascii_uppercase());
    assert_eq!(Address::parse(&upper), Ok(address), "all uppercase");
    // Mixed case is accepted only as the exact checksum.
    let mixed = data[2..].iter().any(u8::is_ascii_lowercase)
        && data[2..].iter().any(u8::is_ascii_uppercase);
    if mixed {
        assert_eq!(
            data[2..],
            checksum[2..],
            "a mixed-case address other than its checksum"
        );
    }
}
