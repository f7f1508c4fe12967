//! The invariants every state holds.

/// Asserts the invariants every state holds: each token's supply is the
/// sum of its balances; checkpoints numbered 0, 1, … once each; every
/// transaction in exactly one checkpoint; no (sender, nonce) twice.
pub fn assert_invariants(state: &tokensign::node::StateDocument) {
    use std::collections::HashSet;
    for t in &state.tokens {
        let mut sum = tokensign_core::Amount::ZERO;
        for b in state.balances.iter().filter(|b| b.token == t.address) {
            sum = sum.checked_add(&b.amount).expect("sum");
        }
        assert_eq!(sum, t.supply, "supply of {}", t.symbol);
    }
    for (i, c) in state.checkpoints.iter().enumerate() {
        assert_eq!(c.number, i as u64, "checkpoint numbering");
    }
    let listed: usize = state.checkpoints.iter().map(|c| c.transactions.len()).sum();
    assert_eq!(
        listed,
        state.transactions.len(),
        "transactions in checkpoints"
    );
    let mut nonces = HashSet::new();
    for r in &state.transactions {
        assert!(
            nonces.insert((r.transaction.from.clone(), r.transaction.nonce)),
            "nonce {} of {} used twice",
            r.transaction.nonce,
            r.transaction.from
        );
    }
}
