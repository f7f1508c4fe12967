//! Stand-ins for the expensive parts, compiled only into fuzzing builds.
//!
//! `cfg(fuzzing)` is set by `cargo fuzz build` and by nothing else, so in
//! any other build this module does not exist and no code can reach it
//! (`tests/no_fuzzing_stand_ins.rs` checks that a normal build signs and
//! recovers with real secp256k1 and refuses a stand-in signature). Even in
//! a fuzzing build the stand-ins are off until a fuzz target turns them on
//! with [`use_stand_ins`], so that one slow target per surface keeps the
//! real cryptography.
//!
//! What they replace (`docs/fuzzing.md` has the reasons):
//!
//! - signing ([`crate::SigningKey::sign_hash`]) and recovery
//!   ([`crate::recover_hash`]): a deterministic test signature that still
//!   binds the signer to the signed bytes: `r` holds the signer's address,
//!   `s` is keccak256 of a tag, the address and the hash (top bits cleared:
//!   low-S). Recovery refuses a malformed signature with the real form
//!   errors, then any `s` that is not the one of this address and hash, so
//!   a tampered transaction is still refused (`RecoveryFailed`);
//! - the PBKDF2 rounds of BIP-39 seeds and of the device's PIN key
//!   ([`kdf_rounds`]): one round instead of 2048;
//! - repeated BIP-32 derivation ([`memoised_key`]): the key of a seed and
//!   path is derived for real the first time and remembered for the rest
//!   of the process, so a fuzz session's fresh device does not pay three
//!   elliptic-curve multiplications (milliseconds under libFuzzer's
//!   instrumentation) per path. The keys are exactly the real ones; only
//!   the work is not repeated;
//! - the BIP-39 word list's look-ups ([`word_index`], [`word_letters`]):
//!   the packed list is decoded once for the process, by the real
//!   decoder, and looked up in that table afterwards. The packed list is
//!   decoded bit by bit, which libFuzzer's comparison tracing makes costly
//!   for every word a restore reads; the answers are exactly the real ones.
//!
//! A fuzzing build always runs on a host, so this module uses `std` (a
//! mutex and a map) although the rest of the core is `no_std`.

extern crate std;

use core::sync::atomic::{AtomicBool, Ordering};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::vec::Vec;

use crate::address::Address;
use crate::error::Error;
use crate::hash::keccak256;
use crate::hd::wordlist::{self, MAX_WORD_LEN, WORD_COUNT};
use crate::hd::DerivationPath;
use crate::key::SigningKey;
use crate::signature::Signature;

static STAND_INS: AtomicBool = AtomicBool::new(false);

/// Turns the stand-ins on or off for the whole process.
pub fn use_stand_ins(on: bool) {
    STAND_INS.store(on, Ordering::Relaxed);
}

/// Whether the stand-ins are on.
pub fn stand_ins() -> bool {
    STAND_INS.load(Ordering::Relaxed)
}

/// PBKDF2 rounds to run instead of `real`: one with the stand-ins on.
pub fn kdf_rounds(real: u32) -> u32 {
    if stand_ins() {
        1
    } else {
        real
    }
}

/// Most keys [`memoised_key`] remembers; it forgets them all when full,
/// so that a long campaign over many paths stays within libFuzzer's
/// memory limit.
const MAX_MEMOISED_KEYS: usize = 4096;

/// Keys by the keccak256 of their seed (the seed itself is not kept) and
/// their path.
type KeyMemo = HashMap<([u8; 32], DerivationPath), SigningKey>;

static KEYS: Mutex<Option<KeyMemo>> = Mutex::new(None);

/// The key of `seed` at `path`: with the stand-ins on, `derive`'s answer
/// remembered from an earlier call with the same seed and path, or
/// `derive` called now (and its key remembered). Errors are not
/// remembered. With the stand-ins off, `derive` every time.
///
/// # Errors
///
/// `derive`'s.
pub fn memoised_key<E>(
    seed: &[u8],
    path: &DerivationPath,
    derive: impl FnOnce() -> Result<SigningKey, E>,
) -> Result<SigningKey, E> {
    if !stand_ins() {
        return derive();
    }
    let id = (keccak256(seed), *path);
    let known = KEYS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_ref()
        .and_then(|keys| keys.get(&id).cloned());
    if let Some(key) = known {
        return Ok(key);
    }
    let key = derive()?;
    let mut keys = KEYS.lock().unwrap_or_else(PoisonError::into_inner);
    let keys = keys.get_or_insert_with(HashMap::new);
    if keys.len() >= MAX_MEMOISED_KEYS {
        keys.clear();
    }
    keys.insert(id, key.clone());
    Ok(key)
}

/// Every word of the list, decoded once by the real decoder.
fn words() -> &'static [([u8; MAX_WORD_LEN], usize)] {
    static WORDS: OnceLock<Vec<([u8; MAX_WORD_LEN], usize)>> = OnceLock::new();
    WORDS.get_or_init(|| {
        (0..WORD_COUNT)
            .filter_map(|i| u16::try_from(i).ok())
            .map(wordlist::decode_word_at)
            .collect()
    })
}

/// The list's letters of a decoded entry.
fn letters((letters, len): &([u8; MAX_WORD_LEN], usize)) -> &[u8] {
    letters.get(..*len).unwrap_or(&[])
}

/// With the stand-ins on, the index of `word` from the decoded table
/// (`Some(answer)`, the same answer as the packed list's); `None` with
/// them off (the caller decodes the packed list).
pub fn word_index(word: &[u8]) -> Option<Option<u16>> {
    if !stand_ins() {
        return None;
    }
    let found = words()
        .binary_search_by(|entry| letters(entry).cmp(word))
        .ok()
        .and_then(|i| u16::try_from(i).ok());
    Some(found)
}

/// With the stand-ins on, the word at `index` (modulo 2048) from the
/// decoded table; `None` with them off.
pub fn word_letters(index: u16) -> Option<([u8; MAX_WORD_LEN], usize)> {
    if !stand_ins() {
        return None;
    }
    words().get(usize::from(index) % WORD_COUNT).copied()
}

const TAG: &[u8] = b"tokensign fuzzing stand-in signature";

/// The stand-in signature of `signer` over `hash`.
pub fn sign(signer: &Address, hash: &[u8; 32]) -> Signature {
    let mut r = [0u8; 32];
    if let Some(tail) = r.get_mut(12..) {
        tail.copy_from_slice(signer.as_bytes());
    }
    let mut preimage = [0u8; TAG.len() + 20 + 32];
    let (tag, rest) = preimage.split_at_mut(TAG.len());
    tag.copy_from_slice(TAG);
    let (address, digest) = rest.split_at_mut(20);
    address.copy_from_slice(signer.as_bytes());
    digest.copy_from_slice(hash);
    let mut s = keccak256(&preimage);
    // Below n / 2 (low-S) and never zero.
    if let Some(top) = s.first_mut() {
        *top &= 0x3f;
    }
    if let Some(last) = s.last_mut() {
        *last |= 1;
    }
    Signature { r, s, v: 0 }
}

/// The signer of a stand-in signature over `hash`.
///
/// # Errors
///
/// The form errors of [`Signature::check_form`]; [`Error::RecoveryFailed`]
/// for a signature that is not the stand-in of its signer over `hash`.
pub fn recover(hash: &[u8; 32], sig: &Signature) -> Result<Address, Error> {
    sig.check_form()?;
    let (head, tail) = sig.r.split_at(12);
    let mut address = [0u8; 20];
    address.copy_from_slice(tail);
    let address = Address(address);
    if sig.v != 0 || head.iter().any(|&b| b != 0) || sign(&address, hash) != *sig {
        return Err(Error::RecoveryFailed);
    }
    Ok(address)
}
