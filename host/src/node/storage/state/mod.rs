//! The state document: a node's whole state as one versioned JSON file
//! (`docs/server.md`, "State files"), dumped from and loaded into any
//! backend through the [`Storage`] trait, so a sandbox moves between redb
//! and PostgreSQL.
//!
//! - [`document`]: the format (version [`VERSION`]) and its conversion
//!   from and to [`super::Contents`];
//! - [`check`]: every ledger invariant a load checks before it changes
//!   anything;
//! - [`file`]: reading with named refusals (truncated, not JSON, another
//!   format or version) and writing atomically (a temporary file,
//!   fsynced, renamed over the old one).

pub mod check;
pub mod document;
pub mod file;

use std::path::{Path, PathBuf};

pub use document::{StateDocument, FORMAT, VERSION};

use super::Storage;
use crate::node::failure::StoreError;

/// Why a state could not be loaded or dumped. Each names the file and
/// says what to do; a refused load changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The file cannot be read.
    #[error("cannot read the state file {path}: {source}")]
    Read {
        /// The file, shown.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file ends inside the document.
    #[error(
        "the state file {path} is truncated (it ends at line {line}, column {column}, inside the \
         document): nothing was loaded; use a complete dump"
    )]
    Truncated {
        /// The file, shown.
        path: String,
        /// Where it ends.
        line: usize,
        /// Where it ends.
        column: usize,
    },
    /// The file is not JSON, or not a state document's shape.
    #[error("the state file {path} is not a valid state document: {reason}; nothing was loaded")]
    Malformed {
        /// The file, shown.
        path: String,
        /// The parser's message (line and column).
        reason: String,
    },
    /// The document is of a version this build does not read.
    #[error(
        "the state file {path} is format version {found}; this tokensign reads version \
         {supported}: use the tokensign that wrote it, or a newer one"
    )]
    Version {
        /// The file, shown.
        path: String,
        /// Its version.
        found: u64,
        /// The version this build reads.
        supported: u32,
    },
    /// The state was dumped from a node with another chain id.
    #[error(
        "the state in {path} is of chain id {found}, this node's is {expected}: start the node \
         with --chain-id {found}"
    )]
    ChainId {
        /// The file, shown.
        path: String,
        /// The state's chain id.
        found: u64,
        /// The node's.
        expected: u64,
    },
    /// The document breaks a ledger invariant.
    #[error("the state in {path} breaks a ledger invariant: {what}; nothing was loaded")]
    Invariant {
        /// The file, shown.
        path: String,
        /// Which invariant, and where.
        what: String,
    },
    /// The state file cannot be written.
    #[error("cannot write the state file {path}: {source}; the previous file (if any) is intact")]
    Write {
        /// The file, shown.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The store failed while reading or writing the state.
    #[error("state {action}: {source}")]
    Store {
        /// `dump` or `load`.
        action: &'static str,
        /// Why.
        source: StoreError,
    },
}

/// Reads the whole state of `storage` as a document for `chain_id`.
/// Blocking.
pub fn dump(storage: &dyn Storage, chain_id: u64) -> Result<StateDocument, StateError> {
    let store = |source| StateError::Store {
        action: "dump",
        source,
    };
    let contents = storage.read().map_err(store)?.contents().map_err(store)?;
    StateDocument::from_contents(chain_id, &contents).map_err(store)
}

/// Dumps `storage` into `path` atomically. Blocking.
pub fn dump_to_file(storage: &dyn Storage, chain_id: u64, path: &Path) -> Result<(), StateError> {
    let document = dump(storage, chain_id)?;
    file::write_atomically(path, &document)
}

/// Checks `document` (named `path` in errors) and, if every invariant
/// holds, replaces the whole state of `storage` by it in one step.
/// Blocking.
pub fn load(
    storage: &dyn Storage,
    chain_id: u64,
    path: &str,
    document: StateDocument,
) -> Result<(), StateError> {
    let contents = check::check(path, chain_id, document)?;
    storage
        .replace(&contents)
        .map_err(|source| StateError::Store {
            action: "load",
            source,
        })
}

/// Reads, checks and loads the state file `path`. Blocking.
pub fn load_file(storage: &dyn Storage, chain_id: u64, path: &Path) -> Result<(), StateError> {
    let document = file::read(path)?;
    load(storage, chain_id, &crate::show::show_path(path), document)
}

/// What a node does with state files: load one at start, dump one at a
/// clean exit.
#[derive(Clone, Debug, Default)]
pub struct StateFiles {
    /// Loaded at start (replacing the store's state).
    pub load: Option<PathBuf>,
    /// With `load`: a missing file is fine (`--state`: the first run).
    pub load_if_exists: bool,
    /// Written at a clean exit.
    pub dump: Option<PathBuf>,
}
