//! Structured round trip: TokenIssue fields -> validate -> sign (v1, v2) -> JSON -> parse -> verify.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::{roundtrip, RoundTripInput};

fuzz_target!(|input: RoundTripInput| roundtrip(&input));
