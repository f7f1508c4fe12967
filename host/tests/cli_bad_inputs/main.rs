//! A table of bad command lines: each gets a clear message and its
//! documented exit code, and no run ever prints the key or the password.
//!
//! A table per concern: `issue`'s flags (`issue_flags`), where a
//! transaction goes (`network`), keys and keystores (`keys`), documents
//! (`documents`) and commands (`commands`); `support` runs a table.
//! `secrets` checks that successful runs do not print the key either.

#[path = "../cli_support/mod.rs"]
mod cli_support;

mod commands;
mod documents;
mod issue_flags;
mod keys;
mod network;
mod secrets;
mod support;
