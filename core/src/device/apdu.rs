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
}

impl Instruction {
    /// The instruction an `INS` byte names.
    pub const fn parse(ins: u8) -> Option<Self> {
        match ins {
            0x01 => Some(Instruction::GetVersion),
            0x02 => Some(Instruction::GetAddress),
            0x04 => Some(Instruction::GetPublicKey),
            0x05 => Some(Instruction::Sign),
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
    /// The user rejected what was shown.
    Denied = 0x6985,
    /// A continuation chunk arrived with no sign pending.
    WrongState = 0x6986,
    /// The transaction was refused; the response data holds the reason as
    /// bytes ([`super::reason`]: [`super::read_reason`] gives the error
    /// back, whose `Display` is the message).
    InvalidData = 0x6A80,
    /// The derivation path is malformed or deeper than the device allows.
    InvalidPath = 0x6A81,
    /// The device holds no seed.
    NotProvisioned = 0x6A82,
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
        Status::TooLarge,
        Status::WrongP1P2,
        Status::InsNotSupported,
        Status::ClaNotSupported,
        Status::SigningFailed,
        Status::ResponseTooSmall,
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
            Status::Denied => "rejected by the user",
            Status::WrongState => "wrong state (no sign request pending)",
            Status::InvalidData => "transaction refused",
            Status::InvalidPath => "invalid derivation path",
            Status::NotProvisioned => "the device holds no seed",
            Status::TooLarge => "request too large for the device",
            Status::WrongP1P2 => "wrong P1/P2",
            Status::InsNotSupported => "instruction not supported",
            Status::ClaNotSupported => "class not supported",
            Status::SigningFailed => "signing failed",
            Status::ResponseTooSmall => "response buffer too small",
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
