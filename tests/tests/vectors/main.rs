//! Known answers: the committed files in `tests/vectors/` checked against the
//! core, the spec's published values checked against the files, and the
//! files checked against a fresh computation by the independent oracles.
//!
//! Regenerate the files (after an intended change) with
//! `cargo test -p tokensign-tests --test vectors -- --ignored regenerate`.
//!
//! A module per concern: the spec's published values (`spec`), the
//! generator of the files from the oracles (`generator`) and the checks
//! of the committed files against the core (`checks`).

#[path = "../oracle/mod.rs"]
mod oracle;

mod checks;
mod generator;
mod spec;
