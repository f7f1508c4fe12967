use super::*;
use crate::hd::{DerivationPath, Mnemonic, HARDENED};
use crate::legacy;
use crate::native::{self, Descriptor};
use crate::review::DEFAULT_PAGE_WIDTH;
use crate::rlp::encode::to_slice;
use crate::signature::{address_of_compressed, recover_hash};
use crate::tx::{BatchEntry, BatchPayment, CreateMultiSig, Memo, Payment, TokenIssue, Transaction};
use crate::{Address, Amount, Error, Scheme};
use proptest::prelude::*;
use std::string::{String, ToString};
use std::vec::Vec;

const MNEMONIC: &str = "test test test test test test test test test test test junk";
/// anvil's accounts 0 and 1 (m/44'/60'/0'/0/0 and /1 of the test mnemonic).
const ACCOUNT_0: &str = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const ACCOUNT_1: &str = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

#[derive(Default)]
struct Recorder {
    pages: Vec<String>,
    addresses: Vec<Address>,
    reject: bool,
}

impl Approver for Recorder {
    fn approve<const B: usize, const M: usize>(&mut self, review: &Review<'_, B, M>) -> Approval {
        self.pages.clear();
        self.pages
            .extend(review.pages(DEFAULT_PAGE_WIDTH).map(|p| p.to_string()));
        if self.reject {
            Approval::Reject
        } else {
            Approval::Approve
        }
    }
    fn confirm_address(&mut self, _path: &DerivationPath, address: &Address) -> Approval {
        self.addresses.push(*address);
        if self.reject {
            Approval::Reject
        } else {
            Approval::Approve
        }
    }
}

type TestDevice = Device<Recorder, 2048, 4, 4>;

fn seed() -> Seed {
    Mnemonic::parse(MNEMONIC).unwrap().to_seed("").unwrap()
}

fn device() -> TestDevice {
    Device::new(seed(), Recorder::default())
}

fn path(index: u32) -> DerivationPath {
    DerivationPath::ethereum(index).unwrap()
}

fn path_bytes(p: &DerivationPath) -> Vec<u8> {
    let mut buf = [0u8; crate::hd::MAX_PATH_BYTES];
    let n = p.write_bytes(&mut buf).unwrap();
    buf[..n].to_vec()
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

const SIGN: u8 = Instruction::Sign as u8;
const OK: u16 = Status::Ok as u16;

fn sw(s: Status) -> u16 {
    s.word()
}

/// Sends a whole sign request in chunks of `chunk` bytes.
fn send(d: &mut TestDevice, request: &[u8], chunk: usize) -> (Vec<u8>, u16) {
    let chunks: Vec<&[u8]> = request.chunks(chunk.clamp(1, 255)).collect();
    let count = chunks.len().max(1);
    let mut last = (Vec::new(), 0);
    for i in 0..count {
        let part = chunks.get(i).copied().unwrap_or(&[]);
        let p1 = if i == 0 { P1_FIRST } else { P1_NEXT };
        let p2 = if i + 1 == count { P2_LAST } else { P2_MORE };
        last = run(d, &cmd(SIGN, p1, p2, part));
        if i + 1 < count {
            assert_eq!(last.1, OK, "chunk {i}");
        }
    }
    last
}

/// The sign request for `tx` in `scheme` under `descriptor` with the key
/// of account `index`.
fn request(tx: &Transaction<4, 4>, scheme: Scheme, descriptor: Descriptor, index: u32) -> Vec<u8> {
    let header = SignHeader {
        scheme,
        op: tx.op_type(),
        descriptor,
        path: path(index),
    };
    let mut buf = vec![0u8; 4096];
    let mut n = encode_sign_header(&header, &mut buf).unwrap();
    n += match scheme {
        Scheme::Legacy => legacy::encode_signed_value(tx, &mut buf[n..]).unwrap(),
        Scheme::Native => to_slice(
            &native::payload_rlp(&native::normalize(tx.clone())),
            &mut buf[n..],
        )
        .unwrap(),
    };
    buf.truncate(n);
    buf
}

fn payment() -> Transaction<4, 4> {
    Transaction::new(
        1_212_101,
        7,
        Payment {
            recipient: Address([2; 20]),
            value: Amount::from_u64(10),
            token: Address([1; 20]),
        },
    )
    .with_memo(Memo::new("purpose/SALA", "text/plain", "invoice-0001").unwrap())
}

#[test]
fn version_addresses_and_keys() {
    let mut d = device();
    let (data, status) = run(&mut d, &cmd(0x01, 0, 0, &[]));
    assert_eq!(status, OK);
    assert_eq!(data[0], PROTOCOL_VERSION);
    assert_eq!(&data[1..], env!("CARGO_PKG_VERSION").as_bytes());
    for (index, expected) in [(0, ACCOUNT_0), (1, ACCOUNT_1)] {
        let (data, status) = run(&mut d, &cmd(0x02, P1_SILENT, 0, &path_bytes(&path(index))));
        assert_eq!(status, OK);
        assert_eq!(Address(data.try_into().unwrap()).to_string(), expected);
        let (key, status) = run(&mut d, &cmd(0x04, 0, 0, &path_bytes(&path(index))));
        assert_eq!(status, OK);
        let key: [u8; 33] = key.try_into().unwrap();
        assert_eq!(address_of_compressed(&key).unwrap().to_string(), expected);
    }
    assert!(d.approver().addresses.is_empty());
    let (data, status) = run(&mut d, &cmd(0x02, P1_CONFIRM, 0, &path_bytes(&path(0))));
    assert_eq!((status, data.len()), (OK, 20));
    assert_eq!(d.approver().addresses.len(), 1);
    d.approver_mut().reject = true;
    assert_eq!(
        run(&mut d, &cmd(0x02, P1_CONFIRM, 0, &path_bytes(&path(0)))).1,
        sw(Status::Denied)
    );
    for bad in [&[][..], &[1, 0, 0], &[11; 45], &[1, 0, 0, 0, 0, 9]] {
        assert_eq!(
            run(&mut d, &cmd(0x02, P1_SILENT, 0, bad)).1,
            sw(Status::InvalidPath),
            "{bad:?}"
        );
        assert_eq!(
            run(&mut d, &cmd(0x04, 0, 0, bad)).1,
            sw(Status::InvalidPath)
        );
    }
    assert_eq!(
        run(&mut d, &cmd(0x02, 2, 0, &path_bytes(&path(0)))).1,
        sw(Status::WrongP1P2)
    );
    assert_eq!(
        run(&mut d, &cmd(0x04, 1, 0, &path_bytes(&path(0)))).1,
        sw(Status::WrongP1P2)
    );
    assert_eq!(
        run(&mut d, &cmd(0x01, 0, 0, &[1])).1,
        sw(Status::WrongLength)
    );
    let deep =
        DerivationPath::from_indices(&[HARDENED | 44, HARDENED | 60, HARDENED, HARDENED, HARDENED])
            .unwrap();
    assert_eq!(
        run(&mut d, &cmd(0x02, P1_SILENT, 0, &path_bytes(&deep))).1,
        OK
    );
    let mut empty: TestDevice = Device::with_keys(Keys::empty(), Recorder::default());
    assert_eq!(
        run(&mut empty, &cmd(0x02, 0, 0, &path_bytes(&path(0)))).1,
        sw(Status::NotProvisioned)
    );
}

#[test]
fn signs_every_scheme_and_descriptor() {
    let me = Address::parse(ACCOUNT_1).unwrap();
    let tx = payment();
    let native_tx = native::normalize(tx.clone());
    let account = Address([0xa0; 20]);
    for (scheme, descriptor) in [
        (Scheme::Legacy, Descriptor::Single),
        (Scheme::Native, Descriptor::Single),
        (Scheme::Native, Descriptor::Multisig(account)),
    ] {
        for chunk in [1, 17, 255] {
            let mut d = device();
            let (data, status) = send(&mut d, &request(&tx, scheme, descriptor, 1), chunk);
            assert_eq!(status, OK, "{scheme:?} {descriptor:?}");
            let (sig, hash) = parse_sign_response(&data).unwrap();
            // The answer is the signing hash, whatever the descriptor.
            let signing = match scheme {
                Scheme::Legacy => legacy::signing_hash(&tx).unwrap(),
                Scheme::Native => native::signing_hash(&native_tx, descriptor),
            };
            assert_eq!(recover_hash(&signing, &sig), Ok(me));
            assert_eq!(hash, signing);
            let review: Vec<String> = Review::new(&native_tx, scheme, descriptor)
                .pages(DEFAULT_PAGE_WIDTH)
                .map(|p| p.to_string())
                .collect();
            assert_eq!(d.approver().pages, review);
            assert!(d.approver().pages.iter().any(|p| p == "Operation: Payment"));
            assert_eq!(
                d.approver()
                    .pages
                    .iter()
                    .any(|p| p.starts_with("Multisig account")),
                matches!(descriptor, Descriptor::Multisig(_))
            );
            assert_eq!(d.state(), State::Idle);
        }
    }
}

fn reason(d: &mut TestDevice, req: &[u8]) -> String {
    let (data, status) = run(d, &cmd(SIGN, P1_FIRST, P2_LAST, req));
    assert_eq!(status, sw(Status::InvalidData), "{req:?}");
    super::read_reason(&data)
        .unwrap_or_else(|| panic!("unreadable reason {data:?}"))
        .to_string()
}

#[test]
fn every_failure_has_its_status() {
    let mut d = device();
    assert_eq!(run(&mut d, &[]).1, sw(Status::WrongLength));
    assert_eq!(run(&mut d, &[CLA, 1, 0, 0]).1, sw(Status::WrongLength));
    assert_eq!(run(&mut d, &[CLA, 1, 0, 0, 1]).1, sw(Status::WrongLength));
    assert_eq!(run(&mut d, &[0, 1, 0, 0, 0]).1, sw(Status::ClaNotSupported));
    assert_eq!(
        run(&mut d, &cmd(0x7f, 0, 0, &[])).1,
        sw(Status::InsNotSupported)
    );
    assert_eq!(
        run(&mut d, &cmd(0x03, 0, 0, &[])).1,
        sw(Status::InsNotSupported)
    );
    assert_eq!(
        run(&mut d, &cmd(0x10, 0, 0, &[])).1,
        sw(Status::InsNotSupported)
    );
    assert_eq!(
        run(&mut d, &cmd(SIGN, P1_NEXT, P2_LAST, b"x")).1,
        sw(Status::WrongState)
    );
    assert_eq!(
        run(&mut d, &cmd(SIGN, 2, P2_LAST, b"x")).1,
        sw(Status::WrongP1P2)
    );
    assert_eq!(
        run(&mut d, &cmd(SIGN, P1_FIRST, 2, b"x")).1,
        sw(Status::WrongP1P2)
    );
    assert_eq!(reason(&mut d, &[9]), "scheme byte must be 1 (v1) or 2 (v2)");
    assert!(reason(&mut d, &[2, 99, 0]).starts_with("unknown operation"));
    assert!(reason(&mut d, &[1, 13, 0]).contains("native v2"));
    assert!(reason(&mut d, &[1, 1, 1]).starts_with("descriptor byte"));
    assert_eq!(reason(&mut d, &[2]), "sign request ends inside its header");
    assert_eq!(
        run(&mut d, &cmd(SIGN, P1_FIRST, P2_LAST, &[2, 1, 0, 11])).1,
        sw(Status::InvalidPath)
    );
    // The transaction's RLP is decoded strictly and every rule checked.
    let mut req = request(&payment(), Scheme::Native, Descriptor::Single, 0);
    req.push(0);
    assert!(reason(&mut d, &req).contains("RLP"));
    let bad_batch: Transaction<4, 4> = Transaction::new(
        1,
        1,
        BatchPayment::<4> {
            token: Address([1; 20]),
            operations: heapless::Vec::from_slice(&[BatchEntry {
                recipient: Address([2; 20]),
                amount: Amount::ZERO,
            }])
            .unwrap(),
            created_at: 0,
            operations_hash: None,
            batch_id: None,
        },
    );
    assert_eq!(
        reason(
            &mut d,
            &request(&bad_batch, Scheme::Native, Descriptor::Single, 0)
        ),
        "`operations[0].amount` must not be zero"
    );
    let empty_multisig: Transaction<4, 4> = Transaction::new(1, 1, CreateMultiSig::default());
    assert!(reason(
        &mut d,
        &request(&empty_multisig, Scheme::Native, Descriptor::Single, 0)
    )
    .contains("signers"));
    // Rejected by the user.
    d.approver_mut().reject = true;
    let req = request(&payment(), Scheme::Native, Descriptor::Single, 0);
    assert_eq!(send(&mut d, &req, 100).1, sw(Status::Denied));
    d.approver_mut().reject = false;
    // Too large: the buffer is 2048 bytes.
    let big = [b' '; 255];
    assert_eq!(run(&mut d, &cmd(SIGN, P1_FIRST, P2_MORE, &big)).1, OK);
    for _ in 0..7 {
        assert_eq!(run(&mut d, &cmd(SIGN, P1_NEXT, P2_MORE, &big)).1, OK);
    }
    assert_eq!(d.state(), State::Receiving(2040));
    assert_eq!(
        run(&mut d, &cmd(SIGN, P1_NEXT, P2_MORE, &big)).1,
        sw(Status::TooLarge)
    );
    assert_eq!(d.state(), State::Idle);
    // A new request ends a pending sign.
    let req = request(&payment(), Scheme::Legacy, Descriptor::Single, 0);
    run(&mut d, &cmd(SIGN, P1_FIRST, P2_MORE, &req[..10]));
    run(&mut d, &cmd(0x01, 0, 0, &[]));
    assert_eq!(
        run(&mut d, &cmd(SIGN, P1_NEXT, P2_LAST, &req[10..])).1,
        sw(Status::WrongState)
    );
    assert_eq!(send(&mut d, &req, 50).1, OK);
    // Small response buffers.
    let mut tiny = [0u8; 1];
    assert_eq!(d.handle(&cmd(0x01, 0, 0, &[]), &mut tiny), 0);
    let mut two = [0u8; 2];
    assert_eq!(
        d.handle(&cmd(0x02, 0, 0, &path_bytes(&path(0))), &mut two),
        2
    );
    assert_eq!(u16::from_be_bytes(two), sw(Status::ResponseTooSmall));
    let mut small = [0u8; 20];
    let n = d.handle(&cmd(SIGN, 0, 1, &[9]), &mut small);
    let (text, status) = split_response(&small[..n]).unwrap();
    assert_eq!(status, sw(Status::InvalidData));
    assert!(core::str::from_utf8(text).is_ok());
    for status in Status::ALL {
        assert_eq!(Status::from_word(status.word()), Some(*status));
        assert_ne!(status_text(status.word()), "unknown status");
    }
}

#[test]
fn the_review_shows_look_alikes_as_code_points() {
    let mut d = device();
    let cyrillic: Transaction<4, 4> = Transaction::new(
        1_212_101,
        2,
        TokenIssue {
            symbol: crate::text::Text::new("USD\u{421}").unwrap(),
            name: crate::text::Text::new("Dollar").unwrap(),
            decimals: 6,
            master_authority: Address([3; 20]),
            is_private: false,
            clawback_enabled: Some(true),
        },
    );
    let req = request(&cyrillic, Scheme::Native, Descriptor::Single, 0);
    assert_eq!(send(&mut d, &req, 255).1, OK);
    let shown = "Symbol: \"USD\\u{421}\"".to_string();
    assert!(
        d.approver().pages.contains(&shown),
        "{:?}",
        d.approver().pages
    );
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn handle_never_panics(requests in proptest::collection::vec(
        proptest::collection::vec(any::<u8>(), 0..300), 0..8),
        size in 0usize..300,
    ) {
        let mut d: Device<Recorder, 64, 2, 2> = Device::new(seed(), Recorder::default());
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
}

/// PROVIDE_DEFINITION: a trusted definition turns the next sign's amounts
/// into whole tokens; each refusal has its cause byte; it serves one sign
/// only, and any other request forgets it.
#[test]
#[cfg(feature = "device-definitions")]
fn provided_definition_serves_the_next_sign_only() {
    use crate::definition::{TokenDefinition, TokenUnit};
    use crate::key::SigningKey;
    const PROVIDE: u8 = Instruction::ProvideDefinition as u8;
    let refused = sw(Status::DefinitionRefused);
    let definer = SigningKey::from_bytes(&[0x42; 32]).unwrap();
    let definition = |chain_id, token| {
        TokenDefinition {
            chain_id,
            token,
            unit: TokenUnit::new("USDX", 1).unwrap(),
        }
        .sign(&definer)
        .unwrap()
    };
    let good = definition(1_212_101, Address([1; 20]));
    let mut d = device();
    let tx = payment();
    let req = request(&tx, Scheme::Native, Descriptor::Single, 0);
    let amount = |d: &TestDevice| {
        d.approver()
            .pages
            .iter()
            .find(|p| p.starts_with("Amount"))
            .cloned()
    };

    // Untrusted: refused by name (9), and the sign shows base units.
    assert_eq!(
        run(&mut d, &cmd(PROVIDE, 0, 0, &good.encode())),
        (vec![9], refused)
    );
    assert_eq!(send(&mut d, &req, 200).1, OK);
    assert_eq!(amount(&d).as_deref(), Some("Amount: 10"));

    d.wallet_mut().trust_for_session(good.signer).unwrap();
    assert_eq!(
        run(&mut d, &cmd(PROVIDE, 0, 0, &good.encode())),
        (vec![], OK)
    );
    assert_eq!(send(&mut d, &req, 40).1, OK);
    assert_eq!(amount(&d).as_deref(), Some("Amount: 1 USDX"));
    assert!(d.approver().pages.contains(&"Base units: 10".to_string()));
    // Used once: the next sign is in base units again.
    assert_eq!(send(&mut d, &req, 200).1, OK);
    assert_eq!(amount(&d).as_deref(), Some("Amount: 10"));
    // Forgotten by any other request between it and the sign.
    assert_eq!(run(&mut d, &cmd(PROVIDE, 0, 0, &good.encode())).1, OK);
    assert_eq!(run(&mut d, &cmd(0x01, 0, 0, &[])).1, OK);
    assert_eq!(send(&mut d, &req, 200).1, OK);
    assert_eq!(amount(&d).as_deref(), Some("Amount: 10"));

    // Another chain or token: the sign is refused, nothing signed.
    for (other, cause) in [
        (definition(1, Address([1; 20])), 10),
        (definition(1_212_101, Address([9; 20])), 11),
    ] {
        assert_eq!(run(&mut d, &cmd(PROVIDE, 0, 0, &other.encode())).1, OK);
        assert_eq!(send(&mut d, &req, 200), (vec![cause], refused));
    }
    // Malformed ones: truncated, another version, a bad signature.
    let bytes = good.encode();
    let mut version = bytes;
    version[0] = 2;
    let mut forged = bytes;
    forged[80] ^= 1;
    for (data, cause) in [(&bytes[..100], 1), (&version[..], 3), (&forged[..], 8)] {
        assert_eq!(
            run(&mut d, &cmd(PROVIDE, 0, 0, data)),
            (vec![cause], refused)
        );
    }
    assert_eq!(
        run(&mut d, &cmd(PROVIDE, 1, 0, &bytes)).1,
        sw(Status::WrongP1P2)
    );

    // The last definition checked, provided again (its recovery skipped:
    // the QEMU test counts it), serves the next sign as the first time;
    // only its exact bytes are remembered, so a forged copy right after
    // is still refused, and the remembered one still served.
    for data in [&bytes[..], &bytes[..]] {
        assert_eq!(run(&mut d, &cmd(PROVIDE, 0, 0, data)), (vec![], OK));
        assert_eq!(send(&mut d, &req, 40).1, OK);
        assert_eq!(amount(&d).as_deref(), Some("Amount: 1 USDX"));
    }
    assert_eq!(
        run(&mut d, &cmd(PROVIDE, 0, 0, &forged)),
        (vec![8], refused)
    );
    assert_eq!(run(&mut d, &cmd(PROVIDE, 0, 0, &bytes)), (vec![], OK));
    assert_eq!(send(&mut d, &req, 40).1, OK);
    assert_eq!(amount(&d).as_deref(), Some("Amount: 1 USDX"));
}
