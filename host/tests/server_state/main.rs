//! State files: a node's state dumped (`POST /dev/dump_state`, or a file
//! at a clean exit) loads into a fresh node on either backend, which then
//! dumps the same document and answers every read identically; property
//! tests over random operation sequences; a sandbox moved redb →
//! PostgreSQL → redb; broken and truncated files refused by name with
//! nothing changed; a kill -9 during a dump leaves the previous file
//! intact; `tokensign node --state FILE` across a restart.
//!
//! A module per concern: dump and load (`round_trip`), moving between
//! backends (`migration`), refused files (`refusals`) and the `--state`
//! flag across restarts (`restart`); `support` applies steps and compares
//! reads.

#[path = "../server_common/mod.rs"]
mod server_common;

mod migration;
mod refusals;
mod restart;
mod round_trip;
mod support;
