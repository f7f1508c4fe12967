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
        if self.is_denied() {
            return write!(f, "refused on the device (SW 0x{:04X})", self.sw);
        }
        write!(f, "device: {} (SW 0x{:04X})", status_text(self.sw), self.sw)?;
        if !self.reason.is_empty() {
            write!(f, ": {}", self.reason)?;
        }
        if let Some(next) = next_step(self.sw) {
            write!(f, "; {next}")?;
        }
        Ok(())
    }
}

impl std::error::Error for DeviceStatus {}

/// What the person does next after a status, in the CLI's words.
fn next_step(sw: u16) -> Option<&'static str> {
    use tokensign_core::device::Status;
    Some(match Status::from_word(sw)? {
        Status::Locked => "unlock it with `tokensign device unlock` (it asks for the PIN)",
        Status::NotProvisioned => {
            "set it up with `tokensign device setup --generate` or `--restore-file WORDS`"
        }
        Status::WrongPin => "run `tokensign device unlock` again with the right PIN",
        Status::WipedAfterWrongPins => {
            "set it up again from your recovery words: `tokensign device setup --restore-file WORDS`"
        }
        Status::AlreadySetUp => {
            "to replace its seed, wipe it first (`tokensign device wipe`) with your recovery words at hand"
        }
        Status::TrustListFull => "wipe and set up the device again to empty its list",
        Status::DefinitionRefused => {
            "give the definition of the transaction's token and chain, signed by a key the \
             device trusts (`tokensign device trust ADDR`), or leave --definition out"
        }
        Status::NoStorage => {
            "use a device you can set up: `--device emulated:DIR` (a practice wallet in DIR), \
             the QEMU firmware or a board"
        }
        Status::StorageFailed => "power the device off and on, then try again",
        _ => return None,
    })
}

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
    /// The device signed another digest than the host's signing hash.
    #[error("the device signed a different hash than the host computed: it decoded another transaction (update the device or the host so their protocols agree)")]
    SigningHashMismatch,
    /// An emulated device's mnemonic is not valid.
    #[error("emulated device mnemonic: {0}")]
    Mnemonic(String),
    /// The emulated device's state directory could not be used.
    #[error("emulated device state in {dir}: {detail}")]
    StateDir {
        /// The directory.
        dir: String,
        /// What failed.
        detail: String,
    },
    /// More `--device-trust` signers than the device keeps.
    #[error(
        "the emulated device trusts at most {} definition signers at once; give fewer --device-trust",
        tokensign_core::device::wallet::MAX_TRUSTED
    )]
    TrustListFull,
    /// A PIN that is not 4 to 8 digits (checked before sending it).
    #[error("the PIN must be 4 to 8 digits (0-9)")]
    InvalidPin,
    /// `--device-trust` with a device that is not emulated.
    #[error(
        "--device-trust applies to the emulated device only; a real device trusts a signer once \
         you confirm it there: run `tokensign device trust ADDR`"
    )]
    SessionTrustNotEmulated,
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

    /// Whether the person must act (unlock, set up, another PIN or other
    /// words) rather than the device having failed: the CLI's bad input.
    pub fn is_for_the_person(&self) -> bool {
        use tokensign_core::device::Status;
        matches!(
            self,
            DeviceError::InvalidPin
                | DeviceError::SessionTrustNotEmulated
                | DeviceError::TrustListFull
        ) || self
            .status()
            .and_then(|s| Status::from_word(s.sw))
            .is_some_and(|s| {
                matches!(
                    s,
                    Status::Locked
                        | Status::NotProvisioned
                        | Status::WrongPin
                        | Status::WipedAfterWrongPins
                        | Status::InvalidPin
                        | Status::InvalidWords
                        | Status::AlreadySetUp
                        | Status::TrustListFull
                        | Status::DefinitionRefused
                        | Status::NoStorage
                )
            })
    }
}
