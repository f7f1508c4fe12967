//! The protocol over a byte stream: frames in, one response frame out per
//! request frame, display frames for what the device shows.

use tokensign_core::device::{
    encode_frame, Decoded, FrameDecoder, Status, FRAME_OVERHEAD, FRAME_REQUEST, FRAME_RESPONSE,
    MAX_COMMAND_LEN, MAX_FRAME_PAYLOAD, MAX_RESPONSE_LEN,
};

/// The board's byte stream to the host (a UART, USB CDC-ACM). Methods take
/// `&self`: the approver sends display frames while the server holds the
/// link too, so a link keeps its state behind its own interior mutability
/// (a critical section, or MMIO registers).
pub trait Link {
    /// The next byte from the host, if one has arrived.
    fn read(&self) -> Option<u8>;

    /// Sends `bytes` to the host, waiting for room as needed.
    fn write(&self, bytes: &[u8]);
}

impl<L: Link + ?Sized> Link for &L {
    fn read(&self) -> Option<u8> {
        (**self).read()
    }
    fn write(&self, bytes: &[u8]) {
        (**self).write(bytes)
    }
}

/// Sends one frame of `kind` around `payload` (cut to the largest payload
/// a frame carries).
#[inline(never)]
pub fn send_frame<L: Link + ?Sized>(link: &L, kind: u8, payload: &[u8]) {
    let mut frame = [0u8; MAX_FRAME_PAYLOAD + FRAME_OVERHEAD];
    let payload = payload.get(..MAX_FRAME_PAYLOAD).unwrap_or(payload);
    if let Ok(n) = encode_frame(kind, payload, &mut frame) {
        link.write(frame.get(..n).unwrap_or(&[]));
    }
}

/// Reassembles request frames and answers each: the stream side of a
/// device. Holds the frame decoder's buffer (put it in a static).
pub struct Server {
    decoder: FrameDecoder<MAX_COMMAND_LEN>,
}

impl Default for Server {
    fn default() -> Self {
        Self::new()
    }
}

impl Server {
    /// A server waiting for its first frame.
    pub const fn new() -> Self {
        Server {
            decoder: FrameDecoder::new(),
        }
    }

    /// Takes every byte the link has now. For each complete request frame,
    /// `handle(request, response)` writes the response APDU into
    /// `response` and returns its length, which goes back as a response
    /// frame; a frame with a bad checksum or length gets
    /// [`Status::BadFrame`]. Returns whether any byte was taken.
    pub fn poll<L, H>(&mut self, link: &L, mut handle: H) -> bool
    where
        L: Link + ?Sized,
        H: FnMut(&[u8], &mut [u8]) -> usize,
    {
        let mut any = false;
        while let Some(byte) = link.read() {
            any = true;
            match self.decoder.push(byte) {
                Decoded::Frame(FRAME_REQUEST) => answer(link, self.decoder.payload(), &mut handle),
                Decoded::Frame(_) | Decoded::Pending => {}
                Decoded::Dropped => {
                    send_frame(link, FRAME_RESPONSE, &Status::BadFrame.word().to_be_bytes())
                }
            }
        }
        any
    }
}

/// Handles one request and sends its response. Not inlined: the response
/// buffer is on the stack only while a request is handled, and the frame
/// buffer of [`send_frame`] only after.
#[inline(never)]
fn answer<L, H>(link: &L, request: &[u8], handle: &mut H)
where
    L: Link + ?Sized,
    H: FnMut(&[u8], &mut [u8]) -> usize,
{
    let mut response = [0u8; MAX_RESPONSE_LEN];
    let n = handle(request, &mut response);
    send_frame(link, FRAME_RESPONSE, response.get(..n).unwrap_or(&[]));
}
