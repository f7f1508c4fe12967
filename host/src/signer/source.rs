//! Where the signing key comes from: the CLI's key flags, the environment,
//! files and the password prompt. Secrets are held in [`Zeroizing`]
//! buffers and never put in an error.

use std::fs::File;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use tokensign_core::hd::DerivationPath;
use tokensign_core::{signing_key_from_bytes, SigningKey};
use zeroize::Zeroizing;

use super::error::SourceKind;
use super::mnemonic::{load_mnemonic, MnemonicOrigin, ENV_MNEMONIC};
use super::pkcs11::{Pkcs11Key, Pkcs11Signer};
use super::{DeviceSigner, KeySigner, Signer, SignerError};
use crate::device::OpenSettings;
use crate::show::show_path;

/// Environment variable holding a private key as hex (optional `0x`).
pub const ENV_PRIVATE_KEY: &str = "TOKENSIGN_PRIVATE_KEY";
/// Environment variable holding the keystore password.
pub const ENV_PASSWORD: &str = "TOKENSIGN_PASSWORD";

/// Largest key or password file read, in bytes; a bigger file is refused.
pub(super) const MAX_SECRET_FILE: u64 = 4096;

/// Where the keystore password comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PasswordSource {
    /// A file; one trailing line break is removed.
    File(PathBuf),
    /// `$TOKENSIGN_PASSWORD`.
    Env,
    /// A no-echo prompt on the terminal (fails cleanly without one).
    Prompt,
}

/// Where the signing key comes from, in the order the CLI looks:
/// `--signer device`, `--keystore`, `--private-key-file`,
/// `--mnemonic-file`, `--dev-key`, `$TOKENSIGN_PRIVATE_KEY`,
/// `$TOKENSIGN_MNEMONIC`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// An Ethereum v3 JSON keystore and its password.
    Keystore {
        /// The keystore file.
        path: PathBuf,
        /// Its password's source.
        password: PasswordSource,
    },
    /// A file holding the key as 64 hex digits (optional `0x`, whitespace
    /// trimmed).
    PrivateKeyFile(PathBuf),
    /// `$TOKENSIGN_PRIVATE_KEY`.
    PrivateKeyEnv,
    /// A BIP-39 mnemonic (file or `$TOKENSIGN_MNEMONIC`), the path of the
    /// key below it, and the file of its BIP-39 passphrase (else
    /// `$TOKENSIGN_MNEMONIC_PASSPHRASE`, else empty).
    Mnemonic(MnemonicOrigin, DerivationPath, Option<PathBuf>),
    /// The public development key (only for the embedded server).
    Dev,
    /// A hardware signer speaking the device protocol, by its spec
    /// (`emulated`, `cmd:<command>` or a serial port path; see
    /// [`crate::device::open`]), how to open it, and the path of the key
    /// it signs with.
    Device(String, OpenSettings, DerivationPath),
    /// A key in a PKCS#11 token, and where its PIN comes from.
    Pkcs11(Pkcs11Key, PinSource),
}

/// Where a token's PIN comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PinSource {
    /// A file; one trailing line break is removed.
    File(PathBuf),
    /// A no-echo prompt on the terminal (fails cleanly without one).
    Prompt,
}

/// The key flags of the CLI, as given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyOptions {
    /// `--keystore FILE`.
    pub keystore: Option<PathBuf>,
    /// `--password-file FILE`.
    pub password_file: Option<PathBuf>,
    /// `--private-key-file FILE`.
    pub private_key_file: Option<PathBuf>,
    /// `--dev-key`.
    pub dev_key: bool,
    /// `--signer device --device SPEC`: the device spec.
    pub device: Option<String>,
    /// How to open the device (`--baud`).
    pub device_settings: OpenSettings,
    /// `--mnemonic-file FILE`.
    pub mnemonic_file: Option<PathBuf>,
    /// `--mnemonic-passphrase-file FILE`.
    pub mnemonic_passphrase_file: Option<PathBuf>,
    /// The key's path below a mnemonic or on a device (`--path`,
    /// `--mnemonic-index`); default `m/44'/60'/0'/0/0`.
    pub hd_path: Option<DerivationPath>,
    /// A key in a PKCS#11 token.
    pub pkcs11: Option<Pkcs11Key>,
    /// The file of the token's PIN (else a prompt).
    pub pin_file: Option<PathBuf>,
}

impl KeyOptions {
    /// The key source these options name, if any. Giving two sources is an
    /// error; `$TOKENSIGN_PRIVATE_KEY` counts only when no flag names a key.
    pub fn source(&self) -> Result<Option<KeySource>, SignerError> {
        let given: Vec<SourceKind> = [
            (self.keystore.is_some(), SourceKind::Keystore),
            (self.private_key_file.is_some(), SourceKind::PrivateKeyFile),
            (self.dev_key, SourceKind::Dev),
            (self.device.is_some(), SourceKind::Device),
            (self.mnemonic_file.is_some(), SourceKind::MnemonicFile),
            (self.pkcs11.is_some(), SourceKind::Pkcs11),
        ]
        .into_iter()
        .filter_map(|(given, kind)| given.then_some(kind))
        .collect();
        if given.len() > 1 {
            return Err(SignerError::TwoSources(given));
        }
        if let Some(key) = &self.pkcs11 {
            let pin = match &self.pin_file {
                Some(file) => PinSource::File(file.clone()),
                None => PinSource::Prompt,
            };
            return Ok(Some(KeySource::Pkcs11(key.clone(), pin)));
        }
        let path = self.hd_path.unwrap_or_else(crate::device::default_path);
        if let Some(spec) = &self.device {
            return Ok(Some(KeySource::Device(
                spec.clone(),
                self.device_settings.clone(),
                path,
            )));
        }
        if let Some(file) = &self.mnemonic_file {
            return Ok(Some(KeySource::Mnemonic(
                MnemonicOrigin::File(file.clone()),
                path,
                self.mnemonic_passphrase_file.clone(),
            )));
        }
        if let Some(path) = &self.keystore {
            return Ok(Some(KeySource::Keystore {
                path: path.clone(),
                password: self.password_source(),
            }));
        }
        if let Some(path) = &self.private_key_file {
            return Ok(Some(KeySource::PrivateKeyFile(path.clone())));
        }
        if self.dev_key {
            return Ok(Some(KeySource::Dev));
        }
        match (
            std::env::var_os(ENV_PRIVATE_KEY).is_some(),
            std::env::var_os(ENV_MNEMONIC).is_some(),
        ) {
            (true, true) => Err(SignerError::TwoSources(vec![
                SourceKind::PrivateKeyEnv,
                SourceKind::MnemonicEnv,
            ])),
            (true, false) => Ok(Some(KeySource::PrivateKeyEnv)),
            (false, true) => Ok(Some(KeySource::Mnemonic(
                MnemonicOrigin::Env,
                path,
                self.mnemonic_passphrase_file.clone(),
            ))),
            (false, false) => Ok(None),
        }
    }

    /// Where a password comes from: `--password-file`, then
    /// `$TOKENSIGN_PASSWORD`, then a prompt.
    pub fn password_source(&self) -> PasswordSource {
        if let Some(path) = &self.password_file {
            PasswordSource::File(path.clone())
        } else if std::env::var_os(ENV_PASSWORD).is_some() {
            PasswordSource::Env
        } else {
            PasswordSource::Prompt
        }
    }
}

/// Loads the signer a source names.
pub fn load(source: &KeySource) -> Result<Box<dyn Signer>, SignerError> {
    let (key, origin) = match source {
        KeySource::Keystore { path, password } => {
            let password = read_password(password, "Keystore password: ", false)?;
            (
                super::decrypt_keystore(path, &password)?,
                format!("keystore {}", show_path(path)),
            )
        }
        KeySource::PrivateKeyFile(path) => {
            let text = read_limited(path, MAX_SECRET_FILE, "private key file")?;
            let text = std::str::from_utf8(&text).map_err(|_| SignerError::KeyFileNotText {
                path: show_path(path),
            })?;
            let secret = parse_hex_key(text).map_err(|why| SignerError::KeyFormat {
                origin: format!("private key file {}", show_path(path)),
                why,
            })?;
            (
                key_from_secret(&secret)?,
                format!("key file {}", show_path(path)),
            )
        }
        KeySource::PrivateKeyEnv => {
            let value = Zeroizing::new(
                std::env::var(ENV_PRIVATE_KEY)
                    .map_err(|_| SignerError::EnvNotText(ENV_PRIVATE_KEY))?,
            );
            let secret = parse_hex_key(&value).map_err(|why| SignerError::KeyFormat {
                origin: format!("${ENV_PRIVATE_KEY}"),
                why,
            })?;
            (key_from_secret(&secret)?, format!("${ENV_PRIVATE_KEY}"))
        }
        KeySource::Dev => return Ok(Box::new(KeySigner::dev())),
        KeySource::Mnemonic(origin, path, passphrase) => {
            return Ok(Box::new(load_mnemonic(
                origin,
                path,
                passphrase.as_deref(),
            )?))
        }
        KeySource::Device(spec, settings, path) => {
            return Ok(Box::new(DeviceSigner::open(spec, settings, *path)?))
        }
        KeySource::Pkcs11(key, pin) => {
            let pin = read_pin(pin, &key.token)?;
            return Ok(Box::new(Pkcs11Signer::open(key, &pin)?));
        }
    };
    Ok(Box::new(KeySigner::new(key, origin)))
}

pub(super) fn key_from_secret(secret: &Zeroizing<[u8; 32]>) -> Result<SigningKey, SignerError> {
    signing_key_from_bytes(secret).map_err(|_| SignerError::InvalidKey)
}

/// Parses a private key: 64 hex digits, optional `0x`, surrounding
/// whitespace ignored. The error text never includes the input.
pub fn parse_hex_key(text: &str) -> Result<Zeroizing<[u8; 32]>, &'static str> {
    let text = text.trim();
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    if digits.len() != 64 {
        return Err("expected 64 hex digits (optionally prefixed with 0x)");
    }
    let mut out = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(digits, &mut out[..]).map_err(|_| {
        "expected 64 hex digits (optionally prefixed with 0x); found a non-hex character"
    })?;
    Ok(out)
}

/// Reads a file of at most `limit` bytes into a zeroizing buffer.
pub fn read_limited(
    path: &Path,
    limit: u64,
    what: &'static str,
) -> Result<Zeroizing<Vec<u8>>, SignerError> {
    let unreadable = |e: std::io::Error| SignerError::FileUnreadable {
        what,
        path: show_path(path),
        kind: e.kind(),
    };
    let file = File::open(path).map_err(unreadable)?;
    let mut buf = Zeroizing::new(Vec::with_capacity(256));
    file.take(limit + 1)
        .read_to_end(&mut buf)
        .map_err(unreadable)?;
    if buf.len() as u64 > limit {
        return Err(SignerError::FileTooLarge {
            what,
            path: show_path(path),
            limit,
        });
    }
    Ok(buf)
}

/// Reads a token's PIN from its source.
pub fn read_pin(source: &PinSource, token: &str) -> Result<Zeroizing<String>, SignerError> {
    match source {
        PinSource::File(path) => read_secret_file(path, "PIN file"),
        PinSource::Prompt => {
            if !(std::io::stdin().is_terminal() || std::io::stderr().is_terminal()) {
                return Err(SignerError::NoTerminal { what: "the PIN" });
            }
            prompt_once(
                &format!("PIN of token {:?}: ", crate::show::sanitize(token)),
                "the PIN",
            )
        }
    }
}

/// A secret file's text: UTF-8, one trailing line break removed.
fn read_secret_file(path: &Path, what: &'static str) -> Result<Zeroizing<String>, SignerError> {
    let bytes = read_limited(path, MAX_SECRET_FILE, what)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| SignerError::PasswordFileNotText {
        path: show_path(path),
    })?;
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    Ok(Zeroizing::new(text.to_owned()))
}

/// Reads a password from its source. With `confirm`, a prompt asks twice.
pub fn read_password(
    source: &PasswordSource,
    prompt: &str,
    confirm: bool,
) -> Result<Zeroizing<String>, SignerError> {
    match source {
        PasswordSource::File(path) => read_secret_file(path, "password file"),
        PasswordSource::Env => std::env::var(ENV_PASSWORD)
            .map(Zeroizing::new)
            .map_err(|_| SignerError::EnvNotText(ENV_PASSWORD)),
        PasswordSource::Prompt => {
            if !(std::io::stdin().is_terminal() || std::io::stderr().is_terminal()) {
                return Err(SignerError::NoTerminal { what: "a password" });
            }
            let first = prompt_once(prompt, "a password")?;
            if confirm {
                let second = prompt_once("Repeat the password: ", "a password")?;
                if *first != *second {
                    return Err(SignerError::PasswordsDiffer);
                }
            }
            Ok(first)
        }
    }
}

fn prompt_once(prompt: &str, what: &'static str) -> Result<Zeroizing<String>, SignerError> {
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|e| SignerError::PromptFailed {
            what,
            kind: e.kind(),
        })
}
