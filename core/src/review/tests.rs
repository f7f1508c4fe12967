//! The review's items: amounts with and without a unit, definitions that
//! do not apply, batches, non-ASCII texts, what v2 signs for an absent field.

use std::string::{String, ToString};
use std::vec::Vec;

use super::*;
use crate::address::Address;
use crate::amount::Amount;
use crate::definition::{DefinitionError, TokenDefinition, TokenUnit, TrustedDefinition};
use crate::field::Shown;
use crate::native::Descriptor;
use crate::scheme::Scheme;
use crate::text::Text;
use crate::tx::issue::LABEL_CLAWBACK;
use crate::tx::{
    BatchEntry, BatchPayment, Payment, TokenIssue, Transaction, CHAIN_ID_MAINNET, CHAIN_ID_TESTNET,
};
use crate::SigningKey;

fn issue(clawback_enabled: Option<bool>) -> Transaction {
    Transaction::new(
        CHAIN_ID_TESTNET,
        2,
        TokenIssue {
            symbol: Text::new("TEST").unwrap(),
            name: Text::new("Test Token").unwrap(),
            decimals: 8,
            master_authority: Address([3; 20]),
            is_private: false,
            clawback_enabled,
        },
    )
}

const TOKEN: Address = Address([0x5f; 20]);

fn payment(chain_id: u64) -> Transaction {
    Transaction::new(
        chain_id,
        1,
        Payment {
            recipient: Address([2; 20]),
            value: Amount::from_u64(1_500_000),
            token: TOKEN,
        },
    )
}

fn trusted(chain_id: u64, token: Address) -> TrustedDefinition {
    let key = SigningKey::from_bytes(&[9; 32]).unwrap();
    TokenDefinition {
        chain_id,
        token,
        unit: TokenUnit::new("USDX", 6).unwrap(),
    }
    .sign(&key)
    .unwrap()
    .verify(&[key.address()])
    .unwrap()
}

fn lines<const B: usize, const M: usize>(review: &Review<'_, B, M>) -> Vec<String> {
    review
        .items()
        .map(|i| {
            let mut v = String::new();
            render::render(&i.value, &mut v).unwrap();
            std::format!("{}: {v}", i.label)
        })
        .collect()
}

#[test]
fn amounts_in_whole_tokens_with_a_definition() {
    let tx = payment(CHAIN_ID_TESTNET);
    let def = trusted(CHAIN_ID_TESTNET, TOKEN);
    let token = TOKEN.to_string();
    let review = Review::new(&tx, Scheme::Native, Descriptor::Single)
        .with_definition(&def)
        .unwrap();
    let shown = lines(&review);
    assert_eq!(shown[2], "Amount: 1.5 USDX");
    assert_eq!(shown[3], "Base units: 1500000");
    assert_eq!(shown[4], std::format!("Token: USDX {token}"));
    // Without: base units, the token unknown.
    let plain = lines(&Review::new(&tx, Scheme::Native, Descriptor::Single));
    assert_eq!(plain[2], "Amount: 1500000");
    assert_eq!(plain[3], std::format!("Token: Unknown token {token}"));
    // A server's word is labelled as such.
    let unit = TokenUnit::new("USDX", 6).unwrap();
    let reported = Review::new(&tx, Scheme::Native, Descriptor::Single).with_reported_unit(&unit);
    let shown = lines(&reported);
    assert_eq!(shown[2], "Amount: 1.5 USDX (per server)");
    assert_eq!(shown[3], "Base units: 1500000");
    assert_eq!(
        shown[4],
        std::format!("Token: Unknown token {token} (server says USDX)")
    );
    // A definition wins over a server's word.
    let both = Review::new(&tx, Scheme::Native, Descriptor::Single)
        .with_definition(&def)
        .unwrap()
        .with_reported_unit(&unit);
    assert_eq!(lines(&both), lines(&review));
}

#[test]
fn a_definition_for_another_chain_or_token_is_refused() {
    let tx = payment(CHAIN_ID_TESTNET);
    let other_chain = trusted(CHAIN_ID_MAINNET, TOKEN);
    let review = Review::new(&tx, Scheme::Native, Descriptor::Single);
    assert_eq!(
        review.with_definition(&other_chain).err(),
        Some(DefinitionError::WrongChain {
            definition: CHAIN_ID_MAINNET,
            transaction: CHAIN_ID_TESTNET
        })
    );
    let other_token = trusted(CHAIN_ID_TESTNET, Address([1; 20]));
    assert_eq!(
        review.with_definition(&other_token).err(),
        Some(DefinitionError::WrongToken {
            definition: Address([1; 20]),
            transaction: Some(TOKEN)
        })
    );
    let issue = issue(Some(true));
    let def = trusted(CHAIN_ID_TESTNET, TOKEN);
    assert!(matches!(
        Review::new(&issue, Scheme::Native, Descriptor::Single).with_definition(&def),
        Err(DefinitionError::WrongToken {
            transaction: None,
            ..
        })
    ));
}

#[test]
fn a_batch_shows_each_payment_and_the_total() {
    let mut batch = BatchPayment::<4> {
        token: TOKEN,
        ..Default::default()
    };
    for (i, units) in [1_000_000u64, 2_500_000].into_iter().enumerate() {
        let entry = BatchEntry {
            recipient: Address([i as u8 + 1; 20]),
            amount: Amount::from_u64(units),
        };
        batch.operations.push(entry).unwrap();
    }
    let tx: Transaction<4, 2> = Transaction::new(CHAIN_ID_TESTNET, 4, batch);
    let def = trusted(CHAIN_ID_TESTNET, TOKEN);
    let review = Review::new(&tx, Scheme::Native, Descriptor::Single)
        .with_definition(&def)
        .unwrap();
    let shown = lines(&review);
    for want in [
        "Amount: 1 USDX",
        "Base units: 1000000",
        "Amount: 2.5 USDX",
        "Base units: 2500000",
        "Total: 3.5 USDX",
        "Base units: 3500000",
    ] {
        assert!(shown.iter().any(|l| l == want), "{want} in {shown:?}");
    }
    let plain = lines(&Review::new(&tx, Scheme::Native, Descriptor::Single));
    assert!(plain.iter().any(|l| l == "Total: 3500000"), "{plain:?}");
    assert!(!plain.iter().any(|l| l.starts_with("Base units")));
}

#[test]
fn non_ascii_texts_are_announced_and_local_chains_named() {
    let tx: Transaction = Transaction::new(
        CHAIN_ID_TESTNET,
        2,
        TokenIssue {
            symbol: Text::new("USD\u{421}").unwrap(),
            name: Text::new("Caf\u{e9}").unwrap(),
            decimals: 8,
            master_authority: Address([3; 20]),
            is_private: false,
            clawback_enabled: Some(true),
        },
    );
    let shown = lines(&Review::new(&tx, Scheme::Native, Descriptor::Single).on_local_node());
    assert_eq!(shown[1], "Warning: Symbol contains non-ASCII characters");
    assert_eq!(shown[2], "Symbol: \"USD\\u{421}\"");
    assert_eq!(shown[3], "Warning: Name contains non-ASCII characters");
    assert_eq!(shown[4], "Name: \"Caf\\u{E9}\"");
    assert!(shown
        .iter()
        .any(|l| l == "Chain: local node (chain id 1212101)"));
    assert!(!shown.iter().any(|l| l.contains("1Money")));
    // ASCII texts get no warning, even with a backslash.
    let plain = issue(None);
    assert!(
        !lines(&Review::new(&plain, Scheme::Native, Descriptor::Single))
            .iter()
            .any(|l| l.starts_with("Warning"))
    );
}

#[test]
fn v2_shows_the_clawback_it_signs_for_an_absent_field() {
    let (absent, explicit) = (issue(None), issue(Some(true)));
    let native = |tx| Review::new(tx, Scheme::Native, Descriptor::Single);
    let shown = native(&absent).find(LABEL_CLAWBACK).map(|i| i.value);
    assert_eq!(shown, Some(Shown::Bool(true)));
    // Item for item what the explicit `true` shows.
    assert!(native(&absent).items().eq(native(&explicit).items()));
    // Legacy signs the seven-field form: nothing to show.
    let legacy = Review::new(&absent, Scheme::Legacy, Descriptor::Single);
    assert_eq!(legacy.find(LABEL_CLAWBACK), None);
    let legacy = Review::new(&explicit, Scheme::Legacy, Descriptor::Single);
    assert_eq!(
        legacy.find(LABEL_CLAWBACK).map(|i| i.value),
        Some(Shown::Bool(true))
    );
}
