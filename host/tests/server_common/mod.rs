//! Helpers shared by the server tests, a module per concern: fixed test
//! keys (`keys`), signed request bodies written by the core
//! (`requests`), the node under test on either backend (`backend`), a
//! small raw HTTP/1.1 client, so that slow and oversized bodies can be
//! sent exactly (`http`), the node's API calls (`api`), OpenAPI schema
//! validation (`schema`), the state's invariants (`invariants`),
//! `tokensign node` processes (`process`), a live node with accounts and
//! tokens (`live`) and throwaway PostgreSQL clusters (`postgres`).
//! Everything but `live` and `postgres` is re-exported here.
#![allow(dead_code)]

mod api;
mod backend;
mod http;
mod invariants;
mod keys;
pub mod live;
pub mod postgres;
mod process;
mod requests;
mod schema;

// Each test binary uses a part of these.
#[allow(unused_imports)]
pub use self::{
    api::*, backend::*, http::*, invariants::*, keys::*, process::*, requests::*, schema::*,
};
