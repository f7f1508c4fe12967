//! The [`Storage`] contract as tests any embedded store runs (the redb
//! files' tests and the memory store's call each of these on their own
//! stores): what a read sees while a write commits, sealing and unplaced
//! transactions, snapshots and reverts at several points, a replace, and
//! a dump loaded back.

use tokensign_core::{Address, Amount};

use super::{Close, Contents, Pending, Storage, WriteRead};
use crate::node::ledger::{Account, Changes, Member, Multisig, Token};
use crate::node::records::{hex0x, CheckpointRecord, MintRecord, TxRecord};

/// An ABC-Lab mint of `asset`, the `n`th.
pub(crate) fn mint_record(asset: &str, n: u64) -> MintRecord {
    MintRecord {
        token_id: format!("TOKEN-{n}"),
        asset_id: asset.into(),
        token: Address([7; 20]).to_string(),
        amount: 5u64.into(),
        base_units: "500".into(),
        assigned_to: "w".into(),
    }
}

/// A record with every optional part of the wire answers: memo, data,
/// success info with bridge info, batch info, events, impersonated.
pub(crate) fn full_record(hash: [u8; 32]) -> TxRecord {
    let hash = hex0x(&hash);
    serde_json::from_value(serde_json::json!({
        "transaction": {"hash": hash, "chain_id": 1_212_101, "from": "0x02", "nonce": 7,
            "signature": {"r": "0x1", "s": "0x2", "v": 1},
            "memo": {"type": "text", "format": "utf8", "data": "rent \"june\" ü"},
            "transaction_type": "BatchPayment",
            "data": {"token": "0x03", "value": "10", "nested": {"z": 1, "a": [1, 2]}}},
        "receipt": {"success": true, "transaction_hash": hash, "fee_used": "0", "from": "0x02",
            "recipient": "0x04", "token_address": "0x03",
            "success_info": {"sender": "0x02", "receiver": "0x0", "is_private": false,
                "message": "", "bridge_info": null},
            "batch_info": {"batch_id": null, "operations_count": 1},
            "execution_events": [{"event_type": "BatchStarted"}],
            "impersonated": true}
    }))
    .unwrap()
}

/// Commits `pending` as the writer's batch would: the number of the
/// checkpoint it closed.
pub(crate) fn write_pending(storage: &dyn Storage, pending: Pending) -> Option<u64> {
    let mut pending = Some(pending);
    storage
        .write(&mut |_: &dyn WriteRead| Ok(pending.take().expect("built once")))
        .unwrap()
}

/// Commits `transactions`, closing a checkpoint as `close` says over
/// `unplaced` and them.
pub(crate) fn write(
    storage: &dyn Storage,
    transactions: Vec<([u8; 32], TxRecord)>,
    close: Close,
    unplaced: Vec<[u8; 32]>,
) -> Option<u64> {
    write_pending(
        storage,
        Pending {
            transactions,
            close,
            unplaced,
            ..Pending::default()
        },
    )
}

/// Commits `owner`'s account with `nonce`, and nothing else.
pub(crate) fn set_nonce(storage: &dyn Storage, owner: Address, nonce: u64) {
    let mut ledger = Changes::default();
    ledger.accounts.insert(owner, Account { nonce, bbnonce: 0 });
    write_pending(
        storage,
        Pending {
            ledger,
            close: Close::No,
            ..Pending::default()
        },
    );
}

fn nonce(storage: &dyn Storage, owner: &Address) -> u64 {
    storage.read().unwrap().account(owner).unwrap().nonce
}

/// A read keeps the state it began on: a later write (ledger, record,
/// checkpoint) changes nothing it answers, and a read after it sees all of
/// the write.
pub(crate) fn a_read_is_isolated_from_a_later_write(storage: &dyn Storage) {
    let owner = Address([1; 20]);
    set_nonce(storage, owner, 1);
    let before = storage.read().unwrap();
    let hash = [0xe; 32];
    let mut ledger = Changes::default();
    ledger.accounts.insert(
        owner,
        Account {
            nonce: 2,
            bbnonce: 0,
        },
    );
    ledger
        .balances
        .insert((owner, Address([2; 20])), Amount::from_u64(9));
    let closed = write_pending(
        storage,
        Pending {
            ledger,
            transactions: vec![(hash, full_record(hash))],
            ..Pending::default()
        },
    )
    .expect("a checkpoint closed");
    assert_eq!(before.account(&owner).unwrap().nonce, 1);
    assert_eq!(
        before.balance(&owner, &Address([2; 20])).unwrap(),
        Amount::ZERO
    );
    assert!(!before.has_transaction(&hash).unwrap());
    assert_eq!(before.last_checkpoint().unwrap(), closed - 1);
    assert!(before.checkpoint(closed).unwrap().is_none());
    let after = storage.read().unwrap();
    assert_eq!(after.account(&owner).unwrap().nonce, 2);
    assert_eq!(
        after.balance(&owner, &Address([2; 20])).unwrap(),
        Amount::from_u64(9)
    );
    assert!(after.has_transaction(&hash).unwrap());
    assert_eq!(after.last_checkpoint().unwrap(), closed);
    // A write that fails commits nothing.
    let failed = storage.write(&mut |_: &dyn WriteRead| {
        Err(crate::node::failure::StoreError::Corrupt(
            "refused by the test",
        ))
    });
    assert!(failed.is_err());
    assert_eq!(storage.read().unwrap().last_checkpoint().unwrap(), closed);
}

/// Records go in as the writer makes them and come back out, whole and
/// byte for byte the same JSON: one sealed into a checkpoint, one left in
/// no checkpoint, and one placed later by a write that reads it back
/// first; the checkpoints chain and hash what they place.
pub(crate) fn records_are_sealed_placed_and_read_back(storage: &dyn Storage) {
    let json = |r: &TxRecord| serde_json::to_string(r).unwrap();
    let genesis = storage.read().unwrap().checkpoint(0).unwrap().unwrap();
    assert!(genesis.transactions.is_empty());
    // Sealed: placed at checkpoint 1, index 1.
    let (a, b) = ([0xa; 32], [0xb; 32]);
    let closed = write(
        storage,
        vec![(a, full_record(a)), (b, full_record(b))],
        Close::IfAny,
        vec![],
    );
    assert_eq!(closed, Some(1));
    let read = storage.read().unwrap();
    let checkpoint = read.checkpoint(1).unwrap().unwrap();
    assert_eq!(checkpoint.parent_hash, genesis.hash);
    assert_eq!(checkpoint.transactions, vec![a, b]);
    assert_eq!(read.checkpoint_number(&checkpoint.hash).unwrap(), Some(1));
    assert_eq!(read.checkpoint_number(&[0x77; 32]).unwrap(), None);
    let mut expected = full_record(b);
    expected.place(1, &checkpoint.hash, 1);
    let stored = read.transaction(&b).unwrap().unwrap();
    assert_eq!(stored, expected);
    assert_eq!(json(&stored), json(&expected));
    drop(read);
    // Nothing admitted and Close::IfAny: no checkpoint.
    assert_eq!(write(storage, vec![], Close::IfAny, vec![]), None);
    // Left unplaced, then placed by a later write.
    let c = [0xc; 32];
    let none = write(storage, vec![(c, full_record(c))], Close::No, vec![]);
    assert_eq!(none, None);
    let read = storage.read().unwrap();
    assert_eq!(read.last_checkpoint().unwrap(), 1);
    let unplaced = read.transaction(&c).unwrap().unwrap();
    assert_eq!(json(&unplaced), json(&full_record(c)));
    // Those in no checkpoint come first.
    let hashes = |all: Vec<TxRecord>| {
        all.iter()
            .map(|r| r.transaction.hash.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        hashes(read.transactions().unwrap()),
        [c, a, b].map(|h| hex0x(&h))
    );
    drop(read);
    let d = [0xd; 32];
    let placed = write(storage, vec![(d, full_record(d))], Close::IfAny, vec![c]);
    assert_eq!(placed, Some(2));
    let read = storage.read().unwrap();
    let second = read.checkpoint(2).unwrap().unwrap();
    assert_eq!(second.parent_hash, checkpoint.hash);
    assert_eq!(second.transactions, vec![c, d]);
    let mut expected = full_record(c);
    expected.place(2, &second.hash, 0);
    assert_eq!(
        json(&read.transaction(&c).unwrap().unwrap()),
        json(&expected)
    );
    // The receipts root hashes the receipts as admitted, in order.
    let receipts = [c, d].map(|h| serde_json::to_string(&full_record(h).receipt).unwrap());
    assert_eq!(
        CheckpointRecord::recompute(&second, &receipts).receipts_root,
        second.receipts_root
    );
    // Checkpoint order, each placed.
    let all = read.transactions().unwrap();
    assert_eq!(hashes(all.clone()), [a, b, c, d].map(|h| hex0x(&h)));
    assert_eq!(all[2], expected);
    assert_eq!(
        read.checkpoints().unwrap(),
        vec![genesis, checkpoint, second]
    );
    drop(read);
    // An empty checkpoint when asked.
    assert_eq!(write(storage, vec![], Close::Always, vec![]), Some(3));
    let third = storage.read().unwrap().checkpoint(3).unwrap().unwrap();
    assert!(third.transactions.is_empty());
}

/// Snapshots taken at several points restore each its state (the
/// ledger, the records, the checkpoints, the mints); a revert uses up the
/// snapshot and every later one, and keeps the earlier ones.
pub(crate) fn snapshots_revert_at_several_points(storage: &dyn Storage) {
    assert!(storage.keeps_snapshots());
    let owner = Address([1; 20]);
    let set = |n: u64| set_nonce(storage, owner, n);
    set(1);
    let first = storage.snapshot().unwrap();
    set(2);
    let hash = [0x5; 32];
    write(
        storage,
        vec![(hash, full_record(hash))],
        Close::IfAny,
        vec![],
    );
    let second = storage.snapshot().unwrap();
    assert!(second > first, "ids only grow");
    set(3);
    write_pending(
        storage,
        Pending {
            mints: vec![mint_record("GILT", 1)],
            mint_count: Some(1),
            ..Pending::default()
        },
    );
    let third = storage.snapshot().unwrap();
    set(4);
    assert!(storage.revert(second).unwrap());
    let read = storage.read().unwrap();
    assert_eq!(read.account(&owner).unwrap().nonce, 2);
    assert!(read.has_transaction(&hash).unwrap());
    assert_eq!(read.mint_count().unwrap(), 0);
    assert_eq!(read.mint("GILT").unwrap(), None);
    drop(read);
    // The snapshot and the later one are used up; the earlier stays.
    assert!(!storage.revert(second).unwrap());
    assert!(!storage.revert(third).unwrap());
    assert!(!storage.revert(999).unwrap());
    assert_eq!(nonce(storage, &owner), 2);
    set(5);
    let fourth = storage.snapshot().unwrap();
    assert!(fourth > third, "ids only grow, past a revert too");
    assert!(storage.revert(first).unwrap());
    let read = storage.read().unwrap();
    assert_eq!(read.account(&owner).unwrap().nonce, 1);
    assert_eq!(read.last_checkpoint().unwrap(), 0);
    assert!(!read.has_transaction(&hash).unwrap());
    drop(read);
    assert!(!storage.revert(fourth).unwrap());
}

/// A replace puts in exactly the contents given (what was there before
/// is gone), and a dump of it ([`super::StateRead::contents`]) gives them
/// back.
pub(crate) fn a_replaced_state_dumps_back_the_same(storage: &dyn Storage) {
    // Something that the replace must remove.
    set_nonce(storage, Address([9; 20]), 9);
    write(
        storage,
        vec![([0xf; 32], full_record([0xf; 32]))],
        Close::IfAny,
        vec![],
    );
    let genesis = storage.read().unwrap().checkpoint(0).unwrap().unwrap();
    let hash = [0xd; 32];
    let mut record = full_record(hash);
    let receipt = serde_json::to_string(&record.receipt).unwrap();
    let checkpoint = CheckpointRecord::close(1, genesis.hash, vec![hash], &[receipt]);
    record.place(1, &checkpoint.hash, 0);
    let unplaced_hash = [0xc; 32];
    let unplaced = full_record(unplaced_hash);
    let (owner, token) = (Address([1; 20]), Address([2; 20]));
    let mut contents = Contents {
        transactions: vec![unplaced, record],
        checkpoints: vec![genesis, checkpoint],
        mints: vec![mint_record("GILT", 1), mint_record("BOND", 2)],
        mint_count: 2,
        ..Contents::default()
    };
    let ledger = &mut contents.ledger;
    ledger.accounts.insert(
        owner,
        Account {
            nonce: 3,
            bbnonce: 1,
        },
    );
    ledger.balances.insert((owner, token), Amount::from_u64(42));
    let issued = Token {
        address: token,
        symbol: "GILT".into(),
        name: "Gilt".into(),
        uri: String::new(),
        additional_metadata: vec![("k".into(), "v".into())],
        decimals: 2,
        master_authority: owner,
        master_mint_burn_authority: owner,
        minters: Vec::new(),
        pause_authorities: vec![owner],
        list_authorities: Vec::new(),
        metadata_authorities: Vec::new(),
        bridge_authorities: Vec::new(),
        clawback_authorities: Vec::new(),
        black_list: vec![Address([8; 20])],
        white_list: Vec::new(),
        supply: Amount::from_u64(42),
        is_paused: false,
        is_private: false,
        clawback_enabled: true,
        issuer: owner,
    };
    ledger.tokens.insert(token, issued);
    let multisig = Multisig {
        members: vec![Member {
            public_key: format!("0x02{}", "11".repeat(32)),
            weight: 1,
        }],
        threshold: 1,
    };
    ledger.multisigs.insert(Address([3; 20]), multisig);
    storage.replace(&contents).unwrap();
    let read = storage.read().unwrap();
    let dumped = read.contents().unwrap();
    assert_eq!(dumped.ledger.accounts, contents.ledger.accounts);
    assert_eq!(dumped.ledger.balances, contents.ledger.balances);
    assert_eq!(dumped.ledger.tokens, contents.ledger.tokens);
    assert_eq!(dumped.ledger.multisigs, contents.ledger.multisigs);
    assert_eq!(dumped.transactions, contents.transactions);
    assert_eq!(dumped.checkpoints, contents.checkpoints);
    assert_eq!(dumped.mints, contents.mints);
    assert_eq!(dumped.mint_count, 2);
    assert_eq!(read.last_checkpoint().unwrap(), 1);
    assert_eq!(read.token_by_symbol("GILT").unwrap(), Some(token));
    assert_eq!(read.account(&Address([9; 20])).unwrap(), Account::default());
    assert!(!read.has_transaction(&[0xf; 32]).unwrap());
    drop(read);
    // The unplaced one is placed by the next checkpoint, after the head.
    let closed = write(storage, vec![], Close::IfAny, vec![unplaced_hash]);
    assert_eq!(closed, Some(2));
    let placed = storage
        .read()
        .unwrap()
        .transaction(&unplaced_hash)
        .unwrap()
        .unwrap();
    assert_eq!(placed.receipt.checkpoint_number, Some(2));
}

/// Every test above, each on a fresh store from `fresh`.
pub(crate) fn run_all(mut fresh: impl FnMut() -> Box<dyn Storage>) {
    a_read_is_isolated_from_a_later_write(&*fresh());
    records_are_sealed_placed_and_read_back(&*fresh());
    snapshots_revert_at_several_points(&*fresh());
    a_replaced_state_dumps_back_the_same(&*fresh());
}
