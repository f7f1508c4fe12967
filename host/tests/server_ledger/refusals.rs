//! The rules' refusals: a status, an error_code and an unchanged ledger.

use super::support::*;
use crate::server_common::*;
use serde_json::json;
use tokensign::api::NativeWriteMode;
use tokensign::node::codes;
use tokensign_core::native::NativeTx;
use tokensign_core::text::Text;
use tokensign_core::tx::*;
use tokensign_core::{Address, Amount, SigningKey};

/// Each refusal the rules produce, by status, code and an unchanged
/// ledger.
fn refusals_change_nothing() {
    let n = node_with(NativeWriteMode::Dual);
    let (m, al, b) = (master_key(), alice(), bob());
    let s = Scheme::V2;
    let t = issued(&n, "REFA", false, s);
    hash_of_accepted(&n.send(
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
    hash_of_accepted(&n.send(
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
    hash_of_accepted(&n.send(
        &m,
        TokenBlacklist {
            action: ListAction::Add,
            address: al.address(),
            token: t,
        },
        s,
    ));
    n.refused(&al, pay(1), Scheme::V1, &t, &who, codes::SENDER_BLACKLISTED);
    hash_of_accepted(&n.send(
        &m,
        TokenBlacklist {
            action: ListAction::Remove,
            address: al.address(),
            token: t,
        },
        s,
    ));
    // Paused.
    hash_of_accepted(&n.send(
        &m,
        TokenPause {
            action: PauseAction::Pause,
            token: t,
        },
        s,
    ));
    n.refused(&al, pay(1), s, &t, &who, codes::TOKEN_PAUSED);
    hash_of_accepted(&n.send(
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
    hash_of_accepted(&n.send(
        &m,
        TokenMint {
            recipient: al.address(),
            value: amt(10),
            token: nc,
        },
        s,
    ));
    hash_of_accepted(&n.send(
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
    hash_of_accepted(&n.send(
        &m,
        TokenWhitelist {
            action: ListAction::Add,
            address: al.address(),
            token: p,
        },
        s,
    ));
    hash_of_accepted(&n.send(
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
    hash_of_accepted(&n.post_native(&signed));
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
    hash_of_accepted(&n.send(&m, role(AuthorityAction::Grant), Scheme::V2));
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
    hash_of_accepted(&n.send(&m, role(AuthorityAction::Revoke), Scheme::V2));
    n.refused(&holder, mint, Scheme::V2, &t, &who, codes::NOT_AUTHORIZED);
    assert_eq!(n.token(&t)["supply"], "0");
    assert_eq!(n.balance(&holder.address(), &t), 0);
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
    hash_of_accepted(&n.send(
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
    hash_of_accepted(&n.send(
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

on_every_backend!(
    refusals_change_nothing,
    a_master_mint_burn_holder_cannot_mint_through_a_self_grant,
    the_zero_address_is_no_recipient_anywhere,
);
