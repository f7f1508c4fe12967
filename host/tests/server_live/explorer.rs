//! The explorer's reads and page: the ledger, and reviews as a device shows
//! them.

use crate::server_common::live::*;
use crate::server_common::*;
use serde_json::Value;
use tokensign_core::native::{sign_as_member, Descriptor, NativeTx};
use tokensign_core::review::{Review, DEFAULT_PAGE_WIDTH};
use tokensign_core::tx::*;
use tokensign_core::{Address, Scheme};

#[test]
fn explorer_reads_show_the_ledger_and_reviews_as_a_device_shows_them() {
    let live = live_with(|_| {});
    let to = Address([0x42; 20]);
    let v2 = live.pay(to, 1_500_000);
    let v1 = live.v1_pay(&payer(), to, 250_000);
    // A multisig account paying on its own nonce.
    let members = [key(0x71), key(0x72)];
    let mut signers = heapless::Vec::new();
    for k in &members {
        signers
            .push(MultisigSigner {
                public_key: tokensign_core::field::KeyAsIntegers(k.public_key_compressed()),
                weight: 1,
            })
            .unwrap();
    }
    let create = CreateMultiSig {
        signers,
        threshold: 2,
    };
    let account = create.account_address();
    live.v2(&payer(), create);
    live.pay(account, 10);
    let pay: Transaction = Transaction::new(CHAIN_ID_TESTNET, 0, live.payment(to, 3));
    let sigs: Vec<_> = members
        .iter()
        .map(|k| sign_as_member(&pay, account, k).unwrap())
        .collect();
    let multi = live.post_native(&NativeTx::combine(pay.clone(), account, &sigs).unwrap());

    // Overview: the token, the accounts, the latest transactions.
    let o = get(live.a(), "/explorer/api/overview");
    assert_eq!(o.status, 200, "{}", o.body);
    let o = o.json();
    assert_eq!(o["tokens"][0]["symbol"], "LIVE");
    assert_eq!(o["tokens"][0]["holders"], 3, "payer, recipient, multisig");
    assert_eq!(o["latest_checkpoint"], live.latest());
    assert_eq!(o["transactions"][0]["transaction"]["hash"], multi);
    assert_eq!(o["transactions"][0]["receipt"]["success"], true);
    let listed: Vec<&str> = o["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["address"].as_str().unwrap())
        .collect();
    for a in [payer().address(), to, account] {
        assert!(
            listed.contains(&a.to_string().as_str()),
            "{a} in {listed:?}"
        );
    }
    // A token: metadata, supply in whole tokens, authorities, holders.
    let t = get(
        live.a(),
        &format!("/explorer/api/token?token={}", live.token),
    )
    .json();
    assert_eq!(
        t["metadata"]["master_authority"],
        master_key().address().to_string()
    );
    assert_eq!(t["supply_whole"], "1000000000");
    assert_eq!(t["holders"][0]["address"], payer().address().to_string());
    // An account: balances in base units and whole tokens, nonce.
    let a = get(live.a(), &format!("/explorer/api/account?address={to}")).json();
    assert_eq!(a["balances"][0]["balance"], "1750003");
    assert_eq!(a["balances"][0]["balance_whole"], "1.750003");
    assert_eq!(a["nonce"], 0);
    let m = get(
        live.a(),
        &format!("/explorer/api/account?address={account}"),
    )
    .json();
    assert_eq!(m["multisig"]["threshold"], 2);
    assert_eq!(m["multisig"]["members"].as_array().unwrap().len(), 2);
    assert_eq!(m["nonce"], 1);
    // Transactions: receipt, and the review pages the core shows for the
    // same transaction in the scheme and form it was signed in.
    let expect = |tx: &Transaction, scheme, descriptor| -> Vec<String> {
        Review::new(tx, scheme, descriptor)
            .pages(DEFAULT_PAGE_WIDTH)
            .map(|p| p.to_string())
            .collect()
    };
    let v2_tx: Transaction = Transaction::new(CHAIN_ID_TESTNET, 0, live.payment(to, 1_500_000));
    let v1_tx: Transaction = Transaction::new(CHAIN_ID_TESTNET, 1, live.payment(to, 250_000));
    for (hash, tx, scheme, descriptor, label) in [
        (
            &v2,
            &v2_tx,
            Scheme::Native,
            Descriptor::Single,
            "v2 (domain-separated)",
        ),
        (
            &v1,
            &v1_tx,
            Scheme::Legacy,
            Descriptor::Single,
            "v1 (legacy)",
        ),
        (
            &multi,
            &pay,
            Scheme::Native,
            Descriptor::Multisig(account),
            "v2 (domain-separated)",
        ),
    ] {
        let v = get(live.a(), &format!("/explorer/api/transaction?hash={hash}"));
        assert_eq!(v.status, 200, "{}", v.body);
        let v = v.json();
        assert_eq!(v["review_error"], Value::Null, "{v}");
        assert_eq!(v["review"]["scheme"], label);
        let pages: Vec<String> = serde_json::from_value(v["review"]["pages"].clone()).unwrap();
        let mut tx = tx.clone();
        if scheme == Scheme::Native {
            tx.memo = Some(Default::default());
        }
        assert_eq!(pages, expect(&tx, scheme, descriptor), "{hash}");
        assert!(pages[0].starts_with("Operation: Payment"), "{pages:?}");
        assert_eq!(v["receipt"]["transaction_hash"], *hash);
    }
    // Search: a transaction, a checkpoint hash and number, a token, an
    // account; nothing; a malformed address.
    let search = |q: &str| get(live.a(), &format!("/explorer/api/search?q={q}"));
    assert_eq!(search(&v1).json()["kind"], "transaction");
    let checkpoint = get(live.a(), "/v1/checkpoints/by_number?number=1").json();
    let found = search(checkpoint["hash"].as_str().unwrap()).json();
    assert_eq!(
        (found["kind"].as_str(), found["key"].as_str()),
        (Some("checkpoint"), Some("1"))
    );
    assert_eq!(search("1").json()["kind"], "checkpoint");
    assert_eq!(search(&live.token.to_string()).json()["kind"], "token");
    let found = search(&to.to_string().to_lowercase()).json();
    assert_eq!(
        (found["kind"].as_str(), found["key"].as_str()),
        (Some("account"), Some(to.to_string().as_str()))
    );
    search(&format!("0x{}", "ab".repeat(32))).assert_error(404, "NOT_FOUND");
    search("0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266").assert_error(400, "INVALID_ADDRESS");
    get(
        live.a(),
        "/explorer/api/token?token=0x0000000000000000000000000000000000000001",
    )
    .assert_error(404, "TOKEN_NOT_FOUND");
    // The page: from the binary, no external asset, its policy says so.
    let page = get(live.a(), "/explorer");
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    for external in ["http://", "https://", "src=", "<link", "@import"] {
        assert!(
            !page.body.contains(external),
            "the page refers to {external}"
        );
    }
}
