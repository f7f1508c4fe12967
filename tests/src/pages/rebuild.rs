//! The transaction the pages describe, operation by operation.

use super::reader::*;
use super::*;

fn operation<const B: usize, const M: usize>(
    op: OpType,
    r: &mut Reader<'_>,
) -> Result<Operation<B, M>, String> {
    Ok(match op {
        OpType::Payment => Payment {
            recipient: address(r.take("Recipient")?)?,
            value: r.amount("Amount")?,
            token: r.token()?,
        }
        .into(),
        OpType::TokenIssue => TokenIssue {
            symbol: text(r.take("Symbol")?)?,
            name: text(r.take("Name")?)?,
            decimals: number(r.take("Decimals")?)?,
            master_authority: address(r.take("Master authority")?)?,
            is_private: yes_no(r.take("Private")?)?,
            clawback_enabled: if r.has("Clawback") {
                Some(yes_no(r.take("Clawback")?)?)
            } else {
                None
            },
        }
        .into(),
        OpType::TokenMint => TokenMint {
            recipient: address(r.take("Recipient")?)?,
            value: r.amount("Amount")?,
            token: r.token()?,
        }
        .into(),
        OpType::TokenAuthority => TokenAuthority {
            action: word(r.take("Action")?, AuthorityAction::parse)?,
            authority_type: word(r.take("Authority")?, AuthorityType::parse)?,
            authority_address: address(r.take("Holder")?)?,
            token: r.token()?,
            value: r.amount("Allowance")?,
        }
        .into(),
        OpType::TokenBlacklist => TokenBlacklist {
            action: word(r.take("Action")?, ListAction::parse)?,
            address: address(r.take("Account")?)?,
            token: r.token()?,
        }
        .into(),
        OpType::TokenWhitelist => TokenWhitelist {
            action: word(r.take("Action")?, ListAction::parse)?,
            address: address(r.take("Account")?)?,
            token: r.token()?,
        }
        .into(),
        OpType::TokenPause => TokenPause {
            action: word(r.take("Action")?, PauseAction::parse)?,
            token: r.token()?,
        }
        .into(),
        OpType::TokenBurn => TokenBurn {
            value: r.amount("Amount")?,
            token: r.token()?,
        }
        .into(),
        OpType::TokenClawback => TokenClawback {
            token: r.token()?,
            from: address(r.take("From")?)?,
            recipient: address(r.take("Recipient")?)?,
            value: r.amount("Amount")?,
        }
        .into(),
        OpType::TokenMetadata => TokenMetadata::<M> {
            name: text(r.take("Name")?)?,
            uri: text(r.take("URI")?)?,
            token: r.token()?,
            additional_metadata: list(r, "Metadata entries", |r, i| {
                Ok(MetadataEntry {
                    key: text(r.take_at("Metadata key", Some(i))?)?,
                    value: text(r.take_at("Metadata value", Some(i))?)?,
                })
            })?,
        }
        .into(),
        OpType::TokenBridgeAndMint => TokenBridgeAndMint {
            recipient: address(r.take("Recipient")?)?,
            value: r.amount("Amount")?,
            token: r.token()?,
            source_chain_id: number(r.take("Source chain")?)?,
            source_tx_hash: text(r.take("Source tx")?)?,
            bridge_metadata: text(r.take("Bridge metadata")?)?,
        }
        .into(),
        OpType::TokenBurnAndBridge => TokenBurnAndBridge {
            sender: address(r.take("Sender")?)?,
            value: r.amount("Amount")?,
            token: r.token()?,
            destination_chain_id: number(r.take("Destination chain")?)?,
            destination_address: text(r.take("Destination")?)?,
            escrow_fee: r.amount("Escrow fee")?,
            bridge_metadata: text(r.take("Bridge metadata")?)?,
            bridge_param: Bytes::new(&hex_bytes(r.take("Bridge param")?)?)
                .map_err(|p| p.to_string())?,
        }
        .into(),
        OpType::CreateMultiSig => CreateMultiSig {
            signers: list(r, "Signers", |r, i| {
                let key: [u8; 33] = hex_bytes(r.take_at("Signer key", Some(i))?)?
                    .try_into()
                    .map_err(|_| "a signer key is not 33 bytes")?;
                Ok(MultisigSigner {
                    public_key: KeyAsIntegers(key),
                    weight: number(r.take_at("Signer weight", Some(i))?)?,
                })
            })?,
            threshold: number(r.take("Threshold")?)?,
        }
        .into(),
        OpType::BatchPayment => BatchPayment::<B> {
            token: r.token()?,
            operations: list(r, "Payments", |r, i| {
                Ok(BatchEntry {
                    recipient: address(r.take_at("Recipient", Some(i))?)?,
                    amount: r.amount_at("Amount", Some(i))?,
                })
            })?,
            created_at: number(r.take("Created at")?)?,
            operations_hash: if r.has("Operations hash") {
                let h: [u8; 32] = hex_bytes(r.take("Operations hash")?)?
                    .try_into()
                    .map_err(|_| "the operations hash is not 32 bytes")?;
                Some(B256(h))
            } else {
                None
            },
            batch_id: if r.has("Batch id") {
                Some(text(r.take("Batch id")?)?)
            } else {
                None
            },
        }
        .into(),
    })
}

/// Rebuilds what the pages say is signed. Derived items (the token an
/// issue creates, the account a CreateMultiSig creates) are checked against
/// the fields they derive from.
pub fn rebuild<const B: usize, const M: usize>(
    items: &[ReadItem],
    view: &View,
) -> Result<Rebuilt<B, M>, String> {
    let items = without_warnings(items)?;
    let mut r = Reader {
        items: &items,
        at: 0,
        view,
    };
    let title = r.take("Operation")?;
    let op = OpType::from_title(title).ok_or_else(|| format!("unknown operation {title:?}"))?;
    let operation = operation::<B, M>(op, &mut r)?;
    let chain_id = match r.take("Chain")? {
        local if view.local_node => number(
            local
                .strip_prefix("local node (chain id ")
                .and_then(|n| n.strip_suffix(')'))
                .ok_or_else(|| format!("a local chain shown as {local:?}"))?,
        )?,
        "1Money Mainnet" => 21210,
        "1Money Testnet" => 1_212_101,
        n => {
            let id: u64 = number(n)?;
            if id == 21210 || id == 1_212_101 {
                return Err(format!("chain {id} shown as a number, not by name"));
            }
            id
        }
    };
    let nonce = number(r.take("Nonce")?)?;
    match &operation {
        Operation::TokenIssue(issue) => {
            let shown = address(r.take("Token address")?)?;
            let derived = token_address(&issue.master_authority, &issue.symbol);
            if shown != derived {
                return Err(format!("token address {shown} is not {derived}"));
            }
        }
        Operation::CreateMultiSig(create) => {
            let shown = address(r.take("Account address")?)?;
            let derived = multisig_address(&create.signers, create.threshold);
            if shown != derived {
                return Err(format!("account address {shown} is not {derived}"));
            }
        }
        Operation::BatchPayment(batch) => {
            let sum = batch.operations.iter().try_fold(U256::ZERO, |sum, op| {
                sum.checked_add(U256::from_be_bytes(op.amount.to_be_bytes()))
            });
            match sum {
                Some(sum) => {
                    let shown = r.amount("Total")?;
                    if U256::from_be_bytes(shown.to_be_bytes()) != sum {
                        return Err(format!("total {shown} is not the sum {sum}"));
                    }
                }
                None => {
                    let shown = r.take("Total")?;
                    if shown != "more than 2^256-1" {
                        return Err(format!("an overflowing total shown as {shown:?}"));
                    }
                }
            }
        }
        _ => {}
    }
    let memo = if r.has("Memo type") {
        let kind = unrender(r.take("Memo type")?)?;
        let format = unrender(r.take("Memo format")?)?;
        let data = unrender(r.take("Memo data")?)?;
        Some(Memo::new(&kind, &format, &data).map_err(|e| e.to_string())?)
    } else {
        None
    };
    let descriptor = if r.has("Multisig account") {
        Descriptor::Multisig(address(r.take("Multisig account")?)?)
    } else {
        Descriptor::Single
    };
    let scheme = match r.take("Signing scheme")? {
        "v1 (legacy)" => Scheme::Legacy,
        "v2 (domain-separated)" => Scheme::Native,
        s => return Err(format!("unknown scheme {s:?}")),
    };
    if let Some(extra) = r.peek() {
        return Err(format!("item after the scheme: {extra:?}"));
    }
    Ok(Rebuilt {
        tx: Transaction {
            chain_id,
            nonce,
            operation,
            memo,
        },
        scheme,
        descriptor,
    })
}
