//! One handler per instruction.

use super::apdu::{
    Command, Response, Status, P1_CONFIRM, P1_FIRST, P1_NEXT, P1_SILENT, P2_LAST, P2_MORE,
};
use super::reason::write_reason;
use super::request::{parse_sign_request, RequestError, SignHeader};
use super::wallet::{Platform, WalletError};
use super::{sign_response, Approval, Approver, Device, State, PROTOCOL_VERSION};
use crate::error::Error;
use crate::hd::DerivationPath;
use crate::native;
use crate::review::Review;
use crate::scheme::Scheme;
use crate::signature::{sign_hash, Signature};
use crate::tx::{OpType, Transaction};

/// GET_VERSION: the protocol version and the core's version.
pub(super) fn get_version(command: Command<'_>, out: &mut Response<'_>) -> Status {
    if (command.p1, command.p2) != (0, 0) {
        return Status::WrongP1P2;
    }
    if !command.data.is_empty() {
        return Status::WrongLength;
    }
    match out
        .push(&[PROTOCOL_VERSION])
        .and_then(|()| out.push(env!("CARGO_PKG_VERSION").as_bytes()))
    {
        Ok(()) => Status::Ok,
        Err(status) => status,
    }
}

/// Reads a command's data as exactly one path.
fn path_of(data: &[u8]) -> Result<DerivationPath, Status> {
    DerivationPath::from_bytes(data).map_err(|_| Status::InvalidPath)
}

/// Refuses a request with [`Status::InvalidData`] and its reason as bytes
/// ([`super::reason`]).
fn invalid(reason: impl Into<RequestError>, out: &mut Response<'_>) -> Status {
    write_reason(&reason.into(), out);
    Status::InvalidData
}

/// Decodes a transaction's RLP as the scheme carries it into `tx`, in
/// place and strictly, and checks every rule.
fn decode_into<const B: usize, const M: usize>(
    scheme: Scheme,
    op: OpType,
    payload: &[u8],
    tx: &mut Transaction<B, M>,
) -> Result<(), Error> {
    match scheme {
        Scheme::Legacy => crate::legacy::decode_signed_value_into(op, payload, tx)?,
        Scheme::Native => native::decode_payload_rlp_into(op, payload, tx)?,
    }
    tx.check()
}

impl<A: Approver, const N: usize, const B: usize, const M: usize, P: Platform>
    Device<A, N, B, M, P>
{
    /// GET_ADDRESS: the address of a path, shown for confirmation with
    /// `P1_CONFIRM`. Not inlined (nor is any handler): the dispatcher's
    /// frame, under every command, stays small.
    #[inline(never)]
    pub(super) fn get_address(&mut self, command: Command<'_>, out: &mut Response<'_>) -> Status {
        if command.p2 != 0 || !matches!(command.p1, P1_SILENT | P1_CONFIRM) {
            return Status::WrongP1P2;
        }
        let path = match path_of(command.data) {
            Ok(path) => path,
            Err(status) => return status,
        };
        let address = match self.key(&path) {
            Ok(key) => key.address,
            Err(status) => return status,
        };
        if command.p1 == P1_CONFIRM
            && self.approver.confirm_address(&path, &address) != Approval::Approve
        {
            return Status::Denied;
        }
        match out.push(address.as_bytes()) {
            Ok(()) => Status::Ok,
            Err(status) => status,
        }
    }

    /// GET_PUBLIC_KEY: the compressed public key of a path.
    #[inline(never)]
    pub(super) fn get_public_key(
        &mut self,
        command: Command<'_>,
        out: &mut Response<'_>,
    ) -> Status {
        if (command.p1, command.p2) != (0, 0) {
            return Status::WrongP1P2;
        }
        let path = match path_of(command.data) {
            Ok(path) => path,
            Err(status) => return status,
        };
        let key = match self.key(&path) {
            Ok(key) => key.public_key,
            Err(status) => return status,
        };
        match out.push(&key) {
            Ok(()) => Status::Ok,
            Err(status) => status,
        }
    }

    /// SIGN: one chunk of a sign request; on the last one, decode, review,
    /// sign.
    #[inline(never)]
    pub(super) fn sign(
        &mut self,
        command: Command<'_>,
        pending: State,
        out: &mut Response<'_>,
    ) -> Status {
        let last = match command.p2 {
            P2_MORE => false,
            P2_LAST => true,
            _ => return Status::WrongP1P2,
        };
        // A locked or empty device refuses at the first chunk.
        match self.wallet.require_unlocked() {
            Ok(()) => {}
            Err(WalletError::Locked) => return Status::Locked,
            Err(_) => return Status::NotProvisioned,
        }
        let filled = match (command.p1, pending) {
            (P1_FIRST, _) => 0,
            (P1_NEXT, State::Receiving(filled)) => filled,
            (P1_NEXT, State::Idle) => return Status::WrongState,
            _ => return Status::WrongP1P2,
        };
        let end = filled.saturating_add(command.data.len());
        let Some(dst) = self.buffer.get_mut(filled..end) else {
            return Status::TooLarge;
        };
        dst.copy_from_slice(command.data);
        if !last {
            self.state = State::Receiving(end);
            return Status::Ok;
        }
        self.sign_request(end, out)
    }

    /// The last chunk's work: review, hash, sign, answer. Each step is its
    /// own function, not inlined, so that only one step's frame is on the
    /// stack at a time (the signature's is the deepest).
    fn sign_request(&mut self, len: usize, out: &mut Response<'_>) -> Status {
        let (header, payload_at) = match self.review(len, out) {
            Ok(reviewed) => reviewed,
            Err(status) => return status,
        };
        let signing_hash = self.signing_hash(&header, payload_at, len);
        let signature = match self.sign_with(&header.path, &signing_hash) {
            Ok(signature) => signature,
            Err(status) => return status,
        };
        match out.push(&sign_response(&signature, &signing_hash)) {
            Ok(()) => Status::Ok,
            Err(status) => status,
        }
    }

    /// The signing hash of the reviewed request's transaction, from its
    /// bytes in the buffer (decoded strictly: the canonical encoding of
    /// what was shown), hashed once and not encoded again.
    #[inline(never)]
    fn signing_hash(&self, header: &SignHeader, payload_at: usize, len: usize) -> [u8; 32] {
        header.signing_hash(self.buffer.get(payload_at..len).unwrap_or(&[]))
    }

    #[inline(never)]
    fn sign_with(&mut self, path: &DerivationPath, hash: &[u8; 32]) -> Result<Signature, Status> {
        let key = self.key(path)?;
        sign_hash(hash, &key.key).map_err(|_| Status::SigningFailed)
    }

    /// Parses the request in the buffer, decodes its transaction into the
    /// device's slot and asks the approver. Not inlined: its frame (the
    /// review's) is gone before the signature's deep stack.
    /// Answers the header and where the transaction's RLP starts in the
    /// buffer.
    #[inline(never)]
    fn review(
        &mut self,
        len: usize,
        out: &mut Response<'_>,
    ) -> Result<(SignHeader, usize), Status> {
        let input = self.buffer.get(..len).unwrap_or(&[]);
        let (header, payload) = match parse_sign_request(input) {
            Ok(parsed) => parsed,
            Err(RequestError::Path(_)) => return Err(Status::InvalidPath),
            Err(e) => return Err(invalid(e, out)),
        };
        if let Err(e) = decode_into(header.scheme, header.op, payload, &mut self.tx) {
            return Err(invalid(e, out));
        }
        #[allow(unused_mut)] // without `device-definitions`
        let mut review = Review::new(&self.tx, header.scheme, header.descriptor);
        // The definition provided before this sign: used once, and only
        // for its own chain and token (else the sign is refused).
        #[cfg(feature = "device-definitions")]
        let definition = self.definition.take();
        #[cfg(feature = "device-definitions")]
        if let Some(definition) = &definition {
            review = match review.with_definition(definition) {
                Ok(review) => review,
                Err(e) => return Err(super::offer::refused(&e, out)),
            };
        }
        if self.approver.approve(&review) != Approval::Approve {
            return Err(Status::Denied);
        }
        Ok((header, len - payload.len()))
    }
}
