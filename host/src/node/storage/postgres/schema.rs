//! The database's schema: versioned migrations (refinery, the SQL files
//! in `migrations/`, embedded at build time) run at open, one process at
//! a time (a session advisory lock), and refused when the database is
//! newer than this build. Genesis is written into an empty ledger in the
//! same locked step.

use tokio_postgres::{Client, Config, NoTls};

use super::{bounded, DbFailure, CONNECT_TIMEOUT, STEP_TIMEOUT};
use crate::node::failure::NodeError;
use crate::node::storage::Commit;

mod embedded {
    refinery::embed_migrations!("src/node/storage/postgres/migrations");
}

/// The advisory lock that lets one process at a time migrate a database
/// ("tokensign" in ASCII, as a bigint).
const MIGRATION_LOCK: i64 = 0x746f_6b65_6e73_6967;

/// The newest schema version this build knows (the last migration's).
pub fn latest_version() -> u32 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| m.version())
        .max()
        .unwrap_or(0)
}

/// The schema version of the database `client` is connected to (0: never
/// migrated).
pub async fn version_of(client: &Client) -> Result<i64, tokio_postgres::Error> {
    let exists: bool = client
        .query_one(
            "SELECT to_regclass('refinery_schema_history') IS NOT NULL",
            &[],
        )
        .await?
        .get(0);
    if !exists {
        return Ok(0);
    }
    let version: Option<i32> = client
        .query_one("SELECT max(version) FROM refinery_schema_history", &[])
        .await?
        .get(0);
    Ok(i64::from(version.unwrap_or(0)))
}

async fn connect(config: &Config, shown: &str) -> Result<Client, NodeError> {
    let unavailable = |reason: String| NodeError::DatabaseUnavailable {
        url: shown.to_owned(),
        reason,
    };
    let (client, connection) =
        match tokio::time::timeout(CONNECT_TIMEOUT, config.connect(NoTls)).await {
            Ok(Ok(pair)) => pair,
            Ok(Err(e)) => return Err(unavailable(super::describe(&e))),
            Err(_) => {
                return Err(unavailable(format!(
                    "no connection within {} s",
                    CONNECT_TIMEOUT.as_secs()
                )))
            }
        };
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

/// Migrates the database to `target` (`None`: the latest version) under
/// the migration lock, refusing one newer than this build; with `genesis`,
/// writes the genesis checkpoint into an empty ledger. Runs on the
/// backend's runtime.
pub async fn migrate(
    config: &Config,
    shown: &str,
    target: Option<u32>,
    genesis: bool,
) -> Result<(), NodeError> {
    let mut client = connect(config, shown).await?;
    let setup = |reason: String| NodeError::DatabaseSetup {
        url: shown.to_owned(),
        reason,
    };
    let failed = |e: DbFailure| match e {
        DbFailure::Unreachable(reason) => NodeError::DatabaseUnavailable {
            url: shown.to_owned(),
            reason,
        },
        DbFailure::Conflict(reason) | DbFailure::Other(reason) => setup(reason),
    };
    // Another process may be migrating: wait for it (bounded).
    bounded(STEP_TIMEOUT, async {
        client
            .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(DbFailure::from)
    })
    .await
    .map_err(failed)?;
    let found = version_of(&client)
        .await
        .map_err(|e| failed(DbFailure::from(e)))?;
    let supported = latest_version();
    if found > i64::from(supported) {
        return Err(NodeError::DatabaseTooNew {
            url: shown.to_owned(),
            found,
            supported,
        });
    }
    let mut runner = embedded::migrations::runner();
    if let Some(version) = target {
        runner = runner.set_target(refinery::Target::Version(version));
    }
    runner
        .run_async(&mut client)
        .await
        .map_err(|e| setup(format!("migration failed: {e}")))?;
    if genesis {
        write_genesis(&client)
            .await
            .map_err(|e| failed(DbFailure::from(e)))?;
    }
    client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(|e| failed(DbFailure::from(e)))?;
    Ok(())
}

/// Opens step: the latest schema and genesis.
pub(super) async fn prepare(config: &Config, shown: &str) -> Result<(), NodeError> {
    migrate(config, shown, None, true).await
}

async fn write_genesis(client: &Client) -> Result<(), tokio_postgres::Error> {
    let has_head = client.query_opt("SELECT 1 FROM head", &[]).await?.is_some();
    if has_head {
        return Ok(());
    }
    let Some(genesis) = Commit::genesis().checkpoint else {
        return Ok(());
    };
    let record = serde_json::to_string(&genesis).unwrap_or_default();
    client
        .execute(
            "INSERT INTO checkpoints (number, hash, record) VALUES (0, $1, $2::text::json) \
             ON CONFLICT DO NOTHING",
            &[&genesis.hash.as_slice(), &record],
        )
        .await?;
    client
        .execute(
            "INSERT INTO head (checkpoint, checkpoint_hash) \
             SELECT 0, hash FROM checkpoints WHERE number = 0 ON CONFLICT DO NOTHING",
            &[],
        )
        .await?;
    Ok(())
}

/// Migrates the database at `url` to schema `version` only (`None`: the
/// latest), without genesis: for tests of migrations from an older
/// version.
#[doc(hidden)]
pub fn migrate_to(url: &super::DatabaseUrl, version: Option<u32>) -> Result<(), NodeError> {
    let config = url.config()?;
    let shown = url.to_string();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| NodeError::Start {
            what: "a migration runtime",
            source,
        })?;
    runtime.block_on(migrate(&config, &shown, version, false))
}
