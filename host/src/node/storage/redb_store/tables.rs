//! The database's tables, how their keys and values are laid out, and the
//! storage format's number, which a data directory must carry to be
//! opened.
//!
//! The writer stores what it writes most in a compact binary form: a
//! transaction record keeps its JSON (the transaction's and the receipt's,
//! as admitted: the receipt's is the text its checkpoint's receipts root
//! hashes, serialized once for both) behind a fixed header with its
//! place, and a checkpoint is fixed-size fields and its transaction
//! hashes. Reads build the records from that, so they answer what they
//! answered when records were stored as whole JSON documents.

use redb::{TableDefinition, WriteTransaction};
use tokensign_core::{Address, Amount};

use crate::node::failure::StoreError;
use crate::node::ledger::Account;
use crate::node::records::{CheckpointRecord, TxRecord};

/// The storage format this build reads and writes, kept under
/// [`FORMAT_KEY`] in [`META`]. A data directory written in another format
/// is refused by name ([`crate::node::failure::NodeError::StoreFormat`]).
/// Format 3: binary records and checkpoints, accounts and balances in one
/// table, checkpoints by number and by hash in one table. (The formats before it kept JSON and carried no
/// number: their tables were `tokens_v2`, `transactions_v2`.)
pub(crate) const FORMAT: u64 = 3;
/// The [`META`] key of the storage format.
pub(super) const FORMAT_KEY: &str = "format";

/// Accounts and balances, which a payment changes together (one table
/// fewer for each commit to rewrite): address (20 bytes) -> [`Account`]
/// (16 bytes); owner (20) ‖ token (20) ([`balance_key`]) -> balance (32
/// bytes big-endian). An account sorts just before its balances.
pub(super) const LEDGER: TableDefinition<&[u8], &[u8]> = TableDefinition::new("ledger");
/// token address (20 bytes) -> [`crate::node::ledger::Token`] JSON
pub(super) const TOKENS: TableDefinition<&[u8], &str> = TableDefinition::new("tokens_v2");
/// symbol -> token address (20 bytes)
pub(super) const SYMBOLS: TableDefinition<&str, &[u8]> = TableDefinition::new("symbols");
/// multisig address (20 bytes) -> [`crate::node::ledger::Multisig`] JSON
pub(super) const MULTISIGS: TableDefinition<&[u8], &str> = TableDefinition::new("multisigs");
/// transaction hash (32 bytes) -> [`TxRecord`] ([`encode_record`])
pub(super) const TXS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("transactions_v3");
/// Checkpoints by number and by hash, which always change together (one
/// table for a commit to rewrite): [`number_key`] -> [`CheckpointRecord`]
/// ([`encode_checkpoint`]); [`hash_key`] -> number (8 bytes big-endian).
/// Every number key sorts after every hash key, so the last entry is the
/// latest checkpoint.
pub(super) const CHECKPOINTS: TableDefinition<&[u8], &[u8]> =
    TableDefinition::new("checkpoints_v3");
/// The first byte of a [`CHECKPOINTS`] key by hash.
const BY_HASH: u8 = b'h';
/// The first byte of a [`CHECKPOINTS`] key by number (after [`BY_HASH`]).
const BY_NUMBER: u8 = b'n';
/// asset id (symbol) -> [`crate::node::records::MintRecord`] JSON
pub(super) const MINTS: TableDefinition<&str, &str> = TableDefinition::new("mints");
/// counters and the storage format
pub(super) const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// The [`META`] key of the ABC-Lab mint counter.
pub(super) const MINT_COUNTER: &str = "mint_counter";

/// Creates every table that does not exist, and marks the database with
/// this build's storage [`FORMAT`].
pub(super) fn create_tables(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(LEDGER)?;
    txn.open_table(TOKENS)?;
    txn.open_table(SYMBOLS)?;
    txn.open_table(MULTISIGS)?;
    txn.open_table(TXS)?;
    txn.open_table(CHECKPOINTS)?;
    txn.open_table(MINTS)?;
    txn.open_table(META)?.insert(FORMAT_KEY, FORMAT)?;
    Ok(())
}

/// Drops every table (a state load writes them all again).
pub(super) fn delete_tables(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.delete_table(LEDGER)?;
    txn.delete_table(TOKENS)?;
    txn.delete_table(SYMBOLS)?;
    txn.delete_table(MULTISIGS)?;
    txn.delete_table(TXS)?;
    txn.delete_table(CHECKPOINTS)?;
    txn.delete_table(MINTS)?;
    txn.delete_table(META)?;
    Ok(())
}

/// What a database holds, as far as opening it is concerned.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// No table at all: a new file.
    Empty,
    /// This build's [`FORMAT`].
    Current,
    /// Another format: its number, or none (the formats before numbers).
    Other(Option<u64>),
}

/// The storage format of the database `txn` reads.
pub(super) fn found_format(txn: &redb::ReadTransaction) -> Result<Found, StoreError> {
    if txn.list_tables()?.next().is_none() {
        return Ok(Found::Empty);
    }
    let format = match txn.open_table(META) {
        Ok(meta) => meta.get(FORMAT_KEY)?.map(|g| g.value()),
        Err(redb::TableError::TableDoesNotExist(_)) => None,
        Err(e) => return Err(e.into()),
    };
    Ok(match format {
        Some(FORMAT) => Found::Current,
        other => Found::Other(other),
    })
}

/// The key of `owner`'s balance of `token` in [`LEDGER`].
pub(super) fn balance_key(owner: &Address, token: &Address) -> [u8; 40] {
    let mut key = [0u8; 40];
    let (a, b) = key.split_at_mut(20);
    a.copy_from_slice(owner.as_bytes());
    b.copy_from_slice(token.as_bytes());
    key
}

pub(super) fn read_amount(bytes: &[u8]) -> Result<Amount, StoreError> {
    let arr: [u8; 32] = bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("a balance is not 32 bytes"))?;
    Ok(Amount::from_be_bytes(arr))
}

pub(super) fn read_account(bytes: &[u8]) -> Result<Account, StoreError> {
    Account::from_bytes(bytes).ok_or(StoreError::Corrupt("an account is not 16 bytes"))
}

pub(super) fn address_of(bytes: &[u8]) -> Result<Address, StoreError> {
    let arr: [u8; 20] = bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("a key is not a 20-byte address"))?;
    Ok(Address(arr))
}

/// A stored record's header: placed (1 byte), checkpoint number (8),
/// index (8), the transaction's JSON length (4).
const RECORD_HEADER: usize = 21;

/// Appends to `out` (cleared first) the stored form of `record`, which it
/// takes the place out of ([`TxRecord::unplace`]): the header, then the
/// transaction's JSON as admitted and the receipt's, `receipt` if the
/// caller has it (the text the receipts root hashed), else serialized
/// here. The checkpoint's hash is not stored again: a read takes it from
/// the checkpoint.
pub(super) fn encode_record(
    out: &mut Vec<u8>,
    record: &mut TxRecord,
    receipt: Option<&str>,
) -> Result<(), StoreError> {
    out.clear();
    let place = record.unplace();
    let (number, index) = place.unwrap_or_default();
    out.push(u8::from(place.is_some()));
    out.extend_from_slice(&number.to_be_bytes());
    out.extend_from_slice(&index.to_be_bytes());
    out.extend_from_slice(&[0; 4]);
    serde_json::to_writer(&mut *out, &record.transaction)?;
    let len = u32::try_from(out.len() - RECORD_HEADER)
        .map_err(|_| StoreError::Corrupt("a transaction's JSON passes 4 GiB"))?;
    if let Some(slot) = out.get_mut(17..RECORD_HEADER) {
        slot.copy_from_slice(&len.to_be_bytes());
    }
    match receipt {
        Some(text) => out.extend_from_slice(text.as_bytes()),
        None => serde_json::to_writer(&mut *out, &record.receipt)?,
    }
    Ok(())
}

/// A stored record as written by [`encode_record`]: the record as
/// admitted and its place (checkpoint number, index), if it has one.
pub(super) fn decode_record(bytes: &[u8]) -> Result<(TxRecord, Option<(u64, u64)>), StoreError> {
    const SHORT: StoreError = StoreError::Corrupt("a stored transaction record is cut short");
    let (&[placed], rest) = bytes.split_first_chunk::<1>().ok_or(SHORT)?;
    let (number, rest) = rest.split_first_chunk::<8>().ok_or(SHORT)?;
    let (index, rest) = rest.split_first_chunk::<8>().ok_or(SHORT)?;
    let (len, rest) = rest.split_first_chunk::<4>().ok_or(SHORT)?;
    let len = usize::try_from(u32::from_be_bytes(*len)).map_err(|_| SHORT)?;
    let (transaction, receipt) = rest.split_at_checked(len).ok_or(SHORT)?;
    let record = TxRecord {
        transaction: serde_json::from_slice(transaction)?,
        receipt: serde_json::from_slice(receipt)?,
    };
    let place = match placed {
        0 => None,
        1 => Some((u64::from_be_bytes(*number), u64::from_be_bytes(*index))),
        _ => {
            return Err(StoreError::Corrupt(
                "a stored record's placed flag is not 0 or 1",
            ))
        }
    };
    Ok((record, place))
}

/// A stored checkpoint's fixed fields: hash, parent hash, timestamp (8),
/// transactions root, receipts root; its transaction hashes follow.
const CHECKPOINT_FIXED: usize = 32 * 4 + 8;

/// Appends to `out` (cleared first) the stored form of `checkpoint`
/// (its number is the key).
pub(super) fn encode_checkpoint(out: &mut Vec<u8>, checkpoint: &CheckpointRecord) {
    out.clear();
    out.reserve(CHECKPOINT_FIXED + 32 * checkpoint.transactions.len());
    out.extend_from_slice(&checkpoint.hash);
    out.extend_from_slice(&checkpoint.parent_hash);
    out.extend_from_slice(&checkpoint.timestamp.to_be_bytes());
    out.extend_from_slice(&checkpoint.transactions_root);
    out.extend_from_slice(&checkpoint.receipts_root);
    for hash in &checkpoint.transactions {
        out.extend_from_slice(hash);
    }
}

/// The checkpoint `number` stored as `bytes` by [`encode_checkpoint`].
pub(super) fn decode_checkpoint(number: u64, bytes: &[u8]) -> Result<CheckpointRecord, StoreError> {
    const BAD: StoreError =
        StoreError::Corrupt("a stored checkpoint is not its fields and 32-byte hashes");
    let (hash, rest) = bytes.split_first_chunk::<32>().ok_or(BAD)?;
    let (parent_hash, rest) = rest.split_first_chunk::<32>().ok_or(BAD)?;
    let (timestamp, rest) = rest.split_first_chunk::<8>().ok_or(BAD)?;
    let (transactions_root, rest) = rest.split_first_chunk::<32>().ok_or(BAD)?;
    let (receipts_root, hashes) = rest.split_first_chunk::<32>().ok_or(BAD)?;
    let (transactions, []) = hashes.as_chunks::<32>() else {
        return Err(BAD);
    };
    Ok(CheckpointRecord {
        number,
        hash: *hash,
        parent_hash: *parent_hash,
        timestamp: u64::from_be_bytes(*timestamp),
        transactions_root: *transactions_root,
        receipts_root: *receipts_root,
        transactions: transactions.to_vec(),
    })
}

/// The hash of the checkpoint stored as `bytes` (its first field).
pub(super) fn checkpoint_hash(bytes: &[u8]) -> Result<[u8; 32], StoreError> {
    bytes
        .get(..32)
        .and_then(|h| h.try_into().ok())
        .ok_or(StoreError::Corrupt("a stored checkpoint is cut short"))
}

/// The [`CHECKPOINTS`] key of checkpoint `number`.
pub(super) fn number_key(number: u64) -> [u8; 9] {
    let mut key = [BY_NUMBER; 9];
    if let Some((_, rest)) = key.split_first_mut() {
        rest.copy_from_slice(&number.to_be_bytes());
    }
    key
}

/// The [`CHECKPOINTS`] key of the checkpoint with `hash`.
pub(super) fn hash_key(hash: &[u8; 32]) -> [u8; 33] {
    let mut key = [BY_HASH; 33];
    if let Some((_, rest)) = key.split_first_mut() {
        rest.copy_from_slice(hash);
    }
    key
}

/// The number of a [`number_key`] (a key by hash is not one).
pub(super) fn key_number(key: &[u8]) -> Result<u64, StoreError> {
    match key {
        [BY_NUMBER, number @ ..] => hash_number(number),
        _ => Err(StoreError::Corrupt("a checkpoint key is not a number key")),
    }
}

/// The number a [`hash_key`] leads to, stored as `value`.
pub(super) fn hash_number(value: &[u8]) -> Result<u64, StoreError> {
    value
        .try_into()
        .map(u64::from_be_bytes)
        .map_err(|_| StoreError::Corrupt("a checkpoint number is not 8 bytes"))
}
