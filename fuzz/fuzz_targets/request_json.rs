//! TokenIssue v1 request JSON: accepted input is JSON with the same values and writes back canonically.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::request_json;

fuzz_target!(|data: &[u8]| request_json(data));
