//! `tokensign address`: the configured signer's address.

use serde_json::json;

use super::common::{required_signer, write_out};
use super::exit::CliError;
use super::Io;
use crate::signer::{is_dev_signer, KeyOptions};

/// Runs `address`.
pub fn run(keys: &KeyOptions, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
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
    write_out(io.out, &format!("{address}\n"))
}
