//! One committed state of the memory store ([`State`]): persistent maps
//! of records kept as values, cloned in O(1) (a write builds the next
//! state on a clone that shares every entry it leaves alone), and the
//! reads over one of them ([`MemoryRead`]).

use std::sync::Arc;

use imbl::{HashMap, OrdMap};
use tokensign_core::{Address, Amount};

use crate::node::failure::StoreError;
use crate::node::ledger::{Account, Backing, MemoryLedger, Multisig, Token};
use crate::node::records::{CheckpointRecord, MintRecord, TxRecord};
use crate::node::storage::redb_store::mint_number;
use crate::node::storage::{Commit, Contents, Head, StateRead, WriteRead};

/// Everything the node keeps, as it was after one commit. Large values sit
/// behind an `Arc`, so that copying a map's node on a write copies
/// pointers, not records.
#[derive(Clone, Default)]
pub(super) struct State {
    accounts: HashMap<Address, Account>,
    balances: HashMap<(Address, Address), Amount>,
    tokens: HashMap<Address, Arc<Token>>,
    symbols: HashMap<String, Address>,
    multisigs: HashMap<Address, Arc<Multisig>>,
    /// Every record as the reads answer it: placed in its checkpoint, or
    /// as admitted while in none.
    transactions: HashMap<[u8; 32], Arc<TxRecord>>,
    /// Checkpoints by number: the last is the latest.
    checkpoints: OrdMap<u64, Arc<CheckpointRecord>>,
    checkpoint_numbers: HashMap<[u8; 32], u64>,
    mints: HashMap<String, Arc<MintRecord>>,
    mint_count: u64,
}

impl State {
    /// The state with only the genesis checkpoint.
    pub(super) fn genesis() -> State {
        let mut state = State::default();
        state.apply(Commit::genesis());
        state
    }

    /// The state `contents` holds (a state load, checked by the caller).
    pub(super) fn of(contents: &Contents) -> Result<State, StoreError> {
        let mut state = State::default();
        let ledger = &contents.ledger;
        state.accounts = ledger.accounts.iter().map(|(k, v)| (*k, *v)).collect();
        state.balances = ledger.balances.iter().map(|(k, v)| (*k, *v)).collect();
        for (address, token) in &ledger.tokens {
            state.symbols.insert(token.symbol.clone(), *address);
            state.tokens.insert(*address, Arc::new(token.clone()));
        }
        state.multisigs = ledger
            .multisigs
            .iter()
            .map(|(k, v)| (*k, Arc::new(v.clone())))
            .collect();
        for record in &contents.transactions {
            let hash = crate::show::parse_hex32(&record.transaction.hash)
                .ok_or(StoreError::Corrupt("a transaction hash is not 32 bytes"))?;
            state.transactions.insert(hash, Arc::new(record.clone()));
        }
        for checkpoint in &contents.checkpoints {
            state.add_checkpoint(checkpoint.clone());
        }
        for mint in &contents.mints {
            state
                .mints
                .insert(mint.asset_id.clone(), Arc::new(mint.clone()));
        }
        state.mint_count = contents.mint_count;
        Ok(state)
    }

    /// The latest checkpoint.
    pub(super) fn head(&self) -> Result<Head, StoreError> {
        let (number, checkpoint) = self
            .checkpoints
            .get_max()
            .ok_or(StoreError::Corrupt("the genesis checkpoint is missing"))?;
        Ok(Head {
            number: *number,
            hash: checkpoint.hash,
        })
    }

    /// The stored record of `hash`, which must be there (an unplaced
    /// transaction a seal places).
    pub(super) fn stored(&self, hash: &[u8; 32]) -> Result<TxRecord, StoreError> {
        self.transactions
            .get(hash)
            .map(|r| TxRecord::clone(r))
            .ok_or(StoreError::Corrupt("an unplaced transaction is not stored"))
    }

    /// Applies everything `commit` holds.
    pub(super) fn apply(&mut self, commit: Commit) {
        let changes = commit.ledger;
        self.accounts.extend(changes.accounts);
        self.balances.extend(changes.balances);
        for (address, token) in changes.tokens {
            self.symbols.insert(token.symbol.clone(), address);
            self.tokens.insert(address, Arc::new(token));
        }
        for (address, multisig) in changes.multisigs {
            self.multisigs.insert(address, Arc::new(multisig));
        }
        for (hash, record) in commit.transactions {
            self.transactions.insert(hash, Arc::new(record));
        }
        for mint in commit.mints {
            self.mints.insert(mint.asset_id.clone(), Arc::new(mint));
        }
        if let Some(n) = commit.mint_count {
            self.mint_count = n;
        }
        if let Some(checkpoint) = commit.checkpoint {
            self.add_checkpoint(checkpoint);
        }
    }

    fn add_checkpoint(&mut self, checkpoint: CheckpointRecord) {
        self.checkpoint_numbers
            .insert(checkpoint.hash, checkpoint.number);
        self.checkpoints
            .insert(checkpoint.number, Arc::new(checkpoint));
    }
}

/// A read of one committed state: it holds the state, so later commits
/// never change what it answers, and it never waits for them.
pub(super) struct MemoryRead(pub(super) Arc<State>);

impl Backing for MemoryRead {
    fn account(&self, address: &Address) -> Result<Account, StoreError> {
        Ok(self.0.accounts.get(address).copied().unwrap_or_default())
    }
    fn token(&self, address: &Address) -> Result<Option<Token>, StoreError> {
        Ok(self.0.tokens.get(address).map(|t| Token::clone(t)))
    }
    fn token_by_symbol(&self, symbol: &str) -> Result<Option<Address>, StoreError> {
        Ok(self.0.symbols.get(symbol).copied())
    }
    fn balance(&self, owner: &Address, token: &Address) -> Result<Amount, StoreError> {
        Ok(self
            .0
            .balances
            .get(&(*owner, *token))
            .copied()
            .unwrap_or_default())
    }
    fn multisig(&self, address: &Address) -> Result<Option<Multisig>, StoreError> {
        Ok(self.0.multisigs.get(address).map(|m| Multisig::clone(m)))
    }
}

impl WriteRead for MemoryRead {
    fn has_transaction(&self, hash: &[u8; 32]) -> Result<bool, StoreError> {
        Ok(self.0.transactions.contains_key(hash))
    }
    fn mint(&self, asset_id: &str) -> Result<Option<MintRecord>, StoreError> {
        Ok(self.0.mints.get(asset_id).map(|m| MintRecord::clone(m)))
    }
    fn mint_count(&self) -> Result<u64, StoreError> {
        Ok(self.0.mint_count)
    }
}

impl StateRead for MemoryRead {
    fn transaction(&self, hash: &[u8; 32]) -> Result<Option<TxRecord>, StoreError> {
        Ok(self.0.transactions.get(hash).map(|r| TxRecord::clone(r)))
    }

    fn last_checkpoint(&self) -> Result<u64, StoreError> {
        Ok(self.0.head()?.number)
    }

    fn checkpoint(&self, number: u64) -> Result<Option<CheckpointRecord>, StoreError> {
        Ok(self
            .0
            .checkpoints
            .get(&number)
            .map(|c| CheckpointRecord::clone(c)))
    }

    fn checkpoint_number(&self, hash: &[u8; 32]) -> Result<Option<u64>, StoreError> {
        Ok(self.0.checkpoint_numbers.get(hash).copied())
    }

    fn ledger(&self) -> Result<MemoryLedger, StoreError> {
        let state = &self.0;
        Ok(MemoryLedger {
            accounts: state.accounts.iter().map(|(k, v)| (*k, *v)).collect(),
            tokens: state
                .tokens
                .iter()
                .map(|(k, v)| (*k, Token::clone(v)))
                .collect(),
            balances: state.balances.iter().map(|(k, v)| (*k, *v)).collect(),
            multisigs: state
                .multisigs
                .iter()
                .map(|(k, v)| (*k, Multisig::clone(v)))
                .collect(),
        })
    }

    fn transactions(&self) -> Result<Vec<TxRecord>, StoreError> {
        let mut placed: Vec<_> = self.0.transactions.iter().collect();
        // In checkpoint order; those in none first, by hash (as every
        // store answers).
        placed.sort_by_key(|(hash, r)| {
            (
                r.transaction.checkpoint_number,
                r.transaction.transaction_index,
                **hash,
            )
        });
        Ok(placed
            .into_iter()
            .map(|(_, r)| TxRecord::clone(r))
            .collect())
    }

    fn checkpoints(&self) -> Result<Vec<CheckpointRecord>, StoreError> {
        Ok(self
            .0
            .checkpoints
            .values()
            .map(|c| CheckpointRecord::clone(c))
            .collect())
    }

    fn mints(&self) -> Result<Vec<MintRecord>, StoreError> {
        let mut mints: Vec<_> = self.0.mints.values().collect();
        mints.sort_by(|a, b| {
            (mint_number(&a.token_id), &a.asset_id).cmp(&(mint_number(&b.token_id), &b.asset_id))
        });
        Ok(mints.into_iter().map(|m| MintRecord::clone(m)).collect())
    }
}
