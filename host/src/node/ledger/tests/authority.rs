//! The authorities: who may grant what, to whom, within which limits.

use tokensign_core::tx::*;
use tokensign_core::Amount;

use super::world::*;
use crate::node::error::codes;

#[test]
fn master_mint_burn_authority_grants_minters_only() {
    let mut w = World::new();
    let t = w.funded("AAA", false, 0);
    w.run(MASTER, grant(AuthorityType::MasterMintBurn, CAROL, 0, t))
        .unwrap();
    assert_eq!(w.token(&t).master_mint_burn_authority, a(CAROL));
    w.run(CAROL, grant(AuthorityType::MintBurnTokens, ALICE, 9, t))
        .unwrap();
    w.refused(
        CAROL,
        grant(AuthorityType::Pause, ALICE, 0, t),
        codes::NOT_AUTHORIZED,
    );
    w.refused(CAROL, mint(ALICE, 1, t), codes::NOT_AUTHORIZED);
    w.run(MASTER, revoke(AuthorityType::MasterMintBurn, CAROL, t))
        .unwrap();
    w.refused(
        CAROL,
        revoke(AuthorityType::MintBurnTokens, ALICE, t),
        codes::NOT_AUTHORIZED,
    );
}

/// The adversarial run's sequence: a master mint/burn authority could
/// grant itself MintBurnTokens with any allowance and keep it after its
/// role was revoked. It may not grant itself; the minters it granted keep
/// their grants after it loses the role (docs/server.md).
#[test]
fn master_mint_burn_authority_cannot_make_itself_a_minter() {
    let mut w = World::new();
    let t = w.funded("AAA", false, 0);
    w.run(MASTER, grant(AuthorityType::MasterMintBurn, CAROL, 0, t))
        .unwrap();
    w.refused(CAROL, mint(CAROL, 1, t), codes::NOT_AUTHORIZED);
    let unlimited = TokenAuthority {
        value: Amount::MAX,
        ..grant(AuthorityType::MintBurnTokens, CAROL, 0, t)
    };
    w.refused(CAROL, unlimited.clone(), codes::NOT_AUTHORIZED);
    assert!(w.token(&t).minters.is_empty());
    w.run(MASTER, revoke(AuthorityType::MasterMintBurn, CAROL, t))
        .unwrap();
    let mut huge = mint(CAROL, 0, t);
    huge.value = Amount::parse("1000000000000000000000000000000").unwrap();
    w.refused(CAROL, huge, codes::NOT_AUTHORIZED);
    assert_eq!(w.token(&t).supply, Amount::ZERO);

    // A minter the master made raises its own allowance no more than it
    // mints: as master mint/burn authority it cannot re-grant itself, but
    // it may give up its own grant.
    w.run(MASTER, grant(AuthorityType::MintBurnTokens, CAROL, 5, t))
        .unwrap();
    w.run(MASTER, grant(AuthorityType::MasterMintBurn, CAROL, 0, t))
        .unwrap();
    w.refused(CAROL, unlimited, codes::NOT_AUTHORIZED);
    assert_eq!(w.token(&t).minter(&a(CAROL)).unwrap().allowance, amt(5));
    w.run(CAROL, revoke(AuthorityType::MintBurnTokens, CAROL, t))
        .unwrap();
    w.refused(CAROL, mint(CAROL, 1, t), codes::NOT_AUTHORIZED);

    // Its grants to others outlive its role; the master can revoke them.
    w.run(CAROL, grant(AuthorityType::MintBurnTokens, ALICE, 7, t))
        .unwrap();
    w.run(MASTER, revoke(AuthorityType::MasterMintBurn, CAROL, t))
        .unwrap();
    w.run(ALICE, mint(BOB, 7, t)).unwrap();
    w.refused(ALICE, mint(BOB, 1, t), codes::ALLOWANCE_EXCEEDED);
    w.run(MASTER, revoke(AuthorityType::MintBurnTokens, ALICE, t))
        .unwrap();
    w.refused(ALICE, mint(BOB, 1, t), codes::NOT_AUTHORIZED);
    w.check_invariants();
}

#[test]
fn authorities_grant_revoke_limits() {
    let mut w = World::new();
    let t = w.funded("AAA", false, 0);
    w.run(MASTER, grant(AuthorityType::Pause, ALICE, 0, t))
        .unwrap();
    w.refused(
        MASTER,
        grant(AuthorityType::Pause, ALICE, 0, t),
        codes::AUTHORITY_ALREADY_GRANTED,
    );
    for b in 0x40..0x44 {
        w.run(MASTER, grant(AuthorityType::Pause, b, 0, t)).unwrap();
    }
    w.refused(
        MASTER,
        grant(AuthorityType::Pause, 0x50, 0, t),
        codes::AUTHORITY_LIMIT_REACHED,
    );
    w.run(MASTER, revoke(AuthorityType::Pause, ALICE, t))
        .unwrap();
    w.refused(
        MASTER,
        revoke(AuthorityType::Pause, ALICE, t),
        codes::AUTHORITY_NOT_HELD,
    );
    w.refused(
        ALICE,
        grant(AuthorityType::Bridge, ALICE, 0, t),
        codes::NOT_AUTHORIZED,
    );
    // Each granted authority works; without it, it does not.
    w.refused(ALICE, pause(PauseAction::Pause, t), codes::NOT_AUTHORIZED);
    w.run(0x40, pause(PauseAction::Pause, t)).unwrap();
    w.refused(0x40, pause(PauseAction::Pause, t), codes::ALREADY_PAUSED);
    w.run(0x40, pause(PauseAction::Unpause, t)).unwrap();
    w.refused(0x40, pause(PauseAction::Unpause, t), codes::NOT_PAUSED);
}
