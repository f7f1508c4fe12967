//! TokenBridgeAndMint (op 11) and TokenBurnAndBridge (op 12): tokens in
//! from and out to other chains. Hex-looking texts (`source_tx_hash`,
//! `destination_address`) are signed as the text given, case included.

use super::limits::{
    MAX_BRIDGE_METADATA_LEN, MAX_BRIDGE_PARAM_LEN, MAX_DESTINATION_ADDRESS_LEN,
    MAX_SOURCE_TX_HASH_LEN,
};
use super::{Op, OpType};
use crate::address::Address;
use crate::amount::Amount;
use crate::error::{Error, Field, Problem};
use crate::field::record::record;
use crate::field::Bytes;
use crate::text::{FreeTextRule, IdentifierRule, Text};

/// A source transaction hash, as text.
pub type SourceTxHash = Text<MAX_SOURCE_TX_HASH_LEN, IdentifierRule>;
/// A destination address on another chain, as text.
pub type DestinationAddress = Text<MAX_DESTINATION_ADDRESS_LEN, IdentifierRule>;
/// Bridge metadata (may be empty).
pub type BridgeMetadata = Text<MAX_BRIDGE_METADATA_LEN, FreeTextRule>;
/// Bridge parameters (bytes, may be empty).
pub type BridgeParam = Bytes<MAX_BRIDGE_PARAM_LEN>;

record! {
    /// TokenBridgeAndMint: mints `value` of `token` to `recipient` for a
    /// transfer in from `source_chain_id`.
    pub struct TokenBridgeAndMint {
        /// Who receives the tokens.
        recipient: Address => Recipient, "Recipient";
        /// Base units.
        value: Amount => Value, "Amount";
        /// The token.
        token: Address => Token, "Token";
        /// The chain the tokens come from.
        source_chain_id: u64 => SourceChainId, "Source chain";
        /// The transaction on that chain, as text.
        source_tx_hash: SourceTxHash => SourceTxHash, "Source tx";
        /// The bridge's reference (may be empty).
        bridge_metadata: BridgeMetadata => BridgeMetadata, "Bridge metadata";
    }
}

impl Op for TokenBridgeAndMint {
    const TYPE: OpType = OpType::TokenBridgeAndMint;

    fn check(&self) -> Result<(), Error> {
        if self.source_chain_id == 0 {
            return Err(Error::invalid(Field::SourceChainId, Problem::Zero));
        }
        if self.source_tx_hash.is_empty() {
            return Err(Error::invalid(Field::SourceTxHash, Problem::Empty));
        }
        Ok(())
    }
}

record! {
    /// TokenBurnAndBridge: burns `value` of `token` from the signer and
    /// sends it to `destination_address` on `destination_chain_id`, paying
    /// `escrow_fee`. `sender` is signed but the node takes the signer.
    pub struct TokenBurnAndBridge {
        /// The sender as signed (the node uses the signer).
        sender: Address => Sender, "Sender";
        /// Base units to bridge out.
        value: Amount => Value, "Amount";
        /// The token.
        token: Address => Token, "Token";
        /// The destination chain.
        destination_chain_id: u64 => DestinationChainId, "Destination chain";
        /// The destination address, as text (case matters).
        destination_address: DestinationAddress => DestinationAddress, "Destination";
        /// Base units paid to the bridge.
        escrow_fee: Amount => EscrowFee, "Escrow fee";
        /// The bridge's reference (may be empty).
        bridge_metadata: BridgeMetadata => BridgeMetadata, "Bridge metadata";
        /// The bridge's parameters (bytes).
        bridge_param: BridgeParam => BridgeParam, "Bridge param";
    }
}

impl Op for TokenBurnAndBridge {
    const TYPE: OpType = OpType::TokenBurnAndBridge;

    fn check(&self) -> Result<(), Error> {
        if self.destination_chain_id == 0 {
            return Err(Error::invalid(Field::DestinationChainId, Problem::Zero));
        }
        if self.destination_address.is_empty() {
            return Err(Error::invalid(Field::DestinationAddress, Problem::Empty));
        }
        Ok(())
    }
}
