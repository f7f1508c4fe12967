//! The device's set-up commands in every device state: sessions of
//! generate, restore, unlock, lock, change PIN, wipe, trust, key
//! operations, power cycles and power cuts at a chosen flash step, with
//! the person approving or refusing; checked after every step against a
//! model of the wallet (empty / locked / unlocked, the PIN, the wrong-PIN
//! count, the trusted signers, which seed) and, after a power cut, that
//! the rebooted device is in the state before or after the cut command.
//!
//! Input: a sequence of steps, each an opcode byte and its arguments (see
//! [`device_setup`]); at most [`MAX_STEPS`] steps (each PIN check runs
//! PBKDF2).

mod harness;
pub mod states;

use harness::{account0, boot, observe, pin_from, send, FuzzPlatform, Model, Person};
use tokensign_core::device::wallet::MAX_TRUSTED;
use tokensign_core::device::{
    encode_command, Instruction, Status, MAX_COMMAND_LEN, MAX_PIN_ATTEMPTS, MAX_RESPONSE_LEN,
};
use tokensign_core::Address;

/// Most steps of one input.
pub const MAX_STEPS: usize = 12;

/// Valid recovery phrases a restore picks from (the public test mnemonic
/// and two others of the BIP-39 vectors).
pub const PHRASES: [&str; 3] = [
    "test test test test test test test test test test test junk",
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
    "legal winner thank year wave sausage worth useful legal winner thank yellow",
];

/// Runs one fuzz input (see the module's notes).
pub fn device_setup(data: &[u8]) {
    run(data, &mut states::Reporter(None));
}

/// [`device_setup`], telling `report` the states each step reached
/// ([`states::states`]'s labels: the wallet's state, the wrong-PIN count,
/// the trusted signers, a power cut at a flash step and what the reboot
/// found).
pub fn run_observed(data: &[u8], report: &mut dyn FnMut(String)) {
    run(data, &mut states::Reporter(Some(report)));
}

fn run(data: &[u8], report: &mut states::Reporter<'_>) {
    let mut input = data.iter().copied();
    let mut device = boot(FuzzPlatform::default(), Person::default());
    let mut model = Model {
        seed: None,
        unlocked: false,
        failures: 0,
        trusted: Vec::new(),
    };
    for _ in 0..MAX_STEPS {
        let Some(op) = input.next() else { break };
        let before = model.clone();
        // A power cut during this step, after this many flash steps.
        let cut =
            (op & 0x80 != 0).then(|| u32::from(input.next().unwrap_or(0) % states::CUT_STEPS));
        device.approver_mut().refuse = op & 0x40 != 0;
        let refuse = op & 0x40 != 0;
        let valid_pin = |p: &[u8]| (4..=8).contains(&p.len());
        device.wallet_mut().platform_mut().budget = cut;
        // The command failed because the power went: what it did is judged
        // after the reboot below.
        let cut_failed = |sw: u16| cut.is_some() && sw == Status::StorageFailed.word();
        // A refusal that is itself a state worth reaching (the wipe after
        // the last wrong PIN, a full trust list).
        let mut reached: Option<Status> = None;
        // The storage update the step makes, named for the report of a
        // cut ([`states::UPDATES`]): a command's flash steps depend on the
        // device's state (a wrong PIN that is the last one also wipes; a
        // seed written over an older record also erases it).
        let written_before = device.wallet().record().generation > 0;
        let mut update: Option<&'static str> = None;
        match op & 0x0f {
            0 => {
                // Generate.
                let pin = pin_from(&mut input);
                let words = if input.next().unwrap_or(0) & 1 == 0 {
                    12
                } else {
                    24
                };
                device.approver_mut().words.clear();
                update = Some(if written_before {
                    "generate-again"
                } else {
                    "generate"
                });
                let (_, sw) = send(&mut device, Instruction::SetupGenerate, words, &pin);
                let expected = if !valid_pin(&pin) {
                    Status::InvalidPin
                } else if model.seed.is_some() {
                    Status::AlreadySetUp
                } else if refuse {
                    Status::Denied
                } else {
                    Status::Ok
                };
                let shown = !device.approver().words.is_empty();
                if !cut_failed(sw) {
                    assert_eq!(sw, expected.word(), "generate");
                }
                // A cut write may still have landed: the words shown are
                // the seed the device may now hold (see the reboot check).
                if sw == Status::Ok.word() || (cut_failed(sw) && expected == Status::Ok && shown) {
                    let phrase = device.approver().words.join(" ");
                    model = Model {
                        seed: Some((account0(&phrase), pin)),
                        unlocked: true,
                        failures: 0,
                        trusted: Vec::new(),
                    };
                }
            }
            1 => {
                // Restore.
                let pin = pin_from(&mut input);
                let phrase = PHRASES[usize::from(input.next().unwrap_or(0)) % 3];
                let mangle = input.next().unwrap_or(0) % 4 == 3;
                let words = if mangle {
                    phrase
                        .replacen("test", "tset", 1)
                        .replacen("abandon", "abandin", 1)
                        .replacen("legal", "legals", 1)
                } else {
                    phrase.to_owned()
                };
                let mut body = vec![pin.len() as u8];
                body.extend_from_slice(&pin);
                body.extend_from_slice(words.as_bytes());
                update = Some(if written_before {
                    "restore-again"
                } else {
                    "restore"
                });
                let (_, sw) = send(&mut device, Instruction::SetupRestore, 0, &body);
                let expected = if !valid_pin(&pin) {
                    Status::InvalidPin
                } else if mangle {
                    Status::InvalidWords
                } else if model.seed.is_some() {
                    Status::AlreadySetUp
                } else if refuse {
                    Status::Denied
                } else {
                    Status::Ok
                };
                if !cut_failed(sw) {
                    assert_eq!(sw, expected.word(), "restore");
                }
                if sw == Status::Ok.word() || (cut_failed(sw) && expected == Status::Ok) {
                    model = Model {
                        seed: Some((account0(phrase), pin)),
                        unlocked: true,
                        failures: 0,
                        trusted: Vec::new(),
                    };
                }
            }
            2 | 3 => {
                // Unlock, with the right PIN (2) or another (3).
                let pin = match (&model.seed, op & 0x0f) {
                    (Some((_, pin)), 2) => pin.clone(),
                    _ => pin_from(&mut input),
                };
                let (data, sw) = send(&mut device, Instruction::Unlock, 0, &pin);
                let right = model.seed.as_ref().is_some_and(|(_, p)| *p == pin);
                let last = model.failures + 1 >= MAX_PIN_ATTEMPTS;
                update = Some(match (right, last) {
                    (true, _) => "unlock",
                    (false, true) => "unlock-last-wrong-pin",
                    (false, false) => "unlock-wrong-pin",
                });
                let expected = if !valid_pin(&pin) {
                    Status::InvalidPin
                } else if model.seed.is_none() {
                    Status::NotProvisioned
                } else if right {
                    Status::Ok
                } else if model.failures + 1 >= MAX_PIN_ATTEMPTS {
                    Status::WipedAfterWrongPins
                } else {
                    Status::WrongPin
                };
                if cut_failed(sw) {
                    // Cut: the count may have been written, and with the
                    // right PIN the reset too (see the reboot below).
                    if right {
                        model.failures = 0;
                    }
                } else {
                    assert_eq!(sw, expected.word(), "unlock");
                    reached = Some(expected);
                    if valid_pin(&pin) && model.seed.is_some() {
                        if right {
                            model.failures = 0;
                            model.unlocked = true;
                        } else if expected == Status::WipedAfterWrongPins {
                            model = Model {
                                seed: None,
                                unlocked: false,
                                failures: 0,
                                trusted: Vec::new(),
                            };
                        } else {
                            model.failures += 1;
                            model.unlocked = false;
                            assert_eq!(data, [MAX_PIN_ATTEMPTS - model.failures]);
                        }
                    }
                }
            }
            4 => {
                let (_, sw) = send(&mut device, Instruction::Lock, 0, &[]);
                assert_eq!(sw, Status::Ok.word());
                model.unlocked = false;
            }
            5 => {
                // Change the PIN (the right old one, or another).
                let old = match &model.seed {
                    Some((_, pin)) if input.next().unwrap_or(0) & 1 == 0 => pin.clone(),
                    _ => pin_from(&mut input),
                };
                let new = pin_from(&mut input);
                let mut body = vec![old.len() as u8];
                body.extend_from_slice(&old);
                body.extend_from_slice(&new);
                let (_, sw) = send(&mut device, Instruction::ChangePin, 0, &body);
                let right = model.seed.as_ref().is_some_and(|(_, p)| *p == old);
                update = Some(match (right, model.failures + 1 >= MAX_PIN_ATTEMPTS) {
                    (true, _) => "change-pin",
                    (false, true) => "change-pin-last-wrong-pin",
                    (false, false) => "change-pin-wrong-pin",
                });
                let expected = if !valid_pin(&old) || !valid_pin(&new) {
                    Status::InvalidPin
                } else if model.seed.is_none() {
                    Status::NotProvisioned
                } else if refuse {
                    Status::Denied
                } else if right {
                    Status::Ok
                } else if model.failures + 1 >= MAX_PIN_ATTEMPTS {
                    Status::WipedAfterWrongPins
                } else {
                    Status::WrongPin
                };
                if cut_failed(sw) {
                    // Cut: with the right old PIN the check's reset of the
                    // count may have landed before the new seal (the PIN
                    // itself is judged unobservable below).
                    if expected == Status::Ok {
                        model.failures = 0;
                    }
                } else {
                    assert_eq!(sw, expected.word(), "change PIN");
                    reached = Some(expected);
                    match expected {
                        Status::Ok => {
                            let address = model.seed.as_ref().map(|(a, _)| *a).unwrap();
                            model.seed = Some((address, new));
                            model.failures = 0;
                            model.unlocked = true;
                        }
                        Status::WipedAfterWrongPins => {
                            model = Model {
                                seed: None,
                                unlocked: false,
                                failures: 0,
                                trusted: Vec::new(),
                            }
                        }
                        Status::WrongPin => {
                            model.failures += 1;
                            model.unlocked = false;
                        }
                        _ => {}
                    }
                }
            }
            6 => {
                update = Some("wipe");
                let (_, sw) = send(&mut device, Instruction::Wipe, 0, &[]);
                let expected = if refuse { Status::Denied } else { Status::Ok };
                if !cut_failed(sw) {
                    assert_eq!(sw, expected.word(), "wipe");
                }
                // A cut wipe may have erased the seed before it failed.
                if sw == Status::Ok.word() || (cut_failed(sw) && expected == Status::Ok) {
                    model = Model {
                        seed: None,
                        unlocked: false,
                        failures: 0,
                        trusted: Vec::new(),
                    };
                }
            }
            7 => {
                update = Some("trust");
                let signer = Address([input.next().unwrap_or(0) % 6; 20]);
                let (_, sw) = send(&mut device, Instruction::Trust, 0, signer.as_bytes());
                let known = model.trusted.contains(&signer);
                let expected = match (&model.seed, model.unlocked) {
                    (None, _) => Status::NotProvisioned,
                    (Some(_), false) => Status::Locked,
                    _ if known => Status::Ok,
                    _ if model.trusted.len() >= MAX_TRUSTED => Status::TrustListFull,
                    _ if refuse => Status::Denied,
                    _ => Status::Ok,
                };
                if !cut_failed(sw) {
                    assert_eq!(sw, expected.word(), "trust");
                    reached = Some(expected);
                }
                let trusted = sw == Status::Ok.word() || (cut_failed(sw) && expected == Status::Ok);
                if trusted && !known {
                    model.trusted.push(signer);
                }
            }
            8 => {
                // Power cycle.
                let platform = device.wallet().platform().clone();
                device = boot(platform, Person::default());
                model.unlocked = false;
            }
            _ => {
                // Any command that is not a set-up command, arbitrary
                // bytes: never a panic, and the wallet is unchanged.
                const OTHERS: [u8; 8] = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0E, 0x20];
                let ins = OTHERS[usize::from(input.next().unwrap_or(0) % 8)];
                let len = usize::from(input.next().unwrap_or(0) % 40);
                let body: Vec<u8> = (&mut input).take(len).collect();
                let mut apdu = [0u8; MAX_COMMAND_LEN];
                let p1 = input.next().unwrap_or(0) % 4;
                let n = encode_command(ins, p1, 1, &body, &mut apdu).unwrap();
                let mut out = [0u8; MAX_RESPONSE_LEN];
                let len = device.handle(&apdu[..n], &mut out);
                assert!(len >= 2);
            }
        }
        // The power went during the command when its flash budget ran out.
        let struck = cut.is_some() && device.wallet().platform().budget == Some(0);
        if let (Some(k), true, Some(update)) = (cut, struck, update) {
            report.say(|| format!("cut {update} at flash step {k}"));
        }
        if cut.is_some() {
            // The power went (or not) during the command: after a reboot
            // the device is in the state before it or after it; a PIN
            // check may also have counted (the count is written first).
            let platform = device.wallet().platform().clone();
            device = boot(platform, Person::default());
            let seen = observe(&mut device);
            let mut was = before.clone();
            was.unlocked = false;
            let mut after = model.clone();
            after.unlocked = false;
            let mut counted = was.clone();
            counted.failures += 1;
            if counted.failures >= MAX_PIN_ATTEMPTS {
                counted = Model {
                    seed: None,
                    unlocked: false,
                    failures: 0,
                    trusted: Vec::new(),
                };
            }
            let pin_check = matches!(op & 0x0f, 2 | 3 | 5) && was.seed.is_some();
            let (next, outcome) = if seen == after.observable() {
                (after, "after")
            } else if seen == was.observable() {
                (was, "before")
            } else if pin_check && seen == counted.observable() {
                (counted, "counted")
            } else {
                panic!(
                    "after a cut: {seen:?}, neither {:?} nor {:?}",
                    was.observable(),
                    after.observable()
                )
            };
            model = next;
            if struck {
                report.say(|| format!("rebooted after a cut: {outcome}"));
            }
            states::observe_model(&model, reached, report);
            if op & 0x0f == 5 {
                // Which PIN holds after a cut PIN change is not observable
                // without spending an attempt: the session ends here.
                return;
            }
        } else {
            assert_eq!(
                observe(&mut device),
                model.observable(),
                "after op {op:#04x}"
            );
            states::observe_model(&model, reached, report);
        }
    }
}

/// The seed corpus: hand-made sessions, then one power cut at each flash
/// step of each set-up command (`cut-<command>-<step>`,
/// [`states::cut_sessions`]).
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = hand_made()
        .into_iter()
        .map(|(name, bytes)| (name.to_owned(), bytes))
        .collect();
    out.extend(states::cut_sessions());
    out
}

/// Hand-made sessions for the seed corpus.
fn hand_made() -> Vec<(&'static str, Vec<u8>)> {
    // restore under PIN "1201" of the test mnemonic
    let restore: &[u8] = &[0x01, 1, 1, 2, 0, 1, 0, 0];
    let wrong_pin: &[u8] = &[0x03, 1, 0, 0, 0, 0];
    let join = |parts: &[&[u8]]| parts.concat();
    vec![
        (
            "restore-lock-unlock",
            join(&[restore, &[0x04, 0x02, 0x08, 0x02]]),
        ),
        (
            "wrong-pins-to-wipe",
            join(&[
                restore,
                &[0x08],
                wrong_pin,
                wrong_pin,
                wrong_pin,
                wrong_pin,
                wrong_pin,
                &[0x02],
            ]),
        ),
        (
            "generate-trust",
            join(&[
                &[0x00, 1, 1, 1, 1, 1, 0],
                &[0x07, 3, 0x07, 3, 0x47, 4, 0x08, 0x07, 5],
            ]),
        ),
        (
            "change-pin",
            join(&[restore, &[0x05, 0, 1, 2, 2, 2, 2, 0x04, 0x02]]),
        ),
        (
            "refusals",
            join(&[
                &[0x41, 1, 1, 2, 0, 1, 0, 0, 0x40, 1, 1, 1, 1, 1, 0],
                restore,
                &[0x46, 0x45, 0, 1, 1, 1, 1, 1],
            ]),
        ),
        (
            "cut-restore",
            join(&[&[0x81, 5, 1, 1, 2, 0, 1, 0, 0], restore]),
        ),
        (
            "cut-wrong-pin",
            join(&[restore, &[0x04, 0x83, 3, 1, 0, 0, 0, 0, 0x82, 12]]),
        ),
        ("cut-wipe", join(&[restore, &[0x86, 7, 0x02]])),
        (
            "trust-to-full",
            join(&[restore, &[0x07, 0, 0x07, 1, 0x07, 2, 0x07, 3, 0x07, 4]]),
        ),
        (
            "bad-input",
            join(&[&[0x01, 1, 1, 2, 0, 1, 0, 3], &[0x09, 5, 3, 1, 2, 3, 1]]),
        ),
    ]
}
