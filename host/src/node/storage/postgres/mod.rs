//! The PostgreSQL backend: every table of the node in one database that
//! any number of node processes share.
//!
//! - **Schema**: versioned migrations ([`schema`], refinery) run at open
//!   under an advisory lock; a database migrated by a newer tokensign is
//!   refused by name ([`NodeError::DatabaseTooNew`]).
//! - **Writes** ([`write`]): one SQL transaction per batch. It first locks
//!   the checkpoint head row (`SELECT … FOR UPDATE`), so the writes of all
//!   processes apply one at a time in the database's order; then it reads
//!   what the ledger's rules ask (in bulk: the builder runs against what
//!   was fetched and says what it missed), writes everything in bulk, and
//!   commits. A nonce is therefore checked and consumed under the same
//!   lock in every process, and a checkpoint gets its number from the
//!   locked head. Conflicts, serialization failures and lost connections
//!   before the commit are retried a bounded number of times.
//! - **Reads** ([`read`]): one `REPEATABLE READ READ ONLY` transaction per
//!   [`StateRead`], opened with its first query. What one process
//!   acknowledged (after its commit) every process reads at once.
//! - **Failures**: every database step is bounded in time; an unreachable
//!   database is [`StoreError::Unavailable`] (503 `DATABASE_UNAVAILABLE`),
//!   and the pool replaces broken connections, so the node recovers when
//!   the database is back.
//! - **Notifications** ([`notify`]): a write that closes a checkpoint
//!   `NOTIFY`s it in its transaction; each process listens on a connection
//!   of its own (reconnected whenever lost) and wakes its live stream.
//!
//! The client is tokio-postgres with a deadpool pool, on a small runtime
//! of its own (two threads, `tokensign-pg`): the [`Storage`] trait is
//! synchronous, and a runtime that belongs to the backend can serve it
//! from any caller (the writer thread, an async handler, a test).

mod bulk;
mod fetch;
pub mod notify;
pub mod password;
pub mod read;
pub mod schema;
pub mod write;

use std::fmt;
use std::future::Future;
use std::str::FromStr;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::error::SqlState;
use tokio_postgres::NoTls;
use zeroize::Zeroizing;

use super::{Build, Contents, StateRead, Storage};
use crate::node::failure::{NodeError, StoreError};

/// Connections each node process keeps at most.
pub const POOL_SIZE: usize = 16;
/// How long a connection attempt may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one database step (a query, a batch's write, a commit) may
/// take before the request gets a 503: never a hang.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a whole-state step (a dump's read, a load) may take.
pub const STATE_TIMEOUT: Duration = Duration::from_secs(600);
/// Attempts of one write when it meets a conflict or a lost connection
/// before its commit.
pub const WRITE_ATTEMPTS: u32 = 4;

/// A `postgres://` URL (or `key=value` connection string). Its password
/// is a secret: it is zeroized on drop and never shown (`Debug` and
/// `Display` show the URL without it). A URL without one connects with
/// the password of `$PGPASSWORD` or the password file, as libpq does
/// (`storage/postgres/password.rs`).
#[derive(Clone)]
pub struct DatabaseUrl(Zeroizing<String>);

impl DatabaseUrl {
    /// Checks that `text` parses as a connection string.
    pub fn parse(text: &str) -> Result<DatabaseUrl, NodeError> {
        let url = DatabaseUrl(Zeroizing::new(text.to_owned()));
        url.parsed()?;
        Ok(url)
    }

    /// Whether `text` holds a password (also when it does not parse as a
    /// whole: a command line that carries one is refused either way).
    pub fn holds_password(text: &str) -> bool {
        if let Ok(config) = tokio_postgres::Config::from_str(text) {
            return config.get_password().is_some();
        }
        if text.contains("password") {
            return true;
        }
        let Some((_, rest)) = text.split_once("://") else {
            return false;
        };
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        authority
            .rsplit_once('@')
            .is_some_and(|(user_info, _)| user_info.contains(':'))
    }

    /// The connection string as parsed, without a password it lacks.
    fn parsed(&self) -> Result<tokio_postgres::Config, NodeError> {
        tokio_postgres::Config::from_str(&self.0).map_err(|e| NodeError::DatabaseUrl {
            url: self.to_string(),
            reason: e.to_string(),
        })
    }

    /// What connects: the parsed string, with the password of
    /// `$PGPASSWORD` or the password file when it holds none.
    fn config(&self) -> Result<tokio_postgres::Config, NodeError> {
        let mut config = self.parsed()?;
        if config.get_password().is_none() {
            if let Some(user) = config.get_user() {
                let host = match config.get_hosts().first() {
                    Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
                    _ => "localhost".to_owned(),
                };
                let port = config.get_ports().first().copied().unwrap_or(5432);
                let target = password::Target {
                    host: &host,
                    port,
                    database: config.get_dbname().unwrap_or(user),
                    user,
                };
                if let Some(found) = password::find(&target) {
                    config.password(found.as_bytes());
                }
            }
        }
        Ok(config)
    }

    /// What a node's client connects with: [`DatabaseUrl::config`], a
    /// bounded connection attempt, and `application` as the name the
    /// database shows for the connection.
    fn client_config(&self, application: &str) -> Result<tokio_postgres::Config, NodeError> {
        let mut config = self.config()?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        config.application_name(application);
        Ok(config)
    }
}

impl fmt::Display for DatabaseUrl {
    /// `postgres://user@host:port/dbname`, never the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Ok(config) = tokio_postgres::Config::from_str(&self.0) else {
            return f.write_str("postgres://(unparsable URL)");
        };
        let user = config.get_user().unwrap_or("");
        let host = match config.get_hosts().first() {
            Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
            #[cfg(unix)]
            Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
            None => String::new(),
        };
        let port = config
            .get_ports()
            .first()
            .map(|p| format!(":{p}"))
            .unwrap_or_default();
        let db = config.get_dbname().unwrap_or("");
        write!(f, "postgres://{user}@{host}{port}/{db}")
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// The node's state in a PostgreSQL database.
pub struct PgStorage {
    pool: Pool,
    url: DatabaseUrl,
    runtime: Option<tokio::runtime::Runtime>,
}

/// Opens the database at `url`: connects, migrates it to this version's
/// schema (refusing a newer one), writes genesis into an empty one, and
/// starts the pool. `durable: false` commits with `synchronous_commit =
/// off` (benchmarks only: a database crash may lose the latest
/// acknowledged commits). Bounded in time: an unreachable database is
/// [`NodeError::DatabaseUnavailable`].
pub async fn open(url: &DatabaseUrl, durable: bool) -> Result<PgStorage, NodeError> {
    let mut config = url.client_config("tokensign-node")?;
    if !durable {
        config.options("-c synchronous_commit=off");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("tokensign-pg")
        .enable_all()
        .build()
        .map_err(|source| NodeError::Start {
            what: "the PostgreSQL client's runtime",
            source,
        })?;
    let shown = url.to_string();
    let prepare = {
        let config = config.clone();
        let shown = shown.clone();
        async move { schema::prepare(&config, &shown).await }
    };
    let prepared = runtime.spawn(prepare).await;
    let storage_runtime = runtime;
    match prepared {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            storage_runtime.shutdown_background();
            return Err(e);
        }
        Err(_) => {
            storage_runtime.shutdown_background();
            return Err(NodeError::Aborted("the database set-up task failed"));
        }
    }
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let pool = {
        let _guard = storage_runtime.enter();
        Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(CONNECT_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .recycle_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| NodeError::DatabaseUnavailable {
                url: shown.clone(),
                reason: e.to_string(),
            })?
    };
    Ok(PgStorage {
        pool,
        url: url.clone(),
        runtime: Some(storage_runtime),
    })
}

impl PgStorage {
    fn handle(&self) -> Result<&tokio::runtime::Handle, StoreError> {
        self.runtime
            .as_ref()
            .map(|r| r.handle())
            .ok_or_else(|| StoreError::Unavailable("the PostgreSQL client has stopped".into()))
    }

    /// Runs `fut` on the backend's runtime and waits for it, from any
    /// thread: a plain thread drives it in place; an async caller waits
    /// for it (on a multi-threaded runtime through `block_in_place`, so
    /// that the caller's other tasks move on).
    fn block<F, T>(&self, fut: F) -> Result<T, StoreError>
    where
        F: Future<Output = Result<T, StoreError>> + Send + 'static,
        T: Send + 'static,
    {
        let handle = self.handle()?;
        match tokio::runtime::Handle::try_current() {
            Err(_) => handle.block_on(fut),
            Ok(current) => {
                let (tx, rx) = std::sync::mpsc::sync_channel(1);
                handle.spawn(async move {
                    let _ = tx.send(fut.await);
                });
                let wait = move || {
                    rx.recv().unwrap_or_else(|_| {
                        Err(StoreError::Unavailable(
                            "the PostgreSQL client stopped during a query".into(),
                        ))
                    })
                };
                match current.runtime_flavor() {
                    tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(wait),
                    _ => wait(),
                }
            }
        }
    }

    /// Starts listening for the checkpoints every process commits to the
    /// database ([`notify`]): `heard` is called for each. The listener
    /// runs on the backend's runtime, so it ends when the store is
    /// dropped (the node stops). Never fails: a lost database is retried.
    pub fn listen(&self, heard: impl Fn(notify::Heard) + Send + Sync + 'static) {
        if let Ok(handle) = self.handle() {
            handle.spawn(notify::listen(self.url.clone(), heard));
        }
    }
}

impl Drop for PgStorage {
    fn drop(&mut self) {
        // Non-blocking, so that the last handle may go in an async context.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Why the PostgreSQL store takes no snapshot (the writer refuses first).
const NO_SNAPSHOTS: &str = "the PostgreSQL store keeps no snapshots (several processes share its \
                            state): snapshots and revert need the embedded store";

impl Storage for PgStorage {
    fn read(&self) -> Result<Box<dyn StateRead + '_>, StoreError> {
        Ok(Box::new(read::PgRead::new(self)))
    }

    fn write(&self, build: &mut Build<'_>) -> Result<Option<u64>, StoreError> {
        write::write(self, build)
    }

    fn holds_unplaced(&self) -> bool {
        false
    }

    fn keeps_snapshots(&self) -> bool {
        false
    }

    fn snapshot(&self) -> Result<u64, StoreError> {
        Err(StoreError::Backend(NO_SNAPSHOTS.into()))
    }

    fn revert(&self, _id: u64) -> Result<bool, StoreError> {
        Err(StoreError::Backend(NO_SNAPSHOTS.into()))
    }

    fn replace(&self, contents: &Contents) -> Result<(), StoreError> {
        write::replace(self, contents)
    }
}

/// A client error as a message: the server's own words for an error it
/// sent (`db error` alone says nothing), else the error and its cause.
pub(crate) fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => match std::error::Error::source(e) {
            Some(cause) if !e.to_string().contains(&cause.to_string()) => format!("{e}: {cause}"),
            _ => e.to_string(),
        },
    }
}

/// What went wrong in one database step.
pub(crate) enum DbFailure {
    /// A conflict the database resolved by aborting us (serialization
    /// failure, deadlock, lock timeout): nothing was written; retry.
    Conflict(String),
    /// The database could not be reached or dropped the connection.
    Unreachable(String),
    /// Anything else (a bug, a constraint, a corrupt row).
    Other(String),
}

impl DbFailure {
    fn of(e: &tokio_postgres::Error) -> DbFailure {
        let detail = describe(e);
        match e.code() {
            Some(code)
                if *code == SqlState::T_R_SERIALIZATION_FAILURE
                    || *code == SqlState::T_R_DEADLOCK_DETECTED
                    || *code == SqlState::LOCK_NOT_AVAILABLE =>
            {
                DbFailure::Conflict(detail)
            }
            Some(code)
                if code.code().starts_with("08")
                    || *code == SqlState::ADMIN_SHUTDOWN
                    || *code == SqlState::CRASH_SHUTDOWN
                    || *code == SqlState::CANNOT_CONNECT_NOW
                    || *code == SqlState::TOO_MANY_CONNECTIONS =>
            {
                DbFailure::Unreachable(detail)
            }
            Some(_) => DbFailure::Other(detail),
            // No SQLSTATE: the connection itself failed (closed, I/O).
            None => DbFailure::Unreachable(detail),
        }
    }

    fn into_store(self) -> StoreError {
        match self {
            DbFailure::Conflict(m) | DbFailure::Other(m) => {
                StoreError::Backend(format!("PostgreSQL: {m}").into())
            }
            DbFailure::Unreachable(m) => StoreError::Unavailable(m),
        }
    }
}

impl From<tokio_postgres::Error> for DbFailure {
    fn from(e: tokio_postgres::Error) -> Self {
        DbFailure::of(&e)
    }
}

impl From<deadpool_postgres::PoolError> for DbFailure {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        match e {
            deadpool_postgres::PoolError::Backend(e) => DbFailure::of(&e),
            other => DbFailure::Unreachable(format!("no database connection: {other}")),
        }
    }
}

impl From<StoreError> for DbFailure {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(m) => DbFailure::Unreachable(m),
            other => DbFailure::Other(other.to_string()),
        }
    }
}

impl From<serde_json::Error> for DbFailure {
    fn from(e: serde_json::Error) -> Self {
        DbFailure::Other(format!("stored record: {e}"))
    }
}

/// `fut`, bounded by `limit`: past it the database counts as unreachable.
pub(crate) async fn bounded<T>(
    limit: Duration,
    fut: impl Future<Output = Result<T, DbFailure>>,
) -> Result<T, DbFailure> {
    match tokio::time::timeout(limit, fut).await {
        Ok(result) => result,
        Err(_) => Err(DbFailure::Unreachable(format!(
            "no answer within {} s",
            limit.as_secs()
        ))),
    }
}

/// A stored u64 (bigint holds the same 64 bits).
pub(crate) fn to_db(n: u64) -> i64 {
    i64::from_ne_bytes(n.to_ne_bytes())
}

/// A u64 read back from a bigint.
pub(crate) fn from_db(n: i64) -> u64 {
    u64::from_ne_bytes(n.to_ne_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_shows_without_its_password() {
        let url = DatabaseUrl::parse("postgres://alice:s3cret@db.example:6543/ledger").unwrap();
        assert_eq!(url.to_string(), "postgres://alice@db.example:6543/ledger");
        assert!(!format!("{url:?}").contains("s3cret"));
        match DatabaseUrl::parse("postgres://alice:s3cret@db.example:notaport/x") {
            Err(NodeError::DatabaseUrl { url, .. }) => assert!(!url.contains("s3cret")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_password_is_seen_in_every_form() {
        for text in [
            "postgres://alice:s3cret@db.example:6543/ledger",
            "postgresql://alice:s3cret@db.example/ledger?sslmode=disable",
            "postgres://alice:s3cret@db.example:notaport/x",
            "postgres://db.example/ledger?password=s3cret",
            "host=db.example user=alice password=s3cret",
            "host=db.example port=notaport password=s3cret",
        ] {
            assert!(DatabaseUrl::holds_password(text), "{text}");
        }
        for text in [
            "postgres://alice@db.example:6543/ledger",
            "postgres://db.example/ledger?user=alice",
            "host=db.example user=alice dbname=ledger",
            "postgres://alice@db.example/a:b",
        ] {
            assert!(!DatabaseUrl::holds_password(text), "{text}");
        }
    }

    #[test]
    fn u64_values_survive_a_bigint() {
        for n in [0, 1, i64::MAX as u64, i64::MAX as u64 + 1, u64::MAX] {
            assert_eq!(from_db(to_db(n)), n);
        }
    }
}
