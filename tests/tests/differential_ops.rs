//! Every operation against encoders written independently of the core
//! (`oracle/derive.rs`: alloy-rlp's derive with the spec's field order) and,
//! for the v1 facts, against the network's own types (`oracle/om.rs`,
//! `om-primitives-types` 0.3):
//!
//! - `P`, the legacy signed bytes (`rlp(P)` or `rlp([P, M])`), the legacy
//!   signing hash and transaction hash (any r, s, v);
//! - v2: `payload_rlp = rlp([P, M])`, the unsigned and signed envelopes
//!   (single and multisig), the signing hash and the transaction hash;
//! - the core's strict decoders read the oracle's bytes back;
//! - BatchPayment's `operations_hash`;
//! - om: the same `P`, signature hash and transaction hash for the
//!   transaction without its memo, and om decodes the core's bytes.
//!
//! 1,000 generated transactions per operation (`cases`), from a fixed seed
//! per operation, so that the same transactions run every time.

mod oracle;

use std::cell::Cell;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use tokensign_core::{legacy, native, OpType, Operation, Transaction};
use tokensign_tests::{cases, rlp, strategies};

fn check(op: OpType) {
    let config = Config {
        cases: cases(1_000),
        failure_persistence: None,
        ..Config::default()
    };
    let total = config.cases;
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &[op.number(); 32]),
    );
    let strategy = (
        strategies::transaction_for::<256, 32>(op),
        strategies::signature(),
        strategies::authorization(),
    );
    let om_cases = Cell::new(0u32);
    let memo_cases = Cell::new(0u32);
    let multisig_cases = Cell::new(0u32);
    let count = |c: &Cell<u32>| c.set(c.get() + 1);
    runner
        .run(&strategy, |(tx, sig, auth)| {
            let v2 = native::normalize(tx.clone());
            let o = oracle::derive::answers(&tx, &v2, &sig, &auth);
            prop_assert_eq!(&rlp(&tx.payload()), &o.payload, "P");
            // Legacy v1.
            if legacy::supports(op) {
                let value = legacy::signed_value(&tx).unwrap();
                prop_assert_eq!(&rlp(&value), &o.legacy_signed, "legacy signed bytes");
                prop_assert_eq!(legacy::signing_hash(&tx), Ok(o.legacy_signing_hash));
                prop_assert_eq!(legacy::tx_hash(&tx, &sig), Ok(o.legacy_tx_hash));
                prop_assert_eq!(
                    legacy::decode_signed_value::<256, 32>(op, &o.legacy_signed),
                    Ok(tx.clone())
                );
            } else {
                prop_assert_eq!(
                    legacy::signing_hash(&tx),
                    Err(tokensign_core::Error::NotInScheme)
                );
            }
            if tx.memo.is_some() {
                count(&memo_cases);
            }
            // Native v2.
            let descriptor = auth.descriptor();
            if descriptor != native::Descriptor::Single {
                count(&multisig_cases);
            }
            prop_assert_eq!(
                &rlp(&native::payload_rlp(&tx)),
                &o.payload_rlp,
                "payload_rlp"
            );
            prop_assert_eq!(
                &rlp(&native::unsigned(&tx, descriptor)),
                &o.unsigned,
                "unsigned"
            );
            prop_assert_eq!(native::signing_hash(&tx, descriptor), o.signing_hash);
            prop_assert_eq!(&rlp(&native::signed(&tx, &auth)), &o.signed, "signed");
            prop_assert_eq!(native::tx_hash(&tx, &auth), o.tx_hash);
            prop_assert_eq!(
                native::decode_payload_rlp::<256, 32>(op, &o.payload_rlp),
                Ok(v2.clone())
            );
            prop_assert_eq!(
                native::decode_unsigned::<256, 32>(&o.unsigned),
                Ok((v2.clone(), descriptor))
            );
            let back = native::decode_signed::<256, 32>(&o.signed).unwrap();
            prop_assert_eq!(&back.tx, &v2);
            prop_assert_eq!(&back.authorization, &auth);
            if let Operation::BatchPayment(b) = &tx.operation {
                prop_assert_eq!(
                    Some(b.compute_operations_hash().0),
                    oracle::derive::operations_hash(&tx)
                );
            }
            // The network's v1 types, on the transaction without its memo.
            let bare = Transaction {
                memo: None,
                ..tx.clone()
            };
            let bare_p = rlp(&bare.payload());
            if let Some(om) = oracle::om::answers(&bare, &bare_p, &sig) {
                count(&om_cases);
                prop_assert_eq!(&om.rlp, &bare_p, "om P");
                prop_assert!(om.decodes, "om decodes the core's P");
                if legacy::supports(op) {
                    prop_assert_eq!(legacy::signing_hash(&bare), Ok(om.signing_hash));
                    prop_assert_eq!(legacy::tx_hash(&bare, &sig), Ok(om.tx_hash));
                    prop_assert_eq!(
                        legacy::decode_signed_value::<256, 32>(op, &om.rlp),
                        Ok(bare.clone())
                    );
                }
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{op}: {e}"));
    let (om_cases, memo_cases, multisig_cases) =
        (om_cases.get(), memo_cases.get(), multisig_cases.get());
    // The generators reach every form: memos, multisig envelopes, and the
    // network's types wherever they exist (TokenIssue: eight fields only).
    assert!(
        memo_cases > total / 4,
        "{op}: {memo_cases} cases with a memo"
    );
    assert!(
        multisig_cases > total / 4,
        "{op}: {multisig_cases} multisig cases"
    );
    match op {
        OpType::BatchPayment => assert_eq!(om_cases, 0),
        OpType::TokenIssue => assert!(om_cases > total / 3, "{op}: {om_cases} om cases"),
        _ => assert_eq!(om_cases, total, "{op}"),
    }
}

macro_rules! per_op {
    ($($name:ident => $op:ident,)+) => {$(
        #[test]
        fn $name() {
            check(OpType::$op);
        }
    )+};
}

per_op! {
    payment => Payment,
    token_issue => TokenIssue,
    token_mint => TokenMint,
    token_authority => TokenAuthority,
    token_blacklist => TokenBlacklist,
    token_whitelist => TokenWhitelist,
    token_pause => TokenPause,
    token_burn => TokenBurn,
    token_clawback => TokenClawback,
    token_metadata => TokenMetadata,
    token_bridge_and_mint => TokenBridgeAndMint,
    token_burn_and_bridge => TokenBurnAndBridge,
    create_multisig => CreateMultiSig,
    batch_payment => BatchPayment,
}
