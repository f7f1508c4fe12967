//! The seed corpus, made from the spec's known-answer vectors
//! (`tests/vectors/spec/`, `onemoney-issue-token.md`) and hand-made edge
//! cases.
//!
//! `cargo run --example make_seeds` writes these to `corpus/<target>/` as
//! `seed-<name>`; `tests/replay.rs` checks that the committed files are
//! still exactly these. This file holds the issue, address, round-trip and
//! device seeds; `seeds_tx.rs` those of the transaction family's targets.

use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::text::Text;
use tokensign_core::tx::{Memo, TokenIssue};
use tokensign_core::{json, signing_key_from_bytes, Address, Operation, Transaction};

use crate::invariants::write_json;
use crate::roundtrip::RoundTripInput;

/// The spec's private key (its address is
/// 0x2045a425D0e131E747f8be2F044413733e412d7d).
pub const SPEC_KEY: [u8; 32] = [
    0x01, 0x83, 0x3a, 0x12, 0x6e, 0xc4, 0x5d, 0x01, 0x91, 0x51, 0x97, 0x48, 0x14, 0x6b, 0x9e, 0x35,
    0x64, 0x7a, 0xab, 0x7f, 0xed, 0x28, 0xde, 0x1c, 0x8e, 0x17, 0x82, 0x49, 0x70, 0xf9, 0x64, 0xa3,
];

/// A TokenIssue transaction from its fields (panics if they are invalid:
/// for known-good seeds only).
#[allow(clippy::too_many_arguments)]
pub fn issue(
    chain_id: u64,
    nonce: u64,
    symbol: &str,
    name: &str,
    decimals: u8,
    master_authority: Address,
    is_private: bool,
    clawback_enabled: Option<bool>,
) -> Transaction {
    let tx = Transaction::new(
        chain_id,
        nonce,
        TokenIssue {
            symbol: Text::new(symbol).expect("valid symbol"),
            name: Text::new(name).expect("valid name"),
            decimals,
            master_authority,
            is_private,
            clawback_enabled,
        },
    );
    assert_eq!(tx.check(), Ok(()), "a valid seed issue");
    tx
}

/// The spec's issue: chain 1212101, nonce `nonce`, "TEST", "TEST
/// Stablecoin", 18 decimals, zero master authority, not private.
pub fn spec_issue(nonce: u64, clawback_enabled: Option<bool>) -> Transaction {
    issue(
        1_212_101,
        nonce,
        "TEST",
        "TEST Stablecoin",
        18,
        Address::ZERO,
        false,
        clawback_enabled,
    )
}

/// The largest issue without a memo: every field at its longest encoding.
pub fn max_issue() -> Transaction {
    issue(
        i64::MAX as u64,
        i64::MAX as u64,
        "S2345678901234567890",
        &"\"".repeat(120),
        18,
        Address([0xff; 20]),
        true,
        Some(false),
    )
}

/// An issue with Unicode and characters that JSON escapes.
pub fn unicode_issue() -> Transaction {
    issue(
        21210,
        0,
        "ÄÖ日本",
        "Café \"quoted\" \\ / — €, ✓ 日本 😀",
        0,
        Address::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").expect("EIP-55 example"),
        true,
        None,
    )
}

/// The spec issue with the spec's memo.
pub fn memo_issue() -> Transaction {
    spec_issue(3, Some(true))
        .with_memo(Memo::new("purpose/SALA", "text/plain", "invoice-0001").expect("valid memo"))
}

fn issues() -> Vec<(&'static str, Transaction)> {
    vec![
        ("spec8", spec_issue(2, Some(true))),
        ("spec7", spec_issue(2, None)),
        ("spec8-nonce177", spec_issue(177, Some(true))),
        ("clawback-false", spec_issue(0, Some(false))),
        ("max", max_issue()),
        ("unicode", unicode_issue()),
        ("memo", memo_issue()),
        ("empty-memo", spec_issue(4, None).with_memo(Memo::default())),
    ]
}

fn spec_requests() -> Vec<(&'static str, LegacyTx)> {
    let key = signing_key_from_bytes(&SPEC_KEY).expect("the spec's key is valid");
    issues()
        .into_iter()
        .map(|(name, tx)| (name, LegacyTx::sign(tx, &key).expect("signs")))
        .collect()
}

fn request_json(req: &LegacyTx) -> Vec<u8> {
    write_json(json::MAX_LEGACY_JSON_LEN, "write_legacy", |b| {
        json::write_legacy(req, b)
    })
}

fn unsigned_json(tx: &Transaction) -> Vec<u8> {
    write_json(json::MAX_DOCUMENT_JSON_LEN, "write_unsigned", |b| {
        json::write_unsigned(tx, b)
    })
}

fn rlp(tx: &Transaction) -> Vec<u8> {
    let mut out = vec![0u8; Transaction::<256, 32>::MAX_PAYLOAD_WITH_MEMO_RLP_LEN];
    let n = legacy::encode_signed_value(tx, &mut out).expect("fits");
    out.truncate(n);
    out
}

/// Seeds for one target, as (file name, bytes). Unknown targets have none.
pub fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>| out.push((name.to_string(), bytes));
    match target {
        "request_json" => {
            for (name, req) in spec_requests() {
                add(name, request_json(&req));
            }
            let spec8 = String::from_utf8(request_json(&spec_requests()[0].1)).expect("utf8");
            // Spaced out, escaped keys, short hex, and refused variants.
            add(
                "spaced",
                spec8
                    .replace(',', " ,\n\t")
                    .replace(':', " : ")
                    .into_bytes(),
            );
            add(
                "escaped-key",
                spec8
                    .replacen("\"nonce\"", "\"\\u006eonce\"", 1)
                    .into_bytes(),
            );
            add("reordered", {
                let (payload, sig) = spec8.split_at(spec8.find(",\"signature\"").expect("sig"));
                format!("{{{},{}}}", &sig[1..sig.len() - 1], &payload[1..]).into_bytes()
            });
            add("v27", spec8.replacen("\"v\":1", "\"v\":27", 1).into_bytes());
            add("short-r", {
                let at = spec8.find("\"r\":\"0x").expect("r") + 7;
                format!("{}{}", &spec8[..at], &spec8[at + 60..]).into_bytes()
            });
            add("no-signature", unsigned_json(&spec_issue(2, Some(true))));
            add(
                "duplicate",
                spec8
                    .replacen("\"nonce\":2,", "\"nonce\":2,\"nonce\":2,", 1)
                    .into_bytes(),
            );
            add(
                "null-clawback",
                spec8
                    .replacen("\"clawback_enabled\":true", "\"clawback_enabled\":null", 1)
                    .into_bytes(),
            );
        }
        "payload_json" => {
            for (name, tx) in issues() {
                add(name, unsigned_json(&tx));
            }
            let spec8 = String::from_utf8(unsigned_json(&spec_issue(2, Some(true)))).expect("utf8");
            add(
                "escapes",
                br#"{"chain_id":1,"nonce":0,"symbol":"\u0041B","name":"a\"b\\c\/ \ud83d\ude00 \u00e9","decimals":0,"master_authority":"0x0000000000000000000000000000000000000000","is_private":true}"#.to_vec(),
            );
            add(
                "nonce-out-of-range",
                spec8
                    .replacen("\"nonce\":2", "\"nonce\":9223372036854775808", 1)
                    .into_bytes(),
            );
            add(
                "bidi-name",
                spec8
                    .replacen("TEST Stablecoin", "TEST\\u202eStable", 1)
                    .into_bytes(),
            );
            add("not-an-object", b"[]".to_vec());
            add(
                "memo-control",
                spec8
                    .replacen(
                        "}",
                        ",\"memo\":{\"type\":\"\",\"format\":\"\",\"data\":\"a\\nb\"}}",
                        1,
                    )
                    .into_bytes(),
            );
        }
        "rlp_decode" => {
            for (name, tx) in issues() {
                add(name, rlp(&tx));
            }
            add("empty-list", vec![0xc0]);
            add("string", vec![0x80]);
            add(
                "integer-overflow",
                vec![0xca, 0x89, 0x01, 0, 0, 0, 0, 0, 0, 0, 0],
            );
            let mut long_form = rlp(&spec_issue(2, None));
            long_form[0] = 0x31;
            long_form.insert(0, 0xf8);
            add("non-canonical-length", long_form);
            let mut dangling = rlp(&spec_issue(2, None));
            dangling.push(0x80);
            dangling[0] += 1;
            add("trailing-item", dangling);
        }
        "address_parse" => {
            for (i, text) in [
                "0x0000000000000000000000000000000000000000",
                "0x2045a425D0e131E747f8be2F044413733e412d7d",
                "0x2045a425d0e131e747f8be2f044413733e412d7d",
                "0X2045A425D0E131E747F8BE2F044413733E412D7D",
                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
                "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
                "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                "0x32b832b49fc164cae5e6e80d4abc995c7d494519",
                "0x1234",
                "0xg000000000000000000000000000000000000000",
            ]
            .iter()
            .enumerate()
            {
                add(&format!("address-{i:02}"), text.as_bytes().to_vec());
            }
        }
        "roundtrip" => {
            for (name, tx) in issues() {
                let Operation::TokenIssue(issue) = &tx.operation else {
                    unreachable!("issues");
                };
                let input = RoundTripInput {
                    secret: SPEC_KEY,
                    chain_id: tx.chain_id,
                    nonce: tx.nonce,
                    decimals: u64::from(issue.decimals),
                    is_private: issue.is_private,
                    clawback_enabled: issue.clawback_enabled,
                    master_authority: issue.master_authority.0,
                    memo: tx.memo.is_some(),
                    symbol: issue.symbol.to_string(),
                    name: issue.name.to_string(),
                };
                add(name, input.to_bytes());
            }
        }
        "device_protocol" | "device_protocol_real" => {
            for (name, bytes) in crate::seeds_device::sessions() {
                add(name, bytes);
            }
        }
        "definition_decode" => {
            for (name, bytes) in crate::definition::seeds() {
                add(&name, bytes);
            }
        }
        "device_setup" => {
            for (name, bytes) in crate::device_setup::seeds() {
                add(&name, bytes);
            }
        }
        "ledger_ops" => {
            for (name, bytes) in crate::server_seeds::ops_sessions() {
                add(name, bytes);
            }
        }
        "server_handler" => {
            for (name, bytes) in crate::server_seeds::server_sessions() {
                add(name, bytes);
            }
        }
        other => {
            for (name, bytes) in crate::seeds_tx::seeds(other) {
                add(&name, bytes);
            }
        }
    }
    out
}
