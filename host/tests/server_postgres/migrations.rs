//! The schema's migrations, from an empty database and from the previous
//! version.

use super::support::*;
use crate::server_common::postgres::Cluster;
use crate::server_common::*;
use tokensign::node::{DatabaseUrl, NodeConfig, NodeError};
use tokensign_core::tx::Payment;
use tokensign_core::Amount;

/// The schema from an empty database, from the previous version (with
/// data written in that version's shape), and a newer database refused.
#[test]
fn migrations_from_empty_and_from_the_previous_version() {
    if !crate::server_common::postgres::available("migrations") {
        return;
    }
    let cluster = Cluster::shared();
    let latest = tokensign::node::database_schema_version();
    assert!(latest >= 2, "schema version {latest}");

    // Empty → latest: a node starts and serves.
    let empty = cluster.fresh_database();
    let name = |url: &DatabaseUrl| url.to_string().rsplit('/').next().unwrap().to_owned();
    let (a, keys, token) = one_node(&empty, 2, "MIGR");
    let pay = Payment {
        recipient: keys[1].address(),
        value: Amount::from_u64(7),
        token,
    };
    assert_eq!(post_signed(a.addr, &keys[0], 0, pay).status, 200);
    let state = dump_at(a.addr);
    drop(a);
    let version = cluster.sql(
        &name(&empty),
        "SELECT max(version) FROM refinery_schema_history",
    );
    assert_eq!(version[0][0].as_deref(), Some(latest.to_string().as_str()));

    // The previous version, holding that ledger in its shape (version 1:
    // transactions are only hash and record).
    let old = cluster.fresh_database();
    tokensign::node::migrate_to(&old, Some(latest - 1)).unwrap();
    let mut sql = String::new();
    let last = state.checkpoints.last().unwrap();
    for c in &state.checkpoints {
        sql.push_str(&format!(
            "INSERT INTO checkpoints VALUES ({}, decode('{}', 'hex'), $j${}$j$);\n",
            c.number,
            hex::encode(c.hash),
            serde_json::to_string(c).unwrap()
        ));
    }
    sql.push_str(&format!(
        "INSERT INTO head VALUES (true, {}, decode('{}', 'hex'), 0);\n",
        last.number,
        hex::encode(last.hash)
    ));
    for r in &state.transactions {
        sql.push_str(&format!(
            "INSERT INTO transactions VALUES (decode('{}', 'hex'), $j${}$j$);\n",
            &r.transaction.hash[2..],
            serde_json::to_string(r).unwrap()
        ));
    }
    for acc in &state.accounts {
        sql.push_str(&format!(
            "INSERT INTO accounts VALUES (decode('{}', 'hex'), {}, {});\n",
            hex::encode(acc.address.as_bytes()),
            acc.nonce,
            acc.bbnonce
        ));
    }
    for t in &state.tokens {
        sql.push_str(&format!(
            "INSERT INTO tokens VALUES (decode('{}', 'hex'), '{}', $j${}$j$);\n",
            hex::encode(t.address.as_bytes()),
            t.symbol,
            serde_json::to_string(t).unwrap()
        ));
    }
    for b in &state.balances {
        sql.push_str(&format!(
            "INSERT INTO balances VALUES (decode('{}', 'hex'), decode('{}', 'hex'), {});\n",
            hex::encode(b.owner.as_bytes()),
            hex::encode(b.token.as_bytes()),
            b.amount
        ));
    }
    cluster.sql(&name(&old), &sql);
    let b = node_on(&old);
    // Migrated: the same state, the new columns filled from the records.
    assert_eq!(dump_at(b.addr), state);
    let rows = cluster.sql(
        &name(&old),
        "SELECT count(*) FROM transactions WHERE checkpoint IS NOT NULL AND sender IS NOT NULL",
    );
    assert_eq!(
        rows[0][0].as_deref(),
        Some(state.transactions.len().to_string().as_str())
    );
    // And it keeps working.
    let pay = Payment {
        recipient: keys[0].address(),
        value: Amount::from_u64(1),
        token,
    };
    assert_eq!(post_signed(b.addr, &keys[1], 0, pay).status, 200);
    drop(b);

    // A database from a newer tokensign is refused by name.
    cluster.sql(
        &name(&old),
        "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) \
         VALUES (999, 'from_the_future', '2030-01-01T00:00:00Z', '0')",
    );
    let mut config = NodeConfig::new(std::env::temp_dir(), vec![]);
    config.database = Some(old);
    match tokensign::node::spawn_background(config, "127.0.0.1:0".parse().unwrap()) {
        Err(NodeError::DatabaseTooNew {
            found, supported, ..
        }) => {
            assert_eq!(found, 999);
            assert_eq!(supported, latest);
        }
        other => panic!("expected DatabaseTooNew, got {:?}", other.err()),
    }
}
