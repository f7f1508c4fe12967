//! The state a transaction touches: reads from a [`Backing`] (the
//! writer's view of the committed state plus its batch so far, or memory
//! in tests), writes staged in [`Staged`]
//! until the rules have accepted the whole transaction. A refusal drops
//! the staged writes, so it changes nothing.

use std::collections::HashMap;

use tokensign_core::{Address, Amount};

use super::state::{Account, Multisig, Token};
use crate::node::failure::StoreError;

/// Where the committed state is read from.
pub trait Backing {
    /// The account at `address` (default: nonce 0, bbnonce 0).
    fn account(&self, address: &Address) -> Result<Account, StoreError>;
    /// The token at `address`.
    fn token(&self, address: &Address) -> Result<Option<Token>, StoreError>;
    /// The token that has `symbol`, if any (symbols are unique here).
    fn token_by_symbol(&self, symbol: &str) -> Result<Option<Address>, StoreError>;
    /// The balance of `owner` in `token` (default 0).
    fn balance(&self, owner: &Address, token: &Address) -> Result<Amount, StoreError>;
    /// The multisig account at `address`.
    fn multisig(&self, address: &Address) -> Result<Option<Multisig>, StoreError>;
}

/// Everything one accepted transaction changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Accounts written.
    pub accounts: HashMap<Address, Account>,
    /// Tokens written (created or changed).
    pub tokens: HashMap<Address, Token>,
    /// Balances written, by (owner, token).
    pub balances: HashMap<(Address, Address), Amount>,
    /// Multisig accounts created.
    pub multisigs: HashMap<Address, Multisig>,
}

impl Changes {
    /// Adds `later`'s writes on top of these (a later write of the same
    /// key replaces the earlier one).
    pub fn absorb(&mut self, later: Changes) {
        self.accounts.extend(later.accounts);
        self.tokens.extend(later.tokens);
        self.balances.extend(later.balances);
        self.multisigs.extend(later.multisigs);
    }

    /// Whether nothing is written.
    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
            && self.tokens.is_empty()
            && self.balances.is_empty()
            && self.multisigs.is_empty()
    }
}

/// A backing store with staged, not yet committed writes on top.
pub struct Staged<'b, B: Backing + ?Sized> {
    backing: &'b B,
    changes: Changes,
}

impl<'b, B: Backing + ?Sized> Staged<'b, B> {
    /// Nothing staged yet.
    pub fn new(backing: &'b B) -> Self {
        Staged {
            backing,
            changes: Changes::default(),
        }
    }

    /// The staged writes.
    pub fn into_changes(self) -> Changes {
        self.changes
    }

    /// The account, staged or committed.
    pub fn account(&self, address: &Address) -> Result<Account, StoreError> {
        match self.changes.accounts.get(address) {
            Some(a) => Ok(*a),
            None => self.backing.account(address),
        }
    }

    /// Stages an account.
    pub fn put_account(&mut self, address: Address, account: Account) {
        self.changes.accounts.insert(address, account);
    }

    /// The token, staged or committed.
    pub fn token(&self, address: &Address) -> Result<Option<Token>, StoreError> {
        match self.changes.tokens.get(address) {
            Some(t) => Ok(Some(t.clone())),
            None => self.backing.token(address),
        }
    }

    /// The token with `symbol`, staged or committed.
    pub fn token_by_symbol(&self, symbol: &str) -> Result<Option<Address>, StoreError> {
        if let Some(t) = self.changes.tokens.values().find(|t| t.symbol == symbol) {
            return Ok(Some(t.address));
        }
        self.backing.token_by_symbol(symbol)
    }

    /// Stages a token.
    pub fn put_token(&mut self, token: Token) {
        self.changes.tokens.insert(token.address, token);
    }

    /// The balance, staged or committed.
    pub fn balance(&self, owner: &Address, token: &Address) -> Result<Amount, StoreError> {
        match self.changes.balances.get(&(*owner, *token)) {
            Some(b) => Ok(*b),
            None => self.backing.balance(owner, token),
        }
    }

    /// Stages a balance.
    pub fn put_balance(&mut self, owner: Address, token: Address, balance: Amount) {
        self.changes.balances.insert((owner, token), balance);
    }

    /// The multisig account, staged or committed.
    pub fn multisig(&self, address: &Address) -> Result<Option<Multisig>, StoreError> {
        match self.changes.multisigs.get(address) {
            Some(m) => Ok(Some(m.clone())),
            None => self.backing.multisig(address),
        }
    }

    /// Stages a multisig account.
    pub fn put_multisig(&mut self, address: Address, multisig: Multisig) {
        self.changes.multisigs.insert(address, multisig);
    }
}

/// A backing store in memory: the ledger's unit tests, the property test
/// and the fuzz target's model use it.
#[derive(Clone, Debug, Default)]
pub struct MemoryLedger {
    /// Accounts.
    pub accounts: HashMap<Address, Account>,
    /// Tokens.
    pub tokens: HashMap<Address, Token>,
    /// Balances by (owner, token).
    pub balances: HashMap<(Address, Address), Amount>,
    /// Multisig accounts.
    pub multisigs: HashMap<Address, Multisig>,
}

impl MemoryLedger {
    /// Applies committed changes.
    pub fn commit(&mut self, changes: Changes) {
        self.accounts.extend(changes.accounts);
        self.tokens.extend(changes.tokens);
        self.balances.extend(changes.balances);
        self.multisigs.extend(changes.multisigs);
    }
}

impl Backing for MemoryLedger {
    fn account(&self, address: &Address) -> Result<Account, StoreError> {
        Ok(self.accounts.get(address).copied().unwrap_or_default())
    }
    fn token(&self, address: &Address) -> Result<Option<Token>, StoreError> {
        Ok(self.tokens.get(address).cloned())
    }
    fn token_by_symbol(&self, symbol: &str) -> Result<Option<Address>, StoreError> {
        Ok(self
            .tokens
            .values()
            .find(|t| t.symbol == symbol)
            .map(|t| t.address))
    }
    fn balance(&self, owner: &Address, token: &Address) -> Result<Amount, StoreError> {
        Ok(self
            .balances
            .get(&(*owner, *token))
            .copied()
            .unwrap_or_default())
    }
    fn multisig(&self, address: &Address) -> Result<Option<Multisig>, StoreError> {
        Ok(self.multisigs.get(address).cloned())
    }
}
