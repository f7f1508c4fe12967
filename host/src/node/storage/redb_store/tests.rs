//! The redb store's tests: commits read back, reopening, page reuse,
//! snapshots, the stored forms of records and the storage format.

use std::time::{Duration, Instant};

use super::*;
use crate::node::records::CheckpointRecord;
use crate::node::storage::contract::{self, full_record, mint_record, write};
use crate::node::storage::Close;

/// The [`Storage`] contract, on a durable file and on a non-durable one.
#[test]
fn the_redb_files_keep_the_storage_contract() {
    for durable in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let mut n = 0;
        contract::run_all(|| {
            n += 1;
            Box::new(open(&dir.path().join(n.to_string()), durable).unwrap())
        });
    }
}

#[test]
fn a_commit_is_read_back_whole_and_survives_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let storage = open(dir.path(), true).unwrap();
    // Genesis only.
    let read = storage.read().unwrap();
    assert_eq!(read.last_checkpoint().unwrap(), 0);
    let genesis = read.checkpoint(0).unwrap().unwrap();
    assert!(genesis.transactions.is_empty());
    assert_eq!(read.checkpoint_number(&genesis.hash).unwrap(), Some(0));
    drop(read);

    let (owner, token) = (Address([1; 20]), Address([2; 20]));
    let mut commit = Commit::default();
    commit.ledger.accounts.insert(
        owner,
        Account {
            nonce: 3,
            bbnonce: 1,
        },
    );
    commit
        .ledger
        .balances
        .insert((owner, token), Amount::from_u64(42));
    let checkpoint = CheckpointRecord::close(1, genesis.hash, vec![[9; 32]], &[]);
    commit.checkpoint = Some(checkpoint.clone());
    commit.mints.push(mint_record("GILT", 1));
    commit.mint_count = Some(1);
    storage.commit(&mut commit).unwrap();

    let check = |storage: &RedbStorage| {
        let read = storage.read().unwrap();
        assert_eq!(read.account(&owner).unwrap().nonce, 3);
        assert_eq!(read.balance(&owner, &token).unwrap(), Amount::from_u64(42));
        assert_eq!(read.balance(&token, &owner).unwrap(), Amount::ZERO);
        assert_eq!(read.last_checkpoint().unwrap(), 1);
        assert_eq!(read.checkpoint(1).unwrap(), Some(checkpoint.clone()));
        assert_eq!(read.checkpoint_number(&checkpoint.hash).unwrap(), Some(1));
        assert_eq!(read.mint("GILT").unwrap(), Some(mint_record("GILT", 1)));
        assert_eq!(read.mint("NONE").unwrap(), None);
        assert_eq!(read.mint_count().unwrap(), 1);
        assert!(!read.has_transaction(&[9; 32]).unwrap());
        let ledger = read.ledger().unwrap();
        assert_eq!(ledger.balances.len(), 1);
        assert_eq!(ledger.accounts.len(), 1);
    };
    check(&storage);
    drop(storage);
    // The data directory is exclusive while open, and keeps the state.
    let storage = open(dir.path(), true).unwrap();
    assert!(matches!(
        open(dir.path(), true),
        Err(NodeError::DataDirInUse { .. })
    ));
    check(&storage);
}

/// Commits `owner`'s account with `nonce`.
fn set_nonce(storage: &RedbStorage, owner: Address, nonce: u64) {
    let mut commit = Commit::default();
    commit
        .ledger
        .accounts
        .insert(owner, Account { nonce, bbnonce: 0 });
    storage.commit(&mut commit).unwrap();
}

/// The allocated pages of `storage`'s database.
fn pages(storage: &RedbStorage) -> u64 {
    let txn = storage.db.begin_write().unwrap();
    let pages = txn.stats().unwrap().allocated_pages();
    txn.abort().unwrap();
    pages
}

/// Rewrites `owner`'s account with the nonces `0..first`, then
/// `first..total`, a commit each: the allocated pages after each run.
fn pages_after_rewrites(
    storage: &RedbStorage,
    owner: Address,
    first: u64,
    total: u64,
) -> (u64, u64) {
    for nonce in 0..first {
        set_nonce(storage, owner, nonce);
    }
    let after_first = pages(storage);
    for nonce in first..total {
        set_nonce(storage, owner, nonce);
    }
    (after_first, pages(storage))
}

/// A non-durable file reuses the pages its commits free too: one
/// commit in [`unsynced::SYNC_EVERY`] is durable, so the same account rewritten
/// by thousands of commits keeps the file within that many commits'
/// pages of its size. (Committed only with `Durability::None` it grew by
/// several pages per commit without bound.)
#[test]
fn a_non_durable_file_reuses_freed_pages() {
    let dir = tempfile::tempdir().unwrap();
    let storage = open(dir.path(), false).unwrap();
    let owner = Address([1; 20]);
    let (after_200, after_3000) = pages_after_rewrites(&storage, owner, 200, 3_000);
    // A few pages a commit, over at most `SYNC_EVERY` (64) commits.
    assert!(
        after_3000 <= after_200 + 600,
        "{after_200} pages after 200 commits, {after_3000} after 3,000"
    );
    drop(storage);
    // What it acknowledged is there after a clean stop.
    let storage = open(dir.path(), false).unwrap();
    assert_eq!(
        storage.read().unwrap().account(&owner).unwrap().nonce,
        2_999
    );
}

/// Measures the cost of an fsync against a non-durable commit and the
/// pages a commit leaves behind (`cargo test -p tokensign --lib
/// measure_sync -- --ignored --nocapture`).
#[test]
#[ignore]
fn measure_sync() {
    let dir = tempfile::tempdir().unwrap();
    let owner = Address([1; 20]);
    let n = 2_000u32;
    let report = |name: &str, storage: &RedbStorage, took: Duration| {
        println!(
            "{name}: {:?} a commit, {} pages after {n} commits",
            took / n,
            pages(storage)
        );
    };
    for (name, durable) in [("durable", true), ("non-durable", false)] {
        let storage = open(&dir.path().join(name), durable).unwrap();
        let start = Instant::now();
        for nonce in 0..u64::from(n) {
            set_nonce(&storage, owner, nonce);
        }
        report(name, &storage, start.elapsed());
    }
    // Every commit `Durability::None`, as before the rule.
    let storage = open(&dir.path().join("none"), false).unwrap();
    let start = Instant::now();
    for nonce in 0..u64::from(n) {
        let mut txn = storage.db.begin_write().unwrap();
        txn.set_durability(Durability::None);
        let mut commit = Commit::default();
        commit
            .ledger
            .accounts
            .insert(owner, Account { nonce, bbnonce: 0 });
        write_commit(&txn, &mut commit).unwrap();
        txn.commit().unwrap();
    }
    report("only Durability::None", &storage, start.elapsed());
}

/// A record is stored as admitted, its receipt as the text its
/// checkpoint's receipts root hashed (read back whole: the contract).
#[test]
fn a_stored_receipt_is_the_text_the_receipts_root_hashed() {
    let dir = tempfile::tempdir().unwrap();
    let storage = open(dir.path(), true).unwrap();
    let c = [0xc; 32];
    assert_eq!(
        write(&storage, vec![(c, full_record(c))], Close::No, vec![]),
        None
    );
    assert_eq!(write(&storage, vec![], Close::IfAny, vec![c]), Some(1));
    let checkpoint = storage.read().unwrap().checkpoint(1).unwrap().unwrap();
    let (recorded, place) = tables::decode_record(&read_raw_record(&storage, &c)).unwrap();
    assert_eq!(place, Some((1, 0)));
    assert_eq!(recorded, full_record(c));
    let receipt = serde_json::to_string(&recorded.receipt).unwrap();
    let recomputed = CheckpointRecord::recompute(&checkpoint, &[receipt]);
    assert_eq!(recomputed.receipts_root, checkpoint.receipts_root);
}

/// The stored bytes of the record of `hash`.
fn read_raw_record(storage: &RedbStorage, hash: &[u8; 32]) -> Vec<u8> {
    let txn = storage.db.begin_read().unwrap();
    let table = txn.open_table(tables::TXS).unwrap();
    let value = table
        .get(hash.as_slice())
        .unwrap()
        .unwrap()
        .value()
        .to_vec();
    value
}

/// A data directory written by an older tokensign (records as JSON, no
/// format number) or in another numbered format is refused by name, with
/// what to do; one in this format opens.
#[test]
fn a_database_in_another_format_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        // What the formats before numbers wrote.
        let db = Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let old: redb::TableDefinition<&[u8], &str> = redb::TableDefinition::new("transactions_v2");
        txn.open_table(old)
            .unwrap()
            .insert([1u8; 32].as_slice(), "{}")
            .unwrap();
        let meta: redb::TableDefinition<&str, u64> = redb::TableDefinition::new("meta");
        txn.open_table(meta)
            .unwrap()
            .insert("last_checkpoint", 3)
            .unwrap();
        txn.commit().unwrap();
    }
    let refused = open(dir.path(), true)
        .err()
        .expect("an old database is refused");
    assert!(
        matches!(
            &refused,
            NodeError::StoreFormat {
                found: None,
                expected: FORMAT,
                ..
            }
        ),
        "{refused:?}"
    );
    let message = refused.to_string();
    assert!(message.contains(DB_FILE), "{message}");
    assert!(message.contains("--data-dir"), "{message}");
    assert!(message.contains("--load-state"), "{message}");
    assert!(refused.is_bad_setup());
    // A numbered format that is not this one.
    {
        let storage = open(&dir.path().join("new"), true).unwrap();
        let txn = storage.db.begin_write().unwrap();
        txn.open_table(tables::META)
            .unwrap()
            .insert(tables::FORMAT_KEY, FORMAT + 1)
            .unwrap();
        txn.commit().unwrap();
    }
    let refused = open(&dir.path().join("new"), true).err().expect("refused");
    assert!(
        matches!(refused, NodeError::StoreFormat { found: Some(n), .. } if n == FORMAT + 1),
        "{refused:?}"
    );
    // This format, written and opened again.
    drop(open(&dir.path().join("fresh"), true).unwrap());
    let storage = open(&dir.path().join("fresh"), true).unwrap();
    assert_eq!(storage.read().unwrap().last_checkpoint().unwrap(), 0);
}

/// Stored values that are cut short or malformed are errors, never
/// panics, and a key by hash is never read as a checkpoint number.
#[test]
fn malformed_stored_values_are_errors() {
    for n in 0..40 {
        assert!(tables::decode_record(&vec![1; n]).is_err(), "{n} bytes");
    }
    let mut value = Vec::new();
    tables::encode_record(&mut value, &mut full_record([1; 32]), None).unwrap();
    assert!(tables::decode_record(&value).is_ok());
    value[0] = 2;
    assert!(tables::decode_record(&value).is_err());
    assert!(tables::decode_checkpoint(1, &[0; 136]).is_ok());
    for n in [0, 135, 137, 136 + 31] {
        assert!(
            tables::decode_checkpoint(1, &vec![0; n]).is_err(),
            "{n} bytes"
        );
    }
    assert_eq!(tables::key_number(&tables::number_key(7)).unwrap(), 7);
    assert!(tables::key_number(&tables::hash_key(&[0xff; 32])).is_err());
}
