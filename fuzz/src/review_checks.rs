//! What every review must be, whatever it reviews: the fixed items, the
//! rendering of each value, the token and its amounts, the warnings before
//! non-ASCII texts, and the pages at any width.

use core::ops::ControlFlow;

use tokensign_core::field::{ShowVisitor, Shown};
use tokensign_core::native::Descriptor;
use tokensign_core::review::render::{render, unrender_text};
use tokensign_core::review::{
    Item, Review, LABEL_BASE_UNITS, LABEL_CHAIN, LABEL_MULTISIG_ACCOUNT, LABEL_NONCE,
    LABEL_OPERATION, LABEL_SCHEME, LABEL_TOKEN, LABEL_WARNING, MAX_PAGE_WIDTH, SCHEME_LEGACY,
    SCHEME_NATIVE,
};
use tokensign_core::tx::memo::{LABEL_MEMO_DATA, LABEL_MEMO_FORMAT, LABEL_MEMO_TYPE};
use tokensign_core::Scheme;

fn is_printable(text: &str) -> bool {
    text.bytes().all(|b| (b' '..=b'~').contains(&b))
}

/// Pages of the `Review::pages` iterator compared with the review's pages
/// as a device shows them (`Review::for_each_page`): the iterator walks the
/// items again and renders the item again for every page, so comparing all
/// of them would make the check quadratic in the review's length (and in an
/// item's length at narrow widths). Both are compared in full by
/// tests/tests/prop_review.rs.
const ITERATOR_PAGES_CHECKED: usize = 32;

/// The review's items in order, from one walk.
fn walked_items<'a, const B: usize, const M: usize>(review: &Review<'a, B, M>) -> Vec<Item<'a>> {
    struct Collect<'a>(Vec<Item<'a>>);
    impl<'a> ShowVisitor<'a> for Collect<'a> {
        fn item(
            &mut self,
            label: &'static str,
            index: Option<u16>,
            value: Shown<'a>,
        ) -> ControlFlow<()> {
            self.0.push(Item {
                label,
                index,
                value,
            });
            ControlFlow::Continue(())
        }
    }
    let mut items = Collect(Vec::new());
    assert!(
        review.walk(&mut items).is_continue(),
        "a walk stopped early"
    );
    items.0
}

/// The first item with `label` outside lists, as `Review::find` gives it.
fn find<'i, 'a>(items: &'i [Item<'a>], label: &str) -> Option<&'i Item<'a>> {
    items
        .iter()
        .find(|item| item.label == label && item.index.is_none())
}

/// The review's indexed access (`item`, `items`, `find`, `len`) agrees
/// with one walk of it, at a few positions: every indexed access walks the
/// review from its first item, so checking every position would make the
/// check quadratic in the review's length.
fn check_indexed_access<const B: usize, const M: usize>(
    review: &Review<'_, B, M>,
    items: &[Item<'_>],
) {
    let len = items.len();
    assert_eq!(review.len(), len, "len");
    assert!(!review.is_empty());
    assert_eq!(review.item(len), None, "an item past the end");
    let mut sample = [0, len / 2, len - 1];
    sample.sort_unstable();
    for i in sample {
        assert_eq!(review.item(i).as_ref(), Some(&items[i]), "item {i}");
    }
    assert!(
        review.items().take(2).eq(items.iter().take(2).copied()),
        "items() starts with the walk's first items"
    );
    assert_eq!(
        review.find(LABEL_NONCE).as_ref(),
        find(items, LABEL_NONCE),
        "find"
    );
}

/// A review's invariants: the fixed items are there (operation first,
/// chain, nonce, scheme last, the multisig account when there is one, the
/// memo when it is shown), every value renders as printable ASCII that
/// reads back to its text, and the pages at `width` are printable, no
/// wider than the width, numbered, and join back to each rendered value.
/// Linear in the review's length: the items come from one walk, the pages
/// from one more (see [`check_indexed_access`] and
/// [`ITERATOR_PAGES_CHECKED`] for the indexed access and the iterator).
/// Returns the scheme and signer it shows (the caller knows which they
/// must be).
pub fn check_review<const B: usize, const M: usize>(
    review: &Review<'_, B, M>,
    width: usize,
) -> (Scheme, Descriptor) {
    let tx = review.transaction();
    let items = walked_items(review);
    assert!(!items.is_empty(), "a review without items");
    check_indexed_access(review, &items);
    assert_eq!(
        items.first().map(|i| (i.label, i.value)),
        Some((LABEL_OPERATION, Shown::Word(tx.op_type().title()))),
        "the operation comes first"
    );
    let scheme = items.last().expect("at least one item");
    assert_eq!(scheme.label, tokensign_core::review::LABEL_SCHEME);
    let (native, shown_scheme) = match scheme.value {
        Shown::Word(SCHEME_NATIVE) => (true, Scheme::Native),
        Shown::Word(SCHEME_LEGACY) => (false, Scheme::Legacy),
        other => panic!("scheme shown as {other:?}"),
    };
    let count = |label: &str| {
        items
            .iter()
            .filter(|i| i.label == label && i.index.is_none())
            .count()
    };
    assert_eq!(count(LABEL_CHAIN), 1, "one chain");
    assert_eq!(count(LABEL_NONCE), 1, "one nonce");
    assert_eq!(count(LABEL_SCHEME), 1, "one scheme");
    assert_eq!(
        find(&items, LABEL_NONCE).map(|i| i.value),
        Some(Shown::Number(tx.nonce))
    );
    assert!(count(LABEL_MULTISIG_ACCOUNT) <= 1, "one multisig account");
    let descriptor = match find(&items, LABEL_MULTISIG_ACCOUNT).map(|i| i.value) {
        None => Descriptor::Single,
        Some(Shown::Address(account)) => Descriptor::Multisig(account),
        Some(other) => panic!("multisig account shown as {other:?}"),
    };
    let memo_shown = match &tx.memo {
        Some(memo) => !native || !memo.is_empty(),
        None => false,
    };
    for label in [LABEL_MEMO_TYPE, LABEL_MEMO_FORMAT, LABEL_MEMO_DATA] {
        assert_eq!(count(label), usize::from(memo_shown), "{label}");
    }

    check_token_items(review, &items);

    let mut rendered = Vec::with_capacity(items.len());
    for item in &items {
        let mut text = String::new();
        render(&item.value, &mut text).expect("rendering into a String");
        assert!(is_printable(&text), "{}: rendered {text:?}", item.label);
        if let Shown::Text(original) = item.value {
            let mut buf = vec![0u8; original.len() + 4];
            assert_eq!(
                unrender_text(&text, &mut buf),
                Some(original),
                "{}: rendering does not read back",
                item.label
            );
        }
        rendered.push(text);
    }

    let width = width.clamp(1, MAX_PAGE_WIDTH);
    let mut all_pages = Vec::new();
    let flow = review.for_each_page(width, |page| {
        all_pages.push(*page);
        ControlFlow::Continue(())
    });
    assert!(flow.is_continue(), "for_each_page stopped by itself");
    assert!(
        review
            .pages(width)
            .take(ITERATOR_PAGES_CHECKED)
            .eq(all_pages.iter().take(ITERATOR_PAGES_CHECKED).copied()),
        "the pages iterator differs from for_each_page"
    );
    let mut pages = all_pages.iter();
    for (item, text) in items.iter().zip(&rendered) {
        let mut joined = String::new();
        let mut parts = None;
        let mut part = 0;
        while parts.is_none_or(|p| part < p) {
            let page = pages
                .next()
                .unwrap_or_else(|| panic!("pages end inside {}", item.label));
            part += 1;
            assert_eq!(
                (page.label, page.index),
                (item.label, item.index),
                "page label"
            );
            assert_eq!(page.part, part, "page numbering of {}", item.label);
            assert!(page.parts >= 1);
            assert_eq!(
                *parts.get_or_insert(page.parts),
                page.parts,
                "parts of {}",
                item.label
            );
            let shown = page.text();
            assert!(shown.len() <= width, "page wider than {width}");
            assert!(is_printable(shown), "page text {shown:?}");
            if page.parts > 1 {
                assert!(!shown.is_empty(), "an empty page of several");
            }
            joined.push_str(shown);
            let mut buf = vec![0u8; 48 + width];
            let n = page
                .write_to(&mut buf)
                .expect("48 + width bytes hold a page");
            let line = page.to_string();
            assert_eq!(&buf[..n], line.as_bytes(), "write_to and Display");
            assert!(is_printable(&line), "page line {line:?}");
        }
        assert_eq!(
            &joined, text,
            "pages of {} do not give its value",
            item.label
        );
    }
    assert!(pages.next().is_none(), "pages beyond the items");
    (shown_scheme, descriptor)
}

/// The token and its amounts, and the warnings: the operation's token is
/// one `Token` item, marked with the review's unit or as unknown; with a
/// unit every amount is in whole tokens with its base units as the next
/// item (same position), without one no amount is; a warning stands
/// before exactly the texts holding characters outside printable ASCII,
/// and names them.
fn check_token_items<const B: usize, const M: usize>(
    review: &Review<'_, B, M>,
    items: &[Item<'_>],
) {
    let tx = review.transaction();
    let unit = review.unit();
    let tokens: Vec<&Item<'_>> = items
        .iter()
        .filter(|i| i.label == LABEL_TOKEN && i.index.is_none())
        .collect();
    match tx.operation.token() {
        Some(token) => {
            assert_eq!(tokens.len(), 1, "one token item");
            assert_eq!(tokens[0].value, Shown::Token(token, unit), "the token item");
        }
        None => assert!(
            tokens.iter().all(|i| !matches!(i.value, Shown::Token(..))),
            "a token marked where the operation moves none"
        ),
    }
    for (i, item) in items.iter().enumerate() {
        let next = items.get(i + 1);
        match item.value {
            Shown::TokenAmount(amount, u) => {
                assert_eq!(Some(u), unit, "an amount in another unit");
                let base = next.expect("base units after whole tokens");
                assert_eq!(
                    (base.label, base.index, base.value),
                    (LABEL_BASE_UNITS, item.index, Shown::Amount(amount)),
                    "the base units of {}",
                    item.label
                );
            }
            Shown::Amount(_) if item.label != LABEL_BASE_UNITS => {
                assert!(
                    unit.is_none() || tx.operation.token().is_none(),
                    "{} in base units only, with a unit",
                    item.label
                );
            }
            Shown::Amount(_) => assert!(
                i > 0 && matches!(items[i - 1].value, Shown::TokenAmount(..)),
                "base units without whole tokens before them"
            ),
            Shown::NonAscii { label, index } => {
                assert_eq!(item.label, LABEL_WARNING);
                let text = next.expect("a text after its warning");
                assert_eq!(
                    (text.label, text.index),
                    (label, index),
                    "the warning names its text"
                );
                assert!(
                    matches!(text.value, Shown::Text(t) if !t.bytes().all(|b| (b' '..=b'~').contains(&b))),
                    "a warning before {label}, which is printable ASCII"
                );
            }
            Shown::Text(t) if !t.bytes().all(|b| (b' '..=b'~').contains(&b)) => {
                assert!(
                    i > 0 && matches!(items[i - 1].value, Shown::NonAscii { .. }),
                    "{} holds non-ASCII characters without a warning",
                    item.label
                );
            }
            _ => {}
        }
    }
}
