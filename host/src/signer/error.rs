//! The signer layer's errors: loading a key (files, environment, keystore,
//! password, device) and signing with it. No variant holds key material;
//! paths are shown sanitized and quoted.

use tokensign_core::{Address, Error as CoreError};

use crate::device::DeviceError;

/// What went wrong loading or using a signer.
#[derive(Debug, thiserror::Error)]
pub enum SignerError {
    /// More than one key source was named.
    #[error(
        "give only one of --keystore, --private-key-file, --mnemonic-file, --dev-key and \
         --signer device"
    )]
    TwoSources,
    /// A BIP-39 mnemonic or its derivation was refused (never shows a word).
    #[error("{origin}: {why}; nothing was signed")]
    Mnemonic {
        /// Where the mnemonic came from (`mnemonic file "…"`, `$TOKENSIGN_MNEMONIC`).
        origin: String,
        /// The core's reason (a word's position at most, never the word).
        why: String,
    },
    /// A file could not be read.
    #[error("cannot read {what} {path}: {kind}")]
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
    /// A password is needed and nothing can ask for it.
    #[error(
        "a password is needed but there is no terminal to ask on: \
         use --password-file FILE or $TOKENSIGN_PASSWORD"
    )]
    NoTerminal,
    /// The terminal prompt failed.
    #[error(
        "cannot read a password from the terminal ({0}): use --password-file FILE or $TOKENSIGN_PASSWORD"
    )]
    PromptFailed(std::io::ErrorKind),
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
    #[error("cannot create {path}: {kind}")]
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
