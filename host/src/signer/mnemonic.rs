//! A key derived from a BIP-39 mnemonic (a file or `$TOKENSIGN_MNEMONIC`)
//! at a BIP-32 path, as `cast` takes one (`--mnemonic-index N` for
//! `m/44'/60'/0'/0/N`, or `--path`). The words, the seed and the key live
//! in zeroizing buffers only; errors name a word's position, never a word.

use std::path::{Path, PathBuf};

use tokensign_core::hd::{derive_signing_key, DerivationPath, Mnemonic};
use zeroize::Zeroizing;

use super::source::{read_limited, MAX_SECRET_FILE};
use super::{KeySigner, SignerError};
use crate::show::show_path;

/// Environment variable holding a BIP-39 mnemonic sentence.
pub const ENV_MNEMONIC: &str = "TOKENSIGN_MNEMONIC";
/// Environment variable holding the mnemonic's BIP-39 passphrase.
pub const ENV_MNEMONIC_PASSPHRASE: &str = "TOKENSIGN_MNEMONIC_PASSPHRASE";

/// Largest mnemonic file read, in bytes (24 words of at most 8 letters fit
/// in 215; the rest is room for spaces and line breaks).
const MAX_MNEMONIC_FILE: u64 = 1024;

/// Where the mnemonic sentence comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MnemonicOrigin {
    /// A text file holding the sentence (whitespace between words is free).
    File(PathBuf),
    /// `$TOKENSIGN_MNEMONIC`.
    Env,
}

impl MnemonicOrigin {
    /// For people: `mnemonic file "w.txt"`, `$TOKENSIGN_MNEMONIC`.
    pub fn describe(&self) -> String {
        match self {
            MnemonicOrigin::File(path) => format!("mnemonic file {}", show_path(path)),
            MnemonicOrigin::Env => format!("${ENV_MNEMONIC}"),
        }
    }
}

/// The words, with runs of whitespace as single spaces (BIP-39 joins words
/// with one space; a file usually ends with a line break).
fn normalized(text: &str) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The BIP-39 passphrase: the file's text (one trailing line break
/// removed), else `$TOKENSIGN_MNEMONIC_PASSPHRASE`, else empty.
fn passphrase(file: Option<&Path>) -> Result<Zeroizing<String>, SignerError> {
    if let Some(file) = file {
        let bytes = read_limited(file, MAX_SECRET_FILE, "mnemonic passphrase file")?;
        let text = std::str::from_utf8(&bytes).map_err(|_| SignerError::Mnemonic {
            origin: format!("mnemonic passphrase file {}", show_path(file)),
            why: "not UTF-8 text".into(),
        })?;
        let text = text
            .strip_suffix("\r\n")
            .or_else(|| text.strip_suffix('\n'))
            .unwrap_or(text);
        return Ok(Zeroizing::new(text.to_owned()));
    }
    match std::env::var(ENV_MNEMONIC_PASSPHRASE) {
        Ok(value) => Ok(Zeroizing::new(value)),
        Err(std::env::VarError::NotPresent) => Ok(Zeroizing::new(String::new())),
        Err(std::env::VarError::NotUnicode(_)) => {
            Err(SignerError::EnvNotText(ENV_MNEMONIC_PASSPHRASE))
        }
    }
}

/// Loads the key at `path` of the mnemonic from `origin`, with the BIP-39
/// passphrase of `passphrase_file` (else `$TOKENSIGN_MNEMONIC_PASSPHRASE`,
/// else empty).
pub fn load_mnemonic(
    origin: &MnemonicOrigin,
    path: &DerivationPath,
    passphrase_file: Option<&Path>,
) -> Result<KeySigner, SignerError> {
    let described = origin.describe();
    let refused = |why: String| SignerError::Mnemonic {
        origin: described.clone(),
        why,
    };
    let text: Zeroizing<String> = match origin {
        MnemonicOrigin::File(file) => {
            let bytes = read_limited(file, MAX_MNEMONIC_FILE, "mnemonic file")?;
            let text = std::str::from_utf8(&bytes).map_err(|_| refused("not UTF-8 text".into()))?;
            normalized(text)
        }
        MnemonicOrigin::Env => {
            let value = Zeroizing::new(
                std::env::var(ENV_MNEMONIC).map_err(|_| SignerError::EnvNotText(ENV_MNEMONIC))?,
            );
            normalized(&value)
        }
    };
    let mnemonic = Mnemonic::parse(&text).map_err(|e| refused(e.to_string()))?;
    let passphrase = passphrase(passphrase_file)?;
    let seed = mnemonic
        .to_seed(&passphrase)
        .map_err(|e| refused(e.to_string()))?;
    let key = derive_signing_key(seed.as_bytes(), path).map_err(|e| refused(e.to_string()))?;
    Ok(KeySigner::new(key, format!("{described} at {path}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signer::Signer;

    const JUNK: &str = "test test test test test test test test test test test junk";

    #[test]
    fn derives_the_anvil_accounts_and_never_shows_a_word() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("words.txt");
        std::fs::write(&file, format!("  {}\n", JUNK.replace(' ', "\n  "))).unwrap();
        let origin = MnemonicOrigin::File(file.clone());
        let first = load_mnemonic(&origin, &DerivationPath::ethereum(0).unwrap(), None).unwrap();
        // Anvil's first and second accounts.
        assert_eq!(
            first.address().to_string(),
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
        );
        let second = load_mnemonic(&origin, &DerivationPath::ethereum(1).unwrap(), None).unwrap();
        // A passphrase gives other keys (BIP-39's "TREZOR" test seed is
        // checked in the core; here: it changes the address, and a
        // non-ASCII one is refused by the core, naming why).
        let words = dir.path().join("pass");
        std::fs::write(&words, "secret words\n").unwrap();
        let with =
            load_mnemonic(&origin, &DerivationPath::ethereum(0).unwrap(), Some(&words)).unwrap();
        assert_ne!(with.address(), first.address());
        std::fs::write(&words, "caf\u{e9}").unwrap();
        let e = load_mnemonic(&origin, &DerivationPath::ethereum(0).unwrap(), Some(&words))
            .unwrap_err();
        assert!(e.to_string().contains("ASCII"), "{e}");
        assert!(!e.to_string().contains("caf"), "{e}");
        assert_eq!(
            second.address().to_string(),
            "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
        );
        assert!(
            first.describe().contains("m/44'/60'/0'/0/0"),
            "{}",
            first.describe()
        );
        std::fs::write(&file, JUNK.replace("junk", "jank")).unwrap();
        let e = load_mnemonic(&origin, &DerivationPath::ethereum(0).unwrap(), None).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("word 12"), "{text}");
        assert!(!text.contains("jank") && !text.contains("test"), "{text}");
    }
}
