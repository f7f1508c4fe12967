//! The seed at rest: encrypted and authenticated under a key derived from
//! the PIN and the per-device secret.
//!
//! - KDF: PBKDF2-HMAC-SHA512 (RustCrypto `pbkdf2`), [`PIN_KDF_ROUNDS`]
//!   rounds, password = the device secret then the PIN's digits, salt =
//!   `"tokensign-pin-v1"` then the record's 16 random bytes (new at every
//!   seal); its first 32 bytes of output are the AEAD key (16) and nonce
//!   (16).
//!   Chosen because BIP-39 already links it (no flash of its own: the
//!   firmware's 96 KiB are its tightest budget); a memory-hard KDF (Argon2,
//!   scrypt) needs kilobytes of RAM per guess and several KiB of code, and
//!   a PIN of 4 to 8 digits falls to any KDF once the device secret is
//!   read out: what protects it is the device's counter of wrong PINs and
//!   keeping the secret in flash that the board's read-out protection
//!   covers (docs/embedded.md, "The seed in flash").
//! - AEAD: Ascon-128 (RustCrypto `ascon-aead`; the lightweight cipher of
//!   the CAESAR portfolio that NIST standardised as Ascon-AEAD128): made
//!   for small cores, constant time without tables, and the smallest of
//!   the AEADs measured in this firmware (876 bytes of flash less than
//!   ChaCha20-Poly1305, which was the first choice). Key (16) and nonce
//!   (16) come from the KDF's output, fresh with every seal's salt. The
//!   associated data binds the ciphertext to its purpose. A wrong PIN
//!   gives another key, so the tag does not check: that is the PIN check
//!   (no PIN hash is stored).

use ascon_aead::aead::{AeadInPlace, KeyInit};
use ascon_aead::{Ascon128 as Aead, Key, Nonce, Tag};
use sha2::Sha512;
use zeroize::Zeroizing;

use super::pin::Pin;
use super::record::{SALT_LEN, SEALED_LEN};
use crate::hd::bip39::SEED_LEN;
use crate::hd::Seed;

/// Rounds of PBKDF2-HMAC-SHA512 per PIN check: BIP-39's own count, about
/// 60 million Cortex-M4 instructions (docs/embedded.md has the figure).
pub const PIN_KDF_ROUNDS: u32 = 2048;

const KDF_SALT_PREFIX: &[u8] = b"tokensign-pin-v1";
const ASSOCIATED_DATA: &[u8] = b"tokensign wallet seed v1";

/// Derives the AEAD key and nonce of a PIN.
fn key_and_nonce(pin: &Pin, secret: &[u8; 32], salt: &[u8; SALT_LEN]) -> Zeroizing<[u8; 64]> {
    let mut password = Zeroizing::new([0u8; 32 + super::pin::MAX_PIN_LEN]);
    let digits = pin.digits();
    let len = 32 + digits.len();
    if let Some(dst) = password.get_mut(..len) {
        let (head, tail) = dst.split_at_mut(32);
        head.copy_from_slice(secret);
        tail.copy_from_slice(digits);
    }
    let mut kdf_salt = [0u8; KDF_SALT_PREFIX.len() + SALT_LEN];
    let (head, tail) = kdf_salt.split_at_mut(KDF_SALT_PREFIX.len());
    head.copy_from_slice(KDF_SALT_PREFIX);
    tail.copy_from_slice(salt);
    // One round in a fuzzing build with the stand-ins on (crate::fuzzing).
    #[cfg(fuzzing)]
    let rounds = crate::fuzzing::kdf_rounds(PIN_KDF_ROUNDS);
    #[cfg(not(fuzzing))]
    let rounds = PIN_KDF_ROUNDS;
    let mut out = Zeroizing::new([0u8; 64]);
    pbkdf2::pbkdf2_hmac::<Sha512>(
        password.get(..len).unwrap_or(&[]),
        &kdf_salt,
        rounds,
        out.as_mut(),
    );
    out
}

fn cipher(derived: &[u8; 64]) -> (Aead, Nonce<Aead>) {
    let mut key = Zeroizing::new([0u8; 16]);
    let mut nonce = [0u8; 16];
    let (head, rest) = derived.split_at(16);
    key.copy_from_slice(head);
    nonce.copy_from_slice(rest.get(..16).unwrap_or(&[0; 16]));
    (
        Aead::new(&Key::<Aead>::from(*key)),
        Nonce::<Aead>::from(nonce),
    )
}

/// Encrypts `seed` under the key of (`pin`, `secret`, `salt`); `None` only
/// if the AEAD refuses (it cannot for 64 bytes).
pub fn seal(
    seed: &Seed,
    pin: &Pin,
    secret: &[u8; 32],
    salt: &[u8; SALT_LEN],
) -> Option<[u8; SEALED_LEN]> {
    let derived = key_and_nonce(pin, secret, salt);
    let (aead, nonce) = cipher(&derived);
    let mut out = [0u8; SEALED_LEN];
    let (body, tag) = out.split_at_mut(SEED_LEN);
    body.copy_from_slice(seed.as_bytes());
    let made = aead
        .encrypt_in_place_detached(&nonce, ASSOCIATED_DATA, body)
        .ok()?;
    tag.copy_from_slice(&made);
    Some(out)
}

/// Decrypts a sealed seed; `None` if the tag does not check (a wrong PIN,
/// another device's secret, or altered bytes).
pub fn open(
    sealed: &[u8; SEALED_LEN],
    pin: &Pin,
    secret: &[u8; 32],
    salt: &[u8; SALT_LEN],
) -> Option<Seed> {
    let derived = key_and_nonce(pin, secret, salt);
    let (aead, nonce) = cipher(&derived);
    let mut body = Zeroizing::new([0u8; SEED_LEN]);
    let (sealed_body, tag) = sealed.split_at(SEED_LEN);
    body.copy_from_slice(sealed_body);
    let tag: [u8; 16] = tag.try_into().ok()?;
    aead.decrypt_in_place_detached(
        &nonce,
        ASSOCIATED_DATA,
        body.as_mut(),
        &Tag::<Aead>::from(tag),
    )
    .ok()?;
    Some(Seed::from_bytes(*body))
}
