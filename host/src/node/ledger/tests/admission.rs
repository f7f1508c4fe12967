//! The chain id, the nonce and replays.

use tokensign_core::tx::*;

use super::world::*;
use crate::node::error::{codes, rule_code};
use crate::node::ledger::*;

#[test]
fn chain_id_nonce_and_replay() {
    let mut w = World::new();
    let tx = Transaction::new(CHAIN + 1, 0, issue("AAA", false, true));
    let r = w.run_tx(a(OPERATOR), &SignedBy::Single, tx);
    assert_eq!(rule_code(&r.unwrap_err()), codes::WRONG_CHAIN_ID);
    let tx = Transaction::new(CHAIN, 1, issue("AAA", false, true));
    let r = w.run_tx(a(OPERATOR), &SignedBy::Single, tx.clone());
    assert_eq!(rule_code(&r.unwrap_err()), codes::NONCE_MISMATCH);
    // The refused nonce was not consumed: nonce 0 is still the next.
    let ok = Transaction::new(CHAIN, 0, issue("AAA", false, true));
    w.run_tx(a(OPERATOR), &SignedBy::Single, ok.clone())
        .unwrap();
    // The same transaction again (a replay) is refused by its nonce.
    let r = w.run_tx(a(OPERATOR), &SignedBy::Single, ok);
    assert_eq!(rule_code(&r.unwrap_err()), codes::NONCE_MISMATCH);
    // Now nonce 1 is the next.
    w.run_tx(
        a(OPERATOR),
        &SignedBy::Single,
        Transaction::new(CHAIN, 1, issue("BBB", false, true)),
    )
    .unwrap();
}
