//! The node's signed token definitions (`GET /v1/tokens/definition`, a
//! local extension): who signs them, a definition of an issued token that
//! the core accepts from that signer for this chain and token, the same key
//! after a restart and another key on another node, and each refusal with
//! its status and code; the OpenAPI document marks the route as the
//! node's own.

mod server_common;

use server_common::*;
use tokensign::definitions::{read_file, LOCAL_NODE};
use tokensign::node::definition::{definitions_key, KEY_FILE};
use tokensign_core::tx::CHAIN_ID_TESTNET;
use tokensign_core::Address;

fn signer_of(addr: std::net::SocketAddr) -> Address {
    let who = get(addr, "/v1/tokens/definition");
    assert_eq!(who.status, 200, "{}", who.body);
    let v = who.json();
    assert_eq!(v["node"], LOCAL_NODE);
    assert_eq!(v["chain_id"], CHAIN_ID_TESTNET);
    Address::parse(v["signer"].as_str().unwrap()).unwrap()
}

#[test]
fn the_node_signs_definitions_of_its_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let op = operator();
    let node = start(dir.path(), vec![addr(&op)]);
    let a = node.addr;
    let signer = signer_of(a);
    assert_eq!(definitions_key(dir.path()).unwrap().address(), signer);

    let issued = sign(&op, payload(0, "USDX", Some(true)));
    assert_eq!(issue(a, &issued).status, 200);
    let token = token_of(&issued);
    let answer = get(a, &format!("/v1/tokens/definition?token={token}"));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let signed = read_file(answer.body.as_bytes()).expect("a definition file");
    assert_eq!(signed.signer, signer);
    let trusted = signed.verify(&[signer]).expect("signed by the node's key");
    assert_eq!(trusted.check_applies(CHAIN_ID_TESTNET, Some(token)), Ok(()));
    assert_eq!(trusted.definition().unit.symbol().as_str(), "USDX");
    assert_eq!(trusted.definition().unit.decimals(), 6);
    // Lowercase and uppercase addresses are the same token.
    let lower = format!("0x{}", hex::encode(token.0));
    assert_eq!(
        get(a, &format!("/v1/tokens/definition?token={lower}")).body,
        answer.body
    );

    // Refusals.
    get(
        a,
        "/v1/tokens/definition?token=0x00000000000000000000000000000000000000aa",
    )
    .assert_error(404, "TOKEN_NOT_FOUND");
    get(a, "/v1/tokens/definition?token=0x12").assert_error(400, "INVALID_ADDRESS");
    // A symbol a definition cannot carry (not ASCII).
    let cyrillic = sign(&op, payload(1, "USD\u{421}", Some(true)));
    assert_eq!(issue(a, &cyrillic).status, 200);
    get(
        a,
        &format!("/v1/tokens/definition?token={}", token_of(&cyrillic)),
    )
    .assert_error(404, "DEFINITION_UNAVAILABLE");

    // The key survives a restart; another node has another.
    drop(node);
    let again = start(dir.path(), vec![addr(&op)]);
    assert_eq!(signer_of(again.addr), signer);
    drop(again);
    let other = tempfile::tempdir().unwrap();
    let second = start(other.path(), vec![addr(&op)]);
    assert_ne!(signer_of(second.addr), signer);
    // The key file is the owner's only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
    // A damaged key file is an error, not a new key.
    drop(second);
    std::fs::write(other.path().join(KEY_FILE), "not a key\n").unwrap();
    let err = definitions_key(other.path()).unwrap_err();
    assert!(err.contains("delete it"), "{err}");
}

#[test]
fn the_openapi_document_marks_the_route_as_the_node_s_own() {
    let doc = openapi();
    let route = &doc["paths"]["/v1/tokens/definition"]["get"];
    assert_eq!(route["x-local-extension"], true);
    assert!(route["summary"]
        .as_str()
        .unwrap()
        .contains("not part of the network's API"));
    let codes = route["responses"]["404"]["x-error-codes"]
        .as_array()
        .unwrap();
    assert!(codes.iter().any(|c| c == "DEFINITION_UNAVAILABLE"));
}
