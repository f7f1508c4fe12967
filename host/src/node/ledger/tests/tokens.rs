//! TokenIssue and TokenMetadata.

use tokensign_core::text::Text;
use tokensign_core::tx::*;
use tokensign_core::Amount;

use super::world::*;
use crate::node::error::codes;
use crate::node::ledger::*;

#[test]
fn issue_creates_the_token_and_refuses_non_operators_and_duplicates() {
    let mut w = World::new();
    let e = w.run(OPERATOR, issue("AAA", false, true)).unwrap();
    let t = e.token.unwrap();
    assert_eq!(t, token_address(&a(MASTER), "AAA"));
    let token = w.token(&t);
    assert_eq!(token.supply, Amount::default());
    assert!(token.clawback_enabled && !token.is_paused);
    assert!(token.master_mint_burn_authority.is_zero());
    assert_eq!(w.ledger.account(&a(OPERATOR)).unwrap().nonce, 1);
    w.refused(ALICE, issue("BBB", false, true), codes::SIGNER_NOT_OPERATOR);
    w.refused(
        OPERATOR,
        issue("AAA", false, true),
        codes::TOKEN_ALREADY_EXISTS,
    );
    let mut other = issue("AAA", false, true);
    other.master_authority = a(ALICE);
    w.refused(OPERATOR, other, codes::SYMBOL_ALREADY_EXISTS);
}

#[test]
fn metadata_updates_replace_everything() {
    let mut w = World::new();
    let t = w.funded("AAA", false, 0);
    let mut extra = heapless::Vec::new();
    extra
        .push(MetadataEntry {
            key: Text::new("k").unwrap(),
            value: Text::new("v").unwrap(),
        })
        .unwrap();
    let update = TokenMetadata {
        name: Text::new("New").unwrap(),
        uri: Text::new("https://x.example").unwrap(),
        token: t,
        additional_metadata: extra,
    };
    w.refused(ALICE, update.clone(), codes::NOT_AUTHORIZED);
    w.run(MASTER, update).unwrap();
    let token = w.token(&t);
    assert_eq!(
        (token.name.as_str(), token.uri.as_str()),
        ("New", "https://x.example")
    );
    assert_eq!(
        token.additional_metadata,
        vec![("k".to_owned(), "v".to_owned())]
    );
    assert_eq!(token.symbol, "AAA");
}
