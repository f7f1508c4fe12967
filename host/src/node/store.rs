//! The durable store (redb) and its single writer.
//!
//! Reads open their own redb read transaction in the request handler. Every
//! state change goes through one writer thread fed by a tokio `mpsc`
//! channel: it takes all pending jobs (up to [`MAX_BATCH`]), re-checks each
//! against the committed state plus the batch in progress (one redb write
//! transaction sees its own writes), commits the whole batch at once (group
//! commit), and only then answers each waiter. A job is acknowledged only
//! after the transaction that holds it is committed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use redb::{Database, Durability, ReadableTable, Table, TableDefinition};
use tokensign_core::legacy::LegacyTx;
use tokensign_core::tx::TokenIssue;
use tokensign_core::Address;
use tokio::sync::{mpsc, oneshot};

use super::error::{codes, ApiError, MintError};
use super::failure::{NodeError, StoreError};
use super::records::{MintRecord, SignatureRecord, TokenRecord, TransactionRecord};
use crate::text::show_path;

/// File name of the database inside the data directory.
pub const DB_FILE: &str = "tokensign-node.redb";

/// Most jobs committed in one write transaction.
pub const MAX_BATCH: usize = 1024;

/// Capacity of the writer's queue; senders wait when it is full.
const QUEUE: usize = 4096;

/// signer address (20 bytes) -> next nonce
const NONCES: TableDefinition<&[u8], u64> = TableDefinition::new("nonces");
/// transaction hash (32 bytes) -> [`TransactionRecord`] JSON
const TXS: TableDefinition<&[u8], &str> = TableDefinition::new("transactions");
/// token address (20 bytes) -> [`TokenRecord`] JSON
const TOKENS: TableDefinition<&[u8], &str> = TableDefinition::new("tokens");
/// symbol -> token address (20 bytes)
const SYMBOLS: TableDefinition<&str, &[u8]> = TableDefinition::new("symbols");
/// asset id (symbol) -> [`MintRecord`] JSON
const MINTS: TableDefinition<&str, &str> = TableDefinition::new("mints");
/// counters
const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
const MINT_COUNTER: &str = "mint_counter";

/// An issue request that passed every stateless check.
pub(crate) struct IssueJob {
    pub request: LegacyTx,
    pub issue: TokenIssue,
    pub signer: Address,
    pub hash: [u8; 32],
    pub token: Address,
}

/// A mint request that passed every stateless check.
pub(crate) struct MintJob {
    pub asset_id: String,
    pub amount: serde_json::Number,
    /// The amount as plain decimal text (no sign, no exponent).
    pub amount_text: String,
    pub recipient: String,
}

enum Job {
    Issue(Box<IssueJob>, oneshot::Sender<Result<(), ApiError>>),
    Mint(MintJob, oneshot::Sender<Result<MintRecord, MintError>>),
}

/// The result of one job inside a batch, sent only after the commit.
enum Outcome {
    Issue(Result<(), ApiError>),
    Mint(Result<MintRecord, MintError>),
}

/// Handle to the database and its writer. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Store {
    db: Arc<Database>,
    jobs: mpsc::Sender<Job>,
}

/// Opens (creating if needed) the database in `data_dir` and starts the
/// writer thread. Blocking. Returns the store and a receiver that fires once
/// the writer has stopped and the database file is closed (after every
/// `Store` clone is dropped).
pub(crate) fn open(
    data_dir: &Path,
    durable: bool,
) -> Result<(Store, std::sync::mpsc::Receiver<()>), NodeError> {
    std::fs::create_dir_all(data_dir).map_err(|source| NodeError::CreateDataDir {
        dir: show_path(data_dir),
        source,
    })?;
    let path: PathBuf = data_dir.join(DB_FILE);
    let db = match Database::create(&path) {
        Ok(db) => db,
        Err(redb::DatabaseError::DatabaseAlreadyOpen) => {
            return Err(NodeError::DataDirInUse {
                dir: show_path(data_dir),
                db: show_path(&path),
            })
        }
        Err(e) => {
            return Err(NodeError::OpenDatabase {
                path: show_path(&path),
                source: Box::new(e.into()),
            })
        }
    };
    // Create every table so that read transactions always find them.
    let create = || -> Result<(), StoreError> {
        let txn = db.begin_write()?;
        {
            txn.open_table(NONCES)?;
            txn.open_table(TXS)?;
            txn.open_table(TOKENS)?;
            txn.open_table(SYMBOLS)?;
            txn.open_table(MINTS)?;
            txn.open_table(META)?;
        }
        txn.commit()?;
        Ok(())
    };
    create().map_err(|source| NodeError::OpenDatabase {
        path: show_path(&path),
        source: Box::new(source),
    })?;

    let db = Arc::new(db);
    let (jobs, rx) = mpsc::channel(QUEUE);
    let (closed_tx, closed_rx) = std::sync::mpsc::channel();
    let writer_db = Arc::clone(&db);
    std::thread::Builder::new()
        .name("tokensign-writer".into())
        .spawn(move || {
            writer_loop(writer_db, rx, durable);
            // The database is closed now if no reader holds it any more;
            // readers are `Store` clones, which are gone once the channel
            // closed.
            let _ = closed_tx.send(());
        })
        .map_err(|source| NodeError::Start {
            what: "the writer thread",
            source,
        })?;
    Ok((Store { db, jobs }, closed_rx))
}

impl Store {
    /// Queues an issue and waits for its committed outcome.
    pub(crate) async fn issue(&self, job: IssueJob) -> Result<(), ApiError> {
        let (tx, rx) = oneshot::channel();
        if self.jobs.send(Job::Issue(Box::new(job), tx)).await.is_err() {
            tracing::error!("writer is gone");
            return Err(ApiError::internal());
        }
        rx.await.unwrap_or_else(|_| {
            tracing::error!("writer dropped a job");
            Err(ApiError::internal())
        })
    }

    /// Queues a mint and waits for its committed outcome.
    pub(crate) async fn mint(&self, job: MintJob) -> Result<MintRecord, MintError> {
        let (tx, rx) = oneshot::channel();
        if self.jobs.send(Job::Mint(job, tx)).await.is_err() {
            tracing::error!("writer is gone");
            return Err(MintError::internal());
        }
        rx.await.unwrap_or_else(|_| {
            tracing::error!("writer dropped a job");
            Err(MintError::internal())
        })
    }

    /// The next nonce of `address` (0 if it never sent a transaction).
    pub(crate) fn nonce(&self, address: &Address) -> Result<u64, StoreError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(NONCES)?;
        Ok(table
            .get(address.as_bytes().as_slice())?
            .map(|g| g.value())
            .unwrap_or(0))
    }

    /// The stored transaction JSON for `hash`.
    pub(crate) fn transaction(
        &self,
        hash: &[u8; 32],
    ) -> Result<Option<TransactionRecord>, StoreError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(TXS)?;
        match table.get(hash.as_slice())? {
            Some(g) => Ok(Some(serde_json::from_str(g.value())?)),
            None => Ok(None),
        }
    }

    /// The stored token metadata JSON for `token`.
    pub(crate) fn token(&self, token: &Address) -> Result<Option<TokenRecord>, StoreError> {
        let txn = self.db.begin_read()?;
        let table = txn.open_table(TOKENS)?;
        match table.get(token.as_bytes().as_slice())? {
            Some(g) => Ok(Some(serde_json::from_str(g.value())?)),
            None => Ok(None),
        }
    }
}

fn writer_loop(db: Arc<Database>, mut rx: mpsc::Receiver<Job>, durable: bool) {
    while let Some(first) = rx.blocking_recv() {
        let mut batch = Vec::with_capacity(16);
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        commit_batch(&db, batch, durable);
    }
}

struct Tables<'t> {
    nonces: Table<'t, &'static [u8], u64>,
    txs: Table<'t, &'static [u8], &'static str>,
    tokens: Table<'t, &'static [u8], &'static str>,
    symbols: Table<'t, &'static str, &'static [u8]>,
    mints: Table<'t, &'static str, &'static str>,
    meta: Table<'t, &'static str, u64>,
}

fn commit_batch(db: &Database, batch: Vec<Job>, durable: bool) {
    let size = batch.len();
    let result = (|| -> Result<Vec<Outcome>, StoreError> {
        let mut txn = db.begin_write()?;
        txn.set_durability(if durable {
            Durability::Immediate
        } else {
            Durability::None
        });
        let mut outcomes = Vec::with_capacity(batch.len());
        {
            let mut t = Tables {
                nonces: txn.open_table(NONCES)?,
                txs: txn.open_table(TXS)?,
                tokens: txn.open_table(TOKENS)?,
                symbols: txn.open_table(SYMBOLS)?,
                mints: txn.open_table(MINTS)?,
                meta: txn.open_table(META)?,
            };
            for job in &batch {
                outcomes.push(match job {
                    Job::Issue(job, _) => Outcome::Issue(apply_issue(&mut t, job)?),
                    Job::Mint(job, _) => Outcome::Mint(apply_mint(&mut t, job)?),
                });
            }
        }
        txn.commit()?;
        Ok(outcomes)
    })();
    match result {
        Ok(outcomes) => {
            tracing::debug!(jobs = size, "batch committed");
            for (job, outcome) in batch.into_iter().zip(outcomes) {
                match (job, outcome) {
                    (Job::Issue(_, reply), Outcome::Issue(r)) => {
                        let _ = reply.send(r);
                    }
                    (Job::Mint(_, reply), Outcome::Mint(r)) => {
                        let _ = reply.send(r);
                    }
                    (Job::Issue(_, reply), Outcome::Mint(_)) => {
                        let _ = reply.send(Err(ApiError::internal()));
                    }
                    (Job::Mint(_, reply), Outcome::Issue(_)) => {
                        let _ = reply.send(Err(MintError::internal()));
                    }
                }
            }
        }
        Err(e) => {
            tracing::error!(error = %e, jobs = size, "batch commit failed; nothing of it was stored");
            for job in batch {
                match job {
                    Job::Issue(_, reply) => {
                        let _ = reply.send(Err(ApiError::internal()));
                    }
                    Job::Mint(_, reply) => {
                        let _ = reply.send(Err(MintError::internal()));
                    }
                }
            }
        }
    }
}

/// `0x` + lowercase hex.
pub(crate) fn hex0x(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

/// Checks one issue against the state so far (committed + this batch) and
/// applies it. `Ok(Err(_))` is a business refusal; `Err(_)` a storage
/// failure that aborts the batch.
fn apply_issue(t: &mut Tables<'_>, job: &IssueJob) -> Result<Result<(), ApiError>, StoreError> {
    let tx = &job.request.tx;
    let p = &job.issue;
    let signer = job.signer.as_bytes().as_slice();
    let next = t.nonces.get(signer)?.map(|g| g.value()).unwrap_or(0);
    if tx.nonce != next {
        return Ok(Err(ApiError::unprocessable(
            codes::NONCE_MISMATCH,
            format!(
                "nonce {} is not the next nonce of signer {}: expected {}",
                tx.nonce, job.signer, next
            ),
        )));
    }
    let token = job.token.as_bytes().as_slice();
    if t.tokens.get(token)?.is_some() {
        return Ok(Err(ApiError::unprocessable(
            codes::TOKEN_ALREADY_EXISTS,
            format!(
                "token {} (master_authority {} and symbol {:?}) was already issued",
                job.token,
                p.master_authority,
                p.symbol.as_str()
            ),
        )));
    }
    if let Some(existing) = t.symbols.get(p.symbol.as_str())? {
        let mut other = [0u8; 20];
        if existing.value().len() == 20 {
            other.copy_from_slice(existing.value());
        }
        return Ok(Err(ApiError::unprocessable(
            codes::SYMBOL_ALREADY_EXISTS,
            format!(
                "symbol {:?} was already issued on this server as token {}; symbols are unique here",
                p.symbol.as_str(),
                Address(other)
            ),
        )));
    }
    let next_nonce = next.checked_add(1).ok_or(StoreError::Overflow("nonce"))?;
    let hash = hex0x(&job.hash);
    let sig = &job.request.signature;
    let record = TransactionRecord {
        hash: hash.clone(),
        transaction_type: "token_issue".into(),
        signer: job.signer.to_string(),
        token: job.token.to_string(),
        chain_id: tx.chain_id,
        nonce: tx.nonce,
        symbol: p.symbol.to_string(),
        name: p.name.to_string(),
        decimals: p.decimals,
        master_authority: p.master_authority.to_string(),
        is_private: p.is_private,
        clawback_enabled: p.clawback_enabled,
        signature: SignatureRecord {
            r: hex0x(&sig.r),
            s: hex0x(&sig.s),
            v: sig.v,
        },
    };
    let metadata = TokenRecord {
        token: job.token.to_string(),
        symbol: p.symbol.to_string(),
        name: p.name.to_string(),
        decimals: p.decimals,
        master_authority: p.master_authority.to_string(),
        is_private: p.is_private,
        clawback_enabled: p.clawback_enabled,
        issuer: job.signer.to_string(),
        tx_hash: hash,
    };
    let record = serde_json::to_string(&record)?;
    let metadata = serde_json::to_string(&metadata)?;
    t.txs.insert(job.hash.as_slice(), record.as_str())?;
    t.tokens.insert(token, metadata.as_str())?;
    t.symbols.insert(p.symbol.as_str(), token)?;
    t.nonces.insert(signer, next_nonce)?;
    Ok(Ok(()))
}

/// Converts a plain decimal text (`123`, `0.5`) into base units with
/// `decimals` digits of fraction. Refused if it has more fractional digits
/// than `decimals`, is not plain decimal text, or does not fit 128 bits:
/// an error naming the cause.
pub(crate) fn base_units(text: &str, decimals: u8) -> Result<u128, String> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let frac = frac.trim_end_matches('0');
    if frac.len() > usize::from(decimals) {
        return Err(format!(
            "amount {text} has {} fractional digits but the asset has {decimals} decimals",
            frac.len()
        ));
    }
    let digits = format!("{int}{frac:0<width$}", width = usize::from(decimals));
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("amount {text} is not a plain decimal number"));
    }
    digits
        .parse::<u128>()
        .map_err(|_| format!("amount {text} is too large for the asset's base units"))
}

fn apply_mint(
    t: &mut Tables<'_>,
    job: &MintJob,
) -> Result<Result<MintRecord, MintError>, StoreError> {
    let token = match t.symbols.get(job.asset_id.as_str())? {
        Some(g) if g.value().len() == 20 => {
            let mut a = [0u8; 20];
            a.copy_from_slice(g.value());
            Address(a)
        }
        Some(_) => {
            return Err(StoreError::Corrupt(
                "a symbol entry is not a 20-byte address",
            ))
        }
        None => {
            return Ok(Err(MintError::asset_not_found(format!(
                "no token with symbol {:?} was issued on this server",
                job.asset_id
            ))))
        }
    };
    let metadata: TokenRecord = match t.tokens.get(token.as_bytes().as_slice())? {
        Some(g) => serde_json::from_str(g.value())?,
        None => return Err(StoreError::Corrupt("a symbol has no token")),
    };
    let units = match base_units(&job.amount_text, metadata.decimals) {
        Ok(0) => {
            return Ok(Err(MintError::invalid_input(
                "amount must be greater than zero",
            )))
        }
        Ok(u) => u,
        Err(detail) => return Ok(Err(MintError::invalid_input(detail))),
    };
    if let Some(existing) = t.mints.get(job.asset_id.as_str())? {
        let existing: MintRecord = serde_json::from_str(existing.value())?;
        return Ok(Err(MintError::duplicate(format!(
            "asset {:?} was already minted as {}; one mint per asset",
            job.asset_id, existing.token_id
        ))));
    }
    let n = t
        .meta
        .get(MINT_COUNTER)?
        .map(|g| g.value())
        .unwrap_or(0)
        .checked_add(1)
        .ok_or(StoreError::Overflow("mint counter"))?;
    let record = MintRecord {
        token_id: format!("TOKEN-{n}"),
        asset_id: job.asset_id.clone(),
        token: token.to_string(),
        amount: job.amount.clone(),
        base_units: units.to_string(),
        assigned_to: job.recipient.clone(),
    };
    let text = serde_json::to_string(&record)?;
    t.mints.insert(job.asset_id.as_str(), text.as_str())?;
    t.meta.insert(MINT_COUNTER, n)?;
    Ok(Ok(record))
}

#[cfg(test)]
mod tests {
    use super::base_units;

    #[test]
    fn base_units_rules() {
        assert_eq!(base_units("100", 0), Ok(100));
        assert_eq!(base_units("100", 2), Ok(10000));
        assert_eq!(base_units("0.5", 1), Ok(5));
        assert_eq!(base_units("1.50", 1), Ok(15));
        assert!(base_units("0.05", 1).is_err());
        assert!(base_units("1e5", 0).is_err());
        assert!(base_units(&"9".repeat(40), 0).is_err());
    }
}
