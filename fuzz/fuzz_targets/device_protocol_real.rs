//! Device protocol with the real cryptography: the same check as
//! `device_protocol` (sessions checked against the model of the protocol),
//! without the fuzzing stand-ins, so that real secp256k1 signing and
//! BIP-32 derivation stay fuzzed (slow: the device surface's named slow
//! target).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::device_protocol;

fuzz_target!(|data: &[u8]| device_protocol(data));
