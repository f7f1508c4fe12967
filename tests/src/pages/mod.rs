//! Rebuilds a transaction from review page texts alone: what a person
//! reading the screen learns. If the rebuilt transaction equals what was
//! signed, no signed value was hidden, shortened or ambiguous on screen.
//!
//! Independent of the core's review code: the page layout (labels, order,
//! lists, the text rendering) is restated here from the core's
//! documentation, and every value is parsed back from its text.

use alloy_primitives::U256;
use tokensign_core::field::{Bytes, KeyAsIntegers, B256};
use tokensign_core::native::Descriptor;
use tokensign_core::review::Page;
use tokensign_core::text::{Text, TextRule};
use tokensign_core::tx::{
    multisig_address, token_address, AuthorityAction, AuthorityType, BatchEntry, BatchPayment,
    CreateMultiSig, ListAction, Memo, MetadataEntry, MultisigSigner, PauseAction, Payment,
    TokenAuthority, TokenBlacklist, TokenBridgeAndMint, TokenBurn, TokenBurnAndBridge,
    TokenClawback, TokenIssue, TokenMetadata, TokenMint, TokenPause, TokenWhitelist,
};
use tokensign_core::{Address, Amount, OpType, Operation, Scheme, Transaction};

mod reader;
mod rebuild;

pub use rebuild::rebuild;

/// One review item as read from its pages: label, list position, and the
/// whole rendered value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadItem {
    /// The label.
    pub label: &'static str,
    /// The list position, for a list element.
    pub index: Option<u16>,
    /// The pages' texts, concatenated.
    pub text: String,
}

/// Joins consecutive pages of one item, checking the paging itself: parts
/// numbered 1..=parts in order, every text printable ASCII and at most
/// `width` characters, every part but the last exactly `width`.
pub fn read_items(
    pages: impl IntoIterator<Item = Page>,
    width: usize,
) -> Result<Vec<ReadItem>, String> {
    let mut items: Vec<ReadItem> = Vec::new();
    let mut expect_part = 1;
    let mut parts = 1;
    for page in pages {
        let text = page.text();
        if !text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            return Err(format!(
                "page of {:?} is not printable ASCII: {text:?}",
                page.label
            ));
        }
        if text.len() > width {
            return Err(format!(
                "page of {:?} is {} characters, wider than {width}",
                page.label,
                text.len()
            ));
        }
        if page.part != expect_part || (expect_part > 1 && page.parts != parts) {
            return Err(format!(
                "page {}/{} of {:?} out of order (expected part {expect_part})",
                page.part, page.parts, page.label
            ));
        }
        if page.part < page.parts && text.len() != width {
            return Err(format!(
                "non-final page of {:?} is not full: {text:?}",
                page.label
            ));
        }
        if page.part == 1 {
            items.push(ReadItem {
                label: page.label,
                index: page.index,
                text: String::new(),
            });
            parts = page.parts;
        }
        let item = items.last_mut().ok_or("no item")?;
        if item.label != page.label || item.index != page.index {
            return Err(format!(
                "page of {:?} inside item {:?}",
                page.label, item.label
            ));
        }
        item.text.push_str(text);
        expect_part = if page.part == page.parts {
            1
        } else {
            page.part + 1
        };
    }
    if expect_part != 1 {
        return Err("the last item's pages end early".into());
    }
    Ok(items)
}

/// Reverses the text rendering: `"` … `"`, `\\` for a backslash,
/// `\u{X…}` for a character outside printable ASCII.
pub fn unrender(rendered: &str) -> Result<String, String> {
    let inner = rendered
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or_else(|| format!("not a quoted text: {rendered:?}"))?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('u') => {
                if chars.next() != Some('{') {
                    return Err(format!("bad escape in {rendered:?}"));
                }
                let digits: String = chars.by_ref().take_while(|&d| d != '}').collect();
                let cp =
                    u32::from_str_radix(&digits, 16).map_err(|e| format!("{rendered:?}: {e}"))?;
                let ch = char::from_u32(cp).ok_or_else(|| format!("not a character: {cp:x}"))?;
                if (' '..='~').contains(&ch) {
                    return Err(format!("printable ASCII {ch:?} escaped in {rendered:?}"));
                }
                out.push(ch);
            }
            _ => return Err(format!("bad escape in {rendered:?}")),
        }
    }
    Ok(out)
}

/// What the pages say was signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rebuilt<const B: usize, const M: usize> {
    /// The transaction.
    pub tx: Transaction<B, M>,
    /// The scheme named on screen.
    pub scheme: Scheme,
    /// Single, or the multisig account named on screen.
    pub descriptor: Descriptor,
}

/// What a review was told besides the transaction, which its pages must
/// show: the token's unit (from a trusted definition, or a server's
/// word) and whether the chain is a local node's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct View {
    /// The unit amounts must be shown in, if any.
    pub unit: Option<ShownUnit>,
    /// Whether the chain must read `local node (chain id N)`.
    pub local_node: bool,
}

/// A token unit as a review must show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownUnit {
    /// The symbol.
    pub symbol: String,
    /// The decimals.
    pub decimals: u8,
    /// From a trusted definition (`true`) or a server (`false`).
    pub verified: bool,
}

/// `units` base units (canonical decimal text) in whole tokens of
/// `decimals` decimals: the integer part, then `.` and the fraction
/// without trailing zeros, if it is not zero. Written from the review's
/// documentation on the digits alone, apart from the core's arithmetic.
pub fn whole_tokens(units: &str, decimals: u8) -> String {
    let d = usize::from(decimals);
    let padded = format!("{units:0>width$}", width = d + 1);
    let (int, frac) = padded.split_at(padded.len() - d);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int.to_owned()
    } else {
        format!("{int}.{frac}")
    }
}

/// The items without their `Warning` items, after checking that a warning
/// stands before exactly the texts holding characters outside printable
/// ASCII, and names them.
fn without_warnings(items: &[ReadItem]) -> Result<Vec<ReadItem>, String> {
    let mut out: Vec<ReadItem> = Vec::with_capacity(items.len());
    let mut warned = false;
    for (i, item) in items.iter().enumerate() {
        if item.label == "Warning" {
            let next = items.get(i + 1).ok_or("a warning is the last item")?;
            let name = match next.index {
                Some(n) => format!("{} {}", next.label, n + 1),
                None => next.label.to_owned(),
            };
            if item.index.is_some() || item.text != format!("{name} contains non-ASCII characters")
            {
                return Err(format!("warning {:?} before {name:?}", item.text));
            }
            if warned {
                return Err("two warnings in a row".into());
            }
            warned = true;
            continue;
        }
        let non_ascii = item.text.starts_with('"')
            && unrender(&item.text).is_ok_and(|t| !t.bytes().all(|b| (b' '..=b'~').contains(&b)));
        if non_ascii != warned {
            return Err(format!(
                "{:?} {:?}: warned {warned}, but non-ASCII {non_ascii}",
                item.label, item.text
            ));
        }
        warned = false;
        out.push(item.clone());
    }
    Ok(out)
}
