//! Seeds of `server_handler`: every route reached raw, and a valid signed
//! write of every operation on v1 and v2 (the input format of
//! [`crate::server`]).

use tokensign_core::tx::OpType;

use crate::arbitrary_bytes::{Long, Short};
use crate::ledger_ops::{NonceChoice, Sender, Session, Step, Write, KEEP_NON_MEMBERS, NO_ACCOUNT};
use crate::server::input::{BuiltWrite, ContentType, HttpMethod, RawRequest, Request, Requests};
use crate::server::routes;

fn op_index(op: OpType) -> u8 {
    u8::try_from(OpType::ALL.iter().position(|o| *o == op).expect("an op")).expect("14")
}

/// A v2 write of `op` by key `signer` on token `token` (the ledger's
/// tokens by address; 0 is the start's token while it is the only one).
fn w(op: OpType, signer: u8, token: u8, fields: [u8; 4]) -> Step {
    Step::Write(Write {
        op: op_index(op),
        sender: Sender::Key(signer),
        token,
        v1: false,
        nonce: NonceChoice::Current,
        wrong_chain: false,
        tamper: None,
        fields,
    })
}

/// A v2 `Payment` by a multisig account (by index)
/// and the keys in `members`.
fn multisig(account: u8, members: u8, fields: [u8; 4]) -> Step {
    Step::Write(Write {
        op: op_index(OpType::Payment),
        sender: Sender::Multisig { account, members },
        token: 0,
        v1: false,
        nonce: NonceChoice::Current,
        wrong_chain: false,
        tamper: None,
        fields,
    })
}

/// The same write with one thing changed.
fn with(step: Step, change: impl FnOnce(&mut Write)) -> Step {
    let Step::Write(mut write) = step else {
        unreachable!("a write")
    };
    change(&mut write);
    Step::Write(write)
}

/// Seeds of `ledger_ops`: sessions of writes through the ledger's rules
/// (the format of [`crate::ledger_ops::Session`], written by its
/// `to_bytes`). Keys: 0 the operator, 1 the start token's master, 2 and 3
/// holders.
pub fn ops_sessions() -> Vec<(&'static str, Vec<u8>)> {
    use OpType::*;
    let sessions = [
        (
            "mint_pay_pause",
            vec![
                w(TokenMint, 1, 0, [5, 0, 2, 0]),
                w(Payment, 2, 0, [3, 1, 3, 0]),
                w(TokenPause, 1, 0, [0, 0, 0, 0]),
                w(Payment, 2, 0, [3, 1, 3, 0]),
                w(TokenPause, 1, 0, [0, 0, 1, 0]),
                with(w(Payment, 3, 0, [2, 0, 2, 0]), |x| x.v1 = true),
                w(TokenBurn, 2, 0, [1, 0, 0, 0]),
            ],
        ),
        (
            "lists_and_authority",
            vec![
                w(TokenBlacklist, 1, 0, [0, 0, 0, 3]),
                w(Payment, 3, 0, [1, 0, 2, 0]),
                w(TokenBlacklist, 1, 0, [0, 0, 1, 3]),
                w(TokenAuthority, 1, 0, [1, 0, 6, 1]),
                w(TokenMint, 3, 0, [1, 0, 3, 0]),
                w(TokenClawback, 1, 0, [1, 0, 2, 1]),
                w(TokenWhitelist, 1, 0, [0, 0, 0, 2]),
                w(TokenMetadata, 1, 0, [0, 0, 0, 0]),
            ],
        ),
        (
            "issue_and_batch",
            vec![
                w(TokenIssue, 0, 0, [0, 0, 7, 1]),
                w(BatchPayment, 2, 0, [4, 1, 3, 2]),
                w(TokenBridgeAndMint, 1, 0, [2, 0, 1, 1]),
                w(TokenBurnAndBridge, 2, 0, [1, 0, 2, 4]),
                w(TokenMint, 1, 0, [9, 0, 2, 0]),
            ],
        ),
        (
            "multisig",
            vec![
                w(CreateMultiSig, 2, 0, [0, 0, 0, 1]),
                Step::Write(Write {
                    op: op_index(Payment),
                    sender: Sender::Multisig {
                        account: 0,
                        members: 0b0011,
                    },
                    token: 0,
                    v1: false,
                    nonce: NonceChoice::Current,
                    wrong_chain: false,
                    tamper: None,
                    fields: [0, 0, 2, 0],
                }),
                w(TokenMint, 1, 0, [1, 0, 2, 0]),
            ],
        ),
        (
            "refused_by_the_rules",
            vec![
                // Pause twice: AlreadyPaused.
                w(TokenPause, 1, 0, [0, 0, 0, 0]),
                w(TokenPause, 1, 0, [0, 0, 0, 0]),
                w(TokenPause, 1, 0, [0, 0, 1, 0]),
                // Pause to key 3 twice: AuthorityAlreadyGranted.
                w(TokenAuthority, 1, 0, [1, 0, 6, 2]),
                w(TokenAuthority, 1, 0, [1, 0, 6, 2]),
                // The master makes key 2 the master mint/burn authority,
                // which grants itself MintBurnTokens: SelfGrant.
                w(TokenAuthority, 1, 0, [1, 0, 4, 0]),
                w(TokenAuthority, 2, 0, [1, 0, 4, 1]),
                // A public token without clawback (master key 1), then a
                // clawback on each token: ClawbackDisabled on the new one.
                w(TokenIssue, 0, 0, [0, 0, 1, 1]),
                w(TokenClawback, 1, 0, [1, 0, 2, 1]),
                w(TokenClawback, 1, 1, [1, 0, 2, 1]),
                // A 2-of account of keys 0 (weight 1) and 1 (weight 2),
                // then a payment signed by key 0 alone:
                // MultisigBelowThreshold.
                w(CreateMultiSig, 2, 0, [0, 0, 0, 3]),
                Step::Write(Write {
                    op: op_index(Payment),
                    sender: Sender::Multisig {
                        account: 0,
                        members: 0b0001,
                    },
                    token: 0,
                    v1: false,
                    nonce: NonceChoice::Current,
                    wrong_chain: false,
                    tamper: None,
                    fields: [0, 0, 2, 0],
                }),
            ],
        ),
        (
            "limits_and_strangers",
            vec![
                // A mint of U256::MAX − 0 on top of the supply:
                // AmountOverflow.
                w(TokenMint, 1, 0, [0, 240, 2, 0]),
                // Pause granted to six distinct holders (four keys, two
                // addresses without keys), one more than the ledger allows:
                // AuthorityLimitReached.
                w(TokenAuthority, 1, 0, [1, 0, 0, 2]),
                w(TokenAuthority, 1, 0, [1, 0, 2, 2]),
                w(TokenAuthority, 1, 0, [1, 0, 4, 2]),
                w(TokenAuthority, 1, 0, [1, 0, 6, 2]),
                w(TokenAuthority, 1, 0, [1, 0, 8, 2]),
                w(TokenAuthority, 1, 0, [1, 0, 10, 2]),
                // Signed for an address that is no multisig account:
                // MultisigAccountNotFound.
                multisig(NO_ACCOUNT, 0b0001, [1, 0, 2, 0]),
                // A 1-of account of keys 0 and 1, then a payment signed by
                // keys 0 and 2, the non-member kept: NotAMultisigMember.
                w(CreateMultiSig, 2, 0, [0, 0, 0, 1]),
                multisig(0, KEEP_NON_MEMBERS | 0b0101, [1, 0, 2, 0]),
            ],
        ),
        (
            "bad_ones",
            vec![
                with(w(TokenMint, 1, 0, [5, 0, 2, 0]), |x| {
                    x.nonce = NonceChoice::Ahead
                }),
                with(w(TokenMint, 1, 0, [5, 0, 2, 0]), |x| {
                    x.nonce = NonceChoice::Behind
                }),
                with(w(TokenMint, 1, 0, [5, 0, 2, 0]), |x| x.wrong_chain = true),
                with(w(TokenMint, 1, 0, [5, 0, 2, 0]), |x| x.tamper = Some(0)),
                w(TokenMint, 1, 9, [5, 0, 2, 0]),
                w(TokenMint, 2, 0, [5, 0, 2, 0]),
                Step::Malformed { signer: 0 },
                w(TokenMint, 1, 0, [5, 0, 2, 0]),
            ],
        ),
    ];
    sessions
        .into_iter()
        .map(|(name, steps)| (name, Session { steps }.to_bytes()))
        .collect()
}

/// A raw request: route, method, content type, query, body.
fn http(
    route: &str,
    method: HttpMethod,
    content_type: ContentType,
    query: &str,
    body: &[u8],
) -> Request {
    let index = routes()
        .iter()
        .position(|r| *r == route)
        .expect("a route of the list");
    Request::Raw(RawRequest {
        route: u8::try_from(index).expect("fewer than 256 routes"),
        method,
        content_type,
        query: Short(query.as_bytes().to_vec()),
        body: Long(body.to_vec()),
    })
}

/// A built write of `op` by key `signer`, v1 or v2, with a nonce choice.
fn built(op: OpType, signer: u8, v1: bool, nonce: NonceChoice, fields: [u8; 4]) -> Request {
    Request::Write(BuiltWrite {
        op: op_index(op),
        signer,
        v1,
        nonce,
        wrong_chain: false,
        unknown_token: false,
        fields,
    })
}

/// The seed sessions, by name.
pub fn server_sessions() -> Vec<(&'static str, Vec<u8>)> {
    use ContentType::{Absent, Json, TextPlain};
    use HttpMethod::{Delete as DELETE, Get as GET, Post as POST};
    let addr = "address=0x0101010101010101010101010101010101010101";
    let mut out = vec![
        (
            "status_health_doc",
            vec![
                http("/api/status", GET, Absent, "", b""),
                http("/api/health", GET, Absent, "", b""),
                http("/openapi.json", GET, Absent, "", b""),
            ],
        ),
        (
            "reads",
            vec![
                http("/v1/accounts/nonce", GET, Absent, addr, b""),
                http("/v1/accounts/bbnonce", GET, Absent, addr, b""),
                http("/v1/chains/chain_id", GET, Absent, "", b""),
                http("/v1/checkpoints/number", GET, Absent, "", b""),
                http(
                    "/v1/checkpoints/by_number",
                    GET,
                    Absent,
                    "number=1&full=true",
                    b"",
                ),
                http(
                    "/v1/checkpoints/receipts/by_number",
                    GET,
                    Absent,
                    "number=1",
                    b"",
                ),
                http("/v1/transactions/by_hash", GET, Absent, "hash=0xabab", b""),
            ],
        ),
        (
            "wrong_method_and_unknown",
            vec![
                http("/v1/transactions/payment", GET, Absent, "", b""),
                http("/api/status", DELETE, Absent, "", b""),
                http("/nope", POST, Json, "", b"{}"),
                http("/v1/transactions/raw", POST, Json, "", b"{}"),
            ],
        ),
        (
            "bad_bodies",
            vec![
                http(
                    "/v2/transactions/payment",
                    POST,
                    Json,
                    "",
                    b"{\"chain_id\":1212101",
                ),
                http("/v1/tokens/mint", POST, TextPlain, "", b"{}"),
                http(
                    "/v1/transactions/batch_payment/estimate_fee",
                    POST,
                    Json,
                    "",
                    b"{\"from\":1}",
                ),
                http(
                    "/api/tokens/mint",
                    POST,
                    Json,
                    "",
                    br#"{"asset_id":"FUZ","amount":1,"recipient_wallet_address":"w"}"#,
                ),
            ],
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
            vec![
                built(*op, 1, true, NonceChoice::Current, [3, 2, 5, 0]),
                built(*op, 1, false, NonceChoice::Current, [4, 3, 6, 0]),
                built(*op, 2, false, NonceChoice::Behind, [1, 1, 1, 0]),
            ],
        ));
    }
    out.into_iter()
        .map(|(name, requests)| (name, Requests { requests }.to_bytes()))
        .collect()
}
