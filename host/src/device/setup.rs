//! The host's side of the device's set-up commands: state, generate,
//! restore, unlock, lock, change PIN, wipe, trust (protocol 3; the device
//! side is `tokensign_core::device::setup` and its wallet).

use tokensign_core::device::setup::{FLAG_FIXED_SEED, STATE_EMPTY, STATE_LOCKED, STATE_UNLOCKED};
use tokensign_core::device::{Instruction, Pin, Status};
use tokensign_core::Address;
use zeroize::Zeroizing;

use super::{DeviceClient, DeviceError, DeviceStatus, Transport};

/// What GET_STATE answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceState {
    /// Empty, locked or unlocked.
    pub wallet: WalletStatus,
    /// Wrong PINs left before the device wipes its seed.
    pub attempts_left: u8,
    /// Wrong PINs in a row that wipe it.
    pub max_attempts: u8,
    /// A fixed-seed device (no set-up, no PIN).
    pub fixed_seed: bool,
    /// Trusted token-definition signers, kept in flash.
    pub trusted: Vec<Address>,
    /// Trusted for this power-on only (the emulated `--device-trust`).
    pub session_trusted: Vec<Address>,
}

/// The wallet's state on the device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalletStatus {
    /// No seed: set it up.
    Empty,
    /// A seed, locked: unlock it.
    Locked,
    /// Unlocked: ready to sign.
    Unlocked,
}

impl WalletStatus {
    /// Its name, as `--json` prints it.
    pub fn name(self) -> &'static str {
        match self {
            WalletStatus::Empty => "empty",
            WalletStatus::Locked => "locked",
            WalletStatus::Unlocked => "unlocked",
        }
    }
}

fn bad(what: &str) -> DeviceError {
    DeviceError::BadAnswer(format!("state answer: {what}"))
}

fn addresses(bytes: &[u8], count: usize) -> Result<(Vec<Address>, &[u8]), DeviceError> {
    let (list, rest) = bytes
        .split_at_checked(20 * count)
        .ok_or_else(|| bad("trusted list cut short"))?;
    let list = list
        .chunks_exact(20)
        .map(|c| Address(c.try_into().unwrap_or([0; 20])))
        .collect();
    Ok((list, rest))
}

/// A PIN's bytes as the device takes them, checked first (4 to 8 digits).
fn pin_bytes(pin: &str) -> Result<&[u8], DeviceError> {
    Pin::parse(pin.as_bytes())
        .map(drop)
        .map_err(|_| DeviceError::InvalidPin)?;
    Ok(pin.as_bytes())
}

impl<T: Transport> DeviceClient<T> {
    /// The device's wallet state.
    pub fn state(&mut self) -> Result<DeviceState, DeviceError> {
        let data = self.command(Instruction::GetState as u8, 0, 0, &[])?;
        let [state, left, max, flags, n, session, rest @ ..] = data.as_slice() else {
            return Err(bad("shorter than 6 bytes"));
        };
        let wallet = match *state {
            STATE_EMPTY => WalletStatus::Empty,
            STATE_LOCKED => WalletStatus::Locked,
            STATE_UNLOCKED => WalletStatus::Unlocked,
            other => return Err(bad(&format!("unknown state {other}"))),
        };
        let (trusted, rest) = addresses(rest, usize::from(*n))?;
        let (session_trusted, rest) = addresses(rest, usize::from(*session))?;
        if !rest.is_empty() {
            return Err(bad("trailing bytes"));
        }
        Ok(DeviceState {
            wallet,
            attempts_left: *left,
            max_attempts: *max,
            fixed_seed: flags & FLAG_FIXED_SEED != 0,
            trusted,
            session_trusted,
        })
    }

    /// Has the device make a new seed of `words` words (12 or 24), show
    /// them on its own screen, and keep it under `pin`. The words never
    /// reach the host.
    pub fn setup_generate(&mut self, words: u8, pin: &str) -> Result<(), DeviceError> {
        let pin = pin_bytes(pin)?;
        self.transport_mut().take_display();
        self.forget_addresses();
        self.command(Instruction::SetupGenerate as u8, words, 0, pin)
            .map(drop)
    }

    /// Restores the device from `words` (sent to it: emulated and QEMU
    /// devices, behind a warning page) and keeps the seed under `pin`.
    pub fn setup_restore(&mut self, words: &str, pin: &str) -> Result<(), DeviceError> {
        let pin = pin_bytes(pin)?;
        let words = words.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
        let mut data = Zeroizing::new(Vec::with_capacity(1 + pin.len() + words.len()));
        data.push(pin.len() as u8);
        data.extend_from_slice(pin);
        data.extend_from_slice(words.as_bytes());
        drop(Zeroizing::new(words));
        self.transport_mut().take_display();
        self.forget_addresses();
        self.command(Instruction::SetupRestore as u8, 0, 0, &data)
            .map(drop)
    }

    /// Unlocks the device with `pin`.
    pub fn unlock(&mut self, pin: &str) -> Result<(), DeviceError> {
        let pin = pin_bytes(pin)?;
        self.command(Instruction::Unlock as u8, 0, 0, pin).map(drop)
    }

    /// Locks the device (it forgets the seed until the next unlock).
    pub fn lock(&mut self) -> Result<(), DeviceError> {
        self.command(Instruction::Lock as u8, 0, 0, &[]).map(drop)
    }

    /// Changes the PIN from `old` to `new`, after the person confirms.
    pub fn change_pin(&mut self, old: &str, new: &str) -> Result<(), DeviceError> {
        let (old, new) = (pin_bytes(old)?, pin_bytes(new)?);
        let mut data = Zeroizing::new(Vec::with_capacity(1 + old.len() + new.len()));
        data.push(old.len() as u8);
        data.extend_from_slice(old);
        data.extend_from_slice(new);
        self.transport_mut().take_display();
        self.command(Instruction::ChangePin as u8, 0, 0, &data)
            .map(drop)
    }

    /// Wipes the device, after the person confirms.
    pub fn wipe(&mut self) -> Result<(), DeviceError> {
        self.transport_mut().take_display();
        self.forget_addresses();
        self.command(Instruction::Wipe as u8, 0, 0, &[]).map(drop)
    }

    /// Adds `signer` to the device's trusted definition signers, after the
    /// person confirms ("Trust token definitions from 0x…?").
    pub fn trust(&mut self, signer: &Address) -> Result<(), DeviceError> {
        self.transport_mut().take_display();
        self.command(Instruction::Trust as u8, 0, 0, signer.as_bytes())
            .map(drop)
    }

    /// Gives the device a signed token definition for the next sign
    /// request: it checks it against its own trusted signers, and that
    /// sign's pages show the token's amounts in whole tokens.
    pub fn provide_definition(
        &mut self,
        definition: &tokensign_core::definition::SignedDefinition,
    ) -> Result<(), DeviceError> {
        match self.command(
            Instruction::ProvideDefinition as u8,
            0,
            0,
            &definition.encode(),
        ) {
            Err(DeviceError::Status(s)) if s.sw == Status::InsNotSupported.word() => {
                Err(DeviceError::Status(DeviceStatus {
                    sw: s.sw,
                    reason: "this device takes no token definitions (its firmware was built \
                             without them): leave --definition out to sign in base units"
                        .to_owned(),
                }))
            }
            other => other.map(drop),
        }
    }

    /// The pages the device displayed since the last call.
    pub fn take_display(&mut self) -> Vec<String> {
        self.transport_mut().take_display()
    }
}
