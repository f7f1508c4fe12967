//! The review tests' fixtures: addresses, keys, the documents of every
//! operation, a signed token definition, and `sign`/`verify` runs.

use crate::cli_support::*;
use serde_json::{json, Value};

pub const TOKEN: &str = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
pub const R: &str = "0x0202020202020202020202020202020202020202";
pub const R2: &str = "0x0303030303030303030303030303030303030303";
/// The definitions key of these tests (as the vectors' key: 0x42 repeated).
pub const DEF_KEY: &str = "4242424242424242424242424242424242424242424242424242424242424242";
pub const DEF_SIGNER: &str = "0x17c5185167401eD00cF5F5b2fc97D9BBfDb7D025";

/// Two members' compressed public keys, ascending.
pub fn member_keys(dir: &std::path::Path) -> (String, String) {
    let one = write_file(dir, "m1", SPEC_KEY);
    let two = write_file(dir, "m2", &"11".repeat(32));
    let key = |f: &str| {
        json_of(&call(&["--json", "address", "--private-key-file", f], b""))["public_key"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (a, b) = (key(&one), key(&two));
    if a < b {
        (a, b)
    } else {
        (b, a)
    }
}

pub fn key_bytes(hex_key: &str) -> Vec<u8> {
    hex::decode(hex_key.trim_start_matches("0x")).unwrap()
}

/// A signing document of every operation, with texts that need a warning
/// (a memo and a metadata value with non-ASCII characters).
pub fn documents(dir: &std::path::Path) -> Vec<Value> {
    let (k1, k2) = member_keys(dir);
    let memo =
        json!({"type": "purpose/SALA", "format": "text/plain", "data": "caf\u{e9} \u{2713}"});
    vec![
        json!({"operation": "Payment", "chain_id": 1212101, "nonce": 3, "recipient": R,
               "value": "1500000", "token": TOKEN, "memo": memo}),
        json!({"operation": "TokenIssue", "chain_id": 1212101, "nonce": 0, "symbol": "USDX",
               "name": "X Dollar", "decimals": 6, "master_authority": R, "is_private": false,
               "clawback_enabled": true}),
        json!({"operation": "TokenMint", "chain_id": 1212101, "nonce": 1, "recipient": R,
               "value": "2000000", "token": TOKEN}),
        json!({"operation": "TokenAuthority", "chain_id": 1212101, "nonce": 2, "action": "Grant",
               "authority_type": "MintBurnTokens", "authority_address": R, "token": TOKEN,
               "value": "250000000"}),
        json!({"operation": "TokenBlacklist", "chain_id": 1212101, "nonce": 4, "action": "Add",
               "address": R2, "token": TOKEN}),
        json!({"operation": "TokenWhitelist", "chain_id": 1212101, "nonce": 5, "action": "Remove",
               "address": R2, "token": TOKEN}),
        json!({"operation": "TokenPause", "chain_id": 1212101, "nonce": 6, "action": "Pause",
               "token": TOKEN}),
        json!({"operation": "TokenBurn", "chain_id": 1212101, "nonce": 7, "value": "1",
               "token": TOKEN}),
        json!({"operation": "TokenClawback", "chain_id": 1212101, "nonce": 8, "token": TOKEN,
               "from": R2, "recipient": R, "value": "999999"}),
        json!({"operation": "TokenMetadata", "chain_id": 1212101, "nonce": 9, "name": "X Dollar",
               "uri": "https://x.example/usdx", "token": TOKEN,
               "additional_metadata": [{"key": "issuer", "value": "X Bank"},
                                       {"key": "region", "value": "Z\u{fc}rich"}]}),
        json!({"operation": "TokenBridgeAndMint", "chain_id": 1212101, "nonce": 10,
               "recipient": R, "value": "10000000", "token": TOKEN, "source_chain_id": 1,
               "source_tx_hash": "0xabc123", "bridge_metadata": "ref-7"}),
        json!({"operation": "TokenBurnAndBridge", "chain_id": 1212101, "nonce": 11, "sender": R,
               "value": "3000000", "token": TOKEN, "destination_chain_id": 8453,
               "destination_address": "0x00000000000000000000000000000000000000Ab",
               "escrow_fee": "250", "bridge_metadata": "", "bridge_param": "0x0102"}),
        json!({"operation": "CreateMultiSig", "chain_id": 1212101, "nonce": 12,
               "signers": [{"public_key": key_bytes(&k1), "weight": 1},
                           {"public_key": key_bytes(&k2), "weight": 2}],
               "threshold": 2}),
        json!({"operation": "BatchPayment", "chain_id": 1212101, "nonce": 13, "token": TOKEN,
               "operations": [{"recipient": R, "amount": "1000000"},
                              {"recipient": R2, "amount": "2500000"}],
               "created_at": 1700000000, "batch_id": "payroll-7"}),
    ]
}

pub fn definition_file(dir: &std::path::Path, chain: &str, token: &str, name: &str) -> String {
    let key = write_file(dir, "defkey", DEF_KEY);
    let path = dir.join(name);
    let out = call(
        &[
            "definition",
            "sign",
            "--chain-id",
            chain,
            "--token",
            token,
            "--symbol",
            "USDX",
            "--decimals",
            "6",
            "--private-key-file",
            &key,
            "--out",
            path.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{out:?}");
    path.to_str().unwrap().to_owned()
}

/// Signs `doc` in `scheme`; returns the `--json` object.
pub fn sign(doc: &Value, scheme: &str, key: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "--json",
        "sign",
        "--scheme",
        scheme,
        "--private-key-file",
        key,
    ];
    args.extend_from_slice(extra);
    let out = call(&args, doc.to_string().as_bytes());
    assert_eq!(out.code, 0, "{doc}: {out:?}");
    // The review went to stderr, stdout is the object.
    assert!(out.stderr.contains("Operation"), "{out:?}");
    json_of(&out)
}

pub fn verify(body: &str, op: &str, extra: &[&str]) -> Run {
    let mut args = vec!["--json", "verify", "--operation", op];
    args.extend_from_slice(extra);
    call(&args, body.as_bytes())
}
