//! The operations the node's fuzz targets sign (`ledger_ops`,
//! `server_handler`): a valid operation of each of the 14 kinds, its
//! fields made from a few input bytes.

use tokensign_core::field::{Bytes, KeyAsIntegers};
use tokensign_core::text::Text;
use tokensign_core::tx::*;
use tokensign_core::{Address, Amount, SigningKey};

/// Reads one byte (zero past the end).
fn byte(input: &mut &[u8]) -> u8 {
    match input.split_first() {
        Some((b, rest)) => {
            *input = rest;
            *b
        }
        None => 0,
    }
}

/// Parties without keys: holders, recipients and listed addresses need not
/// sign, and with them a session names more distinct holders than the
/// ledger allows per authority (`MAX_AUTHORITY_HOLDERS`, 5).
const KEYLESS: [Address; 4] = [
    Address([0xa1; 20]),
    Address([0xa2; 20]),
    Address([0xa3; 20]),
    Address([0xa4; 20]),
];

/// A value from two bytes `v` and `scale`: `v × (scale mod 4 + 1) × 100`
/// base units, or, for `scale` from 240 up, `U256::MAX − v` (values near
/// the top, which overflow a supply or a balance).
fn value_of(v: u8, scale: u8) -> Amount {
    if scale >= 240 {
        Amount::MAX
            .checked_sub(&Amount::from_u64(u64::from(v)))
            .expect("MAX - a byte")
    } else {
        Amount::from_u64(u64::from(v) * u64::from(scale % 4 + 1) * 100)
    }
}

/// A valid operation of kind `op` on `token`, its other fields made from
/// the input: a value (`value_of`), then two bytes for parties and
/// actions. A party byte `b` picks `b mod 8` of the keys' addresses then
/// [`KEYLESS`]; the first two to four keys are a multisig account's
/// members.
pub fn operation_on(
    keys: &[SigningKey],
    op: OpType,
    token: Address,
    input: &mut &[u8],
) -> Operation {
    let who = |b: u8| {
        let i = usize::from(b) % (keys.len() + KEYLESS.len());
        keys.get(i)
            .map_or_else(|| KEYLESS[i - keys.len()], |k| k.address())
    };
    let (v, scale) = (byte(input), byte(input));
    let value = value_of(v, scale);
    let (a, b) = (byte(input), byte(input));
    // Both lists' add or remove, from the same byte.
    let list_action = if a % 2 == 0 {
        ListAction::Add
    } else {
        ListAction::Remove
    };
    match op {
        OpType::Payment => Payment {
            recipient: who(a),
            value,
            token,
        }
        .into(),
        OpType::TokenIssue => TokenIssue {
            symbol: Text::new(&format!("S{a}")).expect("symbol"),
            name: Text::new("Fuzz Issue").expect("name"),
            decimals: b % 19,
            master_authority: who(b),
            is_private: a % 2 == 0,
            clawback_enabled: (b % 3 != 0).then_some(b % 2 == 0),
        }
        .into(),
        OpType::TokenMint => TokenMint {
            recipient: who(a),
            value,
            token,
        }
        .into(),
        OpType::TokenAuthority => TokenAuthority {
            action: if a % 2 == 0 {
                AuthorityAction::Grant
            } else {
                AuthorityAction::Revoke
            },
            authority_type: [
                AuthorityType::MasterMintBurn,
                AuthorityType::MintBurnTokens,
                AuthorityType::Pause,
                AuthorityType::ManageList,
                AuthorityType::UpdateMetadata,
                AuthorityType::Bridge,
                AuthorityType::Clawback,
            ][usize::from(b) % 7],
            authority_address: who(a / 2),
            token,
            value,
        }
        .into(),
        OpType::TokenBlacklist => TokenBlacklist {
            action: list_action,
            address: who(b),
            token,
        }
        .into(),
        OpType::TokenWhitelist => TokenWhitelist {
            action: list_action,
            address: who(b),
            token,
        }
        .into(),
        OpType::TokenPause => TokenPause {
            action: if a % 2 == 0 {
                PauseAction::Pause
            } else {
                PauseAction::Unpause
            },
            token,
        }
        .into(),
        OpType::TokenBurn => TokenBurn { value, token }.into(),
        OpType::TokenClawback => TokenClawback {
            token,
            from: who(a),
            recipient: who(b),
            value,
        }
        .into(),
        OpType::TokenMetadata => TokenMetadata {
            name: Text::new("Renamed").expect("name"),
            uri: Text::new("https://fuzz.example").expect("uri"),
            token,
            additional_metadata: Default::default(),
        }
        .into(),
        OpType::TokenBridgeAndMint => TokenBridgeAndMint {
            recipient: who(a),
            value,
            token,
            source_chain_id: u64::from(b) + 1,
            source_tx_hash: Text::new("0xfeed").expect("text"),
            bridge_metadata: Text::new("").expect("text"),
        }
        .into(),
        OpType::TokenBurnAndBridge => TokenBurnAndBridge {
            sender: who(a),
            value,
            token,
            destination_chain_id: u64::from(b) + 1,
            destination_address: Text::new("0xdead").expect("text"),
            escrow_fee: Amount::from_u64(u64::from(b % 3)),
            bridge_metadata: Text::new("").expect("text"),
            bridge_param: Bytes(Default::default()),
        }
        .into(),
        OpType::CreateMultiSig => {
            let mut signers: heapless::Vec<MultisigSigner, MAX_MULTISIG_SIGNERS> =
                heapless::Vec::new();
            for (i, k) in keys.iter().enumerate().take(2 + usize::from(a % 3)) {
                let _ = signers.push(MultisigSigner {
                    public_key: KeyAsIntegers(k.public_key_compressed()),
                    weight: 1 + (b.wrapping_add(i as u8)) % 3,
                });
            }
            CreateMultiSig {
                signers,
                threshold: 1 + u16::from(b % 2),
            }
            .into()
        }
        OpType::BatchPayment => {
            let mut operations: heapless::Vec<BatchEntry, MAX_BATCH_OPERATIONS> =
                heapless::Vec::new();
            for i in 0..1 + usize::from(a % 4) {
                let _ = operations.push(BatchEntry {
                    recipient: who(b.wrapping_add(i as u8)),
                    amount: Amount::from_u64(1 + u64::from(b) * (i as u64 + 1)),
                });
            }
            BatchPayment {
                token,
                operations,
                created_at: u64::from(a),
                operations_hash: None,
                batch_id: None,
            }
            .into()
        }
    }
}
