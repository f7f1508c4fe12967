//! The memory store's tests: the [`Storage`] contract
//! ([`crate::node::storage::contract`]) and what only this store does.

use super::*;
use crate::node::storage::contract::{self, set_nonce};
use tokensign_core::Address;

#[test]
fn the_memory_store_keeps_the_storage_contract() {
    contract::run_all(|| Box::new(MemoryStore::new()));
}

/// A read holds its state: thousands of commits later it still answers
/// what it answered, and the store's state is the latest.
#[test]
fn a_read_holds_its_state_across_many_commits() {
    let storage = MemoryStore::new();
    let owner = Address([1; 20]);
    set_nonce(&storage, owner, 0);
    let held = storage.read().unwrap();
    for nonce in 1..3_000 {
        set_nonce(&storage, owner, nonce);
    }
    assert_eq!(held.account(&owner).unwrap().nonce, 0);
    assert_eq!(
        storage.read().unwrap().account(&owner).unwrap().nonce,
        2_999
    );
}

/// A snapshot id that was never given, or one already used, changes
/// nothing, and the later snapshots stay.
#[test]
fn reverting_to_an_unknown_snapshot_keeps_the_others() {
    let storage = MemoryStore::new();
    let owner = Address([1; 20]);
    set_nonce(&storage, owner, 1);
    let first = storage.snapshot().unwrap();
    set_nonce(&storage, owner, 2);
    let second = storage.snapshot().unwrap();
    set_nonce(&storage, owner, 3);
    assert!(!storage.revert(0).unwrap());
    assert!(!storage.revert(second + 1).unwrap());
    assert_eq!(storage.read().unwrap().account(&owner).unwrap().nonce, 3);
    assert!(storage.revert(second).unwrap());
    assert!(storage.revert(first).unwrap());
    assert_eq!(storage.read().unwrap().account(&owner).unwrap().nonce, 1);
}
