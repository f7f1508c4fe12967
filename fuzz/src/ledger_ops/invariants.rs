//! The ledger in a comparable form and the invariants checked after every
//! step.

use std::collections::BTreeMap;

use tokensign::node::ledger::MemoryLedger;
use tokensign_core::{Address, Amount};

/// The ledger in a comparable form: every account, token, balance and
/// multisig account, ordered, and each token's supply.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Fingerprint {
    pub(super) nonces: BTreeMap<Address, (u64, u64)>,
    pub(super) tokens: BTreeMap<Address, String>,
    pub(super) supplies: BTreeMap<Address, Amount>,
    pub(super) balances: BTreeMap<(Address, Address), Amount>,
    pub(super) multisigs: BTreeMap<Address, String>,
}

pub(super) fn fingerprint(ledger: &MemoryLedger) -> Fingerprint {
    Fingerprint {
        nonces: ledger
            .accounts
            .iter()
            .map(|(a, acc)| (*a, (acc.nonce, acc.bbnonce)))
            .collect(),
        tokens: ledger
            .tokens
            .iter()
            .map(|(a, t)| (*a, format!("{t:?}")))
            .collect(),
        supplies: ledger.tokens.iter().map(|(a, t)| (*a, t.supply)).collect(),
        balances: ledger
            .balances
            .iter()
            .filter(|(_, v)| **v != Amount::ZERO)
            .map(|(k, v)| (*k, *v))
            .collect(),
        multisigs: ledger
            .multisigs
            .iter()
            .map(|(a, m)| (*a, format!("{m:?}")))
            .collect(),
    }
}

/// Supply is the sum of balances, for every token.
pub(super) fn check_supply(f: &Fingerprint) {
    let mut sums: BTreeMap<Address, Amount> = BTreeMap::new();
    for ((_, token), balance) in &f.balances {
        let sum = sums.entry(*token).or_default();
        *sum = sum.checked_add(balance).expect("the balances' sum fits");
    }
    for (address, supply) in &f.supplies {
        let sum = sums.remove(address).unwrap_or_default();
        assert_eq!(
            *supply, sum,
            "the supply of {address} is not the sum of its balances"
        );
    }
    assert!(sums.is_empty(), "balances of unknown tokens: {sums:?}");
}

pub(super) fn nonce_of(f: &Fingerprint, who: &Address) -> u64 {
    f.nonces.get(who).map_or(0, |n| n.0)
}

/// The check of one step's effect: `sender` wrote (`Some`) or not.
pub(super) fn check_step(before: &Fingerprint, after: &Fingerprint, admitted: Option<Address>) {
    check_supply(after);
    for (who, (nonce, bbnonce)) in &before.nonces {
        let (n, bb) = after.nonces.get(who).copied().unwrap_or_default();
        assert!(
            n >= *nonce && bb >= *bbnonce,
            "the nonce of {who} went down"
        );
    }
    match admitted {
        None => assert_eq!(before, after, "a refused write changed the ledger"),
        Some(sender) => {
            for (who, (n, _)) in &after.nonces {
                let was = nonce_of(before, who);
                let expected = if *who == sender { was + 1 } else { was };
                assert_eq!(*n, expected, "the nonce of {who} after a write by {sender}");
            }
        }
    }
}
