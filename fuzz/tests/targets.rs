//! The targets' checks do check: known answers pass through the deep paths,
//! and the oracles refuse what they must.

use tokensign_core::device::{
    parse_sign_response, split_response, CLA, INS_SIGN_ISSUE, MAX_RESPONSE_LEN, P1_FIRST, P2_LAST,
    SW_DENIED, SW_OK, SW_TOO_LARGE,
};
use tokensign_core::OpType;
use tokensign_fuzz::device::{issue_json, Session, Step, DEVICE_BUFFER};
use tokensign_fuzz::reference::{assert_json_equivalent, Normalized};
use tokensign_fuzz::seeds::{max_issue, memo_issue, spec_issue};
use tokensign_fuzz::tx_targets::Selector;

fn sign_apdu(json: &[u8]) -> Vec<u8> {
    let mut apdu = vec![CLA, INS_SIGN_ISSUE, P1_FIRST, P2_LAST, json.len() as u8];
    apdu.extend_from_slice(json);
    apdu
}

#[test]
fn device_signs_the_spec_vector_and_the_model_agrees() {
    let apdu = sign_apdu(&issue_json(&spec_issue(2, Some(true))));
    let mut session = Session::new();
    let answer = session.exchange(&apdu, MAX_RESPONSE_LEN);
    let (data, sw) = split_response(&answer).unwrap();
    assert_eq!(sw, SW_OK);
    let (sig, _) = parse_sign_response(data).unwrap();
    assert_eq!(
        hex(&sig.r),
        "db4741c7f2ce4a2d78e790331075284efaeee0b217e9c9ccf334d3014d98b7bb"
    );
    assert_eq!(sig.v, 1);

    session.run(&Step::User {
        approve: false,
        width: 3,
    });
    let answer = session.exchange(&apdu, MAX_RESPONSE_LEN);
    assert_eq!(split_response(&answer).unwrap().1, SW_DENIED);
}

#[test]
fn the_device_buffer_holds_every_issue_without_memo_and_not_a_long_memo() {
    assert!(issue_json(&max_issue()).len() <= DEVICE_BUFFER);
    let long = tokensign_core::tx::Memo::new("t", "f", &"\"".repeat(256)).unwrap();
    let json = issue_json(&memo_issue().with_memo(long));
    assert!(json.len() > DEVICE_BUFFER);
    let mut session = Session::new();
    session.run(&Step::Sign {
        response: MAX_RESPONSE_LEN,
        chunk: 255,
        json: json.clone(),
    });
    // Sent by hand: every chunk is taken until the buffer would overflow.
    let mut statuses = Vec::new();
    for (i, chunk) in json.chunks(255).enumerate() {
        let mut apdu = vec![CLA, INS_SIGN_ISSUE, u8::from(i > 0), 0, chunk.len() as u8];
        apdu.extend_from_slice(chunk);
        let answer = session.exchange(&apdu, MAX_RESPONSE_LEN);
        statuses.push(split_response(&answer).unwrap().1);
    }
    let fits = DEVICE_BUFFER / 255;
    assert_eq!(statuses[..fits], vec![SW_OK; fits][..]);
    assert_eq!(statuses[fits], SW_TOO_LARGE);
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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
