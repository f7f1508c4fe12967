//! The wallet the tests restore on the device, as the host knows it: its
//! PIN and the public test mnemonic's keys.

use tokensign::device::TEST_MNEMONIC;
use tokensign_core::hd::{self, DerivationPath, Mnemonic};
use tokensign_core::SigningKey;

/// The PIN the signing session restores the test mnemonic under.
pub const PIN: &str = "1234";

/// The test mnemonic's key of account `index`, derived on the host.
pub fn account(index: u32) -> (DerivationPath, SigningKey) {
    let seed = Mnemonic::parse(TEST_MNEMONIC).unwrap().to_seed("").unwrap();
    let path = DerivationPath::ethereum(index).unwrap();
    let key = hd::derive_signing_key(seed.as_bytes(), &path).unwrap();
    (path, key)
}
