//! The RLP decoders are strict for every operation, at every item: each
//! item of a valid encoding (the legacy signed bytes, v2 `payload_rlp`, the
//! unsigned and signed envelopes), re-encoded in a non-canonical form (a
//! long-form header for a short length, a length with a leading zero byte,
//! a single byte below 0x80 wrapped in a header), makes the decoder refuse
//! the whole with that precise cause. Whatever else is wrong, a decoder
//! never accepts an encoding the encoder would not write (the property
//! tests check that acceptance implies re-encoding to the same bytes). The
//! device's in-place decoders give exactly the by-value ones' answers.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use tokensign_core::{legacy, native, Error, OpType, Problem, RlpError, Transaction};
use tokensign_tests::{rlp, strategies};

/// An RLP item, parsed independently of the core (from canonical input).
#[derive(Clone, Debug)]
enum Node {
    Str(Vec<u8>),
    List(Vec<Node>),
}

fn be(len: usize) -> Vec<u8> {
    let b = len.to_be_bytes();
    b[b.iter().take_while(|x| **x == 0).count()..].to_vec()
}

fn parse(input: &[u8]) -> (Node, &[u8]) {
    let first = input[0];
    let (list, len, body) = match first {
        0x00..=0x7f => return (Node::Str(vec![first]), &input[1..]),
        0x80..=0xb7 => (false, usize::from(first - 0x80), &input[1..]),
        0xb8..=0xbf => {
            let n = usize::from(first - 0xb7);
            let len = input[1..1 + n]
                .iter()
                .fold(0usize, |l, b| l * 256 + usize::from(*b));
            (false, len, &input[1 + n..])
        }
        0xc0..=0xf7 => (true, usize::from(first - 0xc0), &input[1..]),
        0xf8..=0xff => {
            let n = usize::from(first - 0xf7);
            let len = input[1..1 + n]
                .iter()
                .fold(0usize, |l, b| l * 256 + usize::from(*b));
            (true, len, &input[1 + n..])
        }
    };
    let (payload, rest) = body.split_at(len);
    if !list {
        return (Node::Str(payload.to_vec()), rest);
    }
    let mut items = Vec::new();
    let mut p = payload;
    while !p.is_empty() {
        let (node, r) = parse(p);
        items.push(node);
        p = r;
    }
    (Node::List(items), rest)
}

/// How one item is written non-canonically.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Bad {
    /// A long-form header (for a long length: with a leading zero byte).
    LongForm,
    /// A single byte below 0x80 as a one-byte string.
    WrappedByte,
}

fn header(list: bool, len: usize, bad: Option<Bad>, out: &mut Vec<u8>) {
    let (short, long) = if list { (0xc0u8, 0xf7u8) } else { (0x80, 0xb7) };
    match bad {
        Some(Bad::LongForm) => {
            let mut l = be(len);
            if len > 55 || l.is_empty() {
                l.insert(0, 0);
            }
            out.push(long + l.len() as u8);
            out.extend(l);
        }
        _ if len <= 55 => out.push(short + len as u8),
        _ => {
            let l = be(len);
            out.push(long + l.len() as u8);
            out.extend(l);
        }
    }
}

/// Writes `node`; the item numbered `target` (in pre-order) badly.
fn write(node: &Node, target: usize, bad: Bad, counter: &mut usize, out: &mut Vec<u8>) {
    let me = *counter;
    *counter += 1;
    let this = (me == target).then_some(bad);
    match node {
        Node::Str(b) if b.len() == 1 && b[0] < 0x80 && this.is_none() => out.push(b[0]),
        Node::Str(b) => {
            header(false, b.len(), this, out);
            out.extend(b);
        }
        Node::List(items) => {
            let mut body = Vec::new();
            for item in items {
                write(item, target, bad, counter, &mut body);
            }
            header(true, body.len(), this, out);
            out.extend(body);
        }
    }
}

fn count(node: &Node) -> usize {
    match node {
        Node::Str(_) => 1,
        Node::List(items) => 1 + items.iter().map(count).sum::<usize>(),
    }
}

fn rlp_cause(e: &Error) -> Option<RlpError> {
    match e {
        Error::Rlp(r) => Some(*r),
        Error::Invalid {
            problem: Problem::Rlp(r),
            ..
        } => Some(*r),
        _ => None,
    }
}

/// Every item of `bytes` written badly, each refused by `decode` with the
/// matching cause; returns how many variants were checked.
fn check(bytes: &[u8], what: &str, decode: &dyn Fn(&[u8]) -> Result<(), Error>) -> usize {
    assert_eq!(decode(bytes), Ok(()), "{what}: the valid encoding");
    let (tree, rest) = parse(bytes);
    assert!(rest.is_empty());
    let mut counter = 0;
    let mut again = Vec::new();
    write(&tree, usize::MAX, Bad::LongForm, &mut counter, &mut again);
    assert_eq!(
        again, bytes,
        "{what}: the independent parser and writer round-trip"
    );
    let mut checked = 0;
    for target in 0..count(&tree) {
        for bad in [Bad::LongForm, Bad::WrappedByte] {
            let mut out = Vec::new();
            let mut counter = 0;
            write(&tree, target, bad, &mut counter, &mut out);
            if out == bytes {
                continue; // WrappedByte of an item that is not a small byte
            }
            let expected = match bad {
                Bad::LongForm => RlpError::NonCanonicalLength,
                Bad::WrappedByte => RlpError::NonCanonicalSingleByte,
            };
            let got = decode(&out);
            assert_eq!(
                got.as_ref().err().and_then(rlp_cause),
                Some(expected),
                "{what}: item {target} {bad:?}: {got:?}"
            );
            checked += 1;
        }
    }
    checked
}

/// An in-place decode agrees with the by-value one: the same error, or the
/// same transaction in the slot.
fn same(
    by_value: &Result<Transaction, Error>,
    in_place: Result<(), Error>,
    slot: &Transaction,
    bytes: &[u8],
) {
    match by_value {
        Ok(tx) => {
            assert_eq!(in_place, Ok(()), "{}", hex::encode(bytes));
            assert_eq!(slot, tx, "{}", hex::encode(bytes));
        }
        Err(e) => assert_eq!(in_place.as_ref(), Err(e), "{}", hex::encode(bytes)),
    }
}

#[test]
fn every_item_of_every_encoding_must_be_canonical() {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[13; 32]),
    );
    let mut total = 0;
    let slot = std::cell::RefCell::new(Transaction::<256, 32>::new(
        1,
        1,
        tokensign_core::tx::Payment::default(),
    ));
    for &op in OpType::ALL {
        let txs = strategies::transaction_for::<256, 32>(op);
        let auths = strategies::authorization();
        for i in 0..8 {
            let tx: Transaction = txs.new_tree(&mut runner).unwrap().current();
            let auth = auths.new_tree(&mut runner).unwrap().current();
            let what = format!("{op} #{i}");
            // The in-place decoders (the device's) give the same result
            // and the same error as the by-value ones, into a slot that
            // still holds whatever the previous decode (of any operation,
            // valid or refused) left there.
            if legacy::supports(op) {
                let bytes = rlp(&legacy::signed_value(&tx).unwrap());
                total += check(&bytes, &format!("{what} legacy"), &|b| {
                    let by_value = legacy::decode_signed_value::<256, 32>(op, b);
                    let mut slot = slot.borrow_mut();
                    let in_place = legacy::decode_signed_value_into(op, b, &mut *slot);
                    same(&by_value, in_place, &slot, b);
                    by_value.map(|_| ())
                });
            }
            let bytes = rlp(&native::payload_rlp(&tx));
            total += check(&bytes, &format!("{what} payload_rlp"), &|b| {
                let by_value = native::decode_payload_rlp::<256, 32>(op, b);
                let mut slot = slot.borrow_mut();
                let in_place = native::decode_payload_rlp_into(op, b, &mut *slot);
                same(&by_value, in_place, &slot, b);
                by_value.map(|_| ())
            });
            let bytes = rlp(&native::unsigned(&tx, auth.descriptor()));
            total += check(&bytes, &format!("{what} unsigned"), &|b| {
                native::decode_unsigned::<256, 32>(b).map(|_| ())
            });
            let bytes = rlp(&native::signed(&tx, &auth));
            total += check(&bytes, &format!("{what} signed"), &|b| {
                native::decode_signed::<256, 32>(b).map(|_| ())
            });
        }
    }
    assert!(total > 5_000, "only {total} variants");
}
