//! The emulated device: the core's device state machine in process, with
//! an automatic approver and the spec's public test key, for fast tests and
//! `--device emulated`.

use std::fmt;

use tokensign_core::device::{Approval, Approver, Device, MAX_RESPONSE_LEN};
use tokensign_core::hd::{DerivationPath, Mnemonic};
use tokensign_core::review::{Review, DEFAULT_PAGE_WIDTH};
use tokensign_core::Address;

use super::{DeviceError, Transport};

/// The mnemonic the emulated device (and the QEMU firmware) is seeded
/// with: the public test mnemonic of every Ethereum development tool
/// (anvil, hardhat) and of the network's local development network. Its
/// keys are public: never use them for anything of value.
pub const TEST_MNEMONIC: &str = "test test test test test test test test test test test junk";

/// The request buffer of the emulated device, as in the firmware.
pub const REQUEST_BUFFER: usize = 2048;

/// The emulated device's approver: records every page shown, then
/// approves (or rejects, when told to).
#[derive(Debug, Default)]
pub struct RecordingApprover {
    /// Pages shown and not yet taken.
    pub pages: Vec<String>,
    /// Reject every review instead of approving.
    pub reject: bool,
}

impl RecordingApprover {
    fn decision(&self) -> Approval {
        if self.reject {
            Approval::Reject
        } else {
            Approval::Approve
        }
    }
}

impl Approver for RecordingApprover {
    fn approve<const B: usize, const M: usize>(&mut self, review: &Review<'_, B, M>) -> Approval {
        self.pages
            .extend(review.pages(DEFAULT_PAGE_WIDTH).map(|p| p.to_string()));
        self.decision()
    }

    fn confirm_address(&mut self, path: &DerivationPath, address: &Address) -> Approval {
        self.pages.push(format!("Path: {path}"));
        self.pages.push(format!("Address: {address}"));
        self.decision()
    }
}

/// The core's device state machine in process: the same protocol as the
/// firmware, without QEMU.
pub struct EmulatedDevice {
    device: Device<RecordingApprover, REQUEST_BUFFER>,
}

impl fmt::Debug for EmulatedDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatedDevice")
            .field("device", &self.device)
            .finish()
    }
}

impl EmulatedDevice {
    /// An emulated device seeded with `mnemonic` (no passphrase).
    pub fn new(mnemonic: &str) -> Result<Self, DeviceError> {
        let seed = Mnemonic::parse(mnemonic)
            .and_then(|m| m.to_seed(""))
            .map_err(|e| DeviceError::Mnemonic(format!("{e:?}")))?;
        Ok(EmulatedDevice {
            device: Device::new(seed, RecordingApprover::default()),
        })
    }

    /// An emulated device seeded with [`TEST_MNEMONIC`], like the firmware.
    pub fn with_test_mnemonic() -> Result<Self, DeviceError> {
        Self::new(TEST_MNEMONIC)
    }

    /// Makes the emulated user reject (true) or approve (false).
    pub fn set_reject(&mut self, reject: bool) {
        self.device.approver_mut().reject = reject;
    }

    /// The address of `path`.
    pub fn address(&mut self, path: &DerivationPath) -> Option<Address> {
        self.device.address(path).ok()
    }
}

impl Transport for EmulatedDevice {
    fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>, DeviceError> {
        let mut response = [0u8; MAX_RESPONSE_LEN];
        let n = self.device.handle(command, &mut response);
        Ok(response.get(..n).unwrap_or_default().to_vec())
    }

    fn take_display(&mut self) -> Vec<String> {
        std::mem::take(&mut self.device.approver_mut().pages)
    }
}
