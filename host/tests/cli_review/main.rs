//! One review everywhere: `sign`, `verify` (request bodies of every
//! operation in both schemes, and partial signature files), the write
//! commands and `multisig combine` print the core's review, and `--json`
//! carries it as `"review": [{"label", "value"}]`.
//!
//! Every field of every operation is checked to be in the review by
//! reading the signed document's values (not the core's review code):
//! addresses as EIP-55, amounts as their base units (and, with a
//! definition, in whole tokens written from the digits here), texts
//! quoted with their non-ASCII characters as code points and a warning
//! before them, numbers, yes/no, keys as hex. Each refusal of a token
//! definition is checked by name: wrong chain, wrong token, bad signature,
//! untrusted signer, truncated, wrong version, and a definition for an
//! operation that moves no token.
//!
//! A module per concern: every operation's review (`operations`), the
//! token definitions and where a unit comes from (`definitions`), partial
//! signatures (`multisig`) and the device's pages (`device`); `coverage`
//! reads a document's fields back out of a review.

#[path = "../cli_support/mod.rs"]
mod cli_support;

mod coverage;
mod definitions;
mod device;
mod multisig;
mod operations;
mod support;
