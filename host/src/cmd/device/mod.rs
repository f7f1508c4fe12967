//! `tokensign device …`: what a hardware device answers about its keys
//! (`address`, shown on the device with `--confirm`; `public-key`;
//! `version`) and its set-up as a wallet (`status`, `setup`, `unlock`,
//! `lock`, `change-pin`, `wipe`, `trust`). The device is the one of the
//! global `--device SPEC` flag (`--signer device` is not needed here); the
//! key is the one of the global `--path` / `--account-index` (alias of
//! `--mnemonic-index`) flags, the signing commands' own.
//!
//! Every step that needs the person says on stderr what to check and
//! confirm on the device. PINs come from the global `--pin-file` (the
//! current or new PIN; `--new-pin-file` for a change) or a no-echo prompt;
//! recovery words from `--restore-file`.

use std::path::{Path, PathBuf};

use serde_json::json;
use tokensign_core::hd::DerivationPath;
use tokensign_core::Address;
use zeroize::Zeroizing;

use super::common::{parse_address, write_out};
use super::exit::{CliError, Failure};
use super::{Io, KeyArgs};
use crate::device::{self, DeviceClient, DeviceError, DeviceState, Transport, WalletStatus};
use crate::show::{sanitize, show_path};
use crate::signer::{read_password, PasswordSource, SignerError};

mod args;

pub use args::DeviceArgs;
use args::*;

/// Largest recovery-words file read.
const MAX_WORDS_FILE: u64 = 1024;

/// Runs `device …` on the device of `--device` (`keys`).
pub fn run(
    args: &DeviceArgs,
    keys: &KeyArgs,
    json_mode: bool,
    io: &mut Io<'_>,
) -> Result<(), CliError> {
    // Check the flags and read the inputs before opening anything.
    let path = keys.options()?.hd_path.unwrap_or_else(device::default_path);
    if let DeviceCommand::Trust { address } = &args.command {
        parse_address("ADDR", address)?;
    }
    let words = match &args.command {
        DeviceCommand::Setup(SetupArgs {
            restore_file: Some(file),
            ..
        }) => Some(read_words(file)?),
        _ => None,
    };
    let Some(spec) = keys.device.as_deref() else {
        return Err(CliError::bad_input(
            "device commands need --device SPEC (emulated, emulated:DIR, cmd:<command> or serial:PORT)",
        ));
    };
    let shown = sanitize(spec);
    let mut client =
        device::open(spec, &keys.device_settings()?).map_err(|source| SignerError::DeviceOpen {
            spec: shown.clone(),
            source,
        })?;
    let mut session = Session {
        client: &mut client,
        pin_file: &keys.pin_file,
        spec: &shown,
        json_mode,
        io,
    };
    match &args.command {
        DeviceCommand::Address { confirm } => session.address(&path, *confirm),
        DeviceCommand::PublicKey => session.public_key(&path),
        DeviceCommand::Version => session.version(),
        DeviceCommand::Status => session.status(),
        DeviceCommand::Setup(setup) => session.setup(setup, words, &path),
        DeviceCommand::Unlock => session.unlock(),
        DeviceCommand::Lock => session.lock(),
        DeviceCommand::ChangePin(change) => session.change_pin(change),
        DeviceCommand::Wipe => session.wipe(),
        DeviceCommand::Trust { address } => session.trust(&parse_address("ADDR", address)?),
    }
}

/// The recovery words of `file`, whitespace normalized.
fn read_words(file: &Path) -> Result<Zeroizing<String>, CliError> {
    let bytes = crate::signer::read_limited(file, MAX_WORDS_FILE, "recovery words file")?;
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        CliError::bad_input(format!(
            "{} is not text: write the recovery words in it, separated by spaces",
            show_path(file)
        ))
    })?;
    Ok(Zeroizing::new(
        text.split_whitespace().collect::<Vec<_>>().join(" "),
    ))
}

fn pin_source(file: &Option<PathBuf>) -> PasswordSource {
    match file {
        Some(file) => PasswordSource::File(file.clone()),
        None => PasswordSource::Prompt,
    }
}

/// A PIN from its file or a no-echo prompt (`confirm`: asked twice).
fn read_pin(
    file: &Option<PathBuf>,
    prompt: &str,
    confirm: bool,
) -> Result<Zeroizing<String>, CliError> {
    let pin = read_password(&pin_source(file), prompt, confirm).map_err(|e| match e {
        SignerError::PasswordsDiffer => CliError::bad_input(
            "the two PINs differ; run the command again and type the same PIN twice",
        ),
        e => CliError::from(e),
    })?;
    if tokensign_core::device::Pin::parse(pin.as_bytes()).is_err() {
        return Err(CliError::bad_input(
            "the PIN must be 4 to 8 digits (0-9); choose another",
        ));
    }
    Ok(pin)
}

struct Session<'a, 'io> {
    client: &'a mut DeviceClient<Box<dyn Transport>>,
    /// The global `--pin-file`: the device's (current) PIN.
    pin_file: &'a Option<PathBuf>,
    spec: &'a str,
    json_mode: bool,
    io: &'a mut Io<'io>,
}

impl Session<'_, '_> {
    fn say(&mut self, text: &str) -> Result<(), CliError> {
        write_out(self.io.err, &format!("{text}\n"))
    }

    fn out(&mut self, text: &str, json: serde_json::Value) -> Result<(), CliError> {
        if self.json_mode {
            write_out(self.io.out, &format!("{json}\n"))
        } else {
            write_out(self.io.out, &format!("{text}\n"))
        }
    }

    /// The pages the device showed, on stderr, labelled as its screen.
    fn show_pages(&mut self) -> Result<Vec<String>, CliError> {
        let pages = self.client.take_display();
        for page in &pages {
            write_out(self.io.err, &format!("device screen: {}\n", sanitize(page)))?;
        }
        Ok(pages)
    }

    /// The CLI error of a device failure while `doing`.
    fn failed(&mut self, doing: &str, e: DeviceError) -> CliError {
        let _ = self.show_pages();
        device_error(self.spec, doing, e)
    }

    fn address(&mut self, path: &DerivationPath, confirm: bool) -> Result<(), CliError> {
        if confirm {
            self.say(&format!(
                "Check on the device that it shows the path {path} and the address below, then confirm there."
            ))?;
        }
        let address =
            match self.client.address(path, confirm) {
                Ok(address) => address,
                Err(e) if e.is_denied() => return Err(CliError::new(
                    Failure::DeviceRefused,
                    "refused on the device: do not use that address; check the device and the path",
                )),
                Err(e) => return Err(self.failed("address", e)),
            };
        self.client.take_display();
        self.out(
            &address.to_string(),
            json!({ "address": address.to_string(), "path": path.to_string(), "confirmed": confirm }),
        )
    }

    fn public_key(&mut self, path: &DerivationPath) -> Result<(), CliError> {
        let key = self
            .client
            .public_key(path)
            .map_err(|e| device_error(self.spec, "public key", e))?;
        let key = format!("0x{}", hex::encode(key));
        self.out(&key, json!({ "public_key": key, "path": path.to_string() }))
    }

    fn version(&mut self) -> Result<(), CliError> {
        let version = self
            .client
            .version()
            .map_err(|e| device_error(self.spec, "version", e))?;
        self.out(
            &format!(
                "protocol {}, core {}",
                version.protocol,
                sanitize(&version.core)
            ),
            json!({ "protocol": version.protocol, "core": version.core }),
        )
    }

    fn state(&mut self) -> Result<DeviceState, CliError> {
        self.client
            .state()
            .map_err(|e| device_error(self.spec, "state", e))
    }

    fn status(&mut self) -> Result<(), CliError> {
        let state = self.state()?;
        let list = |a: &[Address]| a.iter().map(Address::to_string).collect::<Vec<_>>();
        let mut text = format!(
            "{}{}; {} of {} PIN attempts left",
            state.wallet.name(),
            if state.fixed_seed {
                " (fixed test seed)"
            } else {
                ""
            },
            state.attempts_left,
            state.max_attempts
        );
        for signer in state.trusted.iter() {
            text.push_str(&format!("\ntrusts definitions from {signer}"));
        }
        for signer in state.session_trusted.iter() {
            text.push_str(&format!(
                "\ntrusts definitions from {signer} (this run only)"
            ));
        }
        text.push_str(&format!(
            "\nnext: {}",
            next_for(state.wallet, state.fixed_seed)
        ));
        self.out(
            &text,
            json!({
                "state": state.wallet.name(),
                "fixed_seed": state.fixed_seed,
                "pin_attempts_left": state.attempts_left,
                "pin_attempts": state.max_attempts,
                "trusted": list(&state.trusted),
                "session_trusted": list(&state.session_trusted),
            }),
        )
    }

    fn setup(
        &mut self,
        args: &SetupArgs,
        words: Option<Zeroizing<String>>,
        path: &DerivationPath,
    ) -> Result<(), CliError> {
        let state = self.state()?;
        if state.fixed_seed {
            return Err(CliError::bad_input(
                "this device has a fixed test seed and nothing to set up: use `--device emulated:DIR` \
                 for a practice wallet kept in DIR, the QEMU firmware or a board",
            ));
        }
        if state.wallet != WalletStatus::Empty {
            return Err(CliError::bad_input(
                "the device already holds a seed: to replace it, run `tokensign device wipe` first \
                 (with your recovery words at hand)",
            ));
        }
        let pin = read_pin(self.pin_file, "New device PIN (4 to 8 digits): ", true)?;
        let done = match &words {
            Some(words) => {
                self.say(
                    "The device shows a warning: words typed on a computer are not secret. \
                     Confirm it on the device to restore from them.",
                )?;
                self.client.setup_restore(words, &pin)
            }
            None => {
                self.say(&format!(
                    "Confirm on the device to create a new wallet of {} words. The device then shows \
                     each word on its own screen: write them down in order, then confirm there.",
                    args.words.count()
                ))?;
                self.client.setup_generate(args.words.count(), &pin)
            }
        };
        drop(pin);
        if let Err(e) = done {
            return Err(self.failed("set-up", e));
        }
        let pages = self.show_pages()?;
        let address = self
            .client
            .address(path, false)
            .map_err(|e| device_error(self.spec, "address", e))?;
        self.say("Set up: the device keeps its seed under your PIN and is unlocked.")?;
        self.out(
            &format!("{address}"),
            json!({
                "state": "unlocked",
                "address": address.to_string(),
                "path": path.to_string(),
                "device_pages": pages,
            }),
        )
    }

    fn unlock(&mut self) -> Result<(), CliError> {
        let state = self.state()?;
        match state.wallet {
            WalletStatus::Empty => {
                return Err(CliError::bad_input(format!(
                    "the device holds no seed: {}",
                    next_for(WalletStatus::Empty, state.fixed_seed)
                )))
            }
            _ if state.fixed_seed => {
                return Err(CliError::bad_input(
                    "this device has a fixed test seed and no PIN: it is always unlocked",
                ))
            }
            _ => {}
        }
        let pin = read_pin(self.pin_file, "Device PIN: ", false)?;
        let unlocked = self.client.unlock(&pin);
        drop(pin);
        unlocked.map_err(|e| self.failed("unlock", e))?;
        self.out("unlocked", json!({ "state": "unlocked" }))
    }

    fn lock(&mut self) -> Result<(), CliError> {
        self.client
            .lock()
            .map_err(|e| device_error(self.spec, "lock", e))?;
        self.out("locked", json!({ "state": "locked" }))
    }

    fn change_pin(&mut self, args: &ChangePinArgs) -> Result<(), CliError> {
        let old = read_pin(self.pin_file, "Current device PIN: ", false)?;
        let new = read_pin(&args.new_pin_file, "New device PIN (4 to 8 digits): ", true)?;
        self.say("Confirm the PIN change on the device.")?;
        let changed = self.client.change_pin(&old, &new);
        drop((old, new));
        changed.map_err(|e| self.failed("PIN change", e))?;
        let pages = self.show_pages()?;
        self.out(
            "PIN changed; the device is unlocked",
            json!({ "state": "unlocked", "device_pages": pages }),
        )
    }

    fn wipe(&mut self) -> Result<(), CliError> {
        self.say(
            "Confirm the wipe on the device: its seed, PIN and trusted signers are erased. \
             Only your recovery words can restore the seed.",
        )?;
        self.client.wipe().map_err(|e| self.failed("wipe", e))?;
        let pages = self.show_pages()?;
        self.out(
            "wiped: the device is empty; set it up with `tokensign device setup`",
            json!({ "state": "empty", "device_pages": pages }),
        )
    }

    fn trust(&mut self, signer: &Address) -> Result<(), CliError> {
        self.say(&format!(
            "Check that the device asks \"Trust token definitions from {signer}?\" and confirm there."
        ))?;
        self.client
            .trust(signer)
            .map_err(|e| self.failed("trust", e))?;
        let pages = self.show_pages()?;
        self.out(
            &format!("the device trusts token definitions from {signer}"),
            json!({ "trusted": signer.to_string(), "device_pages": pages }),
        )
    }
}

/// What to do next in a wallet state.
fn next_for(state: WalletStatus, fixed_seed: bool) -> &'static str {
    match (state, fixed_seed) {
        (_, true) => "nothing to set up (a fixed test seed); sign with it",
        (WalletStatus::Empty, _) => {
            "set it up with `tokensign device setup --generate` or `--restore-file WORDS`"
        }
        (WalletStatus::Locked, _) => "unlock it with `tokensign device unlock`",
        (WalletStatus::Unlocked, _) => "ready to sign",
    }
}

/// The CLI error of a device failure while `doing`: a refusal on the
/// device has its own exit code; what the person must change (a PIN, the
/// state) is bad input; the rest is the device failing.
fn device_error(spec: &str, doing: &str, e: DeviceError) -> CliError {
    if e.is_denied() {
        return CliError::new(
            Failure::DeviceRefused,
            format!("refused on the device: the {doing} did not happen"),
        );
    }
    if e.is_for_the_person() {
        return CliError::bad_input(format!("{doing}: {e}"));
    }
    CliError::new(
        Failure::Internal,
        format!(
            "device {spec:?} did not complete the {doing}: {e}; check that it is connected and \
             that --device names it"
        ),
    )
}
