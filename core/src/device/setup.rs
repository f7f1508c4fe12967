//! The set-up instructions' handlers, one each: state, generate, restore,
//! unlock, change PIN, wipe, trust, lock. They parse the command, ask the
//! person ([`Prompt`]s, the words), and call the wallet (`wallet/`), which
//! keeps the state.

use super::apdu::{Command, Response, Status};
use super::keys::Keys;
use super::prompt::{Prompt, WordPages};
use super::wallet::{Pin, Platform, WalletError, WalletState, MAX_PIN_ATTEMPTS};
use super::{Approval, Approver, Device};
use crate::address::Address;
use crate::hd::{Mnemonic, MnemonicError, Seed};

/// `P1` of SETUP_GENERATE: 12 words (128 bits of entropy).
pub const WORDS_12: u8 = 12;
/// `P1` of SETUP_GENERATE: 24 words (256 bits of entropy).
pub const WORDS_24: u8 = 24;

/// GET_STATE's first byte: no seed.
pub const STATE_EMPTY: u8 = 0;
/// GET_STATE's first byte: a seed, locked.
pub const STATE_LOCKED: u8 = 1;
/// GET_STATE's first byte: unlocked.
pub const STATE_UNLOCKED: u8 = 2;
/// GET_STATE's flags: a fixed-seed device (no storage, no PIN).
pub const FLAG_FIXED_SEED: u8 = 0x01;

/// The status of a wallet error, with its data byte where it has one.
pub(super) fn wallet_status(e: WalletError, out: &mut Response<'_>) -> Status {
    match e {
        WalletError::NotSetUp => Status::NotProvisioned,
        WalletError::Locked => Status::Locked,
        WalletError::AlreadySetUp => Status::AlreadySetUp,
        WalletError::WrongPin { left } => match out.push(&[left]) {
            Ok(()) => Status::WrongPin,
            Err(status) => status,
        },
        WalletError::Wiped => Status::WipedAfterWrongPins,
        WalletError::TrustListFull => Status::TrustListFull,
        WalletError::Storage(_) => Status::StorageFailed,
        WalletError::Entropy => Status::NoEntropy,
        WalletError::NoStorage => Status::NoStorage,
    }
}

/// The data of an [`Status::InvalidWords`] answer.
fn words_reason(e: MnemonicError) -> [u8; 2] {
    match e {
        MnemonicError::WordCount { count } => [1, count.min(255) as u8],
        MnemonicError::UnknownWord { position } => [2, position],
        _ => [3, 0],
    }
}

/// Splits `len | first | second`.
fn two_parts(data: &[u8]) -> Option<(&[u8], &[u8])> {
    let (&len, rest) = data.split_first()?;
    let len = usize::from(len);
    (len <= rest.len()).then(|| rest.split_at(len))
}

fn pin_of(digits: &[u8]) -> Result<Pin, Status> {
    Pin::parse(digits).map_err(|_| Status::InvalidPin)
}

fn no_arguments(command: &Command<'_>) -> Result<(), Status> {
    if (command.p1, command.p2) != (0, 0) {
        return Err(Status::WrongP1P2);
    }
    if !command.data.is_empty() {
        return Err(Status::WrongLength);
    }
    Ok(())
}

macro_rules! attempt {
    ($e:expr) => {
        match $e {
            Ok(value) => value,
            Err(status) => return status,
        }
    };
}

impl<A: Approver, const N: usize, const B: usize, const M: usize, P: Platform>
    Device<A, N, B, M, P>
{
    fn ask(&mut self, prompt: Prompt) -> Result<(), Status> {
        match self.approver.confirm(&prompt) {
            Approval::Approve => Ok(()),
            Approval::Reject => Err(Status::Denied),
        }
    }

    /// Set-up may start: the device is empty (and has storage).
    fn require_empty(&self) -> Result<(), Status> {
        if self.wallet.is_fixed() {
            return Err(Status::NoStorage);
        }
        match self.wallet.state() {
            WalletState::Empty => Ok(()),
            _ => Err(Status::AlreadySetUp),
        }
    }

    /// Keeps `seed` under `pin` and unlocks with it.
    fn provision(&mut self, seed: Seed, pin: &Pin, out: &mut Response<'_>) -> Status {
        match self.wallet.create(&seed, pin) {
            Ok(()) => {
                self.keys = Keys::new(seed);
                Status::Ok
            }
            Err(e) => wallet_status(e, out),
        }
    }

    /// GET_STATE: `state | attempts left | most attempts | flags | n |
    /// session n | n trusted addresses | session n addresses`.
    #[inline(never)]
    pub(super) fn get_state(&mut self, command: Command<'_>, out: &mut Response<'_>) -> Status {
        attempt!(no_arguments(&command));
        let state = match self.wallet.state() {
            WalletState::Empty => STATE_EMPTY,
            WalletState::Locked => STATE_LOCKED,
            WalletState::Unlocked => STATE_UNLOCKED,
        };
        let flags = if self.wallet.is_fixed() {
            FLAG_FIXED_SEED
        } else {
            0
        };
        let trusted = self.wallet.trusted();
        let session = self.wallet.session_trusted();
        let head = [
            state,
            self.wallet.attempts_left(),
            MAX_PIN_ATTEMPTS,
            flags,
            trusted.len() as u8,
            session.len() as u8,
        ];
        let pushed = out.push(&head).and_then(|()| {
            trusted
                .iter()
                .chain(session)
                .try_for_each(|a| out.push(a.as_bytes()))
        });
        match pushed {
            Ok(()) => Status::Ok,
            Err(status) => status,
        }
    }

    /// SETUP_GENERATE: `P1` = 12 or 24 words, data = the PIN.
    #[inline(never)]
    pub(super) fn setup_generate(
        &mut self,
        command: Command<'_>,
        out: &mut Response<'_>,
    ) -> Status {
        let words = command.p1;
        if !matches!(words, WORDS_12 | WORDS_24) || command.p2 != 0 {
            return Status::WrongP1P2;
        }
        let pin = attempt!(pin_of(command.data));
        attempt!(self.require_empty());
        attempt!(self.ask(Prompt::Generate { words }));
        let mut entropy = crate::hd::Zeroizing::new([0u8; 32]);
        let entropy = entropy
            .get_mut(..usize::from(words) * 4 / 3)
            .unwrap_or(&mut []);
        if let Err(e) = self.wallet.fill_random(entropy) {
            return wallet_status(e, out);
        }
        let Ok(mnemonic) = Mnemonic::from_entropy(entropy) else {
            return Status::NoEntropy;
        };
        if self.approver.show_words(&WordPages::new(&mnemonic)) != Approval::Approve {
            return Status::Denied;
        }
        attempt!(self.ask(Prompt::WordsWrittenDown { words }));
        let Ok(seed) = mnemonic.to_seed("") else {
            return Status::NoEntropy;
        };
        self.provision(seed, &pin, out)
    }

    /// SETUP_RESTORE: data = `PIN length | PIN | words` (ASCII, single
    /// spaces or any ASCII whitespace).
    #[inline(never)]
    pub(super) fn setup_restore(&mut self, command: Command<'_>, out: &mut Response<'_>) -> Status {
        if (command.p1, command.p2) != (0, 0) {
            return Status::WrongP1P2;
        }
        let Some((pin, words)) = two_parts(command.data) else {
            return Status::WrongLength;
        };
        let pin = attempt!(pin_of(pin));
        let mnemonic = core::str::from_utf8(words)
            .map_err(|_| MnemonicError::UnknownWord { position: 1 })
            .and_then(Mnemonic::parse);
        let mnemonic = match mnemonic {
            Ok(m) => m,
            Err(e) => {
                return match out.push(&words_reason(e)) {
                    Ok(()) => Status::InvalidWords,
                    Err(status) => status,
                }
            }
        };
        attempt!(self.require_empty());
        attempt!(self.ask(Prompt::RestoreFromHost));
        let Ok(seed) = mnemonic.to_seed("") else {
            return Status::InvalidWords;
        };
        self.provision(seed, &pin, out)
    }

    /// UNLOCK: data = the PIN.
    #[inline(never)]
    pub(super) fn unlock(&mut self, command: Command<'_>, out: &mut Response<'_>) -> Status {
        if (command.p1, command.p2) != (0, 0) {
            return Status::WrongP1P2;
        }
        let pin = attempt!(pin_of(command.data));
        if self.wallet.is_fixed() {
            return Status::NoStorage;
        }
        self.keys = Keys::empty();
        match self.wallet.unlock(&pin) {
            Ok(seed) => {
                self.keys = Keys::new(seed);
                Status::Ok
            }
            Err(e) => wallet_status(e, out),
        }
    }

    /// CHANGE_PIN: data = `old length | old PIN | new PIN`.
    #[inline(never)]
    pub(super) fn change_pin(&mut self, command: Command<'_>, out: &mut Response<'_>) -> Status {
        if (command.p1, command.p2) != (0, 0) {
            return Status::WrongP1P2;
        }
        let Some((old, new)) = two_parts(command.data) else {
            return Status::WrongLength;
        };
        let (old, new) = (attempt!(pin_of(old)), attempt!(pin_of(new)));
        if self.wallet.is_fixed() {
            return Status::NoStorage;
        }
        if self.wallet.state() == WalletState::Empty {
            return Status::NotProvisioned;
        }
        attempt!(self.ask(Prompt::ChangePin));
        self.keys = Keys::empty();
        match self.wallet.change_pin(&old, &new) {
            Ok(seed) => {
                self.keys = Keys::new(seed);
                Status::Ok
            }
            Err(e) => wallet_status(e, out),
        }
    }

    /// WIPE: no data; in any state, after the person confirms.
    #[inline(never)]
    pub(super) fn wipe(&mut self, command: Command<'_>, out: &mut Response<'_>) -> Status {
        attempt!(no_arguments(&command));
        if self.wallet.is_fixed() {
            return Status::NoStorage;
        }
        attempt!(self.ask(Prompt::Wipe));
        self.keys = Keys::empty();
        match self.wallet.wipe() {
            Ok(()) => Status::Ok,
            Err(e) => wallet_status(e, out),
        }
    }

    /// TRUST: data = the signer's 20-byte address; unlocked only.
    #[inline(never)]
    pub(super) fn trust(&mut self, command: Command<'_>, out: &mut Response<'_>) -> Status {
        if (command.p1, command.p2) != (0, 0) {
            return Status::WrongP1P2;
        }
        let Ok(bytes) = <[u8; 20]>::try_from(command.data) else {
            return Status::WrongLength;
        };
        let signer = Address(bytes);
        if self.wallet.is_fixed() {
            return Status::NoStorage;
        }
        if let Err(e) = self.wallet.require_unlocked() {
            return wallet_status(e, out);
        }
        if self.wallet.trusted().contains(&signer) {
            return Status::Ok;
        }
        if self.wallet.trusted().len() >= super::wallet::MAX_TRUSTED {
            return Status::TrustListFull;
        }
        attempt!(self.ask(Prompt::Trust(signer)));
        match self.wallet.trust(signer) {
            Ok(()) => Status::Ok,
            Err(e) => wallet_status(e, out),
        }
    }

    /// LOCK: forget the seed in RAM.
    #[inline(never)]
    pub(super) fn lock(&mut self, command: Command<'_>) -> Status {
        attempt!(no_arguments(&command));
        if self.wallet.is_fixed() {
            return Status::NoStorage;
        }
        self.wallet.lock();
        self.keys = Keys::empty();
        Status::Ok
    }

    /// Whether `signer` is a trusted definition signer.
    pub fn trusts(&self, signer: &Address) -> bool {
        self.wallet.is_trusted(signer)
    }
}
