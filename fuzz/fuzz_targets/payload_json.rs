//! TokenIssue unsigned JSON (the device's input): accepted input is JSON with the same values, round-trips through JSON and RLP.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::payload_json;

fuzz_target!(|data: &[u8]| payload_json(data));
