//! TokenIssue legacy signed RLP: when decoding succeeds, encoding the result gives back the input exactly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::rlp_decode;

fuzz_target!(|data: &[u8]| rlp_decode(data));
