//! `pause` and `unpause` (TokenPause).

use clap::Args;
use tokensign_core::tx::{PauseAction, TokenPause};
use tokensign_core::Field;

use crate::cmd::exit::CliError;
use crate::cmd::write::{self, flags, Draft, WriteArgs};
use crate::cmd::Io;
use crate::signer::KeyOptions;

/// `pause`, `unpause`: a token.
#[derive(Debug, Args)]
pub struct PauseArgs {
    /// The token's address.
    #[arg(long, value_name = "ADDRESS")]
    pub token: String,
    /// Chain id, nonce, memo, scheme, dry run, multisig, server.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Runs `pause` ([`PauseAction::Pause`]) or `unpause`.
pub fn run(
    action: PauseAction,
    args: &PauseArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let draft = Draft::new(TokenPause {
        action,
        token: flags::address(Field::Token, &args.token)?,
    });
    write::run(draft, &args.write, keys, json_mode, io)
}
