//! The gate: the controls only on loopback unless forced, and the node
//! saying whether they are on.

use std::net::SocketAddr;

use super::support::*;
use crate::server_common::*;
use serde_json::json;
use tokensign::node::{spawn_background, NodeConfig};

#[test]
fn the_controls_are_refused_off_loopback_unless_forced() {
    let open = |forced: Option<bool>, listen: &str| {
        let dir = tempfile::tempdir().unwrap();
        let mut config = NodeConfig::new(dir.path().to_path_buf(), vec![]);
        config.dev_controls = forced;
        let node = spawn_background(config, listen.parse().unwrap()).unwrap();
        let a: SocketAddr = format!("127.0.0.1:{}", node.addr.port()).parse().unwrap();
        (node, a, dir)
    };
    let (_node, a, _dir) = open(None, "0.0.0.0:0");
    for r in [
        get(a, "/dev/modes"),
        post_json(a, "/dev/checkpoint", ""),
        post_dev(
            a,
            "/dev/set_nonce",
            json!({"address": keyless(1).to_string(), "nonce": 1}),
        ),
    ] {
        r.assert_error(403, "DEV_CONTROLS_DISABLED");
        assert!(r.body.contains("--dev-controls"), "{}", r.body);
    }
    assert_eq!(nonce_at(a, &keyless(1)), 0);
    // The network's API is unaffected.
    assert_eq!(get(a, "/api/status").status, 200);
    let (_node, a, _dir) = open(Some(true), "0.0.0.0:0");
    ok(get(a, "/dev/modes"), "DevModes");
    let (_node, a, _dir) = open(Some(false), "127.0.0.1:0");
    get(a, "/dev/modes").assert_error(403, "DEV_CONTROLS_DISABLED");
    let (_node, a, _dir) = open(None, "127.0.0.1:0");
    ok(get(a, "/dev/modes"), "DevModes");
    // Unknown controls are unknown routes; a wrong method is 405.
    get(a, "/dev/nothing").assert_error(404, "NOT_FOUND");
    get(a, "/dev/checkpoint").assert_error(405, "METHOD_NOT_ALLOWED");
}

#[test]
fn tokensign_node_says_whether_the_controls_are_on() {
    let dir = tempfile::tempdir().unwrap();
    let (_node, lines) = spawn_node(dir.path(), &["--no-dev-controls"]);
    let a = banner_addr(&lines);
    get(a, "/dev/modes").assert_error(403, "DEV_CONTROLS_DISABLED");
    let other = tempfile::tempdir().unwrap();
    let (_node, lines) = spawn_node(other.path(), &[]);
    ok(get(banner_addr(&lines), "/dev/modes"), "DevModes");
}
