//! Seeds of `server_handler`: each route's success and refusals.
//!
//! TEMP: moved here from `seeds.rs`, and out of the build with the target
//! itself, while the host is not ported to the new core. When the lead
//! re-enables it: port these to the new core's API (`json::write_legacy` of
//! a `LegacyTx`), declare this module in `lib.rs`, and add
//! `"server_handler" => server_seeds::server_sessions()` back to
//! `seeds::seeds` and `("server_handler", server::server_handler)` to
//! `TARGETS`.

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
pub fn server_sessions() -> Vec<(&'static str, Vec<u8>)> {
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

