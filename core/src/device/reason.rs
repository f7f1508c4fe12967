//! Why a sign request was refused, as the data of a
//! [`Status::InvalidData`](super::Status::InvalidData) answer: a few bytes
//! that name the [`RequestError`] exactly (the core error, its field, list
//! position and limits). The host turns them back into the error and
//! prints the core's message for it.
//!
//! Why bytes and not the message: the messages and the formatting behind
//! them are 8.8 KB of a 96 KiB firmware (docs/embedded.md, "Flash"); the
//! host has the same core and the same messages.
//!
//! ```text
//! reason  = 1 header-code            (RequestError: 1 truncated, 2 scheme, 3 descriptor)
//!         | 2 error                  (RequestError::Core)
//! error   = 0 field has-index [index (2)] problem   (Error::Invalid)
//!         | 1                        (Error::Json: never made by a device; no detail)
//!         | 2 rlp                    (Error::Rlp)
//!         | 3..=14                   (the other variants, in declaration order)
//! problem = its number (0..=21), then: TooLong/TooFew a u32, OutOfRange two
//!           u64, Address/Amount/Rlp the inner error's number
//! ```
//!
//! Numbers are positions in declaration order (fields: [`Field::ALL`]);
//! integers are big-endian. A reason this host cannot read (a newer
//! device) decodes to `None`.

use super::apdu::Response;
use super::request::RequestError;
use crate::address::AddressError;
use crate::amount::AmountError;
use crate::error::{Error, Field, JsonError, Location, Problem};
use crate::rlp::RlpError;

const HEADER: u8 = 1;
const CORE: u8 = 2;

const RLP: [RlpError; 15] = [
    RlpError::UnexpectedEnd,
    RlpError::TrailingBytes,
    RlpError::NonCanonicalLength,
    RlpError::NonCanonicalSingleByte,
    RlpError::LeadingZero,
    RlpError::IntegerOverflow,
    RlpError::ExpectedString,
    RlpError::ExpectedList,
    RlpError::TooFewItems,
    RlpError::TooManyItems,
    RlpError::InvalidBool,
    RlpError::WrongLength,
    RlpError::InvalidUtf8,
    RlpError::ListLengthMismatch,
    RlpError::DanglingPlaceholder,
];

const ADDRESS: [AddressError; 4] = [
    AddressError::MissingPrefix,
    AddressError::Length,
    AddressError::NotHex,
    AddressError::Checksum,
];

const AMOUNT: [AmountError; 4] = [
    AmountError::Empty,
    AmountError::NotDecimal,
    AmountError::LeadingZero,
    AmountError::Overflow,
];

/// The error variants without data, from number 3 on.
const SIMPLE: [Error; 12] = [
    Error::NotInScheme,
    Error::LegacySignatureInNativeBody,
    Error::UnknownOperation,
    Error::WrongDomain,
    Error::BufferTooSmall,
    Error::InvalidRecoveryId,
    Error::SignatureScalarOutOfRange,
    Error::HighS,
    Error::RecoveryFailed,
    Error::SignerMismatch,
    Error::SigningFailed,
    Error::InvalidSecretKey,
];

/// The problems without data, by number (`None` where the number has
/// data).
const PROBLEMS: [Option<Problem>; 19] = [
    Some(Problem::Empty),
    None, // TooLong
    None, // TooFew
    Some(Problem::NotAlphanumeric),
    Some(Problem::UnsafeCharacter),
    Some(Problem::ControlCharacter),
    Some(Problem::InvalidCharacter),
    Some(Problem::NotAUrl),
    None, // OutOfRange
    Some(Problem::Zero),
    Some(Problem::ZeroAddress),
    Some(Problem::UnknownVariant),
    Some(Problem::InvalidHex),
    Some(Problem::InvalidPublicKey),
    Some(Problem::Duplicate),
    Some(Problem::NotAscending),
    Some(Problem::Mismatch),
    Some(Problem::SumOverflow),
    Some(Problem::TooLarge),
];
const PROBLEM_ADDRESS: u8 = 19;
const PROBLEM_AMOUNT: u8 = 20;
const PROBLEM_RLP: u8 = 21;

fn rlp_number(e: RlpError) -> u8 {
    match e {
        RlpError::UnexpectedEnd => 0,
        RlpError::TrailingBytes => 1,
        RlpError::NonCanonicalLength => 2,
        RlpError::NonCanonicalSingleByte => 3,
        RlpError::LeadingZero => 4,
        RlpError::IntegerOverflow => 5,
        RlpError::ExpectedString => 6,
        RlpError::ExpectedList => 7,
        RlpError::TooFewItems => 8,
        RlpError::TooManyItems => 9,
        RlpError::InvalidBool => 10,
        RlpError::WrongLength => 11,
        RlpError::InvalidUtf8 => 12,
        RlpError::ListLengthMismatch => 13,
        RlpError::DanglingPlaceholder => 14,
    }
}

fn field_number(field: Field) -> u8 {
    // Field::ALL holds every field once; fewer than 256 of them.
    Field::ALL
        .iter()
        .position(|f| *f == field)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

/// Writes `reason` as bytes into `out` (as much as fits: a response buffer
/// of [`super::MAX_RESPONSE_LEN`] always holds all of it, at most 24
/// bytes).
pub fn write_reason(reason: &RequestError, out: &mut Response<'_>) {
    let mut buf = [0u8; 32];
    let mut w = Writer {
        buf: &mut buf,
        len: 0,
    };
    match reason {
        RequestError::Truncated => w.put(&[HEADER, 1]),
        RequestError::UnknownScheme => w.put(&[HEADER, 2]),
        RequestError::UnknownDescriptor => w.put(&[HEADER, 3]),
        // A device answers a bad path with Status::InvalidPath instead,
        // without data.
        RequestError::Path(_) => {}
        RequestError::Core(e) => {
            w.put(&[CORE]);
            write_error(e, &mut w);
        }
    }
    let len = w.len;
    let _ = out.push(buf.get(..len).unwrap_or(&[]));
}

struct Writer<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl Writer<'_> {
    fn put(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(bytes);
            self.len = end;
        }
    }
}

fn write_error(e: &Error, w: &mut Writer<'_>) {
    match e {
        Error::Invalid { at, problem } => {
            w.put(&[0, field_number(at.field)]);
            match at.index {
                Some(i) => {
                    w.put(&[1]);
                    w.put(&i.to_be_bytes());
                }
                None => w.put(&[0]),
            }
            write_problem(problem, w);
        }
        Error::Json(_) => w.put(&[1]),
        Error::Rlp(r) => w.put(&[2, rlp_number(*r)]),
        Error::NotInScheme => w.put(&[3]),
        Error::LegacySignatureInNativeBody => w.put(&[4]),
        Error::UnknownOperation => w.put(&[5]),
        Error::WrongDomain => w.put(&[6]),
        Error::BufferTooSmall => w.put(&[7]),
        Error::InvalidRecoveryId => w.put(&[8]),
        Error::SignatureScalarOutOfRange => w.put(&[9]),
        Error::HighS => w.put(&[10]),
        Error::RecoveryFailed => w.put(&[11]),
        Error::SignerMismatch => w.put(&[12]),
        Error::SigningFailed => w.put(&[13]),
        Error::InvalidSecretKey => w.put(&[14]),
    }
}

fn saturating_u32(n: usize) -> [u8; 4] {
    u32::try_from(n).unwrap_or(u32::MAX).to_be_bytes()
}

fn write_problem(problem: &Problem, w: &mut Writer<'_>) {
    let number: u8 = match problem {
        Problem::Empty => 0,
        Problem::TooLong { max } => {
            w.put(&[1]);
            return w.put(&saturating_u32(*max));
        }
        Problem::TooFew { min } => {
            w.put(&[2]);
            return w.put(&saturating_u32(*min));
        }
        Problem::NotAlphanumeric => 3,
        Problem::UnsafeCharacter => 4,
        Problem::ControlCharacter => 5,
        Problem::InvalidCharacter => 6,
        Problem::NotAUrl => 7,
        Problem::OutOfRange { min, max } => {
            w.put(&[8]);
            w.put(&min.to_be_bytes());
            return w.put(&max.to_be_bytes());
        }
        Problem::Zero => 9,
        Problem::ZeroAddress => 10,
        Problem::UnknownVariant => 11,
        Problem::InvalidHex => 12,
        Problem::InvalidPublicKey => 13,
        Problem::Duplicate => 14,
        Problem::NotAscending => 15,
        Problem::Mismatch => 16,
        Problem::SumOverflow => 17,
        Problem::TooLarge => 18,
        Problem::Address(a) => {
            let inner = match a {
                AddressError::MissingPrefix => 0,
                AddressError::Length => 1,
                AddressError::NotHex => 2,
                AddressError::Checksum => 3,
            };
            return w.put(&[PROBLEM_ADDRESS, inner]);
        }
        Problem::Amount(a) => {
            let inner = match a {
                AmountError::Empty => 0,
                AmountError::NotDecimal => 1,
                AmountError::LeadingZero => 2,
                AmountError::Overflow => 3,
            };
            return w.put(&[PROBLEM_AMOUNT, inner]);
        }
        Problem::Rlp(r) => return w.put(&[PROBLEM_RLP, rlp_number(*r)]),
    };
    w.put(&[number]);
}

/// Reads a reason written by [`write_reason`]; `None` unless `bytes` are
/// exactly one reason this core knows. `Error::Json` reads back as
/// `Error::Json(JsonError::Syntax)` (a device never makes one).
pub fn read_reason(bytes: &[u8]) -> Option<RequestError> {
    let mut r = Reader(bytes);
    let reason = match r.byte()? {
        HEADER => match r.byte()? {
            1 => RequestError::Truncated,
            2 => RequestError::UnknownScheme,
            3 => RequestError::UnknownDescriptor,
            _ => return None,
        },
        CORE => RequestError::Core(read_error(&mut r)?),
        _ => return None,
    };
    r.0.is_empty().then_some(reason)
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*b)
    }

    fn array<const K: usize>(&mut self) -> Option<[u8; K]> {
        let (a, rest) = self.0.split_first_chunk::<K>()?;
        self.0 = rest;
        Some(*a)
    }
}

fn read_error(r: &mut Reader<'_>) -> Option<Error> {
    Some(match r.byte()? {
        0 => {
            let field = *Field::ALL.get(usize::from(r.byte()?))?;
            let index = match r.byte()? {
                0 => None,
                1 => Some(u16::from_be_bytes(r.array()?)),
                _ => return None,
            };
            Error::Invalid {
                at: Location { field, index },
                problem: read_problem(r)?,
            }
        }
        1 => Error::Json(JsonError::Syntax),
        2 => Error::Rlp(*RLP.get(usize::from(r.byte()?))?),
        n => *SIMPLE.get(usize::from(n).checked_sub(3)?)?,
    })
}

fn read_problem(r: &mut Reader<'_>) -> Option<Problem> {
    let number = r.byte()?;
    let usize_of = |b: [u8; 4]| usize::try_from(u32::from_be_bytes(b)).ok();
    Some(match number {
        1 => Problem::TooLong {
            max: usize_of(r.array()?)?,
        },
        2 => Problem::TooFew {
            min: usize_of(r.array()?)?,
        },
        8 => Problem::OutOfRange {
            min: u64::from_be_bytes(r.array()?),
            max: u64::from_be_bytes(r.array()?),
        },
        PROBLEM_ADDRESS => Problem::Address(*ADDRESS.get(usize::from(r.byte()?))?),
        PROBLEM_AMOUNT => Problem::Amount(*AMOUNT.get(usize::from(r.byte()?))?),
        PROBLEM_RLP => Problem::Rlp(*RLP.get(usize::from(r.byte()?))?),
        n => (*PROBLEMS.get(usize::from(n))?)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::MAX_RESPONSE_LEN;
    use std::vec::Vec;

    fn round_trip(reason: RequestError) -> Option<RequestError> {
        let mut buf = [0u8; MAX_RESPONSE_LEN];
        let mut out = Response::new(&mut buf);
        write_reason(&reason, &mut out);
        let n = out.finish(super::super::Status::InvalidData);
        let bytes = buf.get(..n - 2).unwrap().to_vec();
        assert!(bytes.len() <= 24, "{reason:?}: {} bytes", bytes.len());
        // Every strict prefix and every extension is refused.
        for cut in 0..bytes.len() {
            assert_eq!(read_reason(&bytes[..cut]), None, "{reason:?} cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(read_reason(&longer), None, "{reason:?} with a byte more");
        read_reason(&bytes)
    }

    fn problems() -> Vec<Problem> {
        let mut all: Vec<Problem> = PROBLEMS.iter().flatten().copied().collect();
        all.extend([
            Problem::TooLong { max: 0 },
            Problem::TooLong { max: 70_000 },
            Problem::TooFew { min: 2 },
            Problem::OutOfRange {
                min: 1,
                max: u64::MAX,
            },
        ]);
        all.extend(ADDRESS.map(Problem::Address));
        all.extend(AMOUNT.map(Problem::Amount));
        all.extend(RLP.map(Problem::Rlp));
        all
    }

    #[test]
    fn every_reason_reads_back_as_itself() {
        let mut count = 0;
        for reason in [
            RequestError::Truncated,
            RequestError::UnknownScheme,
            RequestError::UnknownDescriptor,
        ] {
            assert_eq!(round_trip(reason), Some(reason));
            count += 1;
        }
        for e in SIMPLE.iter().copied().chain(RLP.map(Error::Rlp)) {
            assert_eq!(
                round_trip(RequestError::Core(e)),
                Some(RequestError::Core(e))
            );
            count += 1;
        }
        for &field in Field::ALL {
            for index in [None, Some(0), Some(7), Some(u16::MAX)] {
                for problem in problems() {
                    let e = Error::Invalid {
                        at: Location { field, index },
                        problem,
                    };
                    assert_eq!(
                        round_trip(RequestError::Core(e)),
                        Some(RequestError::Core(e))
                    );
                    count += 1;
                }
            }
        }
        assert!(count > 5_000, "{count}");
    }

    #[test]
    fn the_tables_follow_the_numbers() {
        for (i, e) in RLP.iter().enumerate() {
            assert_eq!(usize::from(rlp_number(*e)), i);
        }
        for (i, p) in PROBLEMS.iter().enumerate() {
            if let Some(p) = p {
                let mut buf = [0u8; 8];
                let mut w = Writer {
                    buf: &mut buf,
                    len: 0,
                };
                write_problem(p, &mut w);
                assert_eq!(usize::from(buf[0]), i, "{p:?}");
            }
        }
        assert!(Field::ALL.len() < 255);
    }

    #[test]
    fn json_errors_and_unknown_bytes() {
        let json = RequestError::Core(Error::Json(JsonError::TooDeep));
        assert_eq!(
            round_trip(json),
            Some(RequestError::Core(Error::Json(JsonError::Syntax)))
        );
        for bad in [
            &[][..],
            &[0],
            &[3],
            &[1, 9],
            &[2, 99],
            &[2, 0, 200, 0, 0],
            &[2, 2, 15],
        ] {
            assert_eq!(read_reason(bad), None, "{bad:?}");
        }
    }
}
