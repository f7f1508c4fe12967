//! tokensign: the host side of the token-issue toolkit.
//!
//! Layers, each pointing down only:
//!
//! - [`cmd`]: the command line (one file per command) and the only place
//!   that knows exit codes.
//! - [`client`] (REST), [`signer`] (keys, keystores, devices behind one
//!   trait), [`device`] (the device protocol's transports), [`node`] (the
//!   local API server), [`batch`] (signing many payloads), [`definitions`]
//!   (signed token definitions: files, choosing one, a local node's):
//!   library modules, each with its own error type.
//! - [`api`]: the wire types the client and the node share; [`input`]:
//!   reading the JSON documents people give; [`text`]: showing outside
//!   text safely; [`recovery`]: the signer-recovery backend.
//! - `tokensign-core` below them all does every encoding, hash, signature
//!   and JSON step.

pub mod api;
pub mod batch;
pub mod client;
pub mod cmd;
pub mod definitions;
pub mod device;
pub mod input;
pub mod node;
pub mod recovery;
pub mod signer;
pub mod text;
