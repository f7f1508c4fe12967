//! The development controls that change the ledger or the writer's
//! settings, as jobs of the single writer (`node::writer`): each runs
//! alone, between two batches, so a control answered before a write is
//! sent applies to that write, and the controls that change state commit
//! atomically like any batch.
//!
//! The state changes are pure functions over a [`Backing`] that return
//! the [`Changes`] to commit, as the ledger's rules do; they are not
//! transactions (no record, no nonce, no checkpoint), like anvil's
//! `anvil_setBalance` and `anvil_setNonce`.

use std::time::Duration;

use tokensign_core::{Address, Amount};

use crate::api::dev::CheckpointMode;
use crate::node::failure::StoreError;
use crate::node::ledger::{Backing, Changes, Fees, Staged};

/// A control for the writer.
#[derive(Clone, Debug)]
pub(crate) enum Control {
    /// Sets `owner`'s balance of `token`; the supply follows.
    SetBalance {
        /// The holder.
        owner: Address,
        /// The token.
        token: Address,
        /// The new balance.
        balance: Amount,
    },
    /// Sets the nonce `account` must use next.
    SetNonce {
        /// The account.
        account: Address,
        /// Its next nonce.
        nonce: u64,
    },
    /// Changes the fees.
    SetFees(FeesChange),
    /// Switches the checkpoint mode.
    SetCheckpointMode {
        /// The mode.
        mode: CheckpointMode,
        /// Its interval (`interval` only).
        interval: Option<Duration>,
    },
    /// Reports the checkpoint mode and what is pending (changes nothing).
    ReadCheckpointMode,
    /// Closes a checkpoint now over what is pending (even none).
    Checkpoint,
    /// The interval ticker of a generation: closes one if anything is
    /// pending.
    Tick(u64),
    /// Keeps the whole state under a new snapshot id (a checkpoint closes
    /// first over what is pending, so that a snapshot is a checkpoint).
    Snapshot,
    /// Returns the whole state to snapshot `id`, and forgets it and every
    /// later snapshot.
    Revert(u64),
}

/// What a control did.
#[derive(Clone, Debug)]
pub(crate) enum Controlled {
    /// The balance before and after, and the supply after.
    BalanceSet {
        /// Before.
        previous: Amount,
        /// After.
        balance: Amount,
        /// The token's supply after.
        supply: Amount,
    },
    /// The nonce before.
    NonceSet {
        /// Before.
        previous: u64,
    },
    /// The fees now.
    Fees(Fees),
    /// The checkpoint mode now and what is pending.
    CheckpointMode {
        /// The mode.
        mode: CheckpointMode,
        /// Its interval.
        interval: Option<Duration>,
        /// Transactions admitted and not yet in a checkpoint.
        pending: u64,
    },
    /// A checkpoint closed (or, for a tick with nothing pending, none).
    Checkpoint(Option<ClosedCheckpoint>),
    /// A snapshot taken.
    Snapshot {
        /// Its id.
        id: u64,
        /// The latest checkpoint it holds.
        checkpoint: u64,
    },
    /// The state is snapshot `id`'s again.
    Reverted {
        /// The snapshot.
        id: u64,
        /// The latest checkpoint now.
        checkpoint: u64,
    },
}

/// A checkpoint a control closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ClosedCheckpoint {
    /// Its number.
    pub number: u64,
    /// Its hash.
    pub hash: [u8; 32],
    /// How many transactions it holds.
    pub transactions: u64,
}

/// A change of fees: what is given changes, the rest stays.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct FeesChange {
    /// The flat fee.
    pub flat: Option<Amount>,
    /// Per-token fees to set (`Some`) or remove (`None`).
    pub per_token: Vec<(Address, Option<Amount>)>,
    /// The collector.
    pub collector: Option<Address>,
}

impl FeesChange {
    /// Applies the change to `fees`.
    pub(crate) fn apply(self, fees: &mut Fees) {
        if let Some(flat) = self.flat {
            fees.flat = flat;
        }
        for (token, fee) in self.per_token {
            match fee {
                Some(fee) => {
                    fees.per_token.insert(token, fee);
                }
                None => {
                    fees.per_token.remove(&token);
                }
            }
        }
        if let Some(collector) = self.collector {
            fees.collector = Some(collector);
        }
    }
}

/// Why a control was refused (nothing changed).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ControlRefusal {
    /// No token at this address.
    #[error("no token {0} on this node: issue it first, or name an issued token")]
    UnknownToken(Address),
    /// The new balance would take the supply past 2^256-1.
    #[error(
        "a balance of {balance} would take the supply of {token} past 2^256-1 (the other \
         holders have {others}): set a smaller balance"
    )]
    SupplyOverflow {
        /// The token.
        token: Address,
        /// The balance asked for.
        balance: Amount,
        /// What the other holders have together.
        others: Amount,
    },
    /// A checkpoint mode that leaves transactions pending, on a store that
    /// keeps none out of a checkpoint (PostgreSQL).
    #[error(
        "checkpoint mode {} leaves transactions out of any checkpoint, which a node on \
         PostgreSQL does not do (several nodes share its database): use auto or per_write \
         here, or run the node on its embedded store (without --database) for interval and \
         manual",
        .0
    )]
    PendingUnsupported(&'static str),
    /// No snapshot with this id: never taken, or reverted past.
    #[error(
        "no snapshot {0} on this node: it was never taken, or a revert to it or to an earlier \
         snapshot already used it up; take one with POST /dev/snapshot (`tokensign dev \
         snapshot`)"
    )]
    UnknownSnapshot(u64),
    /// Snapshots on a store that keeps none (PostgreSQL).
    #[error(
        "a node on PostgreSQL takes no snapshots (several nodes share its database, and a \
         revert would undo their writes too): run the node on its embedded store (without \
         --database, or with --in-memory) for snapshot and revert"
    )]
    SnapshotsUnsupported,
}

/// What a state control stages, or its refusal; `Err` is a storage
/// failure.
pub(crate) type Staging = Result<Result<(Changes, Controlled), ControlRefusal>, StoreError>;

/// Stages `owner`'s balance of `token` at `balance` and the token's
/// supply moved by the difference, so that the supply stays the sum of
/// the balances.
pub(crate) fn set_balance<B: Backing + ?Sized>(
    backing: &B,
    owner: Address,
    token: Address,
    balance: Amount,
) -> Staging {
    let mut view = Staged::new(backing);
    let Some(mut metadata) = view.token(&token)? else {
        return Ok(Err(ControlRefusal::UnknownToken(token)));
    };
    let previous = view.balance(&owner, &token)?;
    let others = metadata
        .supply
        .checked_sub(&previous)
        .ok_or(StoreError::Corrupt("a balance is above its token's supply"))?;
    let Some(supply) = others.checked_add(&balance) else {
        return Ok(Err(ControlRefusal::SupplyOverflow {
            token,
            balance,
            others,
        }));
    };
    metadata.supply = supply;
    view.put_token(metadata);
    view.put_balance(owner, token, balance);
    Ok(Ok((
        view.into_changes(),
        Controlled::BalanceSet {
            previous,
            balance,
            supply,
        },
    )))
}

/// Stages `account`'s next nonce at `nonce` (its bridge nonce stays).
pub(crate) fn set_nonce<B: Backing + ?Sized>(backing: &B, account: Address, nonce: u64) -> Staging {
    let mut view = Staged::new(backing);
    let mut state = view.account(&account)?;
    let previous = state.nonce;
    state.nonce = nonce;
    view.put_account(account, state);
    Ok(Ok((view.into_changes(), Controlled::NonceSet { previous })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokensign_core::text::Text;
    use tokensign_core::tx::{Operation, TokenIssue, TokenMint, Transaction};

    use crate::node::ledger::{apply, MemoryLedger, Rules, SignedBy, Submission};

    fn a(byte: u8) -> Address {
        Address([byte; 20])
    }

    /// Applies `op` as `a(1)` (the operator and master) at `nonce`.
    fn run(ledger: &mut MemoryLedger, nonce: u64, op: impl Into<Operation>) {
        let rules = Rules {
            chain_id: 1,
            operators: [a(1)].into_iter().collect(),
            fees: Fees::default(),
        };
        let tx = Transaction::new(1, nonce, op);
        let sub = Submission {
            tx: &tx,
            sender: a(1),
            signed_by: &SignedBy::Single,
        };
        let effects = apply(&*ledger, &rules, &sub).unwrap().unwrap();
        ledger.commit(effects.changes);
    }

    /// A token issued and minted to `holders` by the ledger's own rules.
    fn ledger_with_token(holders: &[(u8, u64)]) -> (MemoryLedger, Address) {
        let mut ledger = MemoryLedger::default();
        let issue = TokenIssue {
            symbol: Text::new("T").unwrap(),
            name: Text::new("T").unwrap(),
            decimals: 6,
            master_authority: a(1),
            is_private: false,
            clawback_enabled: Some(true),
        };
        let token = issue.token_address();
        run(&mut ledger, 0, issue);
        for (nonce, (owner, units)) in (1..).zip(holders) {
            let mint = TokenMint {
                recipient: a(*owner),
                value: Amount::from_u64(*units),
                token,
            };
            run(&mut ledger, nonce, mint);
        }
        (ledger, token)
    }

    #[test]
    fn a_set_balance_moves_the_supply_by_the_difference() {
        let (mut ledger, token) = ledger_with_token(&[(2, 60), (3, 40)]);
        let (changes, done) = set_balance(&ledger, a(2), token, Amount::from_u64(10))
            .unwrap()
            .unwrap();
        assert!(
            matches!(
                done,
                Controlled::BalanceSet { previous, balance, supply }
                    if (previous, balance, supply)
                        == (Amount::from_u64(60), Amount::from_u64(10), Amount::from_u64(50))
            ),
            "{done:?}"
        );
        ledger.commit(changes);
        // A new holder: the supply grows by the whole balance.
        let (changes, _) = set_balance(&ledger, a(9), token, Amount::from_u64(5))
            .unwrap()
            .unwrap();
        ledger.commit(changes);
        let supply = ledger.tokens[&token].supply;
        let sum = ledger
            .balances
            .iter()
            .filter(|((_, t), _)| *t == token)
            .fold(Amount::default(), |s, (_, b)| s.checked_add(b).unwrap());
        assert_eq!((supply, sum), (Amount::from_u64(55), Amount::from_u64(55)));
    }

    #[test]
    fn refusals_change_nothing() {
        let (ledger, token) = ledger_with_token(&[(2, 100)]);
        assert_eq!(
            set_balance(&ledger, a(2), a(0x77), Amount::from_u64(1))
                .unwrap()
                .unwrap_err(),
            ControlRefusal::UnknownToken(a(0x77))
        );
        let max = Amount::from_be_bytes([0xff; 32]);
        let refused = set_balance(&ledger, a(3), token, max).unwrap();
        assert!(
            matches!(refused, Err(ControlRefusal::SupplyOverflow { .. })),
            "{refused:?}"
        );
        // The holder of everything may hold the maximum.
        assert!(set_balance(&ledger, a(2), token, max).unwrap().is_ok());
    }

    #[test]
    fn a_set_nonce_keeps_the_bridge_nonce() {
        let mut ledger = MemoryLedger::default();
        ledger.accounts.insert(
            a(4),
            crate::node::ledger::Account {
                nonce: 3,
                bbnonce: 2,
            },
        );
        let (changes, done) = set_nonce(&ledger, a(4), 40).unwrap().unwrap();
        assert!(
            matches!(done, Controlled::NonceSet { previous: 3 }),
            "{done:?}"
        );
        assert_eq!(
            changes.accounts[&a(4)],
            crate::node::ledger::Account {
                nonce: 40,
                bbnonce: 2
            }
        );
        let mut fees = Fees::default();
        FeesChange {
            flat: Some(Amount::from_u64(7)),
            per_token: vec![(a(5), Some(Amount::from_u64(1))), (a(6), None)],
            collector: Some(a(8)),
        }
        .apply(&mut fees);
        assert_eq!(fees.of(&a(5)), Amount::from_u64(1));
        assert_eq!(fees.of(&a(6)), Amount::from_u64(7));
        assert_eq!(fees.collector, Some(a(8)));
    }
}
