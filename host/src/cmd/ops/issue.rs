//! `tokensign issue`: build, sign and submit a token issue.

use clap::Args;
use tokensign_core::tx::{TokenIssue, Transaction};
use tokensign_core::{Field, Operation};

use crate::client::redact_url;
use crate::cmd::exit::CliError;
use crate::cmd::session::{resolve_target, Target};
use crate::cmd::write::{self, flags, Draft, WriteArgs};
use crate::cmd::Io;
use crate::signer::KeyOptions;

/// `tokensign issue`.
#[derive(Debug, Args)]
pub struct IssueArgs {
    /// Token symbol: 1..=20 bytes, alphanumeric.
    #[arg(long)]
    pub symbol: String,
    /// Token name: 1..=120 bytes.
    #[arg(long)]
    pub name: String,
    /// Decimals, 0..=18.
    #[arg(long)]
    pub decimals: u64,
    /// Address that receives the token's master authority.
    #[arg(long, value_name = "ADDRESS")]
    pub master_authority: String,
    /// Only whitelisted addresses may use the token.
    #[arg(long)]
    pub is_private: bool,
    /// Sign the eight-field form with this clawback choice (true or false).
    /// Required for testnet and mainnet; it can never be changed later.
    /// (v2 always signs it: absent is signed as true.)
    #[arg(long, value_name = "BOOL", action = clap::ArgAction::Set,
          value_parser = clap::value_parser!(bool))]
    pub clawback_enabled: Option<bool>,
    /// Chain id, nonce, memo, scheme, dry run, multisig, server.
    #[command(flatten)]
    pub write: WriteArgs,
}

const CLAWBACK_EXPLANATION: &str = "\
choose clawback explicitly with --clawback-enabled true or --clawback-enabled false.
The live 1Money networks sign eight fields, the eighth being clawback_enabled; a
request without it is read as clawback_enabled = true. Clawback lets the token's
authority take tokens back from holders, and it can NEVER be changed after the
token is issued, so tokensign will not choose it for you.";

/// The token issue a transaction carries (the issue command builds no other).
pub(crate) fn issue_of(tx: &Transaction) -> Option<&TokenIssue> {
    match &tx.operation {
        Operation::TokenIssue(issue) => Some(issue),
        _ => None,
    }
}

/// Runs `issue`.
pub fn run(
    args: &IssueArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let draft = Draft::new(TokenIssue {
        symbol: flags::text(Field::Symbol, &args.symbol)?,
        name: flags::text(Field::Name, &args.name)?,
        // Above u8 the core's range check (0..=18) still names the flag.
        decimals: u8::try_from(args.decimals).unwrap_or(u8::MAX),
        master_authority: flags::address(Field::MasterAuthority, &args.master_authority)?,
        is_private: args.is_private,
        clawback_enabled: args.clawback_enabled,
    });
    // Every flag is checked before the live-network rule below.
    let checked = write::check(draft, &args.write)?;
    if let (
        Target::Remote {
            url, live: true, ..
        },
        None,
    ) = (resolve_target(&args.write.server)?, args.clawback_enabled)
    {
        return Err(CliError::bad_input(format!(
            "{} is a live 1Money network: {CLAWBACK_EXPLANATION}",
            redact_url(&url)
        )));
    }
    write::run_checked(checked, &args.write, keys, json_mode, io)
}
