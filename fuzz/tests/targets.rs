//! The targets' checks do check: known answers pass through the deep paths.

use tokensign_core::device::{
    parse_sign_response, split_response, CLA, INS_SIGN_ISSUE, MAX_RESPONSE_LEN, P1_FIRST, P2_LAST,
    SW_DENIED, SW_OK,
};
use tokensign_fuzz::device::{Session, Step};
use tokensign_fuzz::seeds::spec_payload;

fn spec8_json() -> Vec<u8> {
    let mut buf = [0u8; tokensign_core::MAX_PAYLOAD_JSON_LEN];
    let n = tokensign_core::json::write_payload(&spec_payload(2, Some(true)), &mut buf).unwrap();
    buf[..n].to_vec()
}

#[test]
fn device_signs_the_spec_vector_and_the_model_agrees() {
    let json = spec8_json();
    let mut apdu = vec![CLA, INS_SIGN_ISSUE, P1_FIRST, P2_LAST, json.len() as u8];
    apdu.extend_from_slice(&json);
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
