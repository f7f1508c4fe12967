//! The device protocol state machine (`tokensign_core::device`), driven by
//! sequences of commands and raw frame streams and checked, step by step,
//! against a model of the protocol its documentation describes.

use tokensign_core::device::{
    encode_command, encode_frame, parse_sign_response, split_response, Approval, Approver, Decoded,
    Device, DeviceReview, FrameDecoder, State, CLA, FRAME_REQUEST, FRAME_RESPONSE, INS_GET_ADDRESS,
    INS_GET_VERSION, INS_SIGN_ISSUE, MAX_FRAME_PAYLOAD, MAX_RESPONSE_LEN, P1_FIRST, P1_NEXT,
    P2_LAST, P2_MORE, PROTOCOL_VERSION, SIGN_RESPONSE_LEN, SW_CLA_NOT_SUPPORTED, SW_DENIED,
    SW_INS_NOT_SUPPORTED, SW_INVALID_DATA, SW_OK, SW_RESPONSE_TOO_SMALL, SW_TOO_LARGE,
    SW_WRONG_LENGTH, SW_WRONG_P1P2, SW_WRONG_STATE,
};
use tokensign_core::field::Shown;
use tokensign_core::legacy::{self, LegacyTx};
use tokensign_core::review::{LABEL_CHAIN, LABEL_NONCE};
use tokensign_core::tx::issue::LABEL_TOKEN_ADDRESS;
use tokensign_core::tx::Operation;
use tokensign_core::{json, signing_key_from_bytes, Address, Error, OpType, Transaction};

use crate::invariants;
use crate::roundtrip::RoundTripInput;
use crate::seeds::{spec_issue, SPEC_KEY};

/// The transactions the device holds (token issues: no lists).
pub type DeviceTx = Transaction<1, 1>;

/// The device's payload buffer in the target: room for every valid issue
/// JSON without a memo (at most about 460 bytes), small enough that
/// `SW_TOO_LARGE` is easy to reach (an issue with a long memo is too large).
pub const DEVICE_BUFFER: usize = 512;

/// Most steps in one input (each may sign, which is slow).
pub const MAX_STEPS: usize = 48;

/// Approves or rejects as the input says, and checks every review it is
/// shown: what it shows of the issue, and its pages.
#[derive(Debug)]
pub struct FuzzApprover {
    pub approve: bool,
    pub width: usize,
    pub shown: Vec<DeviceTx>,
}

impl Approver for FuzzApprover {
    fn approve(&mut self, review: &DeviceReview<'_>) -> Approval {
        check_review(review, self.width);
        self.shown.push(review.transaction().clone());
        if self.approve {
            Approval::Approve
        } else {
            Approval::Reject
        }
    }
}

/// A review shows exactly what is signed (each field of the issue, the
/// token it creates, chain and nonce), and its pages, at any width, put
/// back together, give each value whole ([`invariants::check_review`]).
pub fn check_review(review: &DeviceReview<'_>, width: usize) {
    let tx = review.transaction();
    let Operation::TokenIssue(issue) = &tx.operation else {
        panic!("the device reviews token issues only, not {}", tx.op_type());
    };
    let value = |label: &str| review.find(label).map(|item| item.value);
    assert_eq!(value("Symbol"), Some(Shown::Text(&issue.symbol)));
    assert_eq!(value("Name"), Some(Shown::Text(&issue.name)));
    assert_eq!(
        value("Decimals"),
        Some(Shown::Number(u64::from(issue.decimals)))
    );
    assert_eq!(
        value("Master authority"),
        Some(Shown::Address(issue.master_authority))
    );
    assert_eq!(value("Private"), Some(Shown::Bool(issue.is_private)));
    assert_eq!(value("Clawback"), issue.clawback_enabled.map(Shown::Bool));
    assert_eq!(
        value(LABEL_TOKEN_ADDRESS),
        Some(Shown::Address(crate::reference::token_address(issue)))
    );
    assert_eq!(value(LABEL_NONCE), Some(Shown::Number(tx.nonce)));
    assert!(value(LABEL_CHAIN).is_some());
    invariants::check_review(review, width.max(1));
}

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
    /// Payload JSON sent as the protocol intends, in chunks of `chunk`.
    Sign {
        response: usize,
        chunk: usize,
        json: Vec<u8>,
    },
    /// Bytes through a frame decoder; each request frame is handled.
    Stream { bytes: Vec<u8> },
    /// The user's next decisions and the screen width.
    User { approve: bool, width: usize },
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

/// Reads a session from fuzz bytes. Each step is an opcode byte (taken
/// modulo 7) and its operands; a response size byte of 0 means
/// `MAX_RESPONSE_LEN`, else that many bytes:
///
/// | op | step | operands |
/// | --- | --- | --- |
/// | 0 | Raw | size, n, n bytes |
/// | 1 | Command | size, cla_ok, ins, p1, p2, n, n bytes |
/// | 2 | Sign (spec payload) | size, chunk, nonce, clawback (0 none, 1 false, 2 true) |
/// | 3 | Sign (JSON bytes) | size, chunk, n (u16 LE), n bytes |
/// | 4 | Sign (payload fields, see `RoundTripInput`) | size, chunk, n (u16 LE), n bytes |
/// | 5 | Stream | n (u16 LE), n bytes |
/// | 6 | User | approve (bit 0), width |
pub fn parse_session(data: &[u8]) -> Vec<Step> {
    let mut r = Reader(data);
    let mut steps = Vec::new();
    while !r.0.is_empty() && steps.len() < MAX_STEPS {
        let step = match r.u8() % 7 {
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
                let chunk = usize::from(r.u8());
                let nonce = u64::from(r.u8());
                let clawback = match r.u8() % 3 {
                    0 => None,
                    1 => Some(false),
                    _ => Some(true),
                };
                Step::Sign {
                    response,
                    chunk,
                    json: issue_json(&spec_issue(nonce, clawback)),
                }
            }
            3 => {
                let response = response_len(r.u8());
                let chunk = usize::from(r.u8());
                let n = usize::from(r.u16());
                Step::Sign {
                    response,
                    chunk,
                    json: r.bytes(n),
                }
            }
            4 => {
                let response = response_len(r.u8());
                let chunk = usize::from(r.u8());
                let n = usize::from(r.u16());
                let input = RoundTripInput::from_bytes(&r.bytes(n));
                let json = match input.transaction::<1, 1>() {
                    Ok(tx) => issue_json(&tx),
                    Err(_) => input.name.into_bytes(),
                };
                Step::Sign {
                    response,
                    chunk,
                    json,
                }
            }
            5 => {
                let n = usize::from(r.u16());
                Step::Stream { bytes: r.bytes(n) }
            }
            _ => Step::User {
                approve: r.u8() & 1 == 1,
                width: usize::from(r.u8()),
            },
        };
        steps.push(step);
    }
    steps
}

/// Bytes that [`parse_session`] reads back as these steps. Sign steps are
/// written as JSON bytes (opcode 3); chunk sizes and widths must fit a
/// byte, a response size must be 1..=255 or `MAX_RESPONSE_LEN`.
pub fn encode_session(steps: &[Step]) -> Vec<u8> {
    let mut out = Vec::new();
    let byte = |v: usize| u8::try_from(v).expect("fits a byte");
    for step in steps {
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
                json,
            } => {
                out.extend([3, response_code(*response), byte(*chunk)]);
                out.extend(u16::try_from(json.len()).expect("u16").to_le_bytes());
                out.extend(json);
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

/// An issue's unsigned JSON, as the device takes it.
pub fn issue_json<const B: usize, const M: usize>(tx: &Transaction<B, M>) -> Vec<u8> {
    invariants::write_json(json::max_document_len::<B, M>(), "write_unsigned", |b| {
        json::write_unsigned(tx, b)
    })
}

/// What the model expects a command to answer.
#[derive(Debug)]
enum Expect {
    /// This status word and no data.
    Status(u16),
    /// `SW_OK` with the protocol version (or too small).
    Version,
    /// `SW_OK` with the device's address (or too small).
    Address,
    /// `SW_INVALID_DATA` with (a prefix of) this error's text.
    Invalid(Error),
    /// The user was asked about this payload and rejected it.
    Denied(DeviceTx),
    /// The user was asked about this payload, approved, and it was signed
    /// (or the response was too small for the signature).
    Signed(DeviceTx),
}

/// The protocol as its documentation states it.
#[derive(Debug, Default)]
struct Model {
    /// Payload bytes of the sign being received, if any.
    pending: Option<Vec<u8>>,
}

impl Model {
    fn step(&mut self, apdu: &[u8], approve: bool) -> Expect {
        let pending = self.pending.take();
        let Some((&[cla, ins, p1, p2, lc], data)) = apdu.split_first_chunk::<5>() else {
            return Expect::Status(SW_WRONG_LENGTH);
        };
        if cla != CLA {
            return Expect::Status(SW_CLA_NOT_SUPPORTED);
        }
        if usize::from(lc) != data.len() {
            return Expect::Status(SW_WRONG_LENGTH);
        }
        match ins {
            INS_GET_VERSION | INS_GET_ADDRESS => {
                if (p1, p2) != (0, 0) {
                    Expect::Status(SW_WRONG_P1P2)
                } else if !data.is_empty() {
                    Expect::Status(SW_WRONG_LENGTH)
                } else if ins == INS_GET_VERSION {
                    Expect::Version
                } else {
                    Expect::Address
                }
            }
            INS_SIGN_ISSUE => {
                let last = match p2 {
                    P2_MORE => false,
                    P2_LAST => true,
                    _ => return Expect::Status(SW_WRONG_P1P2),
                };
                let mut buffer = match (p1, pending) {
                    (P1_FIRST, _) => Vec::new(),
                    (P1_NEXT, Some(buffer)) => buffer,
                    (P1_NEXT, None) => return Expect::Status(SW_WRONG_STATE),
                    _ => return Expect::Status(SW_WRONG_P1P2),
                };
                if buffer.len() + data.len() > DEVICE_BUFFER {
                    return Expect::Status(SW_TOO_LARGE);
                }
                buffer.extend_from_slice(data);
                if !last {
                    self.pending = Some(buffer);
                    return Expect::Status(SW_OK);
                }
                match json::parse_unsigned::<1, 1>(OpType::TokenIssue, &buffer) {
                    Err(e) => Expect::Invalid(e),
                    Ok(p) if approve => Expect::Signed(p),
                    Ok(p) => Expect::Denied(p),
                }
            }
            _ => Expect::Status(SW_INS_NOT_SUPPORTED),
        }
    }
}

/// A device, its model, and the approvals seen.
pub struct Session {
    device: Device<FuzzApprover, DEVICE_BUFFER>,
    model: Model,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// A device with the spec's key that approves, on a 20-column screen.
    pub fn new() -> Self {
        let key = signing_key_from_bytes(&SPEC_KEY).expect("valid key");
        let approver = FuzzApprover {
            approve: true,
            width: 20,
            shown: Vec::new(),
        };
        Session {
            device: Device::new(key, approver),
            model: Model::default(),
        }
    }

    /// Sends one command with a response buffer of `response_len` bytes;
    /// checks the answer, the state and the approvals against the model.
    /// Returns the response.
    pub fn exchange(&mut self, apdu: &[u8], response_len: usize) -> Vec<u8> {
        let approve = self.device.approver().approve;
        let asked_before = self.device.approver().shown.len();
        let expect = self.model.step(apdu, approve);
        let mut buf = vec![0u8; response_len];
        let n = self.device.handle(apdu, &mut buf);
        let response = buf[..n.min(response_len)].to_vec();
        assert!(n <= response_len, "response longer than its buffer");

        // The state after the command.
        let expected_state = match &self.model.pending {
            Some(buffer) => State::Receiving(buffer.len()),
            None => State::Idle,
        };
        assert_eq!(
            self.device.state(),
            expected_state,
            "state after {apdu:02x?}"
        );

        // The approver is asked exactly when a valid payload arrived whole.
        let asked = &self.device.approver().shown[asked_before..];
        match &expect {
            Expect::Signed(p) | Expect::Denied(p) => {
                assert_eq!(
                    asked,
                    std::slice::from_ref(p),
                    "the review shows the payload"
                )
            }
            _ => assert!(asked.is_empty(), "approver asked for {expect:?}"),
        }
        self.device.approver_mut().shown.clear();

        if response_len < 2 {
            assert_eq!(n, 0, "a response buffer under 2 bytes gets nothing");
            return response;
        }
        let (data, sw) = split_response(&response).expect("at least a status word");
        let room = response_len - 2;
        let too_small = |need: usize| room < need;
        match expect {
            Expect::Status(expected) => {
                assert_eq!((sw, data), (expected, &[][..]), "for {apdu:02x?}")
            }
            Expect::Version => {
                if sw == SW_RESPONSE_TOO_SMALL {
                    assert!(data.is_empty() && room < 32, "version too small for {room}");
                } else {
                    assert_eq!(sw, SW_OK);
                    assert_eq!(data.first(), Some(&PROTOCOL_VERSION));
                    let version = &data[1..];
                    assert!(!version.is_empty() && version.iter().all(u8::is_ascii_graphic));
                }
            }
            Expect::Address => {
                if too_small(20) {
                    assert_eq!((sw, data), (SW_RESPONSE_TOO_SMALL, &[][..]));
                } else {
                    assert_eq!((sw, data), (SW_OK, &self.device.address().0[..]));
                }
            }
            Expect::Invalid(e) => {
                assert_eq!(sw, SW_INVALID_DATA);
                let text = e.to_string();
                assert!(
                    text.as_bytes().starts_with(data),
                    "reason {data:?} is not a prefix of {text:?}"
                );
                assert!(
                    std::str::from_utf8(data).is_ok(),
                    "reason cut inside a char"
                );
                if text.len() <= 160 {
                    let mut want = text.len().min(room);
                    while !text.is_char_boundary(want) {
                        want -= 1;
                    }
                    assert_eq!(data.len(), want, "reason length");
                }
            }
            Expect::Denied(_) => assert_eq!((sw, data), (SW_DENIED, &[][..])),
            Expect::Signed(p) => {
                if too_small(SIGN_RESPONSE_LEN) {
                    assert_eq!((sw, data), (SW_RESPONSE_TOO_SMALL, &[][..]));
                } else {
                    assert_eq!(sw, SW_OK, "signing {p:?}");
                    let (sig, hash) = parse_sign_response(data).expect("v r s hash");
                    let signed = LegacyTx {
                        tx: p.clone(),
                        signature: sig,
                    };
                    assert_eq!(signed.signer(), Ok(self.device.address()));
                    assert_eq!(signed.tx_hash(), Ok(hash), "transaction hash");
                    let value = crate::reference::issue_signed_value(&p);
                    assert_eq!(
                        legacy::signing_hash(&p),
                        Ok(tokensign_core::keccak256(&value))
                    );
                    assert_eq!(hash, crate::reference::legacy_tx_hash(&value, &sig));
                }
            }
        }
        response
    }

    /// Runs one step.
    pub fn run(&mut self, step: &Step) {
        match step {
            Step::Raw { response, apdu } => {
                self.exchange(apdu, *response);
            }
            Step::Command {
                response,
                cla_ok,
                ins,
                p1,
                p2,
                data,
            } => {
                let mut apdu = [0u8; 5 + 255];
                let n = encode_command(*ins, *p1, *p2, data, &mut apdu).expect("fits");
                if !cla_ok {
                    apdu[0] = !CLA;
                }
                self.exchange(&apdu[..n], *response);
            }
            Step::Sign {
                response,
                chunk,
                json,
            } => self.sign(json, (*chunk).clamp(1, 255), *response),
            Step::Stream { bytes } => self.stream(bytes),
            Step::User { approve, width } => {
                let approver = self.device.approver_mut();
                approver.approve = *approve;
                approver.width = *width;
            }
        }
    }

    fn sign(&mut self, json: &[u8], chunk: usize, response: usize) {
        let mut chunks: Vec<&[u8]> = json.chunks(chunk).collect();
        if chunks.is_empty() {
            chunks.push(&[]);
        }
        let count = chunks.len();
        let mut apdu = [0u8; 5 + 255];
        for (i, part) in chunks.into_iter().enumerate() {
            let p1 = if i == 0 { P1_FIRST } else { P1_NEXT };
            let p2 = if i + 1 == count { P2_LAST } else { P2_MORE };
            let n = encode_command(INS_SIGN_ISSUE, p1, p2, part, &mut apdu).expect("fits");
            let answer = self.exchange(&apdu[..n], response);
            let ok = split_response(&answer).is_none_or(|(_, sw)| sw == SW_OK);
            if !ok {
                break;
            }
        }
    }

    /// Feeds bytes to a frame decoder as the firmware's reader would; each
    /// request frame is handled and its response goes back in a frame
    /// that a host-side decoder reads back whole.
    fn stream(&mut self, bytes: &[u8]) {
        let mut decoder = FrameDecoder::<MAX_FRAME_PAYLOAD>::new();
        for (i, byte) in bytes.iter().enumerate() {
            match decoder.push(*byte) {
                Decoded::Pending | Decoded::Dropped => {}
                Decoded::Frame(kind) => {
                    let payload = decoder.payload().to_vec();
                    assert!(payload.len() <= MAX_FRAME_PAYLOAD);
                    // The frame is the last bytes read, exactly.
                    let mut frame = [0u8; MAX_FRAME_PAYLOAD + 6];
                    let n = encode_frame(kind, &payload, &mut frame).expect("fits");
                    assert!(n <= i + 1, "a frame longer than the stream so far");
                    assert_eq!(&frame[..n], &bytes[i + 1 - n..=i], "frame re-encodes");
                    if kind != FRAME_REQUEST {
                        continue;
                    }
                    let answer = self.exchange(&payload, MAX_RESPONSE_LEN);
                    let mut out = [0u8; MAX_FRAME_PAYLOAD + 6];
                    let n = encode_frame(FRAME_RESPONSE, &answer, &mut out).expect("fits");
                    let mut host = FrameDecoder::<MAX_FRAME_PAYLOAD>::new();
                    let events: Vec<Decoded> = out[..n].iter().map(|b| host.push(*b)).collect();
                    assert_eq!(events.last(), Some(&Decoded::Frame(FRAME_RESPONSE)));
                    assert_eq!(host.payload(), &answer[..], "response frame round trip");
                }
            }
        }
    }
}

/// The target: a fresh device, then the session the bytes describe.
pub fn device_protocol(data: &[u8]) {
    let mut session = Session::new();
    for step in parse_session(data) {
        session.run(&step);
    }
}

/// The device's address (the spec key's), for seeds and tests.
pub fn device_address() -> Address {
    Session::new().device.address()
}
