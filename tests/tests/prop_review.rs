//! The review shows everything that is signed: for every operation, in
//! each scheme it has, single-signer and multisig, at several page widths,
//! the signed transaction is rebuilt from the page texts alone
//! (`tokensign_tests::pages`, a parser independent of the core's review
//! code) and equals what was signed; the device's one-walk paging
//! (`Review::for_each_page`) gives the same pages. Each review is also
//! made with what a host or device adds: a trusted definition of the
//! token (every amount in whole tokens, then its base units), a server's
//! word on the unit, a local node's chain; the pages must show exactly
//! that, and the whole-token texts must agree with the base units
//! (checked by a formatter written on the digits, apart from the core's).
//! Look-alike texts (`USDС` with a Cyrillic С, U+0421) never render like
//! their ASCII twins, and get a warning page before them.

use std::ops::ControlFlow;

use proptest::prelude::*;
use proptest::sample::select;
use tokensign_core::definition::{DefinitionError, TokenDefinition, TokenUnit, TrustedDefinition};
use tokensign_core::native::{self, Descriptor};
use tokensign_core::review::{Review, DEFAULT_PAGE_WIDTH, MAX_PAGE_WIDTH};
use tokensign_core::text::Text;
use tokensign_core::tx::{Memo, TokenIssue};
use tokensign_core::{legacy, Address, OpType, Scheme, SigningKey, Transaction};
use tokensign_tests::config;
use tokensign_tests::pages::{read_items, rebuild, ReadItem, Rebuilt, ShownUnit, View};
use tokensign_tests::strategies::{address, transaction_for};

/// Widths to page at: 0 (clamped to 1), 1 character, narrow, the
/// reference device's 20, the widest page, and wider (clamped to the
/// widest).
const WIDTHS: &[usize] = &[0, 1, 2, 7, 16, DEFAULT_PAGE_WIDTH, 33, MAX_PAGE_WIDTH, 100];

type Tx = Transaction<8, 6>;

fn pages_of(review: &Review<'_, 8, 6>, width: usize) -> Result<Vec<ReadItem>, TestCaseError> {
    let effective = width.clamp(1, MAX_PAGE_WIDTH);
    let pages: Vec<_> = review.pages(width).collect();
    // The device's way (one walk) gives the same pages, and stops when
    // told to.
    let mut pushed = Vec::new();
    let _ = review.for_each_page(width, |page| {
        pushed.push(*page);
        ControlFlow::Continue(())
    });
    prop_assert_eq!(&pushed, &pages, "for_each_page differs from pages");
    let stop = pages.len() / 2 + 1;
    let mut first = Vec::new();
    let flow = review.for_each_page(width, |page| {
        first.push(*page);
        if first.len() == stop {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    prop_assert_eq!(flow.is_break(), stop <= pages.len());
    prop_assert_eq!(&first[..], &pages[..stop.min(pages.len())]);
    // The text form of each page fits the documented buffer.
    for page in &pages {
        let mut buf = vec![0u8; 48 + effective];
        let n = page
            .write_to(&mut buf)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(std::str::from_utf8(&buf[..n]).unwrap(), page.to_string());
        let head = match page.index {
            Some(i) => format!("{} {}", page.label, i + 1),
            None => page.label.to_string(),
        };
        prop_assert!(page.to_string().starts_with(&head));
        let tail = format!(": {}", page.text());
        prop_assert!(page.to_string().ends_with(&tail), "{page}");
    }
    read_items(pages, effective).map_err(TestCaseError::fail)
}

fn rebuilt(
    review: &Review<'_, 8, 6>,
    width: usize,
    view: &View,
) -> Result<Rebuilt<8, 6>, TestCaseError> {
    let items = pages_of(review, width)?;
    // The items as the review lists them, without paging.
    prop_assert_eq!(items.len(), review.len());
    rebuild::<8, 6>(&items, view).map_err(TestCaseError::fail)
}

/// What the review is told besides the transaction.
#[derive(Clone, Copy, Debug)]
enum Told {
    /// Nothing: base units, the token unknown.
    Nothing,
    /// A trusted definition of the transaction's token.
    Definition,
    /// A server's word on the unit.
    Server,
}

/// The definitions key of these tests.
fn definitions_key() -> SigningKey {
    SigningKey::from_bytes(&[0x42; 32]).expect("a valid key")
}

/// A token unit: 1 to 20 ASCII letters and digits, 0 to 18 decimals.
fn unit() -> impl Strategy<Value = TokenUnit> {
    ("[A-Za-z0-9]{1,20}", 0u8..=18).prop_map(|(s, d)| TokenUnit::new(&s, d).expect("a valid unit"))
}

/// `review` told what `told` says: the definition, or its unit as a
/// server's word, and the local node. A definition for an operation that
/// moves no token is refused, and the review goes on without it.
fn tell<'a>(
    review: Review<'a, 8, 6>,
    told: Told,
    definition: &'a TrustedDefinition,
    local_node: bool,
    has_token: bool,
) -> Result<Review<'a, 8, 6>, TestCaseError> {
    let review = if local_node {
        review.on_local_node()
    } else {
        review
    };
    Ok(match told {
        Told::Nothing => review,
        Told::Server => review.with_reported_unit(&definition.definition().unit),
        Told::Definition => match review.with_definition(definition) {
            Ok(review) => review,
            Err(DefinitionError::WrongToken {
                transaction: None, ..
            }) if !has_token => review,
            Err(e) => return Err(TestCaseError::fail(format!("refused: {e}"))),
        },
    })
}

/// Review, page, read back, compare.
fn round_trip(
    tx: &Tx,
    native_scheme: bool,
    account: Option<Address>,
    width: usize,
    (told, unit, local_node): (Told, TokenUnit, bool),
) -> Result<(), TestCaseError> {
    let op = tx.op_type();
    let scheme = if native_scheme || !legacy::supports(op) {
        Scheme::Native
    } else {
        Scheme::Legacy
    };
    let descriptor = match (scheme, account) {
        (Scheme::Native, Some(a)) => Descriptor::Multisig(a),
        _ => Descriptor::Single,
    };
    // What is signed: legacy signs the transaction as it is, v2 the
    // normalized one (absent memo = empty, absent clawback_enabled = true).
    let signed = match scheme {
        Scheme::Legacy => tx.clone(),
        Scheme::Native => native::normalize(tx.clone()),
    };
    // The definition of the transaction's token (or of another one, for an
    // operation that moves none), signed and verified as a device does.
    let key = definitions_key();
    let definition = TokenDefinition {
        chain_id: tx.chain_id,
        token: tx.operation.token().unwrap_or(Address([0x77; 20])),
        unit,
    }
    .sign(&key)
    .expect("signs")
    .verify(&[key.address()])
    .expect("verifies");
    let view = View {
        unit: match (told, tx.operation.token()) {
            (Told::Nothing, _) | (_, None) => None,
            (told, Some(_)) => Some(ShownUnit {
                symbol: unit.symbol().as_str().to_owned(),
                decimals: unit.decimals(),
                verified: matches!(told, Told::Definition),
            }),
        },
        local_node,
    };
    let has_token = tx.operation.token().is_some();
    let review = tell(
        Review::new(&signed, scheme, descriptor),
        told,
        &definition,
        local_node,
        has_token,
    )?;
    let back = rebuilt(&review, width, &view)?;
    prop_assert_eq!(back.scheme, scheme);
    prop_assert_eq!(back.descriptor, descriptor);
    let mut shown = back.tx;
    if scheme == Scheme::Native {
        // An empty memo is not shown in v2 (it is the absent memo).
        shown.memo.get_or_insert_with(Memo::default);
    }
    prop_assert_eq!(&shown, &signed);
    // Reviewing the transaction before normalization shows the same: what
    // v2 will sign, including a `clawback_enabled` left to its default.
    if scheme == Scheme::Native {
        let raw = tell(
            Review::new(tx, scheme, descriptor),
            told,
            &definition,
            local_node,
            has_token,
        )?;
        let mut shown = rebuilt(&raw, width, &view)?.tx;
        shown.memo.get_or_insert_with(Memo::default);
        prop_assert_eq!(
            &shown,
            &signed,
            "the review of the un-normalized transaction"
        );
    }
    Ok(())
}

macro_rules! per_op {
    ($($m:ident => $op:ident,)+) => {$(
        mod $m {
            use super::*;

            proptest! {
                #![proptest_config(config("prop_review", 256))]

                #[test]
                fn pages_show_everything_signed(
                    tx in transaction_for::<8, 6>(OpType::$op),
                    native_scheme in any::<bool>(),
                    account in proptest::option::of(address()),
                    width in select(WIDTHS),
                    told in select(&[Told::Nothing, Told::Definition, Told::Server][..]),
                    unit in unit(),
                    local_node in any::<bool>(),
                ) {
                    round_trip(&tx, native_scheme, account, width, (told, unit, local_node))?;
                }
            }
        }
    )+};
}

per_op! {
    payment => Payment,
    token_issue => TokenIssue,
    token_mint => TokenMint,
    token_authority => TokenAuthority,
    token_blacklist => TokenBlacklist,
    token_whitelist => TokenWhitelist,
    token_pause => TokenPause,
    token_burn => TokenBurn,
    token_clawback => TokenClawback,
    token_metadata => TokenMetadata,
    token_bridge_and_mint => TokenBridgeAndMint,
    token_burn_and_bridge => TokenBurnAndBridge,
    create_multisig => CreateMultiSig,
    batch_payment => BatchPayment,
}

fn issue(symbol: &str, name: &str) -> Tx {
    Transaction::new(
        1_212_101,
        3,
        TokenIssue {
            symbol: Text::new(symbol).unwrap(),
            name: Text::new(name).unwrap(),
            decimals: 6,
            master_authority: Address([0x11; 20]),
            is_private: false,
            clawback_enabled: Some(true),
        },
    )
}

fn page_texts(tx: &Tx, scheme: Scheme, width: usize) -> Vec<String> {
    Review::new(tx, scheme, Descriptor::Single)
        .pages(width)
        .map(|p| p.to_string())
        .collect()
}

/// `USDС` (Cyrillic С) is never shown as `USDC`, at any width, in either
/// scheme, as a symbol or inside a name; nor is the ASCII text that spells
/// its escape.
#[test]
fn look_alike_symbols_render_differently() {
    let ascii = issue("USDC", "USD Coin");
    let cyrillic = issue("USD\u{421}", "USD Coin");
    let name = issue("USDC", "USD\u{421} Coin");
    let spelled = issue("USDC", "USD\\u{421} Coin");
    for scheme in [Scheme::Legacy, Scheme::Native] {
        for width in 1..=MAX_PAGE_WIDTH {
            let a = page_texts(&ascii, scheme, width);
            assert_ne!(a, page_texts(&cyrillic, scheme, width), "width {width}");
            assert_ne!(a, page_texts(&name, scheme, width), "width {width}");
            assert_ne!(
                page_texts(&name, scheme, width),
                page_texts(&spelled, scheme, width),
                "width {width}"
            );
        }
    }
    // The look-alike is announced before it is shown; its ASCII twin is not.
    let warning = "Warning: Symbol contains non-ASCII characters";
    let cyrillic_pages = page_texts(&cyrillic, Scheme::Native, MAX_PAGE_WIDTH);
    let at = cyrillic_pages
        .iter()
        .position(|p| p == warning)
        .expect("a warning page");
    assert!(cyrillic_pages[at + 1].starts_with("Symbol: "));
    assert!(!page_texts(&ascii, Scheme::Native, MAX_PAGE_WIDTH)
        .iter()
        .any(|p| p.starts_with("Warning")));
    assert!(page_texts(&name, Scheme::Legacy, MAX_PAGE_WIDTH)
        .iter()
        .any(|p| p == "Warning: Name contains non-ASCII characters"));
    let review = Review::new(&cyrillic, Scheme::Native, Descriptor::Single);
    let symbol: String = review
        .pages(64)
        .filter(|p| p.label == "Symbol")
        .map(|p| p.text().to_owned())
        .collect();
    assert_eq!(symbol, "\"USD\\u{421}\"");
    let review = Review::new(&spelled, Scheme::Native, Descriptor::Single);
    let name: String = review
        .pages(64)
        .filter(|p| p.label == "Name")
        .map(|p| p.text().to_owned())
        .collect();
    assert_eq!(name, "\"USD\\\\u{421} Coin\"");
}
