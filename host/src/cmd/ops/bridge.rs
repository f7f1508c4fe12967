//! `bridge-mint` (TokenBridgeAndMint) and `burn-bridge`
//! (TokenBurnAndBridge): tokens arriving from, and leaving to, another
//! chain.

use clap::Args;
use tokensign_core::tx::{TokenBridgeAndMint, TokenBurnAndBridge};
use tokensign_core::{Address, Amount, Field};

use crate::cmd::amount::{base_units, AmountArgs};
use crate::cmd::exit::CliError;
use crate::cmd::write::{self, flags, Draft, WriteArgs};
use crate::cmd::Io;
use crate::signer::KeyOptions;

/// `bridge-mint`.
#[derive(Debug, Args)]
pub struct BridgeMintArgs {
    /// Who receives the tokens.
    #[arg(long, visible_alias = "to", value_name = "ADDRESS")]
    pub recipient: String,
    /// The token's address.
    #[arg(long, value_name = "ADDRESS")]
    pub token: String,
    /// How much.
    #[command(flatten)]
    pub amount: AmountArgs,
    /// The chain the tokens come from (not 0).
    #[arg(long, value_name = "ID")]
    pub source_chain_id: u64,
    /// The transaction on the source chain (signed as text, exactly as given).
    #[arg(long, value_name = "TEXT")]
    pub source_tx_hash: String,
    /// Bridge metadata (may be empty).
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub bridge_metadata: String,
    /// Chain id, nonce, memo, scheme, dry run, multisig, server.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Runs `bridge-mint`.
pub fn run_bridge_mint(
    args: &BridgeMintArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let token = flags::address(Field::Token, &args.token)?;
    let draft = Draft::new(TokenBridgeAndMint {
        recipient: flags::address(Field::Recipient, &args.recipient)?,
        value: Amount::ZERO,
        token,
        source_chain_id: args.source_chain_id,
        source_tx_hash: flags::text(Field::SourceTxHash, &args.source_tx_hash)?,
        bridge_metadata: flags::text(Field::BridgeMetadata, &args.bridge_metadata)?,
    })
    .with_amount(args.amount.given()?, token)?;
    write::run(draft, &args.write, keys, json_mode, io)
}

/// `burn-bridge`.
#[derive(Debug, Args)]
pub struct BurnBridgeArgs {
    /// The account whose tokens are burned (default: the sending account).
    #[arg(long, value_name = "ADDRESS")]
    pub sender: Option<String>,
    /// The token's address.
    #[arg(long, value_name = "ADDRESS")]
    pub token: String,
    /// How much.
    #[command(flatten)]
    pub amount: AmountArgs,
    /// The chain the tokens go to (not 0).
    #[arg(long, value_name = "ID")]
    pub destination_chain_id: u64,
    /// The address on that chain (signed as text, exactly as given).
    #[arg(long, value_name = "TEXT")]
    pub destination_address: String,
    /// The escrow fee in base units.
    #[arg(
        long,
        value_name = "BASE_UNITS",
        default_value = "0",
        allow_hyphen_values = true
    )]
    pub escrow_fee: String,
    /// Bridge metadata (may be empty).
    #[arg(long, value_name = "TEXT", default_value = "")]
    pub bridge_metadata: String,
    /// Bridge parameter, 0x-hex of even length ("0x" for none).
    #[arg(long, value_name = "HEX", default_value = "0x")]
    pub bridge_param: String,
    /// Chain id, nonce, memo, scheme, dry run, multisig, server.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Runs `burn-bridge`.
pub fn run_burn_bridge(
    args: &BurnBridgeArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let token = flags::address(Field::Token, &args.token)?;
    let sender = args
        .sender
        .as_deref()
        .map(|s| flags::address(Field::Sender, s))
        .transpose()?;
    let escrow_flag = flags::flag(Field::EscrowFee).unwrap_or("--escrow-fee");
    let mut draft = Draft::new(TokenBurnAndBridge {
        sender: sender.unwrap_or(Address::ZERO),
        value: Amount::ZERO,
        token,
        destination_chain_id: args.destination_chain_id,
        destination_address: flags::text(Field::DestinationAddress, &args.destination_address)?,
        escrow_fee: base_units(escrow_flag, &args.escrow_fee)?,
        bridge_metadata: flags::text(Field::BridgeMetadata, &args.bridge_metadata)?,
        bridge_param: flags::hex_bytes(Field::BridgeParam, &args.bridge_param)?,
    })
    .with_amount(args.amount.given()?, token)?;
    draft.default_sender = sender.is_none();
    write::run(draft, &args.write, keys, json_mode, io)
}
