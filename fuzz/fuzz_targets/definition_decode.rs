//! Signed token definitions: the decoder agrees with a reference decoder; accepted ones re-encode exactly, verify or are refused as such, and review.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::definition_decode;

fuzz_target!(|data: &[u8]| definition_decode(data));
