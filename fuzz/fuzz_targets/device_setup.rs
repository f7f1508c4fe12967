//! The device's set-up commands in every state (generate, restore, unlock,
//! lock, change PIN, wipe, trust), power cycles and power cuts at any
//! flash step, checked against a model of the wallet.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::device_setup;

// Fast: with the fuzzing stand-ins (test signatures, one-round PBKDF2).
fuzz_target!(
    init: tokensign_fuzz::use_stand_ins(),
    |data: &[u8]| device_setup(data)
);
