//! The node over HTTP: every operation accepted on its v1 and v2 paths,
//! the rules' refusals by status, error_code and an unchanged ledger, the
//! write modes, and the reads of spec section 6.

mod server_common;

use serde_json::{json, Value};
use server_common::*;
use tokensign::api::NativeWriteMode;
use tokensign::node::{codes, NodeConfig};
use tokensign_core::legacy::LegacyTx;
use tokensign_core::native::{sign_as_member, NativeTx};
use tokensign_core::text::Text;
use tokensign_core::tx::*;
use tokensign_core::{json as cjson, Address, Amount, SigningKey};

struct Node {
    node: tokensign::node::RunningNode,
    _dir: tempfile::TempDir,
}

fn node_with(mode: NativeWriteMode) -> Node {
    let dir = tempfile::tempdir().unwrap();
    let mut config = NodeConfig::new(dir.path().to_path_buf(), vec![addr(&operator())]);
    config.write_mode = mode;
    Node {
        node: start_with(config),
        _dir: dir,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Scheme {
    V1,
    V2,
}

impl Node {
    fn a(&self) -> std::net::SocketAddr {
        self.node.addr
    }

    fn nonce(&self, who: &Address) -> u64 {
        let r = get(self.a(), &format!("/v1/accounts/nonce?address={who}"));
        assert_eq!(r.status, 200, "{}", r.body);
        assert_schema("NonceResponse", &r.json());
        r.json()["nonce"].as_u64().unwrap()
    }

    fn balance(&self, who: &Address, token: &Address) -> u128 {
        let r = get(
            self.a(),
            &format!("/v1/accounts/token_account?address={who}&token={token}"),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["balance"].as_str().unwrap().parse().unwrap()
    }

    fn token(&self, token: &Address) -> Value {
        let r = get(
            self.a(),
            &format!("/v1/tokens/token_metadata?token={token}"),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    }

    /// Signs `op` with `key` at its next nonce and posts it.
    fn send(&self, key: &SigningKey, op: impl Into<Operation>, scheme: Scheme) -> Resp {
        let tx = Transaction::new(CHAIN_ID_TESTNET, self.nonce(&key.address()), op);
        self.post(tx, key, scheme)
    }

    fn post(&self, tx: Transaction, key: &SigningKey, scheme: Scheme) -> Resp {
        let (path, body, hash) = signed_body(tx, key, scheme);
        let r = post_json(self.a(), path, &body);
        if r.status == 200 {
            assert_eq!(r.json()["hash"], hex0x(&hash));
        }
        r
    }

    fn post_native(&self, signed: &NativeTx) -> Resp {
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
    fn refused(
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

    fn receipt(&self, hash: &str) -> Value {
        let r = get(
            self.a(),
            &format!("/v1/transactions/receipt/by_hash?hash={hash}"),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    }
}

fn ok(r: &Resp) -> String {
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["hash"].as_str().unwrap().to_owned()
}

fn amt(v: u64) -> Amount {
    Amount::from_u64(v)
}

fn master_key() -> SigningKey {
    key(0x44)
}
fn alice() -> SigningKey {
    key(0x55)
}
fn bob() -> SigningKey {
    key(0x66)
}

fn issue_op(symbol: &str, private: bool, clawback: bool) -> TokenIssue {
    TokenIssue {
        symbol: Text::new(symbol).unwrap(),
        name: Text::new("Ledger Test").unwrap(),
        decimals: 6,
        master_authority: master_key().address(),
        is_private: private,
        clawback_enabled: Some(clawback),
    }
}

fn issued(n: &Node, symbol: &str, private: bool, scheme: Scheme) -> Address {
    let r = n.send(&operator(), issue_op(symbol, private, true), scheme);
    assert_eq!(r.status, 200, "{}", r.body);
    Address::parse(r.json()["token"].as_str().unwrap()).unwrap()
}

/// Issues `symbol` and mints `value` of it to `to`.
fn funded(n: &Node, symbol: &str, to: &Address, value: u64) -> Address {
    let t = issued(n, symbol, false, Scheme::V2);
    let mint = TokenMint {
        recipient: *to,
        value: amt(value),
        token: t,
    };
    ok(&n.send(&master_key(), mint, Scheme::V2));
    t
}

/// A BatchPayment of `token` paying each (recipient, amount) in order.
fn batch_of(token: Address, entries: &[(Address, u64)], id: Option<&str>) -> BatchPayment {
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
fn signed_body(
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

/// Every operation, on v1 and on v2, is accepted and does what the rules
/// say; the reads show it.
fn every_operation_on_both_schemes() {
    let n = node_with(NativeWriteMode::Dual);
    let (m, al, b) = (master_key(), alice(), bob());
    for scheme in [Scheme::V1, Scheme::V2] {
        let sym = if scheme == Scheme::V1 { "LEDA" } else { "LEDB" };
        let t = issued(&n, sym, false, scheme);
        let mint = TokenMint {
            recipient: al.address(),
            value: amt(1000),
            token: t,
        };
        let h = ok(&n.send(&m, mint, scheme));
        let receipt = n.receipt(&h);
        assert_schema("TransactionReceipt", &receipt);
        assert_eq!(receipt["recipient"], al.address().to_string());
        assert_eq!(n.balance(&al.address(), &t), 1000);
        ok(&n.send(
            &al,
            Payment {
                recipient: b.address(),
                value: amt(100),
                token: t,
            },
            scheme,
        ));
        assert_eq!(
            (n.balance(&al.address(), &t), n.balance(&b.address(), &t)),
            (900, 100)
        );
        let grant = |kind, who: Address, v| TokenAuthority {
            action: AuthorityAction::Grant,
            authority_type: kind,
            authority_address: who,
            token: t,
            value: amt(v),
        };
        ok(&n.send(
            &m,
            grant(AuthorityType::MintBurnTokens, b.address(), 0),
            scheme,
        ));
        ok(&n.send(
            &b,
            TokenBurn {
                value: amt(10),
                token: t,
            },
            scheme,
        ));
        assert_eq!(n.token(&t)["supply"], "990");
        ok(&n.send(
            &m,
            TokenPause {
                action: PauseAction::Pause,
                token: t,
            },
            scheme,
        ));
        assert_eq!(n.token(&t)["is_paused"], true);
        ok(&n.send(
            &m,
            TokenPause {
                action: PauseAction::Unpause,
                token: t,
            },
            scheme,
        ));
        ok(&n.send(
            &m,
            TokenBlacklist {
                action: ListAction::Add,
                address: b.address(),
                token: t,
            },
            scheme,
        ));
        assert_eq!(n.token(&t)["black_list"], json!([b.address().to_string()]));
        ok(&n.send(
            &m,
            TokenClawback {
                token: t,
                from: b.address(),
                recipient: al.address(),
                value: amt(90),
            },
            scheme,
        ));
        assert_eq!(n.balance(&b.address(), &t), 0);
        let mut extra = heapless::Vec::new();
        extra
            .push(MetadataEntry {
                key: Text::new("site").unwrap(),
                value: Text::new("x").unwrap(),
            })
            .unwrap();
        ok(&n.send(
            &m,
            TokenMetadata {
                name: Text::new("Renamed").unwrap(),
                uri: Text::new("https://e.example").unwrap(),
                token: t,
                additional_metadata: extra,
            },
            scheme,
        ));
        assert_eq!(n.token(&t)["meta"]["name"], "Renamed");
        ok(&n.send(&m, grant(AuthorityType::Bridge, m.address(), 0), scheme));
        ok(&n.send(
            &m,
            TokenBridgeAndMint {
                recipient: al.address(),
                value: amt(50),
                token: t,
                source_chain_id: 1,
                source_tx_hash: Text::new("0xfeed").unwrap(),
                bridge_metadata: Text::new("").unwrap(),
            },
            scheme,
        ));
        let h = ok(&n.send(
            &al,
            TokenBurnAndBridge {
                sender: al.address(),
                value: amt(5),
                token: t,
                destination_chain_id: 1,
                destination_address: Text::new("0xdead").unwrap(),
                escrow_fee: amt(0),
                bridge_metadata: Text::new("").unwrap(),
                bridge_param: tokensign_core::field::Bytes(heapless::Vec::new()),
            },
            scheme,
        ));
        assert_eq!(
            n.receipt(&h)["success_info"]["bridge_info"]["destination_address"],
            "0xdead"
        );
        let supply: u128 = n.token(&t)["supply"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            supply,
            n.balance(&al.address(), &t)
                + n.balance(&b.address(), &t)
                + n.balance(&m.address(), &t)
        );
        let p = issued(&n, &format!("{sym}P"), true, scheme);
        ok(&n.send(
            &m,
            TokenWhitelist {
                action: ListAction::Add,
                address: al.address(),
                token: p,
            },
            scheme,
        ));
        assert_eq!(n.token(&p)["white_list"], json!([al.address().to_string()]));
    }
    let bb = get(
        n.a(),
        &format!("/v1/accounts/bbnonce?address={}", al.address()),
    );
    assert_eq!(bb.json()["bbnonce"], 2);
    // v2 only: batch payment and multisig.
    let t = Address::parse(&n.token_address("LEDB")).unwrap();
    let batch = batch_of(t, &[(b.address(), 3), (m.address(), 4)], Some("b-1"));
    n.token(&t);
    n.send(
        &m,
        TokenBlacklist {
            action: ListAction::Remove,
            address: b.address(),
            token: t,
        },
        Scheme::V2,
    );
    let h = ok(&n.send(&al, batch, Scheme::V2));
    let receipt = n.receipt(&h);
    assert_eq!(receipt["batch_info"]["total_amount"], "7");
    assert_eq!(
        receipt["execution_events"][1]["event_type"],
        "PaymentExecuted"
    );
    multisig_flow(&n, t);
}

impl Node {
    fn token_address(&self, symbol: &str) -> String {
        token_address(&master_key().address(), symbol).to_string()
    }
}

fn multisig_flow(n: &Node, t: Address) {
    let members = [key(0x71), key(0x72), key(0x73)];
    let mut signers = heapless::Vec::new();
    for (k, w) in members.iter().zip([2u8, 1, 1]) {
        signers
            .push(MultisigSigner {
                public_key: tokensign_core::field::KeyAsIntegers(k.public_key_compressed()),
                weight: w,
            })
            .unwrap();
    }
    let create = CreateMultiSig {
        signers,
        threshold: 3,
    };
    let account = create.account_address();
    let h = ok(&n.send(&alice(), create.clone(), Scheme::V2));
    let tx = get(n.a(), &format!("/v1/transactions/by_hash?hash={h}")).json();
    assert_eq!(tx["transaction_type"], "CreateMultiSig");
    assert_eq!(tx["data"]["multisig_address"], account.to_string());
    n.send(&alice(), create, Scheme::V2)
        .assert_error(422, codes::MULTISIG_ALREADY_EXISTS);
    ok(&n.send(
        &alice(),
        Payment {
            recipient: account,
            value: amt(20),
            token: t,
        },
        Scheme::V2,
    ));
    let pay = |nonce| {
        Transaction::new(
            CHAIN_ID_TESTNET,
            nonce,
            Payment {
                recipient: bob().address(),
                value: amt(5),
                token: t,
            },
        )
    };
    let combine = |who: &[&SigningKey]| {
        let sigs: Vec<_> = who
            .iter()
            .map(|k| sign_as_member(&pay(0), account, k).unwrap())
            .collect();
        NativeTx::combine(pay(0), account, &sigs).unwrap()
    };
    // Weight 2 < 3: refused, nothing changes.
    let before = n.balance(&account, &t);
    n.post_native(&combine(&[&members[0]]))
        .assert_error(422, codes::MULTISIG_BELOW_THRESHOLD);
    assert_eq!(n.nonce(&account), 0);
    // A stranger's key: refused.
    n.post_native(&combine(&[&members[0], &key(0x79)]))
        .assert_error(422, codes::NOT_A_MULTISIG_MEMBER);
    // 2 + 1 >= 3: accepted, on the account's nonce.
    let h = ok(&n.post_native(&combine(&[&members[0], &members[2]])));
    assert_eq!(n.receipt(&h)["from"], account.to_string());
    assert_eq!(n.nonce(&account), 1);
    assert_eq!(n.balance(&account, &t), before - 5);
}

/// Each refusal the rules produce, by status, code and an unchanged
/// ledger.
fn refusals_change_nothing() {
    let n = node_with(NativeWriteMode::Dual);
    let (m, al, b) = (master_key(), alice(), bob());
    let s = Scheme::V2;
    let t = issued(&n, "REFA", false, s);
    ok(&n.send(
        &m,
        TokenMint {
            recipient: al.address(),
            value: amt(100),
            token: t,
        },
        s,
    ));
    let who = [al.address(), b.address()];
    let pay = |v| Payment {
        recipient: b.address(),
        value: amt(v),
        token: t,
    };
    // Wrong signer.
    n.refused(
        &al,
        TokenMint {
            recipient: al.address(),
            value: amt(1),
            token: t,
        },
        s,
        &t,
        &who,
        codes::NOT_AUTHORIZED,
    );
    // Wrong nonce (and the right one still works afterwards).
    let stale = Transaction::new(CHAIN_ID_TESTNET, n.nonce(&al.address()) + 1, pay(1));
    n.post(stale, &al, s)
        .assert_error(422, codes::NONCE_MISMATCH);
    // Balance short.
    n.refused(&al, pay(101), s, &t, &who, codes::INSUFFICIENT_BALANCE);
    // Allowance exceeded.
    ok(&n.send(
        &m,
        TokenAuthority {
            action: AuthorityAction::Grant,
            authority_type: AuthorityType::MintBurnTokens,
            authority_address: b.address(),
            token: t,
            value: amt(5),
        },
        s,
    ));
    n.refused(
        &b,
        TokenMint {
            recipient: b.address(),
            value: amt(6),
            token: t,
        },
        s,
        &t,
        &who,
        codes::ALLOWANCE_EXCEEDED,
    );
    // Clawback from an account that is not frozen.
    n.refused(
        &m,
        TokenClawback {
            token: t,
            from: al.address(),
            recipient: b.address(),
            value: amt(1),
        },
        s,
        &t,
        &who,
        codes::ACCOUNT_NOT_FROZEN,
    );
    // Blacklisted sender.
    ok(&n.send(
        &m,
        TokenBlacklist {
            action: ListAction::Add,
            address: al.address(),
            token: t,
        },
        s,
    ));
    n.refused(&al, pay(1), Scheme::V1, &t, &who, codes::SENDER_BLACKLISTED);
    ok(&n.send(
        &m,
        TokenBlacklist {
            action: ListAction::Remove,
            address: al.address(),
            token: t,
        },
        s,
    ));
    // Paused.
    ok(&n.send(
        &m,
        TokenPause {
            action: PauseAction::Pause,
            token: t,
        },
        s,
    ));
    n.refused(&al, pay(1), s, &t, &who, codes::TOKEN_PAUSED);
    ok(&n.send(
        &m,
        TokenPause {
            action: PauseAction::Unpause,
            token: t,
        },
        s,
    ));
    // Clawback disabled.
    let r = n.send(&operator(), issue_op("REFN", false, false), s);
    let nc = Address::parse(r.json()["token"].as_str().unwrap()).unwrap();
    ok(&n.send(
        &m,
        TokenMint {
            recipient: al.address(),
            value: amt(10),
            token: nc,
        },
        s,
    ));
    ok(&n.send(
        &m,
        TokenBlacklist {
            action: ListAction::Add,
            address: al.address(),
            token: nc,
        },
        s,
    ));
    n.refused(
        &m,
        TokenClawback {
            token: nc,
            from: al.address(),
            recipient: b.address(),
            value: amt(1),
        },
        s,
        &nc,
        &who,
        codes::CLAWBACK_DISABLED,
    );
    // Private token to a non-whitelisted account.
    let p = issued(&n, "REFP", true, s);
    ok(&n.send(
        &m,
        TokenWhitelist {
            action: ListAction::Add,
            address: al.address(),
            token: p,
        },
        s,
    ));
    ok(&n.send(
        &m,
        TokenMint {
            recipient: al.address(),
            value: amt(10),
            token: p,
        },
        s,
    ));
    n.refused(
        &al,
        Payment {
            recipient: b.address(),
            value: amt(1),
            token: p,
        },
        s,
        &p,
        &who,
        codes::RECIPIENT_NOT_WHITELISTED,
    );
    // Replay: the very same request again.
    let tx = Transaction::new(CHAIN_ID_TESTNET, n.nonce(&al.address()), pay(1));
    let signed = NativeTx::sign(tx, &al).unwrap();
    ok(&n.post_native(&signed));
    let nonce = n.nonce(&al.address());
    n.post_native(&signed)
        .assert_error(422, codes::DUPLICATE_TRANSACTION);
    assert_eq!(n.nonce(&al.address()), nonce);
    // Non-operator issue; wrong chain id.
    n.send(&al, issue_op("REFX", false, true), s)
        .assert_error(422, codes::SIGNER_NOT_OPERATOR);
    let wrong = Transaction::new(7, n.nonce(&al.address()), pay(1));
    n.post(wrong, &al, s)
        .assert_error(422, codes::WRONG_CHAIN_ID);
}

/// The modes of spec section 1.3.
fn write_modes() {
    let t = |n: &Node| {
        let mint = TokenMint {
            recipient: alice().address(),
            value: amt(1),
            token: Address([9; 20]),
        };
        (
            n.send(&master_key(), mint.clone(), Scheme::V1),
            n.send(&master_key(), mint, Scheme::V2),
        )
    };
    let dual = node_with(NativeWriteMode::Dual);
    let r = dual.send(&operator(), issue_op("MODE", false, true), Scheme::V1);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-1money-legacy-signature"), Some("deprecated"));
    let r = dual.send(&operator(), issue_op("MODF", false, true), Scheme::V2);
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-1money-legacy-signature"), None);

    let v1 = node_with(NativeWriteMode::V1Only);
    let (r1, r2) = t(&v1);
    r1.assert_error(422, codes::UNKNOWN_TOKEN);
    assert_eq!(r1.header("x-1money-legacy-signature"), None);
    r2.assert_error(403, codes::DOMAIN_SEPARATED_SIGNATURE_NOT_ACTIVE);
    let status = get(v1.a(), "/api/status").json();
    assert_eq!(status["native_write_mode"], "v1_only");
    assert_eq!(status["activation_source"], "not_activated");

    let v2 = node_with(NativeWriteMode::V2Only);
    let (r1, r2) = t(&v2);
    r1.assert_error(410, codes::LEGACY_NATIVE_WRITE_ENDPOINT_DISABLED);
    r2.assert_error(422, codes::UNKNOWN_TOKEN);
    let status = get(v2.a(), "/api/status").json();
    assert_eq!(status["native_write_mode"], "v2_only");
    assert_schema("NodeStatus", &status);

    for n in [&dual, &v1, &v2] {
        post_json(n.a(), "/v1/transactions/raw", "{}")
            .assert_error(410, codes::RAW_TRANSACTION_ENDPOINT_REMOVED);
        let h = get(n.a(), "/api/health");
        assert_eq!((h.status, h.body.as_str()), (200, "UP"));
    }
    // A legacy signature on /v2 and an unknown authorization type: 400.
    let tx: Transaction = Transaction::new(
        CHAIN_ID_TESTNET,
        0,
        Payment {
            recipient: alice().address(),
            value: amt(1),
            token: Address([9; 20]),
        },
    );
    let signed = LegacyTx::sign(tx.clone(), &alice()).unwrap();
    let mut out = vec![0u8; cjson::MAX_LEGACY_JSON_LEN];
    let len = cjson::write_legacy(&signed, &mut out).unwrap();
    let mut body: Value = serde_json::from_slice(&out[..len]).unwrap();
    body["memo"] = json!({"type": "", "format": "", "data": ""});
    post_json(dual.a(), "/v2/transactions/payment", &body.to_string())
        .assert_error(400, codes::DOMAIN_SEPARATED_SIGNATURE_REQUIRED);
    let native = NativeTx::sign(tx, &alice()).unwrap();
    let mut out = vec![0u8; cjson::MAX_NATIVE_JSON_LEN];
    let len = cjson::write_native(&native, &mut out).unwrap();
    let mut body: Value = serde_json::from_slice(&out[..len]).unwrap();
    body["authorization"]["type"] = json!("ed25519");
    post_json(dual.a(), "/v2/transactions/payment", &body.to_string())
        .assert_error(400, codes::UNSUPPORTED_AUTHORIZATION_TYPE);
}

/// The reads of spec section 6 with the network's field names.
fn reads() {
    let n = node_with(NativeWriteMode::Dual);
    let t = issued(&n, "READ", false, Scheme::V2);
    let h = ok(&n.send(
        &master_key(),
        TokenMint {
            recipient: alice().address(),
            value: amt(7),
            token: t,
        },
        Scheme::V2,
    ));
    let a = n.a();
    assert_eq!(
        get(a, "/v1/chains/chain_id").json(),
        json!({"chain_id": CHAIN_ID_TESTNET})
    );
    let ta = get(
        a,
        &format!(
            "/v1/accounts/token_account?address={}&token={t}",
            alice().address()
        ),
    )
    .json();
    assert_eq!(ta, json!({"balance": "7", "nonce": 0}));
    let tx = get(a, &format!("/v1/transactions/by_hash?hash={h}")).json();
    assert_eq!(tx["transaction_type"], "TokenMint");
    assert_eq!(tx["data"]["value"], "7");
    assert_eq!(tx["memo"], json!({"type": "", "format": "", "data": ""}));
    let receipt = n.receipt(&h);
    let number = receipt["checkpoint_number"].as_u64().unwrap();
    assert_eq!(receipt["transaction_index"], 0);
    let fin = get(a, &format!("/v1/transactions/finalized/by_hash?hash={h}")).json();
    assert_eq!(fin["epoch"], 0);
    assert_eq!(fin["transaction_hash"], h);
    get(
        a,
        &format!(
            "/v1/transactions/finalized/by_hash?hash=0x{}",
            "cd".repeat(32)
        ),
    )
    .assert_error(404, codes::TRANSACTION_NOT_FOUND);
    let last = get(a, "/v1/checkpoints/number").json()["number"]
        .as_u64()
        .unwrap();
    assert!(last >= number);
    let cp = get(a, &format!("/v1/checkpoints/by_number?number={number}")).json();
    assert_eq!(cp["transactions"], json!([h]));
    assert_eq!(cp["hash"], receipt["checkpoint_hash"]);
    let by_hash = get(
        a,
        &format!(
            "/v1/checkpoints/by_hash?hash={}&full=true",
            cp["hash"].as_str().unwrap()
        ),
    )
    .json();
    assert_eq!(by_hash["transactions"][0]["hash"], h);
    let receipts = get(
        a,
        &format!("/v1/checkpoints/receipts/by_number?number={number}"),
    )
    .json();
    assert_eq!(receipts[0], receipt);
    get(a, "/v1/checkpoints/by_number?number=999999")
        .assert_error(404, codes::CHECKPOINT_NOT_FOUND);
    let fee = get(
        a,
        &format!(
            "/v1/transactions/estimate_fee?from={}&to={}&value=5&token={t}",
            alice().address(),
            bob().address()
        ),
    )
    .json();
    assert_eq!(fee["fee"], "0");
    let body = json!({"from": alice().address().to_string(), "token": t.to_string(), "operations": [{"recipient": bob().address().to_string(), "amount": "1"}]});
    let fee = post_json(
        a,
        "/v1/transactions/batch_payment/estimate_fee",
        &body.to_string(),
    )
    .json();
    assert_eq!(fee, json!({"fee": "0", "plan": null}));
    get(
        a,
        &format!(
            "/v1/accounts/token_account?address={}&token={}",
            alice().address(),
            Address([3; 20])
        ),
    )
    .assert_error(404, codes::TOKEN_NOT_FOUND);
}

/// A configured fee is what the estimate says and what a payment costs.
fn fees_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = NodeConfig::new(dir.path().to_path_buf(), vec![addr(&operator())]);
    config.fees.flat = amt(3);
    let n = Node {
        node: start_with(config),
        _dir: dir,
    };
    let t = issued(&n, "FEES", false, Scheme::V2);
    ok(&n.send(
        &master_key(),
        TokenMint {
            recipient: alice().address(),
            value: amt(100),
            token: t,
        },
        Scheme::V2,
    ));
    let fee = get(
        n.a(),
        &format!(
            "/v1/transactions/estimate_fee?from={}&to={}&value=5&token={t}",
            alice().address(),
            bob().address()
        ),
    )
    .json();
    assert_eq!(fee["fee"], "3");
    let h = ok(&n.send(
        &alice(),
        Payment {
            recipient: bob().address(),
            value: amt(10),
            token: t,
        },
        Scheme::V2,
    ));
    assert_eq!(n.receipt(&h)["fee_used"], "3");
    assert_eq!(n.balance(&alice().address(), &t), 87);
    assert_eq!(n.balance(&operator().address(), &t), 3);
}

/// The adversarial run's repro, over HTTP: the master grants
/// MasterMintBurn to an account; its mint is refused; its grant of
/// MintBurnTokens with allowance 2^256-1 to itself is refused (it may not
/// make itself a minter); the master revokes its role; its mint of 10^30
/// is refused. Nothing of the refused steps is stored.
fn a_master_mint_burn_holder_cannot_mint_through_a_self_grant() {
    let n = node_with(NativeWriteMode::Dual);
    let (m, holder) = (master_key(), alice());
    let t = issued(&n, "SELFG", false, Scheme::V2);
    let role = |action| TokenAuthority {
        action,
        authority_type: AuthorityType::MasterMintBurn,
        authority_address: holder.address(),
        token: t,
        value: amt(0),
    };
    ok(&n.send(&m, role(AuthorityAction::Grant), Scheme::V2));
    assert_eq!(
        n.token(&t)["master_mint_burn_authority"],
        holder.address().to_string()
    );
    let huge = Amount::parse("1000000000000000000000000000000").unwrap();
    let mint = TokenMint {
        recipient: holder.address(),
        value: huge,
        token: t,
    };
    let who = [holder.address()];
    n.refused(
        &holder,
        mint.clone(),
        Scheme::V2,
        &t,
        &who,
        codes::NOT_AUTHORIZED,
    );
    let self_grant = TokenAuthority {
        action: AuthorityAction::Grant,
        authority_type: AuthorityType::MintBurnTokens,
        authority_address: holder.address(),
        token: t,
        value: Amount::MAX,
    };
    for scheme in [Scheme::V1, Scheme::V2] {
        n.refused(
            &holder,
            self_grant.clone(),
            scheme,
            &t,
            &who,
            codes::NOT_AUTHORIZED,
        );
    }
    assert_eq!(n.token(&t)["mint_burn_authorities"], json!([]));
    ok(&n.send(&m, role(AuthorityAction::Revoke), Scheme::V2));
    n.refused(&holder, mint, Scheme::V2, &t, &who, codes::NOT_AUTHORIZED);
    assert_eq!(n.token(&t)["supply"], "0");
    assert_eq!(n.balance(&holder.address(), &t), 0);
}

/// Spec 2.3: the network reads a U256 string with leading zeros or as
/// `0x`-hex (the TS SDK may send `"007"` as given). The node reads the
/// value: the client's hash (over the integer) is the node's, on v1 and
/// v2, for payments and batch amounts; the fee estimates read them too.
fn u256_strings_with_leading_zeros_or_hex_are_read_by_value() {
    let n = node_with(NativeWriteMode::Dual);
    let al = alice();
    let t = funded(&n, "FORMS", &al.address(), 1000);
    let canonical = r#""value":"7""#;
    for (i, form) in ["007", "0x7", "0X07", "0x0000007"].into_iter().enumerate() {
        let scheme = if i % 2 == 0 { Scheme::V1 } else { Scheme::V2 };
        let pay = Payment {
            recipient: bob().address(),
            value: amt(7),
            token: t,
        };
        let tx = Transaction::new(CHAIN_ID_TESTNET, n.nonce(&al.address()), pay);
        let (path, body, hash) = signed_body(tx, &al, scheme);
        assert!(body.contains(canonical), "{body}");
        let body = body.replace(canonical, &format!(r#""value":"{form}""#));
        let r = post_json(n.a(), path, &body);
        assert_eq!(r.status, 200, "{form}: {}", r.body);
        assert_eq!(r.json()["hash"], hex0x(&hash), "{form}");
    }
    assert_eq!(n.balance(&bob().address(), &t), 28);
    assert_eq!(n.balance(&al.address(), &t), 1000 - 28);
    let r = get(
        n.a(),
        &format!(
            "/v1/transactions/estimate_fee?from={}&to={}&value=0x1f&token={t}",
            al.address(),
            bob().address()
        ),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = post_json(
        n.a(),
        "/v1/transactions/batch_payment/estimate_fee",
        &json!({"from": al.address().to_string(), "token": t.to_string(),
                "operations": [{"recipient": bob().address().to_string(), "amount": "0010"}]})
        .to_string(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // Still refused: signs, points, exponents, a bare 0x, above 2^256-1.
    for bad in [
        "-7",
        "7.0",
        "7e0",
        "0x",
        "0x1g",
        &format!("0x1{}", "0".repeat(64)),
    ] {
        let r = get(
            n.a(),
            &format!(
                "/v1/transactions/estimate_fee?from={}&to={}&value={bad}&token={t}",
                al.address(),
                bob().address()
            ),
        );
        r.assert_error(400, codes::INVALID_NUMBER);
    }
}

/// The zero address as a recipient: a BatchPayment refuses it (the
/// network's static rule, spec 2.2), and so do Payment, TokenMint,
/// TokenBridgeAndMint and TokenClawback, with the same answer (400
/// `INVALID_VALUE`, "must not be the zero address") on v1 and v2; nothing
/// is stored and no nonce is used.
fn the_zero_address_is_no_recipient_anywhere() {
    let n = node_with(NativeWriteMode::Dual);
    let (m, al) = (master_key(), alice());
    let t = funded(&n, "ZERO", &al.address(), 100);
    let zero = Address::ZERO;
    let refused = |r: Resp, what: &str| {
        r.assert_error(400, codes::INVALID_VALUE);
        let message = r.json()["message"].as_str().unwrap().to_owned();
        assert!(
            message.contains("must not be the zero address"),
            "{what}: {message}"
        );
    };
    // A batch: refused before its signature is even looked at.
    let batch = batch_of(t, &[(bob().address(), 1)], None);
    let tx = Transaction::new(CHAIN_ID_TESTNET, n.nonce(&al.address()), batch);
    let (path, body, _) = signed_body(tx, &al, Scheme::V2);
    let body = body.replace(&bob().address().to_string(), &zero.to_string());
    refused(post_json(n.a(), path, &body), "batch");
    // The single-recipient operations, signed as they are.
    ok(&n.send(
        &m,
        TokenAuthority {
            action: AuthorityAction::Grant,
            authority_type: AuthorityType::Bridge,
            authority_address: m.address(),
            token: t,
            value: amt(0),
        },
        Scheme::V2,
    ));
    ok(&n.send(
        &m,
        TokenBlacklist {
            action: ListAction::Add,
            address: al.address(),
            token: t,
        },
        Scheme::V2,
    ));
    let ops: Vec<(SigningKey, Operation)> = vec![
        (
            m.clone(),
            TokenMint {
                recipient: zero,
                value: amt(1),
                token: t,
            }
            .into(),
        ),
        (
            m.clone(),
            TokenBridgeAndMint {
                recipient: zero,
                value: amt(1),
                token: t,
                source_chain_id: 1,
                source_tx_hash: Text::new("0xabc").unwrap(),
                bridge_metadata: Text::new("").unwrap(),
            }
            .into(),
        ),
        (
            m.clone(),
            TokenClawback {
                token: t,
                from: al.address(),
                recipient: zero,
                value: amt(1),
            }
            .into(),
        ),
        (
            bob(),
            Payment {
                recipient: zero,
                value: amt(0),
                token: t,
            }
            .into(),
        ),
    ];
    for (key, op) in ops {
        for scheme in [Scheme::V1, Scheme::V2] {
            let before = n.nonce(&key.address());
            let what = format!("{:?} {}", op.op_type(), scheme == Scheme::V1);
            refused(n.send(&key, op.clone(), scheme), &what);
            assert_eq!(n.nonce(&key.address()), before, "{what}");
        }
    }
    assert_eq!(n.balance(&zero, &t), 0);
    assert_eq!(n.token(&t)["supply"], "100");
}

on_both_backends!(
    every_operation_on_both_schemes,
    refusals_change_nothing,
    write_modes,
    reads,
    fees_when_configured,
    a_master_mint_burn_holder_cannot_mint_through_a_self_grant,
    u256_strings_with_leading_zeros_or_hex_are_read_by_value,
    the_zero_address_is_no_recipient_anywhere,
);
