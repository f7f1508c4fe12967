//! The local server's request handler, in process: any request to any
//! route gives a 200 or a well-formed RESTErrorData 4xx, never a 5xx.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::server_handler;

fuzz_target!(|data: &[u8]| server_handler(data));
