//! The development controls (`/dev/…`) over HTTP: each control, the gate
//! that keeps them to loopback, their OpenAPI entries, and what they leave
//! in the reads. Done when: `/dev/send` moves tokens as an account whose
//! key is never given.
//!
//! A module per concern: `/dev/send` (`send`), balance and nonce edits
//! (`state`), the node's modes and fees (`settings`), checkpoints and
//! pending transactions (`checkpoints`), injected faults (`faults`), the
//! loopback gate (`gate`) and the OpenAPI entries (`document`); `support`
//! holds the reads and writes they share.

#[path = "../server_common/mod.rs"]
mod server_common;

mod checkpoints;
mod document;
mod faults;
mod gate;
mod send;
mod settings;
mod state;
mod support;
