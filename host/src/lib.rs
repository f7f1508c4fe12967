//! tokensign: the host side of the toolkit: keys and signers, submission,
//! reads, the local node, devices, and the command line.
//!
//! Layers, each pointing down only:
//!
//! - [`cmd`]: the command line (the write pipeline, a module per command)
//!   and the only place that knows exit codes and flags.
//! - [`client`] (REST), [`signer`] (keys, keystores, mnemonics, PKCS#11
//!   tokens and devices behind one trait), [`device`] (the device
//!   protocol's transports), [`node`] (the local API server),
//!   [`documents`] (signing documents, one or many), [`definitions`]
//!   (signed token definitions: files, choosing one, a local node's):
//!   library modules, each with its own error type.
//! - [`api`]: the wire types the client and the node share; [`input`]:
//!   reading the JSON documents people give; [`show`]: showing outside
//!   text safely (and paths, hex, I/O reasons); [`curve`]: secp256k1 in
//!   this process (the backend's context, recovery).
//! - `tokensign-core` below them all does every encoding, hash, signature
//!   and JSON step.

pub mod api;
pub mod client;
pub mod cmd;
pub mod curve;
pub mod definitions;
pub mod device;
pub mod documents;
pub mod input;
pub mod node;
pub mod show;
pub mod signer;
