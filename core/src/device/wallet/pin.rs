//! The PIN: 4 to 8 decimal digits, zeroized when dropped.

use zeroize::Zeroize;

/// Fewest digits of a PIN.
pub const MIN_PIN_LEN: usize = 4;
/// Most digits of a PIN.
pub const MAX_PIN_LEN: usize = 8;

/// A PIN of [`MIN_PIN_LEN`] to [`MAX_PIN_LEN`] ASCII digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin {
    digits: [u8; MAX_PIN_LEN],
    len: u8,
}

/// A PIN that is not 4 to 8 digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidPin;

impl Pin {
    /// The PIN of `digits`: 4 to 8 bytes, each `b'0'..=b'9'`.
    pub fn parse(digits: &[u8]) -> Result<Self, InvalidPin> {
        if !(MIN_PIN_LEN..=MAX_PIN_LEN).contains(&digits.len())
            || !digits.iter().all(u8::is_ascii_digit)
        {
            return Err(InvalidPin);
        }
        let mut pin = Pin {
            digits: [0; MAX_PIN_LEN],
            len: 0,
        };
        if let Some(dst) = pin.digits.get_mut(..digits.len()) {
            dst.copy_from_slice(digits);
        }
        // At most 8.
        pin.len = digits.len() as u8;
        Ok(pin)
    }

    /// The digits, as ASCII.
    pub fn digits(&self) -> &[u8] {
        self.digits.get(..usize::from(self.len)).unwrap_or(&[])
    }
}

impl Drop for Pin {
    fn drop(&mut self) {
        self.digits.zeroize();
    }
}

impl core::fmt::Debug for Pin {
    /// Never the digits.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Pin(..)")
    }
}
