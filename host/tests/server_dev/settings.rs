//! The node's settings while it runs: read-only, the write mode, fees.

use super::support::*;
use crate::server_common::live::*;
use crate::server_common::*;
use serde_json::json;

#[test]
fn modes_switch_read_only_and_the_write_mode_while_the_node_runs() {
    let live = live_with(|_| {});
    let a = live.a();
    assert_eq!(
        ok(get(a, "/dev/modes"), "DevModes"),
        json!({"write_mode": "dual", "read_only": false})
    );
    let v = ok(
        post_dev(a, "/dev/modes", json!({"read_only": true})),
        "DevModes",
    );
    assert_eq!(v, json!({"write_mode": "dual", "read_only": true}));
    let status = get(a, "/api/status").json();
    assert_eq!(status["read_only"], true);
    let signed = signed_v2(&live, keyless(0xe1));
    post_native(a, &signed).assert_error(403, "NODE_READ_ONLY");
    // The controls are the node's own: they still work while read-only.
    hash_of_accepted(&send_payment(
        a,
        &payer().address(),
        &keyless(0xe2),
        1,
        &live.token,
    ));
    post_dev(a, "/dev/modes", json!({"read_only": false}));
    let signed = signed_v2(&live, keyless(0xe1));
    assert_eq!(post_native(a, &signed).status, 200);
    // v2_only: legacy writes are gone; v1_only: v2 writes are not open.
    ok(
        post_dev(a, "/dev/modes", json!({"write_mode": "v2_only"})),
        "DevModes",
    );
    assert_eq!(get(a, "/api/status").json()["native_write_mode"], "v2_only");
    let legacy = signed_v1(&live, keyless(0xe1));
    post_json(a, "/v1/transactions/payment", &body_of(&legacy))
        .assert_error(410, "LEGACY_NATIVE_WRITE_ENDPOINT_DISABLED");
    ok(
        post_dev(a, "/dev/modes", json!({"write_mode": "v1_only"})),
        "DevModes",
    );
    let status = get(a, "/api/status").json();
    assert_eq!(
        (&status["native_write_mode"], &status["activation_source"]),
        (&json!("v1_only"), &json!("not_activated"))
    );
    post_native(a, &signed).assert_error(403, "DOMAIN_SEPARATED_SIGNATURE_NOT_ACTIVE");
    let r = post_json(a, "/v1/transactions/payment", &body_of(&legacy));
    assert_eq!(r.status, 200, "{}", r.body);
    // Leaving v1_only activates dual now.
    ok(
        post_dev(a, "/dev/modes", json!({"write_mode": "dual"})),
        "DevModes",
    );
    let status = get(a, "/api/status").json();
    assert!(status["dual_activated_at_secs"].is_u64(), "{status}");
    post_dev(a, "/dev/modes", json!({"write_mode": "v3"})).assert_error(400, "INVALID_VALUE");
    post_dev(a, "/dev/modes", json!({"read_only": null})).assert_error(400, "INVALID_TYPE");
    post_dev(a, "/dev/modes", json!({"other": 1})).assert_error(400, "UNKNOWN_FIELD");
}

#[test]
fn fees_change_what_a_payment_costs_and_what_the_estimates_say() {
    let live = live_with(|_| {});
    let a = live.a();
    let estimate = || {
        let who = payer().address();
        get(
            a,
            &format!(
                "/v1/transactions/estimate_fee?from={who}&to={who}&value=1&token={}",
                live.token
            ),
        )
        .json()["fee"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(estimate(), "0");
    let collector = keyless(0xf1);
    let v = ok(
        post_dev(
            a,
            "/dev/fees",
            json!({"flat": "7", "collector": collector.to_string()}),
        ),
        "DevFees",
    );
    assert_eq!(v["flat"], "7");
    assert_eq!(estimate(), "7");
    let before = balance_at(a, &payer().address(), &live.token);
    live.pay(keyless(0xf2), 100);
    assert_eq!(balance_at(a, &payer().address(), &live.token), before - 107);
    assert_eq!(balance_at(a, &collector, &live.token), 7);
    // A token's own fee wins over the flat one; null removes it.
    let token = live.token.to_string();
    let v = ok(
        post_dev(a, "/dev/fees", json!({"per_token": {&token: "3"}})),
        "DevFees",
    );
    assert_eq!(v["per_token"][&token], "3");
    assert_eq!(estimate(), "3");
    ok(
        post_dev(a, "/dev/fees", json!({"per_token": {&token: null}})),
        "DevFees",
    );
    assert_eq!(estimate(), "7");
    assert_eq!(ok(get(a, "/dev/fees"), "DevFees")["flat"], "7");
    post_dev(a, "/dev/fees", json!({"flat": "x"})).assert_error(400, "INVALID_NUMBER");
    post_dev(a, "/dev/fees", json!({"per_token": {"0x12": "1"}}))
        .assert_error(400, "INVALID_ADDRESS");
    post_dev(a, "/dev/fees", json!({"flat": null})).assert_error(400, "INVALID_TYPE");
    post_json(a, "/dev/fees", "[null, null]").assert_error(400, "INVALID_TYPE");
    assert_eq!(estimate(), "7", "refusals changed nothing");
}
