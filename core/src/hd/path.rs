//! BIP-32 derivation paths: the text form `m/44'/60'/0'/0/0`, a compact
//! binary form for the device protocol, and a fixed capacity.
//!
//! A path is a list of at most [`MAX_PATH_DEPTH`] raw BIP-32 child indices:
//! an index with the [`HARDENED`] bit set is a hardened step (written `i'`
//! or `ih`), one without it a normal step.
//!
//! Binary form (as Ledger apps carry paths): one depth byte, then each index
//! as 4 big-endian bytes with the hardened bit, so `m/44'/60'/0'/0/0` is
//! `05 8000002c 8000003c 80000000 00000000 00000000`.

use core::fmt;

/// The deepest path accepted. BIP-44 paths have 5 steps; 10 leaves room for
/// deeper schemes and is the limit Ledger apps use, so a path that works
/// there works here. It bounds the work of one derivation (each step is one
/// HMAC-SHA512, a normal step also one scalar multiplication) and the
/// binary form to [`MAX_PATH_BYTES`].
pub const MAX_PATH_DEPTH: usize = 10;

/// The hardened bit of a BIP-32 child index.
pub const HARDENED: u32 = 0x8000_0000;

/// The longest binary form: the depth byte and 4 bytes per step.
pub const MAX_PATH_BYTES: usize = 1 + 4 * MAX_PATH_DEPTH;

/// The longest canonical text form: `m` and, per step, `/2147483647'`.
pub const MAX_PATH_TEXT_LEN: usize = 1 + 12 * MAX_PATH_DEPTH;

/// BIP-44 purpose, Ethereum's coin type: the default path is
/// `m/44'/60'/0'/0/{index}`.
const ETHEREUM_PREFIX: [u32; 4] = [44 | HARDENED, 60 | HARDENED, HARDENED, 0];

/// Why a derivation path was refused. `step` counts from 1 (the step after
/// `m`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PathError {
    /// The text or binary input is empty.
    Empty,
    /// The text does not start with `m`.
    MissingMaster,
    /// Something other than `/` follows `m`.
    ExpectedSeparator,
    /// A step is empty (`//`, or a trailing `/`).
    EmptyStep {
        /// The step's position, from 1.
        step: u8,
    },
    /// A step holds something other than decimal digits and one final
    /// hardened marker (`'` or `h`).
    InvalidStep {
        /// The step's position, from 1.
        step: u8,
    },
    /// A step's number has a leading zero (`01`): it would not read back
    /// the same.
    LeadingZero {
        /// The step's position, from 1.
        step: u8,
    },
    /// A step's number is 2^31 or more (the hardened bit is written with a
    /// marker, not as part of the number).
    IndexTooLarge {
        /// The step's position, from 1.
        step: u8,
    },
    /// The path has more than [`MAX_PATH_DEPTH`] steps.
    TooDeep,
    /// The binary form ends before the steps its depth byte announces.
    Truncated,
    /// Bytes follow the steps of the binary form.
    TrailingBytes,
    /// The output buffer is shorter than the binary form.
    BufferTooSmall,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::Empty => f.write_str("derivation path is empty; give one such as m/44'/60'/0'/0/0"),
            PathError::MissingMaster => f.write_str("derivation path must start with `m`, as in m/44'/60'/0'/0/0"),
            PathError::ExpectedSeparator => f.write_str("derivation path: `m` must be followed by `/` or nothing"),
            PathError::EmptyStep { step } => write!(f, "derivation path: step {step} is empty; remove the extra `/`"),
            PathError::InvalidStep { step } => write!(
                f,
                "derivation path: step {step} must be a decimal number, optionally followed by ' or h for hardened"
            ),
            PathError::LeadingZero { step } => write!(f, "derivation path: step {step} has a leading zero; write the number without it"),
            PathError::IndexTooLarge { step } => write!(
                f,
                "derivation path: step {step} must be below 2147483648; mark hardened steps with ' instead of adding 2^31"
            ),
            PathError::TooDeep => write!(f, "derivation path has more than {MAX_PATH_DEPTH} steps; use a shorter path"),
            PathError::Truncated => f.write_str("binary derivation path ends before the steps its depth byte announces; send depth then 4 bytes per step"),
            PathError::TrailingBytes => f.write_str("binary derivation path: bytes follow its last step; send exactly depth then 4 bytes per step"),
            PathError::BufferTooSmall => write!(f, "output buffer is too small for the binary path; give {MAX_PATH_BYTES} bytes"),
        }
    }
}

impl core::error::Error for PathError {}

/// A BIP-32 derivation path of at most [`MAX_PATH_DEPTH`] steps.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct DerivationPath {
    steps: [u32; MAX_PATH_DEPTH],
    depth: u8,
}

impl DerivationPath {
    /// The empty path `m`: the master key itself.
    pub const MASTER: DerivationPath = DerivationPath {
        steps: [0; MAX_PATH_DEPTH],
        depth: 0,
    };

    /// The default Ethereum path `m/44'/60'/0'/0/{index}` (BIP-44, coin
    /// type 60). Refused if `index` is 2^31 or more.
    pub fn ethereum(index: u32) -> Result<Self, PathError> {
        if index >= HARDENED {
            return Err(PathError::IndexTooLarge { step: 5 });
        }
        let mut path = Self::MASTER;
        for step in ETHEREUM_PREFIX {
            path.push(step)?;
        }
        path.push(index)?;
        Ok(path)
    }

    /// A path from raw BIP-32 indices (hardened ones carry [`HARDENED`]).
    pub fn from_indices(indices: &[u32]) -> Result<Self, PathError> {
        let mut path = Self::MASTER;
        for &index in indices {
            path.push(index)?;
        }
        Ok(path)
    }

    /// Appends one raw BIP-32 index.
    pub fn push(&mut self, index: u32) -> Result<(), PathError> {
        let slot = self
            .steps
            .get_mut(usize::from(self.depth))
            .ok_or(PathError::TooDeep)?;
        *slot = index;
        self.depth += 1;
        Ok(())
    }

    /// The raw BIP-32 indices, first step first.
    pub fn indices(&self) -> &[u32] {
        self.steps.get(..usize::from(self.depth)).unwrap_or(&[])
    }

    /// The number of steps.
    pub fn depth(&self) -> usize {
        usize::from(self.depth)
    }

    /// Parses the text form: `m`, then `/n` per step, where `n` is a
    /// decimal number below 2^31 without leading zeros, followed by `'` or
    /// `h` for a hardened step. Nothing else is accepted: no spaces, no
    /// `M`, no `H`, no trailing `/`.
    pub fn parse(text: &str) -> Result<Self, PathError> {
        let bytes = text.as_bytes();
        let (&first, rest) = bytes.split_first().ok_or(PathError::Empty)?;
        if first != b'm' {
            return Err(PathError::MissingMaster);
        }
        let mut path = Self::MASTER;
        let Some((&separator, steps)) = rest.split_first() else {
            return Ok(path);
        };
        if separator != b'/' {
            return Err(PathError::ExpectedSeparator);
        }
        for (position, token) in steps.split(|&b| b == b'/').enumerate() {
            if position >= MAX_PATH_DEPTH {
                return Err(PathError::TooDeep);
            }
            // At most MAX_PATH_DEPTH + 1, checked just above.
            let step = u8::try_from(position + 1).map_err(|_| PathError::TooDeep)?;
            path.push(parse_step(token, step)?)?;
        }
        Ok(path)
    }

    /// The binary form's length: `1 + 4 * depth`.
    pub fn encoded_len(&self) -> usize {
        1 + 4 * self.depth()
    }

    /// Writes the binary form into `out`; returns its length.
    pub fn write_bytes(&self, out: &mut [u8]) -> Result<usize, PathError> {
        let len = self.encoded_len();
        let dst = out.get_mut(..len).ok_or(PathError::BufferTooSmall)?;
        let (depth, steps) = dst.split_first_mut().ok_or(PathError::BufferTooSmall)?;
        *depth = self.depth;
        for (chunk, index) in steps.chunks_exact_mut(4).zip(self.indices()) {
            chunk.copy_from_slice(&index.to_be_bytes());
        }
        Ok(len)
    }

    /// Decodes a binary path at the start of `bytes`; returns it and the
    /// bytes after it (a command's other fields).
    pub fn split_from_bytes(bytes: &[u8]) -> Result<(Self, &[u8]), PathError> {
        let (&depth, rest) = bytes.split_first().ok_or(PathError::Empty)?;
        let depth = usize::from(depth);
        if depth > MAX_PATH_DEPTH {
            return Err(PathError::TooDeep);
        }
        if rest.len() < 4 * depth {
            return Err(PathError::Truncated);
        }
        let (steps, tail) = rest.split_at(4 * depth);
        let mut path = Self::MASTER;
        for chunk in steps.chunks_exact(4) {
            let mut word = [0u8; 4];
            word.copy_from_slice(chunk);
            path.push(u32::from_be_bytes(word))?;
        }
        Ok((path, tail))
    }

    /// Decodes a binary path that fills `bytes` exactly.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PathError> {
        match Self::split_from_bytes(bytes)? {
            (path, []) => Ok(path),
            _ => Err(PathError::TrailingBytes),
        }
    }
}

/// One step's text (between slashes) to its raw index.
fn parse_step(token: &[u8], step: u8) -> Result<u32, PathError> {
    let (digits, hardened) = match token.split_last() {
        None => return Err(PathError::EmptyStep { step }),
        Some((b'\'' | b'h', digits)) => (digits, true),
        Some(_) => (token, false),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(PathError::InvalidStep { step });
    }
    if digits.len() > 1 && digits.first() == Some(&b'0') {
        return Err(PathError::LeadingZero { step });
    }
    let mut value: u32 = 0;
    for &d in digits {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u32::from(d - b'0')))
            .filter(|&v| v < HARDENED)
            .ok_or(PathError::IndexTooLarge { step })?;
    }
    Ok(if hardened { value | HARDENED } else { value })
}

impl core::str::FromStr for DerivationPath {
    type Err = PathError;

    fn from_str(text: &str) -> Result<Self, PathError> {
        Self::parse(text)
    }
}

/// The canonical text form: `m`, then `/n'` for hardened and `/n` for
/// normal steps.
impl fmt::Display for DerivationPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("m")?;
        for &index in self.indices() {
            if index & HARDENED != 0 {
                write!(f, "/{}'", index & !HARDENED)?;
            } else {
                write!(f, "/{index}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for DerivationPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DerivationPath({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::ToString;

    const H: u32 = HARDENED;

    #[test]
    fn good_paths_parse_to_their_indices() {
        let table: &[(&str, &[u32])] = &[
            ("m", &[]),
            ("m/0", &[0]),
            ("m/0'", &[H]),
            ("m/0h", &[H]),
            ("m/44'/60'/0'/0/0", &[44 | H, 60 | H, H, 0, 0]),
            ("m/44h/60h/0h/0/7", &[44 | H, 60 | H, H, 0, 7]),
            ("m/2147483647", &[0x7fff_ffff]),
            ("m/2147483647'", &[u32::MAX]),
            ("m/1/2/3/4/5/6/7/8/9/10", &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
        ];
        for &(text, indices) in table {
            let path = DerivationPath::parse(text).unwrap();
            assert_eq!(path.indices(), indices, "{text}");
            assert_eq!(path.depth(), indices.len());
        }
    }

    #[test]
    fn bad_paths_get_precise_errors() {
        use PathError::*;
        let table: &[(&str, PathError)] = &[
            ("", Empty),
            ("M/0", MissingMaster),
            ("/0", MissingMaster),
            (" m/0", MissingMaster),
            ("44'/60'", MissingMaster),
            ("m0", ExpectedSeparator),
            ("m'", ExpectedSeparator),
            ("m/", EmptyStep { step: 1 }),
            ("m//0", EmptyStep { step: 1 }),
            ("m/0/", EmptyStep { step: 2 }),
            ("m/'", InvalidStep { step: 1 }),
            ("m/h", InvalidStep { step: 1 }),
            ("m/0H", InvalidStep { step: 1 }),
            ("m/0''", InvalidStep { step: 1 }),
            ("m/0'h", InvalidStep { step: 1 }),
            ("m/-1", InvalidStep { step: 1 }),
            ("m/+1", InvalidStep { step: 1 }),
            ("m/1 ", InvalidStep { step: 1 }),
            ("m/0/1x", InvalidStep { step: 2 }),
            ("m/0/１", InvalidStep { step: 2 }),
            ("m/01", LeadingZero { step: 1 }),
            ("m/0/00'", LeadingZero { step: 2 }),
            ("m/2147483648", IndexTooLarge { step: 1 }),
            ("m/0/2147483648'", IndexTooLarge { step: 2 }),
            ("m/4294967296", IndexTooLarge { step: 1 }),
            ("m/99999999999999999999999", IndexTooLarge { step: 1 }),
            ("m/1/2/3/4/5/6/7/8/9/10/11", TooDeep),
            ("m/1/2/3/4/5/6/7/8/9/10/", TooDeep),
        ];
        for &(text, want) in table {
            assert_eq!(DerivationPath::parse(text), Err(want), "{text:?}");
        }
    }

    #[test]
    fn text_form_is_canonical() {
        for (text, canonical) in [
            ("m", "m"),
            ("m/44h/60h/0h/0/3", "m/44'/60'/0'/0/3"),
            ("m/2147483647'/0", "m/2147483647'/0"),
        ] {
            let path: DerivationPath = text.parse().unwrap();
            assert_eq!(path.to_string(), canonical);
            assert_eq!(DerivationPath::parse(canonical), Ok(path));
        }
        let deepest = DerivationPath::from_indices(&[u32::MAX; MAX_PATH_DEPTH]).unwrap();
        assert_eq!(deepest.to_string().len(), MAX_PATH_TEXT_LEN);
        assert_eq!(
            format!("{:?}", DerivationPath::ethereum(1).unwrap()),
            "DerivationPath(m/44'/60'/0'/0/1)"
        );
    }

    #[test]
    fn ethereum_helper_is_the_bip44_path() {
        assert_eq!(
            DerivationPath::ethereum(0),
            DerivationPath::parse("m/44'/60'/0'/0/0")
        );
        assert_eq!(
            DerivationPath::ethereum(0x7fff_ffff).unwrap().to_string(),
            "m/44'/60'/0'/0/2147483647"
        );
        assert_eq!(
            DerivationPath::ethereum(HARDENED),
            Err(PathError::IndexTooLarge { step: 5 })
        );
    }

    #[test]
    fn binary_form_is_depth_then_big_endian_indices() {
        let path = DerivationPath::ethereum(0).unwrap();
        let mut out = [0u8; MAX_PATH_BYTES];
        let n = path.write_bytes(&mut out).unwrap();
        assert_eq!(
            hex::encode(&out[..n]),
            "058000002c8000003c800000000000000000000000"
        );
        assert_eq!(DerivationPath::from_bytes(&out[..n]), Ok(path));
        assert_eq!(
            path.write_bytes(&mut out[..n - 1]),
            Err(PathError::BufferTooSmall)
        );
        let mut master = [0xAA; 1];
        assert_eq!(DerivationPath::MASTER.write_bytes(&mut master), Ok(1));
        assert_eq!(master, [0]);
        assert_eq!(DerivationPath::from_bytes(&[0]), Ok(DerivationPath::MASTER));
    }

    #[test]
    fn binary_decoder_is_strict() {
        use PathError::*;
        assert_eq!(DerivationPath::from_bytes(&[]), Err(Empty));
        assert_eq!(DerivationPath::from_bytes(&[11]), Err(TooDeep));
        assert_eq!(DerivationPath::from_bytes(&[0xff]), Err(TooDeep));
        assert_eq!(DerivationPath::from_bytes(&[1, 0, 0, 0]), Err(Truncated));
        assert_eq!(DerivationPath::from_bytes(&[0, 0]), Err(TrailingBytes));
        assert_eq!(
            DerivationPath::from_bytes(&[1, 0, 0, 0, 1, 9]),
            Err(TrailingBytes)
        );
        let (path, rest) = DerivationPath::split_from_bytes(&[1, 0x80, 0, 0, 1, 9, 8]).unwrap();
        assert_eq!(path.indices(), &[HARDENED | 1]);
        assert_eq!(rest, &[9, 8]);
    }

    #[test]
    fn push_refuses_the_eleventh_step() {
        let mut path = DerivationPath::from_indices(&[0; MAX_PATH_DEPTH]).unwrap();
        assert_eq!(path.push(1), Err(PathError::TooDeep));
        assert_eq!(
            DerivationPath::from_indices(&[0; MAX_PATH_DEPTH + 1]),
            Err(PathError::TooDeep)
        );
    }

    #[test]
    fn every_error_says_what_to_do() {
        use PathError::*;
        for e in [
            Empty,
            MissingMaster,
            ExpectedSeparator,
            EmptyStep { step: 2 },
            InvalidStep { step: 2 },
            LeadingZero { step: 2 },
            IndexTooLarge { step: 2 },
            TooDeep,
            Truncated,
            TrailingBytes,
            BufferTooSmall,
        ] {
            let text = e.to_string();
            assert!(text.contains("path"), "{text}");
            assert!(text.len() > 30, "{text}");
        }
    }
}
