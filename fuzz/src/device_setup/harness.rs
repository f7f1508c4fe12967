//! The device_setup target's harness: RAM flash that loses power on cue, a
//! person who approves or refuses, the model of the wallet and what the
//! host can observe of a device.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use tokensign_core::device::wallet::RamStorage;
use tokensign_core::device::{
    encode_command, split_response, Approval, Approver, Device, Entropy, EntropyError, Instruction,
    Prompt, Region, Status, Storage, StorageError, Wallet, WordPages, MAX_COMMAND_LEN,
    MAX_PIN_ATTEMPTS, MAX_RESPONSE_LEN,
};
use tokensign_core::hd::{self, DerivationPath, Mnemonic};
use tokensign_core::review::Review;
use tokensign_core::Address;

/// RAM flash that can lose power after a number of steps, and a
/// deterministic random source.
#[derive(Clone, Debug, Default)]
pub struct FuzzPlatform {
    pub(super) flash: RamStorage,
    pub(super) budget: Option<u32>,
    pub(super) counter: u64,
}

impl FuzzPlatform {
    fn step(&mut self) -> Result<(), StorageError> {
        match &mut self.budget {
            Some(0) => Err(StorageError::Failed),
            Some(n) => {
                *n -= 1;
                Ok(())
            }
            None => Ok(()),
        }
    }
}

impl Storage for FuzzPlatform {
    fn read(&mut self, region: Region, offset: usize, out: &mut [u8]) -> Result<(), StorageError> {
        if self.budget == Some(0) {
            return Err(StorageError::Failed);
        }
        self.flash.read(region, offset, out)
    }
    fn erase(&mut self, region: Region) -> Result<(), StorageError> {
        self.step()?;
        self.flash.erase(region)
    }
    fn program(&mut self, region: Region, offset: usize, data: &[u8]) -> Result<(), StorageError> {
        self.step()?;
        self.flash.program(region, offset, data)
    }
}

impl Entropy for FuzzPlatform {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), EntropyError> {
        for b in out.iter_mut() {
            self.counter = self
                .counter
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            *b = (self.counter >> 33) as u8;
        }
        Ok(())
    }
}

/// Approves or refuses; remembers the words a generate showed.
#[derive(Debug, Default)]
pub struct Person {
    pub(super) refuse: bool,
    pub(super) words: Vec<String>,
    pub(super) prompts: usize,
}

impl Approver for Person {
    fn approve<const B: usize, const M: usize>(&mut self, _: &Review<'_, B, M>) -> Approval {
        self.decision()
    }
    fn confirm_address(&mut self, _: &DerivationPath, _: &Address) -> Approval {
        self.decision()
    }
    fn confirm(&mut self, prompt: &Prompt) -> Approval {
        let mut text = [0u8; tokensign_core::device::MAX_PROMPT_LEN];
        assert!(prompt.write_to(&mut text) > 0);
        self.prompts += 1;
        self.decision()
    }
    fn show_words(&mut self, words: &WordPages<'_>) -> Approval {
        self.words.clear();
        words.for_each_page(|page| {
            let word = page.split(": ").nth(1).expect("Word i/n: word");
            self.words.push(word.to_owned());
            true
        });
        assert_eq!(self.words.len(), words.count());
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

pub(super) type SetupDevice = Device<Person, 512, 2, 2, FuzzPlatform>;

/// What the model knows of the wallet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Model {
    /// The seed's account 0 and the PIN, if set up.
    pub(super) seed: Option<(Address, Vec<u8>)>,
    pub(super) unlocked: bool,
    pub(super) failures: u8,
    pub(super) trusted: Vec<Address>,
}

/// The address of account 0 (m/44'/60'/0'/0/0) of a recovery phrase,
/// worked out once per phrase and process: the model's own parse of the
/// words was a third of the target's time, and the phrases are few (the
/// three restore phrases and the ones generate shows from its
/// deterministic entropy).
pub(super) fn account0(phrase: &str) -> Address {
    static KNOWN: OnceLock<Mutex<HashMap<String, Address>>> = OnceLock::new();
    let known = KNOWN.get_or_init(Default::default);
    if let Some(address) = known.lock().expect("account cache").get(phrase) {
        return *address;
    }
    let seed = Mnemonic::parse(phrase).unwrap().to_seed("").unwrap();
    let address = hd::derive_signing_key(seed.as_bytes(), &DerivationPath::ethereum(0).unwrap())
        .unwrap()
        .address();
    known
        .lock()
        .expect("account cache")
        .insert(phrase.to_owned(), address);
    address
}

pub(super) fn path0() -> Vec<u8> {
    let mut buf = [0u8; hd::MAX_PATH_BYTES];
    let n = DerivationPath::ethereum(0)
        .unwrap()
        .write_bytes(&mut buf)
        .unwrap();
    buf[..n].to_vec()
}

pub(super) fn boot(platform: FuzzPlatform, person: Person) -> SetupDevice {
    let mut platform = platform;
    platform.budget = None;
    let wallet = Wallet::boot(platform).expect("a booted wallet");
    Device::with_wallet(wallet, person)
}

pub(super) fn send(
    device: &mut SetupDevice,
    ins: Instruction,
    p1: u8,
    data: &[u8],
) -> (Vec<u8>, u16) {
    let mut apdu = [0u8; MAX_COMMAND_LEN];
    let n = encode_command(ins as u8, p1, 0, data, &mut apdu).expect("fits");
    let mut out = [0u8; MAX_RESPONSE_LEN];
    let len = device.handle(&apdu[..n], &mut out);
    let (data, sw) = split_response(&out[..len]).expect("a status word");
    (data.to_vec(), sw)
}

/// What the host can see of a device: whether it holds a seed and is
/// unlocked (GET_STATE), account 0 while unlocked (GET_ADDRESS), the
/// wrong-PIN count and the trusted signers. Whether a seed is held is part
/// of the view: a locked device and an empty one otherwise look alike, and
/// a power cut during a wipe can leave either.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Observed {
    provisioned: bool,
    pub(super) unlocked: bool,
    address: Option<Address>,
    pub(super) failures: u8,
    pub(super) trusted: Vec<Address>,
}

/// The device's view, read through GET_STATE and GET_ADDRESS.
pub(super) fn observe(device: &mut SetupDevice) -> Observed {
    let (state, sw) = send(device, Instruction::GetState, 0, &[]);
    assert_eq!(sw, Status::Ok.word());
    let provisioned = state[0] != 0;
    let count = usize::from(state[4]);
    let trusted = (0..count)
        .map(|i| Address(state[6 + 20 * i..26 + 20 * i].try_into().unwrap()))
        .collect();
    let (address, sw) = send(device, Instruction::GetAddress, 0, &path0());
    let expected_sw = match state[0] {
        0 => Status::NotProvisioned,
        1 => Status::Locked,
        _ => Status::Ok,
    };
    assert_eq!(sw, expected_sw.word(), "key operations follow the state");
    Observed {
        provisioned,
        unlocked: state[0] == 2,
        address: (sw == Status::Ok.word()).then(|| Address(address.try_into().unwrap())),
        failures: if provisioned {
            MAX_PIN_ATTEMPTS - state[1]
        } else {
            0
        },
        trusted: if provisioned { trusted } else { Vec::new() },
    }
}

impl Model {
    /// What `observe` can see of this model (the PIN is compared apart).
    pub(super) fn observable(&self) -> Observed {
        Observed {
            provisioned: self.seed.is_some(),
            unlocked: self.unlocked,
            address: if self.unlocked {
                self.seed.as_ref().map(|(a, _)| *a)
            } else {
                None
            },
            failures: if self.seed.is_some() {
                self.failures
            } else {
                0
            },
            trusted: self.trusted.clone(),
        }
    }
}

/// A PIN from the input: `len` digits (3..=9, so some are refused).
pub(super) fn pin_from(bytes: &mut impl Iterator<Item = u8>) -> Vec<u8> {
    let len = 3 + usize::from(bytes.next().unwrap_or(1) % 7);
    (0..len)
        .map(|_| b'0' + bytes.next().unwrap_or(0) % 3)
        .collect()
}
