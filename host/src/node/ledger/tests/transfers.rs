//! Payments, fees, private tokens, clawbacks and batch payments.

use tokensign_core::tx::*;

use super::world::*;
use crate::node::error::codes;

#[test]
fn payments_and_their_refusals() {
    let mut w = World::new();
    let t = w.funded("AAA", false, 100);
    w.run(ALICE, pay(CAROL, 40, t)).unwrap();
    assert_eq!((w.balance(ALICE, &t), w.balance(CAROL, &t)), (60, 40));
    w.refused(ALICE, pay(CAROL, 61, t), codes::INSUFFICIENT_BALANCE);
    w.refused(ALICE, pay(CAROL, 1, a(0x77)), codes::UNKNOWN_TOKEN);
    w.run(MASTER, list_b(ListAction::Add, ALICE, t)).unwrap();
    w.refused(ALICE, pay(CAROL, 1, t), codes::SENDER_BLACKLISTED);
    w.refused(BOB, pay(ALICE, 1, t), codes::RECIPIENT_BLACKLISTED);
    w.run(MASTER, list_b(ListAction::Remove, ALICE, t)).unwrap();
    w.run(MASTER, pause(PauseAction::Pause, t)).unwrap();
    w.refused(ALICE, pay(CAROL, 1, t), codes::TOKEN_PAUSED);
    w.check_invariants();
}

#[test]
fn payment_fees_go_to_the_collector() {
    let mut w = World::new();
    w.rules.fees.flat = amt(2);
    w.rules.fees.collector = Some(a(OPERATOR));
    let t = w.funded("AAA", false, 100);
    let e = w.run(ALICE, pay(CAROL, 10, t)).unwrap();
    assert_eq!(e.fee, amt(2));
    assert_eq!((w.balance(ALICE, &t), w.balance(CAROL, &t)), (88, 10));
    assert_eq!(w.balance(OPERATOR, &t), 2);
    w.refused(ALICE, pay(CAROL, 87, t), codes::INSUFFICIENT_BALANCE);
    w.check_invariants();
}

#[test]
fn private_tokens_move_only_between_whitelisted_accounts() {
    let mut w = World::new();
    let t = w.funded("PRV", true, 100);
    w.run(ALICE, pay(BOB, 10, t)).unwrap();
    w.refused(ALICE, pay(CAROL, 10, t), codes::RECIPIENT_NOT_WHITELISTED);
    w.refused(MASTER, mint(CAROL, 10, t), codes::RECIPIENT_NOT_WHITELISTED);
    w.run(MASTER, list_w(ListAction::Remove, ALICE, t)).unwrap();
    w.refused(ALICE, pay(BOB, 1, t), codes::SENDER_NOT_WHITELISTED);
    // Lists by kind: no blacklist on a private token, no whitelist on a
    // public one; adding twice or removing an absent address is refused.
    w.refused(
        MASTER,
        list_b(ListAction::Add, BOB, t),
        codes::LIST_NOT_FOR_TOKEN,
    );
    w.refused(
        MASTER,
        list_w(ListAction::Add, BOB, t),
        codes::ALREADY_LISTED,
    );
    w.refused(
        MASTER,
        list_w(ListAction::Remove, CAROL, t),
        codes::NOT_LISTED,
    );
    w.refused(
        BOB,
        list_w(ListAction::Add, CAROL, t),
        codes::NOT_AUTHORIZED,
    );
    let p = w.funded("PUB", false, 0);
    w.refused(
        MASTER,
        list_w(ListAction::Add, BOB, p),
        codes::LIST_NOT_FOR_TOKEN,
    );
    // A list authority manages lists.
    w.run(MASTER, grant(AuthorityType::ManageList, CAROL, 0, t))
        .unwrap();
    w.run(CAROL, list_w(ListAction::Add, ALICE, t)).unwrap();
    w.check_invariants();
}

#[test]
fn clawback_needs_enabled_token_and_frozen_account() {
    let mut w = World::new();
    let t = w.funded("AAA", false, 100);
    w.refused(
        MASTER,
        clawback(ALICE, CAROL, 10, t),
        codes::ACCOUNT_NOT_FROZEN,
    );
    w.run(MASTER, list_b(ListAction::Add, ALICE, t)).unwrap();
    w.refused(BOB, clawback(ALICE, CAROL, 10, t), codes::NOT_AUTHORIZED);
    w.refused(
        MASTER,
        clawback(ALICE, CAROL, 101, t),
        codes::INSUFFICIENT_BALANCE,
    );
    w.run(MASTER, clawback(ALICE, CAROL, 75, t)).unwrap();
    assert_eq!((w.balance(ALICE, &t), w.balance(CAROL, &t)), (25, 75));
    assert_eq!(w.token(&t).supply, amt(200));
    // A clawback authority may claw back too.
    w.run(MASTER, grant(AuthorityType::Clawback, BOB, 0, t))
        .unwrap();
    w.run(BOB, clawback(ALICE, CAROL, 5, t)).unwrap();
    // Disabled at issue: never.
    let e = w.run(OPERATOR, issue("NCB", false, false)).unwrap();
    let n = e.token.unwrap();
    w.run(MASTER, mint(ALICE, 10, n)).unwrap();
    w.run(MASTER, list_b(ListAction::Add, ALICE, n)).unwrap();
    w.refused(
        MASTER,
        clawback(ALICE, CAROL, 1, n),
        codes::CLAWBACK_DISABLED,
    );
    w.check_invariants();
}

#[test]
fn batch_payments_are_all_or_nothing() {
    let mut w = World::new();
    let t = w.funded("AAA", false, 100);
    let e = w.run(ALICE, batch(t, &[(BOB, 10), (CAROL, 20)])).unwrap();
    assert_eq!(e.batch_total, Some(amt(30)));
    assert_eq!(
        (
            w.balance(ALICE, &t),
            w.balance(BOB, &t),
            w.balance(CAROL, &t)
        ),
        (70, 110, 20)
    );
    w.refused(
        ALICE,
        batch(t, &[(BOB, 70), (CAROL, 1)]),
        codes::INSUFFICIENT_BALANCE,
    );
    w.run(MASTER, list_b(ListAction::Add, CAROL, t)).unwrap();
    w.refused(
        ALICE,
        batch(t, &[(BOB, 1), (CAROL, 1)]),
        codes::RECIPIENT_BLACKLISTED,
    );
    w.check_invariants();
}
