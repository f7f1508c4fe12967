//! `tokensign abc-lab mint`: the ABC-Lab mint API (`POST
//! /api/tokens/mint`). It was `tokensign mint` before `mint` became the
//! network's TokenMint; flags and exit codes are unchanged.

use clap::{Args, Subcommand};

use super::common::{write_out, Notes};
use super::exit::CliError;
use super::session::{resolve_target, ServerArgs, Session};
use super::Io;
use crate::api::MintRequest;
use crate::show::sanitize;
use crate::signer::dev_address;

/// `tokensign abc-lab …`.
#[derive(Debug, Subcommand)]
pub enum AbcLabCommand {
    /// Mint an issued asset to a wallet (ABC-Lab POST /api/tokens/mint).
    Mint(MintArgs),
}

/// `tokensign abc-lab mint`.
#[derive(Debug, Args)]
pub struct MintArgs {
    /// The asset to mint (e.g. an issued token's symbol, UKGILT2030).
    #[arg(long)]
    pub asset_id: String,
    /// Number of tokens to mint (a positive JSON number).
    #[arg(long, allow_hyphen_values = true)]
    pub amount: String,
    /// Wallet address that receives the tokens.
    #[arg(long, value_name = "ADDRESS")]
    pub recipient: String,
    /// The server.
    #[command(flatten)]
    pub server: ServerArgs,
}

/// Runs `abc-lab mint`.
pub fn run(args: &MintArgs, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    if args.asset_id.trim().is_empty() {
        return Err(CliError::bad_input("--asset-id must not be empty"));
    }
    if args.recipient.trim().is_empty() {
        return Err(CliError::bad_input("--recipient must not be empty"));
    }
    let amount: serde_json::Number = serde_json::from_str(args.amount.trim()).map_err(|_| {
        CliError::bad_input(format!(
            "invalid --amount {:?}: not a number",
            sanitize(&args.amount)
        ))
    })?;
    let positive = amount.as_u64().is_some_and(|n| n > 0)
        || (!amount.is_u64()
            && !amount.is_i64()
            && amount.as_f64().is_some_and(|f| f.is_finite() && f > 0.0));
    if !positive {
        return Err(CliError::bad_input(format!(
            "invalid --amount {:?}: must be greater than zero",
            sanitize(&args.amount)
        )));
    }
    let request = MintRequest {
        asset_id: args.asset_id.clone(),
        amount,
        recipient_wallet_address: args.recipient.clone(),
    };
    let target = resolve_target(&args.server)?;
    let notes = Notes::new(&mut *io.err);
    let session = Session::open(&target, &args.server, vec![dev_address()], &notes)?;
    if !json_mode {
        write_out(
            io.out,
            &format!(
                "Minting {} of {:?} to {:?} via {}\n",
                request.amount,
                sanitize(&request.asset_id),
                sanitize(&request.recipient_wallet_address),
                session.url
            ),
        )?;
    }
    let answer = session.client.mint(&request)?;
    if json_mode {
        let text = serde_json::to_string(&answer)
            .map_err(|e| CliError::internal(format!("cannot write the answer: {e}")))?;
        return write_out(io.out, &format!("{text}\n"));
    }
    write_out(
        io.out,
        &format!(
            "Minted.\n  status       {}\n  token_id     {}\n  asset_id     {}\n  amount       {}\n  assigned_to  {}\n",
            sanitize(&answer.status),
            sanitize(&answer.token_id),
            sanitize(&answer.asset_id),
            answer.amount,
            sanitize(&answer.assigned_to),
        ),
    )
}
