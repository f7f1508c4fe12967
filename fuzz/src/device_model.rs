//! A model of the device protocol (version 2) as `core/src/device/mod.rs`
//! documents it: what each command must answer, written from the
//! documentation (command layout, sign request layout, binary paths, the
//! order of the checks), not from the handlers. The transaction decoders
//! and BIP-32 derivation it relies on are the core's (fuzzed and tested on
//! their own).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use tokensign_core::device::{RequestError, Status, CLA};
use tokensign_core::hd::{self, DerivationPath, Mnemonic, HARDENED};
use tokensign_core::native::{self, Descriptor};
use tokensign_core::SigningKey;
use tokensign_core::{legacy, Address, Error, OpType, Scheme, Transaction};

use crate::invariants::write_json;

/// The transactions the device holds: its default capacities.
pub type DeviceTx = Transaction<
    { tokensign_core::device::DEVICE_BATCH_OPERATIONS },
    { tokensign_core::device::DEVICE_METADATA_ENTRIES },
>;

/// The device's request buffer in the target: room for every operation
/// with short lists, small enough that `TooLarge` is easy to reach.
pub const DEVICE_BUFFER: usize = 1024;

/// The test mnemonic (anvil's; never a real one).
pub const MNEMONIC: &str = "test test test test test test test test test test test junk";

/// The seed of [`MNEMONIC`] (PBKDF2 once per process).
pub fn seed_bytes() -> &'static [u8; 64] {
    static SEED: OnceLock<[u8; 64]> = OnceLock::new();
    SEED.get_or_init(|| {
        let seed = Mnemonic::parse(MNEMONIC)
            .expect("the test mnemonic")
            .to_seed("")
            .expect("a seed");
        *seed.as_bytes()
    })
}

/// What the device answers about a path's key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyInfo {
    /// The address.
    pub address: Address,
    /// The compressed public key.
    pub public_key: [u8; 33],
}

type KeyCache = HashMap<Vec<u32>, Option<(KeyInfo, SigningKey)>>;

/// The key of a path (BIP-32 from the test seed), derived once per process
/// (derivation under the fuzzer's instrumentation takes milliseconds);
/// `None` if derivation fails (an invalid child: never seen in practice).
pub fn signing_key_of(indices: &[u32]) -> Option<(KeyInfo, SigningKey)> {
    static CACHE: OnceLock<Mutex<KeyCache>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(known) = cache.lock().expect("cache").get(indices) {
        return known.clone();
    }
    let derived = DerivationPath::from_indices(indices)
        .ok()
        .and_then(|path| hd::derive_signing_key(seed_bytes(), &path).ok())
        .map(|key| {
            let info = KeyInfo {
                address: key.address(),
                public_key: key.public_key_compressed(),
            };
            (info, key)
        });
    cache
        .lock()
        .expect("cache")
        .insert(indices.to_vec(), derived.clone());
    derived
}

/// What the device answers about the key of a path ([`signing_key_of`]).
pub fn key_of(indices: &[u32]) -> Option<KeyInfo> {
    signing_key_of(indices).map(|(info, _)| info)
}

/// The binary path `depth | index (4, big-endian) × depth` of `prefix`,
/// then, if given, m/44'/60'/0'/0/`index` (when `prefix` is empty).
pub fn path_bytes(prefix: &[u32], index: Option<u8>) -> Vec<u8> {
    let mut indices = prefix.to_vec();
    if let Some(i) = index {
        indices.extend([44 | HARDENED, 60 | HARDENED, HARDENED, 0, u32::from(i)]);
    }
    let mut out = vec![u8::try_from(indices.len()).expect("short path")];
    for i in indices {
        out.extend(i.to_be_bytes());
    }
    out
}

/// A binary path read as the documentation gives it: a depth of at most
/// `MAX_PATH_DEPTH`, then that many 4-byte indices; the rest follows.
fn split_path(bytes: &[u8]) -> Option<(Vec<u32>, &[u8])> {
    let (&depth, rest) = bytes.split_first()?;
    let depth = usize::from(depth);
    if depth > hd::MAX_PATH_DEPTH || rest.len() < 4 * depth {
        return None;
    }
    let (steps, tail) = rest.split_at(4 * depth);
    let indices = steps
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes(c.try_into().expect("4 bytes")))
        .collect();
    Some((indices, tail))
}

/// A sign request's header, by its parts (the fuzz input's view).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestParts {
    /// The scheme byte (1 legacy, 2 native; anything else is refused).
    pub scheme: u8,
    /// The operation byte.
    pub op: u8,
    /// A multisig account (descriptor 1) or none (descriptor 0); given as
    /// bytes, possibly short.
    pub account: Option<Vec<u8>>,
    /// The account index of the path m/44'/60'/0'/0/i.
    pub path_index: u8,
}

/// The header bytes of a sign request, as the documentation lays them out.
pub fn request_header(parts: &RequestParts) -> Vec<u8> {
    let mut out = vec![parts.scheme, parts.op];
    match &parts.account {
        None => out.push(0),
        Some(account) => {
            out.push(1);
            out.extend(account);
        }
    }
    out.extend(path_bytes(&[], Some(parts.path_index)));
    out
}

/// A sign request the device must sign (if the user approves).
#[derive(Clone, Debug)]
pub struct SignExpect {
    /// The scheme.
    pub scheme: Scheme,
    /// Single signer or multisig member.
    pub descriptor: Descriptor,
    /// The key's path.
    pub path: Vec<u32>,
    /// The transaction.
    pub tx: DeviceTx,
    /// Its signing document (what the review must show).
    pub document: Vec<u8>,
    /// The digest to sign.
    pub signing_hash: [u8; 32],
}

/// What the model expects a command to answer.
#[derive(Clone, Debug)]
pub enum Expect {
    /// This status and no data.
    Status(Status),
    /// `Ok` with the protocol version (or too small).
    Version,
    /// The address (or public key) of a path, confirmed first if asked.
    Key {
        /// The path.
        path: Vec<u32>,
        /// GET_PUBLIC_KEY rather than GET_ADDRESS.
        public_key: bool,
        /// P1_CONFIRM.
        confirm: bool,
    },
    /// `InvalidData` with (a prefix of) this reason.
    Invalid(String),
    /// A transaction to review and sign.
    Sign(Box<SignExpect>),
    /// A wallet command on a fixed-seed device: GET_STATE answers (unless
    /// its arguments are wrong); every other one is refused, by its
    /// arguments, with `NoStorage`, or (a definition: it trusts no signer)
    /// by the wallet's state or `DefinitionRefused`, and changes nothing.
    WalletOnFixed {
        /// GET_STATE.
        get_state: bool,
    },
}

/// The protocol's state: the bytes of the sign request being received.
#[derive(Debug, Default)]
pub struct Model {
    /// The request received so far, while a sign is pending.
    pub pending: Option<Vec<u8>>,
}

impl Model {
    /// The answer to one command APDU. Every request but a continuation
    /// chunk ends a pending sign.
    pub fn step(&mut self, apdu: &[u8]) -> Expect {
        let pending = self.pending.take();
        let Some((&[cla, ins, p1, p2, lc], data)) = apdu.split_first_chunk::<5>() else {
            return Expect::Status(Status::WrongLength);
        };
        if cla != CLA {
            return Expect::Status(Status::ClaNotSupported);
        }
        if usize::from(lc) != data.len() {
            return Expect::Status(Status::WrongLength);
        }
        match ins {
            0x01 => {
                if (p1, p2) != (0, 0) {
                    Expect::Status(Status::WrongP1P2)
                } else if !data.is_empty() {
                    Expect::Status(Status::WrongLength)
                } else {
                    Expect::Version
                }
            }
            0x02 | 0x04 => {
                let allowed_p1: &[u8] = if ins == 0x02 { &[0, 1] } else { &[0] };
                if p2 != 0 || !allowed_p1.contains(&p1) {
                    return Expect::Status(Status::WrongP1P2);
                }
                match split_path(data) {
                    Some((path, [])) => Expect::Key {
                        path,
                        public_key: ins == 0x04,
                        confirm: p1 == 1,
                    },
                    _ => Expect::Status(Status::InvalidPath),
                }
            }
            0x05 => self.sign(p1, p2, data, pending),
            // The wallet's set-up commands and PROVIDE_DEFINITION, on this
            // target's fixed-seed device (device_setup fuzzes them on a
            // wallet with storage).
            0x06..=0x0E => Expect::WalletOnFixed {
                get_state: ins == 0x06,
            },
            _ => Expect::Status(Status::InsNotSupported),
        }
    }

    fn sign(&mut self, p1: u8, p2: u8, data: &[u8], pending: Option<Vec<u8>>) -> Expect {
        let last = match p2 {
            0 => false,
            1 => true,
            _ => return Expect::Status(Status::WrongP1P2),
        };
        let mut buffer = match (p1, pending) {
            (0, _) => Vec::new(),
            (1, Some(buffer)) => buffer,
            (1, None) => return Expect::Status(Status::WrongState),
            _ => return Expect::Status(Status::WrongP1P2),
        };
        if buffer.len() + data.len() > DEVICE_BUFFER {
            return Expect::Status(Status::TooLarge);
        }
        buffer.extend_from_slice(data);
        if !last {
            self.pending = Some(buffer);
            return Expect::Status(Status::Ok);
        }
        request(&buffer)
    }
}

fn refused(e: RequestError) -> Expect {
    Expect::Invalid(e.to_string())
}

/// A whole sign request: the header's checks in the documented order, then
/// the transaction's.
fn request(bytes: &[u8]) -> Expect {
    let Some((&scheme, rest)) = bytes.split_first() else {
        return refused(RequestError::Truncated);
    };
    let scheme = match scheme {
        1 => Scheme::Legacy,
        2 => Scheme::Native,
        _ => return refused(RequestError::UnknownScheme),
    };
    let Some((&op, rest)) = rest.split_first() else {
        return refused(RequestError::Truncated);
    };
    let Some(op) = OpType::from_number(u64::from(op)) else {
        return refused(RequestError::Core(Error::UnknownOperation));
    };
    if scheme == Scheme::Legacy && op.v1_path().is_none() {
        return refused(RequestError::Core(Error::NotInScheme));
    }
    let Some((&descriptor, rest)) = rest.split_first() else {
        return refused(RequestError::Truncated);
    };
    let (descriptor, rest) = match (descriptor, scheme) {
        (0, _) => (Descriptor::Single, rest),
        (1, Scheme::Native) => match rest.split_first_chunk::<20>() {
            Some((account, rest)) => (Descriptor::Multisig(Address(*account)), rest),
            None => return refused(RequestError::Truncated),
        },
        _ => return refused(RequestError::UnknownDescriptor),
    };
    let Some((path, payload)) = split_path(rest) else {
        return Expect::Status(Status::InvalidPath);
    };
    let decoded = match scheme {
        Scheme::Legacy => legacy::decode_signed_value(op, payload),
        Scheme::Native => native::decode_payload_rlp(op, payload),
    };
    let tx: DeviceTx = match decoded.and_then(|tx: DeviceTx| tx.check().map(|()| tx)) {
        Ok(tx) => tx,
        Err(e) => return Expect::Invalid(e.to_string()),
    };
    let signing_hash = match (scheme, descriptor) {
        (Scheme::Legacy, _) => legacy::signing_hash(&tx).expect("a v1 operation"),
        (Scheme::Native, d) => native::signing_hash(&tx, d),
    };
    let document = device_document(&tx);
    Expect::Sign(Box::new(SignExpect {
        scheme,
        descriptor,
        path,
        tx,
        document,
        signing_hash,
    }))
}

/// A transaction's signing document (its JSON with the operation's name):
/// how the approver records what it was shown.
pub fn device_document<const B: usize, const M: usize>(tx: &Transaction<B, M>) -> Vec<u8> {
    write_json(
        tokensign_core::json::max_document_len::<B, M>(),
        "write_document",
        |b| tokensign_core::json::write_document(tx, b),
    )
}
