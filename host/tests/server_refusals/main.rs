//! Every refusal of `POST /v1/tokens/issue` through real HTTP, each with
//! its status and error code and a body the OpenAPI document accepts
//! (`issue`); docs/server.md, the error codes and the messages agree
//! (`documented`).

#[path = "../server_common/mod.rs"]
mod server_common;

mod documented;
mod issue;
