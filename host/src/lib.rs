//! tokensign: the host side of the token-issue toolkit.
//!
//! Key handling, the REST client, the local API server, and the CLI's
//! commands, all on top of `tokensign-core`, which does every encoding,
//! hash, signature and JSON step.

pub mod client;
pub mod keys;
pub mod node;
