//! The checks behind the cargo-fuzz targets of tokensign.
//!
//! Each target in `fuzz_targets/` is one line that calls a function here, so
//! the same checks run under libFuzzer (`cargo fuzz run <target>`) and under
//! `cargo test` in this directory, which replays the committed seed corpus
//! and every regression input (see `tests/replay.rs`).
//!
//! A check returns normally when the input is handled correctly (accepted
//! and consistent, or refused with an error) and panics otherwise: a panic
//! is what libFuzzer reports as a crash.

pub mod arbitrary_bytes;
pub mod definition;
pub mod device;
pub mod device_model;
pub mod device_session;
pub mod device_setup;
pub mod device_states;
pub mod invariants;
pub mod issue_targets;
pub mod ledger_ops;
pub mod operations;
pub mod reference;
pub mod reporter;
pub mod review_checks;
pub mod roundtrip;
pub mod seeds;
pub mod seeds_device;
pub mod seeds_rlp;
pub mod seeds_tx;
pub mod server;
pub mod server_seeds;
pub mod tx_targets;
pub mod vectors;

pub use definition::definition_decode;
pub use device::device_protocol;
pub use device_setup::device_setup;
pub use issue_targets::{address_parse, payload_json, request_json, rlp_decode};
pub use ledger_ops::ledger_ops;
pub use roundtrip::{roundtrip, RoundTripInput};
pub use server::server_handler;
pub use tx_targets::{native_envelope, tx_json, tx_rlp};

/// Turns on the core's fuzzing stand-ins (test signatures, one-round
/// PBKDF2, the node's in-memory store: `tokensign_core::fuzzing`) for this
/// process. Only a fuzzing build has them: elsewhere (`cargo test` here)
/// this does nothing and the checks run with the real ones. The fast
/// targets call it first; the slow ones (`server_handler`,
/// `device_protocol_real`, `roundtrip`) never do.
pub fn use_stand_ins() {
    #[cfg(fuzzing)]
    tokensign_core::fuzzing::use_stand_ins(true);
}

/// The check of one target: panics when the input is mishandled.
pub type Check = fn(&[u8]);

/// The fuzz targets, by name, with the function that checks one input.
///
/// The names are those of the `[[bin]]` entries in `Cargo.toml` and of the
/// folders under `corpus/` and `regressions/`.
pub const TARGETS: &[(&str, Check)] = &[
    ("tx_json", tx_json),
    ("tx_rlp", tx_rlp),
    ("native_envelope", native_envelope),
    ("request_json", request_json),
    ("payload_json", payload_json),
    ("rlp_decode", rlp_decode),
    ("address_parse", address_parse),
    ("roundtrip", roundtrip::roundtrip_bytes),
    ("device_protocol", device_protocol),
    ("device_protocol_real", device_protocol),
    ("device_setup", device_setup),
    ("server_handler", server::server_handler),
    ("ledger_ops", ledger_ops),
    ("definition_decode", definition_decode),
];
