//! Signing through a device: the host side of the core's device protocol
//! (`tokensign_core::device`, framing and commands described there and in
//! docs/embedded.md).
//!
//! - [`Transport`] carries one command APDU and brings back its response
//!   APDU, plus the review pages the device displayed.
//! - [`EmulatedDevice`]: the core's own state machine in process.
//! - [`StreamTransport`]: frames over any byte stream; [`ProcessTransport`]
//!   runs a command (such as the QEMU line of the firmware) and speaks over
//!   its stdin/stdout; [`open_serial`] opens a serial port raw.
//! - [`DeviceClient`]: version, address, and `sign_issue`, which checks
//!   that the signature recovers to the device's address and that the
//!   device's transaction hash is the core's.
//! - [`open`]: a client from a spec: `emulated`, `cmd:<shell command>` or a
//!   serial port path.
//!
//! Errors are [`DeviceError`]s.

mod emulated;
mod error;
mod serial;
mod stream;

use std::path::Path;

use tokensign_core::device::{
    encode_command, parse_sign_response, split_response, INS_GET_ADDRESS, INS_GET_VERSION,
    INS_SIGN_ISSUE, MAX_COMMAND_LEN, P1_FIRST, P1_NEXT, P2_LAST, P2_MORE, SW_INVALID_DATA, SW_OK,
};
use tokensign_core::json::{write_payload, MAX_PAYLOAD_JSON_LEN};
use tokensign_core::{recover, tx_hash, Address, Signature, TokenIssuePayload};

pub use emulated::{EmulatedDevice, RecordingApprover, PAYLOAD_BUFFER, TEST_KEY};
pub use error::{DeviceError, DeviceStatus};
pub use serial::{open_serial, DEFAULT_BAUD};
pub use stream::{ProcessTransport, StreamTransport, DEFAULT_TIMEOUT};

/// Payload bytes per `SIGN_ISSUE` chunk.
pub const CHUNK_LEN: usize = 255;

/// Carries command APDUs to a device and its response APDUs back.
pub trait Transport: Send {
    /// Sends one command APDU; returns the response APDU (data, then the
    /// two status bytes).
    fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>, DeviceError>;

    /// The review pages the device displayed since the last call, in order.
    fn take_display(&mut self) -> Vec<String> {
        Vec::new()
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn exchange(&mut self, command: &[u8]) -> Result<Vec<u8>, DeviceError> {
        (**self).exchange(command)
    }
    fn take_display(&mut self) -> Vec<String> {
        (**self).take_display()
    }
}

/// The QEMU command line that runs the firmware at `firmware` (an ELF) as
/// a device on stdin/stdout.
pub fn qemu_command(firmware: &Path) -> String {
    format!(
        "qemu-system-arm -M mps2-an386 -cpu cortex-m4 -display none -monitor none \
         -serial stdio -icount shift=0 -kernel '{}'",
        firmware.display()
    )
}

/// What a device reports as its version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceVersion {
    /// The protocol version.
    pub protocol: u8,
    /// The device's core version.
    pub core: String,
}

/// A signature made by a device, with what it showed and answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceSignature {
    /// The signature.
    pub signature: Signature,
    /// The transaction hash the device computed (checked against the core).
    pub tx_hash: [u8; 32],
    /// The review pages the device displayed before signing (empty if the
    /// transport does not report them).
    pub review: Vec<String>,
}

/// Talks to a device over a [`Transport`].
#[derive(Debug)]
pub struct DeviceClient<T> {
    transport: T,
    address: Option<Address>,
}

impl<T: Transport> DeviceClient<T> {
    /// A client over `transport`.
    pub fn new(transport: T) -> Self {
        DeviceClient {
            transport,
            address: None,
        }
    }

    /// The transport.
    pub fn transport_mut(&mut self) -> &mut T {
        &mut self.transport
    }

    /// Sends one command; returns the response data, or
    /// [`DeviceError::Status`] for a status word other than 0x9000.
    pub fn command(
        &mut self,
        ins: u8,
        p1: u8,
        p2: u8,
        data: &[u8],
    ) -> Result<Vec<u8>, DeviceError> {
        let mut apdu = [0u8; MAX_COMMAND_LEN];
        let n =
            encode_command(ins, p1, p2, data, &mut apdu).map_err(DeviceError::CommandTooLong)?;
        let response = self.transport.exchange(apdu.get(..n).unwrap_or_default())?;
        let (data, sw) = split_response(&response).ok_or(DeviceError::AnswerTooShort)?;
        if sw != SW_OK {
            let reason = if sw == SW_INVALID_DATA {
                crate::text::sanitize(&String::from_utf8_lossy(data))
            } else {
                String::new()
            };
            return Err(DeviceError::Status(DeviceStatus { sw, reason }));
        }
        Ok(data.to_vec())
    }

    /// The device's protocol and core version.
    pub fn version(&mut self) -> Result<DeviceVersion, DeviceError> {
        let data = self.command(INS_GET_VERSION, 0, 0, &[])?;
        let (&protocol, core) = data
            .split_first()
            .ok_or_else(|| DeviceError::BadAnswer("empty version answer".into()))?;
        Ok(DeviceVersion {
            protocol,
            core: String::from_utf8_lossy(core).into_owned(),
        })
    }

    /// The device's address (asked once, then remembered).
    pub fn address(&mut self) -> Result<Address, DeviceError> {
        if let Some(address) = self.address {
            return Ok(address);
        }
        let data = self.command(INS_GET_ADDRESS, 0, 0, &[])?;
        let bytes: [u8; 20] = data.as_slice().try_into().map_err(|_| {
            DeviceError::BadAnswer(format!("address answer has {} bytes, not 20", data.len()))
        })?;
        let address = Address(bytes);
        self.address = Some(address);
        Ok(address)
    }

    /// Has the device review and sign `payload`; the signature is checked
    /// to recover to the device's address.
    pub fn sign_issue(&mut self, payload: &TokenIssuePayload) -> Result<Signature, DeviceError> {
        Ok(self.sign_issue_detailed(payload)?.signature)
    }

    /// Sends a payload JSON as it is (chunked) and returns the raw answer
    /// data; for tests that send what the core would not write.
    pub fn sign_json(&mut self, json: &[u8]) -> Result<Vec<u8>, DeviceError> {
        self.transport.take_display();
        let chunks: Vec<&[u8]> = if json.is_empty() {
            vec![&[][..]]
        } else {
            json.chunks(CHUNK_LEN).collect()
        };
        let count = chunks.len();
        let mut answer = Vec::new();
        for (i, chunk) in chunks.into_iter().enumerate() {
            let p1 = if i == 0 { P1_FIRST } else { P1_NEXT };
            let p2 = if i + 1 == count { P2_LAST } else { P2_MORE };
            answer = self.command(INS_SIGN_ISSUE, p1, p2, chunk)?;
        }
        Ok(answer)
    }

    /// [`DeviceClient::sign_issue`], also returning the device's
    /// transaction hash and the review pages it displayed.
    pub fn sign_issue_detailed(
        &mut self,
        payload: &TokenIssuePayload,
    ) -> Result<DeviceSignature, DeviceError> {
        let address = self.address()?;
        let mut json = [0u8; MAX_PAYLOAD_JSON_LEN];
        let n = write_payload(payload, &mut json).map_err(DeviceError::PayloadJson)?;
        let answer = self.sign_json(json.get(..n).unwrap_or_default())?;
        let (signature, device_tx_hash) = parse_sign_response(&answer).ok_or_else(|| {
            DeviceError::BadAnswer(format!("sign answer has {} bytes", answer.len()))
        })?;
        let signer = recover(payload, &signature).map_err(DeviceError::SignatureInvalid)?;
        if signer != address {
            return Err(DeviceError::WrongSigner {
                got: signer,
                expected: address,
            });
        }
        if device_tx_hash != tx_hash(payload, &signature) {
            return Err(DeviceError::TxHashMismatch);
        }
        Ok(DeviceSignature {
            signature,
            tx_hash: device_tx_hash,
            review: self.transport.take_display(),
        })
    }
}

/// How to open a device named by a spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenSettings {
    /// Baud rate of a serial port.
    pub baud: u32,
}

impl Default for OpenSettings {
    fn default() -> Self {
        OpenSettings { baud: DEFAULT_BAUD }
    }
}

/// Opens a device from a spec: `emulated` (in process, [`TEST_KEY`]),
/// `cmd:<shell command>` (for example `cmd:` + [`qemu_command`]) or the
/// path of a serial port (opened raw at `settings.baud`).
pub fn open(
    spec: &str,
    settings: &OpenSettings,
) -> Result<DeviceClient<Box<dyn Transport>>, DeviceError> {
    let transport: Box<dyn Transport> = if spec == "emulated" {
        Box::new(EmulatedDevice::with_test_key()?)
    } else if let Some(command) = spec.strip_prefix("cmd:") {
        Box::new(ProcessTransport::spawn(command)?)
    } else if spec.is_empty() {
        return Err(DeviceError::EmptySpec);
    } else {
        Box::new(open_serial(Path::new(spec), settings.baud)?)
    };
    Ok(DeviceClient::new(transport))
}

#[cfg(test)]
mod tests;
