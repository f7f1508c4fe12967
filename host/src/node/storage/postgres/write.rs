//! Writes: one SQL transaction per batch, ordered across every process by
//! the lock on the checkpoint head row.
//!
//! 1. `BEGIN` (read committed), `SELECT … FROM head FOR UPDATE`: from here
//!    until the commit no other write, from any process, can commit, and
//!    every statement sees everything committed before.
//! 2. The builder (the writer's batch: nonce checks, the rules, balance
//!    changes) runs against what was fetched so far; every key it asked
//!    for and did not find is a miss (it got a default, and its result is
//!    thrown away). The misses are fetched in bulk, one query per table,
//!    pipelined, and the builder runs again, until it misses nothing: a
//!    payment batch takes a few round trips, however many payments it
//!    holds.
//! 3. The batch is sealed after the locked head, written in bulk (one
//!    `INSERT … SELECT FROM unnest(…)` per table, pipelined) and committed.
//!
//! A conflict the database aborts (serialization failure, deadlock) or a
//! lost connection before the commit is sent is retried, at most
//! [`WRITE_ATTEMPTS`] times. A failure of the commit itself is not: the
//! batch may or may not be stored, so its clients get a 503 and read by
//! hash.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use super::bulk::{
    insert_checkpoints, insert_mints, insert_transactions, upsert_accounts, upsert_balances,
    upsert_multisigs, upsert_tokens, write_commit,
};
use super::fetch::{Fetched, View};
use super::notify::NOTIFY;
use super::{
    bounded, from_db, to_db, DbFailure, PgStorage, STATE_TIMEOUT, STEP_TIMEOUT, WRITE_ATTEMPTS,
};
use crate::node::failure::StoreError;
use crate::node::storage::{Build, Close, Contents, Head};

/// Why a write that would leave transactions in no checkpoint is refused.
const UNPLACED: &str = "the PostgreSQL store keeps no transaction out of a checkpoint \
                        (checkpoint modes interval and manual need the embedded store)";

/// Rows per statement when a whole state is loaded.
const LOAD_CHUNK: usize = 5_000;

/// Runs one write (see the module's documentation). Blocking.
pub(super) fn write(storage: &PgStorage, build: &mut Build<'_>) -> Result<Option<u64>, StoreError> {
    let handle = storage.handle()?.clone();
    let run = async {
        let mut attempt = 1;
        loop {
            let commit_sent = Cell::new(false);
            let result =
                bounded(STEP_TIMEOUT, write_once(storage, &mut *build, &commit_sent)).await;
            match result {
                Ok(checkpoint) => return Ok(checkpoint),
                Err(failure) => {
                    let retry = !commit_sent.get()
                        && matches!(failure, DbFailure::Conflict(_) | DbFailure::Unreachable(_));
                    if commit_sent.get() {
                        if let DbFailure::Other(m) = failure {
                            return Err(StoreError::Backend(format!("PostgreSQL: {m}").into()));
                        }
                        // The commit's outcome is unknown.
                        return Err(StoreError::Unavailable(format!(
                            "the database did not confirm the commit: {}",
                            failure.into_store()
                        )));
                    }
                    if !retry || attempt >= WRITE_ATTEMPTS {
                        return Err(failure.into_store());
                    }
                    let wait = Duration::from_millis(20 << attempt);
                    tracing::warn!(attempt, "database write failed, retrying in {wait:?}");
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
            }
        }
    };
    // The builder is not `Send`: drive the write on this thread.
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Err(_) => handle.block_on(run),
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => {
            tokio::task::block_in_place(|| handle.block_on(run))
        }
        Ok(_) => Err(StoreError::Backend(
            "a PostgreSQL write cannot run on a current-thread runtime".into(),
        )),
    }
}

async fn write_once(
    storage: &PgStorage,
    build: &mut Build<'_>,
    commit_sent: &Cell<bool>,
) -> Result<Option<u64>, DbFailure> {
    let mut client = storage.pool.get().await?;
    let txn = client.transaction().await?;
    let head_lock = txn
        .prepare_cached("SELECT checkpoint, checkpoint_hash, mint_count FROM head FOR UPDATE")
        .await?;
    let row = txn.query_one(&head_lock, &[]).await?;
    let head = Head {
        number: from_db(row.try_get(0)?),
        hash: super::read::hash32(row.try_get(1)?)?,
    };
    let mut fetched = Fetched {
        mint_count: from_db(row.try_get(2)?),
        ..Fetched::default()
    };
    let pending = loop {
        let view = View {
            fetched: &fetched,
            misses: RefCell::default(),
        };
        let result = build(&view);
        let misses = view.misses.into_inner();
        if misses.is_empty() {
            break result?;
        }
        fetched.fetch(&txn, misses).await?;
    };
    // Several processes share this store, and each writer knows only its
    // own pending transactions: a write closes a checkpoint over all it
    // admits (the writer refuses the modes that would not).
    let unplaced = || DbFailure::Other(UNPLACED.into());
    if pending.close == Close::No && !pending.transactions.is_empty() {
        return Err(unplaced());
    }
    let commit = pending.seal(head, |_| Err(StoreError::Backend(UNPLACED.into())))?;
    write_commit(&txn, &commit).await?;
    if let Some(c) = &commit.checkpoint {
        insert_checkpoints(&txn, std::slice::from_ref(c)).await?;
    }
    let statement = txn
        .prepare_cached(
            "UPDATE head SET checkpoint = COALESCE($1, checkpoint), \
             checkpoint_hash = COALESCE($2, checkpoint_hash), \
             mint_count = COALESCE($3, mint_count)",
        )
        .await?;
    let number = commit.checkpoint.as_ref().map(|c| to_db(c.number));
    let hash = commit.checkpoint.as_ref().map(|c| c.hash.to_vec());
    let mints = commit.mint_count.map(to_db);
    let params: [&(dyn tokio_postgres::types::ToSql + Sync); 3] = [&number, &hash, &mints];
    let update = txn.execute(&statement, &params);
    match &commit.checkpoint {
        // Every process's listener hears of it when (if) this commits;
        // pipelined with the head's update, no extra round trip.
        Some(c) => {
            let notify = txn.prepare_cached(NOTIFY).await?;
            let payload = c.number.to_string();
            futures_util::future::try_join(update, txn.execute(&notify, &[&payload])).await?;
        }
        None => {
            update.await?;
        }
    }
    commit_sent.set(true);
    txn.commit().await?;
    Ok(commit.checkpoint.map(|c| c.number))
}

/// Replaces everything by `contents`, under the head lock, in one
/// transaction. Blocking.
pub(super) fn replace(storage: &PgStorage, contents: &Contents) -> Result<(), StoreError> {
    let pool = storage.pool.clone();
    let contents = contents.clone();
    storage.block(async move {
        bounded(STATE_TIMEOUT, async {
            let mut client = pool.get().await?;
            let txn = client.transaction().await?;
            txn.execute("SELECT 1 FROM head FOR UPDATE", &[]).await?;
            txn.batch_execute(
                "DELETE FROM accounts; DELETE FROM tokens; DELETE FROM balances; \
                 DELETE FROM multisigs; DELETE FROM transactions; DELETE FROM checkpoints; \
                 DELETE FROM mints;",
            )
            .await?;
            let ledger = &contents.ledger;
            let accounts: Vec<_> = ledger.accounts.iter().collect();
            for chunk in accounts.chunks(LOAD_CHUNK) {
                upsert_accounts(&txn, chunk.iter().copied()).await?;
            }
            let tokens: Vec<_> = ledger.tokens.values().collect();
            for chunk in tokens.chunks(LOAD_CHUNK) {
                upsert_tokens(&txn, chunk.iter().copied()).await?;
            }
            let balances: Vec<_> = ledger.balances.iter().collect();
            for chunk in balances.chunks(LOAD_CHUNK) {
                upsert_balances(&txn, chunk.iter().copied()).await?;
            }
            let multisigs: Vec<_> = ledger.multisigs.iter().collect();
            for chunk in multisigs.chunks(LOAD_CHUNK) {
                upsert_multisigs(&txn, chunk.iter().copied()).await?;
            }
            for chunk in contents.transactions.chunks(LOAD_CHUNK) {
                let mut keyed = Vec::with_capacity(chunk.len());
                for record in chunk {
                    let hash =
                        crate::show::parse_hex32(&record.transaction.hash).ok_or_else(|| {
                            DbFailure::Other("a transaction hash is not 32 bytes".into())
                        })?;
                    keyed.push((hash, record));
                }
                insert_transactions(&txn, keyed).await?;
            }
            for chunk in contents.mints.chunks(LOAD_CHUNK) {
                insert_mints(&txn, chunk).await?;
            }
            for chunk in contents.checkpoints.chunks(LOAD_CHUNK) {
                insert_checkpoints(&txn, chunk).await?;
            }
            let last = contents
                .checkpoints
                .last()
                .ok_or_else(|| DbFailure::Other("a state without genesis".into()))?;
            txn.execute(
                "UPDATE head SET checkpoint = $1, checkpoint_hash = $2, mint_count = $3",
                &[
                    &to_db(last.number),
                    &last.hash.as_slice(),
                    &to_db(contents.mint_count),
                ],
            )
            .await?;
            txn.execute(NOTIFY, &[&last.number.to_string()]).await?;
            txn.commit().await?;
            Ok(())
        })
        .await
        .map_err(DbFailure::into_store)
    })
}
