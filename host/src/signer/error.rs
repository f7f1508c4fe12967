//! The signer layer's errors: loading a key (files, environment, keystore,
//! password, device) and signing with it. No variant holds key material;
//! paths are shown sanitized and quoted.

use tokensign_core::{Address, Error as CoreError};

use crate::device::DeviceError;

/// A kind of key source, as [`SignerError::TwoSources`] names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// A v3 keystore file.
    Keystore,
    /// A private key file.
    PrivateKeyFile,
    /// `$TOKENSIGN_PRIVATE_KEY`.
    PrivateKeyEnv,
    /// A BIP-39 mnemonic file.
    MnemonicFile,
    /// `$TOKENSIGN_MNEMONIC`.
    MnemonicEnv,
    /// The development key.
    Dev,
    /// A hardware device.
    Device,
    /// A key in a PKCS#11 token.
    Pkcs11,
}

impl std::fmt::Display for SourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SourceKind::Keystore => "a keystore",
            SourceKind::PrivateKeyFile => "a private key file",
            SourceKind::PrivateKeyEnv => "$TOKENSIGN_PRIVATE_KEY",
            SourceKind::MnemonicFile => "a mnemonic file",
            SourceKind::MnemonicEnv => "$TOKENSIGN_MNEMONIC",
            SourceKind::Dev => "the development key",
            SourceKind::Device => "a device",
            SourceKind::Pkcs11 => "a PKCS#11 key",
        })
    }
}

fn list(kinds: &[SourceKind]) -> String {
    let names: Vec<String> = kinds.iter().map(ToString::to_string).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

/// What went wrong loading or using a signer.
#[derive(Debug, thiserror::Error)]
pub enum SignerError {
    /// More than one key source was named (the command layer says which
    /// flags or variables named them).
    #[error("{} are given as the signing key: give only one", list(.0))]
    TwoSources(Vec<SourceKind>),
    /// A BIP-39 mnemonic or its derivation was refused (never shows a word).
    #[error("{origin}: {why}; nothing was signed")]
    Mnemonic {
        /// Where the mnemonic came from (`mnemonic file "…"`, `$TOKENSIGN_MNEMONIC`).
        origin: String,
        /// The core's reason (a word's position at most, never the word).
        why: String,
    },
    /// A file could not be read.
    #[error("cannot read {what} {path}: {}", crate::show::io_reason(*.kind))]
    FileUnreadable {
        /// `private key file`, `keystore`, `password file`.
        what: &'static str,
        /// The path, shown.
        path: String,
        /// The I/O error's kind.
        kind: std::io::ErrorKind,
    },
    /// A file is larger than such a file can be.
    #[error("{what} {path} is larger than {limit} bytes")]
    FileTooLarge {
        /// What the file is.
        what: &'static str,
        /// The path, shown.
        path: String,
        /// The limit.
        limit: u64,
    },
    /// A key file is not text.
    #[error("private key file {path}: not text; expected 64 hex digits (optional 0x)")]
    KeyFileNotText {
        /// The path, shown.
        path: String,
    },
    /// A hex key is malformed (the text is never shown).
    #[error("{origin}: {why}")]
    KeyFormat {
        /// Where it came from (`private key file "…"`, `$TOKENSIGN_PRIVATE_KEY`).
        origin: String,
        /// What is wrong with it.
        why: &'static str,
    },
    /// `$TOKENSIGN_PRIVATE_KEY` is not text.
    #[error("${0} is not valid text")]
    EnvNotText(&'static str),
    /// The 32 bytes are zero or not below the curve order.
    #[error("the private key is not a valid secp256k1 key (zero or too large)")]
    InvalidKey,
    /// A password file is not UTF-8.
    #[error("password file {path} is not UTF-8 text")]
    PasswordFileNotText {
        /// The path, shown.
        path: String,
    },
    /// A secret (`what`: a keystore password, a PIN) is needed and
    /// nothing can ask for it.
    #[error("{what} is needed but there is no terminal to ask on")]
    NoTerminal {
        /// `a password`, `the PIN`.
        what: &'static str,
    },
    /// The terminal prompt failed.
    #[error("cannot read {what} from the terminal ({kind})")]
    PromptFailed {
        /// `a password`, `the PIN`.
        what: &'static str,
        /// The I/O error's kind.
        kind: std::io::ErrorKind,
    },
    /// The confirmation differs.
    #[error("the two passwords differ")]
    PasswordsDiffer,
    /// An empty password for a new keystore.
    #[error("refusing to encrypt a keystore with an empty password")]
    EmptyPassword,
    /// A keystore of a shape this tool does not decrypt.
    #[error("keystore {path} is not a usable Ethereum v3 keystore: {why}")]
    KeystoreShape {
        /// The path, shown.
        path: String,
        /// What is wrong.
        why: &'static str,
    },
    /// The MAC does not match.
    #[error("wrong password for keystore {path} (or the keystore is corrupt)")]
    WrongPassword {
        /// The path, shown.
        path: String,
    },
    /// eth-keystore refused the file.
    #[error("cannot decrypt keystore {path}: {detail}")]
    KeystoreDecrypt {
        /// The path, shown.
        path: String,
        /// Its reason, sanitized.
        detail: String,
    },
    /// eth-keystore failed on the file (caught).
    #[error("keystore {path} is malformed")]
    KeystoreMalformed {
        /// The path, shown.
        path: String,
    },
    /// The keystore holds another length than 32 bytes.
    #[error("keystore {path} does not hold a 32-byte key")]
    KeystoreKeyLength {
        /// The path, shown.
        path: String,
    },
    /// `keygen --out` exists.
    #[error("{path} already exists; refusing to overwrite it")]
    OutExists {
        /// The path, shown.
        path: String,
    },
    /// `keygen --out` names no file.
    #[error("{path} is not a file path")]
    NotAFilePath {
        /// The path, shown.
        path: String,
    },
    /// `keygen --out`'s directory is missing.
    #[error("directory {path} does not exist")]
    NoSuchDirectory {
        /// The path, shown.
        path: String,
    },
    /// The new keystore could not be written.
    #[error("cannot write keystore into {dir}: {detail}")]
    KeystoreWrite {
        /// The directory, shown.
        dir: String,
        /// Why.
        detail: String,
    },
    /// The new keystore could not be put in place.
    #[error("cannot create {path}: {}", crate::show::io_reason(*.kind))]
    KeystoreCreate {
        /// The path, shown.
        path: String,
        /// The I/O error's kind.
        kind: std::io::ErrorKind,
    },
    /// The device could not be opened.
    #[error("device {spec:?}: {source}")]
    DeviceOpen {
        /// The spec, sanitized.
        spec: String,
        /// Why.
        source: DeviceError,
    },
    /// The device did not say its address.
    #[error("device {spec:?} did not report its address: {source}")]
    DeviceAddress {
        /// The spec, sanitized.
        spec: String,
        /// Why.
        source: DeviceError,
    },
    /// A PKCS#11 module, token or key refused or was not found.
    #[error("{key}: {why}")]
    Pkcs11 {
        /// Which key (`PKCS#11 key "k" in token "t" (module "…")`).
        key: String,
        /// What went wrong, and what to do.
        why: String,
    },
    /// The person refused the review on the device.
    #[error("refused on the device: nothing was signed or sent")]
    DeviceRejected,
    /// The device failed while signing.
    #[error("device signing failed: {0}")]
    Device(DeviceError),
    /// The core refused to sign (a bug: the operation was validated).
    #[error("signing failed: {0}")]
    Signing(CoreError),
    /// The transaction breaks a rule of the core (nothing was signed).
    #[error("{0}")]
    Core(CoreError),
    /// A signature does not recover to the signer's address.
    #[error("the signature recovers to {got}, not to the signer {expected}")]
    WrongSigner {
        /// The signer's address.
        expected: Address,
        /// What the signature recovers to (`None`: it does not recover).
        got: String,
    },
}
