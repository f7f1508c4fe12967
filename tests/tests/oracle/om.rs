//! The network's own v1 payload types (`om-primitives-types` 0.3) for every
//! operation they cover: all twelve legacy operations (TokenIssue in its
//! eight-field form only) and CreateMultiSig's payload list. They predate
//! v2 and the memo, so they answer only for legacy transactions without a
//! memo: `P`'s RLP, the signature hash, and the transaction hash of
//! `Signed::new` (which also recovers a real signature's signer).

use alloy_primitives::{Address as A, Bytes, U256};
use alloy_rlp::{Decodable, Encodable};
use om_primitives_types::transaction::payload as om;
use om_primitives_types::transaction::{Signable, Signed, SignerRecoverable};
use tokensign_core::tx::{AuthorityAction, AuthorityType, ListAction, PauseAction};
use tokensign_core::{Address, Amount, Operation, Signature, Transaction};

use super::alloy_signature;

fn a(x: &Address) -> A {
    A::from(x.0)
}

fn u(x: &Amount) -> U256 {
    U256::from_be_bytes(x.to_be_bytes())
}

/// What the network's types say about a legacy transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OmAnswers {
    /// rlp(P).
    pub rlp: Vec<u8>,
    /// `Signable::signature_hash`.
    pub signing_hash: [u8; 32],
    /// `Signed::new(payload, sig).hash()`.
    pub tx_hash: [u8; 32],
    /// `Signed::recover_signer` (for a valid signature).
    pub signer: Option<[u8; 20]>,
    /// Whether the type decodes the given bytes back to itself, exactly.
    pub decodes: bool,
}

fn answer<T>(p: T, bytes: &[u8], sig: &Signature) -> OmAnswers
where
    T: Encodable + Decodable + Signable + PartialEq + Clone,
{
    let mut rest = bytes;
    let decodes = T::decode(&mut rest).is_ok_and(|d| d == p) && rest.is_empty();
    let signed = Signed::new(p.clone(), alloy_signature(sig));
    OmAnswers {
        rlp: alloy_rlp::encode(&p),
        signing_hash: p.signature_hash().into(),
        tx_hash: (*signed.hash()).into(),
        signer: signed.recover_signer().ok().map(<[u8; 20]>::from),
        decodes,
    }
}

fn authority_action(x: AuthorityAction) -> om::AuthorityAction {
    match x {
        AuthorityAction::Grant => om::AuthorityAction::Grant,
        AuthorityAction::Revoke => om::AuthorityAction::Revoke,
    }
}

fn authority_type(x: AuthorityType) -> om::Authority {
    match x {
        AuthorityType::MasterMintBurn => om::Authority::MasterMintBurn,
        AuthorityType::MintBurnTokens => om::Authority::MintBurnTokens,
        AuthorityType::Pause => om::Authority::Pause,
        AuthorityType::ManageList => om::Authority::ManageList,
        AuthorityType::UpdateMetadata => om::Authority::UpdateMetadata,
        AuthorityType::Bridge => om::Authority::Bridge,
        AuthorityType::Clawback => om::Authority::Clawback,
    }
}

/// The network's answers for `tx` with signature `sig`, checking that its
/// type decodes `core_rlp` (the core's rlp(P)) to the same value; `None`
/// where the network's v1 types do not cover the transaction (BatchPayment,
/// a memo, a seven-field TokenIssue).
pub fn answers(tx: &Transaction, core_rlp: &[u8], sig: &Signature) -> Option<OmAnswers> {
    if tx.memo.is_some() {
        return None;
    }
    let (chain_id, nonce) = (tx.chain_id, tx.nonce);
    Some(match &tx.operation {
        Operation::Payment(p) => answer(
            om::PaymentPayload {
                chain_id,
                nonce,
                recipient: a(&p.recipient),
                value: u(&p.value),
                token: a(&p.token),
            },
            core_rlp,
            sig,
        ),
        Operation::TokenIssue(p) => answer(
            om::TokenIssuePayload {
                chain_id,
                nonce,
                symbol: p.symbol.to_string(),
                name: p.name.to_string(),
                decimals: p.decimals,
                master_authority: a(&p.master_authority),
                is_private: p.is_private,
                clawback_enabled: p.clawback_enabled?,
            },
            core_rlp,
            sig,
        ),
        Operation::TokenMint(p) => answer(
            om::TokenMintPayload {
                chain_id,
                nonce,
                recipient: a(&p.recipient),
                value: u(&p.value),
                token: a(&p.token),
            },
            core_rlp,
            sig,
        ),
        Operation::TokenAuthority(p) => answer(
            om::TokenAuthorityPayload {
                chain_id,
                nonce,
                action: authority_action(p.action),
                authority_type: authority_type(p.authority_type),
                authority_address: a(&p.authority_address),
                token: a(&p.token),
                value: u(&p.value),
            },
            core_rlp,
            sig,
        ),
        Operation::TokenBlacklist(p) => answer(
            om::TokenBlacklistPayload {
                chain_id,
                nonce,
                action: match p.action {
                    ListAction::Add => om::BlacklistAction::Add,
                    ListAction::Remove => om::BlacklistAction::Remove,
                },
                address: a(&p.address),
                token: a(&p.token),
            },
            core_rlp,
            sig,
        ),
        Operation::TokenWhitelist(p) => answer(
            om::TokenWhitelistPayload {
                chain_id,
                nonce,
                action: match p.action {
                    ListAction::Add => om::WhitelistAction::Add,
                    ListAction::Remove => om::WhitelistAction::Remove,
                },
                address: a(&p.address),
                token: a(&p.token),
            },
            core_rlp,
            sig,
        ),
        Operation::TokenPause(p) => answer(
            om::TokenPausePayload {
                chain_id,
                nonce,
                action: match p.action {
                    PauseAction::Pause => om::PauseAction::Pause,
                    PauseAction::Unpause => om::PauseAction::Unpause,
                },
                token: a(&p.token),
            },
            core_rlp,
            sig,
        ),
        Operation::TokenBurn(p) => answer(
            om::TokenBurnPayload {
                chain_id,
                nonce,
                value: u(&p.value),
                token: a(&p.token),
            },
            core_rlp,
            sig,
        ),
        Operation::TokenClawback(p) => answer(
            om::TokenClawbackPayload {
                chain_id,
                nonce,
                token: a(&p.token),
                from: a(&p.from),
                recipient: a(&p.recipient),
                value: u(&p.value),
            },
            core_rlp,
            sig,
        ),
        Operation::TokenMetadata(p) => answer(
            om::TokenMetadataUpdatePayload {
                chain_id,
                nonce,
                name: p.name.to_string(),
                uri: p.uri.to_string(),
                token: a(&p.token),
                additional_metadata: p
                    .additional_metadata
                    .iter()
                    .map(|e| om::KeyValuePair {
                        key: e.key.to_string(),
                        value: e.value.to_string(),
                    })
                    .collect(),
            },
            core_rlp,
            sig,
        ),
        Operation::TokenBridgeAndMint(p) => answer(
            om::TokenBridgeAndMintPayload {
                chain_id,
                nonce,
                recipient: a(&p.recipient),
                value: u(&p.value),
                token: a(&p.token),
                source_chain_id: p.source_chain_id,
                source_tx_hash: p.source_tx_hash.to_string(),
                bridge_metadata: p.bridge_metadata.to_string(),
            },
            core_rlp,
            sig,
        ),
        Operation::TokenBurnAndBridge(p) => answer(
            om::TokenBurnAndBridgePayload {
                chain_id,
                nonce,
                sender: a(&p.sender),
                value: u(&p.value),
                token: a(&p.token),
                destination_chain_id: p.destination_chain_id,
                destination_address: p.destination_address.to_string(),
                escrow_fee: u(&p.escrow_fee),
                bridge_metadata: p.bridge_metadata.to_string(),
                bridge_param: Bytes::copy_from_slice(&p.bridge_param.0),
            },
            core_rlp,
            sig,
        ),
        // Built field by field: `CreateMultiSigPayload::new` sorts the
        // signers, but the payload list keeps the caller's order.
        Operation::CreateMultiSig(p) => answer(
            om::CreateMultiSigPayload {
                chain_id,
                nonce,
                signers: p
                    .signers
                    .iter()
                    .map(|s| om::MultiSigSigner {
                        public_key: s.public_key.0.to_vec(),
                        weight: s.weight,
                    })
                    .collect(),
                threshold: p.threshold,
            },
            core_rlp,
            sig,
        ),
        Operation::BatchPayment(_) => return None,
    })
}
