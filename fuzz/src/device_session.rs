//! The input format of the `device_protocol` target: a device session as
//! bytes, read into steps ([`parse_session`]) and written back from steps
//! ([`encode_session`], for the seeds).

use tokensign_core::device::MAX_RESPONSE_LEN;
use tokensign_core::legacy;
use tokensign_core::native;
use tokensign_core::rlp::encode::to_slice;
use tokensign_core::Transaction;

use crate::device_model::{request_header, RequestParts};
use crate::roundtrip::RoundTripInput;

/// Most steps in one input. Each step may sign, and every signature's
/// review is checked at the user's width, so a session's time grows with
/// its steps: 16 keep the target above 1,000 sessions a second (48 gave
/// about 450; docs/fuzzing.md), while the device's state between commands
/// (a request being received, the key of the last path, the user's
/// decisions and width) needs only a few steps to reach each of its
/// states.
pub const MAX_STEPS: usize = 16;

/// One step of a device session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Any bytes as a command APDU.
    Raw { response: usize, apdu: Vec<u8> },
    /// A command with a correct `Lc` (and, unless `cla_ok` is false, the
    /// right CLA) around any data.
    Command {
        response: usize,
        cla_ok: bool,
        ins: u8,
        p1: u8,
        p2: u8,
        data: Vec<u8>,
    },
    /// A sign request sent as the protocol intends, in chunks of `chunk`.
    Sign {
        response: usize,
        chunk: usize,
        request: Vec<u8>,
    },
    /// Bytes through a frame decoder; each request frame is handled.
    Stream { bytes: Vec<u8> },
    /// The user's next decisions and the screen width.
    User { approve: bool, width: usize },
}

/// A session: whether the device holds a seed, and its steps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// A device without a seed (every key request is `NotProvisioned`).
    pub no_seed: bool,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// A byte reader that reads zeros past the end.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let (head, rest) = self.0.split_at(n.min(self.0.len()));
        self.0 = rest;
        head.to_vec()
    }
}

fn response_len(code: u8) -> usize {
    if code == 0 {
        MAX_RESPONSE_LEN
    } else {
        usize::from(code)
    }
}

fn response_code(len: usize) -> u8 {
    if len == MAX_RESPONSE_LEN {
        0
    } else {
        u8::try_from(len).expect("response length 1..=255 or MAX_RESPONSE_LEN")
    }
}

/// The sign request of a TokenIssue built from round-trip fields (the
/// fields' bytes as [`RoundTripInput`] reads them), in v1 or v2, for the
/// key of account 0; `None` if the fields are not a valid issue.
pub fn issue_request(fields: &[u8], native: bool) -> Option<Vec<u8>> {
    let tx: Transaction = RoundTripInput::from_bytes(fields).transaction().ok()?;
    let mut payload = vec![0u8; Transaction::<256, 32>::MAX_PAYLOAD_WITH_MEMO_RLP_LEN];
    let n = if native {
        to_slice(&native::payload_rlp(&tx), &mut payload).ok()?
    } else {
        legacy::encode_signed_value(&tx, &mut payload).ok()?
    };
    payload.truncate(n);
    let parts = RequestParts {
        scheme: if native { 2 } else { 1 },
        op: tx.op_type().number(),
        account: None,
        path_index: 0,
    };
    let mut request = request_header(&parts);
    request.extend_from_slice(&payload);
    Some(request)
}

/// Reads a session from fuzz bytes. The first byte's bit 0 says the device
/// holds no seed; then each step is an opcode byte (taken modulo 8) and its
/// operands. A response size byte of 0 means `MAX_RESPONSE_LEN`, else that
/// many bytes; a path index `i` is m/44'/60'/0'/0/i:
///
/// | op | step | operands |
/// | --- | --- | --- |
/// | 0 | Raw | size, n, n bytes |
/// | 1 | Command | size, cla_ok (bit 0 clear), ins, p1, p2, n, n bytes |
/// | 2 | Command: GET_ADDRESS (flags bit 0 clear) or GET_PUBLIC_KEY, P1 = flags bit 1, the path of index `i` (flags bit 2 clear) or n raw path bytes | size, flags, i or n and n bytes |
/// | 3 | Sign: a request made of its parts | size, chunk, scheme, op, multisig (bit 0) [+ 20-byte account], path index, n (u16 LE), n bytes of RLP |
/// | 4 | Sign: any request bytes | size, chunk, n (u16 LE), n bytes |
/// | 5 | Stream | n (u16 LE), n bytes |
/// | 6 | User | approve (bit 0), width |
/// | 7 | Sign: a TokenIssue from round-trip fields, v2 if bit 0 | size, chunk, v2, n (u16 LE), n bytes of fields |
pub fn parse_session(data: &[u8]) -> Session {
    let mut r = Reader(data);
    let no_seed = r.u8() & 1 == 1;
    let mut steps = Vec::new();
    while !r.0.is_empty() && steps.len() < MAX_STEPS {
        let step = match r.u8() % 8 {
            0 => {
                let response = response_len(r.u8());
                let n = usize::from(r.u8());
                Step::Raw {
                    response,
                    apdu: r.bytes(n),
                }
            }
            1 => {
                let response = response_len(r.u8());
                let cla_ok = r.u8() & 1 == 0;
                let (ins, p1, p2) = (r.u8(), r.u8(), r.u8());
                let n = usize::from(r.u8());
                Step::Command {
                    response,
                    cla_ok,
                    ins,
                    p1,
                    p2,
                    data: r.bytes(n),
                }
            }
            2 => {
                let response = response_len(r.u8());
                let flags = r.u8();
                let ins = if flags & 1 == 0 { 0x02 } else { 0x04 };
                let data = if flags & 4 == 0 {
                    crate::device_model::path_bytes(&[], Some(r.u8()))
                } else {
                    let n = usize::from(r.u8());
                    r.bytes(n)
                };
                Step::Command {
                    response,
                    cla_ok: true,
                    ins,
                    p1: (flags >> 1) & 1,
                    p2: 0,
                    data,
                }
            }
            3 => {
                let response = response_len(r.u8());
                let chunk = usize::from(r.u8());
                let (scheme, op) = (r.u8(), r.u8());
                let account = (r.u8() & 1 == 1).then(|| r.bytes(20));
                let path_index = r.u8();
                let n = usize::from(r.u16());
                let parts = RequestParts {
                    scheme,
                    op,
                    account,
                    path_index,
                };
                let mut request = request_header(&parts);
                request.extend(r.bytes(n));
                Step::Sign {
                    response,
                    chunk,
                    request,
                }
            }
            4 => {
                let response = response_len(r.u8());
                let chunk = usize::from(r.u8());
                let n = usize::from(r.u16());
                Step::Sign {
                    response,
                    chunk,
                    request: r.bytes(n),
                }
            }
            5 => {
                let n = usize::from(r.u16());
                Step::Stream { bytes: r.bytes(n) }
            }
            6 => Step::User {
                approve: r.u8() & 1 == 1,
                width: usize::from(r.u8()),
            },
            _ => {
                let response = response_len(r.u8());
                let chunk = usize::from(r.u8());
                let native = r.u8() & 1 == 1;
                let n = usize::from(r.u16());
                let fields = r.bytes(n);
                Step::Sign {
                    response,
                    chunk,
                    // Not a valid issue: its fields' bytes as the request.
                    request: issue_request(&fields, native).unwrap_or(fields),
                }
            }
        };
        steps.push(step);
    }
    Session { no_seed, steps }
}

/// Bytes that [`parse_session`] reads back as this session. Sign steps
/// are written as request bytes (opcode 4); chunk sizes and widths must
/// fit a byte, a response size must be 1..=255 or `MAX_RESPONSE_LEN`.
pub fn encode_session(session: &Session) -> Vec<u8> {
    let mut out = vec![u8::from(session.no_seed)];
    let byte = |v: usize| u8::try_from(v).expect("fits a byte");
    for step in &session.steps {
        match step {
            Step::Raw { response, apdu } => {
                out.extend([0, response_code(*response), byte(apdu.len())]);
                out.extend(apdu);
            }
            Step::Command {
                response,
                cla_ok,
                ins,
                p1,
                p2,
                data,
            } => {
                out.extend([
                    1,
                    response_code(*response),
                    u8::from(!cla_ok),
                    *ins,
                    *p1,
                    *p2,
                ]);
                out.push(byte(data.len()));
                out.extend(data);
            }
            Step::Sign {
                response,
                chunk,
                request,
            } => {
                out.extend([4, response_code(*response), byte(*chunk)]);
                out.extend(u16::try_from(request.len()).expect("u16").to_le_bytes());
                out.extend(request);
            }
            Step::Stream { bytes } => {
                out.push(5);
                out.extend(u16::try_from(bytes.len()).expect("u16").to_le_bytes());
                out.extend(bytes);
            }
            Step::User { approve, width } => {
                out.extend([6, u8::from(*approve), byte(*width)]);
            }
        }
    }
    out
}
