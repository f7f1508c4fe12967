//! `tokensign device …`: what a hardware device answers about its keys,
//! without signing anything: `address` (shown on the device for
//! confirmation with `--confirm`), `public-key` (the compressed key, for
//! multisig creation) and `version`. The device is the one of the global
//! `--device SPEC` flag (`--signer device` is not needed here); the key is
//! the one of the global `--path` / `--account-index` (alias of
//! `--mnemonic-index`) flags, the signing commands' own.

use clap::{Args, Subcommand};
use serde_json::json;
use tokensign_core::hd::DerivationPath;

use super::common::write_out;
use super::exit::{CliError, Failure};
use super::{Io, KeyArgs};
use crate::device::{self, DeviceClient, DeviceError, OpenSettings, Transport};
use crate::show::sanitize;
use crate::signer::SignerError;

/// `tokensign device`.
#[derive(Debug, Args)]
pub struct DeviceArgs {
    /// What to ask the device.
    #[command(subcommand)]
    pub command: DeviceCommand,
}

/// The device's commands.
#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Print the address of a key; with --confirm the device shows it (and
    /// its path) and waits for you to confirm it matches.
    Address {
        /// Have the device show the address and wait for your confirmation.
        #[arg(long)]
        confirm: bool,
    },
    /// Print the compressed public key of a key (33 bytes, hex), as a
    /// multisig's signer list takes it.
    PublicKey,
    /// Print the device's protocol version and core version.
    Version,
}

/// Runs `device …` on the device of `--device` (`keys`).
pub fn run(
    args: &DeviceArgs,
    keys: &KeyArgs,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    // Check the flags before opening anything.
    let path = match &args.command {
        DeviceCommand::Address { .. } | DeviceCommand::PublicKey => {
            Some(keys.options()?.hd_path.unwrap_or_else(device::default_path))
        }
        DeviceCommand::Version => None,
    };
    let Some(spec) = keys.device.as_deref() else {
        return Err(CliError::bad_input(
            "device commands need --device SPEC (emulated, cmd:<command> or a serial port path)",
        ));
    };
    let shown = sanitize(spec);
    let mut client = device::open(spec, &OpenSettings { baud: keys.baud }).map_err(|source| {
        SignerError::DeviceOpen {
            spec: shown.clone(),
            source,
        }
    })?;
    match (&args.command, path) {
        (DeviceCommand::Address { confirm, .. }, Some(path)) => {
            address(&mut client, &shown, &path, *confirm, json_mode, io)
        }
        (DeviceCommand::PublicKey, Some(path)) => {
            let key = client
                .public_key(&path)
                .map_err(|e| failed(&shown, "public key", e))?;
            let key = format!("0x{}", hex::encode(key));
            if json_mode {
                let obj = json!({ "public_key": key, "path": path.to_string() });
                return write_out(io.out, &format!("{obj}\n"));
            }
            write_out(io.out, &format!("{key}\n"))
        }
        (_, _) => {
            let version = client.version().map_err(|e| failed(&shown, "version", e))?;
            if json_mode {
                let obj = json!({ "protocol": version.protocol, "core": version.core });
                return write_out(io.out, &format!("{obj}\n"));
            }
            write_out(
                io.out,
                &format!(
                    "protocol {}, core {}\n",
                    version.protocol,
                    sanitize(&version.core)
                ),
            )
        }
    }
}

fn address(
    client: &mut DeviceClient<Box<dyn Transport>>,
    spec: &str,
    path: &DerivationPath,
    confirm: bool,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    if confirm {
        write_out(
            io.err,
            &format!("Check on the device that it shows the path {path} and the address below, then confirm there.\n"),
        )?;
    }
    let address = client.address(path, confirm).map_err(|e| {
        if e.is_denied() {
            CliError::bad_input(
                "you rejected the address on the device; do not use it, and check the device and the path",
            )
        } else {
            failed(spec, "address", e)
        }
    })?;
    if json_mode {
        let obj = json!({
            "address": address.to_string(),
            "path": path.to_string(),
            "confirmed": confirm,
        });
        return write_out(io.out, &format!("{obj}\n"));
    }
    write_out(io.out, &format!("{address}\n"))
}

/// A device that did not answer `what`.
fn failed(spec: &str, what: &str, source: DeviceError) -> CliError {
    CliError::new(
        Failure::Internal,
        format!(
            "device {spec:?} did not answer its {what}: {source}; check that it is connected \
             and unlocked and that --device names it"
        ),
    )
}
