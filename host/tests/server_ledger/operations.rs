//! Every operation, on v1 and on v2, accepted and doing what the rules
//! say, multisig included.

use super::support::*;
use crate::server_common::*;
use serde_json::json;
use tokensign::api::NativeWriteMode;
use tokensign::node::codes;
use tokensign_core::native::{sign_as_member, NativeTx};
use tokensign_core::text::Text;
use tokensign_core::tx::*;
use tokensign_core::{Address, SigningKey};

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
        let h = hash_of_accepted(&n.send(&m, mint, scheme));
        let receipt = n.receipt(&h);
        assert_schema("TransactionReceipt", &receipt);
        assert_eq!(receipt["recipient"], al.address().to_string());
        assert_eq!(n.balance(&al.address(), &t), 1000);
        hash_of_accepted(&n.send(
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
        hash_of_accepted(&n.send(
            &m,
            grant(AuthorityType::MintBurnTokens, b.address(), 0),
            scheme,
        ));
        hash_of_accepted(&n.send(
            &b,
            TokenBurn {
                value: amt(10),
                token: t,
            },
            scheme,
        ));
        assert_eq!(n.token(&t)["supply"], "990");
        hash_of_accepted(&n.send(
            &m,
            TokenPause {
                action: PauseAction::Pause,
                token: t,
            },
            scheme,
        ));
        assert_eq!(n.token(&t)["is_paused"], true);
        hash_of_accepted(&n.send(
            &m,
            TokenPause {
                action: PauseAction::Unpause,
                token: t,
            },
            scheme,
        ));
        hash_of_accepted(&n.send(
            &m,
            TokenBlacklist {
                action: ListAction::Add,
                address: b.address(),
                token: t,
            },
            scheme,
        ));
        assert_eq!(n.token(&t)["black_list"], json!([b.address().to_string()]));
        hash_of_accepted(&n.send(
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
        hash_of_accepted(&n.send(
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
        hash_of_accepted(&n.send(&m, grant(AuthorityType::Bridge, m.address(), 0), scheme));
        hash_of_accepted(&n.send(
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
        let h = hash_of_accepted(&n.send(
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
        hash_of_accepted(&n.send(
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
    let h = hash_of_accepted(&n.send(&al, batch, Scheme::V2));
    let receipt = n.receipt(&h);
    assert_eq!(receipt["batch_info"]["total_amount"], "7");
    assert_eq!(
        receipt["execution_events"][1]["event_type"],
        "PaymentExecuted"
    );
    multisig_flow(&n, t);
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
    let h = hash_of_accepted(&n.send(&alice(), create.clone(), Scheme::V2));
    let tx = get(n.a(), &format!("/v1/transactions/by_hash?hash={h}")).json();
    assert_eq!(tx["transaction_type"], "CreateMultiSig");
    assert_eq!(tx["data"]["multisig_address"], account.to_string());
    n.send(&alice(), create, Scheme::V2)
        .assert_error(422, codes::MULTISIG_ALREADY_EXISTS);
    hash_of_accepted(&n.send(
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
    let h = hash_of_accepted(&n.post_native(&combine(&[&members[0], &members[2]])));
    assert_eq!(n.receipt(&h)["from"], account.to_string());
    assert_eq!(n.nonce(&account), 1);
    assert_eq!(n.balance(&account, &t), before - 5);
}

on_every_backend!(every_operation_on_both_schemes,);
