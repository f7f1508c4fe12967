//! `blacklist` (TokenBlacklist) and `whitelist` (TokenWhitelist): add an
//! account to a token's list, or remove it.

use clap::Args;
use tokensign_core::tx::{ListAction, OpType, TokenBlacklist, TokenWhitelist};
use tokensign_core::Field;

use crate::cmd::exit::CliError;
use crate::cmd::write::{self, flags, Draft, WriteArgs};
use crate::cmd::Io;
use crate::signer::KeyOptions;

/// `blacklist`, `whitelist`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The account.
    #[arg(long, value_name = "ADDRESS")]
    pub address: String,
    /// The token's address.
    #[arg(long, value_name = "ADDRESS")]
    pub token: String,
    /// Remove the account from the list instead of adding it.
    #[arg(long)]
    pub remove: bool,
    /// Chain id, nonce, memo, scheme, dry run, multisig, server.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Runs `blacklist` or `whitelist` (by `op`).
pub fn run(
    op: OpType,
    args: &ListArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let action = if args.remove {
        ListAction::Remove
    } else {
        ListAction::Add
    };
    let address = flags::address(Field::Address, &args.address)?;
    let token = flags::address(Field::Token, &args.token)?;
    let draft = match op {
        OpType::TokenWhitelist => Draft::new(TokenWhitelist {
            action,
            address,
            token,
        }),
        _ => Draft::new(TokenBlacklist {
            action,
            address,
            token,
        }),
    };
    write::run(draft, &args.write, keys, json_mode, io)
}
