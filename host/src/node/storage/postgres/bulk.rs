//! A write's bulk statements: each table's rows in one `INSERT … SELECT
//! FROM unnest(…)` (upserts for the state, inserts for the history).

use deadpool_postgres::Transaction;
use tokensign_core::{Address, Amount};

use super::{to_db, DbFailure};
use crate::node::ledger::{Account, Changes, Multisig, Token};
use crate::node::records::{MintRecord, TxRecord};
use crate::node::storage::Commit;

pub(super) async fn write_commit(txn: &Transaction<'_>, commit: &Commit) -> Result<(), DbFailure> {
    let Changes {
        accounts,
        tokens,
        balances,
        multisigs,
    } = &commit.ledger;
    let keyed: Vec<_> = commit.transactions.iter().map(|(h, r)| (*h, r)).collect();
    tokio::try_join!(
        upsert_accounts(txn, accounts.iter()),
        upsert_tokens(txn, tokens.values()),
        upsert_balances(txn, balances.iter()),
        upsert_multisigs(txn, multisigs.iter()),
        insert_transactions(txn, keyed),
        insert_mints(txn, &commit.mints),
    )?;
    Ok(())
}

pub(super) async fn upsert_accounts<'a>(
    txn: &Transaction<'_>,
    rows: impl Iterator<Item = (&'a Address, &'a Account)>,
) -> Result<(), DbFailure> {
    let (mut a, mut n, mut b) = (Vec::new(), Vec::new(), Vec::new());
    for (address, account) in rows {
        a.push(address.as_bytes().to_vec());
        n.push(to_db(account.nonce));
        b.push(to_db(account.bbnonce));
    }
    if a.is_empty() {
        return Ok(());
    }
    let s = txn
        .prepare_cached(
            "INSERT INTO accounts (address, nonce, bbnonce) \
             SELECT * FROM unnest($1::bytea[], $2::int8[], $3::int8[]) \
             ON CONFLICT (address) DO UPDATE SET nonce = EXCLUDED.nonce, bbnonce = EXCLUDED.bbnonce",
        )
        .await?;
    txn.execute(&s, &[&a, &n, &b]).await?;
    Ok(())
}

pub(super) async fn upsert_tokens<'a>(
    txn: &Transaction<'_>,
    rows: impl Iterator<Item = &'a Token>,
) -> Result<(), DbFailure> {
    let (mut a, mut s, mut t) = (Vec::new(), Vec::new(), Vec::new());
    for token in rows {
        a.push(token.address.as_bytes().to_vec());
        s.push(token.symbol.clone());
        t.push(serde_json::to_string(token)?);
    }
    if a.is_empty() {
        return Ok(());
    }
    let st = txn
        .prepare_cached(
            "INSERT INTO tokens (address, symbol, token) \
             SELECT a, s, t::jsonb FROM unnest($1::bytea[], $2::text[], $3::text[]) AS u(a, s, t) \
             ON CONFLICT (address) DO UPDATE SET token = EXCLUDED.token",
        )
        .await?;
    txn.execute(&st, &[&a, &s, &t]).await?;
    Ok(())
}

pub(super) async fn upsert_balances<'a>(
    txn: &Transaction<'_>,
    rows: impl Iterator<Item = (&'a (Address, Address), &'a Amount)>,
) -> Result<(), DbFailure> {
    let (mut o, mut t, mut v) = (Vec::new(), Vec::new(), Vec::new());
    for ((owner, token), amount) in rows {
        o.push(owner.as_bytes().to_vec());
        t.push(token.as_bytes().to_vec());
        v.push(amount.to_string());
    }
    if o.is_empty() {
        return Ok(());
    }
    let s = txn
        .prepare_cached(
            "INSERT INTO balances (owner, token, amount) \
             SELECT o, t, a::numeric FROM unnest($1::bytea[], $2::bytea[], $3::text[]) AS u(o, t, a) \
             ON CONFLICT (owner, token) DO UPDATE SET amount = EXCLUDED.amount",
        )
        .await?;
    txn.execute(&s, &[&o, &t, &v]).await?;
    Ok(())
}

pub(super) async fn upsert_multisigs<'a>(
    txn: &Transaction<'_>,
    rows: impl Iterator<Item = (&'a Address, &'a Multisig)>,
) -> Result<(), DbFailure> {
    let (mut a, mut m) = (Vec::new(), Vec::new());
    for (address, multisig) in rows {
        a.push(address.as_bytes().to_vec());
        m.push(serde_json::to_string(multisig)?);
    }
    if a.is_empty() {
        return Ok(());
    }
    let s = txn
        .prepare_cached(
            "INSERT INTO multisigs (address, multisig) \
             SELECT a, m::jsonb FROM unnest($1::bytea[], $2::text[]) AS u(a, m) \
             ON CONFLICT (address) DO UPDATE SET multisig = EXCLUDED.multisig",
        )
        .await?;
    txn.execute(&s, &[&a, &m]).await?;
    Ok(())
}

pub(super) async fn insert_transactions(
    txn: &Transaction<'_>,
    rows: Vec<([u8; 32], &TxRecord)>,
) -> Result<(), DbFailure> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut h = Vec::with_capacity(rows.len());
    let mut c = Vec::with_capacity(rows.len());
    let mut p = Vec::with_capacity(rows.len());
    let mut s = Vec::with_capacity(rows.len());
    let mut r = Vec::with_capacity(rows.len());
    for (hash, record) in rows {
        let tx = &record.transaction;
        let position = tx
            .transaction_index
            .and_then(|i| i32::try_from(i).ok())
            .ok_or_else(|| DbFailure::Other("a transaction without its place".into()))?;
        let sender = tokensign_core::Address::parse(&tx.from)
            .map_err(|_| DbFailure::Other("a transaction's sender is not an address".into()))?;
        h.push(hash.to_vec());
        c.push(to_db(tx.checkpoint_number.unwrap_or(0)));
        p.push(position);
        s.push(sender.as_bytes().to_vec());
        r.push(serde_json::to_string(record)?);
    }
    let st = txn
        .prepare_cached(
            "INSERT INTO transactions (hash, checkpoint, position, sender, record) \
             SELECT h, c, p, s, r::json \
             FROM unnest($1::bytea[], $2::int8[], $3::int4[], $4::bytea[], $5::text[]) \
             AS u(h, c, p, s, r)",
        )
        .await?;
    txn.execute(&st, &[&h, &c, &p, &s, &r]).await?;
    Ok(())
}

pub(super) async fn insert_mints(
    txn: &Transaction<'_>,
    rows: &[MintRecord],
) -> Result<(), DbFailure> {
    if rows.is_empty() {
        return Ok(());
    }
    let (mut a, mut t, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for mint in rows {
        a.push(mint.asset_id.clone());
        t.push(mint.token_id.clone());
        r.push(serde_json::to_string(mint)?);
    }
    let s = txn
        .prepare_cached(
            "INSERT INTO mints (asset_id, token_id, record) \
             SELECT a, t, r::json FROM unnest($1::text[], $2::text[], $3::text[]) AS u(a, t, r)",
        )
        .await?;
    txn.execute(&s, &[&a, &t, &r]).await?;
    Ok(())
}

pub(super) async fn insert_checkpoints(
    txn: &Transaction<'_>,
    rows: &[crate::node::records::CheckpointRecord],
) -> Result<(), DbFailure> {
    let (mut n, mut h, mut r) = (Vec::new(), Vec::new(), Vec::new());
    for c in rows {
        n.push(to_db(c.number));
        h.push(c.hash.to_vec());
        r.push(serde_json::to_string(c)?);
    }
    let s = txn
        .prepare_cached(
            "INSERT INTO checkpoints (number, hash, record) \
             SELECT n, h, r::json FROM unnest($1::int8[], $2::bytea[], $3::text[]) AS u(n, h, r)",
        )
        .await?;
    txn.execute(&s, &[&n, &h, &r]).await?;
    Ok(())
}
