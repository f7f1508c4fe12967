//! U256 amounts: canonical decimal text in and out, minimal big-endian bytes
//! for RLP, and the checked sum a batch needs.
//!
//! Written here rather than taken from a big-integer crate because the core
//! needs exactly four things, all without an allocator: a canonical decimal
//! parser that names each refusal (sign, leading zero, overflow), decimal
//! output into a fixed buffer, big-endian bytes, and a checked addition.
//! `crypto-bigint` (already under k256) has no decimal text at all, and the
//! libsecp256k1 backend drops k256 from the firmware.

use core::cmp::Ordering;
use core::fmt;

use crate::hex::ascii_str;

/// Most decimal digits of a U256 (2^256-1 has 78).
pub const MAX_AMOUNT_DIGITS: usize = 78;

/// Why an amount was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AmountError {
    /// The text is empty (or a bare `0x`).
    Empty,
    /// A character that is not a digit of the form (a sign, a point, a
    /// space, an exponent; `0x` where only canonical decimal is read).
    NotDecimal,
    /// A leading zero (only `0` itself may start with one).
    LeadingZero,
    /// Larger than 2^256-1.
    Overflow,
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AmountError::Empty => "amount is empty",
            AmountError::NotDecimal => {
                "amount must be decimal digits (or 0x and hex digits), with no sign, point, \
                 space or exponent"
            }
            AmountError::LeadingZero => "amount must not have leading zeros",
            AmountError::Overflow => "amount is larger than 2^256-1",
        })
    }
}

impl core::error::Error for AmountError {}

/// An unsigned 256-bit integer: four 64-bit limbs, least significant first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Amount([u64; 4]);

impl Amount {
    /// Zero.
    pub const ZERO: Amount = Amount([0; 4]);
    /// 2^256-1.
    pub const MAX: Amount = Amount([u64::MAX; 4]);

    /// A `u64` amount.
    pub const fn from_u64(v: u64) -> Self {
        Amount([v, 0, 0, 0])
    }

    /// A `u128` amount.
    pub const fn from_u128(v: u128) -> Self {
        Amount([v as u64, (v >> 64) as u64, 0, 0])
    }

    /// The amount as a `u128`, if it fits.
    pub const fn to_u128(&self) -> Option<u128> {
        if self.0[2] == 0 && self.0[3] == 0 {
            Some(((self.0[1] as u128) << 64) | self.0[0] as u128)
        } else {
            None
        }
    }

    /// Whether this is zero.
    pub const fn is_zero(&self) -> bool {
        self.0[0] == 0 && self.0[1] == 0 && self.0[2] == 0 && self.0[3] == 0
    }

    /// From 32 big-endian bytes.
    pub fn from_be_bytes(bytes: [u8; 32]) -> Self {
        let mut limbs = [0u64; 4];
        for (limb, chunk) in limbs.iter_mut().rev().zip(bytes.chunks_exact(8)) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            *limb = u64::from_be_bytes(word);
        }
        Amount(limbs)
    }

    /// The 32 big-endian bytes.
    pub fn to_be_bytes(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (chunk, limb) in out.chunks_exact_mut(8).zip(self.0.iter().rev()) {
            chunk.copy_from_slice(&limb.to_be_bytes());
        }
        out
    }

    /// Reads a U256 as the network reads it from a JSON string
    /// (`onemoney-transactions.md` section 2.3): decimal digits, leading
    /// zeros allowed (the TS SDK sends a caller's `"007"` as given), or
    /// `0x` / `0X` and hex digits in either case. Every form of one value
    /// is that value: the RLP encodes the integer, so the signing and
    /// transaction hashes follow the value, not its text. Refused: an
    /// empty text or a bare `0x` ([`AmountError::Empty`]), any other
    /// character (a sign, a point, a space, an exponent, `_`, `0o`/`0b`:
    /// [`AmountError::NotDecimal`]), and values above 2^256-1.
    ///
    /// What this toolkit writes is always [`Amount::to_decimal`]'s
    /// canonical decimal.
    ///
    /// ```
    /// use tokensign_core::Amount;
    /// let seven = Amount::from_u64(7);
    /// assert_eq!(Amount::parse_wire("7"), Ok(seven));
    /// assert_eq!(Amount::parse_wire("007"), Ok(seven));
    /// assert_eq!(Amount::parse_wire("0x07"), Ok(seven));
    /// assert!(Amount::parse_wire("7e0").is_err());
    /// ```
    pub fn parse_wire(text: &str) -> Result<Self, AmountError> {
        let (digits, radix) = match text.as_bytes() {
            [b'0', b'x' | b'X', rest @ ..] => (rest, 16u8),
            digits => (digits, 10u8),
        };
        if digits.is_empty() {
            return Err(AmountError::Empty);
        }
        let mut value = Amount::ZERO;
        for &d in digits {
            let digit = match (d, radix) {
                (b'0'..=b'9', _) => d - b'0',
                (b'a'..=b'f', 16) => d - b'a' + 10,
                (b'A'..=b'F', 16) => d - b'A' + 10,
                _ => return Err(AmountError::NotDecimal),
            };
            value = value
                .mul_small_add(u64::from(radix), u64::from(digit))
                .ok_or(AmountError::Overflow)?;
        }
        Ok(value)
    }

    /// Parses canonical decimal text: digits only, no leading zero (except
    /// `0` itself), at most 2^256-1. What this toolkit writes and stores;
    /// [`Amount::parse_wire`] reads what the network accepts.
    pub fn parse(text: &str) -> Result<Self, AmountError> {
        let digits = text.as_bytes();
        match digits {
            [] => return Err(AmountError::Empty),
            [b'0', _, ..] if digits.iter().all(u8::is_ascii_digit) => {
                return Err(AmountError::LeadingZero)
            }
            _ => {}
        }
        let mut value = Amount::ZERO;
        for &d in digits {
            if !d.is_ascii_digit() {
                return Err(AmountError::NotDecimal);
            }
            value = value
                .mul_small_add(10, u64::from(d - b'0'))
                .ok_or(AmountError::Overflow)?;
        }
        Ok(value)
    }

    /// `self * m + a`, or `None` on overflow.
    fn mul_small_add(&self, m: u64, a: u64) -> Option<Self> {
        let mut out = [0u64; 4];
        let mut carry = u128::from(a);
        for (o, limb) in out.iter_mut().zip(self.0) {
            let t = u128::from(limb) * u128::from(m) + carry;
            *o = t as u64;
            carry = t >> 64;
        }
        (carry == 0).then_some(Amount(out))
    }

    /// `self + other`, or `None` above 2^256-1.
    pub fn checked_add(&self, other: &Amount) -> Option<Amount> {
        let mut out = [0u64; 4];
        let mut carry = false;
        for ((o, a), b) in out.iter_mut().zip(self.0).zip(other.0) {
            let (s1, c1) = a.overflowing_add(b);
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            *o = s2;
            carry = c1 || c2;
        }
        (!carry).then_some(Amount(out))
    }

    /// `self - other`, or `None` below zero.
    pub fn checked_sub(&self, other: &Amount) -> Option<Amount> {
        let mut out = [0u64; 4];
        let mut borrow = false;
        for ((o, a), b) in out.iter_mut().zip(self.0).zip(other.0) {
            let (d1, b1) = a.overflowing_sub(b);
            let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
            *o = d2;
            borrow = b1 || b2;
        }
        (!borrow).then_some(Amount(out))
    }

    /// The decimal digits.
    ///
    /// Four digits per pass: the value as sixteen 16-bit pieces, each pass
    /// dividing the pieces not yet zero by 10^4 with 32-bit arithmetic (a
    /// Cortex-M4 divides 32 bits in one instruction, while a `u64` division
    /// is a library call of 0.9 KB of flash and a `u128` one slower still:
    /// docs/embedded.md, "Flash"). The leading zero pieces are skipped, so
    /// a nonce or a small amount costs a few divisions, not 320 (a device
    /// writes every amount of its review: docs/embedded.md, "How
    /// instructions per function add up").
    pub fn to_decimal(&self) -> Decimal {
        const CHUNK: u32 = 10_000;
        const CHUNK_DIGITS: usize = 4;
        const PIECES: usize = 16;
        let bytes = self.to_be_bytes();
        let mut pieces = [0u32; PIECES];
        for (piece, pair) in pieces.iter_mut().zip(bytes.chunks_exact(2)) {
            if let [hi, lo] = *pair {
                *piece = (u32::from(hi) << 8) | u32::from(lo);
            }
        }
        let mut first = pieces.iter().take_while(|&&p| p == 0).count();
        let mut digits = [b'0'; MAX_AMOUNT_DIGITS];
        let mut start = MAX_AMOUNT_DIGITS;
        while first < PIECES {
            let mut rem = 0u32;
            for piece in pieces.iter_mut().skip(first) {
                // rem < 10^4, so this fits in 32 bits.
                let t = (rem << 16) | *piece;
                *piece = t / CHUNK;
                rem = t % CHUNK;
            }
            first += pieces.iter().skip(first).take_while(|&&p| p == 0).count();
            // All four digits, but no leading zeros of the last chunk.
            for _ in 0..CHUNK_DIGITS {
                if first == PIECES && rem == 0 {
                    break;
                }
                let Some(at) = start.checked_sub(1) else {
                    break;
                };
                start = at;
                if let Some(slot) = digits.get_mut(at) {
                    // rem % 10 < 10
                    *slot = b'0' + (rem % 10) as u8;
                }
                rem /= 10;
            }
        }
        // Zero: the one digit `0` (the buffer starts as zeros).
        Decimal {
            digits,
            start: start.min(MAX_AMOUNT_DIGITS - 1),
        }
    }
}

impl PartialOrd for Amount {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Amount {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.iter().rev().cmp(other.0.iter().rev())
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.to_decimal().as_str())
    }
}

impl core::str::FromStr for Amount {
    type Err = AmountError;
    fn from_str(s: &str) -> Result<Self, AmountError> {
        Amount::parse(s)
    }
}

impl From<u64> for Amount {
    fn from(v: u64) -> Self {
        Amount::from_u64(v)
    }
}

/// The decimal digits of an amount, in a fixed buffer.
#[derive(Clone, Copy, Debug)]
pub struct Decimal {
    digits: [u8; MAX_AMOUNT_DIGITS],
    start: usize,
}

impl Decimal {
    /// The digits as text.
    pub fn as_str(&self) -> &str {
        ascii_str(self.as_bytes())
    }

    /// The digits as ASCII bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.digits.get(self.start..).unwrap_or(&[])
    }
}

// ------------------------------------------------------------ whole tokens

/// Most decimals a token has (the network's limit, `tx::MAX_DECIMALS`):
/// the largest `decimals` [`Amount::to_whole_tokens`] formats.
pub const MAX_WHOLE_TOKEN_DECIMALS: u8 = 18;

/// Longest whole-token text: 78 digits and a point.
pub const MAX_WHOLE_TOKENS_LEN: usize = MAX_AMOUNT_DIGITS + 1;

/// An amount of base units written in whole tokens, exactly, in a fixed
/// buffer: the integer part, then, if the fraction is not zero, `.` and
/// the fraction without trailing zeros (`1500000` at 6 decimals is `1.5`,
/// `2000000` is `2`, `1` is `0.000001`). Never rounded, no thousands
/// separators, no exponent.
#[derive(Clone, Copy, Debug)]
pub struct WholeTokens {
    text: [u8; MAX_WHOLE_TOKENS_LEN],
    len: usize,
}

impl WholeTokens {
    /// The text.
    pub fn as_str(&self) -> &str {
        ascii_str(self.as_bytes())
    }

    /// The text as ASCII bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.text.get(..self.len).unwrap_or(&[])
    }
}

impl Amount {
    /// This many base units in whole tokens of `decimals` decimals
    /// ([`WholeTokens`]); `None` above [`MAX_WHOLE_TOKEN_DECIMALS`].
    pub fn to_whole_tokens(&self, decimals: u8) -> Option<WholeTokens> {
        if decimals > MAX_WHOLE_TOKEN_DECIMALS {
            return None;
        }
        let decimal = self.to_decimal();
        let digits = decimal.as_str().as_bytes();
        let scale = usize::from(decimals);
        let mut out = WholeTokens {
            text: [b'0'; MAX_WHOLE_TOKENS_LEN],
            len: 0,
        };
        // Digits before the point (at least one `0`), and after it (the
        // fraction, padded with leading zeros to `scale` digits).
        let (int, frac_digits) = digits.split_at(digits.len().saturating_sub(scale));
        let mut push = |b: u8| {
            if let Some(slot) = out.text.get_mut(out.len) {
                *slot = b;
                out.len += 1;
            }
        };
        if int.is_empty() {
            push(b'0');
        }
        int.iter().copied().for_each(&mut push);
        let zeros = scale - frac_digits.len();
        // Trailing zeros of the fraction are not written.
        let significant =
            frac_digits.len() - frac_digits.iter().rev().take_while(|&&d| d == b'0').count();
        if significant > 0 {
            push(b'.');
            (0..zeros).for_each(|_| push(b'0'));
            frac_digits
                .iter()
                .take(significant)
                .copied()
                .for_each(&mut push);
        }
        Some(out)
    }
}

#[cfg(test)]
mod whole_token_tests;

// ------------------------------------------------ whole tokens to base units

/// Why whole tokens (`12.5`) could not be converted to base units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WholeAmountError {
    /// Nothing to read: the text is empty or only a point.
    Empty,
    /// Not decimal digits with at most one point (a sign, an exponent, a
    /// space, a second point, `0x`).
    NotDecimal,
    /// More fractional digits than the token has decimals (trailing zeros
    /// do not count).
    TooPrecise {
        /// The fractional digits given, without trailing zeros.
        digits: usize,
        /// The token's decimals.
        decimals: u8,
    },
    /// Larger than 2^256-1 once in base units.
    Overflow,
}

impl fmt::Display for WholeAmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WholeAmountError::Empty => f.write_str("the amount is empty"),
            WholeAmountError::NotDecimal => f.write_str(
                "write whole tokens as digits with at most one decimal point, e.g. 12.5 \
                 (no sign, no exponent, no spaces, no 0x)",
            ),
            WholeAmountError::TooPrecise { digits, decimals } => write!(
                f,
                "it has {digits} fractional digits but the token has {decimals} decimals: \
                 round it to {decimals}"
            ),
            WholeAmountError::Overflow => {
                f.write_str("it is larger than 2^256-1 once converted to base units")
            }
        }
    }
}

impl core::error::Error for WholeAmountError {}

impl Amount {
    /// Converts whole tokens written in decimal (`12.5`, `0.000001`, `7`,
    /// `.5`, `5.`, `007`) to base units of a token with `decimals`:
    /// exact (never a float), refused when it has more fractional digits
    /// than the token (trailing zeros do not count) or passes 2^256-1.
    /// The project's one decimal-to-base-units converter.
    ///
    /// ```
    /// use tokensign_core::amount::{Amount, WholeAmountError};
    /// assert_eq!(Amount::from_whole("12.5", 6), Ok(Amount::from_u64(12_500_000)));
    /// assert_eq!(Amount::from_whole("1.50", 1), Ok(Amount::from_u64(15)));
    /// assert_eq!(
    ///     Amount::from_whole("0.001", 2),
    ///     Err(WholeAmountError::TooPrecise { digits: 3, decimals: 2 })
    /// );
    /// ```
    pub fn from_whole(text: &str, decimals: u8) -> Result<Amount, WholeAmountError> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() && fraction.is_empty() {
            return Err(WholeAmountError::Empty);
        }
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !digits(fraction) {
            return Err(WholeAmountError::NotDecimal);
        }
        let fraction = fraction.trim_end_matches('0');
        if fraction.len() > usize::from(decimals) {
            return Err(WholeAmountError::TooPrecise {
                digits: fraction.len(),
                decimals,
            });
        }
        let mut value = Amount::ZERO;
        let shift = usize::from(decimals) - fraction.len();
        let scaled = whole
            .bytes()
            .chain(fraction.bytes())
            .chain(core::iter::repeat_n(b'0', shift));
        for d in scaled {
            value = value
                .mul_small_add(10, u64::from(d - b'0'))
                .ok_or(WholeAmountError::Overflow)?;
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests;
