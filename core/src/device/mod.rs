//! The hardware-wallet protocol: APDU commands in checksummed frames over
//! any byte stream, and the device's state machine. Protocol version 5
//! ([`PROTOCOL_VERSION`]).
//!
//! # Frames ([`frame`])
//!
//! `0xA5 | kind | len_hi len_lo | payload | crc_hi crc_lo` (CRC-16/CCITT-FALSE
//! over kind, length and payload; payload at most [`MAX_FRAME_PAYLOAD`]).
//! Kinds: [`FRAME_REQUEST`] (one command APDU), [`FRAME_RESPONSE`] (one
//! response APDU, exactly one per request), [`FRAME_DISPLAY`] (one review
//! page as shown, UTF-8, sent before a response that needed the user).
//!
//! # Commands ([`apdu`])
//!
//! `CLA INS P1 P2 Lc data` with `CLA` = [`CLA`]; response `data SW1 SW2`.
//!
//! | INS | instruction | P1 | P2 | data in | data out |
//! |---|---|---|---|---|---|
//! | 0x01 | [`Instruction::GetVersion`] | 0 | 0 | – | protocol version (1 byte), the core's version as ASCII |
//! | 0x02 | [`Instruction::GetAddress`] | [`P1_SILENT`] / [`P1_CONFIRM`] | 0 | path | 20-byte address (after the user confirms it, with `P1_CONFIRM`) |
//! | 0x04 | [`Instruction::GetPublicKey`] | 0 | 0 | path | 33-byte compressed public key |
//! | 0x05 | [`Instruction::Sign`] | [`P1_FIRST`] / [`P1_NEXT`] | [`P2_MORE`] / [`P2_LAST`] | a chunk of the sign request ([`request`]) | on the last chunk: `v` (1) `r` (32) `s` (32) signing hash (32) |
//!
//! A path is `depth (1) | index (4, big-endian, hardened bit 0x80000000)
//! × depth`, depth at most [`crate::hd::MAX_PATH_DEPTH`]; a bad one is
//! [`Status::InvalidPath`]. `INS` 0x10..=0x1F are the firmware's.
//!
//! Signing: the request (scheme, operation, descriptor, path, then the
//! transaction's RLP: legacy's signed bytes, native's `payload_rlp`)
//! arrives in chunks into the device's buffer of `N` bytes. On the last
//! chunk the device decodes the transaction strictly, checks every rule,
//! shows the [`Review`] to its [`Approver`], and if approved signs with the
//! key of the path (derived from the seed, kept for the next request on the
//! same path). The signing hash is computed from the transaction's bytes
//! as sent (the strict decoder accepts only the canonical encoding of what
//! is shown) and answered with the signature; the transaction hash, which
//! covers the signature, is the host's to compute (it has the same core).
//! Every request that is not a
//! `P1_NEXT` chunk of a pending sign ends that sign: state resets on each
//! new request.

pub mod apdu;
pub mod frame;
mod handlers;
pub mod keys;
pub mod offer;
pub mod prompt;
pub mod reason;
pub mod request;
pub mod setup;
pub mod wallet;

use crate::address::Address;
use crate::hd::{DerivationPath, Seed};
use crate::review::Review;
use crate::signature::Signature;
use crate::tx::Transaction;

pub use apdu::{
    encode_command, split_response, status_text, Command, Instruction, Response, Status,
    APDU_HEADER_LEN, CLA, INS_FIRMWARE_FIRST, INS_FIRMWARE_LAST, MAX_COMMAND_LEN, P1_CONFIRM,
    P1_FIRST, P1_NEXT, P1_SILENT, P2_LAST, P2_MORE,
};
pub use frame::{
    crc16, encode_frame, Decoded, FrameDecoder, FRAME_DISPLAY, FRAME_OVERHEAD, FRAME_REQUEST,
    FRAME_RESPONSE, FRAME_SYNC, MAX_FRAME_PAYLOAD,
};
pub use keys::Keys;
pub use prompt::{Prompt, WordPages, MAX_PROMPT_LEN};
pub use reason::{read_reason, write_reason};
pub use request::{encode_sign_header, parse_sign_request, RequestError, SignHeader};
pub use wallet::{
    Entropy, EntropyError, NoStorage, Pin, Platform, RamStorage, Region, Storage, StorageError,
    Wallet, WalletError, WalletState, MAX_PIN_ATTEMPTS,
};

/// Version of this protocol, the first byte of GET_VERSION's answer.
///
/// 5: PROVIDE_DEFINITION (`0x0E`, [`offer`]) and its refusal status
/// `0x6A8B` with a cause byte; a firmware built without the core's
/// `device-definitions` feature answers it "instruction not supported".
/// 4: the signing hash is computed from the request's transaction bytes as
/// sent, never from a re-encoding. 3: the wallet's set-up instructions.
pub const PROTOCOL_VERSION: u8 = 5;

/// Length of a signature answer: `v r s` and a hash.
pub const SIGN_RESPONSE_LEN: usize = 1 + 32 + 32 + 32;
/// A response buffer of this size holds every answer of the core.
pub const MAX_RESPONSE_LEN: usize = 256 + 2;

/// BatchPayment entries a device holds by default (a firmware may choose
/// other capacities through [`Device`]'s parameters).
pub const DEVICE_BATCH_OPERATIONS: usize = 16;
/// TokenMetadata entries a device holds by default.
pub const DEVICE_METADATA_ENTRIES: usize = 8;

/// The user's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Approval {
    /// Go on (sign, or answer the address).
    Approve,
    /// Stop; the host gets [`Status::Denied`].
    Reject,
}

/// Shows what the user must judge and returns the decision. The firmware
/// implements it (screen and buttons); tests approve automatically.
pub trait Approver {
    /// Shows a transaction's review (usually as [`Review::pages`]) and asks
    /// whether to sign it.
    fn approve<const B: usize, const M: usize>(&mut self, review: &Review<'_, B, M>) -> Approval;

    /// Shows an address and its path and asks the user to confirm that it
    /// is the one the host shows.
    fn confirm_address(&mut self, path: &DerivationPath, address: &Address) -> Approval;

    /// Shows a set-up question (one page, [`Prompt::write_to`]) and asks
    /// the person to confirm it. Refuses unless implemented.
    fn confirm(&mut self, prompt: &Prompt) -> Approval {
        let _ = prompt;
        Approval::Reject
    }

    /// Shows a new seed's words page by page on the device's own screen,
    /// never sending them anywhere; `Reject` if the person cancels.
    /// Refuses unless implemented.
    fn show_words(&mut self, words: &WordPages<'_>) -> Approval {
        let _ = words;
        Approval::Reject
    }
}

impl<A: Approver + ?Sized> Approver for &mut A {
    fn approve<const B: usize, const M: usize>(&mut self, review: &Review<'_, B, M>) -> Approval {
        (**self).approve(review)
    }
    fn confirm_address(&mut self, path: &DerivationPath, address: &Address) -> Approval {
        (**self).confirm_address(path, address)
    }
    fn confirm(&mut self, prompt: &Prompt) -> Approval {
        (**self).confirm(prompt)
    }
    fn show_words(&mut self, words: &WordPages<'_>) -> Approval {
        (**self).show_words(words)
    }
}

/// Where a device is in the protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Waiting for a command.
    Idle,
    /// A sign request is being received: this many bytes so far.
    Receiving(usize),
}

/// The device's side of the protocol: a state machine over command APDUs,
/// with its keys, its wallet over a platform `P` (flash and entropy; see
/// [`wallet`]), an [`Approver`] and a request buffer of `N` bytes, for
/// transactions of capacities `B` (batch entries) and `M` (metadata
/// entries). [`Device::handle`] takes any bytes and never panics.
pub struct Device<
    A,
    const N: usize,
    const B: usize = DEVICE_BATCH_OPERATIONS,
    const M: usize = DEVICE_METADATA_ENTRIES,
    P = NoStorage,
> {
    keys: Keys,
    wallet: Wallet<P>,
    approver: A,
    state: State,
    buffer: [u8; N],
    /// The transaction of the sign request, decoded in place: the one copy
    /// the device holds (a transaction returned by value would sit in
    /// several stack frames at once; see docs/embedded.md, "Stack").
    tx: Transaction<B, M>,
    /// The token definition provided for the next sign
    /// ([`Instruction::ProvideDefinition`]), checked and trusted.
    #[cfg(feature = "device-definitions")]
    definition: Option<crate::definition::TrustedDefinition>,
    /// The last definition whose signature passed, so that providing it
    /// again skips the recovery.
    #[cfg(feature = "device-definitions")]
    last_checked: Option<offer::LastChecked>,
}

impl<A, const N: usize, const B: usize, const M: usize, P> core::fmt::Debug
    for Device<A, N, B, M, P>
{
    /// The state; never the seed or a key.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Device")
            .field("state", &self.state)
            .field("wallet", &self.wallet)
            .finish_non_exhaustive()
    }
}

impl<A: Approver, const N: usize, const B: usize, const M: usize> Device<A, N, B, M> {
    /// A fixed-seed device with the keys of `seed` (no storage, no PIN:
    /// tests, benchmarks, the emulated device without a directory),
    /// asking `approver` before it signs or confirms.
    pub fn new(seed: Seed, approver: A) -> Self {
        Self::with_keys(Keys::new(seed), approver)
    }

    /// A fixed-seed device with `keys` (for one without a seed:
    /// [`Keys::empty`]).
    pub fn with_keys(keys: Keys, approver: A) -> Self {
        Self::build(keys, Wallet::fixed(), approver)
    }
}

impl<A: Approver, const N: usize, const B: usize, const M: usize, P: Platform>
    Device<A, N, B, M, P>
{
    /// A wallet device: its state is the booted `wallet`'s (empty or
    /// locked); set-up and unlock through the protocol.
    pub fn with_wallet(wallet: Wallet<P>, approver: A) -> Self {
        Self::build(Keys::empty(), wallet, approver)
    }

    fn build(keys: Keys, wallet: Wallet<P>, approver: A) -> Self {
        Device {
            keys,
            wallet,
            approver,
            state: State::Idle,
            buffer: [0; N],
            tx: Transaction::default(),
            #[cfg(feature = "device-definitions")]
            definition: None,
            #[cfg(feature = "device-definitions")]
            last_checked: None,
        }
    }

    /// The wallet.
    pub fn wallet(&self) -> &Wallet<P> {
        &self.wallet
    }

    /// The wallet, mutably (the emulated device trusts `--device-trust`
    /// signers for a run; tests cut a platform's power).
    pub fn wallet_mut(&mut self) -> &mut Wallet<P> {
        &mut self.wallet
    }

    /// For emulators only: continues a "powered" session kept between
    /// processes, unlocked with `seed`, if `session` names the seal in
    /// force ([`Wallet::resume_session`]). A firmware never calls it.
    pub fn resume_session(&mut self, session: &[u8; 16], seed: Seed) -> bool {
        self.resume(session, seed)
    }

    /// For emulators only: the session to keep between processes, the seal's
    /// id and the seed in RAM, while unlocked (`None` when locked, empty
    /// or a fixed-seed device). A firmware never calls it.
    pub fn powered_session(&self) -> Option<([u8; 16], &Seed)> {
        if self.wallet.is_fixed() || self.wallet.state() != WalletState::Unlocked {
            return None;
        }
        Some((self.wallet.session_id()?, self.keys.seed()?))
    }

    fn resume(&mut self, session: &[u8; 16], seed: Seed) -> bool {
        let resumed = self.wallet.resume_session(session);
        if resumed {
            self.keys = Keys::new(seed);
        }
        resumed
    }

    /// The protocol state.
    pub fn state(&self) -> State {
        self.state
    }

    /// The approver.
    pub fn approver(&self) -> &A {
        &self.approver
    }

    /// The approver, mutably.
    pub fn approver_mut(&mut self) -> &mut A {
        &mut self.approver
    }

    /// The address of `path` (derived, or from the cache).
    pub fn address(&mut self, path: &DerivationPath) -> Result<Address, Status> {
        self.key(path).map(|k| k.address)
    }

    /// The key of `path`, if the wallet is unlocked.
    fn key(&mut self, path: &DerivationPath) -> Result<&keys::DerivedKey, Status> {
        match self.wallet.require_unlocked() {
            Ok(()) => self.keys.derive(path),
            Err(WalletError::Locked) => Err(Status::Locked),
            Err(_) => Err(Status::NotProvisioned),
        }
    }

    /// Handles one command APDU and writes the response APDU (data, then
    /// the two status bytes) into `response`; returns its length. A
    /// response buffer of [`MAX_RESPONSE_LEN`] bytes always suffices; one
    /// too small for the answer gets [`Status::ResponseTooSmall`], one
    /// shorter than 2 bytes gets nothing (0). Never panics.
    pub fn handle(&mut self, request: &[u8], response: &mut [u8]) -> usize {
        let mut out = Response::new(response);
        // Every request except a continuation chunk ends a pending sign.
        let pending = core::mem::replace(&mut self.state, State::Idle);
        let status = match Command::parse(request) {
            Ok(command) => {
                // A provided definition serves the next sign only.
                #[cfg(feature = "device-definitions")]
                if !offer::keeps_definition(Instruction::parse(command.ins)) {
                    self.definition = None;
                }
                self.dispatch(command, pending, &mut out)
            }
            Err(status) => status,
        };
        // Only these statuses carry data (a reason, attempts left).
        if !matches!(
            status,
            Status::Ok
                | Status::InvalidData
                | Status::WrongPin
                | Status::InvalidWords
                | Status::DefinitionRefused
        ) {
            out.clear();
        }
        out.finish(status)
    }

    fn dispatch(&mut self, command: Command<'_>, pending: State, out: &mut Response<'_>) -> Status {
        match Instruction::parse(command.ins) {
            Some(Instruction::GetVersion) => handlers::get_version(command, out),
            Some(Instruction::GetAddress) => self.get_address(command, out),
            Some(Instruction::GetPublicKey) => self.get_public_key(command, out),
            Some(Instruction::Sign) => self.sign(command, pending, out),
            Some(Instruction::GetState) => self.get_state(command, out),
            Some(Instruction::SetupGenerate) => self.setup_generate(command, out),
            Some(Instruction::SetupRestore) => self.setup_restore(command, out),
            Some(Instruction::Unlock) => self.unlock(command, out),
            Some(Instruction::ChangePin) => self.change_pin(command, out),
            Some(Instruction::Wipe) => self.wipe(command, out),
            Some(Instruction::Trust) => self.trust(command, out),
            Some(Instruction::Lock) => self.lock(command),
            #[cfg(feature = "device-definitions")]
            Some(Instruction::ProvideDefinition) => self.provide_definition(command, out),
            #[cfg(not(feature = "device-definitions"))]
            Some(Instruction::ProvideDefinition) => Status::InsNotSupported,
            None => Status::InsNotSupported,
        }
    }
}

/// `v r s signing_hash`, the data of a successful sign.
pub fn sign_response(sig: &Signature, hash: &[u8; 32]) -> [u8; SIGN_RESPONSE_LEN] {
    let mut data = [0u8; SIGN_RESPONSE_LEN];
    let (v, rest) = data.split_at_mut(1);
    let (r, rest) = rest.split_at_mut(32);
    let (s, h) = rest.split_at_mut(32);
    v.copy_from_slice(&[sig.v]);
    r.copy_from_slice(&sig.r);
    s.copy_from_slice(&sig.s);
    h.copy_from_slice(hash);
    data
}

/// Splits a sign response's data into the signature and the hash; `None`
/// unless it is exactly [`SIGN_RESPONSE_LEN`] bytes.
pub fn parse_sign_response(data: &[u8]) -> Option<(Signature, [u8; 32])> {
    let data: &[u8; SIGN_RESPONSE_LEN] = data.try_into().ok()?;
    let (v, rest) = data.split_first()?;
    let (r, rest) = rest.split_first_chunk::<32>()?;
    let (s, hash) = rest.split_first_chunk::<32>()?;
    Some((
        Signature {
            r: *r,
            s: *s,
            v: *v,
        },
        hash.try_into().ok()?,
    ))
}

#[cfg(test)]
mod tests;
