//! A sandbox moved from redb to PostgreSQL and back.

use super::support::*;

use crate::server_common::*;
use tokensign::node::{StateDocument, StateFiles};

/// A sandbox moves from redb to PostgreSQL and back, unchanged.
#[test]
fn redb_to_postgres_to_redb() {
    if !crate::server_common::postgres::available("redb_to_postgres_to_redb") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.json");
    let mut config = fresh_config(Backend::Redb, &dir.path().join("redb1"));
    config.state.dump = Some(file.clone());
    let first = spawn_background(config);
    for s in [
        Step::Issue(2),
        Step::Mint {
            token: 2,
            to: 0,
            value: 77,
        },
        Step::Pay {
            from: 0,
            to: 1,
            token: 2,
            value: 7,
        },
        Step::AbcMint {
            token: 2,
            amount: 1,
        },
    ] {
        apply(first.addr, &s);
    }
    let original = dump_at(first.addr);
    let reads = all_reads(first.addr, &original);
    first.shutdown().unwrap();
    // A clean exit wrote the file.
    let written: StateDocument = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(written, original);

    let mut config = fresh_config(Backend::Postgres, &dir.path().join("unused"));
    config.state = StateFiles {
        load: Some(file.clone()),
        load_if_exists: false,
        dump: Some(file.clone()),
    };
    let on_pg = spawn_background(config);
    assert_eq!(all_reads(on_pg.addr, &original), reads);
    on_pg.shutdown().unwrap();

    let mut config = fresh_config(Backend::Redb, &dir.path().join("redb2"));
    config.state.load = Some(file);
    let back = spawn_background(config);
    assert_eq!(dump_at(back.addr), original);
    assert_eq!(all_reads(back.addr, &original), reads);
}
