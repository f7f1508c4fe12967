//! Writing a [`Commit`] into a redb write transaction: the ledger's
//! changes, the records, mints and the checkpoint, each table opened once.

use redb::WriteTransaction;

use super::tables::{
    balance_key, encode_checkpoint, encode_record, hash_key, number_key, CHECKPOINTS, LEDGER, META,
    MINTS, MINT_COUNTER, MULTISIGS, SYMBOLS, TOKENS, TXS,
};
use crate::node::failure::StoreError;
use crate::node::records::CheckpointRecord;
use crate::node::storage::Commit;

/// Writes everything `commit` holds. Its records are stored as admitted
/// plus their place ([`super::tables::encode_record`]), so it takes the
/// place out of each of them. Only the tables it changes are opened: a
/// payment's commit touches the ledger (accounts and balances),
/// transactions and checkpoints.
pub(super) fn write_commit(txn: &WriteTransaction, commit: &mut Commit) -> Result<(), StoreError> {
    let changes = &commit.ledger;
    if !changes.accounts.is_empty() || !changes.balances.is_empty() {
        let mut ledger = txn.open_table(LEDGER)?;
        for (address, account) in &changes.accounts {
            ledger.insert(address.as_bytes().as_slice(), account.to_bytes().as_slice())?;
        }
        for ((owner, token), balance) in &changes.balances {
            ledger.insert(
                balance_key(owner, token).as_slice(),
                balance.to_be_bytes().as_slice(),
            )?;
        }
    }
    if !changes.tokens.is_empty() {
        let mut tokens = txn.open_table(TOKENS)?;
        let mut symbols = txn.open_table(SYMBOLS)?;
        for (address, token) in &changes.tokens {
            let text = serde_json::to_string(token)?;
            tokens.insert(address.as_bytes().as_slice(), text.as_str())?;
            symbols.insert(token.symbol.as_str(), address.as_bytes().as_slice())?;
        }
    }
    if !changes.multisigs.is_empty() {
        let mut multisigs = txn.open_table(MULTISIGS)?;
        for (address, multisig) in &changes.multisigs {
            let text = serde_json::to_string(multisig)?;
            multisigs.insert(address.as_bytes().as_slice(), text.as_str())?;
        }
    }
    // One buffer for every value of the commit.
    let mut value = Vec::with_capacity(2048);
    if !commit.transactions.is_empty() {
        let mut txs = txn.open_table(TXS)?;
        // The receipts' JSON the seal hashed, when it sealed them all.
        let receipts = (commit.receipts.len() == commit.transactions.len())
            .then_some(commit.receipts.as_slice());
        for (i, (hash, record)) in commit.transactions.iter_mut().enumerate() {
            let receipt = receipts.and_then(|r| r.get(i)).map(String::as_str);
            encode_record(&mut value, record, receipt)?;
            txs.insert(hash.as_slice(), value.as_slice())?;
        }
    }
    if !commit.mints.is_empty() {
        let mut mints = txn.open_table(MINTS)?;
        for mint in &commit.mints {
            let text = serde_json::to_string(mint)?;
            mints.insert(mint.asset_id.as_str(), text.as_str())?;
        }
    }
    if let Some(n) = commit.mint_count {
        txn.open_table(META)?.insert(MINT_COUNTER, n)?;
    }
    if let Some(checkpoint) = &commit.checkpoint {
        write_checkpoint(txn, checkpoint, &mut value)?;
    }
    Ok(())
}

/// Writes `checkpoint` (the highest number stored is the latest), `value`
/// its buffer.
pub(super) fn write_checkpoint(
    txn: &WriteTransaction,
    checkpoint: &CheckpointRecord,
    value: &mut Vec<u8>,
) -> Result<(), StoreError> {
    encode_checkpoint(value, checkpoint);
    let mut checkpoints = txn.open_table(CHECKPOINTS)?;
    checkpoints.insert(number_key(checkpoint.number).as_slice(), value.as_slice())?;
    checkpoints.insert(
        hash_key(&checkpoint.hash).as_slice(),
        checkpoint.number.to_be_bytes().as_slice(),
    )?;
    Ok(())
}
