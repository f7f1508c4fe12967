//! What every command shares: the key flags, writing results, reading
//! documents, and the notes on stderr.

use std::cell::RefCell;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use tokensign_core::hd::DerivationPath;
use tokensign_core::json::MAX_JSON_INPUT_LEN;
use tokensign_core::Address;

use super::exit::CliError;
use crate::client::{show_duration, Observer, Waiting};
use crate::device::{OpenSettings, DEFAULT_BAUD};
use crate::show::{io_reason, sanitize, show_path};
use crate::signer::{self, KeyOptions, Signer};

/// Key flags, shared by every command.
#[derive(Debug, Args, Clone, Default)]
pub struct KeyArgs {
    /// Ethereum v3 JSON keystore file (scrypt + aes-128-ctr).
    #[arg(long, global = true, env = "TOKENSIGN_KEYSTORE", value_name = "FILE")]
    pub keystore: Option<PathBuf>,

    /// File holding the keystore password (one trailing newline removed).
    /// Otherwise $TOKENSIGN_PASSWORD, otherwise a no-echo prompt.
    #[arg(
        long,
        global = true,
        env = "TOKENSIGN_PASSWORD_FILE",
        value_name = "FILE"
    )]
    pub password_file: Option<PathBuf>,

    /// File holding the private key as 64 hex digits (optional 0x).
    /// Otherwise $TOKENSIGN_PRIVATE_KEY holds the hex key itself.
    #[arg(
        long,
        global = true,
        env = "TOKENSIGN_PRIVATE_KEY_FILE",
        value_name = "FILE"
    )]
    pub private_key_file: Option<PathBuf>,

    /// File holding a BIP-39 mnemonic (English words); the key is the one at
    /// --path or --mnemonic-index below it. Otherwise $TOKENSIGN_MNEMONIC
    /// holds the words themselves.
    #[arg(
        long,
        global = true,
        env = "TOKENSIGN_MNEMONIC_FILE",
        value_name = "FILE"
    )]
    pub mnemonic_file: Option<PathBuf>,

    /// File holding the mnemonic's BIP-39 passphrase (ASCII; one trailing
    /// newline removed). Otherwise $TOKENSIGN_MNEMONIC_PASSPHRASE, otherwise
    /// none.
    #[arg(long, global = true, value_name = "FILE")]
    pub mnemonic_passphrase_file: Option<PathBuf>,

    /// The account index N of the path m/44'/60'/0'/0/N, for a mnemonic or
    /// a device (default 0).
    #[arg(
        long,
        visible_alias = "account-index",
        global = true,
        value_name = "N",
        conflicts_with = "hd_path"
    )]
    pub mnemonic_index: Option<u32>,

    /// The BIP-32 derivation path of the key, for a mnemonic or a device,
    /// e.g. "m/44'/60'/0'/0/3" (default m/44'/60'/0'/0/0).
    #[arg(
        long = "path",
        visible_alias = "hd-path",
        global = true,
        value_name = "PATH"
    )]
    pub hd_path: Option<String>,

    /// Sign with the PUBLIC, INSECURE development key (embedded server and
    /// offline use only; refused against any other server).
    #[arg(long, global = true)]
    pub dev_key: bool,

    /// What signs: a key held by this process (`key`, the default) or a
    /// hardware device (`device`, with --device).
    #[arg(long, global = true, env = "TOKENSIGN_SIGNER", value_enum, default_value_t = SignerKind::Key)]
    pub signer: SignerKind,

    /// The device for `--signer device`: `emulated` (in-process, public
    /// test key), `emulated:DIR` (a practice wallet kept in DIR; set it up
    /// with `tokensign device setup`), `emulated:confirm[:DIR]` (asks y/n
    /// on the terminal page by page), `cmd:<command>` (a program speaking
    /// the device protocol on stdin/stdout, such as the QEMU line in
    /// docs/embedded.md) or a serial port, `serial:/dev/ttyACM0` (opened
    /// raw, 8N1, at --baud).
    #[arg(long, global = true, env = "TOKENSIGN_DEVICE", value_name = "SPEC")]
    pub device: Option<String>,

    /// The emulated device trusts token definitions signed by ADDR for
    /// this run (repeatable). A real device trusts a signer after you
    /// confirm it there: `tokensign device trust ADDR`.
    #[arg(long = "device-trust", global = true, value_name = "ADDR")]
    pub device_trust: Vec<String>,

    /// The PKCS#11 module (shared library) of a hardware security module,
    /// e.g. /usr/lib/softhsm/libsofthsm2.so: sign with a key in one of
    /// its tokens (with --pkcs11-token and --pkcs11-key).
    #[arg(
        long,
        global = true,
        env = "TOKENSIGN_PKCS11_MODULE",
        value_name = "PATH"
    )]
    pub pkcs11_module: Option<PathBuf>,

    /// The label of the PKCS#11 token that holds the key.
    #[arg(
        long,
        global = true,
        env = "TOKENSIGN_PKCS11_TOKEN",
        value_name = "LABEL"
    )]
    pub pkcs11_token: Option<String>,

    /// The label of the key in the token (its private and public objects).
    #[arg(
        long,
        global = true,
        env = "TOKENSIGN_PKCS11_KEY",
        value_name = "LABEL"
    )]
    pub pkcs11_key: Option<String>,

    /// File holding a PIN (one trailing newline removed): the PKCS#11
    /// token's user PIN, or the device's (`tokensign device setup`,
    /// `unlock`, `change-pin`). Otherwise a no-echo prompt.
    #[arg(long, global = true, env = "TOKENSIGN_PIN_FILE", value_name = "FILE")]
    pub pin_file: Option<PathBuf>,

    /// Baud rate of a serial device.
    #[arg(long, global = true, env = "TOKENSIGN_BAUD", default_value_t = DEFAULT_BAUD,
          value_parser = clap::value_parser!(u32).range(50..=4_000_000), value_name = "RATE")]
    pub baud: u32,
}

/// What signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum SignerKind {
    /// A key held by this process.
    #[default]
    Key,
    /// A hardware device speaking the device protocol.
    Device,
    /// A key in a hardware security module, through its PKCS#11 module
    /// (--pkcs11-module, --pkcs11-token, --pkcs11-key).
    Pkcs11,
}

impl KeyArgs {
    /// The library's view of these flags; `--signer device` needs `--device`.
    pub fn options(&self) -> Result<KeyOptions, CliError> {
        let device = match (self.signer, &self.device) {
            (SignerKind::Device, Some(spec)) => Some(spec.clone()),
            (SignerKind::Device, None) => {
                return Err(CliError::bad_input(
                    "--signer device needs --device SPEC (emulated, cmd:<command> or a serial port path)",
                ))
            }
            (SignerKind::Key | SignerKind::Pkcs11, _) => None,
        };
        let pkcs11 = match (
            self.signer,
            &self.pkcs11_module,
            &self.pkcs11_token,
            &self.pkcs11_key,
        ) {
            (_, Some(module), Some(token), Some(key)) => Some(crate::signer::Pkcs11Key {
                module: module.clone(),
                token: token.clone(),
                key: key.clone(),
            }),
            (SignerKind::Pkcs11, _, _, _) | (_, Some(_), _, _) => {
                return Err(CliError::bad_input(
                    "a PKCS#11 key needs --pkcs11-module PATH, --pkcs11-token LABEL and \
                     --pkcs11-key LABEL (or $TOKENSIGN_PKCS11_MODULE, _TOKEN and _KEY)",
                ))
            }
            _ => None,
        };
        let hd_path = match (&self.hd_path, self.mnemonic_index) {
            (Some(text), _) => Some(DerivationPath::parse(text.trim()).map_err(|e| {
                CliError::bad_input(format!(
                    "invalid --path {:?}: {e}; write it like m/44'/60'/0'/0/0",
                    sanitize(text)
                ))
            })?),
            (None, Some(index)) => Some(DerivationPath::ethereum(index).map_err(|e| {
                CliError::bad_input(format!(
                    "invalid --mnemonic-index {index}: {e}; use 0 to 2147483647"
                ))
            })?),
            (None, None) => None,
        };
        Ok(KeyOptions {
            mnemonic_file: self.mnemonic_file.clone(),
            mnemonic_passphrase_file: self.mnemonic_passphrase_file.clone(),
            hd_path,
            keystore: self.keystore.clone(),
            password_file: self.password_file.clone(),
            private_key_file: self.private_key_file.clone(),
            dev_key: self.dev_key,
            device,
            device_settings: self.device_settings()?,
            pkcs11,
            pin_file: self.pin_file.clone(),
        })
    }

    /// How to open the device: `--baud`, `--device-trust`.
    pub fn device_settings(&self) -> Result<OpenSettings, CliError> {
        let session_trust = self
            .device_trust
            .iter()
            .map(|text| {
                tokensign_core::Address::parse(text.trim()).map_err(|e| {
                    CliError::bad_input(format!(
                        "invalid --device-trust {:?}: {e}; give the definition signer's 0x address",
                        sanitize(text)
                    ))
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(OpenSettings {
            baud: self.baud,
            session_trust,
        })
    }
}

/// The signer the key flags name; `what` (the command) needs one.
pub fn required_signer(keys: &KeyOptions, what: &str) -> Result<Box<dyn Signer>, CliError> {
    match keys.source()? {
        Some(source) => Ok(signer::load(&source)?),
        None => Err(CliError::bad_input(format!(
            "{what} needs a key: give --keystore FILE, --private-key-file FILE, \
             $TOKENSIGN_PRIVATE_KEY, --mnemonic-file FILE (or $TOKENSIGN_MNEMONIC), \
             --signer device --device SPEC, --pkcs11-module PATH --pkcs11-token LABEL \
             --pkcs11-key LABEL, or --dev-key for the public development key"
        ))),
    }
}

/// Writes `text` and flushes.
pub fn write_out(w: &mut dyn Write, text: &str) -> Result<(), CliError> {
    w.write_all(text.as_bytes())
        .and_then(|()| w.flush())
        .map_err(|e| CliError::internal(format!("cannot write output: {}", e.kind())))
}

/// Reads a JSON document from a file or `-` (stdin). Reads at most one
/// byte more than the core accepts, so the core can refuse it as too long.
pub fn read_json_input(path: &Path, input: &mut dyn Read, what: &str) -> Result<Vec<u8>, CliError> {
    read_limited_input(path, input, MAX_JSON_INPUT_LEN as u64, what)
}

/// Reads at most `limit` + 1 bytes from a file or `-` (stdin).
pub fn read_limited_input(
    path: &Path,
    input: &mut dyn Read,
    limit: u64,
    what: &str,
) -> Result<Vec<u8>, CliError> {
    let mut buf = Vec::new();
    let result = if path == Path::new("-") {
        input.take(limit + 1).read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut buf))
    };
    result.map_err(|e| {
        let name = if path == Path::new("-") {
            "standard input".to_owned()
        } else {
            show_path(path)
        };
        CliError::bad_input(format!(
            "cannot read {what} from {name}: {}",
            io_reason(e.kind())
        ))
    })?;
    Ok(buf)
}

/// The operation a request is read as: `--operation NAME` (`given`), else
/// the `"operation"` the `--json` object names (`claimed`); an unknown name
/// gets the closest one as a suggestion.
pub fn named_operation(
    given: Option<&str>,
    claimed: Option<&str>,
) -> Result<Option<tokensign_core::tx::OpType>, CliError> {
    given
        .or(claimed)
        .map(|name| {
            tokensign_core::tx::OpType::from_name(name.trim()).ok_or_else(|| {
                CliError::bad_input(format!(
                    "unknown operation {:?}{}: use a spec name such as Payment, TokenIssue, \
                     TokenMint, CreateMultiSig, BatchPayment",
                    sanitize(name),
                    crate::input::closest_operation(name)
                        .map(|c| format!(" (did you mean {c}?)"))
                        .unwrap_or_default()
                ))
            })
        })
        .transpose()
}

/// Parses an address flag through the core (strict hex, EIP-55 for mixed
/// case).
pub fn parse_address(flag: &str, text: &str) -> Result<Address, CliError> {
    Address::parse(text.trim())
        .map_err(|e| CliError::bad_input(format!("invalid {flag} {:?}: {e}", sanitize(text))))
}

/// Notes for people on stderr: which server, what the client waits for.
/// Also the client's [`Observer`].
pub struct Notes<'a> {
    err: RefCell<&'a mut dyn Write>,
}

impl<'a> Notes<'a> {
    /// Notes written to `err`.
    pub fn new(err: &'a mut dyn Write) -> Self {
        Notes {
            err: RefCell::new(err),
        }
    }

    /// Writes `text` (a whole line or lines).
    pub fn write(&self, text: &str) -> Result<(), CliError> {
        match self.err.try_borrow_mut() {
            Ok(mut err) => write_out(&mut **err, text),
            Err(_) => Ok(()),
        }
    }
}

impl Observer for Notes<'_> {
    fn waiting(&self, w: &Waiting<'_>) {
        let retry = if w.attempt > 1 {
            format!("retry {} of {}, ", w.attempt - 1, w.attempts - 1)
        } else {
            String::new()
        };
        // A failed note must not fail the request.
        let _ = self.write(&format!(
            "waiting for {} {} ({retry}up to {})\n",
            w.method,
            sanitize(w.url),
            show_duration(w.limit)
        ));
    }

    fn still_waiting(&self, w: &Waiting<'_>, elapsed: std::time::Duration) {
        let _ = self.write(&format!(
            "still waiting for {} {} ({} of up to {})\n",
            w.method,
            sanitize(w.url),
            show_duration(std::time::Duration::from_secs(elapsed.as_secs())),
            show_duration(w.limit)
        ));
    }
}
