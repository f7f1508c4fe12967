//! `tokensign keygen`: a new key in an encrypted keystore, or in a
//! PKCS#11 token (`--pkcs11`).

use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::common::write_out;
use super::exit::CliError;
use super::Io;
use crate::show::show_path;
use crate::signer::{self, KdfStrength, KeyOptions, PinSource, Pkcs11Signer};

/// `tokensign keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The keystore file to create (never overwritten).
    #[arg(long, value_name = "FILE", required_unless_present = "pkcs11")]
    pub out: Option<PathBuf>,
    /// Create the key in a PKCS#11 token instead (--pkcs11-module,
    /// --pkcs11-token, and --pkcs11-key, the new key's label; the PIN from
    /// --pin-file or a prompt): a secp256k1 key pair whose private key
    /// never leaves the token.
    #[arg(long, conflicts_with_all = ["out", "light_kdf"])]
    pub pkcs11: bool,
    /// A light keystore (scrypt n = 2^12 instead of geth's 2^18), quick to
    /// open: for tests and throwaway keys only.
    #[arg(long)]
    pub light_kdf: bool,
}

/// Runs `keygen`.
pub fn run(
    args: &KeygenArgs,
    keys: &KeyOptions,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    if args.pkcs11 {
        return in_token(keys, json_mode, io);
    }
    let out = args
        .out
        .as_ref()
        .ok_or_else(|| CliError::bad_input("give --out FILE (or --pkcs11)"))?;
    if out.exists() {
        return Err(CliError::bad_input(format!(
            "{} already exists; refusing to overwrite it",
            show_path(out)
        )));
    }
    let strength = if args.light_kdf {
        KdfStrength::Light
    } else {
        KdfStrength::Standard
    };
    let password = signer::read_password(&keys.password_source(), "New keystore password: ", true)?;
    let address = signer::keygen(out, &password, strength)?;
    if json_mode {
        let obj = json!({
            "address": address.to_string(),
            "keystore": out.display().to_string(),
            "scrypt_n": 1u64 << strength.params().0,
        });
        return write_out(io.out, &format!("{obj}\n"));
    }
    write_out(
        io.out,
        &format!("Created keystore {}\naddress {address}\n", show_path(out)),
    )
}

/// `keygen --pkcs11`: a key pair in the token.
fn in_token(keys: &KeyOptions, json_mode: bool, io: &mut Io<'_>) -> Result<(), CliError> {
    let key = keys.pkcs11.as_ref().ok_or_else(|| {
        CliError::bad_input(
            "keygen --pkcs11 needs --pkcs11-module PATH, --pkcs11-token LABEL and \
             --pkcs11-key LABEL (the new key's label)",
        )
    })?;
    let pin = match &keys.pin_file {
        Some(file) => PinSource::File(file.clone()),
        None => PinSource::Prompt,
    };
    let pin = signer::read_pin(&pin, &key.token)?;
    let address = Pkcs11Signer::generate(key, &pin)?;
    if json_mode {
        let obj = json!({"address": address.to_string(), "pkcs11": key.describe()});
        return write_out(io.out, &format!("{obj}\n"));
    }
    write_out(
        io.out,
        &format!("Created {}\naddress {address}\n", key.describe()),
    )
}
