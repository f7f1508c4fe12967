//! The workload: funded accounts and their payments, signed before a
//! phase starts.

use super::*;

pub(super) struct Signer {
    /// Ready HTTP requests (head and body), in nonce order.
    pub(super) requests: Vec<Vec<u8>>,
    /// The expected transaction hash of the first request, `0x` + hex.
    pub(super) first_hash: String,
}

/// Everything pre-signed for a run: the set-up (issue, mints) and each
/// account's payments.
pub(super) struct Workload {
    pub(super) operator: Address,
    pub(super) setup: Vec<Vec<u8>>,
    pub(super) signers: Vec<Signer>,
    /// One payment as the node receives it, for the per-step timings.
    pub(super) sample: Vec<u8>,
}

/// Coins minted to each account: enough for every payment it sends.
pub(super) const FUNDING: u64 = 1_000_000_000;

pub(super) fn http_post(path: &str, body: &[u8]) -> Vec<u8> {
    let mut http = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    http.extend_from_slice(body);
    http
}

pub(super) fn native_body(tx: Transaction, key: &SigningKey) -> Result<(Vec<u8>, [u8; 32])> {
    let signed = NativeTx::sign(tx, key)?;
    let mut out = tokensign_bench::native_json_buffer();
    let n = json::write_native(&signed, &mut out)?;
    out.truncate(n);
    Ok((out, signed.tx_hash()))
}

pub(super) fn presign(o: &Options) -> Result<Workload> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x10ad);
    let operator = tokensign_bench::random_key(&mut rng);
    let master = tokensign_bench::random_key(&mut rng);
    let keys: Vec<SigningKey> = (0..o.signers)
        .map(|_| tokensign_bench::random_key(&mut rng))
        .collect();
    let issue = TokenIssue {
        symbol: Text::new("LOAD").map_err(|p| Error::invalid(Field::Symbol, p))?,
        name: Text::new("Load test").map_err(|p| Error::invalid(Field::Name, p))?,
        decimals: 0,
        master_authority: master.address(),
        is_private: false,
        clawback_enabled: Some(true),
    };
    let token = issue.token_address();
    let mut setup = vec![http_post(
        OpType::TokenIssue.v2_path(),
        &native_body(Transaction::new(CHAIN_ID_TESTNET, 0, issue), &operator)?.0,
    )];
    for (n, k) in keys.iter().enumerate() {
        let mint = TokenMint {
            recipient: k.address(),
            value: Amount::from_u64(FUNDING),
            token,
        };
        let tx = Transaction::new(CHAIN_ID_TESTNET, n as u64, mint);
        setup.push(http_post(
            OpType::TokenMint.v2_path(),
            &native_body(tx, &master)?.0,
        ));
    }
    let addresses: Vec<Address> = keys.iter().map(SigningKey::address).collect();
    let jobs: Vec<(usize, &SigningKey)> = keys.iter().enumerate().collect();
    // Signing is on both cores; it is set-up, not measured.
    let chunks: Vec<Vec<(usize, &SigningKey)>> = jobs
        .chunks(jobs.len().div_ceil(2))
        .map(<[_]>::to_vec)
        .collect();
    let per_signer = o.per_signer;
    let addresses = &addresses;
    let mut signers: Vec<(usize, Signer)> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || -> Result<Vec<(usize, Signer)>> {
                    chunk
                        .into_iter()
                        .map(|(i, key)| Ok((i, presign_one(i, key, addresses, token, per_signer)?)))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| anyhow::anyhow!("signing thread panicked"))?
            })
            .collect::<Result<Vec<_>>>()
            .map(|v| v.into_iter().flatten().collect())
    })?;
    signers.sort_by_key(|(i, _)| *i);
    let payment = Payment {
        recipient: addresses[0],
        value: Amount::from_u64(3),
        token,
    };
    let sample = native_body(
        Transaction::new(CHAIN_ID_TESTNET, 0, payment),
        &keys[keys.len() - 1],
    )?
    .0;
    Ok(Workload {
        operator: operator.address(),
        setup,
        signers: signers.into_iter().map(|(_, s)| s).collect(),
        sample,
    })
}

pub(super) fn presign_one(
    index: usize,
    key: &SigningKey,
    addresses: &[Address],
    token: Address,
    count: usize,
) -> Result<Signer> {
    let mut requests = Vec::with_capacity(count);
    let mut first_hash = String::new();
    for nonce in 0..count as u64 {
        // To every other account in turn, small varied amounts.
        let to = addresses
            [(index + 1 + nonce as usize % (addresses.len().max(2) - 1)) % addresses.len()];
        let payment = Payment {
            recipient: to,
            value: Amount::from_u64(1 + nonce % 7),
            token,
        };
        let (body, hash) = native_body(Transaction::new(CHAIN_ID_TESTNET, nonce, payment), key)?;
        if nonce == 0 {
            first_hash = format!("0x{}", hex::encode(hash));
        }
        requests.push(http_post(OpType::Payment.v2_path(), &body));
    }
    Ok(Signer {
        requests,
        first_hash,
    })
}
