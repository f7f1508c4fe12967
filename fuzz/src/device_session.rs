//! The input of the `device_protocol` targets: a device session derived
//! with `arbitrary` ([`Session`]), and the writer of its bytes
//! ([`Session::to_bytes`], for the seeds).

use arbitrary::Arbitrary;
use tokensign_core::device::{encode_command, MAX_RESPONSE_LEN};
use tokensign_core::legacy;
use tokensign_core::native;
use tokensign_core::rlp::encode::to_slice;
use tokensign_core::Transaction;

use crate::arbitrary_bytes::{self, Long, Short, Writer};
use crate::device_model::{path_bytes, request_header, RequestParts};
use crate::roundtrip::RoundTripInput;

/// Most steps run in one input. Each step may sign, and every signature's
/// review is checked at the user's width, so a session's time grows with
/// its steps: 16 keep the target above 1,000 sessions a second (48 gave
/// about 450; docs/fuzzing.md), while the device's state between commands
/// (a request being received, the key of the last path, the user's
/// decisions and width) needs only a few steps to reach each of its
/// states.
pub const MAX_STEPS: usize = 16;

/// The size of a command's response buffer: 0 is `MAX_RESPONSE_LEN`,
/// anything else that many bytes.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseSize(pub u8);

impl ResponseSize {
    /// A buffer of `MAX_RESPONSE_LEN` bytes.
    pub const FULL: Self = ResponseSize(0);

    /// The buffer's length in bytes.
    pub fn bytes(self) -> usize {
        match self.0 {
            0 => MAX_RESPONSE_LEN,
            n => usize::from(n),
        }
    }
}

/// The path of a key request.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub enum KeyPath {
    /// m/44'/60'/0'/0/i, in binary.
    Index(u8),
    /// Any bytes as the path.
    Raw(Short),
}

/// One step of a device session.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Any bytes as a command APDU.
    Raw { response: ResponseSize, apdu: Short },
    /// A command with a correct `Lc` around any data (and, unless
    /// `wrong_cla`, the right CLA).
    Command {
        response: ResponseSize,
        wrong_cla: bool,
        ins: u8,
        p1: u8,
        p2: u8,
        data: Short,
    },
    /// GET_PUBLIC_KEY (or GET_ADDRESS) of a path, silent or confirmed on
    /// the device (P1 = 1).
    Key {
        response: ResponseSize,
        public_key: bool,
        confirm: bool,
        path: KeyPath,
    },
    /// A sign request made of its parts: scheme, operation, multisig
    /// account, path index, then any bytes as the transaction's RLP.
    SignParts {
        response: ResponseSize,
        chunk: u8,
        scheme: u8,
        op: u8,
        account: Option<[u8; 20]>,
        path_index: u8,
        rlp: Long,
    },
    /// Any bytes as a sign request, sent as the protocol intends, in
    /// chunks of `chunk` bytes (at least 1).
    Sign {
        response: ResponseSize,
        chunk: u8,
        request: Long,
    },
    /// The sign request of a TokenIssue built from round-trip fields (the
    /// fields' bytes as [`RoundTripInput`] reads them), v1 or v2, for the
    /// key of account 0; fields that are no valid issue are sent as the
    /// request's bytes.
    SignIssue {
        response: ResponseSize,
        chunk: u8,
        native: bool,
        fields: Long,
    },
    /// Bytes through a frame decoder; each request frame is handled.
    Stream { bytes: Long },
    /// The user's next decisions and the screen width.
    User { approve: bool, width: u8 },
}

/// The number of [`Step`] variants (the writer's enum index).
const STEPS: u64 = 8;

/// A session: whether the device holds a seed, and its steps (the first
/// [`MAX_STEPS`] are run).
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// A device without a seed (every key request is `NotProvisioned`).
    pub no_seed: bool,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// A command's bytes for the device: the APDU and its response size, or
/// a sign request sent in chunks, or a frame stream.
pub enum Action {
    /// One APDU.
    Apdu { response: usize, apdu: Vec<u8> },
    /// A sign request sent in chunks of `chunk` bytes (1 to 255).
    Sign {
        response: usize,
        chunk: usize,
        request: Vec<u8>,
    },
    /// Bytes through a frame decoder.
    Stream(Vec<u8>),
    /// The user's next decisions and the screen width.
    User { approve: bool, width: usize },
}

impl Step {
    /// What the step sends to the device.
    pub fn action(&self) -> Action {
        let chunk = |c: &u8| usize::from(*c).max(1);
        match self {
            Step::Raw { response, apdu } => Action::Apdu {
                response: response.bytes(),
                apdu: apdu.0.clone(),
            },
            Step::Command {
                response,
                wrong_cla,
                ins,
                p1,
                p2,
                data,
            } => {
                let mut apdu = vec![0u8; 5 + data.0.len()];
                encode_command(*ins, *p1, *p2, &data.0, &mut apdu).expect("a short string fits");
                if *wrong_cla {
                    apdu[0] = !apdu[0];
                }
                Action::Apdu {
                    response: response.bytes(),
                    apdu,
                }
            }
            Step::Key {
                response,
                public_key,
                confirm,
                path,
            } => {
                let data = match path {
                    KeyPath::Index(i) => path_bytes(&[], Some(*i)),
                    KeyPath::Raw(bytes) => bytes.0.clone(),
                };
                Step::Command {
                    response: *response,
                    wrong_cla: false,
                    ins: if *public_key { 0x04 } else { 0x02 },
                    p1: u8::from(*confirm),
                    p2: 0,
                    data: Short(data),
                }
                .action()
            }
            Step::SignParts {
                response,
                chunk: c,
                scheme,
                op,
                account,
                path_index,
                rlp,
            } => {
                let mut request = request_header(&RequestParts {
                    scheme: *scheme,
                    op: *op,
                    account: account.map(|a| a.to_vec()),
                    path_index: *path_index,
                });
                request.extend_from_slice(&rlp.0);
                Action::Sign {
                    response: response.bytes(),
                    chunk: chunk(c),
                    request,
                }
            }
            Step::Sign {
                response,
                chunk: c,
                request,
            } => Action::Sign {
                response: response.bytes(),
                chunk: chunk(c),
                request: request.0.clone(),
            },
            Step::SignIssue {
                response,
                chunk: c,
                native,
                fields,
            } => Action::Sign {
                response: response.bytes(),
                chunk: chunk(c),
                request: issue_request(&fields.0, *native).unwrap_or_else(|| fields.0.clone()),
            },
            Step::Stream { bytes } => Action::Stream(bytes.0.clone()),
            Step::User { approve, width } => Action::User {
                approve: *approve,
                width: usize::from(*width),
            },
        }
    }

    fn write(&self, w: &mut Writer) {
        match self {
            Step::Raw { response, apdu } => {
                w.variant(0, STEPS).u8(response.0).short(apdu);
            }
            Step::Command {
                response,
                wrong_cla,
                ins,
                p1,
                p2,
                data,
            } => {
                w.variant(1, STEPS).u8(response.0).bool(*wrong_cla);
                w.u8(*ins).u8(*p1).u8(*p2).short(data);
            }
            Step::Key {
                response,
                public_key,
                confirm,
                path,
            } => {
                w.variant(2, STEPS).u8(response.0);
                w.bool(*public_key).bool(*confirm);
                match path {
                    KeyPath::Index(i) => w.variant(0, 2).u8(*i),
                    KeyPath::Raw(bytes) => w.variant(1, 2).short(bytes),
                };
            }
            Step::SignParts {
                response,
                chunk,
                scheme,
                op,
                account,
                path_index,
                rlp,
            } => {
                w.variant(3, STEPS).u8(response.0).u8(*chunk);
                w.u8(*scheme).u8(*op).bool(account.is_some());
                if let Some(account) = account {
                    w.array(account);
                }
                w.u8(*path_index).long(rlp);
            }
            Step::Sign {
                response,
                chunk,
                request,
            } => {
                w.variant(4, STEPS).u8(response.0).u8(*chunk).long(request);
            }
            Step::SignIssue {
                response,
                chunk,
                native,
                fields,
            } => {
                w.variant(5, STEPS).u8(response.0).u8(*chunk);
                w.bool(*native).long(fields);
            }
            Step::Stream { bytes } => {
                w.variant(6, STEPS).long(bytes);
            }
            Step::User { approve, width } => {
                w.variant(7, STEPS).bool(*approve).u8(*width);
            }
        }
    }
}

impl Session {
    /// Reads a session from fuzz bytes (`arbitrary`); `None` for bytes
    /// `arbitrary` refuses.
    pub fn from_bytes(data: &[u8]) -> Option<Self> {
        arbitrary_bytes::read(data)
    }

    /// The bytes that `arbitrary` reads back as this session.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.bool(self.no_seed);
        for step in &self.steps {
            w.bool(true);
            step.write(&mut w);
        }
        w.0
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
