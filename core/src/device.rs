//! The hardware-wallet protocol: APDU-style commands in checksummed frames
//! over any byte stream, and the device's state machine.
//!
//! # Frames (the byte stream)
//!
//! Both directions carry the same frame:
//!
//! ```text
//! 0xA5 | kind | len_hi len_lo | payload (len bytes) | crc_hi crc_lo
//! ```
//!
//! `crc` is CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no
//! reflection, no final xor) over `kind`, the two length bytes and the
//! payload. `len` is at most [`MAX_FRAME_PAYLOAD`]. Kinds:
//!
//! - [`FRAME_REQUEST`] host to device: one command APDU;
//! - [`FRAME_RESPONSE`] device to host: one response APDU, the answer to
//!   the last request (exactly one per request);
//! - [`FRAME_DISPLAY`] device to host: one review page as the device shows
//!   it (UTF-8, the [`Page`](crate::review::Page) text form), sent before
//!   the response of a sign request.
//!
//! A reader skips bytes until `0xA5`; a frame with a bad checksum or an
//! over-long length is dropped (the device answers it with
//! [`SW_BAD_FRAME`]) and the reader looks for the next `0xA5`.
//!
//! # Commands (APDUs)
//!
//! A command is `CLA INS P1 P2 Lc data`, with `CLA` = [`CLA`] and `Lc` the
//! number of data bytes (0..=255). A response is `data SW1 SW2`.
//!
//! | INS | command | P1 | P2 | data in | data out |
//! |---|---|---|---|---|---|
//! | 0x01 | [`INS_GET_VERSION`] | 0 | 0 | none | protocol version (1 byte), then the core's version as ASCII |
//! | 0x02 | [`INS_GET_ADDRESS`] | 0 | 0 | none | the device's 20-byte address |
//! | 0x03 | [`INS_SIGN_ISSUE`] | [`P1_FIRST`] / [`P1_NEXT`] | [`P2_MORE`] / [`P2_LAST`] | a chunk of the payload JSON | on the last chunk: `v` (1) `r` (32) `s` (32) transaction hash (32) |
//!
//! `INS` 0x10..=0x1F are left to the firmware (the core answers them with
//! [`SW_INS_NOT_SUPPORTED`]).
//!
//! Signing: the payload JSON (as [`crate::json::parse_payload`] takes it)
//! arrives in chunks into the device's fixed buffer of `N` bytes. The first
//! chunk has `P1_FIRST`, later ones `P1_NEXT`; the last one has `P2_LAST`.
//! On the last chunk the device parses the payload, shows the
//! [`Review`] to its [`Approver`], and if approved signs it.
//! Every request that is not a `P1_NEXT` chunk of a pending sign ends that
//! sign (its buffer is discarded): state resets on each new request.
//!
//! # Status words
//!
//! | SW | meaning |
//! |---|---|
//! | 0x9000 [`SW_OK`] | done |
//! | 0x6581 [`SW_BAD_FRAME`] | the frame's checksum or length was wrong (sent by the stream reader) |
//! | 0x6700 [`SW_WRONG_LENGTH`] | APDU shorter than 5 bytes, `Lc` not the data length, or data where none is taken |
//! | 0x6985 [`SW_DENIED`] | the user rejected the review |
//! | 0x6986 [`SW_WRONG_STATE`] | a `P1_NEXT` chunk without a pending sign |
//! | 0x6A80 [`SW_INVALID_DATA`] | the payload was refused; data: the reason as UTF-8 text |
//! | 0x6A84 [`SW_TOO_LARGE`] | the payload is larger than the device's buffer |
//! | 0x6B00 [`SW_WRONG_P1P2`] | P1 or P2 not allowed for the command |
//! | 0x6D00 [`SW_INS_NOT_SUPPORTED`] | unknown INS |
//! | 0x6E00 [`SW_CLA_NOT_SUPPORTED`] | CLA is not [`CLA`] |
//! | 0x6F00 [`SW_SIGNING_FAILED`] | signing failed (recovery id 2 or 3) |
//! | 0x6F01 [`SW_RESPONSE_TOO_SMALL`] | the response buffer cannot hold the answer |

use crate::key::SigningKey;

use crate::address::Address;
use crate::encode::tx_hash;
use crate::error::Error;
use crate::json::parse_payload;
use crate::review::{Review, SliceWriter};
use crate::signature::{sign, Signature};

/// Version of this protocol, the first byte of [`INS_GET_VERSION`]'s answer.
pub const PROTOCOL_VERSION: u8 = 1;

/// The class byte of every command.
pub const CLA: u8 = 0xE1;
/// Get the protocol and core version.
pub const INS_GET_VERSION: u8 = 0x01;
/// Get the device's address.
pub const INS_GET_ADDRESS: u8 = 0x02;
/// Send a chunk of an issue payload; sign it on the last chunk.
pub const INS_SIGN_ISSUE: u8 = 0x03;
/// First of the INS values left to the firmware.
pub const INS_FIRMWARE_FIRST: u8 = 0x10;
/// Last of the INS values left to the firmware.
pub const INS_FIRMWARE_LAST: u8 = 0x1F;

/// P1 of the first chunk of a sign request.
pub const P1_FIRST: u8 = 0x00;
/// P1 of every later chunk.
pub const P1_NEXT: u8 = 0x01;
/// P2 of a chunk that more chunks follow.
pub const P2_MORE: u8 = 0x00;
/// P2 of the last chunk.
pub const P2_LAST: u8 = 0x01;

/// Done.
pub const SW_OK: u16 = 0x9000;
/// The frame's checksum or length was wrong.
pub const SW_BAD_FRAME: u16 = 0x6581;
/// The APDU is shorter than its header, or `Lc` does not match its data.
pub const SW_WRONG_LENGTH: u16 = 0x6700;
/// The user rejected the review.
pub const SW_DENIED: u16 = 0x6985;
/// A continuation chunk arrived with no sign pending.
pub const SW_WRONG_STATE: u16 = 0x6986;
/// The payload was refused (parse or validation error); the response data
/// holds the reason as UTF-8 text.
pub const SW_INVALID_DATA: u16 = 0x6A80;
/// The payload does not fit the device's buffer.
pub const SW_TOO_LARGE: u16 = 0x6A84;
/// P1 or P2 is not allowed for this command.
pub const SW_WRONG_P1P2: u16 = 0x6B00;
/// Unknown instruction.
pub const SW_INS_NOT_SUPPORTED: u16 = 0x6D00;
/// Unknown class.
pub const SW_CLA_NOT_SUPPORTED: u16 = 0x6E00;
/// Signing failed.
pub const SW_SIGNING_FAILED: u16 = 0x6F00;
/// The response buffer given to [`Device::handle`] is too small.
pub const SW_RESPONSE_TOO_SMALL: u16 = 0x6F01;

/// Length of a command header (`CLA INS P1 P2 Lc`).
pub const APDU_HEADER_LEN: usize = 5;
/// Longest command APDU.
pub const MAX_COMMAND_LEN: usize = APDU_HEADER_LEN + 255;
/// Length of a signature answer: `v r s` and the transaction hash.
pub const SIGN_RESPONSE_LEN: usize = 1 + 32 + 32 + 32;
/// A response buffer of this size holds every answer of the core.
pub const MAX_RESPONSE_LEN: usize = 256 + 2;

/// First byte of every frame.
pub const FRAME_SYNC: u8 = 0xA5;
/// Frame kind: a command APDU (host to device).
pub const FRAME_REQUEST: u8 = 0x01;
/// Frame kind: a response APDU (device to host).
pub const FRAME_RESPONSE: u8 = 0x02;
/// Frame kind: a review page as shown (device to host).
pub const FRAME_DISPLAY: u8 = 0x03;
/// Largest frame payload.
pub const MAX_FRAME_PAYLOAD: usize = 512;
/// Bytes a frame adds around its payload (sync, kind, length, checksum).
pub const FRAME_OVERHEAD: usize = 6;

/// The status words' meaning in words, for error messages.
pub const fn status_text(sw: u16) -> &'static str {
    match sw {
        SW_OK => "ok",
        SW_BAD_FRAME => "bad frame (checksum or length)",
        SW_WRONG_LENGTH => "wrong length",
        SW_DENIED => "rejected by the user",
        SW_WRONG_STATE => "wrong state (no sign request pending)",
        SW_INVALID_DATA => "payload refused",
        SW_TOO_LARGE => "payload too large for the device",
        SW_WRONG_P1P2 => "wrong P1/P2",
        SW_INS_NOT_SUPPORTED => "instruction not supported",
        SW_CLA_NOT_SUPPORTED => "class not supported",
        SW_SIGNING_FAILED => "signing failed",
        SW_RESPONSE_TOO_SMALL => "response buffer too small",
        _ => "unknown status",
    }
}

/// CRC-16/CCITT-FALSE, continued from `crc` (start with 0xFFFF).
pub fn crc16(mut crc: u16, data: &[u8]) -> u16 {
    for &byte in data {
        crc ^= u16::from(byte) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// Writes one frame of `kind` around `payload` into `out`; returns its
/// length (`payload.len() + FRAME_OVERHEAD`). [`Error::BufferTooSmall`]
/// if `out` is too small or `payload` is longer than [`MAX_FRAME_PAYLOAD`].
pub fn encode_frame(kind: u8, payload: &[u8], out: &mut [u8]) -> Result<usize, Error> {
    if payload.len() > MAX_FRAME_PAYLOAD {
        return Err(Error::BufferTooSmall);
    }
    let total = payload.len() + FRAME_OVERHEAD;
    let frame = out.get_mut(..total).ok_or(Error::BufferTooSmall)?;
    let [len_hi, len_lo] = u16::try_from(payload.len())
        .map_err(|_| Error::BufferTooSmall)?
        .to_be_bytes();
    let (head, rest) = frame.split_at_mut(4);
    head.copy_from_slice(&[FRAME_SYNC, kind, len_hi, len_lo]);
    let (body, tail) = rest.split_at_mut(payload.len());
    body.copy_from_slice(payload);
    let crc = crc16(crc16(0xFFFF, &[kind, len_hi, len_lo]), payload);
    tail.copy_from_slice(&crc.to_be_bytes());
    Ok(total)
}

/// What one byte did to a [`FrameDecoder`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoded {
    /// No complete frame yet.
    Pending,
    /// A frame of this kind is complete; its payload is
    /// [`FrameDecoder::payload`] until the next byte is pushed.
    Frame(u8),
    /// A frame was dropped: bad checksum, or longer than the decoder holds.
    Dropped,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Sync,
    Kind,
    LenHi,
    LenLo,
    Payload,
    CrcHi,
    CrcLo,
}

/// Reassembles frames from a byte stream, one byte at a time, into a
/// buffer of `N` payload bytes (at most [`MAX_FRAME_PAYLOAD`] are used).
#[derive(Clone, Debug)]
pub struct FrameDecoder<const N: usize> {
    stage: Stage,
    kind: u8,
    len: usize,
    filled: usize,
    crc: [u8; 2],
    buf: [u8; N],
}

impl<const N: usize> Default for FrameDecoder<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> FrameDecoder<N> {
    /// An empty decoder, waiting for [`FRAME_SYNC`].
    pub const fn new() -> Self {
        FrameDecoder {
            stage: Stage::Sync,
            kind: 0,
            len: 0,
            filled: 0,
            crc: [0; 2],
            buf: [0; N],
        }
    }

    /// The payload of the frame that [`Decoded::Frame`] announced.
    pub fn payload(&self) -> &[u8] {
        self.buf.get(..self.filled).unwrap_or(&[])
    }

    /// Takes one byte of the stream.
    pub fn push(&mut self, byte: u8) -> Decoded {
        match self.stage {
            Stage::Sync => {
                if byte == FRAME_SYNC {
                    self.stage = Stage::Kind;
                }
                self.filled = 0;
            }
            Stage::Kind => {
                self.kind = byte;
                self.stage = Stage::LenHi;
            }
            Stage::LenHi => {
                self.len = usize::from(byte) << 8;
                self.stage = Stage::LenLo;
            }
            Stage::LenLo => {
                self.len |= usize::from(byte);
                if self.len > N.min(MAX_FRAME_PAYLOAD) {
                    self.stage = Stage::Sync;
                    return Decoded::Dropped;
                }
                self.stage = if self.len == 0 {
                    Stage::CrcHi
                } else {
                    Stage::Payload
                };
            }
            Stage::Payload => {
                if let Some(slot) = self.buf.get_mut(self.filled) {
                    *slot = byte;
                }
                self.filled = self.filled.saturating_add(1);
                if self.filled >= self.len {
                    self.stage = Stage::CrcHi;
                }
            }
            Stage::CrcHi => {
                self.crc[0] = byte;
                self.stage = Stage::CrcLo;
            }
            Stage::CrcLo => {
                self.crc[1] = byte;
                self.stage = Stage::Sync;
                let [len_hi, len_lo] = u16::try_from(self.len).unwrap_or(0).to_be_bytes();
                let crc = crc16(crc16(0xFFFF, &[self.kind, len_hi, len_lo]), self.payload());
                if crc.to_be_bytes() != self.crc {
                    self.filled = 0;
                    return Decoded::Dropped;
                }
                return Decoded::Frame(self.kind);
            }
        }
        Decoded::Pending
    }
}

/// The user's decision on a review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Approval {
    /// Sign.
    Approve,
    /// Do not sign; the host gets [`SW_DENIED`].
    Reject,
}

/// Shows a review to the user and returns the decision. The firmware
/// implements it (screen and buttons); tests approve automatically.
pub trait Approver {
    /// Shows `review` (usually as [`Review::pages`]) and asks for approval.
    fn approve(&mut self, review: &Review<'_>) -> Approval;
}

impl<A: Approver + ?Sized> Approver for &mut A {
    fn approve(&mut self, review: &Review<'_>) -> Approval {
        (**self).approve(review)
    }
}

/// Where a device is in the protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Waiting for a command.
    Idle,
    /// A sign request is being received: this many payload bytes so far.
    Receiving(usize),
}

/// The device's side of the protocol: a state machine over command APDUs,
/// with a signing key, an [`Approver`] and a payload buffer of `N` bytes.
///
/// [`Device::handle`] takes any bytes and never panics.
pub struct Device<A, const N: usize> {
    key: SigningKey,
    address: Address,
    approver: A,
    state: State,
    buffer: [u8; N],
}

impl<A, const N: usize> core::fmt::Debug for Device<A, N> {
    /// Shows the address and state, never the key.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Device")
            .field("address", &self.address)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

/// A response being written: data, then the status word.
struct Response<'b> {
    out: &'b mut [u8],
    len: usize,
}

impl Response<'_> {
    /// Appends data; false if it does not fit beside the status word.
    fn push(&mut self, data: &[u8]) -> bool {
        let end = self.len.saturating_add(data.len());
        let room = self.out.len().saturating_sub(2);
        match self.out.get_mut(self.len..end) {
            Some(dst) if end <= room => {
                dst.copy_from_slice(data);
                self.len = end;
                true
            }
            _ => false,
        }
    }

    /// Writes the status word after the data; returns the whole length.
    fn finish(self, sw: u16) -> usize {
        let end = self.len.saturating_add(2);
        match self.out.get_mut(self.len..end) {
            Some(dst) => {
                dst.copy_from_slice(&sw.to_be_bytes());
                end
            }
            None => 0,
        }
    }
}

impl<A: Approver, const N: usize> Device<A, N> {
    /// A device with `key`, asking `approver` before each signature.
    pub fn new(key: SigningKey, approver: A) -> Self {
        let address = key.address();
        Device {
            key,
            address,
            approver,
            state: State::Idle,
            buffer: [0; N],
        }
    }

    /// The device's address.
    pub fn address(&self) -> Address {
        self.address
    }

    /// The protocol state.
    pub fn state(&self) -> State {
        self.state
    }

    /// The approver.
    pub fn approver(&self) -> &A {
        &self.approver
    }

    /// The approver, mutably.
    pub fn approver_mut(&mut self) -> &mut A {
        &mut self.approver
    }

    /// Handles one command APDU and writes the response APDU (data, then
    /// the two status bytes) into `response`; returns its length. A
    /// response buffer of [`MAX_RESPONSE_LEN`] bytes always suffices; one
    /// too small for the answer gets [`SW_RESPONSE_TOO_SMALL`], one shorter
    /// than 2 bytes gets nothing (0). Never panics.
    pub fn handle(&mut self, request: &[u8], response: &mut [u8]) -> usize {
        let mut out = Response {
            out: response,
            len: 0,
        };
        // Every request except a continuation chunk ends a pending sign.
        let pending = core::mem::replace(&mut self.state, State::Idle);
        let sw = self.dispatch(request, pending, &mut out);
        if sw != SW_OK && sw != SW_INVALID_DATA {
            out.len = 0;
        }
        out.finish(sw)
    }

    fn dispatch(&mut self, request: &[u8], pending: State, out: &mut Response<'_>) -> u16 {
        let Some((header, data)) = request.split_first_chunk::<APDU_HEADER_LEN>() else {
            return SW_WRONG_LENGTH;
        };
        let [cla, ins, p1, p2, lc] = *header;
        if cla != CLA {
            return SW_CLA_NOT_SUPPORTED;
        }
        if usize::from(lc) != data.len() {
            return SW_WRONG_LENGTH;
        }
        match ins {
            INS_GET_VERSION | INS_GET_ADDRESS => {
                if (p1, p2) != (0, 0) {
                    return SW_WRONG_P1P2;
                }
                if !data.is_empty() {
                    return SW_WRONG_LENGTH;
                }
                let ok = if ins == INS_GET_VERSION {
                    out.push(&[PROTOCOL_VERSION]) && out.push(env!("CARGO_PKG_VERSION").as_bytes())
                } else {
                    out.push(self.address.as_bytes())
                };
                if ok {
                    SW_OK
                } else {
                    SW_RESPONSE_TOO_SMALL
                }
            }
            INS_SIGN_ISSUE => self.sign_chunk(p1, p2, data, pending, out),
            _ => SW_INS_NOT_SUPPORTED,
        }
    }

    fn sign_chunk(
        &mut self,
        p1: u8,
        p2: u8,
        data: &[u8],
        pending: State,
        out: &mut Response<'_>,
    ) -> u16 {
        let last = match p2 {
            P2_MORE => false,
            P2_LAST => true,
            _ => return SW_WRONG_P1P2,
        };
        let filled = match (p1, pending) {
            (P1_FIRST, _) => 0,
            (P1_NEXT, State::Receiving(filled)) => filled,
            (P1_NEXT, State::Idle) => return SW_WRONG_STATE,
            _ => return SW_WRONG_P1P2,
        };
        let end = filled.saturating_add(data.len());
        let Some(dst) = self.buffer.get_mut(filled..end) else {
            return SW_TOO_LARGE;
        };
        dst.copy_from_slice(data);
        if !last {
            self.state = State::Receiving(end);
            return SW_OK;
        }
        let input = self.buffer.get(..end).unwrap_or(&[]);
        let payload = match parse_payload(input) {
            Ok(payload) => payload,
            Err(e) => {
                write_reason(&e, out);
                return SW_INVALID_DATA;
            }
        };
        let review = Review::new(&payload);
        if self.approver.approve(&review) != Approval::Approve {
            return SW_DENIED;
        }
        let Ok(sig) = sign(&payload, &self.key) else {
            return SW_SIGNING_FAILED;
        };
        let ok = out.push(&sign_response(&sig, &tx_hash(&payload, &sig)));
        if ok {
            SW_OK
        } else {
            SW_RESPONSE_TOO_SMALL
        }
    }
}

/// `v r s tx_hash`, the data of a successful sign.
fn sign_response(sig: &Signature, tx: &[u8; 32]) -> [u8; SIGN_RESPONSE_LEN] {
    let mut data = [0u8; SIGN_RESPONSE_LEN];
    let (v, rest) = data.split_at_mut(1);
    let (r, rest) = rest.split_at_mut(32);
    let (s, hash) = rest.split_at_mut(32);
    v.copy_from_slice(&[sig.v]);
    r.copy_from_slice(&sig.r);
    s.copy_from_slice(&sig.s);
    hash.copy_from_slice(tx);
    data
}

/// Writes the error's text, as much as fits.
fn write_reason(e: &Error, out: &mut Response<'_>) {
    let mut text = [0u8; 160];
    let mut w = SliceWriter::new(&mut text);
    // A reason longer than the buffer is cut at a char boundary below.
    let _ = core::fmt::write(&mut w, format_args!("{e}"));
    let len = w.len();
    let room = out.out.len().saturating_sub(2).saturating_sub(out.len);
    let mut take = len.min(room);
    let bytes = text.get(..len).unwrap_or(&[]);
    while take > 0 && core::str::from_utf8(bytes.get(..take).unwrap_or(&[])).is_err() {
        take -= 1;
    }
    out.push(bytes.get(..take).unwrap_or(&[]));
}

/// Splits a sign response's data into the signature and the transaction
/// hash; `None` unless it is exactly [`SIGN_RESPONSE_LEN`] bytes.
pub fn parse_sign_response(data: &[u8]) -> Option<(Signature, [u8; 32])> {
    let data: &[u8; SIGN_RESPONSE_LEN] = data.try_into().ok()?;
    let (v, rest) = data.split_first()?;
    let (r, rest) = rest.split_first_chunk::<32>()?;
    let (s, hash) = rest.split_first_chunk::<32>()?;
    Some((
        Signature {
            r: *r,
            s: *s,
            v: *v,
        },
        hash.try_into().ok()?,
    ))
}

/// Splits a response APDU into its data and status word; `None` if it is
/// shorter than 2 bytes.
pub fn split_response(response: &[u8]) -> Option<(&[u8], u16)> {
    let (data, sw) = response.split_last_chunk::<2>()?;
    Some((data, u16::from_be_bytes(*sw)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{write_payload, MAX_PAYLOAD_JSON_LEN};
    use crate::payload::TokenIssuePayload;
    use crate::review::{tests::any_payload, Page, DEFAULT_PAGE_WIDTH};
    use crate::signature::{signing_key_from_bytes, verify};
    use proptest::prelude::*;
    use std::string::{String, ToString};
    use std::vec::Vec;

    const KEY: [u8; 32] = [
        0x01, 0x83, 0x3a, 0x12, 0x6e, 0xc4, 0x5d, 0x01, 0x91, 0x51, 0x97, 0x48, 0x14, 0x6b, 0x9e,
        0x35, 0x64, 0x7a, 0xab, 0x7f, 0xed, 0x28, 0xde, 0x1c, 0x8e, 0x17, 0x82, 0x49, 0x70, 0xf9,
        0x64, 0xa3,
    ];
    const VECTOR: &[u8] = br#"{"chain_id":1212101,"nonce":2,"symbol":"TEST","name":"TEST Stablecoin","decimals":18,"master_authority":"0x0000000000000000000000000000000000000000","is_private":false,"clawback_enabled":true}"#;

    #[derive(Default)]
    struct Recorder {
        pages: Vec<String>,
        reject: bool,
    }

    impl Approver for Recorder {
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

    type TestDevice = Device<Recorder, 1024>;

    fn device() -> TestDevice {
        Device::new(signing_key_from_bytes(&KEY).unwrap(), Recorder::default())
    }

    fn cmd(ins: u8, p1: u8, p2: u8, data: &[u8]) -> Vec<u8> {
        let mut buf = [0u8; MAX_COMMAND_LEN];
        let n = encode_command(ins, p1, p2, data, &mut buf).unwrap();
        buf[..n].to_vec()
    }

    fn run(d: &mut TestDevice, apdu: &[u8]) -> (Vec<u8>, u16) {
        let mut resp = [0u8; MAX_RESPONSE_LEN];
        let n = d.handle(apdu, &mut resp);
        let (data, sw) = split_response(&resp[..n]).unwrap();
        (data.to_vec(), sw)
    }

    /// Sends `json` in chunks of `chunk` bytes.
    fn sign_json(d: &mut TestDevice, json: &[u8], chunk: usize) -> (Vec<u8>, u16) {
        let chunks: Vec<&[u8]> = json.chunks(chunk.max(1)).collect();
        let count = chunks.len().max(1);
        let mut last = (Vec::new(), 0);
        for i in 0..count {
            let part = chunks.get(i).copied().unwrap_or(&[]);
            let p1 = if i == 0 { P1_FIRST } else { P1_NEXT };
            let p2 = if i + 1 == count { P2_LAST } else { P2_MORE };
            last = run(d, &cmd(INS_SIGN_ISSUE, p1, p2, part));
            if i + 1 < count {
                assert_eq!(last.1, SW_OK, "chunk {i}");
            }
        }
        last
    }

    #[test]
    fn version_and_address() {
        let mut d = device();
        let (data, sw) = run(&mut d, &cmd(INS_GET_VERSION, 0, 0, &[]));
        assert_eq!(sw, SW_OK);
        assert_eq!(data[0], PROTOCOL_VERSION);
        assert_eq!(&data[1..], env!("CARGO_PKG_VERSION").as_bytes());
        let (data, sw) = run(&mut d, &cmd(INS_GET_ADDRESS, 0, 0, &[]));
        assert_eq!(sw, SW_OK);
        assert_eq!(
            Address(data.try_into().unwrap()).to_string(),
            "0x2045a425D0e131E747f8be2F044413733e412d7d"
        );
        assert_eq!(
            run(&mut d, &cmd(INS_GET_ADDRESS, 1, 0, &[])).1,
            SW_WRONG_P1P2
        );
        assert_eq!(
            run(&mut d, &cmd(INS_GET_VERSION, 0, 0, &[1])).1,
            SW_WRONG_LENGTH
        );
    }

    #[test]
    fn signs_the_spec_vector_in_any_chunking() {
        for chunk in [1, 7, 64, 255] {
            let mut d = device();
            let (data, sw) = sign_json(&mut d, VECTOR, chunk);
            assert_eq!(sw, SW_OK);
            let (sig, tx) = parse_sign_response(&data).unwrap();
            assert_eq!(
                hex::encode(sig.r),
                "db4741c7f2ce4a2d78e790331075284efaeee0b217e9c9ccf334d3014d98b7bb"
            );
            assert_eq!(
                hex::encode(sig.s),
                "6ba551adfd0b9d7236298ae267575255e0b54b0d569dc9824d1445d2c546dc9e"
            );
            assert_eq!(sig.v, 1);
            let p = parse_payload(VECTOR).unwrap();
            assert_eq!(tx, tx_hash(&p, &sig));
            let expected: Vec<String> = Review::new(&p)
                .pages(DEFAULT_PAGE_WIDTH)
                .map(|p| p.to_string())
                .collect();
            assert_eq!(d.approver().pages, expected);
            assert_eq!(d.state(), State::Idle);
        }
    }

    #[test]
    fn every_failure_has_its_status() {
        let mut d = device();
        assert_eq!(run(&mut d, &[]).1, SW_WRONG_LENGTH);
        assert_eq!(run(&mut d, &[CLA, 1, 0, 0]).1, SW_WRONG_LENGTH);
        assert_eq!(run(&mut d, &[CLA, 1, 0, 0, 1]).1, SW_WRONG_LENGTH);
        assert_eq!(run(&mut d, &[0, 1, 0, 0, 0]).1, SW_CLA_NOT_SUPPORTED);
        assert_eq!(run(&mut d, &cmd(0x7f, 0, 0, &[])).1, SW_INS_NOT_SUPPORTED);
        assert_eq!(run(&mut d, &cmd(0x10, 0, 0, &[])).1, SW_INS_NOT_SUPPORTED);
        assert_eq!(
            run(&mut d, &cmd(INS_SIGN_ISSUE, P1_NEXT, P2_LAST, b"{}")).1,
            SW_WRONG_STATE
        );
        assert_eq!(
            run(&mut d, &cmd(INS_SIGN_ISSUE, 2, P2_LAST, b"{}")).1,
            SW_WRONG_P1P2
        );
        assert_eq!(
            run(&mut d, &cmd(INS_SIGN_ISSUE, P1_FIRST, 2, b"{}")).1,
            SW_WRONG_P1P2
        );
        let (reason, sw) = run(&mut d, &cmd(INS_SIGN_ISSUE, P1_FIRST, P2_LAST, b"{}"));
        assert_eq!(sw, SW_INVALID_DATA);
        assert_eq!(
            core::str::from_utf8(&reason).unwrap(),
            "invalid JSON: missing field `chain_id`"
        );
        // Rejected by the user.
        d.approver_mut().reject = true;
        assert_eq!(sign_json(&mut d, VECTOR, 100).1, SW_DENIED);
        assert_eq!(d.approver().pages.len(), 14);
        d.approver_mut().reject = false;
        // Too large: the buffer is 1024 bytes.
        let big = [b' '; 255];
        let first = run(&mut d, &cmd(INS_SIGN_ISSUE, P1_FIRST, P2_MORE, &big));
        assert_eq!(first.1, SW_OK);
        for _ in 0..3 {
            assert_eq!(
                run(&mut d, &cmd(INS_SIGN_ISSUE, P1_NEXT, P2_MORE, &big)).1,
                SW_OK
            );
        }
        assert_eq!(d.state(), State::Receiving(1020));
        assert_eq!(
            run(&mut d, &cmd(INS_SIGN_ISSUE, P1_NEXT, P2_MORE, &big)).1,
            SW_TOO_LARGE
        );
        assert_eq!(d.state(), State::Idle);
        assert_eq!(
            run(&mut d, &cmd(INS_SIGN_ISSUE, P1_NEXT, P2_LAST, b"")).1,
            SW_WRONG_STATE
        );
        // A new request ends a pending sign.
        run(
            &mut d,
            &cmd(INS_SIGN_ISSUE, P1_FIRST, P2_MORE, &VECTOR[..10]),
        );
        run(&mut d, &cmd(INS_GET_ADDRESS, 0, 0, &[]));
        assert_eq!(
            run(
                &mut d,
                &cmd(INS_SIGN_ISSUE, P1_NEXT, P2_LAST, &VECTOR[10..])
            )
            .1,
            SW_WRONG_STATE
        );
        // A first chunk restarts.
        run(&mut d, &cmd(INS_SIGN_ISSUE, P1_FIRST, P2_MORE, b"garbage"));
        assert_eq!(sign_json(&mut d, VECTOR, 50).1, SW_OK);
        // Small response buffers.
        let mut tiny = [0u8; 1];
        assert_eq!(d.handle(&cmd(INS_GET_VERSION, 0, 0, &[]), &mut tiny), 0);
        let mut two = [0u8; 2];
        assert_eq!(d.handle(&cmd(INS_GET_ADDRESS, 0, 0, &[]), &mut two), 2);
        assert_eq!(u16::from_be_bytes(two), SW_RESPONSE_TOO_SMALL);
        let mut small = [0u8; 20];
        let n = d.handle(&cmd(INS_SIGN_ISSUE, 0, 1, b"{"), &mut small);
        let (reason, sw) = split_response(&small[..n]).unwrap();
        assert_eq!(sw, SW_INVALID_DATA);
        assert!(core::str::from_utf8(reason).is_ok());
    }

    #[test]
    fn frames_round_trip_and_resync() {
        let mut out = [0u8; 600];
        let mut stream = Vec::new();
        stream.extend_from_slice(b"noise");
        let n = encode_frame(FRAME_REQUEST, b"hello", &mut out).unwrap();
        stream.extend_from_slice(&out[..n]);
        // A corrupted frame, then an empty one, then a maximal one.
        let mut bad = out[..n].to_vec();
        bad[5] ^= 1;
        stream.extend_from_slice(&bad);
        let n = encode_frame(FRAME_DISPLAY, b"", &mut out).unwrap();
        stream.extend_from_slice(&out[..n]);
        let big = [7u8; MAX_FRAME_PAYLOAD];
        let n = encode_frame(FRAME_RESPONSE, &big, &mut out).unwrap();
        stream.extend_from_slice(&out[..n]);
        let mut dec = FrameDecoder::<MAX_FRAME_PAYLOAD>::new();
        let mut got = Vec::new();
        let mut dropped = 0;
        for b in stream {
            match dec.push(b) {
                Decoded::Frame(kind) => got.push((kind, dec.payload().to_vec())),
                Decoded::Dropped => dropped += 1,
                Decoded::Pending => {}
            }
        }
        assert_eq!(dropped, 1);
        assert_eq!(got[0], (FRAME_REQUEST, b"hello".to_vec()));
        assert!(got.contains(&(FRAME_DISPLAY, Vec::new())));
        assert!(got.contains(&(FRAME_RESPONSE, big.to_vec())));
        assert_eq!(
            encode_frame(1, &[0; MAX_FRAME_PAYLOAD + 1], &mut [0; 1024]),
            Err(Error::BufferTooSmall)
        );
        assert_eq!(
            encode_frame(1, b"abc", &mut [0; 8]),
            Err(Error::BufferTooSmall)
        );
        // Known CRC-16/CCITT-FALSE check value.
        assert_eq!(crc16(0xFFFF, b"123456789"), 0x29B1);
        // A small decoder drops frames it cannot hold.
        let mut small = FrameDecoder::<4>::new();
        let n = encode_frame(FRAME_REQUEST, b"hello", &mut out).unwrap();
        let events: Vec<_> = out[..n].iter().map(|b| small.push(*b)).collect();
        assert!(events.contains(&Decoded::Dropped));
    }

    #[test]
    fn review_pages_hold_what_is_signed() {
        let mut d = device();
        let p = parse_payload(VECTOR).unwrap();
        let mut json = [0u8; MAX_PAYLOAD_JSON_LEN];
        let n = write_payload(&p, &mut json).unwrap();
        let (data, sw) = sign_json(&mut d, &json[..n], 255);
        assert_eq!(sw, SW_OK);
        let (sig, _) = parse_sign_response(&data).unwrap();
        verify(&p, &sig, &d.address()).unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn handle_never_panics(requests in proptest::collection::vec(
            proptest::collection::vec(any::<u8>(), 0..300), 0..8),
            size in 0usize..300,
        ) {
            let mut d: Device<Recorder, 64> =
                Device::new(signing_key_from_bytes(&KEY).unwrap(), Recorder::default());
            let mut resp = vec![0u8; size];
            for mut r in requests {
                if r.len() > 1 { r[0] = CLA; }
                let n = d.handle(&r, &mut resp);
                prop_assert!(n <= resp.len());
                if size >= 2 { prop_assert!(n >= 2); }
            }
        }

        #[test]
        fn decoder_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let mut dec = FrameDecoder::<64>::new();
            for b in bytes {
                if let Decoded::Frame(_) = dec.push(b) {
                    prop_assert!(dec.payload().len() <= 64);
                }
            }
        }

        #[test]
        fn random_payloads_sign_and_review(p in any_payload(), chunk in 1usize..256) {
            let mut d = device();
            let mut json = [0u8; MAX_PAYLOAD_JSON_LEN];
            let n = write_payload(&p, &mut json).unwrap();
            let (data, sw) = sign_json(&mut d, &json[..n], chunk);
            prop_assert_eq!(sw, SW_OK);
            let (sig, tx) = parse_sign_response(&data).unwrap();
            verify(&p, &sig, &d.address()).unwrap();
            prop_assert_eq!(tx, tx_hash(&p, &sig));
            let expected: Vec<String> = Review::new(&p)
                .pages(DEFAULT_PAGE_WIDTH).map(|pg: Page<'_>| pg.to_string()).collect();
            prop_assert_eq!(&d.approver().pages, &expected);
            let _: &TokenIssuePayload = &p;
        }
    }
}
