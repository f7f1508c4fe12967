//! Random sequences of operations from several accounts, keeping every
//! invariant.

use std::collections::HashMap;

use proptest::prelude::*;
use tokensign_core::tx::*;

use super::world::*;
use crate::node::ledger::*;

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
