//! `tokensign keygen`: a new key in an encrypted keystore.

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::common::write_out;
use super::exit::CliError;
use super::Io;
use crate::signer::{self, KeyOptions};
use crate::text::show_path;

/// `tokensign keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The keystore file to create (never overwritten).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// Runs `keygen`.
pub fn run(
    args: &KeygenArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    if args.out.exists() {
        return Err(CliError::bad_input(format!(
            "{} already exists; refusing to overwrite it",
            show_path(&args.out)
        )));
    }
    let password = signer::read_password(&keys.password_source(), "New keystore password: ", true)?;
    let address = signer::keygen(&args.out, &password)?;
    if json_mode {
        let obj = json!({
            "address": address.to_string(),
            "keystore": args.out.display().to_string(),
        });
        return write_out(io.out, &format!("{obj}\n"));
    }
    write_out(
        io.out,
        &format!(
            "Created keystore {}\naddress {address}\n",
            show_path(&args.out)
        ),
    )
}
