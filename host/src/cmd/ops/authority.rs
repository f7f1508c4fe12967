//! `grant` and `revoke` (TokenAuthority): an authority over a token.

use clap::{Args, ValueEnum};
use tokensign_core::tx::{AuthorityAction, AuthorityType, TokenAuthority};
use tokensign_core::Field;

use crate::cmd::amount::base_units;
use crate::cmd::exit::CliError;
use crate::cmd::write::{self, flags, Draft, WriteArgs};
use crate::cmd::Io;
use crate::signer::KeyOptions;

/// An authority a token can grant (spec 2.2, TokenAuthority), as the
/// flag's values name them.
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
    /// The core's authority type.
    pub const fn core(self) -> AuthorityType {
        match self {
            AuthorityKind::MasterMintBurn => AuthorityType::MasterMintBurn,
            AuthorityKind::MintBurnTokens => AuthorityType::MintBurnTokens,
            AuthorityKind::Pause => AuthorityType::Pause,
            AuthorityKind::ManageList => AuthorityType::ManageList,
            AuthorityKind::UpdateMetadata => AuthorityType::UpdateMetadata,
            AuthorityKind::Bridge => AuthorityType::Bridge,
            AuthorityKind::Clawback => AuthorityType::Clawback,
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

/// Runs `grant` ([`AuthorityAction::Grant`]) or `revoke`.
pub fn run(
    action: AuthorityAction,
    args: &AuthorityArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let value_flag = flags::flag(Field::Value).unwrap_or("--value");
    let draft = Draft::new(TokenAuthority {
        action,
        authority_type: args.authority_type.core(),
        authority_address: flags::address(Field::AuthorityAddress, &args.address)?,
        token: flags::address(Field::Token, &args.token)?,
        value: base_units(value_flag, &args.value)?,
    });
    write::run(draft, &args.write, keys, json_mode, io)
}
