//! RLP written and read from the RLP definition alone.

/// RLP of a byte string.
pub fn rlp_string(bytes: &[u8]) -> Vec<u8> {
    match bytes {
        [b] if *b < 0x80 => vec![*b],
        _ => {
            let mut out = rlp_header(bytes.len(), 0x80);
            out.extend_from_slice(bytes);
            out
        }
    }
}

/// RLP header of a string (`base` 0x80) or list (`base` 0xc0) of `len` bytes.
pub fn rlp_header(len: usize, base: u8) -> Vec<u8> {
    if len <= 55 {
        vec![base + len as u8]
    } else {
        let be = (len as u64).to_be_bytes();
        let skip = be.iter().take_while(|b| **b == 0).count();
        let mut out = vec![base + 55 + (8 - skip) as u8];
        out.extend_from_slice(&be[skip..]);
        out
    }
}

/// RLP of an unsigned integer given big-endian: minimal, zero is `0x80`.
pub fn rlp_uint(be: &[u8]) -> Vec<u8> {
    let skip = be.iter().take_while(|b| **b == 0).count();
    rlp_string(&be[skip..])
}

/// RLP list of already encoded items.
pub fn rlp_list(items: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = items.concat();
    let mut out = rlp_header(body.len(), 0xc0);
    out.extend_from_slice(&body);
    out
}

pub(super) fn rlp_bool(v: bool) -> Vec<u8> {
    if v {
        vec![0x01]
    } else {
        vec![0x80]
    }
}

/// A generic RLP tree, read by a decoder written from the RLP definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rlp {
    /// A byte string.
    Str(Vec<u8>),
    /// A list.
    List(Vec<Rlp>),
}

impl Rlp {
    /// The canonical encoding of the tree.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Rlp::Str(bytes) => rlp_string(bytes),
            Rlp::List(items) => rlp_list(&items.iter().map(Rlp::encode).collect::<Vec<_>>()),
        }
    }

    /// The items of a list (panics on a string: only for trees the core wrote).
    pub fn items(&self) -> &[Rlp] {
        match self {
            Rlp::List(items) => items,
            Rlp::Str(_) => panic!("expected an RLP list, found a string"),
        }
    }

    /// The bytes of a string (panics on a list).
    pub fn bytes(&self) -> &[u8] {
        match self {
            Rlp::Str(bytes) => bytes,
            Rlp::List(_) => panic!("expected an RLP string, found a list"),
        }
    }
}

/// Reads one item of any (even non-canonical) well-formed RLP; returns the
/// tree and the rest. `None` if the input is not well-formed.
pub fn rlp_parse(input: &[u8]) -> Option<(Rlp, &[u8])> {
    let (&first, rest) = input.split_first()?;
    let (is_list, len, body) = match first {
        0x00..=0x7f => return Some((Rlp::Str(vec![first]), rest)),
        0x80..=0xb7 => (false, usize::from(first - 0x80), rest),
        0xc0..=0xf7 => (true, usize::from(first - 0xc0), rest),
        _ => {
            let (is_list, n) = if first < 0xc0 {
                (false, usize::from(first - 0xb7))
            } else {
                (true, usize::from(first - 0xf7))
            };
            if rest.len() < n || n > 8 {
                return None;
            }
            let len = rest[..n]
                .iter()
                .fold(0u128, |acc, b| acc * 256 + u128::from(*b));
            (is_list, usize::try_from(len).ok()?, &rest[n..])
        }
    };
    if body.len() < len {
        return None;
    }
    let (payload, after) = body.split_at(len);
    if !is_list {
        return Some((Rlp::Str(payload.to_vec()), after));
    }
    let mut items = Vec::new();
    let mut rest = payload;
    while !rest.is_empty() {
        let (item, next) = rlp_parse(rest)?;
        items.push(item);
        rest = next;
    }
    Some((Rlp::List(items), after))
}

/// Asserts that `bytes` are exactly one item of canonical RLP: read
/// leniently, then written canonically, they are the same bytes.
pub fn assert_canonical_rlp(bytes: &[u8], what: &str) -> Rlp {
    let Some((tree, rest)) = rlp_parse(bytes) else {
        panic!("{what}: not well-formed RLP: {bytes:02x?}")
    };
    assert!(rest.is_empty(), "{what}: bytes after the RLP item");
    assert_eq!(tree.encode(), bytes, "{what}: RLP is not canonical");
    tree
}
