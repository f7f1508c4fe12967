//! The local node: a stand-in for the 1Money Network's REST API (every
//! operation on its `/v1` and `/v2` paths, the reads of spec section 6,
//! the write modes) with a real ledger, and the ABC-Lab mint API, over a
//! durable redb store.
//!
//! Every parse, hash, signature recovery and address step is the core's
//! (`tokensign_core`); this module adds its configuration (`config`), the
//! shared state (`app_state`), HTTP (`router`, `routes`, `writes`, `reads`,
//! `serve`), the network's rules ([`ledger`], `mint`), the single writer
//! (`writer`) and storage (`storage`: one trait, redb or PostgreSQL behind
//! it).
//! See `docs/server.md` for the routes, the rules, the error codes and the
//! design.
//!
//! Run it with [`serve`] on a listener, in-process with [`router`] (for
//! example through `tower::ServiceExt::oneshot`), or on its own thread and
//! runtime with [`spawn_background`].

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod app_state;
mod config;
mod connections;
pub mod definition;
pub mod dev;
mod dev_state;
mod error;
pub mod explorer;
mod failure;
mod hosts;
pub mod ledger;
mod local_api;
mod mint;
mod modes;
pub mod openapi;
mod reads;
mod records;
mod router;
mod routes;
mod serve;
mod storage;
mod stream;
mod writer;
mod writes;

pub(crate) use app_state::now_secs;
pub use app_state::AppState;
pub use config::{
    NodeConfig, DEFAULT_BODY_LIMIT, DEFAULT_BODY_TIMEOUT, DEFAULT_HEADER_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT, DEFAULT_LISTEN, DEFAULT_MAX_CONNECTIONS,
};
pub use error::{codes, core_error_code, mint_codes, rule_code, ApiError, MintError};
pub use failure::{NodeError, StoreError};
pub use ledger::Fees;
pub use mint::MAX_RECIPIENT_LEN;
pub use records::{CheckpointRecord, MintRecord, TxRecord};
pub use router::router;
pub use serve::{serve, serve_state, spawn_background, RunningNode};
pub use storage::postgres::schema::{latest_version as database_schema_version, migrate_to};
pub use storage::postgres::DatabaseUrl;
pub use storage::redb_store::DB_FILE;
pub use storage::state::{
    StateDocument, StateError, StateFiles, FORMAT as STATE_FORMAT, VERSION as STATE_VERSION,
};
pub use stream::{StreamConfig, DEFAULT_LAG_LIMIT, DEFAULT_STALL_TIMEOUT};
pub use writer::MAX_BATCH;
pub use writes::LEGACY_SIGNATURE_HEADER;
