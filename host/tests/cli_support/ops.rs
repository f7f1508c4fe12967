//! Every operation as a command with sample flags, and the fields its
//! body must carry: shared by the tests of the write commands and of
//! `submit`.

use serde_json::Value;
use tokensign_core::tx::OpType;

use super::{call, json_of, write_file, SPEC_ADDRESS, SPEC_KEY};

pub const T: &str = "0x0101010101010101010101010101010101010101";
pub const R: &str = "0x0202020202020202020202020202020202020202";
pub const A: &str = "0x0303030303030303030303030303030303030303";

/// One command, the operation it must send, and fields of its body.
pub struct Op {
    pub args: Vec<String>,
    pub op: OpType,
    pub fields: Vec<(&'static str, Value)>,
}

pub fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|a| (*a).to_owned()).collect()
}

pub fn member_keys() -> (String, String) {
    // The public keys as `address --json` reports them.
    let dir = tempfile::tempdir().unwrap();
    let one = write_file(dir.path(), "1", SPEC_KEY);
    let two = write_file(dir.path(), "2", &"11".repeat(32));
    let key = |f: &str| {
        json_of(&call(&["--json", "address", "--private-key-file", f], b""))["public_key"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    (key(&one), key(&two))
}

pub fn ops() -> Vec<Op> {
    let (k1, k2) = member_keys();
    vec![
        Op {
            args: s(&["pay", "--to", R, "--token", T, "--value", "1000"]),
            op: OpType::Payment,
            fields: vec![
                ("recipient", R.into()),
                ("value", "1000".into()),
                ("token", T.into()),
            ],
        },
        Op {
            args: s(&["mint", "--recipient", R, "--token", T, "--amount", "1.5"]),
            op: OpType::TokenMint,
            // decimals 6, read from the token's metadata.
            fields: vec![("value", "1500000".into())],
        },
        Op {
            args: s(&["burn", "--token", T, "--value", "5"]),
            op: OpType::TokenBurn,
            fields: vec![("value", "5".into())],
        },
        Op {
            args: s(&[
                "grant",
                "--authority-type",
                "mint-burn-tokens",
                "--address",
                R,
                "--token",
                T,
                "--value",
                "1000",
            ]),
            op: OpType::TokenAuthority,
            fields: vec![
                ("action", "Grant".into()),
                ("authority_type", "MintBurnTokens".into()),
                ("authority_address", R.into()),
                ("value", "1000".into()),
            ],
        },
        Op {
            args: s(&[
                "revoke",
                "--authority-type",
                "pause",
                "--address",
                R,
                "--token",
                T,
            ]),
            op: OpType::TokenAuthority,
            fields: vec![("action", "Revoke".into()), ("value", "0".into())],
        },
        Op {
            args: s(&["blacklist", "--address", A, "--token", T]),
            op: OpType::TokenBlacklist,
            fields: vec![("action", "Add".into()), ("address", A.into())],
        },
        Op {
            args: s(&["whitelist", "--address", A, "--token", T, "--remove"]),
            op: OpType::TokenWhitelist,
            fields: vec![("action", "Remove".into())],
        },
        Op {
            args: s(&["pause", "--token", T]),
            op: OpType::TokenPause,
            fields: vec![("action", "Pause".into())],
        },
        Op {
            args: s(&["unpause", "--token", T]),
            op: OpType::TokenPause,
            fields: vec![("action", "Unpause".into())],
        },
        Op {
            args: s(&[
                "clawback", "--token", T, "--from", A, "--to", R, "--value", "3",
            ]),
            op: OpType::TokenClawback,
            fields: vec![
                ("from", A.into()),
                ("recipient", R.into()),
                ("value", "3".into()),
            ],
        },
        Op {
            args: s(&[
                "metadata",
                "--token",
                T,
                "--name",
                "USD X",
                "--uri",
                "https://x.example",
                "--entry",
                "k=v",
            ]),
            op: OpType::TokenMetadata,
            fields: vec![
                ("name", "USD X".into()),
                (
                    "additional_metadata",
                    serde_json::json!([{"key": "k", "value": "v"}]),
                ),
            ],
        },
        Op {
            args: s(&[
                "bridge-mint",
                "--to",
                R,
                "--token",
                T,
                "--value",
                "9",
                "--source-chain-id",
                "1",
                "--source-tx-hash",
                "0xAbC",
            ]),
            op: OpType::TokenBridgeAndMint,
            fields: vec![
                ("source_tx_hash", "0xAbC".into()),
                ("bridge_metadata", "".into()),
            ],
        },
        Op {
            args: s(&[
                "burn-bridge",
                "--token",
                T,
                "--value",
                "9",
                "--destination-chain-id",
                "8453",
                "--destination-address",
                R,
                "--escrow-fee",
                "10",
            ]),
            op: OpType::TokenBurnAndBridge,
            // The sender defaults to the signing account.
            fields: vec![("escrow_fee", "10".into()), ("bridge_param", "0x".into())],
        },
        Op {
            args: s(&[
                "batch-pay",
                "--token",
                T,
                "--pay",
                &format!("{R}=10"),
                "--pay",
                &format!("{A}=20"),
                "--created-at",
                "1747785600",
            ]),
            op: OpType::BatchPayment,
            fields: vec![(
                "operations",
                serde_json::json!([{"recipient": R, "amount": "10"}, {"recipient": A, "amount": "20"}]),
            )],
        },
        Op {
            args: s(&[
                "issue",
                "--symbol",
                "USDX",
                "--name",
                "USD X",
                "--decimals",
                "6",
                "--master-authority",
                SPEC_ADDRESS,
                "--clawback-enabled",
                "false",
            ]),
            op: OpType::TokenIssue,
            fields: vec![
                ("symbol", "USDX".into()),
                ("clawback_enabled", false.into()),
            ],
        },
        Op {
            args: vec![
                "multisig".into(),
                "create".into(),
                "--member".into(),
                k1,
                "--member".into(),
                format!("{k2}:2"),
                "--threshold".into(),
                "2".into(),
            ],
            op: OpType::CreateMultiSig,
            fields: vec![("threshold", 2.into())],
        },
    ]
}
