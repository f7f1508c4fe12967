//! The emulated device: the core's device state machine in process, with
//! an automatic approver and the spec's public test key, for fast tests and
//! `--device emulated`.

use std::fmt;

use tokensign_core::device::{Approval, Approver, Device, MAX_RESPONSE_LEN};
use tokensign_core::review::{Review, DEFAULT_PAGE_WIDTH};
use tokensign_core::{signing_key_from_bytes, Address};

use super::{DeviceError, Transport};

/// The spec's known-answer key, which the firmware and the emulated device
/// hold: a published test key, never for real funds. (Product data of the
/// emulated device; the test fixtures hold the same key and the host's
/// tests check that the two agree.)
pub const TEST_KEY: [u8; 32] = [
    0x01, 0x83, 0x3a, 0x12, 0x6e, 0xc4, 0x5d, 0x01, 0x91, 0x51, 0x97, 0x48, 0x14, 0x6b, 0x9e, 0x35,
    0x64, 0x7a, 0xab, 0x7f, 0xed, 0x28, 0xde, 0x1c, 0x8e, 0x17, 0x82, 0x49, 0x70, 0xf9, 0x64, 0xa3,
];

/// The payload buffer of the emulated device, as in the firmware.
pub const PAYLOAD_BUFFER: usize = 1024;

/// The emulated device's approver: records every page shown, then
/// approves (or rejects, when told to).
#[derive(Debug, Default)]
pub struct RecordingApprover {
    /// Pages shown and not yet taken.
    pub pages: Vec<String>,
    /// Reject every review instead of approving.
    pub reject: bool,
}

impl Approver for RecordingApprover {
    fn approve(&mut self, review: &Review<'_>) -> Approval {
        self.pages
            .extend(review.pages(DEFAULT_PAGE_WIDTH).map(|p| p.to_string()));
        if self.reject {
            Approval::Reject
        } else {
            Approval::Approve
        }
    }
}

/// The core's device state machine in process: the same protocol as the
/// firmware, without QEMU.
pub struct EmulatedDevice {
    device: Device<RecordingApprover, PAYLOAD_BUFFER>,
}

impl fmt::Debug for EmulatedDevice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatedDevice")
            .field("device", &self.device)
            .finish()
    }
}

impl EmulatedDevice {
    /// An emulated device holding `secret`.
    pub fn new(secret: &[u8; 32]) -> Result<Self, DeviceError> {
        let key = signing_key_from_bytes(secret).map_err(DeviceError::Key)?;
        Ok(EmulatedDevice {
            device: Device::new(key, RecordingApprover::default()),
        })
    }

    /// An emulated device holding [`TEST_KEY`], like the firmware.
    pub fn with_test_key() -> Result<Self, DeviceError> {
        Self::new(&TEST_KEY)
    }

    /// Makes the emulated user reject (true) or approve (false) reviews.
    pub fn set_reject(&mut self, reject: bool) {
        self.device.approver_mut().reject = reject;
    }

    /// The device's address.
    pub fn address(&self) -> Address {
        self.device.address()
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
