//! The PostgreSQL side of a phase: a fresh database per phase, and the
//! database server's CPU time.

use super::*;

/// The PostgreSQL client's runtime threads (`tokensign-pg`).
pub(super) const PG_THREADS: &str = "tokensign-pg";

/// CPU time of every `postgres` process on this machine (the database
/// server: postmaster, backends, WAL writer, checkpointer), in
/// nanoseconds.
pub(super) fn postgres_cpu_ns() -> u64 {
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return 0;
    };
    let mut total = 0;
    for p in procs.flatten() {
        let Ok(stat) = std::fs::read_to_string(p.path().join("stat")) else {
            continue;
        };
        match stat_cpu_ns(&stat) {
            Some(("postgres", ns)) => total += ns,
            _ => {}
        }
    }
    total
}

/// A fresh database in the cluster of `admin` (through `psql`); its URL.
pub(super) fn fresh_database(admin: &str) -> Result<String> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "load_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let psql = std::env::var("PG_BINDIR")
        .map(|d| format!("{d}/psql"))
        .unwrap_or_else(|_| "/usr/lib/postgresql/15/bin/psql".into());
    let status = std::process::Command::new(psql)
        .args([admin, "-qc", &format!("CREATE DATABASE {name}")])
        .status()
        .context("psql")?;
    if !status.success() {
        bail!("CREATE DATABASE {name} failed");
    }
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
    Ok(format!("{base}/{name}"))
}
