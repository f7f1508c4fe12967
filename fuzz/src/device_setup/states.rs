//! The device states a `device_setup` corpus reaches (`coverage.sh
//! states`): after every step, the wallet's state (empty, locked,
//! unlocked), the wrong-PIN count down to the wipe, the trusted signers up
//! to a full list, and for a power cut, the set-up command and the flash
//! step it struck at and what the rebooted device held.

use tokensign_core::device::wallet::MAX_TRUSTED;
use tokensign_core::device::{Status, MAX_PIN_ATTEMPTS};

use super::harness::Model;

/// A power cut's budget (the flash steps allowed before the power goes)
/// is the input's byte modulo this (`device_setup`). It must exceed the
/// longest storage update's flash steps, so that every step of every
/// update can be cut: a PIN change is the longest, 29 cut points (three
/// records of 9 steps each, the old seal's erase, the read-back after
/// the power went with the last step), measured by [`flash_steps`] and
/// checked by `the_cut_bound_covers_every_update` below.
pub const CUT_STEPS: u8 = 32;

/// The storage updates a set-up command makes, by the name the report
/// gives a cut of it (`cut <name> at flash step <k>`), each with its
/// opcode, the steps before it that put the device where it writes (the
/// seeds' restore of the test mnemonic under PIN 1201, or nothing), and
/// its arguments. A command's flash steps depend on the state it finds: a
/// wrong PIN that is the last allowed one also wipes, a seed written over
/// an older record (`-again`: after a wipe) also erases it, a right PIN
/// resets the count it wrote.
const UPDATES: [(&str, u8, &[u8], &[u8]); 12] = [
    ("generate", 0, &[], &[1, 1, 1, 1, 1, 0]),
    (
        "generate-again",
        0,
        &[0x01, 1, 1, 2, 0, 1, 0, 0, 0x06],
        &[1, 1, 1, 1, 1, 0],
    ),
    ("restore", 1, &[], &[1, 1, 2, 0, 1, 0, 0]),
    (
        "restore-again",
        1,
        &[0x01, 1, 1, 2, 0, 1, 0, 0, 0x06],
        &[1, 1, 2, 0, 1, 0, 0],
    ),
    ("unlock", 2, &[0x01, 1, 1, 2, 0, 1, 0, 0, 0x04], &[]),
    (
        "unlock-wrong-pin",
        3,
        &[0x01, 1, 1, 2, 0, 1, 0, 0],
        &[1, 0, 0, 0, 0],
    ),
    (
        "unlock-last-wrong-pin",
        3,
        FOUR_WRONG_PINS,
        &[1, 0, 0, 0, 0],
    ),
    (
        "change-pin",
        5,
        &[0x01, 1, 1, 2, 0, 1, 0, 0],
        &[0, 1, 2, 2, 2, 2],
    ),
    (
        "change-pin-wrong-pin",
        5,
        &[0x01, 1, 1, 2, 0, 1, 0, 0],
        WRONG_OLD_PIN,
    ),
    (
        "change-pin-last-wrong-pin",
        5,
        FOUR_WRONG_PINS,
        WRONG_OLD_PIN,
    ),
    ("wipe", 6, &[0x01, 1, 1, 2, 0, 1, 0, 0], &[]),
    ("trust", 7, &[0x01, 1, 1, 2, 0, 1, 0, 0], &[3]),
];

/// The restore, then four wrong PINs (0000): the next wrong one is the
/// last allowed.
const FOUR_WRONG_PINS: &[u8] = &[
    0x01, 1, 1, 2, 0, 1, 0, 0, //
    0x03, 1, 0, 0, 0, 0, 0x03, 1, 0, 0, 0, 0, //
    0x03, 1, 0, 0, 0, 0, 0x03, 1, 0, 0, 0, 0,
];

/// A PIN change's arguments with a wrong old PIN (0000) and the new 2222.
const WRONG_OLD_PIN: &[u8] = &[1, 1, 0, 0, 0, 0, 1, 2, 2, 2, 2];

/// The flash steps an update takes, measured: the first cut budget at
/// which a cut no longer strikes it (`None` if every budget below
/// [`CUT_STEPS`] strikes: the bound is too small).
fn measured_steps(name: &str, op: u8, before: &[u8], args: &[u8]) -> Option<u8> {
    (0..CUT_STEPS).find(|k| {
        let input = cut_session(op, before, args, *k);
        let mut struck = false;
        super::run_observed(&input, &mut |label| {
            struck |= label == format!("cut {name} at flash step {k}");
        });
        !struck
    })
}

/// [`measured_steps`], all of the bound if it is too small (the test
/// below fails then).
fn flash_steps(name: &str, op: u8, before: &[u8], args: &[u8]) -> u8 {
    measured_steps(name, op, before, args).unwrap_or(CUT_STEPS)
}

/// The session of a power cut at flash step `k` of the command `op`.
fn cut_session(op: u8, before: &[u8], args: &[u8], k: u8) -> Vec<u8> {
    let mut input = before.to_vec();
    input.extend([0x80 | op, k]);
    input.extend_from_slice(args);
    input
}

/// A session for each flash step of each storage update, cut there
/// (seeds: `cut-<update>-<step>`).
pub fn cut_sessions() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (name, op, before, args) in UPDATES {
        for k in 0..flash_steps(name, op, before, args) {
            out.push((format!("cut-{name}-{k}"), cut_session(op, before, args, k)));
        }
    }
    out
}

/// Every state the report counts, in order.
pub fn states() -> Vec<String> {
    let mut out: Vec<String> = ["empty", "locked", "unlocked"].map(String::from).to_vec();
    out.extend((1..MAX_PIN_ATTEMPTS).map(|n| format!("wrong PINs {n}")));
    out.push("wiped after wrong PINs".into());
    out.extend((1..=MAX_TRUSTED).map(|n| format!("trusted {n}")));
    out.push("trust list full".into());
    for (name, op, before, args) in UPDATES {
        for k in 0..flash_steps(name, op, before, args) {
            out.push(format!("cut {name} at flash step {k}"));
        }
    }
    for outcome in ["before", "after", "counted"] {
        out.push(format!("rebooted after a cut: {outcome}"));
    }
    out
}

pub use crate::reporter::Reporter;

/// Reports the model's state after a step, and a refusal that is a state
/// of its own.
pub(super) fn observe_model(model: &Model, reached: Option<Status>, report: &mut Reporter<'_>) {
    let Some(report) = &mut report.0 else {
        return;
    };
    let state = match (&model.seed, model.unlocked) {
        (None, _) => "empty",
        (Some(_), false) => "locked",
        (Some(_), true) => "unlocked",
    };
    report(state.into());
    if model.seed.is_some() && model.failures > 0 {
        report(format!("wrong PINs {}", model.failures));
    }
    if !model.trusted.is_empty() {
        report(format!("trusted {}", model.trusted.len()));
    }
    match reached {
        Some(Status::WipedAfterWrongPins) => report("wiped after wrong PINs".into()),
        Some(Status::TrustListFull) => report("trust list full".into()),
        _ => {}
    }
}

/// What became of each step of the input, as report lines.
pub fn outcomes(data: &[u8]) -> Vec<String> {
    crate::reporter::collect(|report| super::run_observed(data, report))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every label a run reports is one of [`states`] (so the list and
    /// the report cannot drift apart), over the committed corpus and
    /// every storage update cut at every flash step.
    #[test]
    fn state_list_is_complete() {
        let all = states();
        let mut inputs = crate::reporter::committed_corpus("device_setup");
        for (_, op, before, args) in UPDATES {
            for k in 0..CUT_STEPS {
                inputs.push(cut_session(op, before, args, k));
            }
        }
        for input in &inputs {
            for label in outcomes(input) {
                assert!(all.contains(&label), "{label:?} is not in the list");
            }
        }
        // Each update takes at least one flash step.
        for (name, ..) in UPDATES {
            let first = format!("cut {name} at flash step 0");
            assert!(all.contains(&first), "{first}");
        }
    }

    /// The cut budget's bound exceeds every storage update's flash steps
    /// (so a cut can strike each of them), and the longest, a PIN change,
    /// is as measured when the bound was chosen.
    #[test]
    fn the_cut_bound_covers_every_update() {
        let mut longest = ("", 0);
        for (name, op, before, args) in UPDATES {
            let steps = measured_steps(name, op, before, args)
                .unwrap_or_else(|| panic!("{name} takes {CUT_STEPS} flash steps or more"));
            if steps > longest.1 {
                longest = (name, steps);
            }
        }
        assert_eq!(longest, ("change-pin", 29));
    }
}
