//! Every operation's payload `P`, the memo `M`, `[P, M]`, the legacy
//! transaction-hash list and the v2 envelope, as alloy-rlp derive structs
//! with the field order of the spec's table 2.2 and section 4: an encoder
//! written independently of the core, from the spec alone.
//!
//! [`payload`]: each operation's `P` (table 2.2) and a batch's operations
//! hash; [`envelope`]: the memo, the legacy transaction-hash list and the v2
//! envelope around `P`, and every answer for one transaction.

mod envelope;
mod payload;

use alloy_primitives::{Address as A, U256};
use tokensign_core::{Address, Amount};

// Each test binary uses a part of these.
#[allow(unused_imports)]
pub use self::{
    envelope::{answers, Answers},
    payload::{operations_hash, payload},
};

fn a(x: &Address) -> A {
    A::from(x.0)
}

fn u(x: &Amount) -> U256 {
    U256::from_be_bytes(x.to_be_bytes())
}

fn s(x: &str) -> String {
    x.to_owned()
}
