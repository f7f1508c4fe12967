//! The ledger tests' node handle (a node, its reads and its writes on
//! either scheme), their keys and the operations they build.

use crate::server_common::*;
use serde_json::Value;
use tokensign::api::NativeWriteMode;
use tokensign::node::NodeConfig;
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::NativeTx;
use tokensign_core::text::Text;
use tokensign_core::tx::*;
use tokensign_core::{json as cjson, Address, Amount, SigningKey};

pub struct Node {
    pub node: tokensign::node::RunningNode,
    pub _dir: tempfile::TempDir,
}

pub fn node_with(mode: NativeWriteMode) -> Node {
    let dir = tempfile::tempdir().unwrap();
    let mut config = NodeConfig::new(dir.path().to_path_buf(), vec![addr(&operator())]);
    config.write_mode = mode;
    Node {
        node: start_with(config),
        _dir: dir,
    }
}

#[derive(Clone, Copy, PartialEq)]
pub enum Scheme {
    V1,
    V2,
}

impl Node {
    pub fn a(&self) -> std::net::SocketAddr {
        self.node.addr
    }

    pub fn nonce(&self, who: &Address) -> u64 {
        let r = get(self.a(), &format!("/v1/accounts/nonce?address={who}"));
        assert_eq!(r.status, 200, "{}", r.body);
        assert_schema("NonceResponse", &r.json());
        r.json()["nonce"].as_u64().unwrap()
    }

    pub fn balance(&self, who: &Address, token: &Address) -> u128 {
        balance_at(self.a(), who, token)
    }

    pub fn token(&self, token: &Address) -> Value {
        let r = get(
            self.a(),
            &format!("/v1/tokens/token_metadata?token={token}"),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    }

    /// Signs `op` with `key` at its next nonce and posts it.
    pub fn send(&self, key: &SigningKey, op: impl Into<Operation>, scheme: Scheme) -> Resp {
        let tx = Transaction::new(CHAIN_ID_TESTNET, self.nonce(&key.address()), op);
        self.post(tx, key, scheme)
    }

    pub fn post(&self, tx: Transaction, key: &SigningKey, scheme: Scheme) -> Resp {
        let (path, body, hash) = signed_body(tx, key, scheme);
        let r = post_json(self.a(), path, &body);
        if r.status == 200 {
            assert_eq!(r.json()["hash"], hex0x(&hash));
        }
        r
    }

    pub fn post_native(&self, signed: &NativeTx) -> Resp {
        let mut out = vec![0u8; cjson::MAX_NATIVE_JSON_LEN];
        let n = cjson::write_native(signed, &mut out).unwrap();
        let r = post_json(
            self.a(),
            signed.path(),
            std::str::from_utf8(&out[..n]).unwrap(),
        );
        if r.status == 200 {
            assert_eq!(r.json()["hash"], hex0x(&signed.tx_hash()));
        }
        r
    }

    /// `op` is refused with 422 `code`, and the sender's nonce, the token
    /// and the listed balances are unchanged.
    pub fn refused(
        &self,
        key: &SigningKey,
        op: impl Into<Operation>,
        scheme: Scheme,
        token: &Address,
        holders: &[Address],
        code: &str,
    ) {
        let nonce = self.nonce(&key.address());
        let meta = self.token(token);
        let balances: Vec<u128> = holders.iter().map(|h| self.balance(h, token)).collect();
        self.send(key, op, scheme).assert_error(422, code);
        assert_eq!(self.nonce(&key.address()), nonce, "{code}: nonce consumed");
        assert_eq!(self.token(token), meta, "{code}: token changed");
        let after: Vec<u128> = holders.iter().map(|h| self.balance(h, token)).collect();
        assert_eq!(after, balances, "{code}: balances changed");
    }

    pub fn receipt(&self, hash: &str) -> Value {
        let r = get(
            self.a(),
            &format!("/v1/transactions/receipt/by_hash?hash={hash}"),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    }
}

pub fn amt(v: u64) -> Amount {
    Amount::from_u64(v)
}

pub fn master_key() -> SigningKey {
    key(0x44)
}
pub fn alice() -> SigningKey {
    key(0x55)
}
pub fn bob() -> SigningKey {
    key(0x66)
}

pub fn issue_op(symbol: &str, private: bool, clawback: bool) -> TokenIssue {
    TokenIssue {
        symbol: Text::new(symbol).unwrap(),
        name: Text::new("Ledger Test").unwrap(),
        decimals: 6,
        master_authority: master_key().address(),
        is_private: private,
        clawback_enabled: Some(clawback),
    }
}

pub fn issued(n: &Node, symbol: &str, private: bool, scheme: Scheme) -> Address {
    let r = n.send(&operator(), issue_op(symbol, private, true), scheme);
    assert_eq!(r.status, 200, "{}", r.body);
    Address::parse(r.json()["token"].as_str().unwrap()).unwrap()
}

/// Issues `symbol` and mints `value` of it to `to`.
pub fn funded(n: &Node, symbol: &str, to: &Address, value: u64) -> Address {
    let t = issued(n, symbol, false, Scheme::V2);
    let mint = TokenMint {
        recipient: *to,
        value: amt(value),
        token: t,
    };
    hash_of_accepted(&n.send(&master_key(), mint, Scheme::V2));
    t
}

/// A BatchPayment of `token` paying each (recipient, amount) in order.
pub fn batch_of(token: Address, entries: &[(Address, u64)], id: Option<&str>) -> BatchPayment {
    let mut operations = heapless::Vec::new();
    for (recipient, amount) in entries {
        operations
            .push(BatchEntry {
                recipient: *recipient,
                amount: amt(*amount),
            })
            .unwrap();
    }
    BatchPayment {
        token,
        operations,
        created_at: 1,
        operations_hash: None,
        batch_id: id.map(|i| Text::new(i).unwrap()),
    }
}

/// `tx` signed by `key` in `scheme`: its path, its body as the core
/// writes it, and its hash.
pub fn signed_body(
    tx: Transaction,
    key: &SigningKey,
    scheme: Scheme,
) -> (&'static str, String, [u8; 32]) {
    let text = |out: &[u8]| String::from_utf8(out.to_vec()).unwrap();
    match scheme {
        Scheme::V1 => {
            let path = tx.op_type().v1_path().unwrap();
            let signed = LegacyTx::sign(tx, key).unwrap();
            let mut out = vec![0u8; cjson::MAX_LEGACY_JSON_LEN];
            let len = cjson::write_legacy(&signed, &mut out).unwrap();
            (path, text(&out[..len]), signed.tx_hash().unwrap())
        }
        Scheme::V2 => {
            let signed = NativeTx::sign(tx, key).unwrap();
            let mut out = vec![0u8; cjson::MAX_NATIVE_JSON_LEN];
            let len = cjson::write_native(&signed, &mut out).unwrap();
            (signed.path(), text(&out[..len]), signed.tx_hash())
        }
    }
}

impl Node {
    pub fn token_address(&self, symbol: &str) -> String {
        token_address(&master_key().address(), symbol).to_string()
    }
}
