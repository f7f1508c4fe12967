//! The set-up instructions through `Device::handle`: generate, restore,
//! unlock, change PIN, lock, wipe, trust, and what each state refuses.

use super::*;
use crate::device::wallet::tests::TestPlatform;
use crate::hd::{DerivationPath, Mnemonic};
use crate::native;
use crate::signature::recover_hash;
use std::string::{String, ToString};
use std::vec::Vec;

/// Records every page and prompt, approves unless told to refuse.
#[derive(Default)]
struct Person {
    prompts: Vec<String>,
    words: Vec<String>,
    refuse: bool,
}

impl Approver for Person {
    fn approve<const B: usize, const M: usize>(&mut self, _: &Review<'_, B, M>) -> Approval {
        self.decision()
    }
    fn confirm_address(&mut self, _: &DerivationPath, _: &Address) -> Approval {
        self.decision()
    }
    fn confirm(&mut self, prompt: &Prompt) -> Approval {
        let mut text = [0u8; MAX_PROMPT_LEN];
        let n = prompt.write_to(&mut text);
        self.prompts
            .push(String::from_utf8(text[..n].to_vec()).unwrap());
        self.decision()
    }
    fn show_words(&mut self, words: &WordPages<'_>) -> Approval {
        words.for_each_page(|page| {
            self.words.push(page.to_string());
            true
        });
        self.decision()
    }
}

impl Person {
    fn decision(&self) -> Approval {
        if self.refuse {
            Approval::Reject
        } else {
            Approval::Approve
        }
    }
}

type WalletDevice = Device<Person, 2048, 4, 4, TestPlatform>;

fn power_on(platform: TestPlatform) -> WalletDevice {
    let mut platform = platform;
    platform.budget = None;
    Device::with_wallet(Wallet::boot(platform).unwrap(), Person::default())
}

fn cmd(ins: Instruction, p1: u8, data: &[u8]) -> Vec<u8> {
    let mut buf = [0u8; MAX_COMMAND_LEN];
    let n = encode_command(ins as u8, p1, 0, data, &mut buf).unwrap();
    buf[..n].to_vec()
}

fn run(d: &mut WalletDevice, apdu: &[u8]) -> (Vec<u8>, u16) {
    let mut resp = [0u8; MAX_RESPONSE_LEN];
    let n = d.handle(apdu, &mut resp);
    let (data, sw) = split_response(&resp[..n]).unwrap();
    (data.to_vec(), sw)
}

fn path_bytes(index: u32) -> Vec<u8> {
    let mut buf = [0u8; crate::hd::MAX_PATH_BYTES];
    let n = DerivationPath::ethereum(index)
        .unwrap()
        .write_bytes(&mut buf)
        .unwrap();
    buf[..n].to_vec()
}

fn address(d: &mut WalletDevice) -> (Vec<u8>, u16) {
    run(d, &cmd(Instruction::GetAddress, 0, &path_bytes(0)))
}

fn restore_data(pin: &str, words: &str) -> Vec<u8> {
    let mut data = vec![pin.len() as u8];
    data.extend_from_slice(pin.as_bytes());
    data.extend_from_slice(words.as_bytes());
    data
}

fn restore(d: &mut WalletDevice, pin: &str) -> u16 {
    run(
        d,
        &cmd(Instruction::SetupRestore, 0, &restore_data(pin, MNEMONIC)),
    )
    .1
}

fn state(d: &mut WalletDevice) -> Vec<u8> {
    let (data, sw) = run(d, &cmd(Instruction::GetState, 0, &[]));
    assert_eq!(sw, 0x9000);
    data
}

#[test]
fn an_empty_device_refuses_key_operations_until_restored() {
    let mut d = power_on(TestPlatform::default());
    assert_eq!(state(&mut d)[..4], [setup::STATE_EMPTY, 5, 5, 0]);
    assert_eq!(address(&mut d).1, Status::NotProvisioned.word());
    let pk = run(&mut d, &cmd(Instruction::GetPublicKey, 0, &path_bytes(0)));
    assert_eq!(pk.1, Status::NotProvisioned.word());
    assert_eq!(
        run(&mut d, &cmd(Instruction::Sign, 0, &[2, 1, 0])).1,
        Status::NotProvisioned.word()
    );
    assert_eq!(
        run(&mut d, &cmd(Instruction::Unlock, 0, b"1234")).1,
        Status::NotProvisioned.word()
    );

    assert_eq!(restore(&mut d, "1234"), OK);
    // The warning page came first.
    assert_eq!(
        d.approver().prompts,
        ["Warning: words typed on a computer are not secret. Restore from them anyway?"]
    );
    let (addr, sw) = address(&mut d);
    assert_eq!(sw, OK);
    assert_eq!(Address(addr.try_into().unwrap()).to_string(), ACCOUNT_0);
    assert_eq!(state(&mut d)[0], setup::STATE_UNLOCKED);
    // A second set-up is refused by name.
    assert_eq!(restore(&mut d, "1234"), Status::AlreadySetUp.word());
}

#[test]
fn restore_refuses_bad_words_and_pins_by_name() {
    let mut d = power_on(TestPlatform::default());
    let bad = |d: &mut WalletDevice, pin: &str, words: &str| {
        run(
            d,
            &cmd(Instruction::SetupRestore, 0, &restore_data(pin, words)),
        )
    };
    assert_eq!(bad(&mut d, "12", MNEMONIC).1, Status::InvalidPin.word());
    assert_eq!(
        bad(&mut d, "1234", "test test"),
        (vec![1, 2], Status::InvalidWords.word())
    );
    assert_eq!(
        bad(&mut d, "1234", &MNEMONIC.replace("junk", "junky")),
        (vec![2, 12], Status::InvalidWords.word())
    );
    assert_eq!(
        bad(&mut d, "1234", &MNEMONIC.replace("junk", "test")),
        (vec![3, 0], Status::InvalidWords.word())
    );
    assert_eq!(
        run(&mut d, &cmd(Instruction::SetupRestore, 0, &[9, b'1'])).1,
        Status::WrongLength.word()
    );
    // Refused on the device: nothing is stored.
    d.approver_mut().refuse = true;
    assert_eq!(restore(&mut d, "1234"), Status::Denied.word());
    assert_eq!(state(&mut d)[0], setup::STATE_EMPTY);
}

#[test]
fn generate_shows_the_words_on_the_device_only_and_keeps_their_seed() {
    let mut d = power_on(TestPlatform::default());
    let (data, sw) = run(&mut d, &cmd(Instruction::SetupGenerate, 24, b"246810"));
    assert_eq!(
        (data.len(), sw),
        (0, OK),
        "nothing but the status goes back"
    );
    let person = d.approver();
    assert_eq!(person.prompts[0], "Create a new wallet of 24 words?");
    assert_eq!(person.prompts[1], "Wrote down all 24 words, in order?");
    assert_eq!(person.words.len(), 24);
    let words: Vec<&str> = person
        .words
        .iter()
        .enumerate()
        .map(|(i, page)| page.strip_prefix(&format!("Word {}/24: ", i + 1)).unwrap())
        .collect();
    let seed = Mnemonic::parse(&words.join(" "))
        .unwrap()
        .to_seed("")
        .unwrap();
    let expected =
        crate::hd::derive_signing_key(seed.as_bytes(), &DerivationPath::ethereum(0).unwrap())
            .unwrap()
            .address();
    let (addr, sw) = address(&mut d);
    assert_eq!(sw, OK);
    assert_eq!(addr, expected.as_bytes());

    // After a power cycle: locked, then the PIN unlocks the same key.
    let mut d = power_on(d.wallet().platform().clone());
    assert_eq!(address(&mut d).1, Status::Locked.word());
    assert_eq!(run(&mut d, &cmd(Instruction::Unlock, 0, b"246810")).1, OK);
    assert_eq!(address(&mut d).0, expected.as_bytes());

    // 12 words; and a P1 of another count is refused.
    let mut d = power_on(TestPlatform::default());
    assert_eq!(
        run(&mut d, &cmd(Instruction::SetupGenerate, 12, b"1234")).1,
        OK
    );
    assert_eq!(d.approver().words.len(), 12);
    let mut d = power_on(TestPlatform::default());
    assert_eq!(
        run(&mut d, &cmd(Instruction::SetupGenerate, 18, b"1234")).1,
        Status::WrongP1P2.word()
    );
    // Cancelled while the words are shown: nothing is stored.
    d.approver_mut().refuse = true;
    assert_eq!(
        run(&mut d, &cmd(Instruction::SetupGenerate, 12, b"1234")).1,
        Status::Denied.word()
    );
    assert_eq!(state(&mut d)[0], setup::STATE_EMPTY);
}

#[test]
fn power_cycle_unlock_sign() {
    let mut d = power_on(TestPlatform::default());
    assert_eq!(restore(&mut d, "1234"), OK);
    let mut d = power_on(d.wallet().platform().clone());
    assert_eq!(state(&mut d)[0], setup::STATE_LOCKED);
    let tx: crate::tx::Transaction<4, 4> = crate::tx::Transaction::new(
        1_212_101,
        1,
        crate::tx::Payment {
            recipient: Address([2; 20]),
            value: crate::Amount::from_u64(5),
            token: Address([1; 20]),
        },
    );
    let mut request = vec![2, tx.op_type().number(), 0];
    request.extend(path_bytes(0));
    let payload = native::payload_rlp(&tx);
    let mut buf = [0u8; 512];
    let n = crate::rlp::encode::to_slice(&payload, &mut buf).unwrap();
    request.extend_from_slice(&buf[..n]);
    let sign = cmd(Instruction::Sign, P1_FIRST, &request);
    let mut sign = sign;
    sign[3] = P2_LAST;
    assert_eq!(run(&mut d, &sign).1, Status::Locked.word());
    assert_eq!(run(&mut d, &cmd(Instruction::Unlock, 0, b"1234")).1, OK);
    let (answer, sw) = run(&mut d, &sign);
    assert_eq!(sw, OK);
    let (signature, _) = parse_sign_response(&answer).unwrap();
    let hash = native::signing_hash(&tx, native::Descriptor::Single);
    assert_eq!(
        recover_hash(&hash, &signature).unwrap().to_string(),
        ACCOUNT_0
    );
    // Lock: refused again.
    assert_eq!(run(&mut d, &cmd(Instruction::Lock, 0, &[])).1, OK);
    assert_eq!(run(&mut d, &sign).1, Status::Locked.word());
}

#[test]
fn wrong_pins_count_down_to_the_wipe() {
    let mut d = power_on(TestPlatform::default());
    assert_eq!(restore(&mut d, "1234"), OK);
    let mut d = power_on(d.wallet().platform().clone());
    for left in (1..MAX_PIN_ATTEMPTS).rev() {
        assert_eq!(
            run(&mut d, &cmd(Instruction::Unlock, 0, b"9999")),
            (vec![left], Status::WrongPin.word())
        );
        assert_eq!(state(&mut d)[1], left);
        // Power cycles do not reset it.
        d = power_on(d.wallet().platform().clone());
    }
    assert_eq!(
        run(&mut d, &cmd(Instruction::Unlock, 0, b"9999")).1,
        Status::WipedAfterWrongPins.word()
    );
    assert_eq!(state(&mut d)[0], setup::STATE_EMPTY);
    assert_eq!(
        run(&mut d, &cmd(Instruction::Unlock, 0, b"1234")).1,
        Status::NotProvisioned.word()
    );
    assert_eq!(address(&mut d).1, Status::NotProvisioned.word());
}

#[test]
fn change_pin_wipe_and_trust_ask_the_person_first() {
    let mut d = power_on(TestPlatform::default());
    assert_eq!(restore(&mut d, "1234"), OK);
    let mut change = vec![4];
    change.extend_from_slice(b"1234");
    change.extend_from_slice(b"87654321");
    d.approver_mut().refuse = true;
    assert_eq!(
        run(&mut d, &cmd(Instruction::ChangePin, 0, &change)).1,
        Status::Denied.word()
    );
    // Refusing used no attempt.
    assert_eq!(state(&mut d)[1], MAX_PIN_ATTEMPTS);
    d.approver_mut().refuse = false;
    assert_eq!(run(&mut d, &cmd(Instruction::ChangePin, 0, &change)).1, OK);
    assert_eq!(d.approver().prompts.last().unwrap(), "Change the PIN?");
    let mut d = power_on(d.wallet().platform().clone());
    assert_eq!(
        run(&mut d, &cmd(Instruction::Unlock, 0, b"1234")).1,
        Status::WrongPin.word()
    );
    assert_eq!(run(&mut d, &cmd(Instruction::Unlock, 0, b"87654321")).1, OK);

    // Trust: the page names the signer; kept across a power cycle.
    let signer = Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8").unwrap();
    d.approver_mut().refuse = true;
    assert_eq!(
        run(&mut d, &cmd(Instruction::Trust, 0, signer.as_bytes())).1,
        Status::Denied.word()
    );
    assert!(!d.trusts(&signer));
    d.approver_mut().refuse = false;
    assert_eq!(
        run(&mut d, &cmd(Instruction::Trust, 0, signer.as_bytes())).1,
        OK
    );
    assert_eq!(
        d.approver().prompts.last().unwrap(),
        "Trust token definitions from 0x70997970C51812dc3A010C7d01b50e0d17dc79C8?"
    );
    let mut d = power_on(d.wallet().platform().clone());
    assert!(d.trusts(&signer));
    let s = state(&mut d);
    assert_eq!((s[4], &s[6..26]), (1, signer.as_bytes().as_slice()));
    // Locked: trust is refused by name.
    assert_eq!(
        run(&mut d, &cmd(Instruction::Trust, 0, &[7; 20])).1,
        Status::Locked.word()
    );

    // Wipe: asked, in any state, and then empty.
    d.approver_mut().refuse = true;
    assert_eq!(
        run(&mut d, &cmd(Instruction::Wipe, 0, &[])).1,
        Status::Denied.word()
    );
    assert_eq!(state(&mut d)[0], setup::STATE_LOCKED);
    d.approver_mut().refuse = false;
    assert_eq!(run(&mut d, &cmd(Instruction::Wipe, 0, &[])).1, OK);
    assert_eq!(
        d.approver().prompts.last().unwrap(),
        "Wipe the device? Its seed is erased."
    );
    assert_eq!(state(&mut d)[0], setup::STATE_EMPTY);
    assert!(!d.trusts(&signer));
}

#[test]
fn a_fixed_seed_device_keeps_no_state() {
    let seed = Mnemonic::parse(MNEMONIC).unwrap().to_seed("").unwrap();
    let mut d: Device<Person, 2048, 4, 4> = Device::new(seed, Person::default());
    let mut resp = [0u8; MAX_RESPONSE_LEN];
    for (ins, p1, data) in [
        (Instruction::SetupRestore, 0, restore_data("1234", MNEMONIC)),
        (Instruction::SetupGenerate, 12, b"1234".to_vec()),
        (Instruction::Unlock, 0, b"1234".to_vec()),
        (Instruction::Wipe, 0, vec![]),
        (Instruction::Lock, 0, vec![]),
        (Instruction::Trust, 0, vec![1; 20]),
    ] {
        let n = d.handle(&cmd(ins, p1, &data), &mut resp);
        let sw = split_response(&resp[..n]).unwrap().1;
        assert_eq!(sw, Status::NoStorage.word(), "{ins:?}");
    }
    let n = d.handle(&cmd(Instruction::GetState, 0, &[]), &mut resp);
    assert_eq!(
        &resp[..n],
        &[
            setup::STATE_UNLOCKED,
            5,
            5,
            setup::FLAG_FIXED_SEED,
            0,
            0,
            0x90,
            0
        ]
    );
    assert!(d.address(&DerivationPath::ethereum(0).unwrap()).is_ok());
}
