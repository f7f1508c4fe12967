//! Every JSON body of the fourteen operations (unsigned, document, v1, v2): accepted ones write back canonically and hold every invariant.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::tx_json;

fuzz_target!(|data: &[u8]| tx_json(data));
