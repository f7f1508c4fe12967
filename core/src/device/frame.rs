//! Frames on the byte stream: `0xA5 | kind | len_hi len_lo | payload |
//! crc_hi crc_lo`, CRC-16/CCITT-FALSE over kind, length and payload.

use crate::error::Error;

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
