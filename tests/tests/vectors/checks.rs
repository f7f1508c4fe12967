//! The checks: the committed files are what the oracles compute, and every
//! vector matches the core (its hashes, signature, recovery, JSON and
//! bounds).

use super::generator::*;
use super::oracle;

use tokensign_core::field::Record;
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::rlp::encode::Encode;
use tokensign_core::rlp::header::{list_len, u64_len};
use tokensign_core::tx::{token_address, TokenIssue};
use tokensign_core::{json, verify_hash, OpType, Signature, Transaction};
use tokensign_tests::vectors::{self, Vector};
use tokensign_tests::{hex0x, key_address, key_from_hex, rlp, unhex};

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
