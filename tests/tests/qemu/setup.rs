//! The device's wallet set-up flows on one firmware: generate (the words on
//! the device's own screen), power cycles, unlock and sign, refusals, wipe,
//! restore, a trusted signer kept, the wrong-PIN counter's write cut at
//! every flash step, and wrong PINs down to the wipe.

use std::path::Path;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use tokensign::device::{default_path, SignRequest, WalletStatus, TEST_MNEMONIC};
use tokensign_core::device::{Instruction, Status, MAX_PIN_ATTEMPTS, P1_FIRST};
use tokensign_core::hd::{self, Mnemonic};
use tokensign_core::native::{self, Descriptor};
use tokensign_core::{Address, Scheme};
use tokensign_tests::strategies::ops;

use crate::board::Board;
use crate::client::{
    bench_command, stack_since_paint, sw, sw_of, INS_BUTTONS, INS_GET_STACK, INS_POWER_CUT,
};
use crate::firmware::Backend;
use crate::transactions::widen;
use crate::wallet::PIN;

/// anvil's account 0 of the public test mnemonic.
const ACCOUNT_0: &str = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
/// A definitions signer the device is asked to trust.
const SIGNER: &str = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

/// What the set-up flows measured.
pub struct SetupFigures {
    /// Peak stack over every set-up command.
    pub peak_stack: u32,
    /// An UNLOCK with the right PIN (counter written, PBKDF2, seal opened,
    /// counter reset), in ticks.
    pub unlock: u64,
    /// SETUP_RESTORE of 12 words (mnemonic to seed, seal, write), in ticks.
    pub restore: u64,
    /// Flash steps of the wrong-PIN counter's write (each cut once).
    pub counter_steps: u32,
}

/// The device's wallet, end to end, on one firmware (see the test's
/// notes in main.rs).
pub fn setup_flows(backend: Backend, firmware: &Path) -> SetupFigures {
    let board = Board::new(firmware);
    let mut peak_stack = 0u32;
    let name = backend.name();

    // Empty: every key operation is refused by name.
    let mut client = board.power_on();
    client.command(INS_GET_STACK, 1, 0, &[]).unwrap();
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Empty);
    let e = client.address(&default_path(), false).unwrap_err();
    assert_eq!(sw_of(&e), Status::NotProvisioned.word(), "{name}");
    assert_eq!(
        sw(&mut client, Instruction::Sign, P1_FIRST, &[2, 1, 0]),
        Status::NotProvisioned.word()
    );

    // Generate: the words on the device's own screen only.
    client.setup_generate(12, "2468").expect("generate");
    peak_stack = peak_stack.max(stack_since_paint(&mut client));
    assert_eq!(
        client.take_display(),
        [
            "Create a new wallet of 12 words?",
            "Wrote down all 12 words, in order?"
        ],
        "{name}"
    );
    let screen = board.screen();
    let words: Vec<&str> = screen
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Word "))
        .map(|l| l.split(": ").nth(1).unwrap())
        .collect();
    assert_eq!(words.len(), 12, "{name}: screen {screen:?}");
    let seed = Mnemonic::parse(&words.join(" "))
        .unwrap()
        .to_seed("")
        .unwrap();
    let generated = hd::derive_signing_key(seed.as_bytes(), &default_path()).unwrap();
    assert_eq!(
        client.address(&default_path(), false).unwrap(),
        generated.address(),
        "{name}"
    );
    drop(client);

    // Power cycle: locked; unlock (measured); sign.
    let mut client = board.power_on();
    client.command(INS_GET_STACK, 1, 0, &[]).unwrap();
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Locked);
    let e = client.address(&default_path(), false).unwrap_err();
    assert_eq!(sw_of(&e), Status::Locked.word(), "{name}");
    let (unlock, status) = bench_command(&mut client, Instruction::Unlock, b"2468");
    assert_eq!(status, 0x9000, "{name}: unlock");
    peak_stack = peak_stack.max(stack_since_paint(&mut client));
    let payment = native::normalize(widen(
        &ops::transaction_for::<4, 4>(tokensign_core::OpType::Payment)
            .new_tree(&mut TestRunner::deterministic())
            .unwrap()
            .current(),
    ));
    let signed = client
        .sign(&SignRequest {
            tx: &payment,
            scheme: Scheme::Native,
            descriptor: Descriptor::Single,
            path: default_path(),
        })
        .expect("sign after unlock");
    assert_eq!(
        tokensign_core::recover_hash(
            &native::signing_hash(&payment, Descriptor::Single),
            &signed.signature
        )
        .unwrap(),
        generated.address()
    );

    // Refused on the device, then wiped.
    client.command(INS_BUTTONS, 1, 0, &[]).unwrap();
    let e = client.wipe().unwrap_err();
    assert!(e.is_denied(), "{name}: {e}");
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Unlocked);
    client.command(INS_BUTTONS, 0, 0, &[]).unwrap();
    client.wipe().expect("wipe");
    assert_eq!(
        client.take_display(),
        ["Wipe the device? Its seed is erased."]
    );
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Empty);
    peak_stack = peak_stack.max(stack_since_paint(&mut client));

    // Restore the public test mnemonic (measured), trust a signer.
    let mut restore = vec![PIN.len() as u8];
    restore.extend_from_slice(PIN.as_bytes());
    restore.extend_from_slice(TEST_MNEMONIC.as_bytes());
    let (restore_ticks, status) = bench_command(&mut client, Instruction::SetupRestore, &restore);
    assert_eq!(status, 0x9000, "{name}: restore");
    client.forget_addresses();
    assert_eq!(
        client.take_display(),
        ["Warning: words typed on a computer are not secret. Restore from them anyway?"]
    );
    assert_eq!(
        client.address(&default_path(), false).unwrap().to_string(),
        ACCOUNT_0
    );
    let signer = Address::parse(SIGNER).unwrap();
    client.trust(&signer).expect("trust");
    assert_eq!(
        client.take_display(),
        [format!("Trust token definitions from {SIGNER}?")]
    );
    peak_stack = peak_stack.max(stack_since_paint(&mut client));
    drop(client);

    // A wrong PIN with the power cut at every step of the counter's write:
    // after each cut the count is the old one or one more, never less, and
    // the PIN was checked only once the count was written.
    let mut left = MAX_PIN_ATTEMPTS;
    let mut cut = 0u32;
    loop {
        let mut client = board.power_on();
        let state = client.state().unwrap();
        assert_eq!(
            state.trusted,
            [signer],
            "{name}: the trusted signer is kept"
        );
        assert!(
            state.attempts_left == left || state.attempts_left + 1 == left,
            "{name}: cut {cut}: {} attempts left after {left}",
            state.attempts_left
        );
        left = state.attempts_left;
        client
            .command(INS_POWER_CUT, 0, 0, &cut.to_be_bytes())
            .unwrap();
        match client.unlock("9999") {
            Err(e) if e.status().is_some_and(|s| s.sw == Status::WrongPin.word()) => {
                assert_eq!(
                    client.state().unwrap().attempts_left,
                    left - 1,
                    "{name}: the count was written before the check"
                );
                left -= 1;
                break;
            }
            Err(e) if e.status().is_none() => {} // the power went
            other => panic!("{name}: cut {cut}: {other:?}"),
        }
        cut += 1;
        assert!(cut < 64, "{name}: the counter's write never completes");
    }
    let counter_steps = cut;

    // Wrong PINs down to the wipe, with a power cycle between.
    while left > 1 {
        let mut client = board.power_on();
        let e = client.unlock("9999").unwrap_err();
        assert_eq!(sw_of(&e), Status::WrongPin.word(), "{name}");
        left -= 1;
        assert_eq!(client.state().unwrap().attempts_left, left);
    }
    let mut client = board.power_on();
    client.command(INS_GET_STACK, 1, 0, &[]).unwrap();
    let e = client.unlock("9999").unwrap_err();
    assert_eq!(sw_of(&e), Status::WipedAfterWrongPins.word(), "{name}");
    peak_stack = peak_stack.max(stack_since_paint(&mut client));
    let state = client.state().unwrap();
    assert_eq!(
        (state.wallet, state.trusted.len()),
        (WalletStatus::Empty, 0)
    );
    let e = client.unlock(PIN).unwrap_err();
    assert_eq!(sw_of(&e), Status::NotProvisioned.word());
    drop(client);
    let mut client = board.power_on();
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Empty);
    SetupFigures {
        peak_stack,
        unlock,
        restore: restore_ticks,
        counter_steps,
    }
}
