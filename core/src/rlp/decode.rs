//! The strict decoder: canonical RLP only, every violation named.

use super::RlpError;

/// One decoded item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item<'a> {
    /// Whether the item is a list (else a byte string).
    pub is_list: bool,
    /// The string's bytes, or the list's encoded items.
    pub payload: &'a [u8],
    /// The whole encoding of the item, header included.
    pub raw: &'a [u8],
}

fn split(input: &[u8], at: usize) -> Result<(&[u8], &[u8]), RlpError> {
    if at > input.len() {
        return Err(RlpError::UnexpectedEnd);
    }
    Ok(input.split_at(at))
}

/// Reads a long-form length of `n` bytes: no leading zero, and above 55.
fn long_len(input: &[u8], n: usize) -> Result<(usize, &[u8]), RlpError> {
    let (len_bytes, rest) = split(input, n)?;
    if len_bytes.first() == Some(&0) {
        return Err(RlpError::NonCanonicalLength);
    }
    let mut len: usize = 0;
    for b in len_bytes {
        len = len
            .checked_mul(256)
            .and_then(|l| l.checked_add(usize::from(*b)))
            .ok_or(RlpError::UnexpectedEnd)?;
    }
    if len <= 55 {
        return Err(RlpError::NonCanonicalLength);
    }
    Ok((len, rest))
}

/// Reads the first item of `input`; returns it and the bytes after it.
pub fn decode_one(input: &[u8]) -> Result<(Item<'_>, &[u8]), RlpError> {
    let (&first, after) = input.split_first().ok_or(RlpError::UnexpectedEnd)?;
    let (is_list, len, body) = match first {
        0x00..=0x7f => {
            let (raw, rest) = split(input, 1)?;
            let item = Item {
                is_list: false,
                payload: raw,
                raw,
            };
            return Ok((item, rest));
        }
        0x80..=0xb7 => (false, usize::from(first - 0x80), after),
        0xb8..=0xbf => {
            let (len, body) = long_len(after, usize::from(first - 0xb7))?;
            (false, len, body)
        }
        0xc0..=0xf7 => (true, usize::from(first - 0xc0), after),
        0xf8..=0xff => {
            let (len, body) = long_len(after, usize::from(first - 0xf7))?;
            (true, len, body)
        }
    };
    let (payload, rest) = split(body, len)?;
    if !is_list && len == 1 && payload.first().is_some_and(|b| *b < 0x80) {
        return Err(RlpError::NonCanonicalSingleByte);
    }
    let raw_len = input.len() - rest.len();
    let raw = input.get(..raw_len).ok_or(RlpError::UnexpectedEnd)?;
    Ok((
        Item {
            is_list,
            payload,
            raw,
        },
        rest,
    ))
}

/// Reads `input` as exactly one item: nothing may follow it.
pub fn decode_exact(input: &[u8]) -> Result<Item<'_>, RlpError> {
    let (item, rest) = decode_one(input)?;
    if !rest.is_empty() {
        return Err(RlpError::TrailingBytes);
    }
    Ok(item)
}

impl<'a> Item<'a> {
    /// The string's bytes; a list is [`RlpError::ExpectedString`].
    pub fn string(&self) -> Result<&'a [u8], RlpError> {
        if self.is_list {
            Err(RlpError::ExpectedString)
        } else {
            Ok(self.payload)
        }
    }

    /// A reader over the list's items; a string is [`RlpError::ExpectedList`].
    pub fn list(&self) -> Result<ListReader<'a>, RlpError> {
        if self.is_list {
            Ok(ListReader { rest: self.payload })
        } else {
            Err(RlpError::ExpectedList)
        }
    }

    /// Whether this is the empty string `0x80`.
    pub fn is_empty_string(&self) -> bool {
        !self.is_list && self.payload.is_empty()
    }

    /// An unsigned integer of at most `N` bytes, right-aligned big-endian.
    pub fn uint<const N: usize>(&self) -> Result<[u8; N], RlpError> {
        let bytes = self.string()?;
        if bytes.first() == Some(&0) {
            return Err(RlpError::LeadingZero);
        }
        if bytes.len() > N {
            return Err(RlpError::IntegerOverflow);
        }
        let mut out = [0u8; N];
        out.get_mut(N - bytes.len()..)
            .ok_or(RlpError::IntegerOverflow)?
            .copy_from_slice(bytes);
        Ok(out)
    }

    /// An unsigned integer that fits a `u64`.
    pub fn u64(&self) -> Result<u64, RlpError> {
        Ok(u64::from_be_bytes(self.uint::<8>()?))
    }

    /// A boolean: `0x01` or `0x80`.
    pub fn bool(&self) -> Result<bool, RlpError> {
        match self.string()? {
            [0x01] => Ok(true),
            [] => Ok(false),
            _ => Err(RlpError::InvalidBool),
        }
    }

    /// A string of exactly `N` bytes.
    pub fn fixed<const N: usize>(&self) -> Result<[u8; N], RlpError> {
        self.string()?.try_into().map_err(|_| RlpError::WrongLength)
    }

    /// A UTF-8 text.
    pub fn text(&self) -> Result<&'a str, RlpError> {
        core::str::from_utf8(self.string()?).map_err(|_| RlpError::InvalidUtf8)
    }
}

/// Reads a list's items one at a time.
#[derive(Clone, Copy, Debug)]
pub struct ListReader<'a> {
    rest: &'a [u8],
}

impl<'a> ListReader<'a> {
    /// Whether every item was read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The next item, or `None` at the end of the list.
    #[allow(clippy::should_implement_trait)] // fallible: not an Iterator
    pub fn next(&mut self) -> Result<Option<Item<'a>>, RlpError> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let (item, rest) = decode_one(self.rest).map_err(|e| match e {
            RlpError::UnexpectedEnd => RlpError::ListLengthMismatch,
            e => e,
        })?;
        self.rest = rest;
        Ok(Some(item))
    }

    /// The next item; the end of the list is [`RlpError::TooFewItems`].
    pub fn required(&mut self) -> Result<Item<'a>, RlpError> {
        self.next()?.ok_or(RlpError::TooFewItems)
    }

    /// Checks that every item was read ([`RlpError::TooManyItems`] if not).
    pub fn finish(&self) -> Result<(), RlpError> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(RlpError::TooManyItems)
        }
    }

    /// How many items are left (walks them; refuses malformed ones).
    pub fn remaining(&self) -> Result<usize, RlpError> {
        let mut copy = *self;
        let mut n = 0usize;
        while copy.next()?.is_some() {
            n = n.saturating_add(1);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(h: &str) -> Result<Item<'static>, RlpError> {
        let bytes: &'static [u8] = std::vec::Vec::leak(hex::decode(h).unwrap());
        decode_exact(bytes)
    }

    #[test]
    fn refuses_non_canonical_forms() {
        assert_eq!(one("8105").err(), Some(RlpError::NonCanonicalSingleByte));
        assert_eq!(one("b80105").err(), Some(RlpError::NonCanonicalLength));
        assert_eq!(one("f800").err(), Some(RlpError::NonCanonicalLength));
        assert_eq!(one("b90038").err(), Some(RlpError::NonCanonicalLength));
        assert_eq!(one("820001").unwrap().u64(), Err(RlpError::LeadingZero));
        assert_eq!(one("83").err(), Some(RlpError::UnexpectedEnd));
        assert_eq!(one("8080").err(), Some(RlpError::TrailingBytes));
        assert_eq!(one("c0").unwrap().string(), Err(RlpError::ExpectedString));
        assert_eq!(
            one("80").unwrap().list().err(),
            Some(RlpError::ExpectedList)
        );
        assert_eq!(one("00").unwrap().bool(), Err(RlpError::InvalidBool));
        assert_eq!(
            one("89010000000000000000").unwrap().u64(),
            Err(RlpError::IntegerOverflow)
        );
        assert_eq!(one("8102").err(), Some(RlpError::NonCanonicalSingleByte));
        assert_eq!(
            one("82ffff").unwrap().fixed::<3>(),
            Err(RlpError::WrongLength)
        );
        assert_eq!(one("82c328").unwrap().text(), Err(RlpError::InvalidUtf8));
        // A list whose payload ends inside an item.
        let mut list = one("c28300").unwrap().list().unwrap();
        assert_eq!(list.next(), Err(RlpError::ListLengthMismatch));
    }

    #[test]
    fn reads_values() {
        assert_eq!(one("80").unwrap().u64(), Ok(0));
        assert_eq!(one("7f").unwrap().u64(), Ok(127));
        assert_eq!(one("8180").unwrap().u64(), Ok(128));
        assert_eq!(one("83127ec5").unwrap().u64(), Ok(1_212_101));
        assert_eq!(one("01").unwrap().bool(), Ok(true));
        assert_eq!(one("80").unwrap().bool(), Ok(false));
        assert!(one("80").unwrap().is_empty_string());
        let item = one("c3808080").unwrap();
        assert_eq!(item.raw.len(), 4);
        let mut list = item.list().unwrap();
        assert_eq!(list.remaining(), Ok(3));
        for _ in 0..3 {
            assert!(list.required().unwrap().is_empty_string());
        }
        assert_eq!(list.required(), Err(RlpError::TooFewItems));
        assert_eq!(list.finish(), Ok(()));
        let u = one("820100").unwrap().uint::<32>().unwrap();
        assert_eq!(&u[30..], &[1, 0]);
    }
}
