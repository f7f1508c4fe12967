//! The operation commands, named for what a person does: each builds the
//! core's operation from its flags (through [`super::write::flags`], so
//! every error names the flag) and hands it to the write pipeline
//! ([`super::write`]). `multisig create` is in [`super::multisig`].
//!
//! - `pay`, `mint`, `burn`, `clawback`: [`transfer`];
//! - `issue`: [`issue`];
//! - `grant`, `revoke`: [`authority`];
//! - `blacklist`, `whitelist`: [`lists`];
//! - `pause`, `unpause`: [`pause`];
//! - `metadata`: [`metadata`];
//! - `bridge-mint`, `burn-bridge`: [`bridge`];
//! - `batch-pay`: [`batch_pay`].

pub mod authority;
pub mod batch_pay;
pub mod bridge;
pub mod issue;
pub mod lists;
pub mod metadata;
pub mod pause;
pub mod transfer;
