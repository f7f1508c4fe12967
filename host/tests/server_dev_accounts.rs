//! `tokensign node` with its developer accounts: it prints the public test
//! accounts of section 9a with their keys, issues the test token, funds
//! every account, and a payment then works with nothing else set up.

mod server_common;

use server_common::*;
use tokensign::node::dev;
use tokensign_core::native::NativeTx;
use tokensign_core::tx::{Payment, Transaction, CHAIN_ID_TESTNET};
use tokensign_core::{Address, Amount};

#[test]
fn node_then_a_payment_just_works() {
    let dir = tempfile::tempdir().unwrap();
    let (_node, lines) = spawn_node(dir.path(), &["--accounts", "3"]);
    let text = lines.join("\n");
    let addr = banner_addr(&lines);
    // Section 9a's accounts, their (public) keys, the loud warning.
    let accounts = dev::derive_accounts(dev::TEST_MNEMONIC, 3).unwrap();
    for a in &accounts {
        assert!(text.contains(&a.address.to_string()), "{text}");
        assert!(text.contains(&hex::encode(&a.secret[..])), "{text}");
    }
    assert!(text.contains("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
    assert!(text.contains("PUBLIC TEST KEYS"), "{text}");
    assert!(text.contains("Fees: 0"), "{text}");
    let token = banner_token(&lines);
    // A payment from account 2 to a fresh address.
    let from = &accounts[2];
    let to = Address([0x42; 20]);
    let nonce = get(
        addr,
        &format!("/v1/accounts/nonce?address={}", from.address),
    )
    .json()["nonce"]
        .as_u64()
        .unwrap();
    let pay = Payment {
        recipient: to,
        value: Amount::from_u64(25),
        token,
    };
    let tx: Transaction = Transaction::new(CHAIN_ID_TESTNET, nonce, pay);
    let signed = NativeTx::sign(tx, &from.key).unwrap();
    let r = post_native(addr, &signed);
    assert_eq!(r.status, 200, "{}", r.body);
    let balance = get(
        addr,
        &format!("/v1/accounts/token_account?address={to}&token={token}"),
    )
    .json();
    assert_eq!(balance["balance"], "25");
    // Dual mode by default.
    let status = get(addr, "/api/status").json();
    assert_eq!(status["native_write_mode"], "dual");
}
