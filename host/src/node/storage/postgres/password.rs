//! The password of a database URL that holds none, found where libpq
//! finds it: `$PGPASSWORD`, then the password file (`$PGPASSFILE`, else
//! `~/.pgpass`). tokio-postgres is not libpq and reads neither, and the
//! lookup is a few lines, so it lives here rather than in a dependency.
//!
//! The file's format is libpq's: `hostname:port:database:username:password`
//! lines, `*` matching anything in the first four fields, `\:` and `\\`
//! escaping, `#` starting a comment line, the password ending at the next
//! unescaped colon; the first matching line wins.
//! A file that the group or others may read is ignored with a warning, as
//! libpq does. A socket connection matches the hostname `localhost`.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

/// What a password file line is matched against.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The host name as given (`localhost` for a Unix socket).
    pub host: &'a str,
    /// The port (5432 when the URL gives none).
    pub port: u16,
    /// The database name (the user's name when the URL gives none).
    pub database: &'a str,
    /// The user name.
    pub user: &'a str,
}

/// The password for `target` from `$PGPASSWORD` or the password file;
/// `None` when neither has one.
pub fn find(target: &Target<'_>) -> Option<Zeroizing<String>> {
    if let Some(password) = std::env::var_os("PGPASSWORD") {
        let password = Zeroizing::new(password.to_string_lossy().into_owned());
        if !password.is_empty() {
            return Some(password);
        }
    }
    let path = password_file()?;
    if !private(&path) {
        tracing::warn!(
            file = %crate::show::show_path(&path),
            "the PostgreSQL password file is readable by others and is ignored: chmod 600 it"
        );
        return None;
    }
    let text = Zeroizing::new(std::fs::read_to_string(&path).ok()?);
    lookup(&text, target)
}

/// `$PGPASSFILE`, else `~/.pgpass`.
fn password_file() -> Option<PathBuf> {
    match std::env::var_os("PGPASSFILE") {
        Some(file) if !file.is_empty() => Some(PathBuf::from(file)),
        _ => dirs::home_dir().map(|home| home.join(".pgpass")),
    }
}

/// Whether only its owner may read `path` (always true where file modes
/// do not exist).
fn private(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::metadata(path) {
            Ok(meta) => meta.permissions().mode() & 0o077 == 0,
            Err(_) => true,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        true
    }
}

/// The password of the first line of `text` that matches `target`.
pub fn lookup(text: &str, target: &Target<'_>) -> Option<Zeroizing<String>> {
    let port = target.port.to_string();
    let wanted = [target.host, &port, target.database, target.user];
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split(line);
        if fields.len() < 5 {
            continue;
        }
        // `zip` stops after the four wanted fields.
        let matches = fields
            .iter()
            .zip(wanted)
            .all(|(field, want)| field.as_str() == "*" || field.as_str() == want);
        if matches {
            return fields.into_iter().nth(4);
        }
    }
    None
}

/// A line's fields, split at unescaped colons, unescaped.
fn split(line: &str) -> Vec<Zeroizing<String>> {
    let mut fields = vec![Zeroizing::new(String::new())];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    push(&mut fields, next);
                }
            }
            ':' => fields.push(Zeroizing::new(String::new())),
            c => push(&mut fields, c),
        }
    }
    fields
}

fn push(fields: &mut [Zeroizing<String>], c: char) {
    if let Some(last) = fields.last_mut() {
        last.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TARGET: Target<'static> = Target {
        host: "db.example",
        port: 5432,
        database: "ledger",
        user: "alice",
    };

    fn found(text: &str, target: &Target<'_>) -> Option<String> {
        lookup(text, target).map(|p| p.as_str().to_owned())
    }

    #[test]
    fn the_first_matching_line_wins_with_wildcards() {
        let text = "# a comment\n\
                    other:5432:ledger:alice:no\n\
                    db.example:5433:*:alice:wrong-port\n\
                    db.example:*:ledger:alice:right\n\
                    *:*:*:*:fallback\n";
        assert_eq!(found(text, &TARGET).as_deref(), Some("right"));
        let bob = Target {
            user: "bob",
            ..TARGET
        };
        assert_eq!(found(text, &bob).as_deref(), Some("fallback"));
    }

    #[test]
    fn escapes_and_colons_in_the_password() {
        let text =
            "db\\:x:5432:ledger:alice:a\\\\b\ndb.example:5432:ledger:alice:pa\\:ss:ignored\r\n";
        assert_eq!(found(text, &TARGET).as_deref(), Some("pa:ss"));
        let odd = Target {
            host: "db:x",
            ..TARGET
        };
        assert_eq!(found(text, &odd).as_deref(), Some("a\\b"));
    }

    #[test]
    fn short_lines_and_no_match_give_nothing() {
        assert_eq!(found("db.example:5432:ledger\n\n", &TARGET), None);
        assert_eq!(found("db.example:5432:ledger:bob:x\n", &TARGET), None);
    }
}
