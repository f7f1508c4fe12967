//! Multisig accounts and their thresholds.

use tokensign_core::tx::*;

use super::world::*;
use crate::node::error::{codes, rule_code};
use crate::node::ledger::*;

fn key_of(b: u8) -> [u8; 33] {
    tokensign_core::SigningKey::from_bytes(&[b; 32])
        .unwrap()
        .public_key_compressed()
}

#[test]
fn multisig_accounts_and_thresholds() {
    let mut w = World::new();
    let keys = [key_of(1), key_of(2), key_of(3)];
    let mut signers = heapless::Vec::new();
    for (k, weight) in keys.iter().zip([3u8, 1, 1]) {
        signers
            .push(MultisigSigner {
                public_key: tokensign_core::field::KeyAsIntegers(*k),
                weight,
            })
            .unwrap();
    }
    let create = CreateMultiSig {
        signers,
        threshold: 4,
    };
    let account = create.account_address();
    let e = w.run(ALICE, create.clone()).unwrap();
    assert_eq!(e.multisig, Some(account));
    w.refused(BOB, create, codes::MULTISIG_ALREADY_EXISTS);
    let t = w.funded("AAA", false, 0);
    let mut fund = mint(ALICE, 50, t);
    fund.recipient = account;
    w.run(MASTER, fund).unwrap();
    let tx = |nonce| Transaction::new(CHAIN, nonce, pay(BOB, 10, t));
    let below = SignedBy::Multisig(vec![keys[0]]);
    let r = w.run_tx(account, &below, tx(0));
    assert_eq!(rule_code(&r.unwrap_err()), codes::MULTISIG_BELOW_THRESHOLD);
    let stranger = SignedBy::Multisig(vec![keys[0], key_of(9)]);
    let r = w.run_tx(account, &stranger, tx(0));
    assert_eq!(rule_code(&r.unwrap_err()), codes::NOT_A_MULTISIG_MEMBER);
    let r = w.run_tx(a(0x66), &SignedBy::Multisig(vec![keys[0], keys[1]]), tx(0));
    assert_eq!(
        rule_code(&r.unwrap_err()),
        codes::MULTISIG_ACCOUNT_NOT_FOUND
    );
    // 3 + 1 >= 4: accepted, on the account's own nonce.
    let ok = SignedBy::Multisig(vec![keys[0], keys[1]]);
    w.run_tx(account, &ok, tx(0)).unwrap();
    assert_eq!(w.ledger.account(&account).unwrap().nonce, 1);
    assert_eq!(w.balance(BOB, &t), 10);
    let r = w.run_tx(account, &ok, tx(0));
    assert_eq!(rule_code(&r.unwrap_err()), codes::NONCE_MISMATCH);
}
