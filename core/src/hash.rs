//! Keccak-256, the one hash of the network: the bottom layer, with nothing
//! of the core under it.
//!
//! Keccak-256 is the original Keccak padding (Ethereum's), not SHA3-256.

use sha3::{Digest, Keccak256};

/// keccak256 of `data`.
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    Keccak256::digest(data).into()
}

/// A streaming keccak256: bytes go in piece by piece (an RLP encoding is
/// streamed into it without a buffer), the hash comes out once.
#[derive(Clone, Default)]
pub struct Keccak(Keccak256);

impl Keccak {
    /// An empty hasher.
    pub fn new() -> Self {
        Keccak(Keccak256::new())
    }

    /// Appends `data`.
    pub fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    /// The hash of everything appended.
    pub fn finalize(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

impl core::fmt::Debug for Keccak {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Keccak")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        assert_eq!(
            hex::encode(keccak256(b"")),
            "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
        );
        let mut k = Keccak::new();
        k.update(b"TE");
        k.update(b"ST");
        assert_eq!(k.finalize(), keccak256(b"TEST"));
    }
}
