//! Device protocol: command sequences and frame streams into the device's
//! state machine, checked step by step against a model of the protocol.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::device_protocol;

fuzz_target!(|data: &[u8]| device_protocol(data));
