//! Several `tokensign node` processes on one PostgreSQL database: one
//! ledger. Concurrent payments from the same accounts through two
//! processes; the same nonce raced through both; a kill -9 of one process
//! and a database restart, both mid-load; an unreachable database; the
//! schema's migrations; the live stream of one process showing what the
//! other commits. Each test skips loudly where PostgreSQL is not
//! installed (and fails instead under `TOKENSIGN_REQUIRE_POSTGRES=1`).
//!
//! A module per concern: concurrent writers (`concurrency`), failures
//! mid-load (`failures`), the live stream (`stream`), the schema's
//! migrations (`migrations`), the database's credentials (`credentials`)
//! and the development controls (`dev_controls`); `load` drives and
//! checks a payment load, `support` starts the processes.

#[path = "../server_common/mod.rs"]
mod server_common;

mod concurrency;
mod credentials;
mod dev_controls;
mod failures;
mod load;
mod migrations;
mod stream;
mod support;
