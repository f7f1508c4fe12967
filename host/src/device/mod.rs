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
//! - [`DeviceClient`]: version, address and public key of a derivation
//!   path, and `sign`, which sends any transaction in either scheme for
//!   review and checks that the signature recovers to the path's address
//!   and that the signing hash the device answered is the core's.
//! - [`open`]: a client from a spec: `emulated`, `cmd:<shell command>` or a
//!   serial port path.
//!
//! Errors are [`DeviceError`]s.

mod emulated;
mod error;
mod serial;
mod setup;
pub mod state_dir;
mod stream;

use std::collections::HashMap;
use std::path::Path;

use tokensign_core::device::{
    encode_command, encode_sign_header, parse_sign_response, read_reason, split_response,
    Instruction, SignHeader, Status, MAX_COMMAND_LEN, P1_CONFIRM, P1_FIRST, P1_NEXT, P1_SILENT,
    P2_LAST, P2_MORE,
};
use tokensign_core::hd::{DerivationPath, MAX_PATH_BYTES};
use tokensign_core::native::{self, Descriptor};
use tokensign_core::rlp::encode::{to_slice, Encode};
use tokensign_core::tx::Transaction;
use tokensign_core::{address_of_compressed, legacy, recover_hash, Address, Scheme, Signature};

pub use emulated::{Answers, EmulatedDevice, RecordingApprover, REQUEST_BUFFER, TEST_MNEMONIC};
pub use error::{DeviceError, DeviceStatus};
pub use serial::{open_serial, DEFAULT_BAUD};
pub use setup::{DeviceState, WalletStatus};
pub use stream::{ProcessTransport, StreamTransport, DEFAULT_TIMEOUT};

/// Request bytes per SIGN chunk.
pub const CHUNK_LEN: usize = 255;

/// The path a device signs with unless told otherwise: the first Ethereum
/// account, `m/44'/60'/0'/0/0`.
pub fn default_path() -> DerivationPath {
    // Index 0 is below 2^31: always a valid path.
    DerivationPath::ethereum(0).expect("index 0 is below 2^31, a valid path")
}

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
/// a device on stdin/stdout, its flash kept in the file `flash` (created
/// on first use; see docs/embedded.md), semihosting on (the flash file,
/// the test-only random source, the device's own screen on stderr).
pub fn qemu_command(firmware: &Path, flash: &Path) -> String {
    format!(
        "qemu-system-arm -M mps2-an386 -cpu cortex-m4 -display none -monitor none \
         -serial stdio -icount shift=0 \
         -semihosting-config enable=on,target=native,arg=tokensign-firmware,arg='{}' \
         -kernel '{}'",
        flash.display(),
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
    /// The signing hash the device answered, the digest it signed
    /// (checked against the host core's).
    pub signing_hash: [u8; 32],
    /// The review pages the device displayed before signing (empty if the
    /// transport does not report them).
    pub review: Vec<String>,
}

/// What a device is asked to sign.
#[derive(Clone, Copy, Debug)]
pub struct SignRequest<'a> {
    /// The transaction (for v2: normalized, see `native::normalize`).
    pub tx: &'a Transaction,
    /// The scheme.
    pub scheme: Scheme,
    /// Single signer, or a member of a multisig account.
    pub descriptor: Descriptor,
    /// The key's path.
    pub path: DerivationPath,
}

impl SignRequest<'_> {
    /// The request's bytes: header, then the transaction's RLP.
    pub fn encode(&self) -> Result<Vec<u8>, DeviceError> {
        let header = SignHeader {
            scheme: self.scheme,
            op: self.tx.op_type(),
            descriptor: self.descriptor,
            path: self.path,
        };
        let mut head = [0u8; 3 + 20 + MAX_PATH_BYTES];
        let n = encode_sign_header(&header, &mut head).map_err(DeviceError::Encode)?;
        let mut out = head.get(..n).unwrap_or_default().to_vec();
        match self.scheme {
            Scheme::Legacy => {
                let value = legacy::signed_value(self.tx).map_err(DeviceError::Encode)?;
                append(&mut out, &value)?;
            }
            Scheme::Native => append(&mut out, &native::payload_rlp(self.tx))?,
        }
        Ok(out)
    }

    /// The digest the device must sign.
    pub fn signing_hash(&self) -> Result<[u8; 32], DeviceError> {
        self.scheme
            .signing_hash(self.tx, self.descriptor)
            .map_err(DeviceError::Encode)
    }
}

fn append(out: &mut Vec<u8>, value: &impl Encode) -> Result<(), DeviceError> {
    let start = out.len();
    out.resize(start + value.encoded_len(), 0);
    to_slice(value, &mut out[start..])
        .map_err(|_| DeviceError::Encode(tokensign_core::Error::BufferTooSmall))?;
    Ok(())
}

fn path_bytes(path: &DerivationPath) -> Vec<u8> {
    let mut buf = [0u8; MAX_PATH_BYTES];
    let n = path.write_bytes(&mut buf).unwrap_or(0);
    buf.get(..n).unwrap_or_default().to_vec()
}

/// Talks to a device over a [`Transport`].
#[derive(Debug)]
pub struct DeviceClient<T> {
    transport: T,
    addresses: HashMap<DerivationPath, Address>,
}

impl<T: Transport> DeviceClient<T> {
    /// A client over `transport`.
    pub fn new(transport: T) -> Self {
        DeviceClient {
            transport,
            addresses: HashMap::new(),
        }
    }

    /// Forgets the addresses asked so far: after a set-up command the
    /// device may hold another seed.
    pub fn forget_addresses(&mut self) {
        self.addresses.clear();
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
        if sw != Status::Ok.word() {
            let reason = if sw == Status::WrongPin.word() {
                match data {
                    [0] => "no attempt left".to_owned(),
                    [1] => "1 attempt left before the device wipes its seed".to_owned(),
                    [n] => format!("{n} attempts left before the device wipes its seed"),
                    _ => String::new(),
                }
            } else if sw == Status::InvalidWords.word() {
                match data {
                    [1, n] => format!("{n} words; a recovery phrase has 12, 15, 18, 21 or 24"),
                    [2, n] => format!("word {n} is not in the BIP-39 English list"),
                    [3, _] => {
                        "the checksum does not match: a word is wrong or out of order".to_owned()
                    }
                    _ => String::new(),
                }
            } else if sw == Status::DefinitionRefused.word() {
                match data {
                    [code] => tokensign_core::device::offer::refusal_text(*code).to_owned(),
                    _ => String::new(),
                }
            } else if sw == Status::InvalidData.word() {
                // The device names the error in bytes; the message is this
                // host's core's (the same core).
                match read_reason(data) {
                    Some(reason) => reason.to_string(),
                    None if data.is_empty() => String::new(),
                    None => format!(
                        "reason 0x{} not understood (is the device newer than this host? \
                         update tokensign)",
                        hex::encode(data)
                    ),
                }
            } else {
                String::new()
            };
            return Err(DeviceError::Status(DeviceStatus { sw, reason }));
        }
        Ok(data.to_vec())
    }

    /// The device's protocol and core version.
    pub fn version(&mut self) -> Result<DeviceVersion, DeviceError> {
        let data = self.command(Instruction::GetVersion as u8, 0, 0, &[])?;
        let (&protocol, core) = data
            .split_first()
            .ok_or_else(|| DeviceError::BadAnswer("empty version answer".into()))?;
        Ok(DeviceVersion {
            protocol,
            core: String::from_utf8_lossy(core).into_owned(),
        })
    }

    /// The address of `path` (asked once per path, then remembered);
    /// `confirm` has the device show it and wait for the user.
    pub fn address(
        &mut self,
        path: &DerivationPath,
        confirm: bool,
    ) -> Result<Address, DeviceError> {
        if !confirm {
            if let Some(address) = self.addresses.get(path) {
                return Ok(*address);
            }
        }
        let p1 = if confirm { P1_CONFIRM } else { P1_SILENT };
        let data = self.command(Instruction::GetAddress as u8, p1, 0, &path_bytes(path))?;
        let bytes: [u8; 20] = data.as_slice().try_into().map_err(|_| {
            DeviceError::BadAnswer(format!("address answer has {} bytes, not 20", data.len()))
        })?;
        let address = Address(bytes);
        self.addresses.insert(*path, address);
        Ok(address)
    }

    /// The compressed public key of `path`, checked against its address.
    pub fn public_key(&mut self, path: &DerivationPath) -> Result<[u8; 33], DeviceError> {
        let data = self.command(Instruction::GetPublicKey as u8, 0, 0, &path_bytes(path))?;
        let key: [u8; 33] = data.as_slice().try_into().map_err(|_| {
            DeviceError::BadAnswer(format!(
                "public key answer has {} bytes, not 33",
                data.len()
            ))
        })?;
        let from_key = address_of_compressed(&key)
            .ok_or_else(|| DeviceError::BadAnswer("public key is not a curve point".into()))?;
        let address = self.address(path, false)?;
        if from_key != address {
            return Err(DeviceError::WrongSigner {
                got: from_key,
                expected: address,
            });
        }
        Ok(key)
    }

    /// Sends request bytes as they are (chunked) and returns the raw answer
    /// data; for tests that send what the host would not write.
    pub fn sign_raw(&mut self, request: &[u8]) -> Result<Vec<u8>, DeviceError> {
        self.transport.take_display();
        let chunks: Vec<&[u8]> = if request.is_empty() {
            vec![&[][..]]
        } else {
            request.chunks(CHUNK_LEN).collect()
        };
        let count = chunks.len();
        let mut answer = Vec::new();
        for (i, chunk) in chunks.into_iter().enumerate() {
            let p1 = if i == 0 { P1_FIRST } else { P1_NEXT };
            let p2 = if i + 1 == count { P2_LAST } else { P2_MORE };
            answer = self.command(Instruction::Sign as u8, p1, p2, chunk)?;
        }
        Ok(answer)
    }

    /// Has the device review and sign `request`; the signature is checked
    /// to recover to the path's address over the core's signing hash, and
    /// the signing hash the device answered to be the core's.
    pub fn sign(&mut self, request: &SignRequest<'_>) -> Result<DeviceSignature, DeviceError> {
        self.sign_with(request, None)
    }

    /// [`DeviceClient::sign`], with a signed token definition given to the
    /// device just before the request (the device checks it against its
    /// own trusted signers and shows the token's amounts in whole tokens,
    /// or refuses).
    pub fn sign_with(
        &mut self,
        request: &SignRequest<'_>,
        definition: Option<&tokensign_core::definition::SignedDefinition>,
    ) -> Result<DeviceSignature, DeviceError> {
        let address = self.address(&request.path, false)?;
        if let Some(definition) = definition {
            self.provide_definition(definition)?;
        }
        let answer = self.sign_raw(&request.encode()?)?;
        let (signature, hash) = parse_sign_response(&answer).ok_or_else(|| {
            DeviceError::BadAnswer(format!("sign answer has {} bytes", answer.len()))
        })?;
        let signing_hash = request.signing_hash()?;
        if hash != signing_hash {
            return Err(DeviceError::SigningHashMismatch);
        }
        let signer =
            recover_hash(&signing_hash, &signature).map_err(DeviceError::SignatureInvalid)?;
        if signer != address {
            return Err(DeviceError::WrongSigner {
                got: signer,
                expected: address,
            });
        }
        Ok(DeviceSignature {
            signature,
            signing_hash,
            review: self.transport.take_display(),
        })
    }
}

/// How to open a device named by a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenSettings {
    /// Baud rate of a serial port.
    pub baud: u32,
    /// Definition signers an emulated device trusts for this run
    /// (`--device-trust`); refused for any other device.
    pub session_trust: Vec<Address>,
}

impl Default for OpenSettings {
    fn default() -> Self {
        OpenSettings {
            baud: DEFAULT_BAUD,
            session_trust: Vec::new(),
        }
    }
}

/// A device spec, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceSpec {
    /// `emulated[:confirm][:DIR]`: in process; a fixed test seed without a
    /// directory, a wallet kept in `DIR` with one; asking on the terminal
    /// with `confirm`.
    Emulated {
        /// Ask page by page on the terminal.
        confirm: bool,
        /// Where its state is kept.
        dir: Option<std::path::PathBuf>,
    },
    /// `cmd:<shell command>`: a program speaking the protocol on its
    /// standard input and output (the QEMU firmware).
    Command(String),
    /// `serial:PATH`, or a bare path: a serial port.
    Serial(std::path::PathBuf),
}

impl DeviceSpec {
    /// Parses `spec`.
    pub fn parse(spec: &str) -> Result<Self, DeviceError> {
        if spec.is_empty() {
            return Err(DeviceError::EmptySpec);
        }
        if let Some(rest) = spec.strip_prefix("emulated") {
            let rest = match rest {
                "" => {
                    return Ok(DeviceSpec::Emulated {
                        confirm: false,
                        dir: None,
                    })
                }
                r => r.strip_prefix(':'),
            };
            if let Some(rest) = rest {
                let (confirm, dir) = match rest {
                    "confirm" => (true, ""),
                    r => match r.strip_prefix("confirm:") {
                        Some(dir) => (true, dir),
                        None => (false, r),
                    },
                };
                if dir.is_empty() && !confirm {
                    return Err(DeviceError::EmptySpec);
                }
                let dir = (!dir.is_empty()).then(|| std::path::PathBuf::from(dir));
                return Ok(DeviceSpec::Emulated { confirm, dir });
            }
        }
        if let Some(command) = spec.strip_prefix("cmd:") {
            return Ok(DeviceSpec::Command(command.to_owned()));
        }
        let path = spec.strip_prefix("serial:").unwrap_or(spec);
        if path.is_empty() {
            return Err(DeviceError::EmptySpec);
        }
        Ok(DeviceSpec::Serial(path.into()))
    }
}

/// Opens a device from a spec: `emulated` (in process, seeded with
/// [`TEST_MNEMONIC`]), `emulated:DIR` (a wallet kept in `DIR`), either
/// with `confirm:` to ask on the terminal (`emulated:confirm`,
/// `emulated:confirm:DIR`), `cmd:<shell command>` (for example `cmd:` +
/// [`qemu_command`]) or a serial port (`serial:/dev/ttyACM0`, or the bare
/// path; opened raw at `settings.baud`).
pub fn open(
    spec: &str,
    settings: &OpenSettings,
) -> Result<DeviceClient<Box<dyn Transport>>, DeviceError> {
    let spec = DeviceSpec::parse(spec)?;
    if !settings.session_trust.is_empty() && !matches!(spec, DeviceSpec::Emulated { .. }) {
        return Err(DeviceError::SessionTrustNotEmulated);
    }
    let transport: Box<dyn Transport> = match spec {
        DeviceSpec::Emulated { confirm, dir } => {
            let mut device = match dir {
                Some(dir) => EmulatedDevice::in_dir(&dir)?,
                None => EmulatedDevice::with_test_mnemonic()?,
            };
            if confirm {
                device.person().answers = Answers::Terminal {
                    screen: Box::new(std::io::stderr()),
                    answers: Box::new(std::io::BufReader::new(std::io::stdin())),
                };
            }
            for signer in &settings.session_trust {
                device.trust_for_session(*signer)?;
            }
            Box::new(device)
        }
        DeviceSpec::Command(command) => Box::new(ProcessTransport::spawn(&command)?),
        DeviceSpec::Serial(path) => Box::new(open_serial(&path, settings.baud)?),
    };
    Ok(DeviceClient::new(transport))
}

#[cfg(test)]
mod tests;
