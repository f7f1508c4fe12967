//! The targets' checks do check: known answers pass through the deep paths,
//! and the oracles refuse what they must.

use tokensign_core::device::{
    parse_sign_response, split_response, Status, CLA, MAX_RESPONSE_LEN, P1_FIRST, P2_LAST,
};
use tokensign_core::OpType;
use tokensign_fuzz::device::Session;
use tokensign_fuzz::device_model::{path_bytes, request_header, RequestParts, DEVICE_BUFFER};
use tokensign_fuzz::device_session::{Session as Input, Step};
use tokensign_fuzz::reference::{assert_json_equivalent, Normalized};
use tokensign_fuzz::tx_targets::Selector;
use tokensign_fuzz::vectors::native_vectors;

fn status(answer: &[u8]) -> Status {
    Status::from_word(split_response(answer).unwrap().1).unwrap()
}

fn command(ins: u8, p1: u8, p2: u8, data: &[u8]) -> Vec<u8> {
    let mut apdu = vec![CLA, ins, p1, p2, data.len() as u8];
    apdu.extend_from_slice(data);
    apdu
}

/// anvil's accounts 0 and 1 (m/44'/60'/0'/0/0 and /1 of the test mnemonic).
#[test]
fn device_answers_known_addresses_and_signs_as_the_model_expects() {
    let mut session = Session::new(false);
    for (index, expected) in [
        (0, "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
        (1, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
    ] {
        let answer = session.exchange(
            &command(0x02, 0, 0, &path_bytes(&[], Some(index))),
            MAX_RESPONSE_LEN,
        );
        let (data, _) = split_response(&answer).unwrap();
        assert_eq!(
            tokensign_core::Address(data.try_into().unwrap()).to_string(),
            expected
        );
    }
    let payment = native_vectors()
        .into_iter()
        .find(|v| v.name == "Payment_single")
        .unwrap();
    let mut request = request_header(&RequestParts {
        scheme: 2,
        op: OpType::Payment.number(),
        account: None,
        path_index: 0,
    });
    request.extend_from_slice(&payment.payload);
    let apdu = command(0x05, P1_FIRST, P2_LAST, &request);
    let answer = session.exchange(&apdu, MAX_RESPONSE_LEN);
    assert_eq!(status(&answer), Status::Ok);
    let (data, _) = split_response(&answer).unwrap();
    assert!(parse_sign_response(data).is_some());

    session.run(&Step::User {
        approve: false,
        width: 3,
    });
    assert_eq!(
        status(&session.exchange(&apdu, MAX_RESPONSE_LEN)),
        Status::Denied
    );
    let mut empty = Session::new(true);
    assert_eq!(
        status(&empty.exchange(&apdu, MAX_RESPONSE_LEN)),
        Status::NotProvisioned
    );
}

#[test]
fn the_device_buffer_overflows_as_the_model_expects() {
    let mut session = Session::new(false);
    let mut statuses = Vec::new();
    for i in 0..6 {
        let answer = session.exchange(
            &command(0x05, u8::from(i > 0), 0, &[0; 255]),
            MAX_RESPONSE_LEN,
        );
        statuses.push(status(&answer));
    }
    let fits = DEVICE_BUFFER / 255;
    assert_eq!(statuses[..fits], vec![Status::Ok; fits][..]);
    assert_eq!(statuses[fits], Status::TooLarge);
    assert_eq!(statuses[fits + 1], Status::WrongState);
}

#[test]
fn device_seeds_read_back_as_their_sessions() {
    for (name, bytes) in tokensign_fuzz::seeds::seeds("device_protocol") {
        let session = Input::from_bytes(&bytes).expect(&name);
        assert_eq!(session.to_bytes(), bytes, "{name}");
        assert!(!session.steps.is_empty(), "{name}");
    }
}

#[test]
fn selectors_round_trip() {
    for &op in OpType::ALL {
        for variant in 0..4 {
            for small in [false, true] {
                let s = Selector { op, variant, small };
                assert_eq!(Selector::from_byte(s.to_byte(), 4), s);
                if variant < 2 {
                    assert_eq!(Selector::from_byte(s.to_byte(), 2), s);
                }
            }
        }
    }
    // Every byte selects something.
    for b in 0..=255u8 {
        let s = Selector::from_byte(b, 4);
        assert!(s.variant < 4);
    }
}

#[test]
fn the_json_oracle_sees_differences() {
    let same = |a: &str, b: &str| {
        std::panic::catch_unwind(|| {
            assert_json_equivalent(a.as_bytes(), b.as_bytes(), Normalized::default())
        })
        .is_ok()
    };
    assert!(same(r#"{"a":"x","b":null}"#, r#"{"a":"x"}"#));
    assert!(same(
        r#"{"token":"0xABCDEF0000000000000000000000000000000000"}"#,
        r#"{"token":"0xabcdef0000000000000000000000000000000000"}"#
    ));
    assert!(same(r#"{"r":"0x01"}"#, r#"{"r":"0x0000000001"}"#));
    assert!(!same(r#"{"a":"x"}"#, r#"{"a":"y"}"#));
    assert!(!same(r#"{"a":1}"#, r#"{"a":1.0}"#));
    assert!(!same(r#"{"a":"x"}"#, r#"{"a":"x","b":1}"#));
    assert!(!same(
        r#"{"bridge_param":"0x01"}"#,
        r#"{"bridge_param":"0x0001"}"#
    ));
    assert!(!same(r#"{"a":[1,2]}"#, r#"{"a":[2,1]}"#));
    assert!(!same("{\"a\":1,}", r#"{"a":1}"#), "not JSON");
}

/// The seeds made from the spec's vectors are accepted by their decoders
/// (so the targets start from the deep paths), and the hand-made edge
/// cases of the encodings are refused.
#[test]
fn vector_seeds_are_accepted_and_edge_cases_refused() {
    use tokensign_core::{json, legacy, native};
    use tokensign_fuzz::seeds::seeds;
    let mut accepted = 0;
    let mut refused_vectors = Vec::new();
    for (name, bytes) in seeds("tx_json") {
        let s = Selector::from_byte(bytes[0], 4);
        let body = &bytes[1..];
        let ok = match (s.small, s.variant) {
            (true, _) => continue,
            (false, 0) => json::parse_unsigned::<256, 32>(s.op, body).is_ok(),
            (false, 1) => json::parse_document::<256, 32>(body).is_ok(),
            (false, 2) => json::parse_legacy::<256, 32>(s.op, body).is_ok(),
            (false, _) => json::parse_native::<256, 32>(s.op, body).is_ok(),
        };
        let vector = !name.starts_with("edge-") && !name.starts_with("batch-");
        if vector && !ok {
            refused_vectors.push(name.clone());
        }
        if name.contains("-extra-member")
            || name.contains("-missing-")
            || name.contains("-native-") && !name.contains("default-clawback")
        {
            assert!(!ok, "tx_json seed {name} is accepted");
        }
        accepted += usize::from(ok);
    }
    assert!(accepted > 150, "{accepted} tx_json seeds accepted");
    // The v2 vectors' CreateMultiSig has keys that are not curve points (it
    // pins the encoding only): its bodies are refused, every other vector's
    // are accepted.
    assert!(
        refused_vectors
            .iter()
            .all(|n| n.starts_with("CreateMultiSig")),
        "refused: {refused_vectors:?}"
    );
    for (name, bytes) in seeds("tx_rlp") {
        let s = Selector::from_byte(bytes[0], 2);
        let body = &bytes[1..];
        let ok = match (s.small, s.variant) {
            (true, _) => continue,
            (false, 0) => legacy::decode_signed_value::<256, 32>(s.op, body).is_ok(),
            (false, _) => native::decode_payload_rlp::<256, 32>(s.op, body).is_ok(),
        };
        assert_eq!(
            ok,
            !name.starts_with("edge-") || name.ends_with("-full") || name.ends_with("-real-keys"),
            "tx_rlp seed {name}"
        );
    }
    for (name, bytes) in seeds("native_envelope") {
        let body = &bytes[1..];
        let ok = match bytes[0] {
            0 => native::decode_unsigned::<256, 32>(body).is_ok(),
            1 => native::decode_signed::<256, 32>(body).is_ok(),
            _ => continue,
        };
        assert_eq!(
            ok,
            !name.starts_with("edge-") || name.contains("real-multisig"),
            "envelope seed {name}"
        );
    }
}
