//! BIP-39: English mnemonic sentences, their checksum, and the 64-byte seed
//! (PBKDF2-HMAC-SHA512, 2048 rounds, salt `"mnemonic" + passphrase`).
//!
//! Normalisation: BIP-39 feeds the NFKD form of the sentence and the
//! passphrase to PBKDF2. NFKD needs Unicode tables (tens of KiB) and, in the
//! `unicode-normalization` crate, an allocator, so the core accepts only
//! what NFKD leaves unchanged: the words are lowercase ASCII (every English
//! word is) and the passphrase must be ASCII; anything else is refused with
//! [`MnemonicError::UnknownWord`] or [`MnemonicError::PassphraseNotAscii`]
//! rather than turned into a seed that another wallet would not produce.
//!
//! Whitespace: words may be separated by any run of ASCII whitespace, with
//! any before or after; the seed is always computed from the canonical
//! sentence (words joined by single spaces, [`Mnemonic::phrase`]), the one
//! every wallet displays.
//!
//! Secrets ([`Mnemonic`], [`Phrase`], [`Seed`]) are zeroized on drop, print
//! no secret in `Debug`, and errors never carry a word, only its position.

use core::fmt;

use sha2::{Digest, Sha256, Sha512};
use zeroize::{Zeroize, Zeroizing};

use super::wordlist::{self, MAX_WORD_LEN};

/// The most words a mnemonic has (256 bits of entropy).
pub const MAX_WORDS: usize = 24;

/// The canonical sentence's longest form: 24 words of 8 letters, 23 spaces.
pub const MAX_PHRASE_LEN: usize = MAX_WORDS * MAX_WORD_LEN + MAX_WORDS - 1;

/// The longest passphrase accepted, in bytes. Trezor allows 50 and Ledger
/// 100; 256 is room for a long sentence and bounds the salt buffer on the
/// stack.
pub const MAX_PASSPHRASE_LEN: usize = 256;

/// A seed's length in bytes.
pub const SEED_LEN: usize = 64;

/// PBKDF2 rounds, fixed by BIP-39.
pub const PBKDF2_ROUNDS: u32 = 2048;

const SALT_PREFIX: &[u8; 8] = b"mnemonic";

/// Bits each word carries.
const BITS_PER_WORD: usize = 11;

/// Why a mnemonic, its entropy or a passphrase was refused. No variant
/// carries a word or any other secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MnemonicError {
    /// The sentence does not have 12, 15, 18, 21 or 24 words.
    WordCount {
        /// The number of words found.
        count: usize,
    },
    /// A word is not in the BIP-39 English list (which holds only lowercase
    /// ASCII words).
    UnknownWord {
        /// The word's position, from 1.
        position: u8,
    },
    /// The words do not end in the checksum of their entropy: a word is
    /// wrong or the order is.
    Checksum,
    /// Entropy is not 16, 20, 24, 28 or 32 bytes.
    EntropyLength {
        /// The length given, in bytes.
        len: usize,
    },
    /// The passphrase holds a non-ASCII character, which would need NFKD
    /// normalisation the core cannot do without an allocator.
    PassphraseNotAscii,
    /// The passphrase is longer than [`MAX_PASSPHRASE_LEN`] bytes.
    PassphraseTooLong,
}

impl fmt::Display for MnemonicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MnemonicError::WordCount { count } => write!(
                f,
                "a BIP-39 mnemonic has 12, 15, 18, 21 or 24 words; this one has {count}"
            ),
            MnemonicError::UnknownWord { position } => write!(
                f,
                "mnemonic word {position} is not in the BIP-39 English word list; check its spelling (lowercase a-z)"
            ),
            MnemonicError::Checksum => f.write_str(
                "mnemonic checksum does not match; a word is wrong or out of order, check each one",
            ),
            MnemonicError::EntropyLength { len } => write!(
                f,
                "entropy is {len} bytes; BIP-39 takes 16, 20, 24, 28 or 32"
            ),
            MnemonicError::PassphraseNotAscii => f.write_str(
                "passphrase holds a non-ASCII character; only ASCII passphrases are supported (no Unicode normalisation on the device)",
            ),
            MnemonicError::PassphraseTooLong => write!(
                f,
                "passphrase is longer than {MAX_PASSPHRASE_LEN} bytes; use a shorter one"
            ),
        }
    }
}

impl core::error::Error for MnemonicError {}

/// A checked BIP-39 English mnemonic: its word indices. Zeroized on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Mnemonic {
    indices: [u16; MAX_WORDS],
    count: u8,
}

impl Mnemonic {
    /// Parses and checks a sentence: 12, 15, 18, 21 or 24 words of the
    /// English list, separated by ASCII whitespace, with a valid checksum.
    pub fn parse(sentence: &str) -> Result<Self, MnemonicError> {
        let words = || sentence.split_ascii_whitespace();
        let count = words().count();
        if !matches!(count, 12 | 15 | 18 | 21 | 24) {
            return Err(MnemonicError::WordCount { count });
        }
        let mut mnemonic = Mnemonic {
            indices: [0; MAX_WORDS],
            count: 0,
        };
        for (slot, word) in mnemonic.indices.iter_mut().zip(words()) {
            mnemonic.count += 1;
            *slot = wordlist::index_of(word.as_bytes()).ok_or(MnemonicError::UnknownWord {
                position: mnemonic.count,
            })?;
        }
        let mut entropy = Zeroizing::new([0u8; 33]);
        let (entropy_len, checksum) = mnemonic.unpack(&mut entropy);
        let entropy = entropy.get(..entropy_len).unwrap_or(&[]);
        if checksum != checksum_bits(entropy, count / 3) {
            return Err(MnemonicError::Checksum);
        }
        Ok(mnemonic)
    }

    /// The mnemonic of `entropy` (16, 20, 24, 28 or 32 bytes).
    pub fn from_entropy(entropy: &[u8]) -> Result<Self, MnemonicError> {
        let len = entropy.len();
        if !matches!(len, 16 | 20 | 24 | 28 | 32) {
            return Err(MnemonicError::EntropyLength { len });
        }
        let checksum_len = len / 4; // bits: ENT / 32
        let count = (len * 8 + checksum_len) / BITS_PER_WORD;
        let checksum = checksum_bits(entropy, checksum_len);
        let mut mnemonic = Mnemonic {
            indices: [0; MAX_WORDS],
            count: 0,
        };
        // Feed entropy bits then checksum bits into an accumulator; every
        // 11 bits make a word index.
        let mut acc: u32 = 0;
        let mut bits = 0;
        let mut slots = mnemonic.indices.iter_mut().take(count);
        let mut feed = |value: u32, width: usize| {
            acc = (acc << width) | value;
            bits += width;
            if bits >= BITS_PER_WORD {
                bits -= BITS_PER_WORD;
                if let Some(slot) = slots.next() {
                    *slot = ((acc >> bits) & 0x7ff) as u16;
                }
                acc &= (1 << bits) - 1;
            }
        };
        for &byte in entropy {
            feed(u32::from(byte), 8);
        }
        feed(u32::from(checksum), checksum_len);
        acc.zeroize();
        // At most 24, so it fits a byte.
        mnemonic.count = count as u8;
        Ok(mnemonic)
    }

    /// The number of words.
    pub fn word_count(&self) -> usize {
        usize::from(self.count)
    }

    fn indices(&self) -> &[u16] {
        self.indices.get(..self.word_count()).unwrap_or(&[])
    }

    /// Unpacks the words' bits into entropy bytes; returns the entropy's
    /// length and the checksum bits.
    fn unpack(&self, entropy: &mut [u8; 33]) -> (usize, u8) {
        let count = self.word_count();
        let entropy_len = count * 4 / 3;
        let mut acc: u32 = 0;
        let mut bits = 0;
        let mut out = entropy.iter_mut();
        for &index in self.indices() {
            acc = (acc << BITS_PER_WORD) | u32::from(index);
            bits += BITS_PER_WORD;
            while bits >= 8 {
                bits -= 8;
                if let Some(byte) = out.next() {
                    *byte = (acc >> bits) as u8;
                }
                acc &= (1 << bits) - 1;
            }
        }
        // What is left after the whole bytes: the checksum's count / 3 bits
        // (4 or 8 of them). With 24 words the 8 checksum bits are the 33rd
        // byte, already written.
        let checksum = if count == MAX_WORDS {
            entropy.get(32).copied().unwrap_or(0)
        } else {
            acc as u8
        };
        acc.zeroize();
        (entropy_len, checksum)
    }

    /// The canonical sentence: the words joined by single spaces.
    pub fn phrase(&self) -> Phrase {
        let mut phrase = Phrase {
            bytes: [0; MAX_PHRASE_LEN],
            len: 0,
        };
        let mut at = 0;
        for (i, &index) in self.indices().iter().enumerate() {
            let (mut letters, len) = wordlist::word_at(index);
            let space = usize::from(i > 0);
            if let Some(dst) = phrase.bytes.get_mut(at..at + space + len) {
                let (gap, word) = dst.split_at_mut(space);
                gap.fill(b' ');
                word.copy_from_slice(letters.get(..len).unwrap_or(&[]));
                at += space + len;
            }
            letters.zeroize();
        }
        phrase.len = at;
        phrase
    }

    /// The BIP-39 seed of this mnemonic with `passphrase` (empty for none).
    /// The passphrase must be ASCII (see the module's notes) and at most
    /// [`MAX_PASSPHRASE_LEN`] bytes.
    pub fn to_seed(&self, passphrase: &str) -> Result<Seed, MnemonicError> {
        if !passphrase.is_ascii() {
            return Err(MnemonicError::PassphraseNotAscii);
        }
        let pass = passphrase.as_bytes();
        let mut salt = Zeroizing::new([0u8; SALT_PREFIX.len() + MAX_PASSPHRASE_LEN]);
        let salt_len = SALT_PREFIX.len() + pass.len();
        let dst = salt
            .get_mut(..salt_len)
            .ok_or(MnemonicError::PassphraseTooLong)?;
        let (prefix, rest) = dst.split_at_mut(SALT_PREFIX.len());
        prefix.copy_from_slice(SALT_PREFIX);
        rest.copy_from_slice(pass);
        let phrase = self.phrase();
        // One round in a fuzzing build with the stand-ins on (crate::fuzzing).
        #[cfg(fuzzing)]
        let rounds = crate::fuzzing::kdf_rounds(PBKDF2_ROUNDS);
        #[cfg(not(fuzzing))]
        let rounds = PBKDF2_ROUNDS;
        let mut seed = Seed([0; SEED_LEN]);
        pbkdf2::pbkdf2_hmac::<Sha512>(
            phrase.as_bytes(),
            salt.get(..salt_len).unwrap_or(&[]),
            rounds,
            &mut seed.0,
        );
        Ok(seed)
    }
}

/// The first `bits` bits (4..=8) of SHA-256(`entropy`), right-aligned.
fn checksum_bits(entropy: &[u8], bits: usize) -> u8 {
    let hash = Sha256::digest(entropy);
    hash.first().map_or(0, |&b| b >> (8 - bits.min(8)))
}

impl Drop for Mnemonic {
    fn drop(&mut self) {
        self.indices.zeroize();
    }
}

impl fmt::Debug for Mnemonic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mnemonic({} words, redacted)", self.count)
    }
}

/// A mnemonic's canonical sentence in a fixed buffer. Zeroized on drop.
pub struct Phrase {
    bytes: [u8; MAX_PHRASE_LEN],
    len: usize,
}

impl Phrase {
    /// The sentence's bytes (lowercase ASCII and spaces).
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }

    /// The sentence.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters and spaces are ever written.
        core::str::from_utf8(self.as_bytes()).unwrap_or("")
    }
}

impl Drop for Phrase {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl fmt::Debug for Phrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Phrase(redacted)")
    }
}

/// A 64-byte BIP-39 seed. Zeroized on drop.
pub struct Seed([u8; SEED_LEN]);

impl Seed {
    /// Wraps seed bytes obtained elsewhere (for example a stored seed).
    pub fn from_bytes(bytes: [u8; SEED_LEN]) -> Self {
        Seed(bytes)
    }

    /// The seed's bytes, the input of BIP-32's master key.
    pub fn as_bytes(&self) -> &[u8; SEED_LEN] {
        &self.0
    }
}

impl Drop for Seed {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Seed(redacted)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    const ABANDON_ABOUT: &str = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    #[test]
    fn the_first_trezor_vector() {
        let m = Mnemonic::parse(ABANDON_ABOUT).unwrap();
        assert_eq!(m.word_count(), 12);
        assert_eq!(m.phrase().as_str(), ABANDON_ABOUT);
        assert_eq!(Mnemonic::from_entropy(&[0; 16]).unwrap(), m);
        let seed = m.to_seed("TREZOR").unwrap();
        assert_eq!(
            hex::encode(seed.as_bytes()),
            "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04"
        );
    }

    #[test]
    fn whitespace_between_words_does_not_change_the_seed() {
        let loose = "  abandon\tabandon abandon abandon  abandon abandon abandon abandon abandon abandon abandon\nabout \r\n";
        let m = Mnemonic::parse(loose).unwrap();
        assert_eq!(m.phrase().as_str(), ABANDON_ABOUT);
        assert_eq!(
            m.to_seed("").unwrap().as_bytes(),
            Mnemonic::parse(ABANDON_ABOUT)
                .unwrap()
                .to_seed("")
                .unwrap()
                .as_bytes()
        );
    }

    #[test]
    fn word_counts() {
        for count in [0, 1, 11, 13, 23, 25, 48] {
            let text = vec!["abandon"; count].join(" ");
            assert_eq!(
                Mnemonic::parse(&text),
                Err(MnemonicError::WordCount { count })
            );
        }
    }

    #[test]
    fn unknown_words_are_named_by_position_only() {
        let cases = [
            ("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abou", 12),
            ("Abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", 1),
            ("abandon abandon abandonn abandon abandon abandon abandon abandon abandon abandon abandon about", 3),
            ("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon ａbout", 12),
            ("abandon abandon\u{a0}abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", 2),
        ];
        for (text, position) in cases {
            let err = Mnemonic::parse(text).unwrap_err();
            assert_eq!(err, MnemonicError::UnknownWord { position }, "{text}");
            let message = err.to_string();
            assert!(!message.contains("abou"), "{message}");
            assert!(!message.contains("andon"), "{message}");
        }
    }

    #[test]
    fn a_wrong_last_word_fails_the_checksum() {
        let text = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon";
        assert_eq!(Mnemonic::parse(text), Err(MnemonicError::Checksum));
        let zoo24 = ["zoo"; 24].join(" ");
        assert_eq!(Mnemonic::parse(&zoo24), Err(MnemonicError::Checksum));
        let vote = format!("{} vote", ["zoo"; 23].join(" "));
        assert_eq!(Mnemonic::parse(&vote).unwrap().word_count(), 24);
    }

    #[test]
    fn entropy_lengths() {
        for len in [0, 1, 15, 17, 31, 33, 64] {
            assert_eq!(
                Mnemonic::from_entropy(&vec![0; len]),
                Err(MnemonicError::EntropyLength { len })
            );
        }
        for (len, words) in [(16, 12), (20, 15), (24, 18), (28, 21), (32, 24)] {
            let m = Mnemonic::from_entropy(&vec![0xA5; len]).unwrap();
            assert_eq!(m.word_count(), words);
            assert_eq!(Mnemonic::parse(m.phrase().as_str()), Ok(m));
        }
    }

    #[test]
    fn passphrases() {
        let m = Mnemonic::parse(ABANDON_ABOUT).unwrap();
        assert_eq!(
            m.to_seed("caf\u{e9}").unwrap_err(),
            MnemonicError::PassphraseNotAscii
        );
        let longest = "x".repeat(MAX_PASSPHRASE_LEN);
        assert!(m.to_seed(&longest).is_ok());
        assert_eq!(
            m.to_seed(&format!("{longest}x")).unwrap_err(),
            MnemonicError::PassphraseTooLong
        );
        // The passphrase changes the seed.
        assert_ne!(
            m.to_seed("").unwrap().as_bytes(),
            m.to_seed("TREZOR").unwrap().as_bytes()
        );
    }

    #[test]
    fn debug_prints_no_secret() {
        let m = Mnemonic::parse(ABANDON_ABOUT).unwrap();
        let seed = m.to_seed("").unwrap();
        let phrase = m.phrase();
        let texts = [format!("{m:?}"), format!("{seed:?}"), format!("{phrase:?}")];
        assert_eq!(texts[0], "Mnemonic(12 words, redacted)");
        let seed_hex = hex::encode(seed.as_bytes());
        for text in &texts {
            assert!(
                !text.contains("abandon") && !text.contains("about"),
                "{text}"
            );
            assert!(!text.contains(&seed_hex[..8]), "{text}");
            assert!(!text.contains("[0"), "{text}");
        }
    }

    #[test]
    fn the_longest_phrase_fits() {
        // Every word of 8 letters, 24 of them: MAX_PHRASE_LEN exactly.
        let eight = wordlist::index_of(b"abstract").unwrap();
        let mut m = Mnemonic {
            indices: [eight; MAX_WORDS],
            count: 24,
        };
        assert_eq!(m.phrase().as_bytes().len(), MAX_PHRASE_LEN);
        m.count = 12;
        assert_eq!(m.phrase().as_bytes().len(), 12 * 8 + 11);
    }
}
