//! The ledger's rules without HTTP: every operation accepted, each refusal
//! with its code and an unchanged ledger, and random sequences keeping the
//! invariants.
//!
//! A module per part of the rules, as the ledger's own modules are split
//! (`tokens`, `admission`, `supply`, `authority`, `transfers`,
//! `multisig`), and `invariants` for the random sequences; `world` is a
//! ledger with its accounts and the operations the tests build.

mod admission;
mod authority;
mod invariants;
mod multisig;
mod supply;
mod tokens;
mod transfers;
mod world;
