//! The node's own failures (as opposed to its refusals of requests, which
//! are [`super::ApiError`]s): starting, storage, serving.

use std::net::SocketAddr;

/// A storage failure: the backend failed, a record does not parse, or a
/// counter reached its end. Logged; the client gets a 500
/// `INTERNAL_ERROR`. Backend-neutral, so that the ledger and the writer
/// do not depend on one database (the redb backend converts its errors in
/// `storage/redb_store.rs`).
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
                | NodeError::CreateDataDir { .. }
                | NodeError::Bind { .. }
        )
    }
}
