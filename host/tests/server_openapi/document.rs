//! The document extends the spec's, and states every route, method, error
//! code and request body the server has.

use crate::server_common::*;
use serde_json::Value;
use tokensign::node::codes;

#[test]
fn openapi_document_extends_the_spec() {
    let dir = tempfile::tempdir().unwrap();
    let node = start(dir.path(), vec![]);
    let served = get(node.addr, "/openapi.json");
    assert_eq!(served.status, 200);
    assert!(served
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let doc = served.json();
    assert_eq!(doc, openapi());

    // The spec's document is contained unchanged (keys may be added).
    let spec: Value = serde_json::from_str(include_str!(
        "../../openapi/onemoney-issue-token.openapi.json"
    ))
    .unwrap();
    fn contains(big: &Value, small: &Value, path: &str) {
        match (big, small) {
            (Value::Object(b), Value::Object(s)) => {
                for (k, v) in s {
                    let next = format!("{path}/{k}");
                    contains(
                        b.get(k).unwrap_or_else(|| panic!("missing {next}")),
                        v,
                        &next,
                    );
                }
            }
            (Value::Array(b), Value::Array(s)) if path.ends_with("/tags") => {
                for item in s {
                    assert!(b.contains(item), "missing tag {item} at {path}");
                }
            }
            _ => assert_eq!(big, small, "at {path}"),
        }
    }
    contains(&doc, &spec, "");
    // The shared spec copy beside the repo (CI) is the same document.
    if let Ok(text) = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../shared/spec/onemoney-issue-token.openapi.json"),
    ) {
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), spec);
    }

    // Every route the server has is documented, with its methods.
    for (path, method) in [
        ("/v1/tokens/issue", "post"),
        ("/v1/chains/chain_id", "get"),
        ("/v1/accounts/nonce", "get"),
        ("/v1/transactions/by_hash", "get"),
        ("/v1/transactions/receipt/by_hash", "get"),
        ("/v1/tokens/token_metadata", "get"),
        ("/api/tokens/mint", "post"),
        ("/api/status", "get"),
        ("/openapi.json", "get"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} undocumented"
        );
    }
    // Every error code constant is in the ErrorCode enum, and every status
    // used is one of the spec's.
    let listed: Vec<&str> = doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for code in [
        codes::MALFORMED_JSON,
        codes::MISSING_FIELD,
        codes::UNKNOWN_FIELD,
        codes::DUPLICATE_FIELD,
        codes::INVALID_TYPE,
        codes::INVALID_NUMBER,
        codes::INVALID_SYMBOL,
        codes::INVALID_NAME,
        codes::INVALID_DECIMALS,
        codes::INVALID_ADDRESS,
        codes::INVALID_HASH,
        codes::INVALID_SIGNATURE,
        codes::INVALID_QUERY,
        codes::MISSING_PARAMETER,
        codes::UNSUPPORTED_MEDIA_TYPE,
        codes::BODY_TOO_LARGE,
        codes::BODY_READ_ERROR,
        codes::WRONG_CHAIN_ID,
        codes::NONCE_MISMATCH,
        codes::SIGNER_NOT_OPERATOR,
        codes::TOKEN_ALREADY_EXISTS,
        codes::SYMBOL_ALREADY_EXISTS,
        codes::NOT_FOUND,
        codes::METHOD_NOT_ALLOWED,
        codes::TRANSACTION_NOT_FOUND,
        codes::TOKEN_NOT_FOUND,
        codes::REQUEST_TIMEOUT,
        codes::INTERNAL_ERROR,
        codes::DATABASE_UNAVAILABLE,
        codes::HOST_NOT_ALLOWED,
        codes::TOO_MANY_CONNECTIONS,
    ] {
        assert!(listed.contains(&code), "{code} not in ErrorCode");
        let status = doc["components"]["schemas"]["ErrorCode"]["x-status"][code]
            .as_u64()
            .unwrap();
        assert!([400, 403, 404, 405, 408, 410, 422, 500, 503].contains(&status));
    }
    for code in codes::RULE_CODES {
        assert!(listed.contains(code), "{code} not in ErrorCode");
        assert_eq!(
            doc["components"]["schemas"]["ErrorCode"]["x-status"][code],
            422
        );
    }
    // With the definition route's own DEFINITION_UNAVAILABLE, the local
    // extensions' NODE_READ_ONLY, UPGRADE_REQUIRED, DEV_CONTROLS_DISABLED
    // and SNAPSHOT_NOT_FOUND, the connections' TOO_MANY_CONNECTIONS and
    // HOST_NOT_ALLOWED, and PostgreSQL's DATABASE_UNAVAILABLE and
    // DEV_CONTROL_UNSUPPORTED_ON_POSTGRES.
    assert_eq!(listed.len(), 69);
}

/// Every write route (each operation on its v1 and v2 path) and every read
/// is in the document; bodies the core writes are valid requests there.
#[test]
fn every_route_is_documented_and_core_bodies_validate() {
    use tokensign_core::native::NativeTx;
    use tokensign_core::tx::{OpType, Payment, Transaction, CHAIN_ID_TESTNET};
    let doc = openapi();
    for &op in OpType::ALL {
        assert!(doc["paths"][op.v2_path()]["post"].is_object(), "{op} v2");
        if let Some(p) = op.v1_path() {
            assert!(doc["paths"][p]["post"].is_object(), "{op} v1");
        }
        assert!(doc["components"]["schemas"][format!("V2{}Request", op.name())].is_object());
    }
    for path in [
        "/v1/accounts/bbnonce",
        "/v1/accounts/token_account",
        "/v1/transactions/finalized/by_hash",
        "/v1/transactions/estimate_fee",
        "/v1/checkpoints/number",
        "/v1/checkpoints/by_number",
        "/v1/checkpoints/by_hash",
        "/v1/checkpoints/receipts/by_number",
        "/api/health",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path}");
    }
    assert!(doc["paths"]["/v1/transactions/batch_payment/estimate_fee"]["post"].is_object());
    assert!(doc["paths"]["/v1/transactions/raw"]["post"].is_object());
    // A v2 payment body as the core writes it is a valid V2PaymentRequest,
    // and its v1 form a valid V1PaymentRequest (addresses lower-cased: the
    // schema states the all-lower and all-upper forms; the EIP-55 form the
    // core writes is accepted too, but a pattern cannot state a checksum).
    let lower =
        |text: &str| -> serde_json::Value { serde_json::from_str(&text.to_lowercase()).unwrap() };
    let pay = Payment {
        recipient: tokensign_core::Address([2; 20]),
        value: tokensign_core::Amount::from_u64(10),
        token: tokensign_core::Address([1; 20]),
    };
    let tx: Transaction = Transaction::new(CHAIN_ID_TESTNET, 3, pay);
    let native = NativeTx::sign(tx.clone(), &key(0x11)).unwrap();
    let mut out = vec![0u8; tokensign_core::json::MAX_NATIVE_JSON_LEN];
    let n = tokensign_core::json::write_native(&native, &mut out).unwrap();
    assert_schema(
        "V2PaymentRequest",
        &lower(std::str::from_utf8(&out[..n]).unwrap()),
    );
    let legacy = tokensign_core::legacy::LegacyTx::sign(tx, &key(0x11)).unwrap();
    assert_schema("V1PaymentRequest", &lower(&body_of(&legacy)));
    assert_schema(
        "TokenIssueRequest",
        &lower(&body_of(&sign(&key(0x11), payload(0, "DOC", Some(true))))),
    );
}
