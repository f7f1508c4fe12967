//! Ethereum v3 JSON keystores: decrypting one (scrypt or PBKDF2,
//! aes-128-ctr; eth-keystore, after a shape check) and creating one
//! (`keygen`: scrypt at geth's and cast's standard strength, n = 2^18,
//! r = 8, p = 1, or the light n = 2^12 for tests).
//!
//! The writer is ours, not eth-keystore's: eth-keystore writes n = 2^13
//! only. It is the v3 format's few lines over the crates eth-keystore
//! itself uses (scrypt, aes + ctr) and the core's keccak.

use std::path::{Path, PathBuf};

use tokensign_core::{signing_key_from_bytes, Address, SigningKey};
use zeroize::Zeroizing;

use super::source::{key_from_secret, read_limited};
use super::SignerError;
use crate::show::{sanitize, show_path};

/// Largest keystore file read, in bytes.
const MAX_KEYSTORE_FILE: u64 = 64 * 1024;
/// Largest scrypt cost accepted from a keystore (log2 N); bounds memory use
/// (N = 2^20 with r = 8 takes 1 GiB).
const MAX_SCRYPT_LOG_N: u32 = 20;
/// Largest PBKDF2 iteration count accepted from a keystore.
const MAX_PBKDF2_ROUNDS: u64 = 10_000_000;

/// How hard a new keystore's scrypt is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum KdfStrength {
    /// n = 2^18, r = 8, p = 1: geth's and cast's standard (about 256 MiB
    /// and a second to open).
    #[default]
    Standard,
    /// n = 2^12, r = 8, p = 1: geth's light strength, for tests and
    /// throwaway keys only.
    Light,
}

impl KdfStrength {
    /// scrypt's log2(n), r and p.
    pub const fn params(self) -> (u8, u32, u32) {
        match self {
            KdfStrength::Standard => (18, 8, 1),
            KdfStrength::Light => (12, 8, 1),
        }
    }
}

/// A new v3 keystore of `secret` under `password`: its JSON text.
fn encrypt(
    secret: &[u8; 32],
    password: &str,
    address: &Address,
    strength: KdfStrength,
    rng: &mut impl rand::RngCore,
) -> Result<String, String> {
    use aes::cipher::{KeyIvInit, StreamCipher};

    let (log_n, r, p) = strength.params();
    let mut salt = [0u8; 32];
    let mut iv = [0u8; 16];
    let mut id = [0u8; 16];
    rng.fill_bytes(&mut salt);
    rng.fill_bytes(&mut iv);
    rng.fill_bytes(&mut id);
    let params = scrypt::Params::new(log_n, r, p).map_err(|e| e.to_string())?;
    let mut derived = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password.as_bytes(), &salt, &params, &mut derived[..])
        .map_err(|e| e.to_string())?;
    let mut ciphertext = Zeroizing::new(*secret);
    let mut cipher = ctr::Ctr128BE::<aes::Aes128>::new(derived[..16].into(), (&iv).into());
    cipher.apply_keystream(&mut ciphertext[..]);
    let mut mac_input = Zeroizing::new([0u8; 48]);
    mac_input[..16].copy_from_slice(&derived[16..]);
    mac_input[16..].copy_from_slice(&ciphertext[..]);
    let mac = tokensign_core::keccak256(&mac_input[..]);
    // A random (version 4, RFC 4122) UUID.
    id[6] = (id[6] & 0x0f) | 0x40;
    id[8] = (id[8] & 0x3f) | 0x80;
    let h = hex::encode(id);
    let keystore = serde_json::json!({
        "version": 3,
        "id": format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..]),
        "address": hex::encode(address.as_bytes()),
        "crypto": {
            "cipher": "aes-128-ctr",
            "cipherparams": {"iv": hex::encode(iv)},
            "ciphertext": hex::encode(&ciphertext[..]),
            "kdf": "scrypt",
            "kdfparams": {"dklen": 32, "n": 1u64 << log_n, "r": r, "p": p, "salt": hex::encode(salt)},
            "mac": hex::encode(mac),
        },
    });
    Ok(keystore.to_string())
}

/// Checks a keystore's shape before handing it to eth-keystore, which
/// indexes and allocates by the file's numbers and would panic or exhaust
/// memory on a hostile file.
fn check_keystore_shape(path: &Path, text: &[u8]) -> Result<(), SignerError> {
    let bad = |why: &'static str| SignerError::KeystoreShape {
        path: show_path(path),
        why,
    };
    let json: serde_json::Value = serde_json::from_slice(text).map_err(|_| bad("not JSON"))?;
    let crypto = json
        .get("crypto")
        .or_else(|| json.get("Crypto"))
        .ok_or_else(|| bad("no `crypto` object"))?;
    let hex_len = |v: Option<&serde_json::Value>| -> Option<usize> {
        let s = v?.as_str()?;
        let bytes = hex::decode(s).ok()?;
        Some(bytes.len())
    };
    if crypto.get("cipher").and_then(|c| c.as_str()) != Some("aes-128-ctr") {
        return Err(bad("cipher must be aes-128-ctr"));
    }
    if hex_len(crypto.get("cipherparams").and_then(|p| p.get("iv"))) != Some(16) {
        return Err(bad("cipherparams.iv must be 16 bytes of hex"));
    }
    if hex_len(crypto.get("ciphertext")) != Some(32) {
        return Err(bad("ciphertext must be 32 bytes of hex"));
    }
    if hex_len(crypto.get("mac")) != Some(32) {
        return Err(bad("mac must be 32 bytes of hex"));
    }
    let params = crypto.get("kdfparams").ok_or_else(|| bad("no kdfparams"))?;
    let int = |name: &str| params.get(name).and_then(serde_json::Value::as_u64);
    if int("dklen") != Some(32) {
        return Err(bad("kdfparams.dklen must be 32"));
    }
    if hex_len(params.get("salt")).is_none() {
        return Err(bad("kdfparams.salt must be hex"));
    }
    match crypto.get("kdf").and_then(|k| k.as_str()) {
        Some("scrypt") => {
            let n = int("n").ok_or_else(|| bad("kdfparams.n missing"))?;
            let (r, p) = (int("r").unwrap_or(0), int("p").unwrap_or(0));
            if n < 2 || !n.is_power_of_two() || n.trailing_zeros() > MAX_SCRYPT_LOG_N {
                return Err(bad("kdfparams.n must be a power of two up to 2^20"));
            }
            if !(1..=32).contains(&r) || !(1..=16).contains(&p) {
                return Err(bad("kdfparams.r must be 1..=32 and p 1..=16"));
            }
        }
        Some("pbkdf2") => {
            let c = int("c").unwrap_or(0);
            if c == 0 || c > MAX_PBKDF2_ROUNDS {
                return Err(bad("kdfparams.c must be 1..=10000000"));
            }
            if params.get("prf").and_then(|p| p.as_str()) != Some("hmac-sha256") {
                return Err(bad("kdfparams.prf must be hmac-sha256"));
            }
        }
        _ => return Err(bad("kdf must be scrypt or pbkdf2")),
    }
    Ok(())
}

/// Decrypts an Ethereum v3 keystore (scrypt or PBKDF2, aes-128-ctr).
pub fn decrypt_keystore(path: &Path, password: &str) -> Result<SigningKey, SignerError> {
    let text = read_limited(path, MAX_KEYSTORE_FILE, "keystore")?;
    check_keystore_shape(path, &text)?;
    drop(text);
    // Belt and braces: the shape check should make eth-keystore's indexing
    // safe; a panic inside it must still not take the process down.
    let result = std::panic::catch_unwind(|| eth_keystore::decrypt_key(path, password.as_bytes()));
    let secret = match result {
        Ok(Ok(bytes)) => Zeroizing::new(bytes),
        Ok(Err(eth_keystore::KeystoreError::MacMismatch)) => {
            return Err(SignerError::WrongPassword {
                path: show_path(path),
            })
        }
        Ok(Err(e)) => {
            return Err(SignerError::KeystoreDecrypt {
                path: show_path(path),
                detail: sanitize(&e.to_string()),
            })
        }
        Err(_) => {
            return Err(SignerError::KeystoreMalformed {
                path: show_path(path),
            })
        }
    };
    let secret: Zeroizing<[u8; 32]> = match <[u8; 32]>::try_from(secret.as_slice()) {
        Ok(bytes) => Zeroizing::new(bytes),
        Err(_) => {
            return Err(SignerError::KeystoreKeyLength {
                path: show_path(path),
            })
        }
    };
    key_from_secret(&secret)
}

/// Creates a new random key, writes it to `out` as an encrypted keystore
/// (scrypt of `strength`, aes-128-ctr) and returns its address. Refuses
/// to overwrite an existing file, and refuses an empty password.
pub fn keygen(out: &Path, password: &str, strength: KdfStrength) -> Result<Address, SignerError> {
    use rand::RngCore;

    if password.is_empty() {
        return Err(SignerError::EmptyPassword);
    }
    if out.exists() {
        return Err(SignerError::OutExists {
            path: show_path(out),
        });
    }
    let file_name = out.file_name().ok_or_else(|| SignerError::NotAFilePath {
        path: show_path(out),
    })?;
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(SignerError::NoSuchDirectory {
            path: show_path(&dir),
        });
    }

    let mut rng = rand::rngs::OsRng;
    let (secret, key) = loop {
        let mut secret = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(&mut secret[..]);
        if let Ok(key) = signing_key_from_bytes(&secret) {
            break (secret, key);
        }
    };
    let address = key.address();
    drop(key);
    let text = encrypt(&secret, password, &address, strength, &mut rng).map_err(|e| {
        SignerError::KeystoreWrite {
            dir: show_path(&dir),
            detail: sanitize(&e),
        }
    })?;
    drop(secret);

    // Write under a temporary name, then hard-link into place: the link
    // fails if `out` appeared meanwhile, so nothing is ever overwritten.
    let tmp_name = format!(
        ".{}.tmp-{}-{:016x}",
        file_name.to_string_lossy(),
        std::process::id(),
        rng.next_u64()
    );
    let tmp = dir.join(&tmp_name);
    let written = write_private(&tmp, text.as_bytes());
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(SignerError::KeystoreWrite {
            dir: show_path(&dir),
            detail: sanitize(&e.to_string()),
        });
    }
    let linked = std::fs::hard_link(&tmp, out);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(address),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(SignerError::OutExists {
            path: show_path(out),
        }),
        Err(e) => Err(SignerError::KeystoreCreate {
            path: show_path(out),
            kind: e.kind(),
        }),
    }
}

/// Creates `path` (new, readable by its owner only on Unix) holding
/// `bytes`.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kdf_n(path: &Path) -> u64 {
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        json["crypto"]["kdfparams"]["n"].as_u64().unwrap()
    }

    /// The standard strength, written and read once (about a second
    /// each: scrypt at n = 2^18 is the point).
    #[test]
    fn the_default_strength_is_n_2_to_the_18() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.json");
        let address = keygen(&path, "pw", KdfStrength::default()).unwrap();
        assert_eq!(kdf_n(&path), 262_144);
        assert_eq!(decrypt_keystore(&path, "pw").unwrap().address(), address);
    }

    #[test]
    fn light_and_old_keystores_open_and_wrong_passwords_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("light.json");
        let address = keygen(&path, "pw", KdfStrength::Light).unwrap();
        assert_eq!(kdf_n(&path), 4096);
        assert_eq!(decrypt_keystore(&path, "pw").unwrap().address(), address);
        assert!(matches!(
            decrypt_keystore(&path, "wrong"),
            Err(SignerError::WrongPassword { .. })
        ));
        // What eth-keystore writes (n = 2^13, the old default) still opens.
        let old = dir.path().join("old.json");
        let secret = [0x46u8; 32];
        eth_keystore::encrypt_key(
            dir.path(),
            &mut rand::rngs::OsRng,
            secret,
            "pw",
            Some("old.json"),
        )
        .unwrap();
        assert_eq!(kdf_n(&old), 8192);
        assert_eq!(
            decrypt_keystore(&old, "pw").unwrap().address(),
            tokensign_core::signing_key_from_bytes(&secret)
                .unwrap()
                .address()
        );
    }
}
