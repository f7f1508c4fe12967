//! Injected faults: the next writes on a path answered with an error, then
//! disarmed.

use super::support::*;
use crate::server_common::live::*;
use crate::server_common::*;
use serde_json::json;

/// An injected fault: the status, a RESTErrorData with the code (which
/// need not be one of the node's own).
fn assert_injected(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.body);
    let v = r.json();
    assert_schema("RESTErrorData", &v);
    assert_eq!(v["error_code"], code);
}

#[test]
fn faults_answer_the_next_writes_on_a_path_then_disarm() {
    let live = live_with(|_| {});
    let a = live.a();
    let v = ok(
        post_dev(
            a,
            "/dev/faults",
            json!({"path": "/v2/transactions/payment",
            "error_code": "SERVICE_UNAVAILABLE", "status": 503, "count": 2}),
        ),
        "DevFaults",
    );
    assert_eq!(v["faults"][0]["remaining"], 2);
    let who = payer().address();
    for left in [1, 0] {
        let signed = signed_v2(&live, keyless(0x31));
        let r = post_native(a, &signed);
        assert_injected(&r, 503, "SERVICE_UNAVAILABLE");
        assert!(r.body.contains(&format!("{left} more")), "{}", r.body);
        assert_eq!(nonce_at(a, &who), 0, "nothing was stored");
    }
    assert_eq!(
        ok(get(a, "/dev/faults"), "DevFaults"),
        json!({"faults": []})
    );
    live.pay(keyless(0x31), 1);
    assert_eq!(balance_at(a, &keyless(0x31), &live.token), 1);
    // Other paths and the v1 path of the same operation are not armed; a
    // node's own code gets its own status by default.
    ok(
        post_dev(
            a,
            "/dev/faults",
            json!({"path": "/v1/transactions/payment", "error_code": "INSUFFICIENT_BALANCE"}),
        ),
        "DevFaults",
    );
    ok(
        post_dev(
            a,
            "/dev/faults",
            json!({"path": "/v2/tokens/mint", "error_code": "ODD", "count": 5}),
        ),
        "DevFaults",
    );
    let legacy = signed_v1(&live, keyless(0x31));
    post_json(a, "/v1/transactions/payment", &body_of(&legacy))
        .assert_error(422, "INSUFFICIENT_BALANCE");
    let v = ok(get(a, "/dev/faults"), "DevFaults");
    assert_eq!(
        v["faults"][0],
        json!({"path": "/v2/tokens/mint", "status": 500, "error_code": "ODD", "remaining": 5})
    );
    ok(
        post_dev(
            a,
            "/dev/faults",
            json!({"path": "/v2/tokens/mint", "error_code": "ODD", "count": 0}),
        ),
        "DevFaults",
    );
    ok(
        post_dev(
            a,
            "/dev/faults",
            json!({"path": "/v2/tokens/burn", "error_code": "X"}),
        ),
        "DevFaults",
    );
    assert_eq!(
        ok(post_json(a, "/dev/clear_faults", ""), "DevFaults"),
        json!({"faults": []})
    );
    // Refusals.
    post_dev(
        a,
        "/dev/faults",
        json!({"path": "/v1/accounts/nonce", "error_code": "X"}),
    )
    .assert_error(400, "INVALID_VALUE");
    post_dev(
        a,
        "/dev/faults",
        json!({"path": "/v2/tokens/burn", "error_code": "no spaces"}),
    )
    .assert_error(400, "INVALID_VALUE");
    post_dev(
        a,
        "/dev/faults",
        json!({"path": "/v2/tokens/burn", "error_code": "X", "status": 302}),
    )
    .assert_error(400, "INVALID_NUMBER");
    assert_eq!(
        ok(get(a, "/dev/faults"), "DevFaults"),
        json!({"faults": []})
    );
}
