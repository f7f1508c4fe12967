//! The signed RLP of the fourteen operations (v1 signed value, v2 payload): decode then encode is the identity.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::tx_rlp;

fuzz_target!(|data: &[u8]| tx_rlp(data));
