//! The two signing schemes, as a value: what a device or a host that signs
//! either one dispatches on.

use crate::error::Error;
use crate::native::Descriptor;
use crate::tx::Transaction;

/// Legacy v1 or native v2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `/v1`: `keccak(rlp(P))` or `keccak(rlp([P, M]))`.
    Legacy,
    /// `/v2`: domain-separated, `keccak(rlp([DOMAIN, op_type, descriptor,
    /// payload_rlp]))`.
    Native,
}

impl Scheme {
    /// `v1` or `v2`.
    pub const fn short_name(self) -> &'static str {
        match self {
            Scheme::Legacy => "v1",
            Scheme::Native => "v2",
        }
    }

    /// The scheme `v1` or `v2` names.
    pub fn from_short_name(name: &str) -> Option<Scheme> {
        match name {
            "v1" => Some(Scheme::Legacy),
            "v2" => Some(Scheme::Native),
            _ => None,
        }
    }

    /// The digest a signer of `tx` signs in this scheme (`descriptor` is
    /// native's; legacy has only single signers and refuses a multisig
    /// descriptor).
    pub fn signing_hash<const B: usize, const M: usize>(
        self,
        tx: &Transaction<B, M>,
        descriptor: Descriptor,
    ) -> Result<[u8; 32], Error> {
        match (self, descriptor) {
            (Scheme::Legacy, Descriptor::Single) => crate::legacy::signing_hash(tx),
            (Scheme::Legacy, Descriptor::Multisig(_)) => Err(Error::NotInScheme),
            (Scheme::Native, d) => Ok(crate::native::signing_hash(tx, d)),
        }
    }
}

impl core::fmt::Display for Scheme {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.short_name())
    }
}
