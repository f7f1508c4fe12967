//! Fees, when the node is configured to charge them.

use super::support::*;
use crate::server_common::*;
use tokensign::node::NodeConfig;
use tokensign_core::tx::*;

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
    hash_of_accepted(&n.send(
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
    let h = hash_of_accepted(&n.send(
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

on_every_backend!(fees_when_configured,);
