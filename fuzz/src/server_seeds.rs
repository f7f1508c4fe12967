//! Seeds of `server_handler`: every route reached raw, and a valid signed
//! write of every operation on v1 and v2 (the input format of
//! [`crate::server`]).

use tokensign_core::tx::OpType;

use crate::server::routes;

/// A raw request: route, method, content type, query, body.
fn http(route: &str, method: u8, content_type: u8, query: &str, body: &[u8]) -> Vec<u8> {
    let index = routes()
        .iter()
        .position(|r| *r == route)
        .expect("a route of the list");
    let mut out = vec![u8::try_from(index).expect("fewer than 128 routes")];
    out.extend([method, content_type]);
    out.push(u8::try_from(query.len()).expect("short query"));
    out.extend(query.as_bytes());
    out.extend(u16::try_from(body.len()).expect("u16").to_le_bytes());
    out.extend(body);
    out
}

/// A built write of `op`: signer index, flags, then field bytes.
fn built(op: OpType, signer: u8, flags: u8, fields: [u8; 4]) -> Vec<u8> {
    let index = OpType::ALL.iter().position(|o| *o == op).expect("an op");
    let mut out = vec![0x80 | u8::try_from(index).expect("14 ops"), signer, flags];
    out.extend(fields);
    out
}

/// The seed sessions, by name.
pub fn server_sessions() -> Vec<(&'static str, Vec<u8>)> {
    const GET: u8 = 0;
    const POST: u8 = 1;
    const DELETE: u8 = 3;
    let addr = "address=0x0101010101010101010101010101010101010101";
    let mut out = vec![
        (
            "status_health_doc",
            [
                http("/api/status", GET, 3, "", b""),
                http("/api/health", GET, 3, "", b""),
                http("/openapi.json", GET, 3, "", b""),
            ]
            .concat(),
        ),
        (
            "reads",
            [
                http("/v1/accounts/nonce", GET, 3, addr, b""),
                http("/v1/accounts/bbnonce", GET, 3, addr, b""),
                http("/v1/chains/chain_id", GET, 3, "", b""),
                http("/v1/checkpoints/number", GET, 3, "", b""),
                http(
                    "/v1/checkpoints/by_number",
                    GET,
                    3,
                    "number=1&full=true",
                    b"",
                ),
                http(
                    "/v1/checkpoints/receipts/by_number",
                    GET,
                    3,
                    "number=1",
                    b"",
                ),
                http("/v1/transactions/by_hash", GET, 3, "hash=0xabab", b""),
            ]
            .concat(),
        ),
        (
            "wrong_method_and_unknown",
            [
                http("/v1/transactions/payment", GET, 3, "", b""),
                http("/api/status", DELETE, 3, "", b""),
                http("/nope", POST, 0, "", b"{}"),
                http("/v1/transactions/raw", POST, 0, "", b"{}"),
            ]
            .concat(),
        ),
        (
            "bad_bodies",
            [
                http(
                    "/v2/transactions/payment",
                    POST,
                    0,
                    "",
                    b"{\"chain_id\":1212101",
                ),
                http("/v1/tokens/mint", POST, 2, "", b"{}"),
                http(
                    "/v1/transactions/batch_payment/estimate_fee",
                    POST,
                    0,
                    "",
                    b"{\"from\":1}",
                ),
                http(
                    "/api/tokens/mint",
                    POST,
                    0,
                    "",
                    br#"{"asset_id":"FUZ","amount":1,"recipient_wallet_address":"w"}"#,
                ),
            ]
            .concat(),
        ),
    ];
    let names: [(&str, &str); 14] = [
        ("payment_v1_v2", ""),
        ("issue_v1_v2", ""),
        ("mint_v1_v2", ""),
        ("authority_v1_v2", ""),
        ("blacklist_v1_v2", ""),
        ("whitelist_v1_v2", ""),
        ("pause_v1_v2", ""),
        ("burn_v1_v2", ""),
        ("clawback_v1_v2", ""),
        ("metadata_v1_v2", ""),
        ("bridge_mint_v1_v2", ""),
        ("burn_bridge_v1_v2", ""),
        ("multisig_v2", ""),
        ("batch_v2", ""),
    ];
    for (op, (name, _)) in OpType::ALL.iter().zip(names) {
        // By the master (signer 1): v1, then v2, then a stale nonce.
        out.push((
            name,
            [
                built(*op, 1, 1, [1, 3, 2, 5]),
                built(*op, 1, 0, [1, 4, 3, 6]),
                built(*op, 2, 4, [2, 1, 1, 1]),
            ]
            .concat(),
        ));
    }
    out
}
