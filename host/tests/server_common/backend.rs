//! The node under test on the running test's backend (a redb file,
//! PostgreSQL or memory), and `on_every_backend!` to run a test on each.

use std::cell::Cell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tokensign::node::{spawn_background, NodeConfig, RunningNode};
use tokensign_core::Address;

use super::postgres;

/// Starts a node on an ephemeral 127.0.0.1 port.
pub fn start(dir: &Path, operators: Vec<Address>) -> RunningNode {
    start_with(NodeConfig::new(dir.to_path_buf(), operators))
}

pub fn start_with(mut config: NodeConfig) -> RunningNode {
    on_backend(&mut config);
    spawn_background(config, "127.0.0.1:0".parse().expect("addr")).expect("node starts")
}

/// Where a test's nodes keep their state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The data directory's redb file (the default).
    Redb,
    /// A fresh database in the test process's PostgreSQL cluster
    /// ([`postgres::Cluster::shared`]), one per data directory.
    Postgres,
    /// The in-memory store (`NodeConfig::in_memory`: no file at all).
    Memory,
}

thread_local! {
    static BACKEND: Cell<Backend> = const { Cell::new(Backend::Redb) };
}

/// Runs `test` with its nodes on `backend` (PostgreSQL: skipped loudly
/// where it is not installed, unless required).
pub fn with_backend(backend: Backend, name: &str, test: fn()) {
    if backend == Backend::Postgres && !postgres::available(name) {
        return;
    }
    BACKEND.with(|b| b.set(backend));
    test();
}

/// The backend of the running test.
pub fn backend() -> Backend {
    BACKEND.with(Cell::get)
}

/// Puts `config` on the running test's backend: on PostgreSQL, the
/// database of its data directory (a fresh one the first time, the same
/// one when a node is started again on the directory); in memory, no
/// file (a node started again starts empty).
pub fn on_backend(config: &mut NodeConfig) {
    if backend() == Backend::Memory && config.database.is_none() {
        config.in_memory = true;
    }
    if backend() != Backend::Postgres || config.database.is_some() {
        return;
    }
    static DATABASES: Mutex<Option<HashMap<PathBuf, tokensign::node::DatabaseUrl>>> =
        Mutex::new(None);
    let mut map = DATABASES.lock().unwrap_or_else(|e| e.into_inner());
    let url = map
        .get_or_insert_with(HashMap::new)
        .entry(config.data_dir.clone())
        .or_insert_with(|| postgres::Cluster::shared().fresh_database())
        .clone();
    config.database = Some(url);
}

/// Declares each listed test function (a plain `fn()`, no `#[test]`) as
/// three tests, `redb::NAME`, `postgres::NAME` and `memory::NAME`: the
/// same test with its nodes on each backend. A function left out of the list is never called,
/// which the compiler reports (dead code).
#[allow(unused_macros)]
macro_rules! on_every_backend {
    ($($test:ident),* $(,)?) => {
        mod redb {
            $(
                #[test]
                fn $test() {
                    $crate::server_common::with_backend(
                        $crate::server_common::Backend::Redb, stringify!($test), super::$test);
                }
            )*
        }
        mod postgres {
            $(
                #[test]
                fn $test() {
                    $crate::server_common::with_backend(
                        $crate::server_common::Backend::Postgres, stringify!($test), super::$test);
                }
            )*
        }
        mod memory {
            $(
                #[test]
                fn $test() {
                    $crate::server_common::with_backend(
                        $crate::server_common::Backend::Memory, stringify!($test), super::$test);
                }
            )*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use on_every_backend;
