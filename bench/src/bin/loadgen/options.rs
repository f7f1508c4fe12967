//! The command line.

use super::*;

pub(super) struct Options {
    /// A PostgreSQL admin URL without a password: each phase's nodes share
    /// a fresh database in that cluster (none: redb in a fresh data
    /// directory).
    pub(super) database: Option<String>,
    /// Nodes serving the phase (each its own runtime, pool and writer, on
    /// one database; clients spread over them). More than one needs
    /// `--database`.
    pub(super) nodes: usize,
    pub(super) signers: usize,
    pub(super) per_signer: usize,
    pub(super) rounds: usize,
    pub(super) max_seconds: u64,
    pub(super) recoveries: usize,
}

pub(super) fn parse_options() -> Result<Options> {
    let mut o = Options {
        database: None,
        nodes: 1,
        signers: 64,
        per_signer: 150,
        rounds: 3,
        max_seconds: 60,
        recoveries: 2000,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || -> Result<usize> {
            let v = args
                .next()
                .with_context(|| format!("{flag} needs a value"))?;
            v.parse()
                .with_context(|| format!("{flag}: {v} is not a number"))
        };
        if flag == "--database" {
            let url = args.next().context("--database needs a URL")?;
            // As `tokensign node`: no password on a command line (psql and
            // the node both take $PGPASSWORD or ~/.pgpass instead).
            if tokensign::node::DatabaseUrl::holds_password(&url) {
                bail!(
                    "--database must not hold the password (a command line is visible to \
                     every user of the machine): leave it out and set $PGPASSWORD or a line \
                     in ~/.pgpass"
                );
            }
            o.database = Some(url);
            continue;
        }
        match flag.as_str() {
            "--nodes" => o.nodes = value()?,
            "--signers" => o.signers = value()?,
            "--per-signer" => o.per_signer = value()?,
            "--rounds" => o.rounds = value()?,
            "--max-seconds" => o.max_seconds = value()? as u64,
            "--recoveries" => o.recoveries = value()?,
            "-h" | "--help" => {
                println!(
                    "loadgen [--signers M=64] [--per-signer N=150] [--rounds R=3] \
                     [--max-seconds S=60] [--recoveries K=2000] [--database ADMIN_URL] [--nodes N=1]"
                );
                std::process::exit(0);
            }
            other => bail!("unknown option {other}"),
        }
    }
    if o.nodes == 0 || o.nodes > 8 || (o.nodes > 1 && o.database.is_none()) {
        bail!("--nodes is 1..8, and more than one needs --database");
    }
    if o.signers == 0 || o.per_signer == 0 || o.rounds == 0 || o.max_seconds == 0 {
        bail!("all counts must be positive");
    }
    if o.signers > 4096 || o.per_signer > 100_000 || o.max_seconds > 600 {
        bail!("bounded: at most 4096 signers, 100000 requests each, 600 s a phase");
    }
    Ok(o)
}
