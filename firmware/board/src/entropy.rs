//! The wallet's [`Entropy`] from a hardware random number generator.
//!
//! Each 32 bytes given out are SHA-256 of 64 bytes read from the
//! peripheral: a seed's entropy then does not rest on the peripheral's
//! bits being unbiased (the nRF52840's RNG is only with its bias
//! correction on; the STM32F4's is checked by its own health tests, which
//! its HAL turns into errors), as long as each raw byte carries at least
//! half a bit of entropy.

use rand_core::RngCore;
use sha2::{Digest, Sha256};
use tokensign_core::device::{Entropy, EntropyError};

/// Raw bytes read per 32 bytes given out.
const RAW_PER_BLOCK: usize = 64;

/// A hardware RNG as the wallet's entropy, whitened with SHA-256.
pub struct HardwareEntropy<R> {
    rng: R,
}

impl<R: RngCore> HardwareEntropy<R> {
    /// Entropy from `rng`, the board's RNG peripheral.
    pub fn new(rng: R) -> Self {
        HardwareEntropy { rng }
    }
}

impl<R: RngCore> Entropy for HardwareEntropy<R> {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), EntropyError> {
        let mut raw = [0u8; RAW_PER_BLOCK];
        let mut result = Ok(());
        for chunk in out.chunks_mut(32) {
            if self.rng.try_fill_bytes(&mut raw).is_err() {
                result = Err(EntropyError);
                break;
            }
            let block: [u8; 32] = Sha256::digest(raw).into();
            chunk.copy_from_slice(block.get(..chunk.len()).unwrap_or(&[]));
        }
        // Not a secret once hashed, but nothing to keep either.
        raw.fill(0);
        if result.is_err() {
            out.fill(0);
        }
        result
    }
}
