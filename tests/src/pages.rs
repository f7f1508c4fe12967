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

struct Reader<'i> {
    items: &'i [ReadItem],
    at: usize,
    view: &'i View,
}

impl<'i> Reader<'i> {
    fn peek(&self) -> Option<&'i ReadItem> {
        self.items.get(self.at)
    }

    fn take_at(&mut self, label: &str, index: Option<u16>) -> Result<&'i str, String> {
        let item = self
            .peek()
            .ok_or_else(|| format!("pages end before {label:?}"))?;
        if item.label != label || item.index != index {
            return Err(format!(
                "expected {label:?} {index:?}, found {:?} {:?}",
                item.label, item.index
            ));
        }
        self.at += 1;
        Ok(&item.text)
    }

    fn take(&mut self, label: &str) -> Result<&'i str, String> {
        self.take_at(label, None)
    }

    fn has(&self, label: &str) -> bool {
        self.peek()
            .is_some_and(|i| i.label == label && i.index.is_none())
    }

    /// An amount: base units, or, with a unit, whole tokens and then the
    /// base units, which must agree.
    fn amount_at(&mut self, label: &str, index: Option<u16>) -> Result<Amount, String> {
        let shown = self.take_at(label, index)?;
        let Some(unit) = self.view.unit.clone() else {
            return amount(shown);
        };
        let base = self.take_at("Base units", index)?;
        let value = amount(base)?;
        let suffix = if unit.verified { "" } else { " (per server)" };
        let want = format!(
            "{} {}{suffix}",
            whole_tokens(base, unit.decimals),
            unit.symbol
        );
        if shown != want {
            return Err(format!(
                "{label}: {shown:?} for {base} base units, not {want:?}"
            ));
        }
        Ok(value)
    }

    fn amount(&mut self, label: &str) -> Result<Amount, String> {
        self.amount_at(label, None)
    }

    /// The operation's token, marked as the view says.
    fn token(&mut self) -> Result<Address, String> {
        let shown = self.take("Token")?;
        let text = match &self.view.unit {
            Some(u) if u.verified => shown
                .strip_prefix(&format!("{} ", u.symbol))
                .ok_or_else(|| format!("token {shown:?} without its symbol {:?}", u.symbol))?,
            Some(u) => shown
                .strip_prefix("Unknown token ")
                .and_then(|t| t.strip_suffix(&format!(" (server says {})", u.symbol)))
                .ok_or_else(|| format!("token {shown:?} not marked as the server's word"))?,
            None => shown
                .strip_prefix("Unknown token ")
                .ok_or_else(|| format!("token {shown:?} not marked unknown"))?,
        };
        address(text)
    }
}

fn address(text: &str) -> Result<Address, String> {
    // EIP-55 in full, checked by an independent implementation.
    let a = alloy_primitives::Address::parse_checksummed(text, None)
        .map_err(|e| format!("not an EIP-55 address {text:?}: {e}"))?;
    Ok(Address(<[u8; 20]>::from(a)))
}

fn amount(text: &str) -> Result<Amount, String> {
    if text.is_empty()
        || !text.bytes().all(|b| b.is_ascii_digit())
        || (text.len() > 1 && text.starts_with('0'))
    {
        return Err(format!("not a canonical decimal: {text:?}"));
    }
    let v =
        alloy_primitives::U256::from_str_radix(text, 10).map_err(|e| format!("{text:?}: {e}"))?;
    Ok(Amount::from_be_bytes(v.to_be_bytes()))
}

fn number<T: TryFrom<u64>>(text: &str) -> Result<T, String> {
    if text.is_empty() || (text.len() > 1 && text.starts_with('0')) {
        return Err(format!("not a canonical number: {text:?}"));
    }
    let v: u64 = text.parse().map_err(|e| format!("{text:?}: {e}"))?;
    T::try_from(v).map_err(|_| format!("{v} out of range"))
}

fn yes_no(text: &str) -> Result<bool, String> {
    match text {
        "Yes" => Ok(true),
        "No" => Ok(false),
        _ => Err(format!("not Yes/No: {text:?}")),
    }
}

fn text<const N: usize, R: TextRule>(rendered: &str) -> Result<Text<N, R>, String> {
    let s = unrender(rendered)?;
    Text::new(&s).map_err(|p| format!("{s:?}: {p}"))
}

fn hex_bytes(text: &str) -> Result<Vec<u8>, String> {
    let digits = text
        .strip_prefix("0x")
        .ok_or_else(|| format!("no 0x: {text:?}"))?;
    if digits.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!("not lowercase hex: {text:?}"));
    }
    hex::decode(digits).map_err(|e| format!("{text:?}: {e}"))
}

fn word<T>(text: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, String> {
    parse(text).ok_or_else(|| format!("unknown word {text:?}"))
}

fn list<T, const N: usize>(
    r: &mut Reader<'_>,
    label: &str,
    mut element: impl FnMut(&mut Reader<'_>, u16) -> Result<T, String>,
) -> Result<heapless::Vec<T, N>, String> {
    let n: usize = number::<u64>(r.take(label)?)? as usize;
    let mut out = heapless::Vec::new();
    for i in 0..n {
        let i = u16::try_from(i).map_err(|_| "list too long")?;
        out.push(element(r, i)?)
            .map_err(|_| format!("{label}: more than {N}"))?;
    }
    Ok(out)
}

fn operation<const B: usize, const M: usize>(
    op: OpType,
    r: &mut Reader<'_>,
) -> Result<Operation<B, M>, String> {
    Ok(match op {
        OpType::Payment => Payment {
            recipient: address(r.take("Recipient")?)?,
            value: r.amount("Amount")?,
            token: r.token()?,
        }
        .into(),
        OpType::TokenIssue => TokenIssue {
            symbol: text(r.take("Symbol")?)?,
            name: text(r.take("Name")?)?,
            decimals: number(r.take("Decimals")?)?,
            master_authority: address(r.take("Master authority")?)?,
            is_private: yes_no(r.take("Private")?)?,
            clawback_enabled: if r.has("Clawback") {
                Some(yes_no(r.take("Clawback")?)?)
            } else {
                None
            },
        }
        .into(),
        OpType::TokenMint => TokenMint {
            recipient: address(r.take("Recipient")?)?,
            value: r.amount("Amount")?,
            token: r.token()?,
        }
        .into(),
        OpType::TokenAuthority => TokenAuthority {
            action: word(r.take("Action")?, AuthorityAction::parse)?,
            authority_type: word(r.take("Authority")?, AuthorityType::parse)?,
            authority_address: address(r.take("Holder")?)?,
            token: r.token()?,
            value: r.amount("Allowance")?,
        }
        .into(),
        OpType::TokenBlacklist => TokenBlacklist {
            action: word(r.take("Action")?, ListAction::parse)?,
            address: address(r.take("Account")?)?,
            token: r.token()?,
        }
        .into(),
        OpType::TokenWhitelist => TokenWhitelist {
            action: word(r.take("Action")?, ListAction::parse)?,
            address: address(r.take("Account")?)?,
            token: r.token()?,
        }
        .into(),
        OpType::TokenPause => TokenPause {
            action: word(r.take("Action")?, PauseAction::parse)?,
            token: r.token()?,
        }
        .into(),
        OpType::TokenBurn => TokenBurn {
            value: r.amount("Amount")?,
            token: r.token()?,
        }
        .into(),
        OpType::TokenClawback => TokenClawback {
            token: r.token()?,
            from: address(r.take("From")?)?,
            recipient: address(r.take("Recipient")?)?,
            value: r.amount("Amount")?,
        }
        .into(),
        OpType::TokenMetadata => TokenMetadata::<M> {
            name: text(r.take("Name")?)?,
            uri: text(r.take("URI")?)?,
            token: r.token()?,
            additional_metadata: list(r, "Metadata entries", |r, i| {
                Ok(MetadataEntry {
                    key: text(r.take_at("Metadata key", Some(i))?)?,
                    value: text(r.take_at("Metadata value", Some(i))?)?,
                })
            })?,
        }
        .into(),
        OpType::TokenBridgeAndMint => TokenBridgeAndMint {
            recipient: address(r.take("Recipient")?)?,
            value: r.amount("Amount")?,
            token: r.token()?,
            source_chain_id: number(r.take("Source chain")?)?,
            source_tx_hash: text(r.take("Source tx")?)?,
            bridge_metadata: text(r.take("Bridge metadata")?)?,
        }
        .into(),
        OpType::TokenBurnAndBridge => TokenBurnAndBridge {
            sender: address(r.take("Sender")?)?,
            value: r.amount("Amount")?,
            token: r.token()?,
            destination_chain_id: number(r.take("Destination chain")?)?,
            destination_address: text(r.take("Destination")?)?,
            escrow_fee: r.amount("Escrow fee")?,
            bridge_metadata: text(r.take("Bridge metadata")?)?,
            bridge_param: Bytes::new(&hex_bytes(r.take("Bridge param")?)?)
                .map_err(|p| p.to_string())?,
        }
        .into(),
        OpType::CreateMultiSig => CreateMultiSig {
            signers: list(r, "Signers", |r, i| {
                let key: [u8; 33] = hex_bytes(r.take_at("Signer key", Some(i))?)?
                    .try_into()
                    .map_err(|_| "a signer key is not 33 bytes")?;
                Ok(MultisigSigner {
                    public_key: KeyAsIntegers(key),
                    weight: number(r.take_at("Signer weight", Some(i))?)?,
                })
            })?,
            threshold: number(r.take("Threshold")?)?,
        }
        .into(),
        OpType::BatchPayment => BatchPayment::<B> {
            token: r.token()?,
            operations: list(r, "Payments", |r, i| {
                Ok(BatchEntry {
                    recipient: address(r.take_at("Recipient", Some(i))?)?,
                    amount: r.amount_at("Amount", Some(i))?,
                })
            })?,
            created_at: number(r.take("Created at")?)?,
            operations_hash: if r.has("Operations hash") {
                let h: [u8; 32] = hex_bytes(r.take("Operations hash")?)?
                    .try_into()
                    .map_err(|_| "the operations hash is not 32 bytes")?;
                Some(B256(h))
            } else {
                None
            },
            batch_id: if r.has("Batch id") {
                Some(text(r.take("Batch id")?)?)
            } else {
                None
            },
        }
        .into(),
    })
}

/// Rebuilds what the pages say is signed. Derived items (the token an
/// issue creates, the account a CreateMultiSig creates) are checked against
/// the fields they derive from.
pub fn rebuild<const B: usize, const M: usize>(
    items: &[ReadItem],
    view: &View,
) -> Result<Rebuilt<B, M>, String> {
    let items = without_warnings(items)?;
    let mut r = Reader {
        items: &items,
        at: 0,
        view,
    };
    let title = r.take("Operation")?;
    let op = OpType::from_title(title).ok_or_else(|| format!("unknown operation {title:?}"))?;
    let operation = operation::<B, M>(op, &mut r)?;
    let chain_id = match r.take("Chain")? {
        local if view.local_node => number(
            local
                .strip_prefix("local node (chain id ")
                .and_then(|n| n.strip_suffix(')'))
                .ok_or_else(|| format!("a local chain shown as {local:?}"))?,
        )?,
        "1Money Mainnet" => 21210,
        "1Money Testnet" => 1_212_101,
        n => {
            let id: u64 = number(n)?;
            if id == 21210 || id == 1_212_101 {
                return Err(format!("chain {id} shown as a number, not by name"));
            }
            id
        }
    };
    let nonce = number(r.take("Nonce")?)?;
    match &operation {
        Operation::TokenIssue(issue) => {
            let shown = address(r.take("Token address")?)?;
            let derived = token_address(&issue.master_authority, &issue.symbol);
            if shown != derived {
                return Err(format!("token address {shown} is not {derived}"));
            }
        }
        Operation::CreateMultiSig(create) => {
            let shown = address(r.take("Account address")?)?;
            let derived = multisig_address(&create.signers, create.threshold);
            if shown != derived {
                return Err(format!("account address {shown} is not {derived}"));
            }
        }
        Operation::BatchPayment(batch) => {
            let sum = batch.operations.iter().try_fold(U256::ZERO, |sum, op| {
                sum.checked_add(U256::from_be_bytes(op.amount.to_be_bytes()))
            });
            match sum {
                Some(sum) => {
                    let shown = r.amount("Total")?;
                    if U256::from_be_bytes(shown.to_be_bytes()) != sum {
                        return Err(format!("total {shown} is not the sum {sum}"));
                    }
                }
                None => {
                    let shown = r.take("Total")?;
                    if shown != "more than 2^256-1" {
                        return Err(format!("an overflowing total shown as {shown:?}"));
                    }
                }
            }
        }
        _ => {}
    }
    let memo = if r.has("Memo type") {
        let kind = unrender(r.take("Memo type")?)?;
        let format = unrender(r.take("Memo format")?)?;
        let data = unrender(r.take("Memo data")?)?;
        Some(Memo::new(&kind, &format, &data).map_err(|e| e.to_string())?)
    } else {
        None
    };
    let descriptor = if r.has("Multisig account") {
        Descriptor::Multisig(address(r.take("Multisig account")?)?)
    } else {
        Descriptor::Single
    };
    let scheme = match r.take("Signing scheme")? {
        "v1 (legacy)" => Scheme::Legacy,
        "v2 (domain-separated)" => Scheme::Native,
        s => return Err(format!("unknown scheme {s:?}")),
    };
    if let Some(extra) = r.peek() {
        return Err(format!("item after the scheme: {extra:?}"));
    }
    Ok(Rebuilt {
        tx: Transaction {
            chain_id,
            nonce,
            operation,
            memo,
        },
        scheme,
        descriptor,
    })
}
