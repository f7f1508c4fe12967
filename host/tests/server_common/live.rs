//! A node on 127.0.0.1 with a token (LIVE, master [`master_key`]) minted
//! to [`payer`], and the writes and reads the node tests make on it.

use std::net::SocketAddr;

use tokensign::node::{NodeConfig, RunningNode};
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::NativeTx;
use tokensign_core::text::Text;
use tokensign_core::tx::*;
use tokensign_core::{Address, Amount, SigningKey};

use super::api::{hash_of_accepted, latest_checkpoint, nonce_at, post_native};
use super::backend::start_with;
use super::http::post_json;
use super::keys::{addr, key, operator};
use super::requests::body_of;

pub fn master_key() -> SigningKey {
    key(0x44)
}
pub fn payer() -> SigningKey {
    key(0x55)
}

/// A node with a token (master `master_key()`) minted to `payer()`.
pub struct Live {
    pub node: RunningNode,
    pub token: Address,
    pub _dir: tempfile::TempDir,
}

pub fn live_with(adjust: impl FnOnce(&mut NodeConfig)) -> Live {
    let dir = tempfile::tempdir().unwrap();
    let mut config = NodeConfig::new(dir.path().to_path_buf(), vec![addr(&operator())]);
    adjust(&mut config);
    let node = start_with(config);
    let mut live = Live {
        node,
        token: Address::default(),
        _dir: dir,
    };
    let issue = TokenIssue {
        symbol: Text::new("LIVE").unwrap(),
        name: Text::new("Live Token").unwrap(),
        decimals: 6,
        master_authority: master_key().address(),
        is_private: false,
        clawback_enabled: Some(true),
    };
    live.token = issue.token_address();
    live.v2(&operator(), issue);
    live.v2(
        &master_key(),
        TokenMint {
            recipient: payer().address(),
            value: Amount::from_u64(1_000_000_000_000_000),
            token: live.token,
        },
    );
    live
}

impl Live {
    pub fn a(&self) -> SocketAddr {
        self.node.addr
    }

    pub fn nonce(&self, who: &Address) -> u64 {
        nonce_at(self.a(), who)
    }

    pub fn tx(&self, key: &SigningKey, op: impl Into<Operation>) -> Transaction {
        Transaction::new(CHAIN_ID_TESTNET, self.nonce(&key.address()), op)
    }

    /// Signs `op` in v2 at the next nonce and posts it; returns the hash.
    pub fn v2(&self, key: &SigningKey, op: impl Into<Operation>) -> String {
        let signed = NativeTx::sign(self.tx(key, op), key).unwrap();
        self.post_native(&signed)
    }

    pub fn post_native(&self, signed: &NativeTx) -> String {
        let r = post_native(self.a(), signed);
        hash_of_accepted(&r)
    }

    /// A v1 payment; returns the hash.
    pub fn v1_pay(&self, key: &SigningKey, to: Address, value: u64) -> String {
        let tx = self.tx(key, self.payment(to, value));
        let signed = LegacyTx::sign(tx, key).unwrap();
        let r = post_json(self.a(), "/v1/transactions/payment", &body_of(&signed));
        hash_of_accepted(&r)
    }

    pub fn payment(&self, to: Address, value: u64) -> Payment {
        Payment {
            recipient: to,
            value: Amount::from_u64(value),
            token: self.token,
        }
    }

    pub fn pay(&self, to: Address, value: u64) -> String {
        self.v2(&payer(), self.payment(to, value))
    }

    pub fn latest(&self) -> u64 {
        latest_checkpoint(self.a())
    }
}
