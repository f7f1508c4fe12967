//! A ledger with an operator, a master and three people, and the
//! operations the tests build (addresses by one byte, amounts in base
//! units).

use std::collections::HashMap;

use tokensign_core::text::Text;
use tokensign_core::tx::*;
use tokensign_core::{Address, Amount};

use crate::node::error::{codes, rule_code};
use crate::node::ledger::*;

pub(super) const CHAIN: u64 = CHAIN_ID_TESTNET;

pub(super) fn a(byte: u8) -> Address {
    Address([byte; 20])
}
pub(super) const OPERATOR: u8 = 0x0a;
pub(super) const MASTER: u8 = 0x0b;
pub(super) const ALICE: u8 = 0x0c;
pub(super) const BOB: u8 = 0x0d;
pub(super) const CAROL: u8 = 0x0e;

pub(super) fn amt(v: u64) -> Amount {
    Amount::from_u64(v)
}

pub(super) struct World {
    pub(super) ledger: MemoryLedger,
    pub(super) rules: Rules,
}

impl World {
    pub(super) fn new() -> World {
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
    pub(super) fn run(&mut self, from: u8, op: impl Into<Operation>) -> Result<Effects, Refusal> {
        let nonce = self.ledger.account(&a(from)).unwrap().nonce;
        self.run_tx(
            a(from),
            &SignedBy::Single,
            Transaction::new(CHAIN, nonce, op),
        )
    }

    pub(super) fn run_tx(
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
    pub(super) fn refused(&mut self, from: u8, op: impl Into<Operation>, code: &str) {
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

    pub(super) fn snapshot(&self) -> String {
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

    pub(super) fn balance(&self, owner: u8, token: &Address) -> u64 {
        self.ledger
            .balance(&a(owner), token)
            .unwrap()
            .to_u128()
            .unwrap() as u64
    }

    pub(super) fn token(&self, t: &Address) -> Token {
        self.ledger.tokens[t].clone()
    }

    /// Issues `symbol` (master MASTER) and mints `each` to ALICE and BOB.
    pub(super) fn funded(&mut self, symbol: &str, private: bool, each: u64) -> Address {
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

    pub(super) fn check_invariants(&self) {
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

pub(super) fn issue(symbol: &str, is_private: bool, clawback: bool) -> TokenIssue {
    TokenIssue {
        symbol: Text::new(symbol).unwrap(),
        name: Text::new("Test").unwrap(),
        decimals: 6,
        master_authority: a(MASTER),
        is_private,
        clawback_enabled: Some(clawback),
    }
}
pub(super) fn mint(to: u8, v: u64, token: Address) -> TokenMint {
    TokenMint {
        recipient: a(to),
        value: amt(v),
        token,
    }
}
pub(super) fn pay(to: u8, v: u64, token: Address) -> Payment {
    Payment {
        recipient: a(to),
        value: amt(v),
        token,
    }
}
pub(super) fn burn(v: u64, token: Address) -> TokenBurn {
    TokenBurn {
        value: amt(v),
        token,
    }
}
pub(super) fn grant(kind: AuthorityType, to: u8, v: u64, token: Address) -> TokenAuthority {
    TokenAuthority {
        action: AuthorityAction::Grant,
        authority_type: kind,
        authority_address: a(to),
        token,
        value: amt(v),
    }
}
pub(super) fn revoke(kind: AuthorityType, to: u8, token: Address) -> TokenAuthority {
    TokenAuthority {
        action: AuthorityAction::Revoke,
        ..grant(kind, to, 0, token)
    }
}
pub(super) fn list_b(action: ListAction, who: u8, token: Address) -> TokenBlacklist {
    TokenBlacklist {
        action,
        address: a(who),
        token,
    }
}
pub(super) fn list_w(action: ListAction, who: u8, token: Address) -> TokenWhitelist {
    TokenWhitelist {
        action,
        address: a(who),
        token,
    }
}
pub(super) fn pause(action: PauseAction, token: Address) -> TokenPause {
    TokenPause { action, token }
}
pub(super) fn clawback(from: u8, to: u8, v: u64, token: Address) -> TokenClawback {
    TokenClawback {
        token,
        from: a(from),
        recipient: a(to),
        value: amt(v),
    }
}
pub(super) fn batch(token: Address, ops: &[(u8, u64)]) -> BatchPayment {
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
pub(super) fn bridge_mint(to: u8, v: u64, token: Address) -> TokenBridgeAndMint {
    TokenBridgeAndMint {
        recipient: a(to),
        value: amt(v),
        token,
        source_chain_id: 1,
        source_tx_hash: Text::new("0xabc").unwrap(),
        bridge_metadata: Text::new("").unwrap(),
    }
}
pub(super) fn burn_bridge(v: u64, fee: u64, token: Address) -> TokenBurnAndBridge {
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
