//! The ledger's rules without HTTP: every operation accepted, each refusal
//! with its code and an unchanged ledger, and random sequences keeping the
//! invariants.

use std::collections::HashMap;

use proptest::prelude::*;
use tokensign_core::text::Text;
use tokensign_core::tx::*;
use tokensign_core::{Address, Amount};

use super::*;
use crate::node::error::{codes, rule_code};

const CHAIN: u64 = CHAIN_ID_TESTNET;

fn a(byte: u8) -> Address {
    Address([byte; 20])
}
const OPERATOR: u8 = 0x0a;
const MASTER: u8 = 0x0b;
const ALICE: u8 = 0x0c;
const BOB: u8 = 0x0d;
const CAROL: u8 = 0x0e;

fn amt(v: u64) -> Amount {
    Amount::from_u64(v)
}

struct World {
    ledger: MemoryLedger,
    rules: Rules,
}

impl World {
    fn new() -> World {
        World {
            ledger: MemoryLedger::default(),
            rules: Rules {
                chain_id: CHAIN,
                operators: [a(OPERATOR)].into_iter().collect(),
                fees: Fees::default(),
            },
        }
    }

    /// Applies `op` from `from` with its current nonce; commits on success.
    fn run(&mut self, from: u8, op: impl Into<Operation>) -> Result<Effects, Refusal> {
        let nonce = self.ledger.account(&a(from)).unwrap().nonce;
        self.run_tx(
            a(from),
            &SignedBy::Single,
            Transaction::new(CHAIN, nonce, op),
        )
    }

    fn run_tx(
        &mut self,
        sender: Address,
        signed_by: &SignedBy,
        tx: Transaction,
    ) -> Result<Effects, Refusal> {
        let sub = Submission {
            tx: &tx,
            sender,
            signed_by,
        };
        let out = apply(&self.ledger, &self.rules, &sub).unwrap();
        if let Ok(e) = &out {
            self.ledger.commit(e.changes.clone());
        }
        out
    }

    /// `op` is refused with `code` and the ledger does not change.
    fn refused(&mut self, from: u8, op: impl Into<Operation>, code: &str) {
        let before = self.snapshot();
        let r = self.run(from, op);
        assert_eq!(r.as_ref().err().map(rule_code), Some(code), "{r:?}");
        assert!(
            codes::RULE_CODES.contains(&code),
            "{code} is not in RULE_CODES"
        );
        assert!(!r.unwrap_err().to_string().is_empty());
        assert_eq!(self.snapshot(), before, "a refusal changed the ledger");
    }

    fn snapshot(&self) -> String {
        let mut accounts: Vec<_> = self.ledger.accounts.iter().collect();
        accounts.sort_by_key(|(k, _)| **k);
        let mut tokens: Vec<_> = self.ledger.tokens.iter().collect();
        tokens.sort_by_key(|(k, _)| **k);
        let mut balances: Vec<_> = self.ledger.balances.iter().collect();
        balances.sort_by_key(|(k, _)| **k);
        format!(
            "{accounts:?}{tokens:?}{balances:?}{:?}",
            self.ledger.multisigs.len()
        )
    }

    fn balance(&self, owner: u8, token: &Address) -> u64 {
        self.ledger
            .balance(&a(owner), token)
            .unwrap()
            .to_u128()
            .unwrap() as u64
    }

    fn token(&self, t: &Address) -> Token {
        self.ledger.tokens[t].clone()
    }

    /// Issues `symbol` (master MASTER) and mints `each` to ALICE and BOB.
    fn funded(&mut self, symbol: &str, private: bool, each: u64) -> Address {
        let e = self.run(OPERATOR, issue(symbol, private, true)).unwrap();
        let t = e.token.unwrap();
        if private {
            for who in [ALICE, BOB] {
                self.run(MASTER, list_w(ListAction::Add, who, t)).unwrap();
            }
        }
        if each > 0 {
            for who in [ALICE, BOB] {
                self.run(MASTER, mint(who, each, t)).unwrap();
            }
        }
        t
    }

    fn check_invariants(&self) {
        check_invariants(&self.ledger);
    }
}

/// Every token's supply equals the sum of its balances.
pub(crate) fn check_invariants(ledger: &MemoryLedger) {
    let mut sums: HashMap<Address, Amount> = HashMap::new();
    for ((_, token), balance) in &ledger.balances {
        let s = sums.entry(*token).or_default();
        *s = s.checked_add(balance).expect("sum fits");
    }
    for (address, token) in &ledger.tokens {
        assert_eq!(
            sums.get(address).copied().unwrap_or_default(),
            token.supply,
            "supply of {}",
            token.symbol
        );
    }
}

fn issue(symbol: &str, is_private: bool, clawback: bool) -> TokenIssue {
    TokenIssue {
        symbol: Text::new(symbol).unwrap(),
        name: Text::new("Test").unwrap(),
        decimals: 6,
        master_authority: a(MASTER),
        is_private,
        clawback_enabled: Some(clawback),
    }
}
fn mint(to: u8, v: u64, token: Address) -> TokenMint {
    TokenMint {
        recipient: a(to),
        value: amt(v),
        token,
    }
}
fn pay(to: u8, v: u64, token: Address) -> Payment {
    Payment {
        recipient: a(to),
        value: amt(v),
        token,
    }
}
fn burn(v: u64, token: Address) -> TokenBurn {
    TokenBurn {
        value: amt(v),
        token,
    }
}
fn grant(kind: AuthorityType, to: u8, v: u64, token: Address) -> TokenAuthority {
    TokenAuthority {
        action: AuthorityAction::Grant,
        authority_type: kind,
        authority_address: a(to),
        token,
        value: amt(v),
    }
}
fn revoke(kind: AuthorityType, to: u8, token: Address) -> TokenAuthority {
    TokenAuthority {
        action: AuthorityAction::Revoke,
        ..grant(kind, to, 0, token)
    }
}
fn list_b(action: ListAction, who: u8, token: Address) -> TokenBlacklist {
    TokenBlacklist {
        action,
        address: a(who),
        token,
    }
}
fn list_w(action: ListAction, who: u8, token: Address) -> TokenWhitelist {
    TokenWhitelist {
        action,
        address: a(who),
        token,
    }
}
fn pause(action: PauseAction, token: Address) -> TokenPause {
    TokenPause { action, token }
}
fn clawback(from: u8, to: u8, v: u64, token: Address) -> TokenClawback {
    TokenClawback {
        token,
        from: a(from),
        recipient: a(to),
        value: amt(v),
    }
}
fn batch(token: Address, ops: &[(u8, u64)]) -> BatchPayment {
    let mut operations = heapless::Vec::new();
    for (to, v) in ops {
        operations
            .push(BatchEntry {
                recipient: a(*to),
                amount: amt(*v),
            })
            .unwrap();
    }
    BatchPayment {
        token,
        operations,
        created_at: 1,
        operations_hash: None,
        batch_id: None,
    }
}
fn bridge_mint(to: u8, v: u64, token: Address) -> TokenBridgeAndMint {
    TokenBridgeAndMint {
        recipient: a(to),
        value: amt(v),
        token,
        source_chain_id: 1,
        source_tx_hash: Text::new("0xabc").unwrap(),
        bridge_metadata: Text::new("").unwrap(),
    }
}
fn burn_bridge(v: u64, fee: u64, token: Address) -> TokenBurnAndBridge {
    TokenBurnAndBridge {
        sender: a(0),
        value: amt(v),
        token,
        destination_chain_id: 1,
        destination_address: Text::new("0x1234").unwrap(),
        escrow_fee: amt(fee),
        bridge_metadata: Text::new("").unwrap(),
        bridge_param: tokensign_core::field::Bytes(heapless::Vec::new()),
    }
}

#[test]
fn issue_creates_the_token_and_refuses_non_operators_and_duplicates() {
    let mut w = World::new();
    let e = w.run(OPERATOR, issue("AAA", false, true)).unwrap();
    let t = e.token.unwrap();
    assert_eq!(t, token_address(&a(MASTER), "AAA"));
    let token = w.token(&t);
    assert_eq!(token.supply, Amount::default());
    assert!(token.clawback_enabled && !token.is_paused);
    assert!(token.master_mint_burn_authority.is_zero());
    assert_eq!(w.ledger.account(&a(OPERATOR)).unwrap().nonce, 1);
    w.refused(ALICE, issue("BBB", false, true), codes::SIGNER_NOT_OPERATOR);
    w.refused(
        OPERATOR,
        issue("AAA", false, true),
        codes::TOKEN_ALREADY_EXISTS,
    );
    let mut other = issue("AAA", false, true);
    other.master_authority = a(ALICE);
    w.refused(OPERATOR, other, codes::SYMBOL_ALREADY_EXISTS);
}

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
fn metadata_updates_replace_everything() {
    let mut w = World::new();
    let t = w.funded("AAA", false, 0);
    let mut extra = heapless::Vec::new();
    extra
        .push(MetadataEntry {
            key: Text::new("k").unwrap(),
            value: Text::new("v").unwrap(),
        })
        .unwrap();
    let update = TokenMetadata {
        name: Text::new("New").unwrap(),
        uri: Text::new("https://x.example").unwrap(),
        token: t,
        additional_metadata: extra,
    };
    w.refused(ALICE, update.clone(), codes::NOT_AUTHORIZED);
    w.run(MASTER, update).unwrap();
    let token = w.token(&t);
    assert_eq!(
        (token.name.as_str(), token.uri.as_str()),
        ("New", "https://x.example")
    );
    assert_eq!(
        token.additional_metadata,
        vec![("k".to_owned(), "v".to_owned())]
    );
    assert_eq!(token.symbol, "AAA");
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

/// One random step: (sender index, operation kind, target index, amount).
fn step() -> impl Strategy<Value = (usize, u8, usize, u64)> {
    (0usize..4, 0u8..9, 0usize..4, 0u64..150)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("TOKENSIGN_PROPTEST_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1u32) * 64
    ))]

    /// Random operations from several accounts keep every invariant: the
    /// supply is the sum of the balances, balances never go negative (an
    /// overdraft is refused), nonces rise by exactly one per accepted
    /// transaction and refusals change nothing.
    #[test]
    fn random_sequences_keep_the_invariants(steps in proptest::collection::vec(step(), 1..60)) {
        let mut w = World::new();
        let t = w.funded("AAA", false, 100);
        let people = [MASTER, ALICE, BOB, CAROL];
        let mut accepted: HashMap<u8, u64> = HashMap::new();
        for who in people {
            accepted.insert(who, w.ledger.account(&a(who)).unwrap().nonce);
        }
        for (from, kind, to, v) in steps {
            let (from, to) = (people[from], people[to]);
            let op: Operation = match kind {
                0 | 1 => pay(to, v, t).into(),
                2 => mint(to, v, t).into(),
                3 => burn(v, t).into(),
                4 => list_b(if v % 2 == 0 { ListAction::Add } else { ListAction::Remove }, to, t).into(),
                5 => pause(if v % 2 == 0 { PauseAction::Pause } else { PauseAction::Unpause }, t).into(),
                6 => clawback(to, from, v, t).into(),
                7 => grant(AuthorityType::MintBurnTokens, to, v, t).into(),
                _ => batch(t, &[(to, v), (from, 1)]).into(),
            };
            let before = w.snapshot();
            let nonce_before = w.ledger.account(&a(from)).unwrap().nonce;
            match w.run(from, op) {
                Ok(_) => {
                    *accepted.get_mut(&from).unwrap() += 1;
                    prop_assert_eq!(w.ledger.account(&a(from)).unwrap().nonce, nonce_before + 1);
                }
                Err(_) => prop_assert_eq!(w.snapshot(), before),
            }
            w.check_invariants();
        }
        for who in people {
            prop_assert_eq!(w.ledger.account(&a(who)).unwrap().nonce, accepted[&who]);
        }
    }
}
