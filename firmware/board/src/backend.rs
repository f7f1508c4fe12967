//! The signing backend's set-up at boot: nothing for k256; libsecp256k1's
//! context, in memory the firmware gives, with its blinding seeded from
//! the board's random source. Every firmware calls [`install_backend!`]
//! (crate::install_backend).

use tokensign_core::device::Entropy;

/// libsecp256k1's context, which [`install_backend!`](crate::install_backend)
/// puts in a static of the calling firmware.
#[cfg(feature = "libsecp256k1")]
pub use tokensign_core::backend::libsecp256k1::Context;

/// Installs libsecp256k1's `context` (a static of the firmware's), its
/// side-channel blinding seeded from `entropy`. False if the random source
/// failed or a context is installed already.
#[cfg(feature = "libsecp256k1")]
pub fn install(context: &'static mut Context, entropy: &mut impl Entropy) -> bool {
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

/// Sets up the signing backend the board crate was built with, from
/// `$entropy` (a `&mut impl Entropy`): libsecp256k1's context goes into a
/// `cortex_m::singleton!` of the calling firmware (a static needs the
/// firmware's `unsafe`, which this crate forbids), k256 needs nothing.
/// Evaluates to false if the set-up failed; call it once, at boot.
#[cfg(feature = "libsecp256k1")]
#[macro_export]
macro_rules! install_backend {
    ($entropy:expr) => {
        ::cortex_m::singleton!(: $crate::backend::Context = $crate::backend::Context::new())
            .is_some_and(|context| $crate::backend::install(context, $entropy))
    };
}

/// Sets up the signing backend the board crate was built with, from
/// `$entropy` (a `&mut impl Entropy`): libsecp256k1's context goes into a
/// `cortex_m::singleton!` of the calling firmware (a static needs the
/// firmware's `unsafe`, which this crate forbids), k256 needs nothing.
/// Evaluates to false if the set-up failed; call it once, at boot.
#[cfg(not(feature = "libsecp256k1"))]
#[macro_export]
macro_rules! install_backend {
    ($entropy:expr) => {
        $crate::backend::install($entropy)
    };
}
