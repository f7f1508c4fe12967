//! tokensign: the host side of the token-issue toolkit.
//!
//! Key handling, the REST client, the local API server, and the CLI's
//! commands, all on top of `tokensign-core`, which does every encoding,
//! hash, signature and JSON step.

pub mod batch;
pub mod cli;
pub mod client;
pub mod commands;
pub mod device;
pub mod exit;
pub mod keys;
pub mod node;
pub mod recovery;
