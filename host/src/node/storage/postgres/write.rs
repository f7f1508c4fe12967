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
use std::collections::{HashMap, HashSet};
use std::time::Duration;

use deadpool_postgres::Transaction;
use tokensign_core::{Address, Amount};

use super::notify::NOTIFY;
use super::read::{account_row, address, balance_row, decode, json_row};
use super::{
    bounded, from_db, to_db, DbFailure, PgStorage, STATE_TIMEOUT, STEP_TIMEOUT, WRITE_ATTEMPTS,
};
use crate::node::failure::StoreError;
use crate::node::ledger::{Account, Backing, Changes, Multisig, Token};
use crate::node::records::{MintRecord, TxRecord};
use crate::node::storage::{Build, Close, Commit, Contents, Head, WriteRead};

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

/// What the builder asked for and was not fetched yet.
#[derive(Default)]
struct Misses {
    accounts: HashSet<Address>,
    tokens: HashSet<Address>,
    symbols: HashSet<String>,
    balances: HashSet<(Address, Address)>,
    multisigs: HashSet<Address>,
    transactions: HashSet<[u8; 32]>,
    mints: HashSet<String>,
}

impl Misses {
    fn is_empty(&self) -> bool {
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
struct Fetched {
    accounts: HashMap<Address, Account>,
    tokens: HashMap<Address, Option<Token>>,
    symbols: HashMap<String, Option<Address>>,
    balances: HashMap<(Address, Address), Amount>,
    multisigs: HashMap<Address, Option<Multisig>>,
    transactions: HashMap<[u8; 32], bool>,
    mints: HashMap<String, Option<MintRecord>>,
    mint_count: u64,
}

fn bytes<'a>(keys: impl IntoIterator<Item = &'a Address>) -> Vec<Vec<u8>> {
    keys.into_iter().map(|a| a.as_bytes().to_vec()).collect()
}

impl Fetched {
    /// Fetches every miss, one pipelined query per table.
    async fn fetch(&mut self, txn: &Transaction<'_>, misses: Misses) -> Result<(), DbFailure> {
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
struct View<'a> {
    fetched: &'a Fetched,
    misses: RefCell<Misses>,
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

// Bulk writes.

async fn write_commit(txn: &Transaction<'_>, commit: &Commit) -> Result<(), DbFailure> {
    let Changes {
        accounts,
        tokens,
        balances,
        multisigs,
    } = &commit.ledger;
    let keyed: Vec<_> = commit.transactions.iter().map(|(h, r)| (*h, r)).collect();
    tokio::try_join!(
        upsert_accounts(txn, accounts.iter()),
        upsert_tokens(txn, tokens.values()),
        upsert_balances(txn, balances.iter()),
        upsert_multisigs(txn, multisigs.iter()),
        insert_transactions(txn, keyed),
        insert_mints(txn, &commit.mints),
    )?;
    Ok(())
}

async fn upsert_accounts<'a>(
    txn: &Transaction<'_>,
    rows: impl Iterator<Item = (&'a Address, &'a Account)>,
) -> Result<(), DbFailure> {
    let (mut a, mut n, mut b) = (Vec::new(), Vec::new(), Vec::new());
    for (address, account) in rows {
        a.push(address.as_bytes().to_vec());
        n.push(to_db(account.nonce));
        b.push(to_db(account.bbnonce));
    }
    if a.is_empty() {
        return Ok(());
    }
    let s = txn
        .prepare_cached(
            "INSERT INTO accounts (address, nonce, bbnonce) \
             SELECT * FROM unnest($1::bytea[], $2::int8[], $3::int8[]) \
             ON CONFLICT (address) DO UPDATE SET nonce = EXCLUDED.nonce, bbnonce = EXCLUDED.bbnonce",
        )
        .await?;
    txn.execute(&s, &[&a, &n, &b]).await?;
    Ok(())
}

async fn upsert_tokens<'a>(
    txn: &Transaction<'_>,
    rows: impl Iterator<Item = &'a Token>,
) -> Result<(), DbFailure> {
    let (mut a, mut s, mut t) = (Vec::new(), Vec::new(), Vec::new());
    for token in rows {
        a.push(token.address.as_bytes().to_vec());
        s.push(token.symbol.clone());
        t.push(serde_json::to_string(token)?);
    }
    if a.is_empty() {
        return Ok(());
    }
    let st = txn
        .prepare_cached(
            "INSERT INTO tokens (address, symbol, token) \
             SELECT a, s, t::jsonb FROM unnest($1::bytea[], $2::text[], $3::text[]) AS u(a, s, t) \
             ON CONFLICT (address) DO UPDATE SET token = EXCLUDED.token",
        )
        .await?;
    txn.execute(&st, &[&a, &s, &t]).await?;
    Ok(())
}

async fn upsert_balances<'a>(
    txn: &Transaction<'_>,
    rows: impl Iterator<Item = (&'a (Address, Address), &'a Amount)>,
) -> Result<(), DbFailure> {
    let (mut o, mut t, mut v) = (Vec::new(), Vec::new(), Vec::new());
    for ((owner, token), amount) in rows {
        o.push(owner.as_bytes().to_vec());
        t.push(token.as_bytes().to_vec());
        v.push(amount.to_string());
    }
    if o.is_empty() {
        return Ok(());
    }
    let s = txn
        .prepare_cached(
            "INSERT INTO balances (owner, token, amount) \
             SELECT o, t, a::numeric FROM unnest($1::bytea[], $2::bytea[], $3::text[]) AS u(o, t, a) \
             ON CONFLICT (owner, token) DO UPDATE SET amount = EXCLUDED.amount",
        )
        .await?;
    txn.execute(&s, &[&o, &t, &v]).await?;
    Ok(())
}

async fn upsert_multisigs<'a>(
    txn: &Transaction<'_>,
    rows: impl Iterator<Item = (&'a Address, &'a Multisig)>,
) -> Result<(), DbFailure> {
    let (mut a, mut m) = (Vec::new(), Vec::new());
    for (address, multisig) in rows {
        a.push(address.as_bytes().to_vec());
        m.push(serde_json::to_string(multisig)?);
    }
    if a.is_empty() {
        return Ok(());
    }
    let s = txn
        .prepare_cached(
            "INSERT INTO multisigs (address, multisig) \
             SELECT a, m::jsonb FROM unnest($1::bytea[], $2::text[]) AS u(a, m) \
             ON CONFLICT (address) DO UPDATE SET multisig = EXCLUDED.multisig",
        )
        .await?;
    txn.execute(&s, &[&a, &m]).await?;
    Ok(())
}

async fn insert_transactions(
    txn: &Transaction<'_>,
    rows: Vec<([u8; 32], &TxRecord)>,
) -> Result<(), DbFailure> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut h = Vec::with_capacity(rows.len());
    let mut c = Vec::with_capacity(rows.len());
    let mut p = Vec::with_capacity(rows.len());
    let mut s = Vec::with_capacity(rows.len());
    let mut r = Vec::with_capacity(rows.len());
    for (hash, record) in rows {
        let tx = &record.transaction;
        let position = tx
            .transaction_index
            .and_then(|i| i32::try_from(i).ok())
            .ok_or_else(|| DbFailure::Other("a transaction without its place".into()))?;
        let sender = tokensign_core::Address::parse(&tx.from)
            .map_err(|_| DbFailure::Other("a transaction's sender is not an address".into()))?;
        h.push(hash.to_vec());
        c.push(to_db(tx.checkpoint_number.unwrap_or(0)));
        p.push(position);
        s.push(sender.as_bytes().to_vec());
        r.push(serde_json::to_string(record)?);
    }
    let st = txn
        .prepare_cached(
            "INSERT INTO transactions (hash, checkpoint, position, sender, record) \
             SELECT h, c, p, s, r::json \
             FROM unnest($1::bytea[], $2::int8[], $3::int4[], $4::bytea[], $5::text[]) \
             AS u(h, c, p, s, r)",
        )
        .await?;
    txn.execute(&st, &[&h, &c, &p, &s, &r]).await?;
    Ok(())
}

async fn insert_mints(txn: &Transaction<'_>, rows: &[MintRecord]) -> Result<(), DbFailure> {
    if rows.is_empty() {
        return Ok(());
    }
    let (mut a, mut t, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for mint in rows {
        a.push(mint.asset_id.clone());
        t.push(mint.token_id.clone());
        r.push(serde_json::to_string(mint)?);
    }
    let s = txn
        .prepare_cached(
            "INSERT INTO mints (asset_id, token_id, record) \
             SELECT a, t, r::json FROM unnest($1::text[], $2::text[], $3::text[]) AS u(a, t, r)",
        )
        .await?;
    txn.execute(&s, &[&a, &t, &r]).await?;
    Ok(())
}

async fn insert_checkpoints(
    txn: &Transaction<'_>,
    rows: &[crate::node::records::CheckpointRecord],
) -> Result<(), DbFailure> {
    let (mut n, mut h, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for c in rows {
        n.push(to_db(c.number));
        h.push(c.hash.to_vec());
        r.push(serde_json::to_string(c)?);
    }
    let s = txn
        .prepare_cached(
            "INSERT INTO checkpoints (number, hash, record) \
             SELECT n, h, r::json FROM unnest($1::int8[], $2::bytea[], $3::text[]) AS u(n, h, r)",
        )
        .await?;
    txn.execute(&s, &[&n, &h, &r]).await?;
    Ok(())
}
