//! Reads: one redb read transaction ([`RedbRead`]) serving the ledger's
//! state, the history and the whole-state reads, and how keys and values
//! are laid out in the tables.

use std::cell::OnceCell;

use redb::{ReadOnlyTable, ReadTransaction, ReadableTable, ReadableTableMetadata, TableDefinition};
use tokensign_core::{Address, Amount};

use crate::node::failure::StoreError;
use crate::node::ledger::{Account, Backing, MemoryLedger, Multisig, Token};
use crate::node::records::{CheckpointRecord, MintRecord, TxRecord};
use crate::node::storage::{StateRead, WriteRead};

use super::{
    ACCOUNTS, BALANCES, CHECKPOINTS, CHECKPOINT_HASHES, LAST_CHECKPOINT, META, MINTS, MINT_COUNTER,
    MULTISIGS, SYMBOLS, TOKENS, TXS,
};

/// One redb read transaction; each table is opened once, when first read.
pub(super) struct RedbRead {
    txn: ReadTransaction,
    accounts: OnceCell<ReadOnlyTable<&'static [u8], &'static [u8]>>,
    balances: OnceCell<ReadOnlyTable<&'static [u8], &'static [u8]>>,
    tokens: OnceCell<ReadOnlyTable<&'static [u8], &'static str>>,
    symbols: OnceCell<ReadOnlyTable<&'static str, &'static [u8]>>,
    multisigs: OnceCell<ReadOnlyTable<&'static [u8], &'static str>>,
    txs: OnceCell<ReadOnlyTable<&'static [u8], &'static str>>,
}

impl RedbRead {
    /// Reads through `txn`; no table is open yet.
    pub(super) fn new(txn: ReadTransaction) -> Self {
        RedbRead {
            txn,
            accounts: OnceCell::new(),
            balances: OnceCell::new(),
            tokens: OnceCell::new(),
            symbols: OnceCell::new(),
            multisigs: OnceCell::new(),
            txs: OnceCell::new(),
        }
    }

    fn table<'a, K: redb::Key + 'static, V: redb::Value + 'static>(
        &'a self,
        cell: &'a OnceCell<ReadOnlyTable<K, V>>,
        definition: TableDefinition<K, V>,
    ) -> Result<&'a ReadOnlyTable<K, V>, StoreError> {
        if let Some(table) = cell.get() {
            return Ok(table);
        }
        let table = self.txn.open_table(definition)?;
        Ok(cell.get_or_init(|| table))
    }

    fn json<T: serde::de::DeserializeOwned>(text: Option<&str>) -> Result<Option<T>, StoreError> {
        Ok(match text {
            Some(t) => Some(serde_json::from_str(t)?),
            None => None,
        })
    }
}

impl Backing for RedbRead {
    fn account(&self, address: &Address) -> Result<Account, StoreError> {
        match self
            .table(&self.accounts, ACCOUNTS)?
            .get(address.as_bytes().as_slice())?
        {
            Some(g) => read_account(g.value()),
            None => Ok(Account::default()),
        }
    }
    fn token(&self, address: &Address) -> Result<Option<Token>, StoreError> {
        let table = self.table(&self.tokens, TOKENS)?;
        let found = table.get(address.as_bytes().as_slice())?;
        Self::json(found.as_ref().map(|g| g.value()))
    }
    fn token_by_symbol(&self, symbol: &str) -> Result<Option<Address>, StoreError> {
        match self.table(&self.symbols, SYMBOLS)?.get(symbol)? {
            Some(g) => Ok(Some(address_of(g.value())?)),
            None => Ok(None),
        }
    }
    fn balance(&self, owner: &Address, token: &Address) -> Result<Amount, StoreError> {
        match self
            .table(&self.balances, BALANCES)?
            .get(balance_key(owner, token).as_slice())?
        {
            Some(g) => read_amount(g.value()),
            None => Ok(Amount::default()),
        }
    }
    fn multisig(&self, address: &Address) -> Result<Option<Multisig>, StoreError> {
        let table = self.table(&self.multisigs, MULTISIGS)?;
        let found = table.get(address.as_bytes().as_slice())?;
        Self::json(found.as_ref().map(|g| g.value()))
    }
}

impl WriteRead for RedbRead {
    fn has_transaction(&self, hash: &[u8; 32]) -> Result<bool, StoreError> {
        Ok(self.table(&self.txs, TXS)?.get(hash.as_slice())?.is_some())
    }

    fn mint(&self, asset_id: &str) -> Result<Option<MintRecord>, StoreError> {
        let table = self.txn.open_table(MINTS)?;
        let found = table.get(asset_id)?;
        Self::json(found.as_ref().map(|g| g.value()))
    }

    fn mint_count(&self) -> Result<u64, StoreError> {
        let table = self.txn.open_table(META)?;
        Ok(table.get(MINT_COUNTER)?.map(|g| g.value()).unwrap_or(0))
    }
}

impl StateRead for RedbRead {
    fn transaction(&self, hash: &[u8; 32]) -> Result<Option<TxRecord>, StoreError> {
        let table = self.table(&self.txs, TXS)?;
        let found = table.get(hash.as_slice())?;
        Self::json(found.as_ref().map(|g| g.value()))
    }

    fn last_checkpoint(&self) -> Result<u64, StoreError> {
        let table = self.txn.open_table(META)?;
        Ok(table.get(LAST_CHECKPOINT)?.map(|g| g.value()).unwrap_or(0))
    }

    fn checkpoint(&self, number: u64) -> Result<Option<CheckpointRecord>, StoreError> {
        let table = self.txn.open_table(CHECKPOINTS)?;
        let found = table.get(number)?;
        Self::json(found.as_ref().map(|g| g.value()))
    }

    fn checkpoint_number(&self, hash: &[u8; 32]) -> Result<Option<u64>, StoreError> {
        let table = self.txn.open_table(CHECKPOINT_HASHES)?;
        Ok(table.get(hash.as_slice())?.map(|g| g.value()))
    }

    fn ledger(&self) -> Result<MemoryLedger, StoreError> {
        let mut out = MemoryLedger::default();
        for item in self.table(&self.accounts, ACCOUNTS)?.iter()? {
            let (k, v) = item?;
            out.accounts
                .insert(address_of(k.value())?, read_account(v.value())?);
        }
        for item in self.table(&self.tokens, TOKENS)?.iter()? {
            let (k, v) = item?;
            out.tokens
                .insert(address_of(k.value())?, serde_json::from_str(v.value())?);
        }
        for item in self.table(&self.balances, BALANCES)?.iter()? {
            let (k, v) = item?;
            let key = k.value();
            let owner = address_of(key.get(..20).unwrap_or_default())?;
            let token = address_of(key.get(20..).unwrap_or_default())?;
            out.balances.insert((owner, token), read_amount(v.value())?);
        }
        for item in self.table(&self.multisigs, MULTISIGS)?.iter()? {
            let (k, v) = item?;
            out.multisigs
                .insert(address_of(k.value())?, serde_json::from_str(v.value())?);
        }
        Ok(out)
    }

    fn transactions(&self) -> Result<Vec<TxRecord>, StoreError> {
        let table = self.table(&self.txs, TXS)?;
        let mut out = Vec::with_capacity(usize::try_from(table.len()?).unwrap_or(0));
        for item in table.iter()? {
            let (_, v) = item?;
            out.push(serde_json::from_str::<TxRecord>(v.value())?);
        }
        // Stored by hash; in checkpoint order for the caller.
        out.sort_by_key(|r| {
            (
                r.transaction.checkpoint_number,
                r.transaction.transaction_index,
            )
        });
        Ok(out)
    }

    fn checkpoints(&self) -> Result<Vec<CheckpointRecord>, StoreError> {
        let table = self.txn.open_table(CHECKPOINTS)?;
        let mut out = Vec::new();
        for item in table.iter()? {
            let (_, v) = item?;
            out.push(serde_json::from_str(v.value())?);
        }
        Ok(out)
    }

    fn mints(&self) -> Result<Vec<MintRecord>, StoreError> {
        let table = self.txn.open_table(MINTS)?;
        let mut out = Vec::new();
        for item in table.iter()? {
            let (_, v) = item?;
            out.push(serde_json::from_str::<MintRecord>(v.value())?);
        }
        out.sort_by_key(|m| mint_number(&m.token_id));
        Ok(out)
    }
}

/// The `n` of a `TOKEN-<n>` mint id (0 for another form).
pub(crate) fn mint_number(token_id: &str) -> u64 {
    token_id
        .strip_prefix("TOKEN-")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

pub(super) fn balance_key(owner: &Address, token: &Address) -> [u8; 40] {
    let mut key = [0u8; 40];
    let (a, b) = key.split_at_mut(20);
    a.copy_from_slice(owner.as_bytes());
    b.copy_from_slice(token.as_bytes());
    key
}

fn read_amount(bytes: &[u8]) -> Result<Amount, StoreError> {
    let arr: [u8; 32] = bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("a balance is not 32 bytes"))?;
    Ok(Amount::from_be_bytes(arr))
}

fn read_account(bytes: &[u8]) -> Result<Account, StoreError> {
    Account::from_bytes(bytes).ok_or(StoreError::Corrupt("an account is not 16 bytes"))
}

fn address_of(bytes: &[u8]) -> Result<Address, StoreError> {
    let arr: [u8; 20] = bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("a key is not a 20-byte address"))?;
    Ok(Address(arr))
}
