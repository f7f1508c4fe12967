//! Mints and burns, bridged or not.

use tokensign_core::tx::*;

use super::world::*;
use crate::node::error::codes;
use crate::node::ledger::*;

#[test]
fn mint_by_master_and_minter_within_allowance() {
    let mut w = World::new();
    let t = w.funded("AAA", false, 0);
    w.run(MASTER, mint(ALICE, 100, t)).unwrap();
    w.refused(ALICE, mint(ALICE, 1, t), codes::NOT_AUTHORIZED);
    w.run(MASTER, grant(AuthorityType::MintBurnTokens, CAROL, 50, t))
        .unwrap();
    w.run(CAROL, mint(BOB, 30, t)).unwrap();
    assert_eq!(w.token(&t).minter(&a(CAROL)).unwrap().allowance, amt(20));
    w.refused(CAROL, mint(BOB, 21, t), codes::ALLOWANCE_EXCEEDED);
    // A re-grant replaces the allowance.
    w.run(MASTER, grant(AuthorityType::MintBurnTokens, CAROL, 5, t))
        .unwrap();
    assert_eq!(w.token(&t).minter(&a(CAROL)).unwrap().allowance, amt(5));
    assert_eq!(w.token(&t).supply, amt(130));
    assert_eq!(w.balance(BOB, &t), 30);
    // Blacklisted recipient, paused token, unknown token.
    w.run(MASTER, list_b(ListAction::Add, BOB, t)).unwrap();
    w.refused(MASTER, mint(BOB, 1, t), codes::RECIPIENT_BLACKLISTED);
    w.run(MASTER, pause(PauseAction::Pause, t)).unwrap();
    w.refused(MASTER, mint(ALICE, 1, t), codes::TOKEN_PAUSED);
    w.refused(MASTER, mint(ALICE, 1, a(0x99)), codes::UNKNOWN_TOKEN);
    w.check_invariants();
}

#[test]
fn burns() {
    let mut w = World::new();
    let t = w.funded("AAA", false, 100);
    w.refused(ALICE, burn(1, t), codes::NOT_AUTHORIZED);
    w.run(MASTER, grant(AuthorityType::MintBurnTokens, ALICE, 0, t))
        .unwrap();
    w.run(ALICE, burn(30, t)).unwrap();
    assert_eq!(w.balance(ALICE, &t), 70);
    assert_eq!(w.token(&t).supply, amt(170));
    w.refused(ALICE, burn(71, t), codes::INSUFFICIENT_BALANCE);
    w.run(MASTER, list_b(ListAction::Add, ALICE, t)).unwrap();
    w.refused(ALICE, burn(1, t), codes::SENDER_BLACKLISTED);
    w.check_invariants();
}

/// On a private token, off the whitelist is frozen: a minter taken off it
/// may not burn its balance away before the clawback (the adversarial
/// run's finding), and the clawback then gets all of it.
#[test]
fn a_minter_off_a_private_whitelist_cannot_burn() {
    let mut w = World::new();
    let t = w.funded("PRV", true, 100);
    w.run(MASTER, grant(AuthorityType::MintBurnTokens, ALICE, 0, t))
        .unwrap();
    w.run(ALICE, burn(10, t)).unwrap();
    w.run(MASTER, list_w(ListAction::Add, CAROL, t)).unwrap();
    w.run(MASTER, list_w(ListAction::Remove, ALICE, t)).unwrap();
    w.refused(ALICE, burn(90, t), codes::SENDER_NOT_WHITELISTED);
    w.run(MASTER, clawback(ALICE, CAROL, 90, t)).unwrap();
    assert_eq!((w.balance(ALICE, &t), w.balance(CAROL, &t)), (0, 90));
    assert_eq!(w.token(&t).supply, amt(190));
    w.check_invariants();
}

#[test]
fn bridge_mint_and_burn() {
    let mut w = World::new();
    let t = w.funded("AAA", false, 100);
    w.refused(ALICE, bridge_mint(ALICE, 5, t), codes::NOT_AUTHORIZED);
    w.run(MASTER, grant(AuthorityType::Bridge, CAROL, 0, t))
        .unwrap();
    w.run(CAROL, bridge_mint(ALICE, 90, t)).unwrap();
    assert_eq!(w.token(&t).supply, amt(290));
    let e = w.run(ALICE, burn_bridge(20, 1, t)).unwrap();
    assert_eq!(e.bridge.as_ref().unwrap().bbnonce, 0);
    assert_eq!(w.balance(ALICE, &t), 169);
    assert_eq!(w.token(&t).supply, amt(270));
    // The escrow fee went to the collector (the issuing operator).
    assert_eq!(w.balance(OPERATOR, &t), 1);
    assert_eq!(w.ledger.account(&a(ALICE)).unwrap().bbnonce, 1);
    w.refused(ALICE, burn_bridge(169, 1, t), codes::INSUFFICIENT_BALANCE);
    w.run(MASTER, pause(PauseAction::Pause, t)).unwrap();
    w.refused(ALICE, burn_bridge(1, 0, t), codes::TOKEN_PAUSED);
    w.refused(CAROL, bridge_mint(ALICE, 1, t), codes::TOKEN_PAUSED);
    w.check_invariants();
}
