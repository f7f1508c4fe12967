//! `tokensign address`: the configured signer's address (or its public
//! key, which `multisig` members are given by).

use clap::Args;
use serde_json::json;

use super::common::{required_signer, write_out};
use super::exit::CliError;
use super::Io;
use crate::signer::{is_dev_signer, KeyOptions};

/// `tokensign address`.
#[derive(Debug, Args)]
pub struct AddressArgs {
    /// Print the compressed public key (0x02…/0x03…, what `multisig
    /// --member` takes) instead of the address.
    #[arg(long)]
    pub public_key: bool,
}

/// Runs `address`.
pub fn run(
    args: &AddressArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    let signer = required_signer(keys, "address")?;
    let address = signer.address();
    if json_mode {
        let obj = json!({
            "address": address.to_string(),
            "dev_key": is_dev_signer(signer.as_ref()),
            "public_key": signer.public_key().map(|k| k.to_string()),
            "signer": signer.describe(),
        });
        return write_out(io.out, &format!("{obj}\n"));
    }
    if args.public_key {
        let key = signer.public_key().ok_or_else(|| {
            CliError::bad_input(
                "this signer does not report its public key (a device of protocol 1)",
            )
        })?;
        return write_out(io.out, &format!("{key}\n"));
    }
    write_out(io.out, &format!("{address}\n"))
}
