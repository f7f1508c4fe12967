//! Reading the items in page order, and each value back from its text.

use super::*;

pub(super) struct Reader<'i> {
    pub(super) items: &'i [ReadItem],
    pub(super) at: usize,
    pub(super) view: &'i View,
}

impl<'i> Reader<'i> {
    pub(super) fn peek(&self) -> Option<&'i ReadItem> {
        self.items.get(self.at)
    }

    pub(super) fn take_at(&mut self, label: &str, index: Option<u16>) -> Result<&'i str, String> {
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

    pub(super) fn take(&mut self, label: &str) -> Result<&'i str, String> {
        self.take_at(label, None)
    }

    pub(super) fn has(&self, label: &str) -> bool {
        self.peek()
            .is_some_and(|i| i.label == label && i.index.is_none())
    }

    /// An amount: base units, or, with a unit, whole tokens and then the
    /// base units, which must agree.
    pub(super) fn amount_at(&mut self, label: &str, index: Option<u16>) -> Result<Amount, String> {
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

    pub(super) fn amount(&mut self, label: &str) -> Result<Amount, String> {
        self.amount_at(label, None)
    }

    /// The operation's token, marked as the view says.
    pub(super) fn token(&mut self) -> Result<Address, String> {
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

pub(super) fn address(text: &str) -> Result<Address, String> {
    // EIP-55 in full, checked by an independent implementation.
    let a = alloy_primitives::Address::parse_checksummed(text, None)
        .map_err(|e| format!("not an EIP-55 address {text:?}: {e}"))?;
    Ok(Address(<[u8; 20]>::from(a)))
}

pub(super) fn amount(text: &str) -> Result<Amount, String> {
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

pub(super) fn number<T: TryFrom<u64>>(text: &str) -> Result<T, String> {
    if text.is_empty() || (text.len() > 1 && text.starts_with('0')) {
        return Err(format!("not a canonical number: {text:?}"));
    }
    let v: u64 = text.parse().map_err(|e| format!("{text:?}: {e}"))?;
    T::try_from(v).map_err(|_| format!("{v} out of range"))
}

pub(super) fn yes_no(text: &str) -> Result<bool, String> {
    match text {
        "Yes" => Ok(true),
        "No" => Ok(false),
        _ => Err(format!("not Yes/No: {text:?}")),
    }
}

pub(super) fn text<const N: usize, R: TextRule>(rendered: &str) -> Result<Text<N, R>, String> {
    let s = unrender(rendered)?;
    Text::new(&s).map_err(|p| format!("{s:?}: {p}"))
}

pub(super) fn hex_bytes(text: &str) -> Result<Vec<u8>, String> {
    let digits = text
        .strip_prefix("0x")
        .ok_or_else(|| format!("no 0x: {text:?}"))?;
    if digits.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!("not lowercase hex: {text:?}"));
    }
    hex::decode(digits).map_err(|e| format!("{text:?}: {e}"))
}

pub(super) fn word<T>(text: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, String> {
    parse(text).ok_or_else(|| format!("unknown word {text:?}"))
}

pub(super) fn list<T, const N: usize>(
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
