use super::*;
use crate::json::write_unsigned;
use crate::review::DEFAULT_PAGE_WIDTH;
use crate::signature::signing_key_from_bytes;
use crate::tx::TokenIssue;
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
    fn approve(&mut self, review: &DeviceReview<'_>) -> Approval {
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
        let p = parse_issue(VECTOR).unwrap();
        assert_eq!(Ok(tx), crate::legacy::tx_hash(&p, &sig));
        let expected: Vec<String> = Review::new(&p, Scheme::Legacy, Descriptor::Single)
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
        "invalid JSON: missing field `symbol`"
    );
    // Rejected by the user.
    d.approver_mut().reject = true;
    assert_eq!(sign_json(&mut d, VECTOR, 100).1, SW_DENIED);
    let expected = Review::new(&parse_issue(VECTOR).unwrap(), Scheme::Legacy, Descriptor::Single)
        .pages(DEFAULT_PAGE_WIDTH)
        .count();
    assert_eq!(d.approver().pages.len(), expected);
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

fn signer_of(tx: &DeviceTx, sig: Signature) -> Address {
    LegacyTx { tx: tx.clone(), signature: sig }.signer().unwrap()
}

#[test]
fn review_pages_hold_what_is_signed() {
    let mut d = device();
    let p = parse_issue(VECTOR).unwrap();
    let mut json = [0u8; 1024];
    let n = write_unsigned(&p, &mut json).unwrap();
    let (data, sw) = sign_json(&mut d, &json[..n], 255);
    assert_eq!(sw, SW_OK);
    let (sig, _) = parse_sign_response(&data).unwrap();
    assert_eq!(signer_of(&p, sig), d.address());
}

prop_compose! {
    fn any_issue()(
        chain_id in prop_oneof![Just(21210u64), Just(1_212_101u64), 0..=i64::MAX as u64],
        nonce in 0..=i64::MAX as u64,
        symbol in "[A-Za-z0-9ÄÖé日本]{1,5}",
        name in "[ -~é日本Ω]{1,40}",
        decimals in 0u8..=18,
        master in any::<[u8; 20]>(),
        is_private in any::<bool>(),
        clawback in proptest::option::of(any::<bool>()),
    ) -> DeviceTx {
        Transaction::new(chain_id, nonce, TokenIssue {
            symbol: crate::text::Text::new(&symbol).unwrap(),
            name: crate::text::Text::new(&name).unwrap(),
            decimals,
            master_authority: Address(master),
            is_private,
            clawback_enabled: clawback,
        })
    }
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
    fn random_payloads_sign_and_review(p in any_issue(), chunk in 1usize..256) {
        let mut d = device();
        let mut json = [0u8; 1024];
        let n = write_unsigned(&p, &mut json).unwrap();
        let (data, sw) = sign_json(&mut d, &json[..n], chunk);
        prop_assert_eq!(sw, SW_OK);
        let (sig, tx) = parse_sign_response(&data).unwrap();
        prop_assert_eq!(signer_of(&p, sig), d.address());
        prop_assert_eq!(Ok(tx), crate::legacy::tx_hash(&p, &sig));
        let expected: Vec<String> = Review::new(&p, Scheme::Legacy, Descriptor::Single)
            .pages(DEFAULT_PAGE_WIDTH).map(|pg| pg.to_string()).collect();
        prop_assert_eq!(&d.approver().pages, &expected);
    }
}
