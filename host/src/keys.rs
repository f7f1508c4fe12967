//! Key sources: an Ethereum v3 JSON keystore, a hex key file, the
//! environment, or the fixed development key; and the [`Signer`] that signs
//! with the key.
//!
//! Secrets are held in [`Zeroizing`] buffers and cleared when dropped; the
//! core's `SigningKey` clears its scalar on drop. No function here puts a
//! secret, or any part of one, into an error message or log line.

use std::fs::File;
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

use tokensign_core::{
    signing_key_from_bytes, Address, SignedRequest, SigningKey, TokenIssuePayload,
};
use zeroize::Zeroizing;

use crate::device::{self, DeviceClient, DeviceStatus, Transport};
use crate::exit::{sanitize, CliError, Failure};
use std::sync::Mutex;

/// The development operator key, as 64 hex digits.
///
/// **INSECURE AND PUBLIC.** It is the ASCII text
/// `tokensign-insecure-dev-key-00001`, published in this source and in
/// `docs/cli.md`; anyone can sign with it. The embedded local server trusts
/// it so that `tokensign issue` works out of the box, and the CLI refuses to
/// use it against any other server.
pub const DEV_PRIVATE_KEY_HEX: &str =
    "746f6b656e7369676e2d696e7365637572652d6465762d6b65792d3030303031";

/// Environment variable holding a private key as hex (optional `0x`).
pub const ENV_PRIVATE_KEY: &str = "TOKENSIGN_PRIVATE_KEY";
/// Environment variable holding the keystore password.
pub const ENV_PASSWORD: &str = "TOKENSIGN_PASSWORD";

/// Largest key or password file read, in bytes; a bigger file is refused.
const MAX_SECRET_FILE: u64 = 4096;
/// Largest keystore file read, in bytes.
const MAX_KEYSTORE_FILE: u64 = 64 * 1024;
/// Largest scrypt cost accepted from a keystore (log2 N); bounds memory use
/// (N = 2^20 with r = 8 takes 1 GiB).
const MAX_SCRYPT_LOG_N: u32 = 20;
/// Largest PBKDF2 iteration count accepted from a keystore.
const MAX_PBKDF2_ROUNDS: u64 = 10_000_000;

/// The development key (see [`DEV_PRIVATE_KEY_HEX`]).
pub fn dev_key() -> SigningKey {
    // The constant is valid hex and a valid scalar (a unit test checks
    // both); the fallback, the scalar 1, is unreachable.
    parse_hex_key(DEV_PRIVATE_KEY_HEX)
        .ok()
        .and_then(|secret| signing_key_from_bytes(&secret).ok())
        .unwrap_or_else(|| {
            let mut one = [0u8; 32];
            one[31] = 1;
            SigningKey::from_bytes(&one).expect("1 is a valid secret scalar")
        })
}

/// The address of the development key.
pub fn dev_address() -> Address {
    dev_key().address()
}

/// A connected hardware signer and the address it reported.
pub struct DeviceSigner {
    client: Mutex<DeviceClient<Box<dyn Transport>>>,
    address: Address,
}

/// What signs a token issue.
pub enum Signer {
    /// A secret key held in this process (zeroized on drop).
    Key(SigningKey),
    /// A device that shows its own review and holds its own key.
    Device(DeviceSigner),
}

/// Public test keys: the development key, and the spec's known-answer key
/// that the emulated device and the QEMU firmware hold.
pub fn is_public_test_address(address: &Address) -> bool {
    *address == dev_address()
        || address.to_lower_hex() == *b"0x2045a425d0e131e747f8be2f044413733e412d7d"
}

fn open_device(spec: &str) -> Result<Signer, CliError> {
    let show = sanitize(spec);
    let mut client = device::open(spec).map_err(|e| {
        CliError::bad_input(format!("device {show:?}: {}", sanitize(&format!("{e:#}"))))
    })?;
    let address = client.address().map_err(|e| {
        CliError::new(
            Failure::Internal,
            format!(
                "device {show:?} did not report its address: {}",
                sanitize(&format!("{e:#}"))
            ),
        )
    })?;
    Ok(Signer::Device(DeviceSigner {
        client: Mutex::new(client),
        address,
    }))
}

impl Signer {
    /// The address requests signed by this signer recover to.
    pub fn address(&self) -> Address {
        match self {
            Signer::Key(key) => key.address(),
            Signer::Device(device) => device.address,
        }
    }

    /// Whether this is the public development key.
    pub fn is_dev_key(&self) -> bool {
        self.address() == dev_address()
    }

    /// Signs `payload` (through the core, or on the device) into a complete
    /// request. A device's signature is checked to recover to the device's
    /// address, and its transaction hash to match the host's.
    pub fn sign(&self, payload: TokenIssuePayload) -> Result<SignedRequest, CliError> {
        match self {
            Signer::Key(key) => SignedRequest::sign(payload, key)
                .map_err(|e| CliError::internal(format!("signing failed: {e}"))),
            Signer::Device(device) => {
                let mut client = device
                    .client
                    .lock()
                    .map_err(|_| CliError::internal("device connection poisoned"))?;
                let signature = client.sign_issue(&payload).map_err(|e| {
                    let denied = e
                        .downcast_ref::<DeviceStatus>()
                        .is_some_and(DeviceStatus::is_denied);
                    if denied {
                        CliError::bad_input(
                            "the device's user rejected the request; nothing was sent",
                        )
                    } else {
                        CliError::internal(format!(
                            "device signing failed: {}",
                            sanitize(&format!("{e:#}"))
                        ))
                    }
                })?;
                Ok(SignedRequest { payload, signature })
            }
        }
    }
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Signer::Key(_) => write!(f, "Signer::Key({})", self.address()),
            Signer::Device(_) => write!(f, "Signer::Device({})", self.address()),
        }
    }
}

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
/// `--keystore`, `--private-key-file`, `$TOKENSIGN_PRIVATE_KEY`, `--dev-key`.
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
    /// The public development key (only for the embedded server).
    Dev,
    /// A hardware signer speaking the device protocol, by its spec
    /// (`emulated`, `cmd:<command>` or a serial port path; see
    /// [`crate::device::open`]).
    Device(String),
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
}

impl KeyOptions {
    /// The key source these options name, if any. Giving two sources is an
    /// error; `$TOKENSIGN_PRIVATE_KEY` counts only when no flag names a key.
    pub fn source(&self) -> Result<Option<KeySource>, CliError> {
        let flags = [
            self.keystore.is_some(),
            self.private_key_file.is_some(),
            self.dev_key,
            self.device.is_some(),
        ];
        if flags.iter().filter(|f| **f).count() > 1 {
            return Err(CliError::bad_input(
                "give only one of --keystore, --private-key-file, --dev-key and --signer device",
            ));
        }
        if let Some(spec) = &self.device {
            return Ok(Some(KeySource::Device(spec.clone())));
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
        if std::env::var_os(ENV_PRIVATE_KEY).is_some() {
            return Ok(Some(KeySource::PrivateKeyEnv));
        }
        Ok(None)
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

/// Loads the key a source names.
pub fn load(source: &KeySource) -> Result<Signer, CliError> {
    let key = match source {
        KeySource::Keystore { path, password } => {
            let password = read_password(password, "Keystore password: ", false)?;
            decrypt_keystore(path, &password)?
        }
        KeySource::PrivateKeyFile(path) => {
            let text = read_secret_file(path, "private key file")?;
            let text = std::str::from_utf8(&text).map_err(|_| {
                CliError::bad_input(format!(
                    "private key file {}: not text; expected 64 hex digits (optional 0x)",
                    show_path(path)
                ))
            })?;
            let secret = parse_hex_key(text).map_err(|why| {
                CliError::bad_input(format!("private key file {}: {why}", show_path(path)))
            })?;
            key_from_secret(&secret)?
        }
        KeySource::PrivateKeyEnv => {
            let value = Zeroizing::new(std::env::var(ENV_PRIVATE_KEY).map_err(|_| {
                CliError::bad_input(format!("${ENV_PRIVATE_KEY} is not valid text"))
            })?);
            let secret = parse_hex_key(&value)
                .map_err(|why| CliError::bad_input(format!("${ENV_PRIVATE_KEY}: {why}")))?;
            key_from_secret(&secret)?
        }
        KeySource::Dev => dev_key(),
        KeySource::Device(spec) => return open_device(spec),
    };
    Ok(Signer::Key(key))
}

fn key_from_secret(secret: &Zeroizing<[u8; 32]>) -> Result<SigningKey, CliError> {
    signing_key_from_bytes(secret).map_err(|_| {
        CliError::bad_input("the private key is not a valid secp256k1 key (zero or too large)")
    })
}

/// A path as it may be shown in a message.
pub fn show_path(path: &Path) -> String {
    format!("{:?}", sanitize(&path.display().to_string()))
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

/// Reads a small secret file into a zeroizing buffer.
fn read_secret_file(path: &Path, what: &str) -> Result<Zeroizing<Vec<u8>>, CliError> {
    read_limited(path, MAX_SECRET_FILE, what)
}

fn read_limited(path: &Path, limit: u64, what: &str) -> Result<Zeroizing<Vec<u8>>, CliError> {
    let file = File::open(path).map_err(|e| {
        CliError::bad_input(format!(
            "cannot read {what} {}: {}",
            show_path(path),
            e.kind()
        ))
    })?;
    let mut buf = Zeroizing::new(Vec::with_capacity(256));
    file.take(limit + 1).read_to_end(&mut buf).map_err(|e| {
        CliError::bad_input(format!(
            "cannot read {what} {}: {}",
            show_path(path),
            e.kind()
        ))
    })?;
    if buf.len() as u64 > limit {
        return Err(CliError::bad_input(format!(
            "{what} {} is larger than {limit} bytes",
            show_path(path)
        )));
    }
    Ok(buf)
}

/// Reads a password from its source. With `confirm`, a prompt asks twice.
pub fn read_password(
    source: &PasswordSource,
    prompt: &str,
    confirm: bool,
) -> Result<Zeroizing<String>, CliError> {
    match source {
        PasswordSource::File(path) => {
            let bytes = read_secret_file(path, "password file")?;
            let text = std::str::from_utf8(&bytes).map_err(|_| {
                CliError::bad_input(format!(
                    "password file {} is not UTF-8 text",
                    show_path(path)
                ))
            })?;
            let text = text
                .strip_suffix("\r\n")
                .or_else(|| text.strip_suffix('\n'))
                .unwrap_or(text);
            Ok(Zeroizing::new(text.to_owned()))
        }
        PasswordSource::Env => std::env::var(ENV_PASSWORD)
            .map(Zeroizing::new)
            .map_err(|_| CliError::bad_input(format!("${ENV_PASSWORD} is not valid text"))),
        PasswordSource::Prompt => {
            if !(std::io::stdin().is_terminal() || std::io::stderr().is_terminal()) {
                return Err(CliError::bad_input(format!(
                    "a password is needed but there is no terminal to ask on: \
                     use --password-file FILE or ${ENV_PASSWORD}"
                )));
            }
            let first = prompt_once(prompt)?;
            if confirm {
                let second = prompt_once("Repeat the password: ")?;
                if *first != *second {
                    return Err(CliError::bad_input("the two passwords differ"));
                }
            }
            Ok(first)
        }
    }
}

fn prompt_once(prompt: &str) -> Result<Zeroizing<String>, CliError> {
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|e| {
            CliError::bad_input(format!(
                "cannot read a password from the terminal ({}): use --password-file FILE or ${ENV_PASSWORD}",
                e.kind()
            ))
        })
}

/// Checks a keystore's shape before handing it to eth-keystore, which
/// indexes and allocates by the file's numbers and would panic or exhaust
/// memory on a hostile file.
fn check_keystore_shape(path: &Path, text: &[u8]) -> Result<(), CliError> {
    let bad = |why: &str| {
        CliError::bad_input(format!(
            "keystore {} is not a usable Ethereum v3 keystore: {why}",
            show_path(path)
        ))
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
pub fn decrypt_keystore(path: &Path, password: &str) -> Result<SigningKey, CliError> {
    let text = read_limited(path, MAX_KEYSTORE_FILE, "keystore")?;
    check_keystore_shape(path, &text)?;
    drop(text);
    // Belt and braces: the shape check should make eth-keystore's indexing
    // safe; a panic inside it must still not take the process down.
    let result = std::panic::catch_unwind(|| eth_keystore::decrypt_key(path, password.as_bytes()));
    let secret = match result {
        Ok(Ok(bytes)) => Zeroizing::new(bytes),
        Ok(Err(eth_keystore::KeystoreError::MacMismatch)) => {
            return Err(CliError::bad_input(format!(
                "wrong password for keystore {} (or the keystore is corrupt)",
                show_path(path)
            )))
        }
        Ok(Err(e)) => {
            return Err(CliError::bad_input(format!(
                "cannot decrypt keystore {}: {}",
                show_path(path),
                sanitize(&e.to_string())
            )))
        }
        Err(_) => {
            return Err(CliError::bad_input(format!(
                "keystore {} is malformed",
                show_path(path)
            )))
        }
    };
    let secret: Zeroizing<[u8; 32]> = match <[u8; 32]>::try_from(secret.as_slice()) {
        Ok(bytes) => Zeroizing::new(bytes),
        Err(_) => {
            return Err(CliError::bad_input(format!(
                "keystore {} does not hold a 32-byte key",
                show_path(path)
            )))
        }
    };
    key_from_secret(&secret)
}

/// Creates a new random key, writes it to `out` as an encrypted keystore
/// (scrypt, aes-128-ctr) and returns its address. Refuses to overwrite an
/// existing file, and refuses an empty password.
pub fn keygen(out: &Path, password: &str) -> Result<Address, CliError> {
    use rand::RngCore;

    if password.is_empty() {
        return Err(CliError::bad_input(
            "refusing to encrypt a keystore with an empty password",
        ));
    }
    if out.exists() {
        return Err(CliError::bad_input(format!(
            "{} already exists; refusing to overwrite it",
            show_path(out)
        )));
    }
    let file_name = out
        .file_name()
        .ok_or_else(|| CliError::bad_input(format!("{} is not a file path", show_path(out))))?;
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(CliError::bad_input(format!(
            "directory {} does not exist",
            show_path(&dir)
        )));
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

    // Write under a temporary name, then hard-link into place: the link
    // fails if `out` appeared meanwhile, so nothing is ever overwritten.
    let tmp_name = format!(
        ".{}.tmp-{}-{:016x}",
        file_name.to_string_lossy(),
        std::process::id(),
        rng.next_u64()
    );
    let tmp = dir.join(&tmp_name);
    let written = eth_keystore::encrypt_key(
        &dir,
        &mut rng,
        &secret[..],
        password.as_bytes(),
        Some(&tmp_name),
    );
    drop(secret);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(CliError::internal(format!(
            "cannot write keystore into {}: {}",
            show_path(&dir),
            sanitize(&e.to_string())
        )));
    }
    restrict_permissions(&tmp);
    let linked = std::fs::hard_link(&tmp, out);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(address),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(CliError::bad_input(format!(
                "{} already exists; refusing to overwrite it",
                show_path(out)
            )))
        }
        Err(e) => Err(CliError::internal(format!(
            "cannot create {}: {}",
            show_path(out),
            e.kind()
        ))),
    }
}

#[cfg(unix)]
fn restrict_permissions(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
}

#[cfg(not(unix))]
fn restrict_permissions(_path: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_key_is_the_documented_text() {
        let secret = parse_hex_key(DEV_PRIVATE_KEY_HEX).unwrap();
        assert_eq!(&secret[..], b"tokensign-insecure-dev-key-00001");
        assert!(Signer::Key(dev_key()).is_dev_key());
    }

    #[test]
    fn hex_key_forms() {
        let k = "01833a126ec45d0191519748146b9e35647aab7fed28de1c8e17824970f964a3";
        let a = parse_hex_key(k).unwrap();
        assert_eq!(*parse_hex_key(&format!("  0x{k}\n")).unwrap(), *a);
        assert_eq!(
            *parse_hex_key(&format!("0X{}", k.to_uppercase())).unwrap(),
            *a
        );
        for bad in [
            "",
            "0x",
            &k[1..],
            &format!("{k}00"),
            &format!("g{}", &k[1..]),
        ] {
            let why = parse_hex_key(bad).unwrap_err();
            assert!(!why.contains(&k[..8]));
        }
    }

    #[test]
    fn keystore_round_trip_and_refusals() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.json");
        let address = keygen(&path, "pw").unwrap();
        let key = decrypt_keystore(&path, "pw").unwrap();
        assert_eq!(key.address(), address);
        let e = decrypt_keystore(&path, "nope").unwrap_err();
        assert!(e.message.contains("wrong password"));
        let e = keygen(&path, "pw").unwrap_err();
        assert!(e.message.contains("already exists"));
        assert!(keygen(&dir.path().join("e.json"), "").is_err());
        // Hostile shapes are refused without a panic.
        let text = std::fs::read_to_string(&path).unwrap();
        let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
        json["crypto"]["kdfparams"]["dklen"] = 8.into();
        std::fs::write(&path, json.to_string()).unwrap();
        assert!(decrypt_keystore(&path, "pw").is_err());
        json["crypto"]["kdfparams"]["dklen"] = 32.into();
        json["crypto"]["cipherparams"]["iv"] = "00".into();
        std::fs::write(&path, json.to_string()).unwrap();
        assert!(decrypt_keystore(&path, "pw").is_err());
        json["crypto"]["cipherparams"]["iv"] = "00".repeat(16).into();
        json["crypto"]["kdfparams"]["n"] = (1u64 << 40).into();
        std::fs::write(&path, json.to_string()).unwrap();
        assert!(decrypt_keystore(&path, "pw").is_err());
        std::fs::write(&path, "[]").unwrap();
        assert!(decrypt_keystore(&path, "pw").is_err());
    }
}
