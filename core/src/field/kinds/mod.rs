//! The field kinds: how each kind of value is written and read in RLP and
//! JSON, shown, and described ([`FieldValue::SCHEMA`](super::FieldValue::SCHEMA)).
//!
//! - `numbers.rs`: `u64`, `u8`, `u16`, `bool`;
//! - `values.rs`: addresses, amounts, texts;
//! - `binary.rs`: [`Bytes`], [`B256`], [`KeyAsIntegers`];
//! - `containers.rs`: `Option<T>` and `heapless::Vec<T, N>`.

mod binary;
mod containers;
mod numbers;
mod values;

pub use binary::{Bytes, KeyAsIntegers, B256};

use crate::error::{Error, Location, Problem};
use crate::rlp::RlpError;

/// An RLP error of the value at `at`.
fn rlp_err(at: Location) -> impl Fn(RlpError) -> Error {
    move |e| Error::Invalid {
        at,
        problem: Problem::Rlp(e),
    }
}

/// A value error at `at`.
fn invalid(at: Location) -> impl Fn(Problem) -> Error {
    move |problem| Error::Invalid { at, problem }
}
