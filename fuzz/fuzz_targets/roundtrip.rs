//! Structured round trip: payload -> validate -> encode -> sign -> JSON -> parse -> verify.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::{roundtrip, RoundTripInput};

fuzz_target!(|input: RoundTripInput| roundtrip(&input));
