//! A revert's refusals, by name.

use super::support::*;
use crate::server_common::live::*;
use crate::server_common::*;
use serde_json::json;

#[test]
fn a_revert_names_its_refusals() {
    let live = live_with(|_| {});
    let a = live.a();
    let r = post_dev(a, "/dev/revert", json!({ "id": 987_654 }));
    r.assert_error(404, "SNAPSHOT_NOT_FOUND");
    assert!(
        r.json()["message"].as_str().unwrap().contains("987654"),
        "{}",
        r.body
    );
    post_dev(a, "/dev/revert", json!({})).assert_error(400, "MISSING_FIELD");
    post_dev(a, "/dev/revert", json!({"id": "1"})).assert_error(400, "INVALID_TYPE");
    post_dev(a, "/dev/revert", json!({"id": -1})).assert_error(400, "INVALID_NUMBER");
    post_dev(a, "/dev/revert", json!({"id": 1, "x": 1})).assert_error(400, "UNKNOWN_FIELD");
    // Done when: a snapshot, a payment and a revert restore the balances.
    let to = keyless(0x61);
    let id = snapshot(a);
    let before = view(a, &[payer().address(), to], &[live.token], &[]);
    live.pay(to, 77);
    revert(a, id);
    assert_same_view(
        &view(a, &[payer().address(), to], &[live.token], &[]),
        &before,
        0,
    );
    // The controls' gate covers them.
    let off = live_with(|c| c.dev_controls = Some(false));
    post_json(off.a(), "/dev/snapshot", "").assert_error(403, "DEV_CONTROLS_DISABLED");
    post_dev(off.a(), "/dev/revert", json!({"id": 1})).assert_error(403, "DEV_CONTROLS_DISABLED");
}
