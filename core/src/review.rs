//! What a device shows before it signs an issue: (label, value) pairs, and
//! the same pairs cut into screen pages.
//!
//! Every field that is signed is reviewed, plus the operation and the token
//! address the issue will create:
//!
//! | label | value |
//! |---|---|
//! | `Operation` | `Issue token` |
//! | `Symbol` | the symbol |
//! | `Name` | the name |
//! | `Decimals` | `0`..=`18` |
//! | `Master authority` | EIP-55, all 42 characters |
//! | `Private` | `Yes` / `No` |
//! | `Clawback` | `Yes` / `No`, only in the eight-field form |
//! | `Chain` | `1Money Mainnet` (21210), `1Money Testnet` (1212101), else the number |
//! | `Nonce` | the nonce |
//! | `Token address` | EIP-55 |
//!
//! A value longer than a page is cut into several pages of at most `width`
//! characters (never inside a character), so nothing is shortened:
//! concatenating a label's pages gives its value back.
//!
//! ```
//! use tokensign_core::{json, review::Review};
//!
//! # fn main() -> Result<(), tokensign_core::Error> {
//! let payload = json::parse_payload(br#"{"chain_id":1212101,"nonce":2,"symbol":"TEST",
//!     "name":"TEST Stablecoin","decimals":18,
//!     "master_authority":"0x0000000000000000000000000000000000000000",
//!     "is_private":false}"#)?;
//! let review = Review::new(&payload);
//! assert_eq!(review.value("Chain"), Some("1Money Testnet"));
//! let pages: Vec<String> = review.pages(20).map(|p| p.to_string()).collect();
//! assert_eq!(pages[4], "Master authority (1/3): 0x000000000000000000");
//! assert_eq!(pages.last().map(String::as_str), Some("Token address (3/3): 19"));
//! # Ok(())
//! # }
//! ```

use core::fmt;

use crate::address::{ascii_str, ADDRESS_TEXT_LEN};
use crate::error::Error;
use crate::payload::{TokenIssuePayload, CHAIN_ID_MAINNET, CHAIN_ID_TESTNET};

/// Characters on one screen line of the reference device (and the firmware).
pub const DEFAULT_PAGE_WIDTH: usize = 20;

/// The label of the operation line.
pub const LABEL_OPERATION: &str = "Operation";
/// The label of the symbol.
pub const LABEL_SYMBOL: &str = "Symbol";
/// The label of the name.
pub const LABEL_NAME: &str = "Name";
/// The label of the decimals.
pub const LABEL_DECIMALS: &str = "Decimals";
/// The label of the master authority.
pub const LABEL_MASTER_AUTHORITY: &str = "Master authority";
/// The label of `is_private`.
pub const LABEL_PRIVATE: &str = "Private";
/// The label of `clawback_enabled` (eight-field form only).
pub const LABEL_CLAWBACK: &str = "Clawback";
/// The label of the chain.
pub const LABEL_CHAIN: &str = "Chain";
/// The label of the nonce.
pub const LABEL_NONCE: &str = "Nonce";
/// The label of the token address the issue creates.
pub const LABEL_TOKEN_ADDRESS: &str = "Token address";

/// The value of the operation line.
pub const OPERATION_ISSUE: &str = "Issue token";
/// How chain 21210 is shown.
pub const CHAIN_NAME_MAINNET: &str = "1Money Mainnet";
/// How chain 1212101 is shown.
pub const CHAIN_NAME_TESTNET: &str = "1Money Testnet";

/// Most items a review holds.
pub const MAX_ITEMS: usize = 10;

/// Decimal digits of a `u64`, in a fixed buffer.
#[derive(Clone, Copy, Debug)]
struct Decimal {
    digits: [u8; 20],
    start: usize,
}

impl Decimal {
    fn new(mut value: u64) -> Self {
        let mut digits = [b'0'; 20];
        let mut start = digits.len();
        loop {
            start -= 1;
            if let Some(d) = digits.get_mut(start) {
                // `value % 10` is below 10, so the cast is exact.
                *d = b'0' + (value % 10) as u8;
            }
            value /= 10;
            if value == 0 || start == 0 {
                break;
            }
        }
        Decimal { digits, start }
    }

    fn as_str(&self) -> &str {
        ascii_str(self.digits.get(self.start..).unwrap_or(&[]))
    }
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "Yes"
    } else {
        "No"
    }
}

/// The review of one token issue: every (label, value) pair a device shows
/// before it signs. Built without allocation; borrows the payload.
#[derive(Clone, Debug)]
pub struct Review<'a> {
    payload: &'a TokenIssuePayload,
    master_authority: [u8; ADDRESS_TEXT_LEN],
    token_address: [u8; ADDRESS_TEXT_LEN],
    decimals: Decimal,
    chain: Decimal,
    nonce: Decimal,
}

impl<'a> Review<'a> {
    /// The review of `payload`. Computes the token address (one keccak256)
    /// and the two EIP-55 forms.
    pub fn new(payload: &'a TokenIssuePayload) -> Self {
        Review {
            payload,
            master_authority: payload.master_authority().to_checksum(),
            token_address: payload.token_address().to_checksum(),
            decimals: Decimal::new(u64::from(payload.decimals())),
            chain: Decimal::new(payload.chain_id()),
            nonce: Decimal::new(payload.nonce()),
        }
    }

    /// The payload under review.
    pub fn payload(&self) -> &'a TokenIssuePayload {
        self.payload
    }

    /// How the chain is shown: its name for mainnet and testnet, else its
    /// number.
    pub fn chain(&self) -> &str {
        match self.payload.chain_id() {
            CHAIN_ID_MAINNET => CHAIN_NAME_MAINNET,
            CHAIN_ID_TESTNET => CHAIN_NAME_TESTNET,
            _ => self.chain.as_str(),
        }
    }

    /// The number of (label, value) items: 10 in the eight-field form, 9 in
    /// the seven-field form.
    pub fn len(&self) -> usize {
        if self.payload.clawback_enabled().is_some() {
            MAX_ITEMS
        } else {
            MAX_ITEMS - 1
        }
    }

    /// Always false: a review has at least nine items.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The `index`-th (label, value) item, in display order.
    pub fn item(&self, index: usize) -> Option<(&'static str, &str)> {
        let clawback = self.payload.clawback_enabled();
        // Without clawback, items from the seventh on move up by one.
        let slot = if clawback.is_none() && index >= 6 {
            index.checked_add(1)?
        } else {
            index
        };
        Some(match slot {
            0 => (LABEL_OPERATION, OPERATION_ISSUE),
            1 => (LABEL_SYMBOL, self.payload.symbol()),
            2 => (LABEL_NAME, self.payload.name()),
            3 => (LABEL_DECIMALS, self.decimals.as_str()),
            4 => (LABEL_MASTER_AUTHORITY, ascii_str(&self.master_authority)),
            5 => (LABEL_PRIVATE, yes_no(self.payload.is_private())),
            6 => (LABEL_CLAWBACK, yes_no(clawback?)),
            7 => (LABEL_CHAIN, self.chain()),
            8 => (LABEL_NONCE, self.nonce.as_str()),
            9 => (LABEL_TOKEN_ADDRESS, ascii_str(&self.token_address)),
            _ => return None,
        })
    }

    /// The (label, value) items in display order.
    pub fn items(&self) -> Items<'_, 'a> {
        Items {
            review: self,
            next: 0,
        }
    }

    /// The value shown under `label`, if the review has that label.
    pub fn value(&self, label: &str) -> Option<&str> {
        self.items().find(|(l, _)| *l == label).map(|(_, v)| v)
    }

    /// The review cut into pages of at most `width` characters of value
    /// each (a `width` of 0 counts as 1).
    pub fn pages(&self, width: usize) -> Pages<'_, 'a> {
        Pages {
            review: self,
            width: width.max(1),
            item: 0,
            offset: 0,
            part: 0,
        }
    }

    /// How many pages [`Review::pages`] yields for `width`.
    pub fn page_count(&self, width: usize) -> usize {
        self.pages(width).count()
    }
}

/// Iterator over a review's (label, value) items.
#[derive(Clone, Debug)]
pub struct Items<'r, 'a> {
    review: &'r Review<'a>,
    next: usize,
}

impl<'r> Iterator for Items<'r, '_> {
    type Item = (&'static str, &'r str);

    fn next(&mut self) -> Option<Self::Item> {
        let item = self.review.item(self.next)?;
        self.next = self.next.saturating_add(1);
        Some(item)
    }
}

/// One screen page: a label and up to `width` characters of its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page<'r> {
    /// The item's label.
    pub label: &'static str,
    /// Which page of this item, from 1.
    pub part: usize,
    /// How many pages this item has (at least 1).
    pub parts: usize,
    /// This page's part of the value.
    pub text: &'r str,
}

impl fmt::Display for Page<'_> {
    /// `Label: text`, or `Label (part/parts): text` for a paged value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.parts > 1 {
            write!(
                f,
                "{} ({}/{}): {}",
                self.label, self.part, self.parts, self.text
            )
        } else {
            write!(f, "{}: {}", self.label, self.text)
        }
    }
}

impl Page<'_> {
    /// Writes the page's text form (its `Display`) into `out`, returning
    /// the length; [`Error::BufferTooSmall`] if it does not fit. A buffer of
    /// `40 + 4 * width` bytes always suffices.
    pub fn write_to(&self, out: &mut [u8]) -> Result<usize, Error> {
        let mut w = SliceWriter::new(out);
        fmt::write(&mut w, format_args!("{self}")).map_err(|_| Error::BufferTooSmall)?;
        Ok(w.len())
    }
}

/// Iterator over a review's pages.
#[derive(Clone, Debug)]
pub struct Pages<'r, 'a> {
    review: &'r Review<'a>,
    width: usize,
    item: usize,
    offset: usize,
    part: usize,
}

/// The byte length of the first `chars` characters of `text`.
fn prefix_len(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(index, _)| index)
}

impl<'r> Iterator for Pages<'r, '_> {
    type Item = Page<'r>;

    fn next(&mut self) -> Option<Page<'r>> {
        let review: &'r Review<'_> = self.review;
        let (label, value) = review.item(self.item)?;
        let rest = value.get(self.offset..).unwrap_or("");
        let take = prefix_len(rest, self.width);
        let text = rest.get(..take).unwrap_or("");
        let chars = value.chars().count();
        let parts = chars.div_ceil(self.width).max(1);
        self.part = self.part.saturating_add(1);
        let page = Page {
            label,
            part: self.part,
            parts,
            text,
        };
        self.offset = self.offset.saturating_add(take);
        if self.offset >= value.len() {
            self.item = self.item.saturating_add(1);
            self.offset = 0;
            self.part = 0;
        }
        Some(page)
    }
}

/// A `fmt::Write` into a byte slice that fails instead of truncating.
pub(crate) struct SliceWriter<'b> {
    out: &'b mut [u8],
    len: usize,
}

impl<'b> SliceWriter<'b> {
    pub(crate) fn new(out: &'b mut [u8]) -> Self {
        SliceWriter { out, len: 0 }
    }
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

impl fmt::Write for SliceWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len.checked_add(s.len()).ok_or(fmt::Error)?;
        let dst = self.out.get_mut(self.len..end).ok_or(fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::address::Address;
    use crate::payload::PayloadFields;
    use proptest::prelude::*;
    use std::collections::BTreeMap;
    use std::string::{String, ToString};
    use std::vec::Vec;

    fn payload(clawback: Option<bool>, chain_id: u64) -> TokenIssuePayload {
        TokenIssuePayload::new(PayloadFields {
            chain_id,
            nonce: 2,
            symbol: "TEST",
            name: "TEST Stablecoin",
            decimals: 18,
            master_authority: Address::parse("0x2045a425D0e131E747f8be2F044413733e412d7d").unwrap(),
            is_private: false,
            clawback_enabled: clawback,
        })
        .unwrap()
    }

    #[test]
    fn items_in_order() {
        let p = payload(Some(true), CHAIN_ID_TESTNET);
        let r = Review::new(&p);
        let items: Vec<_> = r.items().collect();
        assert_eq!(
            items,
            [
                ("Operation", "Issue token"),
                ("Symbol", "TEST"),
                ("Name", "TEST Stablecoin"),
                ("Decimals", "18"),
                (
                    "Master authority",
                    "0x2045a425D0e131E747f8be2F044413733e412d7d"
                ),
                ("Private", "No"),
                ("Clawback", "Yes"),
                ("Chain", "1Money Testnet"),
                ("Nonce", "2"),
                ("Token address", p.token_address().to_string().as_str()),
            ]
        );
        assert_eq!(r.len(), 10);
        let seven = payload(None, CHAIN_ID_MAINNET);
        let r7 = Review::new(&seven);
        assert_eq!(r7.len(), 9);
        assert_eq!(r7.value("Clawback"), None);
        assert_eq!(r7.value("Chain"), Some("1Money Mainnet"));
        assert_eq!(r7.item(6), Some(("Chain", "1Money Mainnet")));
        assert_eq!(r7.item(9), None);
        let other = payload(None, 0);
        assert_eq!(Review::new(&other).value("Chain"), Some("0"));
    }

    #[test]
    fn decimal_edges() {
        assert_eq!(Decimal::new(0).as_str(), "0");
        assert_eq!(Decimal::new(u64::MAX).as_str(), "18446744073709551615");
        assert_eq!(Decimal::new(10).as_str(), "10");
    }

    #[test]
    fn paging_keeps_every_character() {
        let name = "Ünïcødé 日本語 Stablecoin Ω≈ç√ with a rather long name indeed";
        let p = TokenIssuePayload::new(PayloadFields {
            name,
            ..payload(None, 7).fields()
        })
        .unwrap();
        let r = Review::new(&p);
        for width in [0, 1, 2, 7, 20, 200] {
            let pages: Vec<_> = r.pages(width).collect();
            assert_eq!(pages.len(), r.page_count(width));
            let name_pages: Vec<_> = pages.iter().filter(|p| p.label == "Name").collect();
            let joined: String = name_pages.iter().map(|p| p.text).collect();
            assert_eq!(joined, name);
            for (i, page) in name_pages.iter().enumerate() {
                assert_eq!(page.part, i + 1);
                assert_eq!(page.parts, name_pages.len());
                assert!(page.text.chars().count() <= width.max(1));
                assert!(!page.text.is_empty());
            }
        }
    }

    #[test]
    fn page_text_form() {
        let p = payload(Some(false), CHAIN_ID_TESTNET);
        let r = Review::new(&p);
        let pages: Vec<String> = r.pages(20).map(|p| p.to_string()).collect();
        assert_eq!(pages[0], "Operation: Issue token");
        assert_eq!(pages[4], "Master authority (1/3): 0x2045a425D0e131E747");
        assert_eq!(pages[5], "Master authority (2/3): f8be2F044413733e412d");
        assert_eq!(pages[6], "Master authority (3/3): 7d");
        let mut buf = [0u8; 40 + 4 * 20];
        for page in r.pages(20) {
            let n = page.write_to(&mut buf).unwrap();
            assert_eq!(&buf[..n], page.to_string().as_bytes());
        }
        let mut small = [0u8; 8];
        assert_eq!(
            r.pages(20).next().unwrap().write_to(&mut small),
            Err(Error::BufferTooSmall)
        );
    }

    /// Rebuilds a payload from the text of its review pages alone.
    pub(crate) fn payload_from_pages<'p>(
        pages: impl Iterator<Item = Page<'p>>,
    ) -> TokenIssuePayload {
        let mut values: BTreeMap<&str, String> = BTreeMap::new();
        for page in pages {
            values.entry(page.label).or_default().push_str(page.text);
        }
        let get = |label: &str| values.get(label).unwrap().clone();
        let yes = |v: String| match v.as_str() {
            "Yes" => true,
            "No" => false,
            other => panic!("not yes/no: {other}"),
        };
        let chain = match get("Chain").as_str() {
            CHAIN_NAME_MAINNET => CHAIN_ID_MAINNET,
            CHAIN_NAME_TESTNET => CHAIN_ID_TESTNET,
            n => n.parse().unwrap(),
        };
        assert_eq!(get("Operation"), OPERATION_ISSUE);
        let symbol = get("Symbol");
        let name = get("Name");
        let master = Address::parse(&get("Master authority")).unwrap();
        let p = TokenIssuePayload::new(PayloadFields {
            chain_id: chain,
            nonce: get("Nonce").parse().unwrap(),
            symbol: &symbol,
            name: &name,
            decimals: get("Decimals").parse().unwrap(),
            master_authority: master,
            is_private: yes(get("Private")),
            clawback_enabled: values.get("Clawback").cloned().map(yes),
        })
        .unwrap();
        assert_eq!(
            get("Token address"),
            p.token_address().to_string(),
            "token address"
        );
        p
    }

    prop_compose! {
        pub(crate) fn any_payload()(
            chain_id in prop_oneof![Just(CHAIN_ID_MAINNET), Just(CHAIN_ID_TESTNET), 0..=i64::MAX as u64],
            nonce in 0..=i64::MAX as u64,
            symbol in "[A-Za-z0-9ÄÖé日本]{1,5}",
            name in "[ -~é日本Ω]{1,40}",
            decimals in 0u64..=18,
            master in any::<[u8; 20]>(),
            is_private in any::<bool>(),
            clawback in proptest::option::of(any::<bool>()),
        ) -> TokenIssuePayload {
            TokenIssuePayload::new(PayloadFields {
                chain_id, nonce, symbol: &symbol, name: &name, decimals,
                master_authority: Address(master), is_private, clawback_enabled: clawback,
            }).unwrap()
        }
    }

    proptest! {
        #[test]
        fn nothing_signed_is_left_out(p in any_payload(), width in 1usize..48) {
            let r = Review::new(&p);
            prop_assert_eq!(payload_from_pages(r.pages(width)), p.clone());
            for page in r.pages(width) {
                prop_assert!(page.text.chars().count() <= width);
            }
        }
    }
}
