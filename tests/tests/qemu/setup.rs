//! The device's wallet set-up flows on one firmware: generate (the words on
//! the device's own screen), power cycles, unlock and sign, refusals, wipe,
//! restore, a trusted signer kept, the wrong-PIN counter's write cut at
//! every flash step, wrong PINs down to the wipe, then every other storage
//! update cut at every flash step: a restore over an older record, a
//! trusted signer added, a PIN change, a wipe.

use std::path::Path;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use tokensign::device::{
    default_path, DeviceClient, DeviceError, ProcessTransport, SignRequest, WalletStatus,
    TEST_MNEMONIC,
};
use tokensign_core::device::wallet::{PROGRAM_CHUNK, REGION_LEN};
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
/// The PIN the torn PIN change changes [`PIN`] to.
const NEW_PIN: &str = "8642";

type Client = DeviceClient<ProcessTransport>;

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
    drop(client);

    // Every other storage update, cut at every flash step: after each cut
    // the device holds what it held before the update or after it.
    let restore = torn_at_every_step(
        &board,
        |_| {},
        |c| c.setup_restore(TEST_MNEMONIC, PIN),
        |cut, done, c| match c.state().unwrap().wallet {
            WalletStatus::Empty => assert!(!done, "{name}: cut {cut}: restored, then empty"),
            WalletStatus::Locked => {
                c.unlock(PIN).expect("the restored seed opens");
                let address = c.address(&default_path(), false).unwrap();
                assert_eq!(address.to_string(), ACCOUNT_0, "{name}: cut {cut}");
            }
            WalletStatus::Unlocked => panic!("{name}: cut {cut}: unlocked at power-on"),
        },
    );
    let trust = torn_at_every_step(
        &board,
        |c| c.unlock(PIN).expect("unlock before trusting"),
        |c| c.trust(&signer),
        |cut, done, c| {
            let trusted = c.state().unwrap().trusted;
            let expected: &[Address] = if done { &[signer] } else { &[] };
            assert!(
                trusted == [signer] || trusted == expected,
                "{name}: cut {cut}: trusted {trusted:?}"
            );
        },
    );
    let change_pin = torn_at_every_step(
        &board,
        |_| {},
        |c| c.change_pin(PIN, NEW_PIN),
        |cut, done, c| match c.unlock(NEW_PIN) {
            Ok(()) => {}
            Err(e) if !done && sw_of(&e) == Status::WrongPin.word() => {
                c.unlock(PIN)
                    .expect("the old PIN opens when the new one does not");
            }
            Err(e) => panic!("{name}: cut {cut}: the new PIN: {e}"),
        },
    );
    let wipe = torn_at_every_step(
        &board,
        |_| {},
        |c| c.wipe(),
        |cut, done, c| {
            let state = c.state().unwrap();
            match state.wallet {
                WalletStatus::Empty => assert!(state.trusted.is_empty(), "{name}: cut {cut}"),
                WalletStatus::Locked => {
                    assert!(!done, "{name}: cut {cut}: wiped, then locked");
                    assert_eq!(state.trusted, [signer], "{name}: cut {cut}");
                    c.unlock(NEW_PIN).expect("the seed not wiped opens");
                }
                WalletStatus::Unlocked => panic!("{name}: cut {cut}: unlocked at power-on"),
            }
        },
    );
    let mut client = board.power_on();
    assert_eq!(client.state().unwrap().wallet, WalletStatus::Empty);
    // Every step was cut: a record's write is an erase and its chunks; the
    // restore also erases the older record (the wipe's), a PIN change
    // writes three records (the count, its reset, the new seal) and erases
    // the old seal, a wipe writes the empty record, erases the older one,
    // and writes a new per-device secret (its 32 bytes and their SHA-256).
    let record = u32::try_from(REGION_LEN / PROGRAM_CHUNK).unwrap() + 1;
    let secret = 1 + u32::try_from(64 / PROGRAM_CHUNK).unwrap();
    assert_eq!(
        [restore, trust, change_pin, wipe, counter_steps],
        [
            record + 1,
            record,
            3 * record + 1,
            record + 1 + secret,
            record
        ],
        "{name}: flash steps of restore, trust, change PIN, wipe, the count"
    );
    SetupFigures {
        peak_stack,
        unlock,
        restore: restore_ticks,
        counter_steps,
    }
}

/// Runs `update` with the power cut at every flash step in turn, each
/// time from the same flash (the file as it was, put back before each
/// power-on), after `prepare` (not cut); gives `check` each cut's number,
/// whether the update completed, and the device powered on again; stops
/// once the update completes with the power on, and leaves the device as
/// that update left it. Returns the update's flash steps (the cuts that
/// struck).
fn torn_at_every_step(
    board: &Board,
    prepare: impl Fn(&mut Client),
    update: impl Fn(&mut Client) -> Result<(), DeviceError>,
    check: impl Fn(u32, bool, &mut Client),
) -> u32 {
    let before = std::fs::read(board.flash()).expect("the flash file");
    let mut cut = 0u32;
    loop {
        std::fs::write(board.flash(), &before).expect("the flash file");
        let mut client = board.power_on();
        prepare(&mut client);
        client
            .command(INS_POWER_CUT, 0, 0, &cut.to_be_bytes())
            .unwrap();
        let outcome = update(&mut client);
        let done = match &outcome {
            Err(e) if e.status().is_none() => false, // the power went
            Ok(()) => true,
            Err(e) => panic!("cut {cut}: {e}"),
        };
        drop(client);
        if done {
            // The last cut budget let the whole update through: the
            // flash is the update's; check it as a cut's.
            check(cut, true, &mut board.power_on());
            return cut;
        }
        check(cut, false, &mut board.power_on());
        cut += 1;
        assert!(cut < 64, "the update never completes");
    }
}
