//! The device's set-up commands in every state (generate, restore, unlock,
//! lock, change PIN, wipe, trust), power cycles and power cuts at any
//! flash step, checked against a model of the wallet.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::device_setup;

fuzz_target!(|data: &[u8]| device_setup(data));
