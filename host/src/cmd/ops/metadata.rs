//! `metadata` (TokenMetadata): a token's name, URI and extra entries.

use clap::Args;
use heapless::Vec as BoundedVec;
use tokensign_core::tx::{MetadataEntry, TokenMetadata, MAX_METADATA_ENTRIES};
use tokensign_core::{Error as CoreError, Field, Problem};

use crate::cmd::exit::CliError;
use crate::cmd::write::{self, flags, Draft, WriteArgs};
use crate::cmd::Io;
use crate::show::sanitize;
use crate::signer::KeyOptions;

/// `metadata`.
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

/// One `--entry KEY=VALUE`.
fn entry(text: &str) -> Result<MetadataEntry, CliError> {
    let (key, value) = text.split_once('=').ok_or_else(|| {
        CliError::bad_input(format!(
            "invalid --entry {:?}: write it as KEY=VALUE",
            sanitize(text)
        ))
    })?;
    Ok(MetadataEntry {
        key: flags::text(Field::MetadataKey, key)?,
        value: flags::text(Field::MetadataValue, value)?,
    })
}

/// Runs `metadata`.
pub fn run(
    args: &MetadataArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let mut additional_metadata = BoundedVec::<MetadataEntry, MAX_METADATA_ENTRIES>::new();
    for text in &args.entries {
        additional_metadata.push(entry(text)?).map_err(|_| {
            flags::refused(CoreError::invalid(
                Field::AdditionalMetadata,
                Problem::TooLong {
                    max: MAX_METADATA_ENTRIES,
                },
            ))
        })?;
    }
    let draft = Draft::new(TokenMetadata {
        name: flags::text(Field::Name, &args.name)?,
        uri: flags::text(Field::Uri, &args.uri)?,
        token: flags::address(Field::Token, &args.token)?,
        additional_metadata,
    });
    write::run(draft, &args.write, keys, json_mode, io)
}
