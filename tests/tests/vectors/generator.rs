//! The generator: each vector computed by the independent oracles, the
//! files they make, and `regenerate`, which writes them.

use super::oracle;
use super::spec::*;
use std::fs;

use tokensign_core::legacy::LegacyTx;
use tokensign_core::text::Text;
use tokensign_core::tx::TokenIssue;
use tokensign_core::{Address, Signature, Transaction};
use tokensign_tests::vectors::{self, Vector, VectorFile, VectorPayload, VectorSignature, FORMAT};
use tokensign_tests::{hex0x, key_address, key_from_hex, unhex_n, SPEC_KEY};

/// One vector computed by the oracles. `sig`: a signature to record (for
/// the spec vectors, the published one); `key`: record it too, meaning the
/// core must reproduce `sig` from it.
pub fn make(
    name: &str,
    note: &str,
    sources: &[&str],
    p: &Transaction,
    key: Option<&str>,
    sig: Option<&Signature>,
) -> Vector {
    let a = oracle::answers(p, sig);
    if let Some(key) = key {
        // The network recovers the key's address from the recorded signature.
        let me = key_address(&key_from_hex(key));
        assert_eq!(a.recovered, Some(Ok(me.0)), "{name}: oracle recovery");
    }
    Vector {
        name: name.to_owned(),
        note: note.to_owned(),
        sources: sources.iter().map(|s| (*s).to_owned()).collect(),
        private_key: key.map(str::to_owned),
        payload: VectorPayload::from_core(p),
        rlp: hex0x(&a.rlp),
        rlp_len: a.rlp.len(),
        signing_hash: hex0x(&a.signing_hash),
        token_address: hex0x(&a.token_address),
        signature: sig.map(VectorSignature::from_core),
        tx_rlp_len: a.tx_rlp.as_ref().map(Vec::len),
        tx_hash: a.tx_hash.map(|h| hex0x(&h)),
        tx_hash_rs_32_bytes: a
            .tx_hash_rs_32_bytes
            .filter(|w| Some(*w) != a.tx_hash)
            .map(|h| hex0x(&h)),
    }
}

pub const OM: &str = "om-primitives-types 0.3 (the network's own Rust types)";
pub const ALLOY: &str = "alloy-rlp 0.3 derive";
pub const SPEC_SRC: &str = "spec: shared/spec/onemoney-issue-token.md";

pub fn spec_file() -> VectorFile {
    let vectors = SPEC
        .iter()
        .map(|s| {
            let p = spec_payload(s.nonce, s.clawback);
            let sig = Signature {
                r: unhex_n(s.r),
                s: unhex_n(s.s),
                v: s.v,
            };
            let form = if s.clawback.is_some() { OM } else { ALLOY };
            let note = match s.name {
                "spec-eight-field" => "The TypeScript SDK's published vector (eight fields, clawback_enabled true). The spec gives key, payload, signing hash and signature; RLP, token address and transaction hash are computed by om-primitives-types.",
                "spec-seven-field" => "The same payload in the spec document's seven-field form (no clawback_enabled). All values published by the spec; cross-checked with alloy-rlp's derive and om-primitives-types' TxHashable.",
                _ => "Eight fields, nonce 177: r starts with a zero byte, so the transaction hash drops it (r is an RLP integer). tx_hash_rs_32_bytes is the WRONG hash one public SDK computes by keeping r as a 32-byte string; recorded so the test proves the core does not produce it.",
            };
            make(s.name, note, &[SPEC_SRC, form], &p, Some(SPEC_KEY.as_str()), Some(&sig))
        })
        .collect();
    VectorFile {
        format: FORMAT.to_owned(),
        description: "The known answers published by the spec for the key 0x01833a…64a3 (address 0x2045a425D0e131E747f8be2F044413733e412d7d), completed with the values the spec leaves out, computed by the network's own Rust types. The token address of master_authority 0x00…00 and symbol \"TEST\" is 0x32b832b49fc164cae5e6e80d4abc995c7d494519 (spec).".to_owned(),
        notes: vec![
            "Every payload here has master_authority 0x0000000000000000000000000000000000000000 and symbol TEST, so every token_address is the spec's token-address vector.".to_owned(),
        ],
        vectors,
    }
}

pub struct Case {
    pub name: String,
    pub note: String,
    pub fields: OwnedFields,
}

#[derive(Clone)]
pub struct OwnedFields {
    pub chain_id: u64,
    pub nonce: u64,
    pub symbol: String,
    pub name: String,
    pub decimals: u8,
    pub master: [u8; 20],
    pub is_private: bool,
    pub clawback: Option<bool>,
}

impl OwnedFields {
    pub fn base() -> Self {
        OwnedFields {
            chain_id: 1_212_101,
            nonce: 0,
            symbol: "USDX".to_owned(),
            name: "X Dollar".to_owned(),
            decimals: 6,
            master: [0x11; 20],
            is_private: false,
            clawback: Some(true),
        }
    }
    /// A legacy TokenIssue built field by field (no memo: the issue
    /// spec's form), checked by the core's rules.
    pub fn payload(&self) -> Transaction {
        let issue = TokenIssue {
            symbol: Text::new(&self.symbol).expect("valid symbol"),
            name: Text::new(&self.name).expect("valid name"),
            decimals: self.decimals,
            master_authority: Address(self.master),
            is_private: self.is_private,
            clawback_enabled: self.clawback,
        };
        let tx = Transaction::new(self.chain_id, self.nonce, issue);
        tx.check().expect("a valid payload");
        tx
    }
}

/// The largest valid payload: 187 bytes of RLP, with a list body of 185.
pub fn max_fields() -> OwnedFields {
    OwnedFields {
        chain_id: i64::MAX as u64,
        nonce: i64::MAX as u64,
        symbol: "S2345678901234567890".to_owned(),
        name: "N".repeat(120),
        decimals: 18,
        master: [0xff; 20],
        is_private: true,
        clawback: Some(false),
    }
}

pub fn boundary_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut add = |name: &str, note: &str, f: OwnedFields| {
        cases.push(Case {
            name: name.to_owned(),
            note: note.to_owned(),
            fields: f,
        })
    };
    // String header: 0xb7 for 55 bytes, 0xb8 0x38 for 56.
    for (len, header) in [
        (55, "0xb7 (short form, the last)"),
        (56, "0xb8 0x38 (long form, the first)"),
    ] {
        add(
            &format!("name-{len}-bytes-ascii"),
            &format!("name of {len} ASCII bytes: string header {header}"),
            OwnedFields {
                name: "n".repeat(len),
                ..OwnedFields::base()
            },
        );
        // 3-byte characters, padded with ASCII to exactly len bytes.
        let mut name = "€".repeat(len / 3);
        name.push_str(&"e".repeat(len % 3));
        add(
            &format!("name-{len}-bytes-utf8"),
            &format!("name of {len} UTF-8 bytes ({} chars, mostly 3-byte '€'): the length counts bytes, not characters; header {header}", name.chars().count()),
            OwnedFields {
                name,
                clawback: None,
                ..OwnedFields::base()
            },
        );
    }
    // List header: body of 55 bytes -> 0xf7, 56 -> 0xf8 0x38. With
    // chain_id = nonce = 0, a 1-byte symbol, decimals 0, the seven-field
    // body is 26 bytes + the name item.
    for (body, name_len) in [(55usize, 28usize), (56, 29)] {
        add(
            &format!("list-body-{body}-bytes"),
            &format!(
                "payload list body of {body} bytes (seven fields): list header {}",
                if body == 55 {
                    "0xf7, the last short form"
                } else {
                    "0xf8 0x38, the first long form"
                }
            ),
            OwnedFields {
                chain_id: 0,
                nonce: 0,
                symbol: "A".to_owned(),
                name: "b".repeat(name_len),
                decimals: 0,
                master: [0; 20],
                is_private: false,
                clawback: None,
            },
        );
    }
    // Integers at every RLP boundary, as chain_id and nonce.
    for (v, label, decimals) in [
        (0u64, "0", 0u8),
        (127, "127", 1),
        (128, "128", 17),
        (255, "255", 18),
        (256, "256", 9),
        (i64::MAX as u64, "i64-max", 18),
    ] {
        add(
            &format!("int-{label}"),
            &format!("chain_id = nonce = {v}: RLP integer boundary (0 is the empty string 0x80; 127 is the single byte 0x7f; 128 is 0x81 0x80; 255 is 0x81 0xff; 256 is 0x82 0x01 0x00; i64::MAX is the schema's maximum, 8 bytes); decimals {decimals}"),
            OwnedFields {
                chain_id: v,
                nonce: v,
                decimals,
                ..OwnedFields::base()
            },
        );
    }
    add(
        "chain-id-0-nonce-i64-max",
        "chain_id 0 with nonce i64::MAX (mixed widths), seven fields",
        OwnedFields {
            chain_id: 0,
            nonce: i64::MAX as u64,
            clawback: None,
            ..OwnedFields::base()
        },
    );
    add(
        "symbol-20-bytes-unicode",
        "symbol of exactly 20 UTF-8 bytes mixing 1-, 2-, 3- and 4-byte alphanumerics; name with JSON-escaped characters",
        OwnedFields {
            symbol: "A1éЖ日本𝔘x9Bc".to_owned(),
            name: "quote \" backslash \\ slash / emoji 😀 RTL עברית".to_owned(),
            ..OwnedFields::base()
        },
    );
    add(
        "single-byte-strings",
        "symbol and name of one ASCII byte each: RLP writes a byte below 0x80 as itself, without a header",
        OwnedFields {
            symbol: "Z".to_owned(),
            name: "z".to_owned(),
            is_private: true,
            clawback: Some(false),
            ..OwnedFields::base()
        },
    );
    add(
        "max-payload-seven-fields",
        "the largest seven-field payload: 186 bytes of RLP",
        OwnedFields {
            clawback: None,
            ..max_fields()
        },
    );
    add(
        "max-payload",
        "the largest valid payload: its RLP is MAX_RLP_LEN = 187 bytes (header 0xf8 0xb9, body 185). Signed with r and s without leading zero bytes, its transaction-hash preimage rlp([payload, v, r, s]) is MAX_TX_RLP_LEN = 256 bytes: the only list longer than 255 bytes a valid payload can produce. Its body is 254 bytes, so even there the list length needs one byte (0xf8 0xfe); a two-byte length (body >= 256) is unreachable.",
        max_fields(),
    );
    cases
}

pub fn boundaries_file() -> VectorFile {
    let key = key_from_hex(&SPEC_KEY);
    let vectors = boundary_cases()
        .into_iter()
        .map(|c| {
            let p = c.fields.payload();
            // The signature is the core's (an input of the transaction
            // hash); the network's types check that it recovers to the key.
            let sig = LegacyTx::sign(p.clone(), &key).expect("signs").signature;
            let form = if oracle::issue_of(&p).clawback_enabled.is_some() {
                OM
            } else {
                ALLOY
            };
            make(
                &c.name,
                &c.note,
                &[
                    form,
                    "signature: tokensign-core (RFC 6979), recovered by alloy-primitives",
                ],
                &p,
                Some(SPEC_KEY.as_str()),
                Some(&sig),
            )
        })
        .collect();
    VectorFile {
        format: FORMAT.to_owned(),
        description: "RLP boundaries. Every rlp, signing_hash, token_address, tx_rlp_len and tx_hash is computed by an independent implementation: the network's own Rust types (om-primitives-types, eight fields) cross-checked with alloy-rlp's derive, or alloy-rlp's derive with om's TxHashable (seven fields). Signatures are RFC 6979 with the spec's key; the core must reproduce them.".to_owned(),
        notes: vec![
            "The largest valid payload RLP is 187 bytes (MAX_RLP_LEN), so no payload list reaches 256 bytes; 'longer than 255 bytes' is reached only by the transaction-hash preimage rlp([payload, v, r, s]) of the largest payload with 32-byte r and s: 256 bytes (MAX_TX_RLP_LEN), vector max-payload.".to_owned(),
            "A payload with clawback_enabled absent is the seven-field form.".to_owned(),
        ],
        vectors,
    }
}

pub fn generated() -> Vec<(&'static str, VectorFile)> {
    vec![
        ("spec.json", spec_file()),
        ("rlp-boundaries.json", boundaries_file()),
    ]
}

#[test]
#[ignore = "writes tests/vectors/*.json; run with --ignored regenerate after an intended change"]
pub fn regenerate() {
    for (file, content) in generated() {
        fs::write(vectors::dir().join(file), vectors::to_pretty(&content)).expect("write");
    }
}
