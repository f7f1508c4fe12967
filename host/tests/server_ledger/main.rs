//! The node over HTTP: every operation accepted on its v1 and v2 paths,
//! the rules' refusals by status, error_code and an unchanged ledger, the
//! write modes, and the reads of spec section 6. A module per concern;
//! each test runs on every backend (`redb::`, `postgres::` and `memory::`).

#[path = "../server_common/mod.rs"]
mod server_common;

mod fees;
mod numbers;
mod operations;
mod reads;
mod refusals;
mod support;
mod write_modes;
