//! Known answers: the committed files in `tests/vectors/` checked against the
//! core, the spec's published values checked against the files, and the
//! files checked against a fresh computation by the independent oracles.
//!
//! Regenerate the files (after an intended change) with
//! `cargo test -p tokensign-tests --test vectors -- --ignored regenerate`.

mod oracle;

use std::fs;

use tokensign_core::field::Record;
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::rlp::encode::Encode;
use tokensign_core::rlp::header::{list_len, u64_len};
use tokensign_core::text::Text;
use tokensign_core::tx::{token_address, TokenIssue};
use tokensign_core::{json, verify_hash, Address, OpType, Signature, Transaction};
use tokensign_tests::vectors::{self, Vector, VectorFile, VectorPayload, VectorSignature, FORMAT};
use tokensign_tests::{hex0x, key_address, key_from_hex, rlp, unhex, unhex_n, SPEC_KEY};

// ------------------------------------------------------------ the spec's values

use tokensign_fixtures::{SPEC_ADDRESS, SPEC_TOKEN};

struct SpecSig {
    name: &'static str,
    nonce: u64,
    clawback: Option<bool>,
    rlp: Option<&'static str>,
    signing_hash: &'static str,
    r: &'static str,
    s: &'static str,
    v: u8,
    tx_hash: Option<&'static str>,
    tx_hash_rs_32_bytes: Option<&'static str>,
}

/// Every value the spec publishes, verbatim.
const SPEC: [SpecSig; 3] = [
    SpecSig {
        name: "spec-eight-field",
        nonce: 2,
        clawback: Some(true),
        rlp: None,
        signing_hash: "0x01882eb8bee7e2d0d553a0debc95f5d666d55e481b64ee9c6159b4c50831b9f0",
        r: "0xdb4741c7f2ce4a2d78e790331075284efaeee0b217e9c9ccf334d3014d98b7bb",
        s: "0x6ba551adfd0b9d7236298ae267575255e0b54b0d569dc9824d1445d2c546dc9e",
        v: 1,
        tx_hash: None,
        tx_hash_rs_32_bytes: None,
    },
    SpecSig {
        name: "spec-seven-field",
        nonce: 2,
        clawback: None,
        rlp: Some("0xf183127ec50284544553548f5445535420537461626c65636f696e1294000000000000000000000000000000000000000080"),
        signing_hash: "0x42b8740f273fdb3dc9051dba6d98b2e8ef744fe4e053d6f5ed17a89ec2cb417c",
        r: "0xfe70d12f46caee1a1028dad2d203a3fbd0b1ea7b0453c7dd84916c84c77d958a",
        s: "0x5d93e5428c6554638fef64fb3f51bf9bce920a6b149ac67b54f22775504126f2",
        v: 0,
        tx_hash: Some("0x071b111c6ce877d2a4e86f69313f32fe646db84d023c679c253071ae0259fc33"),
        tx_hash_rs_32_bytes: None,
    },
    SpecSig {
        name: "spec-eight-field-nonce-177-r-leading-zero",
        nonce: 177,
        clawback: Some(true),
        rlp: None,
        signing_hash: "0x6f5a59f0e4303b5f6731eb933f889d29d250f16b251a4e95099835c46c4bc89c",
        r: "0x00d2b4c2222421dc3bbd22a3b41e550c11af45fd9ad701e82ce4865372dfe5bd",
        s: "0x364c769195363fc50484600bd468d9e4db36020a51f8d5387f5abb513fb80ff4",
        v: 0,
        tx_hash: Some("0xa281221ec4188ef9ac8b3d69211b87917b9aef0aa617135b0be23541468dce3c"),
        tx_hash_rs_32_bytes: Some(
            "0x833f3f773c685e70e349aab517cbadc173c3a34f95237b979aa6cae8c6057da2",
        ),
    },
];

fn spec_payload(nonce: u64, clawback: Option<bool>) -> Transaction {
    OwnedFields {
        chain_id: 1_212_101,
        nonce,
        symbol: "TEST".to_owned(),
        name: "TEST Stablecoin".to_owned(),
        decimals: 18,
        master: [0; 20],
        is_private: false,
        clawback,
    }
    .payload()
}

// ------------------------------------------------------------ the generator

/// One vector computed by the oracles. `sig`: a signature to record (for
/// the spec vectors, the published one); `key`: record it too, meaning the
/// core must reproduce `sig` from it.
fn make(
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

const OM: &str = "om-primitives-types 0.3 (the network's own Rust types)";
const ALLOY: &str = "alloy-rlp 0.3 derive";
const SPEC_SRC: &str = "spec: shared/spec/onemoney-issue-token.md";

fn spec_file() -> VectorFile {
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

struct Case {
    name: String,
    note: String,
    fields: OwnedFields,
}

#[derive(Clone)]
struct OwnedFields {
    chain_id: u64,
    nonce: u64,
    symbol: String,
    name: String,
    decimals: u8,
    master: [u8; 20],
    is_private: bool,
    clawback: Option<bool>,
}

impl OwnedFields {
    fn base() -> Self {
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
    fn payload(&self) -> Transaction {
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
fn max_fields() -> OwnedFields {
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

fn boundary_cases() -> Vec<Case> {
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

fn boundaries_file() -> VectorFile {
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

fn generated() -> Vec<(&'static str, VectorFile)> {
    vec![
        ("spec.json", spec_file()),
        ("rlp-boundaries.json", boundaries_file()),
    ]
}

#[test]
#[ignore = "writes tests/vectors/*.json; run with --ignored regenerate after an intended change"]
fn regenerate() {
    for (file, content) in generated() {
        fs::write(vectors::dir().join(file), vectors::to_pretty(&content)).expect("write");
    }
}

// ------------------------------------------------------------ the checks

/// The committed files are exactly what the oracles compute today.
#[test]
fn committed_files_match_the_oracles() {
    for (file, expected) in generated() {
        let committed = vectors::load_named(file);
        assert_eq!(
            committed, expected,
            "{file} differs from the oracles' answers"
        );
    }
}

/// The spec's published values are in the files, verbatim.
#[test]
fn spec_values_are_in_the_files() {
    let file = vectors::load_named("spec.json");
    for s in &SPEC {
        let v = file.get(s.name);
        assert_eq!(v.private_key.as_deref(), Some(SPEC_KEY.as_str()));
        assert_eq!(v.payload.nonce, s.nonce);
        assert_eq!(v.payload.clawback_enabled, s.clawback);
        assert_eq!(v.signing_hash, s.signing_hash);
        let sig = v.signature.as_ref().expect("signature");
        assert_eq!((sig.r.as_str(), sig.s.as_str(), sig.v), (s.r, s.s, s.v));
        if let Some(rlp) = s.rlp {
            assert_eq!(v.rlp, rlp);
        }
        if let Some(h) = s.tx_hash {
            assert_eq!(v.tx_hash.as_deref(), Some(h));
        }
        assert_eq!(v.tx_hash_rs_32_bytes.as_deref(), s.tx_hash_rs_32_bytes);
        assert_eq!(v.token_address, SPEC_TOKEN);
    }
    assert_eq!(
        key_address(&key_from_hex(&SPEC_KEY)),
        Address::parse(SPEC_ADDRESS).unwrap()
    );
    assert_eq!(
        token_address(&Address::ZERO, "TEST"),
        Address::parse(SPEC_TOKEN).unwrap()
    );
}

fn check_vector(file: &str, v: &Vector) {
    let ctx = format!("{file}: {}", v.name);
    // Through the JSON parser (every field rule), and built directly.
    let p = v.payload.to_core();
    assert_eq!(
        p,
        Transaction::new(v.payload.chain_id, v.payload.nonce, v.payload.issue()),
        "{ctx}: JSON vs fields"
    );
    assert_eq!(p.memo, None, "{ctx}");
    // RLP, both ways: the legacy signed bytes of a memo-less transaction
    // are rlp(P).
    let signed_value = legacy::signed_value(&p).unwrap_or_else(|e| panic!("{ctx}: {e}"));
    assert_eq!(hex0x(&rlp(&signed_value)), v.rlp, "{ctx}: rlp");
    assert_eq!(rlp(&p.payload()), unhex(&v.rlp), "{ctx}: P");
    assert_eq!(signed_value.encoded_len(), v.rlp_len, "{ctx}: rlp_len");
    let mut buf = vec![0u8; v.rlp_len];
    assert_eq!(
        legacy::encode_signed_value(&p, &mut buf),
        Ok(v.rlp_len),
        "{ctx}: encode"
    );
    assert_eq!(
        legacy::encode_signed_value(&p, &mut buf[..v.rlp_len - 1]),
        Err(tokensign_core::Error::BufferTooSmall),
        "{ctx}: a buffer one byte short"
    );
    assert_eq!(
        legacy::decode_signed_value::<256, 32>(OpType::TokenIssue, &unhex(&v.rlp)),
        Ok(p.clone()),
        "{ctx}: decode"
    );
    // Hashes and address.
    let hash = legacy::signing_hash(&p).unwrap();
    assert_eq!(hex0x(&hash), v.signing_hash, "{ctx}: signing hash");
    let issue = oracle::issue_of(&p);
    assert_eq!(
        hex0x(token_address(&issue.master_authority, &issue.symbol).as_bytes()),
        v.token_address,
        "{ctx}: token address"
    );
    assert_eq!(
        hex0x(issue.token_address().as_bytes()),
        v.token_address,
        "{ctx}"
    );
    // JSON round trips of the payload.
    let mut out = vec![0u8; json::MAX_DOCUMENT_JSON_LEN];
    let n = json::write_unsigned(&p, &mut out).unwrap();
    assert_eq!(
        json::parse_unsigned(OpType::TokenIssue, &out[..n]),
        Ok(p.clone()),
        "{ctx}: json"
    );
    let n = json::write_document(&p, &mut out).unwrap();
    assert_eq!(
        json::parse_document(&out[..n]),
        Ok(p.clone()),
        "{ctx}: document"
    );
    let Some(vs) = &v.signature else { return };
    let sig = vs.to_core();
    let signed = LegacyTx {
        tx: p.clone(),
        signature: sig,
    };
    if let Some(key) = &v.private_key {
        let key = key_from_hex(key);
        let me = key_address(&key);
        assert_eq!(
            LegacyTx::sign(p.clone(), &key),
            Ok(signed.clone()),
            "{ctx}: deterministic signature"
        );
        assert_eq!(signed.signer(), Ok(me), "{ctx}: recover");
        assert_eq!(verify_hash(&hash, &sig, &me), Ok(()), "{ctx}: verify");
        // And through the request body.
        let mut body = vec![0u8; json::MAX_LEGACY_JSON_LEN];
        let n = json::write_legacy(&signed, &mut body).unwrap();
        assert_eq!(
            json::parse_legacy(OpType::TokenIssue, &body[..n]),
            Ok(signed.clone()),
            "{ctx}"
        );
    }
    if let Some(h) = &v.tx_hash {
        assert_eq!(
            &hex0x(&legacy::tx_hash(&p, &sig).unwrap()),
            h,
            "{ctx}: tx hash"
        );
        assert_eq!(&hex0x(&signed.tx_hash().unwrap()), h, "{ctx}: tx hash");
    }
    if let Some(wrong) = &v.tx_hash_rs_32_bytes {
        assert_ne!(
            &hex0x(&legacy::tx_hash(&p, &sig).unwrap()),
            wrong,
            "{ctx}: 32-byte r/s hash"
        );
        assert!(
            sig.r[0] == 0 || sig.s[0] == 0,
            "{ctx}: the wrong hash differs only with a leading zero"
        );
    }
    if let Some(len) = v.tx_rlp_len {
        // rlp([P, v, r, s]) with r and s minimal integers.
        let int_len = |b: &[u8; 32]| {
            let trimmed = &b[b.iter().take_while(|x| **x == 0).count()..];
            match trimmed {
                [] => 1,
                [x] if *x < 0x80 => 1,
                t => 1 + t.len(),
            }
        };
        let body = v.rlp_len + u64_len(u64::from(sig.v)) + int_len(&sig.r) + int_len(&sig.s);
        assert_eq!(len, list_len(body), "{ctx}: tx_rlp_len");
    }
}

#[test]
fn every_vector_matches_the_core() {
    let files = vectors::load_all();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"spec.json") && names.contains(&"rlp-boundaries.json"),
        "{names:?}"
    );
    let mut count = 0;
    for (file, content) in &files {
        for v in &content.vectors {
            check_vector(file, v);
            count += 1;
        }
    }
    assert!(count >= 20, "only {count} vectors");
}

/// The largest TokenIssue: its RLP is 187 bytes and its transaction-hash
/// preimage 256, within the core's bound for a TokenIssue payload. The
/// bound is one byte above: it counts `decimals` as any u8 (`0x81 0xff` for
/// 128..=255), while the rule caps it at 18 (one byte).
#[test]
fn max_payload_vector_is_within_the_bounds() {
    let file = vectors::load_named("rlp-boundaries.json");
    let v = file.get("max-payload");
    let bound = list_len(2 * 9 + <TokenIssue as Record>::MAX_FIELDS_RLP_LEN);
    assert_eq!(v.rlp_len, 187);
    assert_eq!(bound, v.rlp_len + 1);
    assert!(Transaction::<256, 32>::MAX_PAYLOAD_RLP_LEN >= bound);
    assert_eq!(v.tx_rlp_len, Some(256));
    assert!(v.rlp.starts_with("0xf8b9"), "{}", v.rlp);
    let sig = v.signature.as_ref().unwrap().to_core();
    assert!(sig.r[0] != 0 && sig.s[0] != 0);
    assert_eq!(file.get("max-payload-seven-fields").rlp_len, v.rlp_len - 1);
}

/// The header bytes the boundary vectors are named after.
#[test]
fn boundary_headers() {
    let file = vectors::load_named("rlp-boundaries.json");
    let rlp = |name: &str| unhex(&file.get(name).rlp);
    assert_eq!(rlp("list-body-55-bytes")[0], 0xf7);
    assert_eq!(rlp("list-body-55-bytes").len(), 56);
    assert_eq!(&rlp("list-body-56-bytes")[..2], &[0xf8u8, 0x38]);
    for (name, header, len) in [
        ("name-55-bytes-ascii", &[0xb7u8][..], 55usize),
        ("name-56-bytes-ascii", &[0xb8, 0x38][..], 56),
        ("name-55-bytes-utf8", &[0xb7][..], 55),
        ("name-56-bytes-utf8", &[0xb8, 0x38][..], 56),
    ] {
        let v = file.get(name);
        assert_eq!(v.payload.name.len(), len);
        let mut item = header.to_vec();
        item.extend_from_slice(v.payload.name.as_bytes());
        let bytes = rlp(name);
        assert!(
            bytes.windows(item.len()).any(|w| w == item.as_slice()),
            "{name}: no {header:02x?} + name in the RLP"
        );
    }
    let ints = [
        ("int-0", &[0x80u8][..]),
        ("int-127", &[0x7f][..]),
        ("int-128", &[0x81, 0x80][..]),
        ("int-255", &[0x81, 0xff][..]),
        ("int-256", &[0x82, 0x01, 0x00][..]),
        (
            "int-i64-max",
            &[0x88, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff][..],
        ),
    ];
    for (name, item) in ints {
        let bytes = rlp(name);
        // chain_id then nonce follow the list header (1 or 2 bytes).
        let body = if bytes[0] > 0xf7 {
            &bytes[2..]
        } else {
            &bytes[1..]
        };
        let mut both = item.to_vec();
        both.extend_from_slice(item);
        assert!(body.starts_with(&both), "{name}: {}", hex0x(&bytes));
    }
}

/// Whatever a signature is, the core's tx hash keeps r and s minimal: the
/// spec's nonce-177 vector is the case where the SDK's variant is wrong.
#[test]
fn leading_zero_r_vector() {
    let file = vectors::load_named("spec.json");
    let v = file.get("spec-eight-field-nonce-177-r-leading-zero");
    let sig: Signature = v.signature.as_ref().unwrap().to_core();
    assert_eq!(sig.r[0], 0);
    assert_ne!(v.tx_hash, v.tx_hash_rs_32_bytes);
    assert_eq!(
        hex0x(&legacy::tx_hash(&v.payload.to_core(), &sig).unwrap()),
        v.tx_hash.clone().unwrap()
    );
}
