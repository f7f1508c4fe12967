//! Node processes on one database, their senders and a funded token.

use std::net::SocketAddr;

use crate::server_common::*;
use tokensign::node::DatabaseUrl;
use tokensign_core::text::Text;
use tokensign_core::tx::{TokenIssue, TokenMint};
use tokensign_core::{Address, Amount, SigningKey};

pub const FUNDS: u64 = 1_000_000;

pub fn node_on(url: &DatabaseUrl) -> CliNode {
    let op = addr(&operator()).to_string();
    CliNode::start(&[
        "--database",
        &url_text(url),
        "--accounts",
        "0",
        "--test-token",
        "none",
        "--operator",
        &op,
    ])
}

/// The URL as given (the fixture's URLs carry no password).
pub fn url_text(url: &DatabaseUrl) -> String {
    url.to_string()
}

/// Two node processes on the database at `url`, and `n` senders funded
/// with a token `symbol` issued through `a`.
pub struct TwoNodes {
    pub a: CliNode,
    pub b: CliNode,
    pub keys: Vec<SigningKey>,
    pub token: Address,
}

pub fn two_nodes(url: &DatabaseUrl, n: u8, symbol: &str) -> TwoNodes {
    let (a, keys, token) = one_node(url, n, symbol);
    let b = node_on(url);
    TwoNodes { a, b, keys, token }
}

/// A node process on the database at `url`, and `n` senders funded with a
/// token `symbol` issued through it.
pub fn one_node(url: &DatabaseUrl, n: u8, symbol: &str) -> (CliNode, Vec<SigningKey>, Address) {
    let a = node_on(url);
    let keys = senders(n);
    let token = funded_token(a.addr, symbol, &keys);
    (a, keys, token)
}

pub fn senders(n: u8) -> Vec<SigningKey> {
    (0..n).map(|i| key(0x70 + i)).collect()
}

pub fn issuer() -> SigningKey {
    key(0x44)
}

/// Issues a token through `at` (its master is [`issuer`]) and mints
/// [`FUNDS`] to each of `holders`; the token.
pub fn funded_token(at: SocketAddr, symbol: &str, holders: &[SigningKey]) -> Address {
    let issue = TokenIssue {
        symbol: Text::new(symbol).unwrap(),
        name: Text::new("Shared Sandbox").unwrap(),
        decimals: 6,
        master_authority: issuer().address(),
        is_private: false,
        clawback_enabled: Some(false),
    };
    let r = post_signed(at, &operator(), nonce_at(at, &addr(&operator())), issue);
    assert_eq!(r.status, 200, "{}", r.body);
    let token = Address::parse(r.json()["token"].as_str().unwrap()).unwrap();
    for h in holders {
        let mint = TokenMint {
            recipient: h.address(),
            value: Amount::from_u64(FUNDS),
            token,
        };
        let r = post_signed(at, &issuer(), nonce_at(at, &issuer().address()), mint);
        assert_eq!(r.status, 200, "{}", r.body);
    }
    token
}
