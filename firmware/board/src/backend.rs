//! The signing backend's set-up at boot: nothing for k256; libsecp256k1's
//! context, in memory the firmware gives, with its blinding seeded from
//! the board's random source.

use tokensign_core::device::Entropy;

/// Installs libsecp256k1's `context` (a static of the firmware's), its
/// side-channel blinding seeded from `entropy`. False if the random source
/// failed or a context is installed already.
#[cfg(feature = "libsecp256k1")]
pub fn install(
    context: &'static mut tokensign_core::backend::libsecp256k1::Context,
    entropy: &mut impl Entropy,
) -> bool {
    let mut seed = [0u8; 32];
    let seeded = entropy.fill(&mut seed).is_ok();
    let installed =
        seeded && tokensign_core::backend::libsecp256k1::install(context, Some(&seed)).is_ok();
    seed.fill(0);
    installed
}

/// k256 needs no set-up.
#[cfg(not(feature = "libsecp256k1"))]
pub fn install(entropy: &mut impl Entropy) -> bool {
    let _ = entropy;
    true
}
