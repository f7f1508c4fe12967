//! What a write's batch reads: the keys the builder missed ([`Misses`]),
//! fetched in bulk ([`Fetched`]), and the view the builder runs against
//! ([`View`]: what was fetched, under the head lock).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use deadpool_postgres::Transaction;
use tokensign_core::{Address, Amount};

use super::read::{account_row, address, balance_row, decode, json_row};
use super::DbFailure;
use crate::node::failure::StoreError;
use crate::node::ledger::{Account, Backing, Multisig, Token};
use crate::node::records::MintRecord;
use crate::node::storage::WriteRead;

/// What the builder asked for and was not fetched yet.
#[derive(Default)]
pub(super) struct Misses {
    pub(super) accounts: HashSet<Address>,
    pub(super) tokens: HashSet<Address>,
    pub(super) symbols: HashSet<String>,
    pub(super) balances: HashSet<(Address, Address)>,
    pub(super) multisigs: HashSet<Address>,
    pub(super) transactions: HashSet<[u8; 32]>,
    pub(super) mints: HashSet<String>,
}

impl Misses {
    pub(super) fn is_empty(&self) -> bool {
        self.accounts.is_empty()
            && self.tokens.is_empty()
            && self.symbols.is_empty()
            && self.balances.is_empty()
            && self.multisigs.is_empty()
            && self.transactions.is_empty()
            && self.mints.is_empty()
    }
}

/// What was fetched in this transaction (absent keys included, as their
/// defaults or `None`).
#[derive(Default)]
pub(super) struct Fetched {
    pub(super) accounts: HashMap<Address, Account>,
    pub(super) tokens: HashMap<Address, Option<Token>>,
    pub(super) symbols: HashMap<String, Option<Address>>,
    pub(super) balances: HashMap<(Address, Address), Amount>,
    pub(super) multisigs: HashMap<Address, Option<Multisig>>,
    pub(super) transactions: HashMap<[u8; 32], bool>,
    pub(super) mints: HashMap<String, Option<MintRecord>>,
    pub(super) mint_count: u64,
}

pub(super) fn bytes<'a>(keys: impl IntoIterator<Item = &'a Address>) -> Vec<Vec<u8>> {
    keys.into_iter().map(|a| a.as_bytes().to_vec()).collect()
}

impl Fetched {
    /// Fetches every miss, one pipelined query per table.
    pub(super) async fn fetch(
        &mut self,
        txn: &Transaction<'_>,
        misses: Misses,
    ) -> Result<(), DbFailure> {
        let accounts = async {
            if misses.accounts.is_empty() {
                return Ok(Vec::new());
            }
            let s = txn
                .prepare_cached(
                    "SELECT address, nonce, bbnonce FROM accounts WHERE address = ANY($1)",
                )
                .await?;
            txn.query(&s, &[&bytes(&misses.accounts)]).await
        };
        let tokens = async {
            if misses.tokens.is_empty() {
                return Ok(Vec::new());
            }
            let s = txn
                .prepare_cached("SELECT address, token::text FROM tokens WHERE address = ANY($1)")
                .await?;
            txn.query(&s, &[&bytes(&misses.tokens)]).await
        };
        let symbols = async {
            if misses.symbols.is_empty() {
                return Ok(Vec::new());
            }
            let s = txn
                .prepare_cached("SELECT symbol, address FROM tokens WHERE symbol = ANY($1)")
                .await?;
            let list: Vec<&str> = misses.symbols.iter().map(String::as_str).collect();
            txn.query(&s, &[&list]).await
        };
        let balances = async {
            if misses.balances.is_empty() {
                return Ok(Vec::new());
            }
            let s = txn
                .prepare_cached(
                    "SELECT b.owner, b.token, b.amount::text FROM balances b \
                     JOIN unnest($1::bytea[], $2::bytea[]) AS k(owner, token) \
                     ON b.owner = k.owner AND b.token = k.token",
                )
                .await?;
            let owners = bytes(misses.balances.iter().map(|(o, _)| o));
            let tokens = bytes(misses.balances.iter().map(|(_, t)| t));
            txn.query(&s, &[&owners, &tokens]).await
        };
        let multisigs = async {
            if misses.multisigs.is_empty() {
                return Ok(Vec::new());
            }
            let s = txn
                .prepare_cached(
                    "SELECT address, multisig::text FROM multisigs WHERE address = ANY($1)",
                )
                .await?;
            txn.query(&s, &[&bytes(&misses.multisigs)]).await
        };
        let transactions = async {
            if misses.transactions.is_empty() {
                return Ok(Vec::new());
            }
            let s = txn
                .prepare_cached("SELECT hash FROM transactions WHERE hash = ANY($1)")
                .await?;
            let list: Vec<Vec<u8>> = misses.transactions.iter().map(|h| h.to_vec()).collect();
            txn.query(&s, &[&list]).await
        };
        let mints = async {
            if misses.mints.is_empty() {
                return Ok(Vec::new());
            }
            let s = txn
                .prepare_cached("SELECT asset_id, record::text FROM mints WHERE asset_id = ANY($1)")
                .await?;
            let list: Vec<&str> = misses.mints.iter().map(String::as_str).collect();
            txn.query(&s, &[&list]).await
        };
        let (accounts, tokens, symbols, balances, multisigs, transactions, mints) = tokio::try_join!(
            accounts,
            tokens,
            symbols,
            balances,
            multisigs,
            transactions,
            mints
        )?;
        for a in &misses.accounts {
            self.accounts.insert(*a, Account::default());
        }
        for row in &accounts {
            let (a, account) = account_row(row)?;
            self.accounts.insert(a, account);
        }
        for a in &misses.tokens {
            self.tokens.insert(*a, None);
        }
        for row in &tokens {
            self.tokens.insert(
                address(row.try_get(0).map_err(decode)?)?,
                Some(json_row(row, 1)?),
            );
        }
        for s in &misses.symbols {
            self.symbols.insert(s.clone(), None);
        }
        for row in &symbols {
            let symbol: String = row.try_get(0).map_err(decode)?;
            self.symbols
                .insert(symbol, Some(address(row.try_get(1).map_err(decode)?)?));
        }
        for key in &misses.balances {
            self.balances.insert(*key, Amount::default());
        }
        for row in &balances {
            let (key, amount) = balance_row(row)?;
            self.balances.insert(key, amount);
        }
        for a in &misses.multisigs {
            self.multisigs.insert(*a, None);
        }
        for row in &multisigs {
            self.multisigs.insert(
                address(row.try_get(0).map_err(decode)?)?,
                Some(json_row(row, 1)?),
            );
        }
        for h in &misses.transactions {
            self.transactions.insert(*h, false);
        }
        for row in &transactions {
            self.transactions
                .insert(super::read::hash32(row.try_get(0).map_err(decode)?)?, true);
        }
        for m in &misses.mints {
            self.mints.insert(m.clone(), None);
        }
        for row in &mints {
            let asset: String = row.try_get(0).map_err(decode)?;
            self.mints.insert(asset, Some(json_row(row, 1)?));
        }
        Ok(())
    }
}

/// The builder's view: what was fetched, recording what was not.
pub(super) struct View<'a> {
    pub(super) fetched: &'a Fetched,
    pub(super) misses: RefCell<Misses>,
}

impl View<'_> {
    fn miss(&self, f: impl FnOnce(&mut Misses)) {
        f(&mut self.misses.borrow_mut());
    }
}

impl Backing for View<'_> {
    fn account(&self, a: &Address) -> Result<Account, StoreError> {
        match self.fetched.accounts.get(a) {
            Some(account) => Ok(*account),
            None => {
                self.miss(|m| {
                    m.accounts.insert(*a);
                });
                Ok(Account::default())
            }
        }
    }
    fn token(&self, a: &Address) -> Result<Option<Token>, StoreError> {
        match self.fetched.tokens.get(a) {
            Some(token) => Ok(token.clone()),
            None => {
                self.miss(|m| {
                    m.tokens.insert(*a);
                });
                Ok(None)
            }
        }
    }
    fn token_by_symbol(&self, symbol: &str) -> Result<Option<Address>, StoreError> {
        match self.fetched.symbols.get(symbol) {
            Some(a) => Ok(*a),
            None => {
                self.miss(|m| {
                    m.symbols.insert(symbol.to_owned());
                });
                Ok(None)
            }
        }
    }
    fn balance(&self, owner: &Address, token: &Address) -> Result<Amount, StoreError> {
        match self.fetched.balances.get(&(*owner, *token)) {
            Some(b) => Ok(*b),
            None => {
                self.miss(|m| {
                    m.balances.insert((*owner, *token));
                });
                Ok(Amount::default())
            }
        }
    }
    fn multisig(&self, a: &Address) -> Result<Option<Multisig>, StoreError> {
        match self.fetched.multisigs.get(a) {
            Some(m) => Ok(m.clone()),
            None => {
                self.miss(|m| {
                    m.multisigs.insert(*a);
                });
                Ok(None)
            }
        }
    }
}

impl WriteRead for View<'_> {
    fn has_transaction(&self, hash: &[u8; 32]) -> Result<bool, StoreError> {
        match self.fetched.transactions.get(hash) {
            Some(found) => Ok(*found),
            None => {
                self.miss(|m| {
                    m.transactions.insert(*hash);
                });
                Ok(false)
            }
        }
    }
    fn mint(&self, asset_id: &str) -> Result<Option<MintRecord>, StoreError> {
        match self.fetched.mints.get(asset_id) {
            Some(m) => Ok(m.clone()),
            None => {
                self.miss(|m| {
                    m.mints.insert(asset_id.to_owned());
                });
                Ok(None)
            }
        }
    }
    fn mint_count(&self) -> Result<u64, StoreError> {
        Ok(self.fetched.mint_count)
    }
}
