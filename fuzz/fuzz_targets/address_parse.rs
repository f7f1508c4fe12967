//! Address parsing: agrees with a reference EIP-55 parser; accepted addresses print and re-parse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::address_parse;

fuzz_target!(|data: &[u8]| address_parse(data));
