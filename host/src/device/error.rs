//! The device layer's errors.

use std::fmt;
use std::time::Duration;

use tokensign_core::device::status_text;
use tokensign_core::{Address, Error as CoreError};

/// A device answered with a status word other than 0x9000.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceStatus {
    /// The status word.
    pub sw: u16,
    /// Why the device refused a payload (the core's message for the reason
    /// it answered), else empty.
    pub reason: String,
}

impl DeviceStatus {
    /// Whether the user rejected the review on the device.
    pub fn is_denied(&self) -> bool {
        self.sw == tokensign_core::device::Status::Denied.word()
    }
}

impl fmt::Display for DeviceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "device: {} (SW 0x{:04X})", status_text(self.sw), self.sw)?;
        if !self.reason.is_empty() {
            write!(f, ": {}", self.reason)?;
        }
        Ok(())
    }
}

impl std::error::Error for DeviceStatus {}

/// What went wrong with a device: opening it, talking to it, or what it
/// answered.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    /// The device refused a command (the user's rejection is
    /// [`DeviceStatus::is_denied`]).
    #[error("{0}")]
    Status(DeviceStatus),
    /// No device spec.
    #[error("empty device spec: use `emulated`, `cmd:<command>` or a serial port path")]
    EmptySpec,
    /// The serial port path does not exist.
    #[error(
        "no serial device at {path}: check that the device is plugged in and the path \
         (ls /dev/ttyACM* /dev/ttyUSB*)"
    )]
    SerialNotFound {
        /// The path.
        path: String,
    },
    /// The serial port exists but cannot be opened by this user.
    #[error(
        "no permission to open the serial device {path}: add your user to the device's group \
         (often `dialout`) or change its permissions"
    )]
    SerialPermission {
        /// The path.
        path: String,
    },
    /// The serial port is in use or refused its settings.
    #[error("cannot open the serial device {path} at {baud} baud: {detail}")]
    SerialOpen {
        /// The path.
        path: String,
        /// The baud rate asked for.
        baud: u32,
        /// The operating system's reason.
        detail: String,
    },
    /// The device command could not be started.
    #[error("starting device command `{command}`: {source}")]
    Spawn {
        /// The command.
        command: String,
        /// Why.
        source: std::io::Error,
    },
    /// No answer within the transport's timeout.
    #[error("device did not answer within {0:?}")]
    Timeout(Duration),
    /// The device's stream ended.
    #[error("device closed the connection")]
    Closed,
    /// The device process ended; `source` is what the transport saw.
    #[error("device process exited ({status}): {source}")]
    ProcessExited {
        /// Its exit status.
        status: String,
        /// What the exchange failed with.
        source: Box<DeviceError>,
    },
    /// Reading from the device failed.
    #[error("reading from the device: {0}")]
    Read(std::io::Error),
    /// Writing to the device failed.
    #[error("writing to the device: {0}")]
    Write(std::io::Error),
    /// A frame failed its check.
    #[error("corrupt frame from the device")]
    CorruptFrame,
    /// A command does not fit the protocol's limits.
    #[error("command too long for the device protocol: {0}")]
    CommandTooLong(CoreError),
    /// A response had no status word.
    #[error("device answer too short")]
    AnswerTooShort,
    /// A response of the wrong shape.
    #[error("device answer malformed: {0}")]
    BadAnswer(String),
    /// The request could not be encoded (the transaction is not in the
    /// scheme, or a bug).
    #[error("cannot build the device request: {0}")]
    Encode(CoreError),
    /// The device's signature does not verify.
    #[error("device signature does not verify: {0}")]
    SignatureInvalid(CoreError),
    /// The device signed with another key than the one it reported.
    #[error("device signature recovers to {got}, not the device's address {expected}")]
    WrongSigner {
        /// Whom the signature recovers to.
        got: Address,
        /// The device's reported address.
        expected: Address,
    },
    /// The device's transaction hash is not the host's.
    #[error("device transaction hash differs from the host's")]
    TxHashMismatch,
    /// An emulated device's mnemonic is not valid.
    #[error("emulated device mnemonic: {0}")]
    Mnemonic(String),
}

impl DeviceError {
    /// The device's status, when it refused a command (looking through a
    /// process exit).
    pub fn status(&self) -> Option<&DeviceStatus> {
        match self {
            DeviceError::Status(s) => Some(s),
            DeviceError::ProcessExited { source, .. } => source.status(),
            _ => None,
        }
    }

    /// Whether the device's user rejected the review.
    pub fn is_denied(&self) -> bool {
        self.status().is_some_and(DeviceStatus::is_denied)
    }
}
