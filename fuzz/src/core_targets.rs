//! Byte-level targets for every parser of `tokensign-core`.

use tokensign_core::{
    decode_rlp, encode_rlp, json, keccak256, rlp_len, signing_hash, tx_hash, verify, Address,
    Error, JsonError, SignedRequest, TokenIssuePayload, MAX_JSON_INPUT_LEN, MAX_PAYLOAD_JSON_LEN,
    MAX_REQUEST_JSON_LEN, MAX_RLP_LEN,
};

use crate::reference;

/// Everything that must hold for any valid payload, however it was obtained:
/// canonical RLP that decodes back to it and agrees with the reference
/// encoder, hashes that agree with the reference, and payload JSON that the
/// core and `serde_json` both read back as the same payload.
pub fn check_payload(p: &TokenIssuePayload) {
    let mut rlp = [0u8; MAX_RLP_LEN];
    let n = encode_rlp(p, &mut rlp).expect("a valid payload fits MAX_RLP_LEN");
    let rlp = &rlp[..n];
    assert_eq!(
        rlp,
        reference::payload_rlp(p),
        "RLP differs from the reference encoder"
    );
    assert_eq!(rlp_len(p), n, "rlp_len");
    assert_eq!(decode_rlp(rlp).as_ref(), Ok(p), "RLP round trip");
    assert_eq!(signing_hash(p), keccak256(rlp), "signing hash");
    assert_eq!(p.signing_hash(), keccak256(rlp), "signing hash (method)");
    assert_eq!(
        p.token_address(),
        reference::token_address(p),
        "token address"
    );
    assert_eq!(
        TokenIssuePayload::new(p.fields()).as_ref(),
        Ok(p),
        "fields round trip"
    );

    let mut out = [0u8; MAX_PAYLOAD_JSON_LEN];
    let n = json::write_payload(p, &mut out).expect("a valid payload fits MAX_PAYLOAD_JSON_LEN");
    let written = &out[..n];
    reference::assert_json_holds(written, p, None);
    assert_eq!(
        json::parse_payload(written).as_ref(),
        Ok(p),
        "payload JSON round trip"
    );
    assert!(
        matches!(
            json::parse_request(written),
            Err(Error::Json(JsonError::MissingField(_)))
        ),
        "a payload without signature is not a request"
    );
}

/// Everything that must hold for any request the core accepted or made:
/// [`check_request_encoding`], and a signature that either recovers to an
/// address that verifies or is refused with a signature error.
pub fn check_request(req: &SignedRequest) {
    check_request_encoding(req);
    // The signature may be anyone's, or no one's: recovery must not panic,
    // and when it gives an address, that address verifies.
    match req.signer() {
        Ok(signer) => {
            assert_eq!(verify(&req.payload, &req.signature, &signer), Ok(()));
            assert!(
                req.signature.check_form().is_ok(),
                "recovered from a refused signature"
            );
        }
        Err(e) => assert!(
            matches!(
                e,
                Error::InvalidRecoveryId
                    | Error::SignatureScalarOutOfRange
                    | Error::HighS
                    | Error::RecoveryFailed
            ),
            "unexpected recovery error {e:?}"
        ),
    }
}

/// The request's payload passes [`check_payload`]; the request JSON is read
/// back the same by the core and by `serde_json`; the transaction hash
/// agrees with the reference.
pub fn check_request_encoding(req: &SignedRequest) {
    check_payload(&req.payload);
    let mut out = [0u8; MAX_REQUEST_JSON_LEN];
    let n = json::write_request(req, &mut out).expect("a request fits MAX_REQUEST_JSON_LEN");
    let written = &out[..n];
    reference::assert_json_holds(written, &req.payload, Some(&req.signature));
    assert_eq!(
        json::parse_request(written).as_ref(),
        Ok(req),
        "request JSON round trip"
    );
    let expected = reference::tx_hash(&req.payload, &req.signature);
    assert_eq!(
        tx_hash(&req.payload, &req.signature),
        expected,
        "transaction hash differs from the reference"
    );
    assert_eq!(req.tx_hash(), expected, "tx_hash (method)");
}

fn assert_json_error_is_bounded(data: &[u8], e: Error) {
    if data.len() > MAX_JSON_INPUT_LEN {
        assert_eq!(e, Error::Json(JsonError::TooLong));
    }
    // Every error prints without panicking.
    let _ = e.to_string();
}

/// `json::parse_request` on any bytes: accepted input is JSON to
/// `serde_json` too, with the same values, and writes back canonically.
pub fn request_json(data: &[u8]) {
    match json::parse_request(data) {
        Ok(req) => {
            reference::assert_json_holds(data, &req.payload, Some(&req.signature));
            check_request(&req);
            // Written twice, the same bytes: the output is canonical.
            let mut a = [0u8; MAX_REQUEST_JSON_LEN];
            let n = json::write_request(&req, &mut a).expect("fits");
            let again = json::parse_request(&a[..n]).expect("reparses");
            let mut b = [0u8; MAX_REQUEST_JSON_LEN];
            let m = json::write_request(&again, &mut b).expect("fits");
            assert_eq!(&a[..n], &b[..m], "writing is not canonical");
        }
        Err(e) => assert_json_error_is_bounded(data, e),
    }
    // The same bytes as a bare payload: a request is refused there, and
    // anything accepted is a valid payload.
    if let Ok(p) = json::parse_payload(data) {
        reference::assert_json_holds(data, &p, None);
    }
}

/// `json::parse_payload` on any bytes.
pub fn payload_json(data: &[u8]) {
    match json::parse_payload(data) {
        Ok(p) => {
            reference::assert_json_holds(data, &p, None);
            check_payload(&p);
            let mut a = [0u8; MAX_PAYLOAD_JSON_LEN];
            let n = json::write_payload(&p, &mut a).expect("fits");
            let mut b = [0u8; MAX_PAYLOAD_JSON_LEN];
            let again = json::parse_payload(&a[..n]).expect("reparses");
            let m = json::write_payload(&again, &mut b).expect("fits");
            assert_eq!(&a[..n], &b[..m], "writing is not canonical");
        }
        Err(e) => assert_json_error_is_bounded(data, e),
    }
}

/// `decode_rlp` on any bytes: whenever decoding succeeds, encoding the
/// result gives back the input exactly (the decoder accepts only the
/// canonical encoding), and the payload satisfies every payload check.
pub fn rlp_decode(data: &[u8]) {
    match decode_rlp(data) {
        Ok(p) => {
            let mut out = [0u8; MAX_RLP_LEN];
            let n = encode_rlp(&p, &mut out).expect("a decoded payload re-encodes");
            assert_eq!(&out[..n], data, "decode then encode is not the identity");
            assert_eq!(signing_hash(&p), keccak256(data));
            check_payload(&p);
        }
        Err(e) => {
            assert!(
                matches!(
                    e,
                    Error::Rlp(_)
                        | Error::ChainIdOutOfRange
                        | Error::NonceOutOfRange
                        | Error::DecimalsOutOfRange
                        | Error::SymbolEmpty
                        | Error::SymbolTooLong
                        | Error::SymbolNotAlphanumeric
                        | Error::NameEmpty
                        | Error::NameTooLong
                        | Error::NameUnsafeCharacter
                ),
                "unexpected RLP decoding error {e:?}"
            );
            let _ = e.to_string();
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
