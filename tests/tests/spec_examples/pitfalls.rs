//! Known pitfalls (spec 8): the look-alike integers of 8.1, distinct
//! under v2.

use super::support::*;
use tokensign_core::field::AsRlp;
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::{self, NativeTx};
use tokensign_core::tx::PauseAction;
use tokensign_core::{Amount, Operation, Transaction};
use tokensign_tests::{key_address, key_from_hex, rlp, SPEC_KEY};

/// 8.1: TokenPause's action words are TokenBurn values.
#[test]
fn look_alike_integers_8_1() {
    let word = |a: PauseAction| rlp(&AsRlp(&a));
    assert_eq!(hex::encode(word(PauseAction::Pause)), "855061757365");
    assert_eq!(
        rlp(&AsRlp(&Amount::from_u64(345_232_470_885))),
        word(PauseAction::Pause)
    );
    assert_eq!(
        rlp(&AsRlp(&Amount::from_u64(24_046_801_970_885_477))),
        word(PauseAction::Unpause)
    );
    // And a legacy request for one is a legacy request for the other.
    let key = key_from_hex(&SPEC_KEY);
    let pause: Transaction = Transaction::new(
        1_212_101,
        997,
        tokensign_core::tx::TokenPause {
            action: PauseAction::Pause,
            token: addr(0x01),
        },
    );
    let burn: Transaction = Transaction::new(
        1_212_101,
        997,
        tokensign_core::tx::TokenBurn {
            value: Amount::from_u64(345_232_470_885),
            token: addr(0x01),
        },
    );
    let signed = LegacyTx::sign(pause.clone(), &key).unwrap();
    let replayed = LegacyTx {
        tx: burn.clone(),
        signature: signed.signature,
    };
    assert_eq!(
        replayed.signer(),
        Ok(key_address(&key)),
        "v1 does not bind the operation"
    );
    let native_signed = NativeTx::sign(pause, &key).unwrap();
    let native_replayed = NativeTx {
        tx: native::normalize(burn),
        authorization: native_signed.authorization.clone(),
    };
    assert_ne!(native_replayed.sender(), Ok(key_address(&key)), "v2 does");
    assert!(matches!(
        native_replayed.tx.operation,
        Operation::TokenBurn(_)
    ));
}
