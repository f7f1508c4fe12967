//! Reads: one redb read transaction ([`RedbRead`]) serving the ledger's
//! state, the history and the whole-state reads, and how keys and values
//! are laid out in the tables.

use std::cell::OnceCell;
use std::collections::HashMap;

use redb::{ReadOnlyTable, ReadTransaction, ReadableTable, ReadableTableMetadata, TableDefinition};
use tokensign_core::{Address, Amount};

use crate::node::failure::StoreError;
use crate::node::ledger::{Account, Backing, MemoryLedger, Multisig, Token};
use crate::node::records::{CheckpointRecord, MintRecord, TxRecord};
use crate::node::storage::{StateRead, WriteRead};

use super::tables::{
    address_of, balance_key, checkpoint_hash, decode_checkpoint, decode_record, hash_key,
    hash_number, key_number, number_key, read_account, read_amount, CHECKPOINTS, LEDGER, META,
    MINTS, MINT_COUNTER, MULTISIGS, SYMBOLS, TOKENS, TXS,
};

/// One redb read transaction; each table is opened once, when first read.
pub(super) struct RedbRead {
    txn: ReadTransaction,
    ledger: OnceCell<ReadOnlyTable<&'static [u8], &'static [u8]>>,
    tokens: OnceCell<ReadOnlyTable<&'static [u8], &'static str>>,
    symbols: OnceCell<ReadOnlyTable<&'static str, &'static [u8]>>,
    multisigs: OnceCell<ReadOnlyTable<&'static [u8], &'static str>>,
    txs: OnceCell<ReadOnlyTable<&'static [u8], &'static [u8]>>,
    checkpoints: OnceCell<ReadOnlyTable<&'static [u8], &'static [u8]>>,
}

impl RedbRead {
    /// Reads through `txn`; no table is open yet.
    pub(super) fn new(txn: ReadTransaction) -> Self {
        RedbRead {
            txn,
            ledger: OnceCell::new(),
            tokens: OnceCell::new(),
            symbols: OnceCell::new(),
            multisigs: OnceCell::new(),
            txs: OnceCell::new(),
            checkpoints: OnceCell::new(),
        }
    }

    /// The latest checkpoint's number and hash (the highest numbered).
    pub(super) fn head(&self) -> Result<(u64, [u8; 32]), StoreError> {
        let last = self.table(&self.checkpoints, CHECKPOINTS)?.last()?;
        let (key, value) = last.ok_or(StoreError::Corrupt("the genesis checkpoint is missing"))?;
        Ok((key_number(key.value())?, checkpoint_hash(value.value())?))
    }

    /// The record stored as `bytes`, placed in its checkpoint (whose hash
    /// `hashes` caches by number).
    fn record(
        &self,
        bytes: &[u8],
        hashes: &mut HashMap<u64, [u8; 32]>,
    ) -> Result<TxRecord, StoreError> {
        let (mut record, place) = decode_record(bytes)?;
        if let Some((number, index)) = place {
            let hash =
                match hashes.get(&number) {
                    Some(hash) => *hash,
                    None => {
                        let table = self.table(&self.checkpoints, CHECKPOINTS)?;
                        let found = table.get(number_key(number).as_slice())?.ok_or(
                            StoreError::Corrupt("a transaction's checkpoint is not stored"),
                        )?;
                        let hash = checkpoint_hash(found.value())?;
                        hashes.insert(number, hash);
                        hash
                    }
                };
            record.place(number, &hash, index);
        }
        Ok(record)
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
            .table(&self.ledger, LEDGER)?
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
            .table(&self.ledger, LEDGER)?
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
        match table.get(hash.as_slice())? {
            Some(found) => Ok(Some(self.record(found.value(), &mut HashMap::new())?)),
            None => Ok(None),
        }
    }

    fn last_checkpoint(&self) -> Result<u64, StoreError> {
        Ok(self.head()?.0)
    }

    fn checkpoint(&self, number: u64) -> Result<Option<CheckpointRecord>, StoreError> {
        let table = self.table(&self.checkpoints, CHECKPOINTS)?;
        match table.get(number_key(number).as_slice())? {
            Some(found) => Ok(Some(decode_checkpoint(number, found.value())?)),
            None => Ok(None),
        }
    }

    fn checkpoint_number(&self, hash: &[u8; 32]) -> Result<Option<u64>, StoreError> {
        let table = self.table(&self.checkpoints, CHECKPOINTS)?;
        match table.get(hash_key(hash).as_slice())? {
            Some(found) => Ok(Some(hash_number(found.value())?)),
            None => Ok(None),
        }
    }

    fn ledger(&self) -> Result<MemoryLedger, StoreError> {
        let mut out = MemoryLedger::default();
        // An account's key is its address; a balance's, owner and token.
        for item in self.table(&self.ledger, LEDGER)?.iter()? {
            let (k, v) = item?;
            let key = k.value();
            match key.len() {
                20 => {
                    out.accounts
                        .insert(address_of(key)?, read_account(v.value())?);
                }
                40 => {
                    let (owner, token) = key.split_at(20);
                    out.balances.insert(
                        (address_of(owner)?, address_of(token)?),
                        read_amount(v.value())?,
                    );
                }
                _ => {
                    return Err(StoreError::Corrupt(
                        "a ledger key is neither 20 nor 40 bytes",
                    ))
                }
            }
        }
        for item in self.table(&self.tokens, TOKENS)?.iter()? {
            let (k, v) = item?;
            out.tokens
                .insert(address_of(k.value())?, serde_json::from_str(v.value())?);
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
        let mut hashes = HashMap::new();
        for item in table.iter()? {
            let (_, v) = item?;
            out.push(self.record(v.value(), &mut hashes)?);
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
        let table = self.table(&self.checkpoints, CHECKPOINTS)?;
        let mut out = Vec::new();
        // The keys by number, after every key by hash.
        for item in table.range(number_key(0).as_slice()..)? {
            let (k, v) = item?;
            out.push(decode_checkpoint(key_number(k.value())?, v.value())?);
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
