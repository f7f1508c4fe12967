use super::*;
use crate::hd::Mnemonic;
use std::vec::Vec;

const MNEMONIC: &str = "test test test test test test test test test test test junk";

/// RAM flash whose power can be cut after a number of steps (an erase or a
/// program is two steps each: half done, then done), and a deterministic
/// random source.
#[derive(Clone, Debug, Default)]
pub(crate) struct TestPlatform {
    pub(crate) flash: RamStorage,
    /// Steps left before the power goes; `None`: never.
    pub(crate) budget: Option<usize>,
    /// Steps taken.
    pub(crate) steps: usize,
    counter: u64,
}

impl TestPlatform {
    /// Takes one step: `false` if the power is (now) off.
    fn step(&mut self) -> bool {
        match &mut self.budget {
            Some(0) => false,
            Some(n) => {
                *n -= 1;
                self.steps += 1;
                true
            }
            None => {
                self.steps += 1;
                true
            }
        }
    }
}

impl Storage for TestPlatform {
    fn read(&mut self, region: Region, offset: usize, out: &mut [u8]) -> Result<(), StorageError> {
        if self.budget == Some(0) {
            return Err(StorageError::Failed);
        }
        self.flash.read(region, offset, out)
    }

    fn erase(&mut self, region: Region) -> Result<(), StorageError> {
        if !self.step() {
            return Err(StorageError::Failed);
        }
        let half = REGION_LEN / 2;
        self.flash.image[region.index()][..half].fill(ERASED);
        if !self.step() {
            return Err(StorageError::Failed);
        }
        self.flash.erase(region)
    }

    fn program(&mut self, region: Region, offset: usize, data: &[u8]) -> Result<(), StorageError> {
        if !self.step() {
            return Err(StorageError::Failed);
        }
        let half = (data.len() / 2) & !3;
        self.flash.program(region, offset, &data[..half])?;
        if !self.step() {
            return Err(StorageError::Failed);
        }
        self.flash.program(region, offset + half, &data[half..])
    }
}

impl Entropy for TestPlatform {
    fn fill(&mut self, out: &mut [u8]) -> Result<(), EntropyError> {
        for chunk in out.chunks_mut(32) {
            self.counter += 1;
            let block = record::checksum(&self.counter.to_le_bytes());
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}

fn pin(digits: &str) -> Pin {
    Pin::parse(digits.as_bytes()).unwrap()
}

fn seed() -> Seed {
    Mnemonic::parse(MNEMONIC).unwrap().to_seed("").unwrap()
}

fn boot(platform: TestPlatform) -> Wallet<TestPlatform> {
    let mut platform = platform;
    platform.budget = None;
    Wallet::boot(platform).unwrap()
}

/// A wallet holding the test seed under PIN 1234, locked (after a reboot).
fn provisioned() -> TestPlatform {
    let mut w = boot(TestPlatform::default());
    w.create(&seed(), &pin("1234")).unwrap();
    w.platform().clone()
}

/// Whether the wallet's record opens with `digits` (without counting).
fn opens_with(w: &Wallet<TestPlatform>, digits: &str) -> bool {
    seal::open(&w.record.sealed, &pin(digits), &w.secret, &w.record.salt)
        .is_some_and(|s| s.as_bytes() == seed().as_bytes())
}

/// The records in both slots.
fn slots(p: &TestPlatform) -> Vec<Option<Record>> {
    [Region::SlotA, Region::SlotB]
        .iter()
        .map(|r| Record::decode(&p.flash.image[r.index()]))
        .collect()
}

#[test]
fn pins_are_four_to_eight_digits() {
    for good in ["0000", "1234", "12345678"] {
        assert!(Pin::parse(good.as_bytes()).is_ok(), "{good}");
    }
    for bad in ["", "123", "123456789", "12a4", "12 4", "١٢٣٤"] {
        assert_eq!(Pin::parse(bad.as_bytes()), Err(InvalidPin), "{bad}");
    }
    assert_eq!(format!("{:?}", pin("9876")), "Pin(..)");
}

#[test]
fn records_round_trip_and_any_change_breaks_the_checksum() {
    let mut r = Record::empty();
    r.generation = 7;
    r.provisioned = true;
    r.failures = 2;
    r.salt = [3; 16];
    r.sealed = [4; 80];
    r.trusted[0] = Address([5; 20]);
    r.trusted_len = 1;
    let bytes = r.encode();
    assert_eq!(Record::decode(&bytes), Some(r));
    for i in 0..REGION_LEN {
        let mut bad = bytes;
        bad[i] ^= 0x01;
        assert_eq!(Record::decode(&bad), None, "byte {i}");
    }
    assert_eq!(Record::decode(&[ERASED; REGION_LEN]), None);
}

#[test]
fn first_boot_is_empty_and_makes_a_secret() {
    let w = boot(TestPlatform::default());
    assert_eq!(w.state(), WalletState::Empty);
    assert_ne!(*w.secret, [0; 32]);
    // The same secret at the next boot.
    let again = boot(w.platform().clone());
    assert_eq!(*again.secret, *w.secret);
}

#[test]
fn create_lock_unlock() {
    let mut w = boot(TestPlatform::default());
    assert_eq!(w.unlock(&pin("1234")).unwrap_err(), WalletError::NotSetUp);
    w.create(&seed(), &pin("1234")).unwrap();
    assert_eq!(w.state(), WalletState::Unlocked);
    assert_eq!(
        w.create(&seed(), &pin("1234")).unwrap_err(),
        WalletError::AlreadySetUp
    );
    // Power cycle: locked.
    let mut w = boot(w.platform().clone());
    assert_eq!(w.state(), WalletState::Locked);
    assert_eq!(w.require_unlocked(), Err(WalletError::Locked));
    let unlocked = w.unlock(&pin("1234")).unwrap();
    assert_eq!(unlocked.as_bytes(), seed().as_bytes());
    assert_eq!(w.state(), WalletState::Unlocked);
    w.lock();
    assert_eq!(w.state(), WalletState::Locked);
}

#[test]
fn wrong_pins_count_down_to_the_wipe_and_a_right_one_resets() {
    let mut w = boot(provisioned());
    assert_eq!(
        w.unlock(&pin("0000")).unwrap_err(),
        WalletError::WrongPin {
            left: MAX_PIN_ATTEMPTS - 1
        }
    );
    assert_eq!(w.attempts_left(), MAX_PIN_ATTEMPTS - 1);
    // The count survives a power cycle, and a right PIN resets it.
    let mut w = boot(w.platform().clone());
    assert_eq!(w.attempts_left(), MAX_PIN_ATTEMPTS - 1);
    w.unlock(&pin("1234")).unwrap();
    assert_eq!(w.attempts_left(), MAX_PIN_ATTEMPTS);
    for left in (1..MAX_PIN_ATTEMPTS).rev() {
        assert_eq!(
            w.unlock(&pin("4321")).unwrap_err(),
            WalletError::WrongPin { left }
        );
        w = boot(w.platform().clone());
    }
    assert_eq!(w.unlock(&pin("4321")).unwrap_err(), WalletError::Wiped);
    assert_eq!(w.state(), WalletState::Empty);
    // Nothing of the seed is left in flash, and the right PIN is of no use.
    let p = w.platform().clone();
    assert!(slots(&p).iter().flatten().all(|r| !r.provisioned));
    let mut w = boot(p);
    assert_eq!(w.state(), WalletState::Empty);
    assert_eq!(w.unlock(&pin("1234")).unwrap_err(), WalletError::NotSetUp);
}

#[test]
fn change_pin_seals_under_the_new_pin_only() {
    let mut w = boot(provisioned());
    assert_eq!(
        w.change_pin(&pin("1111"), &pin("5678")).unwrap_err(),
        WalletError::WrongPin {
            left: MAX_PIN_ATTEMPTS - 1
        }
    );
    w.change_pin(&pin("1234"), &pin("5678")).unwrap();
    assert_eq!(w.state(), WalletState::Unlocked);
    let p = w.platform().clone();
    // The older slot was erased: no copy under the old PIN.
    assert_eq!(slots(&p).iter().flatten().count(), 1);
    let mut w = boot(p);
    assert!(opens_with(&w, "5678") && !opens_with(&w, "1234"));
    assert_eq!(w.attempts_left(), MAX_PIN_ATTEMPTS);
    w.unlock(&pin("5678")).unwrap();
}

#[test]
fn trusted_signers_persist_up_to_the_limit() {
    let mut w = boot(provisioned());
    assert_eq!(w.trust(Address([1; 20])), Err(WalletError::Locked));
    w.unlock(&pin("1234")).unwrap();
    for i in 0..MAX_TRUSTED as u8 {
        w.trust(Address([i + 1; 20])).unwrap();
    }
    w.trust(Address([1; 20])).unwrap(); // already trusted: no change
    assert_eq!(w.trust(Address([99; 20])), Err(WalletError::TrustListFull));
    let mut w = boot(w.platform().clone());
    assert_eq!(w.trusted().len(), MAX_TRUSTED);
    assert!(w.is_trusted(&Address([2; 20])));
    assert!(!w.is_trusted(&Address([99; 20])));
    w.trust_for_session(Address([99; 20])).unwrap();
    assert!(w.is_trusted(&Address([99; 20])));
    // Session trust is never written.
    let w = boot(w.platform().clone());
    assert!(!w.is_trusted(&Address([99; 20])));
}

#[test]
fn wipe_erases_everything_and_renews_the_secret() {
    let mut w = boot(provisioned());
    w.unlock(&pin("1234")).unwrap();
    w.trust(Address([7; 20])).unwrap();
    let old_secret = *w.secret;
    w.wipe().unwrap();
    assert_eq!(w.state(), WalletState::Empty);
    let p = w.platform().clone();
    assert!(slots(&p)
        .iter()
        .flatten()
        .all(|r| !r.provisioned && r.trusted_len == 0));
    let w = boot(p);
    assert_ne!(*w.secret, old_secret);
    assert!(w.trusted().is_empty());
}

#[test]
fn a_fixed_wallet_has_no_storage() {
    let mut w = Wallet::fixed();
    assert_eq!(w.state(), WalletState::Unlocked);
    assert_eq!(w.unlock(&pin("1234")).unwrap_err(), WalletError::NoStorage);
    assert_eq!(w.wipe(), Err(WalletError::NoStorage));
    assert_eq!(w.create(&seed(), &pin("1234")), Err(WalletError::NoStorage));
    assert_eq!(w.trust(Address([1; 20])), Err(WalletError::NoStorage));
    w.lock();
    assert_eq!(w.state(), WalletState::Unlocked);
}

/// Runs `update` on a wallet booted from `before` with the power cut after
/// every possible number of steps (and once never), then boots again and
/// gives `check` the outcome of the cut update and the rebooted wallet.
fn torn_at_every_step(
    before: &TestPlatform,
    update: impl Fn(&mut Wallet<TestPlatform>) -> Result<(), WalletError>,
    check: impl Fn(usize, Result<(), WalletError>, &mut Wallet<TestPlatform>),
) -> usize {
    // The whole update's steps.
    let mut w = boot(before.clone());
    let start = w.platform().steps;
    let _ = update(&mut w);
    let total = w.platform().steps - start;
    assert!(total > 0);
    for cut in 0..=total {
        let mut w = boot(before.clone());
        w.platform_mut().budget = Some(cut);
        let outcome = update(&mut w);
        let mut after = boot(w.platform().clone());
        check(cut, outcome, &mut after);
    }
    total
}

#[test]
fn a_torn_create_leaves_empty_or_the_whole_seed() {
    let empty = boot(TestPlatform::default()).platform().clone();
    let steps = torn_at_every_step(
        &empty,
        |w| w.create(&seed(), &pin("1234")),
        |cut, outcome, after| match after.state() {
            WalletState::Empty => assert!(outcome.is_err(), "cut {cut}"),
            WalletState::Locked => assert!(opens_with(after, "1234"), "cut {cut}"),
            WalletState::Unlocked => unreachable!("a boot is locked"),
        },
    );
    // Erase (2) and 8 chunks (16) of the record, then the read-back.
    assert!(steps >= 18, "{steps}");
}

#[test]
fn a_torn_wrong_pin_never_resets_the_count_nor_checks_uncounted() {
    let mut once_wrong = boot(provisioned());
    let _ = once_wrong.unlock(&pin("0000"));
    let before = once_wrong.platform().clone();
    torn_at_every_step(
        &before,
        |w| w.unlock(&pin("9999")).map(drop),
        |cut, outcome, after| {
            let failures = after.record().failures;
            assert!(failures == 1 || failures == 2, "cut {cut}: {failures}");
            match outcome {
                // The check ran only after the count was written.
                Err(WalletError::WrongPin { left }) => {
                    assert_eq!(failures, 2, "cut {cut}");
                    assert_eq!(left, MAX_PIN_ATTEMPTS - 2);
                }
                Err(WalletError::Storage(_)) => {}
                other => panic!("cut {cut}: {other:?}"),
            }
            assert!(opens_with(after, "1234"), "cut {cut}");
        },
    );
}

#[test]
fn a_torn_last_wrong_pin_wipes_or_stays_counted() {
    let mut w = boot(provisioned());
    for _ in 1..MAX_PIN_ATTEMPTS {
        let _ = w.unlock(&pin("0000"));
    }
    let before = w.platform().clone();
    torn_at_every_step(
        &before,
        |w| w.unlock(&pin("0000")).map(drop),
        |cut, _, after| {
            // Either the count was not written (one attempt left), or the
            // boot found it at the limit and finished the wipe.
            match after.state() {
                WalletState::Empty => {}
                WalletState::Locked => assert_eq!(after.attempts_left(), 1, "cut {cut}"),
                WalletState::Unlocked => unreachable!(),
            }
            assert!(
                slots(after.platform())
                    .iter()
                    .flatten()
                    .filter(|r| r.provisioned)
                    .count()
                    <= usize::from(after.state() == WalletState::Locked) * 2,
                "cut {cut}"
            );
        },
    );
}

#[test]
fn a_torn_pin_change_leaves_the_old_or_the_new_pin() {
    let before = provisioned();
    torn_at_every_step(
        &before,
        |w| w.change_pin(&pin("1234"), &pin("5678")).map(drop),
        |cut, outcome, after| {
            let (old, new) = (opens_with(after, "1234"), opens_with(after, "5678"));
            assert!(old != new, "cut {cut}: exactly one PIN opens it");
            if outcome.is_ok() {
                assert!(new, "cut {cut}");
            }
            if new {
                // The old seal was erased at the write or at this boot.
                let sealed: Vec<_> = slots(after.platform()).into_iter().flatten().collect();
                assert_eq!(sealed.len(), 1, "cut {cut}");
            }
        },
    );
}

#[test]
fn a_torn_wipe_leaves_the_seed_or_nothing() {
    let before = provisioned();
    torn_at_every_step(
        &before,
        |w| w.wipe(),
        |cut, outcome, after| match after.state() {
            WalletState::Locked => {
                assert!(outcome.is_err(), "cut {cut}");
                assert!(opens_with(after, "1234"), "cut {cut}");
            }
            WalletState::Empty => {
                let p = after.platform();
                assert!(
                    slots(p).iter().flatten().all(|r| !r.provisioned),
                    "cut {cut}: a sealed seed is left"
                );
            }
            WalletState::Unlocked => unreachable!(),
        },
    );
}

#[test]
fn a_torn_trust_keeps_the_old_list_or_the_new() {
    let mut w = boot(provisioned());
    w.unlock(&pin("1234")).unwrap();
    let before = w.platform().clone();
    torn_at_every_step(
        &before,
        |w| {
            w.unlock(&pin("1234"))?;
            w.trust(Address([9; 20]))
        },
        |cut, _, after| {
            assert!(after.trusted().len() <= 1, "cut {cut}");
            assert!(opens_with(after, "1234"), "cut {cut}");
            assert!(after.attempts_left() >= MAX_PIN_ATTEMPTS - 1, "cut {cut}");
        },
    );
}
