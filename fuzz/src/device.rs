//! The device protocol's state machine (`tokensign_core::device`,
//! protocol 2), driven by sessions of commands, sign requests of any
//! operation in either scheme and raw frame streams (`device_session.rs`,
//! derived with `arbitrary`),
//! and checked after every command against a model of the protocol
//! (`device_model.rs`): the status word, the data, the device's state,
//! whether and what the user was asked, and each signature.

use tokensign_core::device::{
    encode_command, encode_frame, parse_sign_response, read_reason, split_response, Approval,
    Approver, Decoded, Device, FrameDecoder, Keys, State, Status, FRAME_REQUEST, FRAME_RESPONSE,
    MAX_FRAME_PAYLOAD, MAX_RESPONSE_LEN, P1_FIRST, P1_NEXT, P2_LAST, P2_MORE, PROTOCOL_VERSION,
    SIGN_RESPONSE_LEN,
};
use tokensign_core::hd::{DerivationPath, Seed};
use tokensign_core::native::Descriptor;
use tokensign_core::review::Review;
use tokensign_core::{address_of_compressed, sign_hash, Address, Scheme};

use crate::device_model::{
    device_document, key_of, seed_bytes, signing_key_of, Expect, Model, SignExpect, DEVICE_BUFFER,
};
use crate::device_session::{Action, Session as Input, Step, MAX_STEPS};
use crate::device_states;
use crate::invariants;
use crate::reporter::Reporter;

/// What the user was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Asked {
    /// To approve a transaction: its signing document, and the scheme and
    /// signer its review showed.
    Review {
        document: Vec<u8>,
        scheme: Scheme,
        descriptor: Descriptor,
    },
    /// To confirm an address.
    Address { path: Vec<u32>, address: Address },
}

/// Approves or rejects as the input says, and checks every review it is
/// shown ([`invariants::check_review`] at its screen width).
#[derive(Debug)]
pub struct FuzzApprover {
    pub approve: bool,
    pub width: usize,
    pub asked: Vec<Asked>,
}

impl FuzzApprover {
    fn decision(&self) -> Approval {
        if self.approve {
            Approval::Approve
        } else {
            Approval::Reject
        }
    }
}

impl Approver for FuzzApprover {
    fn approve<const B: usize, const M: usize>(&mut self, review: &Review<'_, B, M>) -> Approval {
        let (scheme, descriptor) = invariants::check_review(review, self.width.max(1));
        self.asked.push(Asked::Review {
            document: device_document(review.transaction()),
            scheme,
            descriptor,
        });
        self.decision()
    }

    fn confirm_address(&mut self, path: &DerivationPath, address: &Address) -> Approval {
        self.asked.push(Asked::Address {
            path: path.indices().to_vec(),
            address: *address,
        });
        self.decision()
    }
}

/// A device (with the test seed, or none), its model, what the user was
/// asked, and where the states it reaches are reported
/// ([`device_states`]).
pub struct Session<'r> {
    device: Device<FuzzApprover, DEVICE_BUFFER>,
    model: Model,
    no_seed: bool,
    report: Reporter<'r>,
}

impl Default for Session<'static> {
    fn default() -> Self {
        Self::new(false)
    }
}

impl Session<'static> {
    /// A device that approves, on a 20-column screen, with the test seed
    /// (or without a seed); its states are not reported.
    pub fn new(no_seed: bool) -> Self {
        Session::observed(no_seed, Reporter::NONE)
    }
}

impl<'r> Session<'r> {
    /// [`Session::new`], reporting the states each command reaches to
    /// `report`.
    pub fn observed(no_seed: bool, report: Reporter<'r>) -> Self {
        let approver = FuzzApprover {
            approve: true,
            width: 20,
            asked: Vec::new(),
        };
        let keys = if no_seed {
            Keys::empty()
        } else {
            Keys::new(Seed::from_bytes(*seed_bytes()))
        };
        Session {
            device: Device::with_keys(keys, approver),
            model: Model::default(),
            no_seed,
            report,
        }
    }

    /// Sends one command with a response buffer of `response_len` bytes;
    /// checks the answer, the state and what the user was asked against
    /// the model. Returns the response.
    pub fn exchange(&mut self, apdu: &[u8], response_len: usize) -> Vec<u8> {
        let approve = self.device.approver().approve;
        let expect = self.model.step(apdu);
        let mut buf = vec![0u8; response_len];
        let n = self.device.handle(apdu, &mut buf);
        assert!(n <= response_len, "response longer than its buffer");
        let response = buf[..n].to_vec();

        let expected_state = match &self.model.pending {
            Some(buffer) => State::Receiving(buffer.len()),
            None => State::Idle,
        };
        assert_eq!(
            self.device.state(),
            expected_state,
            "state after {apdu:02x?}"
        );

        // The user is asked exactly when the model says so.
        let asked = std::mem::take(&mut self.device.approver_mut().asked);
        let key = |path: &[u32]| key_of(path).expect("a derivable path");
        let expected_asked: Vec<Asked> = match &expect {
            Expect::Sign(s) => vec![Asked::Review {
                document: s.document.clone(),
                scheme: s.scheme,
                descriptor: s.descriptor,
            }],
            Expect::Key {
                path,
                confirm: true,
                ..
            } if !self.no_seed => vec![Asked::Address {
                path: path.clone(),
                address: key(path).address,
            }],
            _ => Vec::new(),
        };
        assert_eq!(asked, expected_asked, "what the user was asked");
        if self.report.listening() {
            self.report.say(|| device_states::state(expected_state));
            if matches!(expect, Expect::Status(Status::TooLarge)) {
                self.report.say(|| device_states::OVER_THE_BUFFER.into());
            }
            for labels in asked.iter().map(|a| device_states::asked(a, approve)) {
                for label in labels {
                    self.report.say(|| label);
                }
            }
        }

        if response_len < 2 {
            assert_eq!(n, 0, "a response buffer under 2 bytes gets nothing");
            return response;
        }
        let (data, sw) = split_response(&response).expect("at least a status word");
        let status = Status::from_word(sw).unwrap_or_else(|| panic!("unknown status {sw:04x}"));
        let room = response_len - 2;
        let answer = |data: &[u8], status: Status, want: &[u8]| {
            if room < want.len() {
                assert_eq!((status, data), (Status::ResponseTooSmall, &[][..]));
            } else {
                assert_eq!((status, data), (Status::Ok, want));
            }
        };
        match expect {
            Expect::Status(expected) => {
                assert_eq!((status, data), (expected, &[][..]), "for {apdu:02x?}")
            }
            Expect::Version => {
                if status == Status::ResponseTooSmall {
                    assert!(data.is_empty() && room < 32, "version too small for {room}");
                } else {
                    assert_eq!(status, Status::Ok);
                    assert_eq!(data.first(), Some(&PROTOCOL_VERSION));
                    let version = &data[1..];
                    assert!(!version.is_empty() && version.iter().all(u8::is_ascii_graphic));
                }
            }
            Expect::Key {
                path,
                public_key,
                confirm,
            } => {
                if self.no_seed {
                    assert_eq!((status, data), (Status::NotProvisioned, &[][..]));
                } else if confirm && !approve {
                    assert_eq!((status, data), (Status::Denied, &[][..]));
                } else {
                    let info = key(&path);
                    if public_key {
                        assert_eq!(address_of_compressed(&info.public_key), Some(info.address));
                        answer(data, status, &info.public_key);
                    } else {
                        answer(data, status, info.address.as_bytes());
                    }
                }
            }
            Expect::Invalid(text) => {
                // The device names the error in bytes (at most 24); the
                // host prints the core's message for it, the model's text.
                assert_eq!(status, Status::InvalidData, "refusing {text:?}");
                if data.is_empty() {
                    assert!(
                        room < 24,
                        "no reason for {text:?} with {room} bytes of room"
                    );
                } else {
                    let reason = read_reason(data)
                        .unwrap_or_else(|| panic!("unreadable reason {data:?} for {text:?}"));
                    assert_eq!(reason.to_string(), *text, "reason {data:?}");
                }
            }
            Expect::WalletOnFixed { get_state } => {
                let refusals = [
                    Status::WrongP1P2,
                    Status::WrongLength,
                    Status::InvalidPin,
                    Status::InvalidWords,
                    Status::NoStorage,
                    Status::NotProvisioned,
                    Status::Locked,
                    Status::DefinitionRefused,
                ];
                if get_state && status == Status::Ok {
                    assert!(!data.is_empty(), "GET_STATE answers the state");
                } else if get_state && status == Status::ResponseTooSmall {
                    assert!(data.is_empty());
                } else {
                    assert!(
                        refusals.contains(&status),
                        "a fixed device refuses set-up {apdu:02x?}: {status:?}"
                    );
                    match status {
                        Status::DefinitionRefused => assert_eq!(data.len(), 1, "the cause"),
                        Status::InvalidWords => {}
                        _ => assert!(data.is_empty()),
                    }
                }
            }
            Expect::Sign(s) => {
                if !approve {
                    assert_eq!((status, data), (Status::Denied, &[][..]));
                } else if self.no_seed {
                    assert_eq!((status, data), (Status::NotProvisioned, &[][..]));
                } else if room < SIGN_RESPONSE_LEN {
                    assert_eq!((status, data), (Status::ResponseTooSmall, &[][..]));
                } else {
                    assert_eq!(status, Status::Ok);
                    check_signature(&s, data);
                }
            }
        }
        response
    }

    /// Runs one step.
    pub fn run(&mut self, step: &Step) {
        match step.action() {
            Action::Apdu { response, apdu } => {
                self.exchange(&apdu, response);
            }
            Action::Sign {
                response,
                chunk,
                request,
            } => self.sign(&request, chunk.clamp(1, 255), response),
            Action::Stream(bytes) => self.stream(&bytes),
            Action::User { approve, width } => {
                let approver = self.device.approver_mut();
                approver.approve = approve;
                approver.width = width;
            }
        }
    }

    fn sign(&mut self, request: &[u8], chunk: usize, response: usize) {
        let mut chunks: Vec<&[u8]> = request.chunks(chunk).collect();
        if chunks.is_empty() {
            chunks.push(&[]);
        }
        let count = chunks.len();
        let mut apdu = [0u8; 5 + 255];
        for (i, part) in chunks.into_iter().enumerate() {
            let p1 = if i == 0 { P1_FIRST } else { P1_NEXT };
            let p2 = if i + 1 == count { P2_LAST } else { P2_MORE };
            let n = encode_command(0x05, p1, p2, part, &mut apdu).expect("fits");
            let answer = self.exchange(&apdu[..n], response);
            let ok = split_response(&answer).is_none_or(|(_, sw)| sw == Status::Ok.word());
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

/// A signature answer: the path's key's (deterministic, RFC 6979)
/// signature of the signing hash, and that signing hash, which the device
/// computed from the request's bytes as sent and the model from the
/// decoded transaction encoded again: equal, since the decoders take only
/// canonical encodings.
fn check_signature(s: &SignExpect, data: &[u8]) {
    let (sig, hash) = parse_sign_response(data).expect("v r s hash");
    let (_, key) = signing_key_of(&s.path).expect("a derivable path");
    // Signing again is cheaper than recovering under the fuzzer's
    // instrumentation, and RFC 6979 makes the signature unique.
    assert_eq!(
        sign_hash(&s.signing_hash, &key),
        Ok(sig),
        "signed by the path's key over the signing hash"
    );
    assert_eq!(hash, s.signing_hash, "the answered signing hash");
}

/// The target: a fresh device, then the session the bytes describe.
pub fn device_protocol(data: &[u8]) {
    run(data, Reporter::NONE);
}

/// [`device_protocol`], telling `report` the states each command reached
/// ([`device_states::states`]'s labels).
pub fn device_protocol_observed(data: &[u8], report: &mut dyn FnMut(String)) {
    run(data, Reporter(Some(report)));
}

fn run(data: &[u8], report: Reporter<'_>) {
    let Some(input) = Input::from_bytes(data) else {
        return;
    };
    let mut device = Session::observed(input.no_seed, report);
    for step in input.steps.iter().take(MAX_STEPS) {
        device.run(step);
    }
}
