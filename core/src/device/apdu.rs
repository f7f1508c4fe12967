//! Command and response APDUs: the instruction and status-word enums, and
//! the byte layout `CLA INS P1 P2 Lc data` / `data SW1 SW2`.

use crate::error::Error;

/// The class byte of every command.
pub const CLA: u8 = 0xE1;
/// Length of a command header (`CLA INS P1 P2 Lc`).
pub const APDU_HEADER_LEN: usize = 5;
/// Longest command APDU.
pub const MAX_COMMAND_LEN: usize = APDU_HEADER_LEN + 255;

/// The instructions of the core's protocol. `INS` 0x10..=0x1F are left to
/// the firmware ([`Instruction::parse`] gives `None` for them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Instruction {
    /// Protocol and core version.
    GetVersion = 0x01,
    /// The address of a derivation path, optionally confirmed on screen.
    GetAddress = 0x02,
    /// The compressed public key of a derivation path.
    GetPublicKey = 0x04,
    /// Sign a transaction of any operation, either scheme (chunked).
    Sign = 0x05,
    /// The wallet's state: empty, locked or unlocked, PIN attempts left,
    /// trusted definition signers.
    GetState = 0x06,
    /// Set-up: a new seed from the device's entropy, its words shown on
    /// the device only, sealed under the PIN in the data.
    SetupGenerate = 0x07,
    /// Set-up: restore from words the host sends (behind a warning page),
    /// sealed under the PIN in the data.
    SetupRestore = 0x08,
    /// Unlock with the PIN.
    Unlock = 0x09,
    /// Change the PIN (the old one, then the new one).
    ChangePin = 0x0A,
    /// Wipe the seed, the PIN and the trusted signers.
    Wipe = 0x0B,
    /// Trust token definitions signed by an address (kept in flash).
    Trust = 0x0C,
    /// Lock: forget the seed in RAM until the next unlock.
    Lock = 0x0D,
    /// A signed token definition for the next sign request (checked
    /// against the device's trusted signers; [`super::offer`]).
    ProvideDefinition = 0x0E,
}

impl Instruction {
    /// The instruction an `INS` byte names.
    pub const fn parse(ins: u8) -> Option<Self> {
        match ins {
            0x01 => Some(Instruction::GetVersion),
            0x02 => Some(Instruction::GetAddress),
            0x04 => Some(Instruction::GetPublicKey),
            0x05 => Some(Instruction::Sign),
            0x06 => Some(Instruction::GetState),
            0x07 => Some(Instruction::SetupGenerate),
            0x08 => Some(Instruction::SetupRestore),
            0x09 => Some(Instruction::Unlock),
            0x0A => Some(Instruction::ChangePin),
            0x0B => Some(Instruction::Wipe),
            0x0C => Some(Instruction::Trust),
            0x0D => Some(Instruction::Lock),
            0x0E => Some(Instruction::ProvideDefinition),
            _ => None,
        }
    }
}

/// First `INS` left to the firmware.
pub const INS_FIRMWARE_FIRST: u8 = 0x10;
/// Last `INS` left to the firmware.
pub const INS_FIRMWARE_LAST: u8 = 0x1F;

/// The status words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum Status {
    /// Done.
    Ok = 0x9000,
    /// A frame's checksum or length was wrong (sent by the stream reader).
    BadFrame = 0x6581,
    /// APDU shorter than its header, `Lc` not the data length, or data of
    /// the wrong length for the command.
    WrongLength = 0x6700,
    /// The person refused what the device showed.
    Denied = 0x6985,
    /// A continuation chunk arrived with no sign pending.
    WrongState = 0x6986,
    /// The transaction was refused; the response data holds the reason as
    /// bytes ([`super::reason`]: [`super::read_reason`] gives the error
    /// back, whose `Display` is the message).
    InvalidData = 0x6A80,
    /// The derivation path is malformed or deeper than the device allows.
    InvalidPath = 0x6A81,
    /// The device holds no seed: set it up (generate or restore) first.
    NotProvisioned = 0x6A82,
    /// The device is locked: unlock it with its PIN first.
    Locked = 0x6982,
    /// A wrong PIN; the data byte is the attempts left before the wipe.
    WrongPin = 0x63C0,
    /// That was the last allowed wrong PIN: the seed was wiped.
    WipedAfterWrongPins = 0x6984,
    /// The PIN is not 4 to 8 digits.
    InvalidPin = 0x6A87,
    /// The recovery words are not valid; the data byte says why (1 word
    /// count, 2 unknown word, then its position, 3 checksum).
    InvalidWords = 0x6A88,
    /// The device already holds a seed: wipe it before setting it up again.
    AlreadySetUp = 0x6A89,
    /// The list of trusted definition signers is full.
    TrustListFull = 0x6A8A,
    /// A token definition was refused (malformed, badly signed, from a
    /// signer the device does not trust, or for another chain or token
    /// than the transaction's); the data byte names the cause
    /// ([`super::offer::refusal_code`]).
    DefinitionRefused = 0x6A8B,
    /// The request does not fit the device's buffer.
    TooLarge = 0x6A84,
    /// P1 or P2 is not allowed for the command.
    WrongP1P2 = 0x6B00,
    /// Unknown instruction.
    InsNotSupported = 0x6D00,
    /// Unknown class.
    ClaNotSupported = 0x6E00,
    /// Signing failed (recovery id 2 or 3), or a key could not be derived.
    SigningFailed = 0x6F00,
    /// The response buffer given to the device is too small.
    ResponseTooSmall = 0x6F01,
    /// The device's flash could not be read or written.
    StorageFailed = 0x6F02,
    /// The device's random source failed.
    NoEntropy = 0x6F03,
    /// A device built with a fixed seed: it keeps no state to set up.
    NoStorage = 0x6F04,
}

impl Status {
    /// Every status, for documentation and tests.
    pub const ALL: &'static [Status] = &[
        Status::Ok,
        Status::BadFrame,
        Status::WrongLength,
        Status::Denied,
        Status::WrongState,
        Status::InvalidData,
        Status::InvalidPath,
        Status::NotProvisioned,
        Status::Locked,
        Status::WrongPin,
        Status::WipedAfterWrongPins,
        Status::InvalidPin,
        Status::InvalidWords,
        Status::AlreadySetUp,
        Status::TrustListFull,
        Status::DefinitionRefused,
        Status::TooLarge,
        Status::WrongP1P2,
        Status::InsNotSupported,
        Status::ClaNotSupported,
        Status::SigningFailed,
        Status::ResponseTooSmall,
        Status::StorageFailed,
        Status::NoEntropy,
        Status::NoStorage,
    ];

    /// The two bytes.
    pub const fn word(self) -> u16 {
        self as u16
    }

    /// The status a status word names.
    pub fn from_word(sw: u16) -> Option<Status> {
        Status::ALL.iter().copied().find(|s| s.word() == sw)
    }

    /// The meaning in words, for error messages.
    pub const fn text(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::BadFrame => "bad frame (checksum or length)",
            Status::WrongLength => "wrong length",
            Status::Denied => "refused on the device",
            Status::WrongState => "wrong state (no sign request pending)",
            Status::InvalidData => "transaction refused",
            Status::InvalidPath => "invalid derivation path",
            Status::NotProvisioned => "the device holds no seed (set it up first)",
            Status::Locked => "the device is locked (unlock it with its PIN)",
            Status::WrongPin => "wrong PIN",
            Status::WipedAfterWrongPins => "too many wrong PINs: the device wiped its seed",
            Status::InvalidPin => "the PIN must be 4 to 8 digits",
            Status::InvalidWords => "the recovery words are not valid",
            Status::AlreadySetUp => "the device already holds a seed (wipe it first)",
            Status::TrustListFull => "the device's list of trusted definition signers is full",
            Status::DefinitionRefused => "token definition refused by the device",
            Status::TooLarge => "request too large for the device",
            Status::WrongP1P2 => "wrong P1/P2",
            Status::InsNotSupported => "instruction not supported",
            Status::ClaNotSupported => "class not supported",
            Status::SigningFailed => "signing failed",
            Status::ResponseTooSmall => "response buffer too small",
            Status::StorageFailed => "the device's storage failed",
            Status::NoEntropy => "the device's random source failed",
            Status::NoStorage => "this device has a fixed seed and keeps no state",
        }
    }
}

/// The meaning of any status word in words.
pub fn status_text(sw: u16) -> &'static str {
    Status::from_word(sw).map_or("unknown status", Status::text)
}

/// P1 of the first chunk of a sign request.
pub const P1_FIRST: u8 = 0x00;
/// P1 of every later chunk.
pub const P1_NEXT: u8 = 0x01;
/// P2 of a chunk that more chunks follow.
pub const P2_MORE: u8 = 0x00;
/// P2 of the last chunk.
pub const P2_LAST: u8 = 0x01;
/// P1 of GET_ADDRESS: answer without showing.
pub const P1_SILENT: u8 = 0x00;
/// P1 of GET_ADDRESS: show the address and ask the user to confirm it.
pub const P1_CONFIRM: u8 = 0x01;

/// A parsed command APDU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Command<'a> {
    /// `INS`.
    pub ins: u8,
    /// `P1`.
    pub p1: u8,
    /// `P2`.
    pub p2: u8,
    /// The data (`Lc` bytes).
    pub data: &'a [u8],
}

impl<'a> Command<'a> {
    /// Splits a command APDU; the status word of the failure otherwise.
    pub fn parse(apdu: &'a [u8]) -> Result<Self, Status> {
        let (header, data) = apdu
            .split_first_chunk::<APDU_HEADER_LEN>()
            .ok_or(Status::WrongLength)?;
        let [cla, ins, p1, p2, lc] = *header;
        if cla != CLA {
            return Err(Status::ClaNotSupported);
        }
        if usize::from(lc) != data.len() {
            return Err(Status::WrongLength);
        }
        Ok(Command { ins, p1, p2, data })
    }
}

/// Writes a command APDU `CLA ins p1 p2 Lc data` into `out`; returns its
/// length. [`Error::BufferTooSmall`] if `data` is over 255 bytes or `out`
/// too small.
pub fn encode_command(
    ins: u8,
    p1: u8,
    p2: u8,
    data: &[u8],
    out: &mut [u8],
) -> Result<usize, Error> {
    let lc = u8::try_from(data.len()).map_err(|_| Error::BufferTooSmall)?;
    let total = APDU_HEADER_LEN + data.len();
    let apdu = out.get_mut(..total).ok_or(Error::BufferTooSmall)?;
    let (head, body) = apdu.split_at_mut(APDU_HEADER_LEN);
    head.copy_from_slice(&[CLA, ins, p1, p2, lc]);
    body.copy_from_slice(data);
    Ok(total)
}

/// Splits a response APDU into its data and status word; `None` if it is
/// shorter than 2 bytes.
pub fn split_response(response: &[u8]) -> Option<(&[u8], u16)> {
    let (data, sw) = response.split_last_chunk::<2>()?;
    Some((data, u16::from_be_bytes(*sw)))
}

/// A response being written: data, then the status word.
#[derive(Debug)]
pub struct Response<'b> {
    out: &'b mut [u8],
    len: usize,
}

impl<'b> Response<'b> {
    /// An empty response over `out`.
    pub fn new(out: &'b mut [u8]) -> Self {
        Response { out, len: 0 }
    }

    /// Appends data; `Err(ResponseTooSmall)` if it does not fit beside the
    /// status word.
    pub fn push(&mut self, data: &[u8]) -> Result<(), Status> {
        let end = self.len.saturating_add(data.len());
        let room = self.out.len().saturating_sub(2);
        match self.out.get_mut(self.len..end) {
            Some(dst) if end <= room => {
                dst.copy_from_slice(data);
                self.len = end;
                Ok(())
            }
            _ => Err(Status::ResponseTooSmall),
        }
    }

    /// Room left for data.
    pub fn room(&self) -> usize {
        self.out.len().saturating_sub(2).saturating_sub(self.len)
    }

    /// Drops the data written so far.
    pub fn clear(&mut self) {
        self.len = 0;
    }

    /// Writes the status word after the data; returns the whole length (0
    /// when not even the status word fits).
    pub fn finish(self, status: Status) -> usize {
        let end = self.len.saturating_add(2);
        match self.out.get_mut(self.len..end) {
            Some(dst) => {
                dst.copy_from_slice(&status.word().to_be_bytes());
                end
            }
            None => 0,
        }
    }
}
