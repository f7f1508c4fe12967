//! `--scheme auto|v1|v2`: which signing scheme a write uses. `auto` reads
//! `GET /api/status` once (spec 1.2): v2 for `dual` and `v2_only`, v1 for
//! `v1_only` and for a server without the route; a read-only node and a
//! v2-only operation on a v1 node are refused before anything is signed.
//! A refusal of the scheme itself is explained, never retried under the
//! other scheme (spec 1.1).

use clap::ValueEnum;
use tokensign_core::tx::OpType;
use tokensign_core::Scheme;

use super::WriteArgs;
use crate::api::NativeWriteMode;
use crate::client::Client;
use crate::cmd::common::Notes;
use crate::cmd::exit::{CliError, Failure};
use crate::node::codes::{
    DOMAIN_SEPARATED_SIGNATURE_NOT_ACTIVE, LEGACY_NATIVE_WRITE_ENDPOINT_DISABLED,
};
use crate::signer::scheme_label;

/// `--scheme`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum SchemeChoice {
    /// Ask the server (`GET /api/status`): v2 for `dual` and `v2_only`, v1
    /// for `v1_only` and for a server without the route.
    #[default]
    Auto,
    /// Legacy v1 (`/v1/...`, top-level `signature`).
    V1,
    /// Native v2, domain-separated (`/v2/...`, `authorization`).
    V2,
}

/// What `--scheme auto` decides from the server's `/api/status`.
pub fn auto_scheme(client: &Client<'_>, op: OpType, notes: &Notes<'_>) -> Result<Scheme, CliError> {
    let status = client.status()?;
    if status.is_some_and(|s| s.read_only) {
        return Err(CliError::new(
            Failure::Rejected,
            "the server's /api/status says read_only: it rejects every write; send to another \
             node",
        ));
    }
    let (scheme, why) = match status.map(|s| s.native_write_mode) {
        None => (
            Scheme::Legacy,
            "the server has no /api/status, read as v1_only",
        ),
        Some(NativeWriteMode::V1Only) => (Scheme::Legacy, "the server is v1_only"),
        Some(NativeWriteMode::Dual) => (Scheme::Native, "the server is dual"),
        Some(NativeWriteMode::V2Only) => (Scheme::Native, "the server is v2_only"),
    };
    if scheme == Scheme::Legacy && op.v1_path().is_none() {
        return Err(CliError::new(
            Failure::Rejected,
            format!(
                "{op} exists only in the native v2 scheme, and {why}: this server cannot take \
                 it; nothing was signed or sent. Send it to a node in dual or v2_only mode \
                 (`tokensign status` shows a node's mode)"
            ),
        ));
    }
    notes.write(&format!("scheme: {} ({why})\n", scheme_label(scheme)))?;
    Ok(scheme)
}

/// The scheme the flags force, checked against the operation.
pub fn forced_scheme(w: &WriteArgs, op: OpType) -> Result<Option<Scheme>, CliError> {
    let forced = match (w.scheme, w.multisig.is_some()) {
        (SchemeChoice::V1, true) => {
            return Err(CliError::bad_input(
                "--multisig signs a native v2 transaction; drop --scheme v1",
            ))
        }
        (_, true) | (SchemeChoice::V2, false) => Some(Scheme::Native),
        (SchemeChoice::V1, false) => Some(Scheme::Legacy),
        (SchemeChoice::Auto, false) => None,
    };
    if forced == Some(Scheme::Legacy) && op.v1_path().is_none() {
        return Err(CliError::bad_input(format!(
            "{op} exists only in the native v2 scheme: use --scheme v2 (or auto)"
        )));
    }
    Ok(forced)
}

/// Adds what to do next to a refusal of the scheme itself (spec 1.3):
/// the request is never resent under the other scheme.
pub fn explain_scheme_refusal(mut e: CliError, scheme: Scheme) -> CliError {
    let other = match (e.error_code.as_deref(), scheme) {
        (Some(DOMAIN_SEPARATED_SIGNATURE_NOT_ACTIVE), Scheme::Native) => "v1",
        (Some(LEGACY_NATIVE_WRITE_ENDPOINT_DISABLED), Scheme::Legacy) => "v2",
        _ => return e,
    };
    e.message.push_str(&format!(
        "\nThe server does not take {} writes. Run the command again with --scheme {other} (or \
         auto): tokensign reads the nonce again and signs a new request. This request was not \
         resent under the other scheme.",
        scheme_label(scheme)
    ));
    e
}
