//! Snapshots and revert (`POST /dev/snapshot`, `POST /dev/revert`) and the
//! in-memory node: a snapshot at every point of a sequence of operations
//! and a revert to each gives back every read as it was (balances,
//! nonces, tokens, multisig accounts, transactions, receipts,
//! checkpoints), on a durable node and on an in-memory one; the writer's
//! own state follows (its token cache, nonces, duplicates, pending
//! checkpoints, the live stream's numbering); a revert survives a
//! restart; an unknown or used-up id is refused by name; and an in-memory
//! node writes no file. Done when: a snapshot, a payment and a revert
//! restore the balances.
//!
//! A module per concern: every read at every point of a sequence
//! (`sequence`), the in-memory node (`in_memory`), the writer's own state
//! (`writer`), the live stream (`stream`), a restart (`restarts`) and the
//! refusals (`refusals`); `support` takes and reverts snapshots.

#[path = "../server_common/mod.rs"]
mod server_common;

mod in_memory;
mod refusals;
mod restarts;
mod sequence;
mod stream;
mod support;
mod writer;
