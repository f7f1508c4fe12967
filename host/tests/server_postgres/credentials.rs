//! Where the database password comes from: the environment, a file or
//! .pgpass, never the command line.

use std::time::{Duration, Instant};

use super::support::*;
use crate::server_common::postgres::Cluster;
use crate::server_common::*;
use tokensign_core::tx::Payment;
use tokensign_core::Amount;

/// The database password never on a command line nor in the output: a
/// `--database` URL holding one is refused (pointing at the ways that
/// work); `$TOKENSIGN_DATABASE_URL`, `--database-url-file`, `$PGPASSWORD`
/// and a private password file each sign in as a role that needs its
/// password; a password file others may read is ignored with a warning;
/// a wrong password fails at once, by name. No output holds the password.
#[test]
fn the_database_password_comes_from_the_environment_a_file_or_pgpass_never_argv() {
    if !crate::server_common::postgres::available("the_database_password") {
        return;
    }
    let cluster = Cluster::shared();
    let url = cluster.fresh_database();
    let db = url.to_string().rsplit('/').next().unwrap().to_owned();
    let role = format!("alice_{db}");
    let secret = format!("pw-{}-s3cret", std::process::id());
    cluster.sql(
        "postgres",
        &format!(
            "CREATE ROLE {role} LOGIN PASSWORD '{secret}'; ALTER DATABASE {db} OWNER TO {role}"
        ),
    );
    let plain = cluster
        .url_of(&db)
        .replacen("postgres@", &format!("{role}@"), 1);
    let with_password = plain.replacen(&format!("{role}@"), &format!("{role}:{secret}@"), 1);
    assert_ne!(plain, with_password);
    let dir = tempfile::tempdir().unwrap();
    let nowhere = dir.path().join("no-pgpass");
    let nowhere = nowhere.to_str().unwrap();
    let op = addr(&operator()).to_string();
    let base = ["--accounts", "0", "--test-token", "none", "--operator", &op];
    // Each start sees only what the case gives it.
    let start = |extra: &[&str], envs: &[(&str, &str)]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        let mut all = vec![
            ("TOKENSIGN_DATABASE_URL", ""),
            ("PGPASSWORD", ""),
            ("PGPASSFILE", nowhere),
            ("RUST_LOG", "debug"),
        ];
        all.extend_from_slice(envs);
        CliNode::try_start_with(&args, &all)
    };

    // On the command line: refused before anything connects, the password
    // not echoed.
    let key_value = format!("host=127.0.0.1 dbname={db} user={role} password={secret}");
    for given in [&with_password, &key_value] {
        let err = start(&["--database", given], &[]).err().expect("refused");
        for hint in [
            "must not hold the password",
            "TOKENSIGN_DATABASE_URL",
            "--database-url-file",
            "PGPASSWORD",
            ".pgpass",
        ] {
            assert!(err.contains(hint), "no {hint:?} in: {err}");
        }
        assert!(!err.contains(&secret), "the password was echoed: {err}");
    }

    // $TOKENSIGN_DATABASE_URL with the password: serves, and a payment
    // through it shows at once on a node signed in from a URL file.
    let a = start(&[], &[("TOKENSIGN_DATABASE_URL", &with_password)]).expect("env URL");
    let file = dir.path().join("database-url");
    std::fs::write(&file, format!("{with_password}\n")).unwrap();
    let b = start(&["--database-url-file", file.to_str().unwrap()], &[]).expect("URL file");
    let keys = senders(2);
    let token = funded_token(a.addr, "SECRET", &keys);
    let pay = Payment {
        recipient: keys[1].address(),
        value: Amount::from_u64(3),
        token,
    };
    assert_eq!(post_signed(a.addr, &keys[0], 0, pay).status, 200);
    assert_eq!(nonce_at(b.addr, &keys[0].address()), 1);

    // A URL without the password: $PGPASSWORD, then a private password file.
    let c = start(&["--database", &plain], &[("PGPASSWORD", &secret)]).expect("PGPASSWORD");
    assert_eq!(nonce_at(c.addr, &keys[0].address()), 1);
    let port = plain.rsplit(':').next().unwrap().split('/').next().unwrap();
    let pgpass = dir.path().join("pgpass");
    std::fs::write(
        &pgpass,
        format!("# tokensign test\n127.0.0.1:{port}:other:{role}:wrong\n127.0.0.1:{port}:{db}:{role}:{secret}\n"),
    )
    .unwrap();
    let pgpass_text = pgpass.to_str().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let d = start(&["--database", &plain], &[("PGPASSFILE", pgpass_text)]).expect("pgpass");
    assert_eq!(nonce_at(d.addr, &keys[0].address()), 1);

    // A password file others may read is ignored, as psql ignores it.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pgpass, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = start(&["--database", &plain], &[("PGPASSFILE", pgpass_text)])
            .err()
            .expect("an open password file is ignored");
        assert!(err.contains("chmod 600"), "{err}");
        assert!(!err.contains(&secret), "{err}");
    }

    // A wrong password: a prompt, named refusal (no hang, no echo).
    let started = Instant::now();
    let wrong = plain.replacen(&format!("{role}@"), &format!("{role}:not-it@"), 1);
    let err = start(&[], &[("TOKENSIGN_DATABASE_URL", &wrong)])
        .err()
        .expect("a wrong password is refused");
    assert!(err.contains("password authentication failed"), "{err}");
    assert!(!err.contains("not-it"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(30));

    // Nothing any node wrote holds the password.
    for node in [&a, &b, &c, &d] {
        let out = node.stderr_text();
        assert!(out.contains(&format!("{role}@127.0.0.1")), "{out}");
        assert!(!out.contains(&secret), "the password was logged: {out}");
    }
}
