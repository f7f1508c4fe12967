//! The v2 envelope (unsigned and signed transaction RLP): decode then encode is the identity.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::native_envelope;

fuzz_target!(|data: &[u8]| native_envelope(data));
