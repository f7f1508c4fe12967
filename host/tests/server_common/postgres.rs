//! A real PostgreSQL for the tests (scripts/pg-cluster.sh: initdb and
//! pg_ctl under a temporary directory, as the unprivileged `postgres` user
//! when the tests run as root).
//!
//! - [`shared`]: one cluster per test process. `$TOKENSIGN_TEST_PG_DIR`
//!   names one that `.ci/run` started; otherwise the first test that asks
//!   starts one, and a watcher stops it once the test process has exited.
//!   Each node gets a fresh database in it ([`Cluster::fresh_database`]).
//! - [`Cluster::private`]: a cluster of a test's own (restarting the
//!   database mid-load must not disturb the other tests), stopped on drop.
//!
//! Where PostgreSQL is not installed the PostgreSQL tests skip with a loud
//! message, unless `TOKENSIGN_REQUIRE_POSTGRES=1` (set by `.ci/run`) makes
//! that a failure.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use tokensign::node::DatabaseUrl;

/// A running cluster.
pub struct Cluster {
    dir: PathBuf,
    admin: String,
    /// Stopped when this value is dropped (private clusters only).
    owned: bool,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/pg-cluster.sh")
}

/// Whether PostgreSQL's binaries are here.
pub fn installed() -> bool {
    std::env::var_os("PG_BINDIR").is_some()
        || std::fs::read_dir("/usr/lib/postgresql")
            .map(|d| d.flatten().any(|e| e.path().join("bin/initdb").exists()))
            .unwrap_or(false)
}

/// Skips (loudly) where PostgreSQL is absent; fails instead when
/// `TOKENSIGN_REQUIRE_POSTGRES=1`. Returns whether the test may run.
pub fn available(test: &str) -> bool {
    if std::env::var_os("TOKENSIGN_TEST_PG_DIR").is_some() || installed() {
        return true;
    }
    if std::env::var("TOKENSIGN_REQUIRE_POSTGRES").as_deref() == Ok("1") {
        panic!("{test}: PostgreSQL is required (TOKENSIGN_REQUIRE_POSTGRES=1) but not installed");
    }
    eprintln!(
        "\n**************************************************************\n\
         SKIPPED {test}: PostgreSQL is not installed\n\
         (apt-get install postgresql; .ci/run installs it and runs this test)\n\
         **************************************************************\n"
    );
    false
}

fn run_script(args: &[&str]) -> String {
    let out = Command::new("bash")
        .arg(script())
        .args(args)
        .output()
        .expect("run scripts/pg-cluster.sh");
    assert!(
        out.status.success(),
        "pg-cluster.sh {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn new_dir() -> PathBuf {
    let base = tempfile::Builder::new()
        .prefix("tokensign-pg-")
        .tempdir()
        .expect("temp dir")
        .keep();
    base.join("cluster")
}

impl Cluster {
    /// The cluster of this test process (see the module documentation).
    pub fn shared() -> &'static Cluster {
        static SHARED: OnceLock<Cluster> = OnceLock::new();
        SHARED.get_or_init(|| {
            if let Some(dir) = std::env::var_os("TOKENSIGN_TEST_PG_DIR") {
                let dir = PathBuf::from(dir);
                let admin = std::fs::read_to_string(dir.join("url"))
                    .expect("$TOKENSIGN_TEST_PG_DIR/url")
                    .trim()
                    .to_owned();
                return Cluster {
                    dir,
                    admin,
                    owned: false,
                };
            }
            Cluster::start(false)
        })
    }

    /// A cluster of the caller's own, stopped (and removed) on drop.
    pub fn private() -> Cluster {
        Cluster::start(true)
    }

    /// A new cluster in a fresh directory, stopped when this process ends
    /// (`--owner-pid`), and on drop if `owned`.
    fn start(owned: bool) -> Cluster {
        let dir = new_dir();
        let pid = std::process::id().to_string();
        let d = dir.to_str().expect("utf-8 path");
        let admin = run_script(&["start", d, "--fast", "--owner-pid", &pid]);
        Cluster { dir, admin, owned }
    }

    /// The superuser URL of the `postgres` database.
    pub fn admin_url(&self) -> &str {
        &self.admin
    }

    /// A URL of `database` in this cluster.
    pub fn url_of(&self, database: &str) -> String {
        let base = self
            .admin
            .rsplit_once('/')
            .map(|(b, _)| b)
            .expect("admin URL");
        format!("{base}/{database}")
    }

    /// Runs SQL on `database` as the superuser.
    pub fn sql(&self, database: &str, sql: &str) -> Vec<Vec<Option<String>>> {
        let url = self.url_of(database);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .unwrap_or_else(|e| panic!("connect {url}: {e}"));
            tokio::spawn(async move {
                let _ = conn.await;
            });
            let mut out = Vec::new();
            for message in client
                .simple_query(sql)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
            {
                if let tokio_postgres::SimpleQueryMessage::Row(row) = message {
                    out.push(
                        (0..row.len())
                            .map(|i| row.get(i).map(str::to_owned))
                            .collect(),
                    );
                }
            }
            out
        })
    }

    /// A new, empty database; its URL.
    pub fn fresh_database(&self) -> DatabaseUrl {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "t{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        self.sql("postgres", &format!("CREATE DATABASE {name}"));
        DatabaseUrl::parse(&self.url_of(&name)).expect("database URL")
    }

    /// Stops and starts the server (same port); connections drop.
    pub fn restart(&self) {
        run_script(&["restart", self.dir.to_str().expect("utf-8 path")]);
    }

    /// Stops the server (the cluster stays, [`Cluster::resume`] starts it).
    pub fn halt(&self) {
        run_script(&["halt", self.dir.to_str().expect("utf-8 path")]);
    }

    /// Starts a halted server again.
    pub fn resume(&self) {
        run_script(&["resume", self.dir.to_str().expect("utf-8 path")]);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.owned {
            let _ = Command::new("bash")
                .arg(script())
                .args(["stop", self.dir.to_str().unwrap_or("")])
                .output();
            if let Some(parent) = self.dir.parent() {
                let _ = std::fs::remove_dir_all(parent);
            }
        }
    }
}
