//! The device states a `device_setup` corpus reaches (`coverage.sh
//! states`): after every step, the wallet's state (empty, locked,
//! unlocked), the wrong-PIN count down to the wipe, the trusted signers up
//! to a full list, and for a power cut, the set-up command and the flash
//! step it struck at and what the rebooted device held.

use tokensign_core::device::wallet::MAX_TRUSTED;
use tokensign_core::device::{Status, MAX_PIN_ATTEMPTS};

use super::harness::Model;

/// The set-up commands that write flash, by the opcode's low four bits
/// (the unlock's two kinds apart: the right PIN resets the count, a wrong
/// one raises it).
pub fn command(op: u8) -> Option<&'static str> {
    Some(match op & 0x0f {
        0 => "generate",
        1 => "restore",
        2 => "unlock",
        3 => "unlock-wrong-pin",
        5 => "change-pin",
        6 => "wipe",
        7 => "trust",
        _ => return None,
    })
}

/// The opcodes of [`command`], and the steps before one that put the
/// device where the command writes flash (the seeds' restore of the test
/// mnemonic under PIN 1201 first, except for generate and restore), and
/// its arguments.
const COMMANDS: [(u8, &[u8], &[u8]); 7] = [
    (0, &[], &[1, 1, 1, 1, 1, 0]),
    (1, &[], &[1, 1, 2, 0, 1, 0, 0]),
    (2, &[0x01, 1, 1, 2, 0, 1, 0, 0, 0x04], &[]),
    (3, &[0x01, 1, 1, 2, 0, 1, 0, 0], &[1, 0, 0, 0, 0]),
    (5, &[0x01, 1, 1, 2, 0, 1, 0, 0], &[0, 1, 2, 2, 2, 2]),
    (6, &[0x01, 1, 1, 2, 0, 1, 0, 0], &[]),
    (7, &[0x01, 1, 1, 2, 0, 1, 0, 0], &[3]),
];

/// A power cut's budget is taken modulo this (`device_setup`).
const CUT_STEPS: u8 = 24;

/// The flash steps a command takes, measured: the first cut budget at
/// which a cut no longer strikes it (at most [`CUT_STEPS`]).
fn flash_steps(op: u8, before: &[u8], args: &[u8]) -> u8 {
    let name = command(op).expect("a flash command");
    (0..CUT_STEPS)
        .find(|k| {
            let input = cut_session(op, before, args, *k);
            let mut struck = false;
            super::run_observed(&input, &mut |label| {
                struck |= label == format!("cut {name} at flash step {k}");
            });
            !struck
        })
        .unwrap_or(CUT_STEPS)
}

/// The session of a power cut at flash step `k` of the command `op`.
fn cut_session(op: u8, before: &[u8], args: &[u8], k: u8) -> Vec<u8> {
    let mut input = before.to_vec();
    input.extend([0x80 | op, k]);
    input.extend_from_slice(args);
    input
}

/// A session for each flash step of each set-up command, cut there
/// (seeds: `cut-<command>-<step>`).
pub fn cut_sessions() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (op, before, args) in COMMANDS {
        let name = command(op).expect("a flash command");
        for k in 0..flash_steps(op, before, args) {
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
    for (op, before, args) in COMMANDS {
        let name = command(op).expect("a flash command");
        for k in 0..flash_steps(op, before, args) {
            out.push(format!("cut {name} at flash step {k}"));
        }
    }
    for outcome in ["before", "after", "counted"] {
        out.push(format!("rebooted after a cut: {outcome}"));
    }
    out
}

/// Where a run reports the states it reaches: nowhere when fuzzing (no
/// label is even written), or to a function (the report, the tests).
pub struct Reporter<'a>(pub Option<&'a mut dyn FnMut(String)>);

impl Reporter<'_> {
    /// Reports the label `label` makes, if anyone listens.
    pub fn say(&mut self, label: impl FnOnce() -> String) {
        if let Some(report) = &mut self.0 {
            report(label());
        }
    }
}

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
    let mut out = Vec::new();
    super::run_observed(data, &mut |label| out.push(label));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every label a run reports is one of [`states`] (so the list and
    /// the report cannot drift apart), over the committed corpus and
    /// every command cut at every flash step.
    #[test]
    fn state_list_is_complete() {
        let all = states();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/device_setup");
        let mut inputs: Vec<Vec<u8>> = std::fs::read_dir(dir)
            .expect("the committed corpus")
            .map(|e| std::fs::read(e.expect("an entry").path()).expect("an input"))
            .collect();
        for (op, before, args) in COMMANDS {
            for k in 0..CUT_STEPS {
                inputs.push(cut_session(op, before, args, k));
            }
        }
        for input in &inputs {
            for label in outcomes(input) {
                assert!(all.contains(&label), "{label:?} is not in the list");
            }
        }
        // Each flash command takes at least one flash step.
        for (op, _, _) in COMMANDS {
            let name = command(op).expect("a flash command");
            let first = format!("cut {name} at flash step 0");
            assert!(all.contains(&first), "{first}");
        }
    }
}
