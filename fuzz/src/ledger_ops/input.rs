//! The input of `ledger_ops`: a session of steps derived with
//! `arbitrary`, and the writer of its bytes ([`Session::to_bytes`], for
//! the seeds).

use arbitrary::Arbitrary;

use crate::arbitrary_bytes::Writer;

/// Most steps in one input.
pub const MAX_STEPS: usize = 32;

/// The nonce a write uses.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NonceChoice {
    /// The sender's next nonce.
    Current,
    /// One ahead (refused).
    Ahead,
    /// One behind: a replayed nonce (refused).
    Behind,
}

/// Who signs a write.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Sender {
    /// One of the four keys (operator, master, two holders).
    Key(u8),
    /// A multisig account the ledger holds (by index; [`NO_ACCOUNT`]: an
    /// address that is no account), signed by the keys in the mask's low
    /// four bits (v2 only): only the account's members among them, or,
    /// with bit 7 ([`KEEP_NON_MEMBERS`]), every one.
    Multisig { account: u8, members: u8 },
}

/// `Sender::Multisig`'s account index that names an address the ledger
/// holds no multisig account for.
pub const NO_ACCOUNT: u8 = u8::MAX;

/// `Sender::Multisig`'s mask bit that keeps keys that are not members.
pub const KEEP_NON_MEMBERS: u8 = 0x80;

/// A signed write of any operation.
#[derive(Arbitrary, Clone, Debug)]
pub struct Write {
    /// The operation (index into `OpType::ALL`).
    pub op: u8,
    /// Who signs.
    pub sender: Sender,
    /// The token (index into the ledger's tokens; one past the end: an
    /// unknown token).
    pub token: u8,
    /// v1 (legacy) when the operation has it, else v2.
    pub v1: bool,
    /// The nonce.
    pub nonce: NonceChoice,
    /// Signed for mainnet instead of the node's testnet.
    pub wrong_chain: bool,
    /// Changed after signing: the nonce raised by this much (when set).
    pub tamper: Option<u16>,
    /// The operation's fields (values, parties, actions).
    pub fields: [u8; 4],
}

/// One step of a session.
#[derive(Arbitrary, Clone, Debug)]
pub enum Step {
    /// A signed write.
    Write(Write),
    /// A write the node refuses before the ledger (a payment to the zero
    /// address, by the key).
    Malformed { signer: u8 },
}

/// A session: the steps, in order.
#[derive(Arbitrary, Clone, Debug)]
pub struct Session {
    /// At most [`MAX_STEPS`] are run.
    pub steps: Vec<Step>,
}

impl Step {
    fn write(&self, w: &mut Writer) {
        match self {
            Step::Write(x) => {
                w.variant(0, 2).u8(x.op);
                match x.sender {
                    Sender::Key(k) => w.variant(0, 2).u8(k),
                    Sender::Multisig { account, members } => {
                        w.variant(1, 2).u8(account).u8(members)
                    }
                };
                w.u8(x.token).bool(x.v1).variant(x.nonce as u64, 3);
                w.bool(x.wrong_chain).bool(x.tamper.is_some());
                if let Some(by) = x.tamper {
                    w.u16(by);
                }
                w.array(&x.fields);
            }
            Step::Malformed { signer } => {
                w.variant(1, 2).u8(*signer);
            }
        }
    }
}

impl Session {
    /// The input that `arbitrary` reads as this session.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        for step in &self.steps {
            w.bool(true);
            step.write(&mut w);
        }
        w.0
    }
}
