//! 20-byte account addresses: strict hex parsing and EIP-55 checksums.

use core::fmt;
use core::str::FromStr;

use crate::hash::keccak256;
use crate::hex::{ascii_str, hex_value, write_hex_lower};

/// Length of an address as text: `0x` and 40 hex digits.
pub const ADDRESS_TEXT_LEN: usize = 42;

/// A 20-byte account address.
///
/// Parsing accepts `0x` followed by 40 hex digits in all-lowercase,
/// all-uppercase, or mixed case; mixed case must match the EIP-55 checksum.
/// `Display` writes the EIP-55 form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Address(pub [u8; 20]);

/// Why an address was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AddressError {
    /// It does not start with `0x`.
    MissingPrefix,
    /// It does not have exactly 40 hex digits after `0x`.
    Length,
    /// It holds a character that is not a hex digit.
    NotHex,
    /// It is mixed-case and does not match its EIP-55 checksum.
    Checksum,
}

impl fmt::Display for AddressError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AddressError::MissingPrefix => "address must start with 0x",
            AddressError::Length => "address must have exactly 40 hex digits after 0x",
            AddressError::NotHex => "address holds a non-hex character",
            AddressError::Checksum => "mixed-case address does not match its EIP-55 checksum",
        })
    }
}

impl core::error::Error for AddressError {}

impl Address {
    /// The zero address.
    pub const ZERO: Address = Address([0; 20]);

    /// Parses `0x` + 40 hex digits; mixed case must match EIP-55.
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        Self::parse_bytes(text.as_bytes())
    }

    /// Like [`Address::parse`], on ASCII bytes.
    pub fn parse_bytes(text: &[u8]) -> Result<Self, AddressError> {
        let digits = match text {
            [b'0', b'x' | b'X', rest @ ..] => rest,
            _ => return Err(AddressError::MissingPrefix),
        };
        if digits.len() != 40 {
            return Err(AddressError::Length);
        }
        let mut out = [0u8; 20];
        let (mut lower, mut upper) = (false, false);
        for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
            let [hi, lo] = pair else {
                return Err(AddressError::Length);
            };
            for c in [*hi, *lo] {
                lower |= c.is_ascii_lowercase();
                upper |= c.is_ascii_uppercase();
            }
            let h = hex_value(*hi).ok_or(AddressError::NotHex)?;
            let l = hex_value(*lo).ok_or(AddressError::NotHex)?;
            *byte = (h << 4) | l;
        }
        let address = Address(out);
        if lower && upper {
            let expected = address.to_checksum();
            if expected.get(2..) != Some(digits) {
                return Err(AddressError::Checksum);
            }
        }
        Ok(address)
    }

    /// The raw 20 bytes.
    pub const fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }

    /// The EIP-55 checksummed text form, as ASCII bytes (`0x` + 40 digits).
    pub fn to_checksum(&self) -> [u8; ADDRESS_TEXT_LEN] {
        let mut out = [0u8; ADDRESS_TEXT_LEN];
        out[0] = b'0';
        out[1] = b'x';
        let (_, digits) = out.split_at_mut(2);
        write_hex_lower(&self.0, digits);
        let hash = keccak256(digits);
        // Two digits per hash byte: a letter (`a`..=`f`, bit 0x40 set)
        // whose hash nibble is 8 or more is upper case. A pair at a time,
        // with no division: a device checksums every address it shows.
        for (pair, h) in digits.chunks_exact_mut(2).zip(hash) {
            if let [hi, lo] = pair {
                if *hi & 0x40 != 0 && h & 0x80 != 0 {
                    *hi &= !0x20;
                }
                if *lo & 0x40 != 0 && h & 0x08 != 0 {
                    *lo &= !0x20;
                }
            }
        }
        out
    }

    /// Whether this is the zero address.
    pub fn is_zero(&self) -> bool {
        self.0 == [0; 20]
    }

    /// The all-lowercase text form, as ASCII bytes (`0x` + 40 digits).
    pub fn to_lower_hex(&self) -> [u8; ADDRESS_TEXT_LEN] {
        let mut out = [0u8; ADDRESS_TEXT_LEN];
        out[0] = b'0';
        out[1] = b'x';
        let (_, digits) = out.split_at_mut(2);
        write_hex_lower(&self.0, digits);
        out
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(ascii_str(&self.to_checksum()))
    }
}

impl fmt::LowerHex for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.to_lower_hex();
        let body = if f.alternate() { &text[..] } else { &text[2..] };
        f.write_str(ascii_str(body))
    }
}

impl FromStr for Address {
    type Err = AddressError;
    fn from_str(s: &str) -> Result<Self, AddressError> {
        Address::parse(s)
    }
}

impl From<[u8; 20]> for Address {
    fn from(bytes: [u8; 20]) -> Self {
        Address(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // EIP-55's own examples.
    const EIP55: [&str; 4] = [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];

    #[test]
    fn eip55_examples_round_trip() {
        for text in EIP55 {
            let a = Address::parse(text).unwrap();
            assert_eq!(a.to_checksum(), text.as_bytes());
            let lower = text.to_ascii_lowercase();
            assert_eq!(Address::parse(&lower).unwrap(), a);
            let upper = alloc_upper(text);
            assert_eq!(Address::parse(&upper).unwrap(), a);
        }
    }

    fn alloc_upper(text: &str) -> heapless::String<42> {
        let mut s = heapless::String::new();
        s.push_str("0x").unwrap();
        for c in text[2..].chars() {
            s.push(c.to_ascii_uppercase()).unwrap();
        }
        s
    }

    #[test]
    fn bad_checksum_is_refused() {
        // Flip the case of one letter.
        let bad = "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        assert_eq!(Address::parse(bad), Err(AddressError::Checksum));
    }

    #[test]
    fn precise_errors() {
        assert_eq!(Address::parse(""), Err(AddressError::MissingPrefix));
        assert_eq!(
            Address::parse("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
            Err(AddressError::MissingPrefix)
        );
        assert_eq!(Address::parse("0x1234"), Err(AddressError::Length));
        assert_eq!(
            Address::parse("0xg000000000000000000000000000000000000000"),
            Err(AddressError::NotHex)
        );
        assert_eq!(
            Address::parse("0x00000000000000000000000000000000000000é"),
            Err(AddressError::NotHex)
        );
    }
}
