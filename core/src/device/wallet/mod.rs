//! The device as a wallet: its seed kept in flash under a PIN, the wrong-PIN
//! countdown, wipe, and the trusted signers of token definitions. The
//! protocol's set-up handlers (`super::setup`) drive it; it knows nothing
//! of APDUs.
//!
//! # States
//!
//! | state | holds | key operations |
//! |---|---|---|
//! | [`WalletState::Empty`] | no seed | refused: [`Status::NotProvisioned`](super::Status::NotProvisioned) |
//! | [`WalletState::Locked`] | a sealed seed | refused: [`Status::Locked`](super::Status::Locked) |
//! | [`WalletState::Unlocked`] | the seed, in RAM | allowed |
//!
//! # Storage
//!
//! A [`Platform`] gives flash ([`Storage`], three regions) and random bytes
//! ([`Entropy`]). The [`Record`] (`record.rs`) lives in two slots: every
//! change writes the whole record into the slot *not* holding the current
//! one (erase, program, checksum last, read back), with a generation one
//! higher; at boot the valid record with the higher generation wins. A
//! write cut short at any step leaves the previous record in force. When
//! the secret material changes (set-up, PIN change, wipe) the older slot
//! is erased after the write, so no copy sealed under an old PIN remains.
//!
//! # The PIN
//!
//! [`MAX_PIN_ATTEMPTS`] wrong PINs in a row wipe the seed. Each check
//! first writes the failure counter plus one, then derives the key and
//! tries the seal: cutting the power during a check cannot reset the
//! count. A right PIN writes it back to zero. The seal is in `seal.rs`.

pub mod pin;
pub mod platform;
pub mod record;
pub mod seal;

use zeroize::Zeroizing;

use crate::address::Address;
use crate::hd::Seed;

pub use pin::{InvalidPin, Pin, MAX_PIN_LEN, MIN_PIN_LEN};
pub use platform::{
    span_check, Entropy, EntropyError, NoStorage, Platform, RamStorage, Region, Storage,
    StorageError, ERASED, PROGRAM_CHUNK, REGION_LEN,
};
pub use record::{Record, MAX_TRUSTED};
pub use seal::PIN_KDF_ROUNDS;

use record::{decode_secret, encode_secret, SALT_LEN, SECRET_RECORD_LEN};

/// Wrong PINs in a row that wipe the seed.
pub const MAX_PIN_ATTEMPTS: u8 = 5;

/// Where the wallet is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WalletState {
    /// No seed: set up (generate or restore) first.
    Empty,
    /// A seed in flash, sealed under the PIN: unlock first.
    Locked,
    /// The seed is in RAM: keys can be used.
    Unlocked,
}

/// Why the wallet refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WalletError {
    /// The device holds no seed.
    NotSetUp,
    /// The device is locked.
    Locked,
    /// The device already holds a seed (wipe it first).
    AlreadySetUp,
    /// A wrong PIN; this many attempts are left before the wipe.
    WrongPin {
        /// Attempts left.
        left: u8,
    },
    /// That was the last attempt: the seed was wiped.
    Wiped,
    /// The trusted-signer list is full.
    TrustListFull,
    /// The flash failed.
    Storage(StorageError),
    /// The random source failed.
    Entropy,
    /// A fixed-seed device: nothing to set up, unlock or store.
    NoStorage,
}

impl From<StorageError> for WalletError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Absent => WalletError::NoStorage,
            e => WalletError::Storage(e),
        }
    }
}

impl From<EntropyError> for WalletError {
    fn from(_: EntropyError) -> Self {
        WalletError::Entropy
    }
}

/// The wallet over a platform `P`.
pub struct Wallet<P> {
    platform: P,
    secret: Zeroizing<[u8; 32]>,
    record: Record,
    /// The slot holding `record`, if any was ever written.
    current: Option<Region>,
    unlocked: bool,
    /// A device built around a fixed seed (no storage).
    fixed: bool,
    /// Trusted signers for this power-on only (the emulated device's
    /// `--device-trust`), never written.
    session_trusted: [Address; MAX_TRUSTED],
    session_trusted_len: usize,
}

impl<P> core::fmt::Debug for Wallet<P> {
    /// The state; never the secret or the seal.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Wallet")
            .field("record", &self.record)
            .field("unlocked", &self.unlocked)
            .finish_non_exhaustive()
    }
}

impl Wallet<NoStorage> {
    /// The wallet of a device built with a fixed seed: always unlocked, no
    /// storage; set-up commands are refused with [`WalletError::NoStorage`].
    pub fn fixed() -> Self {
        let mut record = Record::empty();
        record.provisioned = true;
        Wallet {
            platform: NoStorage,
            secret: Zeroizing::new([0; 32]),
            record,
            current: None,
            unlocked: true,
            fixed: true,
            session_trusted: [Address::ZERO; MAX_TRUSTED],
            session_trusted_len: 0,
        }
    }
}

impl<P: Platform> Wallet<P> {
    /// Powers on: reads (or, at first boot, makes) the per-device secret,
    /// reads both slots and takes the newer valid record, finishes what a
    /// power cut interrupted (erasing an older slot with other secret
    /// material; a wipe due after the last wrong PIN). Locked if it holds a
    /// seed.
    pub fn boot(platform: P) -> Result<Self, WalletError> {
        let mut wallet = Wallet {
            platform,
            secret: Zeroizing::new([0; 32]),
            record: Record::empty(),
            current: None,
            unlocked: false,
            fixed: false,
            session_trusted: [Address::ZERO; MAX_TRUSTED],
            session_trusted_len: 0,
        };
        let mut raw = Zeroizing::new([0u8; SECRET_RECORD_LEN]);
        wallet.platform.read(Region::Secret, 0, raw.as_mut())?;
        match decode_secret(&raw) {
            Some(secret) => *wallet.secret = secret,
            None => wallet.new_secret()?,
        }
        let a = wallet.read_slot(Region::SlotA)?;
        let b = wallet.read_slot(Region::SlotB)?;
        let (newest, older) = match (a, b) {
            (Some(a), Some(b)) if b.generation > a.generation => {
                (Some((Region::SlotB, b)), Some((Region::SlotA, a)))
            }
            (Some(a), Some(b)) => (Some((Region::SlotA, a)), Some((Region::SlotB, b))),
            (Some(a), None) => (Some((Region::SlotA, a)), None),
            (None, Some(b)) => (Some((Region::SlotB, b)), None),
            (None, None) => (None, None),
        };
        if let Some((slot, record)) = newest {
            wallet.current = Some(slot);
            wallet.record = record;
        }
        if let Some((slot, old)) = older {
            if old.secret_differs(&wallet.record) {
                wallet.platform.erase(slot)?;
            }
        }
        if wallet.record.provisioned && wallet.record.failures >= MAX_PIN_ATTEMPTS {
            wallet.wipe()?;
        }
        Ok(wallet)
    }

    fn read_slot(&mut self, slot: Region) -> Result<Option<Record>, WalletError> {
        let mut raw = Zeroizing::new([0u8; REGION_LEN]);
        self.platform.read(slot, 0, raw.as_mut())?;
        Ok(Record::decode(&raw))
    }

    /// Makes and writes a new per-device secret.
    fn new_secret(&mut self) -> Result<(), WalletError> {
        let mut secret = Zeroizing::new([0u8; 32]);
        self.platform.fill(secret.as_mut())?;
        let bytes = Zeroizing::new(encode_secret(&secret));
        self.program_region(Region::Secret, bytes.as_ref())?;
        self.secret = secret;
        Ok(())
    }

    /// Erases `region`, programs `bytes` in chunks, reads them back.
    fn program_region(&mut self, region: Region, bytes: &[u8]) -> Result<(), WalletError> {
        self.platform.erase(region)?;
        for (i, chunk) in bytes.chunks(PROGRAM_CHUNK).enumerate() {
            self.platform.program(region, i * PROGRAM_CHUNK, chunk)?;
        }
        let mut back = Zeroizing::new([0u8; REGION_LEN]);
        let back = back
            .get_mut(..bytes.len())
            .ok_or(StorageError::OutOfRange)?;
        self.platform.read(region, 0, back)?;
        if back != bytes {
            return Err(WalletError::Storage(StorageError::Failed));
        }
        Ok(())
    }

    /// Writes `next` as the new record (see the module's notes).
    fn write(&mut self, mut next: Record) -> Result<(), WalletError> {
        next.generation = self.record.generation.wrapping_add(1);
        let target = match self.current {
            Some(Region::SlotA) => Region::SlotB,
            _ => Region::SlotA,
        };
        let bytes = Zeroizing::new(next.encode());
        self.program_region(target, bytes.as_ref())?;
        let old = core::mem::replace(&mut self.record, next);
        let previous = self.current.replace(target);
        if let Some(previous) = previous {
            if self.record.secret_differs(&old) {
                // Done again at the next boot if the power goes now.
                self.platform.erase(previous)?;
            }
        }
        Ok(())
    }

    /// Random bytes from the platform.
    pub fn fill_random(&mut self, out: &mut [u8]) -> Result<(), WalletError> {
        if self.fixed {
            return Err(WalletError::NoStorage);
        }
        Ok(self.platform.fill(out)?)
    }

    /// Keeps `seed` in flash under `pin`: the device must be empty. It is
    /// unlocked afterwards.
    pub fn create(&mut self, seed: &Seed, pin: &Pin) -> Result<(), WalletError> {
        self.require_storage()?;
        if self.record.provisioned {
            return Err(WalletError::AlreadySetUp);
        }
        let mut next = self.record.clone();
        self.reseal(&mut next, seed, pin)?;
        next.provisioned = true;
        self.write(next)?;
        self.unlocked = true;
        Ok(())
    }

    fn reseal(&mut self, next: &mut Record, seed: &Seed, pin: &Pin) -> Result<(), WalletError> {
        let mut salt = [0u8; SALT_LEN];
        self.platform.fill(&mut salt)?;
        next.salt = salt;
        next.sealed = seal::seal(seed, pin, &self.secret, &salt).ok_or(WalletError::Entropy)?;
        next.failures = 0;
        Ok(())
    }

    /// Checks `pin` and returns the seed: the failure counter is written
    /// (plus one) before the check and reset after a right PIN; the last
    /// allowed wrong PIN wipes the seed.
    pub fn unlock(&mut self, pin: &Pin) -> Result<Seed, WalletError> {
        self.require_storage()?;
        if !self.record.provisioned {
            return Err(WalletError::NotSetUp);
        }
        self.unlocked = false;
        if self.record.failures >= MAX_PIN_ATTEMPTS {
            self.wipe()?;
            return Err(WalletError::Wiped);
        }
        let failures = self.record.failures.saturating_add(1);
        let mut counted = self.record.clone();
        counted.failures = failures;
        self.write(counted)?;
        match seal::open(&self.record.sealed, pin, &self.secret, &self.record.salt) {
            Some(seed) => {
                let mut reset = self.record.clone();
                reset.failures = 0;
                self.write(reset)?;
                self.unlocked = true;
                Ok(seed)
            }
            None if failures >= MAX_PIN_ATTEMPTS => {
                self.wipe()?;
                Err(WalletError::Wiped)
            }
            None => Err(WalletError::WrongPin {
                left: MAX_PIN_ATTEMPTS - failures,
            }),
        }
    }

    /// Checks `old` (as [`Wallet::unlock`] does) and seals the seed under
    /// `new`; returns the seed, unlocked.
    pub fn change_pin(&mut self, old: &Pin, new: &Pin) -> Result<Seed, WalletError> {
        let seed = self.unlock(old)?;
        let mut next = self.record.clone();
        self.reseal(&mut next, &seed, new)?;
        self.write(next)?;
        self.unlocked = true;
        Ok(seed)
    }

    /// The salt of the seal in force: it changes with every new seal, so an
    /// emulator that keeps a device's RAM between processes names the
    /// session by it ([`Wallet::resume_session`]).
    pub fn session_id(&self) -> Option<[u8; 16]> {
        self.record.provisioned.then_some(self.record.salt)
    }

    /// For emulators only (the host's `emulated:DIR` device, which keeps
    /// its RAM in a file while "powered"): marks the wallet unlocked again
    /// if `session` is the seal in force ([`Wallet::session_id`]). A
    /// firmware never calls it: its RAM does not outlive the power.
    pub fn resume_session(&mut self, session: &[u8; 16]) -> bool {
        let resumed = self.session_id().as_ref() == Some(session);
        if resumed {
            self.unlocked = true;
        }
        resumed
    }

    /// Forgets the seed in RAM (it stays in flash).
    pub fn lock(&mut self) {
        if !self.fixed {
            self.unlocked = false;
        }
    }

    /// Erases the seed and the trusted signers from flash and makes a new
    /// per-device secret. Allowed in every state (a forgotten PIN).
    pub fn wipe(&mut self) -> Result<(), WalletError> {
        self.require_storage()?;
        self.unlocked = false;
        self.session_trusted_len = 0;
        self.write(Record::empty())?;
        // A new secret: nothing sealed under the old one can be opened.
        self.new_secret()
    }

    /// Adds a trusted definition signer (kept in flash): unlocked only.
    pub fn trust(&mut self, signer: Address) -> Result<(), WalletError> {
        self.require_storage()?;
        self.require_unlocked()?;
        if self.record.trusted().contains(&signer) {
            return Ok(());
        }
        let mut next = self.record.clone();
        let slot = next
            .trusted
            .get_mut(usize::from(next.trusted_len))
            .ok_or(WalletError::TrustListFull)?;
        *slot = signer;
        next.trusted_len += 1;
        self.write(next)
    }
}

impl<P> Wallet<P> {
    /// The state.
    pub fn state(&self) -> WalletState {
        match (self.record.provisioned, self.unlocked) {
            (false, _) => WalletState::Empty,
            (true, false) => WalletState::Locked,
            (true, true) => WalletState::Unlocked,
        }
    }

    /// `Ok` if keys may be used; the reason otherwise.
    pub fn require_unlocked(&self) -> Result<(), WalletError> {
        match self.state() {
            WalletState::Empty => Err(WalletError::NotSetUp),
            WalletState::Locked => Err(WalletError::Locked),
            WalletState::Unlocked => Ok(()),
        }
    }

    /// Whether this is a fixed-seed device (no storage).
    pub fn is_fixed(&self) -> bool {
        self.fixed
    }

    fn require_storage(&self) -> Result<(), WalletError> {
        if self.fixed {
            Err(WalletError::NoStorage)
        } else {
            Ok(())
        }
    }

    /// Wrong PINs left before the wipe.
    pub fn attempts_left(&self) -> u8 {
        MAX_PIN_ATTEMPTS.saturating_sub(self.record.failures)
    }

    /// The record in force (for tests and the emulated device's status).
    pub fn record(&self) -> &Record {
        &self.record
    }

    /// The trusted definition signers kept in flash.
    pub fn trusted(&self) -> &[Address] {
        self.record.trusted()
    }

    /// Trusted for this power-on only.
    pub fn session_trusted(&self) -> &[Address] {
        self.session_trusted
            .get(..self.session_trusted_len)
            .unwrap_or(&[])
    }

    /// Whether `signer` is trusted (in flash or for this power-on).
    pub fn is_trusted(&self, signer: &Address) -> bool {
        self.trusted().contains(signer) || self.session_trusted().contains(signer)
    }

    /// Trusts `signer` until the power goes (never written): the emulated
    /// device's `--device-trust`.
    pub fn trust_for_session(&mut self, signer: Address) -> Result<(), WalletError> {
        if self.session_trusted().contains(&signer) {
            return Ok(());
        }
        let slot = self
            .session_trusted
            .get_mut(self.session_trusted_len)
            .ok_or(WalletError::TrustListFull)?;
        *slot = signer;
        self.session_trusted_len += 1;
        Ok(())
    }

    /// The platform (a test inspects its flash).
    pub fn platform(&self) -> &P {
        &self.platform
    }

    /// The platform, mutably (a test cuts its power).
    pub fn platform_mut(&mut self) -> &mut P {
        &mut self.platform
    }
}

#[cfg(test)]
pub(crate) mod tests;
