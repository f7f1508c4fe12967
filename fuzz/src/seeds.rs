//! The seed corpus, made from the spec's known-answer vectors
//! (`shared/spec/onemoney-issue-token.md`) and the core's own test cases.
//!
//! `cargo run --example make_seeds` writes these to `corpus/<target>/`;
//! `tests/replay.rs` checks that the committed files are still these.

use tokensign_core::{
    encode_rlp, json, signing_key_from_bytes, Address, PayloadFields, SignedRequest,
    TokenIssuePayload, MAX_PAYLOAD_JSON_LEN, MAX_REQUEST_JSON_LEN, MAX_RLP_LEN,
};

use tokensign_core::device;

use crate::roundtrip::RoundTripInput;

/// The spec's private key (its address is
/// 0x2045a425D0e131E747f8be2F044413733e412d7d).
pub const SPEC_KEY: [u8; 32] = [
    0x01, 0x83, 0x3a, 0x12, 0x6e, 0xc4, 0x5d, 0x01, 0x91, 0x51, 0x97, 0x48, 0x14, 0x6b, 0x9e, 0x35,
    0x64, 0x7a, 0xab, 0x7f, 0xed, 0x28, 0xde, 0x1c, 0x8e, 0x17, 0x82, 0x49, 0x70, 0xf9, 0x64, 0xa3,
];

/// The spec's payload: chain 1212101, nonce `nonce`, "TEST", "TEST
/// Stablecoin", 18 decimals, zero master authority, not private.
pub fn spec_payload(nonce: u64, clawback_enabled: Option<bool>) -> TokenIssuePayload {
    TokenIssuePayload::new(PayloadFields {
        chain_id: 1_212_101,
        nonce,
        symbol: "TEST",
        name: "TEST Stablecoin",
        decimals: 18,
        master_authority: Address::ZERO,
        is_private: false,
        clawback_enabled,
    })
    .expect("the spec's payload is valid")
}

/// The largest payload: every field at its longest encoding.
pub fn max_payload() -> TokenIssuePayload {
    TokenIssuePayload::new(PayloadFields {
        chain_id: i64::MAX as u64,
        nonce: i64::MAX as u64,
        symbol: "S2345678901234567890",
        name: &"\"".repeat(120),
        decimals: 18,
        master_authority: Address([0xff; 20]),
        is_private: true,
        clawback_enabled: Some(false),
    })
    .expect("valid")
}

/// A payload with Unicode and characters that JSON escapes.
pub fn unicode_payload() -> TokenIssuePayload {
    TokenIssuePayload::new(PayloadFields {
        chain_id: 21210,
        nonce: 0,
        symbol: "ÄÖ日本",
        name: "Café \"quoted\" \\ / — €, ✓ 日本 😀",
        decimals: 0,
        master_authority: Address::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
            .expect("EIP-55 example"),
        is_private: true,
        clawback_enabled: None,
    })
    .expect("valid")
}

fn payloads() -> Vec<(&'static str, TokenIssuePayload)> {
    vec![
        ("spec8", spec_payload(2, Some(true))),
        ("spec7", spec_payload(2, None)),
        ("spec8-nonce177", spec_payload(177, Some(true))),
        ("clawback-false", spec_payload(0, Some(false))),
        ("max", max_payload()),
        ("unicode", unicode_payload()),
    ]
}

fn spec_requests() -> Vec<(&'static str, SignedRequest)> {
    let key = signing_key_from_bytes(&SPEC_KEY).expect("the spec's key is valid");
    payloads()
        .into_iter()
        .map(|(name, p)| (name, SignedRequest::sign(p, &key).expect("signs")))
        .collect()
}

fn request_json(req: &SignedRequest) -> Vec<u8> {
    let mut out = [0u8; MAX_REQUEST_JSON_LEN];
    let n = json::write_request(req, &mut out).expect("fits");
    out[..n].to_vec()
}

fn payload_json(p: &TokenIssuePayload) -> Vec<u8> {
    let mut out = [0u8; MAX_PAYLOAD_JSON_LEN];
    let n = json::write_payload(p, &mut out).expect("fits");
    out[..n].to_vec()
}

fn rlp(p: &TokenIssuePayload) -> Vec<u8> {
    let mut out = [0u8; MAX_RLP_LEN];
    let n = encode_rlp(p, &mut out).expect("fits");
    out[..n].to_vec()
}

/// Seeds for one target, as (file name, bytes). Unknown targets have none.
pub fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>| out.push((name.to_string(), bytes));
    match target {
        "request_json" => {
            for (name, req) in spec_requests() {
                add(name, request_json(&req));
            }
            let spec8 = String::from_utf8(request_json(&spec_requests()[0].1)).expect("utf8");
            // Spaced out, escaped keys, short hex, and refused variants.
            add(
                "spaced",
                spec8
                    .replace(',', " ,\n\t")
                    .replace(':', " : ")
                    .into_bytes(),
            );
            add(
                "escaped-key",
                spec8
                    .replacen("\"nonce\"", "\"\\u006eonce\"", 1)
                    .into_bytes(),
            );
            add("reordered", {
                let (payload, sig) = spec8.split_at(spec8.find(",\"signature\"").expect("sig"));
                format!("{{{},{}}}", &sig[1..sig.len() - 1], &payload[1..]).into_bytes()
            });
            add("v27", spec8.replacen("\"v\":1", "\"v\":27", 1).into_bytes());
            add("no-signature", payload_json(&spec_payload(2, Some(true))));
            add(
                "duplicate",
                spec8
                    .replacen("\"nonce\":2,", "\"nonce\":2,\"nonce\":2,", 1)
                    .into_bytes(),
            );
        }
        "payload_json" => {
            for (name, p) in payloads() {
                add(name, payload_json(&p));
            }
            let spec8 =
                String::from_utf8(payload_json(&spec_payload(2, Some(true)))).expect("utf8");
            add(
                "escapes",
                br#"{"chain_id":1,"nonce":0,"symbol":"\u0041B","name":"a\"b\\c\/ \ud83d\ude00 \u00e9","decimals":0,"master_authority":"0x0000000000000000000000000000000000000000","is_private":true}"#.to_vec(),
            );
            add(
                "nonce-out-of-range",
                spec8
                    .replacen("\"nonce\":2", "\"nonce\":9223372036854775808", 1)
                    .into_bytes(),
            );
            add(
                "bidi-name",
                spec8
                    .replacen("TEST Stablecoin", "TEST\\u202eStable", 1)
                    .into_bytes(),
            );
            add("not-an-object", b"[]".to_vec());
        }
        "rlp_decode" => {
            for (name, p) in payloads() {
                add(name, rlp(&p));
            }
            add("empty-list", vec![0xc0]);
            add("string", vec![0x80]);
            add(
                "integer-overflow",
                vec![0xca, 0x89, 0x01, 0, 0, 0, 0, 0, 0, 0, 0],
            );
            let mut long_form = rlp(&spec_payload(2, None));
            long_form[0] = 0x31;
            long_form.insert(0, 0xf8);
            add("non-canonical-length", long_form);
        }
        "address_parse" => {
            for (i, text) in [
                "0x0000000000000000000000000000000000000000",
                "0x2045a425D0e131E747f8be2F044413733e412d7d",
                "0x2045a425d0e131e747f8be2f044413733e412d7d",
                "0X2045A425D0E131E747F8BE2F044413733E412D7D",
                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
                "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
                "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
                "0x32b832b49fc164cae5e6e80d4abc995c7d494519",
                "0x1234",
                "0xg000000000000000000000000000000000000000",
            ]
            .iter()
            .enumerate()
            {
                add(&format!("address-{i:02}"), text.as_bytes().to_vec());
            }
        }
        "roundtrip" => {
            for (name, p) in payloads() {
                let f = p.fields();
                let input = RoundTripInput {
                    secret: SPEC_KEY,
                    chain_id: f.chain_id,
                    nonce: f.nonce,
                    decimals: f.decimals,
                    is_private: f.is_private,
                    clawback_enabled: f.clawback_enabled,
                    master_authority: f.master_authority.0,
                    symbol: f.symbol.to_string(),
                    name: f.name.to_string(),
                };
                add(name, input.to_bytes());
            }
        }
        "device_protocol" => {
            for (name, bytes) in device_sessions() {
                add(name, bytes);
            }
        }
        "server_handler" => {
            for (name, bytes) in server_sessions() {
                add(name, bytes);
            }
        }
        _ => {}
    }
    out
}

/// A plain request in the `server_handler` input format.
fn http(route: u8, method: u8, content_type: u8, query: &str, body: &[u8]) -> Vec<u8> {
    let mut out = vec![route, method, content_type];
    out.push(u8::try_from(query.len()).expect("short query"));
    out.extend(query.as_bytes());
    out.extend(u16::try_from(body.len()).expect("u16").to_le_bytes());
    out.extend(body);
    out
}

/// A built issue request: signer mode, nonce offset, chain, symbol pool
/// index, master pool index, flags; no body edit.
fn built_issue(
    signer: u8,
    nonce_offset: i8,
    chain: u8,
    symbol: u8,
    master: u8,
    flags: u8,
) -> Vec<u8> {
    vec![
        0x80,
        signer,
        nonce_offset as u8,
        chain,
        symbol,
        master,
        flags,
        0xff,
        0xff,
        0,
    ]
}

/// Server sessions: each route's success and refusals.
fn server_sessions() -> Vec<(&'static str, Vec<u8>)> {
    let spec8 = request_json(&spec_requests()[0].1);
    let zero = "address=0x0000000000000000000000000000000000000000";
    vec![
        (
            "issue-read-mint",
            [
                built_issue(0, 0, 0, 0, 0, 0),
                built_issue(0, 0, 0, 1, 1, 6),
                http(
                    3,
                    0,
                    3,
                    "address=0x2045a425D0e131E747f8be2F044413733e412d7d",
                    b"",
                ),
                http(
                    5,
                    0,
                    3,
                    "token=0x32b832b49fc164cae5e6e80d4abc995c7d494519",
                    b"",
                ),
                vec![0xc0, 0, 0, 100, 0, 3, b'0', b'x', b'1'],
                vec![0xc0, 0, 0, 100, 0, 3, b'0', b'x', b'1'],
                vec![0xc0, 0xff, 3, 0],
            ]
            .concat(),
        ),
        (
            "issue-refusals",
            [
                built_issue(1, 0, 0, 2, 2, 0),
                built_issue(0, 0, 1, 2, 2, 0),
                built_issue(0, 5, 0, 2, 2, 0),
                built_issue(2, 0, 0, 2, 2, 0),
                built_issue(0, 0, 0, 0, 0, 0),
                built_issue(0, 0, 0, 0, 1, 0),
                {
                    let mut edited = built_issue(0, 0, 0, 3, 2, 1);
                    edited[7..10].copy_from_slice(&[40, 0, b'X']);
                    edited
                },
            ]
            .concat(),
        ),
        (
            "issue-bodies",
            [
                http(0, 0, 0, "", &spec8),
                http(0, 0, 0, "", &spec8[..spec8.len() - 2]),
                http(0, 0, 3, "", &spec8),
                http(0, 0, 5, "", &spec8),
                http(0, 0, 4, "", b"{}"),
                http(0, 0, 0, "", &[b' '; 9000]),
                http(0, 5, 0, "", &spec8),
                http(0, 7, 0, "", b""),
            ]
            .concat(),
        ),
        (
            "reads",
            [
                http(2, 0, 3, "", b""),
                http(3, 0, 3, zero, b""),
                http(3, 0, 3, "address=0xzz", b""),
                http(3, 0, 3, "%zz=1", b""),
                http(3, 0, 3, "", b""),
                http(
                    4,
                    0,
                    3,
                    "hash=0x42b8740f273fdb3dc9051dba6d98b2e8ef744fe4e053d6f5ed17a89ec2cb417c",
                    b"",
                ),
                http(4, 0, 3, "hash=0x12", b""),
                http(6, 0, 3, "", b""),
            ]
            .concat(),
        ),
        (
            "other-routes",
            [
                http(7, 0, 3, "v1/unknown", b""),
                http(7, 4, 0, "v1/tokens/issue/", b"{}"),
                http(2, 4, 0, "", b"{}"),
                http(
                    1,
                    0,
                    0,
                    "",
                    b"{\"asset_id\":\"TEST\",\"amount\":1,\"recipient_wallet_address\":\"x\"}",
                ),
                http(1, 0, 0, "", b"{\"extra\":1}"),
                http(1, 3, 0, "", b""),
            ]
            .concat(),
        ),
    ]
}

fn apdu(ins: u8, p1: u8, p2: u8, data: &[u8]) -> Vec<u8> {
    let mut out = [0u8; 5 + 255];
    let n = device::encode_command(ins, p1, p2, data, &mut out).expect("fits");
    out[..n].to_vec()
}

fn frame(kind: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = [0u8; device::MAX_FRAME_PAYLOAD + device::FRAME_OVERHEAD];
    let n = device::encode_frame(kind, payload, &mut out).expect("fits");
    out[..n].to_vec()
}

/// Device sessions: the protocol's normal use and each of its refusals.
fn device_sessions() -> Vec<(&'static str, Vec<u8>)> {
    use crate::device::{encode_session, Step};
    use device::{INS_GET_ADDRESS, INS_GET_VERSION, INS_SIGN_ISSUE, MAX_RESPONSE_LEN};
    let full = MAX_RESPONSE_LEN;
    let spec8 = payload_json(&spec_payload(2, Some(true)));
    let spec7 = payload_json(&spec_payload(177, None));
    let command =
        |response: usize, cla_ok: bool, ins: u8, p1: u8, p2: u8, data: &[u8]| Step::Command {
            response,
            cla_ok,
            ins,
            p1,
            p2,
            data: data.to_vec(),
        };
    let cmd = |ins: u8, p1: u8, p2: u8, data: &[u8]| command(full, true, ins, p1, p2, data);
    let sign = |chunk: usize, json: &[u8]| Step::Sign {
        response: full,
        chunk,
        json: json.to_vec(),
    };
    let mut stream = vec![0x00, 0xa5, 0x01];
    stream.extend(frame(
        device::FRAME_REQUEST,
        &apdu(INS_GET_VERSION, 0, 0, &[]),
    ));
    stream.extend(frame(
        device::FRAME_REQUEST,
        &apdu(INS_SIGN_ISSUE, 0, 1, &spec8),
    ));
    let mut corrupt = frame(device::FRAME_REQUEST, &apdu(INS_GET_ADDRESS, 0, 0, &[]));
    corrupt[6] ^= 1;
    stream.extend(corrupt);
    stream.extend(frame(device::FRAME_DISPLAY, b"Symbol: TEST"));
    stream.extend(frame(
        device::FRAME_REQUEST,
        &apdu(INS_GET_ADDRESS, 0, 0, &[]),
    ));
    vec![
        (
            "normal",
            encode_session(&[
                cmd(INS_GET_VERSION, 0, 0, &[]),
                cmd(INS_GET_ADDRESS, 0, 0, &[]),
                sign(64, &spec8),
                sign(255, &spec7),
            ]),
        ),
        (
            "byte-chunks-reject-approve",
            encode_session(&[
                Step::User {
                    approve: false,
                    width: 7,
                },
                sign(1, &spec8),
                Step::User {
                    approve: true,
                    width: 0,
                },
                sign(13, &payload_json(&unicode_payload())),
                sign(200, &payload_json(&max_payload())),
            ]),
        ),
        ("stream", encode_session(&[Step::Stream { bytes: stream }])),
        (
            "small-responses",
            encode_session(&[
                command(10, true, INS_GET_ADDRESS, 0, 0, &[]),
                command(3, true, INS_GET_VERSION, 0, 0, &[]),
                Step::Sign {
                    response: 50,
                    chunk: 100,
                    json: spec8.clone(),
                },
                Step::Sign {
                    response: 20,
                    chunk: 100,
                    json: String::from_utf8(spec8.clone())
                        .expect("utf8")
                        .replacen("\"TEST\"", "\"TE-ST\"", 1)
                        .into_bytes(),
                },
                Step::Raw {
                    response: 1,
                    apdu: apdu(INS_GET_ADDRESS, 0, 0, &[]),
                },
            ]),
        ),
        (
            "refusals",
            encode_session(&[
                Step::Raw {
                    response: full,
                    apdu: vec![device::CLA, 1, 0],
                },
                command(full, false, INS_GET_VERSION, 0, 0, &[]),
                Step::Raw {
                    response: full,
                    apdu: vec![device::CLA, INS_GET_ADDRESS, 0, 0, 3, 1],
                },
                cmd(INS_GET_ADDRESS, 1, 0, &[]),
                cmd(INS_GET_VERSION, 0, 0, &[1]),
                cmd(0x10, 0, 0, &[]),
                cmd(INS_SIGN_ISSUE, 1, 0, b"{"),
                cmd(INS_SIGN_ISSUE, 0, 2, b"{"),
                cmd(INS_SIGN_ISSUE, 2, 0, b"{"),
                cmd(INS_SIGN_ISSUE, 0, 0, &[b' '; 255]),
                cmd(INS_SIGN_ISSUE, 1, 0, &[b' '; 255]),
                cmd(INS_SIGN_ISSUE, 1, 1, &[b' '; 255]),
                sign(255, b"{\"chain_id\":1}"),
                sign(255, &spec8[..spec8.len() - 1]),
            ]),
        ),
    ]
}
