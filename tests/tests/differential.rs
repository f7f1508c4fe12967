//! Differential tests against independent implementations:
//!
//! - eight fields: `om-primitives-types` (the network's own Rust types):
//!   same RLP (and om decodes ours, ours decodes om's), same signature hash,
//!   same transaction hash from its `Signed<TokenIssuePayload>` with the
//!   core's signature (and with arbitrary r, s including leading zero
//!   bytes), same mint address, and it recovers the signer;
//! - seven fields: a `#[derive(RlpEncodable, RlpDecodable)]` struct of
//!   alloy-rlp with the same field order: same bytes, both decode each
//!   other's.
//!
//! Each runs 2,500 generated payloads (over the 2,000 the project requires),
//! from a fixed seed so that the same payloads run every time.

mod oracle;

use std::cell::Cell;

use alloy_rlp::{Decodable, Encodable};
use om_primitives_types::transaction::payload::TokenIssuePayload as OmPayload;
use om_primitives_types::transaction::{Signable, Signed, SignerRecoverable};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use tokensign_core::{
    decode_rlp, encode_rlp, sign, signing_hash, signing_key_from_bytes, token_address, tx_hash,
    TokenIssuePayload, MAX_RLP_LEN,
};
use tokensign_tests::strategies;

const CASES: u32 = 2_500;

fn runner(seed: u8) -> TestRunner {
    let config = Config {
        cases: CASES,
        // Deterministic and reported by the seed: no regression file needed.
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
}

fn rlp_of(p: &TokenIssuePayload) -> Vec<u8> {
    let mut buf = [0u8; MAX_RLP_LEN];
    let n = encode_rlp(p, &mut buf).unwrap();
    buf[..n].to_vec()
}

#[test]
fn eight_fields_match_om_primitives_types() {
    // Cases, real signatures with a leading zero byte, tx hashes compared.
    let counts = [Cell::new(0usize), Cell::new(0), Cell::new(0)];
    let strategy = (
        strategies::fields8(),
        strategies::secret_key(),
        strategies::signature(),
    );
    runner(8)
        .run(&strategy, |(f, secret, arbitrary_sig)| {
            counts[0].set(counts[0].get() + 1);
            let p = f.payload();
            let om = oracle::om_payload(&p);
            // RLP: same bytes; each decodes the other's.
            let ours = rlp_of(&p);
            let theirs = alloy_rlp::encode(&om);
            prop_assert_eq!(&ours, &theirs);
            prop_assert_eq!(om.length(), ours.len());
            let mut slice = ours.as_slice();
            prop_assert_eq!(OmPayload::decode(&mut slice).unwrap(), om.clone());
            prop_assert!(slice.is_empty());
            prop_assert_eq!(decode_rlp(&theirs), Ok(p.clone()));
            // Signature hash.
            prop_assert_eq!(signing_hash(&p), <[u8; 32]>::from(om.signature_hash()));
            // Mint address.
            prop_assert_eq!(
                token_address(&p.master_authority(), p.symbol()).0,
                <[u8; 20]>::from(om.derive_mint_address())
            );
            // Transaction hash with a real signature: the network's signed
            // type, which also recovers the signer.
            let key = signing_key_from_bytes(&secret).unwrap();
            let sig = sign(&p, &key).unwrap();
            if sig.r[0] == 0 || sig.s[0] == 0 {
                counts[1].set(counts[1].get() + 1);
            }
            let signed = Signed::new(om.clone(), oracle::alloy_signature(&sig));
            prop_assert_eq!(tx_hash(&p, &sig), <[u8; 32]>::from(*signed.hash()));
            prop_assert_eq!(
                signed.recover_signer().map(<[u8; 20]>::from).ok(),
                Some(key.address().0)
            );
            // And with arbitrary r, s (leading zero bytes in a quarter).
            let signed = Signed::new(om, oracle::alloy_signature(&arbitrary_sig));
            prop_assert_eq!(
                tx_hash(&p, &arbitrary_sig),
                <[u8; 32]>::from(*signed.hash())
            );
            counts[2].set(counts[2].get() + 2);
            Ok(())
        })
        .unwrap();
    let [cases, zeros, hashes] = counts.map(Cell::into_inner);
    assert_eq!(cases, CASES as usize);
    assert_eq!(hashes, 2 * CASES as usize);
    // About 1 in 128 real signatures has r or s with a leading zero byte.
    assert!(zeros >= 5, "only {zeros} leading-zero signatures");
}

#[test]
fn seven_fields_match_alloy_rlp_derive() {
    runner(7)
        .run(&strategies::fields7(), |f| {
            let p = f.payload();
            let alloy = oracle::Seven::from_core(&p);
            let ours = rlp_of(&p);
            let theirs = alloy_rlp::encode(&alloy);
            prop_assert_eq!(&ours, &theirs);
            // alloy decodes ours.
            let mut slice = ours.as_slice();
            prop_assert_eq!(oracle::Seven::decode(&mut slice).unwrap(), alloy.clone());
            prop_assert!(slice.is_empty());
            // Ours decodes alloy's.
            prop_assert_eq!(decode_rlp(&theirs), Ok(p.clone()));
            prop_assert_eq!(
                signing_hash(&p),
                <[u8; 32]>::from(alloy_primitives::keccak256(&theirs))
            );
            Ok(())
        })
        .unwrap();
}

#[test]
fn both_forms_match_the_derived_structs() {
    // The eight-field derive agrees with the network's type too, and the
    // seven- and eight-field forms never collide.
    runner(78)
        .run(&strategies::fields8(), |f| {
            let p = f.payload();
            let eight = alloy_rlp::encode(oracle::Eight::from_core(&p));
            prop_assert_eq!(&rlp_of(&p), &eight);
            let seven_p = TokenIssuePayload::new(tokensign_core::PayloadFields {
                clawback_enabled: None,
                ..p.fields()
            })
            .unwrap();
            let seven = alloy_rlp::encode(oracle::Seven::from_core(&seven_p));
            prop_assert_ne!(&seven, &eight);
            prop_assert_ne!(signing_hash(&seven_p), signing_hash(&p));
            // A seven-field encoding is not an eight-field one for the network.
            let mut slice = seven.as_slice();
            prop_assert!(OmPayload::decode(&mut slice).is_err());
            Ok(())
        })
        .unwrap();
}

/// The oracle's own arithmetic agrees with om's `Signed` for the leading-
/// zero cases it is built for: a sanity check of the helper the vector
/// generator relies on.
#[test]
fn oracle_helper_agrees_with_om() {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[3; 32]),
    );
    for _ in 0..200 {
        let f = strategies::fields()
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let sig = strategies::signature()
            .new_tree(&mut runner)
            .unwrap()
            .current();
        let p = f.payload();
        let a = oracle::answers(&p, Some(&sig));
        assert_eq!(a.rlp, rlp_of(&p));
        assert_eq!(a.signing_hash, signing_hash(&p));
        assert_eq!(a.tx_hash, Some(tx_hash(&p, &sig)));
        assert_eq!(
            a.tx_hash_rs_32_bytes == a.tx_hash,
            sig.r[0] != 0 && sig.s[0] != 0,
            "the 32-byte variant differs exactly when r or s has a leading zero"
        );
    }
}
