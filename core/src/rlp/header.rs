//! Header and item lengths, as `const fn`s so that buffer sizes follow from
//! the limits at compile time.

/// Largest payload length with a one-byte header.
pub const SHORT_MAX: usize = 55;
/// First byte of a short string header (`0x80 + len`).
pub const STRING_SHORT: u8 = 0x80;
/// First byte of a short list header (`0xc0 + len`).
pub const LIST_SHORT: u8 = 0xc0;
/// The empty string: zero, false, an absent value.
pub const EMPTY_STRING: u8 = 0x80;
/// The empty list.
pub const EMPTY_LIST: u8 = 0xc0;

/// Bytes in the minimal big-endian form of `v` (0 for zero).
pub const fn be_len(v: u64) -> usize {
    (64 - v.leading_zeros() as usize).div_ceil(8)
}

/// Length of a string or list header announcing `payload_len` bytes.
pub const fn header_len(payload_len: usize) -> usize {
    if payload_len <= SHORT_MAX {
        1
    } else {
        1 + be_len(payload_len as u64)
    }
}

/// Length of a list item whose items take `payload_len` bytes.
pub const fn list_len(payload_len: usize) -> usize {
    header_len(payload_len) + payload_len
}

/// Length of the item for a byte string of `len` bytes whose first byte is
/// `first` (looked at only when `len == 1`: a single byte below 0x80 is its
/// own item).
pub const fn string_len(len: usize, first: u8) -> usize {
    if len == 1 && first < 0x80 {
        1
    } else {
        header_len(len) + len
    }
}

/// Length of the largest item for a byte string of at most `max` bytes.
pub const fn max_string_len(max: usize) -> usize {
    if max == 0 {
        1
    } else {
        header_len(max) + max
    }
}

/// Length of the item for the unsigned integer `v`.
pub const fn u64_len(v: u64) -> usize {
    if v < 0x80 {
        1
    } else {
        1 + be_len(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths() {
        assert_eq!(be_len(0), 0);
        assert_eq!(be_len(255), 1);
        assert_eq!(be_len(256), 2);
        assert_eq!(header_len(55), 1);
        assert_eq!(header_len(56), 2);
        assert_eq!(header_len(256), 3);
        assert_eq!(string_len(1, 0x7f), 1);
        assert_eq!(string_len(1, 0x80), 2);
        assert_eq!(string_len(0, 0), 1);
        assert_eq!(u64_len(0), 1);
        assert_eq!(u64_len(127), 1);
        assert_eq!(u64_len(128), 2);
        assert_eq!(u64_len(u64::MAX), 9);
        assert_eq!(max_string_len(32), 33);
        assert_eq!(max_string_len(56), 58);
        assert_eq!(list_len(56), 58);
    }
}
