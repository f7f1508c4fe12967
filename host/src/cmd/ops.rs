//! The token and payment operations as commands named for what a person
//! does: `pay`, `mint`, `burn`, `clawback`, `grant`, `revoke`,
//! `blacklist`, `whitelist`, `pause`, `unpause`, `metadata`. Each builds
//! its fields under their JSON names (spec 2.2) and hands them to the
//! shared write pipeline ([`super::write`]).

use clap::{Args, ValueEnum};
use serde_json::{json, Map, Value};
use tokensign_core::tx::OpType;
use tokensign_core::Address;

use super::amount::AmountArgs;
use super::common::parse_address;
use super::exit::CliError;
use super::write::{self, Draft, PendingAmount, WriteArgs};
use super::Io;
use crate::signer::KeyOptions;

/// A field map from (JSON name, value) pairs.
pub fn fields(pairs: Vec<(&str, Value)>) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// An address as its JSON value (after the flag's own check).
pub fn address(flag: &str, text: &str) -> Result<Value, CliError> {
    Ok(json!(parse_address(flag, text)?.to_string()))
}

/// The pending amount of `args` for `token`, under `value`.
fn pending(args: &AmountArgs, token: Address) -> Result<PendingAmount, CliError> {
    Ok(PendingAmount {
        key: "value",
        given: args.given()?,
        token,
    })
}

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
    let token = parse_address("--token", &args.token)?;
    let mut draft = Draft::new(
        op,
        fields(vec![
            ("recipient", address("--recipient", &args.recipient)?),
            ("token", json!(token.to_string())),
        ]),
    );
    draft.amount = Some(pending(&args.amount, token)?);
    write::run(&draft, &args.write, keys, json_mode, io)
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
    let token = parse_address("--token", &args.token)?;
    let mut draft = Draft::new(
        OpType::TokenBurn,
        fields(vec![("token", json!(token.to_string()))]),
    );
    draft.amount = Some(pending(&args.amount, token)?);
    write::run(&draft, &args.write, keys, json_mode, io)
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
    let token = parse_address("--token", &args.token)?;
    let mut draft = Draft::new(
        OpType::TokenClawback,
        fields(vec![
            ("token", json!(token.to_string())),
            ("from", address("--from", &args.from)?),
            ("recipient", address("--recipient", &args.recipient)?),
        ]),
    );
    draft.amount = Some(pending(&args.amount, token)?);
    write::run(&draft, &args.write, keys, json_mode, io)
}

/// An authority a token can grant (spec 2.2, TokenAuthority).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthorityKind {
    /// MasterMintBurn: grants and revokes minters.
    MasterMintBurn,
    /// MintBurnTokens: mints and burns, up to an allowance (--value).
    MintBurnTokens,
    /// Pause: pauses and unpauses the token.
    Pause,
    /// ManageList: the black- and whitelists.
    ManageList,
    /// UpdateMetadata: the token's metadata.
    UpdateMetadata,
    /// Bridge: bridge-mints.
    Bridge,
    /// Clawback: takes tokens back from holders.
    Clawback,
}

impl AuthorityKind {
    /// The wire name.
    pub const fn wire(self) -> &'static str {
        match self {
            AuthorityKind::MasterMintBurn => "MasterMintBurn",
            AuthorityKind::MintBurnTokens => "MintBurnTokens",
            AuthorityKind::Pause => "Pause",
            AuthorityKind::ManageList => "ManageList",
            AuthorityKind::UpdateMetadata => "UpdateMetadata",
            AuthorityKind::Bridge => "Bridge",
            AuthorityKind::Clawback => "Clawback",
        }
    }
}

/// `grant`, `revoke`: an authority over a token.
#[derive(Debug, Args)]
pub struct AuthorityArgs {
    /// Which authority.
    #[arg(long, value_enum)]
    pub authority_type: AuthorityKind,
    /// Who holds it.
    #[arg(long, value_name = "ADDRESS")]
    pub address: String,
    /// The token's address.
    #[arg(long, value_name = "ADDRESS")]
    pub token: String,
    /// The mint allowance in base units (MintBurnTokens); 0 otherwise.
    #[arg(
        long,
        value_name = "BASE_UNITS",
        default_value = "0",
        allow_hyphen_values = true
    )]
    pub value: String,
    /// Chain id, nonce, memo, scheme, dry run, multisig, server.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Runs `grant` (`Grant`) or `revoke` (`Revoke`).
pub fn run_authority(
    action: &str,
    args: &AuthorityArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let mut draft = Draft::new(
        OpType::TokenAuthority,
        fields(vec![
            ("action", json!(action)),
            ("authority_type", json!(args.authority_type.wire())),
            ("authority_address", address("--address", &args.address)?),
            ("token", address("--token", &args.token)?),
            (
                "value",
                json!(super::amount::base_units("--value", &args.value)?),
            ),
        ]),
    );
    draft.flags = &[("authority_address", "--address")];
    write::run(&draft, &args.write, keys, json_mode, io)
}

/// `blacklist`, `whitelist`: add an account to a token's list, or remove it.
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
pub fn run_list(
    op: OpType,
    args: &ListArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let action = if args.remove { "Remove" } else { "Add" };
    let draft = Draft::new(
        op,
        fields(vec![
            ("action", json!(action)),
            ("address", address("--address", &args.address)?),
            ("token", address("--token", &args.token)?),
        ]),
    );
    write::run(&draft, &args.write, keys, json_mode, io)
}

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

/// Runs `pause` (`Pause`) or `unpause` (`Unpause`).
pub fn run_pause(
    action: &str,
    args: &PauseArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let draft = Draft::new(
        OpType::TokenPause,
        fields(vec![
            ("action", json!(action)),
            ("token", address("--token", &args.token)?),
        ]),
    );
    write::run(&draft, &args.write, keys, json_mode, io)
}

/// `metadata`: a token's name, URI and extra entries.
#[derive(Debug, Args)]
pub struct MetadataArgs {
    /// The token's address.
    #[arg(long, value_name = "ADDRESS")]
    pub token: String,
    /// The token's name (1..=120 bytes).
    #[arg(long)]
    pub name: String,
    /// The token's URI (1..=512 bytes).
    #[arg(long)]
    pub uri: String,
    /// An extra entry KEY=VALUE (repeat; order kept).
    #[arg(long = "entry", value_name = "KEY=VALUE")]
    pub entries: Vec<String>,
    /// Chain id, nonce, memo, scheme, dry run, multisig, server.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Runs `metadata`.
pub fn run_metadata(
    args: &MetadataArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let entries = args
        .entries
        .iter()
        .map(|e| {
            e.split_once('=')
                .map(|(k, v)| json!({"key": k, "value": v}))
                .ok_or_else(|| {
                    CliError::bad_input(format!(
                        "invalid --entry {:?}: write it as KEY=VALUE",
                        crate::text::sanitize(e)
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut draft = Draft::new(
        OpType::TokenMetadata,
        fields(vec![
            ("name", json!(args.name)),
            ("uri", json!(args.uri)),
            ("token", address("--token", &args.token)?),
            ("additional_metadata", json!(entries)),
        ]),
    );
    draft.flags = &[
        ("additional_metadata", "--entry"),
        ("additional_metadata[].key", "--entry (its KEY)"),
        ("additional_metadata[].value", "--entry (its VALUE)"),
    ];
    write::run(&draft, &args.write, keys, json_mode, io)
}
