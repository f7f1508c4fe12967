//! `pay` (Payment), `mint` (TokenMint), `burn` (TokenBurn) and `clawback`
//! (TokenClawback): an amount of a token moving, appearing or going.

use clap::Args;
use tokensign_core::tx::{OpType, Payment, TokenBurn, TokenClawback, TokenMint};
use tokensign_core::{Amount, Field};

use crate::cmd::amount::AmountArgs;
use crate::cmd::exit::CliError;
use crate::cmd::write::{self, flags, Draft, WriteArgs};
use crate::cmd::Io;
use crate::signer::KeyOptions;

/// `pay`, `mint`: a recipient, an amount, a token.
#[derive(Debug, Args)]
pub struct TransferArgs {
    /// Who receives the tokens.
    #[arg(long, visible_alias = "to", value_name = "ADDRESS")]
    pub recipient: String,
    /// The token's address.
    #[arg(long, value_name = "ADDRESS")]
    pub token: String,
    /// How much.
    #[command(flatten)]
    pub amount: AmountArgs,
    /// Chain id, nonce, memo, scheme, dry run, multisig, server.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Runs `pay` (Payment) or `mint` (TokenMint).
pub fn run_transfer(
    op: OpType,
    args: &TransferArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let recipient = flags::address(Field::Recipient, &args.recipient)?;
    let token = flags::address(Field::Token, &args.token)?;
    let value = Amount::ZERO;
    let draft = match op {
        OpType::TokenMint => Draft::new(TokenMint {
            recipient,
            value,
            token,
        }),
        _ => Draft::new(Payment {
            recipient,
            value,
            token,
        }),
    };
    let draft = draft.with_amount(args.amount.given()?, token)?;
    write::run(draft, &args.write, keys, json_mode, io)
}

/// `burn`: an amount of a token, from the sender's own balance.
#[derive(Debug, Args)]
pub struct BurnArgs {
    /// The token's address.
    #[arg(long, value_name = "ADDRESS")]
    pub token: String,
    /// How much.
    #[command(flatten)]
    pub amount: AmountArgs,
    /// Chain id, nonce, memo, scheme, dry run, multisig, server.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Runs `burn`.
pub fn run_burn(
    args: &BurnArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let token = flags::address(Field::Token, &args.token)?;
    let draft = Draft::new(TokenBurn {
        value: Amount::ZERO,
        token,
    })
    .with_amount(args.amount.given()?, token)?;
    write::run(draft, &args.write, keys, json_mode, io)
}

/// `clawback`: take tokens back from a holder.
#[derive(Debug, Args)]
pub struct ClawbackArgs {
    /// The token's address.
    #[arg(long, value_name = "ADDRESS")]
    pub token: String,
    /// The holder the tokens are taken from.
    #[arg(long, value_name = "ADDRESS")]
    pub from: String,
    /// Who receives them.
    #[arg(long, visible_alias = "to", value_name = "ADDRESS")]
    pub recipient: String,
    /// How much.
    #[command(flatten)]
    pub amount: AmountArgs,
    /// Chain id, nonce, memo, scheme, dry run, multisig, server.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Runs `clawback`.
pub fn run_clawback(
    args: &ClawbackArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let token = flags::address(Field::Token, &args.token)?;
    let draft = Draft::new(TokenClawback {
        token,
        from: flags::address(Field::From, &args.from)?,
        recipient: flags::address(Field::Recipient, &args.recipient)?,
        value: Amount::ZERO,
    })
    .with_amount(args.amount.given()?, token)?;
    write::run(draft, &args.write, keys, json_mode, io)
}
