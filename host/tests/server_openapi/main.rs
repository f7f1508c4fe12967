//! The local server's OpenAPI document: it extends the spec's document,
//! and documents every route, method and error code the server has.
//!
//! A module per concern: the document and its routes (`document`), the
//! request schemas' fields against the core's declaration (`fields`) and
//! the document's bounds against the core's (`bounds`); `support` compiles
//! and resolves the document's schemas.

#[path = "../server_common/mod.rs"]
mod server_common;

mod bounds;
mod document;
mod fields;
mod support;
