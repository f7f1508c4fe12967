//! `tokensign issue`: build, sign and submit a token issue.

use clap::Args;
use serde_json::{json, Map};
use tokensign_core::tx::{OpType, TokenIssue, Transaction};

use super::common::parse_address;
use super::exit::CliError;
use super::server::{resolve_target, Target};
use super::write::{self, Draft, WriteArgs};
use super::Io;
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
        tokensign_core::tx::Operation::TokenIssue(issue) => Some(issue),
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
    let master = parse_address("--master-authority", &args.master_authority)?;
    let mut fields = Map::new();
    fields.insert("symbol".into(), json!(args.symbol));
    fields.insert("name".into(), json!(args.name));
    // Above u8 the core's range check (0..=18) still names the flag.
    fields.insert("decimals".into(), json!(args.decimals.min(255)));
    fields.insert("master_authority".into(), json!(master.to_string()));
    fields.insert("is_private".into(), json!(args.is_private));
    if let Some(clawback) = args.clawback_enabled {
        fields.insert("clawback_enabled".into(), json!(clawback));
    }
    let draft = Draft::new(OpType::TokenIssue, fields);
    // Checked offline first, so a bad field is reported before the
    // server is chosen.
    draft.transaction(1, args.write.nonce.unwrap_or(0), &None, None, master)?;
    if let (
        Target::Remote {
            url, live: true, ..
        },
        None,
    ) = (resolve_target(&args.write.server)?, args.clawback_enabled)
    {
        return Err(CliError::bad_input(format!(
            "{url} is a live 1Money network: {CLAWBACK_EXPLANATION}"
        )));
    }
    write::run(&draft, &args.write, keys, json_mode, io)
}
