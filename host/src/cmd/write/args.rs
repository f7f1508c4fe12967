//! The flags every write shares: chain id, nonce, memo, scheme, dry run,
//! multisig and the server.

use std::path::PathBuf;

use clap::Args;
use tokensign_core::tx::Memo;
use tokensign_core::Field;

use super::flags;
use super::scheme::SchemeChoice;
use crate::cmd::exit::CliError;
use crate::cmd::review::ReviewArgs;
use crate::cmd::session::ServerArgs;

/// The flags every write shares.
#[derive(Debug, Args, Clone)]
pub struct WriteArgs {
    /// Chain id (default: GET /v1/chains/chain_id).
    #[arg(long)]
    pub chain_id: Option<u64>,
    /// Nonce (default: GET /v1/accounts/nonce for the sending account).
    #[arg(long)]
    pub nonce: Option<u64>,
    /// Memo type, e.g. purpose/SALA (a memo changes what is signed).
    #[arg(long, value_name = "TEXT")]
    pub memo_type: Option<String>,
    /// Memo format, e.g. text/plain.
    #[arg(long, value_name = "TEXT")]
    pub memo_format: Option<String>,
    /// Memo data, e.g. invoice-0001.
    #[arg(long, value_name = "TEXT")]
    pub memo_data: Option<String>,
    /// Signing scheme: auto (ask the server), v1 (legacy) or v2 (native).
    #[arg(long, value_enum, env = "TOKENSIGN_SCHEME", default_value_t = SchemeChoice::Auto)]
    pub scheme: SchemeChoice,
    /// Sign and print the request, send nothing (reads still happen for
    /// what --chain-id, --nonce and --scheme v1|v2 do not give).
    #[arg(long)]
    pub dry_run: bool,
    /// Sign as ONE member of this multisig account (v2): write a partial
    /// signature for `multisig combine` instead of submitting.
    #[arg(long, value_name = "ACCOUNT")]
    pub multisig: Option<String>,
    /// With --multisig: the partial signature's file (default: stdout).
    /// With --dry-run: the signed request, as the --json object that
    /// `verify` and `submit` read (the offline flow). Never overwritten.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The server.
    #[command(flatten)]
    pub server: ServerArgs,
    /// Token definitions and their trusted signers.
    #[command(flatten)]
    pub review: ReviewArgs,
}

impl WriteArgs {
    /// The memo, when any memo flag is given (missing parts empty).
    pub fn memo(&self) -> Result<Option<Memo>, CliError> {
        if self.memo_type.is_none() && self.memo_format.is_none() && self.memo_data.is_none() {
            return Ok(None);
        }
        let part = |p: &Option<String>| p.clone().unwrap_or_default();
        let memo = Memo {
            kind: flags::text(Field::MemoType, &part(&self.memo_type))?,
            format: flags::text(Field::MemoFormat, &part(&self.memo_format))?,
            data: flags::text(Field::MemoData, &part(&self.memo_data))?,
        };
        memo.check().map_err(flags::refused)?;
        Ok(Some(memo))
    }
}
