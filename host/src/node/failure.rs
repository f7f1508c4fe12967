//! The node's own failures (as opposed to its refusals of requests, which
//! are [`super::ApiError`]s): starting, storage, serving.

use std::net::SocketAddr;

/// A storage failure: the backend failed, a record does not parse, or a
/// counter reached its end. Logged; the client gets a 500
/// `INTERNAL_ERROR`. Backend-neutral, so that the ledger and the writer
/// do not depend on one database (the redb backend converts its errors in
/// `storage/redb_store/`).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The storage backend failed (boxed: redb's error is large, and this
    /// one travels through every read's `Result`).
    #[error("storage: {0}")]
    Backend(Box<dyn std::error::Error + Send + Sync>),
    /// A stored record does not parse or serialize.
    #[error("stored record: {0}")]
    Record(#[from] serde_json::Error),
    /// The stored state contradicts itself.
    #[error("corrupt store: {0}")]
    Corrupt(&'static str),
    /// A counter reached its end.
    #[error("{0} overflow")]
    Overflow(&'static str),
    /// The database cannot be reached (down, refusing connections, not
    /// answering in time), or it did not confirm a commit. The client gets
    /// a 503 `DATABASE_UNAVAILABLE`; the node recovers by itself when the
    /// database is back.
    #[error("database unavailable: {0}")]
    Unavailable(String),
}

impl StoreError {
    /// Whether the database could not be reached (a 503, not a 500).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }
}

/// Why the node could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// Another process holds the data directory.
    #[error(
        "data directory {dir} is in use by another tokensign node (the database {db} is \
         locked): stop that node, or use another data directory"
    )]
    DataDirInUse {
        /// The directory, shown.
        dir: String,
        /// The database file, shown.
        db: String,
    },
    /// The data directory's database was written in another storage
    /// format than this build's (an older tokensign, most likely).
    #[error(
        "the database {db} is in {}, and this tokensign reads only format {expected}: start \
         the node with a fresh --data-dir (or move this file away); to keep its state, dump \
         it with the tokensign that wrote it (tokensign node --dump-state FILE) and start \
         this one on a fresh --data-dir with --load-state FILE",
        match found {
            Some(n) => format!("storage format {n}"),
            None => "an older storage format".to_owned(),
        }
    )]
    StoreFormat {
        /// The database file, shown.
        db: String,
        /// Its format number (none: a format from before the numbers).
        found: Option<u64>,
        /// This build's format.
        expected: u64,
    },
    /// The data directory cannot be created.
    #[error("cannot create the data directory {dir}: {source}")]
    CreateDataDir {
        /// The directory, shown.
        dir: String,
        /// Why.
        source: std::io::Error,
    },
    /// The database cannot be opened or set up.
    #[error("cannot open the database {path}: {source}")]
    OpenDatabase {
        /// The file, shown.
        path: String,
        /// Why.
        source: Box<StoreError>,
    },
    /// The `--database` URL does not parse.
    #[error(
        "invalid database URL {url}: {reason}; give postgres://USER[:PASSWORD]@HOST[:PORT]/DBNAME"
    )]
    DatabaseUrl {
        /// The URL, without its password.
        url: String,
        /// Why.
        reason: String,
    },
    /// The database cannot be reached (down, refusing, too slow).
    #[error(
        "cannot reach the database {url}: {reason}; check that PostgreSQL is running and the \
         URL, user and password are right"
    )]
    DatabaseUnavailable {
        /// The URL, without its password.
        url: String,
        /// Why.
        reason: String,
    },
    /// The database was migrated by a newer tokensign.
    #[error(
        "the database {url} has schema version {found}, newer than this tokensign's {supported}: \
         upgrade tokensign, or use another database"
    )]
    DatabaseTooNew {
        /// The URL, without its password.
        url: String,
        /// The database's schema version.
        found: i64,
        /// The newest version this build knows.
        supported: u32,
    },
    /// The database's schema could not be set up or migrated.
    #[error("cannot set up the database {url}: {reason}")]
    DatabaseSetup {
        /// The URL, without its password.
        url: String,
        /// Why.
        reason: String,
    },
    /// A state file could not be loaded or written.
    #[error("{0}")]
    State(#[from] crate::node::storage::state::StateError),
    /// The listen address cannot be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// A thread or runtime could not be started.
    #[error("cannot start {what}: {source}")]
    Start {
        /// What.
        what: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// The server stopped with an I/O error.
    #[error("server failed: {0}")]
    Serve(std::io::Error),
    /// A task or thread of the node ended abnormally.
    #[error("{0}")]
    Aborted(&'static str),
}

impl NodeError {
    /// Whether the error is about what was asked (a busy data directory or
    /// port, a directory that cannot be created), not about the node.
    pub fn is_bad_setup(&self) -> bool {
        matches!(
            self,
            NodeError::DataDirInUse { .. }
                | NodeError::StoreFormat { .. }
                | NodeError::CreateDataDir { .. }
                | NodeError::Bind { .. }
                | NodeError::DatabaseUrl { .. }
                | NodeError::DatabaseUnavailable { .. }
                | NodeError::DatabaseTooNew { .. }
                | NodeError::State(_)
        )
    }
}
