//! The node's ledger rules, fast and structure-aware: sequences of signed
//! writes of every operation (and bad ones) derived with `arbitrary`, the
//! ledger's invariants checked after every step.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokensign_fuzz::ledger_ops;

// Fast: with the fuzzing stand-ins (test signatures).
fuzz_target!(
    init: tokensign_fuzz::use_stand_ins(),
    |data: &[u8]| ledger_ops(data)
);
