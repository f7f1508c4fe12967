//! Reads: a [`PgRead`] is one `REPEATABLE READ READ ONLY` transaction on
//! a pooled connection, begun with its first query (in the same round
//! trip) and rolled back when it is dropped, so every read through it sees
//! one snapshot. The row decoding here is shared with the writer's bulk
//! fetches.

use std::cell::RefCell;

use deadpool_postgres::{Object, Pool};
use tokensign_core::{Address, Amount};
use tokio_postgres::Row;

use super::{bounded, from_db, DbFailure, PgStorage, STATE_TIMEOUT, STEP_TIMEOUT};
use crate::node::failure::StoreError;
use crate::node::ledger::{Account, Backing, MemoryLedger, Multisig, Token};
use crate::node::records::{CheckpointRecord, MintRecord, TxRecord};
use crate::node::storage::{StateRead, WriteRead};

/// A pooled connection inside an open read transaction. If it is dropped
/// while still here (a query timed out, the caller went away), the
/// connection is closed rather than returned to the pool with the
/// transaction open.
struct InTxn(Option<Object>);

impl Drop for InTxn {
    fn drop(&mut self) {
        if let Some(client) = self.0.take() {
            drop(Object::take(client));
        }
    }
}

/// One snapshot of the database.
pub struct PgRead<'a> {
    storage: &'a PgStorage,
    /// The connection and its transaction, once the first query began it.
    conn: RefCell<Option<Object>>,
}

impl<'a> PgRead<'a> {
    pub(super) fn new(storage: &'a PgStorage) -> Self {
        PgRead {
            storage,
            conn: RefCell::new(None),
        }
    }

    /// The rows of `sql` with `params`, in this snapshot.
    fn rows<P: Params>(&self, sql: &'static str, params: P) -> Result<Vec<Row>, StoreError> {
        self.rows_within(STEP_TIMEOUT, sql, params)
    }

    /// The rows of `sql` with `params`, in this snapshot, within `limit`.
    pub(crate) fn rows_within<P: Params>(
        &self,
        limit: std::time::Duration,
        sql: &'static str,
        params: P,
    ) -> Result<Vec<Row>, StoreError> {
        let held = self.conn.borrow_mut().take();
        let pool: Pool = self.storage.pool.clone();
        let (client, result) = self.storage.block(async move {
            let mut guard = InTxn(held);
            let result = bounded(limit, async {
                if guard.0.is_none() {
                    guard.0 = Some(pool.get().await?);
                    if let Some(client) = &guard.0 {
                        client
                            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                            .await?;
                    }
                }
                let client = guard
                    .0
                    .as_ref()
                    .ok_or_else(|| DbFailure::Other("no connection".into()))?;
                let statement = client.prepare_cached(sql).await?;
                Ok(client.query(&statement, &params.refs()).await?)
            })
            .await;
            // After a failure the transaction is aborted or the connection
            // broken: the guard closes it, the next query opens another.
            let client = if result.is_ok() { guard.0.take() } else { None };
            Ok((client, result))
        })?;
        *self.conn.borrow_mut() = client;
        result.map_err(DbFailure::into_store)
    }
}

impl Drop for PgRead<'_> {
    fn drop(&mut self) {
        if let Some(client) = self.conn.get_mut().take() {
            if let Ok(handle) = self.storage.handle() {
                handle.spawn(async move {
                    if bounded(STEP_TIMEOUT, async {
                        client
                            .batch_execute("ROLLBACK")
                            .await
                            .map_err(DbFailure::from)
                    })
                    .await
                    .is_err()
                    {
                        drop(Object::take(client));
                    }
                });
            }
        }
    }
}

/// Owned query parameters that can travel to the backend's runtime.
pub(crate) trait Params: Send + Sync + 'static {
    fn refs(&self) -> Vec<&(dyn tokio_postgres::types::ToSql + Sync)>;
}

impl Params for () {
    fn refs(&self) -> Vec<&(dyn tokio_postgres::types::ToSql + Sync)> {
        Vec::new()
    }
}

impl<A: tokio_postgres::types::ToSql + Sync + Send + 'static> Params for (A,) {
    fn refs(&self) -> Vec<&(dyn tokio_postgres::types::ToSql + Sync)> {
        vec![&self.0]
    }
}

impl<A, B> Params for (A, B)
where
    A: tokio_postgres::types::ToSql + Sync + Send + 'static,
    B: tokio_postgres::types::ToSql + Sync + Send + 'static,
{
    fn refs(&self) -> Vec<&(dyn tokio_postgres::types::ToSql + Sync)> {
        vec![&self.0, &self.1]
    }
}

// Row decoding, shared with the writer's fetches.

pub(crate) fn address(bytes: &[u8]) -> Result<Address, StoreError> {
    let arr: [u8; 20] = bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("a stored address is not 20 bytes"))?;
    Ok(Address(arr))
}

pub(crate) fn hash32(bytes: &[u8]) -> Result<[u8; 32], StoreError> {
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt("a stored hash is not 32 bytes"))
}

pub(crate) fn amount(text: &str) -> Result<Amount, StoreError> {
    Amount::parse(text).map_err(|_| StoreError::Corrupt("a stored amount is not 0..2^256-1"))
}

/// `(address, nonce, bbnonce)`.
pub(crate) fn account_row(row: &Row) -> Result<(Address, Account), StoreError> {
    Ok((
        address(row.try_get(0).map_err(decode)?)?,
        Account {
            nonce: from_db(row.try_get(1).map_err(decode)?),
            bbnonce: from_db(row.try_get(2).map_err(decode)?),
        },
    ))
}

/// `(owner, token, amount::text)`.
pub(crate) fn balance_row(row: &Row) -> Result<((Address, Address), Amount), StoreError> {
    Ok((
        (
            address(row.try_get(0).map_err(decode)?)?,
            address(row.try_get(1).map_err(decode)?)?,
        ),
        amount(row.try_get(2).map_err(decode)?)?,
    ))
}

/// `(key, json::text)`.
pub(crate) fn json_row<T: serde::de::DeserializeOwned>(
    row: &Row,
    at: usize,
) -> Result<T, StoreError> {
    let text: &str = row.try_get(at).map_err(decode)?;
    Ok(serde_json::from_str(text)?)
}

pub(crate) fn decode(e: tokio_postgres::Error) -> StoreError {
    StoreError::Backend(format!("PostgreSQL row: {e}").into())
}

fn first<T>(
    rows: Vec<Row>,
    f: impl FnOnce(&Row) -> Result<T, StoreError>,
) -> Result<Option<T>, StoreError> {
    match rows.first() {
        Some(row) => Ok(Some(f(row)?)),
        None => Ok(None),
    }
}

impl Backing for PgRead<'_> {
    fn account(&self, a: &Address) -> Result<Account, StoreError> {
        let rows = self.rows(
            "SELECT address, nonce, bbnonce FROM accounts WHERE address = $1",
            (a.as_bytes().to_vec(),),
        )?;
        Ok(first(rows, account_row)?
            .map(|(_, acc)| acc)
            .unwrap_or_default())
    }
    fn token(&self, a: &Address) -> Result<Option<Token>, StoreError> {
        let rows = self.rows(
            "SELECT token::text FROM tokens WHERE address = $1",
            (a.as_bytes().to_vec(),),
        )?;
        first(rows, |r| json_row(r, 0))
    }
    fn token_by_symbol(&self, symbol: &str) -> Result<Option<Address>, StoreError> {
        let rows = self.rows(
            "SELECT address FROM tokens WHERE symbol = $1",
            (symbol.to_owned(),),
        )?;
        first(rows, |r| address(r.try_get(0).map_err(decode)?))
    }
    fn balance(&self, owner: &Address, token: &Address) -> Result<Amount, StoreError> {
        let rows = self.rows(
            "SELECT owner, token, amount::text FROM balances WHERE owner = $1 AND token = $2",
            (owner.as_bytes().to_vec(), token.as_bytes().to_vec()),
        )?;
        Ok(first(rows, balance_row)?
            .map(|(_, b)| b)
            .unwrap_or_default())
    }
    fn multisig(&self, a: &Address) -> Result<Option<Multisig>, StoreError> {
        let rows = self.rows(
            "SELECT multisig::text FROM multisigs WHERE address = $1",
            (a.as_bytes().to_vec(),),
        )?;
        first(rows, |r| json_row(r, 0))
    }
}

impl WriteRead for PgRead<'_> {
    fn has_transaction(&self, hash: &[u8; 32]) -> Result<bool, StoreError> {
        let rows = self.rows(
            "SELECT 1 FROM transactions WHERE hash = $1",
            (hash.to_vec(),),
        )?;
        Ok(!rows.is_empty())
    }
    fn mint(&self, asset_id: &str) -> Result<Option<MintRecord>, StoreError> {
        let rows = self.rows(
            "SELECT record::text FROM mints WHERE asset_id = $1",
            (asset_id.to_owned(),),
        )?;
        first(rows, |r| json_row(r, 0))
    }
    fn mint_count(&self) -> Result<u64, StoreError> {
        let rows = self.rows("SELECT mint_count FROM head", ())?;
        Ok(first(rows, |r| Ok(from_db(r.try_get(0).map_err(decode)?)))?.unwrap_or(0))
    }
}

impl StateRead for PgRead<'_> {
    fn transaction(&self, hash: &[u8; 32]) -> Result<Option<TxRecord>, StoreError> {
        let rows = self.rows(
            "SELECT record::text FROM transactions WHERE hash = $1",
            (hash.to_vec(),),
        )?;
        first(rows, |r| json_row(r, 0))
    }
    fn last_checkpoint(&self) -> Result<u64, StoreError> {
        let rows = self.rows("SELECT checkpoint FROM head", ())?;
        Ok(first(rows, |r| Ok(from_db(r.try_get(0).map_err(decode)?)))?.unwrap_or(0))
    }
    fn checkpoint(&self, number: u64) -> Result<Option<CheckpointRecord>, StoreError> {
        let rows = self.rows(
            "SELECT record::text FROM checkpoints WHERE number = $1",
            (super::to_db(number),),
        )?;
        first(rows, |r| json_row(r, 0))
    }
    fn checkpoint_number(&self, hash: &[u8; 32]) -> Result<Option<u64>, StoreError> {
        let rows = self.rows(
            "SELECT number FROM checkpoints WHERE hash = $1",
            (hash.to_vec(),),
        )?;
        first(rows, |r| Ok(from_db(r.try_get(0).map_err(decode)?)))
    }
    fn ledger(&self) -> Result<MemoryLedger, StoreError> {
        let mut out = MemoryLedger::default();
        let all = |sql| self.rows_within(STATE_TIMEOUT, sql, ());
        for row in all("SELECT address, nonce, bbnonce FROM accounts")? {
            let (a, acc) = account_row(&row)?;
            out.accounts.insert(a, acc);
        }
        for row in all("SELECT address, token::text FROM tokens")? {
            out.tokens.insert(
                address(row.try_get(0).map_err(decode)?)?,
                json_row(&row, 1)?,
            );
        }
        for row in all("SELECT owner, token, amount::text FROM balances")? {
            let (key, b) = balance_row(&row)?;
            out.balances.insert(key, b);
        }
        for row in all("SELECT address, multisig::text FROM multisigs")? {
            out.multisigs.insert(
                address(row.try_get(0).map_err(decode)?)?,
                json_row(&row, 1)?,
            );
        }
        Ok(out)
    }
    fn transactions(&self) -> Result<Vec<TxRecord>, StoreError> {
        self.rows_within(
            STATE_TIMEOUT,
            "SELECT record::text FROM transactions ORDER BY checkpoint, position",
            (),
        )?
        .iter()
        .map(|r| json_row(r, 0))
        .collect()
    }
    fn checkpoints(&self) -> Result<Vec<CheckpointRecord>, StoreError> {
        self.rows_within(
            STATE_TIMEOUT,
            "SELECT record::text FROM checkpoints ORDER BY number",
            (),
        )?
        .iter()
        .map(|r| json_row(r, 0))
        .collect()
    }
    fn mints(&self) -> Result<Vec<MintRecord>, StoreError> {
        let mut out: Vec<MintRecord> = self
            .rows_within(STATE_TIMEOUT, "SELECT record::text FROM mints", ())?
            .iter()
            .map(|r| json_row(r, 0))
            .collect::<Result<_, _>>()?;
        out.sort_by_key(|m| crate::node::storage::redb_store::mint_number(&m.token_id));
        Ok(out)
    }
}
