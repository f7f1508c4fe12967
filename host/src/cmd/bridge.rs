//! `bridge-mint` (TokenBridgeAndMint) and `burn-bridge`
//! (TokenBurnAndBridge): tokens arriving from, and leaving to, another
//! chain.

use clap::Args;
use serde_json::json;
use tokensign_core::tx::OpType;

use super::amount::{base_units, AmountArgs};
use super::common::parse_address;
use super::exit::CliError;
use super::ops::{address, fields};
use super::write::{self, Draft, PendingAmount, WriteArgs};
use super::Io;
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
    let token = parse_address("--token", &args.token)?;
    let mut draft = Draft::new(
        OpType::TokenBridgeAndMint,
        fields(vec![
            ("recipient", address("--recipient", &args.recipient)?),
            ("token", json!(token.to_string())),
            ("source_chain_id", json!(args.source_chain_id)),
            ("source_tx_hash", json!(args.source_tx_hash)),
            ("bridge_metadata", json!(args.bridge_metadata)),
        ]),
    );
    draft.amount = Some(PendingAmount {
        key: "value",
        given: args.amount.given()?,
        token,
    });
    write::run(&draft, &args.write, keys, json_mode, io)
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
    let token = parse_address("--token", &args.token)?;
    let mut pairs = vec![
        ("token", json!(token.to_string())),
        ("destination_chain_id", json!(args.destination_chain_id)),
        ("destination_address", json!(args.destination_address)),
        (
            "escrow_fee",
            json!(base_units("--escrow-fee", &args.escrow_fee)?),
        ),
        ("bridge_metadata", json!(args.bridge_metadata)),
        ("bridge_param", json!(args.bridge_param)),
    ];
    if let Some(sender) = &args.sender {
        pairs.push(("sender", address("--sender", sender)?));
    }
    let mut draft = Draft::new(OpType::TokenBurnAndBridge, fields(pairs));
    draft.sender_field = Some("sender");
    draft.amount = Some(PendingAmount {
        key: "value",
        given: args.amount.given()?,
        token,
    });
    write::run(&draft, &args.write, keys, json_mode, io)
}
