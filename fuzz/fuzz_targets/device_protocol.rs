//! Device protocol: command sequences and frame streams into the device's
//! state machine, checked step by step against a model of the protocol.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::device_protocol;

// Fast: with the fuzzing stand-ins (test signatures, one-round PBKDF2).
fuzz_target!(
    init: tokensign_fuzz::use_stand_ins(),
    |data: &[u8]| device_protocol(data)
);
