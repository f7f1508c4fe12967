//! The OpenAPI document's entries for the controls.

use crate::server_common::*;
use serde_json::json;
use tokensign_core::tx::OpType;

#[test]
fn the_document_lists_every_control_as_a_local_extension() {
    let doc = openapi();
    let controls = [
        ("/dev/set_balance", vec!["post"]),
        ("/dev/set_nonce", vec!["post"]),
        ("/dev/send", vec!["post"]),
        ("/dev/modes", vec!["get", "post"]),
        ("/dev/fees", vec!["get", "post"]),
        ("/dev/checkpoint_mode", vec!["get", "post"]),
        ("/dev/checkpoint", vec!["post"]),
        ("/dev/faults", vec!["get", "post"]),
        ("/dev/clear_faults", vec!["post"]),
        ("/dev/dump_state", vec!["post"]),
        ("/dev/snapshot", vec!["post"]),
        ("/dev/revert", vec!["post"]),
    ];
    for (path, methods) in &controls {
        for method in methods {
            let op = &doc["paths"][path][method];
            assert_eq!(op["x-local-extension"], true, "{method} {path}");
            assert_eq!(op["tags"][0], "local extension", "{method} {path}");
            assert_eq!(
                op["responses"]["403"]["x-error-codes"],
                json!(["DEV_CONTROLS_DISABLED"]),
                "{method} {path}"
            );
        }
    }
    let listed = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|p| p.starts_with("/dev/"))
        .count();
    assert_eq!(listed, controls.len());
    assert_eq!(
        doc["components"]["schemas"]["ErrorCode"]["x-status"]["DEV_CONTROLS_DISABLED"],
        403
    );
    // A send body of every operation: the unsigned document plus `from`;
    // a clawback's holder is `clawback_from`.
    let bodies = doc["components"]["schemas"]["DevSendRequest"]["oneOf"]
        .as_array()
        .unwrap();
    assert_eq!(bodies.len(), OpType::ALL.len());
    for body in bodies {
        assert!(body["required"]
            .as_array()
            .unwrap()
            .contains(&json!("from")));
        assert!(body["properties"].get("authorization").is_none());
    }
    let clawback = bodies
        .iter()
        .find(|b| b["properties"]["operation"]["enum"][0] == "TokenClawback")
        .unwrap();
    assert!(clawback["properties"]["clawback_from"].is_object());
    assert_schema(
        "DevSendRequest",
        &json!({"from": keyless(1).to_string().to_lowercase(), "operation": "Payment",
                "recipient": keyless(2).to_string().to_lowercase(), "value": "1",
                "token": keyless(3).to_string().to_lowercase()}),
    );
}
